"""Onboarding and sync: per Region, what to add, invite, re-add and remove, in three phases."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from macie_members.domain import (
    ASSOCIATED,
    CURRENT,
    INVITABLE,
    ORGANIZATION_ASSOCIATED,
    PENDING,
    Target,
    holds_quota_place,
    is_organization_member,
)
from macie_members.plan.members import invitation_jobs, new_places, plan_offboard, quota_problem
from macie_members.plan.model import (
    Inventory,
    Job,
    Plan,
    Request,
    fail,
    not_in_inventory,
    single,
    skip,
    status_of,
)
from macie_members.records import Result


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
    # sync: Organizations members not in the file, never removed (account, status)
    organization: list[tuple[str, str]] = field(default_factory=list)
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
            document["organization"] = [{"accountId": a, "status": s} for a, s in self.organization]
        document["unchanged"] = [{"accountId": t.account_id, "status": s} for t, s in self.unchanged]
        document["attention"] = [{"accountId": t.account_id, "status": s, "reason": r} for t, s, r in self.attention]
        return document

    def organization_accounts(self) -> list[str]:
        return [account for account, _ in self.organization]

    def joining(self) -> list[str]:
        return [t.account_id for t in (*self.add, *self.invite, *self.readd)]

    @property
    def drift(self) -> bool:
        """Whether the Region differs from the file in a way that a run would act on or that needs
        a person: an account to add, invite, re-add or remove, or one that needs attention.
        Extra accounts that are kept (``sync`` without ``--prune``) are not drift, nor are
        Organizations members the file does not name (AWS Organizations manages them)."""
        return bool(self.add or self.invite or self.readd or self.remove or self.attention)


def decide_onboarding(region: str, inventory: Inventory, targets: Sequence[Target], *,
                      command: str = "onboard") -> RegionPlan:
    """absent: add (CreateMember) and invite; Created, Removed, Resigned: invite; pending and
    members: unchanged; EmailVerificationFailed: re-add (DeleteMember, CreateMember with the
    file's email, invite) when the file has another email, else attention; RegionDisabled and
    AccountSuspended: attention.

    An Organizations member (no email) is never invited: Created (being enabled), Enabled and
    Paused are unchanged; Removed is added again with CreateMember, which re-adds it (Macie user
    guide, "Managing Macie accounts with AWS Organizations"). An account not in the inventory
    may be an Organizations account too (the file can't tell): the run reads the inventory again
    after adding, and invites only the added entries that have an email."""
    plan = RegionPlan(region, command=command)
    for target in targets:
        member = inventory.get(target.account_id)
        status = status_of(member)
        if member is None:
            plan.add.append(target)
        elif is_organization_member(member):
            if status in ORGANIZATION_ASSOCIATED:
                plan.unchanged.append((target, str(status)))
            elif status == "Removed":
                plan.add.append(target)
            else:
                plan.attention.append((target, str(status), f"an Organizations member that is {status}"))
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
    not members and hold no place in the quota: left alone, not shown.

    Organizations members not in the file are never removed, with or without ``prune``: they are
    listed apart (``organization``; not drift) and their accounts stay as AWS Organizations
    manages them (``offboard`` removes one on purpose)."""
    plan = decide_onboarding(region, inventory, targets, command="sync")
    wanted = {t.account_id for t in targets}
    for account in sorted(inventory):
        status = status_of(inventory[account])
        if account in wanted:
            continue
        if is_organization_member(inventory[account]):
            plan.organization.append((account, str(status)))
        elif prune:
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
    records += [skip(plan.region, a, action, "an Organizations member not in the file: kept (sync never removes "
                     "one; offboard does)", {"relationshipStatus": s}) for a, s in plan.organization]
    return records


def sync_removals(plan: RegionPlan) -> list[Job]:
    """``sync --prune``'s first phase: remove the accounts not in the file exactly as offboard
    does (DisassociateMember, then DeleteMember). Only invited accounts are ever in
    ``plan.remove`` (:func:`decide_sync`), hence the email each entry is given here."""
    inventory = {account: {"relationshipStatus": status, "email": "(invited)"} for account, status in plan.remove}
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
    """The second phase: invite the accounts to invite, and those the first phase added (as
    planned: what ``--dry-run`` shows; a run decides again with :func:`invitations_after_adds`)."""
    ids = [t.account_id for t in plan.invite] + list(added)
    return invitation_jobs(plan.region, ids, disable_email_notification, message)


def invitations_after_adds(plan: RegionPlan, added: Iterable[str], inventory: Inventory,
                           disable_email_notification: bool | None, message: str | None) -> Plan:
    """The second phase, decided again on the inventory as read after the adds: only an entry
    that is still to be invited is invited. An entry without an email is an Organizations member
    (CreateMember added it, and it needs no invitation); one already pending or a member was
    invited meanwhile (by another run); one that left the inventory can't be invited."""
    out = Plan()
    to_invite: list[str] = []
    action = plan.command
    for account in dict.fromkeys([t.account_id for t in plan.invite] + list(added)):
        member = inventory.get(account)
        status = status_of(member)
        if member is None:
            out.records.append(not_in_inventory(plan.region, account, action, wanted_holds=False,
                                                why="left the inventory since it was read: run again"))
        elif is_organization_member(member):
            out.records.append(skip(plan.region, account, action,
                                    "an Organizations member: added without an invitation", member))
        elif status in PENDING or status in CURRENT:
            out.records.append(skip(plan.region, account, action, f"already {status}", member))
        elif status in INVITABLE:
            to_invite.append(account)
        else:
            out.records.append(fail(plan.region, account, action, str(status),
                                    f"the account is {status}: it can't be invited now", status))
    out.jobs.extend(invitation_jobs(plan.region, to_invite, disable_email_notification, message))
    return out


