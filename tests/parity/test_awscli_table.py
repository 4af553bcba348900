"""``--output table``: the real AWS CLI and macie-members, same command, same sandbox state, the
same bytes on stdout -- for the sixteen drop-in commands, piped and on a terminal.

The AWS CLI on PyPI is v1 (its table is v2's: see macie_members/render/aws_table.py). Cases:
lists (members, invitations, unprocessed accounts), nested maps (tags, the administrator),
empty answers (nothing printed, or a title box for an empty list), ``--query`` results, and
errors (nothing on stdout, the same message on stderr; v1 exits 255 for a service error where
v2 and macie-members exit 254).

Piped, stdout is byte for byte the AWS CLI's (its width is then 80). On a pseudo-terminal of
40, 80 and 200 columns with ``--color off`` too (the width is the terminal's). With colour
(``--color on`` piped, ``auto`` on a terminal, where ``NO_COLOR`` changes nothing for either)
the bytes are the AWS CLI's escape codes, but for the one ``ESC[0m`` the AWS CLI writes when it
exits on a terminal (colorama's exit hook), which macie-members does not write.
"""

from __future__ import annotations

import os
import struct
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pytest

from tests.support.awscli_support import (
    ADMIN,
    CREATED,
    ENABLED,
    MEMBER,
    OTHER,
    PAUSED,
    REMOVED,
    Run,
    accept_args,
    accepted,
    cli_env,
    declined,
    fixed,
    invited_twice,
    nothing,
    run_aws,
    run_ours,
    snapshot,
    standard_state,
)
from tests.support.helpers import admin_client, member_client, member_credentials

pytestmark = pytest.mark.awscli

NEW = "777777777777"
UNKNOWN = "888888888888"
RESET = "\x1b[0m"


def with_new(url: str) -> None:
    admin_client(url).create_member(account={"accountId": NEW, "email": "new@example.com"},
                                    tags={"b": "2", "a": "1", "名前": "値"})


@dataclass(frozen=True)
class Case:
    name: str
    args: Callable[[str], list[str]]  # from the server's URL (an invitation id is read there)
    setup: Callable[[str], None]
    member: bool = False  # with the member account's credentials
    mutating: bool = False  # each CLI gets the state afresh

    def __str__(self) -> str:
        return self.name


READS = [
    Case("list-members", fixed("list-members"), standard_state),
    Case("list-members-only-associated-true", fixed("list-members", "--only-associated", "true"), standard_state),
    Case("list-members-only-associated-false", fixed("list-members", "--only-associated", "false"), standard_state),
    Case("list-members-empty", fixed("list-members"), nothing),
    Case("list-members-max-items", fixed("list-members", "--only-associated", "false", "--max-items", "2"),
         standard_state),
    Case("list-members-query-rows", fixed("list-members", "--only-associated", "false", "--query",
                                          "members[].[accountId,relationshipStatus]"), standard_state),
    Case("list-members-query-tags", fixed("list-members", "--query", "members[0].tags"), standard_state),
    Case("list-members-query-scalar", fixed("list-members", "--query", "length(members)"), standard_state),
    Case("list-members-query-none", fixed("list-members", "--query", "members[?accountId=='0']"), standard_state),
    Case("list-members-query-ragged-rows", fixed("list-members", "--query",
                                                 "[[members[0].accountId], [members[0].accountId, members[0].email]]"),
         standard_state),  # rows of different lengths: the AWS CLI's table fails (exit 255), so does ours
    Case("get-member", fixed("get-member", "--id", ENABLED), standard_state),
    Case("get-member-created", fixed("get-member", "--id", CREATED), standard_state),
    Case("get-member-wide-tags", fixed("get-member", "--id", NEW), with_new),
    Case("get-member-unknown", fixed("get-member", "--id", UNKNOWN), standard_state),
    Case("list-invitations", fixed("list-invitations"), invited_twice, member=True),
    Case("list-invitations-empty", fixed("list-invitations"), nothing, member=True),
    Case("get-invitations-count", fixed("get-invitations-count"), invited_twice, member=True),
    Case("get-invitations-count-zero", fixed("get-invitations-count"), nothing, member=True),
    Case("get-administrator-account", fixed("get-administrator-account"), accepted, member=True),
    Case("get-administrator-account-none", fixed("get-administrator-account"), invited_twice, member=True),
    Case("get-master-account", fixed("get-master-account"), accepted, member=True),
    Case("get-master-account-none", fixed("get-master-account"), invited_twice, member=True),
]

CHANGES = [replace(case, mutating=True) for case in [
    Case("create-member", fixed("create-member", "--account", f"accountId={NEW},email=n@example.com"), nothing),
    Case("create-member-tags", fixed("create-member", "--account", f"accountId={NEW},email=n@example.com",
                                     "--tags", "b=2,a=1"), nothing),
    Case("create-member-duplicate", fixed("create-member", "--account", f"accountId={ENABLED},email=x@example.com"),
         standard_state),
    Case("create-invitations", fixed("create-invitations", "--account-ids", NEW), with_new),
    Case("create-invitations-unprocessed", fixed("create-invitations", "--account-ids", NEW, UNKNOWN, "--message",
                                                 "Hello"), with_new),
    Case("update-member-session", fixed("update-member-session", "--id", ENABLED, "--status", "PAUSED"),
         standard_state),
    Case("update-member-session-unknown", fixed("update-member-session", "--id", UNKNOWN, "--status", "PAUSED"),
         standard_state),
    Case("disassociate-member", fixed("disassociate-member", "--id", PAUSED), standard_state),
    Case("disassociate-member-unknown", fixed("disassociate-member", "--id", UNKNOWN), standard_state),
    Case("delete-member", fixed("delete-member", "--id", REMOVED), standard_state),
    Case("delete-member-unknown", fixed("delete-member", "--id", UNKNOWN), standard_state),
    Case("accept-invitation", accept_args(), invited_twice, member=True),
    Case("accept-invitation-wrong-id", fixed("accept-invitation", "--administrator-account-id", ADMIN,
                                             "--invitation-id", "0123456789abcdef"), invited_twice, member=True),
    Case("decline-invitations", fixed("decline-invitations", "--account-ids", ADMIN, OTHER, "222222222222"),
         invited_twice, member=True),
    Case("delete-invitations", fixed("delete-invitations", "--account-ids", ADMIN), declined, member=True),
    Case("delete-invitations-current", fixed("delete-invitations", "--account-ids", ADMIN), accepted, member=True),
    Case("disassociate-from-administrator-account", fixed("disassociate-from-administrator-account"), accepted,
         member=True),
    Case("disassociate-from-administrator-account-none", fixed("disassociate-from-administrator-account"),
         invited_twice, member=True),
    Case("disassociate-from-master-account", fixed("disassociate-from-master-account"), accepted, member=True),
]]

# Every drop-in command is among the cases.
COMMANDS = {"list-members", "get-member", "create-member", "create-invitations", "update-member-session",
            "disassociate-member", "delete-member", "list-invitations", "get-invitations-count",
            "get-administrator-account", "get-master-account", "accept-invitation", "decline-invitations",
            "delete-invitations", "disassociate-from-administrator-account", "disassociate-from-master-account"}


def test_every_drop_in_command_is_compared() -> None:
    named = {case.name for case in READS + CHANGES}
    assert {c for c in COMMANDS if any(n == c or n.startswith(f"{c}-") for n in named)} == COMMANDS


def state(url: str) -> tuple[Any, ...]:
    invitations = member_client(url, MEMBER).list_invitations()["invitations"]
    return snapshot(url), sorted((i["accountId"], i["relationshipStatus"]) for i in invitations)


def env_for(case: Case, url: str, tmp_path: Path) -> dict[str, str]:
    return cli_env(url, tmp_path, **(member_credentials(url, MEMBER) if case.member else {}))


Runner = Callable[[list[str], dict[str, str]], Any]


def run_both(case: Case, server: Any, tmp_path: Path, aws: Runner, ours: Runner, options: list[str]) -> tuple[Any, Any]:
    """Both CLIs, on the same state (for a mutating command: the state made afresh for each)."""
    results, states = [], []
    server.reset()
    case.setup(server.url)
    for run in (aws, ours):
        if case.mutating and results:
            server.reset()
            case.setup(server.url)
        args = [*case.args(server.url), "--output", "table", *options]
        results.append(run(["macie2", *args] if run is aws else args, env_for(case, server.url, tmp_path)))
        if case.mutating:
            states.append(state(server.url))
    assert states[:1] == states[1:], "not the same state afterwards"
    return results[0], results[1]


def same_failure(aws: Run, ours: Run) -> None:
    """A service error: nothing on stdout, the same lines on stderr; exit 255 (v1) and 254 (v2,
    macie-members). A table the AWS CLI can't draw: 255 for both."""
    drawing = "Row should have" in aws.stderr
    assert (aws.rc, ours.rc) == (255, 255 if drawing else 254), (aws.stderr, ours.stderr)
    assert aws.stdout == ours.stdout == ""
    assert ours.stderr == aws.stderr


@pytest.mark.parametrize("case", READS + CHANGES, ids=str)
def test_piped_table_parity(case: Case, sandbox_server: Any, tmp_path: Path) -> None:
    aws, ours = run_both(case, sandbox_server, tmp_path, run_aws, run_ours, [])
    if aws.rc:
        same_failure(aws, ours)
        return
    assert ours.rc == 0, ours.stderr
    assert ours.stdout == aws.stdout, f"\n--- aws ---\n{aws.stdout}\n--- ours ---\n{ours.stdout}"
    assert "Traceback" not in ours.stderr


COLOURED = [case for case in READS + CHANGES if case.name in (
    "list-members-only-associated-false", "get-member-wide-tags", "list-members-empty", "delete-member",
    "create-invitations-unprocessed", "get-member-unknown")]


@pytest.mark.parametrize("case", COLOURED, ids=str)
def test_piped_colour_parity(case: Case, sandbox_server: Any, tmp_path: Path) -> None:
    """``--color on``, piped: the AWS CLI's escape codes, byte for byte (NO_COLOR is set)."""
    aws, ours = run_both(case, sandbox_server, tmp_path, run_aws, run_ours, ["--color", "on"])
    if aws.rc:
        same_failure(aws, ours)
        return
    assert ours.stdout == aws.stdout
    assert (RESET in ours.stdout) is bool(ours.stdout)


# ----------------------------------------------------------------------- on a terminal


def on_a_terminal(command: list[str], env: dict[str, str], columns: int) -> Run:
    """``command`` with stdout on a pseudo-terminal of ``columns`` columns (stderr piped): what
    the terminal got, as bytes decoded (the terminal's ``\\r\\n`` left as it is)."""
    import fcntl  # POSIX only: the tests that open a pseudo-terminal are marked posix
    import pty
    import termios

    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 24, columns, 0, 0))
    process = subprocess.Popen(command, env=env, stdin=subprocess.DEVNULL, stdout=follower, stderr=subprocess.PIPE)
    os.close(follower)
    seen = b""
    try:
        while True:
            try:
                chunk = os.read(leader, 65536)
            except OSError:  # Linux: EIO once the process has closed the terminal
                break
            if not chunk:
                break
            seen += chunk
        assert process.stderr is not None
        stderr = process.stderr.read().decode()
        process.wait(timeout=120)
    finally:
        os.close(leader)
        if process.poll() is None:
            process.kill()
        if process.stderr is not None:
            process.stderr.close()
    return Run(process.returncode, seen.decode(), stderr)


def terminal_runners(columns: int) -> tuple[Runner, Runner]:
    def aws(args: list[str], env: dict[str, str]) -> Run:
        return on_a_terminal([sys.executable, "-m", "awscli", *args], env, columns)

    def ours(args: list[str], env: dict[str, str]) -> Run:
        return on_a_terminal([sys.executable, "-m", "macie_members", *args], env, columns)

    return aws, ours


ON_A_TERMINAL = [case for case in READS + CHANGES if case.name in (
    "list-members-only-associated-true", "list-members-only-associated-false", "get-member", "get-member-wide-tags",
    "list-invitations", "get-administrator-account", "create-invitations-unprocessed", "list-members-query-rows",
    "delete-member", "get-member-unknown")]


@pytest.mark.posix
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="needs a Linux pty")
@pytest.mark.parametrize("columns", [40, 80, 200])
@pytest.mark.parametrize("case", ON_A_TERMINAL, ids=str)
def test_terminal_table_parity(case: Case, columns: int, sandbox_server: Any, tmp_path: Path) -> None:
    """Colour off, the terminal's width: the AWS CLI's bytes."""
    aws_run, ours_run = terminal_runners(columns)
    aws, ours = run_both(case, sandbox_server, tmp_path, aws_run, ours_run, ["--color", "off"])
    if aws.rc:
        same_failure(aws, ours)
        return
    assert ours.rc == 0, ours.stderr
    assert ours.stdout == aws.stdout, f"\n--- aws ---\n{aws.stdout}\n--- ours ---\n{ours.stdout}"
    assert "\x1b" not in ours.stdout


@pytest.mark.posix
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="needs a Linux pty")
def test_the_terminal_width_decides_the_layout(sandbox_server: Any, tmp_path: Path) -> None:
    """The administrator's one-row table is drawn across at 200 columns, and key | value at 80
    and 40 -- the same at both (as wide as its content, not as the terminal) and as piped."""
    accepted(sandbox_server.url)
    env = cli_env(sandbox_server.url, tmp_path, **member_credentials(sandbox_server.url, MEMBER))
    args = ["get-administrator-account", "--output", "table", "--color", "off"]
    command = [sys.executable, "-m", "macie_members", *args]
    wide, narrow, narrower = (on_a_terminal(command, env, columns).stdout.replace("\r\n", "\n")
                              for columns in (200, 80, 40))
    [header] = [line for line in wide.splitlines() if "accountId" in line]
    assert "invitationId" in header and "relationshipStatus" in header
    assert narrow == narrower == run_ours(args, env).stdout
    assert [line.split("|")[2].strip() for line in narrow.splitlines() if line.count("|") == 5] == [
        "accountId", "invitationId", "invitedAt", "relationshipStatus"]


@pytest.mark.posix
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="needs a Linux pty")
@pytest.mark.parametrize("name", ["get-member", "delete-member"])
def test_terminal_colour_auto(name: str, sandbox_server: Any, tmp_path: Path) -> None:
    """``--color auto`` on a terminal, NO_COLOR set: colour (neither CLI reads NO_COLOR for its
    tables); the AWS CLI's bytes, and its exit hook's ``ESC[0m`` after them (even after an empty
    answer) -- the one difference."""
    [case] = [c for c in READS + CHANGES if c.name == name]
    aws_run, ours_run = terminal_runners(80)
    aws, ours = run_both(case, sandbox_server, tmp_path, aws_run, ours_run, [])
    assert aws.rc == ours.rc == 0, (aws.stderr, ours.stderr)
    assert aws.stdout == ours.stdout + RESET
    assert ("\x1b[1m\x1b[34m" in ours.stdout) is (name == "get-member")
