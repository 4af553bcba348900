"""CSV output (``--output csv`` on list-members, status and result records), safe to open in a spreadsheet.

A cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return would be run as a
formula by Excel, LibreOffice or Google Sheets (CSV injection); such cells are written with a
leading apostrophe, which spreadsheets show as text. Account ids stay 12-digit strings.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def escape_cell(value: Any) -> str:
    text = "" if value is None else (value.isoformat() if hasattr(value, "isoformat") else str(value))
    if text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


def to_csv(header: Sequence[str] | None, rows: Iterable[Sequence[Any]]) -> str:
    """CSV text: the header line (unless ``None``), then the rows, cells escaped."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    if header is not None:
        writer.writerow([escape_cell(h) for h in header])
    for row in rows:
        writer.writerow([escape_cell(cell) for cell in row])
    return buffer.getvalue()


MEMBER_COLUMNS = ("accountId", "email", "relationshipStatus", "administratorAccountId", "invitedAt", "updatedAt", "arn")


def members_csv(members: Iterable[dict[str, Any]], *, region: str | None = None) -> str:
    header = (["region"] if region is not None else []) + list(MEMBER_COLUMNS)
    rows = [([region] if region is not None else []) + [m.get(c) for c in MEMBER_COLUMNS] for m in members]
    return to_csv(header, rows)


def regions_members_csv(regions: Iterable[dict[str, Any]]) -> str:
    header = ["region", *MEMBER_COLUMNS]
    rows = []
    for entry in regions:
        for member in entry.get("members", []):
            rows.append([entry["region"], *(member.get(c) for c in MEMBER_COLUMNS)])
    return to_csv(header, rows)
