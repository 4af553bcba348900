"""Running one ``aws macie2``-style command: its input, its checks, then the run.

The input is merged as the AWS CLI merges it (``--cli-input-json`` first, then the options on
the command line, which win), ``--generate-cli-skeleton`` prints without any AWS configuration,
required options are checked, then botocore's own parameter validation and ours
(:mod:`macie_members.inputs.checks`) run before anything is sent.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import click

from macie_members.aws.client import validate_params
from macie_members.cli.global_options import resolve_run, start
from macie_members.cli.options import RunFlags
from macie_members.domain import MUTATING


@dataclass(frozen=True)
class Operation:
    name: str
    required: tuple[str, ...] = ()

    def option_of(self, member: str) -> str:
        return "--" + re.sub(r"(?<!^)(?=[A-Z])", "-", member).lower()

    @property
    def mutating(self) -> bool:
        return self.name in MUTATING


def merge_input(cli_input_json: str | None, given: Mapping[str, Any]) -> dict[str, Any]:
    """``--cli-input-json`` first, then the options given on the command line (they win)."""
    if cli_input_json is None:
        return dict(given)
    from macie_members.inputs.values import parse_json_document

    merged = dict(parse_json_document(cli_input_json, "cli-input-json"))
    merged.update(given)
    return merged


def require(operation: Operation, params: Mapping[str, Any]) -> None:
    missing = [operation.option_of(name) for name in operation.required if name not in params]
    if missing:
        raise click.UsageError(f"the following arguments are required: {', '.join(missing)}")


def print_skeleton(ctx: click.Context, operation: Operation, which: str, params: Mapping[str, Any]) -> int:
    if which == "output":
        require(operation, params)
    _config, session = resolve_run(ctx, RunFlags().options(bulk=False, records=False, needs_aws=False))
    from macie_members.render.skeleton import skeleton

    click.echo(skeleton(session.get_service_model("macie2"), operation.name, which), nl=False)
    return 0


def run_single(
    ctx: click.Context,
    operation: Operation,
    params: Callable[[], dict[str, Any]],
    *,
    cli_input_json: str | None,
    skeleton: str | None,
    check: Callable[[Mapping[str, Any]], None],
    flags: RunFlags,
    paging: Any = None,
) -> int:
    merged = merge_input(cli_input_json, params())
    if skeleton is not None:
        return print_skeleton(ctx, operation, skeleton, merged)
    require(operation, merged)
    from macie_members.flows.dropin import run_operation
    from macie_members.render.csvout import CSV_KEYS

    run = start(ctx, flags.options(bulk=False, records=operation.mutating,
                                   csv=operation.name in CSV_KEYS or flags.given.dry_run))
    validate_params(run.factory.session.get_service_model("macie2"), operation.name, merged)
    check(merged)
    if run.config.dry_run:
        # The one request the command sends, as given: a drop-in command is not planned from the
        # inventory (the service decides), so its dry run reads nothing.
        from macie_members.flows.dropin import accounts_of
        from macie_members.plan.model import Request

        run.renderer.dry_run([Request(run.config.require_regions()[0], operation.name, merged, accounts_of(merged))])
        return 0
    with run as session:
        return run_operation(session, operation.name, merged, paging)
