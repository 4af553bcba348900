"""The pure parts of confirmation (issue 20): which requests are destructive, what a plan's
confirmation counts (Plan.changes), its words (render/confirmation.py), and the one rule for an
account the inventory lacks (not_in_inventory)."""

from __future__ import annotations

from macie_members.plan.model import Job, Plan, Request, not_in_inventory
from macie_members.render.confirmation import question, refusal

A, B = "111111111111", "222222222222"


def request(operation: str, accounts: tuple[str, ...], region: str = "us-east-1", **params: str) -> Request:
    return Request(region, operation, params, accounts)


def test_destructive_requests() -> None:
    assert request("DeleteMember", (A,)).destructive
    assert request("DisassociateMember", (A,)).destructive
    assert request("UpdateMemberSession", (A,), status="PAUSED").destructive
    assert not request("UpdateMemberSession", (A,), status="ENABLED").destructive
    assert not request("CreateMember", (A,)).destructive
    assert not request("CreateInvitations", (A, B)).destructive


def test_changes_count_operations_and_destructive_pairs_once() -> None:
    plan = Plan([Job(region, (A, B), (request("DisassociateMember", (A, B), region),
                                      request("DeleteMember", (A, B), region)))
                 for region in ("us-east-1", "eu-west-1")])
    changes = plan.changes()
    assert changes.operations == (("DisassociateMember", 4), ("DeleteMember", 4))
    assert changes.destructive == ((A, "us-east-1"), (B, "us-east-1"), (A, "eu-west-1"), (B, "eu-west-1"))
    assert question("offboard", changes) == (
        "Run offboard: DisassociateMember x4, DeleteMember x4; destructive on 4 (account, Region) pairs: "
        f"{A} in us-east-1, {B} in us-east-1, {A} in eu-west-1, {B} in eu-west-1?")
    assert refusal("offboard", changes) == (
        "Refusing to run offboard (DisassociateMember x4, DeleteMember x4; destructive on 4 (account, Region) "
        "pairs) without confirmation: there is no terminal to ask; add --yes.")


def test_a_plan_with_nothing_destructive_has_no_destructive_pair() -> None:
    plan = Plan([Job("us-east-1", (A,), (request("CreateMember", (A,)), request("CreateInvitations", (A,))))])
    assert plan.changes().destructive == ()


def test_a_delete_followed_by_a_re_add_is_a_replacement() -> None:
    plan = Plan([Job("us-east-1", (A,), (request("DeleteMember", (A,)), request("CreateMember", (A,))))])
    assert plan.changes().destructive == ()


def test_a_long_question_names_ten_pairs_and_counts_the_rest() -> None:
    accounts = tuple(f"{i:012d}" for i in range(12))
    changes = Plan([Job("us-east-1", accounts, (request("DeleteMember", accounts),))]).changes()
    assert question("delete-member", changes).endswith(f"{accounts[9]} in us-east-1 and 2 more?")


def test_not_in_inventory_skips_where_the_wanted_state_holds_and_fails_otherwise() -> None:
    skipped = not_in_inventory("us-east-1", A, "delete-member", wanted_holds=True)
    failed = not_in_inventory("us-east-1", A, "update-member-session", wanted_holds=False)
    assert (skipped.outcome, skipped.errorCode) == ("skipped", None)
    assert (failed.outcome, failed.errorCode) == ("failed", "NotInInventory")
