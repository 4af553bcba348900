"""macie_members.render.csvout: CSV safe to open in a spreadsheet (formula escaping against CSV
injection), and the CSV forms of the answers that have one."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest

from macie_members.render.csvout import (
    CSV_KEYS,
    MEMBER_COLUMNS,
    escape_cell,
    regions_csv,
    response_csv,
    to_csv,
)


def rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline="")))


@pytest.mark.parametrize("text", ["=1+1", "+SUM(A1)", "-2+3", "@SUM(A1)", "\tx", "\rx", "=", "-"])
def test_a_cell_a_spreadsheet_would_run_as_a_formula_gets_an_apostrophe(text: str) -> None:
    assert escape_cell(text) == "'" + text


@pytest.mark.parametrize("text", ["plain", "a=b", "a+b", "x-1", "jane@example.com", " =1", "'quoted", "", "\nx"])
def test_other_cells_are_left_as_they_are(text: str) -> None:
    assert escape_cell(text) == text


def test_cells_that_are_not_text() -> None:
    assert escape_cell(None) == ""
    assert escape_cell(12) == "12"
    assert escape_cell(-12) == "'-12"  # a negative number also starts with "-"
    assert escape_cell(True) == "True"
    assert escape_cell(dt.datetime(2024, 1, 2, 3, 4, 5, tzinfo=dt.UTC)) == "2024-01-02T03:04:05+00:00"
    assert escape_cell("000000000042") == "000000000042"  # account ids stay 12-digit strings


def test_to_csv_writes_a_header_then_rows_every_cell_escaped() -> None:
    text = to_csv(["accountId", "=email"], [["000000000042", "=HYPERLINK(\"http://x\")"], ["1", None]])
    assert text.endswith("\n") and "\r" not in text
    assert rows(text) == [["accountId", "'=email"], ["000000000042", "'=HYPERLINK(\"http://x\")"], ["1", ""]]


def test_to_csv_quotes_separators_quotes_and_newlines() -> None:
    text = to_csv(None, [['"quoted,comma"@example.com', "two\nlines"]])
    assert text == '"""quoted,comma""@example.com","two\nlines"\n'
    assert rows(text) == [['"quoted,comma"@example.com', "two\nlines"]]


def test_to_csv_without_a_header_or_rows() -> None:
    assert to_csv(None, []) == ""
    assert to_csv(["a", "b"], []) == "a,b\n"


def test_response_csv_is_a_row_per_item_in_the_columns_order() -> None:
    members = {"members": [{"email": "=x@example.com", "accountId": "111111111111", "relationshipStatus": "Enabled"},
                           {"accountId": "222222222222"}]}
    table = rows(response_csv(members, "ListMembers"))
    assert table[0] == list(MEMBER_COLUMNS)
    assert table[1][:3] == ["111111111111", "'=x@example.com", "Enabled"]
    assert table[2] == ["222222222222", "", "", "", "", "", "", "organization"]  # no email: an Organizations member
    assert table[1][-1] == "invitation"


def test_response_csv_of_one_object_and_of_nothing() -> None:
    administrator = {"administrator": {"accountId": "123456789012", "invitationId": "i", "relationshipStatus": "Enabled",
                                       "invitedAt": "2024-01-02T03:04:05Z"}}
    assert rows(response_csv(administrator, "GetAdministratorAccount")) == [
        ["accountId", "invitationId", "relationshipStatus", "invitedAt"],
        ["123456789012", "i", "Enabled", "2024-01-02T03:04:05Z"]]
    assert rows(response_csv({}, "GetAdministratorAccount")) == [
        ["accountId", "invitationId", "relationshipStatus", "invitedAt"]]
    assert rows(response_csv({"accountId": "111111111111"}, "GetMember"))[1][0] == "111111111111"
    assert set(CSV_KEYS) == {"ListMembers", "ListInvitations", "GetMember", "GetAdministratorAccount"}


def test_regions_csv_puts_the_region_first_and_leaves_out_failed_regions() -> None:
    regions = [{"region": "us-east-1", "invitations": [{"accountId": "123456789012", "relationshipStatus": "Invited"}]},
               {"region": "eu-west-1", "errorCode": "AccessDeniedException", "errorMessage": "no"},
               {"region": "ap-south-1", "invitations": []}]
    assert rows(regions_csv(regions, "invitations")) == [
        ["region", "accountId", "invitationId", "relationshipStatus", "invitedAt"],
        ["us-east-1", "123456789012", "", "Invited", ""]]
