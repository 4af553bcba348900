"""Workflows beyond the AWS CLI: onboard, sync, status (offboard is a bulk action:
:data:`macie_members.flows.bulk.OFFBOARD`).

Each reads every Region's inventory first (``onlyAssociated=false``), plans from it with the
pure planners of :mod:`macie_members.plan`, and sends only what the plan needs, so running
a workflow twice sends no mutating request the second time. Records (schema in
:mod:`macie_members.records`) are written as each request is answered.

``onboard`` and ``sync`` are one flow (:func:`converge`). ``onboard`` decides for each account
of the file (:func:`~macie_members.plan.onboarding.decide_onboarding`); ``sync`` takes the file as the
whole membership of each Region (:func:`~macie_members.plan.onboarding.decide_sync`): it also decides
for the accounts that are not in the file, members or pending ones being "extra" (kept and
shown) or, with ``--prune``, removed. Accounts not in the file in other statuses (Created,
Removed, Resigned, EmailVerificationFailed, RegionDisabled, AccountSuspended) are not members
and hold no place in the quota: sync leaves them alone and does not count them as drift.

The flow works in phases, each one finished before the next starts: DisassociateMember then
DeleteMember for the accounts removed (``sync --prune``; so the places they free count for the
quota of the accounts joining), CreateMember for the accounts to add (DeleteMember first for
those re-added with a new email), then CreateInvitations, 50 ids per request, for the accounts
to invite and those the previous phase added. ``--wait`` then polls each Region's inventory
until every invited account is Invited or Enabled (or failed), or ``--timeout`` seconds have
passed.

``--plan`` prints the decisions per Region and sends nothing. With ``sync --plan
--detailed-exitcode`` the exit code says whether there is drift: the organization differs from
the file in a way a run would act on or a person must (an account to add, invite, re-add or
remove, or one that needs attention): 2; none: 0; a Region that can't be read: 254.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from macie_members.domain import ATTENTION_REASONS, ORGANIZATION, PENDING, Target, membership_type
from macie_members.errors import ExitCode, InputError
from macie_members.flows.steps import dry_run, refuse_own_account, region_failures
from macie_members.plan.model import INVITATION_BATCH, Inventory, Plan, fail
from macie_members.plan.onboarding import (
    RegionPlan,
    decide_onboarding,
    decide_sync,
    invitations_after_adds,
    onboarding_adds,
    onboarding_invitations,
    onboarding_records,
    region_quota_problem,
    sync_removals,
)
from macie_members.records import Result
from macie_members.run.session import RunSession

WAIT_FIRST_DELAY = 1.0
WAIT_MAX_DELAY = 30.0
SETTLED = ("Invited", "Enabled", "Paused")


# ----------------------------------------------------------------------- onboard and sync


@dataclass(frozen=True)
class Onboarding:
    """What ``onboard`` or ``sync`` is to do. ``sync``: the file is the whole membership (the
    accounts not in it are extra, or removed with ``prune``); ``detailed_exitcode``: with
    ``plan_only``, exit 2 when there is drift."""

    targets: tuple[Target, ...]
    disable_email_notification: bool | None = None
    message: str | None = None
    plan_only: bool = False
    wait: bool = False
    timeout: float = 300.0
    sync: bool = False
    prune: bool = False
    detailed_exitcode: bool = False

    @property
    def command(self) -> str:
        return "sync" if self.sync else "onboard"

    def decide(self, region: str, inventory: Inventory) -> RegionPlan:
        if self.sync:
            return decide_sync(region, inventory, self.targets, prune=self.prune)
        return decide_onboarding(region, inventory, self.targets)


def converge(session: RunSession, spec: Onboarding, *, clock: Callable[[], float] = time.monotonic,
             sleep: Callable[[float], None] = time.sleep) -> int:
    """The one flow of ``onboard`` and ``sync``: read, decide, check the quota, then print the
    plan (``--plan``) or the requests (``--dry-run``), or confirm a plan that removes accounts
    (``sync --prune``) and run the phases. A run that sends takes the run locks first, before
    its first read."""
    if not (spec.plan_only or session.config.dry_run):
        session.hold_locks()
    plans, errors = _decide(session, spec)
    if spec.plan_only:
        return _print_plan(session, spec, plans, errors)
    readable = [p for p in plans if p.error is None]
    decided, removals, adds = Plan(), Plan(), Plan()
    for p in plans:
        if p.error is not None:
            decided.records.extend(region_failures(p.error, spec.targets))
            continue
        decided.records.extend(onboarding_records(p))
        removals.jobs.extend(sync_removals(p))
        adds.jobs.extend(onboarding_adds(p))
    assumed = _as_planned(spec, readable, removals, adds)
    if session.config.dry_run:
        return dry_run(session, assumed, errors)
    session.confirm(f"{spec.command} --prune" if spec.prune else spec.command, assumed)
    session.results_title = spec.command.capitalize()
    invited = _run_phases(session, spec, readable, decided.extend(removals), adds)
    if spec.wait:
        # The accounts invited now, and those an earlier run invited that are still verifying.
        pending = {(r.region, r.accountId or "") for r in invited}
        pending |= {(p.region, t.account_id) for p in readable
                    for t, status in p.unchanged if status == "EmailVerificationInProgress"}
        wait_for_invitations(session, pending, timeout=spec.timeout, clock=clock, sleep=sleep)
    return session.finish(spec.command.capitalize())


def _decide(session: RunSession, spec: Onboarding) -> tuple[list[RegionPlan], dict[str, Result]]:
    """Every Region's decisions (a Region whose inventory can't be read carries its error);
    refused, before anything is sent, when they would take a Region past the quota."""
    refuse_own_account(session, spec.targets)
    regions = session.regions()
    inventories, errors = session.inventories(regions)
    plans = [RegionPlan(region, error=errors[region], command=spec.command) if region in errors
             else spec.decide(region, inventories[region]) for region in regions]
    problems = [problem for p in plans if p.error is None
                if (problem := region_quota_problem(p, inventories[p.region]))]
    if problems:
        raise InputError("Refusing to exceed the member quota; nothing was sent:\n" + "\n".join(problems))
    return plans, errors


def _print_plan(session: RunSession, spec: Onboarding, plans: Sequence[RegionPlan],
                errors: Mapping[str, Result]) -> int:
    """``--plan``: the decisions per Region; with ``sync --detailed-exitcode``, exit 2 on drift."""
    drift = any(p.drift for p in plans if p.error is None)
    document: dict[str, Any] = {"plan": [p.to_json() for p in plans]}
    if spec.sync:
        # A Region that can't be read may drift: unknown (null), unless another one does.
        document["drift"] = True if drift else None if errors else False
    session.renderer.plan(document)
    if errors:
        if session.config.output == "csv" or session.config.query is not None:
            for region, error in sorted(errors.items()):  # these forms have no place for it
                session.renderer.warn(f"{region}: the inventory can't be read ({error.errorCode}: {error.errorMessage})")
        return int(ExitCode.SERVICE)
    return int(ExitCode.DRIFT) if spec.detailed_exitcode and drift else 0


def _as_planned(spec: Onboarding, readable: Sequence[RegionPlan], removals: Plan, adds: Plan) -> Plan:
    """Every phase's requests, as planned now: what the dry run prints and the confirmation
    counts. Every account to add is assumed added, so its invitation is there too (the run
    decides the invitations again after the adds)."""
    assumed = Plan(jobs=[*removals.jobs, *adds.jobs])
    for p in readable:
        added = [t.account_id for t in (*p.readd, *p.add)]
        assumed.jobs.extend(onboarding_invitations(p, added, spec.disable_email_notification, spec.message))
    return assumed


def _run_phases(session: RunSession, spec: Onboarding, readable: Sequence[RegionPlan], removals: Plan,
                adds: Plan) -> list[Result]:
    """The removals (with the records decided without a request), then the adds, then the
    invitations of what is now in the inventory; the invitations that were sent."""
    # Every phase counts as planned from the start, for Ctrl-C's message.
    session.ledger.plan(sum(1 for _ in removals.requests()) + sum(1 for _ in adds.requests())
                        + sum(-(-len(p.joining()) // INVITATION_BATCH) for p in readable))
    session.execute(removals, counted=True)
    session.execute(adds, counted=True)
    # Only what was created (or found there) can be invited, and only what the inventory, read
    # again now, still shows as to invite: an entry without an email is an Organizations member
    # (the file can't tell), and another run may have invited an account meanwhile.
    created = {(r.region, r.accountId) for r in session.results
               if r.action == "create-member" and r.outcome in ("ok", "skipped")}
    added = {p.region: [t.account_id for t in (*p.readd, *p.add) if (p.region, t.account_id) in created]
             for p in readable}
    inviting = [p for p in readable if p.invite or added[p.region]]
    fresh, unreadable = session.inventories([p.region for p in inviting]) if inviting else ({}, {})
    invitations = Plan()
    for p in inviting:
        if p.region in unreadable:
            error = unreadable[p.region]
            invitations.records.extend(fail(p.region, a, spec.command, error.errorCode or "Error", error.errorMessage or "")
                                       for a in dict.fromkeys([t.account_id for t in p.invite] + added[p.region]))
            continue
        invitations.extend(invitations_after_adds(p, added[p.region], fresh[p.region],
                                                  spec.disable_email_notification, spec.message))
    return [r for r in session.execute(invitations, counted=True) if r.outcome == "ok"]


def wait_for_invitations(session: RunSession, pending: set[tuple[str, str]], *, timeout: float,
                         clock: Callable[[], float] = time.monotonic,
                         sleep: Callable[[float], None] = time.sleep) -> None:
    """``onboard --wait``: poll each Region's inventory until each (Region, account) of
    ``pending`` settles; one ``wait`` record per account."""

    def poll(regions: Sequence[str]) -> Mapping[str, Mapping[str, Mapping[str, Any]]]:
        return session.inventories(regions)[0]

    session.ledger.waiting = True  # an interruption now says the wait was cut short
    session.record(wait_until_settled(poll, pending, timeout=timeout, clock=clock, sleep=sleep))
    session.ledger.waiting = False


def wait_until_settled(poll: Callable[[Sequence[str]], Mapping[str, Mapping[str, Mapping[str, Any]]]],
                       waiting: set[tuple[str, str]], *, timeout: float, clock: Callable[[], float],
                       sleep: Callable[[float], None]) -> list[Result]:
    """Poll (after 1 s, doubling to 30 s, the last pause cut short at the deadline, then one
    last poll at the deadline) until each (Region, account) is Invited, Enabled or Paused, or
    failed, or ``timeout`` seconds have passed."""
    done: list[Result] = []
    waiting = set(waiting)
    deadline = clock() + timeout
    delay = WAIT_FIRST_DELAY
    while waiting:
        inventories = poll(sorted({region for region, _ in waiting}))
        for region, account in sorted(waiting):
            if region not in inventories:
                continue
            member = inventories[region].get(account)
            status = str(member.get("relationshipStatus")) if member is not None else "absent"
            if status in SETTLED:
                done.append(Result(region, account, "wait", "ok", status=status))
            elif status not in PENDING:
                done.append(Result(region, account, "wait", "failed", errorCode=status,
                                   errorMessage=f"invitation ended as {status}", status=status))
            else:
                continue
            waiting.discard((region, account))
        remaining = deadline - clock()
        if not waiting or remaining <= 0:
            break
        sleep(min(delay, remaining))
        delay = min(WAIT_MAX_DELAY, delay * 2)
    done += [Result(region, account, "wait", "failed", errorCode="Timeout",
                    errorMessage=f"still pending after {timeout:g} s", status="EmailVerificationInProgress")
             for region, account in sorted(waiting)]
    return done


# ------------------------------------------------------------------------------- status


def status_document(regions: Sequence[str], inventories: Mapping[str, Mapping[str, Mapping[str, Any]]],
                    errors: Mapping[str, Result], targets: Sequence[Target] | None) -> dict[str, Any]:
    """The account x Region matrix (pure): statuses, counts per status and Region, what needs
    attention (including accounts of the file missing from a Region's inventory), errors."""
    readable = [r for r in regions if r in inventories]
    matrix: dict[str, dict[str, str]] = {}
    emails: dict[str, str] = {}
    kinds: dict[str, str] = {}  # the membership type, as the inventories show it
    by_kind: dict[str, dict[str, int]] = {}
    wanted = None if targets is None else {t.account_id for t in targets}
    for region in readable:
        for account, member in inventories[region].items():
            if wanted is not None and account not in wanted:
                continue
            matrix.setdefault(account, {})[region] = str(member.get("relationshipStatus"))
            kind = kinds[account] = membership_type(member)
            by_kind.setdefault(kind, {}).setdefault(region, 0)
            by_kind[kind][region] += 1
            if member.get("email"):
                emails[account] = str(member["email"])
    for target in targets or ():
        matrix.setdefault(target.account_id, {})
        if target.email:
            emails.setdefault(target.account_id, target.email)
    attention: list[dict[str, str]] = []
    counts: dict[str, dict[str, int]] = {}
    for account in sorted(matrix):
        for region in readable:
            status = matrix[account].get(region)
            if status is None:
                status = matrix[account][region] = "missing"
                if wanted is not None:
                    attention.append({"accountId": account, "region": region, "status": "missing",
                                      "reason": "in the file but not in this Region's inventory"})
            elif status in ATTENTION_REASONS:
                reason = ATTENTION_REASONS[status]
                if status == "Removed" and kinds.get(account) == ORGANIZATION:
                    reason = "an Organizations member disassociated by the administrator: add it again or delete it"
                attention.append({"accountId": account, "region": region, "status": status, "reason": reason})
            counts.setdefault(status, {}).setdefault(region, 0)
            counts[status][region] += 1
    return {
        "regions": list(regions),
        "accounts": [{"accountId": a, "email": emails.get(a), "membershipType": kinds.get(a), "statuses": matrix[a]}
                     for a in sorted(matrix)],
        "counts": {s: dict(sorted(by.items())) for s, by in sorted(counts.items())},
        "countsByMembershipType": {k: dict(sorted(by.items())) for k, by in sorted(by_kind.items())},
        "attention": attention,
        "errors": [{"region": r, "errorCode": e.errorCode, "errorMessage": e.errorMessage}
                   for r, e in sorted(errors.items())],
    }


def status(session: RunSession, targets: Sequence[Target] | None) -> int:
    regions = session.regions()
    inventories, errors = session.inventories(regions)
    session.renderer.status(status_document(regions, inventories, errors, targets))
    if session.config.output in ("text", "csv") or session.config.query is not None:
        # These forms have no place for a Region's error: say it on stderr.
        for region, error in sorted(errors.items()):
            session.renderer.warn(f"{region}: the inventory can't be read ({error.errorCode}: {error.errorMessage})")
    return 254 if errors else 0

