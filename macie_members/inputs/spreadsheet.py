"""Spreadsheet damage: what a spreadsheet does to an accounts CSV, recognised and explained.

Used by :mod:`macie_members.inputs.accounts_csv`: a workbook or UTF-16 file saved instead of a UTF-8 CSV,
ids turned into numbers (scientific notation, decimals, lost leading zeros), formulas, quotes
left open. The rules themselves (what an account id is) are :mod:`macie_members.domain`'s; this
module only says, when one is broken, what probably broke it and how to fix it.

Standard library only.
"""

from __future__ import annotations

import codecs
import csv
import re

from macie_members.domain import describe_char, distinct, is_account_id, show

HEADER = "Account ID,Email"
SAVE_AS_CSV = (
    'export it from your spreadsheet as "CSV UTF-8" '
    "(Excel: File > Save As > CSV UTF-8 (Comma delimited) (*.csv))"
)
TEXT_COLUMN = "format the Account ID column as Text and re-enter the 12-digit ids"
_EOL_BYTES_RE = re.compile(rb"\r\n|\r|\n")
_DIGITS_RE = re.compile(r"[0-9]+")
_SCIENTIFIC_RE = re.compile(r"[+-]?[0-9]+(?:[.,][0-9]*)?[eE][+-]?[0-9]+")
_DECIMAL_RE = re.compile(r"([0-9]+)[.,]([0-9]+)")
_FORMULA_RE = re.compile(r'="?([0-9]+)"?')
_SEPARATORS = {" ": "spaces", "\u00a0": "spaces", "\t": "spaces", "-": "dashes", ",": "commas", ".": "dots"}


def one_line(text: str) -> str:
    return " ".join(text.split())


def decode(data: bytes) -> tuple[str | None, int | None, str | None]:
    """``(text, None, None)``, or ``(None, line, message)``: why ``data`` is not a UTF-8 CSV."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            data.decode("utf-16")
        except UnicodeDecodeError:
            pass
        else:
            return None, None, f"the file is UTF-16 text, not UTF-8; save it as UTF-8: {SAVE_AS_CSV}"
    if data.startswith(b"PK\x03\x04"):
        return None, None, f"the file is a zip archive (an Excel .xlsx workbook?), not a CSV file; {SAVE_AS_CSV}"
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        return None, None, f"the file is an Excel .xls workbook, not a CSV file; {SAVE_AS_CSV}"
    if b"\x00" in data:
        if looks_like_utf16(data):
            return None, None, ("the file looks like UTF-16 text (without a byte order mark), not UTF-8; "
                                f"save it as UTF-8: {SAVE_AS_CSV}")
        return None, None, f"the file is binary (it contains NUL bytes), not a UTF-8 CSV file; {SAVE_AS_CSV}"
    try:
        return data.decode("utf-8-sig"), None, None
    except UnicodeDecodeError as exc:
        line = 1 + sum(1 for _ in _EOL_BYTES_RE.finditer(data, 0, exc.start))
        return None, line, (f"the file is not UTF-8 text (byte 0x{data[exc.start]:02X} on this line is not valid "
                            f"UTF-8; was it saved as ANSI / Windows-1252?); {SAVE_AS_CSV}")


def looks_like_utf16(data: bytes) -> bool:
    sample = data[:1024]
    if len(sample) < 4 or len(sample) % 2:
        return False
    for zeros, chars, codec in (
        (sample[1::2], sample[0::2], "utf-16-le"),
        (sample[0::2], sample[1::2], "utf-16-be"),
    ):
        if not any(zeros) and all(chars):
            try:
                data.decode(codec)
            except UnicodeDecodeError:
                return False
            return True
    return False


def account_id_problem(account_id: str) -> str | None:
    """Why ``account_id`` is not a 12-digit account id, or ``None`` when it is one: the likely
    damage first (digits lost, a number, a formula...), then the characters that do not belong."""
    if is_account_id(account_id):
        return None
    if not account_id:
        return "the account id is empty"
    return (_digit_count_problem(account_id) or _number_problem(account_id) or _marker_problem(account_id)
            or _character_problem(account_id))


def split_id_problem(cells: list[str], column: int) -> str | None:
    """An id written with thousands separators (``111,111,111,111``) and so split into cells:
    1 to 3 digits, then cells of exactly 3 digits. ``None`` when the row does not look so."""
    groups = cells[column:column + 1]
    while groups and column + len(groups) < len(cells) and re.fullmatch(r"[0-9]{3}", cells[column + len(groups)]):
        groups.append(cells[column + len(groups)])
    if len(groups) < 2 or not re.fullmatch(r"[0-9]{1,3}", groups[0]):
        return None
    written, digits = ",".join(groups), "".join(groups)
    result = f"without them it is {digits}" if len(digits) == 12 else f"it has {len(digits)} digits"
    return (f"account id {show(written)} is written with commas (thousands separators?), which split it "
            f"into {len(groups)} columns; an account id is 12 digits with nothing between them ({result}); "
            f"{TEXT_COLUMN}")


def _digit_count_problem(account_id: str) -> str | None:
    """Only digits, but not 12 of them (a spreadsheet drops leading zeros)."""
    if not _DIGITS_RE.fullmatch(account_id):
        return None
    shown, digits = show(account_id), len(account_id)
    if digits > 12:
        return (
            f"account id {shown} has {digits} digits, too many: an account id has "
            "exactly 12 digits"
        )
    return (
        f"account id {shown} has {digits} digit{'s' if digits > 1 else ''}; a spreadsheet "
        f"may have dropped leading zeros: did you mean {account_id.zfill(12)}? "
        "(format the Account ID column as Text so that it keeps them)"
    )


def _number_problem(account_id: str) -> str | None:
    """An id the spreadsheet turned into a number (scientific notation, a decimal)."""
    shown = show(account_id)
    if _SCIENTIFIC_RE.fullmatch(account_id):
        return (
            f"account id {shown} is in scientific notation: looks like the spreadsheet "
            f"converted the id to a number, losing digits; {TEXT_COLUMN}"
        )
    decimal = _DECIMAL_RE.fullmatch(account_id)
    if decimal is None:
        return None
    whole, fraction = decimal.groups()
    # Never padded: "111,000" may be a thousands separator as well as a decimal comma. Only an id
    # that is 12 digits as it is (".00" appended) or once the separator is removed is suggested.
    hint = ""
    if not fraction.strip("0") and len(whole) == 12:
        hint = f" (did you mean {whole}?)"
    elif len(whole + fraction) == 12:
        hint = f" (did you mean {whole + fraction}?)"
    return (
        f"account id {shown} is a decimal number: looks like the spreadsheet converted "
        f"the id to a number; {TEXT_COLUMN}{hint}"
    )


def _marker_problem(account_id: str) -> str | None:
    """A spreadsheet's formula or text marker around the digits, or an email in the id column."""
    shown = show(account_id)
    formula = _FORMULA_RE.fullmatch(account_id)
    if formula is not None:
        return (
            f"account id {shown} is a spreadsheet formula, not plain digits; write the id "
            f"as just its digits ({formula.group(1)}) and format the column as Text"
        )
    if account_id.startswith("'") and _DIGITS_RE.fullmatch(account_id[1:]):
        return (
            f"account id {shown} starts with an apostrophe (a spreadsheet's text marker); "
            "remove it and format the Account ID column as Text instead"
        )
    if "@" in account_id:
        return (
            f"account id {shown} looks like an email address: are the columns in the order "
            f"of the header `{HEADER}`?"
        )
    return None


def _character_problem(account_id: str) -> str:
    """Characters that are not digits: separators (spaces, dashes) or anything else."""
    shown = show(account_id)
    others = distinct(c for c in account_id if not "0" <= c <= "9")
    digit_count = sum(1 for c in account_id if "0" <= c <= "9")
    if digit_count and all(c in _SEPARATORS for c in others):
        kinds = " and ".join(sorted({_SEPARATORS[c] for c in others}))
        if digit_count == 12:
            without = "".join(c for c in account_id if "0" <= c <= "9")
            result = f"without them it is {without}"
        else:
            result = f"it has {digit_count} digits, an account id has exactly 12"
        return (
            f"account id {shown} contains {kinds}; remove them, an account id is 12 digits "
            f"with nothing between them ({result})"
        )
    listed = ", ".join(describe_char(c) for c in others[:5])
    more = ", ..." if len(others) > 5 else ""
    return (
        f"account id {shown} contains characters that are not digits: {listed}{more}; "
        "an account id is exactly 12 digits (0-9)"
    )


def csv_error_message(exc: csv.Error) -> str:
    text = str(exc)
    if "unexpected end of data" in text:
        return (
            'a quoted field that starts on this line is never closed (a closing " is '
            "missing), so the rest of the file is part of it"
        )
    if "expected after" in text:
        return (
            "a quoted field has text (even a space) after its closing quote; only a comma may "
            'follow it, and a " inside a quoted field must be doubled ("")'
        )
    if "field larger than field limit" in text:
        return (
            "a field is too long (over "
            f"{csv.field_size_limit():,} characters): is a closing quote missing?"
        )
    return f"malformed CSV: {one_line(text)}"
