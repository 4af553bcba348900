"""Property tests (hypothesis) of macie_members.inputs.accounts_csv: any bytes, CSV-like text or
text stream is read or refused with one-line problems in line order, never a crash; valid files
round-trip with their exact line numbers. And the reader at scale (100,000 rows, a 10 MB line).

(Example-based tests of the same module: tests/unit/test_inputs_accounts_csv.py.)
"""

from __future__ import annotations

import io

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from macie_members.inputs.accounts_csv import (
    Account,
    AccountsFileError,
    parse_accounts,
    read_accounts,
)

# --------------------------------------------------------------------------- scale


def test_hundred_thousand_rows() -> None:
    rows = "".join(f"{i:012d},user{i}@example.com\r\n" for i in range(100_000))
    data = ("\ufeffAccount ID,Email\r\n" + rows).encode()
    result = parse_accounts(data, path="big.csv", require_email=True)  # how fast: benchmarks/csv_read.py
    assert len(result.accounts) == 100_000
    assert result.accounts[-1] == Account("000000099999", "user99999@example.com", 100_001)


# --------------------------------------------------------------------------- properties


def check_never_crashes(data: bytes, require_email: bool) -> None:
    try:
        result = parse_accounts(data, path="p.csv", require_email=require_email)
    except AccountsFileError as error:
        assert error.problems
        for problem in error.problems:
            assert problem.message.strip()
            assert "\n" not in problem.message and "\r" not in problem.message
            assert problem.path == "p.csv"
            assert problem.line is None or problem.line >= 1
        lines = [p.line or 0 for p in error.problems]
        assert lines == sorted(lines)
    else:
        assert result.accounts
        for account in result.accounts:
            assert len(account.account_id) == 12 and account.account_id.isascii()
            assert account.account_id.isdigit()
            assert account.email or not require_email


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=200), st.booleans())
def test_arbitrary_bytes(data: bytes, require_email: bool) -> None:
    check_never_crashes(data, require_email)


TOKENS = [
    "Account ID", "Email", "accountId", ",", '"', '""', "\n", "\r", "\r\n", " ", "\t",
    "111111111111", "011111111111", "1.11111E+11", "janedoe@example.com", "@", ".", "-",
    "\ufeff", "\u200b", "=", "'", "é", "\x00", "1",
]  # fmt: skip


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(TOKENS), max_size=40), st.booleans())
def test_csv_like_text(tokens: list[str], require_email: bool) -> None:
    check_never_crashes("".join(tokens).encode(), require_email)


emails = st.builds(
    "{}@{}.{}".format,
    st.text("abcxyz019._+", min_size=1, max_size=10),
    st.text("abcdefxyz019", min_size=1, max_size=8),
    st.sampled_from(["com", "io", "co.uk"]),
)
account_rows = st.dictionaries(
    st.integers(0, 10**12 - 1).map("{:012d}".format), emails, min_size=1, max_size=8
)


@settings(max_examples=150, deadline=None)
@given(
    account_rows,
    st.sampled_from(["\n", "\r\n", "\r"]),
    st.booleans(),
    st.lists(st.integers(0, 2), min_size=9, max_size=9),
    st.lists(st.sampled_from(["", "plain", "two\nlines", "three\r\nline\rnote"]), min_size=9),
)
def test_valid_files_round_trip_with_exact_lines(
    rows: dict[str, str], eol: str, bom: bool, blanks: list[int], notes: list[str]
) -> None:
    text = ("\ufeff" if bom else "") + "Note,Account ID,Email" + eol
    line = 2
    expected = []
    for index, (account_id, email) in enumerate(rows.items()):
        text += eol * blanks[index]
        line += blanks[index]
        note = notes[index]
        text += f'"{note}", {account_id} ,"{email}"' + eol
        expected.append(Account(account_id, email, line))
        line += 1 + note.count("\n") + note.count("\r") - note.count("\r\n")
    result = parse_accounts(text.encode(), path="p.csv", require_email=True)
    assert result.accounts == expected
    assert result.warnings == []


_STREAM_TOKENS = [
    "Account ID", "Email", ",", '"', "\n", "\r\n", " ", "111111111111", "a@example.com",
    "\ufeff", "\x00", "\ud800", "\udcff", "é", "1.1E+11",
]  # fmt: skip


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(_STREAM_TOKENS), max_size=30), st.booleans())
def test_read_accounts_from_any_text_stream(tokens: list[str], require_email: bool) -> None:
    """Text streams (what a caller may pass) can hold lone surrogates; never a crash."""
    try:
        parsed = read_accounts(io.StringIO("".join(tokens)), require_email=require_email)
    except AccountsFileError as error:
        assert error.problems
        assert all(p.message.strip() and "\n" not in p.message for p in error.problems)
    else:
        assert all(len(a.account_id) == 12 for a in parsed.accounts)
