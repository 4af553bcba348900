"""Member-side planners: from a member account's state in a Region (its invitations, its
administrator) to accept, decline, delete and disassociate requests."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from macie_members.domain import (
    CURRENT,
)
from macie_members.plan.model import (
    Job,
    Member,
    Plan,
    Request,
    batches,
    fail,
    skip,
)
from macie_members.records import Result


@dataclass(frozen=True)
class MemberState:
    """What a member account's own calls said, in one Region."""

    macie_enabled: bool
    invitations: tuple[Member, ...] = ()
    administrator: Member | None = None


def plan_acceptance(region: str, member: str, state: MemberState, administrator: str, *,
                    enable_macie: bool) -> Plan:
    """Accept the newest invitation from ``administrator`` (never another sender's)."""
    action = "accept-invitation"
    plan = Plan()
    current = state.administrator or {}
    if current.get("accountId") == administrator and current.get("relationshipStatus") in CURRENT:
        plan.records.append(skip(region, member, action, "already a member", current))
        return plan
    mine = [i for i in state.invitations
            if i.get("accountId") == administrator and i.get("relationshipStatus", "Invited") == "Invited"]
    if not mine:
        plan.records.append(fail(region, member, action, "NoInvitation", f"no pending invitation from {administrator}"))
        return plan
    if not state.macie_enabled and not enable_macie:
        plan.records.append(fail(region, member, action, "MacieNotEnabled",
                                 "Macie is not enabled in this account and Region: it must be enabled "
                                 "to accept; rerun with --enable-macie"))
        return plan
    newest = max(mine, key=lambda i: str(i.get("invitedAt", "")))
    requests = []
    if not state.macie_enabled:
        requests.append(Request(region, "EnableMacie", {}, (member,), sender=member))
    requests.append(Request(region, "AcceptInvitation",
                            {"administratorAccountId": administrator, "invitationId": newest["invitationId"]},
                            (member,), sender=member))
    plan.jobs.append(Job(region, (member,), tuple(requests)))
    return plan


MACIE_NOT_ENABLED = ("MacieNotEnabled", "Macie is not enabled in this account and Region: the member side's "
                     "requests need it")


def _invitation_from(state: MemberState, administrator: str) -> Member | None:
    return next((i for i in state.invitations if i.get("accountId") == administrator), None)


def _is_current_administrator(state: MemberState, administrator: str) -> bool:
    current = state.administrator or {}
    return current.get("accountId") == administrator and current.get("relationshipStatus") in CURRENT


DECLINABLE = ("Invited", "Resigned")

# What stops one invitation's request: the record to write instead (``None``: send it). Given
# the administrator, its invitation (``None``: there is none) and that invitation's status.
Verdict = Callable[[str, Member | None, str | None], Result | None]


def _per_invitation(region: str, state: MemberState, administrators: Sequence[str], operation: str,
                    verdict: Verdict) -> Plan:
    """The one loop of the invitation planners: each administrator's invitation gets the record
    ``verdict`` gives, or goes into ``operation``'s requests, 50 per request."""
    plan = Plan()
    to_send = []
    for administrator in administrators:
        invitation = _invitation_from(state, administrator)
        status = None if invitation is None else str(invitation.get("relationshipStatus", "Invited"))
        record = verdict(administrator, invitation, status)
        if record is None:
            to_send.append(administrator)
        else:
            plan.records.append(record)
    plan.jobs.extend(batches(region, operation, to_send))
    return plan


def plan_decline_invitations(region: str, state: MemberState, administrators: Sequence[str]) -> Plan:
    """Decline the pending (Invited) invitation of each administrator account, 50 per request,
    and the invitation of an administrator the account resigned from (Resigned: the user guide
    tells a resigned member to "decline and delete" it). No invitation from it: skipped; an
    invitation that is neither (accepted, declined, removed...): skipped, there is nothing to
    decline; Macie not enabled: failed, without a request (the service needs Macie to decline)."""
    action = "decline-invitations"

    def verdict(administrator: str, invitation: Member | None, status: str | None) -> Result | None:
        if invitation is None:
            return skip(region, administrator, action, f"no invitation from {administrator}")
        if status not in DECLINABLE:
            return skip(region, administrator, action, f"not pending (its status is {status})", invitation)
        if not state.macie_enabled:
            return fail(region, administrator, action, *MACIE_NOT_ENABLED, status)
        return None

    return _per_invitation(region, state, administrators, "DeclineInvitations", verdict)


def plan_delete_invitations(region: str, state: MemberState, administrators: Sequence[str]) -> Plan:
    """Delete the invitation received from each administrator account, 50 per request. None:
    skipped (already deleted); pending: failed without a request (decline it first); the
    accepted invitation of the current administrator: failed (disassociate first); Macie not
    enabled: failed (the service needs it)."""
    action = "delete-invitations"

    def verdict(administrator: str, invitation: Member | None, status: str | None) -> Result | None:
        if invitation is None:
            return skip(region, administrator, action, f"no invitation from {administrator}")
        if _is_current_administrator(state, administrator):
            return fail(region, administrator, action, "CurrentAdministrator",
                        "the accepted invitation of the current administrator account: "
                        "disassociate from it first", status)
        if status == "Invited":
            return fail(region, administrator, action, "InvitationPending",
                        "the invitation is pending: decline it first", status)
        if not state.macie_enabled:
            return fail(region, administrator, action, *MACIE_NOT_ENABLED, status)
        return None

    return _per_invitation(region, state, administrators, "DeleteInvitations", verdict)


def plan_disassociate_from_administrator(region: str, state: MemberState) -> Plan:
    """Leave the current administrator (the account becomes Resigned in its inventory); skipped
    where there is none (or Macie is not enabled: there can be none). The record's account is
    the administrator's."""
    action = "disassociate-from-administrator-account"
    current = state.administrator or {}
    administrator = str(current.get("accountId") or "") or None
    if not state.macie_enabled:
        return Plan(records=[Result(region, None, action, "skipped",
                                    errorMessage="Macie is not enabled in this Region: no administrator")])
    if administrator is None or current.get("relationshipStatus") not in CURRENT:
        return Plan(records=[Result(region, administrator, action, "skipped",
                                    errorMessage="not associated with an administrator account")])
    request = Request(region, "DisassociateFromAdministratorAccount", {}, (administrator,))
    return Plan(jobs=[Job(region, (administrator,), (request,))])


