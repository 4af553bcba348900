"""The member side: ``accept-invitations`` (driven from the administrator's account), and the
member account's own commands across Regions (:func:`run_member_side`, picked by operation
name by :func:`run_across_regions`); both on the skeleton
:func:`~macie_members.flows.steps.run_planned`.

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
from dataclasses import dataclass, field
from typing import Any

from macie_members.aws.client import ApiError, MacieClient
from macie_members.domain import role_arn_for, role_arn_parts
from macie_members.errors import ServiceError
from macie_members.flows.steps import check_input, run_planned
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


@dataclass(frozen=True)
class RoleAccess:
    """How the run assumes a role in each member account: ``--role-name`` (with its path), the
    accounts file's Role column over it (a name or an ARN, per account), the session name
    CloudTrail shows, and the external id the roles' trust policies require."""

    role_name: str | None
    session_name: str
    external_id: str | None = None
    roles: Mapping[str, str] = field(default_factory=dict)
    profiles: Mapping[str, str] = field(default_factory=dict)
    """Accounts reached through an AWS CLI profile of their own instead of a role."""

    def role_arn(self, account_id: str, partition: str) -> str:
        role = self.roles.get(account_id) or self.role_name
        assert role is not None, "every account has a role: checked before the run"
        return role_arn_for(account_id, partition, role)


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
    invitations = tuple(dict(i) for i in client.read_all("ListInvitations", "invitations"))
    administrator = None
    if enabled:
        administrator = dict(client.get_administrator_account().get("administrator") or {})
    return MemberState(enabled, invitations, administrator)


# ------------------------------------------------------------------------ accept-invitations


def accept_invitations(session: RunSession, members: Sequence[str], *, access: RoleAccess, enable_macie: bool) -> int:
    """Assume the role in each member account, read each member's state in each Region, plan the
    acceptances, and send them as each member (nothing destructive: a plan of EnableMacie and
    AcceptInvitation asks no confirmation)."""
    credentials: dict[str, Mapping[str, str]] = {}

    def plan() -> tuple[Plan, Mapping[str, Result]]:
        regions = session.regions()
        admin = caller_identity(session, regions[0])
        found, failed = _assume_roles(session, regions[0], admin, members, access)
        credentials.update(found)
        planned = Plan(records=[fail(region, member, "assume-role", *failed[member])
                                for member in members if member in failed for region in regions])
        pairs = [(m, r) for r in regions for m in members if m in credentials]
        states, unread = session.read_each(
            lambda pair: read_member_state(session.member_macie(pair[0], pair[1], credentials[pair[0]])), pairs)
        for member, region in pairs:
            if (member, region) in unread:
                planned.records.append(fail(region, member, "accept-invitation", *unread[(member, region)]))
            else:
                planned.extend(plan_acceptance(region, member, states[(member, region)], admin.account_id,
                                               enable_macie=enable_macie))
        return planned, {}

    def client_for(job: Job) -> MacieClient:
        member = job.accounts[0]
        return session.member_macie(member, job.region, credentials[member])

    return run_planned(session, what="accept-invitations", plan=plan, title="AcceptInvitations", client_for=client_for)


def _assume_roles(session: RunSession, region: str, admin: Identity, members: Sequence[str],
                  access: RoleAccess) -> tuple[dict[str, Mapping[str, str]], dict[str, tuple[str, str]]]:
    """The role of each member account assumed (its Role in the file, or
    ``arn:<partition>:iam::<member>:role/<role_name>``): the credentials, and the error of each
    role that can't be assumed."""
    sts = session.sts(region)

    def assume(member: str) -> Mapping[str, str]:
        if member in access.profiles:
            return _profile_credentials(session, region, member, access.profiles[member])
        role_arn = access.role_arn(member, admin.partition)
        parts = role_arn_parts(role_arn)
        if parts is not None and parts[0] != admin.partition:  # never assumable with these credentials
            raise WrongPartition(f"role {role_arn} is in partition {parts[0]}, the administrator's is "
                                 f"{admin.partition}: not assumed")
        answer = sts.assume_role(role_arn=role_arn, session_name=access.session_name, external_id=access.external_id)
        return dict(answer["Credentials"])  # type: ignore[arg-type]

    return session.read_each(assume, members)


class WrongAccount(ServiceError):
    """A member's profile is another account's (that account's failure)."""

    code = "WrongAccount"


class WrongPartition(ServiceError):
    """A member's Role ARN is in another partition than the administrator's (that account's
    failure, before any request: STS of one partition never grants a role of another)."""

    code = "WrongPartition"


def _profile_credentials(session: RunSession, region: str, member: str, profile: str) -> Mapping[str, str]:
    """The credentials of the member's own profile, once sts:GetCallerIdentity (with them) says
    they are that account's: a profile of another account acts on nothing."""
    from macie_members.aws.botocore_session import profile_credentials

    credentials = profile_credentials(profile)
    account = str(session.member_sts(member, region, credentials).get_caller_identity()["Account"])
    if account != member:
        raise WrongAccount(f"profile {profile} is account {account}, not {member}")
    return credentials


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
ACTIONS = {a.operation: a for a in (DECLINE_INVITATIONS, DELETE_INVITATIONS, DISASSOCIATE_FROM_ADMINISTRATOR)}


def run_across_regions(run: RunSession, operation: str, params: Mapping[str, Any],
                       check: Callable[[Mapping[str, Any]], None]) -> int:
    """A member-side drop-in command across Regions (``decline-invitations``...): its input
    checked before anything is sent, then its :class:`MemberSideAction` on the administrators
    of ``accountIds`` (none for ``disassociate-from-administrator-account``)."""
    check_input(run, operation, params, check)
    with run as session:
        return run_member_side(session, ACTIONS[operation], list(dict.fromkeys(params.get("accountIds", []))))


def run_member_side(session: RunSession, action: MemberSideAction, administrators: Sequence[str]) -> int:
    """Read the member's state in every Region (GetMacieSession, ListInvitations,
    GetAdministratorAccount), plan (pure), then print the requests (``--dry-run``) or confirm
    (every one of these actions is destructive: an invitation declined or deleted, an
    organization left, can't be taken back) and send them. A Region whose state can't be read
    gets a failed record per administrator account; the others go on."""
    regions = session.regions()
    accounts: list[str | None] = list(administrators) or [None]

    def plan() -> tuple[Plan, Mapping[str, Result]]:
        states, failed = session.read_each(lambda region: read_member_state(session.macie(region)), regions)
        planned = Plan()
        for region in regions:
            if region in failed:
                planned.records.extend(fail(region, a, action.name, *failed[region]) for a in accounts)
            else:
                planned.extend(action.planner(region, states[region], administrators))
        return planned, {}

    return run_planned(session, what=action.name, plan=plan, title=action.operation)
