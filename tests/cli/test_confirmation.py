"""Confirmation is driven by the plan (issue 20): every mode that sends a destructive request
refuses without a terminal (exit 252, "add --yes", only reads sent) and its line counts the plan's
operations and (account, Region) pairs; a plan with nothing destructive and the one-account
drop-in never ask. And bulk update-member-session fails ``NotInInventory`` for an id the
inventory lacks, in every mode. (The prompt on a terminal: tests/cli/test_sync.py and
tests/cli/test_contract.py.)"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.support.awscli_support import ADMIN, cli_env, run_ours
from tests.support.helpers import (
    admin_client,
    member_client,
    member_credentials,
    records,
    statuses,
    write_csv,
)

A, B, ABSENT = "111111111111", "222222222222", "999999999999"
REGIONS = ("us-east-1", "eu-west-1")
TWO = ",".join(REGIONS)


def enabled_members(url: str) -> None:
    """A and B enabled members of ADMIN in both Regions."""
    for region in REGIONS:
        admin = admin_client(url, region)
        for account in (A, B):
            admin.create_member(account={"accountId": account, "email": f"{account}@example.com"})
        admin.create_invitations(accountIds=[A, B])
        for account in (A, B):
            member = member_client(url, account, region)
            [invitation] = [i for i in member.list_invitations()["invitations"] if i["accountId"] == ADMIN]
            member.accept_invitation(administratorAccountId=ADMIN, invitationId=invitation["invitationId"])


def both(tmp: Path) -> str:
    return str(write_csv(tmp / "both.csv", [A, B]))


def only_a(tmp: Path) -> str:
    return str(write_csv(tmp / "a.csv", [A]))


# mode -> (the command, whether it runs as member A, the plan's operations, its destructive pairs)
MODES: dict[str, tuple[Callable[[Path], list[str]], bool, str, int]] = {
    "regions": (lambda tmp: ["disassociate-member", "--id", A, "--regions", TWO], False, "DisassociateMember x2", 2),
    "all-regions": (lambda tmp: ["disassociate-member", "--id", A, "--all-regions"], False, "DisassociateMember x2", 2),
    "accounts-file": (lambda tmp: ["update-member-session", "--accounts-file", both(tmp), "--status", "PAUSED"],
                      False, "UpdateMemberSession x2", 2),
    "offboard": (lambda tmp: ["offboard", "--account-ids", A, B], False, "DisassociateMember x2, DeleteMember x2", 2),
    "sync --prune": (lambda tmp: ["sync", only_a(tmp), "--prune", "--regions", TWO], False,
                     "DisassociateMember x2, DeleteMember x2", 2),
    "member side": (lambda tmp: ["disassociate-from-administrator-account", "--regions", TWO], True,
                    "DisassociateFromAdministratorAccount x2", 2),
}


def env_for(server: Any, tmp_path: Path, as_member: bool) -> dict[str, str]:
    return cli_env(server.url, tmp_path, **(member_credentials(server.url, A) if as_member else {}))


@pytest.mark.parametrize("mode", list(MODES))
def test_a_destructive_plan_is_refused_without_a_terminal_with_its_counts(mode: str, sandbox_server: Any,
                                                                          tmp_path: Path) -> None:
    enabled_members(sandbox_server.url)
    build, as_member, operations, pairs = MODES[mode]
    before = {region: statuses(sandbox_server.url, region) for region in REGIONS}
    refused = run_ours(build(tmp_path), env_for(sandbox_server, tmp_path, as_member))
    assert refused.rc == 252 and refused.stdout == ""
    line = refused.stderr.strip()
    assert "\n" not in line and line.startswith("Refusing to run ")
    assert f"({operations}; destructive on {pairs} (account, Region) pairs)" in line
    assert line.endswith(" without confirmation: there is no terminal to ask; add --yes.")
    assert {region: statuses(sandbox_server.url, region) for region in REGIONS} == before  # nothing sent


@pytest.mark.parametrize("args", [
    ["create-member", "--account", f"accountId={ABSENT},email=n@example.com", "--regions", TWO],
    ["update-member-session", "--id", A, "--status", "ENABLED", "--regions", TWO],
    ["delete-member", "--id", A],  # the one-account drop-in never asks, as the AWS CLI
], ids=["create-member --regions", "update-member-session ENABLED", "drop-in delete-member"])
def test_a_plan_with_nothing_destructive_and_the_drop_in_never_ask(args: list[str], sandbox_server: Any,
                                                                   tmp_path: Path) -> None:
    enabled_members(sandbox_server.url)
    if args[0] == "delete-member":
        admin_client(sandbox_server.url).disassociate_member(id=A)
    run = run_ours(args, cli_env(sandbox_server.url, tmp_path))
    assert run.rc == 0, run.stderr
    assert "--yes" not in run.stderr and "Refusing" not in run.stderr


@pytest.mark.parametrize("where", [["--regions", TWO], ["--all-regions"], ["--accounts-file"]],
                         ids=["regions", "all-regions", "accounts-file"])
def test_update_member_session_fails_not_in_inventory(where: list[str], sandbox_server: Any, tmp_path: Path) -> None:
    enabled_members(sandbox_server.url)
    targets = ([*where, str(write_csv(tmp_path / "x.csv", [A, ABSENT]))] if where == ["--accounts-file"]
               else ["--id", ABSENT, *where])
    run = run_ours(["update-member-session", *targets, "--status", "PAUSED", "--yes"], cli_env(sandbox_server.url,
                                                                                                tmp_path))
    assert run.rc == 254, run.stderr
    absent = [r for r in records(run.stdout) if r["accountId"] == ABSENT]
    assert absent and {(r["outcome"], r["errorCode"]) for r in absent} == {("failed", "NotInInventory")}
