"""The workflow commands: onboard, sync, offboard, accept-invitations, status.

They read the console CSV where they take accounts, work on one Region or many (``--regions``,
``--all-regions``), write result records and ``--report`` like the bulk commands, and have
``--dry-run`` (and ``onboard --plan``, ``sync --plan``). The flows are in :mod:`macie_members.flows.workflows`,
:mod:`macie_members.flows.bulk` (offboard) and :mod:`macie_members.flows.member_side`.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

import click

from macie_members.cli.global_options import Seconds, complete_files, global_options, start
from macie_members.cli.options import RunFlags, read_targets, run_options, targets_from
from macie_members.domain import role_name_problem
from macie_members.errors import InputError
from macie_members.inputs import checks as validation
from macie_members.inputs.role_session import (
    default_session_name,
    external_id_problem,
    session_name_problem,
)

if TYPE_CHECKING:
    from macie_members.flows.member_side import RoleAccess

DEFAULT_WAIT_TIMEOUT = 300.0

F = TypeVar("F", bound=Callable[..., Any])


def _file_or_ids(arguments: tuple[str, ...], account_ids: tuple[str, ...]) -> tuple[str | None, tuple[str, ...]]:
    """``--account-ids`` takes space-separated values as in the AWS CLI: the values after the
    first one arrive as arguments. Without ``--account-ids``, the one argument is the CSV."""
    if account_ids:
        files = [a for a in arguments if not a.replace(",", "").strip().isdigit() and (a.endswith(".csv")
                                                                                      or os.path.exists(a))]
        if files:
            raise click.UsageError(f"Give either an accounts file ({files[0]}) or --account-ids, not both.")
        return None, account_ids + arguments
    if len(arguments) > 1:
        raise click.UsageError(f"Expected one accounts file, got: {' '.join(arguments)}")
    return (arguments[0] if arguments else None), ()


def _onboarding_options(plan_help: str) -> Callable[[F], F]:
    """The options onboard and sync share (sync adds --prune and --detailed-exitcode)."""
    options = [
        click.option("--message", metavar="TEXT", help="A message for the invitations (at most 80 characters)."),
        click.option("--disable-email-notification/--no-disable-email-notification", default=None,
                     help="Do not (or do) send the invitations by email."),
        click.option("--plan", "plan_only", is_flag=True, default=False, help=plan_help),
        click.option("--wait", is_flag=True, default=False,
                     help="After inviting, wait until each invited account is Invited or Enabled (or failed)."),
        click.option("--timeout", type=Seconds(), default=None,
                     help=f"Seconds --wait waits at most (default: {DEFAULT_WAIT_TIMEOUT:g})."),
    ]

    def decorate(func: F) -> F:
        for option in reversed(options):
            func = option(func)
        return func

    return decorate


def _converge(ctx: click.Context, accounts_csv: str, flags: RunFlags, *, message: str | None,
              disable_email_notification: bool | None, plan_only: bool, wait: bool, timeout: float | None,
              sync: bool = False, prune: bool = False, detailed_exitcode: bool = False) -> int:
    """Check the options (nothing is read or sent before), read the CSV, run the one flow of
    onboard and sync."""
    from macie_members.flows.workflows import Onboarding, converge

    if message is not None:
        validation.check_create_invitations({"message": message})
    if detailed_exitcode and not plan_only:
        raise InputError("--detailed-exitcode is the exit code of a plan: use it with --plan "
                         "(0: no drift, 2: drift).")
    if plan_only:
        given = [name for name, on in (("--report", flags.report is not None), ("--dry-run", flags.given.dry_run),
                                       ("--wait", wait)) if on]
        if given:
            raise InputError(f"--plan can't be combined with {', '.join(given)}: a plan only reads and prints "
                             "what a run would do.")
    if timeout is not None and not wait:
        raise InputError("--timeout is how long --wait waits: use it with --wait.")
    if wait and flags.given.dry_run:
        raise InputError("--wait can't be combined with --dry-run: a dry run invites nobody to wait for.")
    if timeout is None:
        timeout = DEFAULT_WAIT_TIMEOUT
    targets = read_targets(accounts_csv, require_email=True)
    spec = Onboarding(tuple(targets), disable_email_notification, message, plan_only, wait, timeout,
                      sync=sync, prune=prune, detailed_exitcode=detailed_exitcode)
    options = flags.options(bulk=True, records=True, csv=True, table_on_terminal=sync and plan_only)
    with start(ctx, options) as session:
        return converge(session, spec)


@click.command(
    "onboard",
    epilog="""\b
Examples:
  macie-members onboard accounts.csv --regions us-east-1,eu-west-1 --plan
  macie-members onboard accounts.csv --all-regions --disable-email-notification --report onboard.jsonl
  macie-members onboard accounts.csv --wait --timeout 600""",
)
@click.argument("accounts_csv", metavar="ACCOUNTS.csv", shell_complete=complete_files)
@_onboarding_options("Print what would happen per Region (reads only) and send nothing.")
@run_options(accounts_file=False)
@global_options
@click.pass_context
def onboard(ctx: click.Context, /, accounts_csv: str, message: str | None, disable_email_notification: bool | None,
            plan_only: bool, wait: bool, timeout: float | None, **run: Any) -> int:
    """Bring each Region's inventory in line with a console CSV: add, invite, fix.

    Lists each Region's whole inventory first, adds missing accounts, invites accounts in
    Created, Removed or Resigned, leaves pending and member accounts alone, re-adds accounts
    whose email failed verification when the file has another email (and reports them
    otherwise). Running it twice on the same file sends no mutating request the second time.
    """
    return _converge(ctx, accounts_csv, RunFlags.of(run), message=message,
                     disable_email_notification=disable_email_notification, plan_only=plan_only, wait=wait,
                     timeout=timeout)


@click.command(
    "sync",
    epilog="""\b
Examples:
  macie-members sync accounts.csv --all-regions --prune --plan --detailed-exitcode
  macie-members sync accounts.csv --regions us-east-1,eu-west-1 --prune --yes --report sync.jsonl
  macie-members sync accounts.csv --plan --output table""",
)
@click.argument("accounts_csv", metavar="ACCOUNTS.csv", shell_complete=complete_files)
@click.option("--prune", is_flag=True, default=False,
              help="Remove (disassociate, then delete) the members and pending accounts that are not in the "
                   "file; without it they are kept and shown as extra.")
@_onboarding_options("Print the plan per Region (reads only) and send nothing: a table on a terminal, else JSON.")
@click.option("--detailed-exitcode", is_flag=True, default=False,
              help="With --plan: exit 0 when there is no drift, 2 when there is (254 when a Region can't be read).")
@run_options(accounts_file=False)
@global_options
@click.pass_context
def sync(ctx: click.Context, /, accounts_csv: str, prune: bool, message: str | None,
         disable_email_notification: bool | None, plan_only: bool, wait: bool, timeout: float | None,
         detailed_exitcode: bool, **run: Any) -> int:
    """Make each Region's membership the console CSV: the file as the source of truth.

    For the accounts of the file, onboard's decisions (add, invite, re-add, or attention). The
    members and pending accounts (Enabled, Paused, Invited, EmailVerificationInProgress) that are
    not in the file are extra: kept and shown, or with --prune removed first (asks on a terminal,
    else needs --yes). Other accounts not in the file are not members: left alone. A second run
    sends no mutating request. --plan --detailed-exitcode: 0 no drift, 2 drift.
    """
    return _converge(ctx, accounts_csv, RunFlags.of(run), message=message,
                     disable_email_notification=disable_email_notification, plan_only=plan_only, wait=wait,
                     timeout=timeout, sync=True, prune=prune, detailed_exitcode=detailed_exitcode)


@click.command(
    "offboard",
    epilog="""\b
Examples:
  macie-members offboard leavers.csv --regions us-east-1,eu-west-1 --yes
  macie-members offboard --account-ids 111111111111 222222222222 --all-regions --dry-run""",
)
@click.argument("arguments", nargs=-1, metavar="[ACCOUNTS.csv]", shell_complete=complete_files)
@click.option("--account-ids", multiple=True, metavar="ID...", help="Account ids (space- or comma-separated, repeatable).")
@run_options(accounts_file=False)
@global_options
@click.pass_context
def offboard(ctx: click.Context, /, arguments: tuple[str, ...], account_ids: tuple[str, ...], **run: Any) -> int:
    """Disassociate members, then delete their associations, in each Region.

    Accounts already gone are skipped, so a rerun finishes an interrupted run.
    """
    from macie_members.flows import bulk

    accounts_csv, ids = _file_or_ids(arguments, account_ids)
    targets = targets_from(accounts_csv, ids, require_email=False)
    flags = RunFlags.of(run)
    with start(ctx, flags.options(bulk=True, records=True, csv=True)) as session:
        return bulk.run_bulk(session, bulk.OFFBOARD, targets)


@click.command(
    "accept-invitations",
    epilog="""\b
Examples:
  macie-members accept-invitations --role-name OrganizationAccountAccessRole --accounts-file accounts.csv
  macie-members accept-invitations --role-name MacieAccept --account-ids 111111111111 --regions us-east-1,eu-west-1 --enable-macie""",
)
@click.option("--role-name", metavar="ROLE",
              help="The role to assume in each member account (the accounts file's Role column, a role name or "
                   "ARN, goes over it; needed unless every row has one).")
@click.option("--external-id", metavar="ID", help="The external id the roles' trust policies require (sts:ExternalId).")
@click.option("--role-session-name", metavar="NAME",
              help="The session name of each assumed role, as CloudTrail shows it (default: macie-members-USER).")
@click.option("--accounts-file", metavar="CSV", shell_complete=complete_files, help="The member accounts (Account ID column).")
@click.option("--account-ids", multiple=True, metavar="ID...", help="Member account ids (space- or comma-separated, repeatable).")
@click.option("--enable-macie", is_flag=True, default=False, help="Enable Macie in member accounts where it is not enabled.")
@run_options(accounts_file=False)
@global_options
@click.argument("more_ids", nargs=-1, metavar="")
@click.pass_context
def accept_invitations(ctx: click.Context, /, more_ids: tuple[str, ...], role_name: str | None, external_id: str | None,
                       role_session_name: str | None, accounts_file: str | None, account_ids: tuple[str, ...],
                       enable_macie: bool, **run: Any) -> int:
    """Accept, as each member account, the invitation your account sent (member side).

    With your (the administrator's) credentials, assumes arn:PARTITION:iam::MEMBER:role/ROLE in
    each member account and accepts the pending invitation from your account, never another
    sender's. Roles that can't be assumed and accounts without Macie are failed results.
    """
    from macie_members.flows.member_side import accept_invitations as accept

    if more_ids and not account_ids:
        raise click.UsageError(f"Unexpected arguments: {' '.join(more_ids)}")
    if role_name is None and accounts_file is None:
        raise click.UsageError("Missing option '--role-name' (or an accounts file with a Role column).")
    access = role_access(role_name, external_id, role_session_name)
    targets = targets_from(accounts_file, account_ids + more_ids, require_email=False)
    if role_name is None and (missing := [t for t in targets if t.role is None and t.profile is None]):
        raise InputError("\n".join(f"{t.origin}: account {t.account_id} has no Role, and no --role-name was given "
                                   "(give --role-name, or a role on each row)" for t in missing))
    access = dataclasses.replace(access, roles={t.account_id: t.role for t in targets if t.role},
                                 profiles={t.account_id: t.profile for t in targets if t.profile})
    flags = RunFlags.of(run)
    with start(ctx, flags.options(bulk=True, records=True, csv=True)) as session:
        return accept(session, [t.account_id for t in targets], access=access, enable_macie=enable_macie)


def role_access(role_name: str | None, external_id: str | None, session_name: str | None) -> RoleAccess:
    """The role options, checked before the first request (each problem: exit 252, one line).
    The default session name names the tool and the local user, so CloudTrail shows who ran it."""
    from macie_members.flows.member_side import RoleAccess

    for value, problem_of, option in ((role_name, role_name_problem, "--role-name"),
                                      (external_id, external_id_problem, "--external-id"),
                                      (session_name, session_name_problem, "--role-session-name")):
        if value is not None and (problem := problem_of(value)):
            raise click.BadParameter(problem, param_hint=f"'{option}'")
    if session_name is None:
        import getpass

        try:
            user = getpass.getuser()
        except (OSError, KeyError, ImportError):  # no user name in the environment or the user database
            user = ""
        session_name = default_session_name(user)
    return RoleAccess(role_name, session_name, external_id)


@click.command(
    "status",
    epilog="""\b
Examples:
  macie-members status --regions us-east-1,eu-west-1
  macie-members status --all-regions --accounts-file accounts.csv --output csv > status.csv""",
)
@click.option("--accounts-file", metavar="CSV", shell_complete=complete_files,
              help="Report these accounts (and those missing from a Region's inventory).")
@run_options(accounts_file=False, mutating=False, report=False)
@global_options
@click.pass_context
def status(ctx: click.Context, /, accounts_file: str | None, **run: Any) -> int:
    """An account x Region matrix of relationship statuses, with counts and what needs attention.

    A table (a colour per status on a terminal), or --output json, csv or text. Needs attention:
    EmailVerificationFailed, Resigned, Removed, RegionDisabled, AccountSuspended, and accounts of
    the file missing from a Region's inventory.
    """
    from macie_members.flows.workflows import status as run_status

    targets = read_targets(accounts_file, require_email=False) if accounts_file else None
    flags = RunFlags.of(run)
    with start(ctx, flags.options(bulk=True, records=False, csv=True, table_on_terminal=True)) as session:
        return run_status(session, targets)


COMMANDS = [onboard, sync, offboard, accept_invitations, status]
