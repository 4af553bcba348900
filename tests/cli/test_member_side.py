"""The ten other membership commands beyond the AWS CLI: across Regions, with records, dry runs,
confirmation; and the commands that run in one Region refusing the options they can't honour.

(Parity with the AWS CLI for each command in one Region: :mod:`tests.parity.test_awscli_membership`.)
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.support.awscli_support import ADMIN, accept, cli_env, run_ours
from tests.support.faults import MUTATING, FaultProxy
from tests.support.helpers import admin_client, member_client, member_credentials, records

MEMBER = "111111111111"
OTHER = "999999999999"
REGIONS = ("us-east-1", "eu-west-1")
TWO = ",".join(REGIONS)


def client(url: str, region: str, account: str | None = None) -> Any:
    """The administrator in ``region``, or the member account ``account`` with its own credentials."""
    return member_client(url, account, region) if account else admin_client(url, region)


def invite(url: str, regions: tuple[str, ...] = REGIONS, senders: tuple[str, ...] = (ADMIN, OTHER)) -> None:
    for region in regions:
        for sender in senders:
            admin = client(url, region, None if sender == ADMIN else sender)
            admin.create_member(account={"accountId": MEMBER, "email": "m@example.com"})
            admin.create_invitations(accountIds=[MEMBER])


def accept_in(url: str, region: str) -> None:
    member = client(url, region, MEMBER)
    [invitation] = [i for i in member.list_invitations()["invitations"] if i["accountId"] == ADMIN]
    member.accept_invitation(administratorAccountId=ADMIN, invitationId=invitation["invitationId"])


def as_member(proxy: FaultProxy, server: Any, tmp_path: Path) -> dict[str, str]:
    return cli_env(proxy.url, tmp_path, **member_credentials(server.url, MEMBER))


def outcomes(stdout: str) -> list[tuple[str, str | None, str, str]]:
    """The records as (Region, account, action, outcome), sorted."""
    return sorted((r["region"], r["accountId"], r["action"], r["outcome"]) for r in records(stdout))


def mutating_sent(proxy: FaultProxy) -> int:
    return sum(n for operation, n in proxy.seen.items() if operation in MUTATING)


# ------------------------------------------------------------------------------- reads


def test_get_member_across_regions(proxy: FaultProxy, sandbox_server: Any, tmp_path: Path) -> None:
    invite(sandbox_server.url, regions=("us-east-1",), senders=(ADMIN,))
    run = run_ours(["get-member", "--id", MEMBER, "--regions", TWO], cli_env(proxy.url, tmp_path))
    assert run.rc == 254, run.stderr  # not in eu-west-1's inventory
    document = json.loads(run.stdout)
    [east, west] = document["regions"]
    assert (east["region"], east["accountId"], east["relationshipStatus"]) == ("us-east-1", MEMBER, "Invited")
    assert (west["region"], west["errorCode"]) == ("eu-west-1", "ResourceNotFoundException")
    assert run.stderr == ""  # the JSON document holds the error
    csv = run_ours(["get-member", "--id", MEMBER, "--regions", TWO, "--output", "csv"], cli_env(proxy.url, tmp_path))
    assert csv.rc == 254
    assert csv.stdout.splitlines()[0].startswith("region,accountId,email,relationshipStatus")
    assert [line.split(",")[:2] for line in csv.stdout.splitlines()[1:]] == [["us-east-1", MEMBER]]
    assert "eu-west-1: ResourceNotFoundException" in csv.stderr  # CSV has no place for it


def test_list_invitations_and_administrator_across_regions(proxy: FaultProxy, sandbox_server: Any,
                                                           tmp_path: Path) -> None:
    invite(sandbox_server.url)
    accept_in(sandbox_server.url, "us-east-1")
    env = as_member(proxy, sandbox_server, tmp_path)
    listed = run_ours(["list-invitations", "--regions", TWO, "--query",
                       "regions[].[region, invitations[].[accountId, relationshipStatus]]"], env)
    assert listed.rc == 0, listed.stderr
    assert json.loads(listed.stdout) == [["us-east-1", [[ADMIN, "Enabled"], [OTHER, "Invited"]]],
                                         ["eu-west-1", [[ADMIN, "Invited"], [OTHER, "Invited"]]]]
    administrators = run_ours(["get-administrator-account", "--regions", TWO], env)
    assert administrators.rc == 0, administrators.stderr
    [east, west] = json.loads(administrators.stdout)["regions"]
    assert east["administrator"]["accountId"] == ADMIN and west == {"region": "eu-west-1"}
    table = run_ours(["get-administrator-account", "--regions", TWO, "--output", "table"], env)
    assert table.rc == 0 and "GetAdministratorAccount us-east-1" in table.stdout
    assert "GetAdministratorAccount eu-west-1" in table.stdout  # a Region without an administrator too
    assert mutating_sent(proxy) == 0


def test_list_invitations_across_regions_refuses_paging_one_region(proxy: FaultProxy, tmp_path: Path) -> None:
    run = run_ours(["list-invitations", "--regions", TWO, "--max-items", "1"], cli_env(proxy.url, tmp_path))
    assert run.rc == 252 and run.stdout == ""
    assert "--max-items" in run.stderr
    assert not proxy.seen


# ------------------------------------------------------------------ member-side actions


def test_decline_across_regions_sends_only_what_is_still_to_do(proxy: FaultProxy, sandbox_server: Any,
                                                                tmp_path: Path) -> None:
    invite(sandbox_server.url, regions=("us-east-1",))
    env = as_member(proxy, sandbox_server, tmp_path)
    args = ["decline-invitations", "--account-ids", f"{ADMIN},{OTHER}", "--regions", TWO]
    refused = run_ours(args, env)  # no terminal to ask
    assert refused.rc == 252 and refused.stdout == ""
    assert "--yes" in refused.stderr
    assert mutating_sent(proxy) == 0
    run = run_ours([*args, "--yes"], env)
    assert run.rc == 0, run.stderr
    assert outcomes(run.stdout) == [("eu-west-1", ADMIN, "decline-invitations", "skipped"),
                                   ("eu-west-1", OTHER, "decline-invitations", "skipped"),
                                   ("us-east-1", ADMIN, "decline-invitations", "ok"),
                                   ("us-east-1", OTHER, "decline-invitations", "ok")]
    assert proxy.seen["DeclineInvitations"] == 1  # one request for both, in the Region that had them
    assert client(sandbox_server.url, "us-east-1").list_members(onlyAssociated="false")["members"] == []
    again = run_ours([*args, "--yes"], env)
    assert again.rc == 0 and {r[3] for r in outcomes(again.stdout)} == {"skipped"}
    assert proxy.seen["DeclineInvitations"] == 1  # nothing sent again


def test_delete_invitations_across_regions(proxy: FaultProxy, sandbox_server: Any, tmp_path: Path) -> None:
    invite(sandbox_server.url)
    client(sandbox_server.url, "us-east-1", MEMBER).decline_invitations(accountIds=[ADMIN])
    env = as_member(proxy, sandbox_server, tmp_path)
    run = run_ours(["delete-invitations", "--account-ids", ADMIN, "--regions", TWO, "--yes"], env)
    assert run.rc == 254  # eu-west-1's invitation is pending: decline it first
    results = {(r["region"], r["outcome"], r["errorCode"]) for r in json.loads(run.stdout)["results"]}
    assert results == {("us-east-1", "ok", None), ("eu-west-1", "failed", "InvitationPending")}
    assert proxy.seen["DeleteInvitations"] == 1  # nothing sent for what the service would refuse
    west = client(sandbox_server.url, "eu-west-1", MEMBER).list_invitations()["invitations"]
    assert {i["accountId"] for i in west} == {ADMIN, OTHER}


def test_leaving_the_organization_in_every_region(proxy: FaultProxy, sandbox_server: Any, tmp_path: Path) -> None:
    invite(sandbox_server.url, senders=(ADMIN,))
    for region in REGIONS:
        accept_in(sandbox_server.url, region)
    env = as_member(proxy, sandbox_server, tmp_path)
    dry = run_ours(["disassociate-from-administrator-account", "--all-regions", "--dry-run"], env)
    assert dry.rc == 0, dry.stderr
    planned = [(r["region"], r["operation"]) for r in json.loads(dry.stdout)["requests"]]
    assert sorted(planned) == [(r, "DisassociateFromAdministratorAccount") for r in sorted(REGIONS)]
    assert mutating_sent(proxy) == 0
    run = run_ours(["disassociate-from-administrator-account", "--all-regions", "--yes", "--report",
                    str(tmp_path / "left.jsonl")], env)
    assert run.rc == 0, run.stderr
    done = [r for r in json.loads(run.stdout)["results"] if r["outcome"] == "ok"]
    assert sorted((r["region"], r["accountId"]) for r in done) == [(r, ADMIN) for r in sorted(REGIONS)]
    skipped = [r for r in json.loads(run.stdout)["results"] if r["outcome"] == "skipped"]
    assert skipped and all(r["region"] not in REGIONS for r in skipped)  # no administrator there
    written = [json.loads(line) for line in (tmp_path / "left.jsonl").read_text().splitlines()]
    assert len(written) == len(json.loads(run.stdout)["results"])
    for region in REGIONS:
        members = client(sandbox_server.url, region).list_members(onlyAssociated="false")["members"]
        assert [(m["accountId"], m["relationshipStatus"]) for m in members] == [(MEMBER, "Resigned")]


def test_a_single_region_member_side_action_is_the_drop_in(proxy: FaultProxy, sandbox_server: Any,
                                                           tmp_path: Path) -> None:
    """--regions with one Region is the drop-in command: the AWS CLI's output, no prompt."""
    invite(sandbox_server.url, regions=("us-east-1",), senders=(ADMIN,))
    accept(sandbox_server.url, MEMBER)
    env = as_member(proxy, sandbox_server, tmp_path)
    run = run_ours(["disassociate-from-administrator-account", "--regions", "us-east-1"], env)
    assert (run.rc, run.stdout, run.stderr) == (0, "", "")


# ------------------------------------------------------- one Region only: refused, not ignored


@pytest.mark.parametrize("args", [
    ["accept-invitation", "--administrator-account-id", ADMIN, "--invitation-id", "x", "--regions", TWO],
    ["accept-invitation", "--administrator-account-id", ADMIN, "--invitation-id", "x", "--all-regions"],
    ["get-invitations-count", "--regions", TWO],
    ["get-master-account", "--all-regions"],
    ["disassociate-from-master-account", "--regions", TWO],
    ["disassociate-from-master-account", "--yes"],
    ["get-invitations-count", "--report", "r.jsonl"],
    ["get-member", "--id", MEMBER, "--report", "r.jsonl"],
    ["decline-invitations", "--account-ids", ADMIN, "--accounts-file", "a.csv"],
])
def test_options_a_command_cannot_honour_are_refused(args: list[str], proxy: FaultProxy, tmp_path: Path) -> None:
    run = run_ours(args, cli_env(proxy.url, tmp_path), cwd=tmp_path)
    assert run.rc == 252, (run.rc, run.stderr)
    assert run.stdout == ""
    if "regions" in " ".join(args):
        assert f"{args[0]} runs in one Region: use --region" in run.stderr
        assert ("accept-invitations" in run.stderr) == (args[0] == "accept-invitation")
    else:
        assert "No such option" in run.stderr
    assert not proxy.seen
    assert not (tmp_path / "r.jsonl").exists()


def test_ids_are_checked_before_anything_is_sent(proxy: FaultProxy, sandbox_server: Any, tmp_path: Path) -> None:
    env = as_member(proxy, sandbox_server, tmp_path)
    for args in (["decline-invitations", "--account-ids", "12345"],
                 ["decline-invitations", "--account-ids", "12345", "--regions", TWO, "--yes"],
                 ["accept-invitation", "--administrator-account-id", "abc", "--invitation-id", "x"],
                 ["get-member", "--id", "1", "--regions", TWO],
                 ["decline-invitations", "--account-ids", ""],
                 ["delete-invitations", "--account-ids", ",", "--regions", TWO, "--yes"],
                 ["decline-invitations", "--account-ids", '["123456789012", ""]'],
                 ["create-invitations", "--account-ids", " "],
                 ["offboard", "--account-ids", "", "--yes"]):
        run = run_ours(args, env)
        assert run.rc == 252, (args, run.stderr)
        assert "an account id is exactly 12 digits" in run.stderr, run.stderr
    for args in (["decline-invitations", "--account-ids", "[]"],
                 ["delete-invitations", "--cli-input-json", '{"accountIds": []}', "--regions", TWO, "--yes"]):
        run = run_ours(args, env)
        assert run.rc == 252 and "Invalid length for parameter accountIds, value: 0" in run.stderr, run.stderr
    assert not proxy.seen
