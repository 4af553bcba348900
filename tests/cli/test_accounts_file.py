"""``--accounts-file`` (and the accounts file of onboard, sync, offboard, status) through the
CLI: files that are not an accounts CSV, damaged ones, delimiters, stdin, any bytes at all
(property test). Every error is a short message with the file (and line), exit 252, never a
traceback, and nothing is sent: "nothing sent" is the sandbox server's request count.

(The reader itself, line by line: tests/unit/test_inputs_accounts_csv.py.)
"""

from __future__ import annotations

import codecs
import json
import os
import random
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from macie_members.cli import cli
from tests.support.helpers import ROOT, error_lines, no_traceback, one_line_error, refused, run

A, B = "111111111111", "222222222222"
ACCT = A
EMAIL = "jane@example.com"

Invoke = Callable[..., Result]
AS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0


# --------------------------------------------------------------------------------------------
# --accounts-file: files that are not an accounts CSV
# --------------------------------------------------------------------------------------------


def _long_line(path: Path) -> str:
    path.write_bytes(b"1" * 5_000_000)  # 5 MB, one line, no newline
    return f"{path}:1: the line is too long (5,000,000 characters, the limit is 100,000)"


def _binary(path: Path) -> str:
    data = bytearray(random.Random(7).randbytes(64 * 1024))
    data[0:2] = b"\x01\x02"  # no byte order mark, no zip or OLE signature
    data[2:100] = bytes(b if b not in b"\r\n" else 0x61 for b in data[2:100])  # all on line 1
    data[100] = 0
    path.write_bytes(bytes(data))
    return f"{path}:1: a NUL byte on this line: this is a binary file, not text"


def _nul_on_line_3(path: Path) -> str:
    path.write_bytes(b"Account ID,Email\n111111111111,a@example.com\n2222\x0022222222,b@example.com\n")
    return f"{path}:3: a NUL byte on this line: this is a binary file, not text"


def _over_32_mib(path: Path) -> str:
    path.write_bytes(b"Account ID,Email\n" + b"111111111111,a@example.com\n" * (33 * 1024 * 1024 // 27))
    return f"{path}: larger than 32 MiB, the limit for an input file"


def _too_many_rows(path: Path) -> str:
    rows = b"".join(b"%012d,a@example.com\n" % i for i in range(1, 100_002))
    path.write_bytes(b"Account ID,Email\n" + rows)
    return f"{path}:100002: more than 100,000 account rows"


def _xlsx(path: Path) -> str:
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", "<sheetData><row><c>111111111111</c></row></sheetData>")
    return f"{path}: the file is a zip archive (an Excel .xlsx workbook?), not a CSV file"


def _xls(path: Path) -> str:
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504))
    return f"{path}: the file is an Excel .xls workbook, not a CSV file"


def _directory(path: Path) -> str:
    path.mkdir()
    return f"{path}: is a directory, not a CSV file"


def _missing(path: Path) -> str:
    return f"{path}: no such file"


def _under_a_file(path: Path) -> tuple[Path, str]:
    path.write_text(f"Account ID,Email\n{ACCT},{EMAIL}\n")
    inner = path / "x"
    return inner, f"{inner}: no such file (a part of the path is not a directory)"


def _utf16(path: Path) -> str:
    path.write_bytes(codecs.BOM_UTF16_LE + f"Account ID,Email\r\n{ACCT},{EMAIL}\r\n".encode("utf-16-le"))
    return f"{path}: the file is UTF-16 text, not UTF-8"


def _utf16_no_bom(path: Path) -> str:
    path.write_bytes(f"Account ID,Email\n{ACCT},{EMAIL}\n".encode("utf-16-be"))
    return f"{path}: the file looks like UTF-16 text (without a byte order mark), not UTF-8"


def _windows_1252(path: Path) -> str:
    path.write_bytes(f"Account ID,Email\n{ACCT},ren\u00e9@example.com\n".encode("cp1252"))
    return f"{path}:2: the file is not UTF-8 text (byte 0xE9 on this line is not valid UTF-8"


def _empty(path: Path) -> str:
    path.write_bytes(b"")
    return f"{path}: no accounts: the file is empty"


BAD_FILES: dict[str, Callable[[Path], Any]] = {
    "5 MB line": _long_line,
    "binary": _binary,
    "NUL on line 3": _nul_on_line_3,
    "over 32 MiB": _over_32_mib,
    "over 100,000 rows": _too_many_rows,
    "xlsx": _xlsx,
    "xls": _xls,
    "directory": _directory,
    "missing": _missing,
    "path under a file": _under_a_file,
    "utf-16": _utf16,
    "utf-16 without BOM": _utf16_no_bom,
    "windows-1252": _windows_1252,
    "empty": _empty,
}

# Every command that reads an accounts file, with what else it needs to get that far.
FILE_COMMANDS: dict[str, Callable[[str], list[str]]] = {
    "create-member": lambda f: ["create-member", "--accounts-file", f, "--regions", "us-east-1,eu-west-1"],
    "create-invitations": lambda f: ["create-invitations", "--accounts-file", f],
    "update-member-session": lambda f: ["update-member-session", "--accounts-file", f, "--status", "PAUSED", "--yes"],
    "disassociate-member": lambda f: ["disassociate-member", "--accounts-file", f, "--yes"],
    "delete-member": lambda f: ["delete-member", "--accounts-file", f, "--yes", "--all-regions"],
    "onboard": lambda f: ["onboard", f, "--regions", "us-east-1"],
    "sync": lambda f: ["sync", f, "--prune", "--plan", "--detailed-exitcode", "--all-regions"],
    "offboard": lambda f: ["offboard", f, "--yes"],
    "accept-invitations": lambda f: ["accept-invitations", "--role-name", "R", "--accounts-file", f],
    "status": lambda f: ["status", "--accounts-file", f],
}


def make_bad_file(tmp_path: Path, kind: str) -> tuple[Path, str]:
    path = tmp_path / "accounts.csv"
    made = BAD_FILES[kind](path)
    return made if isinstance(made, tuple) else (path, made)


@pytest.mark.parametrize("kind", list(BAD_FILES))
@pytest.mark.parametrize("command", list(FILE_COMMANDS))
def test_bad_accounts_file_is_one_line_exit_252_nothing_sent(
    invoke: Invoke, aws: Any, tmp_path: Path, kind: str, command: str
) -> None:
    path, expected = make_bad_file(tmp_path, kind)
    result = invoke(*FILE_COMMANDS[command](str(path)), rc=252)
    line = one_line_error(result)
    assert line.startswith(expected), line
    assert len(line) < 500  # a message, not the file
    assert aws.stats()["total"] == 0


@pytest.mark.posix
@pytest.mark.skipif(AS_ROOT, reason="root reads files whatever their mode (CI runs as root)")
@pytest.mark.parametrize("command", ["create-member", "delete-member", "status"])
def test_unreadable_accounts_file(invoke: Invoke, aws: Any, tmp_path: Path, command: str) -> None:
    path = tmp_path / "accounts.csv"
    path.write_text(f"Account ID,Email\n{ACCT},{EMAIL}\n")
    path.chmod(0)
    try:
        result = invoke(*FILE_COMMANDS[command](str(path)), rc=252)
    finally:
        path.chmod(0o600)
    assert one_line_error(result) == f"{path}: permission denied"
    assert aws.stats()["total"] == 0


@pytest.mark.parametrize("kind", ["binary", "5 MB line", "utf-16"])
def test_bad_accounts_file_on_stdin(aws: Any, tmp_path: Path, kind: str) -> None:
    path, expected = make_bad_file(tmp_path, kind)
    result = CliRunner().invoke(
        cli, ["create-member", "--accounts-file", "-"], input=path.read_bytes(), catch_exceptions=False
    )
    assert result.exit_code == 252, result.stderr
    assert one_line_error(result).startswith(expected.replace(str(path), "<stdin>", 1))
    assert aws.stats()["total"] == 0


def test_every_problem_of_a_damaged_csv_is_one_line(invoke: Invoke, aws: Any, tmp_path: Path) -> None:
    """One line per problem, each with file:line, also when a cell holds newlines or is huge."""
    path = tmp_path / "accounts.csv"
    path.write_text(
        "Account ID,Email\n"
        '"1111\n1111\r\n1111",a@example.com\n'  # a quoted id over three lines
        f"{'9' * 200},b@example.com\n"  # a huge id
        "1.11111E+11,c@example.com\n"
        f"{ACCT},\"d\ne\"@example.com\n"
    )
    result = invoke("create-member", "--accounts-file", str(path), rc=252)
    lines = error_lines(result)
    assert [line.split(": ", 1)[0] for line in lines] == [f"{path}:{n}" for n in (2, 5, 6, 7)]
    assert all(len(line) < 400 for line in lines), lines
    assert aws.stats()["total"] == 0


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=300))
def test_cli_accounts_file_of_any_bytes(data: bytes) -> None:
    """Any file: a dry run (which sends nothing) or one line per problem, exit 252."""
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "accounts.csv"
        path.write_bytes(data)
        result = CliRunner().invoke(
            cli,
            ["create-member", "--accounts-file", str(path), "--regions", "us-east-1", "--dry-run",
             "--output", "json"],
            catch_exceptions=False,
        )
    assert result.exit_code in (0, 252), (result.exit_code, result.stderr)
    no_traceback(result)
    if result.exit_code == 0:
        assert json.loads(result.stdout)["dryRun"] is True
        return
    assert result.stdout == ""
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert lines and all(line.startswith(f"{path}") for line in lines), result.stderr


def test_an_accounts_file_with_account_ids_is_refused(nowhere: None, tmp_path: Path) -> None:
    path = tmp_path / "leavers.csv"
    path.write_text(f"Account ID\n{A}\n")
    refused(run("offboard", str(path), "--account-ids", B, "--yes"), "either an accounts file", "or --account-ids")


def test_an_over_long_line_is_not_called_a_header_only_file(nowhere: None, tmp_path: Path) -> None:
    path = tmp_path / "long.csv"
    path.write_text(f"Account ID,Email\n{'1' * 100_001},a@example.com\n")
    result = run("create-member", "--accounts-file", str(path))
    refused(result, "long.csv:2: the line is too long")
    assert "only the header line" not in result.stderr


# ------------------------------------------------------------------------ CSV delimiters


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_comma_semicolon_and_tab_separated_files(delimiter: str, nowhere: None, tmp_path: Path,
                                                 sandbox: Path) -> None:
    path = tmp_path / "a.csv"
    path.write_text(f"Account ID{delimiter}Email\r\n{A}{delimiter}a@example.com\r\n{B}{delimiter}b@example.com\r\n")
    result = run("create-member", "--accounts-file", str(path), "--dry-run", "--output", "text")
    assert result.exit_code == 0, result.stderr
    assert [line.split("\t")[1] for line in result.stdout.splitlines()] == ["CreateMember", "CreateMember"]


def test_a_header_with_two_delimiters_is_explained(nowhere: None, tmp_path: Path) -> None:
    path = tmp_path / "a.csv"
    path.write_text(f"Account ID;Email,Team\n{A};a@example.com,x\n")
    refused(run("create-member", "--accounts-file", str(path)), "a.csv:1:", "separated by semicolons as well")


# --------------------------------------------------------------------------------------------
# Endless input: /dev/zero as the file, or piped to stdin, is refused after one chunk
# --------------------------------------------------------------------------------------------


def _endless(command: str, source: str, stdin: Any) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "macie_members", *FILE_COMMANDS[command](source)],
                          stdin=stdin, capture_output=True, text=True, timeout=60, cwd=ROOT)


@pytest.mark.posix
@pytest.mark.parametrize("command", list(FILE_COMMANDS))
def test_dev_zero_as_the_accounts_file(aws: Any, command: str) -> None:
    result = _endless(command, "/dev/zero", subprocess.DEVNULL)
    assert result.returncode == 252, result.stderr
    assert one_line_error(result) == "/dev/zero:1: a NUL byte on this line: this is a binary file, not text"
    assert aws.stats()["total"] == 0


@pytest.mark.posix
@pytest.mark.parametrize("command", ["create-member", "onboard", "sync", "offboard", "accept-invitations"])
def test_dev_zero_piped_to_stdin(aws: Any, command: str) -> None:
    with open("/dev/zero", "rb") as zeros:
        result = _endless(command, "-", zeros)
    assert result.returncode == 252, result.stderr
    assert one_line_error(result) == "<stdin>:1: a NUL byte on this line: this is a binary file, not text"
    assert aws.stats()["total"] == 0


@pytest.mark.parametrize("command", list(FILE_COMMANDS))
def test_a_file_of_bad_rows_is_refused_in_twenty_lines_and_a_count(
    invoke: Invoke, aws: Any, tmp_path: Path, command: str
) -> None:
    path = tmp_path / "accounts.csv"
    path.write_text("Account ID,Email\n" + "x1,a@example.com\n" * 5_000)
    lines = error_lines(invoke(*FILE_COMMANDS[command](str(path)), rc=252))
    assert [line.split(": ", 1)[0] for line in lines[:20]] == [f"{path}:{n}" for n in range(2, 22)]
    assert lines[20:] == ["... and 4,980 more problems"]
    assert aws.stats()["total"] == 0
