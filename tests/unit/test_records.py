"""macie_members.records: the ledger's account of an interrupted run."""

from __future__ import annotations

from macie_members.records import Ledger, ReportWriter

# ------------------------------------------------------------------------------- ledger


def test_interrupted_messages() -> None:
    ledger = Ledger()
    ledger.plan(5)
    assert ledger.interrupted_message(None).startswith("Interrupted: no change was made; 5 change(s) were planned")
    for _ in range(3):
        ledger.request_sent(True)
    ledger.request_answered(True)
    ledger.request_answered(True)
    report = ReportWriter(None, "run.jsonl")
    assert ledger.interrupted_message(report) == (
        "Interrupted: 2 change(s) done (records in run.jsonl), 1 in flight with an unknown outcome, 2 not sent. "
        "Run the same command again to finish the job: what is done is skipped.")


def test_a_refused_request_is_no_change() -> None:
    ledger = Ledger()
    ledger.plan(1)
    ledger.request_sent(True)
    ledger.request_answered(True, refused=True)
    assert ledger.interrupted_message(None) == (
        "Interrupted: 0 change(s) done, 1 refused by the service; nothing was left to send.")
