"""The command group that imports a command's module only when that command runs.

Operators run ``macie-members --help`` and one command at a time, hundreds of times a day:
importing every command module (and the options each one builds) for each of them cost about a
third of ``--help``'s time. :data:`INDEX` names, for every top-level command, the module that
defines it (under ``macie_members.cli``, whose ``COMMANDS`` list holds it) and the first
paragraph of its help, which is all the group's own ``--help`` shows of it (shortened, as
click shortens it). ``tests/cli/test_help.py`` checks that the index names every command with
its module and its help's first paragraph, so the copy cannot drift from the command.

May import: click and the ``cli`` modules it names (lazily).
"""

from __future__ import annotations

import importlib

import click

#: command name -> (module under macie_members.cli, the first paragraph of its help)
INDEX: dict[str, tuple[str, str]] = {
    "accept-invitation": ("member_account",
        "Accept an invitation to join an administrator's organization, in one Region (member side: run it with the member account's credentials; Macie must be enabled there)."),
    "accept-invitations": ("workflows",
        'Accept, as each member account, the invitation your account sent (member side).'),
    "completion": ("completion",
        'Print the shell completion script for bash, zsh or fish.'),
    "create-invitations": ("admin",
        'Invite accounts in your inventory to become Macie member accounts.'),
    "create-member": ("admin",
        'Add an account to your Macie inventory (status Created).'),
    "decline-invitations": ("member_account",
        "Decline pending invitations from these administrator accounts (member side); the administrator's inventory loses your account. Invitations that are not pending are skipped across Regions."),
    "delete-invitations": ("member_account",
        "Delete the invitations received from these administrator accounts (member side). A pending invitation must be declined first; the accepted invitation of your current administrator can't be deleted."),
    "delete-member": ("admin",
        'Delete an account from your inventory (a current member must be disassociated first).'),
    "disassociate-from-administrator-account": ("member_account",
        "Leave your administrator's organization (member side): the administrator sees your account as Resigned; the invitation stays, and can be accepted again."),
    "disassociate-from-master-account": ("member_account",
        'Deprecated alias of disassociate-from-administrator-account, in one Region, kept because the AWS CLI ships it.'),
    "disassociate-member": ("admin",
        'Remove a member account from your organization (status Removed; it stays in the inventory).'),
    "get-administrator-account": ("member_account",
        "Show your account's administrator account and the invitation you accepted (member side); prints nothing when the account has no administrator."),
    "get-invitations-count": ("member_account",
        'Count the invitations your account received (member side), not counting the one you accepted.'),
    "get-master-account": ("member_account",
        "Deprecated alias of get-administrator-account (answers with a 'master' key), kept because the AWS CLI ships it."),
    "get-member": ("member_account",
        'Show an account of your inventory: its email, status, administrator, tags, dates.'),
    "list-invitations": ("member_account",
        "List the invitations your account received (member side): every one not deleted, with the sender's account id and its status (all pages, unless --max-items)."),
    "list-members": ("admin",
        'List the accounts of your organization (all pages, unless --max-items).'),
    "offboard": ("workflows",
        'Disassociate members, then delete their associations, in each Region.'),
    "onboard": ("workflows",
        "Bring each Region's inventory in line with a console CSV: add, invite, fix."),
    "sandbox": ("sandbox",
        'A local Macie for tests and first steps: no AWS account needed.'),
    "status": ("workflows",
        'An account x Region matrix of relationship statuses, with counts and what needs attention.'),
    "sync": ("workflows",
        "Make each Region's membership the console CSV: the file as the source of truth."),
    "update-member-session": ("admin",
        'Suspend (PAUSED) or re-enable (ENABLED) Macie for a member account.'),
}


class LazyGroup(click.Group):
    """A group whose commands are loaded from :data:`INDEX` when first asked for."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*self.commands, *INDEX})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands and cmd_name in INDEX:
            module = importlib.import_module(f"macie_members.cli.{INDEX[cmd_name][0]}")
            for command in module.COMMANDS:
                self.commands.setdefault(str(command.name), command)
        return self.commands.get(cmd_name)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """click's listing of the commands, from the index for those not loaded: a bare
        command with the same first paragraph is shortened to the same words."""
        names = self.list_commands(ctx)
        commands = [self.commands.get(name) or click.Command(name, help=INDEX[name][1]) for name in names]
        shown = [(name, command) for name, command in zip(names, commands, strict=True) if not command.hidden]
        if shown:
            limit = formatter.width - 6 - max(len(name) for name, _ in shown)
            with formatter.section("Commands"):
                formatter.write_dl([(name, command.get_short_help_str(limit)) for name, command in shown])
