"""Workflows beyond the AWS CLI: onboard, offboard, status.

Each reads every Region's inventory first (``onlyAssociated=false``), plans from it with the
pure planners of :mod:`macie_members.planners`, and sends only what the plan needs, so running
a workflow twice sends no mutating request the second time. Records (schema in
:mod:`macie_members.records`) are written as each request is answered.

``onboard`` (decisions in :func:`~macie_members.planners.decide_onboarding`) works in two
phases: CreateMember for the accounts to add (DeleteMember first for those re-added with a new
email), then CreateInvitations, 50 ids per request, for the accounts to invite and those the
first phase added. ``--wait`` then polls each Region's inventory until every invited account is
Invited or Enabled (or failed), or ``--timeout`` seconds have passed.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from .bulk import dry_run, plan_regions, region_failures, warn
from .domain import ATTENTION_REASONS, PENDING, Target
from .errors import InputError
from .planners import (
    INVITATION_BATCH,
    Plan,
    RegionPlan,
    decide_onboarding,
    new_places,
    onboarding_adds,
    onboarding_invitations,
    onboarding_records,
    plan_offboard,
    quota_problem,
)
from .records import Result
from .session import RunSession

WAIT_FIRST_DELAY = 1.0
WAIT_MAX_DELAY = 30.0
SETTLED = ("Invited", "Enabled", "Paused")


# ------------------------------------------------------------------------------ onboard


@dataclass(frozen=True)
class Onboarding:
    targets: tuple[Target, ...]
    disable_email_notification: bool | None = None
    message: str | None = None
    plan_only: bool = False
    wait: bool = False
    timeout: float = 300.0


def onboard(session: RunSession, spec: Onboarding, *, clock: Callable[[], float] = time.monotonic,
            sleep: Callable[[float], None] = time.sleep) -> int:
    regions = session.regions()
    inventories, errors = session.inventories(regions)
    plans = []
    for region in regions:
        if region in errors:
            plans.append(RegionPlan(region, error=errors[region]))
        else:
            plans.append(decide_onboarding(region, inventories[region], spec.targets))
    problems = [problem for p in plans if p.error is None
                if (problem := quota_problem(p.region, inventories[p.region],
                                             new_places(inventories[p.region], p.joining())))]
    if problems:
        raise InputError("Refusing to exceed the member quota; nothing was sent:\n" + "\n".join(problems))
    if spec.plan_only:
        session.renderer.plan({"plan": [p.to_json() for p in plans]})
        return 254 if errors else 0

    decided = Plan()
    adds = Plan()
    for p in plans:
        if p.error is not None:
            decided.records.extend(region_failures(p.error, spec.targets))
            continue
        decided.records.extend(onboarding_records(p))
        adds.jobs.extend(onboarding_adds(p))
    if session.config.dry_run:
        assumed = Plan(jobs=list(adds.jobs))
        for p in plans:
            if p.error is None:
                added = [t.account_id for t in (*p.readd, *p.add)]
                assumed.jobs.extend(onboarding_invitations(p, added, spec.disable_email_notification, spec.message))
        return dry_run(session, assumed, errors)

    # The invitations of the second phase count as planned from the start, for Ctrl-C's message.
    session.ledger.plan(sum(-(-len(p.joining()) // INVITATION_BATCH) for p in plans if p.error is None))
    session.execute(decided.extend(adds))
    created = {(r.region, r.accountId) for r in session.results
               if r.action == "create-member" and r.outcome in ("ok", "skipped")}
    invitations = Plan()
    for p in plans:
        if p.error is None:
            added = [t.account_id for t in (*p.readd, *p.add) if (p.region, t.account_id) in created]
            invitations.jobs.extend(onboarding_invitations(p, added, spec.disable_email_notification, spec.message))
    invited = [r for r in session.execute(invitations) if r.outcome == "ok"]
    if spec.wait:
        # The accounts invited now, and those an earlier run invited that are still verifying.
        pending = {(r.region, r.accountId or "") for r in invited}
        pending |= {(p.region, t.account_id) for p in plans if p.error is None
                    for t, status in p.unchanged if status == "EmailVerificationInProgress"}
        wait_for_invitations(session, pending, timeout=spec.timeout, clock=clock, sleep=sleep)
    return session.finish("Onboard")


def wait_for_invitations(session: RunSession, pending: set[tuple[str, str]], *, timeout: float,
                         clock: Callable[[], float] = time.monotonic,
                         sleep: Callable[[float], None] = time.sleep) -> None:
    """``onboard --wait``: poll each Region's inventory until each (Region, account) of
    ``pending`` settles; one ``wait`` record per account."""

    def poll(regions: Sequence[str]) -> Mapping[str, Mapping[str, Mapping[str, Any]]]:
        return session.inventories(regions)[0]

    session.record(wait_until_settled(poll, pending, timeout=timeout, clock=clock, sleep=sleep))


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


# ----------------------------------------------------------------------------- offboard


def offboard(session: RunSession, targets: Sequence[Target]) -> int:
    regions = session.regions()
    what = f"offboard for {len(targets)} account(s) in {len(regions)} Region(s)"
    confirm = session.destructive(len(targets) * len(regions))
    if confirm:
        session.check_can_confirm(what)
    plan, errors = plan_regions(session, targets, plan_offboard)
    if session.config.dry_run:
        return dry_run(session, plan, errors)
    if confirm and plan.jobs:
        session.confirm(what)
    session.execute(plan)
    return session.finish("Offboard")


# ------------------------------------------------------------------------------- status


def status_document(regions: Sequence[str], inventories: Mapping[str, Mapping[str, Mapping[str, Any]]],
                    errors: Mapping[str, Result], targets: Sequence[Target] | None) -> dict[str, Any]:
    """The account x Region matrix (pure): statuses, counts per status and Region, what needs
    attention (including accounts of the file missing from a Region's inventory), errors."""
    readable = [r for r in regions if r in inventories]
    matrix: dict[str, dict[str, str]] = {}
    emails: dict[str, str] = {}
    wanted = None if targets is None else {t.account_id for t in targets}
    for region in readable:
        for account, member in inventories[region].items():
            if wanted is not None and account not in wanted:
                continue
            matrix.setdefault(account, {})[region] = str(member.get("relationshipStatus"))
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
                attention.append({"accountId": account, "region": region, "status": status,
                                  "reason": ATTENTION_REASONS[status]})
            counts.setdefault(status, {}).setdefault(region, 0)
            counts[status][region] += 1
    return {
        "regions": list(regions),
        "accounts": [{"accountId": a, "email": emails.get(a), "statuses": matrix[a]} for a in sorted(matrix)],
        "counts": {s: dict(sorted(by.items())) for s, by in sorted(counts.items())},
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
            warn(f"{region}: the inventory can't be read ({error.errorCode}: {error.errorMessage})")
    return 254 if errors else 0

