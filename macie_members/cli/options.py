"""The run options of the commands (``--regions``, ``--report``, ``--dry-run``...) and the account
inputs (``--accounts-file``, account-id lists), as click options.

With one Region and no file, a member command behaves exactly as ``aws macie2``. With several
Regions, ``--all-regions``, ``--accounts-file`` or ``--dry-run``, it plans from each Region's
inventory and prints result records (:mod:`macie_members.flows.bulk`).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import click

from macie_members.cli.global_options import complete_files, complete_regions
from macie_members.config import RunOptions, parse_regions
from macie_members.domain import Target, split_account_ids
from macie_members.errors import InputError


@dataclass(frozen=True)
class RunFlags:
    """The run options as given (click's keyword arguments of :func:`run_options`), and the
    accounts file, which the command reads itself."""

    given: RunOptions = field(default_factory=RunOptions)
    accounts_file: str | None = None

    @classmethod
    def of(cls, values: dict[str, Any]) -> RunFlags:
        names = {f.name for f in dataclasses.fields(RunOptions)}
        return cls(RunOptions(**{k: v for k, v in values.items() if k in names}), values.get("accounts_file"))

    @property
    def report(self) -> str | None:
        return self.given.report

    def multi_region(self) -> bool:
        return self.given.all_regions or len(parse_regions(self.given.regions)) > 1

    def is_bulk(self) -> bool:
        """Several Regions or an accounts file: a bulk run, planned from the inventories. (A
        drop-in command's ``--dry-run`` prints its one request, as given.)"""
        return self.multi_region() or self.accounts_file is not None

    def options(self, *, bulk: bool, records: bool, csv: bool = False, needs_aws: bool = True,
                table_on_terminal: bool = False) -> RunOptions:
        """The run options, with what the command is (bulk, records...)."""
        return dataclasses.replace(self.given, bulk=bulk, records=records, csv=csv, needs_aws=needs_aws,
                                   table_on_terminal=table_on_terminal)


def run_options(*, accounts_file: bool = True, mutating: bool = True, report: bool = True,
                regions: bool = True, one_region_hint: str = "") -> Callable[[Any], Any]:
    """The run options of a command. ``regions=False``: a command that runs in one Region only
    (no ``--max-concurrency``, ``--no-progress``, ``--yes``; ``--regions`` and ``--all-regions``
    are refused with a message that says so, and ``one_region_hint``)."""

    def refuse_regions(ctx: click.Context, param: click.Parameter, value: Any) -> None:
        if value:
            raise click.UsageError(f"{ctx.command.name} runs in one Region: use --region (it has no --regions or "
                                   f"--all-regions).{' ' + one_region_hint if one_region_hint else ''}", ctx)

    def decorate(func: Any) -> Any:
        options = []
        if not regions:
            options += [click.option("--regions", multiple=True, hidden=True, expose_value=False,
                                     callback=refuse_regions),
                        click.option("--all-regions", is_flag=True, hidden=True, expose_value=False,
                                     callback=refuse_regions)]
        if regions:
            options += [
                click.option("--regions", multiple=True, metavar="R1,R2", shell_complete=complete_regions,
                             help="Run in these Regions (comma list, repeatable)."),
                click.option("--all-regions", is_flag=True, default=False,
                             help="Run in every Region where Macie is offered and enabled for the account."),
                click.option("--max-concurrency", type=click.IntRange(1, 256), default=None,
                             help="Requests in flight at once, 1 to 256 (default: 16 per Region, at most 64)."),
            ]
        if report:
            options.append(click.option("--report", type=click.Path(dir_okay=False), metavar="FILE",
                                        help="Append one JSON line per result to FILE as it completes."))
        if regions:
            options.append(click.option("--no-progress", is_flag=True, default=False,
                                        help="No progress bar on stderr."))
        if accounts_file:
            options.append(click.option("--accounts-file", metavar="CSV", shell_complete=complete_files,
                                        help="Accounts from a CSV in the Macie console's format (Account ID,Email); "
                                             "- for stdin."))
        if mutating and not regions:
            options.append(click.option("--dry-run", is_flag=True, default=False,
                                        help="Print the request the command would send; send nothing."))
        elif mutating:
            options.append(click.option("--dry-run", is_flag=True, default=False,
                                        help="Read the inventories and print the requests a run would send; "
                                             "send nothing."))
            options.append(click.option("--yes", "-y", is_flag=True, default=False,
                                        help="Do not ask for confirmation of bulk destructive actions."))
        for option in reversed(options):
            func = option(func)
        return func

    return decorate


def read_targets(path: str, *, require_email: bool) -> list[Target]:
    """The accounts of a console CSV (every problem reported with file:line, exit 252; its
    warnings said at once)."""
    from macie_members.flows import steps

    return steps.read_targets(path, require_email=require_email)


def id_targets(values: Iterable[str], name: str = "accountIds") -> list[Target]:
    """Account ids given on the command line (space- or comma-separated), checked."""
    from macie_members.inputs import checks as validation

    ids = split_account_ids(values)
    problems = validation.check_account_ids(ids, name) + validation.text_problems(ids, name)
    validation.raise_if(problems)
    return [Target(i) for i in dict.fromkeys(ids)]


def targets_from(accounts_file: str | None, ids: Iterable[str] | None, *, require_email: bool,
                 name: str = "accountIds") -> list[Target]:
    ids = list(ids or ())
    if accounts_file is not None:
        if ids:
            raise InputError("Give either account ids or an accounts file, not both.")
        return read_targets(accounts_file, require_email=require_email)
    if not ids:
        raise click.UsageError("Give the accounts: a CSV file (Account ID,Email) or account ids.")
    return id_targets(ids, name)
