"""Paramfiles: ``file://path`` and ``fileb://path`` option values, read as the AWS CLI reads them
(``awscli/paramfile.py``), and the error type every parameter-syntax problem raises.

The lowest piece of the input syntax: :mod:`~macie_members.inputs.shorthand` and
:mod:`~macie_members.inputs.values` both import it, and it imports neither.
"""

from __future__ import annotations

import os

from macie_members.errors import InputError
from macie_members.inputs.bounded import InputLimitError, read_bounded

__all__ = ["ParamFileError", "ParamSyntaxError", "error_prefix", "is_param_file", "load_option_value",
           "load_param_file", "read_param_file"]


class ParamSyntaxError(InputError):
    """A parameter value could not be read or parsed.

    ``str(error)`` is the complete, AWS-CLI-style message, for example
    ``Error parsing parameter '--account': Expected: '=', received: 'EOF' for input:`` followed
    by the input and a caret line.
    """


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
        with open(path, "rb") as stream:
            text = read_bounded(stream.read).decode("utf-8")
        # Universal newlines for file://, as the AWS CLI's text mode reads it.
        return text if binary else text.replace("\r\n", "\n").replace("\r", "\n")
    except InputLimitError as error:
        where = path if error.line is None else f"{path}:{error.line}"
        raise ParamFileError(f"Unable to load paramfile ({where}), {error.message}") from None
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
