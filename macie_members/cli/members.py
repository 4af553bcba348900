"""The six ``aws macie2`` member commands, drop-in compatible.

Each command takes the AWS CLI's options and input syntax (shorthand, JSON, ``file://``),
``--cli-input-json`` and ``--generate-cli-skeleton``, checks what the service would reject
anyway before sending anything, makes one call (``list-members``: follows pagination), and
prints the response as the AWS CLI v2 would.

Client-side checks beyond the AWS CLI's (it lets these through to the service) are listed in
:data:`macie_members.validation`; they use the AWS CLI's style of message and exit 252.
"""

from __future__ import annotations

from typing import Any

import click

from macie_members import validation
from macie_members.errors import InputError

from .app import App, complete_choices, complete_files, get_app, global_options
from .bulk import BulkOptions, bulk_options, read_targets, run_bulk
from .runner import Operation, run_operation

SKELETON_CHOICES = click.Choice(("input", "output"))


def common_options(func: Any) -> Any:
    func = click.option(
        "--cli-input-json",
        metavar="JSON",
        shell_complete=complete_files,
        help="Read arguments from a JSON string or file://PATH (options on the command line win).",
    )(func)
    func = click.option(
        "--generate-cli-skeleton",
        type=SKELETON_CHOICES,
        is_flag=False,
        flag_value="input",
        default=None,
        help="Print a JSON skeleton of the input (default) or the output, and send nothing.",
    )(func)
    return global_options(func)


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
@bulk_options()
@common_options
@click.pass_context
def create_member(
    ctx: click.Context,
    /,
    account: str | None,
    tags: str | None,
    cli_input_json: str | None,
    generate_cli_skeleton: str | None,
    **bulk: Any,
) -> None:
    """Add an account to your Macie inventory (status Created).

    With --accounts-file, --regions or --all-regions: add every account of the file in every
    Region, skipping those already in a Region's inventory, and print result records.
    """
    from macie_members.params import parse_structure

    options = BulkOptions(**bulk)
    options.apply_single_region(get_app(ctx))
    if options.wants_bulk() and generate_cli_skeleton is None:
        _bulk_create_member(get_app(ctx), options, account, tags)
        return

    def params() -> dict[str, Any]:
        result: dict[str, Any] = {}
        if account is not None:
            result["account"] = parse_structure(account, "--account")
        if tags is not None:
            result["tags"] = parse_structure(tags, "--tags")
        return result

    run_operation(
        get_app(ctx),
        Operation("CreateMember", required=("account",)),
        params,
        cli_input_json=cli_input_json,
        skeleton=generate_cli_skeleton,
        check=validation.check_create_member,
    )


def _bulk_create_member(app: App, options: BulkOptions, account: str | None, tags: str | None) -> None:
    from macie_members.bulk import Target, plan_create_member, quota_guard
    from macie_members.params import parse_structure

    parsed_tags = parse_structure(tags, "--tags") if tags is not None else None
    if parsed_tags is not None:
        validation.check_create_member({"tags": parsed_tags})
    if options.accounts_file is not None:
        if account is not None:
            raise InputError("Give either --account or --accounts-file, not both.")
        targets = read_targets(options.accounts_file, require_email=True)
    else:
        if account is None:
            raise click.UsageError("the following arguments are required: --account (or --accounts-file)")
        value = parse_structure(account, "--account")
        if not isinstance(value, dict) or not isinstance(value.get("accountId"), str) or not isinstance(value.get("email"), str):
            raise InputError("--account needs accountId=ID,email=EMAIL")
        validation.check_create_member({"account": value})
        targets = [Target(value["accountId"], value["email"])]
    run_bulk(
        app, options, "create-member", targets,
        plan=plan_create_member(parsed_tags if isinstance(parsed_tags, dict) else None),
        before_send=quota_guard(targets),
        dry_run_options={"tags": parsed_tags},
    )


def _id_targets(options: BulkOptions, ids: list[str] | None) -> list[Any]:
    from macie_members.bulk import Target

    if options.accounts_file is not None:
        if ids:
            raise InputError("Give either account ids or --accounts-file, not both.")
        return read_targets(options.accounts_file, require_email=False)
    problems = [p for p in (validation.account_id_problem("id", i) for i in (ids or [])) if p]
    if problems:
        raise validation.ParameterCheckError(problems)
    return [Target(i) for i in dict.fromkeys(ids or [])]


@click.command(
    "create-invitations",
    epilog="""\b
Examples:
  macie-members create-invitations --account-ids 111111111111 222222222222
  macie-members create-invitations --account-ids '["111111111111"]' \\
      --disable-email-notification --message "Please accept"
  macie-members create-invitations --region eu-west-1 --account-ids file://ids.json""",
)
@click.option("--account-ids", metavar="VALUE...", multiple=False, help="Account ids, space-separated or a JSON list.")
@click.option(
    "--disable-email-notification/--no-disable-email-notification",
    default=None,
    help="Do not (or do) send the invitation by email; the service's default is to send it.",
)
@click.option("--message", metavar="TEXT", help="A message for the invitation (at most 80 characters).")
@bulk_options()
@common_options
@click.argument("more_account_ids", nargs=-1, metavar="")
@click.pass_context
def create_invitations(
    ctx: click.Context,
    /,
    account_ids: str | None,
    more_account_ids: tuple[str, ...],
    disable_email_notification: bool | None,
    message: str | None,
    cli_input_json: str | None,
    generate_cli_skeleton: str | None,
    **bulk: Any,
) -> None:
    """Invite accounts in your inventory to become Macie member accounts.

    With --accounts-file, --regions or --all-regions: invite (50 ids per request) every account
    not yet invited or a member, in every Region, and print result records.
    """
    from macie_members.params import parse_list

    if more_account_ids and account_ids is None:
        raise click.UsageError(f"Unknown options: {' '.join(more_account_ids)}")
    options = BulkOptions(**bulk)
    options.apply_single_region(get_app(ctx))
    if options.wants_bulk() and generate_cli_skeleton is None:
        from macie_members.bulk import plan_create_invitations

        ids = None
        if account_ids is not None:
            parsed = parse_list([account_ids, *more_account_ids], "--account-ids")
            if not isinstance(parsed, list) or not all(isinstance(i, str) for i in parsed):
                raise InputError("--account-ids needs account ids")
            ids = parsed
        if message is not None:
            validation.check_create_invitations({"message": message})
        run_bulk(
            get_app(ctx), options, "create-invitations", _id_targets(options, ids),
            plan=plan_create_invitations(disable_email_notification, message),
            dry_run_options={"disable_email_notification": disable_email_notification, "message": message},
        )
        return

    def params() -> dict[str, Any]:
        result: dict[str, Any] = {}
        if account_ids is not None:
            result["accountIds"] = parse_list([account_ids, *more_account_ids], "--account-ids")
        if disable_email_notification is not None:
            result["disableEmailNotification"] = disable_email_notification
        if message is not None:
            result["message"] = message
        return result

    run_operation(
        get_app(ctx),
        Operation("CreateInvitations", required=("accountIds",)),
        params,
        cli_input_json=cli_input_json,
        skeleton=generate_cli_skeleton,
        check=validation.check_create_invitations,
    )


@click.command(
    "update-member-session",
    epilog="""\b
Examples:
  macie-members update-member-session --id 111111111111 --status PAUSED""",
)
@click.option("--id", "id_", metavar="ID", help="The member's account id.")
@click.option("--status", metavar="PAUSED|ENABLED", shell_complete=complete_choices("PAUSED", "ENABLED"), help="PAUSED suspends Macie for the member; ENABLED re-enables it.")
@bulk_options()
@common_options
@click.pass_context
def update_member_session(
    ctx: click.Context,
    /,
    id_: str | None,
    status: str | None,
    cli_input_json: str | None,
    generate_cli_skeleton: str | None,
    **bulk: Any,
) -> None:
    """Suspend (PAUSED) or re-enable (ENABLED) Macie for a member account."""
    options = BulkOptions(**bulk)
    options.apply_single_region(get_app(ctx))
    if options.wants_bulk() and generate_cli_skeleton is None:
        from macie_members.bulk import plan_single_call, skip_update

        if status is None:
            raise click.UsageError("the following arguments are required: --status")
        validation.check_update_member_session({"status": status})
        run_bulk(
            get_app(ctx), options, "update-member-session", _id_targets(options, [id_] if id_ else None),
            plan=plan_single_call("update-member-session", "update_member_session", {"status": status}, skip_update(status)),
            dry_run_options={"status": status},
            destructive=status == "PAUSED",
        )
        return

    def params() -> dict[str, Any]:
        result: dict[str, Any] = {}
        if id_ is not None:
            result["id"] = id_
        if status is not None:
            result["status"] = status
        return result

    run_operation(
        get_app(ctx),
        Operation("UpdateMemberSession", required=("id", "status")),
        params,
        cli_input_json=cli_input_json,
        skeleton=generate_cli_skeleton,
        check=validation.check_update_member_session,
    )


def _id_command(name: str, operation: str, summary: str, example: str) -> click.Command:
    operation_method = Operation(operation).method
    @click.command(name, help=summary, epilog=f"\b\nExamples:\n  {example}")
    @click.option("--id", "id_", metavar="ID", help="The member's account id.")
    @bulk_options()
    @common_options
    @click.pass_context
    def command(
        ctx: click.Context,
        /,
        id_: str | None,
        cli_input_json: str | None,
        generate_cli_skeleton: str | None,
        **bulk: Any,
    ) -> None:
        options = BulkOptions(**bulk)
        options.apply_single_region(get_app(ctx))
        if options.wants_bulk() and generate_cli_skeleton is None:
            from macie_members.bulk import plan_single_call, skip_delete, skip_disassociate

            skip = skip_disassociate if name == "disassociate-member" else skip_delete
            run_bulk(
                get_app(ctx), options, name, _id_targets(options, [id_] if id_ else None),
                plan=plan_single_call(name, operation_method, {}, skip),
                destructive=True,
            )
            return

        def params() -> dict[str, Any]:
            return {} if id_ is None else {"id": id_}

        run_operation(
            get_app(ctx),
            Operation(operation, required=("id",)),
            params,
            cli_input_json=cli_input_json,
            skeleton=generate_cli_skeleton,
            check=validation.check_member_id,
        )

    return command


disassociate_member = _id_command(
    "disassociate-member",
    "DisassociateMember",
    "Remove a member account from your organization (status Removed; it stays in the inventory).",
    "macie-members disassociate-member --id 111111111111",
)

delete_member = _id_command(
    "delete-member",
    "DeleteMember",
    "Delete an account from your inventory (a current member must be disassociated first).",
    "macie-members delete-member --id 111111111111",
)


@click.command(
    "list-members",
    epilog="""\b
Examples:
  macie-members list-members
  macie-members list-members --only-associated false --output table
  macie-members list-members --only-associated false --query 'members[].[accountId,relationshipStatus]' --output text
  macie-members list-members --max-items 10 --starting-token TOKEN""",
)
@click.option("--only-associated", metavar="true|false", shell_complete=complete_choices("true", "false"), help="true (default): current members only; false: the whole inventory.")
@click.option("--max-items", type=int, metavar="N", help="Print at most N members, and a NextToken to resume from.")
@click.option("--starting-token", metavar="TOKEN", help="The NextToken printed by an earlier --max-items.")
@click.option("--page-size", type=int, metavar="N", help="Members per request (1-25).")
@click.option("--max-results", type=int, hidden=True, help="Sent raw as maxResults; turns pagination off.")
@click.option("--next-token", hidden=True, help="Sent raw as nextToken; turns pagination off.")
@bulk_options(accounts_file=False, mutating=False)
@common_options
@click.pass_context
def list_members(
    ctx: click.Context,
    /,
    only_associated: str | None,
    max_items: int | None,
    starting_token: str | None,
    page_size: int | None,
    max_results: int | None,
    next_token: str | None,
    cli_input_json: str | None,
    generate_cli_skeleton: str | None,
    **bulk: Any,
) -> None:
    """List the accounts of your organization (all pages, unless --max-items).

    With --regions R1,R2 or --all-regions: list every Region (in parallel) and print
    {"regions": [{"region": R, "members": [...]}, ...]}; a Region that fails shows its error
    ({"region": R, "errorCode": ..., "errorMessage": ...}) and the exit code is 254.
    """
    app: App = get_app(ctx)
    options = BulkOptions(**bulk)
    options.apply_single_region(app)
    if options.is_bulk() and generate_cli_skeleton is None:
        from .bulk import list_members_in_regions

        if only_associated is not None:
            validation.check_list_members({"onlyAssociated": only_associated})
        list_members_in_regions(app, options, only_associated or "true")
        return
    raw = max_results is not None or next_token is not None
    pagination_args = [
        name
        for name, value in (
            ("--page-size", page_size),
            ("--starting-token", starting_token),
            ("--max-items", max_items),
        )
        if value is not None
    ]
    if pagination_args and (raw or app.no_paginate):
        raise InputError(
            "Error during pagination: Cannot specify --no-paginate along with pagination "
            f"arguments: {', '.join(pagination_args)}"
        )
    if max_items is not None and max_items <= 0:
        click.echo("warning: Non-positive values for --max-items may result in undefined behavior.", err=True)

    def params() -> dict[str, Any]:
        result: dict[str, Any] = {}
        if only_associated is not None:
            result["onlyAssociated"] = only_associated
        if max_results is not None:
            result["maxResults"] = max_results
        if next_token is not None:
            result["nextToken"] = next_token
        return result

    run_operation(
        app,
        Operation("ListMembers", paginated=not (raw or app.no_paginate)),
        params,
        cli_input_json=cli_input_json,
        skeleton=generate_cli_skeleton,
        check=lambda p: validation.check_list_members(p, page_size=page_size),
        max_items=max_items,
        page_size=page_size,
        starting_token=starting_token,
    )


COMMANDS = [
    create_member,
    create_invitations,
    update_member_session,
    disassociate_member,
    delete_member,
    list_members,
]
