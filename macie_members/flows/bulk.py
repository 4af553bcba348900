"""Bulk runs of the member commands: ``--regions``, ``--all-regions``, ``--accounts-file``.

One flow for the five mutating commands (:func:`run_bulk`): read every Region's inventory
(``onlyAssociated=false``, 25 per page, Regions in parallel), plan (pure:
:mod:`macie_members.plan`), check the quota, then either print the plan's requests
(``--dry-run``) or ask for confirmation where needed and send them (:mod:`macie_members.run.executor`),
and print the records. A Region whose inventory can't be read gets a failed record per account;
the other Regions go on.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from macie_members.domain import Target
from macie_members.errors import ExitCode, InputError
from macie_members.plan.members import (
    new_places,
    plan_create_invitations,
    plan_create_member,
    plan_delete_member,
    plan_disassociate_member,
    plan_update_member_session,
    quota_problem,
)
from macie_members.plan.model import Inventory, Plan, fail
from macie_members.records import Result
from macie_members.run.session import RunSession


@dataclass(frozen=True)
class BulkAction:
    """One bulk command: its name, its planner, and what it changes."""

    name: str
    operation: str
    planner: Callable[[str, Inventory, Sequence[Target]], Plan]
    destructive: bool = False


def create_member(tags: Mapping[str, str] | None) -> BulkAction:
    return BulkAction("create-member", "CreateMember",
                      lambda region, inventory, targets: plan_create_member(region, inventory, targets, tags))


def create_invitations(disable_email_notification: bool | None, message: str | None) -> BulkAction:
    return BulkAction("create-invitations", "CreateInvitations",
                      lambda region, inventory, targets: plan_create_invitations(
                          region, inventory, targets, disable_email_notification, message))


def update_member_session(status: str) -> BulkAction:
    return BulkAction("update-member-session", "UpdateMemberSession",
                      lambda region, inventory, targets: plan_update_member_session(region, inventory, targets, status),
                      destructive=status == "PAUSED")


DISASSOCIATE_MEMBER = BulkAction("disassociate-member", "DisassociateMember", plan_disassociate_member, destructive=True)
DELETE_MEMBER = BulkAction("delete-member", "DeleteMember", plan_delete_member, destructive=True)


def warn(message: str) -> None:
    sys.stderr.write(f"{message}\n")
    sys.stderr.flush()


def region_failures(error: Result, targets: Sequence[Target]) -> list[Result]:
    """A Region whose inventory can't be read: one failed ``list-members`` record per account,
    with the error of the ListMembers request (nothing else was sent there)."""
    return [fail(error.region, t.account_id, "list-members", error.errorCode or "Error", error.errorMessage or "")
            for t in targets]


JOINING = ("CreateMember", "CreateInvitations")
QUOTA_CHUNK = 1000


def joining(plan: Plan) -> list[str]:
    """The accounts a plan adds or invites: after the run, they hold a place in the quota."""
    return [a for r in plan.requests() if r.operation in JOINING for a in r.accounts]


def plan_regions(session: RunSession, targets: Sequence[Target],
                 planner: Callable[[str, Inventory, Sequence[Target]], Plan]) -> tuple[Plan, dict[str, Result]]:
    """Read every Region's inventory and plan each Region; refuse (nothing sent) a plan that
    would take a Region past the quota. The Regions whose inventory can't be read come back
    apart (the plan holds a failed record per account there).

    The quota is checked first, planning :data:`QUOTA_CHUNK` accounts at a time, so that a file
    far over the quota is refused without its whole plan ever being in memory."""
    regions = session.regions()
    inventories, errors = session.inventories(regions)
    problems = []
    for region, inventory in inventories.items():
        new = sum(new_places(inventory, joining(planner(region, inventory, targets[start:start + QUOTA_CHUNK])))
                  for start in range(0, len(targets), QUOTA_CHUNK))
        if problem := quota_problem(region, inventory, new):
            problems.append(problem)
    if problems:
        raise InputError("Refusing to exceed the member quota; nothing was sent:\n" + "\n".join(problems))
    plan = Plan()
    for region in regions:
        if region in errors:
            plan.records.extend(region_failures(errors[region], targets))
        else:
            plan.extend(planner(region, inventories[region], targets))
    return plan, errors


def dry_run(session: RunSession, plan: Plan, errors: Mapping[str, Result]) -> int:
    """Print the requests the plan would send. What the run would find failed before sending
    (a Region whose inventory can't be read, an account not in the inventory, a role that can't
    be assumed...) is said on stderr, and the exit code is the run's: 254."""
    session.renderer.dry_run(plan.requests())
    for region, error in errors.items():
        warn(f"{region}: the inventory can't be read ({error.errorCode}: {error.errorMessage}); nothing is planned there")
    failed = [r for r in plan.records if r.outcome == "failed" and r.action != "list-members"]
    for record in failed:
        account = f"{record.accountId}: " if record.accountId else ""
        warn(f"{record.region}: {account}{record.action} would fail: {record.errorCode}: {record.errorMessage}")
    return int(ExitCode.SERVICE) if errors or failed else 0


def run_bulk(session: RunSession, action: BulkAction, targets: Sequence[Target]) -> int:
    if not targets:
        raise InputError("No accounts to act on.")
    regions = session.regions()
    what = f"{action.name} for {len(targets)} account(s) in {len(regions)} Region(s)"
    confirm = action.destructive and session.destructive(len(targets) * len(regions))
    if confirm:
        session.check_can_confirm(what)
    plan, errors = plan_regions(session, targets, action.planner)
    if session.config.dry_run:
        return dry_run(session, plan, errors)
    if confirm and plan.jobs:
        session.confirm(what)
    session.execute(plan)
    return session.finish(action.operation)
