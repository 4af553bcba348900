"""The other ten ``aws macie2`` membership commands, drop-in compatible.

Administrator side: ``get-member``. Member side (run with the member account's credentials):
``list-invitations``, ``accept-invitation``, ``decline-invitations``, ``delete-invitations``,
``get-invitations-count``, ``get-administrator-account``,
``disassociate-from-administrator-account``; and the deprecated aliases the AWS CLI still
ships, ``get-master-account`` and ``disassociate-from-master-account``.

Each takes the AWS CLI's options and input syntax, ``--cli-input-json`` and
``--generate-cli-skeleton``, and prints what the AWS CLI prints (an empty answer prints
nothing). Across Regions (``--regions``, ``--all-regions``):

* the reads ``get-member``, ``list-invitations`` and ``get-administrator-account`` print
  ``{"regions": [{"region": R, <the answer>}, ...]}``, as ``list-members`` does;
* ``decline-invitations``, ``delete-invitations`` and ``disassociate-from-administrator-account``
  read the member's state in each Region first, send only what is still to do, and print result
  records (:mod:`macie_members.flows.member_side`); they are destructive, so on more than one
  (account, Region) they ask for confirmation on a terminal and need ``--yes`` otherwise.

``accept-invitation``, ``get-invitations-count`` and the two deprecated aliases run in one
Region (they have no ``--regions``): ``accept-invitations`` is the bulk way to accept.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import click

from macie_members.cli.admin import Listing, common_options, paging_options, run_listing
from macie_members.cli.global_options import start
from macie_members.cli.operation import Operation, merge_input, require, run_single
from macie_members.cli.options import RunFlags, run_options
from macie_members.domain import MUTATING
from macie_members.inputs import checks as validation


def _across_regions(ctx: click.Context, flags: RunFlags, operation: Operation, params: Mapping[str, Any],
                    check: Callable[[Mapping[str, Any]], None], *, key: str | None) -> int:
    """A command across Regions: a read with ``key`` (:func:`~macie_members.flows.dropin.read_across_regions`),
    else a member-side action (:func:`~macie_members.flows.member_side.run_across_regions`); the
    flow checks the input before anything is sent."""
    require(operation, params)
    run = start(ctx, flags.options(bulk=True, records=key is None, csv=True))
    if key is not None:
        from macie_members.flows.dropin import read_across_regions

        return read_across_regions(run, operation.name, params, check, key=key)
    from macie_members.flows.member_side import run_across_regions

    return run_across_regions(run, operation.name, params, check)


# --------------------------------------------------------------------------- get-member


@click.command(
    "get-member",
    epilog="""\b
Examples:
  macie-members get-member --id 111111111111
  macie-members get-member --id 111111111111 --query relationshipStatus --output text
  macie-members get-member --id 111111111111 --all-regions --query 'regions[].[region,relationshipStatus]'""",
)
@click.option("--id", "id_", metavar="ID", help="The account id of the member (or inventory account).")
@run_options(accounts_file=False, mutating=False, report=False)
@common_options
@click.pass_context
def get_member(ctx: click.Context, /, id_: str | None, cli_input_json: str | None, generate_cli_skeleton: str | None,
               **run: Any) -> int:
    """Show an account of your inventory: its email, status, administrator, tags, dates.

    With --regions R1,R2 or --all-regions: {"regions": [{"region": R, <the account>}, ...]}; a
    Region where it can't be read (not in that Region's inventory, say) shows its errorCode and
    errorMessage, and the exit code is 254.
    """

    def params() -> dict[str, Any]:
        return {} if id_ is None else {"id": id_}

    flags = RunFlags.of(run)
    operation = Operation("GetMember", required=("id",))
    if flags.multi_region() and generate_cli_skeleton is None:
        return _across_regions(ctx, flags, operation, merge_input(cli_input_json, params()), validation.check_member_id,
                               key="member")
    return run_single(ctx, operation, params, cli_input_json=cli_input_json, skeleton=generate_cli_skeleton,
                      check=validation.check_member_id, flags=flags)


# --------------------------------------------------------------------- list-invitations


@click.command(
    "list-invitations",
    epilog="""\b
Examples:
  macie-members list-invitations
  macie-members list-invitations --query 'invitations[?relationshipStatus==`Invited`].accountId' --output text
  macie-members list-invitations --all-regions --output table""",
)
@paging_options
@run_options(accounts_file=False, mutating=False, report=False)
@common_options
@click.pass_context
def list_invitations(ctx: click.Context, /, max_items: int | None, starting_token: str | None, page_size: int | None,
                     max_results: int | None, next_token: str | None, cli_input_json: str | None,
                     generate_cli_skeleton: str | None, **run: Any) -> int:
    """List the invitations your account received (member side): every one not deleted, with
    the sender's account id and its status (all pages, unless --max-items).

    With --regions R1,R2 or --all-regions: {"regions": [{"region": R, "invitations": [...]}, ...]},
    each Region listed whole (--max-items, --starting-token, --no-paginate are refused).
    """
    from macie_members.flows.dropin import Paging

    def params() -> dict[str, Any]:
        given = (("maxResults", max_results), ("nextToken", next_token))
        return {k: v for k, v in given if v is not None}

    return run_listing(ctx, Listing("ListInvitations", "invitations", validation.check_list_members), params,
                       Paging(max_items, page_size, starting_token), max_results=max_results, next_token=next_token,
                       cli_input_json=cli_input_json, skeleton=generate_cli_skeleton, flags=RunFlags.of(run))


# -------------------------------------------------------------------- accept-invitation


@click.command(
    "accept-invitation",
    epilog="""\b
Examples:
  macie-members accept-invitation --administrator-account-id 123456789012 \\
      --invitation-id 6ea8a5b8c4a2b3e1d0f9e8d7c6b5a4f3
  (to accept in many accounts and Regions from the administrator's account: accept-invitations)""",
)
@click.option("--administrator-account-id", metavar="ID", help="The account id of the administrator that invited you.")
@click.option("--invitation-id", metavar="ID", help="The invitation's id (list-invitations shows it).")
@click.option("--master-account", metavar="ID", help="Deprecated: use --administrator-account-id.")
@run_options(accounts_file=False, regions=False,
             one_region_hint="To accept in many accounts and Regions from the administrator's account: "
                             "accept-invitations.")
@common_options
@click.pass_context
def accept_invitation(ctx: click.Context, /, administrator_account_id: str | None, invitation_id: str | None,
                      master_account: str | None, cli_input_json: str | None, generate_cli_skeleton: str | None,
                      **run: Any) -> int:
    """Accept an invitation to join an administrator's organization, in one Region (member side:
    run it with the member account's credentials; Macie must be enabled there)."""

    def params() -> dict[str, Any]:
        given = (("administratorAccountId", administrator_account_id), ("invitationId", invitation_id),
                 ("masterAccount", master_account))
        return {k: v for k, v in given if v is not None}

    return run_single(ctx, Operation("AcceptInvitation", required=("invitationId",)), params,
                      cli_input_json=cli_input_json, skeleton=generate_cli_skeleton,
                      check=validation.check_accept_invitation, flags=RunFlags.of(run))


# ------------------------------------------------------ decline-invitations, delete-invitations


def _invitations_command(name: str, operation: str, summary: str, across: str) -> click.Command:
    @click.command(name, help=f"{summary}\n\n{across}",
                   epilog=f"\b\nExamples:\n  macie-members {name} --account-ids 123456789012\n"
                          f"  macie-members {name} --account-ids 123456789012 --all-regions --yes")
    @click.option("--account-ids", metavar="VALUE...",
                  help="The administrators' account ids, space- or comma-separated, or a JSON list.")
    @run_options(accounts_file=False)
    @common_options
    @click.argument("more_account_ids", nargs=-1, metavar="")
    @click.pass_context
    def command(ctx: click.Context, /, account_ids: str | None, more_account_ids: tuple[str, ...],
                cli_input_json: str | None, generate_cli_skeleton: str | None, **run: Any) -> int:
        from macie_members.cli.admin import account_ids_param

        if more_account_ids and account_ids is None:
            raise click.UsageError(f"Unknown options: {' '.join(more_account_ids)}")

        def params() -> dict[str, Any]:
            return {} if account_ids is None else {"accountIds": account_ids_param([account_ids, *more_account_ids])}

        flags = RunFlags.of(run)
        op = Operation(operation, required=("accountIds",))
        if flags.multi_region() and generate_cli_skeleton is None:
            return _across_regions(ctx, flags, op, merge_input(cli_input_json, params()),
                                   validation.check_account_id_list, key=None)
        return run_single(ctx, op, params, cli_input_json=cli_input_json, skeleton=generate_cli_skeleton,
                          check=validation.check_account_id_list, flags=flags)

    return command


_ACROSS = ("With --regions R1,R2 or --all-regions: read the invitations in each Region first, send only what is "
           "still to do, and print result records (the record's account is the administrator's); on more than "
           "one account x Region, ask for confirmation on a terminal (--yes otherwise).")

decline_invitations = _invitations_command(
    "decline-invitations", "DeclineInvitations",
    "Decline pending invitations from these administrator accounts (member side); the administrator's "
    "inventory loses your account. Invitations that are not pending are skipped across Regions.",
    _ACROSS,
)

delete_invitations = _invitations_command(
    "delete-invitations", "DeleteInvitations",
    "Delete the invitations received from these administrator accounts (member side). A pending "
    "invitation must be declined first; the accepted invitation of your current administrator can't be "
    "deleted.",
    _ACROSS,
)


# ------------------------------------------------------------- commands without input


def _no_input_command(name: str, operation: str, summary: str, *, across: str | None = None,
                      key: str | None = None, example: str = "") -> click.Command:
    """A command that sends a request without parameters. ``across``: what it does across
    Regions (a read with ``key``, else a member-side action); ``None``: one Region only."""
    mutating = operation in MUTATING
    fan_out = across is not None

    @click.command(name, help=summary if across is None else f"{summary}\n\n{across}",
                   epilog=f"\b\nExamples:\n  macie-members {name}{example}")
    @run_options(accounts_file=False, mutating=mutating, report=mutating, regions=fan_out)
    @common_options
    @click.pass_context
    def command(ctx: click.Context, /, cli_input_json: str | None, generate_cli_skeleton: str | None,
                **run: Any) -> int:
        def params() -> dict[str, Any]:
            return {}

        flags = RunFlags.of(run)
        if flags.multi_region() and generate_cli_skeleton is None:
            return _across_regions(ctx, flags, Operation(operation), merge_input(cli_input_json, params()),
                                   validation.check_text, key=key)
        return run_single(ctx, Operation(operation), params, cli_input_json=cli_input_json,
                          skeleton=generate_cli_skeleton, check=validation.check_text, flags=flags)

    return command


get_invitations_count = _no_input_command(
    "get-invitations-count", "GetInvitationsCount",
    "Count the invitations your account received (member side), not counting the one you accepted.",
)

get_administrator_account = _no_input_command(
    "get-administrator-account", "GetAdministratorAccount",
    "Show your account's administrator account and the invitation you accepted (member side); prints "
    "nothing when the account has no administrator.",
    across='With --regions R1,R2 or --all-regions: {"regions": [{"region": R, "administrator": {...}}, ...]} '
           "(no administrator key in a Region without one; errorCode and errorMessage where it can't be read, "
           "exit 254).",
    key="administrator",
    example=" --all-regions --query 'regions[].[region,administrator.accountId]' --output text",
)

disassociate_from_administrator_account = _no_input_command(
    "disassociate-from-administrator-account", "DisassociateFromAdministratorAccount",
    "Leave your administrator's organization (member side): the administrator sees your account as "
    "Resigned; the invitation stays, and can be accepted again.",
    across="With --regions R1,R2 or --all-regions: leave in every Region where the account has an "
           "administrator (the others are skipped records), after confirmation on a terminal (--yes "
           "otherwise), and print result records.",
    example=" --all-regions --yes",
)

get_master_account = _no_input_command(
    "get-master-account", "GetMasterAccount",
    "Deprecated alias of get-administrator-account (answers with a 'master' key), kept because the AWS CLI "
    "ships it.",
)

disassociate_from_master_account = _no_input_command(
    "disassociate-from-master-account", "DisassociateFromMasterAccount",
    "Deprecated alias of disassociate-from-administrator-account, in one Region, kept because the AWS CLI "
    "ships it.",
)


COMMANDS = [
    get_member, list_invitations, accept_invitation, decline_invitations, delete_invitations, get_invitations_count,
    get_administrator_account, disassociate_from_administrator_account, get_master_account,
    disassociate_from_master_account,
]
