"""``--output csv`` through the CLI: quoting and formula escaping (CSV injection) in every
document that has a CSV form, and the mutating commands that have none refused before sending."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from typing import Any

import pytest
from click.testing import Result

from tests.support.helpers import admin_client, one_line_error

ACCT = "111111111111"
EMAIL = "jane@example.com"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

Invoke = Callable[..., Result]


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
    assert rows[0] == ["Account ID", "Email", "us-east-1", "Membership"]
    assert {row[0]: row[1] for row in rows[1:]} == {
        account: expected_cell(email) for account, email in HOSTILE_EMAILS.items()
    }


def test_bulk_results_csv_has_one_record_per_line(invoke: Invoke, hostile_members: Any) -> None:
    result = invoke(
        "create-invitations", "--account-ids", "100000000001", "999999999999",
        "--regions", "us-east-1,eu-west-1", "--output", "csv", rc=254,
    )
    rows = parse_csv(result.stdout)
    assert rows[0] == ["region", "accountId", "action", "outcome", "errorCode", "errorMessage", "arn", "status",
                       "note"]
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
