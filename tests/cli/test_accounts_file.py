"""Hostile and broken input, through the CLI: every error is a short message and an exit code,
never a traceback, and nothing is sent or changed behind the error's back.

Each test checks the exit code, stdout and stderr separately. Errors are one line (one line per
problem for CSV problems); "nothing sent" is the sandbox server's request count. Cases already
covered elsewhere (``tests/test_cli.py``: corrupt state shapes, file:///no/such/file;
``tests/test_bulk.py``: a few unreadable accounts files via subprocess; the property tests of
``tests/test_params.py`` and ``tests/test_accounts.py``) are not repeated here.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import logging
import os
import random
import re
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from macie_members.cli import cli
from macie_members.inputs.accounts_csv import AccountsFileError, read_accounts
from macie_members.inputs.values import (
    ParamSyntaxError,
    parse_json_document,
    parse_list,
    parse_structure,
)

from .awscli_support import admin_client

ROOT = Path(__file__).resolve().parent.parent
ACCT = "111111111111"
EMAIL = "jane@example.com"
ADMIN_SECRET = "adminSECRETkey0123456789abcdefXYZ"
ADMIN_TOKEN = "adminSESSIONtoken0123456789abcdefXYZ"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

Invoke = Callable[..., Result]
AS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0


def no_traceback(result: Result | subprocess.CompletedProcess[str]) -> None:
    assert "Traceback" not in result.stdout
    assert "Traceback" not in result.stderr


def error_lines(result: Result | subprocess.CompletedProcess[str]) -> list[str]:
    """The non-blank lines of stderr; stdout is empty and there is no traceback."""
    no_traceback(result)
    assert result.stdout == ""
    return [line for line in result.stderr.splitlines() if line.strip()]


def one_line_error(result: Result | subprocess.CompletedProcess[str]) -> str:
    lines = error_lines(result)
    assert len(lines) == 1, result.stderr
    return lines[0]


@pytest.fixture
def aws(sandbox_server: Any, monkeypatch: pytest.MonkeyPatch) -> Any:
    """The sandbox server, reached through AWS_ENDPOINT_URL with fake credentials."""
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    monkeypatch.setenv("AWS_MAX_ATTEMPTS", "1")
    monkeypatch.setenv("AWS_ENDPOINT_URL", sandbox_server.url)
    return sandbox_server


# --------------------------------------------------------------------------------------------
# --accounts-file: files that are not an accounts CSV
# --------------------------------------------------------------------------------------------


def _long_line(path: Path) -> str:
    path.write_bytes(b"1" * 5_000_000)  # 5 MB, one line, no newline
    return f"{path}:1: the line is too long (5,000,000 characters, the limit is 100,000)"


def _binary(path: Path) -> str:
    data = bytearray(random.Random(7).randbytes(64 * 1024))
    data[0:2] = b"\x01\x02"  # no byte order mark, no zip or OLE signature
    data[100] = 0
    path.write_bytes(bytes(data))
    return f"{path}: the file is binary (it contains NUL bytes), not a UTF-8 CSV file"


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


# --------------------------------------------------------------------------------------------
# file:// and fileb:// parameters
# --------------------------------------------------------------------------------------------


def _param_file(tmp_path: Path, kind: str) -> str:
    if kind == "missing":
        return str(tmp_path / "missing.json")
    if kind == "directory":
        return str(tmp_path)
    if kind == "under a file":
        (tmp_path / "file.json").write_text("{}")
        return str(tmp_path / "file.json" / "x")
    path = tmp_path / "binary.json"
    path.write_bytes(b"\xff\xfe\x00\x00\x9c" + random.Random(3).randbytes(4096) + b"\x00\xff")
    return str(path)


PARAM_COMMANDS: dict[str, tuple[str, Callable[[str], list[str]]]] = {
    "--account": ("--account", lambda v: ["create-member", "--account", v]),
    "--tags": ("--tags", lambda v: ["create-member", "--account", f"accountId={ACCT},email={EMAIL}", "--tags", v]),
    "--tags (bulk)": (
        "--tags",
        lambda v: ["create-member", "--account", f"accountId={ACCT},email={EMAIL}", "--tags", v,
                   "--regions", "us-east-1,eu-west-1"],
    ),
    "--account-ids": ("--account-ids", lambda v: ["create-invitations", "--account-ids", v]),
    "--cli-input-json (delete-member)": ("--cli-input-json", lambda v: ["delete-member", "--cli-input-json", v]),
    "--cli-input-json (list-members)": ("--cli-input-json", lambda v: ["list-members", "--cli-input-json", v]),
    "--cli-input-json (create-member)": (
        "--cli-input-json", lambda v: ["create-member", "--cli-input-json", v, "--account", f"accountId={ACCT},email={EMAIL}"],
    ),
}


@pytest.mark.parametrize("prefix", ["file://", "fileb://"])
@pytest.mark.parametrize("kind", ["missing", "directory", "under a file", "binary"])
@pytest.mark.parametrize("case", list(PARAM_COMMANDS))
def test_bad_param_file_is_one_line_exit_252_nothing_sent(
    invoke: Invoke, aws: Any, tmp_path: Path, case: str, kind: str, prefix: str
) -> None:
    option, command = PARAM_COMMANDS[case]
    value = prefix + _param_file(tmp_path, kind)
    result = invoke(*command(value), rc=252)
    line = one_line_error(result)
    assert line.startswith(f"Error parsing parameter '{option}': Unable to load paramfile "), line
    if kind == "binary":
        assert "could not be decoded" in line
    assert len(line) < 500
    assert aws.stats()["total"] == 0


# --------------------------------------------------------------------------------------------
# The --sandbox state file (tests/test_cli.py covers garbage, bad UTF-8, wrong shapes, a directory)
# --------------------------------------------------------------------------------------------


@pytest.fixture
def state(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "state" / "sandbox.json"
    monkeypatch.setenv("MACIE_MEMBERS_SANDBOX_STATE", str(path))
    return path


def _real_state(invoke: Invoke, state: Path) -> bytes:
    invoke("--sandbox", "create-member", "--account", f"accountId={ACCT},email={EMAIL}")
    return state.read_bytes()


SANDBOX_COMMANDS = {
    "list-members": ["--sandbox", "list-members"],
    "create-member": ["--sandbox", "create-member", "--account", f"accountId=222222222222,email={EMAIL}"],
    "bulk create-member": ["--sandbox", "create-member", "--account", f"accountId=222222222222,email={EMAIL}",
                           "--regions", "us-east-1,eu-west-1"],
    "status": ["--sandbox", "status", "--regions", "us-east-1"],
}


@pytest.mark.parametrize("command", list(SANDBOX_COMMANDS))
@pytest.mark.parametrize("cut", [0.5, 0.99])
def test_truncated_sandbox_state(invoke: Invoke, state: Path, command: str, cut: float) -> None:
    whole = _real_state(invoke, state)
    truncated = whole[: int(len(whole) * cut)]
    state.write_bytes(truncated)
    result = invoke(*SANDBOX_COMMANDS[command], rc=253)
    line = one_line_error(result)
    assert line.startswith(f"The sandbox state file {state} is corrupt (not JSON: "), line
    assert "macie-members sandbox reset" in line
    assert state.read_bytes() == truncated  # left as it was, for the user to look at


@pytest.mark.parametrize("command", list(SANDBOX_COMMANDS))
def test_sandbox_state_under_a_file(invoke: Invoke, tmp_path: Path, command: str) -> None:
    blocker = tmp_path / "not-a-directory"
    blocker.write_bytes(b"keep me")
    path = blocker / "sandbox.json"
    result = invoke("--sandbox-state", str(path), *SANDBOX_COMMANDS[command], rc=253)
    line = one_line_error(result)
    assert line.startswith(f"The sandbox state file {path} can't be used: "), line
    assert blocker.read_bytes() == b"keep me"


def test_sandbox_state_symlink_loop(invoke: Invoke, state: Path) -> None:
    state.parent.mkdir(parents=True)
    state.symlink_to(state)
    result = invoke("--sandbox", "list-members", rc=253)
    line = one_line_error(result)
    assert line.startswith(f"The sandbox state file {state} can't be read: "), line
    assert state.is_symlink() and os.readlink(state) == str(state)


@pytest.mark.posix
@pytest.mark.skipif(AS_ROOT, reason="root reads files whatever their mode (CI runs as root)")
def test_unreadable_sandbox_state(invoke: Invoke, state: Path) -> None:
    whole = _real_state(invoke, state)
    state.chmod(0)
    try:
        result = invoke("--sandbox", "list-members", rc=253)
    finally:
        state.chmod(0o600)
    assert one_line_error(result).startswith(f"The sandbox state file {state} can't be read: ")
    assert state.read_bytes() == whole


def test_deeply_nested_sandbox_state(invoke: Invoke, state: Path) -> None:
    state.parent.mkdir(parents=True)
    content = b"[" * 100_000
    state.write_bytes(content)
    result = invoke("--sandbox", "list-members", rc=253)
    assert one_line_error(result).startswith(f"The sandbox state file {state} is corrupt")
    assert state.read_bytes() == content


def test_sandbox_state_with_a_value_of_the_wrong_type(invoke: Invoke, state: Path) -> None:
    state.parent.mkdir(parents=True)
    session = {"status": "ENABLED", "findingPublishingFrequency": "SIX_HOURS",
               "createdAt": "2026-01-01T00:00:00.000000Z", "updatedAt": "2026-01-01T00:00:00.000000Z"}
    entry = {"accountId": ACCT, "email": EMAIL, "status": "EmailVerificationInProgress",
             "verificationDue": "soon"}
    content = json.dumps({"version": 1, "accounts": {"123456789012": {"us-east-1": {
        "macieSession": session, "inventory": [entry]}}}}).encode()
    state.write_bytes(content)
    result = invoke("--sandbox", "list-members", "--only-associated", "false", rc=253)
    assert one_line_error(result).startswith(f"The sandbox state file {state} is corrupt")
    assert state.read_bytes() == content


def _subprocess_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "MACIE_MEMBERS_"))}
    env.update(
        AWS_CONFIG_FILE=str(tmp_path / "aws-config"),
        AWS_SHARED_CREDENTIALS_FILE=str(tmp_path / "aws-credentials"),
        AWS_EC2_METADATA_DISABLED="true",
        MACIE_MEMBERS_SANDBOX_STATE=str(tmp_path / "sandbox.json"),
        **extra,
    )
    return env


def test_embedded_sandbox_bulk_run_without_region_or_output_options(tmp_path: Path) -> None:
    """Regression: a bulk run that looked up the default Region or output format before starting
    the embedded sandbox created its botocore session before moto was loaded, so its requests
    went to the real AWS endpoints ("Could not connect to the endpoint URL")."""
    accounts = tmp_path / "accounts.csv"
    accounts.write_text(f"Account ID,Email\n{ACCT},{EMAIL}\n")
    for extra in ([], ["--regions", "us-east-1,eu-west-1"]):
        proc = subprocess.run(
            [sys.executable, "-m", "macie_members", "--sandbox", "create-member", "--accounts-file",
             str(accounts), *extra],
            capture_output=True, text=True, timeout=120, cwd=ROOT, env=_subprocess_env(tmp_path),
        )
        assert proc.returncode == 0, proc.stdout + proc.stderr
        document = json.loads(proc.stdout)
        assert all(r["outcome"] in ("ok", "skipped") for r in document["results"]), document
        assert proc.stderr == ""


# --------------------------------------------------------------------------------------------
# --debug: no secret keys, session tokens or signatures, also on the member side
# --------------------------------------------------------------------------------------------

SIGNATURE_PATTERNS = [
    re.compile(r"Signature=[0-9a-fA-F]{8,}"),
    re.compile(r"Signature:\s*\n?\s*[0-9a-fA-F]{16,}"),
    re.compile(r"<SecretAccessKey>(?!\*\*\*REDACTED\*\*\*<)"),
    re.compile(r"<SessionToken>(?!\*\*\*REDACTED\*\*\*<)"),
    re.compile(r"""['"]SecretAccessKey['"]\s*:\s*['"](?!\*\*\*REDACTED)"""),
    re.compile(r"""['"]SessionToken['"]\s*:\s*['"](?!\*\*\*REDACTED)"""),
    re.compile(r"""x-amz-security-token['"]?+\s*+[:=]\s*+b?+['"]?+(?!\*\*\*REDACTED)""", re.IGNORECASE),
]


def assert_nothing_secret(text: str, secrets: list[str]) -> None:
    for secret in secrets:
        assert secret not in text, f"secret {secret[:6]}... in the debug log"
    for pattern in SIGNATURE_PATTERNS:
        match = pattern.search(text)
        assert match is None, text[max(match.start() - 200, 0) : match.end() + 200]


def _invite(url: str, account: str = ACCT) -> None:
    admin = admin_client(url)
    admin.create_member(account={"accountId": account, "email": EMAIL})
    admin.create_invitations(accountIds=[account])


def test_debug_of_sandbox_accept_shows_no_secrets(sandbox_server: Any, tmp_path: Path) -> None:
    """``sandbox accept --debug`` against ``sandbox serve``, as a user runs it."""
    _invite(sandbox_server.url)
    env = _subprocess_env(
        tmp_path,
        AWS_ENDPOINT_URL=sandbox_server.url,
        AWS_ACCESS_KEY_ID="testing",
        AWS_SECRET_ACCESS_KEY=ADMIN_SECRET,
        AWS_SESSION_TOKEN=ADMIN_TOKEN,
        AWS_DEFAULT_REGION="us-east-1",
    )
    proc = subprocess.run(
        [sys.executable, "-m", "macie_members", "sandbox", "accept", "--account", ACCT, "--debug"],
        capture_output=True, text=True, timeout=120, cwd=ROOT, env=env,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert json.loads(proc.stdout)["accepted"] is True
    no_traceback(proc)
    # The log is there (with the AssumeRole answer in it), and redacted.
    assert "DEBUG" in proc.stderr and "AssumeRole" in proc.stderr and "AcceptInvitation" in proc.stderr
    assert "<SecretAccessKey>***REDACTED***</SecretAccessKey>" in proc.stderr
    assert_nothing_secret(proc.stdout + proc.stderr, [ADMIN_SECRET, ADMIN_TOKEN])


class _RawRecords(logging.Handler):
    """What botocore logged, before any redaction (to learn the assumed role's secrets)."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


@pytest.fixture
def raw_botocore_log() -> Iterator[_RawRecords]:
    handler = _RawRecords()
    logger = logging.getLogger("botocore")
    logger.addHandler(handler)
    try:
        yield handler
    finally:
        logger.removeHandler(handler)


def test_debug_of_sandbox_accept_hides_the_assumed_role_credentials(
    invoke: Invoke, aws: Any, monkeypatch: pytest.MonkeyPatch, raw_botocore_log: _RawRecords
) -> None:
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", ADMIN_SECRET)
    monkeypatch.setenv("AWS_SESSION_TOKEN", ADMIN_TOKEN)
    _invite(aws.url)
    result = invoke("sandbox", "accept", "--account", ACCT, "--debug")
    assert json.loads(result.stdout)["accepted"] is True
    raw = "\n".join(raw_botocore_log.messages)
    member_secret = re.search(r"<SecretAccessKey>([^<]+)</SecretAccessKey>", raw)
    member_token = re.search(r"<SessionToken>([^<]+)</SessionToken>", raw)
    assert member_secret and member_token, "the AssumeRole answer was not logged"
    signatures = re.findall(r"Signature=([0-9a-f]{64})", raw)
    assert len(signatures) >= 3  # AssumeRole, ListInvitations, AcceptInvitation
    assert_nothing_secret(
        result.stdout + result.stderr,
        [ADMIN_SECRET, ADMIN_TOKEN, member_secret.group(1), member_token.group(1), *signatures],
    )


# --------------------------------------------------------------------------------------------
# --output csv: quoting and formula escaping (CSV injection)
# --------------------------------------------------------------------------------------------

HOSTILE_EMAILS = {
    "100000000001": "=1+1@example.com",
    "100000000002": "+SUM(1)@example.com",
    "100000000003": "-2+3@example.com",
    "100000000004": '=HYPERLINK("http://evil.example")@example.com',
    "100000000005": '"quoted,comma"@example.com',
    "100000000006": "plain@example.com",
}


def expected_cell(value: str) -> str:
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def parse_csv(text: str) -> list[list[str]]:
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert rows and all(len(row) == len(rows[0]) for row in rows), text
    for row in rows:
        for cell in row:
            assert not cell.startswith(FORMULA_STARTS), f"formula cell {cell!r} in\n{text}"
    return rows


@pytest.fixture
def hostile_members(aws: Any) -> Any:
    admin = admin_client(aws.url)
    for account, email in HOSTILE_EMAILS.items():
        admin.create_member(account={"accountId": account, "email": email})
    return aws


@pytest.mark.parametrize("regions", [None, "us-east-1,eu-west-1"])
def test_list_members_csv_escapes_formulas_and_quotes(
    invoke: Invoke, hostile_members: Any, regions: str | None
) -> None:
    extra = ["--regions", regions] if regions else []
    result = invoke("list-members", "--only-associated", "false", "--output", "csv", *extra)
    assert result.stderr == ""
    rows = parse_csv(result.stdout)
    header = rows[0]
    assert header[: (2 if regions else 1)] == (["region", "accountId"] if regions else ["accountId"])
    records = [dict(zip(header, row, strict=True)) for row in rows[1:]]
    assert {r["accountId"]: r["email"] for r in records} == {
        account: expected_cell(email) for account, email in HOSTILE_EMAILS.items()
    }
    assert all(len(r["accountId"]) == 12 for r in records)  # ids stay 12-digit strings


def test_status_csv_escapes_formulas_and_quotes(invoke: Invoke, hostile_members: Any) -> None:
    result = invoke("status", "--regions", "us-east-1", "--output", "csv")
    rows = parse_csv(result.stdout)
    assert rows[0] == ["Account ID", "Email", "us-east-1"]
    assert {row[0]: row[1] for row in rows[1:]} == {
        account: expected_cell(email) for account, email in HOSTILE_EMAILS.items()
    }


def test_bulk_results_csv_has_one_record_per_line(invoke: Invoke, hostile_members: Any) -> None:
    result = invoke(
        "create-invitations", "--account-ids", "100000000001", "999999999999",
        "--regions", "us-east-1,eu-west-1", "--output", "csv", rc=254,
    )
    rows = parse_csv(result.stdout)
    assert rows[0] == ["region", "accountId", "action", "outcome", "errorCode", "errorMessage", "arn", "status"]
    assert len(rows) == 1 + 4
    assert sorted((r[0], r[1], r[3]) for r in rows[1:]) == [
        ("eu-west-1", "100000000001", "failed"),
        ("eu-west-1", "999999999999", "failed"),
        ("us-east-1", "100000000001", "ok"),
        ("us-east-1", "999999999999", "failed"),
    ]


@pytest.mark.parametrize("how", ["option", "AWS_DEFAULT_OUTPUT"])
@pytest.mark.parametrize(
    "command",
    [
        ["create-member", "--account", f"accountId={ACCT},email={EMAIL}"],
        ["delete-member", "--id", ACCT],
        ["create-invitations", "--account-ids", ACCT],
    ],
)
def test_csv_output_of_a_single_mutating_command_is_refused_before_sending(
    invoke: Invoke, aws: Any, monkeypatch: pytest.MonkeyPatch, how: str, command: list[str]
) -> None:
    """Regression: with AWS_DEFAULT_OUTPUT=csv the member was created, then exit 252."""
    if how == "option":
        command = [*command, "--output", "csv"]
    else:
        monkeypatch.setenv("AWS_DEFAULT_OUTPUT", "csv")
    result = invoke(*command, rc=252)
    assert one_line_error(result) == ("--output csv is available for list-members, list-invitations, get-member, "
                                      "get-administrator-account, status, dry runs and result records only.")
    assert aws.stats()["total"] == 0


# --------------------------------------------------------------------------------------------
# Property tests: what tests/test_params.py and tests/test_accounts.py leave out
# (parse_list, parse_json_document, paramfile paths, text streams, the CLI around them)
# --------------------------------------------------------------------------------------------

_SYNTAX = "ab1=,[]{}'\"\\ \t\n@.-:#/\u00a0ü😀"
any_text = st.one_of(st.text(max_size=40), st.text(alphabet=_SYNTAX, max_size=40))
deep_json = st.integers(1, 5000).map(lambda n: "[" * n + "]" * (n // 2))


def check_param_error(error: ParamSyntaxError, option: str) -> None:
    message = str(error)
    assert message.startswith(f"Error parsing parameter '{option}': ")
    assert message[len(f"Error parsing parameter '{option}': ") :].strip()


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(any_text, deep_json), min_size=1, max_size=3))
def test_parse_list_never_crashes(values: list[str]) -> None:
    assume(not any(v.startswith("file") for v in values))
    try:
        parsed = parse_list(values, "--account-ids")
    except ParamSyntaxError as error:
        check_param_error(error, "--account-ids")
    else:
        assert parsed is not None


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(any_text, deep_json, st.just("{" * 3000)))
def test_parse_json_document_never_crashes(text: str) -> None:
    assume(not text.startswith("file"))
    try:
        document = parse_json_document(text, "cli-input-json")
    except ParamSyntaxError as error:
        check_param_error(error, "cli-input-json")
    else:
        assert isinstance(document, dict)


_PATH_TEXT = st.text(
    alphabet=st.characters(exclude_categories=["Cs"], exclude_characters="\x00"), max_size=300
)
PARSERS: list[tuple[Callable[[str], object], str]] = [
    (lambda v: parse_structure(v, "--account"), "--account"),
    (lambda v: parse_list([v], "--account-ids"), "--account-ids"),
    (lambda v: parse_json_document(v, "--cli-input-json"), "--cli-input-json"),
]


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(["file://", "fileb://"]), st.sampled_from(["", "/", "~/", "$HOME/", "\x00"]), _PATH_TEXT)
def test_any_paramfile_path_loads_or_has_a_message(prefix: str, head: str, tail: str) -> None:
    assume("dev" not in tail and "proc" not in tail and "sys" not in tail)
    with tempfile.TemporaryDirectory() as directory:
        value = f"{prefix}{directory}/{head}{tail}"
        for parse, option in PARSERS:
            try:
                parse(value)
            except ParamSyntaxError as error:
                check_param_error(error, option)


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


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(["--account", "--tags", "--cli-input-json"]), any_text)
def test_cli_parameter_values_never_crash(option: str, value: str) -> None:
    """Whatever the value, the CLI answers 0 or 252 with a message: never 255 or a traceback.
    (--generate-cli-skeleton parses the options and then sends nothing.)"""
    assume(not value.startswith("file") and not value.startswith("-"))
    args = ["create-member", "--generate-cli-skeleton", "input", option, value]
    if option != "--account":
        args += ["--account", f"accountId={ACCT},email={EMAIL}"]
    result = CliRunner().invoke(cli, args, catch_exceptions=False)
    assert result.exit_code in (0, 252), (result.exit_code, result.stderr)
    no_traceback(result)
    if result.exit_code == 252:
        assert result.stdout == ""
        assert result.stderr.strip()
    else:
        json.loads(result.stdout)


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
