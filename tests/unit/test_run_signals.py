"""Stop signals: SIGTERM and SIGHUP stop a run as Ctrl-C does, each with its exit code."""

from __future__ import annotations

import signal

import pytest

from macie_members.errors import ExitCode, Interrupted
from macie_members.records import Ledger, ReportWriter, Result
from macie_members.render.documents import render_results, results_document
from macie_members.run.signals import StopSignals


@pytest.mark.parametrize(("name", "code"), [("SIGINT", 130), ("SIGTERM", 143), ("SIGHUP", 129)])
def test_each_stop_signal_has_its_exit_code(name: str, code: int) -> None:
    assert Interrupted("Interrupted: x", name).exit_code == code
    assert Interrupted("Interrupted: x").exit_code == ExitCode.INTERRUPTED


def test_the_handlers_raise_keyboard_interrupt_name_the_first_signal_and_are_restored() -> None:
    # A test runner started in the background has SIGINT ignored, which a run leaves ignored.
    ctrl_c = signal.signal(signal.SIGINT, signal.default_int_handler)
    before = signal.getsignal(signal.SIGTERM)
    stops = StopSignals()
    stops.install()
    try:
        with pytest.raises(KeyboardInterrupt):
            signal.raise_signal(signal.SIGTERM)
        with pytest.raises(KeyboardInterrupt):
            signal.raise_signal(signal.SIGINT)
        assert stops.name == "SIGTERM"  # the first one decides the exit code
    finally:
        stops.restore()
        signal.signal(signal.SIGINT, ctrl_c)
    assert signal.getsignal(signal.SIGTERM) is before
    assert StopSignals().name == "SIGINT"


@pytest.mark.skipif(not hasattr(signal, "SIGHUP"), reason="no SIGHUP on this platform")
def test_a_signal_ignored_when_the_run_starts_stays_ignored() -> None:
    """``nohup``: a closed terminal's SIGHUP does not stop the run."""
    before = signal.signal(signal.SIGHUP, signal.SIG_IGN)
    stops = StopSignals()
    try:
        stops.install()
        assert signal.getsignal(signal.SIGHUP) is signal.SIG_IGN
        signal.raise_signal(signal.SIGHUP)  # ignored: no KeyboardInterrupt
        assert stops.received is None
    finally:
        stops.restore()
        signal.signal(signal.SIGHUP, before)


def test_an_abandoned_retry_counts_as_not_sent() -> None:
    ledger = Ledger()
    ledger.plan(3)
    ledger.request_sent(True)
    ledger.request_answered(True)
    ledger.request_sent(True)
    ledger.request_abandoned(True)  # throttled, then the run stopped during the back-off
    message = ledger.interrupted_message(None)
    assert "unknown outcome" not in message
    assert "1 change request(s) done" in message and "2 not sent" in message


def test_a_report_is_named_only_when_it_holds_records(tmp_path) -> None:
    ledger = Ledger()
    ledger.plan(2)
    ledger.request_sent(True)
    ledger.request_answered(True)
    path = tmp_path / "r.jsonl"
    with open(path, "a", encoding="utf-8") as stream:
        report = ReportWriter(stream, str(path))
        assert str(path) not in ledger.interrupted_message(report)
        report.write(Result("us-east-1", "111111111111", "create-member", "ok"))
        assert str(path) in ledger.interrupted_message(report)


def test_the_interrupted_document_says_so_in_its_summary() -> None:
    records = [Result("us-east-1", "111111111111", "create-member", "ok")]
    summary = results_document(records, "SIGTERM")["summary"]
    assert summary == {"ok": 1, "skipped": 0, "failed": 0, "interrupted": True, "signal": "SIGTERM"}
    assert "interrupted" not in results_document(records)["summary"]
    assert render_results(records, output="table", interrupted="SIGHUP").rstrip().endswith("(interrupted by SIGHUP)")


def test_a_signal_after_the_run_finished_changes_nothing() -> None:
    """Once the run is over (its output printed), its teardown is not interrupted and the run
    keeps its own exit code: no KeyboardInterrupt, no signal name recorded."""
    ctrl_c = signal.signal(signal.SIGINT, signal.default_int_handler)
    stops = StopSignals()
    stops.install()
    try:
        stops.finish()
        signal.raise_signal(signal.SIGTERM)
        assert stops.received is None
    finally:
        stops.restore()
        signal.signal(signal.SIGINT, ctrl_c)


@pytest.mark.parametrize("program", [True, False], ids=["the-program", "a-library-caller"])
def test_after_a_finished_run_the_program_ignores_stop_signals_a_library_gets_its_handlers_back(
    program: bool, monkeypatch: pytest.MonkeyPatch,
) -> None:
    from macie_members.environment import PROCESS

    monkeypatch.setattr(PROCESS, "ends_with_the_run", program)
    before = signal.getsignal(signal.SIGTERM)
    stops = StopSignals()
    stops.install()
    stops.finish()
    try:
        stops.restore()
        assert signal.getsignal(signal.SIGTERM) is (signal.SIG_IGN if program else before)
    finally:
        signal.signal(signal.SIGTERM, before)


@pytest.mark.parametrize("output", ["json", "text", "table", "yaml", "csv"])
def test_the_renderer_says_when_a_whole_document_is_written(output: str) -> None:
    """The moment the run's final output starts (run/signals.py: from then on no signal stops it)."""
    import io

    from macie_members.config import RunConfig
    from macie_members.records import Result
    from macie_members.render.renderer import Renderer

    out = io.StringIO()
    renderer = Renderer(RunConfig(output=output), stream=lambda: out)
    calls: list[str] = []
    renderer.finished = lambda: calls.append(out.getvalue())
    renderer.response({"members": [{"accountId": "111111111111"}]}, operation="ListMembers")
    first = out.getvalue()
    renderer.results([Result("us-east-1", "111111111111", "create-member", "ok")], title="CreateMember")
    # Each just before its text is written (a signal during the write is then ignored).
    assert calls == ["", first] and out.getvalue() != first
    renderer.yaml_page({"members": []})  # a page of a stream: the output is not whole yet
    assert len(calls) == 2
