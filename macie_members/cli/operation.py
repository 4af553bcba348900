"""Running one ``aws macie2``-style command: its input, then its one flow.

The input is merged as the AWS CLI merges it (``--cli-input-json`` first, then the options on
the command line, which win), ``--generate-cli-skeleton`` prints without any AWS configuration,
and required options are checked; the flow (:func:`macie_members.flows.dropin.run_dropin`) then
runs botocore's own parameter validation and ours (:mod:`macie_members.inputs.checks`) before
anything is sent.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import click

from macie_members.cli.global_options import settings_of, start
from macie_members.cli.options import RunFlags
from macie_members.config import CSV_KEYS
from macie_members.domain import MUTATING

if TYPE_CHECKING:
    from macie_members.flows.dropin import Paging


@dataclass(frozen=True)
class Operation:
    name: str
    required: tuple[str, ...] = ()

    def option_of(self, member: str) -> str:
        return "--" + re.sub(r"(?<!^)(?=[A-Z])", "-", member).lower()

    @property
    def mutating(self) -> bool:
        return self.name in MUTATING


CLI_INPUT_YAML = "cli_input_yaml"  # where --cli-input-yaml keeps its value (the click context's meta)


def merge_input(cli_input_json: str | None, given: Mapping[str, Any]) -> dict[str, Any]:
    """``--cli-input-json`` (or AWS CLI v2's ``--cli-input-yaml``) first, then the options given
    on the command line (they win)."""
    context = click.get_current_context(silent=True)
    cli_input_yaml = None if context is None else context.meta.get(CLI_INPUT_YAML)
    if cli_input_json is not None and cli_input_yaml is not None:
        raise click.UsageError("Only one --cli-input-json or --cli-input-yaml may be specified.")
    if cli_input_json is None and cli_input_yaml is None:
        return dict(given)
    from macie_members.inputs.values import parse_json_document, parse_yaml_document

    document = parse_json_document(cli_input_json, "cli-input-json") if cli_input_json is not None \
        else parse_yaml_document(str(cli_input_yaml), "cli-input-yaml")
    merged = dict(document)
    merged.update(given)
    return merged


def load_scalars(operation: Operation, given: Mapping[str, Any]) -> dict[str, Any]:
    """A string option given as ``file://PATH`` (or ``fileb://``) is the file's content, as the
    AWS CLI loads a paramfile for every parameter (``--administrator-account-id file://admin.txt``;
    the content is taken as it is, a final newline included, then checked like a typed value).
    Structures and lists load theirs while they are parsed; ``--cli-input-json``'s values are
    never paramfiles (nor are they in the AWS CLI)."""
    from macie_members.inputs.paramfile import load_option_value

    return {name: load_option_value(value, operation.option_of(name)) if isinstance(value, str) else value
            for name, value in given.items()}


def require(operation: Operation, params: Mapping[str, Any]) -> None:
    missing = [operation.option_of(name) for name in operation.required if name not in params]
    if missing:
        raise click.UsageError(f"the following arguments are required: {', '.join(missing)}")


def run_single(
    ctx: click.Context,
    operation: Operation,
    params: Callable[[], dict[str, Any]],
    *,
    cli_input_json: str | None,
    skeleton: str | None,
    check: Callable[[Mapping[str, Any]], None],
    flags: RunFlags,
    paging: Paging | None = None,
) -> int:
    from macie_members.flows import dropin

    merged = merge_input(cli_input_json, load_scalars(operation, params()))
    if skeleton is not None:
        if skeleton == "output":
            require(operation, merged)
        return dropin.print_skeleton(settings_of(ctx), operation.name, skeleton, paging)
    require(operation, merged)
    run = start(ctx, flags.options(bulk=False, records=operation.mutating,
                                   csv=operation.name in CSV_KEYS or flags.given.dry_run))
    return dropin.run_dropin(run, operation.name, merged, check, paging)
