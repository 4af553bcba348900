"""The ``--sandbox`` state file: reset deletes only state files, temporary files never follow a
symlink, an unwritable location fails before any output, the lock file goes away, commands run
at once lose nothing, and the package works without POSIX-only modules or pytest."""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.support.helpers import ROOT, one_line_error

Invoke = Any
ACCT = "111111111111"
AS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0


def create(invoke: Invoke, account: str = ACCT, rc: int = 0) -> Any:
    return invoke("--sandbox", "create-member", "--account", f"accountId={account},email=a@example.com", rc=rc)


def listed(invoke: Invoke) -> list[str]:
    members = json.loads(invoke("--sandbox", "list-members", "--only-associated", "false").stdout)["members"]
    return [m["accountId"] for m in members]


# ----------------------------------------------------------------------------- reset


@pytest.mark.parametrize("content", [b"Account ID,Email\n111111111111,a@example.com\n", b"garbage", b"{}",
                                     b'{"version": 1, "accounts": {}, "notes": "mine"}'])
def test_reset_refuses_a_file_that_is_not_a_state_file(invoke: Invoke, tmp_path: Path, content: bytes) -> None:
    notes = tmp_path / "notes.csv"
    notes.write_bytes(content)
    result = invoke("--sandbox-state", str(notes), "sandbox", "reset", rc=253)
    assert one_line_error(result) == (
        f"{notes} is not a sandbox state file: not deleted. Point --sandbox-state (or "
        "MACIE_MEMBERS_SANDBOX_STATE) at the sandbox's state file, or delete the file yourself."
    )
    assert notes.read_bytes() == content


def test_reset_refuses_a_directory(invoke: Invoke, state: Path) -> None:
    state.mkdir(parents=True)
    invoke("sandbox", "reset", rc=253)
    assert state.is_dir()


@pytest.mark.parametrize("damage", ["none", "truncated", "first version"])
def test_reset_deletes_a_state_file(invoke: Invoke, state: Path, damage: str) -> None:
    create(invoke)
    data = state.read_bytes()
    assert data.startswith(b'{\n "format": "macie-members sandbox state",')
    if damage == "truncated":
        state.write_bytes(data[:80])
    elif damage == "first version":  # written before the marker existed
        state.write_text(json.dumps({"accounts": {}, "version": 1}, indent=1, sort_keys=True))
    result = invoke("sandbox", "reset")
    assert (result.stdout, result.stderr) == ("", f"Sandbox state reset (the embedded sandbox, state in {state}).\n")
    assert list(state.parent.iterdir()) == []  # no lock file left either


def test_reset_without_a_state_file_is_fine(invoke: Invoke, state: Path) -> None:
    invoke("sandbox", "reset")
    assert not state.parent.exists()


def test_a_first_version_state_file_still_loads(invoke: Invoke, state: Path) -> None:
    entry = {"accountId": ACCT, "email": "a@example.com", "status": "Invited", "invitationId": "abc"}
    region = {"macieSession": None, "inventory": [], "receivedInvitations": {"123456789012": "abc"}}
    admin = {"macieSession": {"status": "ENABLED", "findingPublishingFrequency": "SIX_HOURS",
                              "createdAt": "2026-01-01T00:00:00.000000Z", "updatedAt": "2026-01-01T00:00:00.000000Z"},
             "inventory": [entry]}
    state.parent.mkdir(parents=True)
    state.write_text(json.dumps({"version": 1, "accounts": {"123456789012": {"us-east-1": admin},
                                                             ACCT: {"us-east-1": region}}}))
    assert listed(invoke) == [ACCT]
    assert json.loads(state.read_text())["format"] == "macie-members sandbox state"


# ------------------------------------------------------------------- temporary files


@pytest.fixture
def predictable_temp_names(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """tempfile's random names, made predictable: "planted" first, then "fresh"."""
    monkeypatch.setattr(tempfile, "_get_candidate_names", lambda: iter(["planted", "fresh", "later"]))
    yield


def test_a_symlink_planted_at_the_temporary_name_is_not_followed(
    invoke: Invoke, state: Path, tmp_path: Path, predictable_temp_names: None
) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("precious")
    state.parent.mkdir(parents=True)
    legacy = state.with_name("sandbox.json.tmp")  # the fixed name of the first versions
    planted = state.with_name(".sandbox.json.planted.tmp")
    for link in (legacy, planted):
        link.symlink_to(victim)
    create(invoke)
    assert victim.read_text() == "precious"
    assert legacy.is_symlink() and planted.is_symlink()  # O_EXCL: neither followed nor replaced
    assert ACCT in state.read_text() and not state.is_symlink()
    assert sorted(p.name for p in state.parent.iterdir()) == sorted([state.name, legacy.name, planted.name])


def test_no_temporary_file_is_left_behind(invoke: Invoke, state: Path) -> None:
    create(invoke)
    invoke("--sandbox", "delete-member", "--id", "222222222222", rc=254)  # a failing command
    state.write_text("garbage")
    create(invoke, rc=253)  # a corrupt state
    assert [p.name for p in state.parent.iterdir()] == [state.name]


# ------------------------------------------------------------- unwritable locations


def _unchanged_and_silent(result: Any, state: Path, before: bytes | None) -> str:
    line = one_line_error(result)  # one line, and nothing on stdout
    assert (state.read_bytes() if state.exists() else None) == before
    return line


@pytest.mark.posix
@pytest.mark.skipif(AS_ROOT, reason="root writes into read-only directories (CI runs as root)")
def test_a_read_only_state_directory_fails_before_any_output(invoke: Invoke, state: Path) -> None:
    create(invoke)
    before = state.read_bytes()
    state.parent.chmod(0o555)
    try:
        result = create(invoke, "222222222222", rc=253)
    finally:
        state.parent.chmod(0o755)
    assert "can't be used" in _unchanged_and_silent(result, state, before)


@pytest.mark.skipif(not Path("/proc/self").is_dir(), reason="needs Linux's /proc, where even root can't create files")
@pytest.mark.parametrize("command", [["list-members"], ["create-member", "--account", f"accountId={ACCT},email=a@b.co"]])
def test_an_unwritable_state_directory_fails_before_any_output(invoke: Invoke, command: list[str]) -> None:
    path = Path("/proc/self/sandbox.json")
    result = invoke("--sandbox", "--sandbox-state", str(path), *command, rc=253)
    assert _unchanged_and_silent(result, path, None).startswith(f"The sandbox state file {path} can't be used: ")


# ------------------------------------------------------------------------- locking


def test_the_lock_file_is_removed_whatever_the_outcome(invoke: Invoke, state: Path) -> None:
    lock = state.with_name("sandbox.json.lock")
    create(invoke)
    assert not lock.exists()
    invoke("--sandbox", "delete-member", "--id", "222222222222", rc=254)
    assert not lock.exists()
    state.write_text("garbage")
    invoke("--sandbox", "list-members", rc=253)
    assert not lock.exists()


@pytest.mark.slow
def test_commands_run_at_once_lose_nothing(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "MACIE_MEMBERS_"))}
    env.update(MACIE_MEMBERS_SANDBOX_STATE=str(tmp_path / "sandbox.json"), AWS_CONFIG_FILE=str(tmp_path / "c"),
               MACIE_MEMBERS_LOCK_DIR=str(tmp_path / "locks"),
               AWS_SHARED_CREDENTIALS_FILE=str(tmp_path / "k"), AWS_EC2_METADATA_DISABLED="true")
    accounts = [f"{700000000000 + n}" for n in range(6)]
    procs = [
        subprocess.Popen([sys.executable, "-m", "macie_members", "--sandbox", "create-member", "--account",
                          f"accountId={a},email=a@example.com"], env=env, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, text=True)
        for a in accounts
    ]
    for proc in procs:
        _, stderr = proc.communicate(timeout=120)
        assert proc.returncode == 0, stderr
    state = json.loads((tmp_path / "sandbox.json").read_text())
    inventory = state["accounts"]["123456789012"]["us-east-1"]["inventory"]
    assert sorted(e["accountId"] for e in inventory) == accounts
    assert sorted(p.name for p in tmp_path.iterdir()) == ["locks", "sandbox.json"]


# ---------------------------------------------------------------------- portability


def test_default_state_path_is_the_platforms_state_directory(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    import platformdirs

    from macie_members.sandbox import default_state_path

    monkeypatch.delenv("MACIE_MEMBERS_SANDBOX_STATE")
    assert default_state_path() == Path(platformdirs.user_state_dir("macie-members", appauthor=False)) / "sandbox.json"
    if sys.platform.startswith("linux"):
        monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path))
        assert default_state_path() == tmp_path / "macie-members" / "sandbox.json"
    monkeypatch.setenv("MACIE_MEMBERS_SANDBOX_STATE", "~/elsewhere.json")
    assert default_state_path() == Path.home() / "elsewhere.json"


def _python(code: str, tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "MACIE_MEMBERS_"))}
    environment.update(AWS_CONFIG_FILE=str(tmp_path / "c"), AWS_SHARED_CREDENTIALS_FILE=str(tmp_path / "k"),
                       MACIE_MEMBERS_SANDBOX_STATE=str(tmp_path / "s.json"),
                       MACIE_MEMBERS_LOCK_DIR=str(tmp_path / "locks"), **env)
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, env=environment)


def test_the_embedded_sandbox_works_without_fcntl(tmp_path: Path) -> None:
    """As on Windows: fcntl can't be imported (filelock then uses its portable lock)."""
    code = (
        "import sys; sys.modules['fcntl'] = None\n"
        "from macie_members.cli import main\n"
        "main(['--sandbox', 'create-member', '--account', 'accountId=111111111111,email=a@example.com'])\n"
    )
    proc = _python(code, tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["arn"].endswith(":member/111111111111")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["locks", "s.json"]


def test_sandbox_session_works_without_pytest(tmp_path: Path) -> None:
    code = (
        "import sys; sys.modules['pytest'] = None\n"
        "from macie_members.sandbox.testing import sandbox_session\n"
        "with sandbox_session(verification_delay=0) as sandbox:\n"
        "    admin = sandbox.client()\n"
        "    admin.create_member(account={'accountId': '111111111111', 'email': 'a@example.com'})\n"
        "    admin.create_invitations(accountIds=['111111111111'])\n"
        "    sandbox.accept('111111111111')\n"
        "    print(admin.list_members()['members'][0]['relationshipStatus'])\n"
    )
    proc = _python(code, tmp_path)
    assert (proc.returncode, proc.stdout, proc.stderr) == (0, "Enabled\n", "")


def test_the_fixture_module_needs_pytest_and_the_helpers_do_not() -> None:
    import macie_members.sandbox.testing as testing

    assert testing.pytest_plugins == ["macie_members.sandbox.pytest_plugin"]
    tree = ast.parse((ROOT / "macie_members" / "sandbox" / "testing.py").read_text())
    imported = {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
    imported |= {n.module or "" for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}
    assert "pytest" not in imported


def test_the_fixture_loads_as_the_docs_say(tmp_path: Path) -> None:
    """A user's conftest.py lists ``macie_members.sandbox.testing`` in ``pytest_plugins``: the
    ``macie_sandbox`` fixture is there (run in a pytest of its own, as a user's suite runs)."""
    (tmp_path / "conftest.py").write_text('pytest_plugins = ["macie_members.sandbox.testing"]\n')
    (tmp_path / "test_user.py").write_text(
        "def test_members(macie_sandbox):\n"
        "    admin = macie_sandbox.client()\n"
        "    admin.create_member(account={'accountId': '111111111111', 'email': 'a@example.com'})\n"
        "    assert [m['accountId'] for m in admin.list_members(onlyAssociated='false')['members']] == "
        "['111111111111']\n"
    )
    proc = _python_pytest(tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "1 passed" in proc.stdout


def _python_pytest(directory: Path) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "MACIE_MEMBERS_"))}
    environment.update(AWS_CONFIG_FILE=str(directory / "c"), AWS_SHARED_CREDENTIALS_FILE=str(directory / "k"),
                       MACIE_MEMBERS_SANDBOX_STATE=str(directory / "s.json"),
                       MACIE_MEMBERS_LOCK_DIR=str(directory / "locks"))
    return subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(directory)],
                          capture_output=True, text=True, timeout=300, cwd=directory, env=environment)
