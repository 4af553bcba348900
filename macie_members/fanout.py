"""The fan-out engine: run (Region, account) work items concurrently, never stopping at a failure.

Every work item ends as exactly one :class:`Result` (or several, for a batched item such as
CreateInvitations of 50 ids). The schema of a result record, as printed with ``--output json``
and appended to ``--report`` files (one JSON object per line):

============  ===============================================================================
region        the Region of the request
accountId     the member account (``null`` for Region-level records, e.g. a skipped Region)
action        what was done: ``create-member``, ``create-invitations``, ``update-member-session``,
              ``disassociate-member``, ``delete-member``, ``list-members``, ``region``...
outcome       ``ok`` (done), ``skipped`` (nothing to do, e.g. already in that state), ``failed``
errorCode     the service's error code (``ConflictException``...) or ``null``
errorMessage  the service's message, or why it was skipped, or ``null``
arn           the member's ARN where the response has one, else ``null``
status        the member's relationship status after the action where known, else ``null``
============  ===============================================================================

The engine is independent of click and rich: progress is reported through a callback.
Ctrl-C: no new item starts; items already sent finish and are reported; then
:class:`KeyboardInterrupt` propagates (the CLI exits 130).
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import asdict, dataclass
from typing import IO, Any, Literal

from .errors import MacieMembersError

Outcome = Literal["ok", "skipped", "failed"]

DEFAULT_MAX_CONCURRENCY = 16


@dataclass(frozen=True)
class Result:
    region: str
    accountId: str | None
    action: str
    outcome: Outcome
    errorCode: str | None = None
    errorMessage: str | None = None
    arn: str | None = None
    status: str | None = None

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class WorkItem:
    region: str
    accounts: tuple[str, ...]
    action: str
    run: Callable[[], list[Result]]


def failure(region: str, account: str | None, action: str, exc: BaseException) -> Result:
    """A failed result from an exception (service errors keep their code and message)."""
    code = getattr(exc, "code", None)
    message = getattr(exc, "error_message", None) or str(exc)
    if code is None and not isinstance(exc, MacieMembersError):
        code = type(exc).__name__
    return Result(region, account, action, "failed", errorCode=code, errorMessage=message.strip())


class ReportWriter:
    """Appends one JSON line per result to ``--report``, flushed at once, thread-safe."""

    def __init__(self, stream: IO[str] | None) -> None:
        self._stream = stream
        self._lock = threading.Lock()

    def write(self, result: Result) -> None:
        if self._stream is None:
            return
        line = json.dumps(result.to_json(), ensure_ascii=False)
        with self._lock:
            self._stream.write(line + "\n")
            self._stream.flush()


def run_items(
    items: Sequence[WorkItem],
    *,
    max_concurrency: int = DEFAULT_MAX_CONCURRENCY,
    on_result: Callable[[Result], None] = lambda result: None,
) -> list[Result]:
    """Run every item on a bounded thread pool; return all results in completion order."""
    results: list[Result] = []
    lock = threading.Lock()

    def record(produced: Iterable[Result]) -> None:
        with lock:
            for result in produced:
                results.append(result)
                on_result(result)

    def guarded(item: WorkItem) -> list[Result]:
        try:
            return item.run()
        except Exception as exc:  # one failing item never stops the others
            return [failure(item.region, account, item.action, exc) for account in (item.accounts or (None,))]

    pool = ThreadPoolExecutor(max_workers=max(1, max_concurrency), thread_name_prefix="fanout")
    pending: set[Future[list[Result]]] = set()
    queue = list(reversed(items))
    try:
        while queue or pending:
            while queue and len(pending) < max(1, max_concurrency):
                item = queue.pop()
                pending.add(pool.submit(guarded, item))
            done, _ = wait(pending, return_when=FIRST_COMPLETED)
            for future in done:
                pending.discard(future)
                record(future.result())
    except KeyboardInterrupt:
        # Let the requests already sent finish, and report them, before giving up.
        for future in list(pending):
            pending.discard(future)
            record(future.result())
        raise
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
    return results


def summarize(results: Iterable[Result]) -> dict[str, int]:
    summary = {"ok": 0, "skipped": 0, "failed": 0}
    for result in results:
        summary[result.outcome] += 1
    return summary
