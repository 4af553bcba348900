"""macie_members.inputs.checks: the client-side checks of what the service would refuse anyway,
reported as botocore reports its own (``Parameter validation failed:`` then a line per problem;
exit 252). Each check looks only at values of the right type: wrong types are botocore's."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import pytest

from macie_members.errors import ExitCode, InputError
from macie_members.inputs.checks import (
    ParameterCheckError,
    check_accept_invitation,
    check_account_id_list,
    check_account_ids,
    check_create_invitations,
    check_create_member,
    check_list_members,
    check_member_id,
    check_text,
    check_update_member_session,
    text_problems,
)

A = "111111111111"
ID_RULE = "an account id is exactly 12 digits (0-9)"
NOT_UTF8 = "it holds bytes that are not UTF-8 text"
BAD = "a\udcffb"  # what Python makes of an argument whose bytes were not UTF-8


def problems(check: Callable[..., None], params: Mapping[str, Any], **kwargs: Any) -> list[str]:
    with pytest.raises(ParameterCheckError) as caught:
        check(params, **kwargs)
    error = caught.value
    assert isinstance(error, InputError) and error.exit_code is ExitCode.USAGE
    assert str(error) == "Parameter validation failed:\n" + "\n".join(error.problems)
    return error.problems


def test_a_good_create_member_passes() -> None:
    check_create_member({"account": {"accountId": A, "email": "jane@example.com"}, "tags": {"team": "sec"}})


def test_create_member_reports_every_problem_of_the_account_and_tags() -> None:
    found = problems(check_create_member, {"account": {"accountId": "11111111111", "email": "jane.example.com"},
                                           "tags": {"aws:team": "x", f"k{'k' * 128}": "v"}})
    assert found == [
        f"Invalid value for parameter account.accountId, value: 11111111111, has 11 digits; {ID_RULE}",
        "Invalid value for parameter account.email, value: jane.example.com, has no @; expected an address like "
        "janedoe@example.com",
        "Invalid value for parameter tags key, value: aws:team, the prefix aws: is reserved for AWS use",
        f"Invalid length for parameter tags key {'k' * 20}..., value: 129, valid max length: 128",
    ]


def test_create_member_leaves_wrong_types_to_botocore() -> None:
    check_create_member({"account": {"accountId": 111111111111, "email": None}, "tags": ["x"]})
    check_create_member({"account": "accountId=1"})


@pytest.mark.parametrize("ids", [[A], [A, "222222222222"]])
def test_good_account_id_lists_pass(ids: list[str]) -> None:
    assert check_account_ids(ids) == []
    check_account_id_list({"accountIds": ids})
    check_create_invitations({"accountIds": ids, "message": "m" * 80, "disableEmailNotification": True})


def test_account_id_lists_name_each_bad_id_by_its_index() -> None:
    assert check_account_ids([A, "12345", "abc"]) == [
        f"Invalid value for parameter accountIds[1], value: 12345, has 5 digits; {ID_RULE}",
        "Invalid value for parameter accountIds[2], value: abc, contains characters that are not digits 0-9: "
        f"'a', 'b', 'c'; {ID_RULE}"]
    assert check_account_ids([A, 5]) == []  # botocore's to report
    assert check_account_ids("111111111111") == []  # not a list: botocore's
    assert check_account_ids(["12"], "ids")[0].startswith("Invalid value for parameter ids[0], value: 12, ")


def test_an_empty_account_id_list_is_refused() -> None:
    assert check_account_ids([]) == ["Invalid length for parameter accountIds, value: 0, valid min length: 1"]
    assert problems(check_account_id_list, {"accountIds": []}) == [
        "Invalid length for parameter accountIds, value: 0, valid min length: 1"]


def test_create_invitations_checks_the_ids_and_the_message() -> None:
    found = problems(check_create_invitations, {"accountIds": ["1"], "message": "m" * 81})
    assert found[0].startswith("Invalid value for parameter accountIds[0], value: 1, has 1 digit")
    assert found[1] == "Invalid length for parameter message, value: 81, valid max length: 80"


@pytest.mark.parametrize("name", ["administratorAccountId", "masterAccount"])
def test_accept_invitation_checks_the_administrator_account(name: str) -> None:
    check_accept_invitation({name: A, "invitationId": "anything"})
    [found] = problems(check_accept_invitation, {name: "abc", "invitationId": "x"})
    assert found.startswith(f"Invalid value for parameter {name}, value: abc, ")


def test_member_id_checks() -> None:
    check_member_id({"id": A})
    assert problems(check_member_id, {"id": "me"})[0].startswith("Invalid value for parameter id, value: me, ")


def test_update_member_session_checks_the_id_and_the_status() -> None:
    check_update_member_session({"id": A, "status": "ENABLED"})
    check_update_member_session({"id": A, "status": "PAUSED"})
    assert problems(check_update_member_session, {"id": "1234", "status": "paused"}) == [
        f"Invalid value for parameter id, value: 1234, has 4 digits; {ID_RULE}",
        "Invalid value for parameter status, value: paused, valid choices: PAUSED, ENABLED",
    ]


def test_list_members_checks_only_associated_and_the_page_size() -> None:
    check_list_members({"onlyAssociated": "false", "maxResults": 25}, page_size=1)
    check_list_members({})
    assert problems(check_list_members, {"onlyAssociated": "yes", "maxResults": 0}, page_size=26) == [
        "Invalid value for parameter onlyAssociated, value: yes, valid choices: true, false",
        "Invalid value for parameter maxResults, value: 0, valid range: 1-25",
        "Invalid value for parameter maxResults, value: 26, valid range: 1-25",
    ]


@pytest.mark.parametrize(("check", "params", "name"), [
    (check_create_member, {"account": {"accountId": A, "email": f"j{BAD}@example.com"}}, "account.email"),
    (check_create_invitations, {"accountIds": [A], "message": f"hi {BAD}"}, "message"),
    (check_account_id_list, {"accountIds": [f"{A}{BAD}"]}, "accountIds[0]"),
    (check_text, {"nextToken": BAD}, "nextToken"),
    (check_list_members, {"nextToken": BAD}, "nextToken"),
    (check_member_id, {"id": BAD}, "id"),
])
def test_bytes_that_are_not_utf8_are_refused_wherever_they_are(check: Callable[..., None], params: dict[str, Any],
                                                               name: str) -> None:
    found = problems(check, params)
    assert found[0].startswith(f"Invalid value for parameter {name}, value: ")
    assert found[0].endswith(NOT_UTF8)
    assert "\\udcff" in found[0]  # shown escaped, so the message itself is printable


def test_text_problems_walks_nested_values_and_keys() -> None:
    assert text_problems({"tags": {"team": ["ok", BAD]}}) == [
        f"Invalid value for parameter tags.team[1], value: a\\udcffb, {NOT_UTF8}"]
    assert text_problems({BAD: "v"}) == [f"Invalid value for parameter input, value: a\\udcffb, {NOT_UTF8}"]
    assert text_problems({"n": 5, "ok": "é"}) == []
    check_text({"anything": ["é", {"x": 1}]})
