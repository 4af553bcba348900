"""``--output csv`` of members names the membership type (invitation / organization)."""

from __future__ import annotations

import csv
import io

from macie_members.render.csvout import regions_csv, response_csv


def rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def test_members_csv_tells_the_two_kinds_apart() -> None:
    document = {"members": [
        {"accountId": "111111111111", "email": "a@example.com", "relationshipStatus": "Enabled"},
        {"accountId": "777777777777", "relationshipStatus": "Enabled"},
    ]}
    table = rows(response_csv(document, "ListMembers"))
    assert [(r["accountId"], r["email"], r["membershipType"]) for r in table] == [
        ("111111111111", "a@example.com", "invitation"), ("777777777777", "", "organization")]
    assert list(table[0])[-1] == "membershipType"  # the answer's own columns keep their places
    single = rows(response_csv({"accountId": "777777777777", "relationshipStatus": "Paused"}, "GetMember"))
    assert single[0]["membershipType"] == "organization"
    across = rows(regions_csv([{"region": "us-east-1", **document}], "members"))
    assert [r["membershipType"] for r in across] == ["invitation", "organization"]


def test_invitations_csv_has_no_membership_column() -> None:
    text = response_csv({"invitations": [{"accountId": "123456789012", "invitationId": "x"}]}, "ListInvitations")
    assert "membershipType" not in text.splitlines()[0]
