"""Running one ``aws macie2``-style operation: input, checks, the call, the output."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import click

from macie_members.errors import InputError

from .app import App, debug_logging


@dataclass(frozen=True)
class Operation:
    name: str
    required: tuple[str, ...] = ()
    paginated: bool = False

    @property
    def method(self) -> str:
        return re.sub(r"(?<!^)(?=[A-Z])", "_", self.name).lower()

    def option_of(self, member: str) -> str:
        return "--" + re.sub(r"(?<!^)(?=[A-Z])", "-", member).lower()


def run_operation(
    app: App,
    operation: Operation,
    params: Callable[[], dict[str, Any]],
    *,
    cli_input_json: str | None,
    skeleton: str | None,
    check: Callable[[Mapping[str, Any]], None],
    max_items: int | None = None,
    page_size: int | None = None,
    starting_token: str | None = None,
) -> None:
    with debug_logging(app):
        merged = _merge_input(cli_input_json, params())
        if skeleton is not None:
            if skeleton == "output":
                _require(operation, merged)
            click.echo(_skeleton(app, operation, skeleton), nl=False)
            return
        _require(operation, merged)

        from macie_members.client import call, full_result, validate_params

        if operation.name != "ListMembers" and app.output_format() == "csv":
            raise InputError("--output csv is available for list-members and status only.")
        client = app.client()
        app.output_format()  # an unknown AWS_DEFAULT_OUTPUT / profile output fails before sending
        validate_params(client, operation.name, merged)
        check(merged)
        if operation.paginated and app.output_format() == "text":
            # The AWS CLI prints text page by page, applying --query to each page (and to the
            # NextToken of a truncated result): so do we, for identical output.
            from macie_members.client import text_pages

            pages, resume_token = text_pages(
                client, operation.method, merged,
                max_items=max_items, page_size=page_size, starting_token=starting_token,
            )
            for page in pages:
                app.emit_text_page(page)
            if resume_token:
                app.emit_text_page({"NextToken": {"NextToken": resume_token}})
            return
        if operation.paginated:
            response = full_result(
                client,
                operation.method,
                merged,
                max_items=max_items,
                page_size=page_size,
                starting_token=starting_token,
            )
        else:
            response = call(client, operation.method, **merged)
        app.emit(response, operation=operation.name)


def _merge_input(cli_input_json: str | None, given: dict[str, Any]) -> dict[str, Any]:
    """``--cli-input-json`` first, then the options given on the command line (they win)."""
    if cli_input_json is None:
        return given
    from macie_members.params import parse_json_document

    merged = dict(parse_json_document(cli_input_json, "cli-input-json"))
    merged.update(given)
    return merged


def _require(operation: Operation, params: Mapping[str, Any]) -> None:
    missing = [operation.option_of(name) for name in operation.required if name not in params]
    if missing:
        raise click.UsageError(f"the following arguments are required: {', '.join(missing)}")


def _skeleton(app: App, operation: Operation, which: str) -> str:
    from macie_members.output import format_json

    model = app.aws.session.get_service_model("macie2").operation_model(operation.name)
    shape = model.input_shape if which == "input" else model.output_shape
    if shape is None or not shape.members:
        return ""
    if which == "output":
        # botocore's own generator, as the AWS CLI uses it: strings show their member names.
        from botocore.utils import ArgumentGenerator

        return format_json(ArgumentGenerator(use_member_names=True).generate_skeleton(shape))
    # For input, the same layout, but an enum shows its first value every time (botocore picks
    # one at random, so the AWS CLI's skeleton changes from run to run).
    return format_json(_input_skeleton(shape))


def _input_skeleton(shape: Any, depth: int = 0) -> Any:
    kind = shape.type_name
    if depth > 5:
        return {}
    if kind == "structure":
        return {
            member: _input_skeleton(sub, depth + 1)
            for member, sub in shape.members.items()
        }
    if kind == "list":
        return [_input_skeleton(shape.member, depth + 1)]
    if kind == "map":
        key = "KeyName"
        return {key: _input_skeleton(shape.value, depth + 1)}
    if kind == "string":
        if shape.enum:
            return shape.enum[0]
        return ""
    if kind in ("integer", "long"):
        return 0
    if kind == "boolean":
        return True
    if kind == "timestamp":
        return "1970-01-01T00:00:00"
    if kind in ("double", "float"):
        return 0.0
    return None
