"""One set of rules at the edges: input on every path, Regions, account-id lists, CSV delimiters,
colour, width, messages. Through the CLI, in this process, against the embedded sandbox or an
endpoint where nothing listens (so exit 252 also proves nothing was sent)."""

from __future__ import annotations

import json
import re
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from macie_members.cli import cli

A, B = "111111111111", "222222222222"
ALL_REGIONS = [
    "af-south-1", "ap-east-1", "ap-northeast-1", "ap-northeast-2", "ap-northeast-3", "ap-south-1",
    "ap-southeast-1", "ap-southeast-2", "ca-central-1", "eu-central-1", "eu-north-1", "eu-south-1",
    "eu-west-1", "eu-west-2", "eu-west-3", "il-central-1", "me-south-1", "sa-east-1", "us-east-1",
    "us-east-2", "us-west-1", "us-west-2",
]
ANSI = re.compile(r"\x1b\[[0-9;]*m")


def run(*args: str, env: dict[str, str] | None = None) -> Result:
    return CliRunner().invoke(cli, list(args), env=env, catch_exceptions=False)


@pytest.fixture
def nowhere(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Credentials, a Region, and an endpoint where nothing listens: a request would fail (255)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    monkeypatch.setenv("AWS_MAX_ATTEMPTS", "1")
    monkeypatch.setenv("AWS_ENDPOINT_URL", f"http://127.0.0.1:{port}")
    yield


@pytest.fixture
def sandbox(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """The embedded sandbox, with its state in tmp_path."""
    monkeypatch.setenv("MACIE_MEMBERS_SANDBOX", "1")
    monkeypatch.setenv("MACIE_MEMBERS_SANDBOX_STATE", str(tmp_path / "state.json"))
    monkeypatch.setenv("MACIE_MEMBERS_SANDBOX_VERIFICATION_DELAY", "0")
    return tmp_path


def refused(result: Result, *fragments: str) -> None:
    assert result.exit_code == 252, (result.stdout, result.stderr)
    assert result.stdout == "" and "Traceback" not in result.stderr
    for fragment in fragments:
        assert fragment in result.stderr, result.stderr


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


# --------------------------------------------------------------------------------- Regions


@pytest.mark.parametrize(("args", "message"), [
    (["--regions", "eu-wset-1"], "'eu-wset-1' is not a Region: did you mean eu-west-1?"),
    (["--regions", "us-east-1,eu-wset-1"], "did you mean eu-west-1?"),
    (["--region", "us-east1"], "did you mean us-east-1?"),
    (["--region", "cn-north-1"], "Macie is not offered in cn-north-1"),
    (["--regions", "us-gov-west-1"], "Macie is not offered in us-gov-west-1"),
    (["--regions", "us-east-1", "--all-regions"], "either --regions or --all-regions"),
    (["--regions", ","], "no Region given"),
    (["--regions", " , "], "no Region given"),
])
@pytest.mark.parametrize("command", [["list-members"], ["status"], ["delete-member", "--id", A, "--yes"],
                                     ["offboard", "--account-ids", A, "--yes"]])
def test_regions_are_checked_before_anything_is_sent(args: list[str], message: str, command: list[str],
                                                     nowhere: None) -> None:
    refused(run(*command, *args), message)


def test_a_configured_region_that_is_not_one_is_a_configuration_error(nowhere: None,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_DEFAULT_REGION", "eu-wset-1")
    result = run("list-members")
    assert result.exit_code == 253 and "did you mean eu-west-1?" in result.stderr


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


# ------------------------------------------------------------------------------- colour


@pytest.fixture
def two_regions(sandbox: Path) -> Path:
    path = sandbox / "accounts.csv"
    path.write_text(f"Account ID,Email\n{A},a@example.com\n{B},b@example.invalid\n")
    result = run("onboard", str(path), "--regions", "us-east-1,eu-west-1")
    assert result.exit_code == 0, result.stderr  # B's email then fails verification
    return path


COLOURED = [["status", "--regions", "us-east-1,eu-west-1", "--output", "table"],
            ["onboard", "ACCOUNTS", "--regions", "us-east-1,eu-west-1", "--output", "table"],
            ["list-members", "--only-associated", "false", "--output", "table"],
            ["list-members", "--only-associated", "false", "--regions", "us-east-1,eu-west-1", "--output", "table"]]


@pytest.mark.parametrize("command", COLOURED, ids=lambda c: " ".join(c[:2]))
@pytest.mark.parametrize(("color", "no_color", "coloured"), [
    ("on", "1", True),  # the option wins over NO_COLOR, also when piped
    ("off", None, False),
    ("auto", None, False),  # not a terminal
    ("auto", "", False),
])
def test_colour_follows_one_rule_everywhere(command: list[str], color: str, no_color: str | None, coloured: bool,
                                            two_regions: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    if no_color is not None:
        monkeypatch.setenv("NO_COLOR", no_color)
    args = [str(two_regions) if a == "ACCOUNTS" else a for a in command]
    result = run(*args, "--color", color)
    assert result.exit_code in (0, 254), result.stderr
    assert bool(ANSI.search(result.stdout)) is coloured


# -------------------------------------------------------------------------------- width


@pytest.mark.parametrize("columns", [40, 80, 200])
@pytest.mark.parametrize("regions", [["us-east-1", "eu-west-1"], ALL_REGIONS], ids=["2-regions", "22-regions"])
@pytest.mark.parametrize("command", ["status", "onboard"])
def test_tables_stay_readable_at_any_width(columns: int, regions: list[str], command: str, sandbox: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    path = sandbox / "accounts.csv"
    path.write_text(f"Account ID,Email\n{A},a@example.com\n{B},b@example.invalid\n")
    monkeypatch.setenv("COLUMNS", str(columns))
    listed = ",".join(regions)
    assert run("onboard", str(path), "--regions", listed).exit_code == 0
    if command == "status":
        result = run("status", "--regions", listed, "--output", "table")
        assert result.exit_code == 0, result.stderr
    else:  # again: A unchanged, B's email failed verification (attention)
        result = run("onboard", str(path), "--regions", listed, "--output", "table")
        assert result.exit_code == 254, result.stderr
    lines = result.stdout.splitlines()
    assert max(len(line) for line in lines) <= columns
    assert "…" not in result.stdout
    # Every account id and every status word whole: none wrapped, none cut.
    ids = re.findall(r"(?<![0-9])[0-9]{12}(?![0-9])", result.stdout)
    assert set(ids) == {A, B} and len(ids) >= 2 * len(regions)
    assert result.stdout.count("Invited") + result.stdout.count("EmailVerificationInProgress") >= len(regions)
    assert result.stdout.count("EmailVerificationFailed") >= len(regions)
    assert not re.search(r"EmailVerification(?!Failed|InProgress)", result.stdout)
    assert not re.search(r"^\W*(Failed|InProgress|VerificationFailed)\b", result.stdout, re.MULTILINE)


# ----------------------------------------------------------------------------- messages


def test_a_bad_query_is_said_once(nowhere: None) -> None:
    result = run("list-members", "--query", "members[?")
    refused(result, "Bad value for --query members[?")
    assert result.stderr.count("--query") == 1 + result.stderr.count("Try 'macie-members")


def test_an_over_long_line_is_not_called_a_header_only_file(nowhere: None, tmp_path: Path) -> None:
    path = tmp_path / "long.csv"
    path.write_text(f"Account ID,Email\n{'1' * 100_001},a@example.com\n")
    result = run("create-member", "--accounts-file", str(path))
    refused(result, "long.csv:2: the line is too long")
    assert "only the header line" not in result.stderr


def test_sandbox_accept_uses_the_sandbox_of_the_commands_around_it(sandbox: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """With the embedded sandbox chosen (--sandbox or MACIE_MEMBERS_SANDBOX=1), an exported
    AWS_ENDPOINT_URL does not send `sandbox accept` elsewhere; it says which sandbox it used."""
    monkeypatch.setenv("AWS_ENDPOINT_URL", "http://127.0.0.1:9")
    assert run("create-member", "--account", f"accountId={A},email=a@example.com").exit_code == 0
    assert run("create-invitations", "--account-ids", A).exit_code == 0
    result = run("sandbox", "accept", "--account", A)
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["accepted"] is True
    assert f"(the embedded sandbox, state in {sandbox / 'state.json'})" in result.stderr
    members = json.loads(run("list-members").stdout)["members"]
    assert [(m["accountId"], m["relationshipStatus"]) for m in members] == [(A, "Enabled")]


def test_sandbox_accept_says_when_it_uses_a_server(sandbox_server: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    import boto3

    admin = boto3.client("macie2", region_name="us-east-1", endpoint_url=sandbox_server.url,
                         aws_access_key_id="testing", aws_secret_access_key="testing")
    admin.create_member(account={"accountId": A, "email": "a@example.com"})
    admin.create_invitations(accountIds=[A])
    for name, value in {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
                        "AWS_DEFAULT_REGION": "us-east-1", "AWS_ENDPOINT_URL": sandbox_server.url}.items():
        monkeypatch.setenv(name, value)
    result = run("sandbox", "accept", "--account", A)
    assert result.exit_code == 0, result.stderr
    assert f"(the sandbox server at {sandbox_server.url})" in result.stderr


@pytest.mark.parametrize("role", ["", "bad role", "/x", "x" * 65])
def test_role_names_are_checked(role: str, nowhere: None) -> None:
    refused(run("accept-invitations", "--role-name", role, "--account-ids", A), "--role-name", "not an IAM role name")


def test_an_accounts_file_with_account_ids_is_refused(nowhere: None, tmp_path: Path) -> None:
    path = tmp_path / "leavers.csv"
    path.write_text(f"Account ID\n{A}\n")
    refused(run("offboard", str(path), "--account-ids", B, "--yes"), "either an accounts file", "or --account-ids")


def test_offered_regions_are_botocores() -> None:
    """The Region check reads the endpoint data itself (fast); it finds what botocore's
    ``get_available_regions`` finds, in every partition."""
    import botocore.session

    from macie_members.aws.botocore_session import region_catalog

    session = botocore.session.get_session()
    partitions = session.get_available_partitions()
    expected = sorted({r for p in partitions for r in session.get_available_regions("macie2", partition_name=p)})
    known = {r for p in partitions for r in session.get_available_regions("ec2", partition_name=p)}
    catalog = region_catalog(botocore.session.get_session())
    offered, every = list(catalog.offered), set(catalog.known)
    assert offered == expected and "us-east-1" in offered
    assert every == known | set(expected)
