"""macie_members.render.aws_table against the AWS CLI's own table formatter, in this process.

The oracle is awscli's ``TableFormatter`` (AWS CLI v1, installed for the tests; never imported by
macie-members): the same data, the same width, and the output must be the same string -- for
Macie's answers, for nested lists and maps, lists of scalars and of lists, east-asian wide
text, empty and false values, and random JSON-like shapes (hypothesis, derandomized). Where the
AWS CLI's formatter fails, ours must fail too (with the same message for a row of the wrong
length).

How the oracle is driven: ``TableFormatter(args)`` asks ``awscli.table.determine_terminal_width``
for the width when it is built (patched here); the data goes in as a ``--query`` result (the
formatter removes ``ResponseMetadata`` from the response, then applies the query). With
``--color on`` the AWS CLI writes through colorama's ``autoreset`` wrapper of stdout: the oracle
writes through the same wrapper (around a StringIO) and uses the ``ColorizedStyler`` without
its ``colorama.init`` (which would wrap this process's own stdout).
"""

from __future__ import annotations

import argparse
import ast
import copy
import io
from pathlib import Path
from typing import Any
from unittest import mock

import awscli.table
import pytest
from awscli.formatter import TableFormatter
from colorama.ansitowin32 import AnsiToWin32
from hypothesis import given, settings
from hypothesis import strategies as st

from macie_members.errors import MacieMembersError
from macie_members.render.aws_output import render
from macie_members.render.aws_table import render_table, text_width

ADMIN = "123456789012"
FAILED = "AWS CLI failed"


def aws_cli_table(data: Any, *, title: str = "ListMembers", width: int = 80, color: bool = False,
                  response: dict[str, Any] | None = None) -> str:
    """What ``aws ... --output table`` prints for ``data`` (a --query's result) or, when
    ``response`` is given, for that whole response."""
    with mock.patch.object(awscli.table, "determine_terminal_width", lambda default_width=80: width):
        query = None if response is not None else argparse.Namespace(search=lambda _: copy.deepcopy(data))
        formatter = TableFormatter(argparse.Namespace(color="off", query=query))
    out = io.StringIO()
    stream: Any = out
    if color:
        formatter.table._styler = object.__new__(awscli.table.ColorizedStyler)  # no colorama.init
        stream = AnsiToWin32(out, strip=False, autoreset=True).stream
    try:
        formatter(title, copy.deepcopy(response) if response is not None else {}, stream)
    except (ValueError, TypeError, AttributeError, IndexError) as exc:
        return f"{FAILED}: {exc}"
    return out.getvalue()


def ours(data: Any, *, title: str = "ListMembers", width: int = 80, color: bool = False) -> str:
    try:
        return render_table(data, title=title, width=width, color=color)
    except MacieMembersError as exc:
        return f"{FAILED}: {exc}"


def same(data: Any, *, title: str = "ListMembers", width: int = 80, color: bool = False) -> str:
    expected = aws_cli_table(data, title=title, width=width, color=color)
    got = ours(data, title=title, width=width, color=color)
    if expected.startswith(FAILED) and got.startswith(FAILED):
        if "Row should have" in expected:
            assert got == expected
        return got
    assert got == expected, f"\n--- AWS CLI ---\n{expected}\n--- ours ---\n{got}"
    return got


def member(account: str, status: str = "Enabled", tags: dict[str, str] | None = None) -> dict[str, Any]:
    item: dict[str, Any] = {
        "accountId": account, "administratorAccountId": ADMIN, "arn": f"arn:aws:macie2:us-east-1:{ADMIN}:member/{account}",
        "email": f"{account}@example.com", "invitedAt": "2024-01-02T03:04:05.678000+00:00", "masterAccountId": ADMIN,
        "relationshipStatus": status, "updatedAt": "2024-02-03T04:05:06+00:00",
    }
    if tags is not None:
        item["tags"] = tags
    return item


INVITATION = {"accountId": ADMIN, "invitationId": "0123456789abcdef0123456789abcdef",
              "invitedAt": "2024-01-02T03:04:05+00:00", "relationshipStatus": "Invited"}

# Macie's answers, as the sixteen drop-in commands get them.
ANSWERS: dict[str, tuple[str, Any]] = {
    "list-members": ("ListMembers", {"members": [member("111111111111", tags={"team": "sec"}),
                                                 member("222222222222", "Paused", tags={}),
                                                 member("333333333333", "Created", tags={"b": "2", "a": "1"})]}),
    "list-members-no-tags": ("ListMembers", {"members": [member("111111111111"), member("222222222222", "Paused")]}),
    "list-members-next-token": ("ListMembers", {"members": [member("111111111111")], "NextToken": "eyJhIjogMX0="}),
    "list-members-empty": ("ListMembers", {"members": []}),
    "get-member": ("GetMember", {**member("111111111111"), "tags": {"team": "sec", "env": "prod"}}),
    "get-member-no-tags": ("GetMember", {**member("111111111111"), "tags": {}}),
    "create-member": ("CreateMember", {"arn": f"arn:aws:macie2:us-east-1:{ADMIN}:member/111111111111"}),
    "create-invitations": ("CreateInvitations", {"unprocessedAccounts": [
        {"accountId": "999999999999", "errorCode": "ClientError", "errorMessage": "The request failed because the "
                                                                                   "account isn't a member."},
        {"accountId": "111111111111", "errorCode": "InternalError"}]}),
    "create-invitations-none": ("CreateInvitations", {"unprocessedAccounts": []}),
    "update-member-session": ("UpdateMemberSession", {}),
    "disassociate-member": ("DisassociateMember", {}),
    "delete-member": ("DeleteMember", {}),
    "list-invitations": ("ListInvitations", {"invitations": [INVITATION, {**INVITATION, "accountId": "999999999999"}]}),
    "get-invitations-count": ("GetInvitationsCount", {"invitationsCount": 2}),
    "get-invitations-count-zero": ("GetInvitationsCount", {"invitationsCount": 0}),
    "get-administrator-account": ("GetAdministratorAccount", {"administrator": {**INVITATION,
                                                                                "relationshipStatus": "Enabled"}}),
    "get-administrator-account-none": ("GetAdministratorAccount", {}),
    "get-master-account": ("GetMasterAccount", {"master": {**INVITATION, "relationshipStatus": "Enabled"}}),
    "accept-invitation": ("AcceptInvitation", {}),
    "decline-invitations": ("DeclineInvitations", {"unprocessedAccounts": [
        {"accountId": "222222222222", "errorCode": "ResourceNotFound", "errorMessage": "No invitation"}]}),
    "delete-invitations": ("DeleteInvitations", {"unprocessedAccounts": []}),
    "disassociate-from-administrator-account": ("DisassociateFromAdministratorAccount", {}),
    "disassociate-from-master-account": ("DisassociateFromMasterAccount", {}),
}

WIDTHS = [0, 20, 40, 80, 91, 92, 200]


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", ANSWERS)
def test_macie_answers_as_the_aws_cli_draws_them(name: str, width: int) -> None:
    title, answer = ANSWERS[name]
    same(answer, title=title, width=width)
    same(answer, title=title, width=width, color=True)


@pytest.mark.parametrize("name", ["list-members", "get-member", "create-invitations", "delete-member"])
def test_the_response_metadata_is_left_out_as_by_the_aws_cli(name: str) -> None:
    title, answer = ANSWERS[name]
    response = {**answer, "ResponseMetadata": {"RequestId": "r-1", "HTTPStatusCode": 200, "HTTPHeaders": {}}}
    expected = aws_cli_table(None, title=title, response=response)
    assert render(response, output="table", operation=title) == expected
    assert "RequestId" not in expected


SHAPES: dict[str, Any] = {
    "nested lists": {"a": [[1, 2], [3, 4]], "b": [["x"], ["y"]]},
    "dict of lists": {"members": ["1", "2"], "others": [{"k": "v"}], "n": 1},
    "dict of dicts": {"outer": {"inner": {"deep": {"x": 1, "y": [1, 2]}}, "z": "top"}, "s": "t"},
    "list of scalars": ["111111111111", 2, 3.5, True, None],
    "list of lists of scalars": [["a", "b"], ["c", "d"]],
    "list of lists of maps": [[{"a": 1, "b": [1]}, {"a": 2, "b": [2]}]],
    "a list holding maps of lists": [{"a": [1, 2], "b": 1}, {"a": [], "b": 2}, {"c": {"d": 4}}],
    "elements with different keys": [{"a": 1}, {"b": 2}, {"a": 3, "c": None}],
    "a key scalar here, nested there": [{"a": [1]}, {"a": 5}],
    "a map in a list of scalars": ["x", {"k1": "v", "k2": "w"}],
    "a map without scalars": {"only": {"nested": {}}},
    "maps without scalar keys in a list": [{"a": []}, {"a": [1]}],
    "empty rows": [[]],
    "empty maps in a list": [{}, {}],
    "wide text": {"名前": "日本語テキスト", "b": "\uff46\uff55\uff4c\uff4c", "c": "é", "d": "ä"},
    "wide text in a list": [{"名": "値"}, {"名": "もっと長い値"}],
    "a long title": {"a": 1},
    "a single field": {"NextToken": "token"},
    "false values nested": {"a": 0, "b": "", "c": False, "d": None, "e": [], "f": {}, "g": [0], "h": {"x": []}},
    "rows of the wrong length": [["a"], ["b", "c"]],
    "a list mixing maps and scalars": [{"a": 1}, "x"],
    "a list of maps and an empty string": [{"a": [1]}, ""],
    "a second, longer header line": [[{"a": 1}], [{"a": 1, "b": 2}]],
}


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", SHAPES)
def test_shapes_as_the_aws_cli_draws_them(name: str, width: int) -> None:
    title = "AVeryLongTitleThatIsWiderThanItsTable" if name == "a long title" else "T"
    same(SHAPES[name], title=title, width=width)
    same(SHAPES[name], title=title, width=width, color=True)


@pytest.mark.parametrize("value", [{}, [], None, 0, "", False, 0.0])
def test_empty_and_false_answers_print_nothing(value: Any) -> None:
    assert aws_cli_table(value) == ""
    assert render_table(value, title="ListMembers") == ""
    assert render_table(value, title="ListMembers", color=True) == ""


def test_a_scalar_shows_its_title_box_only() -> None:
    assert same("111111111111", title="GetMember") == "-----------\n|GetMember|\n+---------+\n"
    assert same(5, title="T") == "---\n|T|\n+-+\n"


def test_the_exact_characters() -> None:
    """The AWS CLI's table, spelled out: one map of two fields, a nested list of two maps."""
    data = {"count": 2, "id": "a", "items": [{"k": "x", "v": "1"}, {"k": "yy", "v": "22"}]}
    assert same(data, title="Op") == (
        "-----------------\n"
        "|      Op       |\n"
        "+--------+------+\n"
        "|  count | id   |\n"
        "+--------+------+\n"
        "|  2     |  a   |\n"
        "+--------+------+\n"
        "||    items    ||\n"
        "|+-----+-------+|\n"
        "||  k  |   v   ||\n"
        "|+-----+-------+|\n"
        "||  x  |  1    ||\n"
        "||  yy |  22   ||\n"
        "|+-----+-------+|\n"
    )


def test_the_exact_colours() -> None:
    """``--color on`` (and ``auto`` on a terminal): bold blue cells, dim yellow indentation,
    and a reset after each of the AWS CLI's writes."""
    reset, cell, edge = "\x1b[0m", "\x1b[1m\x1b[34m", "\x1b[2m\x1b[33m|\x1b[0m"
    assert same({"a": {"b": "x"}}, title="T", color=True) == (
        f"--------------\n{reset}"
        f"{reset}|      T     |{reset}{reset}\n{reset}"
        f"{reset}+------------+{reset}{reset}\n{reset}"
        f"{edge}{reset}|     a    |{reset}{edge}{reset}\n{reset}"
        f"{edge}{reset}+----+-----+{reset}{edge}{reset}\n{reset}"
        f"{edge}{reset}|  {cell}b{reset} |  {cell}x{reset}  |{reset}{edge}{reset}\n{reset}"
        f"{edge}{reset}+----+-----+{reset}{edge}{reset}\n{reset}"
    )


def test_the_vertical_layout_starts_just_past_the_width() -> None:
    data = {"alpha": "1", "beta": "2"}
    natural = len(render_table(data, title="T", width=1000).splitlines()[0])
    assert "alpha" in render_table(data, title="T", width=natural).splitlines()[3]  # a header line
    vertical = render_table(data, title="T", width=natural - 1).splitlines()
    assert vertical[3].startswith("|  alpha") and "1" in vertical[3]  # key | value rows
    same(data, title="T", width=natural)
    same(data, title="T", width=natural - 1)


def test_nothing_wraps_at_any_width() -> None:
    _, answer = ANSWERS["list-members"]
    for width in (10, 40, 80):
        lines = render_table(answer, title="ListMembers", width=width).splitlines()
        assert len({text_width(line) for line in lines}) == 1
        for account in ("111111111111", "222222222222", "333333333333"):
            assert any(f"member/{account}" in line for line in lines)


def test_wide_characters_count_two_cells() -> None:
    assert text_width("abc") == 3
    assert text_width("日本") == 4
    assert text_width("\uff46\uff55") == 4  # full-width "fu"
    assert text_width("é") == 2  # ambiguous: the AWS CLI counts it wide
    lines = render_table({"名": "値", "x": "y"}, title="T").splitlines()
    assert len({text_width(line) for line in lines}) == 1


def test_refused_shapes_are_errors_with_exit_255() -> None:
    with pytest.raises(MacieMembersError, match="Row should have 1 elements, instead it has 2") as raised:
        render_table([["a"], ["b", "c"]], title="T")
    assert int(raised.value.exit_code) == 255
    with pytest.raises(MacieMembersError, match="mixes maps"):
        render_table([{"a": 1}, 2], title="T")


def test_the_module_is_plain_text() -> None:
    """No rich, no awscli: the standard library and the package's own modules only."""
    source = Path(__file__).resolve().parents[2] / "macie_members" / "render" / "aws_table.py"
    imported = {alias.name.split(".")[0] for node in ast.walk(ast.parse(source.read_text(encoding="utf-8")))
                if isinstance(node, ast.Import) for alias in node.names}
    imported |= {(node.module or "").split(".")[0] for node in ast.walk(ast.parse(source.read_text(encoding="utf-8")))
                 if isinstance(node, ast.ImportFrom)}
    assert imported <= {"__future__", "unicodedata", "collections", "dataclasses", "typing", "macie_members"}


# ------------------------------------------------------------------------- random shapes

TEXT = st.text(alphabet="abAB0 _-é日\uff46|+", max_size=6)
KEYS = st.sampled_from(["a", "b", "c", "id", "名前", "tags", "NextToken", ""])
SCALARS = st.one_of(st.none(), st.booleans(), st.integers(-5, 10**6), st.floats(allow_nan=False, allow_infinity=False,
                                                                                width=32), TEXT)
JSON = st.recursive(SCALARS, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                     st.dictionaries(KEYS, inner, max_size=4)), max_leaves=12)


@settings(max_examples=400, deadline=None, derandomize=True)
@given(data=JSON, width=st.sampled_from(WIDTHS), color=st.booleans())
def test_random_shapes_as_the_aws_cli_draws_them(data: Any, width: int, color: bool) -> None:
    same(data, title="T", width=width, color=color)


RECORD = st.dictionaries(st.sampled_from(["accountId", "email", "relationshipStatus", "名前"]), TEXT, max_size=4)
ANSWER = st.dictionaries(st.sampled_from(["members", "unprocessedAccounts", "NextToken", "administrator"]),
                         st.one_of(TEXT, RECORD, st.lists(st.one_of(RECORD, st.builds(
                             lambda r, t: {**r, "tags": t}, RECORD, RECORD)), max_size=4)), max_size=3)


@settings(max_examples=300, deadline=None, derandomize=True)
@given(answer=ANSWER, width=st.integers(0, 250))
def test_random_answers_as_the_aws_cli_draws_them(answer: dict[str, Any], width: int) -> None:
    same(answer, title="ListMembers", width=width)
