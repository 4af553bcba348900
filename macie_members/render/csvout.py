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

from macie_members.config import CSV_KEYS
from macie_members.domain import membership_type

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


MEMBER_COLUMNS = ("accountId", "email", "relationshipStatus", "administratorAccountId", "invitedAt", "updatedAt", "arn",
                  "membershipType")
"""A member's columns; ``membershipType`` is not in the answer: ``invitation`` or ``organization``
(:func:`macie_members.domain.membership_type`), last so that the answer's own columns keep their
places."""


INVITATION_COLUMNS = ("accountId", "invitationId", "relationshipStatus", "invitedAt")
COLUMNS = {"members": MEMBER_COLUMNS, "invitations": INVITATION_COLUMNS, "administrator": INVITATION_COLUMNS,
           "member": MEMBER_COLUMNS}




def _items(entry: dict[str, Any], key: str) -> list[dict[str, Any]]:
    value = entry if key == "member" else entry.get(key)
    items = value if isinstance(value, list) else [value] if value else []
    if key in ("members", "member"):
        items = [{**item, "membershipType": membership_type(item)} for item in items]
    return items


def response_csv(document: dict[str, Any], operation: str) -> str:
    """An answer as CSV: one row per item of its list (members, invitations), or one row for
    an object (the administrator; GetMember's account)."""
    key = CSV_KEYS[operation]
    columns = COLUMNS[key]
    return to_csv(columns, [[item.get(c) for c in columns] for item in _items(document, key)])


def regions_csv(regions: Iterable[dict[str, Any]], key: str) -> str:
    """A document across Regions (``{"region": R, key: ...}`` each) as CSV: the rows of
    :func:`response_csv` with a ``region`` column first. A Region that failed has no row (its
    error is said on stderr)."""
    columns = COLUMNS[key]
    rows = [[entry["region"], *(item.get(c) for c in columns)]
            for entry in regions if "errorCode" not in entry for item in _items(entry, key)]
    return to_csv(["region", *columns], rows)
