"""macie_members.render.aws_table: the AWS CLI-style ``--output table`` of a response (also
through the ``--output`` dispatcher, :func:`macie_members.render.aws_output.render`)."""

from __future__ import annotations

from typing import Any

import pytest

from macie_members.errors import MacieMembersError
from macie_members.render.aws_output import render
from macie_members.render.aws_table import render_table, text_width
from macie_members.render.aws_text import strip_metadata
from tests.support.helpers import ANSWER_ADMIN as ADMIN
from tests.support.helpers import INVITED, METADATA, member_answer

# --------------------------------------------------------------------------- table


def many_members() -> dict[str, Any]:
    return {
        "members": [
            member_answer("111122223333", "a@example.com", {"env": "prod", "team": "[bold]x[/bold]"}),
            member_answer("444455556666", "b@example.com"),
            member_answer("777788889999", "c@exämple.com"),
        ],
        "NextToken": "eyJuZXh0VG9rZW4iOiAiMiJ9",
        "ResponseMetadata": METADATA,
    }


def assert_unwrapped(text: str) -> None:
    """The AWS CLI's table: every line as wide as the table (nothing wrapped, nothing cut)."""
    assert text.endswith("\n")
    assert len({text_width(line) for line in text.splitlines()}) == 1


@pytest.mark.parametrize("width", [80, 50])
def test_table_shows_everything_unwrapped(width: int) -> None:
    text = render(many_members(), output="table", operation="ListMembers", width=width)
    assert_unwrapped(text)
    assert text_width(text.splitlines()[0]) > width  # as wide as its content, not the width
    assert "ListMembers" in text
    for account_id in ("111122223333", "444455556666", "777788889999"):
        assert any(f"arn:aws:macie2:us-east-1:{ADMIN}:member/{account_id}" in line for line in text.splitlines())
    assert "ResponseMetadata" not in text
    assert "RequestId" not in text


def test_table_prints_markup_literally() -> None:
    text = render_table(many_members()["members"], title="ListMembers")
    assert "[bold]x[/bold]" in text
    assert "\x1b" not in text
    data = {"members": [{"accountId": "[red]1[/red]", "email": ":smile: [link=x]y[/link]"}]}
    text = render_table(data, title="[b]T[/b]")
    assert "[red]1[/red]" in text
    assert ":smile: [link=x]y[/link]" in text
    assert "[b]T[/b]" in text


def test_table_next_token_row_above_members() -> None:
    text = render(many_members(), output="table", operation="ListMembers")
    lines = text.splitlines()
    token_line = next(i for i, line in enumerate(lines) if "NextToken" in line)
    members_line = next(i for i, line in enumerate(lines) if "members" in line)
    assert "eyJuZXh0VG9rZW4iOiAiMiJ9" in lines[token_line]
    assert token_line < members_line


def test_table_narrow_list_is_one_table_with_sorted_headers() -> None:
    data = {
        "unprocessedAccounts": [
            {"errorMessage": "bad", "accountId": "111122223333", "errorCode": "ClientError"},
            {"accountId": "444455556666", "errorCode": "InternalError"},
        ]
    }
    text = render_table(data, title="CreateInvitations")
    header = next(line for line in text.splitlines() if "accountId" in line)
    assert header.index("accountId") < header.index("errorCode") < header.index("errorMessage")
    assert text.count("unprocessedAccounts") == 1
    assert "InternalError" in text


def test_table_wide_list_stays_one_table() -> None:
    """The AWS CLI turns only one-row sections vertical: a list of members without tags stays
    one table under one header line, wider than the width."""
    data = {
        "members": [member_answer("111122223333", "a@example.com"), member_answer("444455556666", "b@ex.com")]
    }
    text = render_table(data, title="ListMembers", width=80)
    assert_unwrapped(text)
    assert len(text.splitlines()[0]) > 80
    assert text.count("members") == 1  # one section for the list (not one per member)
    [header] = [line for line in text.splitlines() if "accountId" in line]
    assert header.index("accountId") < header.index("email") < header.index("relationshipStatus")
    assert [line[:16] for line in text.splitlines() if "999988887777" in line] == ["||  111122223333", "||  444455556666"]


def test_table_tags_become_sub_tables() -> None:
    text = render_table(strip_metadata(many_members()), title="ListMembers")
    lines = text.splitlines()
    tags_line = next(i for i, line in enumerate(lines) if line.strip("| ") == "tags")
    assert lines[tags_line].startswith("|||")  # a section two levels down: members, then tags
    assert text.count("tags") == 1
    env = next(i for i, line in enumerate(lines) if "env" in line)
    team = next(i for i, line in enumerate(lines) if "[bold]x[/bold]" in line)
    assert tags_line < env < team  # sorted keys (one row: vertical, the table being wider than 80)


def test_table_empty_shapes() -> None:
    assert render_table({}, title="DeleteMember") == ""
    assert render({"ResponseMetadata": METADATA}, output="table", operation="DeleteMember") == ""
    assert render_table([], title="ListMembers") == ""
    assert render_table(None, title="ListMembers") == ""
    text = render_table({"members": []}, title="ListMembers")
    assert len(text.splitlines()) == 3
    assert "ListMembers" in text


def test_table_scalars_and_lists() -> None:
    # A scalar (a --query's result) shows the title box only, as with the AWS CLI.
    assert render_table(3, title="ListMembers") == "-------------\n|ListMembers|\n+-----------+\n"
    text = render_table(
        {"arn": "arn:aws:macie2:x", "ok": True, "at": INVITED}, title="CreateMember"
    )
    assert "arn:aws:macie2:x" in text
    assert "True" in text
    assert "2024-01-02T03:04:05.678000+00:00" in text
    text = render_table(["111122223333", ["a"], {"k": "v"}], title="ListMembers", width=40)
    assert_unwrapped(text)
    assert "|  111122223333  |" in text
    assert "|  k             |" in text  # a map in a list of scalars shows its keys (the AWS CLI's way)
    with pytest.raises(MacieMembersError, match=r"^Row should have 1 elements, instead it has 2$"):
        render_table(["111122223333", ["a", "b"]], title="ListMembers")


def test_table_color() -> None:
    plain = render_table(many_members(), title="ListMembers")
    colored = render_table(many_members(), title="ListMembers", color=True)
    assert "\x1b[" not in plain
    assert "\x1b[" in colored
    assert "[bold]x[/bold]" in colored
