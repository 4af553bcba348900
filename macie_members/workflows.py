"""Workflows beyond the AWS CLI: onboard, offboard, accept invitations, status.

They are built from the same pieces as the bulk commands (:mod:`macie_members.bulk`): every
Region's inventory is read first (``onlyAssociated=false``), a plan is made from it, and only
the requests the plan needs are sent, so running a workflow twice sends no mutating request
the second time.

Onboarding decisions, per Region and account of the file (``plan_onboarding``):

=============================================  ===========================================
inventory status                               decision
=============================================  ===========================================
absent                                         ``add``: CreateMember, then invite
Created, Removed, Resigned                     ``invite``
Invited, EmailVerificationInProgress,          ``unchanged``
Enabled, Paused
EmailVerificationFailed, file email differs    ``re-add``: DeleteMember, CreateMember with the
                                               file's email, invite
EmailVerificationFailed, same email            ``attention``: the email must be corrected
RegionDisabled, AccountSuspended               ``attention``
=============================================  ===========================================

Result records (schema in :mod:`macie_members.fanout`) have ``action`` ``add``, ``invite``,
``re-add``, ``unchanged`` (outcome skipped) or ``attention`` (outcome failed, errorCode the
status, so the exit code says something needs a human).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .bulk import (
    INVITATION_BATCH,
    BulkRun,
    Inventory,
    Target,
    call_with_retries,
    interleave_regions,
)
from .client import Aws, call
from .errors import MacieMembersError
from .fanout import Result, WorkItem, failure, run_items

if TYPE_CHECKING:
    from botocore.client import BaseClient

CURRENT = ("Enabled", "Paused")
PENDING = ("EmailVerificationInProgress", "Invited")
ATTENTION_STATUSES = ("EmailVerificationFailed", "Resigned", "Removed", "RegionDisabled", "AccountSuspended")


# ------------------------------------------------------------------- onboard


@dataclass
class RegionPlan:
    region: str
    add: list[Target] = field(default_factory=list)
    invite: list[Target] = field(default_factory=list)
    readd: list[Target] = field(default_factory=list)
    unchanged: list[tuple[Target, str]] = field(default_factory=list)
    attention: list[tuple[Target, str, str]] = field(default_factory=list)  # target, status, reason
    error: MacieMembersError | None = None
    inventory_size: int = 0

    def to_json(self) -> dict[str, Any]:
        if self.error is not None:
            return {"region": self.region, "errorCode": getattr(self.error, "code", type(self.error).__name__),
                    "errorMessage": getattr(self.error, "error_message", str(self.error))}
        return {
            "region": self.region,
            "add": [t.account_id for t in self.add],
            "invite": [t.account_id for t in self.invite],
            "readd": [t.account_id for t in self.readd],
            "unchanged": [{"accountId": t.account_id, "status": s} for t, s in self.unchanged],
            "attention": [{"accountId": t.account_id, "status": s, "reason": r} for t, s, r in self.attention],
        }

    @property
    def mutating(self) -> bool:
        return bool(self.add or self.invite or self.readd)


def plan_region(region: str, inventory: Inventory, targets: Sequence[Target]) -> RegionPlan:
    plan = RegionPlan(region, inventory_size=len(inventory))
    for target in targets:
        member = inventory.get(target.account_id)
        if member is None:
            plan.add.append(target)
            continue
        status = str(member.get("relationshipStatus"))
        if status in ("Created", "Removed", "Resigned"):
            plan.invite.append(target)
        elif status in PENDING or status in CURRENT:
            plan.unchanged.append((target, status))
        elif status == "EmailVerificationFailed":
            if target.email and target.email.lower() != str(member.get("email", "")).lower():
                plan.readd.append(target)
            else:
                plan.attention.append((target, status, (
                    f"the email {member.get('email')} failed verification: correct it in the file "
                    "(it must be the email of the AWS account), then run onboard again")))
        else:
            plan.attention.append((target, status, f"the account is {status}: it can't be invited now"))
    return plan


def quota_problems(plans: Sequence[RegionPlan], quota: int = 1000) -> list[str]:
    """Regions whose inventory would go past the quota of invitation-based accounts."""
    return [
        f"{p.region}: {p.inventory_size} accounts in the inventory + {len(p.add)} to add = "
        f"{p.inventory_size + len(p.add)}, over the quota of {quota} invitation-based accounts per Region"
        for p in plans
        if p.error is None and p.inventory_size + len(p.add) > quota
    ]


def plan_onboarding(run: BulkRun, targets: Sequence[Target]) -> list[RegionPlan]:
    inventories, errors = run.inventories()
    plans = []
    for region in run.regions:
        if region in errors:
            plans.append(RegionPlan(region, error=errors[region]))
        else:
            plans.append(plan_region(region, inventories[region], targets))
    return plans


def execute_onboarding(
    run: BulkRun,
    plans: Sequence[RegionPlan],
    *,
    disable_email_notification: bool | None,
    message: str | None,
) -> list[Result]:
    """Apply the plans: re-adds and adds first (in parallel), then invitations by 50."""
    early: list[Result] = []
    for plan in plans:
        if plan.error is not None:
            continue
        for target, status in plan.unchanged:
            early.append(Result(plan.region, target.account_id, "unchanged", "skipped", status=status))
        for target, status, reason in plan.attention:
            early.append(Result(plan.region, target.account_id, "attention", "failed",
                                errorCode=status, errorMessage=reason, status=status))
    for result in early:
        run.on_result(result)

    # Phase 1: accounts that must be (re-)added. Their results are only reported after the
    # invitation, so each account gets one record.
    added: dict[str, list[Target]] = {plan.region: [] for plan in plans}
    pending_failures: list[Result] = []

    def adder(region: str, client: BaseClient, target: Target, readd: bool) -> Callable[[], list[Result]]:
        def go() -> list[Result]:
            action = "re-add" if readd else "add"
            try:
                if readd:
                    call_with_retries(client, "delete_member", id=target.account_id)
                call_with_retries(client, "create_member",
                                  account={"accountId": target.account_id, "email": target.email})
            except MacieMembersError as exc:
                if getattr(exc, "code", None) != "ConflictException":
                    pending_failures.append(failure(region, target.account_id, action, exc))
                    return []
            added[region].append(target)
            return []

        return go

    items = []
    for plan in plans:
        if plan.error is not None:
            continue
        client = run.clients[plan.region]
        items += [WorkItem(plan.region, (t.account_id,), "re-add", adder(plan.region, client, t, True)) for t in plan.readd]
        items += [WorkItem(plan.region, (t.account_id,), "add", adder(plan.region, client, t, False)) for t in plan.add]
    run_items(interleave_regions(items), max_concurrency=run.max_concurrency)
    for result in pending_failures:
        run.on_result(result)

    # Phase 2: invitations, 50 ids per request.
    invites: list[WorkItem] = []
    for plan in plans:
        if plan.error is not None:
            continue
        actions = {t.account_id: "invite" for t in plan.invite}
        actions.update({t.account_id: "add" for t in plan.add})
        actions.update({t.account_id: "re-add" for t in plan.readd})
        ready = [t.account_id for t in plan.invite] + [t.account_id for t in added[plan.region]]
        for start in range(0, len(ready), INVITATION_BATCH):
            batch = tuple(ready[start:start + INVITATION_BATCH])
            invites.append(WorkItem(plan.region, batch, "invite",
                                    _inviter(plan.region, run.clients[plan.region], batch, actions,
                                             disable_email_notification, message)))
    results = run_items(interleave_regions(invites), max_concurrency=run.max_concurrency, on_result=run.on_result)
    region_failures = []
    for plan in plans:
        if plan.error is not None:
            for target in [*plan.add, *plan.invite, *plan.readd]:
                region_failures.append(failure(plan.region, target.account_id, "onboard", plan.error))
    for result in region_failures:
        run.on_result(result)
    return early + pending_failures + results + region_failures


def _inviter(region: str, client: BaseClient, batch: tuple[str, ...], actions: dict[str, str],
             disable: bool | None, message: str | None) -> Callable[[], list[Result]]:
    def go() -> list[Result]:
        params: dict[str, Any] = {"accountIds": list(batch)}
        if disable is not None:
            params["disableEmailNotification"] = disable
        if message is not None:
            params["message"] = message
        try:
            response = call_with_retries(client, "create_invitations", **params)
        except MacieMembersError as exc:
            return [failure(region, account, actions[account], exc) for account in batch]
        unprocessed = {u["accountId"]: u for u in response.get("unprocessedAccounts", [])}
        results = []
        for account in batch:
            problem = unprocessed.get(account)
            if problem:
                results.append(Result(region, account, actions[account], "failed",
                                      errorCode=problem.get("errorCode"), errorMessage=problem.get("errorMessage")))
            else:
                results.append(Result(region, account, actions[account], "ok", status="EmailVerificationInProgress"))
        return results

    return go


def wait_for_invitations(
    run: BulkRun,
    invited: Sequence[Result],
    *,
    timeout: float,
    clock: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], None] = time.sleep,
) -> list[Result]:
    """Poll (with backoff) until each invited account is Invited, Enabled or Paused, or failed,
    or the timeout passes. One ``wait`` record per account."""
    waiting = {(r.region, r.accountId) for r in invited if r.outcome == "ok" and r.accountId}
    done: list[Result] = []
    deadline = clock() + timeout
    delay = 1.0
    while waiting:
        inventories, errors = run.inventories()
        for region, account in sorted(waiting):
            if region in errors:
                continue
            status = str(inventories[region].get(account or "", {}).get("relationshipStatus", "absent"))
            if status in ("Invited", "Enabled", "Paused"):
                done.append(Result(region, account, "wait", "ok", status=status))
            elif status not in PENDING:
                done.append(Result(region, account, "wait", "failed", errorCode=status,
                                   errorMessage=f"invitation ended as {status}", status=status))
            else:
                continue
            waiting.discard((region, account))
        if not waiting:
            break
        if clock() + delay > deadline:
            for region, account in sorted(waiting):
                done.append(Result(region, account, "wait", "failed", errorCode="Timeout",
                                   errorMessage=f"still pending after {timeout:g} s",
                                   status="EmailVerificationInProgress"))
            break
        sleep(delay)
        delay = min(30.0, delay * 2)
    for result in done:
        run.on_result(result)
    return done


# ------------------------------------------------------------------ offboard


def plan_offboard(region: str, client: BaseClient, inventory: Inventory, targets: Sequence[Target]) -> list[WorkItem | Result]:
    planned: list[WorkItem | Result] = []
    for target in targets:
        member = inventory.get(target.account_id)
        if member is None:
            planned.append(Result(region, target.account_id, "offboard", "skipped", errorMessage="already gone"))
            continue
        status = str(member.get("relationshipStatus"))
        planned.append(WorkItem(region, (target.account_id,), "offboard",
                                _offboarder(region, client, target.account_id, status)))
    return planned


def _offboarder(region: str, client: BaseClient, account: str, status: str) -> Callable[[], list[Result]]:
    def go() -> list[Result]:
        if status in CURRENT or status in PENDING:
            try:
                call_with_retries(client, "disassociate_member", id=account)
            except MacieMembersError as exc:
                # Disassociated meanwhile: go on and delete.
                if getattr(exc, "code", None) != "ValidationException":
                    raise
        try:
            call_with_retries(client, "delete_member", id=account)
        except MacieMembersError as exc:
            if getattr(exc, "code", None) != "ResourceNotFoundException":
                raise
        return [Result(region, account, "offboard", "ok")]

    return go


# -------------------------------------------------------- accept invitations


@dataclass(frozen=True)
class Identity:
    account_id: str
    partition: str


def caller_identity(aws: Aws, region: str) -> Identity:
    sts = aws.client("sts", region)
    response = call(sts, "get_caller_identity")
    arn = str(response["Arn"])
    return Identity(str(response["Account"]), arn.split(":")[1])


def accept_invitations(
    aws: Aws,
    regions: Sequence[str],
    members: Sequence[str],
    *,
    role_name: str,
    enable_macie: bool,
    max_concurrency: int,
    on_result: Callable[[Result], None],
) -> list[Result]:
    """As each member account (through ``sts:AssumeRole`` of ``role_name``), accept the pending
    invitation sent by the caller's account, in each Region. Never accepts another sender's."""
    admin = caller_identity(aws, regions[0])
    credentials: dict[str, Any] = {}
    failures: dict[str, MacieMembersError] = {}

    def assume(member: str) -> Callable[[], list[Result]]:
        def go() -> list[Result]:
            sts = aws.client("sts", regions[0])
            try:
                response = call(sts, "assume_role",
                                RoleArn=f"arn:{admin.partition}:iam::{member}:role/{role_name}",
                                RoleSessionName="macie-members-accept")
                credentials[member] = response["Credentials"]
            except MacieMembersError as exc:
                failures[member] = exc
            return []

        return go

    run_items([WorkItem(regions[0], (m,), "assume-role", assume(m)) for m in members], max_concurrency=max_concurrency)

    def accepter(region: str, member: str) -> Callable[[], list[Result]]:
        def go() -> list[Result]:
            creds = credentials[member]
            client = aws.client("macie2", region, aws_access_key_id=creds["AccessKeyId"],
                                aws_secret_access_key=creds["SecretAccessKey"],
                                aws_session_token=creds["SessionToken"])
            return [_accept_one(client, region, member, admin.account_id, enable_macie)]

        return go

    results: list[Result] = []
    for member in members:
        if member in failures:
            exc = failures[member]
            for region in regions:
                result = Result(region, member, "accept-invitation", "failed",
                                errorCode=getattr(exc, "code", None) or "AssumeRoleFailed",
                                errorMessage=f"can't assume role {role_name} in {member}: "
                                             f"{getattr(exc, 'error_message', str(exc))}")
                on_result(result)
                results.append(result)
    items = [WorkItem(region, (m,), "accept-invitation", accepter(region, m))
             for m in members if m in credentials for region in regions]
    results += run_items(items, max_concurrency=max_concurrency, on_result=on_result)
    return results


def _accept_one(client: BaseClient, region: str, member: str, admin_id: str, enable_macie: bool) -> Result:
    action = "accept-invitation"
    try:
        call(client, "get_macie_session")
    except MacieMembersError as exc:
        if getattr(exc, "code", None) != "AccessDeniedException":
            raise
        if not enable_macie:
            return Result(region, member, action, "failed", errorCode="MacieNotEnabled",
                          errorMessage="Macie is not enabled in this account and Region: it must be enabled "
                                       "to accept; rerun with --enable-macie")
        call_with_retries(client, "enable_macie")
    invitations = call_with_retries(client, "list_invitations").get("invitations", [])
    # Invitations persist after they are answered (accepted, declined): only a pending one counts.
    mine = [i for i in invitations if i.get("accountId") == admin_id and i.get("relationshipStatus") == "Invited"]
    if not mine:
        administrator = call_with_retries(client, "get_administrator_account").get("administrator") or {}
        if administrator.get("accountId") == admin_id:
            return Result(region, member, action, "skipped", errorMessage="already a member",
                          status=administrator.get("relationshipStatus"))
        return Result(region, member, action, "failed", errorCode="NoInvitation",
                      errorMessage=f"no pending invitation from {admin_id}")
    newest = max(mine, key=lambda i: str(i.get("invitedAt", "")))
    call_with_retries(client, "accept_invitation", administratorAccountId=admin_id,
                      invitationId=newest["invitationId"])
    return Result(region, member, action, "ok", status="Enabled")


# -------------------------------------------------------------------- status


@dataclass
class StatusReport:
    regions: list[str]
    matrix: dict[str, dict[str, str]]  # account -> region -> status ("missing" when absent)
    emails: dict[str, str]
    errors: dict[str, MacieMembersError]
    attention: list[dict[str, str]]

    def counts(self) -> dict[str, dict[str, int]]:
        counts: dict[str, dict[str, int]] = {}
        for per_region in self.matrix.values():
            for region, status in per_region.items():
                counts.setdefault(status, {}).setdefault(region, 0)
                counts[status][region] += 1
        return {status: dict(sorted(by_region.items())) for status, by_region in sorted(counts.items())}

    def to_json(self) -> dict[str, Any]:
        return {
            "regions": self.regions,
            "accounts": [
                {"accountId": account, "email": self.emails.get(account), "statuses": self.matrix[account]}
                for account in sorted(self.matrix)
            ],
            "counts": self.counts(),
            "attention": self.attention,
            "errors": [
                {"region": region, "errorCode": getattr(exc, "code", type(exc).__name__),
                 "errorMessage": getattr(exc, "error_message", str(exc))}
                for region, exc in sorted(self.errors.items())
            ],
        }


def build_status(run: BulkRun, targets: Sequence[Target] | None) -> StatusReport:
    inventories, errors = run.inventories()
    regions = [r for r in run.regions if r in inventories]
    matrix: dict[str, dict[str, str]] = {}
    emails: dict[str, str] = {}
    wanted = None if targets is None else {t.account_id for t in targets}
    for region in regions:
        for account, member in inventories[region].items():
            if wanted is not None and account not in wanted:
                continue
            matrix.setdefault(account, {})[region] = str(member.get("relationshipStatus"))
            if member.get("email"):
                emails[account] = str(member["email"])
    for target in targets or []:
        matrix.setdefault(target.account_id, {})
        if target.email:
            emails.setdefault(target.account_id, target.email)
    attention: list[dict[str, str]] = []
    for account in sorted(matrix):
        for region in regions:
            status = matrix[account].get(region)
            if status is None:
                matrix[account][region] = "missing"
                if wanted is not None:
                    attention.append({"accountId": account, "region": region, "status": "missing",
                                      "reason": "in the file but not in this Region's inventory"})
            elif status in ATTENTION_STATUSES:
                attention.append({"accountId": account, "region": region, "status": status,
                                  "reason": ATTENTION_REASONS[status]})
    return StatusReport(list(run.regions), matrix, emails, errors, attention)


ATTENTION_REASONS = {
    "EmailVerificationFailed": "the email is not the account's: delete, add again with the right email, invite",
    "Resigned": "the member left the organization: invite it again or delete it",
    "Removed": "disassociated by the administrator: invite it again or delete it",
    "RegionDisabled": "the Region is disabled for the account",
    "AccountSuspended": "the AWS account is suspended",
}
