"""The drop-in commands' own inputs through the CLI: ``--cli-input-json`` (merged, options win),
``--generate-cli-skeleton``, and the client-side checks (:mod:`macie_members.inputs.checks`):
exit 252 and nothing sent, while values at the limits are sent."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from macie_members.cli import cli
from tests.support.helpers import admin_client, arn, create_member_args, no_traceback

ACCT = "111111111111"
ACCT2 = "222222222222"
EMAIL = "jane@example.com"

Invoke = Callable[..., Result]


# --------------------------------------------------------------------------------------------
# --cli-input-json, --generate-cli-skeleton
# --------------------------------------------------------------------------------------------


def members_of(url: str) -> dict[str, dict[str, Any]]:
    members = admin_client(url).list_members(onlyAssociated="false")["members"]
    return {m["accountId"]: m for m in members}


def test_cli_input_json_merges_and_options_win(invoke: Invoke, aws: Any) -> None:
    document = {"account": {"accountId": ACCT, "email": EMAIL}, "tags": {"team": "security"}}
    result = invoke(
        "create-member",
        "--cli-input-json",
        json.dumps(document),
        "--account",
        f"accountId={ACCT2},email=bob@example.com",
    )
    assert json.loads(result.stdout) == {"arn": arn(account=ACCT2)}
    members = members_of(aws.url)
    assert list(members) == [ACCT2]
    assert members[ACCT2]["email"] == "bob@example.com"
    assert members[ACCT2]["tags"] == {"team": "security"}  # kept from --cli-input-json


def test_cli_input_json_from_a_file_supplies_required_options(
    invoke: Invoke, aws: Any, tmp_path: Path
) -> None:
    admin_client(aws.url).create_member(account={"accountId": ACCT, "email": EMAIL})
    document = tmp_path / "input.json"
    document.write_text(json.dumps({"id": ACCT}))
    result = invoke("delete-member", "--cli-input-json", f"file://{document}")
    assert (result.stdout, result.stderr) == ("", "")
    assert members_of(aws.url) == {}


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ('["not", "an", "object"]', "expected a JSON object, received a JSON array"),
        ("{broken", "Error parsing parameter 'cli-input-json': Invalid JSON"),
        ('{"id": "12"}', "Invalid value for parameter id, value: 12"),
        ('{"id": 111111111111}', "Invalid type for parameter id"),
    ],
)
def test_bad_cli_input_json(invoke: Invoke, aws: Any, value: str, message: str) -> None:
    result = invoke("delete-member", "--cli-input-json", value, rc=252)
    assert result.stdout == ""
    assert message in result.stderr
    no_traceback(result)
    assert aws.stats()["total"] == 0


def test_generate_cli_skeleton_needs_no_configuration(invoke: Invoke) -> None:
    """No credentials, no region, no endpoint: nothing is sent."""
    result = invoke("update-member-session", "--generate-cli-skeleton")
    assert json.loads(result.stdout) == {"id": "", "status": "PAUSED"}
    result = invoke("create-member", "--generate-cli-skeleton", "input")
    skeleton = json.loads(result.stdout)
    assert set(skeleton) == {"account", "tags"}
    assert set(skeleton["account"]) == {"accountId", "email"}


@pytest.mark.parametrize(
    ("command", "required"),
    [
        (["delete-member"], "--id"),
        (["create-member"], "--account"),
        (["update-member-session", "--id", ACCT], "--status"),
        (["create-invitations"], "--account-ids"),
    ],
)
def test_generate_cli_skeleton_output_requires_the_required_options(
    invoke: Invoke, aws: Any, command: list[str], required: str
) -> None:
    result = invoke(*command, "--generate-cli-skeleton", "output", rc=252)
    assert result.stdout == ""
    assert f"the following arguments are required: {required}" in result.stderr
    no_traceback(result)
    assert aws.stats()["total"] == 0


def test_generate_cli_skeleton_output_sends_nothing(invoke: Invoke, aws: Any) -> None:
    result = invoke(*create_member_args(), "--generate-cli-skeleton", "output")
    assert json.loads(result.stdout) == {"arn": "arn"}
    assert aws.stats()["total"] == 0
    assert members_of(aws.url) == {}


def test_bad_skeleton_choice(invoke: Invoke) -> None:
    result = invoke("delete-member", "--generate-cli-skeleton", "yaml", rc=252)
    assert "Invalid value for '--generate-cli-skeleton'" in result.stderr


# --------------------------------------------------------------------------------------------
# Client-side checks (macie_members.inputs.checks): exit 252, nothing sent
# --------------------------------------------------------------------------------------------

_TAGS_51 = json.dumps({f"k{i}": "v" for i in range(51)})
_TAGS_50 = json.dumps({f"k{i}": "v" for i in range(50)})


@pytest.mark.parametrize(
    ("args", "problems"),
    [
        (
            create_member_args("11111111111"),
            ["Invalid value for parameter account.accountId, value: 11111111111"],
        ),
        (
            create_member_args("11111111111a"),
            ["Invalid value for parameter account.accountId, value: 11111111111a"],
        ),
        (
            create_member_args(email="jane.example.com"),
            ["Invalid value for parameter account.email, value: jane.example.com"],
        ),
        (
            create_member_args(email="jane@localhost"),
            ["Invalid value for parameter account.email, value: jane@localhost"],
        ),
        (
            create_member_args("1", "x"),
            [
                "Invalid value for parameter account.accountId, value: 1,",
                "Invalid value for parameter account.email, value: x,",
            ],
        ),
        (
            [*create_member_args(), "--tags", _TAGS_51],
            ["Invalid length for parameter tags, value: 51, valid max length: 50"],
        ),
        (
            [*create_member_args(), "--tags", f"{'k' * 129}=v"],
            ["Invalid length for parameter tags key"],
        ),
        (
            [*create_member_args(), "--tags", f"team={'v' * 257}"],
            ["Invalid length for parameter tags.team, value: 257"],
        ),
        (
            ["create-invitations", "--account-ids", ACCT, "12345"],
            ["Invalid value for parameter accountIds[1], value: 12345"],
        ),
        (
            ["create-invitations", "--account-ids", '["abc"]'],
            ["Invalid value for parameter accountIds[0], value: abc"],
        ),
        (
            ["create-invitations", "--account-ids", ACCT, "--message", "m" * 81],
            ["Invalid length for parameter message, value: 81, valid max length: 80"],
        ),
        (
            ["update-member-session", "--id", "1234", "--status", "PAUSED"],
            ["Invalid value for parameter id, value: 1234"],
        ),
        (
            ["update-member-session", "--id", ACCT, "--status", "paused"],
            ["Invalid value for parameter status, value: paused, valid choices: PAUSED, ENABLED"],
        ),
        (["disassociate-member", "--id", "me"], ["Invalid value for parameter id, value: me"]),
        (
            ["delete-member", "--id", "1111111111111"],
            ["Invalid value for parameter id, value: 1111111111111"],
        ),
        (
            ["list-members", "--only-associated", "yes"],
            ["Invalid value for parameter onlyAssociated, value: yes, valid choices: true, false"],
        ),
        (
            ["list-members", "--page-size", "0"],
            ["Invalid value for parameter maxResults, value: 0, valid range: 1-25"],
        ),
        (
            ["list-members", "--page-size", "26"],
            ["Invalid value for parameter maxResults, value: 26, valid range: 1-25"],
        ),
        (
            ["list-members", "--max-results", "26"],
            ["Invalid value for parameter maxResults, value: 26, valid range: 1-25"],
        ),
    ],
)
def test_client_side_checks_exit_252_and_send_nothing(
    invoke: Invoke, aws: Any, args: list[str], problems: list[str]
) -> None:
    result = invoke(*args, rc=252)
    assert result.stdout == ""
    no_traceback(result)
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert lines[0] == "Parameter validation failed:"
    assert len(lines) == 1 + len(problems), result.stderr
    for problem, line in zip(problems, lines[1:], strict=True):
        assert line.startswith(problem), line
    assert aws.stats()["total"] == 0


def invoke_any_rc(args: list[str]) -> Result:
    """Run a command that may succeed or be refused by the service (0 or 254), never 252."""
    result = CliRunner().invoke(cli, args, catch_exceptions=False)
    assert result.exit_code in (0, 254), (result.exit_code, result.stdout, result.stderr)
    no_traceback(result)
    return result


@pytest.mark.parametrize(
    ("args", "operation"),
    [
        ([*create_member_args(), "--tags", _TAGS_50], "CreateMember"),
        ([*create_member_args(), "--tags", f"{'k' * 128}={'v' * 256}"], "CreateMember"),
        (["create-invitations", "--account-ids", ACCT, "--message", "m" * 80], "CreateInvitations"),
        (["list-members", "--page-size", "25"], "ListMembers"),
        (["list-members", "--page-size", "1", "--only-associated", "false"], "ListMembers"),
        (["update-member-session", "--id", ACCT, "--status", "ENABLED"], "UpdateMemberSession"),
    ],
)
def test_values_at_the_limits_are_sent(aws: Any, args: list[str], operation: str) -> None:
    result = invoke_any_rc(args)
    assert "Parameter validation failed" not in result.stderr
    assert aws.stats()["requests"].get(operation) == 1
