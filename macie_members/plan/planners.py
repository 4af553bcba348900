"""Planners: pure functions from (a Region's inventory, the targets) to requests and records.

Nothing here sends anything or imports botocore: a plan is data, which the executor
(:mod:`macie_members.run.executor`) sends, and which ``--dry-run`` prints instead. Because every
command plans from the inventory it has just read, a rerun after a failure or Ctrl-C sends only
what is still to do.

=====================  ======================================================================
create-member          skipped when the account is already in the Region's inventory
create-invitations     skipped when already invited or a member; accounts not in the
                       inventory or whose email failed verification fail without a request;
                       the rest are invited 50 ids per CreateInvitations request
update-member-session  skipped when the member is already in the requested state
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

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from macie_members.domain import (
    ASSOCIATED,
    CURRENT,
    INVITABLE,
    MEMBER_QUOTA,
    PENDING,
    Target,
    holds_quota_place,
    quota_count,
)
from macie_members.records import Result, operation_action

INVITATION_BATCH = 50
LIST_PAGE_SIZE = 25

Member = Mapping[str, Any]
Inventory = Mapping[str, Member]


@dataclass(frozen=True, slots=True)
class Request:
    """One request to send: in a Region, an operation and its parameters, on these accounts."""

    region: str
    operation: str
    params: Mapping[str, Any]
    accounts: tuple[str, ...] = ()
    sender: str | None = None  # the member account whose credentials send it (member side)

    def to_json(self) -> dict[str, Any]:
        document = {"region": self.region, "operation": self.operation, "params": dict(self.params)}
        if self.sender is not None:
            document["as"] = self.sender
        return document

    @property
    def action(self) -> str:
        return operation_action(self.operation)


@dataclass(frozen=True, slots=True)
class Job:
    """Requests sent in order, in one Region, for the same accounts; a failure stops the rest."""

    region: str
    accounts: tuple[str, ...]
    requests: tuple[Request, ...]


@dataclass
class Plan:
    """What a command will do: jobs to send, and records decided without sending anything."""

    jobs: list[Job] = field(default_factory=list)
    records: list[Result] = field(default_factory=list)

    def extend(self, other: Plan) -> Plan:
        self.jobs.extend(other.jobs)
        self.records.extend(other.records)
        return self

    def requests(self) -> Iterator[Request]:
        for job in self.jobs:
            yield from job.requests

    @property
    def expected_records(self) -> int:
        return len(self.records) + sum(len(r.accounts) or 1 for r in self.requests())


def single(region: str, account: str, operation: str, params: Mapping[str, Any]) -> Job:
    request = Request(region, operation, params, (account,))
    return Job(region, (account,), (request,))


def skip(region: str, account: str, action: str, why: str, member: Member | None = None) -> Result:
    return Result(region, account, action, "skipped", errorMessage=why,
                  arn=None if member is None else member.get("arn"),
                  status=None if member is None else member.get("relationshipStatus"))


def fail(region: str, account: str | None, action: str, code: str, why: str, status: str | None = None) -> Result:
    return Result(region, account, action, "failed", errorCode=code, errorMessage=why, status=status)


def status_of(member: Member | None) -> str | None:
    return None if member is None else str(member.get("relationshipStatus"))


# ---------------------------------------------------------------------- member commands


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
    """CreateInvitations requests of at most :data:`INVITATION_BATCH` ids."""
    jobs = []
    for start in range(0, len(ids), INVITATION_BATCH):
        batch = tuple(ids[start:start + INVITATION_BATCH])
        request = Request(region, "CreateInvitations",
                          invitation_params(batch, disable_email_notification, message), batch)
        jobs.append(Job(region, batch, (request,)))
    return jobs


def plan_create_invitations(region: str, inventory: Inventory, targets: Sequence[Target],
                            disable_email_notification: bool | None = None, message: str | None = None) -> Plan:
    plan = Plan()
    to_invite: list[str] = []
    action = "create-invitations"
    for target in targets:
        member = inventory.get(target.account_id)
        status = status_of(member)
        if member is None:
            plan.records.append(fail(region, target.account_id, action, "NotInInventory",
                                     "not in the inventory: add it with create-member first"))
        elif status in PENDING or status in CURRENT:
            plan.records.append(skip(region, target.account_id, action, f"already {status}", member))
        elif status == "EmailVerificationFailed":
            plan.records.append(fail(region, target.account_id, action, "EmailVerificationFailed",
                                     "the email failed verification: delete the account, add it again with "
                                     "the correct email, then invite it", status))
        else:
            to_invite.append(target.account_id)
    plan.jobs.extend(invitation_jobs(region, to_invite, disable_email_notification, message))
    return plan


def plan_update_member_session(region: str, inventory: Inventory, targets: Sequence[Target], status: str) -> Plan:
    """Skipped when already in that state or not in the inventory; a failed ``NotMember`` record,
    without a request, for an account that is not a member (only members are paused)."""
    wanted = "Paused" if status == "PAUSED" else "Enabled"
    action = "update-member-session"
    plan = Plan()
    for target in targets:
        member = inventory.get(target.account_id)
        if member is None:
            plan.records.append(skip(region, target.account_id, action, "not in the inventory"))
        elif status_of(member) == wanted:
            plan.records.append(skip(region, target.account_id, action, f"already {wanted}", member))
        elif status_of(member) not in CURRENT:
            plan.records.append(fail(region, target.account_id, action, "NotMember",
                                     f"not a member account ({status_of(member)}): only members are paused "
                                     "or re-enabled", status_of(member)))
        else:
            plan.jobs.append(single(region, target.account_id, "UpdateMemberSession",
                                    {"id": target.account_id, "status": status}))
    return plan


def plan_disassociate_member(region: str, inventory: Inventory, targets: Sequence[Target]) -> Plan:
    plan = Plan()
    for target in targets:
        member = inventory.get(target.account_id)
        if member is None:
            plan.records.append(skip(region, target.account_id, "disassociate-member", "not in the inventory"))
        elif status_of(member) not in ASSOCIATED:
            plan.records.append(skip(region, target.account_id, "disassociate-member",
                                     f"not associated ({status_of(member)})", member))
        else:
            plan.jobs.append(single(region, target.account_id, "DisassociateMember", {"id": target.account_id}))
    return plan


def plan_delete_member(region: str, inventory: Inventory, targets: Sequence[Target]) -> Plan:
    plan = Plan()
    for target in targets:
        if target.account_id not in inventory:
            plan.records.append(skip(region, target.account_id, "delete-member", "not in the inventory"))
        else:
            plan.jobs.append(single(region, target.account_id, "DeleteMember", {"id": target.account_id}))
    return plan


def plan_offboard(region: str, inventory: Inventory, targets: Sequence[Target]) -> Plan:
    plan = Plan()
    for target in targets:
        member = inventory.get(target.account_id)
        account = target.account_id
        if member is None:
            plan.records.append(skip(region, account, "offboard", "already gone"))
            continue
        requests = []
        if status_of(member) in ASSOCIATED:
            requests.append(Request(region, "DisassociateMember", {"id": account}, (account,)))
        requests.append(Request(region, "DeleteMember", {"id": account}, (account,)))
        plan.jobs.append(Job(region, (account,), tuple(requests)))
    return plan


# ----------------------------------------------------------------------------- quota


def new_places(inventory: Inventory, joining: Iterable[str]) -> int:
    """How many of the accounts joining (added, invited) do not hold a place in the quota yet."""
    return sum(1 for account in set(joining) if not holds_quota_place(status_of(inventory.get(account))))


def quota_problem(region: str, inventory: Inventory, new: int, freed: int = 0) -> str | None:
    """Why ``new`` more accounts holding a place would take the Region past the quota (``None``:
    they fit). Accounts that hold a place already are not counted twice; accounts that will
    hold one after the run (added, or invited again from Removed or Resigned) are. ``freed``:
    places the same run frees first (``sync --prune`` removes before it adds)."""
    holding = quota_count(status_of(m) for m in inventory.values())
    total = holding - freed + new
    if total <= MEMBER_QUOTA:
        return None
    removed = f" - {freed} removed" if freed else ""
    return (f"{region}: {holding} accounts hold a place in the quota{removed} + {new} joining = {total}, "
            f"over the quota of {MEMBER_QUOTA} invitation-based accounts per Region")


# --------------------------------------------------------------------------- onboard


@dataclass
class RegionPlan:
    """``onboard``'s (and ``sync``'s) decision for each account of the file, in one Region; for
    ``sync``, also for the accounts not in the file that are members or pending."""

    region: str
    add: list[Target] = field(default_factory=list)
    invite: list[Target] = field(default_factory=list)
    readd: list[Target] = field(default_factory=list)
    unchanged: list[tuple[Target, str]] = field(default_factory=list)
    attention: list[tuple[Target, str, str]] = field(default_factory=list)  # target, status, reason
    remove: list[tuple[str, str]] = field(default_factory=list)  # sync --prune: account, status
    extra: list[tuple[str, str]] = field(default_factory=list)  # sync without --prune: account, status
    error: Result | None = None  # the Region's inventory could not be read
    command: str = "onboard"  # the action of the decision records: onboard or sync

    def to_json(self) -> dict[str, Any]:
        if self.error is not None:
            return {"region": self.region, "errorCode": self.error.errorCode, "errorMessage": self.error.errorMessage}
        document: dict[str, Any] = {
            "region": self.region,
            "add": [t.account_id for t in self.add],
            "invite": [t.account_id for t in self.invite],
            "readd": [t.account_id for t in self.readd],
        }
        if self.command == "sync":
            document["remove"] = [{"accountId": a, "status": s} for a, s in self.remove]
            document["extra"] = [{"accountId": a, "status": s} for a, s in self.extra]
        document["unchanged"] = [{"accountId": t.account_id, "status": s} for t, s in self.unchanged]
        document["attention"] = [{"accountId": t.account_id, "status": s, "reason": r} for t, s, r in self.attention]
        return document

    def joining(self) -> list[str]:
        return [t.account_id for t in (*self.add, *self.invite, *self.readd)]

    @property
    def drift(self) -> bool:
        """Whether the Region differs from the file in a way that a run would act on or that needs
        a person: an account to add, invite, re-add or remove, or one that needs attention.
        Extra accounts that are kept (``sync`` without ``--prune``) are not drift."""
        return bool(self.add or self.invite or self.readd or self.remove or self.attention)


def decide_onboarding(region: str, inventory: Inventory, targets: Sequence[Target], *,
                      command: str = "onboard") -> RegionPlan:
    """absent: add (CreateMember) and invite; Created, Removed, Resigned: invite; pending and
    members: unchanged; EmailVerificationFailed: re-add (DeleteMember, CreateMember with the
    file's email, invite) when the file has another email, else attention; RegionDisabled and
    AccountSuspended: attention."""
    plan = RegionPlan(region, command=command)
    for target in targets:
        member = inventory.get(target.account_id)
        status = status_of(member)
        if member is None:
            plan.add.append(target)
        elif status in INVITABLE:
            plan.invite.append(target)
        elif status in PENDING or status in CURRENT:
            plan.unchanged.append((target, str(status)))
        elif status == "EmailVerificationFailed":
            registered = str(member.get("email", ""))
            if target.email and target.email.lower() != registered.lower():
                plan.readd.append(target)
            else:
                plan.attention.append((target, str(status), (
                    f"the email {registered} failed verification: correct it in the file "
                    f"(it must be the email of the AWS account), then run {command} again")))
        else:
            plan.attention.append((target, str(status), f"the account is {status}: it can't be invited now"))
    return plan


def decide_sync(region: str, inventory: Inventory, targets: Sequence[Target], *, prune: bool) -> RegionPlan:
    """The file as the whole membership: :func:`decide_onboarding` for the accounts of the file.

    With ``prune`` the Region's inventory becomes the file: every account not in it is removed
    as offboard removes it (members and pending accounts: DisassociateMember, then DeleteMember;
    the others -- Created, Removed, Resigned, EmailVerificationFailed, RegionDisabled,
    AccountSuspended -- DeleteMember). So a removal cut short between its two requests (the
    account left Removed) is finished by the next run. Without ``prune`` the members and
    pending accounts not in the file are kept as ``extra`` (shown, not drift); the others are
    not members and hold no place in the quota: left alone, not shown."""
    plan = decide_onboarding(region, inventory, targets, command="sync")
    wanted = {t.account_id for t in targets}
    for account in sorted(inventory):
        status = status_of(inventory[account])
        if account in wanted:
            continue
        if prune:
            plan.remove.append((account, str(status)))
        elif status in ASSOCIATED:
            plan.extra.append((account, str(status)))
    return plan


def region_quota_problem(plan: RegionPlan, inventory: Inventory) -> str | None:
    """The quota after the plan: the accounts it adds or invites join, those it removes (which
    the run removes first) free their places."""
    freed = sum(1 for _, status in plan.remove if holds_quota_place(status))
    return quota_problem(plan.region, inventory, new_places(inventory, plan.joining()), freed=freed)


def onboarding_records(plan: RegionPlan) -> list[Result]:
    """The decisions without a request: unchanged (skipped), needs attention (failed), extra
    accounts kept (skipped); their action is the command's (``onboard`` or ``sync``)."""
    action = plan.command
    records = [skip(plan.region, t.account_id, action, "unchanged", {"relationshipStatus": s})
               for t, s in plan.unchanged]
    records += [fail(plan.region, t.account_id, action, s, reason, s) for t, s, reason in plan.attention]
    records += [skip(plan.region, a, action, "not in the file: kept (sync --prune removes it)", {"relationshipStatus": s})
                for a, s in plan.extra]
    return records


def sync_removals(plan: RegionPlan) -> list[Job]:
    """``sync --prune``'s first phase: remove the accounts not in the file exactly as offboard
    does (DisassociateMember, then DeleteMember)."""
    inventory = {account: {"relationshipStatus": status} for account, status in plan.remove}
    return plan_offboard(plan.region, inventory, [Target(account) for account, _ in plan.remove]).jobs


def onboarding_adds(plan: RegionPlan) -> list[Job]:
    """The first phase: add the missing accounts, and re-add those with a new email."""
    jobs = []
    region = plan.region
    for target in plan.readd:
        account = target.account_id
        create = Request(region, "CreateMember", {"account": {"accountId": account, "email": target.email}}, (account,))
        jobs.append(Job(region, (account,), (Request(region, "DeleteMember", {"id": account}, (account,)), create)))
    for target in plan.add:
        jobs.append(single(region, target.account_id, "CreateMember",
                           {"account": {"accountId": target.account_id, "email": target.email}}))
    return jobs


def onboarding_invitations(plan: RegionPlan, added: Iterable[str], disable_email_notification: bool | None,
                           message: str | None) -> list[Job]:
    """The second phase: invite the accounts to invite, and those the first phase added."""
    ids = [t.account_id for t in plan.invite] + list(added)
    return invitation_jobs(plan.region, ids, disable_email_notification, message)


# -------------------------------------------------------------------- member side


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


def _member_side_batches(region: str, operation: str, ids: Sequence[str]) -> list[Job]:
    jobs = []
    for start in range(0, len(ids), INVITATION_BATCH):
        batch = tuple(ids[start:start + INVITATION_BATCH])
        jobs.append(Job(region, batch, (Request(region, operation, {"accountIds": list(batch)}, batch),)))
    return jobs


def plan_decline_invitations(region: str, state: MemberState, administrators: Sequence[str]) -> Plan:
    """Decline the pending (Invited) invitation of each administrator account, 50 per request.
    No invitation from it: skipped; an invitation that is not pending (accepted, declined,
    removed...): skipped, there is nothing to decline; Macie not enabled: failed, without a
    request (the service needs Macie to decline)."""
    plan = Plan()
    action = "decline-invitations"
    to_decline = []
    for administrator in administrators:
        invitation = _invitation_from(state, administrator)
        status = None if invitation is None else str(invitation.get("relationshipStatus", "Invited"))
        if invitation is None:
            plan.records.append(skip(region, administrator, action, f"no invitation from {administrator}"))
        elif status != "Invited":
            plan.records.append(skip(region, administrator, action, f"not pending (its status is {status})",
                                     invitation))
        elif not state.macie_enabled:
            plan.records.append(fail(region, administrator, action, *MACIE_NOT_ENABLED, status))
        else:
            to_decline.append(administrator)
    plan.jobs.extend(_member_side_batches(region, "DeclineInvitations", to_decline))
    return plan


def plan_delete_invitations(region: str, state: MemberState, administrators: Sequence[str]) -> Plan:
    """Delete the invitation received from each administrator account, 50 per request. None:
    skipped (already deleted); pending: failed without a request (decline it first); the
    accepted invitation of the current administrator: failed (disassociate first); Macie not
    enabled: failed (the service needs it)."""
    plan = Plan()
    action = "delete-invitations"
    to_delete = []
    for administrator in administrators:
        invitation = _invitation_from(state, administrator)
        status = None if invitation is None else str(invitation.get("relationshipStatus", "Invited"))
        if invitation is None:
            plan.records.append(skip(region, administrator, action, f"no invitation from {administrator}"))
        elif _is_current_administrator(state, administrator):
            plan.records.append(fail(region, administrator, action, "CurrentAdministrator",
                                     "the accepted invitation of the current administrator account: "
                                     "disassociate from it first", status))
        elif status == "Invited":
            plan.records.append(fail(region, administrator, action, "InvitationPending",
                                     "the invitation is pending: decline it first", status))
        elif not state.macie_enabled:
            plan.records.append(fail(region, administrator, action, *MACIE_NOT_ENABLED, status))
        else:
            to_delete.append(administrator)
    plan.jobs.extend(_member_side_batches(region, "DeleteInvitations", to_delete))
    return plan


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


def interleave(jobs: Sequence[Job]) -> list[Job]:
    """Round-robin the jobs by Region, so that every Region's work starts at once: the pool
    then waits on every Region's quota in parallel, not on one Region after another."""
    by_region: dict[str, list[Job]] = {}
    for job in jobs:
        by_region.setdefault(job.region, []).append(job)
    queues = list(by_region.values())
    longest = max((len(q) for q in queues), default=0)
    return [q[i] for i in range(longest) for q in queues if i < len(q)]


def action_of(operation: str) -> str:
    return operation_action(operation)
