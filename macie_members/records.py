"""Result records, the ``--report`` file, and the run's ledger of requests.

Every request a run sends that gets an answer ends as one :class:`Result` per account it acted
on (a CreateInvitations of 50 ids gives 50), and so does every decision not to send one (a
skip, or a failure found before sending). Its fields are the schema printed with ``--output
json`` (in this order with ``text`` and ``csv``) and appended to ``--report`` files, one JSON
object per line; :data:`RESULT_FIELDS` says what each one holds: the record table of
``docs/scripting.md`` is generated from it (``python -m macie_members.cli.reference --write``).
"""

from __future__ import annotations

import contextlib
import json
import threading
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass
from typing import IO, Any, Literal

Outcome = Literal["ok", "skipped", "failed"]


@dataclass(frozen=True, slots=True)
class Result:
    region: str
    accountId: str | None
    action: str
    outcome: Outcome
    errorCode: str | None = None
    errorMessage: str | None = None
    arn: str | None = None
    status: str | None = None
    note: str | None = None

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


#: What each field of a :class:`Result` holds, in the fields' order (Markdown: the docs' record
#: table is generated from it, and a test checks it names every field).
RESULT_FIELDS: dict[str, str] = {
    "region": "the Region of the request",
    "accountId": "the member account (`null` for a Region-level record, e.g. a skipped Region); for the member "
                 "side's decline, delete and disassociate-from-administrator records, the **administrator** "
                 "account the request acted on",
    "action": "what was done: the request's command name (`create-member`, `create-invitations`, "
              "`update-member-session`, `disassociate-member`, `delete-member`, `accept-invitation`, "
              "`enable-macie`, `decline-invitations`, `delete-invitations`, "
              "`disassociate-from-administrator-account`, `disassociate-from-master-account`), or for a "
              "decision without a request the step decided (`onboard`, `sync`, `offboard`, `wait`, "
              "`assume-role`, `list-members` (a Region that can't be read), `region` (a skipped Region)), "
              "or `error` (a request that failed in an unexpected way)",
    "outcome": "`ok` (done), `skipped` (nothing to do: already in that state, or a retry found its own work "
               "done) or `failed`",
    "errorCode": "the service's error code (`ConflictException`...), or the tool's own (`NotInInventory`...), "
                 "else `null`",
    "errorMessage": "the service's own message, or why it was skipped or failed, else `null`",
    "arn": "the member's ARN where the response has one, else `null`",
    "status": "the member's relationship status after the action where known, else `null`",
    "note": "what else to know about the account after the action, else `null` (an Organizations member "
            "offboarded stays in the AWS organization and can be added again with CreateMember)",
}


def summarize(results: Iterable[Result]) -> dict[str, int]:
    summary = {"ok": 0, "skipped": 0, "failed": 0}
    for result in results:
        summary[result.outcome] += 1
    return summary


class ReportWriter:
    """Appends one JSON line per result to ``--report``, flushed at once, thread-safe."""

    def __init__(self, stream: IO[str] | None, path: str | None = None) -> None:
        self._stream = stream
        self.path = path
        self._lock = threading.Lock()
        self.written = 0
        self.error: OSError | None = None  # the first write that failed (the run then stops)

    def write(self, result: Result) -> None:
        if self._stream is None or self.error is not None:
            return
        line = json.dumps(result.to_json(), ensure_ascii=False)
        with self._lock:
            try:
                self._stream.write(line + "\n")
                self._stream.flush()
            except OSError as exc:
                self.error = exc
                return
            self.written += 1

    def close(self) -> None:
        if self._stream is not None:
            stream, self._stream = self._stream, None
            try:
                stream.close()
            except OSError as exc:
                self.error = self.error or exc


_RECORDING = threading.local()  # this thread's Ledger.recording(): its ledger, its answers not yet recorded


def records_kept() -> None:
    """The answers this thread received so far have their records kept: count them as done."""
    ledger, pending = getattr(_RECORDING, "ledger", None), getattr(_RECORDING, "pending", None)
    if ledger is None or not pending:
        return
    with ledger._lock:
        ledger.changes_answered += len(pending)
        ledger.changes_refused += sum(pending)
    pending.clear()


class Ledger:
    """What a run has sent so far: counts that say, when it is interrupted, what was done and
    what was not. Thread-safe."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.sent = 0  # requests sent (each attempt counts once per request, not per retry)
        self.answered = 0  # requests that got a final answer (success or error)
        self.changes_sent = 0  # mutating requests sent
        self.changes_answered = 0
        self.changes_refused = 0  # mutating requests answered with an error (no change made)
        self.planned_changes = 0  # mutating requests planned, sent or not
        self.waiting = False  # `onboard --wait` is polling: an interruption cuts the wait short

    def request_sent(self, mutating: bool) -> None:
        with self._lock:
            self.sent += 1
            if mutating:
                self.changes_sent += 1

    def request_abandoned(self, mutating: bool) -> None:
        """A request whose retry was never sent (the run stopped during its back-off): its one
        attempt was answered with an error, so no change was made; it counts as not sent."""
        with self._lock:
            self.sent -= 1
            if mutating:
                self.changes_sent -= 1

    def request_answered(self, mutating: bool, *, refused: bool = False) -> None:
        pending = getattr(_RECORDING, "pending", None)
        with self._lock:
            self.answered += 1
            if mutating and pending is not None and _RECORDING.ledger is self:
                pending.append(refused)  # counted once its records are kept (records_kept)
            elif mutating:
                self.changes_answered += 1
                self.changes_refused += refused

    @contextlib.contextmanager
    def recording(self) -> Iterator[None]:
        """In this thread, a change's answer counts as done only once its records are kept
        (:func:`records_kept`, called by the executor after it hands them on): a run stopped
        by a second Ctrl-C, which does not wait for its workers, then never says more changes
        were done than its document and its ``--report`` hold; an answer not yet recorded counts
        as in flight with an unknown outcome."""
        _RECORDING.ledger, _RECORDING.pending = self, []
        try:
            yield
        finally:
            records_kept()
            _RECORDING.ledger = _RECORDING.pending = None

    def plan(self, changes: int) -> None:
        with self._lock:
            self.planned_changes += changes

    def interrupted_message(self, report: ReportWriter | None, *, dropin: bool = False) -> str:
        """One line for stderr: what was done, what was not, and that a rerun finishes it (a
        ``dropin``'s rerun is a repeat the service answers as such: read first)."""
        with self._lock:
            refused = self.changes_refused
            sent = self.changes_sent
            done, in_flight = self.changes_answered - refused, sent - self.changes_answered
            not_sent = max(0, self.planned_changes - sent)
        # Only a file that holds records is named (a report opened but never written to is removed).
        written = report is not None and report.path and report.written
        where = f" (records in {report.path})" if written and report is not None else ""
        # Counted in requests, not accounts (one CreateInvitations invites many): the result
        # document's summary counts the accounts.
        if sent == 0:
            return ("Interrupted: no change was made" + (f"; {not_sent} change request(s) were planned"
                                                        if not_sent else "")
                    + ". Run the same command again to do the job.")
        parts = [f"{done} change request(s) done{where}"]
        if refused:
            parts[0] += f", {refused} refused by the service"
        if in_flight:
            parts.append(f"{in_flight} in flight with an unknown outcome")
        if not in_flight and not not_sent:
            if self.waiting:
                return ("Interrupted: " + parts[0] + "; nothing was left to send, but --wait was cut short "
                        "(`status` shows where each account is).")
            return "Interrupted: " + parts[0] + "; nothing was left to send."
        if dropin:  # one request, and no inventory read first: the service answers a repeat as one
            return ("Interrupted: " + ", ".join(parts) + ". Read the state first (list-members, get-member...): "
                    "sent again, a request that was done gets the service's answer to a repeat (a ConflictException).")
        parts.append(f"{not_sent} not sent")
        return ("Interrupted: " + ", ".join(parts)
                + ". Run the same command again to finish the job: what is done is skipped.")


def operation_action(operation: str) -> str:
    """The command name of an API operation: ``CreateMember`` -> ``create-member``."""
    out = []
    for index, char in enumerate(operation):
        if char.isupper() and index:
            out.append("-")
        out.append(char.lower())
    return "".join(out)
