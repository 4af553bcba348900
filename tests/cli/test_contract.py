"""The contract of every run, as a matrix over the modes.

Modes: a single command, ``--regions``, ``--all-regions``, ``--accounts-file``, onboard,
sync (in one Region, ``--regions`` and ``--all-regions``), offboard, accept-invitations, status. Each promise -- ``--debug``, ``--query``, ``--report``,
retries, configuration errors, Ctrl-C, declined prompts, ``--dry-run`` -- is tested in every
mode where it applies. Runs go through the real layers: the CLI in this process (click's
CliRunner) or in a subprocess where the process is what is tested (signals, terminals), the
sandbox server, and a fault-injecting proxy in front of it (:mod:`tests.support.faults`).
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import boto3
import pytest

from tests.support.awscli_support import (
    ADMIN,
    accept,
    as_from_a_shell,
    cli_env,
    interrupt_while_held,
    run_on_a_terminal,
    run_ours,
)
from tests.support.faults import MUTATING, FaultProxy
from tests.support.helpers import admin_client, member_client, member_credentials, records

A, B, C = "111111111111", "222222222222", "333333333333"
SECRET = "contract-secret-key-0123456789abcdef"
TOKEN = "contract-session-token-0123456789abcdef"
TWO_REGIONS = "us-east-1,eu-west-1"
RECORD_KEYS = ["results", "summary"]


def add_and_invite(url: str, accounts: tuple[str, ...] = (A, B), *, accepted: tuple[str, ...] = ()) -> None:
    client = admin_client(url)
    for account in accounts:
        client.create_member(account={"accountId": account, "email": f"{account}@example.com"})
    client.create_invitations(accountIds=list(accounts))
    for account in accepted:
        accept(url, account)


def csv_file(tmp_path: Path) -> str:
    path = tmp_path / "accounts.csv"
    path.write_text(f"Account ID,Email\n{A},{A}@example.com\n{B},{B}@example.com\n")
    return str(path)


def only_a(tmp_path: Path) -> str:
    path = tmp_path / "only-a.csv"
    path.write_text(f"Account ID,Email\n{A},{A}@example.com\n")
    return str(path)


def extra_member(url: str) -> None:
    """An account that is a member and not in the accounts file: sync --prune removes it."""
    add_and_invite(url, (C,), accepted=(C,))


@dataclass(frozen=True)
class Mode:
    name: str
    args: Callable[[Path], list[str]]
    setup: Callable[[str], None] = lambda url: None
    records: bool = True  # produces result records
    keys: list[str] = field(default_factory=lambda: RECORD_KEYS)  # top-level keys of its JSON document
    member: str | None = None  # run with this member account's own credentials (member side)

    def __str__(self) -> str:
        return self.name


MODES = [
    Mode("single", lambda tmp: ["create-member", "--account", f"accountId={A},email={A}@example.com"], keys=["arn"]),
    Mode("regions", lambda tmp: ["create-member", "--account", f"accountId={A},email={A}@example.com",
                                 "--regions", TWO_REGIONS]),
    Mode("all-regions", lambda tmp: ["create-member", "--account", f"accountId={A},email={A}@example.com",
                                     "--all-regions"]),
    Mode("accounts-file", lambda tmp: ["create-member", "--accounts-file", csv_file(tmp)]),
    Mode("onboard", lambda tmp: ["onboard", csv_file(tmp)]),
    Mode("sync", lambda tmp: ["sync", csv_file(tmp), "--prune", "--yes"], setup=extra_member),
    Mode("sync-regions", lambda tmp: ["sync", csv_file(tmp), "--prune", "--yes", "--regions", TWO_REGIONS],
         setup=extra_member),
    Mode("sync-all-regions", lambda tmp: ["sync", csv_file(tmp), "--prune", "--yes", "--all-regions"],
         setup=extra_member),
    Mode("offboard", lambda tmp: ["offboard", "--account-ids", A, B, "--yes"],
         setup=lambda url: add_and_invite(url, accepted=(A,))),
    Mode("accept-invitations", lambda tmp: ["accept-invitations", "--role-name", "MacieAccept", "--account-ids", A, B],
         setup=lambda url: add_and_invite(url)),
    Mode("status", lambda tmp: ["status", "--accounts-file", csv_file(tmp)], setup=lambda url: add_and_invite(url),
         records=False, keys=["regions", "accounts", "counts", "countsByMembershipType", "attention", "errors"]),
    Mode("member-side", lambda tmp: ["decline-invitations", "--account-ids", ADMIN, OTHER, "--regions", TWO_REGIONS,
                                     "--yes"], setup=lambda url: invited_by_two(url), member=A),
]


def invited_by_two(url: str) -> None:
    """A invited by ADMIN and by OTHER, in both Regions (pending)."""
    for region in TWO_REGIONS.split(","):
        for sender in (ADMIN, OTHER):
            client = admin_client(url, region) if sender == ADMIN else member_client(url, sender, region)
            client.create_member(account={"accountId": A, "email": f"{A}@example.com"})
            client.create_invitations(accountIds=[A])


def mode_env(mode: Mode, url: str, sandbox_url: str, tmp_path: Path, **extra: str) -> dict[str, str]:
    """:func:`env_for`, with the member's own credentials in a member-side mode."""
    credentials = member_credentials(sandbox_url, mode.member) if mode.member else {}
    return env_for(url, tmp_path, **{**credentials, **extra})
ALL_MODES = pytest.mark.parametrize("mode", MODES, ids=str)
OTHER = "999999999999"


def env_for(url: str, tmp_path: Path, **extra: str) -> dict[str, str]:
    # AWS_MAX_ATTEMPTS unset: every mode uses its own default number of attempts.
    settings = {"AWS_SECRET_ACCESS_KEY": SECRET, "AWS_SESSION_TOKEN": TOKEN, "AWS_MAX_ATTEMPTS": "", **extra}
    return cli_env(url, tmp_path, **settings)


# ----------------------------------------------------------------------------- --debug


@ALL_MODES
def test_debug_logs_every_request_and_response_without_secrets(mode: Mode, proxy: FaultProxy,
                                                               sandbox_server: Any, tmp_path: Path) -> None:
    mode.setup(sandbox_server.url)
    env = mode_env(mode, proxy.url, sandbox_server.url, tmp_path)
    run = run_ours([*mode.args(tmp_path), "--debug"], env)
    assert run.rc == 0, run.stderr[-3000:]
    requests = sum(proxy.seen.values())
    assert requests > 0
    assert run.stderr.count("Making request for OperationModel(name=") == requests
    assert run.stderr.count("Response body:") == requests
    assert env["AWS_SECRET_ACCESS_KEY"] not in run.stderr and env["AWS_SESSION_TOKEN"] not in run.stderr
    assert SECRET not in run.stderr and TOKEN not in run.stderr
    assert "Traceback" not in run.stderr


# ----------------------------------------------------------------------------- --query


@ALL_MODES
def test_query_applies_to_the_document_printed(mode: Mode, proxy: FaultProxy, sandbox_server: Any,
                                               tmp_path: Path) -> None:
    mode.setup(sandbox_server.url)
    run = run_ours([*mode.args(tmp_path), "--query", "keys(@)"], mode_env(mode, proxy.url, sandbox_server.url, tmp_path))
    assert run.rc == 0, run.stderr
    assert json.loads(run.stdout) == mode.keys
    sandbox_server.reset()
    mode.setup(sandbox_server.url)
    text = run_ours([*mode.args(tmp_path), "--query", "keys(@)", "--output", "text"],
                    mode_env(mode, proxy.url, sandbox_server.url, tmp_path))
    assert text.rc == 0 and text.stdout.split() == mode.keys


# ---------------------------------------------------------------------------- --report


@ALL_MODES
def test_report_holds_every_record_or_is_refused(mode: Mode, proxy: FaultProxy, sandbox_server: Any,
                                                tmp_path: Path) -> None:
    mode.setup(sandbox_server.url)
    report = tmp_path / "run.jsonl"
    run = run_ours([*mode.args(tmp_path), "--report", str(report)],
                   mode_env(mode, proxy.url, sandbox_server.url, tmp_path))
    if not mode.records:
        assert run.rc == 252 and run.stdout == ""
        assert "--report" in run.stderr
        assert not report.exists()
        assert sum(proxy.seen.values()) == 0
        return
    assert run.rc == 0, run.stderr
    written = [json.loads(line) for line in report.read_text().splitlines()]
    if mode.name == "single":
        assert written == [{"region": "us-east-1", "accountId": A, "action": "create-member", "outcome": "ok",
                            "errorCode": None, "errorMessage": None, "arn": json.loads(run.stdout)["arn"],
                            "status": "Created", "note": None}]
        return
    printed = records(run.stdout)
    assert sorted(map(json.dumps, written)) == sorted(map(json.dumps, printed))
    mutating = sum(n for op, n in proxy.seen.items() if op in MUTATING)
    assert mutating > 0 and len(written) >= mutating


@pytest.mark.parametrize("args", [["list-members"], ["list-members", "--regions", TWO_REGIONS], ["status"],
                                  ["create-member", "--account", f"accountId={A},email=a@example.com", "--dry-run"],
                                  ["onboard", "ACCOUNTS", "--plan"], ["sync", "ACCOUNTS", "--plan"],
                                  ["sync", "ACCOUNTS", "--plan", "--detailed-exitcode", "--prune"]])
def test_report_on_a_run_without_records_is_refused(args: list[str], proxy: FaultProxy, tmp_path: Path) -> None:
    report = tmp_path / "r.jsonl"
    args = [csv_file(tmp_path) if a == "ACCOUNTS" else a for a in args]
    run = run_ours([*args, "--report", str(report)], env_for(proxy.url, tmp_path))
    assert run.rc == 252 and run.stdout == ""
    assert "--report" in run.stderr and "Traceback" not in run.stderr
    assert not report.exists() and sum(proxy.seen.values()) == 0


# ---------------------------------------------------------------------------- retries

# TooManyRequestsException is what Macie answers; ThrottlingException, the modelled code, is
# classified by the same table (tests/unit/test_aws_client.py) and tried here in one mode.
SLOW = pytest.mark.slow  # a throttled answer slows the client's pacer down, in real time
FAULTS = [*(pytest.param("throttle", m, id=f"throttle-{m}", marks=SLOW) for m in MODES),
          pytest.param("throttling", MODES[3], id="throttling-accounts-file", marks=SLOW),
          *(pytest.param("server", m, id=f"server-{m}") for m in MODES),
          *(pytest.param("lost", m, id=f"lost-{m}") for m in MODES)]


@pytest.mark.parametrize(("fault", "mode"), FAULTS)
def test_every_request_is_retried_the_same_way(fault: str, mode: Mode, sandbox_server: Any, tmp_path: Path) -> None:
    """The first attempt of every request (Macie, STS, EC2) fails -- for throttling, the first
    request of each client (account and Region) -- and the run still does the whole job; an
    answer lost after the work was done is never a failure."""
    mode.setup(sandbox_server.url)
    proxy = FaultProxy(sandbox_server.url, fault, once_per_client=fault in ("throttle", "throttling"))
    try:
        run = run_ours(mode.args(tmp_path), mode_env(mode, proxy.url, sandbox_server.url, tmp_path))
    finally:
        proxy.stop()
    assert run.rc == 0, run.stderr[-3000:]
    assert sum(proxy.faulted.values()) > 0
    if mode.keys == RECORD_KEYS:
        outcomes = {(r["action"], r["outcome"]) for r in records(run.stdout)}
        assert not any(outcome == "failed" for _, outcome in outcomes), run.stdout
    if fault == "lost" and mode.records and mode.name != "single":
        skipped = [r for r in records(run.stdout) if r["outcome"] == "skipped" and r["errorMessage"]
                   and ("by retry" in r["errorMessage"] or "by a read" in r["errorMessage"])]
        assert skipped or mode.name == "accept-invitations", run.stdout


def test_throttled_request_gives_the_services_message_when_attempts_run_out(sandbox_server: Any,
                                                                           tmp_path: Path) -> None:
    proxy = FaultProxy(sandbox_server.url, "throttle", {"CreateMember"})
    try:
        env = env_for(proxy.url, tmp_path, AWS_MAX_ATTEMPTS="1")
        run = run_ours(["create-member", "--accounts-file", csv_file(tmp_path)], env)
    finally:
        proxy.stop()
    assert run.rc == 254
    failed = [r for r in records(run.stdout) if r["outcome"] == "failed"]
    assert {r["errorCode"] for r in failed} == {"TooManyRequestsException"}
    assert {r["errorMessage"] for r in failed} == {"injected throttle"}  # the service's own message


# ------------------------------------------------------------------ configuration errors

CONFIG_ERRORS = {
    "retry-mode": ({"AWS_RETRY_MODE": "bogus"}, "", "Invalid retry mode 'bogus' (AWS_RETRY_MODE)"),
    "max-attempts": ({"AWS_MAX_ATTEMPTS": "abc"}, "", "Invalid max attempts 'abc' (AWS_MAX_ATTEMPTS)"),
    "max-attempts-zero": ({"AWS_MAX_ATTEMPTS": "0"}, "", "Invalid max attempts '0'"),
    "profile-retry-mode": ({}, "[default]\nretry_mode = fast\n", "Invalid retry mode 'fast' (retry_mode"),
    "config-syntax": ({}, "[default\nregion = us-east-1\n", "Unable to parse config file"),
    "unknown-profile": ({"AWS_PROFILE": "nope"}, "", "The config profile (nope) could not be found"),
}


@ALL_MODES
@pytest.mark.parametrize("error", list(CONFIG_ERRORS))
def test_configuration_errors_exit_253_with_one_line(mode: Mode, error: str, proxy: FaultProxy,
                                                     tmp_path: Path) -> None:
    variables, config_text, message = CONFIG_ERRORS[error]
    env = env_for(proxy.url, tmp_path, **variables)
    if config_text:
        Path(env["AWS_CONFIG_FILE"]).write_text(config_text)
    run = run_ours(mode.args(tmp_path), env)
    assert run.rc == 253, run.stderr
    assert run.stdout == ""
    lines = [line for line in run.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and message in lines[0], run.stderr
    assert sum(proxy.seen.values()) == 0


# ------------------------------------------------------------------ list-members paging


@pytest.mark.parametrize("option", [["--max-items", "1"], ["--starting-token", "x"], ["--no-paginate"],
                                    ["--max-results", "5"], ["--next-token", "x"],
                                    ["--cli-input-json", '{"nextToken": "x", "maxResults": 1}']])
@pytest.mark.parametrize("regions", [["--regions", TWO_REGIONS], ["--all-regions"]])
def test_paging_one_region_is_refused_across_regions(option: list[str], regions: list[str], proxy: FaultProxy,
                                                     tmp_path: Path) -> None:
    run = run_ours(["list-members", *regions, *option], env_for(proxy.url, tmp_path))
    assert run.rc == 252 and run.stdout == ""
    named = "nextToken" if option[0] == "--cli-input-json" else option[0]
    assert named in run.stderr and "each Region is listed whole" in run.stderr
    assert sum(proxy.seen.values()) == 0


def test_page_size_applies_to_every_region(proxy: FaultProxy, sandbox_server: Any, tmp_path: Path) -> None:
    for region in ("us-east-1", "eu-west-1"):
        client = admin_client(sandbox_server.url, region)
        for i in range(3):
            client.create_member(account={"accountId": f"30000000000{i}", "email": f"m{i}@example.com"})
    run = run_ours(["list-members", "--only-associated", "false", "--regions", TWO_REGIONS, "--page-size", "1"],
                   env_for(proxy.url, tmp_path))
    assert run.rc == 0, run.stderr
    document = json.loads(run.stdout)
    assert [len(r["members"]) for r in document["regions"]] == [3, 3]
    assert proxy.seen["ListMembers"] == 6  # 3 pages of 1 in each Region


# ------------------------------------------------------------------------------ dry runs


@pytest.mark.parametrize("mode", [m for m in MODES if m.records and m.name != "single"], ids=str)
def test_dry_run_prints_exactly_the_requests_the_run_sends(mode: Mode, proxy: FaultProxy, sandbox_server: Any,
                                                           tmp_path: Path) -> None:
    mode.setup(sandbox_server.url)
    dry = run_ours([*mode.args(tmp_path), "--dry-run"], mode_env(mode, proxy.url, sandbox_server.url, tmp_path))
    assert dry.rc == 0, dry.stderr
    assert not proxy.answered  # nothing was changed
    planned = sorted(json.dumps([r["region"], r["operation"], r["params"]], sort_keys=True)
                     for r in json.loads(dry.stdout)["requests"])
    real = run_ours(mode.args(tmp_path), mode_env(mode, proxy.url, sandbox_server.url, tmp_path))
    assert real.rc == 0, real.stderr
    sent = sorted(json.dumps([region, operation, params], sort_keys=True)
                  for region, operation, params in proxy.answered)
    assert planned == sent and planned


@pytest.mark.parametrize("output", ["json", "text", "table", "csv"])
def test_dry_run_honours_output(output: str, proxy: FaultProxy, tmp_path: Path) -> None:
    run = run_ours(["create-member", "--accounts-file", csv_file(tmp_path), "--regions", TWO_REGIONS, "--dry-run",
                    "--output", output], env_for(proxy.url, tmp_path))
    assert run.rc == 0, run.stderr
    if output == "json":
        assert len(json.loads(run.stdout)["requests"]) == 4
    elif output == "text":
        assert [line.split("\t")[1] for line in run.stdout.splitlines()] == ["CreateMember"] * 4
    elif output == "csv":
        lines = run.stdout.splitlines()
        assert lines[0] == "region,operation,params,as" and len(lines) == 5
    else:
        assert "requests a run would send" in run.stdout and "4 request(s); nothing was sent." in run.stdout
        assert not run.stdout.lstrip().startswith("{")


@pytest.mark.parametrize("command", [["create-member", "--accounts-file", "BIG"], ["onboard", "BIG"], ["sync", "BIG"],
                                     ["sync", "BIG", "--prune", "--yes"]])
def test_dry_run_refuses_what_the_run_refuses(command: list[str], proxy: FaultProxy, sandbox_server: Any,
                                              tmp_path: Path) -> None:
    big = tmp_path / "big.csv"
    big.write_text("Account ID,Email\n" + "".join(f"{200000000000 + i},m{i}@example.com\n" for i in range(1001)))
    args = [str(big) if a == "BIG" else a for a in command]
    for dry in (["--dry-run"], []):
        run = run_ours([*args, *dry], env_for(proxy.url, tmp_path))
        assert run.rc == 252, run.stdout[-500:]
        assert "Refusing to exceed the member quota; nothing was sent" in run.stderr
        assert run.stdout == ""
    assert not proxy.answered


# ------------------------------------------------------------------------------ Ctrl-C


@pytest.mark.slow
@pytest.mark.posix
@ALL_MODES
def test_ctrl_c_records_what_was_answered_and_a_rerun_finishes(mode: Mode, proxy: FaultProxy, sandbox_server: Any,
                                                               tmp_path: Path) -> None:
    mode.setup(sandbox_server.url)
    report = tmp_path / "first.jsonl"
    args = mode.args(tmp_path) + (["--report", str(report)] if mode.records else [])
    proxy.hold = set(MUTATING) if mode.records else {"ListMembers"}
    proxy.pass_first = 0 if mode.name in ("single", "status") else 1
    run = interrupt_while_held(proxy, args, mode_env(mode, proxy.url, sandbox_server.url, tmp_path))
    stderr = run.stderr
    assert run.rc == 130, stderr
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert lines and lines[-1].startswith("Interrupted:"), stderr
    assert "Traceback" not in stderr
    assert "Run the same command again" in lines[-1] or lines[-1].endswith("nothing was left to send.")
    if not mode.records:
        assert "no change was made" in lines[-1]
        return
    recorded = [json.loads(line) for line in report.read_text().splitlines()] if report.exists() else []
    if mode.name == "single":
        # The request in flight was answered before the process ended, and recorded.
        assert [(r["action"], r["outcome"]) for r in recorded] == [("create-member", "ok")]
        assert lines[-1].endswith("nothing was left to send.")
        return
    # Every mutating request answered before the process ended has its record.
    by_key = {(r["region"], r["accountId"], r["action"]) for r in recorded}
    for region, operation, params in proxy.answered:
        accounts = params.get("accountIds") or [params.get("id") or params.get("account", {}).get("accountId") or A]
        action = "".join(f"-{c.lower()}" if c.isupper() else c for c in operation).lstrip("-")
        for account in accounts:
            assert (region, account, action) in by_key, (region, account, action, recorded)
    answered_before = len(proxy.answered)
    assert answered_before >= 1
    # A rerun finishes the job, without repeating what was done.
    proxy.hold = set()
    rerun = run_ours(mode.args(tmp_path), mode_env(mode, proxy.url, sandbox_server.url, tmp_path))
    assert rerun.rc == 0, rerun.stderr
    first_done = {(r["region"], r["accountId"], r["action"]) for r in recorded if r["outcome"] == "ok"}
    again = {(r["region"], r["accountId"], r["action"]) for r in records(rerun.stdout) if r["outcome"] == "ok"}
    assert not first_done & again


#: SIGTERM in every mode that sends; SIGHUP (the same code path) in a few, to keep CI time low.
STOP_SIGNAL_RUNS = [pytest.param(m, "SIGTERM", id=f"{m.name}-SIGTERM") for m in MODES
                    if m.name not in ("status", "sync-regions", "sync-all-regions")] + [
    pytest.param(m, "SIGHUP", id=f"{m.name}-SIGHUP") for m in MODES
    if m.name in ("single", "accounts-file", "sync", "member-side")]


@pytest.mark.slow
@pytest.mark.posix
@pytest.mark.parametrize(("mode", "signal_name"), STOP_SIGNAL_RUNS)
def test_sigterm_and_sighup_stop_like_ctrl_c_and_a_rerun_finishes(mode: Mode, signal_name: str, proxy: FaultProxy,
                                                                  sandbox_server: Any, tmp_path: Path) -> None:
    """A service manager's SIGTERM, a closed terminal's SIGHUP: the run stops as for Ctrl-C, exits
    128 + the signal's number, and prints the document of what was done (a drop-in: nothing)."""
    mode.setup(sandbox_server.url)
    proxy.hold = set(MUTATING)
    proxy.pass_first = 0 if mode.name == "single" else 1
    env = mode_env(mode, proxy.url, sandbox_server.url, tmp_path)
    run = interrupt_while_held(proxy, mode.args(tmp_path), env, signal_name)
    assert run.rc == {"SIGTERM": 143, "SIGHUP": 129}[signal_name], run.stderr
    lines = [line for line in run.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("Interrupted:"), run.stderr
    assert "Run the same command again" in lines[0] or lines[0].endswith("nothing was left to send.")
    if mode.name == "single":
        assert run.stdout == ""  # as `aws macie2`: a drop-in that didn't finish prints no response
        # The request in flight was answered before the process ended: the job is done, once.
        members = admin_client(sandbox_server.url).list_members(onlyAssociated="false")["members"]
        assert [m["accountId"] for m in members] == [A]
        return
    document = json.loads(run.stdout)
    assert document["summary"]["interrupted"] is True and document["summary"]["signal"] == signal_name
    first_done = {(r["region"], r["accountId"], r["action"]) for r in document["results"] if r["outcome"] == "ok"}
    proxy.hold = set()
    rerun = run_ours(mode.args(tmp_path), env)
    assert rerun.rc == 0, rerun.stderr
    again = [(r["region"], r["accountId"], r["action"]) for r in records(rerun.stdout) if r["outcome"] == "ok"]
    assert not first_done & set(again) and len(again) == len(set(again))


@pytest.mark.slow
@pytest.mark.posix
def test_ctrl_c_restores_the_terminal(proxy: FaultProxy, tmp_path: Path) -> None:
    """With progress bars on a terminal (the cursor hidden), Ctrl-C shows the cursor again."""
    import pty

    proxy.hold = set(MUTATING)
    proxy.pass_first = 1
    leader, follower = pty.openpty()
    env = env_for(proxy.url, tmp_path, TERM="xterm", COLUMNS="100")
    process = subprocess.Popen([sys.executable, "-m", "macie_members", "create-member", "--accounts-file",
                                csv_file(tmp_path), "--regions", TWO_REGIONS], env=env, **as_from_a_shell(),
                               stdin=follower,
                               stdout=subprocess.PIPE, stderr=follower, text=True)
    os.close(follower)
    output = b""
    try:
        assert proxy.held.wait(timeout=60)
        time.sleep(0.3)
        process.send_signal(signal.SIGINT)
        proxy.release.set()
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                chunk = os.read(leader, 65536)
            except OSError:
                break
            if not chunk:
                break
            output += chunk
        process.wait(timeout=60)
    finally:
        proxy.release.set()
        os.close(leader)
        if process.poll() is None:
            process.kill()
    assert process.returncode == 130
    text = output.decode("utf-8", "replace")
    assert "\x1b[?25l" in text  # the progress bars hid the cursor...
    assert text.rindex("\x1b[?25h") > text.rindex("\x1b[?25l")  # ...and it is shown again
    assert "Interrupted:" in text


# ---------------------------------------------------------------------- declined prompts

DESTRUCTIVE = {
    "delete-member": (lambda tmp: ["delete-member", "--accounts-file", csv_file(tmp)], "Created"),
    "disassociate-member": (lambda tmp: ["disassociate-member", "--id", A, "--regions", TWO_REGIONS], "Invited"),
    "update-member-session": (lambda tmp: ["update-member-session", "--accounts-file", csv_file(tmp),
                                           "--status", "PAUSED"], "Enabled"),
    "offboard": (lambda tmp: ["offboard", "--account-ids", A, B], "Invited"),
    "sync": (lambda tmp: ["sync", only_a(tmp), "--prune", "--regions", TWO_REGIONS], "Enabled"),
}


@pytest.mark.slow
@pytest.mark.posix
@pytest.mark.parametrize("answer", [b"n\n", b"\x04"], ids=["no", "ctrl-d"])
@pytest.mark.parametrize("command", list(DESTRUCTIVE))
def test_declining_the_prompt_changes_nothing_and_exits_1(command: str, answer: bytes, proxy: FaultProxy,
                                                          sandbox_server: Any, tmp_path: Path) -> None:

    build, _status = DESTRUCTIVE[command]
    for region in ("us-east-1", "eu-west-1"):
        client = admin_client(sandbox_server.url, region)
        for account in (A, B):
            client.create_member(account={"accountId": account, "email": f"{account}@example.com"})
        client.create_invitations(accountIds=[A, B])
    if command != "delete-member":  # a bulk delete-member plans no request for members (offboard does)
        accept(sandbox_server.url, A)
        accept(sandbox_server.url, B)
    report = tmp_path / "declined.jsonl"
    rc, _stdout, text = run_on_a_terminal([*build(tmp_path), "--report", str(report)], env_for(proxy.url, tmp_path),
                                          answer)
    assert "[y/N]" in text and " (account, Region) pair" in text
    assert rc == 1, text
    assert "Cancelled: no change was made" in text
    assert not proxy.answered
    assert not report.exists()  # nothing to record: no empty file left behind


# ------------------------------------------------------------------------- onboard --wait


@pytest.mark.slow
def test_onboard_wait_waits_the_whole_timeout(server_factory: Any, tmp_path: Path) -> None:
    """Verification outlasts the timeout: onboard polls until the timeout has passed, not less
    (the wait loop itself is tested with a fake clock in tests/unit/test_flows_workflows.py)."""
    server = server_factory("--verification-delay", "60")
    started = time.monotonic()
    run = run_ours(["onboard", csv_file(tmp_path), "--wait", "--timeout", "2.5"], env_for(server.url, tmp_path))
    elapsed = time.monotonic() - started
    assert run.rc == 254, run.stderr
    waits = [r for r in records(run.stdout) if r["action"] == "wait"]
    assert {(r["accountId"], r["errorCode"], r["errorMessage"]) for r in waits} == {
        (A, "Timeout", "still pending after 2.5 s"), (B, "Timeout", "still pending after 2.5 s")}
    assert elapsed >= 2.5
    # the inventory, again before inviting, then polls at 0, 1 and 2.5 s
    assert server.stats()["requests"]["ListMembers"] == 5


# ------------------------------------------------------- a Region that can't be read, in every mode

READING_MODES = [m for m in MODES if m.name not in ("single", "accept-invitations")]


@pytest.mark.parametrize("mode", READING_MODES, ids=str)
def test_a_region_that_cannot_be_read_fails_the_run(mode: Mode, sandbox_server: Any, tmp_path: Path) -> None:
    mode.setup(sandbox_server.url)
    # The member side reads the member's invitations; the administrator's side, the inventory.
    read, action, account = ("ListInvitations", mode.args(tmp_path)[0], ADMIN) if mode.member else \
        ("ListMembers", "list-members", A)
    proxy = FaultProxy(sandbox_server.url, "server", {read})
    try:
        run = run_ours(mode.args(tmp_path), mode_env(mode, proxy.url, sandbox_server.url, tmp_path,
                                                     AWS_MAX_ATTEMPTS="1"))
    finally:
        proxy.stop()
    assert run.rc == 254, run.stderr
    assert not proxy.answered  # nothing changed where nothing could be read
    if mode.name == "status":
        assert {e["errorCode"] for e in json.loads(run.stdout)["errors"]} == {"InternalServerException"}
        return
    failed = [r for r in records(run.stdout) if r["outcome"] == "failed"]
    assert failed and {(r["action"], r["errorCode"]) for r in failed} == {(action, "InternalServerException")}
    assert {r["accountId"] for r in failed} >= {account}


@pytest.mark.parametrize("args", [["onboard", "ACCOUNTS", "--plan"], ["onboard", "ACCOUNTS", "--dry-run"],
                                  ["sync", "ACCOUNTS", "--plan"], ["sync", "ACCOUNTS", "--dry-run", "--prune"],
                                  ["sync", "ACCOUNTS", "--plan", "--detailed-exitcode", "--all-regions"],
                                  ["create-member", "--accounts-file", "ACCOUNTS", "--dry-run"],
                                  ["status", "--output", "text"], ["status", "--output", "csv"]])
def test_reads_and_plans_say_when_a_region_cannot_be_read(args: list[str], sandbox_server: Any,
                                                          tmp_path: Path) -> None:
    proxy = FaultProxy(sandbox_server.url, "server", {"ListMembers"})
    try:
        args = [csv_file(tmp_path) if a == "ACCOUNTS" else a for a in args]
        run = run_ours(args, env_for(proxy.url, tmp_path, AWS_MAX_ATTEMPTS="1"))
    finally:
        proxy.stop()
    assert run.rc == 254, run.stderr
    assert "InternalServerException" in run.stderr + run.stdout


# ----------------------------------------------------------------------- drop-in dry runs


@pytest.mark.parametrize("args", [["create-member", "--account", f"accountId={A},email=a@example.com"],
                                  ["delete-member", "--id", "999999999999"],
                                  ["create-invitations", "--account-ids", f"{A},{B}"]])
def test_a_drop_in_dry_run_prints_its_one_request_as_given(args: list[str], proxy: FaultProxy,
                                                           sandbox_server: Any, tmp_path: Path) -> None:
    add_and_invite(sandbox_server.url, (A,))
    run = run_ours([*args, "--dry-run"], env_for(proxy.url, tmp_path))
    assert run.rc == 0, run.stderr
    [request] = json.loads(run.stdout)["requests"]
    assert request["region"] == "us-east-1" and request["operation"] in ("CreateMember", "DeleteMember",
                                                                          "CreateInvitations")
    assert sum(proxy.seen.values()) == 0  # read nothing, sent nothing


def test_a_dry_run_says_what_would_fail_before_sending(proxy: FaultProxy, tmp_path: Path) -> None:
    run = run_ours(["create-invitations", "--accounts-file", csv_file(tmp_path), "--dry-run"],
                   env_for(proxy.url, tmp_path))
    assert run.rc == 254
    assert json.loads(run.stdout)["requests"] == []
    assert f"us-east-1: {A}: create-invitations would fail: NotInInventory" in run.stderr


def test_member_side_dry_run_requests_say_which_account_sends_them(proxy: FaultProxy, sandbox_server: Any,
                                                                   tmp_path: Path) -> None:
    add_and_invite(sandbox_server.url, (A,))
    run = run_ours(["accept-invitations", "--role-name", "R", "--account-ids", A, "--dry-run"],
                   env_for(proxy.url, tmp_path))
    assert run.rc == 0, run.stderr
    [request] = json.loads(run.stdout)["requests"]
    assert (request["operation"], request["as"]) == ("AcceptInvitation", A)


# ---------------------------------------------------------------- plans and their options


CONVERGING = pytest.mark.parametrize("command", [["onboard"], ["sync"], ["sync", "--prune"]], ids=" ".join)


@CONVERGING
@pytest.mark.parametrize(("extra", "message"), [(["--dry-run"], "--dry-run"), (["--wait"], "--wait"),
                                                (["--report", "r.jsonl"], "--report")])
def test_plan_is_not_combined(command: list[str], extra: list[str], message: str, proxy: FaultProxy,
                              tmp_path: Path) -> None:
    run = run_ours([command[0], csv_file(tmp_path), *command[1:], "--plan", *extra], env_for(proxy.url, tmp_path))
    assert run.rc == 252 and message in run.stderr and sum(proxy.seen.values()) == 0


@CONVERGING
def test_plan_refuses_a_file_over_the_quota(command: list[str], proxy: FaultProxy, tmp_path: Path) -> None:
    big = tmp_path / "big.csv"
    big.write_text("Account ID,Email\n" + "".join(f"{200000000000 + i},m{i}@example.com\n" for i in range(1001)))
    run = run_ours([command[0], str(big), *command[1:], "--plan"], env_for(proxy.url, tmp_path))
    assert run.rc == 252 and "over the quota" in run.stderr and run.stdout == ""


@CONVERGING
@pytest.mark.parametrize("value", ["nan", "inf"])
def test_wait_timeout_is_a_number(command: list[str], value: str, proxy: FaultProxy, tmp_path: Path) -> None:
    run = run_ours([command[0], csv_file(tmp_path), *command[1:], "--wait", "--timeout", value],
                   env_for(proxy.url, tmp_path))
    assert run.rc == 252 and "--timeout" in run.stderr and sum(proxy.seen.values()) == 0


@pytest.mark.slow
def test_onboard_wait_also_waits_for_accounts_an_earlier_run_invited(server_factory: Any, tmp_path: Path) -> None:
    server = server_factory("--verification-delay", "60")
    env = env_for(server.url, tmp_path)
    assert run_ours(["onboard", csv_file(tmp_path)], env).rc == 0
    again = run_ours(["onboard", csv_file(tmp_path), "--wait", "--timeout", "1"], env)
    assert again.rc == 254
    waits = {r["accountId"]: r["errorCode"] for r in records(again.stdout) if r["action"] == "wait"}
    assert waits == {A: "Timeout", B: "Timeout"}


# ------------------------------------------------------------------------- batched answers


@pytest.mark.parametrize("command", ["onboard", "sync"])
def test_accounts_left_unprocessed_with_internal_error_are_sent_again(command: str, sandbox_server: Any,
                                                                      tmp_path: Path) -> None:
    proxy = FaultProxy(sandbox_server.url, "internal", {"CreateInvitations"})
    try:
        run = run_ours([command, csv_file(tmp_path), "--regions", TWO_REGIONS], env_for(proxy.url, tmp_path))
    finally:
        proxy.stop()
    assert run.rc == 0, run.stdout
    invited = [r for r in records(run.stdout) if r["action"] == "create-invitations"]
    assert [r["outcome"] for r in invited] == ["ok"] * 4
    assert proxy.seen["CreateInvitations"] == 4  # each Region: the batch, then the retry


# --------------------------------------------------------------------------- report files


@pytest.mark.posix
def test_a_report_that_cannot_be_written_stops_the_run(proxy: FaultProxy, tmp_path: Path) -> None:
    if not Path("/dev/full").exists():
        pytest.skip("needs /dev/full")
    big = tmp_path / "many.csv"
    big.write_text("Account ID,Email\n" + "".join(f"{300000000000 + i},m{i}@example.com\n" for i in range(50)))
    run = run_ours(["create-member", "--accounts-file", str(big), "--report", "/dev/full", "--max-concurrency", "1"],
                   env_for(proxy.url, tmp_path))
    assert run.rc == 253
    lines = [line for line in run.stderr.splitlines() if line.strip()]
    assert lines[-1].startswith("Can't write the report file /dev/full (No space left on device): the run stopped")
    assert "Traceback" not in run.stderr
    assert len(proxy.answered) < 50  # it stopped sending


def test_a_report_is_never_appended_to_a_file_that_is_not_one(proxy: FaultProxy, tmp_path: Path) -> None:
    accounts = csv_file(tmp_path)
    before = Path(accounts).read_text()
    run = run_ours(["create-member", "--accounts-file", accounts, "--report", accounts], env_for(proxy.url, tmp_path))
    assert run.rc == 252 and "not a report file" in run.stderr
    assert Path(accounts).read_text() == before and not proxy.answered


def test_a_lost_answer_to_sandbox_accept_is_no_failure(sandbox_server: Any, tmp_path: Path) -> None:
    add_and_invite(sandbox_server.url, (A,))
    proxy = FaultProxy(sandbox_server.url, "lost", {"AcceptInvitation"})
    try:
        run = run_ours(["sandbox", "accept", "--account", A], env_for(proxy.url, tmp_path))
    finally:
        proxy.stop()
    assert run.rc == 0, run.stderr
    assert json.loads(run.stdout)["accepted"] is True and proxy.faulted["AcceptInvitation"] == 1


def test_a_reset_forgets_the_roles_denied(sandbox_server: Any) -> None:
    role = f"arn:aws:iam::{A}:role/R"
    sandbox_server.control("/_sandbox/deny-role", {"roleArn": role})
    sandbox_server.reset()
    sts = boto3.client("sts", region_name="us-east-1", endpoint_url=sandbox_server.url,
                       aws_access_key_id="testing", aws_secret_access_key="testing")
    assert sts.assume_role(RoleArn=role, RoleSessionName="session")["Credentials"]["AccessKeyId"]
