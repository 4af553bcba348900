"""``--generate-cli-skeleton``: the JSON skeleton of an operation's input or output."""

from __future__ import annotations

from typing import Any

from macie_members.render.aws_text import format_json


def skeleton(service_model: Any, operation: str, which: str) -> str:
    model = service_model.operation_model(operation)
    shape = model.input_shape if which in ("input", "yaml-input") else model.output_shape
    if shape is None:
        return ""
    if not shape.members:
        # The AWS CLI prints an empty input as {}, and nothing for an empty answer.
        return "{}\n" if which in ("input", "yaml-input") else ""
    if which == "yaml-input":
        # AWS CLI v2's YAML skeleton of the input (the same document as the JSON one; v2 adds
        # comments on each member, which YAML drops when it parses).
        from macie_members.render.aws_yaml import format_yaml

        return format_yaml(_input_skeleton(shape))
    if which == "output":
        # botocore's own generator, as the AWS CLI uses it: strings show their member names.
        from botocore.utils import ArgumentGenerator

        return format_json(ArgumentGenerator(use_member_names=True).generate_skeleton(shape))
    # For input, the same layout, but an enum shows its first value every time (botocore picks
    # one at random, so the AWS CLI's skeleton changes from run to run).
    return format_json(_input_skeleton(shape))


_SCALARS: dict[str, Any] = {"integer": 0, "long": 0, "boolean": True, "timestamp": "1970-01-01T00:00:00",
                            "double": 0.0, "float": 0.0}


def _input_skeleton(shape: Any, depth: int = 0) -> Any:
    kind = shape.type_name
    if depth > 5:
        return {}
    if kind == "structure":
        return {member: _input_skeleton(sub, depth + 1) for member, sub in shape.members.items()}
    if kind == "list":
        return [_input_skeleton(shape.member, depth + 1)]
    if kind == "map":
        return {"KeyName": _input_skeleton(shape.value, depth + 1)}
    if kind == "string":
        return shape.enum[0] if shape.enum else ""
    return _SCALARS.get(kind)
