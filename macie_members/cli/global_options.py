"""The global options every command accepts, and the start of every run.

The AWS CLI takes its global options before or after the command name
(``aws --region x macie2 list-members`` and ``aws macie2 list-members --region x``). To match,
:func:`global_options` puts the same options on the group and on every command; while click
parses, each option stores its value into the one :class:`GlobalOptions` of the command line
(SAM's ``expose_value=False`` + callback pattern), so command signatures stay small. An option
given after the command name wins over the same option given before it.

Parsing is the only time anything is mutable: a command then calls :func:`start`, which
freezes the options and resolves the run's configuration once
(:func:`macie_members.config.resolve`), and hands the
:class:`~macie_members.run.session.RunSession` to the command's one flow.
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

import click

from macie_members import __version__
from macie_members.environment import OUTPUTS, SANDBOX_ENV

if TYPE_CHECKING:
    from macie_members.config import GlobalSettings, RunOptions
    from macie_members.run.session import RunSession

F = TypeVar("F", bound=Callable[..., Any])


class GlobalOptions:
    """The global options while click parses them: the values given so far (then frozen into
    :class:`~macie_members.config.GlobalSettings`, which also gives the defaults). The
    configuration module is imported when a value is first stored or read, not before:
    ``--help`` needs none of it (a fifth of its time)."""

    def __init__(self) -> None:
        self.given: dict[str, Any] = {}

    def set(self, name: str, value: Any) -> None:
        if name in _settings_names():  # --no-cli-pager is accepted and means nothing: output is never paged
            self.given[name] = value

    def freeze(self) -> GlobalSettings:
        from macie_members.config import GlobalSettings

        return GlobalSettings(**self.given)

    def __getattr__(self, name: str) -> Any:
        if name in _settings_names():
            return self.given.get(name, getattr(_default_settings(), name))
        raise AttributeError(name)


@functools.cache
def _settings_names() -> frozenset[str]:
    from macie_members.config import GlobalSettings

    return frozenset(f.name for f in dataclasses.fields(GlobalSettings))


@functools.cache
def _default_settings() -> GlobalSettings:
    from macie_members.config import GlobalSettings

    return GlobalSettings()


def get_options(ctx: click.Context) -> GlobalOptions:
    return ctx.ensure_object(GlobalOptions)


def settings_of(ctx: click.Context) -> GlobalSettings:
    """The global options of the command line, frozen."""
    return get_options(ctx).freeze()


def start(ctx: click.Context, options: RunOptions) -> RunSession:
    """The run session of a command, for its flow (enter it with ``with``)."""
    from macie_members.flows.steps import open_run

    return open_run(settings_of(ctx), options)


# ------------------------------------------------------------------------- completion

# Regions offered for Macie (botocore's endpoint data, aws partition), for shell completion
# without importing botocore on every key press.
KNOWN_REGIONS = (
    "af-south-1", "ap-east-1", "ap-northeast-1", "ap-northeast-2", "ap-northeast-3", "ap-south-1",
    "ap-southeast-1", "ap-southeast-2", "ca-central-1", "eu-central-1", "eu-north-1", "eu-south-1",
    "eu-west-1", "eu-west-2", "eu-west-3", "il-central-1", "me-south-1", "sa-east-1", "us-east-1",
    "us-east-2", "us-west-1", "us-west-2",
)


def complete_regions(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[Any]:
    from click.shell_completion import CompletionItem

    prefix, _, last = incomplete.rpartition(",")
    head = f"{prefix}," if prefix else ""
    return [CompletionItem(head + r) for r in KNOWN_REGIONS if r.startswith(last)]


def complete_profiles(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[Any]:
    """The profiles of the AWS configuration and credentials files (as the AWS CLI completes
    them), read with configparser: no botocore at a <Tab>."""
    import configparser
    import os
    from pathlib import Path

    from click.shell_completion import CompletionItem

    names: set[str] = set()
    files = ((os.environ.get("AWS_CONFIG_FILE") or "~/.aws/config", True),
             (os.environ.get("AWS_SHARED_CREDENTIALS_FILE") or "~/.aws/credentials", False))
    for path, prefixed in files:
        parser = configparser.RawConfigParser()
        try:
            parser.read(Path(path).expanduser(), encoding="utf-8")
        except (configparser.Error, OSError, UnicodeDecodeError):
            continue  # a broken file completes nothing; the command itself will say why
        for section in parser.sections():
            if prefixed and section != "default":
                if not section.startswith("profile "):
                    continue
                section = section[len("profile "):].strip()
            names.add(section)
    return [CompletionItem(name) for name in sorted(names) if name.startswith(incomplete)]


def complete_files(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[Any]:
    from click.shell_completion import CompletionItem

    return [CompletionItem(incomplete, type="file")]


def complete_choices(*choices: str) -> Callable[[click.Context, click.Parameter, str], list[Any]]:
    def complete(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[Any]:
        from click.shell_completion import CompletionItem

        return [CompletionItem(c) for c in choices if c.startswith(incomplete)]

    return complete


# ---------------------------------------------------------------------------- options


class Seconds(click.FloatRange):
    """A number of seconds: 0 or more, finite (``nan`` and ``inf`` are refused, 252)."""

    name = "seconds"

    def __init__(self) -> None:
        super().__init__(min=0)

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        import math

        number = super().convert(value, param, ctx)
        if not math.isfinite(number):
            self.fail("a number of seconds, not nan or inf.", param, ctx)
        return number


def _store(ctx: click.Context, param: click.Parameter, value: Any) -> Any:
    name = param.name or ""
    # Unset options (None) and unset flags (False) must not overwrite a value given before the
    # command name; click 8.4 does not report a source for unexposed parameters.
    if value is None or value is False:
        return value
    if name == "query":
        from macie_members.config import query_problem

        problem = query_problem(value)
        if problem:
            raise click.UsageError(problem, ctx=ctx)  # the message names --query itself
    get_options(ctx).set(name, value)
    return value


def _print_version(ctx: click.Context, param: click.Parameter, value: bool) -> None:
    if not value or ctx.resilient_parsing:
        return
    import platform
    from importlib.metadata import PackageNotFoundError, version

    # The AWS CLI v1's form; botocore's version from its metadata (importing it would cost
    # startup), as the Regions and the service model come from it.
    try:
        botocore = f" botocore/{version('botocore')}"
    except PackageNotFoundError:
        botocore = ""
    click.echo(
        f"macie-members/{__version__} Python/{platform.python_version()} "
        f"{platform.system()}/{platform.release()}{botocore}"
    )
    ctx.exit(0)


def _refuse_auto_prompt(ctx: click.Context, param: click.Parameter, value: bool) -> None:
    if value and not ctx.resilient_parsing:
        raise click.UsageError("--cli-auto-prompt is not offered: macie-members has no interactive prompt "
                               "mode; type the whole command (COMMAND --help, or COMMAND help, lists its options).")


def _positive_int_or_zero(ctx: click.Context, param: click.Parameter, value: Any) -> Any:
    if value is not None and value < 0:
        raise click.BadParameter("must be 0 (blocking) or a positive number of seconds")
    return _store(ctx, param, value)


GLOBAL_OPTIONS: list[Callable[[F], F]] = [
    click.option("--region", metavar="REGION", expose_value=False, callback=_store,
                 shell_complete=complete_regions,
                 help="The Region to use (default: AWS_REGION, AWS_DEFAULT_REGION, the profile's region)."),
    click.option("--profile", metavar="NAME", expose_value=False, callback=_store, shell_complete=complete_profiles,
                 help="A named profile from your AWS configuration (default: AWS_PROFILE)."),
    click.option("--endpoint-url", metavar="URL", expose_value=False, callback=_store,
                 help="Send macie2 requests to this URL (default: AWS_ENDPOINT_URL_MACIE2, AWS_ENDPOINT_URL)."),
    click.option("--output", type=click.Choice(OUTPUTS), expose_value=False, callback=_store,
                 help="Output format (default: AWS_DEFAULT_OUTPUT, the profile's output, json)."),
    click.option("--query", metavar="JMESPATH", expose_value=False, callback=_store,
                 help="A JMESPath query to apply to every JSON document printed."),
    click.option("--debug", is_flag=True, default=False, expose_value=False, callback=_store,
                 help="Log every request and response to stderr (secrets redacted) and show tracebacks."),
    click.option("--no-paginate", is_flag=True, default=False, expose_value=False, callback=_store,
                 help="Make a single request instead of following pagination."),
    click.option("--no-verify-ssl", is_flag=True, default=False, expose_value=False, callback=_store,
                 help="Do not verify TLS certificates."),
    click.option("--ca-bundle", metavar="PATH", expose_value=False, callback=_store,
                 shell_complete=complete_files,
                 help="CA certificate bundle to verify TLS (default: AWS_CA_BUNDLE)."),
    click.option("--cli-read-timeout", type=int, metavar="SECONDS", expose_value=False,
                 callback=_positive_int_or_zero, help="Socket read timeout (0: blocking; default 60)."),
    click.option("--cli-connect-timeout", type=int, metavar="SECONDS", expose_value=False,
                 callback=_positive_int_or_zero, help="Socket connect timeout (0: blocking; default 60)."),
    click.option("--color", type=click.Choice(("on", "off", "auto")), expose_value=False, callback=_store,
                 help="Colour in tables (auto: on a terminal; the tool's own tables also not when NO_COLOR "
                      "is set, the AWS CLI's tables of a drop-in answer as the AWS CLI colours them)."),
    click.option("--no-cli-pager", is_flag=True, default=False, expose_value=False, callback=_store,
                 help="Accepted for compatibility with AWS CLI v2; output is never paged."),
    click.option("--no-sign-request", is_flag=True, default=False, expose_value=False, callback=_store,
                 help="Do not sign requests (AWS CLI v2): credentials are not loaded. For the one-request "
                      "commands; refused where the command acts for the caller's account."),
    click.option("--cli-binary-format", type=click.Choice(("base64", "raw-in-base64-out")), expose_value=False,
                 callback=_store, help="Accepted for compatibility with AWS CLI v2: no membership command "
                                       "takes or returns binary data, so it changes nothing."),
    click.option("--no-cli-auto-prompt", is_flag=True, default=False, expose_value=False, callback=_store,
                 help="Accepted for compatibility with AWS CLI v2; there is no auto-prompt to turn off."),
    click.option("--cli-auto-prompt", is_flag=True, default=False, expose_value=False, callback=_refuse_auto_prompt,
                 help="AWS CLI v2's interactive prompt: not offered (refused)."),
    click.option("--sandbox", is_flag=True, default=False, expose_value=False, callback=_store,
                 help=f"Run against the local sandbox instead of AWS (also: {SANDBOX_ENV}=1)."),
    click.option("--sandbox-state", metavar="PATH", expose_value=False, callback=_store,
                 shell_complete=complete_files,
                 help="The sandbox's state file (default: MACIE_MEMBERS_SANDBOX_STATE, else sandbox.json "
                      "in the platform's state directory for macie-members)."),
    click.option("--lock-timeout", type=Seconds(), metavar="SECONDS", expose_value=False,
                 callback=_store, help="How long a run that changes members waits for another run on the same "
                                       "account and Region to finish (0: not at all; default 600); then exit 75."),
    click.option("--version", is_flag=True, expose_value=False, is_eager=True, callback=_print_version,
                 help="Show the version and exit."),
]


def global_options(func: F) -> F:
    for option in reversed(GLOBAL_OPTIONS):
        func = option(func)
    return func
