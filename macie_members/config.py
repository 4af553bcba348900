"""The run's configuration: resolved once, after parsing and before any client exists, then frozen.

:func:`resolve` turns what the command line said (:class:`GlobalSettings`, :class:`RunOptions`)
plus the environment and the AWS configuration files into one :class:`RunConfig`. Nothing
changes it afterwards: the run session, the clients, the planners and the renderer all read
the same values, so a promise made by an option holds in every mode.

Precedence is the AWS CLI's (v2 where v1 and v2 differ): an option, then the environment, then
the profile, then the default.

==================  ===========================================================================
Region              ``--region``, ``AWS_REGION``, ``AWS_DEFAULT_REGION``, the profile's ``region``
                    (the sandbox: us-east-1); ``--regions``/``--all-regions`` for several
output              ``--output``, ``AWS_DEFAULT_OUTPUT``, the profile's ``output``, ``json``
retry mode          ``AWS_RETRY_MODE``, the profile's ``retry_mode``, ``standard``
max attempts        ``AWS_MAX_ATTEMPTS``, the profile's ``max_attempts``, else 3 for a command
                    that sends one request (5 in legacy mode) and 8 per request in a bulk run
colour              ``--color on|off``, then ``NO_COLOR`` (when not empty: off) and ``TERM=dumb``
                    (off), then whether the stream is a terminal; a drop-in command's table:
                    the AWS CLI's rule, ``on``, or ``auto`` and stdout a terminal
width               the terminal's width, else ``COLUMNS``, else 80; a drop-in command's table:
                    the AWS CLI's rule, the terminal's width (0 if it has none), else 80
concurrency         ``--max-concurrency``, else 16 requests in flight per Region, at most 64
==================  ===========================================================================

Configuration errors (an unknown profile, a configuration file that does not parse, a retry
mode or a number of attempts that is not valid, an unknown output type) are :class:`ConfigError`
(exit 253) with one line, before anything is sent.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from macie_members.domain import REGION_RE, RegionCatalog, parse_regions, region_problem
from macie_members.environment import OUTPUTS, SANDBOX_ENV, SANDBOX_STATE_ENV
from macie_members.errors import ConfigError, InputError

RETRY_MODES = ("legacy", "standard", "adaptive")
PER_REGION_CONCURRENCY = 16
MAX_DEFAULT_CONCURRENCY = 64
BULK_ATTEMPTS = 8
SANDBOX_REGION = "us-east-1"
CSV_KEYS = {"ListMembers": "members", "ListInvitations": "invitations", "GetMember": "member",
            "GetAdministratorAccount": "administrator"}
"""The drop-in answers that have a CSV form, and where their rows are."""
_NO_REGION = 'You must specify a region. You can also configure your region by running "aws configure".'


@dataclass(frozen=True)
class GlobalSettings:
    """The global options as given on the command line (``None``: not given)."""

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
    sandbox: bool = False
    sandbox_state: str | None = None
    lock_timeout: float = 600
    no_sign_request: bool = False  # AWS CLI v2: requests go unsigned, no credentials are loaded
    cli_binary_format: str | None = None  # AWS CLI v2: accepted; no membership command has binary data


@dataclass(frozen=True)
class RunOptions:
    """The command's own run options (``--regions``, ``--report``...) and what it is."""

    regions: tuple[str, ...] = ()
    all_regions: bool = False
    max_concurrency: int | None = None
    report: str | None = None
    dry_run: bool = False
    yes: bool = False
    no_progress: bool = False
    bulk: bool = False  # the command works on many (Region, account) pairs: result records
    records: bool = False  # the command produces result records (--report is allowed)
    csv: bool = False  # the command's documents have a CSV form
    needs_aws: bool = True  # False for --generate-cli-skeleton: no Region or credentials needed
    table_on_terminal: bool = False  # no output configured: a table when stdout is a terminal (status)
    # The sandbox server a `sandbox` command drives (checked to be one: flows/steps.which_sandbox):
    # every client of the run goes there, STS too, so that nothing of it reaches AWS.
    sandbox_server: str | None = None


@dataclass(frozen=True)
class Terminal:
    """What the process's standard streams are (read once; tests pass their own)."""

    stdout_tty: bool = False
    stderr_tty: bool = False
    stdin_tty: bool = False
    width: int | None = None  # the terminal's columns, when stdout is one

    @classmethod
    def detect(cls) -> Terminal:
        import sys

        def isatty(stream: Any) -> bool:
            try:
                return bool(stream is not None and stream.isatty())
            except (ValueError, OSError):
                return False

        width = None
        if isatty(sys.stdout):
            try:
                width = os.get_terminal_size(sys.stdout.fileno()).columns or None
            except (OSError, ValueError):
                width = None  # a pty with no size (docker -t, CI) reports 0 columns
        return cls(isatty(sys.stdout), isatty(sys.stderr), isatty(sys.stdin), width)


@dataclass(frozen=True)
class RetryPolicy:
    mode: str = "standard"
    max_attempts: int | None = None  # configured; None: the default for the kind of run

    def attempts(self, *, bulk: bool) -> int:
        if self.max_attempts is not None:
            return self.max_attempts
        if bulk:
            return BULK_ATTEMPTS
        return 5 if self.mode == "legacy" else 3


@dataclass(frozen=True)
class RunConfig:
    # AWS
    profile: str | None = None
    region: str | None = None  # the default Region
    regions: tuple[str, ...] = ()  # the Regions the command runs in (to probe, with all_regions)
    all_regions: bool = False
    endpoint_url: str | None = None
    sandbox_server: str | None = None  # every service's endpoint (RunOptions.sandbox_server)
    verify: bool | str | None = None
    read_timeout: float | None = 60.0
    connect_timeout: float | None = 60.0
    retry: RetryPolicy = field(default_factory=RetryPolicy)
    sandbox: bool = False
    sandbox_state: Path | None = None
    lock_timeout: float = 600.0  # seconds a mutating run waits for another run's lock (0: not at all)
    # output
    output: str = "json"
    query: str | None = None
    no_paginate: bool = False
    color: bool = False  # colour in tables on stdout
    stderr_color: bool = False  # colour in progress bars on stderr
    width: int = 80
    # a drop-in command's --output table: the AWS CLI's rules (macie_members/render/aws_table.py)
    aws_table_width: int = 80
    aws_table_color: bool = False
    progress: bool = False
    debug: bool = False
    unsigned: bool = False  # --no-sign-request
    # the run
    bulk: bool = False
    max_concurrency: int = PER_REGION_CONCURRENCY
    report: str | None = None
    dry_run: bool = False
    yes: bool = False
    interactive: bool = False  # a person can answer a prompt (stdin and stderr are terminals)

    @property
    def attempts(self) -> int:
        return self.retry.attempts(bulk=self.bulk)

    def require_regions(self) -> tuple[str, ...]:
        if not self.regions:
            raise ConfigError(_NO_REGION)
        return self.regions


def truthy(value: str | None) -> bool:
    return (value or "").strip().lower() in ("1", "true", "yes", "on")


def query_problem(expression: str) -> str | None:
    """Why ``--query`` is not a JMESPath expression (``None`` when it is one): checked while the
    command line is parsed, before anything else."""
    import jmespath

    try:
        jmespath.compile(expression)
    except jmespath.exceptions.JMESPathError as exc:
        return f"Bad value for --query {expression}: {exc}"
    return None


def configured_endpoint(settings: GlobalSettings, environ: Mapping[str, str],
                        profile: Mapping[str, Any]) -> str | None:
    """The macie2 endpoint the AWS CLI would use, or ``None``: the option, ``AWS_ENDPOINT_URL_MACIE2``,
    ``AWS_ENDPOINT_URL``, the profile's ``endpoint_url`` (not when ignore_configured_endpoint_urls
    is ``true``, as botocore; a ``services`` section is botocore's alone: docs/sandbox.md)."""
    if settings.endpoint_url:
        return settings.endpoint_url
    ignore = environ.get("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS") or profile.get("ignore_configured_endpoint_urls")
    if str(ignore or "").strip().lower() == "true":  # botocore's ensure_boolean
        return None
    found = environ.get("AWS_ENDPOINT_URL_MACIE2") or environ.get("AWS_ENDPOINT_URL") or profile.get("endpoint_url")
    return str(found) if found else None


def wants_sandbox(settings: GlobalSettings, environ: Mapping[str, str]) -> bool:
    """``--sandbox`` or ``MACIE_MEMBERS_SANDBOX``: the run talks to the embedded sandbox."""
    return settings.sandbox or truthy(environ.get(SANDBOX_ENV))


def check_options(options: RunOptions, settings: GlobalSettings | None = None) -> None:
    """The run options that contradict each other, refused before anything is opened."""
    if settings is not None and settings.no_sign_request and options.bulk:
        raise InputError("--no-sign-request can't be used here: this command acts for the caller's account "
                         "(it reads its identity or its inventory first); use it with a one-request command.")
    if options.report is not None and not options.records:
        raise InputError("--report: this command produces no result records to write (use --output json > FILE).")
    if options.dry_run and options.report is not None:
        raise InputError("--report can't be combined with --dry-run: a dry run sends nothing and records nothing.")
    if parse_regions(options.regions) and options.all_regions:
        raise InputError("Give either --regions or --all-regions, not both.")
    if settings is not None and settings.region and (options.regions or options.all_regions):  # else ignored
        raise InputError(f"--region can't be used with {'--regions' if options.regions else '--all-regions'}: drop --region.")


def resolve(
    settings: GlobalSettings,
    options: RunOptions,
    *,
    profile: Mapping[str, Any],
    catalog: RegionCatalog,
    environ: Mapping[str, str] | None = None,
    terminal: Terminal | None = None,
) -> RunConfig:
    """The run's configuration, from the command line, the environment, the profile's values
    (``profile``: botocore's scoped configuration) and the Region catalog. Pure: the botocore
    session is opened by the caller (:func:`macie_members.run.session.open_run`)."""
    env = os.environ if environ is None else environ
    term = Terminal.detect() if terminal is None else terminal
    check_options(options, settings)
    sandbox = wants_sandbox(settings, env)
    output = _resolve_output(settings, options, env, profile, term)
    region = settings.region or env.get("AWS_REGION") or env.get("AWS_DEFAULT_REGION") or profile.get("region")
    if not region and sandbox:
        region = SANDBOX_REGION
    endpoint = configured_endpoint(settings, env, profile)
    run_regions = _run_regions(settings, options, str(region) if region else None, catalog,
                               any_region=bool(endpoint) and not sandbox)
    concurrency = options.max_concurrency
    if concurrency is None:
        concurrency = min(MAX_DEFAULT_CONCURRENCY, PER_REGION_CONCURRENCY * max(1, len(run_regions)))
    # auto: a terminal, but not when NO_COLOR is set (not empty) nor on a dumb terminal
    no_color = bool(env.get("NO_COLOR", "")) or env.get("TERM") == "dumb"
    state = settings.sandbox_state or env.get(SANDBOX_STATE_ENV)
    return RunConfig(
        profile=settings.profile,
        region=str(region) if region else None,
        regions=run_regions,
        all_regions=options.all_regions,
        endpoint_url=None if sandbox else settings.endpoint_url,
        sandbox_server=None if sandbox else options.sandbox_server,
        verify=_verify(settings),
        read_timeout=_timeout(settings.cli_read_timeout),
        connect_timeout=_timeout(settings.cli_connect_timeout),
        retry=_retry_policy(env, profile),
        sandbox=sandbox,
        sandbox_state=Path(state).expanduser() if state else None, lock_timeout=float(settings.lock_timeout),
        output=output,
        query=settings.query,
        no_paginate=settings.no_paginate,
        color=_color(settings.color, no_color, term.stdout_tty),
        stderr_color=_color(settings.color, no_color, term.stderr_tty),
        width=term.width or _columns(env) or 80,
        aws_table_width=aws_table_width(term),
        aws_table_color=settings.color == "on" or (settings.color == "auto" and term.stdout_tty),
        progress=not options.no_progress and term.stderr_tty,
        debug=settings.debug,
        unsigned=settings.no_sign_request,
        bulk=options.bulk or options.all_regions or len(run_regions) > 1,
        max_concurrency=concurrency,
        report=options.report,
        dry_run=options.dry_run,
        yes=options.yes,
        interactive=term.stdin_tty and term.stderr_tty,
    )


def _resolve_output(settings: GlobalSettings, options: RunOptions, env: Mapping[str, str],
                    profile: Mapping[str, Any], term: Terminal) -> str:
    output = _output(settings.output, env, profile)
    configured = settings.output or env.get("AWS_DEFAULT_OUTPUT") or profile.get("output")
    if options.table_on_terminal and not configured and term.stdout_tty:
        output = "table"  # no output chosen anywhere (option, environment, profile): a person reads it
    if output == "csv" and not options.csv:
        raise InputError("--output csv is available for list-members, list-invitations, get-member, "
                         "get-administrator-account, status, dry runs and result records only.")
    if output == "csv" and settings.query is not None:
        raise InputError("--query can't be combined with --output csv: use --output json or text.")
    return output


def _run_regions(settings: GlobalSettings, options: RunOptions, region: str | None,
                 catalog: RegionCatalog, *, any_region: bool = False) -> tuple[str, ...]:
    """The Regions the command runs in, each checked against the catalog. With an explicit
    endpoint URL (``any_region``) any Region name will do: a Region that launches before
    botocore lists it must stay usable, and the endpoint is not botocore's anyway."""

    def problem_of(name: str) -> str | None:
        if any_region:
            return None if REGION_RE.fullmatch(name) else f"{name!r} is not a Region name (like us-east-1)."
        return region_problem(name, catalog.offered, catalog.known)

    regions = parse_regions(options.regions)
    problems = [f"Invalid value for --regions: {p}" for r in regions if (p := problem_of(r))]
    if problems:
        raise InputError("\n".join(problems))
    if options.needs_aws and region and not options.all_regions and not regions \
            and (problem := problem_of(region)):
        if settings.region:
            raise InputError(f"Invalid value for --region: {problem}")
        raise ConfigError(f"The Region configured (AWS_REGION, AWS_DEFAULT_REGION or the profile): {problem}")
    if options.all_regions:
        run_regions: tuple[str, ...] = tuple(sorted(catalog.available))
    elif regions:
        run_regions = tuple(regions)
    else:
        run_regions = (region,) if region else ()
    if options.needs_aws and not run_regions:
        raise ConfigError(_NO_REGION)
    return run_regions


def _verify(settings: GlobalSettings) -> bool | str | None:
    if settings.no_verify_ssl:
        return False
    return settings.ca_bundle or None


def aws_table_width(term: Terminal) -> int:
    """The AWS CLI's table width: what ``ioctl(stdout, TIOCGWINSZ)`` reports on a terminal (0 for
    a terminal without a size), else 80 -- a pipe, a file, and Windows, where the AWS CLI has no
    ``fcntl``. ``COLUMNS`` is not read."""
    if not term.stdout_tty or os.name == "nt":
        return 80
    return term.width or 0


def _color(choice: str, no_color: bool, tty: bool) -> bool:
    return choice == "on" or (choice == "auto" and not no_color and tty)


def _output(option: str | None, env: Mapping[str, str], scoped: Mapping[str, Any]) -> str:
    if option:
        return option
    value = env.get("AWS_DEFAULT_OUTPUT") or scoped.get("output") or "json"
    if value not in OUTPUTS:
        raise ConfigError(f"Unknown output type: {value}")
    return str(value)


def _retry_policy(env: Mapping[str, str], scoped: Mapping[str, Any]) -> RetryPolicy:
    mode, mode_source = env.get("AWS_RETRY_MODE"), "AWS_RETRY_MODE"
    if not mode:
        mode, mode_source = scoped.get("retry_mode"), "retry_mode in the AWS config file"
    mode = str(mode or "standard")
    if mode not in RETRY_MODES:
        raise ConfigError(f"Invalid retry mode {mode!r} ({mode_source}): use legacy, standard or adaptive.")
    attempts, attempts_source = env.get("AWS_MAX_ATTEMPTS"), "AWS_MAX_ATTEMPTS"
    if not attempts:
        attempts, attempts_source = scoped.get("max_attempts"), "max_attempts in the AWS config file"
    max_attempts = None
    if attempts:
        text = str(attempts).strip()
        if not (text.isascii() and text.isdigit()) or int(text) < 1:
            raise ConfigError(
                f"Invalid max attempts {str(attempts)!r} ({attempts_source}): use a whole number of 1 or more."
            )
        max_attempts = int(text)
    return RetryPolicy(mode, max_attempts)


def _timeout(value: int | None) -> float | None:
    if value is None:
        return 60.0
    return None if value == 0 else float(value)  # 0 means blocking, as in the AWS CLI


def _columns(env: Mapping[str, str]) -> int | None:
    value = env.get("COLUMNS", "")
    return int(value) if value.isascii() and value.isdigit() and int(value) > 0 else None
