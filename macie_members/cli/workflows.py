"""The workflow commands: onboard, offboard, accept-invitations, status.

They read the console CSV where they take accounts, work on one Region or many (``--regions``,
``--all-regions``), write result records and ``--report`` like the bulk commands, and have
``--plan`` / ``--dry-run``. The decisions are made in :mod:`macie_members.workflows`.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any

import click

from macie_members import validation
from macie_members.errors import ExitCode, InputError

from .app import App, complete_files, get_app, global_options, terminal_width
from .bulk import BulkOptions, bulk_options, confirm_destructive, read_targets, resolve_regions

if TYPE_CHECKING:
    from macie_members.bulk import BulkRun, Target
    from macie_members.fanout import Result


class _Session:
    """The parts every workflow shares: Regions, clients, report file, progress."""

    def __init__(self, app: App, options: BulkOptions) -> None:
        from macie_members.fanout import ReportWriter
        from macie_members.results_view import make_progress

        self.app, self.options = app, options
        app.max_pool_connections = max(app.max_pool_connections, options.pool_size())
        app.default_retry_mode = "standard"
        app.bulk_max_attempts = 1
        self.regions, self.skipped = resolve_regions(app, options)
        self.concurrency = options.resolve_concurrency(len(self.regions))
        self.report_stream = None
        if options.report:
            try:
                self.report_stream = open(options.report, "a", encoding="utf-8")  # noqa: SIM115
            except OSError as exc:
                raise InputError(f"Can't write the report file {options.report}: {exc.strerror or exc}") from None
        self.writer = ReportWriter(self.report_stream)
        self.progress = make_progress(not options.no_progress and sys.stderr.isatty())
        self.results: list[Result] = list(self.skipped)
        for result in self.skipped:
            self.writer.write(result)

    def on_result(self, result: Result) -> None:
        self.writer.write(result)
        self.progress.advance(result.region)

    def bulk_run(self) -> BulkRun:
        from macie_members.bulk import BulkRun

        self.app.enter_sandbox()
        return BulkRun(self.app.aws, self.regions, max_concurrency=self.concurrency,
                       on_result=self.on_result)

    def finish(self, extra: list[Result]) -> None:
        from macie_members.results_view import render_results

        self.progress.stop()
        if self.report_stream is not None:
            self.report_stream.close()
        self.results.extend(extra)
        output = self.app.output_format()
        stdout = click.get_text_stream("stdout")
        click.echo(render_results(self.results, output=output, width=terminal_width(),
                                  color=output == "table" and self.app.color_enabled(stdout)), nl=False)
        if any(r.outcome == "failed" for r in self.results):
            raise click.exceptions.Exit(ExitCode.SERVICE)


def _targets(accounts_file: str | None, account_ids: tuple[str, ...], *, require_email: bool) -> list[Target]:
    from macie_members.bulk import Target

    if accounts_file and account_ids:
        raise InputError("Give either an accounts file or --account-ids, not both.")
    if accounts_file:
        return read_targets(accounts_file, require_email=require_email)
    ids = [i for value in account_ids for i in value.replace(",", " ").split()]
    if not ids:
        raise click.UsageError("Give the accounts: a CSV file (Account ID,Email) or --account-ids.")
    problems = [p for p in (validation.account_id_problem("accountIds", i) for i in ids) if p]
    if problems:
        raise validation.ParameterCheckError(problems)
    return [Target(i) for i in dict.fromkeys(ids)]


def _file_or_ids(arguments: tuple[str, ...], account_ids: tuple[str, ...]) -> tuple[str | None, tuple[str, ...]]:
    """``--account-ids`` takes space-separated values as in the AWS CLI: the values after the
    first one arrive as arguments. Without ``--account-ids``, the one argument is the CSV."""
    if account_ids:
        return None, account_ids + arguments
    if len(arguments) > 1:
        raise click.UsageError(f"Expected one accounts file, got: {' '.join(arguments)}")
    return (arguments[0] if arguments else None), ()


@click.command(
    "onboard",
    epilog="""\b
Examples:
  macie-members onboard accounts.csv --regions us-east-1,eu-west-1 --plan
  macie-members onboard accounts.csv --all-regions --disable-email-notification --report onboard.jsonl
  macie-members onboard accounts.csv --wait --timeout 600""",
)
@click.argument("accounts_csv", metavar="ACCOUNTS.csv", shell_complete=complete_files)
@click.option("--message", metavar="TEXT", help="A message for the invitations (at most 80 characters).")
@click.option("--disable-email-notification/--no-disable-email-notification", default=None,
              help="Do not (or do) send the invitations by email.")
@click.option("--plan", "plan_only", is_flag=True, default=False,
              help="Print what would happen per Region (reads only) and send nothing.")
@click.option("--wait", is_flag=True, default=False,
              help="After inviting, wait until each invited account is Invited or Enabled (or failed).")
@click.option("--timeout", type=click.FloatRange(0), default=300.0, show_default=True,
              help="Seconds --wait waits at most.")
@bulk_options(accounts_file=False)
@global_options
@click.pass_context
def onboard(
    ctx: click.Context,
    /,
    accounts_csv: str,
    message: str | None,
    disable_email_notification: bool | None,
    plan_only: bool,
    wait: bool,
    timeout: float,
    **bulk: Any,
) -> None:
    """Bring each Region's inventory in line with a console CSV: add, invite, fix.

    Lists each Region's whole inventory first, adds missing accounts, invites accounts in
    Created, Removed or Resigned, leaves pending and member accounts alone, re-adds accounts
    whose email failed verification when the file has another email (and reports them
    otherwise). Running it twice on the same file sends no mutating request the second time.
    """
    from macie_members.results_view import render_plan
    from macie_members.workflows import execute_onboarding, plan_onboarding, wait_for_invitations

    app = get_app(ctx)
    options = BulkOptions(**bulk)
    if message is not None:
        validation.check_create_invitations({"message": message})
    targets = _targets(accounts_csv, (), require_email=True)
    if options.dry_run:
        plan_only = True
    session = _Session(app, options)
    run = session.bulk_run()
    plans = plan_onboarding(run, targets)
    if plan_only:
        session.progress.stop()
        click.echo(render_plan(plans, output=app.output_format()), nl=False)
        return
    from macie_members.workflows import quota_problems

    problems = quota_problems(plans)
    if problems:
        raise InputError("Refusing to exceed the member quota; nothing was sent:\n" + "\n".join(problems))
    session.progress.start({region: len(targets) for region in session.regions})
    results = execute_onboarding(run, plans, disable_email_notification=disable_email_notification, message=message)
    if wait:
        results += wait_for_invitations(
            run, [r for r in results if r.action in ("add", "invite", "re-add")], timeout=timeout
        )
    session.finish(results)


@click.command(
    "offboard",
    epilog="""\b
Examples:
  macie-members offboard leavers.csv --regions us-east-1,eu-west-1 --yes
  macie-members offboard --account-ids 111111111111 222222222222 --all-regions --dry-run""",
)
@click.argument("arguments", nargs=-1, metavar="[ACCOUNTS.csv]", shell_complete=complete_files)
@click.option("--account-ids", multiple=True, metavar="ID...", help="Account ids (space- or comma-separated, repeatable).")
@bulk_options(accounts_file=False)
@global_options
@click.pass_context
def offboard(ctx: click.Context, /, arguments: tuple[str, ...], account_ids: tuple[str, ...], **bulk: Any) -> None:
    """Disassociate members, then delete their associations, in each Region.

    Accounts already gone are skipped, so a rerun finishes an interrupted run.
    """
    from macie_members.bulk import dry_run_requests
    from macie_members.results_view import render_dry_run
    from macie_members.workflows import plan_offboard

    app = get_app(ctx)
    options = BulkOptions(**bulk)
    accounts_csv, account_ids = _file_or_ids(arguments, account_ids)
    targets = _targets(accounts_csv, account_ids, require_email=False)
    regions, _ = resolve_regions(app, options)
    confirm_destructive("offboard", targets, regions, options)
    if options.dry_run:
        import itertools

        requests = itertools.chain(dry_run_requests("disassociate-member", regions, targets),
                                   dry_run_requests("delete-member", regions, targets))
        for piece in render_dry_run(requests, output=app.output_format()):
            click.echo(piece, nl=False)
        return
    session = _Session(app, options)
    run = session.bulk_run()
    session.progress.start({region: len(targets) for region in session.regions})
    session.finish(run.execute("offboard", targets, plan_offboard))


@click.command(
    "accept-invitations",
    epilog="""\b
Examples:
  macie-members accept-invitations --role-name OrganizationAccountAccessRole --accounts-file accounts.csv
  macie-members accept-invitations --role-name MacieAccept --account-ids 111111111111 --regions us-east-1,eu-west-1 --enable-macie""",
)
@click.option("--role-name", required=True, metavar="ROLE", help="The role to assume in each member account.")
@click.option("--accounts-file", metavar="CSV", shell_complete=complete_files, help="The member accounts (Account ID column).")
@click.option("--account-ids", multiple=True, metavar="ID...", help="Member account ids (space- or comma-separated, repeatable).")
@click.option("--enable-macie", is_flag=True, default=False, help="Enable Macie in member accounts where it is not enabled.")
@bulk_options(accounts_file=False)
@global_options
@click.argument("more_ids", nargs=-1, metavar="")
@click.pass_context
def accept_invitations(
    ctx: click.Context,
    /,
    more_ids: tuple[str, ...],
    role_name: str,
    accounts_file: str | None,
    account_ids: tuple[str, ...],
    enable_macie: bool,
    **bulk: Any,
) -> None:
    """Accept, as each member account, the invitation your account sent (member side).

    With your (the administrator's) credentials, assumes arn:PARTITION:iam::MEMBER:role/ROLE in
    each member account and accepts the pending invitation from your account, never another
    sender's. Roles that can't be assumed and accounts without Macie are failed results.
    """
    from macie_members.workflows import accept_invitations as accept

    app = get_app(ctx)
    options = BulkOptions(**bulk)
    if more_ids and not account_ids:
        raise click.UsageError(f"Unexpected arguments: {' '.join(more_ids)}")
    targets = _targets(accounts_file, account_ids + more_ids, require_email=False)
    if options.dry_run:
        from macie_members.bulk import PlannedRequest
        from macie_members.results_view import render_dry_run

        regions, _ = resolve_regions(app, options)
        role = f"arn:PARTITION:iam::{{account}}:role/{role_name}"
        requests = [PlannedRequest(regions[0], "sts:AssumeRole", {"RoleArn": role.format(account=t.account_id)})
                    for t in targets]
        requests += [PlannedRequest(region, "AcceptInvitation", {"memberAccountId": t.account_id})
                     for t in targets for region in regions]
        for piece in render_dry_run(requests, output=app.output_format()):
            click.echo(piece, nl=False)
        return
    session = _Session(app, options)
    session.app.enter_sandbox()
    session.progress.start({region: len(targets) for region in session.regions})
    results = accept(app.aws, session.regions, [t.account_id for t in targets], role_name=role_name,
                     enable_macie=enable_macie, max_concurrency=session.concurrency,
                     on_result=session.on_result)
    session.finish(results)


@click.command(
    "status",
    epilog="""\b
Examples:
  macie-members status --regions us-east-1,eu-west-1
  macie-members status --all-regions --accounts-file accounts.csv --output csv > status.csv""",
)
@click.option("--accounts-file", metavar="CSV", shell_complete=complete_files,
              help="Report these accounts (and those missing from a Region's inventory).")
@bulk_options(accounts_file=False, mutating=False)
@global_options
@click.pass_context
def status(ctx: click.Context, /, accounts_file: str | None, **bulk: Any) -> None:
    """An account x Region matrix of relationship statuses, with counts and what needs attention.

    A table (a colour per status on a terminal), or --output json, csv or text. Needs attention:
    EmailVerificationFailed, Resigned, Removed, RegionDisabled, AccountSuspended, and accounts of
    the file missing from a Region's inventory.
    """
    from macie_members.results_view import render_status
    from macie_members.workflows import build_status

    app = get_app(ctx)
    options = BulkOptions(**bulk)
    targets = read_targets(accounts_file, require_email=False) if accounts_file else None
    session = _Session(app, options)
    report = build_status(session.bulk_run(), targets)
    output = app.output if app.output else ("table" if sys.stdout.isatty() else app.output_format())
    stdout = click.get_text_stream("stdout")
    click.echo(render_status(report, output=output, width=terminal_width(),
                             color=output == "table" and app.color_enabled(stdout)), nl=False)
    if report.errors:
        raise click.exceptions.Exit(ExitCode.SERVICE)


COMMANDS = [onboard, offboard, accept_invitations, status]
