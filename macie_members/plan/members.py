"""Planners of the administrator's member commands, and the invitation quota.

Nothing here sends anything or imports botocore: a plan is data, which the executor
(:mod:`macie_members.run.executor`) sends, and which ``--dry-run`` prints instead. Because every
command plans from the inventory it has just read, a rerun after a failure or Ctrl-C sends only
what is still to do.

=====================  ======================================================================
create-member          skipped when the account is already in the Region's inventory
create-invitations     skipped when already invited or a member; accounts not in the
                       inventory or whose email failed verification fail without a request;
                       the rest are invited 50 ids per CreateInvitations request
update-member-session  skipped when the member is already in the requested state; accounts
                       not in the inventory fail (``NotInInventory``) without a request
disassociate-member    skipped when the account is not in the inventory or not associated
delete-member          skipped when the account is not in the inventory
offboard               DisassociateMember (current and pending members) then DeleteMember;
                       skipped when the account is not in the inventory
onboard                see :func:`decide_onboarding`
sync                   onboard's decisions, and for accounts not in the file: see
                       :func:`decide_sync`
=====================  ======================================================================
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from macie_members.domain import (
    ASSOCIATED,
    CURRENT,
    MEMBER_QUOTA,
    ORGANIZATION_ASSOCIATED,
    PENDING,
    Target,
    holds_quota_place,
    invitation_quota_count,
    is_organization_member,
)
from macie_members.plan.model import (
    Inventory,
    Job,
    Member,
    Plan,
    Request,
    batches,
    fail,
    not_in_inventory,
    single,
    skip,
    status_of,
)


def plan_create_member(region: str, inventory: Inventory, targets: Sequence[Target],
                       tags: Mapping[str, str] | None = None) -> Plan:
    plan = Plan()
    for target in targets:
        member = inventory.get(target.account_id)
        if member is not None:
            plan.records.append(skip(region, target.account_id, "create-member", "already in the inventory", member))
            continue
        params: dict[str, Any] = {"account": {"accountId": target.account_id, "email": target.email}}
        if tags:
            params["tags"] = dict(tags)
        plan.jobs.append(single(region, target.account_id, "CreateMember", params))
    return plan


def invitation_params(ids: Sequence[str], disable_email_notification: bool | None,
                      message: str | None) -> dict[str, Any]:
    params: dict[str, Any] = {"accountIds": list(ids)}
    if disable_email_notification is not None:
        params["disableEmailNotification"] = disable_email_notification
    if message is not None:
        params["message"] = message
    return params


def invitation_jobs(region: str, ids: Sequence[str], disable_email_notification: bool | None,
                    message: str | None) -> list[Job]:
    """CreateInvitations requests of at most :data:`~macie_members.plan.model.INVITATION_BATCH` ids."""
    extra = invitation_params((), disable_email_notification, message)
    del extra["accountIds"]
    return batches(region, "CreateInvitations", ids, extra)


def plan_create_invitations(region: str, inventory: Inventory, targets: Sequence[Target],
                            disable_email_notification: bool | None = None, message: str | None = None) -> Plan:
    plan = Plan()
    to_invite: list[str] = []
    action = "create-invitations"
    for target in targets:
        member = inventory.get(target.account_id)
        status = status_of(member)
        if member is None:
            plan.records.append(not_in_inventory(region, target.account_id, action, wanted_holds=False,
                                                 why="not in the inventory: add it with create-member first"))
        elif status in PENDING or status in CURRENT:
            plan.records.append(skip(region, target.account_id, action, f"already {status}", member))
        elif is_organization_member(member) and status == "Created":
            plan.records.append(skip(region, target.account_id, action,
                                     "an Organizations member being enabled: it needs no invitation", member))
        elif is_organization_member(member):
            plan.records.append(fail(region, target.account_id, action, "OrganizationMember",
                                     f"an Organizations member ({status}): it is never invited; "
                                     "add it again with create-member", status))
        elif status == "EmailVerificationFailed":
            plan.records.append(fail(region, target.account_id, action, "EmailVerificationFailed",
                                     "the email failed verification: delete the account, add it again with "
                                     "the correct email, then invite it", status))
        else:
            to_invite.append(target.account_id)
    plan.jobs.extend(invitation_jobs(region, to_invite, disable_email_notification, message))
    return plan


def plan_update_member_session(region: str, inventory: Inventory, targets: Sequence[Target], status: str) -> Plan:
    """Skipped when already in that state; failed ``NotInInventory`` when not in the inventory
    (:func:`~macie_members.plan.model.not_in_inventory`); a failed ``NotMember`` record,
    without a request, for an account that is not a member (only members are paused); ENABLED
    re-enables a Paused Organizations member, and fails without a request for a Paused invited
    member (``OnlyTheMemberCanReEnable``: the Macie user guide says only the member account can
    re-enable Macie after its administrator suspended it)."""
    wanted = "Paused" if status == "PAUSED" else "Enabled"
    action = "update-member-session"
    plan = Plan()
    for target in targets:
        member = inventory.get(target.account_id)
        if member is None:
            plan.records.append(not_in_inventory(region, target.account_id, action, wanted_holds=False,
                                                 why="not in the inventory: check the account id (only "
                                                     "members are paused or re-enabled)"))
        elif status_of(member) == wanted:
            plan.records.append(skip(region, target.account_id, action, f"already {wanted}", member))
        elif status_of(member) not in CURRENT:
            plan.records.append(fail(region, target.account_id, action, "NotMember",
                                     f"not a member account ({status_of(member)}): only members are paused "
                                     "or re-enabled", status_of(member)))
        elif status == "ENABLED" and not is_organization_member(member):
            plan.records.append(fail(region, target.account_id, action, "OnlyTheMemberCanReEnable",
                                     "an invited member: only the member account can re-enable Macie after "
                                     "its administrator suspended it", status_of(member)))
        else:
            plan.jobs.append(single(region, target.account_id, "UpdateMemberSession",
                                    {"id": target.account_id, "status": status}))
    return plan


def plan_disassociate_member(region: str, inventory: Inventory, targets: Sequence[Target]) -> Plan:
    plan = Plan()
    for target in targets:
        member = inventory.get(target.account_id)
        if member is None:
            plan.records.append(not_in_inventory(region, target.account_id, "disassociate-member", wanted_holds=True))
        elif status_of(member) not in ASSOCIATED:
            plan.records.append(skip(region, target.account_id, "disassociate-member",
                                     f"not associated ({status_of(member)})", member))
        else:
            plan.jobs.append(single(region, target.account_id, "DisassociateMember", {"id": target.account_id}))
    return plan


def still_associated(member: Member) -> bool:
    """Whether DeleteMember would be refused because the account is still associated: an
    invited member (Enabled, Paused), or an Organizations member until it is Removed."""
    status = status_of(member)
    return status in (ORGANIZATION_ASSOCIATED if is_organization_member(member) else CURRENT)


def plan_delete_member(region: str, inventory: Inventory, targets: Sequence[Target]) -> Plan:
    """Skipped when not in the inventory; a failed ``StillAssociated`` record, without a request,
    for an account DeleteMember would refuse (see :func:`still_associated`): ``offboard``
    disassociates, then deletes."""
    plan = Plan()
    for target in targets:
        member = inventory.get(target.account_id)
        if member is None:
            plan.records.append(not_in_inventory(region, target.account_id, "delete-member", wanted_holds=True))
        elif still_associated(member):
            plan.records.append(fail(region, target.account_id, "delete-member", "StillAssociated",
                                     f"still associated ({status_of(member)}): use offboard, which "
                                     "disassociates, then deletes", status_of(member)))
        else:
            plan.jobs.append(single(region, target.account_id, "DeleteMember", {"id": target.account_id}))
    return plan


ORGANIZATION_OFFBOARDED = ("an Organizations member: the account stays in the AWS organization, and "
                           "CreateMember adds it to Macie again")


def plan_offboard(region: str, inventory: Inventory, targets: Sequence[Target]) -> Plan:
    """DisassociateMember (associated accounts), then DeleteMember; the same for both kinds of
    member (the service deletes an Organizations member once it is Removed)."""
    plan = Plan()
    for target in targets:
        member = inventory.get(target.account_id)
        account = target.account_id
        if member is None:
            plan.records.append(not_in_inventory(region, account, "offboard", wanted_holds=True, why="already gone"))
            continue
        requests = []
        organization = is_organization_member(member)
        if status_of(member) in ASSOCIATED or (organization and still_associated(member)):
            requests.append(Request(region, "DisassociateMember", {"id": account}, (account,)))
        requests.append(Request(region, "DeleteMember", {"id": account}, (account,),
                                note=ORGANIZATION_OFFBOARDED if organization else None))
        plan.jobs.append(Job(region, (account,), tuple(requests)))
    return plan


# ----------------------------------------------------------------------------- quota


def new_places(inventory: Inventory, joining: Iterable[str]) -> int:
    """How many of the accounts joining (added, invited) do not hold a place in the invitation
    quota yet. An account not in the inventory counts (nothing tells before CreateMember whether
    it is an Organizations account); an Organizations member in the inventory does not."""
    return sum(1 for account in set(joining)
               if not is_organization_member(inventory.get(account))
               and not holds_quota_place(status_of(inventory.get(account))))


def quota_problem(region: str, inventory: Inventory, new: int, freed: int = 0) -> str | None:
    """Why ``new`` more accounts holding a place would take the Region past the quota (``None``:
    they fit). Accounts that hold a place already are not counted twice; accounts that will
    hold one after the run (added, or invited again from Removed or Resigned) are. ``freed``:
    places the same run frees first (``sync --prune`` removes before it adds)."""
    holding = invitation_quota_count(inventory.values())
    total = holding - freed + new
    if total <= MEMBER_QUOTA:
        return None
    removed = f" - {freed} removed" if freed else ""
    return (f"{region}: {holding} accounts hold a place in the quota{removed} + {new} joining = {total}, "
            f"over the quota of {MEMBER_QUOTA} invitation-based accounts per Region")


