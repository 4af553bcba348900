"""The run's context object and the global options every command accepts.

The AWS CLI takes its global options before or after the command name
(``aws --region x macie2 list-members`` and ``aws macie2 list-members --region x``). To match,
:func:`global_options` puts the same options on the group and on every command; each option
stores its value into the one :class:`App` of the run (SAM's ``expose_value=False`` + callback
pattern), so command signatures stay small. An option given on the command line after the
command name wins over the same option given before it.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

import click

from macie_members import __version__
from macie_members.errors import ConfigError, InputError

if TYPE_CHECKING:
    from botocore.client import BaseClient

    from macie_members.client import Aws

F = TypeVar("F", bound=Callable[..., Any])

OUTPUT_CHOICES = ("json", "text", "table", "csv")
SANDBOX_ENV = "MACIE_MEMBERS_SANDBOX"


@dataclass
class App:
    region: str | None = None
    profile: str | None = None
    endpoint_url: str | None = None
    output: str | None = None
    query: str | None = None
    debug: bool = False
    no_paginate: bool = False
    no_verify_ssl: bool = False
    ca_bundle: str | None = None
    cli_read_timeout: int | None = None
    cli_connect_timeout: int | None = None
    color: str = "auto"
    no_cli_pager: bool = False
    sandbox: bool = False
    sandbox_state: str | None = None
    max_pool_connections: int = 10
    # Single commands use botocore's standard retry mode, as AWS CLI v2; bulk runs set their own
    # (see macie_members.cli.bulk and macie_members.bulk's Pacer).
    default_retry_mode: str = "standard"
    bulk_max_attempts: int | None = None
    _aws: Aws | None = field(default=None, repr=False)
    _sandbox_stack: contextlib.ExitStack | None = field(default=None, repr=False)

    # ------------------------------------------------------------------ config

    @property
    def use_sandbox(self) -> bool:
        return self.sandbox or os.environ.get(SANDBOX_ENV, "").lower() in ("1", "true", "yes", "on")

    @property
    def aws(self) -> Aws:
        if self._aws is None:
            from macie_members.client import Aws, AwsSettings

            endpoint = self.endpoint_url
            if self.use_sandbox:
                # The in-process sandbox answers on AWS's own endpoints only.
                endpoint = None
                os.environ["AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"] = "true"
                self.enter_sandbox()  # moto must hook botocore before the session is created
            self._aws = Aws(
                AwsSettings(
                    # Only --profile is explicit: botocore reads AWS_PROFILE itself, and an
                    # explicit profile would make it ignore AWS_ACCESS_KEY_ID/... (as --profile
                    # does in the AWS CLI, but AWS_PROFILE does not).
                    profile=self.profile,
                    region=self.region,
                    endpoint_url=endpoint,
                    verify_ssl=not self.no_verify_ssl,
                    ca_bundle=self.ca_bundle,
                    read_timeout=self.cli_read_timeout,
                    connect_timeout=self.cli_connect_timeout,
                    max_pool_connections=self.max_pool_connections,
                    default_retry_mode=self.default_retry_mode,
                    max_attempts=self.bulk_max_attempts,
                )
            )
        return self._aws

    def output_format(self) -> str:
        """``--output``, then ``AWS_DEFAULT_OUTPUT``, then the profile's ``output``, then json."""
        if self.output:
            return self.output
        env = os.environ.get("AWS_DEFAULT_OUTPUT")
        value = env
        if not value:
            with contextlib.suppress(Exception):
                value = self.aws.scoped_config().get("output")
        if not value:
            return "json"
        if value not in OUTPUT_CHOICES:
            raise ConfigError(f"Unknown output type: {value}")
        return str(value)

    def region_or_default(self) -> str:
        region = self.aws.default_region()
        if region:
            return region
        if self.use_sandbox:
            return "us-east-1"  # a newcomer's sandbox needs no configuration at all
        return self.aws.require_region()

    def emit_text_page(self, page: Any) -> None:
        """One page of a paginated result in ``--output text`` (with ``--query`` applied)."""
        from macie_members.output import format_text

        if self.query is not None:
            page = apply_query(self.query, page)
        text = format_text(page)
        if text:
            click.echo(text, nl=False)

    def _csv(self, data: Any, operation: str) -> str:
        from macie_members import csvout

        if operation == "ListMembers" and isinstance(data, dict):
            if "regions" in data:
                return csvout.regions_members_csv(data["regions"])
            return csvout.members_csv(data.get("members", []))
        raise InputError("--output csv is available for list-members and status only.")

    def color_enabled(self, stream: Any) -> bool:
        if self.color == "on":
            return True
        if self.color == "off" or "NO_COLOR" in os.environ:
            return False
        isatty = getattr(stream, "isatty", None)
        return bool(isatty and isatty())

    # ----------------------------------------------------------------- sandbox

    def enter_sandbox(self) -> None:
        """Start the embedded sandbox (``--sandbox``) once, for the rest of the command."""
        if not self.use_sandbox or self._sandbox_stack is not None:
            return
        from pathlib import Path

        from macie_members.sandbox import embedded_sandbox

        stack = contextlib.ExitStack()
        path = self.sandbox_state or os.environ.get("MACIE_MEMBERS_SANDBOX_STATE")
        stack.enter_context(embedded_sandbox(Path(path).expanduser() if path else None))
        self._sandbox_stack = stack

    def close(self) -> None:
        if self._sandbox_stack is not None:
            stack, self._sandbox_stack = self._sandbox_stack, None
            stack.close()

    def client(self, region: str | None = None) -> BaseClient:
        self.enter_sandbox()
        return self.aws.client("macie2", region or self.region_or_default())

    # ----------------------------------------------------------------- output

    def emit(self, data: Any, *, operation: str) -> None:
        """Print a response (or a ``--query`` of it) in the chosen output format."""
        from macie_members.output import render

        output = self.output_format()
        if output == "csv":
            if self.query is not None:
                raise InputError("--query can't be combined with --output csv: use --output json or text.")
            click.echo(self._csv(data, operation), nl=False)
            return
        if self.query is not None:
            data = apply_query(self.query, data)
        if isinstance(data, dict) and not data and self.query is None:
            return
        stdout = click.get_text_stream("stdout")
        color = output == "table" and self.color_enabled(stdout)
        text = render(data, output=output, operation=operation, width=terminal_width(), color=color)
        if text:
            # click.echo strips ANSI styles off a terminal unless told otherwise (--color on).
            click.echo(text, nl=False, color=True if color else None)


def apply_query(expression: str, data: Any) -> Any:
    import jmespath

    from macie_members.output import strip_metadata

    if isinstance(data, dict):
        data = strip_metadata(data)
    try:
        return jmespath.search(expression, data)
    except jmespath.exceptions.JMESPathError as exc:
        raise InputError(f"Bad value for --query {expression}: {exc}") from None


def compile_query(expression: str) -> None:
    import jmespath

    try:
        jmespath.compile(expression)
    except jmespath.exceptions.JMESPathError as exc:
        raise click.BadParameter(f"Bad value for --query {expression}: {exc}") from None


def terminal_width() -> int:
    stream = sys.stdout
    if stream.isatty():
        with contextlib.suppress(OSError):
            columns = os.get_terminal_size(stream.fileno()).columns
            if columns > 0:  # a pty with no size set (docker -t, CI) reports 0 columns
                return columns
    return 80


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


def complete_files(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[Any]:
    from click.shell_completion import CompletionItem

    return [CompletionItem(incomplete, type="file")]


def complete_choices(*choices: str) -> Callable[[click.Context, click.Parameter, str], list[Any]]:
    def complete(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[Any]:
        from click.shell_completion import CompletionItem

        return [CompletionItem(c) for c in choices if c.startswith(incomplete)]

    return complete


def get_app(ctx: click.Context) -> App:
    return ctx.ensure_object(App)


def _store(ctx: click.Context, param: click.Parameter, value: Any) -> Any:
    name = param.name or ""
    # Unset options (None) and unset flags (False) must not overwrite a value given before the
    # command name; click 8.4 does not report a source for unexposed parameters.
    if value is None or value is False:
        return value
    if name == "query" and value is not None:
        compile_query(value)
    setattr(get_app(ctx), name, value)
    return value


def _print_version(ctx: click.Context, param: click.Parameter, value: bool) -> None:
    if not value or ctx.resilient_parsing:
        return
    import platform

    click.echo(
        f"macie-members/{__version__} Python/{platform.python_version()} "
        f"{platform.system()}/{platform.release()}"
    )
    ctx.exit(0)


def _positive_int_or_zero(ctx: click.Context, param: click.Parameter, value: Any) -> Any:
    if value is not None and value < 0:
        raise click.BadParameter("must be 0 (blocking) or a positive number of seconds")
    return _store(ctx, param, value)


GLOBAL_OPTIONS: list[Callable[[F], F]] = [
    click.option("--region", metavar="REGION", expose_value=False, callback=_store,
                 shell_complete=complete_regions,
                 help="The Region to use (default: AWS_REGION, AWS_DEFAULT_REGION, the profile's region)."),
    click.option("--profile", metavar="NAME", expose_value=False, callback=_store,
                 help="A named profile from your AWS configuration (default: AWS_PROFILE)."),
    click.option("--endpoint-url", metavar="URL", expose_value=False, callback=_store,
                 help="Send macie2 requests to this URL (default: AWS_ENDPOINT_URL_MACIE2, AWS_ENDPOINT_URL)."),
    click.option("--output", type=click.Choice(OUTPUT_CHOICES), expose_value=False, callback=_store,
                 help="Output format (default: AWS_DEFAULT_OUTPUT, the profile's output, json)."),
    click.option("--query", metavar="JMESPATH", expose_value=False, callback=_store,
                 help="A JMESPath query to apply to the result."),
    click.option("--debug", is_flag=True, default=False, expose_value=False, callback=_store,
                 help="Log requests and responses to stderr (secrets redacted) and show tracebacks."),
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
                 help="Colour in table output (auto: only on a terminal, and never with NO_COLOR)."),
    click.option("--no-cli-pager", is_flag=True, default=False, expose_value=False, callback=_store,
                 help="Accepted for compatibility with AWS CLI v2; output is never paged."),
    click.option("--sandbox", is_flag=True, default=False, expose_value=False, callback=_store,
                 help=f"Run against the local sandbox instead of AWS (also: {SANDBOX_ENV}=1)."),
    click.option("--sandbox-state", metavar="PATH", expose_value=False, callback=_store,
                 shell_complete=complete_files,
                 help="The sandbox's state file (default: MACIE_MEMBERS_SANDBOX_STATE, "
                      "~/.local/state/macie-members/sandbox.json)."),
    click.option("--version", is_flag=True, expose_value=False, is_eager=True, callback=_print_version,
                 help="Show the version and exit."),
]


def global_options(func: F) -> F:
    for option in reversed(GLOBAL_OPTIONS):
        func = option(func)
    return func


@contextlib.contextmanager
def debug_logging(app: App) -> Iterator[None]:
    if not app.debug:
        yield
        return
    from macie_members import debuglog

    handler = debuglog.enable(sys.stderr)
    try:
        yield
    finally:
        debuglog.disable(handler)
