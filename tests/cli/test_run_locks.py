"""One mutating run per (account, Region) at a time (issue 20): a run that changes members
takes the run lock before its first read; another run's lock is waited for, said once on
stderr naming the holder, up to ``--lock-timeout``, then exit 75 with nothing sent. Read-only
runs and dry runs take no lock. In every mode (the modes of :mod:`tests.cli.test_contract`)."""

from __future__ import annotations

import contextlib
import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from filelock import FileLock

from tests.cli.test_contract import MODES, TWO_REGIONS, Mode, add_and_invite, csv_file, mode_env
from tests.support.awscli_support import ADMIN, run_ours, while_held
from tests.support.helpers import ROOT, admin_client, write_csv

HOLDER = {"pid": 4242, "command": "macie-members sync accounts.csv --prune --yes", "started": "2026-01-01T00:00:00Z"}


@contextlib.contextmanager
def held(lock_dir: Path, account: str, region: str = "us-east-1") -> Iterator[None]:
    """The run lock of (account, region), held by "another run" (this test), with its info."""
    lock_dir.mkdir(parents=True, exist_ok=True)
    path = lock_dir / f"{account}-{region}.lock"
    path.with_suffix(".info").write_text(json.dumps(HOLDER))
    with FileLock(str(path)):
        yield


CHANGING = [m for m in MODES if m.name != "status"]


@pytest.mark.parametrize("mode", CHANGING, ids=str)
def test_a_locked_account_and_region_is_exit_75_and_nothing_is_sent(mode: Mode, sandbox_server: Any,
                                                                     tmp_path: Path) -> None:
    mode.setup(sandbox_server.url)
    env = mode_env(mode, sandbox_server.url, sandbox_server.url, tmp_path)
    before = sandbox_server.stats()["mutating"]
    with held(tmp_path / "locks", mode.member or ADMIN):
        run = run_ours(["--lock-timeout", "0", *mode.args(tmp_path)], env)
    assert run.rc == 75, run.stderr
    assert run.stdout == ""
    assert run.stderr.count("\n") == 1 and "pid 4242 (macie-members sync accounts.csv" in run.stderr
    assert "nothing was sent" in run.stderr and "us-east-1" in run.stderr
    assert sandbox_server.stats()["mutating"] == before


READ_ONLY = [["list-members"], ["get-member", "--id", "111111111111"], ["list-members", "--regions", TWO_REGIONS],
             ["status", "--accounts-file", "CSV"], ["sync", "CSV", "--plan"], ["sync", "CSV", "--prune", "--dry-run"],
             ["onboard", "CSV", "--dry-run"], ["create-member", "--accounts-file", "CSV", "--dry-run"],
             ["create-member", "--account", "accountId=111111111111,email=a@example.com", "--dry-run"]]


@pytest.mark.parametrize("args", READ_ONLY, ids=" ".join)
def test_reads_and_dry_runs_take_no_lock(args: list[str], sandbox_server: Any, tmp_path: Path) -> None:
    add_and_invite(sandbox_server.url)
    env = mode_env(CHANGING[0], sandbox_server.url, sandbox_server.url, tmp_path)
    command = [csv_file(tmp_path) if a == "CSV" else a for a in args]
    with held(tmp_path / "locks", ADMIN), held(tmp_path / "locks", ADMIN, "eu-west-1"):
        run = run_ours(["--lock-timeout", "0", *command], env)
    assert run.rc == 0, run.stderr
    assert "locked" not in run.stderr and "Waiting" not in run.stderr


@pytest.mark.slow
def test_a_second_run_says_once_that_it_waits_then_gives_up_with_exit_75(sandbox_server: Any, tmp_path: Path) -> None:
    env = mode_env(CHANGING[0], sandbox_server.url, sandbox_server.url, tmp_path)
    with held(tmp_path / "locks", ADMIN):
        run = run_ours(["--lock-timeout", "1", "onboard", csv_file(tmp_path)], env)
    assert run.rc == 75 and run.stdout == ""
    waiting, error = run.stderr.splitlines()
    assert waiting.startswith("Waiting for pid 4242 (macie-members sync accounts.csv --prune --yes, since ")
    assert "changing 123456789012 in us-east-1" in waiting and "--lock-timeout" in waiting
    assert "still locked" in error and "nothing was sent" in error
    assert sandbox_server.stats()["mutating"] == 0


def _spawn(args: list[str], env: dict[str, str]) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-m", "macie_members", *args], env=env, cwd=ROOT, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


@pytest.mark.slow
def test_a_waiting_run_on_sandbox_serve_goes_on_once_the_lock_is_free(sandbox_server: Any, tmp_path: Path) -> None:
    """It plans against the inventory as the first run left it: what that run invited is not invited again."""
    env = mode_env(CHANGING[0], sandbox_server.url, sandbox_server.url, tmp_path)
    accounts = csv_file(tmp_path)
    with held(tmp_path / "locks", ADMIN):
        proc = _spawn(["onboard", accounts], env)
        assert proc.stderr is not None
        line = proc.stderr.readline()  # said before it waits
        assert line.startswith("Waiting for pid 4242 (macie-members sync"), line
        add_and_invite(sandbox_server.url)  # "the first run" onboards the same accounts meanwhile
    stdout, stderr = proc.communicate(timeout=120)
    assert proc.returncode == 0, stderr
    assert "Waiting" not in stderr  # said once
    assert sandbox_server.stats()["requests"].get("CreateInvitations") == 1  # the first run's only
    assert {r["outcome"] for r in json.loads(stdout)["results"]} == {"skipped"}


@pytest.mark.slow
def test_two_syncs_at_once_send_each_invitation_once(sandbox_server: Any, tmp_path: Path) -> None:
    """The issue's done-when: two ``sync --prune --yes`` of one file, at once, on one machine."""
    accounts = [f"{500000000000 + n}" for n in range(8)]
    path = write_csv(tmp_path / "accounts.csv", accounts)
    admin = admin_client(sandbox_server.url)
    admin.create_member(account={"accountId": "333333333333", "email": "c@example.com"})  # to prune
    env = mode_env(CHANGING[0], sandbox_server.url, sandbox_server.url, tmp_path)
    procs = [_spawn(["sync", str(path), "--prune", "--yes"], env) for _ in range(2)]
    outs = [proc.communicate(timeout=180) for proc in procs]
    assert [proc.returncode for proc in procs] == [0, 0], outs
    requests = sandbox_server.stats()["requests"]
    assert requests.get("CreateInvitations") == 1 and requests.get("CreateMember") == len(accounts) + 1  # and the setup's
    assert requests.get("DeleteMember") == 1
    invited = [r["accountId"] for out, _ in outs for r in json.loads(out)["results"]
               if r["action"] == "create-invitations" and r["outcome"] == "ok"]
    assert sorted(invited) == accounts  # each once, by one run or the other
    assert sum("Waiting for pid" in err for _, err in outs) <= 1


@pytest.mark.parametrize("workflow", [["onboard"], ["sync", "--yes"]], ids=["onboard", "sync"])
def test_an_account_another_machine_invited_meanwhile_is_not_invited_again(
    workflow: list[str], sandbox_server: Any, proxy: Any, tmp_path: Path,
) -> None:
    """Runs on other machines don't see this one's lock: before it invites, a workflow reads the
    inventory again, so an account invited elsewhere since its plan gets no second invitation."""
    already, new = "600000000001", "600000000002"
    admin = admin_client(sandbox_server.url)
    admin.create_member(account={"accountId": already, "email": f"{already}@example.com"})  # Created: to invite
    path = write_csv(tmp_path / "accounts.csv", [already, new])
    proxy.hold = {"CreateMember"}  # the adds phase: planned, not yet sent
    env = mode_env(CHANGING[0], proxy.url, sandbox_server.url, tmp_path)
    # "Another machine" invites straight at the service while the run's CreateMember is held.
    run = while_held(proxy, [workflow[0], str(path), *workflow[1:]], env,
                     lambda _: admin.create_invitations(accountIds=[already]))
    assert run.rc == 0, run.stderr
    sent = [params["accountIds"] for _, op, params in proxy.answered if op == "CreateInvitations"]
    assert sent == [[new]], sent
    invited = {r["accountId"] for r in json.loads(run.stdout)["results"] if r["action"] == "create-invitations"}
    assert invited == {new}


# --------------------------------------------------------- the embedded sandbox's state file


@pytest.mark.parametrize("args", [
    ["disassociate-member", "--id", "111111111111"],
    ["list-members"],  # a read too: the embedded sandbox's state is one command's at a time
    ["onboard", "ACCOUNTS"],
    ["sandbox", "reset"],
], ids=lambda a: a[0] if a[0] != "sandbox" else "sandbox-reset")
@pytest.mark.parametrize("timeout", ["0", "0.3"])
def test_the_embedded_state_file_in_use_honours_lock_timeout(args: list[str], timeout: str, tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    """Another command holds the state file: wait at most --lock-timeout, saying so once (not
    with 0), then exit 75, and the state file is as it was."""
    from tests.support.helpers import run

    state = tmp_path / "state.json"
    monkeypatch.setenv("MACIE_MEMBERS_SANDBOX_STATE", str(state))
    monkeypatch.setenv("MACIE_MEMBERS_SANDBOX", "1")
    assert run("create-member", "--account", "accountId=111111111111,email=a@example.com").exit_code == 0
    before = state.read_bytes()
    accounts = write_csv(tmp_path / "accounts.csv", ["222222222222"])
    command = [str(accounts) if a == "ACCOUNTS" else a for a in args]
    with FileLock(str(state) + ".lock"):
        result = run(*command, "--lock-timeout", timeout)
    assert result.exit_code == 75, (result.stdout, result.stderr)
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert lines[-1].startswith(f"The sandbox state file {state} is ")
    assert lines[-1].endswith("nothing was sent (--lock-timeout 0)." if timeout == "0" else
                              "after 0.3s (--lock-timeout); nothing was sent.")
    waiting = [line for line in lines if line.startswith("Waiting for another command using the sandbox state file")]
    assert len(waiting) == (0 if timeout == "0" else 1), result.stderr
    assert state.read_bytes() == before


@pytest.mark.parametrize("value", ["nan", "inf", "1e400", "-1"])
@pytest.mark.parametrize("args", [["create-member", "--account", "accountId=111111111111,email=a@example.com"],
                                  ["delete-member", "--id", "111111111111", "--regions", "us-east-1,eu-west-1"],
                                  ["onboard", "ACCOUNTS"]], ids=["dropin", "regions", "onboard"])
def test_lock_timeout_is_a_finite_number_of_seconds(args: list[str], value: str, tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    from tests.support.helpers import refused, run

    monkeypatch.setenv("MACIE_MEMBERS_SANDBOX", "1")
    accounts = write_csv(tmp_path / "accounts.csv", ["222222222222"])
    result = run(*[accounts if a == "ACCOUNTS" else a for a in args], "--lock-timeout", value)
    refused(result, "Invalid value for '--lock-timeout': ")
    assert len(result.stderr.strip().splitlines()) == 1 or "Usage:" in result.stderr
