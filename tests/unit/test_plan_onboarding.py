"""macie_members.plan.onboarding: onboard's and sync's decisions per account, the three phases,
the records of what is left alone, and the quota with removals counted first."""

from __future__ import annotations

from typing import Any

import pytest

from macie_members import domain
from macie_members.domain import Target
from macie_members.plan.onboarding import (
    decide_onboarding,
    decide_sync,
    onboarding_adds,
    onboarding_invitations,
    onboarding_records,
    region_quota_problem,
    sync_removals,
)
from tests.support.helpers import account_ids, inventory_entry

R = "us-east-1"


@pytest.mark.parametrize(("status", "file_email", "decision"), [
    (None, "a@example.com", "add"),
    ("Created", "a@example.com", "invite"), ("Removed", "a@example.com", "invite"),
    ("Resigned", "a@example.com", "invite"),
    ("Invited", "a@example.com", "unchanged"), ("EmailVerificationInProgress", "a@example.com", "unchanged"),
    ("Enabled", "a@example.com", "unchanged"), ("Paused", "a@example.com", "unchanged"),
    ("EmailVerificationFailed", "new@example.com", "readd"),
    ("EmailVerificationFailed", "A@example.com", "attention"),
    ("RegionDisabled", "a@example.com", "attention"), ("AccountSuspended", "a@example.com", "attention"),
])
def test_onboarding_decisions(status: str | None, file_email: str, decision: str) -> None:
    inventory = {} if status is None else {"111111111111": inventory_entry(status, "a@example.com")}
    plan = decide_onboarding(R, inventory, [Target("111111111111", file_email)])
    decided = [name for name in ("add", "invite", "readd", "unchanged", "attention") if getattr(plan, name)]
    assert decided == [decision]


def test_onboarding_phases() -> None:
    inventory = {"222222222222": inventory_entry("Created"), "333333333333": inventory_entry("EmailVerificationFailed")}
    plan = decide_onboarding(R, inventory, [Target("111111111111", "a@example.com"),
                                            Target("222222222222", "b@example.com"),
                                            Target("333333333333", "c@example.com")])
    assert [[r.operation for r in j.requests] for j in onboarding_adds(plan)] == [
        ["DeleteMember", "CreateMember"], ["CreateMember"]]
    [invite] = onboarding_invitations(plan, ["333333333333", "111111111111"], None, None)
    assert invite.requests[0].params == {"accountIds": ["222222222222", "333333333333", "111111111111"]}


# ------------------------------------------------------------------------------- sync

STATUSES = [None, *domain.RELATIONSHIP_STATUSES]
DECISIONS = ("add", "invite", "readd", "remove", "extra", "unchanged", "attention")


def decisions(plan: Any) -> list[str]:
    return [name for name in DECISIONS if getattr(plan, name)]


@pytest.mark.parametrize("status", STATUSES)
def test_sync_decides_as_onboard_for_the_accounts_of_the_file(status: str | None) -> None:
    inventory = {} if status is None else {"111111111111": inventory_entry(status, "a@example.com")}
    for email in ("a@example.com", "new@example.com"):
        targets = [Target("111111111111", email)]
        onboarding = decisions(decide_onboarding(R, inventory, targets))
        for prune in (False, True):
            assert decisions(decide_sync(R, inventory, targets, prune=prune)) == onboarding


@pytest.mark.parametrize("status", STATUSES)
def test_sync_decides_for_the_accounts_not_in_the_file(status: str | None) -> None:
    """Without prune: members and pending accounts not in the file are extra (kept, not drift);
    every other status is no member and holds no place: left alone. With prune: every account
    not in the file is removed (drift)."""
    inventory = {} if status is None else {"222222222222": inventory_entry(status)}
    kept = decide_sync(R, inventory, [], prune=False)
    pruned = decide_sync(R, inventory, [], prune=True)
    if status is None:
        assert decisions(kept) == decisions(pruned) == [] and not kept.drift and not pruned.drift
        return
    assert (decisions(pruned), pruned.remove, pruned.drift) == (["remove"], [("222222222222", status)], True)
    if status in domain.CURRENT | domain.PENDING:
        assert (decisions(kept), kept.extra, kept.drift) == (["extra"], [("222222222222", status)], False)
    else:
        assert decisions(kept) == [] and not kept.drift


def test_drift_is_what_a_run_would_act_on_or_a_person_must() -> None:
    inventory = {"111111111111": inventory_entry("Enabled"), "222222222222": inventory_entry("Invited"),
                 "333333333333": inventory_entry("AccountSuspended")}
    assert not decide_sync(R, inventory, [Target("111111111111", "x@example.com")], prune=False).drift
    assert decide_sync(R, inventory, [Target("111111111111", "x@example.com")], prune=True).drift
    assert decide_sync(R, {}, [Target("111111111111", "x@example.com")], prune=False).drift  # add
    assert decide_sync(R, inventory, [Target("333333333333", "x@example.com")], prune=False).drift  # attention


def test_sync_removes_as_offboard_does_and_records_its_decisions() -> None:
    inventory = {"111111111111": inventory_entry("Enabled"), "222222222222": inventory_entry("Paused"),
                 "333333333333": inventory_entry("EmailVerificationInProgress"), "444444444444": inventory_entry("Removed"),
                 "555555555555": inventory_entry("Invited")}
    plan = decide_sync(R, inventory, [Target("555555555555", "e@example.com")], prune=True)
    assert [(j.accounts, [r.operation for r in j.requests]) for j in sync_removals(plan)] == [
        (("111111111111",), ["DisassociateMember", "DeleteMember"]),
        (("222222222222",), ["DisassociateMember", "DeleteMember"]),
        (("333333333333",), ["DisassociateMember", "DeleteMember"]),
        (("444444444444",), ["DeleteMember"])]  # Removed: a removal cut short is finished
    assert [(r.accountId, r.action, r.outcome) for r in onboarding_records(plan)] == [
        ("555555555555", "sync", "skipped")]
    kept = decide_sync(R, inventory, [Target("555555555555", "e@example.com")], prune=False)
    assert sync_removals(kept) == []
    assert [(r.accountId, r.action, r.outcome, r.status) for r in onboarding_records(kept)] == [
        ("555555555555", "sync", "skipped", "Invited"), ("111111111111", "sync", "skipped", "Enabled"),
        ("222222222222", "sync", "skipped", "Paused"),
        ("333333333333", "sync", "skipped", "EmailVerificationInProgress")]
    assert onboarding_records(decide_onboarding(R, inventory, [Target("555555555555", "e@example.com")]))[0].action \
        == "onboard"


def test_sync_plan_document_has_remove_and_extra_onboard_does_not() -> None:
    inventory = {"111111111111": inventory_entry("Enabled")}
    assert list(decide_onboarding(R, inventory, []).to_json()) == [
        "region", "add", "invite", "readd", "unchanged", "attention"]
    document = decide_sync(R, inventory, [], prune=False).to_json()
    assert list(document) == ["region", "add", "invite", "readd", "remove", "extra", "organization", "unchanged",
                              "attention"]
    assert document["extra"] == [{"accountId": "111111111111", "status": "Enabled"}]


def test_quota_counts_the_places_removals_free_first() -> None:
    full = {a: inventory_entry("Enabled") for a in account_ids(1000)}
    newcomer = [Target("800000000000", "n@example.com")]
    assert "1000 accounts hold a place in the quota + 1 joining = 1001" in (
        region_quota_problem(decide_sync(R, full, newcomer, prune=False), full) or "")
    # With --prune, the 1,000 not in the file are removed before the newcomer is added.
    assert region_quota_problem(decide_sync(R, full, newcomer, prune=True), full) is None
    keep_most = [Target(a, "x@example.com") for a in account_ids(999)] + newcomer
    assert region_quota_problem(decide_sync(R, full, keep_most, prune=True), full) is None  # 1000 - 1 + 1
    assert "1000 accounts hold a place in the quota - 1 removed + 2 joining = 1001" in (
        region_quota_problem(decide_sync(R, full, [*keep_most, Target("800000000001", "m@example.com")],
                                         prune=True), full) or "")


