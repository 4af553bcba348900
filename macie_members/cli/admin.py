"""The six ``aws macie2`` administrator commands, drop-in compatible (the other ten:
:mod:`macie_members.cli.member_account`).

Each command takes the AWS CLI's options and input syntax (shorthand, JSON, ``file://``),
``--cli-input-json`` and ``--generate-cli-skeleton``, checks what the service would reject
anyway before sending anything, makes one call (``list-members``: follows pagination), and
prints the response as the AWS CLI v2 would.

With ``--accounts-file``, several ``--regions``, ``--all-regions`` or ``--dry-run``, the five
mutating commands run in bulk (:mod:`macie_members.flows.bulk`): ``--cli-input-json`` still supplies
their options. ``list-members`` lists several Regions in parallel
(:func:`macie_members.flows.dropin.read_in_regions`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import click

from macie_members.cli.global_options import (
    complete_choices,
    complete_files,
    get_options,
    global_options,
    start,
)
from macie_members.cli.operation import Operation, merge_input, run_single
from macie_members.cli.options import RunFlags, read_targets, run_options, targets_from
from macie_members.domain import Target, split_account_ids
from macie_members.errors import InputError
from macie_members.inputs import checks as validation

if TYPE_CHECKING:
    from macie_members.flows.dropin import Paging

SKELETON_CHOICES = click.Choice(("input", "output", "yaml-input"))


def _store_cli_input_yaml(ctx: click.Context, param: click.Parameter, value: str | None) -> None:
    if value is not None:
        from macie_members.cli.operation import CLI_INPUT_YAML

        ctx.meta[CLI_INPUT_YAML] = value


def common_options(func: Any) -> Any:
    func = click.option("--cli-input-json", metavar="JSON", shell_complete=complete_files,
                        help="Read arguments from a JSON string or file://PATH (options on the command line win).")(func)
    func = click.option("--cli-input-yaml", metavar="YAML", shell_complete=complete_files, expose_value=False,
                        callback=_store_cli_input_yaml,
                        help="Read arguments from a YAML string or file://PATH (AWS CLI v2; options on the "
                             "command line win).")(func)
    func = click.option("--generate-cli-skeleton", type=SKELETON_CHOICES, is_flag=False, flag_value="input",
                        default=None,
                        help="Print a JSON skeleton of the input (default) or the output, or a YAML one of "
                             "the input (yaml-input), and send nothing.")(func)
    return global_options(func)


def account_ids_param(values: list[str]) -> object:
    """``--account-ids``: space-separated ids or a JSON list (the AWS CLI's syntax); commas
    separate ids too, as in every option that takes account ids (an id has no comma: the AWS CLI
    sends "1,2" as one id, which the service refuses)."""
    from macie_members.inputs.values import parse_list

    ids = parse_list(values, "--account-ids")
    if isinstance(ids, list) and all(isinstance(i, str) for i in ids):
        ids = split_account_ids(ids)
    return ids


def run_bulk_action(ctx: click.Context, flags: RunFlags, operation: str, params: Mapping[str, Any],
                    targets: list[Target]) -> int:
    """The bulk run of a drop-in command: ``operation`` with the command's ``params`` (its
    options other than the accounts), on ``targets``."""
    from macie_members.flows import bulk

    with start(ctx, flags.options(bulk=True, records=True, csv=True)) as session:
        return bulk.run_bulk(session, bulk.action_for(operation, params), targets)


def bulk_targets(flags: RunFlags, params: Mapping[str, Any], *, require_email: bool = False) -> list[Target]:
    """The accounts of a bulk run: the file, or the command's own id option(s)."""
    if require_email:
        if flags.accounts_file is not None:
            if "account" in params:
                raise InputError("Give either --account or --accounts-file, not both.")
            return read_targets(flags.accounts_file, require_email=True)
        account = params.get("account")
        if account is None:
            raise click.UsageError("the following arguments are required: --account (or --accounts-file)")
        if not isinstance(account, dict) or not isinstance(account.get("accountId"), str) \
                or not isinstance(account.get("email"), str):
            raise InputError("--account needs accountId=ID,email=EMAIL")
        validation.check_create_member({"account": account})
        return [Target(account["accountId"], account["email"])]
    ids = params.get("accountIds", [params["id"]] if "id" in params else None)
    if ids is not None and (not isinstance(ids, list) or not all(isinstance(i, str) for i in ids)):
        raise InputError("account ids must be strings")
    name = "accountIds" if "accountIds" in params else "id"
    return targets_from(flags.accounts_file, ids, require_email=False, name=name)


@click.command(
    "create-member",
    epilog="""\b
Examples:
  macie-members create-member --account accountId=111111111111,email=jane@example.com
  macie-members create-member --account '{"accountId":"111111111111","email":"jane@example.com"}' \\
      --tags team=security,env=prod
  macie-members create-member --account file://account.json""",
)
@click.option("--account", metavar="VALUE", help="accountId=ID,email=EMAIL (shorthand, JSON or file://).")
@click.option("--tags", metavar="VALUE", help="Tags for the member: k1=v1,k2=v2 (shorthand, JSON or file://).")
@run_options()
@common_options
@click.pass_context
def create_member(ctx: click.Context, /, account: str | None, tags: str | None, cli_input_json: str | None,
                  generate_cli_skeleton: str | None, **run: Any) -> int:
    """Add an account to your Macie inventory (status Created).

    With --accounts-file, --regions or --all-regions: add every account of the file in every
    Region, skipping those already in a Region's inventory, and print result records.
    """
    from macie_members.inputs.values import parse_structure

    def params() -> dict[str, Any]:
        result: dict[str, Any] = {}
        if account is not None:
            result["account"] = parse_structure(account, "--account")
        if tags is not None:
            result["tags"] = parse_structure(tags, "--tags")
        return result

    flags = RunFlags.of(run)
    if flags.is_bulk() and generate_cli_skeleton is None:
        merged = merge_input(cli_input_json, params())
        parsed_tags = merged.get("tags")
        if parsed_tags is not None:
            if not isinstance(parsed_tags, dict):
                raise InputError("--tags needs k1=v1,k2=v2 or a JSON object")
            validation.check_create_member({"tags": parsed_tags})
        targets = bulk_targets(flags, merged, require_email=True)
        return run_bulk_action(ctx, flags, "CreateMember", {"tags": parsed_tags}, targets)
    return run_single(ctx, Operation("CreateMember", required=("account",)), params, cli_input_json=cli_input_json,
                      skeleton=generate_cli_skeleton, check=validation.check_create_member, flags=flags)


@click.command(
    "create-invitations",
    epilog="""\b
Examples:
  macie-members create-invitations --account-ids 111111111111 222222222222
  macie-members create-invitations --account-ids '["111111111111"]' \\
      --disable-email-notification --message "Please accept"
  macie-members create-invitations --region eu-west-1 --account-ids file://ids.json""",
)
@click.option("--account-ids", metavar="VALUE...", multiple=False, help="Account ids, space- or comma-separated, or a JSON list.")
@click.option("--disable-email-notification/--no-disable-email-notification", default=None,
              help="Do not (or do) send the invitation by email; the service's default is to send it.")
@click.option("--message", metavar="TEXT", help="A message for the invitation (at most 80 characters).")
@run_options()
@common_options
@click.argument("more_account_ids", nargs=-1, metavar="")
@click.pass_context
def create_invitations(ctx: click.Context, /, account_ids: str | None, more_account_ids: tuple[str, ...],
                       disable_email_notification: bool | None, message: str | None, cli_input_json: str | None,
                       generate_cli_skeleton: str | None, **run: Any) -> int:
    """Invite accounts in your inventory to become Macie member accounts.

    With --accounts-file, --regions or --all-regions: invite (50 ids per request) every account
    not yet invited or a member, in every Region, and print result records.
    """
    if more_account_ids and account_ids is None:
        raise click.UsageError(f"Unknown options: {' '.join(more_account_ids)}")

    def params() -> dict[str, Any]:
        result: dict[str, Any] = {}
        if account_ids is not None:
            result["accountIds"] = account_ids_param([account_ids, *more_account_ids])
        if disable_email_notification is not None:
            result["disableEmailNotification"] = disable_email_notification
        if message is not None:
            result["message"] = message
        return result

    flags = RunFlags.of(run)
    if flags.is_bulk() and generate_cli_skeleton is None:
        merged = merge_input(cli_input_json, params())
        validation.check_create_invitations({k: v for k, v in merged.items() if k != "accountIds"})
        targets = bulk_targets(flags, merged)
        return run_bulk_action(ctx, flags, "CreateInvitations", merged, targets)
    return run_single(ctx, Operation("CreateInvitations", required=("accountIds",)), params,
                      cli_input_json=cli_input_json, skeleton=generate_cli_skeleton,
                      check=validation.check_create_invitations, flags=flags)


@click.command(
    "update-member-session",
    epilog="""\b
Examples:
  macie-members update-member-session --id 111111111111 --status PAUSED""",
)
@click.option("--id", "id_", metavar="ID", help="The member's account id.")
@click.option("--status", metavar="PAUSED|ENABLED", shell_complete=complete_choices("PAUSED", "ENABLED"),
              help="PAUSED suspends Macie for the member; ENABLED re-enables it, for a member added "
                   "through AWS Organizations only (an invited member re-enables Macie itself).")
@run_options()
@common_options
@click.pass_context
def update_member_session(ctx: click.Context, /, id_: str | None, status: str | None, cli_input_json: str | None,
                          generate_cli_skeleton: str | None, **run: Any) -> int:
    """Suspend (PAUSED) or re-enable (ENABLED) Macie for a member account.

    Only a member added through AWS Organizations can be re-enabled by its administrator; an
    invited member's own account re-enables Macie (Macie user guide). Across Regions or with
    --accounts-file, ENABLED for an invited member fails without a request."""

    def params() -> dict[str, Any]:
        return {k: v for k, v in (("id", id_), ("status", status)) if v is not None}

    flags = RunFlags.of(run)
    if flags.is_bulk() and generate_cli_skeleton is None:
        merged = merge_input(cli_input_json, params())
        wanted = merged.get("status")
        if wanted is None:
            raise click.UsageError("the following arguments are required: --status")
        validation.check_update_member_session({"status": wanted})
        return run_bulk_action(ctx, flags, "UpdateMemberSession", {"status": wanted}, bulk_targets(flags, merged))
    return run_single(ctx, Operation("UpdateMemberSession", required=("id", "status")), params,
                      cli_input_json=cli_input_json, skeleton=generate_cli_skeleton,
                      check=validation.check_update_member_session, flags=flags)


def _id_command(name: str, operation: str, summary: str, example: str) -> click.Command:
    @click.command(name, help=summary, epilog=f"\b\nExamples:\n  {example}")
    @click.option("--id", "id_", metavar="ID", help="The member's account id.")
    @run_options()
    @common_options
    @click.pass_context
    def command(ctx: click.Context, /, id_: str | None, cli_input_json: str | None,
                generate_cli_skeleton: str | None, **run: Any) -> int:
        def params() -> dict[str, Any]:
            return {} if id_ is None else {"id": id_}

        flags = RunFlags.of(run)
        if flags.is_bulk() and generate_cli_skeleton is None:
            return run_bulk_action(ctx, flags, operation, {}, bulk_targets(flags, merge_input(cli_input_json, params())))
        return run_single(ctx, Operation(operation, required=("id",)), params, cli_input_json=cli_input_json,
                          skeleton=generate_cli_skeleton, check=validation.check_member_id, flags=flags)

    return command


disassociate_member = _id_command(
    "disassociate-member", "DisassociateMember",
    "Remove a member account from your organization (status Removed; it stays in the inventory).",
    "macie-members disassociate-member --id 111111111111",
)

delete_member = _id_command(
    "delete-member", "DeleteMember",
    "Delete an account from your inventory (a current member must be disassociated first).",
    "macie-members delete-member --id 111111111111",
)


MULTI_REGION_PAGING = ("--max-items", "--starting-token", "--max-results", "--next-token", "--no-paginate")


@dataclass(frozen=True)
class Listing:
    """A paginated read (list-members, list-invitations): its operation, the list's key, its check."""

    operation: str
    key: str
    check: Callable[..., None]


def run_listing(ctx: click.Context, listing: Listing, params: Callable[[], dict[str, Any]], paging: Paging, *,
                max_results: int | None, next_token: str | None, cli_input_json: str | None, skeleton: str | None,
                flags: RunFlags) -> int:
    """The AWS CLI's pagination in one Region (``--max-items``, ``--starting-token``,
    ``--page-size``, ``--no-paginate``, the raw ``--max-results``/``--next-token``); across Regions
    each Region is listed whole and the options that page through one Region's list are refused."""
    from macie_members.flows.dropin import Paging, read_in_regions

    options = get_options(ctx)
    max_items, page_size, starting_token = paging.max_items, paging.page_size, paging.starting_token
    if flags.multi_region() and skeleton is None:
        given = [name for name, value in zip(MULTI_REGION_PAGING, (max_items, starting_token, max_results, next_token,
                                                                    options.no_paginate or None), strict=True)
                 if value is not None]
        if given:
            raise InputError(f"{', '.join(given)} page(s) through one Region's list; with --regions or "
                             "--all-regions each Region is listed whole (--page-size sets the page size).")
        merged = merge_input(cli_input_json, params())
        raw_paging = [key for key in ("maxResults", "nextToken") if key in merged]
        if raw_paging:
            raise InputError(f"{', '.join(raw_paging)} (in --cli-input-json) page(s) through one Region's list; with "
                             "--regions or --all-regions each Region is listed whole (--page-size sets the page size).")
        listing.check(merged, page_size=page_size)
        with start(ctx, flags.options(bulk=True, records=False, csv=True)) as session:
            return read_in_regions(session, listing.operation, merged, key=listing.key, page_size=page_size)
    raw = max_results is not None or next_token is not None
    paging_args = [name for name, value in (("--page-size", page_size), ("--starting-token", starting_token),
                                            ("--max-items", max_items)) if value is not None]
    if paging_args and (raw or options.no_paginate):
        raise InputError("Error during pagination: Cannot specify --no-paginate along with pagination "
                         f"arguments: {', '.join(paging_args)}")
    paginate = not (raw or options.no_paginate)

    def check(params: Mapping[str, Any]) -> None:
        listing.check(params, page_size=page_size)

    return run_single(ctx, Operation(listing.operation), params, cli_input_json=cli_input_json,
                      skeleton=skeleton, check=check, flags=flags,
                      paging=Paging(max_items, page_size, starting_token, paginate))


def paging_options(func: Any) -> Any:
    """The AWS CLI's pagination options of a list command."""
    for option in reversed([
        click.option("--max-items", type=int, metavar="N", help="Print at most N items, and a NextToken to resume from."),
        click.option("--starting-token", metavar="TOKEN", help="The NextToken printed by an earlier --max-items."),
        click.option("--page-size", type=int, metavar="N", help="Items per request (1-25)."),
        click.option("--max-results", type=int, hidden=True, help="Sent raw as maxResults; turns pagination off."),
        click.option("--next-token", hidden=True, help="Sent raw as nextToken; turns pagination off."),
    ]):
        func = option(func)
    return func


@click.command(
    "list-members",
    epilog="""\b
Examples:
  macie-members list-members
  macie-members list-members --only-associated false --output table
  macie-members list-members --only-associated false --query 'members[].[accountId,relationshipStatus]' --output text
  macie-members list-members --max-items 10 --starting-token TOKEN
  macie-members list-members --regions us-east-1,eu-west-1 --page-size 10""",
)
@click.option("--only-associated", metavar="true|false", shell_complete=complete_choices("true", "false"),
              help="true (default): current members only; false: the whole inventory.")
@paging_options
@run_options(accounts_file=False, mutating=False, report=False)
@common_options
@click.pass_context
def list_members(ctx: click.Context, /, only_associated: str | None, max_items: int | None,
                 starting_token: str | None, page_size: int | None, max_results: int | None,
                 next_token: str | None, cli_input_json: str | None, generate_cli_skeleton: str | None,
                 **run: Any) -> int:
    """List the accounts of your organization (all pages, unless --max-items).

    With --regions R1,R2 or --all-regions: list every Region (in parallel) and print
    {"regions": [{"region": R, "members": [...]}, ...]}; a Region that fails shows its error
    ({"region": R, "errorCode": ..., "errorMessage": ...}) and the exit code is 254. Each Region
    is listed whole: --page-size sets the page size of every request; the options that page
    through one Region's list (--max-items, --starting-token, --no-paginate) are refused.
    """
    from macie_members.flows.dropin import Paging

    def params() -> dict[str, Any]:
        given = (("onlyAssociated", only_associated), ("maxResults", max_results), ("nextToken", next_token))
        return {k: v for k, v in given if v is not None}

    return run_listing(ctx, Listing("ListMembers", "members", validation.check_list_members), params,
                       Paging(max_items, page_size, starting_token), max_results=max_results, next_token=next_token,
                       cli_input_json=cli_input_json, skeleton=generate_cli_skeleton, flags=RunFlags.of(run))


COMMANDS = [create_member, create_invitations, update_member_session, disassociate_member, delete_member, list_members]
