"""Workflows on the sandbox server: onboard, offboard, accept-invitations, status, CSV output."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

from tests.support.awscli_support import ADMIN, accept, cli_env, run_ours
from tests.support.helpers import admin_client, member_client, records, statuses

REGIONS = "us-east-1,eu-west-1"


def write(path: Path, rows: list[tuple[str, str]]) -> Path:
    path.write_text("Account ID,Email\n" + "".join(f"{a},{e}\n" for a, e in rows))
    return path


def latest(run: Any) -> dict[tuple[str, str], dict[str, Any]]:
    """The last record of each (Region, account)."""
    return {(r["region"], r["accountId"]): r for r in records(run.stdout)}


def actions(run: Any) -> dict[tuple[str, str], list[tuple[str, str]]]:
    """Each (Region, account)'s records: (action, outcome), in the order printed."""
    out: dict[tuple[str, str], list[tuple[str, str]]] = {}
    for r in records(run.stdout):
        out.setdefault((r["region"], r["accountId"]), []).append((r["action"], r["outcome"]))
    return out


def test_onboard_converges_and_second_run_sends_nothing(sandbox_server: Any, tmp_path: Path) -> None:
    url = sandbox_server.url
    env = cli_env(url, tmp_path)
    admin = admin_client(url)
    # Prepare every starting status in us-east-1.
    admin.create_member(account={"accountId": "100000000001", "email": "created@example.com"})          # Created
    for acct in ("100000000002", "100000000003", "100000000004", "100000000005", "100000000006"):
        admin.create_member(account={"accountId": acct, "email": f"{acct}@example.com"})
    admin.create_member(account={"accountId": "100000000007", "email": "bad@example.invalid"})
    admin.create_member(account={"accountId": "100000000008", "email": "bad2@example.invalid"})
    admin.create_invitations(accountIds=["100000000002", "100000000003", "100000000004", "100000000005",
                                         "100000000006", "100000000007", "100000000008"])
    for acct in ("100000000003", "100000000004", "100000000005"):
        accept(url, acct)
    admin.update_member_session(id="100000000004", status="PAUSED")                                     # Paused
    admin.disassociate_member(id="100000000005")                                                         # Removed
    member_client(url, "100000000006")  # 006 stays Invited; 003 Enabled
    rows = [
        ("100000000000", "new@example.com"),        # absent -> add
        ("100000000001", "created@example.com"),    # Created -> invite
        ("100000000002", "100000000002@example.com"),  # Invited -> unchanged
        ("100000000003", "100000000003@example.com"),  # Enabled -> unchanged
        ("100000000004", "100000000004@example.com"),  # Paused -> unchanged
        ("100000000005", "100000000005@example.com"),  # Removed -> invite
        ("100000000007", "fixed@example.com"),      # EmailVerificationFailed, new email -> re-add
        ("100000000008", "bad2@example.invalid"),   # EmailVerificationFailed, same email -> attention
    ]
    csv_path = write(tmp_path / "a.csv", rows)
    setup_mutating = sandbox_server.stats()["mutating"]
    plan = run_ours(["onboard", str(csv_path), "--plan", "--regions", "us-east-1"], env)
    assert plan.rc == 0, plan.stderr
    [region_plan] = json.loads(plan.stdout)["plan"]
    assert region_plan["add"] == ["100000000000"]
    assert sorted(region_plan["invite"]) == ["100000000001", "100000000005"]
    assert region_plan["readd"] == ["100000000007"]
    assert sorted(u["accountId"] for u in region_plan["unchanged"]) == ["100000000002", "100000000003", "100000000004"]
    assert [a["accountId"] for a in region_plan["attention"]] == ["100000000008"]
    assert sandbox_server.stats()["mutating"] == setup_mutating  # --plan sent only reads
    before = sandbox_server.stats()["requests"]

    report = tmp_path / "report.jsonl"
    first = run_ours(["onboard", str(csv_path), "--regions", "us-east-1", "--report", str(report)], env)
    assert first.rc == 254, first.stderr  # 008 needs attention
    got = latest(first)
    done = actions(first)
    # One record per request answered: added, then invited.
    assert done[("us-east-1", "100000000000")] == [("create-member", "ok"), ("create-invitations", "ok")]
    assert done[("us-east-1", "100000000007")] == [
        ("delete-member", "ok"), ("create-member", "ok"), ("create-invitations", "ok")]
    assert done[("us-east-1", "100000000001")] == [("create-invitations", "ok")]
    assert got[("us-east-1", "100000000008")]["outcome"] == "failed"
    assert got[("us-east-1", "100000000008")]["errorCode"] == "EmailVerificationFailed"
    after = sandbox_server.stats()["requests"]
    assert after["CreateMember"] - before["CreateMember"] == 2  # add + re-add
    assert after["DeleteMember"] - before.get("DeleteMember", 0) == 1  # re-add
    assert after["CreateInvitations"] - before["CreateInvitations"] == 1  # 4 ids, one batch
    assert len(report.read_text().splitlines()) == len(json.loads(first.stdout)["results"])
    final = statuses(url)
    assert final["100000000000"] == final["100000000001"] == final["100000000005"] == final["100000000007"] == "Invited"
    assert final["100000000008"] == "EmailVerificationFailed"

    mutating = sandbox_server.stats()["mutating"]
    second = run_ours(["onboard", str(csv_path), "--regions", "us-east-1"], env)
    assert second.rc == 254
    assert sandbox_server.stats()["mutating"] == mutating  # zero mutating requests the second time
    assert {(r["action"], r["outcome"]) for r in json.loads(second.stdout)["results"]} == {
        ("onboard", "skipped"), ("onboard", "failed")}


def test_onboard_wait_and_timeout(server_factory: Any, tmp_path: Path) -> None:
    server = server_factory("--verification-delay", "1.5")
    env = cli_env(server.url, tmp_path)
    csv_path = write(tmp_path / "a.csv", [("111111111111", "a@example.com"), ("222222222222", "b@example.invalid")])
    run = run_ours(["onboard", str(csv_path), "--wait", "--timeout", "60"], env)
    waits = {r["accountId"]: r for r in json.loads(run.stdout)["results"] if r["action"] == "wait"}
    assert waits["111111111111"]["outcome"] == "ok" and waits["111111111111"]["status"] == "Invited"
    assert waits["222222222222"]["outcome"] == "failed" and waits["222222222222"]["status"] == "EmailVerificationFailed"
    assert run.rc == 254
    csv2 = write(tmp_path / "b.csv", [("333333333333", "c@example.com")])
    timed_out = run_ours(["onboard", str(csv2), "--wait", "--timeout", "0.5"], env)
    [wait] = [r for r in json.loads(timed_out.stdout)["results"] if r["action"] == "wait"]
    assert wait["outcome"] == "failed" and wait["errorCode"] == "Timeout"


def test_onboard_quota_guard(sandbox_server: Any, tmp_path: Path) -> None:
    env = cli_env(sandbox_server.url, tmp_path)
    csv_path = write(tmp_path / "a.csv", [(f"{200000000000 + i}", f"m{i}@example.com") for i in range(1001)])
    run = run_ours(["onboard", str(csv_path), "--regions", REGIONS], env)
    assert run.rc == 252 and "over the quota of 1000" in run.stderr
    assert sandbox_server.stats()["mutating"] == 0


def test_offboard(sandbox_server: Any, tmp_path: Path) -> None:
    url = sandbox_server.url
    env = cli_env(url, tmp_path)
    admin = admin_client(url)
    for acct in ("111111111111", "222222222222", "333333333333"):
        admin.create_member(account={"accountId": acct, "email": f"{acct}@example.com"})
    admin.create_invitations(accountIds=["111111111111", "222222222222"])
    accept(url, "111111111111")
    refused = run_ours(["offboard", "--account-ids", "111111111111,222222222222", "--account-ids", "333333333333",
                        "444444444444"], env)
    assert refused.rc == 252 and "--yes" in refused.stderr
    run = run_ours(["offboard", "--account-ids", "111111111111,222222222222", "--account-ids", "333333333333",
                    "444444444444", "--yes"], env)
    assert run.rc == 0, run.stderr
    got = latest(run)
    assert [got[("us-east-1", a)]["outcome"] for a in ("111111111111", "222222222222", "333333333333")] == ["ok"] * 3
    assert got[("us-east-1", "444444444444")]["outcome"] == "skipped"
    assert actions(run)[("us-east-1", "111111111111")] == [("disassociate-member", "ok"), ("delete-member", "ok")]
    assert actions(run)[("us-east-1", "333333333333")] == [("delete-member", "ok")]  # Created: nothing to disassociate
    assert statuses(url) == {}
    again = run_ours(["offboard", "--account-ids", "111111111111", "--yes"], env)
    assert again.rc == 0 and json.loads(again.stdout)["summary"] == {"ok": 0, "skipped": 1, "failed": 0}


def test_accept_invitations(sandbox_server: Any, tmp_path: Path) -> None:
    url = sandbox_server.url
    env = cli_env(url, tmp_path)
    for region in ("us-east-1", "eu-west-1"):
        admin = admin_client(url, region)
        for acct in ("111111111111", "222222222222", "333333333333"):
            admin.create_member(account={"accountId": acct, "email": f"{acct}@example.com"})
        admin.create_invitations(accountIds=["111111111111", "222222222222", "333333333333"])
    # Another administrator also invited 111111111111: its invitation must not be accepted.
    other = member_client(url, "999999999999")
    other.create_member(account={"accountId": "111111111111", "email": "x@example.com"})
    other.create_invitations(accountIds=["111111111111"])
    # 333333333333 has Macie disabled in us-east-1.
    member_client(url, "333333333333").disable_macie()
    run = run_ours(["accept-invitations", "--role-name", "MacieAccept", "--account-ids",
                    "111111111111", "222222222222", "333333333333", "--regions", REGIONS], env)
    got = latest(run)
    assert run.rc == 254
    for region in ("us-east-1", "eu-west-1"):
        assert got[(region, "111111111111")]["outcome"] == "ok"
        assert got[(region, "222222222222")]["outcome"] == "ok"
    assert got[("us-east-1", "333333333333")]["errorCode"] == "MacieNotEnabled"
    assert statuses(url)["111111111111"] == "Enabled"
    invitations = member_client(url, "111111111111").list_invitations()["invitations"]
    # The accepted invitation persists (as in Macie); the other sender's is untouched.
    assert [(i["accountId"], i["relationshipStatus"]) for i in invitations] == [
        ("123456789012", "Enabled"), ("999999999999", "Invited")]
    # --enable-macie finishes the job; accounts already members are skipped.
    again = run_ours(["accept-invitations", "--role-name", "MacieAccept", "--account-ids",
                      "111111111111,222222222222,333333333333", "--regions", REGIONS, "--enable-macie"], env)
    assert again.rc == 0, again.stderr
    assert json.loads(again.stdout)["summary"] == {"ok": 2, "skipped": 5, "failed": 0}
    assert actions(again)[("us-east-1", "333333333333")] == [("enable-macie", "ok"), ("accept-invitation", "ok")]
    assert statuses(url)["333333333333"] == "Enabled"


def test_status_matrix_counts_attention_and_csv(sandbox_server: Any, tmp_path: Path) -> None:
    url = sandbox_server.url
    env = cli_env(url, tmp_path)
    admin = admin_client(url)
    admin.create_member(account={"accountId": "111111111111", "email": "=HYPERLINK(\"x\")@example.com"})
    admin.create_member(account={"accountId": "222222222222", "email": "b@example.invalid"})
    admin.create_invitations(accountIds=["111111111111", "222222222222"])
    accept(url, "111111111111")
    csv_path = write(tmp_path / "a.csv", [("111111111111", "a@example.com"), ("333333333333", "c@example.com")])
    run = run_ours(["status", "--regions", REGIONS, "--accounts-file", str(csv_path), "--output", "json"], env)
    assert run.rc == 0, run.stderr
    doc = json.loads(run.stdout)
    matrix = {a["accountId"]: a["statuses"] for a in doc["accounts"]}
    assert matrix["111111111111"] == {"us-east-1": "Enabled", "eu-west-1": "missing"}
    assert "222222222222" not in matrix  # not in the file
    assert doc["counts"]["Enabled"] == {"us-east-1": 1}
    attention = {(a["accountId"], a["region"], a["status"]) for a in doc["attention"]}
    assert ("333333333333", "us-east-1", "missing") in attention and ("111111111111", "eu-west-1", "missing") in attention
    everything = json.loads(run_ours(["status", "--regions", "us-east-1", "--output", "json"], env).stdout)
    assert ("222222222222", "us-east-1", "EmailVerificationFailed") in {
        (a["accountId"], a["region"], a["status"]) for a in everything["attention"]}
    as_csv = run_ours(["status", "--regions", REGIONS, "--output", "csv"], env)
    rows = list(csv.reader(io.StringIO(as_csv.stdout)))
    assert rows[0] == ["Account ID", "Email", "us-east-1", "eu-west-1", "Membership"]
    assert rows[1][1].startswith("'=HYPERLINK")  # a spreadsheet would run it: escaped
    table = run_ours(["status", "--regions", REGIONS, "--output", "table"], env)
    assert "111111111111" in table.stdout and "Enabled" in table.stdout and "attention" not in table.stdout.split("counts")[0]


def test_list_members_csv_escapes_formulas(sandbox_server: Any, tmp_path: Path) -> None:
    env = cli_env(sandbox_server.url, tmp_path)
    admin_client(sandbox_server.url).create_member(account={"accountId": "111111111111", "email": "-cmd@example.com"},
                                             tags={"t": "v"})
    run = run_ours(["list-members", "--only-associated", "false", "--output", "csv"], env)
    assert run.rc == 0, run.stderr
    rows = list(csv.reader(io.StringIO(run.stdout)))
    assert rows[0][:3] == ["accountId", "email", "relationshipStatus"]
    assert rows[1][:3] == ["111111111111", "'-cmd@example.com", "Created"]
    refused = run_ours(["delete-member", "--id", "111111111111", "--output", "csv"], env)
    assert refused.rc == 252
    assert ADMIN in run.stdout


def test_onboard_accept_status_onboard_again(sandbox_server: Any, tmp_path: Path) -> None:
    url = sandbox_server.url
    env = cli_env(url, tmp_path)
    accounts = [(f"{400000000000 + i}", f"m{i}@example.com") for i in range(30)]
    csv_path = write(tmp_path / "a.csv", accounts)
    first = run_ours(["onboard", str(csv_path), "--regions", REGIONS], env)
    assert first.rc == 0, first.stderr
    assert json.loads(first.stdout)["summary"] == {"ok": 120, "skipped": 0, "failed": 0}  # added, then invited
    stats = sandbox_server.stats()["requests"]
    # ListMembers: each Region's inventory before planning (1 page), and again before inviting
    # (30 accounts: 2 pages of 25), so an Organizations member (no email) is never invited.
    assert stats["CreateMember"] == 60 and stats["CreateInvitations"] == 2 and stats["ListMembers"] == 2 + 4
    accepted = run_ours(["accept-invitations", "--role-name", "MacieAccept", "--accounts-file", str(csv_path),
                         "--regions", REGIONS], env)
    assert accepted.rc == 0, accepted.stderr
    status = json.loads(run_ours(["status", "--regions", REGIONS, "--accounts-file", str(csv_path)], env).stdout)
    assert all(a["statuses"] == {"us-east-1": "Enabled", "eu-west-1": "Enabled"} for a in status["accounts"])
    assert status["counts"] == {"Enabled": {"eu-west-1": 30, "us-east-1": 30}} and status["attention"] == []
    mutating = sandbox_server.stats()["mutating"]
    again = run_ours(["onboard", str(csv_path), "--regions", REGIONS], env)
    assert again.rc == 0
    assert json.loads(again.stdout)["summary"] == {"ok": 0, "skipped": 60, "failed": 0}
    assert sandbox_server.stats()["mutating"] == mutating


def test_onboard_and_status_with_the_remaining_statuses(server_factory: Any, tmp_path: Path) -> None:
    server = server_factory("--verification-delay", "30")
    url = server.url
    env = cli_env(url, tmp_path)
    admin = admin_client(url)
    ids = {"verifying": "500000000001", "disabled": "500000000002", "suspended": "500000000003", "pending": "500000000004"}
    for acct in ids.values():
        admin.create_member(account={"accountId": acct, "email": f"{acct}@example.com"})
    admin.create_invitations(accountIds=[ids["verifying"], ids["suspended"], ids["disabled"]])
    server.control("/_sandbox/condition", {"account": ids["disabled"], "region": "us-east-1", "regionDisabled": True})
    server.control("/_sandbox/condition", {"account": ids["suspended"], "region": "us-east-1", "accountSuspended": True})
    admin.create_invitations(accountIds=[ids["pending"]])
    got = statuses(url)
    assert got[ids["pending"]] == "EmailVerificationInProgress"
    assert got[ids["disabled"]] == "RegionDisabled" and got[ids["suspended"]] == "AccountSuspended"
    csv_path = write(tmp_path / "a.csv", [(a, f"{a}@example.com") for a in ids.values()])
    plan = json.loads(run_ours(["onboard", str(csv_path), "--plan"], env).stdout)["plan"][0]
    # Both still verifying their email (30 s): unchanged.
    assert sorted(u["accountId"] for u in plan["unchanged"]) == [ids["verifying"], ids["pending"]]
    assert {a["accountId"]: a["status"] for a in plan["attention"]} == {
        ids["disabled"]: "RegionDisabled", ids["suspended"]: "AccountSuspended"}
    status = json.loads(run_ours(["status"], env).stdout)
    attention = {a["accountId"]: a["status"] for a in status["attention"]}
    assert attention == {ids["disabled"]: "RegionDisabled", ids["suspended"]: "AccountSuspended"}


def test_onboard_reinvites_resigned_and_status_flags_it(sandbox_server: Any, tmp_path: Path) -> None:
    url = sandbox_server.url
    env = cli_env(url, tmp_path)
    admin = admin_client(url)
    admin.create_member(account={"accountId": "600000000001", "email": "r@example.com"})
    admin.create_invitations(accountIds=["600000000001"])
    accept(url, "600000000001")
    member_client(url, "600000000001").disassociate_from_administrator_account()
    assert statuses(url)["600000000001"] == "Resigned"
    status = json.loads(run_ours(["status"], env).stdout)
    assert status["attention"][0]["status"] == "Resigned"
    csv_path = write(tmp_path / "a.csv", [("600000000001", "r@example.com")])
    run = run_ours(["onboard", str(csv_path)], env)
    assert run.rc == 0 and actions(run)[("us-east-1", "600000000001")] == [("create-invitations", "ok")]
    assert statuses(url)["600000000001"] == "Invited"


def test_accept_invitations_role_that_cannot_be_assumed(sandbox_server: Any, tmp_path: Path) -> None:
    url = sandbox_server.url
    env = cli_env(url, tmp_path)
    admin = admin_client(url)
    for acct in ("111111111111", "222222222222"):
        admin.create_member(account={"accountId": acct, "email": f"{acct}@example.com"})
    admin.create_invitations(accountIds=["111111111111", "222222222222"])
    sandbox_server.control("/_sandbox/deny-role", {"roleArn": "arn:aws:iam::222222222222:role/MacieAccept"})
    run = run_ours(["accept-invitations", "--role-name", "MacieAccept", "--account-ids", "111111111111",
                    "222222222222"], env)
    assert run.rc == 254
    assert "Traceback" not in run.stderr
    got = latest(run)
    assert got[("us-east-1", "111111111111")]["outcome"] == "ok"
    denied = got[("us-east-1", "222222222222")]
    assert denied["outcome"] == "failed" and denied["errorCode"] == "AccessDenied"
    assert denied["action"] == "assume-role"
    # The service's own message, which names the role.
    assert "arn:aws:iam::222222222222:role/MacieAccept" in denied["errorMessage"]
    assert statuses(url) == {"111111111111": "Enabled", "222222222222": "Invited"}
