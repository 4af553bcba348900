"""A mixed inventory through the CLI on the sandbox server: accounts of the administrator's AWS
organization (no email) beside invited accounts, in every mode that acts on an inventory:
sync with and without --prune (one Region, --regions, --all-regions), onboard, bulk
update-member-session and delete-member (--accounts-file, --regions), offboard, status,
list-members --output csv, and the administrator's own account in a file."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest

from tests.support.awscli_support import ADMIN, cli_env, run_ours
from tests.support.helpers import admin_client, member_client

ORG = ("700000000001", "700000000002")  # accounts of the administrator's AWS organization
INVITED, NEW = "100000000001", "100000000002"
TWO = ("us-east-1", "eu-west-1")


def client(url: str, region: str = "us-east-1") -> Any:
    return admin_client(url, region)


def members(url: str, region: str = "us-east-1") -> dict[str, dict[str, Any]]:
    found = client(url, region).get_paginator("list_members").paginate(onlyAssociated="false").build_full_result()
    return {m["accountId"]: m for m in found["members"]}


def statuses(url: str, region: str = "us-east-1") -> dict[str, str]:
    return {a: m["relationshipStatus"] for a, m in members(url, region).items()}


def mixed(server: Any, regions: tuple[str, ...] = ("us-east-1",)) -> None:
    """Two Organizations members and one invited, accepted member in each Region."""
    for account in ORG:
        server.control("/_sandbox/condition", {"account": account, "region": "us-east-1", "organization": ADMIN})
    for region in regions:
        admin = client(server.url, region)
        for account in ORG:
            admin.create_member(account={"accountId": account, "email": "ignored@example.com"})
        admin.create_member(account={"accountId": INVITED, "email": "invited@example.com"})
        admin.create_invitations(accountIds=[INVITED])
        accept_in(server.url, INVITED, region)


def accept_in(url: str, account: str, region: str) -> None:
    member = member_client(url, account, region)
    [invitation] = [i for i in member.list_invitations()["invitations"] if i["accountId"] == ADMIN]
    member.accept_invitation(administratorAccountId=ADMIN, invitationId=invitation["invitationId"])


def write(path: Path, rows: list[tuple[str, str]]) -> Path:
    path.write_text("Account ID,Email\n" + "".join(f"{a},{e}\n" for a, e in rows))
    return path


def results(run: Any) -> dict[tuple[str, str], dict[str, Any]]:
    return {(r["region"], r["accountId"]): r for r in json.loads(run.stdout)["results"]}


MODES = {
    "one Region": ((), ("us-east-1",)),
    "--regions": (("--regions", ",".join(TWO)), TWO),
}


@pytest.mark.parametrize("mode", list(MODES))
def test_sync_prune_never_removes_organizations_members(sandbox_server: Any, tmp_path: Path, mode: str) -> None:
    options, regions = MODES[mode]
    mixed(sandbox_server, regions)
    env = cli_env(sandbox_server.url, tmp_path)
    accounts = write(tmp_path / "a.csv", [(NEW, "new@example.com")])
    run = run_ours(["sync", str(accounts), "--prune", "--yes", "--output", "json", *options], env)
    assert run.rc == 0, run.stderr
    for region in regions:
        assert statuses(sandbox_server.url, region) == {ORG[0]: "Enabled", ORG[1]: "Enabled",
                                                         NEW: "Invited"}
        record = results(run)[(region, ORG[0])]
        assert (record["action"], record["outcome"]) == ("sync", "skipped")
        assert "never removes" in record["errorMessage"]
    plan = run_ours(["sync", str(accounts), "--plan", "--detailed-exitcode", "--output", "json", *options], env)
    assert plan.rc == 0, plan.stdout + plan.stderr
    document = json.loads(plan.stdout)
    assert document["drift"] is False
    assert [{a["accountId"] for a in p["organization"]} for p in document["plan"]] == [set(ORG)] * len(regions)


def test_sync_without_prune_does_not_count_organizations_members_as_drift(sandbox_server: Any, tmp_path: Path) -> None:
    mixed(sandbox_server)
    env = cli_env(sandbox_server.url, tmp_path)
    accounts = write(tmp_path / "a.csv", [(INVITED, "invited@example.com")])
    plan = run_ours(["sync", str(accounts), "--plan", "--detailed-exitcode", "--output", "json"], env)
    assert plan.rc == 0 and json.loads(plan.stdout)["drift"] is False, plan.stdout


@pytest.mark.slow
def test_sync_all_regions_keeps_organizations_members(sandbox_server: Any, tmp_path: Path) -> None:
    mixed(sandbox_server)
    env = cli_env(sandbox_server.url, tmp_path)
    accounts = write(tmp_path / "a.csv", [(NEW, "new@example.com")])
    run = run_ours(["sync", str(accounts), "--prune", "--yes", "--all-regions", "--no-progress", "--output", "json"], env)
    assert run.rc in (0, 254), run.stderr  # Regions the sandbox can't reach would be 254
    assert statuses(sandbox_server.url) == {ORG[0]: "Enabled", ORG[1]: "Enabled", NEW: "Invited"}


def test_onboard_adds_an_organizations_account_without_inviting_it(sandbox_server: Any, tmp_path: Path) -> None:
    url = sandbox_server.url
    sandbox_server.control("/_sandbox/condition", {"account": ORG[0], "region": "us-east-1", "organization": ADMIN})
    env = cli_env(url, tmp_path)
    accounts = write(tmp_path / "a.csv", [(ORG[0], "org@example.com"), (NEW, "new@example.com")])
    before = sandbox_server.stats()["requests"].get("CreateInvitations", 0)
    run = run_ours(["onboard", str(accounts), "--output", "json"], env)
    assert run.rc == 0, run.stderr
    assert statuses(url) == {ORG[0]: "Enabled", NEW: "Invited"}
    assert "email" not in members(url)[ORG[0]]
    assert sandbox_server.stats()["requests"].get("CreateInvitations", 0) == before + 1  # NEW only
    record = [r for r in json.loads(run.stdout)["results"] if r["accountId"] == ORG[0] and r["action"] == "onboard"]
    assert [(r["outcome"], r["errorMessage"]) for r in record] == [
        ("skipped", "an Organizations member: added without an invitation")]
    sent = sandbox_server.stats()["mutating"]
    again = run_ours(["onboard", str(accounts), "--output", "json"], env)
    assert again.rc == 0 and sandbox_server.stats()["mutating"] == sent  # nothing left to do
    assert {r["outcome"] for r in json.loads(again.stdout)["results"]} == {"skipped"}


def test_onboard_re_adds_a_removed_organizations_member(sandbox_server: Any, tmp_path: Path) -> None:
    mixed(sandbox_server)
    client(sandbox_server.url).disassociate_member(id=ORG[0])
    env = cli_env(sandbox_server.url, tmp_path)
    run = run_ours(["onboard", str(write(tmp_path / "a.csv", [(ORG[0], "x@example.com")])), "--output", "json"], env)
    assert run.rc == 0, run.stderr
    assert statuses(sandbox_server.url)[ORG[0]] == "Enabled"


def test_bulk_re_enable_sends_for_organizations_members_only(sandbox_server: Any, tmp_path: Path) -> None:
    mixed(sandbox_server)
    admin = client(sandbox_server.url)
    for account in (ORG[0], INVITED):
        admin.update_member_session(id=account, status="PAUSED")
    env = cli_env(sandbox_server.url, tmp_path)
    accounts = write(tmp_path / "a.csv", [(ORG[0], "o@example.com"), (INVITED, "i@example.com")])
    before = sandbox_server.stats()["requests"].get("UpdateMemberSession", 0)
    run = run_ours(["update-member-session", "--status", "ENABLED", "--accounts-file", str(accounts),
                    "--output", "json"], env)
    assert run.rc == 254, run.stderr
    by_account = results(run)
    assert by_account[("us-east-1", ORG[0])]["outcome"] == "ok"
    refused = by_account[("us-east-1", INVITED)]
    assert (refused["outcome"], refused["errorCode"]) == ("failed", "OnlyTheMemberCanReEnable")
    assert sandbox_server.stats()["requests"].get("UpdateMemberSession", 0) == before + 1
    assert statuses(sandbox_server.url)[ORG[0]] == "Enabled" and statuses(sandbox_server.url)[INVITED] == "Paused"


def test_re_enable_across_regions(sandbox_server: Any, tmp_path: Path) -> None:
    mixed(sandbox_server, TWO)
    for region in TWO:
        for account in (ORG[0], INVITED):
            client(sandbox_server.url, region).update_member_session(id=account, status="PAUSED")
    env = cli_env(sandbox_server.url, tmp_path)
    regions = ["--regions", ",".join(TWO), "--output", "json"]
    invited = run_ours(["update-member-session", "--status", "ENABLED", "--id", INVITED, *regions], env)
    assert invited.rc == 254
    assert {r["errorCode"] for r in json.loads(invited.stdout)["results"]} == {"OnlyTheMemberCanReEnable"}
    organization = run_ours(["update-member-session", "--status", "ENABLED", "--id", ORG[0], *regions], env)
    assert organization.rc == 0, organization.stderr
    assert all(statuses(sandbox_server.url, r)[ORG[0]] == "Enabled" for r in TWO)


def test_bulk_delete_of_an_associated_member_names_offboard(sandbox_server: Any, tmp_path: Path) -> None:
    mixed(sandbox_server, TWO)
    env = cli_env(sandbox_server.url, tmp_path)
    before = sandbox_server.stats()["requests"].get("DeleteMember", 0)
    accounts = write(tmp_path / "a.csv", [(ORG[0], "o@example.com"), (INVITED, "i@example.com")])
    run = run_ours(["delete-member", "--accounts-file", str(accounts), "--yes", "--output", "json"], env)
    assert run.rc == 254, run.stderr
    for account in (ORG[0], INVITED):
        record = results(run)[("us-east-1", account)]
        assert record["errorCode"] == "StillAssociated" and "offboard" in record["errorMessage"]
    assert sandbox_server.stats()["requests"].get("DeleteMember", 0) == before  # nothing sent
    across = run_ours(["delete-member", "--regions", ",".join(TWO), "--id", ORG[0], "--yes", "--output", "json"], env)
    assert across.rc == 254, across.stderr
    assert {results(across)[(r, ORG[0])]["errorCode"] for r in TWO} == {"StillAssociated"}
    # The one-account drop-in still sends, as the AWS CLI does, and gets the service's answer.
    dropin = run_ours(["delete-member", "--id", ORG[0]], env)
    assert dropin.rc == 254 and "still associated" in dropin.stderr
    assert sandbox_server.stats()["requests"].get("DeleteMember", 0) == before + 1


def test_offboard_an_organizations_member(sandbox_server: Any, tmp_path: Path) -> None:
    mixed(sandbox_server)
    env = cli_env(sandbox_server.url, tmp_path)
    run = run_ours(["offboard", str(write(tmp_path / "a.csv", [(ORG[0], "o@example.com")])), "--yes",
                    "--output", "json"], env)
    assert run.rc == 0, run.stderr
    assert ORG[0] not in statuses(sandbox_server.url)
    [deleted] = [r for r in json.loads(run.stdout)["results"] if r["action"] == "delete-member"]
    assert deleted["outcome"] == "ok" and "stays in the AWS organization" in deleted["note"]
    # It can be added again with CreateMember (it is still in the organization).
    readd = run_ours(["create-member", "--account", f"accountId={ORG[0]},email=o@example.com"], env)
    assert readd.rc == 0 and statuses(sandbox_server.url)[ORG[0]] == "Enabled"


def test_status_shows_the_membership_type_in_every_format(sandbox_server: Any, tmp_path: Path) -> None:
    mixed(sandbox_server)
    env = cli_env(sandbox_server.url, tmp_path)
    document = json.loads(run_ours(["status", "--regions", "us-east-1", "--output", "json"], env).stdout)
    assert {a["accountId"]: a["membershipType"] for a in document["accounts"]} == {
        ORG[0]: "organization", ORG[1]: "organization", INVITED: "invitation"}
    assert document["countsByMembershipType"] == {"invitation": {"us-east-1": 1}, "organization": {"us-east-1": 2}}
    rows = list(csv.DictReader(io.StringIO(run_ours(["status", "--regions", "us-east-1", "--output", "csv"], env).stdout)))
    assert {r["Account ID"]: r["Membership"] for r in rows}[ORG[0]] == "organization"
    text = run_ours(["status", "--regions", "us-east-1", "--output", "text"], env).stdout
    assert f"{ORG[0]}\tus-east-1\tEnabled\torganization" in text.splitlines()
    table = run_ours(["status", "--regions", "us-east-1", "--output", "table"], env).stdout
    assert "organization 2" in table and "invitation 1" in table


@pytest.mark.parametrize("regions", [None, ",".join(TWO)])
def test_list_members_csv_names_the_membership_type(sandbox_server: Any, tmp_path: Path, regions: str | None) -> None:
    mixed(sandbox_server, TWO if regions else ("us-east-1",))
    env = cli_env(sandbox_server.url, tmp_path)
    extra = ["--regions", regions] if regions else []
    run = run_ours(["list-members", "--output", "csv", *extra], env)
    assert run.rc == 0, run.stderr
    rows = list(csv.DictReader(io.StringIO(run.stdout)))
    assert {(r["accountId"], r["membershipType"]) for r in rows} == {
        (ORG[0], "organization"), (ORG[1], "organization"), (INVITED, "invitation")}


def test_the_invitation_quota_counts_invited_accounts_only(sandbox_server: Any, tmp_path: Path) -> None:
    url = sandbox_server.url
    admin = client(url)
    organization = [f"{710000000000 + n}" for n in range(1000)]
    for account in organization:
        sandbox_server.control("/_sandbox/condition", {"account": account, "region": "us-east-1", "organization": ADMIN})
        admin.create_member(account={"accountId": account, "email": "o@example.com"})
    env = cli_env(url, tmp_path)
    run = run_ours(["onboard", str(write(tmp_path / "a.csv", [(NEW, "new@example.com")]))], env)
    assert run.rc == 0, run.stderr
    assert statuses(url)[NEW] == "Invited"


@pytest.mark.parametrize("command", [["onboard"], ["sync", "--prune", "--yes"], ["offboard", "--yes"],
                                     ["create-member", "--regions", "us-east-1", "--accounts-file"]])
def test_the_administrators_own_account_in_a_file_is_refused(sandbox_server: Any, tmp_path: Path,
                                                               command: list[str]) -> None:
    env = cli_env(sandbox_server.url, tmp_path)
    accounts = write(tmp_path / "a.csv", [(NEW, "new@example.com"), (ADMIN, "me@example.com")])
    before = sandbox_server.stats()
    args = [*command, str(accounts)] if command[0] == "create-member" else [command[0], str(accounts), *command[1:]]
    run = run_ours(args, env)
    assert run.rc == 252 and run.stdout == ""
    assert run.stderr.strip() == (f"{accounts}:3: {ADMIN} is the administrator's own account (the account this run "
                                  "uses): an account can't be its own member; remove it from the file")
    after = sandbox_server.stats()
    assert after["mutating"] == before["mutating"] and after["requests"].get("ListMembers") == \
        before["requests"].get("ListMembers")


def test_sandbox_condition_organization_through_the_cli(sandbox_server: Any, tmp_path: Path) -> None:
    env = cli_env(sandbox_server.url, tmp_path)
    joined = run_ours(["sandbox", "condition", "--account", ORG[0], "--organization"], env)
    assert joined.rc == 0, joined.stderr
    assert run_ours(["create-member", "--account", f"accountId={ORG[0]},email=x@example.com"], env).rc == 0
    assert statuses(sandbox_server.url) == {ORG[0]: "Enabled"}
    left = run_ours(["sandbox", "condition", "--account", ORG[0], "--no-organization"], env)
    assert left.rc == 0 and statuses(sandbox_server.url) == {ORG[0]: "Removed"}
    itself = run_ours(["sandbox", "condition", "--account", ADMIN, "--organization"], env)
    assert itself.rc == 252 and "can't be in the organization it administers" in itself.stderr
    alone = run_ours(["sandbox", "condition", "--account", ORG[0], "--administrator", ADMIN], env)
    assert alone.rc == 252 and "--administrator goes with --organization" in alone.stderr


def test_sandbox_condition_organization_embedded(tmp_path: Path) -> None:
    env = {"MACIE_MEMBERS_SANDBOX": "1", "MACIE_MEMBERS_SANDBOX_STATE": str(tmp_path / "s.json"),
           "MACIE_MEMBERS_LOCK_DIR": str(tmp_path / "locks"),
           "AWS_CONFIG_FILE": str(tmp_path / "none"), "AWS_SHARED_CREDENTIALS_FILE": str(tmp_path / "none")}
    import os

    env = {**{k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "MACIE_MEMBERS_"))}, **env}
    assert run_ours(["sandbox", "condition", "--account", ORG[0], "--organization"], env).rc == 0
    assert run_ours(["create-member", "--account", f"accountId={ORG[0]},email=x@example.com"], env).rc == 0
    listed = json.loads(run_ours(["list-members", "--only-associated", "false"], env).stdout)["members"]
    assert [(m["accountId"], "email" in m) for m in listed] == [(ORG[0], False)]
