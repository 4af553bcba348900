"""Bulk mode: CSV input, fan-out across Regions, result records, report files, interrupts."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from tests.support.awscli_support import as_from_a_shell, cli_env, run_ours
from tests.support.helpers import statuses, write_csv

REGIONS = ["us-east-1", "eu-west-1", "ap-southeast-2"]


def ids(n: int, start: int = 100000000000) -> list[str]:
    return [f"{start + i:012d}" for i in range(n)]


def report_lines(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text().splitlines()]


# ---------------------------------------------------------------- CSV via the CLI


def test_good_csv_dry_run_counts_and_sends_nothing(sandbox_server: Any, tmp_path: Path) -> None:
    env = cli_env(sandbox_server.url, tmp_path)
    csv = write_csv(tmp_path / "a.csv", [*ids(3), "000000000042"], bom=True, crlf=True, header=" account id , EMAIL ")
    run = run_ours(["create-member", "--accounts-file", str(csv), "--regions", "us-east-1,eu-west-1", "--dry-run"], env)
    assert run.rc == 0, run.stderr
    requests = json.loads(run.stdout)["requests"]
    assert len(requests) == 8
    assert {r["params"]["account"]["accountId"] for r in requests} >= {"000000000042"}
    assert sandbox_server.stats()["mutating"] == 0  # a dry run reads the inventories, and changes nothing


@pytest.mark.parametrize(
    ("content", "line", "words"),
    [
        ("Account ID,Email\n1.11111E+11,a@example.com\n", 2, "scientific notation"),
        ("Account ID,Email\n111111111111,a@example.com\n11111111111,b@example.com\n", 3, "leading zeros"),
        ("Account ID,Email\n11111111111O,a@example.com\n", 2, "not digits"),
        ("Account ID,Email\n111111111111,not-an-email\n", 2, "email"),
        ("111111111111,a@example.com\n", 1, "header"),
        ("Account ID,Email\n111111111111,a@example.com\n111111111111,b@example.com\n", 3, "different emails"),
    ],
)
def test_damaged_csv_refused_with_line(sandbox_server: Any, tmp_path: Path, content: str, line: int, words: str) -> None:
    env = cli_env(sandbox_server.url, tmp_path)
    csv = tmp_path / "bad.csv"
    csv.write_text(content)
    run = run_ours(["create-member", "--accounts-file", str(csv), "--regions", "us-east-1,eu-west-1"], env)
    assert run.rc == 252
    assert run.stdout == ""
    assert f"{csv}:{line}:" in run.stderr and words in run.stderr
    assert "Traceback" not in run.stderr
    assert sandbox_server.stats()["total"] == 0


def test_all_problems_reported_together(sandbox_server: Any, tmp_path: Path) -> None:
    env = cli_env(sandbox_server.url, tmp_path)
    csv = tmp_path / "bad.csv"
    csv.write_text("Account ID,Email\n1.1E+11,a@example.com\n222222222222,\n33333333333,c@example.com\n")
    run = run_ours(["create-member", "--accounts-file", str(csv), "--region", "us-east-1"], env)
    assert run.rc == 252
    assert all(f"{csv}:{n}:" in run.stderr for n in (2, 3, 4))


def test_duplicate_rows_merged_with_warning(sandbox_server: Any, tmp_path: Path) -> None:
    env = cli_env(sandbox_server.url, tmp_path)
    csv = tmp_path / "dup.csv"
    csv.write_text("Account ID,Email\n111111111111,a@example.com\n111111111111,a@example.com\n")
    run = run_ours(["create-member", "--accounts-file", str(csv), "--region", "us-east-1", "--output", "text"], env)
    assert run.rc == 0, run.stderr
    assert "warning:" in run.stderr and "line" in run.stderr
    assert len(run.stdout.splitlines()) == 1


@pytest.mark.parametrize("target", ["a directory", "missing", "binary"])
def test_unreadable_accounts_file(sandbox_server: Any, tmp_path: Path, target: str) -> None:
    env = cli_env(sandbox_server.url, tmp_path)
    path = {"a directory": tmp_path, "missing": tmp_path / "nope.csv", "binary": tmp_path / "x.xlsx"}[target]
    if target == "binary":
        path.write_bytes(b"PK\x03\x04\x00\x00binary\x00stuff")
    run = run_ours(["delete-member", "--accounts-file", str(path), "--yes"], env)
    assert run.rc == 252
    assert len(run.stderr.strip().splitlines()) == 1 and "Traceback" not in run.stderr
    assert sandbox_server.stats()["total"] == 0


def test_accounts_file_from_stdin(sandbox_server: Any, tmp_path: Path) -> None:
    env = cli_env(sandbox_server.url, tmp_path)
    proc = subprocess.run(
        [sys.executable, "-m", "macie_members", "create-member", "--accounts-file", "-", "--output", "text"],
        input="Account ID,Email\n111111111111,a@example.com\n", env=env, capture_output=True, text=True, timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    assert statuses(sandbox_server.url, "us-east-1") == {"111111111111": "Created"}


# ------------------------------------------------------------------ outcomes


def test_outcomes_and_exit_codes(sandbox_server: Any, tmp_path: Path) -> None:
    env = cli_env(sandbox_server.url, tmp_path)
    accounts = ids(3)
    csv = write_csv(tmp_path / "a.csv", accounts)
    created = run_ours(["create-member", "--accounts-file", str(csv), "--regions", "us-east-1,eu-west-1"], env)
    assert created.rc == 0, created.stderr
    document = json.loads(created.stdout)
    assert document["summary"] == {"ok": 6, "skipped": 0, "failed": 0}
    record = document["results"][0]
    assert set(record) == {"region", "accountId", "action", "outcome", "errorCode", "errorMessage", "arn", "status",
                           "note"}
    assert record["arn"].startswith("arn:aws:macie2:")
    # Again: everything is skipped, nothing mutating is sent.
    before = sandbox_server.stats()["mutating"]
    again = run_ours(["create-member", "--accounts-file", str(csv), "--regions", "us-east-1,eu-west-1"], env)
    assert again.rc == 0
    assert json.loads(again.stdout)["summary"] == {"ok": 0, "skipped": 6, "failed": 0}
    assert sandbox_server.stats()["mutating"] == before
    # An account not in the inventory fails; the others are still invited; exit 254.
    more = write_csv(tmp_path / "b.csv", [*accounts, "999999999999"])
    invited = run_ours(["create-invitations", "--accounts-file", str(more), "--regions", "us-east-1,eu-west-1"], env)
    assert invited.rc == 254
    summary = json.loads(invited.stdout)["summary"]
    assert summary == {"ok": 6, "skipped": 0, "failed": 2}
    assert statuses(sandbox_server.url, "eu-west-1") == dict.fromkeys(accounts, "Invited")


def test_invitations_batched_by_50(sandbox_server: Any, tmp_path: Path) -> None:
    env = cli_env(sandbox_server.url, tmp_path)
    csv = write_csv(tmp_path / "a.csv", ids(120))
    assert run_ours(["create-member", "--accounts-file", str(csv)], env).rc == 0
    before = sandbox_server.stats()["requests"]
    assert run_ours(["create-invitations", "--accounts-file", str(csv)], env).rc == 0
    after = sandbox_server.stats()["requests"]
    assert after["CreateInvitations"] - before.get("CreateInvitations", 0) == 3
    assert after["ListMembers"] - before["ListMembers"] == 5  # ceil(120 / 25)


def test_quota_guard_refuses_before_sending(sandbox_server: Any, tmp_path: Path) -> None:
    env = cli_env(sandbox_server.url, tmp_path)
    csv = write_csv(tmp_path / "a.csv", ids(1001))
    run = run_ours(["create-member", "--accounts-file", str(csv), "--regions", "us-east-1,eu-west-1"], env)
    assert run.rc == 252
    assert "us-east-1: 0 accounts hold a place in the quota + 1001 joining = 1001" in run.stderr
    assert sandbox_server.stats()["mutating"] == 0


def test_destructive_bulk_needs_yes_without_terminal(sandbox_server: Any, tmp_path: Path) -> None:
    env = cli_env(sandbox_server.url, tmp_path)
    csv = write_csv(tmp_path / "a.csv", ids(2))
    assert run_ours(["create-member", "--accounts-file", str(csv)], env).rc == 0
    refused = run_ours(["delete-member", "--accounts-file", str(csv)], env)
    assert refused.rc == 252 and "--yes" in refused.stderr
    assert len(statuses(sandbox_server.url, "us-east-1")) == 2
    done = run_ours(["delete-member", "--accounts-file", str(csv), "--yes", "--output", "text"], env)
    assert done.rc == 0
    assert statuses(sandbox_server.url, "us-east-1") == {}
    # Gone already: skipped, not failed.
    again = run_ours(["delete-member", "--accounts-file", str(csv), "--yes"], env)
    assert again.rc == 0 and json.loads(again.stdout)["summary"]["skipped"] == 2


def test_single_region_keeps_aws_cli_output(sandbox_server: Any, tmp_path: Path) -> None:
    env = cli_env(sandbox_server.url, tmp_path)
    run = run_ours(["create-member", "--account", "accountId=111111111111,email=a@example.com", "--regions", "eu-west-1"], env)
    assert run.rc == 0
    assert json.loads(run.stdout) == {"arn": "arn:aws:macie2:eu-west-1:123456789012:member/111111111111"}


def test_list_members_across_regions(sandbox_server: Any, tmp_path: Path) -> None:
    env = cli_env(sandbox_server.url, tmp_path)
    csv = write_csv(tmp_path / "a.csv", ids(2))
    assert run_ours(["create-member", "--accounts-file", str(csv), "--regions", "us-east-1"], env).rc == 0
    run = run_ours(["list-members", "--only-associated", "false", "--regions", "us-east-1,eu-west-1"], env)
    assert run.rc == 0
    regions = json.loads(run.stdout)["regions"]
    assert [(r["region"], len(r["members"])) for r in regions] == [("us-east-1", 2), ("eu-west-1", 0)]


def test_all_regions_skips_regions_not_enabled(sandbox_server: Any, tmp_path: Path) -> None:
    env = cli_env(sandbox_server.url, tmp_path)
    run = run_ours(["create-member", "--account", "accountId=111111111111,email=a@example.com", "--all-regions",
                    "--dry-run", "--output", "text"], env)
    assert run.rc == 0, run.stderr
    regions = {line.split("\t")[0] for line in run.stdout.splitlines()}
    assert {"us-east-1", "eu-west-1", "ap-northeast-1"} <= regions and len(regions) >= 17


def test_table_output_grouped_by_region(sandbox_server: Any, tmp_path: Path) -> None:
    env = cli_env(sandbox_server.url, tmp_path)
    csv = write_csv(tmp_path / "a.csv", ids(2))
    run = run_ours(["create-member", "--accounts-file", str(csv), "--regions", "us-east-1,eu-west-1", "--output", "table"], env)
    assert run.rc == 0
    assert run.stdout.index("eu-west-1") < run.stdout.index("us-east-1")
    assert run.stdout.rstrip().endswith("4 ok, 0 skipped, 0 failed")
    assert all(len(line) <= 80 for line in run.stdout.splitlines())


# ------------------------------------------------------- faults, throttling


@pytest.mark.slow
def test_200_accounts_3_regions_with_faults_and_throttling(server_factory: Any, tmp_path: Path) -> None:
    server = server_factory("--fault-rate", "0.05", "--throttle-rps", "20", "--seed", "11")
    env = cli_env(server.url, tmp_path, AWS_MAX_ATTEMPTS="")  # bulk runs: 8 attempts per request
    accounts = ids(200)
    csv = write_csv(tmp_path / "a.csv", accounts)
    report = tmp_path / "report.jsonl"
    run = run_ours(["create-member", "--accounts-file", str(csv), "--regions", ",".join(REGIONS),
                    "--report", str(report), "--output", "json"], env)
    assert run.rc == 0, run.stderr[-2000:]
    lines = report_lines(report)
    assert len(lines) == 600
    assert {(r["region"], r["accountId"]) for r in lines} == {(g, a) for g in REGIONS for a in accounts}
    assert all(r["outcome"] in ("ok", "skipped") for r in lines)
    for region in REGIONS:
        assert sorted(statuses(server.url, region)) == accounts
    stats = server.stats()
    assert stats["faults"] > 0 and stats["throttled"] > 0


# --------------------------------------------------------------- interrupts


@pytest.mark.posix
@pytest.mark.slow
def test_interrupt_then_rerun_finishes_without_repeating(server_factory: Any, tmp_path: Path) -> None:
    server = server_factory("--latency-ms", "150")
    env = cli_env(server.url, tmp_path)
    accounts = ids(60)
    csv = write_csv(tmp_path / "a.csv", accounts)
    report = tmp_path / "report.jsonl"
    args = [sys.executable, "-m", "macie_members", "create-member", "--accounts-file", str(csv),
            "--max-concurrency", "4", "--report", str(report)]
    proc = subprocess.Popen(args, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            **as_from_a_shell())
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and (not report.exists() or len(report.read_text().splitlines()) < 5):
        time.sleep(0.05)
    proc.send_signal(signal.SIGINT)
    _, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 130, stderr
    assert "Traceback" not in stderr
    first = report_lines(report)
    done_first = {r["accountId"] for r in first if r["outcome"] == "ok"}
    assert 5 <= len(done_first) < 60
    # Everything reported as done is in the inventory, and nothing else is.
    assert set(statuses(server.url, "us-east-1")) == done_first
    rerun = run_ours(args[3:], env)
    assert rerun.rc == 0, rerun.stderr
    lines = report_lines(report)
    second = lines[len(first):]
    assert {r["accountId"] for r in second if r["outcome"] == "skipped"} == done_first
    ok_second = {r["accountId"] for r in second if r["outcome"] == "ok"}
    assert ok_second == set(accounts) - done_first
    assert sorted(statuses(server.url, "us-east-1")) == accounts
    assert server.stats()["requests"]["CreateMember"] == 60


def _run_with_stderr_on_a_terminal(args: list[str], env: dict[str, str]) -> tuple[int, str, str]:
    import os
    import pty

    master, slave = pty.openpty()
    proc = subprocess.Popen([sys.executable, "-m", "macie_members", *args], env=env, stdout=subprocess.PIPE,
                            stderr=slave, stdin=subprocess.DEVNULL)
    os.close(slave)
    stdout = proc.communicate(timeout=120)[0].decode()
    chunks = []
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(master)
    return proc.returncode, stdout, b"".join(chunks).decode(errors="replace")


@pytest.mark.posix
def test_progress_bars_only_on_a_terminal(sandbox_server: Any, tmp_path: Path) -> None:
    env = cli_env(sandbox_server.url, tmp_path, COLUMNS="100")
    env.pop("NO_COLOR")
    csv = write_csv(tmp_path / "a.csv", ids(4))
    rc, stdout, terminal = _run_with_stderr_on_a_terminal(
        ["create-member", "--accounts-file", str(csv), "--regions", "us-east-1,eu-west-1", "--output", "text"], env)
    assert rc == 0
    assert "total" in terminal and "us-east-1" in terminal and "eu-west-1" in terminal and "8/8" in terminal
    assert len(stdout.splitlines()) == 8 and "total" not in stdout  # data only on stdout
    rc, _, terminal = _run_with_stderr_on_a_terminal(
        ["delete-member", "--accounts-file", str(csv), "--regions", "us-east-1,eu-west-1", "--yes", "--no-progress"], env)
    assert rc == 0 and "total" not in terminal
    piped = run_ours(["create-member", "--accounts-file", str(csv), "--regions", "us-east-1,eu-west-1"], env)
    assert piped.rc == 0 and piped.stderr == ""
