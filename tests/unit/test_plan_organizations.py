"""The planners with both kinds of member in one inventory: Organizations members (no email)
and invited accounts (macie_members.domain.membership_type)."""

from __future__ import annotations

from typing import Any

from macie_members.domain import Target, invitation_quota_count, membership_type
from macie_members.plan.members import (
    new_places,
    plan_create_invitations,
    plan_delete_member,
    plan_offboard,
    plan_update_member_session,
    quota_problem,
)
from macie_members.plan.onboarding import (
    decide_onboarding,
    decide_sync,
    onboarding_records,
    sync_removals,
)

R = "us-east-1"
ORG, ORG_PAUSED, ORG_REMOVED, ORG_ENABLING = "700000000001", "700000000002", "700000000003", "700000000004"
INVITED, INVITED_PAUSED = "100000000001", "100000000002"


def org(status: str) -> dict[str, Any]:
    return {"relationshipStatus": status, "arn": f"arn:{status}"}  # no email: an Organizations member


def invited(status: str) -> dict[str, Any]:
    return {"relationshipStatus": status, "email": "a@example.com", "arn": f"arn:{status}"}


INVENTORY = {ORG: org("Enabled"), ORG_PAUSED: org("Paused"), ORG_REMOVED: org("Removed"),
             ORG_ENABLING: org("Created"), INVITED: invited("Enabled"), INVITED_PAUSED: invited("Paused")}


def test_the_membership_type_is_told_by_the_email() -> None:
    assert membership_type(org("Enabled")) == "organization"
    assert membership_type(invited("Enabled")) == "invitation"
    assert membership_type({"relationshipStatus": "Enabled", "email": ""}) == "organization"


def test_the_invitation_quota_counts_invited_accounts_only() -> None:
    assert invitation_quota_count(INVENTORY.values()) == 2
    many = {f"7{i:011d}": org("Enabled") for i in range(1000)}
    assert quota_problem(R, many, new=1000) is None
    assert quota_problem(R, many, new=1001) is not None
    # Joining: an Organizations member of the inventory takes no new place; an unknown account does.
    assert new_places(INVENTORY, [ORG_REMOVED, "999999999999"]) == 1


def test_onboard_never_invites_an_organizations_member() -> None:
    targets = [Target(a, "x@example.com") for a in (ORG, ORG_PAUSED, ORG_REMOVED, ORG_ENABLING)]
    plan = decide_onboarding(R, INVENTORY, targets)
    assert plan.invite == [] and plan.readd == [] and plan.attention == []
    assert [t.account_id for t in plan.add] == [ORG_REMOVED]  # CreateMember re-adds it
    assert {t.account_id: s for t, s in plan.unchanged} == {ORG: "Enabled", ORG_PAUSED: "Paused",
                                                           ORG_ENABLING: "Created"}


def test_sync_prune_keeps_organizations_members_apart() -> None:
    plan = decide_sync(R, INVENTORY, [], prune=True)
    assert [a for a, _ in plan.remove] == [INVITED, INVITED_PAUSED]
    assert [a for a, _ in plan.organization] == [ORG, ORG_PAUSED, ORG_REMOVED, ORG_ENABLING]
    records = {r.accountId: r for r in onboarding_records(plan)}
    assert {a: (records[a].action, records[a].outcome) for a in plan.organization_accounts()} == {
        a: ("sync", "skipped") for a in (ORG, ORG_PAUSED, ORG_REMOVED, ORG_ENABLING)}
    assert "never removes" in str(records[ORG].errorMessage)
    removals = sync_removals(plan)
    assert {r.params["id"] for job in removals for r in job.requests} == {INVITED, INVITED_PAUSED}
    assert plan.to_json()["organization"][0] == {"accountId": ORG, "status": "Enabled"}


def test_drift_ignores_organizations_members_not_in_the_file() -> None:
    inventory = {ORG: org("Enabled"), INVITED: invited("Enabled")}
    assert decide_sync(R, inventory, [Target(INVITED, "a@example.com")], prune=True).drift is False
    assert decide_sync(R, inventory, [Target(INVITED, "a@example.com")], prune=False).drift is False
    assert decide_sync(R, {ORG: org("Removed")}, [Target(ORG, "o@example.com")], prune=True).drift is True


def test_create_invitations_never_invites_an_organizations_member() -> None:
    targets = [Target(a) for a in (ORG, ORG_REMOVED, ORG_ENABLING)]
    plan = plan_create_invitations(R, INVENTORY, targets)
    assert plan.jobs == []
    assert {r.accountId: (r.outcome, r.errorCode) for r in plan.records} == {
        ORG: ("skipped", None), ORG_REMOVED: ("failed", "OrganizationMember"), ORG_ENABLING: ("skipped", None)}


def test_re_enabling_is_sent_for_organizations_members_only() -> None:
    plan = plan_update_member_session(R, INVENTORY, [Target(ORG_PAUSED), Target(INVITED_PAUSED)], "ENABLED")
    assert [j.accounts for j in plan.jobs] == [(ORG_PAUSED,)]
    [refused] = plan.records
    assert (refused.accountId, refused.outcome, refused.errorCode) == (INVITED_PAUSED, "failed",
                                                                      "OnlyTheMemberCanReEnable")
    assert "only the member account" in str(refused.errorMessage)


def test_bulk_delete_refuses_associated_members_of_either_kind() -> None:
    targets = [Target(a) for a in (ORG, ORG_ENABLING, ORG_REMOVED, INVITED)]
    plan = plan_delete_member(R, INVENTORY, targets)
    assert [j.accounts for j in plan.jobs] == [(ORG_REMOVED,)]
    assert {r.accountId: r.errorCode for r in plan.records} == {
        ORG: "StillAssociated", ORG_ENABLING: "StillAssociated", INVITED: "StillAssociated"}


def test_offboard_disassociates_then_deletes_an_organizations_member() -> None:
    plan = plan_offboard(R, INVENTORY, [Target(ORG), Target(ORG_ENABLING), Target(ORG_REMOVED)])
    operations = {job.accounts[0]: [r.operation for r in job.requests] for job in plan.jobs}
    assert operations == {ORG: ["DisassociateMember", "DeleteMember"],
                          ORG_ENABLING: ["DisassociateMember", "DeleteMember"], ORG_REMOVED: ["DeleteMember"]}
