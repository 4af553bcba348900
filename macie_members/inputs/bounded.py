"""Bounded reading: every file or stream a command reads (an accounts CSV, ``file://`` and
``fileb://`` parameter files, ``--cli-input-json`` / ``--cli-input-yaml`` files, stdin ``-``) is
read in chunks and refused at the first sign that it is not the small text file expected.

The caps live here, in one place, far above what the service accepts (1,000 invited accounts
per Region, 10,000 through Organizations), so that no real input meets them while
``/dev/zero`` or a wrong file is refused after one chunk instead of filling the memory:

* :data:`MAX_INPUT_BYTES`: 32 MiB per file or stream;
* :data:`MAX_ACCOUNT_ROWS`: 100,000 account rows in an accounts file;
* :data:`MAX_LINE_CHARS`: 100,000 characters on one line of an accounts file.

What :mod:`macie_members.inputs.spreadsheet` explains (a UTF-16 file, with or without a byte
order mark, an ``.xlsx`` / ``.ods`` zip or an ``.xls`` workbook) is recognised from the first
chunk and left to it; in any other input the first NUL byte stops the read, with its line.

Standard library only.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Callable

from macie_members.inputs.spreadsheet import looks_like_utf16

__all__ = ["CHUNK_BYTES", "MAX_ACCOUNT_ROWS", "MAX_INPUT_BYTES", "MAX_LINE_CHARS", "InputLimitError",
           "read_bounded"]

MAX_INPUT_BYTES = 32 * 1024 * 1024
"""The largest file or stream read (a 100,000-row accounts file is about 4 MiB)."""

MAX_ACCOUNT_ROWS = 100_000
"""The most account rows in an accounts file (100 times the 1,000 invited accounts a Region takes)."""

MAX_LINE_CHARS = 100_000
"""Longer physical lines of an accounts file are reported as a problem instead of being parsed."""

CHUNK_BYTES = 64 * 1024
"""Read this much at a time."""

_EXPLAINED_MAGIC = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE, b"PK\x03\x04", b"\xd0\xcf\x11\xe0")
_EOL_BYTES_RE = re.compile(rb"\r\n|\r|\n")


class InputLimitError(Exception):
    """The input was refused before it was read whole; ``line`` is where (or ``None``)."""

    def __init__(self, line: int | None, message: str) -> None:
        self.line = line
        self.message = message
        super().__init__(message)


def _explained(head: bytes) -> bool:
    """Whether the first chunk is a file the spreadsheet module explains (NULs are then expected)."""
    return head.startswith(_EXPLAINED_MAGIC) or looks_like_utf16(head[: len(head) - len(head) % 2])


def line_of(data: bytes, offset: int) -> int:
    """The 1-based line (CRLF, LF or CR endings) that byte ``offset`` of ``data`` is on."""
    return 1 + sum(1 for _ in _EOL_BYTES_RE.finditer(data, 0, offset))


def read_bounded(read: Callable[[int], bytes], *, limit: int = MAX_INPUT_BYTES) -> bytes:
    """Everything ``read`` (a stream's ``read``) returns, in :data:`CHUNK_BYTES` chunks.

    Raises :class:`InputLimitError` at the first NUL byte (unless the first chunk is a file the
    spreadsheet module explains) or once more than ``limit`` bytes came.
    """
    data = bytearray()
    check_nul: bool | None = None
    while True:
        chunk = read(CHUNK_BYTES)
        if not chunk:
            return bytes(data)
        start = len(data)
        data += chunk
        if check_nul is None:
            check_nul = not _explained(bytes(data[:CHUNK_BYTES]))
        if check_nul and (nul := data.find(b"\x00", start)) >= 0:
            raise InputLimitError(line_of(bytes(data[: nul + 1]), nul),
                                  "a NUL byte on this line: this is a binary file, not text")
        if len(data) > limit:
            raise InputLimitError(None, f"larger than {limit // (1024 * 1024)} MiB, the limit for an input "
                                  "file; is this the right file?")
