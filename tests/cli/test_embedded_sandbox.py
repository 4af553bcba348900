"""The embedded sandbox through the CLI (``--sandbox``, ``MACIE_MEMBERS_SANDBOX``): one story over
several processes, ``--sandbox-state``, ``sandbox reset``, ``sandbox accept``, and a state file
that is damaged, unreadable or in the way (one line, exit 253, the file left as it was)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result

from tests.support.helpers import (
    ROOT,
    arn,
    create_member_args,
    one_line_error,
    place,
    run,
    run_module,
    subprocess_env,
)

ACCT = "111111111111"
EMAIL = "jane@example.com"
A = ACCT
AS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0

Invoke = Callable[..., Result]


# --------------------------------------------------------------------------------------------
# The embedded sandbox (--sandbox, MACIE_MEMBERS_SANDBOX)
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("how", "where"), [("option", "before"), ("option", "after"), ("env", None)]
)
def test_embedded_sandbox_story(
    invoke: Invoke, state: Path, monkeypatch: pytest.MonkeyPatch, how: str, where: str | None
) -> None:
    """No credentials, no region: create, invite, accept as the member, list (Enabled)."""
    monkeypatch.setenv("MACIE_MEMBERS_SANDBOX_VERIFICATION_DELAY", "0")  # no wait for Invited
    if how == "env":
        monkeypatch.setenv("MACIE_MEMBERS_SANDBOX", "1")

    def run(*command: str) -> Result:
        args = list(command) if how == "env" else place(str(where), ["--sandbox"], command)
        return invoke(*args)

    assert json.loads(run(*create_member_args()).stdout) == {"arn": arn()}
    assert json.loads(run("create-invitations", "--account-ids", ACCT).stdout) == {
        "unprocessedAccounts": []
    }
    accepted = json.loads(run("sandbox", "accept", "--account", ACCT).stdout)
    assert accepted == {
        "accountId": ACCT,
        "region": "us-east-1",
        "administratorAccountId": "123456789012",
        "accepted": True,
    }
    assert ACCT in state.read_text()

    # A separate process sees the same story: the state is in the file.
    env = dict(os.environ)
    for name in [
        n
        for n in env
        if n.startswith("AWS_") and n not in ("AWS_CONFIG_FILE", "AWS_SHARED_CREDENTIALS_FILE")
    ]:
        del env[name]
    sandbox_args = ["--sandbox"] if how == "option" else []
    proc = run_module(
        *sandbox_args,
        "list-members",
        "--query",
        "members[].[accountId,relationshipStatus]",
        "--output",
        "text",
        env=env,
    )
    assert (proc.returncode, proc.stdout, proc.stderr) == (0, f"{ACCT}\tEnabled\n", "")


def test_sandbox_state_option_beats_the_environment(
    invoke: Invoke, state: Path, tmp_path: Path
) -> None:
    other = tmp_path / "other.json"
    invoke("--sandbox", "--sandbox-state", str(other), *create_member_args())
    assert ACCT in other.read_text()
    assert not state.exists()
    listed = invoke(
        "--sandbox", "list-members", "--only-associated", "false", "--sandbox-state", str(other)
    )
    assert [m["accountId"] for m in json.loads(listed.stdout)["members"]] == [ACCT]


def test_sandbox_reset(invoke: Invoke, state: Path) -> None:
    invoke("--sandbox", *create_member_args())
    assert state.exists()
    result = invoke("sandbox", "reset")
    assert result.stdout == ""
    assert result.stderr == f"Sandbox state reset (the embedded sandbox, state in {state}).\n"
    assert not state.exists()
    listed = invoke("--sandbox", "list-members", "--only-associated", "false")
    assert json.loads(listed.stdout) == {"members": []}


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"garbage", "is corrupt (not JSON"),
        (b"\xff\xfe\x00\x01", "can't be read"),
        (b"[1, 2]", "is corrupt (expected a JSON object with version 1)"),
        (b'{"version": 99, "accounts": {}}', "is corrupt (expected a JSON object with version 1)"),
        (b'{"version": 1}', "is corrupt ('accounts' is missing)"),
        (b'{"version": 1, "accounts": {"123456789012": 5}}', "is corrupt (TypeError"),
        (
            b'{"version": 1, "accounts": {"123456789012": {"us-east-1": {"members": 7}}}}',
            "is corrupt (",
        ),
        (None, "is a directory"),
    ],
)
def test_corrupt_sandbox_state_is_a_one_line_config_error(
    invoke: Invoke, state: Path, content: bytes | None, message: str
) -> None:
    state.parent.mkdir(parents=True)
    if content is None:
        state.mkdir()
    else:
        state.write_bytes(content)
    result = invoke("--sandbox", "list-members", rc=253)
    line = one_line_error(result)
    assert line.startswith(f"The sandbox state file {state} ")
    assert message in line
    if content is not None:
        assert state.read_bytes() == content  # left as it was, for the user to look at


def test_corrupt_sandbox_state_then_reset(invoke: Invoke, state: Path) -> None:
    # reset deletes only a sandbox state file: a truncated one still is (tests/sandbox/test_sandbox_state.py).
    invoke("--sandbox", *create_member_args())
    state.write_bytes(state.read_bytes()[:60])
    invoke("--sandbox", *create_member_args(), rc=253)
    invoke("sandbox", "reset")
    assert json.loads(invoke("--sandbox", *create_member_args()).stdout) == {"arn": arn()}


# --------------------------------------------------------------------------------------------
# The --sandbox state file: truncated, in the way, unreadable, nested too deep, of the wrong shape
# --------------------------------------------------------------------------------------------


def _real_state(invoke: Invoke, state: Path) -> bytes:
    invoke("--sandbox", "create-member", "--account", f"accountId={ACCT},email={EMAIL}")
    return state.read_bytes()


SANDBOX_COMMANDS = {
    "list-members": ["--sandbox", "list-members"],
    "create-member": ["--sandbox", "create-member", "--account", f"accountId=222222222222,email={EMAIL}"],
    "bulk create-member": ["--sandbox", "create-member", "--account", f"accountId=222222222222,email={EMAIL}",
                           "--regions", "us-east-1,eu-west-1"],
    "status": ["--sandbox", "status", "--regions", "us-east-1"],
}


@pytest.mark.parametrize("command", list(SANDBOX_COMMANDS))
@pytest.mark.parametrize("cut", [0.5, 0.99])
def test_truncated_sandbox_state(invoke: Invoke, state: Path, command: str, cut: float) -> None:
    whole = _real_state(invoke, state)
    truncated = whole[: int(len(whole) * cut)]
    state.write_bytes(truncated)
    result = invoke(*SANDBOX_COMMANDS[command], rc=253)
    line = one_line_error(result)
    assert line.startswith(f"The sandbox state file {state} is corrupt (not JSON: "), line
    assert "macie-members sandbox reset" in line
    assert state.read_bytes() == truncated  # left as it was, for the user to look at


@pytest.mark.parametrize("command", list(SANDBOX_COMMANDS))
def test_sandbox_state_under_a_file(invoke: Invoke, tmp_path: Path, command: str) -> None:
    blocker = tmp_path / "not-a-directory"
    blocker.write_bytes(b"keep me")
    path = blocker / "sandbox.json"
    result = invoke("--sandbox-state", str(path), *SANDBOX_COMMANDS[command], rc=253)
    line = one_line_error(result)
    assert line.startswith(f"The sandbox state file {path} can't be used: "), line
    assert blocker.read_bytes() == b"keep me"


def test_sandbox_state_symlink_loop(invoke: Invoke, state: Path) -> None:
    state.parent.mkdir(parents=True)
    state.symlink_to(state)
    result = invoke("--sandbox", "list-members", rc=253)
    line = one_line_error(result)
    assert line.startswith(f"The sandbox state file {state} can't be read: "), line
    assert state.is_symlink() and os.readlink(state) == str(state)


@pytest.mark.posix
@pytest.mark.skipif(AS_ROOT, reason="root reads files whatever their mode (CI runs as root)")
def test_unreadable_sandbox_state(invoke: Invoke, state: Path) -> None:
    whole = _real_state(invoke, state)
    state.chmod(0)
    try:
        result = invoke("--sandbox", "list-members", rc=253)
    finally:
        state.chmod(0o600)
    assert one_line_error(result).startswith(f"The sandbox state file {state} can't be read: ")
    assert state.read_bytes() == whole


def test_deeply_nested_sandbox_state(invoke: Invoke, state: Path) -> None:
    state.parent.mkdir(parents=True)
    content = b"[" * 100_000
    state.write_bytes(content)
    result = invoke("--sandbox", "list-members", rc=253)
    assert one_line_error(result).startswith(f"The sandbox state file {state} is corrupt")
    assert state.read_bytes() == content


def test_sandbox_state_with_a_value_of_the_wrong_type(invoke: Invoke, state: Path) -> None:
    state.parent.mkdir(parents=True)
    session = {"status": "ENABLED", "findingPublishingFrequency": "SIX_HOURS",
               "createdAt": "2026-01-01T00:00:00.000000Z", "updatedAt": "2026-01-01T00:00:00.000000Z"}
    entry = {"accountId": ACCT, "email": EMAIL, "status": "EmailVerificationInProgress",
             "verificationDue": "soon"}
    content = json.dumps({"version": 1, "accounts": {"123456789012": {"us-east-1": {
        "macieSession": session, "inventory": [entry]}}}}).encode()
    state.write_bytes(content)
    result = invoke("--sandbox", "list-members", "--only-associated", "false", rc=253)
    assert one_line_error(result).startswith(f"The sandbox state file {state} is corrupt")
    assert state.read_bytes() == content


def test_embedded_sandbox_bulk_run_without_region_or_output_options(tmp_path: Path) -> None:
    """Regression: a bulk run that looked up the default Region or output format before starting
    the embedded sandbox created its botocore session before moto was loaded, so its requests
    went to the real AWS endpoints ("Could not connect to the endpoint URL")."""
    accounts = tmp_path / "accounts.csv"
    accounts.write_text(f"Account ID,Email\n{ACCT},{EMAIL}\n")
    for extra in ([], ["--regions", "us-east-1,eu-west-1"]):
        proc = subprocess.run(
            [sys.executable, "-m", "macie_members", "--sandbox", "create-member", "--accounts-file",
             str(accounts), *extra],
            capture_output=True, text=True, timeout=120, cwd=ROOT, env=subprocess_env(tmp_path),
        )
        assert proc.returncode == 0, proc.stdout + proc.stderr
        document = json.loads(proc.stdout)
        assert all(r["outcome"] in ("ok", "skipped") for r in document["results"]), document
        assert proc.stderr == ""


def test_sandbox_accept_uses_the_sandbox_of_the_commands_around_it(sandbox: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """With the embedded sandbox chosen (--sandbox or MACIE_MEMBERS_SANDBOX=1), an exported
    AWS_ENDPOINT_URL does not send `sandbox accept` elsewhere; it says which sandbox it used."""
    monkeypatch.setenv("AWS_ENDPOINT_URL", "http://127.0.0.1:9")
    assert run("create-member", "--account", f"accountId={A},email=a@example.com").exit_code == 0
    assert run("create-invitations", "--account-ids", A).exit_code == 0
    result = run("sandbox", "accept", "--account", A)
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["accepted"] is True
    assert f"(the embedded sandbox, state in {sandbox / 'state.json'})" in result.stderr
    members = json.loads(run("list-members").stdout)["members"]
    assert [(m["accountId"], m["relationshipStatus"]) for m in members] == [(A, "Enabled")]


def test_sandbox_accept_says_when_it_uses_a_server(sandbox_server: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    import boto3

    admin = boto3.client("macie2", region_name="us-east-1", endpoint_url=sandbox_server.url,
                         aws_access_key_id="testing", aws_secret_access_key="testing")
    admin.create_member(account={"accountId": A, "email": "a@example.com"})
    admin.create_invitations(accountIds=[A])
    for name, value in {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
                        "AWS_DEFAULT_REGION": "us-east-1", "AWS_ENDPOINT_URL": sandbox_server.url}.items():
        monkeypatch.setenv(name, value)
    result = run("sandbox", "accept", "--account", A)
    assert result.exit_code == 0, result.stderr
    assert f"(the sandbox server at {sandbox_server.url})" in result.stderr


def test_sandbox_accept_without_a_pending_invitation_is_254(sandbox: Path) -> None:
    """The sandbox's state says no (as the service's refusals, 254); choosing among several
    invitations is the user's part (252)."""
    result = run("sandbox", "accept", "--account", A)
    assert result.exit_code == 254 and result.stdout == ""
    assert result.stderr.strip() == f"Account {A} has no pending invitation in us-east-1."
