"""macie_members.plan.members: the administrator's planners (create, invite, update, disassociate,
delete, offboard) and the quota."""

from __future__ import annotations

from typing import Any

from macie_members.domain import Target
from macie_members.plan.members import (
    new_places,
    plan_create_invitations,
    plan_create_member,
    plan_delete_member,
    plan_disassociate_member,
    plan_offboard,
    plan_update_member_session,
    quota_problem,
)
from tests.support.helpers import account_ids, inventory_entry

R = "us-east-1"


# ------------------------------------------------------------------------------ planners


def test_plan_create_member_skips_accounts_in_the_inventory() -> None:
    plan = plan_create_member(R, {"111111111111": inventory_entry("Removed")},
                              [Target("111111111111", "a@example.com"), Target("222222222222", "b@example.com")],
                              {"team": "sec"})
    [skipped] = plan.records
    assert (skipped.accountId, skipped.outcome, skipped.status) == ("111111111111", "skipped", "Removed")
    assert [r.to_json() for r in plan.requests()] == [{"region": R, "operation": "CreateMember", "params": {
        "account": {"accountId": "222222222222", "email": "b@example.com"}, "tags": {"team": "sec"}}}]


def test_plan_create_invitations_decides_per_status_and_batches_by_50() -> None:
    inventory = {a: inventory_entry("Created") for a in account_ids(120)}
    inventory.update({"900000000001": inventory_entry("Invited"), "900000000002": inventory_entry("Enabled"),
                      "900000000003": inventory_entry("EmailVerificationFailed")})
    targets = [Target(a) for a in [*account_ids(120), "900000000001", "900000000002", "900000000003", "900000000004"]]
    plan = plan_create_invitations(R, inventory, targets, True, "hi")
    outcomes = {r.accountId: (r.outcome, r.errorCode) for r in plan.records}
    assert outcomes == {"900000000001": ("skipped", None), "900000000002": ("skipped", None),
                        "900000000003": ("failed", "EmailVerificationFailed"),
                        "900000000004": ("failed", "NotInInventory")}
    assert [len(j.accounts) for j in plan.jobs] == [50, 50, 20]
    assert plan.jobs[0].requests[0].params["disableEmailNotification"] is True
    assert len(plan.records) + sum(len(r.accounts) or 1 for r in plan.requests()) == 124


def test_plan_update_disassociate_delete() -> None:
    inventory = {"111111111111": inventory_entry("Paused"), "222222222222": inventory_entry("Enabled"), "333333333333": inventory_entry("Removed")}
    targets = [Target(a) for a in ("111111111111", "222222222222", "333333333333", "444444444444")]
    pause = plan_update_member_session(R, inventory, targets, "PAUSED")
    assert [(r.accountId, r.outcome, r.errorCode) for r in pause.records] == [
        ("111111111111", "skipped", None), ("333333333333", "failed", "NotMember"),
        ("444444444444", "failed", "NotInInventory")]  # a mistyped id in a security action fails
    assert [j.accounts for j in pause.jobs] == [("222222222222",)]
    remove = plan_disassociate_member(R, inventory, targets)
    assert [j.accounts for j in remove.jobs] == [("111111111111",), ("222222222222",)]
    assert {r.accountId: r.errorMessage for r in remove.records} == {
        "333333333333": "not associated (Removed)", "444444444444": "not in the inventory"}
    delete = plan_delete_member(R, inventory, targets)
    # Members are still associated: DeleteMember would be refused, offboard is the way.
    assert [(r.accountId, r.outcome, r.errorCode) for r in delete.records] == [
        ("111111111111", "failed", "StillAssociated"), ("222222222222", "failed", "StillAssociated"),
        ("444444444444", "skipped", None)]
    assert "offboard" in str(delete.records[0].errorMessage)
    assert [j.accounts for j in delete.jobs] == [("333333333333",)]


def test_plan_offboard_disassociates_members_then_deletes() -> None:
    inventory = {"111111111111": inventory_entry("Enabled"), "222222222222": inventory_entry("Created"),
                 "333333333333": inventory_entry("Invited")}
    plan = plan_offboard(R, inventory, [Target(a) for a in ("111111111111", "222222222222", "333333333333",
                                                            "444444444444")])
    assert [[r.operation for r in j.requests] for j in plan.jobs] == [
        ["DisassociateMember", "DeleteMember"], ["DeleteMember"], ["DisassociateMember", "DeleteMember"]]
    assert [(r.accountId, r.outcome) for r in plan.records] == [("444444444444", "skipped")]


def test_quota_counts_places_held_and_joining() -> None:
    full = {a: inventory_entry("Invited") for a in account_ids(999)}

    def problem(inventory: dict[str, Any], joining: list[str]) -> str | None:
        return quota_problem(R, inventory, new_places(inventory, joining))

    assert problem(full, ["800000000000"]) is None
    assert "1000 accounts hold a place in the quota + 1 joining = 1001" in (
        problem({**full, "800000000000": inventory_entry("Created")}, ["800000000001"]) or "")
    with_removed = {**full, "800000000000": inventory_entry("Removed"), "800000000001": inventory_entry("Resigned")}
    assert problem(with_removed, ["800000000000"]) is None  # 999 + 1
    assert problem(with_removed, ["800000000000", "800000000001"]) is not None  # invited again: 1001
    assert problem(full, [next(iter(full))]) is None  # already holds its place
