"""macie_members.records: the result records and their summary, the ``--report`` file, and the
ledger's account of an interrupted run."""

from __future__ import annotations

import io
import json

from macie_members.records import Ledger, ReportWriter, Result, operation_action, summarize

# ------------------------------------------------------------------------------- ledger


def test_interrupted_messages() -> None:
    ledger = Ledger()
    ledger.plan(5)
    assert ledger.interrupted_message(None).startswith("Interrupted: no change was made; 5 change request(s) were planned")
    for _ in range(3):
        ledger.request_sent(True)
    ledger.request_answered(True)
    ledger.request_answered(True)
    report = ReportWriter(None, "run.jsonl")
    report.written = 2  # a report is named only once it holds records
    assert ledger.interrupted_message(report) == (
        "Interrupted: 2 change request(s) done (records in run.jsonl), 1 in flight with an unknown outcome, 2 not sent. "
        "Run the same command again to finish the job: what is done is skipped.")


def test_a_refused_request_is_no_change() -> None:
    ledger = Ledger()
    ledger.plan(1)
    ledger.request_sent(True)
    ledger.request_answered(True, refused=True)
    assert ledger.interrupted_message(None) == (
        "Interrupted: 0 change request(s) done, 1 refused by the service; nothing was left to send.")


# ------------------------------------------------------------------- records and reports


def test_a_record_is_its_schema_in_order_and_a_summary_counts_outcomes() -> None:
    records = [Result("us-east-1", "1", "create-member", "ok", arn="arn:x"),
               Result("us-east-1", None, "region", "skipped", errorMessage="not enabled"),
               Result("eu-west-1", "2", "create-member", "failed", errorCode="ConflictException")]
    assert list(records[0].to_json()) == ["region", "accountId", "action", "outcome", "errorCode", "errorMessage",
                                          "arn", "status", "note"]
    assert summarize(records) == {"ok": 1, "skipped": 1, "failed": 1}
    assert summarize([]) == {"ok": 0, "skipped": 0, "failed": 0}
    assert operation_action("DisassociateFromAdministratorAccount") == "disassociate-from-administrator-account"


def test_a_report_is_one_json_line_per_record_and_stops_at_the_first_failed_write() -> None:
    stream = io.StringIO()
    report = ReportWriter(stream, "r.jsonl")
    report.write(Result("us-east-1", "1", "create-member", "ok", errorMessage="zoë"))
    assert [json.loads(line) for line in stream.getvalue().splitlines()] == [
        Result("us-east-1", "1", "create-member", "ok", errorMessage="zoë").to_json()]
    assert "zoë" in stream.getvalue() and report.written == 1

    class Full(io.StringIO):
        def write(self, text: str) -> int:
            raise OSError(28, "No space left on device")

    full = ReportWriter(Full(), "full.jsonl")
    full.write(Result("us-east-1", "1", "create-member", "ok"))
    full.write(Result("us-east-1", "2", "create-member", "ok"))
    assert (full.written, str(full.error)) == (0, "[Errno 28] No space left on device")
    ReportWriter(None).write(Result("us-east-1", "1", "create-member", "ok"))  # no --report: nothing to do


def test_an_interrupted_wait_says_it_was_cut_short() -> None:
    ledger = Ledger()
    ledger.plan(1)
    ledger.request_sent(True)
    ledger.request_answered(True)
    ledger.waiting = True
    assert ledger.interrupted_message(None) == (
        "Interrupted: 1 change request(s) done; nothing was left to send, but --wait was cut short "
        "(`status` shows where each account is).")


def test_a_change_answered_while_recording_counts_as_done_once_its_records_are_kept() -> None:
    """A second Ctrl-C stops waiting for the workers: an answer whose records were not kept yet
    must count as in flight, never as done (the message would name more than the report holds)."""
    from macie_members.records import records_kept

    ledger = Ledger()
    ledger.plan(2)
    with ledger.recording():
        ledger.request_sent(True)
        ledger.request_answered(True)
        assert ledger.interrupted_message(None).startswith(
            "Interrupted: 0 change request(s) done, 1 in flight with an unknown outcome, 1 not sent.")
        records_kept()
        assert ledger.interrupted_message(None).startswith("Interrupted: 1 change request(s) done, 1 not sent.")
        ledger.request_sent(True)
        ledger.request_answered(True, refused=True)
    # (the end of the recording counts what is left: the executor always keeps the records first)
    assert ledger.changes_answered == 2 and ledger.changes_refused == 1


def test_a_dropin_in_flight_says_to_read_before_sending_it_again() -> None:
    """A drop-in reads nothing first: sent again, a request that was done is answered as a repeat."""
    ledger = Ledger()
    ledger.plan(1)
    ledger.request_sent(True)
    assert ledger.interrupted_message(None, dropin=True) == (
        "Interrupted: 0 change request(s) done, 1 in flight with an unknown outcome. Read the state first "
        "(list-members, get-member...): sent again, a request that was done gets the service's answer to a "
        "repeat (a ConflictException).")
    assert ledger.interrupted_message(None).endswith("Run the same command again to finish the job: what is done "
                                                     "is skipped.")
