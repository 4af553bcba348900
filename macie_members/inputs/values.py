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
import os
from collections.abc import Sequence

from macie_members.errors import InputError

__all__ = [
    "ParamSyntaxError",
    "load_param_file",
    "parse_json_document",
    "parse_list",
    "parse_structure",
]


class ParamSyntaxError(InputError):
    """A parameter value could not be read or parsed.

    ``str(error)`` is the complete, AWS-CLI-style message, for example
    ``Error parsing parameter '--account': Expected: '=', received: 'EOF' for input:`` followed
    by the input and a caret line.
    """


# --------------------------------------------------------------------------------------------
# Paramfiles
# --------------------------------------------------------------------------------------------

_TEXT_FILE_PREFIX = "file://"
_BINARY_FILE_PREFIX = "fileb://"


class ParamFileError(Exception):
    """A paramfile could not be read; the message has no "Error parsing parameter" prefix."""


def is_param_file(value: str) -> bool:
    return value.startswith((_TEXT_FILE_PREFIX, _BINARY_FILE_PREFIX))


def read_param_file(value: str) -> str:
    """Return the content of the file named by a ``file://`` or ``fileb://`` value.

    Raises :class:`ParamFileError` if the file cannot be read or decoded.
    """
    binary = value.startswith(_BINARY_FILE_PREFIX)
    prefix = _BINARY_FILE_PREFIX if binary else _TEXT_FILE_PREFIX
    # Same order as the AWS CLI: "~" first, then $VARIABLES.
    path = os.path.expandvars(os.path.expanduser(value[len(prefix) :]))
    try:
        if binary:
            with open(path, "rb") as stream:
                return stream.read().decode("utf-8")
        # Text mode, so "\r\n" becomes "\n" as it does in the AWS CLI.
        with open(path, encoding="utf-8") as stream:
            return stream.read()
    except UnicodeDecodeError:
        if binary:
            message = (
                f"Unable to load paramfile ({path}), contents could not be decoded as UTF-8 text."
            )
        else:
            message = (
                f"Unable to load paramfile ({path}), text contents could not be decoded.  "
                "If this is a binary file, please use the fileb:// prefix instead of the "
                "file:// prefix."
            )
        raise ParamFileError(message) from None
    except (OSError, ValueError) as error:
        # OSError: missing file, a directory, no permission. ValueError: a NUL in the path.
        raise ParamFileError(f"Unable to load paramfile {value}: {error}") from None


def load_param_file(value: str) -> str:
    """Resolve a ``file://`` or ``fileb://`` value to the file's text; return others unchanged.

    ``~`` and ``$VARIABLES`` in the path are expanded, as in the AWS CLI. ``file://`` files are
    read as UTF-8 text with universal newlines; ``fileb://`` files are read as bytes and decoded
    as UTF-8 (every parameter of these commands is text).

    Raises :class:`ParamSyntaxError` (without an option prefix) if the file cannot be read, e.g.
    ``Unable to load paramfile file:///x: [Errno 2] No such file or directory: '/x'``.
    """
    if not is_param_file(value):
        return value
    try:
        return read_param_file(value)
    except ParamFileError as error:
        raise ParamSyntaxError(str(error)) from None


def error_prefix(option: str) -> str:
    return f"Error parsing parameter '{option}': "


def load_option_value(value: str, option: str) -> str:
    """:func:`load_param_file`, with the option's prefix on errors (as the AWS CLI does)."""
    if not is_param_file(value):
        return value
    try:
        return read_param_file(value)
    except ParamFileError as error:
        raise ParamSyntaxError(error_prefix(option) + str(error)) from None


def _decode_json(text: str, option: str) -> object:
    try:
        decoded: object = json.loads(text)
    except (ValueError, RecursionError) as error:
        raise ParamSyntaxError(
            f"{error_prefix(option)}Invalid JSON: {error}\nJSON received: {text}"
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
        raise ParamSyntaxError(f"{error_prefix(option)}Invalid JSON:\n{text}")
    from macie_members.inputs.shorthand import parse_shorthand

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
            f"JSON received: {text}"
        )
    return document
