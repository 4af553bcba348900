"""The AWS CLI's parameter input syntax: paramfiles, shorthand and JSON values.

``aws macie2`` accepts structured option values in three ways, and so do we:

* ``file://path`` / ``fileb://path``: the value is the content of a file (a "paramfile");
* JSON: ``--account '{"accountId": "111122223333", "email": "a@example.com"}'``;
* shorthand: ``--account accountId=111122223333,email=a@example.com``.

The rules below follow aws-cli v1 (``awscli/paramfile.py``, ``awscli/shorthand.py`` and
``awscli/argprocess.py``): every value the AWS CLI accepts gives the same result here, and the
error messages use the AWS CLI's wording. The one deliberate difference is that syntax errors
show the real caret line under the error position (aws-cli 1.45.11 prints a placeholder).

Shorthand grammar, informally::

    parameter = keyval *("," keyval)
    keyval    = key ["@"] "=" values          ; "@=" loads file:// and fileb:// values
    values    = "" / explicit-list / hash-literal / csv-value
    csv-value = value *("," value)            ; "k=a,b" gives ["a", "b"]
    explicit-list = "[" [nested *("," nested)] "]"
    hash-literal  = "{" [key "=" nested *("," key "=" nested)] "}"

Values may be quoted with ``'`` or ``"`` (a backslash escapes the quote), and ``\\,`` is a
literal comma in an unquoted value. Whitespace around keys, values, ``=`` and ``,`` is ignored.

Only syntax is handled here: whether a value has the right type for the operation (a string
where a string is expected, ...) is checked later by botocore's ``ParamValidator``.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from macie_members.domain import clip, clip_around
from macie_members.inputs.paramfile import (
    ParamSyntaxError,
    error_prefix,
    load_option_value,
    load_param_file,
)
from macie_members.inputs.shorthand import parse_shorthand

__all__ = [
    "ParamSyntaxError",
    "load_param_file",
    "parse_json_document",
    "parse_list",
    "parse_structure",
    "parse_yaml_document",
]


def _decode_json(text: str, option: str) -> object:
    try:
        decoded: object = json.loads(text)
    except (ValueError, RecursionError) as error:
        raise ParamSyntaxError(
            # Around the error's position: that is the part worth seeing of a long document.
            f"{error_prefix(option)}Invalid JSON: {error}\nJSON received: "
            f"{clip_around(text, getattr(error, 'pos', 0))[0]}"
        ) from None
    return decoded


def parse_structure(value: str, option: str) -> object:
    """Parse the value of a structure or map option such as ``--account`` or ``--tags``.

    ``option`` is the option as typed (``"--account"``); it names the option in errors. After
    loading a paramfile, a value starting with ``{`` is JSON, one starting with ``[`` is an
    error (``Invalid JSON:``, as in the AWS CLI) and anything else is shorthand.
    """
    text = load_option_value(value, option)
    head = text.strip()
    if head.startswith("{"):
        return _decode_json(text, option)
    if head.startswith("["):
        raise ParamSyntaxError(f"{error_prefix(option)}Invalid JSON:\n{clip(text)}")  # cut, as every echo
    return parse_shorthand(text, option)


def parse_list(values: Sequence[str], option: str) -> object:
    """Parse the arguments given after a list option such as ``--account-ids``.

    A single argument that starts with ``[`` (after loading a paramfile) is a JSON list.
    Otherwise every argument is one item, and commas do not split: ``111,222`` is one item.
    """
    if isinstance(values, str):  # a lone string is one argument, not a list of characters
        values = [values]
    if len(values) == 1:
        text = load_option_value(values[0], option)
        if text.strip().startswith("["):
            return _decode_json(text, option)
        return [text]
    return [load_option_value(value, option) for value in values]


_JSON_KINDS: dict[type, str] = {
    list: "array",
    str: "string",
    int: "number",
    float: "number",
    bool: "boolean",
    type(None): "null",
}


def parse_json_document(value: str, option: str) -> dict[str, object]:
    """Parse the value of ``--cli-input-json``: a JSON object, given inline or as a paramfile.

    ``option`` may be given with or without the leading dashes. As in the AWS CLI, a file
    error names ``'--cli-input-json'`` and a JSON error names ``'cli-input-json'``.
    """
    name = option.lstrip("-")
    text = load_option_value(value, f"--{name}")
    document = _decode_json(text, name)
    if not isinstance(document, dict):
        kind = _JSON_KINDS.get(type(document), type(document).__name__)
        raise ParamSyntaxError(
            f"{error_prefix(name)}Invalid JSON: expected a JSON object, received a JSON {kind}\n"
            f"JSON received: {clip(text)}"
        )
    return document


def parse_yaml_document(value: str, option: str) -> dict[str, object]:
    """Parse the value of ``--cli-input-yaml`` (AWS CLI v2): a YAML mapping, given inline or as a
    paramfile. PyYAML is imported only here."""
    import yaml

    name = option.lstrip("-")
    text = load_option_value(value, f"--{name}")
    try:
        document = yaml.safe_load(text)
    except yaml.YAMLError as error:
        raise ParamSyntaxError(f"{error_prefix(name)}Invalid YAML: {clip(' '.join(str(error).split()))}") from None
    except RecursionError:  # PyYAML's composer recurses per level: a 2 KB file of [[[...]]] is enough
        raise ParamSyntaxError(f"{error_prefix(name)}Invalid YAML: nested too deeply to be read") from None
    if not isinstance(document, dict):
        kind = _JSON_KINDS.get(type(document), type(document).__name__)
        raise ParamSyntaxError(f"{error_prefix(name)}Invalid YAML: expected a mapping, received a {kind}")
    return document
