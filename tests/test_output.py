"""Tests for macie_members.render.aws_text: JSON, text and table rendering of macie2 responses."""

from __future__ import annotations

import argparse
import copy
import datetime as dt
import io
import json
import subprocess
import sys
from typing import Any

import pytest
from awscli.formatter import JSONFormatter
from awscli.text import format_text as oracle

from macie_members.config import AWS_OUTPUTS as OUTPUT_FORMATS
from macie_members.errors import MacieMembersError
from macie_members.render.aws_output import render, render_table
from macie_members.render.aws_table import text_width
from macie_members.render.aws_text import format_json, format_text, strip_metadata

UTC = dt.UTC
INVITED = dt.datetime(2024, 1, 2, 3, 4, 5, 678000, tzinfo=UTC)
UPDATED = dt.datetime(2024, 2, 3, 4, 5, 6, tzinfo=UTC)
ADMIN = "999988887777"
METADATA = {
    "RequestId": "0f1e2d3c-aaaa-bbbb-cccc-1234567890ab",
    "HTTPStatusCode": 200,
    "HTTPHeaders": {"content-type": "application/json"},
    "RetryAttempts": 0,
}


def member(account_id: str, email: str, tags: dict[str, str] | None = None) -> dict[str, Any]:
    """A Member as boto3 returns it (model order, which is alphabetical)."""
    item: dict[str, Any] = {
        "accountId": account_id,
        "administratorAccountId": ADMIN,
        "arn": f"arn:aws:macie2:us-east-1:{ADMIN}:member/{account_id}",
        "email": email,
        "invitedAt": INVITED,
        "masterAccountId": ADMIN,
        "relationshipStatus": "Enabled",
    }
    if tags is not None:
        item["tags"] = tags
    item["updatedAt"] = UPDATED
    return item


def list_members_response() -> dict[str, Any]:
    return {
        "members": [
            member("111122223333", "zoë@exämple.com", {"team": "sec", "env": "prod"}),
            member("444455556666", "ops@example.com"),
        ],
        "ResponseMetadata": copy.deepcopy(METADATA),
    }


def isoformat_datetimes(value: Any) -> Any:
    """What AWS CLI v2's parser hands its formatters: timestamps already ISO-8601 strings."""
    if isinstance(value, dict):
        return {k: isoformat_datetimes(v) for k, v in value.items()}
    if isinstance(value, list):
        return [isoformat_datetimes(v) for v in value]
    if isinstance(value, dt.datetime):
        return value.isoformat()
    return value


def oracle_text(data: Any) -> str:
    stream = io.StringIO()
    oracle(isoformat_datetimes(data), stream)
    return stream.getvalue()


# --------------------------------------------------------------------------- strip_metadata


def test_strip_metadata_drops_only_response_metadata_and_copies() -> None:
    response = list_members_response()
    stripped = strip_metadata(response)
    assert list(stripped) == ["members"]
    assert "ResponseMetadata" in response  # input untouched
    assert strip_metadata({"ResponseMetadata": METADATA}) == {}


# --------------------------------------------------------------------------- JSON

EXPECTED_LIST_MEMBERS_JSON = """\
{
    "members": [
        {
            "accountId": "111122223333",
            "administratorAccountId": "999988887777",
            "arn": "arn:aws:macie2:us-east-1:999988887777:member/111122223333",
            "email": "zoë@exämple.com",
            "invitedAt": "2024-01-02T03:04:05.678000+00:00",
            "masterAccountId": "999988887777",
            "relationshipStatus": "Enabled",
            "tags": {
                "team": "sec",
                "env": "prod"
            },
            "updatedAt": "2024-02-03T04:05:06+00:00"
        },
        {
            "accountId": "444455556666",
            "administratorAccountId": "999988887777",
            "arn": "arn:aws:macie2:us-east-1:999988887777:member/444455556666",
            "email": "ops@example.com",
            "invitedAt": "2024-01-02T03:04:05.678000+00:00",
            "masterAccountId": "999988887777",
            "relationshipStatus": "Enabled",
            "updatedAt": "2024-02-03T04:05:06+00:00"
        }
    ]
}
"""


def test_json_list_members_exact() -> None:
    assert render(list_members_response(), output="json", operation="ListMembers") == (
        EXPECTED_LIST_MEMBERS_JSON
    )


def test_json_matches_awscli_json_formatter() -> None:
    response = list_members_response()
    stream = io.StringIO()
    JSONFormatter(argparse.Namespace(query=None))("list-members", copy.deepcopy(response), stream)
    assert format_json(strip_metadata(response)) == stream.getvalue()


def test_json_empty_response_prints_nothing() -> None:
    assert format_json({}) == ""
    assert render({"ResponseMetadata": METADATA}, output="json", operation="DeleteMember") == ""


def test_json_create_invitations_without_failures() -> None:
    response = {"unprocessedAccounts": [], "ResponseMetadata": METADATA}
    assert render(response, output="json", operation="CreateInvitations") == (
        '{\n    "unprocessedAccounts": []\n}\n'
    )


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (None, "null\n"),
        (3, "3\n"),
        ("x", '"x"\n'),
        (True, "true\n"),
        ([], "[]\n"),
        (["1", "2"], '[\n    "1",\n    "2"\n]\n'),
        (INVITED, '"2024-01-02T03:04:05.678000+00:00"\n'),
        (b"\x00\x01", '"AAE="\n'),
    ],
)
def test_json_query_results(data: Any, expected: str) -> None:
    assert format_json(data) == expected
    assert render(data, output="json", operation="ListMembers") == expected


# --------------------------------------------------------------------------- text

TEXT_SHAPES: dict[str, Any] = {
    "members_with_tags": list_members_response(),
    "members_without_tags": {"members": [member("111122223333", "a@example.com")]},
    "mixed_missing_keys": {
        "members": [
            {"accountId": "111122223333", "email": "a@example.com"},
            {
                "accountId": "444455556666",
                "relationshipStatus": "Paused",
                "tags": {"b": "2", "a": "1"},
            },
            {"email": "c@example.com", "invitedAt": INVITED, "tags": {}},
        ]
    },
    "empty_list": {"members": []},
    "empty_unprocessed": {"unprocessedAccounts": []},
    "unprocessed": {
        "unprocessedAccounts": [
            {"accountId": "111122223333", "errorCode": "ClientError", "errorMessage": "bad"},
            {"accountId": "444455556666", "errorCode": "InternalError"},
        ]
    },
    "nested_dict": {"administrator": {"accountId": ADMIN, "relationshipStatus": "Enabled"}},
    "deeply_nested": {"a": {"b": {"c": [1, 2], "d": None}, "e": False}, "f": 1.5},
    "list_of_scalars": ["111122223333", "444455556666"],
    "nested_list_of_scalars": {"accountIds": ["111122223333", "444455556666"]},
    "list_of_lists": [["a", "b"], ["c"], "d"],
    "list_of_dicts": [{"accountId": "1", "email": "x"}, {"accountId": "2"}],
    "scalar_string": "arn:aws:macie2:us-east-1:999988887777:member/111122223333",
    "scalar_int": 3,
    "scalar_none": None,
    "scalar_bool": True,
    "scalar_datetime": INVITED,
    "create_member": {"arn": "arn:aws:macie2:us-east-1:999988887777:member/111122223333"},
    "next_token": {
        "members": [member("111122223333", "a@example.com")],
        "NextToken": "eyJ4IjogMX0=",
    },
    "paginated_next_token": {"NextToken": {"NextToken": "eyJ4IjogMX0="}},
    "empty_dict": {},
    "empty_top_list": [],
}


@pytest.mark.parametrize("name", sorted(TEXT_SHAPES))
def test_text_matches_awscli_oracle(name: str) -> None:
    data = TEXT_SHAPES[name]
    if isinstance(data, dict):
        data = strip_metadata(data)
    assert format_text(data) == oracle_text(data)
    assert render(data, output="text", operation="ListMembers") == oracle_text(data)


def test_text_list_members_exact() -> None:
    text = render(list_members_response(), output="text", operation="ListMembers")
    arn = "arn:aws:macie2:us-east-1:999988887777:member/"
    times = "2024-01-02T03:04:05.678000+00:00\t999988887777\tEnabled\t2024-02-03T04:05:06+00:00"
    assert text == (
        f"MEMBERS\t111122223333\t999988887777\t{arn}111122223333\tzoë@exämple.com\t{times}\n"
        "TAGS\tprod\tsec\n"
        f"MEMBERS\t444455556666\t999988887777\t{arn}444455556666\tops@example.com\t{times}\n"
    )


def test_text_empty_and_scalars() -> None:
    assert format_text({}) == ""
    assert format_text({"members": []}) == ""
    assert format_text(None) == "None\n"
    assert format_text(False) == "False\n"
    assert format_text(["a", "b"]) == "a\tb\n"


def test_text_list_key_hint_prefixes_top_level() -> None:
    assert format_text(["a", "b"], list_key_hint="accountIds") == "ACCOUNTIDS\ta\nACCOUNTIDS\tb\n"
    assert format_text([{"accountId": "1"}], list_key_hint="members") == "MEMBERS\t1\n"


# --------------------------------------------------------------------------- table


def many_members() -> dict[str, Any]:
    return {
        "members": [
            member("111122223333", "a@example.com", {"env": "prod", "team": "[bold]x[/bold]"}),
            member("444455556666", "b@example.com"),
            member("777788889999", "c@exämple.com"),
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
        "members": [member("111122223333", "a@example.com"), member("444455556666", "b@ex.com")]
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


# --------------------------------------------------------------------------- dispatch


def test_render_rejects_unknown_output() -> None:
    assert set(OUTPUT_FORMATS) == {"json", "text", "table"}
    with pytest.raises(ValueError, match="yaml"):
        render({}, output="yaml", operation="ListMembers")


def test_render_does_not_mutate_input() -> None:
    response = list_members_response()
    before = copy.deepcopy(response)
    for output in OUTPUT_FORMATS:
        render(response, output=output, operation="ListMembers")
    assert response == before


def test_import_does_not_load_rich_or_click() -> None:
    code = (
        "import json, sys\n"
        "import macie_members.render.aws_text as o\n"
        "o.format_json({'a': 1}); o.format_text({'a': 1})\n"
        "print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] in ('rich', 'click'))))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert json.loads(result.stdout) == []
