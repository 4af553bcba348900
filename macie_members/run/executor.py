"""The executor: sends planned jobs on a bounded pool of threads and turns each answer into records.

* Each :class:`~macie_members.plan.model.Job` runs on one worker thread, its requests in order; a
  failed request stops the job (the rest is not sent). Jobs of different Regions are
  interleaved, so every Region's quota is used at once.
* Every answer becomes its records at once (``on_result``: the report file, the progress bar),
  classified with one table, :data:`ALREADY_DONE`: an error that says the work is already done
  (a CreateMember answered ConflictException, a retried DeleteMember answered
  ResourceNotFoundException...) is ``skipped``, never ``failed``: that is what a retry whose
  first answer was lost finds, and what a rerun finds for work another run did.
* Ctrl-C: no new job starts, the jobs under way stop after their current request, the answers
  still coming are recorded, then :class:`KeyboardInterrupt` goes on to the run session (which
  says what was done and what was not). A second Ctrl-C stops waiting for the requests in flight.
* A configuration error (no credentials, say) stops the run: it is raised once every job under
  way has stopped.
"""

from __future__ import annotations

import dataclasses
import queue
import threading
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from macie_members.aws.client import Abandoned, ApiError, MacieClient
from macie_members.errors import ConfigError, MacieMembersError, code_and_message
from macie_members.plan.model import Job, Request, interleave
from macie_members.records import Outcome, Result, records_kept

T = TypeVar("T")
R = TypeVar("R")

# (operation, error code) -> words of the service's message that say the work is done, and why.
ALREADY_DONE: Mapping[tuple[str, str], tuple[tuple[str, ...], str]] = {
    ("CreateMember", "ConflictException"): ((), "already in the inventory"),
    ("DeleteMember", "ResourceNotFoundException"): ((), "already deleted"),
    ("DisassociateMember", "ValidationException"): (
        ("not associated", "not an associated member"), "already disassociated"),
    ("EnableMacie", "ConflictException"): ((), "Macie is already enabled"),
    ("DisassociateFromAdministratorAccount", "ResourceNotFoundException"): ((), "not associated with an administrator"),
}
# Where the service's error does not say whether the work is done, a read says it.
def _accepted(client: MacieClient, request: Request) -> str | None:
    administrator = client.get_administrator_account().get("administrator") or {}
    if administrator.get("accountId") == request.params.get("administratorAccountId") \
            and administrator.get("relationshipStatus") in ("Enabled", "Paused"):
        return "already a member"
    return None


VERIFY_DONE: Mapping[str, Callable[[MacieClient, Request], str | None]] = {"AcceptInvitation": _accepted}

# A member-side batch answers per account in unprocessedAccounts with messages that do not say
# whether the work is done (a retry after a lost answer finds the invitation already declined or
# deleted): the invitations, read again, say it.
VERIFY_UNPROCESSED: Mapping[str, Callable[[Mapping[str, Any] | None], str | None]] = {
    "DeclineInvitations": lambda invitation: (
        "already declined" if invitation is None or invitation.get("relationshipStatus") != "Invited" else None),
    "DeleteInvitations": lambda invitation: "already deleted" if invitation is None else None,
}


def _invitations(client: MacieClient) -> dict[str, Mapping[str, Any]]:
    return {str(i.get("accountId")): i for i in client.read_all("ListInvitations", "invitations")}

# CreateInvitations answers per account, in unprocessedAccounts; these messages mean "done".
UNPROCESSED_DONE = ("already a member", "already invited", "already associated")

STATUS_AFTER = {
    "CreateMember": "Created",
    "CreateInvitations": "EmailVerificationInProgress",
    "DisassociateMember": "Removed",
    "AcceptInvitation": "Enabled",
}


def already_done(operation: str, code: str, message: str) -> str | None:
    entry = ALREADY_DONE.get((operation, code))
    if entry is None:
        return None
    words, reason = entry
    lowered = message.lower()
    if words and not any(word in lowered for word in words):
        return None
    return reason


def answer_records(request: Request, response: Mapping[str, Any]) -> list[Result]:
    """The records of a successful answer (one per account of the request)."""
    region, action = request.region, request.action
    if request.operation in ("CreateInvitations", "DeclineInvitations", "DeleteInvitations"):
        unprocessed = {u.get("accountId"): u for u in response.get("unprocessedAccounts", [])}
        records = []
        for account in request.accounts:
            problem = unprocessed.get(account)
            if problem is None:
                records.append(Result(region, account, action, "ok", status=STATUS_AFTER.get(request.operation),
                                      note=request.note))
                continue
            message = str(problem.get("errorMessage") or "")
            outcome: Outcome = "skipped" if any(w in message.lower() for w in UNPROCESSED_DONE) else "failed"
            records.append(Result(region, account, action, outcome, errorCode=problem.get("errorCode"),
                                  errorMessage=message))
        return records
    status = STATUS_AFTER.get(request.operation)
    if request.operation == "UpdateMemberSession":
        status = "Paused" if request.params.get("status") == "PAUSED" else "Enabled"
    arn = response.get("arn")
    return [Result(region, account, action, "ok", arn=str(arn) if arn else None, status=status, note=request.note)
            for account in request.accounts or (None,)]


def error_records(request: Request, exc: BaseException, verified: str | None = None, *,
                  planned: bool = True) -> list[Result]:
    """The records of a request that ended with an error: ``skipped`` when the error says the
    work is already done (or ``verified`` says so), else ``failed`` with the service's own code
    and message. A request that was not planned from the inventory (a drop-in command) is only
    found already done by a retry: on its first attempt, that answer is the service's error."""
    if isinstance(exc, ApiError):
        reason = verified or already_done(request.operation, exc.code, exc.error_message)
        if not planned and not exc.retries:
            reason = None
        kind: Outcome = "skipped" if reason else "failed"
        message = f"{reason} ({exc.error_message})" if reason else exc.error_message
        if reason and exc.retries:
            message = f"{reason}: found so by retry {exc.retries} ({exc.error_message})"
        return [Result(request.region, a, request.action, kind, errorCode=exc.code, errorMessage=message)
                for a in request.accounts or (None,)]
    code, message = code_and_message(exc)
    return [Result(request.region, a, request.action, "failed", errorCode=code, errorMessage=message)
            for a in request.accounts or (None,)]


@dataclass(frozen=True)
class _Outcome(Generic[T]):
    item: T
    value: Any = None
    error: BaseException | None = None


class Executor:
    def __init__(self, *, client_for: Callable[[Job], MacieClient], concurrency: int,
                 on_result: Callable[[Result], None], stop: threading.Event) -> None:
        self.client_for = client_for
        self.concurrency = max(1, concurrency)
        self.on_result = on_result
        self.stop = stop
        self._lock = threading.Lock()

    def emit(self, records: Iterable[Result]) -> list[Result]:
        out = list(records)
        with self._lock:
            for record in out:
                self.on_result(record)
            records_kept()  # the changes answered so far in this thread now count as done
        return out

    # ---------------------------------------------------------------------------- jobs

    def run_job(self, job: Job) -> list[Result]:
        """Send a job's requests in order; stop at the first failure (or when stopping)."""
        client = self.client_for(job)
        with client.ledger.recording():
            return self._run_requests(client, job)

    def _run_requests(self, client: MacieClient, job: Job) -> list[Result]:
        results: list[Result] = []
        for request in job.requests:
            if self.stop.is_set():
                break
            try:
                response = client.call(request.operation, request.params)
            except Abandoned:
                break
            except ConfigError:
                raise
            except MacieMembersError as exc:
                records = self.emit(error_records(request, exc, self.verify(client, request, exc)))
                results += records
                if any(r.outcome == "failed" for r in records):
                    break
                continue
            results += self.answered(client, request, response)
        return results

    def answered(self, client: MacieClient, request: Request, response: Mapping[str, Any]) -> list[Result]:
        """The records of an answer. Accounts that a batched request (CreateInvitations...) left
        unprocessed with ``InternalError`` are sent again, by themselves, like any request that
        met a server error (same attempts, same pauses)."""
        results: list[Result] = []
        for attempt in range(1, client.attempts + 1):
            retry = [u.get("accountId") for u in response.get("unprocessedAccounts", [])
                     if u.get("errorCode") == "InternalError" and u.get("accountId") in request.accounts]
            if not retry or attempt == client.attempts or self.stop.is_set():
                break
            results += self.emit(r for r in answer_records(request, response) if r.accountId not in retry)
            request = dataclasses.replace(request, params={**request.params, "accountIds": retry},
                                          accounts=tuple(a for a in request.accounts if a in retry))
            client.pause(attempt)
            try:
                response = client.call(request.operation, request.params)
            except MacieMembersError as exc:
                return results + self.emit(error_records(request, exc))
        return results + self.emit(self.verify_unprocessed(client, request, answer_records(request, response)))

    @staticmethod
    def verify_unprocessed(client: MacieClient, request: Request, records: list[Result]) -> list[Result]:
        """Records of accounts left unprocessed that a read shows done (see
        :data:`VERIFY_UNPROCESSED`) become ``skipped``."""
        judge = VERIFY_UNPROCESSED.get(request.operation)
        if judge is None or not any(r.outcome == "failed" for r in records):
            return records
        try:
            invitations = _invitations(client)
        except MacieMembersError:
            return records
        checked = []
        for record in records:
            reason = judge(invitations.get(record.accountId or "")) if record.outcome == "failed" else None
            checked.append(record if reason is None else dataclasses.replace(
                record, outcome="skipped", errorMessage=f"{reason}: found so by a read ({record.errorMessage})"))
        return checked

    @staticmethod
    def verify(client: MacieClient, request: Request, exc: MacieMembersError) -> str | None:
        """Whether an error whose text does not say so hides work already done (a read)."""
        verifier = VERIFY_DONE.get(request.operation)
        if verifier is None or not isinstance(exc, ApiError) or exc.code != "ValidationException":
            return None
        try:
            return verifier(client, request)
        except MacieMembersError:
            return None

    def run(self, jobs: Sequence[Job]) -> list[Result]:
        """Run the jobs (interleaved across Regions); return their records."""
        results: list[Result] = []
        for outcome in self.map(self.run_job, interleave(jobs)):
            if outcome.error is not None:
                if isinstance(outcome.error, ConfigError):
                    raise outcome.error
                item = outcome.item
                results += self.emit(Result(item.region, a, "error", "failed", errorCode=type(outcome.error).__name__,
                                            errorMessage=str(outcome.error)) for a in item.accounts or (None,))
            else:
                results += outcome.value
        return results

    # ------------------------------------------------------------------------ the pool

    def map(self, func: Callable[[T], R], items: Sequence[T]) -> list[_Outcome[T]]:
        """``func`` over ``items`` on at most ``concurrency`` daemon threads, in completion
        order; exceptions are returned, not raised. Ctrl-C (in the calling thread): see the
        module's docstring. A configuration error stops the rest.

        The calling thread only waits: the items are queued before the workers start, and the
        workers keep the count of what is done, so a Ctrl-C can land anywhere in the calling
        thread without losing track of a request."""
        tasks: queue.SimpleQueue[T] = queue.SimpleQueue()
        for item in items:
            tasks.put(item)
        tally: _Tally[T] = _Tally(len(items))
        interrupted = self._start_workers(lambda: self._work(func, tasks, tally), min(self.concurrency, len(items)))
        return tally.wait(self.stop, interrupted)

    def _work(self, func: Callable[[T], R], tasks: queue.SimpleQueue[T], tally: _Tally[T]) -> None:
        """One worker: items from the queue until it is empty; once the run is stopping, the
        items left are counted as not started."""
        while True:
            try:
                item = tasks.get_nowait()
            except queue.Empty:
                return
            if self.stop.is_set():
                tally.skipped()
                continue
            try:
                outcome: _Outcome[T] = _Outcome(item, value=func(item))
            except BaseException as exc:  # returned to the calling thread
                outcome = _Outcome(item, error=exc)
                if isinstance(exc, ConfigError):
                    self.stop.set()
            tally.done(outcome)

    def _start_workers(self, work: Callable[[], None], count: int) -> bool:
        """Start ``count`` worker threads; whether a Ctrl-C came while they started."""
        threads: list[threading.Thread] = []
        try:
            for index in range(count):
                threads.append(threading.Thread(target=work, name=f"macie-members-{index}", daemon=True))
                threads[-1].start()
        except KeyboardInterrupt:
            # Ctrl-C while the workers start (starting one waits for it): those started have
            # requests under way; wait for their answers, as for a Ctrl-C while waiting.
            self.stop.set()
            if not any(thread.is_alive() or thread.ident is not None for thread in threads):
                raise  # no worker started: nothing was sent
            return True
        return False


class _Tally(Generic[T]):
    """What the workers of one :meth:`Executor.map` have done (their outcomes, and the items
    they did not start), which the calling thread waits on."""

    def __init__(self, total: int) -> None:
        self.total = total
        self.outcomes: list[_Outcome[T]] = []
        self.not_started = 0
        self.changed = threading.Condition()

    def done(self, outcome: _Outcome[T]) -> None:
        with self.changed:
            self.outcomes.append(outcome)
            self.changed.notify()

    def skipped(self) -> None:
        with self.changed:
            self.not_started += 1
            self.changed.notify()

    def wait(self, stop: threading.Event, interrupted: bool) -> list[_Outcome[T]]:
        """Every outcome, once every item is done or skipped. A Ctrl-C stops new work and keeps
        waiting for the answers under way (then goes on as :class:`KeyboardInterrupt`); a second
        one stops waiting for the requests in flight."""
        while True:
            try:
                with self.changed:
                    if len(self.outcomes) + self.not_started >= self.total:
                        break
                    self.changed.wait(timeout=0.2)
            except KeyboardInterrupt:
                stop.set()
                if interrupted:
                    raise  # a second Ctrl-C: stop waiting for the requests in flight
                interrupted = True
        if interrupted:
            raise KeyboardInterrupt
        with self.changed:
            return list(self.outcomes)
