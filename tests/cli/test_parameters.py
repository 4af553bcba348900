"""Parameter values through the CLI: one set of account rules on every input path (shorthand,
JSON, file://, --cli-input-json, bulk, CSV), tags and bytes the service would refuse, account-id
lists, role names, file:// and fileb:// values that can't be read, and any value at all
(property test): a short message and exit 252, never a traceback, nothing sent."""

from __future__ import annotations

import json
import random
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from macie_members.cli import cli
from tests.support.helpers import no_traceback, one_line_error, refused, run
from tests.support.strategies import any_text

A, B = "111111111111", "222222222222"
ACCT = A
EMAIL = "jane@example.com"

Invoke = Callable[..., Result]


# ------------------------------------------------------------- one rule on every input path

BAD_EMAIL = "a<b>@example.com"
ARABIC_ID = "١٢٣٤٥٦٧٨٩٠١٢"


def account_inputs(tmp_path: Path, account_id: str, email: str) -> dict[str, list[str]]:
    document = json.dumps({"accountId": account_id, "email": email})
    (tmp_path / "account.json").write_text(document)
    (tmp_path / "input.json").write_text(json.dumps({"account": {"accountId": account_id, "email": email}}))
    (tmp_path / "accounts.csv").write_text(f"Account ID,Email\n{account_id},{email}\n", encoding="utf-8")
    return {
        "shorthand": ["create-member", "--account", f"accountId={account_id},email={email}"],
        "json": ["create-member", "--account", document],
        "file": ["create-member", "--account", f"file://{tmp_path / 'account.json'}"],
        "cli-input-json": ["create-member", "--cli-input-json", f"file://{tmp_path / 'input.json'}"],
        "bulk": ["create-member", "--account", f"accountId={account_id},email={email}", "--regions",
                 "us-east-1,eu-west-1"],
        "csv": ["create-member", "--accounts-file", str(tmp_path / "accounts.csv")],
    }


@pytest.mark.parametrize("path", ["shorthand", "json", "file", "cli-input-json", "bulk", "csv"])
@pytest.mark.parametrize(("account_id", "email", "words"), [
    (A, BAD_EMAIL, "'<', '>'"),
    (ARABIC_ID, "a@example.com", "ARABIC-INDIC DIGIT ONE"),
    (A, f"{'a' * 250}@example.com", "characters"),
])
def test_the_same_account_rules_on_every_input_path(path: str, account_id: str, email: str, words: str,
                                                    nowhere: None, tmp_path: Path) -> None:
    refused(run(*account_inputs(tmp_path, account_id, email)[path]), words)


@pytest.mark.parametrize("args", [
    ["create-member", "--account", f"accountId={A},email=a@example.com", "--tags", "=v"],
    ["create-member", "--account", f"accountId={A},email=a@example.com", "--tags", "aws:team=v"],
    ["create-member", "--account", f"accountId={A},email=a@example.com", "--tags", "=v", "--regions",
     "us-east-1,eu-west-1"],
])
def test_tag_keys_the_service_refuses_are_refused_first(args: list[str], nowhere: None) -> None:
    refused(run(*args), "Parameter validation failed")


@pytest.mark.parametrize("args", [
    ["create-member", "--account", f"accountId={A},email=a\udcff@example.com"],
    ["create-invitations", "--account-ids", A, "--message", "hi \udcff"],
    ["create-invitations", "--account-ids", A, "--message", "hi \udcff", "--regions", "us-east-1,eu-west-1"],
    ["offboard", "--account-ids", f"{A}\udcff", "--yes"],
])
def test_bytes_that_are_not_utf8_are_refused(args: list[str], nowhere: None) -> None:
    refused(run(*args), "not UTF-8")


# ----------------------------------------------------------------------- account-id lists


@pytest.mark.parametrize("ids", [[f"{A},{B}"], [A, B], [f"{A}, {B}"], [f'["{A}", "{B}"]']])
def test_commas_separate_account_ids_in_create_invitations(ids: list[str], sandbox: Path) -> None:
    for account in (A, B):
        assert run("create-member", "--account", f"accountId={account},email={account}@example.com").exit_code == 0
    result = run("create-invitations", "--account-ids", *ids)
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout) == {"unprocessedAccounts": []}
    listed = json.loads(run("list-members", "--only-associated", "false").stdout)["members"]
    assert {m["relationshipStatus"] for m in listed} == {"Invited"}


@pytest.mark.parametrize("role", ["", "bad role", "/x", "x" * 65])
def test_role_names_are_checked(role: str, nowhere: None) -> None:
    refused(run("accept-invitations", "--role-name", role, "--account-ids", A), "--role-name", "not an IAM role name")


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
# Any value (property test)
# --------------------------------------------------------------------------------------------


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


# ----------------------------------------------------------- file:// and --cli-input-json, bounded


PARAM_FILE_COMMANDS: dict[str, Callable[[str], list[str]]] = {
    "create-member --account": lambda f: ["create-member", "--account", f],
    "create-member --tags": lambda f: ["create-member", "--account", "accountId=111111111111,email=a@example.com",
                                       "--tags", f],
    "create-invitations --account-ids": lambda f: ["create-invitations", "--account-ids", f],
    "create-invitations --regions": lambda f: ["create-invitations", "--account-ids", f, "--regions",
                                               "us-east-1,eu-west-1"],
    "get-member --cli-input-json": lambda f: ["get-member", "--cli-input-json", f],
    "create-member --cli-input-json": lambda f: ["create-member", "--cli-input-json", f],
    "member side: accept-invitation --cli-input-json": lambda f: ["accept-invitation", "--cli-input-json", f],
}


@pytest.mark.parametrize("prefix", ["file://", "fileb://"])
@pytest.mark.parametrize("command", list(PARAM_FILE_COMMANDS))
def test_param_file_with_a_nul_is_one_line_naming_file_and_line(
    aws: Any, tmp_path: Path, command: str, prefix: str
) -> None:
    path = tmp_path / "value.json"
    path.write_bytes(b'{\n  "x":\n "\x00"}\n' + b"\x00" * 1_000_000)
    args = PARAM_FILE_COMMANDS[command](prefix + str(path))
    result = run(*args)
    assert result.exit_code == 252, result.stderr
    line = one_line_error(result)
    assert line.endswith(f"Unable to load paramfile ({path}:3), a NUL byte on this line: "
                         "this is a binary file, not text"), line
    assert aws.stats()["total"] == 0


LONG = "a" * 10_000_000
LONG_VALUES: dict[str, str] = {
    "JSON email": json.dumps({"accountId": "111111111111", "email": LONG}),
    "JSON id": json.dumps({"accountId": LONG, "email": "a@example.com"}),
    "shorthand": f"accountId=111111111111,email={LONG},,",
    "broken JSON": '{"accountId": "' + LONG + '", ',
}


@pytest.mark.parametrize("kind", list(LONG_VALUES))
def test_a_10_mb_value_in_file_is_echoed_cut_to_a_readable_length(aws: Any, tmp_path: Path, kind: str) -> None:
    path = tmp_path / "account.txt"
    path.write_text(LONG_VALUES[kind])
    result = run("create-member", "--account", f"file://{path}")
    assert result.exit_code == 252, result.stderr[:500]
    assert result.stdout == "" and "Traceback" not in result.stderr
    assert len(result.stderr) < 1_000, result.stderr[:500]
    assert "..." in result.stderr
    assert aws.stats()["total"] == 0


def test_thirty_bad_account_ids_are_twenty_lines_and_a_count(aws: Any) -> None:
    result = run("create-invitations", "--account-ids", *[f"x{i}" for i in range(30)])
    refused(result, "Parameter validation failed:")
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 22, result.stderr
    assert lines[-1] == "... and 10 more problems"
    assert aws.stats()["total"] == 0


# ------------------------------------------------------------- file:// for string options


@pytest.mark.parametrize(("command", "option"), [
    (["get-member"], "--id"),
    (["disassociate-member"], "--id"),
    (["update-member-session", "--status", "PAUSED"], "--id"),
    (["accept-invitation", "--invitation-id", "abc"], "--administrator-account-id"),
])
def test_a_string_option_loads_its_paramfile_as_the_aws_cli(sandbox: Path, command: list[str], option: str) -> None:
    """The AWS CLI loads ``file://`` for every parameter: the content is the value, as it is
    (a final newline included, then refused by the account id check on one line)."""
    exact, with_newline = sandbox / "id.txt", sandbox / "id-newline.txt"
    exact.write_text("123456789012")
    with_newline.write_text("123456789012\n")
    sent = run(*command, option, f"file://{exact}")
    assert sent.exit_code == 254, sent.stderr  # the value reached the service: no such member / invitation
    assert sent.stdout == "" and "An error occurred (" in sent.stderr
    refused_ = run(*command, option, f"file://{with_newline}")
    assert refused_.exit_code == 252 and refused_.stdout == ""
    assert refused_.stderr.strip().splitlines()[1] == (
        f"Invalid value for parameter {'administratorAccountId' if 'administrator' in option else 'id'}, "
        "value: 123456789012\\n, contains characters that are not digits 0-9: '\\n' (U+000A); "
        "an account id is exactly 12 digits (0-9)")
    missing = run(*command, option, f"file://{sandbox / 'nowhere.txt'}")
    assert missing.exit_code == 252 and missing.stdout == ""
    assert one_line_error(missing).startswith(f"Error parsing parameter '{option}': Unable to load paramfile file://")
