"""macie_members.render.aws_text: the AWS CLI's ``--output json`` and ``text`` of a macie2 response
(compared with the AWS CLI's own formatters), and ``strip_metadata``."""

from __future__ import annotations

import argparse
import copy
import datetime as dt
import io
from typing import Any

import pytest
from awscli.formatter import JSONFormatter
from awscli.text import format_text as oracle

from macie_members.render.aws_output import render
from macie_members.render.aws_text import format_json, format_text, strip_metadata
from tests.support.helpers import ANSWER_ADMIN as ADMIN
from tests.support.helpers import INVITED, METADATA, list_members_answer, member_answer


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
    response = list_members_answer()
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
    assert render(list_members_answer(), output="json", operation="ListMembers") == (
        EXPECTED_LIST_MEMBERS_JSON
    )


def test_json_matches_awscli_json_formatter() -> None:
    response = list_members_answer()
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
    "members_with_tags": list_members_answer(),
    "members_without_tags": {"members": [member_answer("111122223333", "a@example.com")]},
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
        "members": [member_answer("111122223333", "a@example.com")],
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
    text = render(list_members_answer(), output="text", operation="ListMembers")
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


