"""macie_members.plan.member_side: the member account's planners (accept, decline, delete,
disassociate from the administrator)."""

from __future__ import annotations

from typing import Any

from macie_members.plan.member_side import (
    MemberState,
    plan_acceptance,
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
