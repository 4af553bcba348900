"""macie_members.render.aws_table: the AWS CLI-style ``--output table`` of a response (also
through the ``--output`` dispatcher, :func:`macie_members.render.aws_output.render`)."""

from __future__ import annotations

from typing import Any

import pytest

from macie_members.render.aws_output import render
from macie_members.render.aws_table import render_table
from macie_members.render.aws_text import strip_metadata
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


def assert_fits(text: str, width: int) -> None:
    assert text.endswith("\n")
    too_long = [line for line in text.splitlines() if len(line) > width]
    assert not too_long


@pytest.mark.parametrize("width", [80, 50])
def test_table_fits_width_and_shows_everything(width: int) -> None:
    text = render(many_members(), output="table", operation="ListMembers", width=width)
    assert_fits(text, width)
    assert "ListMembers" in text
    for account_id in ("111122223333", "444455556666", "777788889999"):
        assert account_id in text
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


def test_table_wide_list_falls_back_to_vertical_blocks() -> None:
    data = {
        "members": [member_answer("111122223333", "a@example.com"), member_answer("444455556666", "b@ex.com")]
    }
    text = render_table(data, title="ListMembers", width=80)
    assert_fits(text, 80)
    assert text.count("members") == 2  # one block per member
    for line in text.splitlines():
        assert not ("accountId" in line and "email" in line)  # not a horizontal header
    assert any("relationshipStatus" in line and "Enabled" in line for line in text.splitlines())


def test_table_tags_become_sub_tables() -> None:
    text = render_table(strip_metadata(many_members()), title="ListMembers")
    lines = text.splitlines()
    tags_line = next(i for i, line in enumerate(lines) if line.strip() == "tags")
    assert text.count("tags") == 1
    header = next(line for line in lines[tags_line:] if "env" in line)
    assert header.index("env") < header.index("team")


def test_table_empty_shapes() -> None:
    assert render_table({}, title="DeleteMember") == ""
    assert render({"ResponseMetadata": METADATA}, output="table", operation="DeleteMember") == ""
    assert render_table([], title="ListMembers") == ""
    assert render_table(None, title="ListMembers") == ""
    text = render_table({"members": []}, title="ListMembers")
    assert len(text.splitlines()) == 3
    assert "ListMembers" in text


def test_table_scalars_and_lists() -> None:
    text = render_table(3, title="ListMembers")
    assert "3" in text.splitlines()[-2]
    text = render_table(
        {"arn": "arn:aws:macie2:x", "ok": True, "at": INVITED}, title="CreateMember"
    )
    assert "arn:aws:macie2:x" in text
    assert "True" in text
    assert "2024-01-02T03:04:05.678000+00:00" in text
    text = render_table(["111122223333", ["a", "b"], {"k": "v"}], title="ListMembers", width=40)
    assert_fits(text, 40)
    assert "111122223333" in text
    assert "v" in text


def test_table_color() -> None:
    plain = render_table(many_members(), title="ListMembers")
    colored = render_table(many_members(), title="ListMembers", color=True)
    assert "\x1b[" not in plain
    assert "\x1b[" in colored
    assert "[bold]x[/bold]" in colored
