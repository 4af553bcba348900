"""The member side: ``accept-invitations`` (driven from the administrator's account), and the
member account's own commands across Regions (:func:`run_member_side`).

With the administrator's credentials, the run finds its own account and partition
(``sts:GetCallerIdentity``), assumes ``arn:<partition>:iam::<member>:role/<ROLE>`` in each member
account, reads each member's state in each Region (GetMacieSession, ListInvitations,
GetAdministratorAccount), plans (:func:`~macie_members.plan.member_side.plan_acceptance`: the newest
pending invitation from this administrator, never another sender's), and sends EnableMacie (with
``--enable-macie``) and AcceptInvitation. Every request, STS included, is paced and retried like
any other (:mod:`macie_members.aws.client`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from macie_members.aws.client import ApiError, MacieClient
from macie_members.errors import ConfigError, MacieMembersError
from macie_members.flows.bulk import dry_run
from macie_members.plan.member_side import (
    MemberState,
    plan_acceptance,
    plan_decline_invitations,
    plan_delete_invitations,
    plan_disassociate_from_administrator,
)
from macie_members.plan.model import Job, Plan, fail
from macie_members.records import Result
from macie_members.run.session import RunSession

SESSION_NAME = "macie-members-accept"


@dataclass(frozen=True)
class Identity:
    account_id: str
    partition: str


def caller_identity(session: RunSession, region: str) -> Identity:
    response = session.sts(region).get_caller_identity()
    arn = str(response["Arn"])
    return Identity(str(response["Account"]), arn.split(":")[1])


def read_member_state(client: MacieClient) -> MemberState:
    try:
        client.get_macie_session()
        enabled = True
    except ApiError as exc:
        if exc.code != "AccessDeniedException":
            raise
        enabled = False
    invitations: list[Mapping[str, Any]] = []
    token: str | None = None
    while True:
        page = client.list_invitations(**({"nextToken": token} if token else {}))
        invitations += [dict(i) for i in page.get("invitations", [])]
        token = page.get("nextToken")
        if not token:
            break
    administrator = None
    if enabled:
        administrator = dict(client.get_administrator_account().get("administrator") or {})
    return MemberState(enabled, tuple(invitations), administrator)


def error_record(region: str, account: str | None, action: str, exc: MacieMembersError) -> Result:
    return fail(region, account, action, *_code_message(exc))


def accept_invitations(session: RunSession, members: Sequence[str], *, role_name: str, enable_macie: bool) -> int:
    regions = session.regions()
    admin = caller_identity(session, regions[0])
    sts = session.sts(regions[0])
    credentials: dict[str, Mapping[str, str]] = {}
    plan = Plan()

    def assume(member: str) -> Mapping[str, str]:
        arn = f"arn:{admin.partition}:iam::{member}:role/{role_name}"
        return dict(sts.assume_role(role_arn=arn, session_name=SESSION_NAME)["Credentials"])  # type: ignore[arg-type]

    for outcome in session.executor().map(assume, list(members)):
        if outcome.error is None:
            credentials[outcome.item] = outcome.value
        elif isinstance(outcome.error, ConfigError) or not isinstance(outcome.error, MacieMembersError):
            raise outcome.error
        else:
            plan.records += [error_record(region, outcome.item, "assume-role", outcome.error) for region in regions]

    def prepare(pair: tuple[str, str]) -> Plan:
        member, region = pair
        try:
            state = read_member_state(session.member_macie(member, region, credentials[member]))
        except ConfigError:
            raise
        except MacieMembersError as exc:
            return Plan(records=[error_record(region, member, "accept-invitation", exc)])
        return plan_acceptance(region, member, state, admin.account_id, enable_macie=enable_macie)

    pairs = [(m, r) for r in regions for m in members if m in credentials]
    for prepared in session.executor().map(prepare, pairs):
        if prepared.error is not None:
            raise prepared.error
        plan.extend(prepared.value)
    if session.config.dry_run:
        return dry_run(session, plan, {})

    def client_for(job: Job) -> MacieClient:
        member = job.accounts[0]
        return session.member_macie(member, job.region, credentials[member])

    session.execute(plan, client_for=client_for)
    return session.finish("AcceptInvitations")


# ------------------------------------------------- the member account's own commands, across Regions


@dataclass(frozen=True)
class MemberSideAction:
    """A member-side command run across Regions with the run's own (the member's) credentials."""

    name: str
    operation: str
    planner: Callable[[str, MemberState, Sequence[str]], Plan]


DECLINE_INVITATIONS = MemberSideAction("decline-invitations", "DeclineInvitations", plan_decline_invitations)
DELETE_INVITATIONS = MemberSideAction("delete-invitations", "DeleteInvitations", plan_delete_invitations)
DISASSOCIATE_FROM_ADMINISTRATOR = MemberSideAction(
    "disassociate-from-administrator-account", "DisassociateFromAdministratorAccount",
    lambda region, state, _administrators: plan_disassociate_from_administrator(region, state))


def run_member_side(session: RunSession, action: MemberSideAction, administrators: Sequence[str]) -> int:
    """Read the member's state in every Region (GetMacieSession, ListInvitations,
    GetAdministratorAccount), plan (pure), then print the requests (``--dry-run``) or confirm
    (every one of these actions is destructive: an invitation declined or deleted, an
    organization left, can't be taken back) and send them. A Region whose state can't be read
    gets a failed record per administrator account; the others go on."""
    regions = session.regions()
    count = len(regions) * max(1, len(administrators))
    what = f"{action.name} in {len(regions)} Region(s)"
    if administrators:
        what = f"{action.name} for {len(administrators)} account(s) in {len(regions)} Region(s)"
    confirm = session.destructive(count)
    if confirm:
        session.check_can_confirm(what)

    accounts: list[str | None] = list(administrators) or [None]

    def prepare(region: str) -> Plan:
        try:
            state = read_member_state(session.macie(region))
        except ConfigError:
            raise
        except MacieMembersError as exc:
            return Plan(records=[error_record(region, a, action.name, exc) for a in accounts])
        return action.planner(region, state, administrators)

    plans: dict[str, Plan] = {}
    for prepared in session.executor().map(prepare, regions):
        if prepared.error is not None:
            raise prepared.error
        plans[prepared.item] = prepared.value
    plan = Plan()
    for region in regions:  # in the Regions' order, whatever order they were read in
        plan.extend(plans[region])
    if session.config.dry_run:
        return dry_run(session, plan, {})
    if confirm and plan.jobs:
        session.confirm(what)
    session.execute(plan)
    return session.finish(action.operation)


def _code_message(exc: MacieMembersError) -> tuple[str, str]:
    return (str(getattr(exc, "code", None) or type(exc).__name__), str(getattr(exc, "error_message", None) or exc))
