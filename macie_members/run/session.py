"""The run session: the one place that owns a run's resources and promises.

Every command that sends a request runs inside one :class:`RunSession`, built from the frozen
:class:`~macie_members.config.RunConfig`. It owns, for the whole run:

* ``--debug`` logging (every request and response, secrets redacted) and the embedded sandbox;
* the Regions (``--all-regions``: those enabled for the account; the others are skipped records);
* the typed clients, one per account and Region, each with its pacer;
* the reads: :meth:`RunSession.read_each` reads many items (Regions, accounts) at once under
  one failure rule, and every whole list is read with botocore's pagination
  (:meth:`~macie_members.aws.client.MacieClient.read_all`);
* the ``--report`` file, the progress bars, the records, and the exit code (254 when a record
  failed);
* Ctrl-C: the progress bars are stopped (the terminal restored), the report holds a record of
  every answered request, and :class:`~macie_members.errors.Interrupted` says in one line what
  was done and what was not (exit 130);
* the confirmation of a bulk plan with a destructive request (:meth:`RunSession.confirm`:
  ``--yes``; exit 252 without a terminal, exit 1 when declined).
* the run locks of a mutating run (:meth:`RunSession.hold_locks`, :mod:`macie_members.run.lock`).
"""

from __future__ import annotations

import contextlib
import os
import sys
import threading
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from types import TracebackType
from typing import TYPE_CHECKING, Any, TypeVar

from macie_members.aws.client import Ec2Client, MacieClient, StsClient
from macie_members.errors import (
    ConfigError,
    Declined,
    InputError,
    Interrupted,
    MacieMembersError,
    ReportError,
    code_and_message,
)
from macie_members.plan.model import LIST_PAGE_SIZE, Inventory, Job, Plan, fail
from macie_members.records import Ledger, ReportWriter, Result
from macie_members.render.renderer import NullProgress, Progress, Renderer
from macie_members.run.executor import Executor
from macie_members.run.signals import StopSignals

if TYPE_CHECKING:
    import botocore.session

    from macie_members.config import GlobalSettings, RunConfig, RunOptions, Terminal

ADMIN = ""  # the key of the run's own credentials among the clients

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class RunSession:
    def __init__(self, config: RunConfig, botocore_session: botocore.session.Session, *,
                 renderer: Renderer | None = None, confirm: Callable[[str], bool] | None = None) -> None:
        from macie_members.aws.clients import ClientFactory

        self.config = config
        self.factory = ClientFactory(config, botocore_session)
        self._caller_account: str | None = None
        self.renderer = renderer or Renderer(config)
        self.ledger = Ledger()
        self.stop = threading.Event()
        self.results: list[Result] = []
        self.report: ReportWriter | None = None
        self._confirm = confirm
        self._lock = threading.Lock()
        self._records_lock = threading.Lock()
        self._clients: dict[tuple[str, str, str], Any] = {}
        self._regions: list[str] | None = None
        self._progress: Progress = NullProgress()
        self._stack = contextlib.ExitStack()
        self.signals = StopSignals()
        self.renderer.finished = self.signals.finish  # the output is whole: no signal stops it now
        #: The title of the run's result document, set by a flow that produces records before it
        #: sends: an interrupted run prints the document of what was done (a drop-in sets none).
        self.results_title: str | None = None

    # -------------------------------------------------------------------- lifetime

    def __enter__(self) -> RunSession:
        self.signals.install()
        self._stack.callback(self.signals.restore)
        try:
            if self.config.debug:
                from macie_members.aws import debuglog

                handler = debuglog.enable(sys.stderr)
                self._stack.callback(debuglog.disable, handler)
            if self.config.report is not None:
                self.report = self._open_report(self.config.report)
                self._stack.callback(self.report.close)
            if self.config.sandbox:
                from macie_members.sandbox import embedded_sandbox

                self._stack.enter_context(embedded_sandbox(self.config.sandbox_state, timeout=self.config.lock_timeout,
                                                           say=self.renderer.note))
        except BaseException:
            self._stack.close()
            raise
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        if exc_type is None:
            self.signals.finish()  # done and printed: a signal now must not make it "interrupted"
        self._progress.stop()
        self.stop.set()
        self._stack.close()
        report = self.report
        if report is not None and report.written == 0 and self._report_created:
            with contextlib.suppress(OSError):  # nothing recorded (a declined prompt...): no empty file
                os.remove(report.path or "")
        if report is not None and report.error is not None:
            why = report.error.strerror or str(report.error)
            raise ReportError(f"Can't write the report file {report.path} ({why}): the run stopped. "
                              + self.ledger.interrupted_message(None).split(": ", 1)[1]) from None
        if exc_type is not None and issubclass(exc_type, KeyboardInterrupt):
            name = self.signals.name
            if self.results_title is not None:
                self.renderer.results(self.results, title=self.results_title, interrupted=name)
            raise Interrupted(self.ledger.interrupted_message(report, dropin=self.results_title is None), name) from None

    _report_created = False

    def _open_report(self, path: str) -> ReportWriter:
        """``--report``: appended to, so a rerun adds to the same file; a file that is there and
        is not a report (an accounts CSV given by mistake...) is refused."""
        if not os.path.exists(path):
            self._report_created = True
        elif os.path.isfile(path):  # not a device, a pipe...
            try:
                with open(path, encoding="utf-8", errors="replace") as existing:
                    first = existing.readline(4096)
            except OSError:
                first = ""
            if first.strip() and not first.lstrip().startswith("{"):
                raise InputError(f"Refusing to append records to {path}: it is not a report file (JSON lines).")
        try:
            stream = open(path, "a", encoding="utf-8")  # noqa: SIM115 - closed by the session
        except OSError as exc:
            raise InputError(f"Can't write the report file {path}: {exc.strerror or exc}") from None
        return ReportWriter(stream, path)

    # --------------------------------------------------------------------- clients

    def _client(self, kind: str, account: str, region: str, credentials: Mapping[str, str] | None = None) -> Any:
        key = (kind, account, region)
        with self._lock:
            client = self._clients.get(key)
            if client is None:
                creds = None
                if credentials is not None:
                    creds = {"aws_access_key_id": credentials["AccessKeyId"],
                             "aws_secret_access_key": credentials["SecretAccessKey"],
                             "aws_session_token": credentials["SessionToken"]}
                raw = self.factory.client(kind, region, creds)
                cls = {"macie2": MacieClient, "sts": StsClient, "ec2": Ec2Client}[kind]
                client = self._clients[key] = cls(raw, region=region, attempts=self.config.attempts,
                                                  ledger=self.ledger, stop=self.stop)
            return client

    def macie(self, region: str) -> MacieClient:
        client: MacieClient = self._client("macie2", ADMIN, region)
        return client

    def member_macie(self, account: str, region: str, credentials: Mapping[str, str]) -> MacieClient:
        client: MacieClient = self._client("macie2", account, region, credentials)
        return client

    def member_sts(self, account: str, region: str, credentials: Mapping[str, str]) -> StsClient:
        client: StsClient = self._client("sts", account, region, credentials)
        return client

    def sts(self, region: str) -> StsClient:
        client: StsClient = self._client("sts", ADMIN, region)
        return client

    def caller_account(self) -> str:
        """The account of the run's own credentials (sts:GetCallerIdentity, asked once, in the
        run's first Region)."""
        if self._caller_account is None:
            region = (self.config.regions or (self.config.region or "us-east-1",))[0]
            self._caller_account = str(self.sts(region).get_caller_identity()["Account"])
        return self._caller_account

    def hold_locks(self) -> None:
        """Lock (the caller's account, each Region of the run) until the session ends, so that one
        mutating run at a time plans and sends there (:mod:`macie_members.run.lock`); called by a
        mutating run before its first read. A run whose account can't be asked (no credentials,
        STS unreachable: its own requests will say why) runs unlocked; a bulk run warns so."""
        if self.config.unsigned:
            return  # unsigned: no account to name
        from macie_members.run.lock import run_locks

        regions = self.regions()
        try:
            account = self.caller_account()
        except MacieMembersError as exc:
            if self.config.bulk:
                self.renderer.warn(f"the account can't be read ({exc}): running without the run lock")
            return
        self._stack.enter_context(run_locks([(account, region) for region in regions],
                                            timeout=self.config.lock_timeout, say=self.renderer.note))

    def service_model(self) -> Any:
        """botocore's macie2 model: what the drop-in commands' input is validated against."""
        return self.factory.session.get_service_model("macie2")

    # --------------------------------------------------------------------- Regions

    def regions(self) -> list[str]:
        """The Regions of the run, resolved once. With ``--all-regions``: every Region where
        Macie is offered (botocore's endpoint data), minus those EC2 says are not enabled for
        the account, which become skipped records. If EC2 can't be asked, all are used."""
        if self._regions is None:
            regions = list(self.config.require_regions())
            if self.config.all_regions:
                regions = self._enabled(regions)
            self._regions = regions
        return self._regions

    def _enabled(self, offered: list[str]) -> list[str]:
        probe_region = "us-east-1" if "us-east-1" in offered else offered[0]
        try:
            ec2: Ec2Client = self._client("ec2", ADMIN, probe_region)
            response = ec2.describe_regions()
        except ConfigError:
            raise
        except MacieMembersError:
            return offered
        opt_in = {r["RegionName"]: r.get("OptInStatus", "opt-in-not-required") for r in response.get("Regions", [])}
        enabled = []
        for region in offered:
            status = opt_in.get(region, "opt-in-not-required")
            if status in ("opt-in-not-required", "opted-in"):
                enabled.append(region)
            else:
                self.record([Result(region, None, "region", "skipped",
                                    errorMessage=f"Region not enabled for this account (opt-in status: {status})")])
        return enabled

    # --------------------------------------------------------------------- reading

    def executor(self, client_for: Callable[[Job], MacieClient] | None = None) -> Executor:
        return Executor(client_for=client_for or (lambda job: self.macie(job.region)),
                        concurrency=self.config.max_concurrency, on_result=self._on_result, stop=self.stop)

    def read_each(self, func: Callable[[K], V], items: Sequence[K]) -> tuple[dict[K, V], dict[K, tuple[str, str]]]:
        """``func`` over ``items`` on the run's pool: what was read, and the error code and message
        of each item that could not be read (in the order of ``items``, whatever order the
        answers came in).

        The one failure rule of every read: an error of this package (the service's answer, a
        connection failure, a request refused before sending) is that item's failure and the
        other items go on; a configuration error (no credentials...) stops the run, and so does
        any other exception (a bug), raised as it is. (The drop-in reads across Regions used to
        stop on any error of exit code 253 rather than on a ``ConfigError``: the same errors,
        since the only other one, ``ReportError``, is raised when the session ends, never by a
        read.)"""
        outcomes = {o.item: o for o in self.executor().map(func, list(items))}
        found: dict[K, V] = {}
        failed: dict[K, tuple[str, str]] = {}
        for item in items:
            outcome = outcomes.get(item)
            if outcome is None:
                continue  # not started: the run is stopping
            if outcome.error is None:
                found[item] = outcome.value
            elif isinstance(outcome.error, ConfigError) or not isinstance(outcome.error, MacieMembersError):
                raise outcome.error
            else:
                failed[item] = code_and_message(outcome.error)
        return found, failed

    def read_inventory(self, region: str) -> dict[str, Mapping[str, Any]]:
        """The whole inventory of one Region (``onlyAssociated=false``), by account id."""
        members = self.macie(region).read_all("ListMembers", "members", {"onlyAssociated": "false"},
                                              page_size=LIST_PAGE_SIZE)
        return {member["accountId"]: dict(member) for member in members}

    def inventories(self, regions: Sequence[str]) -> tuple[dict[str, Inventory], dict[str, Result]]:
        """Every Region's inventory, read in parallel; a Region that can't be read comes back as
        a failed ``list-members`` record (see :meth:`read_each`)."""
        found, failed = self.read_each(self.read_inventory, regions)
        return dict(found), {region: fail(region, None, "list-members", code, message)
                             for region, (code, message) in failed.items()}

    # ------------------------------------------------------------------------ records

    def _on_result(self, result: Result) -> None:
        with self._records_lock:
            self.results.append(result)
            if self.report is not None:
                self.report.write(result)
                if self.report.error is not None:
                    self.stop.set()  # nothing more is sent that could not be recorded
            self._progress.advance(result.region)

    def record(self, results: Iterable[Result]) -> list[Result]:
        out = list(results)
        for result in out:
            self._on_result(result)
        return out

    def execute(self, plan: Plan, *, client_for: Callable[[Job], MacieClient] | None = None,
                counted: bool = False) -> list[Result]:
        """Record the plan's records, then send its jobs; their records. ``counted``: the plan's
        requests are in the ledger already (a later phase of a run, counted from its start so
        that Ctrl-C's message says what was not sent)."""
        totals: dict[str, int] = {}
        for result in plan.records:
            totals[result.region] = totals.get(result.region, 0) + 1
        for request in plan.requests():
            totals[request.region] = totals.get(request.region, 0) + (len(request.accounts) or 1)
        if not counted:
            self.ledger.plan(sum(1 for _ in plan.requests()))
        self.start_progress(totals)
        out = self.record(plan.records)
        return out + self.executor(client_for).run(plan.jobs)

    def start_progress(self, totals: Mapping[str, int]) -> None:
        if isinstance(self._progress, NullProgress) and self.config.progress:
            self._progress = self.renderer.progress()
        self._progress.start(totals)

    # ------------------------------------------------------------------- confirmation

    def confirm(self, what: str, plan: Plan) -> None:
        """A bulk run's plan with a destructive request (:meth:`Plan.changes`) is confirmed before
        it is sent, whatever its size: asked on a terminal (the renderer's prompt, unless the
        session was given another ``confirm``, as tests and library callers may), refused without
        one (exit 252; only reads were sent). A plan with nothing destructive, ``--yes`` and
        ``--dry-run`` ask nothing. (The one-account drop-ins never get here: as the AWS CLI, they
        never ask.)"""
        from macie_members.render.confirmation import question, refusal

        changes = plan.changes()
        if not changes.destructive or self.config.yes or self.config.dry_run:
            return
        if not self.config.interactive and self._confirm is None:
            raise InputError(refusal(what, changes))
        ask = self._confirm or self.renderer.ask
        if not ask(question(what, changes)):
            raise Declined("Cancelled: no change was made (only reads were sent).")

    # --------------------------------------------------------------------------- end

    def exit_code(self) -> int:
        from macie_members.errors import ExitCode

        return int(ExitCode.SERVICE) if any(r.outcome == "failed" for r in self.results) else 0

    def finish(self, title: str) -> int:
        """Print the records of the run; the exit code."""
        self._progress.stop()
        self.renderer.results(self.results, title=title)
        return self.exit_code()


def open_config(settings: GlobalSettings, options: RunOptions, *, environ: Mapping[str, str] | None = None,
                terminal: Terminal | None = None) -> tuple[RunConfig, botocore.session.Session]:
    """The run's frozen configuration, and the botocore session its clients will come from:
    the options are checked, the session is opened (the sandbox installed first when the run
    uses it), then :func:`macie_members.config.resolve` decides every value."""
    from macie_members.aws.botocore_session import open_session, region_catalog
    from macie_members.config import check_options, resolve, wants_sandbox

    env = os.environ if environ is None else environ
    check_options(options, settings)
    session, profile = open_session(settings.profile, sandbox=wants_sandbox(settings, env))
    catalog = region_catalog(session, available=options.all_regions)
    config = resolve(settings, options, profile=profile, catalog=catalog, environ=env, terminal=terminal)
    return config, session


def open_run(settings: GlobalSettings, options: RunOptions, *, environ: Mapping[str, str] | None = None,
             terminal: Terminal | None = None, confirm: Callable[[str], bool] | None = None) -> RunSession:
    """The run session of a command, from what the command line said (enter it with ``with``)."""
    config, session = open_config(settings, options, environ=environ, terminal=terminal)
    return RunSession(config, session, confirm=confirm)
