"""Bulk runs of the member commands (``--regions``, ``--all-regions``, ``--accounts-file``) and
``offboard``.

One flow for the five mutating commands and offboard, each a :class:`BulkAction` (:func:`run_bulk`,
on the skeleton :func:`~macie_members.flows.steps.run_planned`): read every Region's inventory
(``onlyAssociated=false``, 25 per page, Regions in parallel), plan (pure:
:mod:`macie_members.plan`), check the quota, then either print the plan's requests
(``--dry-run``) or ask for confirmation where needed and send them (:mod:`macie_members.run.executor`),
and print the records. A Region whose inventory can't be read gets a failed record per account;
the other Regions go on.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from macie_members.domain import Target
from macie_members.errors import InputError
from macie_members.flows.steps import Planner, plan_regions, refuse_own_account, run_planned
from macie_members.plan.members import (
    plan_create_invitations,
    plan_create_member,
    plan_delete_member,
    plan_disassociate_member,
    plan_offboard,
    plan_update_member_session,
)
from macie_members.run.session import RunSession


@dataclass(frozen=True)
class BulkAction:
    """One bulk command: its name, its operation (the title of its records: ``Offboard`` for
    offboard, which sends two) and its planner (whether its plan asks for confirmation is the
    plan's: :meth:`~macie_members.plan.model.Plan.changes`)."""

    name: str
    operation: str
    planner: Planner


def create_member(tags: Mapping[str, str] | None) -> BulkAction:
    return BulkAction("create-member", "CreateMember",
                      lambda region, inventory, targets: plan_create_member(region, inventory, targets, tags))


def create_invitations(disable_email_notification: bool | None, message: str | None) -> BulkAction:
    return BulkAction("create-invitations", "CreateInvitations",
                      lambda region, inventory, targets: plan_create_invitations(
                          region, inventory, targets, disable_email_notification, message))


def update_member_session(status: str) -> BulkAction:
    return BulkAction("update-member-session", "UpdateMemberSession",
                      lambda region, inventory, targets: plan_update_member_session(region, inventory, targets, status))


DISASSOCIATE_MEMBER = BulkAction("disassociate-member", "DisassociateMember", plan_disassociate_member)
DELETE_MEMBER = BulkAction("delete-member", "DeleteMember", plan_delete_member)
OFFBOARD = BulkAction("offboard", "Offboard", plan_offboard)


def action_for(operation: str, params: Mapping[str, Any]) -> BulkAction:
    """The bulk action of a drop-in command (``CreateMember``...), with the command's options."""
    if operation == "CreateMember":
        return create_member(params.get("tags"))
    if operation == "CreateInvitations":
        return create_invitations(params.get("disableEmailNotification"), params.get("message"))
    if operation == "UpdateMemberSession":
        return update_member_session(str(params["status"]))
    return {a.operation: a for a in (DISASSOCIATE_MEMBER, DELETE_MEMBER)}[operation]


def run_bulk(session: RunSession, action: BulkAction, targets: Sequence[Target]) -> int:
    if not targets:
        raise InputError("No accounts to act on.")
    refuse_own_account(session, targets)
    return run_planned(session, what=action.name, plan=lambda: plan_regions(session, targets, action.planner),
                       title=action.operation)
