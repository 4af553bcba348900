"""Tests for macie_members.inputs.accounts_csv: reading the Macie console's accounts CSV."""

from __future__ import annotations

import io
import os
import sys
from pathlib import Path

import pytest

from macie_members.errors import ExitCode, InputError
from macie_members.inputs import accounts_csv as accounts_module
from macie_members.inputs.accounts_csv import (
    MAX_LINE_CHARS,
    Account,
    AccountsFile,
    AccountsFileError,
    Problem,
    parse_accounts,
    read_accounts,
)

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def parse(text: str | bytes, *, require_email: bool = True) -> AccountsFile:
    data = text.encode() if isinstance(text, str) else text
    return parse_accounts(data, path="accounts.csv", require_email=require_email)


def problems(text: str | bytes, *, require_email: bool = True) -> list[Problem]:
    with pytest.raises(AccountsFileError) as info:
        parse(text, require_email=require_email)
    return info.value.problems


def only_problem(text: str | bytes, *, require_email: bool = True) -> Problem:
    found = problems(text, require_email=require_email)
    assert len(found) == 1, found
    return found[0]


def ids(result: AccountsFile) -> list[str]:
    return [account.account_id for account in result.accounts]


# --------------------------------------------------------------------------- basics


def test_example_file() -> None:
    result = read_accounts(EXAMPLES / "accounts.csv", require_email=True)
    assert result.accounts == [
        Account("111111111111", "janedoe@example.com", 2),
        Account("222222222222", "johndoe@example.com", 3),
        Account("333333333333", "maryroe@example.com", 4),
    ]
    assert result.warnings == []


def test_leading_zeros_kept_as_strings() -> None:
    result = parse("Account ID,Email\n000000000001,a@example.com\n012345678901,b@example.com\n")
    assert ids(result) == ["000000000001", "012345678901"]


def test_problem_str() -> None:
    assert str(Problem("accounts.csv", 7, "bad")) == "accounts.csv:7: bad"
    assert str(Problem("accounts.csv", None, "bad")) == "accounts.csv: bad"


def test_error_is_input_error_with_all_problems_joined() -> None:
    with pytest.raises(AccountsFileError) as info:
        parse("Account ID,Email\n1,a@example.com\n2,b@example.com\n")
    error = info.value
    assert isinstance(error, InputError)
    assert error.exit_code == ExitCode.USAGE
    assert int(error.exit_code) == 252
    assert [p.line for p in error.problems] == [2, 3]
    assert str(error) == "\n".join(str(p) for p in error.problems)
    assert str(error).startswith("accounts.csv:2: account id '1' has 1 digit;")


# --------------------------------------------------------------------------- header


@pytest.mark.parametrize(
    "header",
    [
        "Account ID,Email",
        "account id,email",
        "ACCOUNT ID,EMAIL",
        "AccountID,Email",
        " Account Id , Email ",
        "account_id,email",
        "Account-ID,E-mail",
        "accountId,email",
        '"Account ID","Email"',
        "Account ID,Email Address",
    ],
)
def test_header_variants(header: str) -> None:
    result = parse(f"{header}\n111111111111,janedoe@example.com\n")
    assert result.accounts == [Account("111111111111", "janedoe@example.com", 2)]


def test_columns_found_by_name_extra_columns_ignored() -> None:
    text = "Name,Email,Notes,Account ID\nJane,janedoe@example.com,x,111111111111\n"
    assert parse(text).accounts == [Account("111111111111", "janedoe@example.com", 2)]


def test_email_column_absent_allowed_when_not_required() -> None:
    result = parse("Account ID\n111111111111\n222222222222\n", require_email=False)
    assert result.accounts == [
        Account("111111111111", None, 2),
        Account("222222222222", None, 3),
    ]


def test_email_column_absent_when_required() -> None:
    problem = only_problem("Account ID\n111111111111\n")
    assert problem.line == 1
    assert "no Email column" in problem.message
    assert "`Account ID,Email`" in problem.message


def test_email_column_absent_still_checks_ids() -> None:
    found = problems("Account ID,Name\n111111111111,x\n1.1E+11,y\n")
    assert [p.line for p in found] == [1, 3]
    assert "scientific notation" in found[1].message


def test_missing_header() -> None:
    found = problems("111111111111,janedoe@example.com\n222222222222,johndoe@example.com\n")
    assert len(found) == 1
    assert found[0].line == 1
    assert found[0].message == (
        "the header line `Account ID,Email` is missing (this line looks like an account); "
        "add `Account ID,Email` as the first line"
    )


def test_missing_header_rows_still_checked() -> None:
    found = problems("111111111111,janedoe@example.com\n11111111111,x@example.com\n")
    assert [p.line for p in found] == [1, 2]
    assert "did you mean 011111111111?" in found[1].message


def test_missing_header_after_blank_lines_reports_that_line() -> None:
    problem = only_problem("\n\n111111111111,janedoe@example.com\n")
    assert problem.line == 3
    assert "header line `Account ID,Email` is missing" in problem.message


def test_missing_header_email_only_line() -> None:
    found = problems("janedoe@example.com,111111111111\n")
    assert [p.line for p in found] == [1, 1, 1]
    assert "is missing" in found[0].message
    assert "looks like an email address" in found[1].message


def test_wrong_header() -> None:
    problem = only_problem("Foo,Bar\n111111111111,janedoe@example.com\n")
    assert problem.line == 1
    assert "must be the header `Account ID,Email`" in problem.message
    assert "'Foo', 'Bar'" in problem.message


def test_duplicate_header_column() -> None:
    problem = only_problem("Account ID,Email,account_id\n111111111111,a@example.com,2\n")
    assert problem.line == 1
    assert "2 Account ID columns (columns 1, 3)" in problem.message


# --------------------------------------------------------------------------- encoding


def test_utf8_bom() -> None:
    result = parse(b"\xef\xbb\xbfAccount ID,Email\r\n111111111111,janedoe@example.com\r\n")
    assert result.accounts == [Account("111111111111", "janedoe@example.com", 2)]


@pytest.mark.parametrize("eol", ["\n", "\r\n", "\r"])
def test_line_endings(eol: str) -> None:
    text = eol.join(["Account ID,Email", "111111111111,a@example.com", "", "222222222222,b@x.io"])
    result = parse(text + eol)
    assert [(a.account_id, a.line) for a in result.accounts] == [
        ("111111111111", 2),
        ("222222222222", 4),
    ]


def test_no_final_newline() -> None:
    assert ids(parse("Account ID,Email\n111111111111,a@example.com")) == ["111111111111"]


def test_quoted_fields_and_surrounding_spaces() -> None:
    text = (
        "Account ID,Email\n"
        '"111111111111","a@example.com"\n'
        "  222222222222  ,\t b@example.com \n"
        '333333333333, "c@example.com"\n'
        '" 444444444444 ",d@example.com\n'
    )
    assert parse(text).accounts == [
        Account("111111111111", "a@example.com", 2),
        Account("222222222222", "b@example.com", 3),
        Account("333333333333", "c@example.com", 4),
        Account("444444444444", "d@example.com", 5),
    ]


def test_blank_and_comma_only_lines_skipped() -> None:
    text = "\n  \nAccount ID,Email\n,\n , \n\n111111111111,a@example.com\n,,,\n"
    assert parse(text).accounts == [Account("111111111111", "a@example.com", 7)]


def test_line_numbers_with_bom_crlf_blank_lines_and_embedded_newlines() -> None:
    text = (
        "\ufeffAccount ID,Email,Notes\r\n"  # 1
        "\r\n"  # 2
        '111111111111,a@example.com,"two\r\nline note"\r\n'  # 3-4
        "\r\n"  # 5
        '222222222222,"b@example.com","three\nline\rnote"\r\n'  # 6-8
        "333333333333,c@example.com,\r\n"  # 9
        "1234,d@example.com,\r\n"  # 10
    )
    with pytest.raises(AccountsFileError) as info:
        parse(text.encode())
    assert [(p.line, p.message[:20]) for p in info.value.problems] == [(10, "account id '1234' ha")]
    good = text.replace("1234,", "444444444444,")
    assert [(a.account_id, a.line) for a in parse(good).accounts] == [
        ("111111111111", 3),
        ("222222222222", 6),
        ("333333333333", 9),
        ("444444444444", 10),
    ]


def test_quoted_id_with_embedded_newline_is_reported_at_row_start() -> None:
    problem = only_problem('Account ID,Email\n\n"1111\n11111111",a@example.com\n')
    assert problem.line == 3
    assert "\\n" in problem.message  # shown escaped, the message stays on one line
    assert "\n" not in problem.message


def test_unclosed_quote() -> None:
    found = problems('Account ID,Email\n111111111111,a@example.com\n"222222222222,b@x.io\n3,c\n')
    assert len(found) == 1
    assert found[0].line == 3
    assert "never closed" in found[0].message


def test_text_after_closing_quote() -> None:
    found = problems('Account ID,Email\n"111111111111"x,a@example.com\n1,b@example.com\n')
    assert [p.line for p in found] == [2, 3]
    assert "after its closing quote" in found[0].message


BINARY_CASES = {
    "nul": b"Account ID,Email\n111111111111,a@\x00example.com\n",
    "xlsx": b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00[Content_Types].xml",
    "xls": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 50,
    "random": bytes(range(256)) * 4,
}


@pytest.mark.parametrize("name", sorted(BINARY_CASES))
def test_binary_file_single_problem(name: str) -> None:
    problem = only_problem(BINARY_CASES[name])
    assert "\n" not in problem.message
    assert "CSV UTF-8" in problem.message
    assert "binary" in problem.message or "not a CSV" in problem.message


def test_xlsx_message() -> None:
    problem = only_problem(BINARY_CASES["xlsx"])
    assert problem.line is None
    assert ".xlsx" in problem.message


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-le", "utf-16-be"])
def test_utf16(codec: str) -> None:
    data = "Account ID,Email\r\n111111111111,janedoe@example.com\r\n".encode(codec)
    if codec != "utf-16":  # the BOM-less codecs: add the BOM a spreadsheet writes
        data = ("\ufeff" + "Account ID,Email\r\n").encode(codec)
    problem = only_problem(data)
    assert "UTF-16" in problem.message
    assert "save it as UTF-8" in problem.message
    assert "\n" not in problem.message


def test_utf16_without_bom() -> None:
    problem = only_problem("Account ID,Email\n111111111111,a@example.com\n".encode("utf-16-le"))
    assert "UTF-16" in problem.message


def test_not_utf8_reports_line() -> None:
    data = "Account ID,Email\r\n111111111111,a@example.com\r\n222222222222,jos\xe9@example.com\r\n"
    problem = only_problem(data.encode("cp1252"))
    assert problem.line == 3
    assert "not UTF-8" in problem.message
    assert "0xE9" in problem.message
    assert 'export it from your spreadsheet as "CSV UTF-8"' in problem.message


def test_very_long_line() -> None:
    data = b"Account ID,Email\n" + b"1" * 10_000_000 + b"\n111111111111,a@example.com\n"
    problem = only_problem(data)  # how fast: benchmarks/csv_read.py
    assert problem.line == 2
    assert "too long (10,000,000 characters" in problem.message


def test_very_long_first_line_reported_once() -> None:
    data = b"x" * (MAX_LINE_CHARS + 1) + b"\n111111111111,a@example.com\n"
    problem = only_problem(data)
    assert problem.line == 1
    assert "too long" in problem.message


def test_long_quoted_field_over_several_lines() -> None:
    chunk = "x" * 60_000 + "\n"
    found = problems('Account ID,Email\n111111111111,"' + chunk * 4)
    assert found[0].line == 2
    assert "too long" in found[0].message or "never closed" in found[0].message


# --------------------------------------------------------------------------- account ids


def id_problem(account_id: str) -> str:
    problem = only_problem(f'Account ID,Email\n\n"{account_id}",a@example.com\n')
    assert problem.line == 3
    return problem.message


@pytest.mark.parametrize("value", ["1.11111E+11", "1.11111e+11", "1E+11", "1,11111E+11"])
def test_scientific_notation(value: str) -> None:
    assert id_problem(value) == (
        f"account id '{value}' is in scientific notation: looks like the spreadsheet converted "
        "the id to a number, losing digits; format the Account ID column as Text and re-enter "
        "the 12-digit ids"
    )


def test_decimal_number() -> None:
    message = id_problem("111111111111.0")
    assert "decimal number" in message
    assert "converted the id to a number" in message
    assert "did you mean 111111111111?" in message
    # A value with a separator is never padded: "11111111111.00" may be 11 digits and ".00", but
    # "111,000" is as likely a thousands separator.
    assert "did you mean" not in id_problem("11111111111.00")


@pytest.mark.parametrize(
    ("value", "digits", "suggestion"),
    [
        ("11111111111", "11 digits", "011111111111"),
        ("1234567", "7 digits", "000001234567"),
        ("7", "1 digit", "000000000007"),
    ],
)
def test_dropped_leading_zeros(value: str, digits: str, suggestion: str) -> None:
    message = id_problem(value)
    assert message.startswith(f"account id '{value}' has {digits}; a spreadsheet may have dropped")
    assert f"did you mean {suggestion}?" in message


def test_too_many_digits() -> None:
    assert "has 13 digits, too many" in id_problem("1111111111111")


@pytest.mark.parametrize(
    ("value", "what"),
    [
        ("1111-2222-3333", "dashes"),
        ("1111.2222.3333", "dots"),
        ("1111,2222,3333", "commas"),
        ("1111 2222 3333", "spaces"),
        ("1111\u00a02222\u00a03333", "spaces"),
        ("1111-2222 3333", "dashes and spaces"),
    ],
)
def test_separators_not_silently_removed(value: str, what: str) -> None:
    message = id_problem(value)
    assert f"contains {what}; remove them" in message
    assert "without them it is 111122223333" in message


def test_separators_with_wrong_digit_count() -> None:
    assert "it has 11 digits" in id_problem("111-2222-3333")


@pytest.mark.parametrize(
    ("value", "listed"),
    [
        ("11111111111O", "'O'"),
        ("abc", "'a', 'b', 'c'"),
        ("111111111111\u200b", "'\\u200b' (ZERO WIDTH SPACE)"),
        ("\uff11" * 12, "'\uff11' (FULLWIDTH DIGIT ONE)"),
    ],
)
def test_non_digit_characters(value: str, listed: str) -> None:
    message = id_problem(value)
    assert f"contains characters that are not digits: {listed};" in message


def test_formula_and_apostrophe() -> None:
    assert "spreadsheet formula" in id_problem('="011111111111"'.replace('"', '""'))
    assert "apostrophe" in id_problem("'011111111111")


def test_email_in_id_column() -> None:
    assert "looks like an email address" in id_problem("janedoe@example.com")


def test_empty_id() -> None:
    problem = only_problem("Account ID,Email\n,a@example.com\n")
    assert (problem.line, problem.message) == (2, "the account id is empty")


def test_long_value_shortened_in_message() -> None:
    message = id_problem("x" * 5000)
    assert len(message) < 200
    assert "..." in message


# --------------------------------------------------------------------------- emails


def test_email_required_but_empty() -> None:
    found = problems("Account ID,Email\n111111111111,\n222222222222\n")
    assert [p.line for p in found] == [2, 3]
    assert found[0].message.startswith("the email is empty")


@pytest.mark.parametrize(
    ("email", "expected"),
    [
        ("jane doe@example.com", "contains a space"),
        ("janedoe@example.com\tx", "contains whitespace"),
        ("janedoe", "has no @"),
        ("jane@doe@example.com", "has 2 @ signs"),
        ("a@example.com;b@example.com", "has 2 @ signs"),
        ("@example.com", "nothing before the @"),
        ("janedoe@example", "invalid domain 'example'"),
        ("janedoe@example.", "invalid domain"),
        ("janedoe@.com", "invalid domain"),
        ("janedoe@example..com", "invalid domain"),
        ("Jane <janedoe@example.com>", "contains a space"),
        ("<janedoe@example.com>", "contains '<', '>'"),
        ("jane\u200bdoe@example.com", "invisible characters"),
    ],
)
def test_invalid_email(email: str, expected: str) -> None:
    quoted = email.replace('"', '""')
    for require_email in (True, False):
        problem = only_problem(
            f'Account ID,Email\n111111111111,"{quoted}"\n', require_email=require_email
        )
        assert problem.line == 2
        assert expected in problem.message


@pytest.mark.parametrize(
    "email",
    [
        "janedoe@example.com",
        "jane.doe+macie@sub.example.co.uk",
        "o'neil@example.org",
        "é@exämple.de",
    ],
)
def test_valid_email(email: str) -> None:
    assert parse(f"Account ID,Email\n111111111111,{email}\n").accounts[0].email == email


def test_email_optional_empty_is_none() -> None:
    result = parse("Account ID,Email\n111111111111,\n222222222222\n", require_email=False)
    assert result.accounts == [Account("111111111111", None, 2), Account("222222222222", None, 3)]


# --------------------------------------------------------------------------- duplicates


def test_identical_rows_merged_with_warning() -> None:
    text = (
        "Account ID,Email\n111111111111,a@example.com\n222222222222,b@example.com\n"
        "111111111111,a@example.com\n111111111111,A@Example.com\n"
    )
    result = parse(text)
    assert result.accounts == [
        Account("111111111111", "a@example.com", 2),
        Account("222222222222", "b@example.com", 3),
    ]
    assert [(w.line, w.message) for w in result.warnings] == [
        (
            4,
            "account 111111111111 is listed again (first on line 2); "
            "line 4 is ignored and line 2 is used",
        ),
        (
            5,
            "account 111111111111 is listed again (first on line 2); "
            "line 5 is ignored and line 2 is used",
        ),
    ]


def test_duplicate_ids_without_emails_merged() -> None:
    result = parse("Account ID\n111111111111\n\n111111111111\n", require_email=False)
    assert result.accounts == [Account("111111111111", None, 2)]
    assert [w.line for w in result.warnings] == [4]


def test_same_id_different_emails() -> None:
    problem = only_problem(
        "Account ID,Email\n111111111111,a@example.com\n\n111111111111,b@example.com\n"
    )
    assert problem.line == 4
    assert problem.message == (
        "account 111111111111 is listed twice with different emails: line 2 has "
        "'a@example.com' and line 4 has 'b@example.com'; keep only one of them"
    )


# --------------------------------------------------------------------------- all problems


def test_all_problems_reported_in_line_order() -> None:
    text = (
        "Account ID,Email\n"
        "1.11111E+11,janedoe@example.com\n"  # 2
        "111111111111,\n"  # 3
        "222222222222,b@example.com\n"
        "11111111111,x y@example.com\n"  # 5: two problems
        '"333333333333\n",c@example.com\n'  # 6-7, fine
        "222222222222,other@example.com\n"  # 8
    )
    found = problems(text)
    assert [p.line for p in found] == [2, 3, 5, 5, 8]
    assert all(p.path == "accounts.csv" for p in found)


@pytest.mark.parametrize("text", ["", "\n\n", " , \r\n,,\r\n", "\ufeff"])
def test_empty_file(text: str) -> None:
    problem = only_problem(text)
    assert problem.line is None
    assert problem.message.startswith("no accounts: the file is empty")


@pytest.mark.parametrize("require_email", [True, False])
def test_header_only(require_email: bool) -> None:
    problem = only_problem("Account ID,Email\n\n,\n", require_email=require_email)
    assert problem.message.startswith("no accounts: the file has only the header line")


# --------------------------------------------------------------------------- read_accounts


def test_read_path_str_and_display_name(tmp_path: Path) -> None:
    path = tmp_path / "list.csv"
    path.write_bytes(b"Account ID,Email\n1,a@example.com\n")
    with pytest.raises(AccountsFileError) as info:
        read_accounts(str(path), require_email=True)
    assert info.value.problems[0].path == str(path)
    with pytest.raises(AccountsFileError) as info:
        read_accounts(path, require_email=True, display_name="list.csv")
    assert str(info.value).startswith("list.csv:2: account id '1'")


def test_read_missing_file(tmp_path: Path) -> None:
    with pytest.raises(AccountsFileError) as info:
        read_accounts(tmp_path / "accounts.csv", require_email=True, display_name="accounts.csv")
    assert str(info.value) == "accounts.csv: no such file"
    assert info.value.problems == [Problem("accounts.csv", None, "no such file")]


def test_read_directory(tmp_path: Path) -> None:
    with pytest.raises(AccountsFileError) as info:
        read_accounts(tmp_path, require_email=True, display_name="dir")
    assert str(info.value) == "dir: is a directory, not a CSV file"


def test_read_permission_denied(monkeypatch: pytest.MonkeyPatch) -> None:
    def denied(*args: object, **kwargs: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(accounts_module, "open", denied, raising=False)
    with pytest.raises(AccountsFileError) as info:
        read_accounts("accounts.csv", require_email=True)
    assert str(info.value) == "accounts.csv: permission denied"


@pytest.mark.posix
@pytest.mark.skipif(
    not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root can read anything"
)
def test_read_permission_denied_real(tmp_path: Path) -> None:
    path = tmp_path / "accounts.csv"
    path.write_text("Account ID,Email\n")
    path.chmod(0)
    with pytest.raises(AccountsFileError) as info:
        read_accounts(path, require_email=True, display_name="accounts.csv")
    assert str(info.value) == "accounts.csv: permission denied"


def test_read_other_os_error_and_bad_name(monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(AccountsFileError) as info:
        read_accounts("bad\x00name", require_email=True)
    assert len(info.value.problems) == 1
    assert "invalid file name" in str(info.value)

    def broken(*args: object, **kwargs: object) -> None:
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(accounts_module, "open", broken, raising=False)
    with pytest.raises(AccountsFileError) as info:
        read_accounts("accounts.csv", require_email=True)
    assert str(info.value) == "accounts.csv: cannot read the file: Input/output error"


def test_read_stdin(monkeypatch: pytest.MonkeyPatch) -> None:
    data = b"\xef\xbb\xbfAccount ID,Email\r\n011111111111,a@example.com\r\n"
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data), encoding="ascii"))
    result = read_accounts("-", require_email=True)
    assert result.accounts == [Account("011111111111", "a@example.com", 2)]

    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"x,y\n")))
    with pytest.raises(AccountsFileError) as info:
        read_accounts("-", require_email=True)
    assert str(info.value).startswith("<stdin>:1: ")


def test_read_binary_and_text_streams() -> None:
    data = b"Account ID,Email\n111111111111,a@example.com\n"
    assert ids(read_accounts(io.BytesIO(data), require_email=True)) == ["111111111111"]
    assert ids(read_accounts(io.StringIO(data.decode()), require_email=True)) == ["111111111111"]
    with pytest.raises(AccountsFileError) as info:
        read_accounts(io.StringIO(""), require_email=True, display_name="in.csv")
    assert str(info.value).startswith("in.csv: no accounts")
    with pytest.raises(AccountsFileError) as info:
        read_accounts(io.StringIO(""), require_email=True)
    assert str(info.value).startswith("<stream>: no accounts")


def test_read_text_stream_that_fails_to_decode() -> None:
    stream = io.TextIOWrapper(io.BytesIO(b"Account ID,Email\n\xff\n"), encoding="utf-8")
    with pytest.raises(AccountsFileError) as info:
        read_accounts(stream, require_email=True, display_name="in.csv")
    assert len(info.value.problems) == 1
    assert "not UTF-8" in str(info.value)


def test_read_named_file_object(tmp_path: Path) -> None:
    path = tmp_path / "a.csv"
    path.write_bytes(b"Account ID\n1\n")
    with open(path, "rb") as file, pytest.raises(AccountsFileError) as info:
        read_accounts(file, require_email=False)
    assert info.value.problems[0].path == str(path)




def test_role_column_names_and_arns_per_row() -> None:
    parsed = parse(b"Account ID,Email,Role ARN\n111111111111,a@example.com,team/R\n"
                   b"222222222222,,arn:aws:iam::222222222222:role/X\n333333333333,,\n", require_email=False)
    assert [(a.account_id, a.role) for a in parsed.accounts] == [
        ("111111111111", "team/R"), ("222222222222", "arn:aws:iam::222222222222:role/X"), ("333333333333", None)]


def test_role_column_arn_of_another_account_and_bad_names_name_their_line() -> None:
    with pytest.raises(AccountsFileError) as caught:
        parse(b"Account ID,Role\n111111111111,arn:aws:iam::222222222222:role/X\n222222222222,bad role\n",
              require_email=False)
    assert [(p.line, p.message.split(" ")[0]) for p in caught.value.problems] == [(2, "role"), (3, "role:")]
    assert "is a role of account 222222222222, not of this row's account 111111111111" in str(caught.value)


def test_profile_column_per_row() -> None:
    parsed = parse(b"Account ID,AWS Profile\n111111111111,sso-member-a\n222222222222,\n", require_email=False)
    assert [(a.account_id, a.profile) for a in parsed.accounts] == [("111111111111", "sso-member-a"),
                                                                   ("222222222222", None)]
