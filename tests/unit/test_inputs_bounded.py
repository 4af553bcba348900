"""Tests for macie_members.inputs.bounded: files and streams read in chunks, refused early."""

from __future__ import annotations

import codecs
import io
from pathlib import Path

import pytest

from macie_members.inputs.accounts_csv import AccountsFileError, read_accounts
from macie_members.inputs.bounded import (
    CHUNK_BYTES,
    MAX_ACCOUNT_ROWS,
    MAX_INPUT_BYTES,
    InputLimitError,
    read_bounded,
)
from macie_members.inputs.paramfile import ParamSyntaxError, load_param_file

ROW = b"111111111111,janedoe@example.com\n"


class Endless(io.RawIOBase):
    """``/dev/zero`` in memory: counts what was read, so a test can say the read stopped early."""

    def __init__(self, byte: bytes = b"\x00") -> None:
        self.byte = byte
        self.served = 0

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        assert size > 0, "an unbounded read"
        self.served += size
        return self.byte * size


def refusal(data: bytes, *, require_email: bool = True) -> str:
    with pytest.raises(AccountsFileError) as info:
        read_accounts(io.BytesIO(data), require_email=require_email, display_name="a.csv")
    assert len(info.value.problems) == 1, info.value.problems
    return str(info.value)


def test_endless_nul_stream_is_refused_after_one_chunk() -> None:
    stream = Endless()
    with pytest.raises(InputLimitError) as info:
        read_bounded(stream.read)
    assert info.value.line == 1
    assert stream.served == CHUNK_BYTES


def test_nul_is_reported_with_its_line() -> None:
    data = b"Account ID,Email\n" + ROW * 4 + b"1111\x0011111111,a@example.com\n"
    assert refusal(data) == "a.csv:6: a NUL byte on this line: this is a binary file, not text"


def test_nul_in_a_later_chunk_counts_lines_across_chunks() -> None:
    rows = (CHUNK_BYTES * 3) // len(ROW)
    data = b"Account ID,Email\r\n" + ROW * rows + b"\x00"
    assert refusal(data).startswith(f"a.csv:{rows + 2}: a NUL byte")


def test_endless_text_stream_is_refused_at_the_size_cap() -> None:
    stream = Endless(b"x")
    with pytest.raises(InputLimitError) as info:
        read_bounded(stream.read)
    assert info.value.line is None
    assert "larger than 32 MiB" in info.value.message
    assert stream.served <= MAX_INPUT_BYTES + CHUNK_BYTES


def test_size_cap_is_a_parameter() -> None:
    with pytest.raises(InputLimitError):
        read_bounded(io.BytesIO(b"x" * 100).read, limit=99)
    assert read_bounded(io.BytesIO(b"x" * 99).read, limit=99) == b"x" * 99


@pytest.mark.parametrize(("data", "expected"), [
    (codecs.BOM_UTF16_LE + "Account ID,Email\n".encode("utf-16-le"), "UTF-16 text"),
    ("Account ID,Email\n".encode("utf-16-be"), "looks like UTF-16"),
    (b"PK\x03\x04" + b"\x00" * 100, "zip archive"),
    (b"\xd0\xcf\x11\xe0" + b"\x00" * 100, ".xls workbook"),
])
def test_what_the_spreadsheet_module_explains_is_recognised_first(data: bytes, expected: str) -> None:
    assert expected in refusal(data)


def test_utf8_byte_order_mark_is_still_accepted() -> None:
    parsed = read_accounts(io.BytesIO(codecs.BOM_UTF8 + b"Account ID,Email\n" + ROW), require_email=True)
    assert [a.account_id for a in parsed.accounts] == ["111111111111"]


def test_row_cap() -> None:
    rows = b"".join(b"%012d,a@example.com\n" % i for i in range(1, MAX_ACCOUNT_ROWS + 2))
    message = refusal(b"Account ID,Email\n" + rows)
    assert message.startswith(f"a.csv:{MAX_ACCOUNT_ROWS + 2}: more than 100,000 account rows")


def test_row_cap_allows_exactly_the_cap() -> None:
    rows = b"".join(b"%012d,a@example.com\n" % i for i in range(1, MAX_ACCOUNT_ROWS + 1))
    parsed = read_accounts(io.BytesIO(b"Account ID,Email\n" + rows), require_email=True)
    assert len(parsed.accounts) == MAX_ACCOUNT_ROWS


def test_text_stream_is_read_in_chunks() -> None:
    parsed = read_accounts(io.StringIO("Account ID,Email\n" + ROW.decode()), require_email=True)
    assert len(parsed.accounts) == 1


@pytest.mark.parametrize("prefix", ["file://", "fileb://"])
def test_param_file_with_nul_names_file_and_line(tmp_path: Path, prefix: str) -> None:
    path = tmp_path / "in.json"
    path.write_bytes(b'{\n"id":\n"1\x00"}')
    with pytest.raises(ParamSyntaxError) as info:
        load_param_file(prefix + str(path))
    assert str(info.value) == (f"Unable to load paramfile ({path}:3), a NUL byte on this line: "
                               "this is a binary file, not text")


def test_param_file_keeps_universal_newlines(tmp_path: Path) -> None:
    path = tmp_path / "m.txt"
    path.write_bytes(b"a\r\nb\rc")
    assert load_param_file(f"file://{path}") == "a\nb\nc"
    assert load_param_file(f"fileb://{path}") == "a\r\nb\rc"


def test_fifty_thousand_bad_rows_are_twenty_lines_and_a_count() -> None:
    data = b"Account ID,Email\n" + b"1234,a@example.com\n" * 50_000
    with pytest.raises(AccountsFileError) as info:
        read_accounts(io.BytesIO(data), require_email=True, display_name="a.csv")
    assert len(info.value.problems) == 50_000  # all of them, for a program
    lines = str(info.value).splitlines()
    assert len(lines) == 21
    assert lines[0].startswith("a.csv:2: account id '1234' has 4 digits")
    assert lines[-1] == "... and 49,980 more problems"


@pytest.mark.parametrize(("line", "expected", "unwanted"), [
    ("111,111,111,111,a@example.com", "written with commas (thousands separators?), which split it into 4 columns",
     "000000000111"),
    ('"111,111,111,111",a@example.com', "(without them it is 111111111111)", "000000000111"),
    ('"111.111.111.111",a@example.com', "contains dots; remove them", "000000000111"),
    ("1-2-3,a@example.com", "(it has 3 digits, an account id has exactly 12)", "did you mean"),
    ("12 34,a@example.com", "(it has 4 digits, an account id has exactly 12)", "did you mean"),
    ('"111,000",a@example.com', "is a decimal number", "did you mean"),
    ("12,345,a@example.com", "(it has 5 digits)", "did you mean"),
    ("111111111111.00,a@example.com", "(did you mean 111111111111?)", "0111111111111"),
    ("123456.789012,a@example.com", "(did you mean 123456789012?)", "0123456"),
])
def test_hints_never_pad_a_value_that_holds_separators(line: str, expected: str, unwanted: str) -> None:
    message = refusal(f"Account ID,Email\n{line}\n".encode())
    assert message.startswith("a.csv:2: "), message
    assert expected in message, message
    assert unwanted not in message, message


def test_lost_leading_zeros_are_still_suggested() -> None:
    assert "did you mean 000000000111?" in refusal(b"Account ID,Email\n111,a@example.com\n")
