"""macie_members.plan.member_side: the member account's planners (accept, decline, delete,
disassociate from the administrator)."""

from __future__ import annotations

from typing import Any

import pytest

from macie_members.plan.member_side import (
    MemberState,
    plan_acceptance,
    plan_decline_invitations,
    plan_delete_invitations,
    plan_disassociate_from_administrator,
)

R = "us-east-1"


ADMIN = "123456789012"


def invitation(sender: str, at: str, status: str = "Invited", ident: str = "i") -> dict[str, Any]:
    return {"accountId": sender, "invitedAt": at, "relationshipStatus": status, "invitationId": ident}


def test_acceptance_accepts_the_newest_pending_invitation_of_this_administrator_only() -> None:
    state = MemberState(True, (invitation(ADMIN, "2026-01-01", ident="old"), invitation(ADMIN, "2026-02-01", ident="new"),
                               invitation("999999999999", "2026-03-01", ident="other"),
                               invitation(ADMIN, "2026-04-01", status="Removed", ident="gone")))
    plan = plan_acceptance(R, "111111111111", state, ADMIN, enable_macie=False)
    assert [r.to_json()["params"] for r in plan.requests()] == [
        {"administratorAccountId": ADMIN, "invitationId": "new"}]


def test_acceptance_decisions() -> None:
    member_now = MemberState(True, (), {"accountId": ADMIN, "relationshipStatus": "Enabled"})
    assert plan_acceptance(R, "1", member_now, ADMIN, enable_macie=False).records[0].outcome == "skipped"
    nothing = plan_acceptance(R, "1", MemberState(True, (invitation("999999999999", "x"),)), ADMIN, enable_macie=False)
    assert nothing.records[0].errorCode == "NoInvitation" and not nothing.jobs
    disabled = MemberState(False, (invitation(ADMIN, "x"),))
    assert plan_acceptance(R, "1", disabled, ADMIN, enable_macie=False).records[0].errorCode == "MacieNotEnabled"
    enabled = plan_acceptance(R, "1", disabled, ADMIN, enable_macie=True)
    assert [r.operation for r in enabled.requests()] == ["EnableMacie", "AcceptInvitation"]


# ------------------------------------------------------------------ decline, delete, leave

OTHER = "999999999999"
ME = "111111111111"


def pending(sender: str, status: str = "Invited") -> dict[str, Any]:
    return {"accountId": sender, "relationshipStatus": status, "invitationId": f"inv-{sender}"}


def outcomes(plan: Any) -> list[tuple[str | None, str, str | None, str | None]]:
    return [(r.accountId, r.outcome, r.errorCode, r.errorMessage) for r in plan.records]


def test_decline_sends_one_request_for_the_pending_invitations_and_skips_the_rest() -> None:
    state = MemberState(True, (pending(ADMIN), pending(OTHER), pending("777777777777", "Enabled")))
    plan = plan_decline_invitations(R, state, [ADMIN, OTHER, "777777777777", "888888888888"])
    assert [(r.operation, dict(r.params), r.accounts) for r in plan.requests()] == [
        ("DeclineInvitations", {"accountIds": [ADMIN, OTHER]}, (ADMIN, OTHER))]
    assert outcomes(plan) == [
        ("777777777777", "skipped", None, "not pending (its status is Enabled)"),
        ("888888888888", "skipped", None, "no invitation from 888888888888")]
    assert {r.action for r in plan.records} == {"decline-invitations"}
    assert plan.records[0].status == "Enabled"


def test_decline_also_declines_the_invitation_of_an_administrator_resigned_from() -> None:
    state = MemberState(True, (pending(ADMIN, "Resigned"), pending(OTHER, "Removed")))
    plan = plan_decline_invitations(R, state, [ADMIN, OTHER])
    assert [dict(r.params) for r in plan.requests()] == [{"accountIds": [ADMIN]}]
    assert outcomes(plan) == [(OTHER, "skipped", None, "not pending (its status is Removed)")]


def test_decline_needs_macie_and_sends_nothing_without_it() -> None:
    plan = plan_decline_invitations(R, MemberState(False, (pending(ADMIN),)), [ADMIN])
    assert not plan.jobs
    [record] = plan.records
    assert (record.accountId, record.outcome, record.errorCode, record.status) == (
        ADMIN, "failed", "MacieNotEnabled", "Invited")


def test_decline_batches_50_administrators_per_request() -> None:
    senders = [str(200000000000 + i) for i in range(120)]
    plan = plan_decline_invitations(R, MemberState(True, tuple(pending(s) for s in senders)), senders)
    assert [len(job.accounts) for job in plan.jobs] == [50, 50, 20]
    assert [a for job in plan.jobs for a in job.requests[0].params["accountIds"]] == senders
    assert all(r.sender is None for r in plan.requests())  # sent with the member's own client


def test_delete_deletes_answered_invitations_only() -> None:
    state = MemberState(True, (pending(ADMIN, "Enabled"), pending(OTHER), pending("777777777777", "Resigned"),
                               pending("666666666666", "Removed")),
                        administrator={"accountId": ADMIN, "relationshipStatus": "Enabled"})
    plan = plan_delete_invitations(R, state, [ADMIN, OTHER, "777777777777", "666666666666", "888888888888"])
    assert [(r.operation, list(r.params["accountIds"])) for r in plan.requests()] == [
        ("DeleteInvitations", ["777777777777", "666666666666"])]
    assert outcomes(plan) == [
        (ADMIN, "failed", "CurrentAdministrator", "the accepted invitation of the current administrator account: "
                                                  "disassociate from it first"),
        (OTHER, "failed", "InvitationPending", "the invitation is pending: decline it first"),
        ("888888888888", "skipped", None, "no invitation from 888888888888")]
    assert {r.action for r in plan.records} == {"delete-invitations"}


def test_delete_of_a_former_administrators_invitation_is_sent() -> None:
    """An accepted invitation of an administrator the account has left (Resigned) is deletable."""
    state = MemberState(True, (pending(ADMIN, "Resigned"),),
                        administrator={"accountId": ADMIN, "relationshipStatus": "Resigned"})
    assert [list(r.params["accountIds"]) for r in plan_delete_invitations(R, state, [ADMIN]).requests()] == [[ADMIN]]


def test_delete_needs_macie() -> None:
    plan = plan_delete_invitations(R, MemberState(False, (pending(ADMIN, "Removed"),)), [ADMIN])
    assert not plan.jobs and outcomes(plan)[0][:3] == (ADMIN, "failed", "MacieNotEnabled")


def test_disassociate_leaves_the_current_administrator() -> None:
    state = MemberState(True, administrator={"accountId": ADMIN, "relationshipStatus": "Paused"})
    plan = plan_disassociate_from_administrator(R, state)
    assert plan.records == []
    [job] = plan.jobs
    assert job.accounts == (ADMIN,)  # the record's account is the administrator's
    assert [(r.region, r.operation, dict(r.params)) for r in job.requests] == [
        (R, "DisassociateFromAdministratorAccount", {})]


@pytest.mark.parametrize(("state", "account", "why"), [
    (MemberState(True), None, "not associated with an administrator account"),
    (MemberState(True, administrator={"accountId": ADMIN, "relationshipStatus": "Resigned"}), ADMIN,
     "not associated with an administrator account"),
    (MemberState(True, administrator={"accountId": ADMIN, "relationshipStatus": "Removed"}), ADMIN,
     "not associated with an administrator account"),
    (MemberState(False), None, "Macie is not enabled in this Region: no administrator"),
])
def test_disassociate_without_an_administrator_is_skipped(state: MemberState, account: str | None, why: str) -> None:
    plan = plan_disassociate_from_administrator(R, state)
    assert not plan.jobs
    [record] = plan.records
    assert (record.region, record.accountId, record.action, record.outcome, record.errorMessage) == (
        R, account, "disassociate-from-administrator-account", "skipped", why)
