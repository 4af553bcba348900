"""The rows of the Macie console's accounts CSV, and the values a read returns.

:class:`Parser` reads the header (its columns, in any order, named as the console names them;
a missing header is recognised), then each account line: its id and email checked with the
domain's rules (a broken id explained by :mod:`macie_members.inputs.spreadsheet`), and an
account listed twice merged with a warning, or refused when its emails differ. The entry
points are :func:`macie_members.inputs.accounts_csv.read_accounts` and ``parse_accounts``.

Standard library only.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from macie_members.domain import capped, email_problem, role_arn_parts, role_name_problem, show
from macie_members.errors import InputError
from macie_members.inputs.bounded import MAX_ACCOUNT_ROWS, MAX_LINE_CHARS
from macie_members.inputs.spreadsheet import account_id_problem, csv_error_message, split_id_problem

if TYPE_CHECKING:
    import _csv

HEADER = "Account ID,Email"
"""The header line of the Macie console's accounts CSV."""

EXAMPLE_LINE = "111111111111,janedoe@example.com"
"""An example account line, as in the Macie console's template."""

_TOO_MANY_ROWS = (f"more than {MAX_ACCOUNT_ROWS:,} account rows, the limit for an accounts file (a Region "
                  "takes at most 1,000 invited accounts); split the file or check that it is the right one")

_ID_HEADERS = frozenset({"accountid", "awsaccountid"})
_EMAIL_HEADERS = frozenset({"email", "emailaddress"})
# The optional per-account role column (accept-invitations): a role name, or a role ARN.
_ROLE_HEADERS = frozenset({"role", "rolename", "rolearn"})
# ... or an AWS CLI profile of that account (IAM Identity Center), used instead of a role.
_PROFILE_HEADERS = frozenset({"profile", "awsprofile"})

_LINE_RE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+")
_HEADER_NOISE_RE = re.compile(r"[\s_\-.\ufeff]+")


@dataclass(frozen=True, slots=True)
class Account:
    """One account line of the file."""

    account_id: str
    """Exactly 12 ASCII digits, leading zeros kept."""
    email: str | None
    """The email address, or ``None`` when the file has no Email column or it is empty
    (only possible with ``require_email=False``)."""
    line: int
    """The 1-based physical line of the file where this account's row starts."""
    role: str | None = None
    """The Role column's role name or role ARN (``None``: no such column, or it is empty)."""
    profile: str | None = None
    """The Profile column's AWS CLI profile of this account (``None``: none)."""


@dataclass(frozen=True, slots=True)
class Problem:
    """Something wrong (or, in :attr:`AccountsFile.warnings`, worth knowing) in a file."""

    path: str
    line: int | None
    message: str

    def __str__(self) -> str:
        if self.line is None:
            return f"{self.path}: {self.message}"
        return f"{self.path}:{self.line}: {self.message}"


class AccountsFileError(InputError):
    """The accounts file cannot be used; :attr:`problems` lists everything wrong with it."""

    problems: list[Problem]

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(capped([str(problem) for problem in self.problems])))


@dataclass
class AccountsFile:
    """The accounts of a valid file, in file order, with duplicates merged."""

    accounts: list[Account]
    warnings: list[Problem] = field(default_factory=list)




def _physical_lines(text: str, too_long: list[tuple[int, int]]) -> Iterator[str]:
    """The lines of ``text`` split at CRLF, LF or CR, endings kept.

    A line longer than :data:`MAX_LINE_CHARS` is recorded in ``too_long`` as
    ``(line number, length)`` and replaced by an empty line, so that line numbers hold.
    """
    for number, match in enumerate(_LINE_RE.finditer(text), 1):
        line = match.group()
        if len(line) > MAX_LINE_CHARS:
            too_long.append((number, len(line.rstrip("\r\n"))))
            yield "\n"
        else:
            yield line


DELIMITERS = {",": "commas", ";": "semicolons", "\t": "tabs"}


def _delimiter(text: str) -> str:
    """The delimiter of the file: the one its first non-blank line (the header) uses, when it
    uses only one of comma, semicolon (Excel's "CSV" in many European locales) and tab; else a
    comma (and the header's problem names the delimiters found)."""
    # The lines as the parser splits them, one at a time (a list of every line would be a
    # temporary copy of the whole file: benchmarks/memory.py).
    first = next((line for line in (m.group() for m in _LINE_RE.finditer(text)) if line.strip()), "")
    used = [d for d in DELIMITERS if d in first]
    return used[0] if len(used) == 1 else ","



class Parser:
    """The rows of one file, read once: its accounts, its problems and its warnings."""

    def __init__(self, path: str, require_email: bool) -> None:
        self.path = path
        self.require_email = require_email
        self.problems: list[Problem] = []
        self.warnings: list[Problem] = []
        self.accounts: list[Account] = []
        self.first_seen: dict[str, Account | tuple[int, str | None]] = {}
        self.id_column: int | None = None
        self.email_column: int | None = None
        self.role_column: int | None = None
        self.profile_column: int | None = None
        self.delimiter = ","

    def problem(self, line: int | None, message: str) -> None:
        self.problems.append(Problem(self.path, line, message))

    def parse(self, text: str) -> AccountsFile:
        too_long: list[tuple[int, int]] = []
        self.delimiter = _delimiter(text)
        reader = csv.reader(_physical_lines(text, too_long), strict=True, skipinitialspace=True,
                            delimiter=self.delimiter)
        header_state, nonblank_rows, data_rows = self.rows(reader, too_long)
        self.file_problems(too_long, header_state, nonblank_rows, data_rows)
        if self.problems:
            self.problems.sort(key=lambda problem: problem.line or 0)
            raise AccountsFileError(self.problems)
        return AccountsFile(accounts=self.accounts, warnings=self.warnings)

    def rows(self, reader: _csv.Reader, too_long: list[tuple[int, int]]) -> tuple[str, int, int]:
        """Read every row: the header, then the accounts. Returns the header's state (``found``,
        ``unusable``, or still ``searching``), and the numbers of non-blank and data rows."""
        header_state = "searching"  # then "found" (account rows follow) or "unusable" (skip all)
        damaged_before_header = False
        nonblank_rows = 0
        data_rows = 0
        while True:
            start = reader.line_num + 1
            try:
                row = next(reader)
            except StopIteration:
                break
            except csv.Error as exc:
                self.problem(start, csv_error_message(exc))
                nonblank_rows += 1
                data_rows += 1
                if header_state == "searching":
                    damaged_before_header = True
                continue
            cells = [cell.strip() for cell in row]
            if not any(cells):
                continue
            nonblank_rows += 1
            if header_state == "searching":
                if too_long:
                    damaged_before_header = True
                header_state = self.header(cells, start, damaged_before_header)
                if header_state != "data":
                    continue
                header_state = "found"
            elif header_state == "unusable":
                continue
            data_rows += 1
            if data_rows > MAX_ACCOUNT_ROWS:
                raise AccountsFileError([Problem(self.path, start, _TOO_MANY_ROWS)])
            self.row(cells, start)
        return header_state, nonblank_rows, data_rows

    def file_problems(self, too_long: list[tuple[int, int]], header_state: str, nonblank_rows: int,
                      data_rows: int) -> None:
        """The problems of the file as a whole: lines too long to parse, no accounts at all."""
        for number, length in too_long:
            self.problem(
                number,
                f"the line is too long ({length:,} characters, the limit is "
                f"{MAX_LINE_CHARS:,}); an accounts file has one short `{EXAMPLE_LINE}` "
                "line per account: is this the right file?",
            )
        if nonblank_rows == 0 and not too_long:
            self.problem(
                None,
                f"no accounts: the file is empty; it needs the header line `{HEADER}` "
                f"and one line per account, like `{EXAMPLE_LINE}`",
            )
        elif data_rows == 0 and header_state == "found" and not too_long:
            self.problem(
                None,
                "no accounts: the file has only the header line; "
                f"add one line per account, like `{EXAMPLE_LINE}`",
            )

    def header(self, cells: list[str], line: int, damaged: bool) -> str:
        """Read the header from the first non-blank row.

        Returns ``"found"``, ``"unusable"``, or ``"data"`` when the header is missing and
        the row is an account (columns are then assumed to be ``Account ID,Email``).
        """
        names = [_HEADER_NOISE_RE.sub("", cell.casefold()) for cell in cells]
        id_columns = [i for i, name in enumerate(names) if name in _ID_HEADERS]
        email_columns = [i for i, name in enumerate(names) if name in _EMAIL_HEADERS]
        role_columns = [i for i, name in enumerate(names) if name in _ROLE_HEADERS]
        profile_columns = [i for i, name in enumerate(names) if name in _PROFILE_HEADERS]
        if not id_columns:
            if _looks_like_data(cells):
                if not damaged:
                    self.problem(
                        line,
                        f"the header line `{HEADER}` is missing (this line looks like an "
                        f"account); add `{HEADER}` as the first line",
                    )
                self.id_column, self.email_column = 0, 1
                return "data"
            found = ", ".join(show(cell) for cell in cells[:5] if cell)
            others = [name for d, name in DELIMITERS.items() if d != self.delimiter and d in "".join(cells)]
            hint = (f"; the line is separated by {' and '.join(others)} as well: use one delimiter, "
                    "like the console's template" if others else "")
            self.problem(
                line,
                f"the first line must be the header `{HEADER}`, but it has no Account ID "
                f"column (found {found}){hint}",
            )
            return "unusable"
        for label, columns in (("Account ID", id_columns), ("Email", email_columns), ("Role", role_columns),
                                ("Profile", profile_columns)):
            if len(columns) > 1:
                numbers = ", ".join(str(i + 1) for i in columns)
                self.problem(
                    line,
                    f"the header has {len(columns)} {label} columns (columns {numbers}); "
                    "keep only one",
                )
        self.id_column = id_columns[0]
        self.email_column = email_columns[0] if email_columns else None
        self.role_column = role_columns[0] if role_columns else None
        self.profile_column = profile_columns[0] if profile_columns else None
        if self.email_column is None and self.require_email:
            self.problem(
                line,
                "the header has no Email column, and an email address is needed for each "
                f"account; the header must be `{HEADER}`, with lines like `{EXAMPLE_LINE}`",
            )
        return "found"

    def row(self, cells: list[str], line: int) -> None:
        assert self.id_column is not None
        if (split := split_id_problem(cells, self.id_column)) is not None:
            return self.problem(line, split)  # the other columns are shifted: nothing more to check
        account_id = cells[self.id_column] if self.id_column < len(cells) else ""
        id_message = account_id_problem(account_id)
        if id_message is not None:
            self.problem(line, id_message)
        email, email_valid = self.email_of(cells, line)
        role, role_message = self.role_of(cells, None if id_message else account_id)
        if role_message is not None:
            self.problem(line, role_message)
        valid = id_message is None and email_valid and role_message is None

        if id_message is not None:
            return
        first = self.first_seen.get(account_id)
        if first is None:
            # A valid row is remembered by its Account (no second object per row: the memory of a
            # 100,000-row file), any other by its line and email.
            account = Account(account_id, email, line, role, self.profile_of(cells)) if valid else None
            self.first_seen[account_id] = account or (line, email)
            if account is not None:
                self.accounts.append(account)
            return
        first_line, first_email = (first.line, first.email) if isinstance(first, Account) else first
        if (
            first_email is not None
            and email is not None
            and first_email.casefold() != email.casefold()
        ):
            self.problem(
                line,
                f"account {account_id} is listed twice with different emails: "
                f"line {first_line} has {show(first_email)} and line {line} has "
                f"{show(email)}; keep only one of them",
            )
            return
        self.warnings.append(
            Problem(
                self.path,
                line,
                f"account {account_id} is listed again (first on line {first_line}); "
                f"line {line} is ignored and line {first_line} is used",
            )
        )


    def email_of(self, cells: list[str], line: int) -> tuple[str | None, bool]:
        """The row's email address (``None``: none), and whether the row may be used."""
        if self.email_column is None:
            return None, True
        email = cells[self.email_column] if self.email_column < len(cells) else ""
        if not email:
            if self.require_email:
                self.problem(line, "the email is empty; an email address is needed for each account, "
                             f"like `{EXAMPLE_LINE}`")
                return None, False
            return None, True
        why = email_problem(email)
        if why is not None:
            self.problem(line, f"email {show(email)} {why}")
            return email, False
        return email, True

    def profile_of(self, cells: list[str]) -> str | None:
        column = self.profile_column
        return (cells[column] if column is not None and column < len(cells) else "") or None

    def role_of(self, cells: list[str], account_id: str | None) -> tuple[str | None, str | None]:
        """The row's role (a role name, or the ARN of a role of the row's account; ``None``:
        none), and what is wrong with it."""
        role = cells[self.role_column] if self.role_column is not None and self.role_column < len(cells) else ""
        if not role:
            return None, None
        if role.startswith("arn:"):
            parts = role_arn_parts(role)
            if parts is None:
                return None, f"role {show(role, 80)} is not an IAM role ARN (arn:aws:iam::ACCOUNT:role/NAME)"
            if account_id is not None and parts[1] != account_id:
                return None, (f"role {show(role, 80)} is a role of account {parts[1]}, not of this row's "
                              f"account {account_id}")
            return role, None
        problem = role_name_problem(role)
        return (None, f"role: {problem}") if problem else (role, None)


def _looks_like_data(cells: list[str]) -> bool:
    """Whether a would-be header row is an account line (so the header is missing)."""
    return re.match(r"[0-9]", cells[0]) is not None or any("@" in cell for cell in cells)
