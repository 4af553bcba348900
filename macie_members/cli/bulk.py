"""Bulk mode of the member commands: ``--regions``, ``--all-regions``, ``--accounts-file``.

With one Region and no file, a command behaves exactly as ``aws macie2``. With several
Regions, ``--all-regions`` or ``--accounts-file``, it fans out and prints result records
(schema: :mod:`macie_members.fanout`), appends them to ``--report`` as they complete, and exits
0 when nothing failed, 254 when something failed (the rest is still done), 130 on Ctrl-C (after
the requests in flight have finished and been reported).

Safety: ``--dry-run`` validates, resolves Regions and prints the requests it would send
(without reading the inventory, so without skipping anything), and sends nothing. Bulk
destructive actions (``--status PAUSED``, disassociate-member, delete-member on more than one
account or Region) ask for confirmation on a terminal and need ``--yes`` otherwise.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import click

from macie_members.errors import ExitCode, InputError

from .app import App, complete_files, complete_regions, terminal_width

if TYPE_CHECKING:
    from macie_members.bulk import Target
    from macie_members.fanout import Result

PER_REGION_CONCURRENCY = 16
MAX_DEFAULT_CONCURRENCY = 64
REGION_RE = re.compile(r"[a-z]{2}(-[a-z]+)+-\d+")
DESTRUCTIVE = {"disassociate-member", "delete-member"}


@dataclass
class BulkOptions:
    regions: tuple[str, ...] = ()
    all_regions: bool = False
    accounts_file: str | None = None
    max_concurrency: int | None = None
    report: str | None = None
    dry_run: bool = False
    yes: bool = False
    no_progress: bool = False

    def region_list(self) -> list[str]:
        seen: dict[str, None] = {}
        for value in self.regions:
            for region in value.split(","):
                region = region.strip()
                if not region:
                    continue
                if not REGION_RE.fullmatch(region):
                    raise InputError(f"Invalid value for --regions: {region!r} is not a Region name (like us-east-1)")
                seen[region] = None
        return list(seen)

    def resolve_concurrency(self, regions: int) -> int:
        """``--max-concurrency``, or by default 16 requests in flight per Region, at most 64:
        each Region has its own quota, and a latency-bound run needs requests in flight."""
        if self.max_concurrency is None:
            self.max_concurrency = min(MAX_DEFAULT_CONCURRENCY, PER_REGION_CONCURRENCY * max(1, regions))
        return self.max_concurrency

    def pool_size(self) -> int:
        return self.max_concurrency or MAX_DEFAULT_CONCURRENCY

    def is_bulk(self) -> bool:
        return self.all_regions or self.accounts_file is not None or len(self.region_list()) > 1

    def wants_bulk(self) -> bool:
        """Bulk mode, or a --dry-run (which prints the request instead of sending it)."""
        return self.is_bulk() or self.dry_run

    def apply_single_region(self, app: App) -> None:
        """``--regions R`` with a single Region means ``--region R`` (AWS CLI output)."""
        regions = self.region_list()
        if len(regions) == 1:
            app.region = regions[0]


def bulk_options(*, accounts_file: bool = True, mutating: bool = True) -> Callable[[Any], Any]:
    def decorate(func: Any) -> Any:
        options = [
            click.option("--regions", multiple=True, metavar="R1,R2", shell_complete=complete_regions,
                         help="Run in these Regions (comma list, repeatable)."),
            click.option("--all-regions", is_flag=True, default=False,
                         help="Run in every Region where Macie is offered and enabled for the account."),
            click.option("--max-concurrency", type=click.IntRange(1, 256), default=None,
                         help="Requests in flight at once (default: 16 per Region, at most 64)."),
            click.option("--report", type=click.Path(dir_okay=False, writable=True), metavar="FILE",
                         help="Append one JSON line per result to FILE as it completes."),
            click.option("--no-progress", is_flag=True, default=False, help="No progress bar on stderr."),
        ]
        if accounts_file:
            options.append(click.option("--accounts-file", metavar="CSV", shell_complete=complete_files,
                                        help="Accounts from a CSV in the Macie console's format (Account ID,Email); - for stdin."))
        if mutating:
            options.append(click.option("--dry-run", is_flag=True, default=False,
                                        help="Validate and print the requests that would be sent; send nothing."))
            options.append(click.option("--yes", "-y", is_flag=True, default=False,
                                        help="Do not ask for confirmation of bulk destructive actions."))
        for option in reversed(options):
            func = option(func)
        return func

    return decorate


def read_targets(path: str, *, require_email: bool) -> list[Target]:
    from macie_members.accounts import read_accounts
    from macie_members.bulk import Target

    parsed = read_accounts(path, require_email=require_email)
    for warning in parsed.warnings:
        click.echo(f"warning: {warning}", err=True)
    return [Target(a.account_id, a.email) for a in parsed.accounts]


def resolve_regions(app: App, options: BulkOptions) -> tuple[list[str], list[Result]]:
    if options.all_regions:
        from macie_members.bulk import resolve_all_regions

        app.enter_sandbox()
        return resolve_all_regions(app.aws, probe=not options.dry_run)
    regions = options.region_list()
    if not regions:
        regions = [app.region_or_default()]
    return regions, []


def confirm_destructive(action: str, targets: Sequence[Target], regions: Sequence[str], options: BulkOptions) -> None:
    if options.dry_run or len(targets) * len(regions) <= 1 or options.yes:
        return
    what = f"{action} for {len(targets)} account(s) in {len(regions)} Region(s)"
    if sys.stdin.isatty() and sys.stderr.isatty():
        if not click.confirm(f"Run {what}?", default=False, err=True):
            raise click.exceptions.Abort()
        return
    raise InputError(f"Refusing to run {what} without confirmation: there is no terminal to ask; add --yes.")


def run_bulk(
    app: App,
    options: BulkOptions,
    action: str,
    targets: Sequence[Target],
    *,
    plan: Callable[..., Any],
    before_send: Callable[..., None] | None = None,
    dry_run_options: dict[str, Any] | None = None,
    destructive: bool = False,
) -> None:
    from macie_members.bulk import BulkRun, dry_run_requests
    from macie_members.fanout import ReportWriter
    from macie_members.results_view import make_progress, render_dry_run, render_results

    if not targets:
        raise InputError("No accounts to act on.")
    app.max_pool_connections = max(app.max_pool_connections, options.pool_size())
    # botocore makes one attempt per request here: the bulk layer's pacer and retries
    # (macie_members.bulk) see every throttled answer and slow the Region down instead.
    app.default_retry_mode = "standard"
    app.bulk_max_attempts = 1
    regions, region_results = resolve_regions(app, options)
    options.resolve_concurrency(len(regions))
    if destructive:
        confirm_destructive(action, targets, regions, options)
    output = app.output_format()
    if options.dry_run:
        requests = dry_run_requests(action, regions, targets, **(dry_run_options or {}))
        for piece in render_dry_run(requests, output=output):
            click.echo(piece, nl=False)
        return

    report_stream = None
    if options.report:
        try:
            report_stream = open(options.report, "a", encoding="utf-8")  # noqa: SIM115
        except OSError as exc:
            raise InputError(f"Can't write the report file {options.report}: {exc.strerror or exc}") from None
    writer = ReportWriter(report_stream)
    progress = make_progress(not options.no_progress and sys.stderr.isatty())
    results: list[Result] = list(region_results)
    for result in region_results:
        writer.write(result)

    def on_result(result: Result) -> None:
        writer.write(result)
        progress.advance(result.region)

    app.enter_sandbox()
    try:
        runner = BulkRun(app.aws, regions, max_concurrency=options.resolve_concurrency(len(regions)),
                         on_result=on_result)
        progress.start({region: len(targets) for region in regions})
        try:
            results.extend(runner.execute(action, targets, plan, before_send=before_send or (lambda inv: None)))
        finally:
            progress.stop()
    finally:
        if report_stream is not None:
            report_stream.close()
    stdout = click.get_text_stream("stdout")
    click.echo(
        render_results(results, output=output, width=terminal_width(),
                       color=output == "table" and app.color_enabled(stdout)),
        nl=False,
    )
    if any(r.outcome == "failed" for r in results):
        raise click.exceptions.Exit(ExitCode.SERVICE)


def list_members_in_regions(app: App, options: BulkOptions, only_associated: str) -> None:
    from macie_members.client import full_result
    from macie_members.errors import MacieMembersError
    from macie_members.fanout import WorkItem, run_items

    app.max_pool_connections = max(app.max_pool_connections, options.pool_size())
    # Listing across Regions: botocore's adaptive mode paces the paginator on throttling.
    app.default_retry_mode = "adaptive"
    regions, skipped = resolve_regions(app, options)
    concurrency = options.resolve_concurrency(len(regions))
    app.enter_sandbox()
    clients = {region: app.aws.client("macie2", region) for region in regions}
    found: dict[str, dict[str, Any]] = {}

    def lister(region: str) -> Callable[[], list[Result]]:
        def run() -> list[Result]:
            try:
                result = full_result(clients[region], "list_members", {"onlyAssociated": only_associated}, page_size=25)
                found[region] = {"region": region, "members": result.get("members", [])}
            except MacieMembersError as exc:
                found[region] = {"region": region, "errorCode": getattr(exc, "code", type(exc).__name__),
                                 "errorMessage": getattr(exc, "error_message", str(exc))}
            return []

        return run

    run_items([WorkItem(r, (), "list-members", lister(r)) for r in regions], max_concurrency=concurrency)
    document: dict[str, Any] = {"regions": [found[r] for r in regions]}
    if skipped:
        document["skippedRegions"] = [{"region": s.region, "reason": s.errorMessage} for s in skipped]
    app.emit(document, operation="ListMembers")
    if any("errorCode" in entry for entry in document["regions"]):
        raise click.exceptions.Exit(ExitCode.SERVICE)
