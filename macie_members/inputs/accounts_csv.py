"""Read the Amazon Macie console's bulk-upload accounts CSV.

The console's "Add accounts > Upload list (CSV)" format is a header line followed by one
account per line::

    Account ID,Email
    111111111111,janedoe@example.com

:func:`read_accounts` reads such a file (or stdin) and :func:`parse_accounts` is the pure
core that turns its bytes into :class:`Account` values. Every problem in the file is
collected, each with the file name and the physical line it is on, and reported at once
in an :class:`AccountsFileError`; nothing is silently repaired. Damage typically done by
spreadsheets (ids turned into numbers, leading zeros dropped, a workbook or UTF-16 file
saved instead of a UTF-8 CSV) is recognised and explained.

Standard library only, so that it can be used without the command-line dependencies.
"""

from __future__ import annotations

import os
import sys
from typing import BinaryIO, TextIO

from macie_members.inputs.accounts_rows import (
    EXAMPLE_LINE,
    HEADER,
    Account,
    AccountsFile,
    AccountsFileError,
    Parser,
    Problem,
)
from macie_members.inputs.bounded import MAX_LINE_CHARS, InputLimitError, read_bounded
from macie_members.inputs.spreadsheet import SAVE_AS_CSV, decode, one_line

__all__ = [
    "EXAMPLE_LINE",
    "HEADER",
    "MAX_LINE_CHARS",
    "Account",
    "AccountsFile",
    "AccountsFileError",
    "Problem",
    "parse_accounts",
    "read_accounts",
]


# --------------------------------------------------------------------------- reading


def read_accounts(
    source: str | os.PathLike[str] | TextIO | BinaryIO,
    *,
    require_email: bool,
    display_name: str | None = None,
) -> AccountsFile:
    """Read an accounts CSV from a path, ``"-"`` (stdin) or an open file.

    ``display_name`` is the name used in messages; it defaults to the path as given, or
    ``"<stdin>"``, or the stream's ``name``. Raises :class:`AccountsFileError` listing every
    problem, including an unreadable source.
    """
    if isinstance(source, str) and source == "-":
        name = display_name if display_name is not None else "<stdin>"
        data = _read_stdin(name)
    elif isinstance(source, str | os.PathLike):
        name = display_name if display_name is not None else os.fspath(source)
        data = _read_path(source, name)
    else:
        name = display_name if display_name is not None else _stream_name(source)
        data = _read_stream(source, name)
    return parse_accounts(data, path=name, require_email=require_email)


def _fail(path: str, message: str, line: int | None = None) -> AccountsFileError:
    return AccountsFileError([Problem(path, line, message)])


def _read_path(path: str | os.PathLike[str], name: str) -> bytes:
    try:
        with open(path, "rb") as file:
            return read_bounded(file.read)
    except InputLimitError as exc:
        raise _fail(name, exc.message, exc.line) from None
    except FileNotFoundError:
        raise _fail(name, "no such file") from None
    except IsADirectoryError:
        raise _fail(name, "is a directory, not a CSV file") from None
    except NotADirectoryError:
        raise _fail(name, "no such file (a part of the path is not a directory)") from None
    except PermissionError:
        if os.path.isdir(path):  # Windows reports directories as permission errors
            raise _fail(name, "is a directory, not a CSV file") from None
        raise _fail(name, "permission denied") from None
    except OSError as exc:
        raise _fail(name, f"cannot read the file: {one_line(exc.strerror or str(exc))}") from None
    except ValueError as exc:  # e.g. a NUL character in the path
        raise _fail(name, f"invalid file name: {one_line(str(exc))}") from None


def _read_stdin(name: str) -> bytes:
    stdin: TextIO | None = sys.stdin
    if stdin is None:
        raise _fail(name, "standard input is not available")
    buffer: BinaryIO | None = getattr(stdin, "buffer", None)
    return _read_stream(buffer if buffer is not None else stdin, name)


def _stream_name(stream: TextIO | BinaryIO) -> str:
    name = getattr(stream, "name", None)
    return name if isinstance(name, str) and name else "<stream>"


def _read_stream(stream: TextIO | BinaryIO, name: str) -> bytes:
    def read(size: int) -> bytes:
        content: str | bytes = stream.read(size)
        # A text stream (already decoded): back to the bytes it came from.
        return content.encode("utf-8", "surrogateescape") if isinstance(content, str) else bytes(content)

    try:
        return read_bounded(read)
    except InputLimitError as exc:
        raise _fail(name, exc.message, exc.line) from None
    except (UnicodeDecodeError, UnicodeEncodeError):
        raise _fail(name, f"the file is not UTF-8 text; {SAVE_AS_CSV}") from None
    except OSError as exc:
        raise _fail(name, f"cannot read: {one_line(exc.strerror or str(exc))}") from None


# --------------------------------------------------------------------------- parsing


def parse_accounts(data: bytes, *, path: str, require_email: bool) -> AccountsFile:
    """Parse the bytes of an accounts CSV; ``path`` is the name used in messages.

    Returns the accounts (duplicates merged, with a warning each) or raises
    :class:`AccountsFileError` with every problem found, in line order.
    """
    decoded, line, message = decode(data)
    if decoded is None:
        raise AccountsFileError([Problem(path, line, message or "")])
    return Parser(path, require_email).parse(decoded)
