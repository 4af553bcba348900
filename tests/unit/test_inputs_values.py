"""macie_members.inputs.values (with the shorthand grammar under it): shorthand, JSON and list
parameter values, and file:// values through the parsers.

The installed AWS CLI (aws-cli v1) is used as an oracle: `_aws_cli_structure`
(:func:`tests.support.awscli_support.aws_cli_structure`) runs a value through the same steps
`aws macie2 create-member --account/--tags` does, so our results can be compared with the AWS
CLI's. (Property tests of the same module: tests/properties/test_inputs_values.py.)
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from macie_members.inputs.values import (
    ParamSyntaxError,
    parse_json_document,
    parse_list,
    parse_structure,
)
from tests.support.awscli_support import aws_cli_structure as _aws_cli_structure
from tests.support.awscli_support import our_structure as _ours


def _error(call: Any, *args: Any) -> str:
    with pytest.raises(ParamSyntaxError) as info:
        call(*args)
    return str(info.value)


# --------------------------------------------------------------------------------------------
# parse_structure: accepted values
# --------------------------------------------------------------------------------------------

STRUCTURE_CASES: list[tuple[str, object]] = [
    (
        "accountId=444444444444,email=a@example.com",
        {"accountId": "444444444444", "email": "a@example.com"},
    ),
    ("accountId = 1 , email = e", {"accountId": "1", "email": "e"}),
    ("accountId=1  ,\temail=e\n", {"accountId": "1", "email": "e"}),
    ("accountId=1 email=x", {"accountId": "1 email=x"}),  # one argument: a value with spaces
    ("a\n=b\nc", {"a": "b\nc"}),
    ("a=b\n,\nc", {"a": ["b", "c"]}),
    ("accountId=1,,email=e", {"accountId": "1", "email": "e"}),
    ("k1=v1,k2=v2", {"k1": "v1", "k2": "v2"}),
    ("k1=", {"k1": ""}),
    ("k1=,k2=x", {"k1": "", "k2": "x"}),
    ("k1=a b", {"k1": "a b"}),
    ('k1="a,b"', {"k1": "a,b"}),
    ("k1='a,b'", {"k1": "a,b"}),
    ("k1='it\\'s'", {"k1": "it's"}),
    ('k1="say \\"hi\\""', {"k1": 'say "hi"'}),
    ("k1='a\\\\b'", {"k1": "a\\b"}),
    ("k1=a\\,b", {"k1": "a,b"}),
    ("k1=a,b", {"k1": ["a", "b"]}),
    ("k1=a,b,c", {"k1": ["a", "b", "c"]}),
    ("k1=a,b,k2=c", {"k1": ["a", "b"], "k2": "c"}),
    ("k1=a,'b,c'", {"k1": ["a", "b,c"]}),
    ("k1=[a,b]", {"k1": ["a", "b"]}),
    ("k1=[ a , b ]", {"k1": ["a", "b"]}),
    ("k1=[]", {"k1": []}),
    ("k1=[a,]", {"k1": ["a"]}),
    ("k1=[[a],{b=c}]", {"k1": [["a"], {"b": "c"}]}),
    ("k1={a=b}", {"k1": {"a": "b"}}),
    ("k1={a=b,c=[d,e]},k2=f", {"k1": {"a": "b", "c": ["d", "e"]}, "k2": "f"}),
    ("k1={}", {"k1": {}}),
    ("k1=a=b", {"k1": "a=b"}),
    ("k1=ü,k2=日本", {"k1": "ü", "k2": "日本"}),
    ("k1='😀'", {"k1": "😀"}),
    ("Name-1.x#y/z:w=v", {"Name-1.x#y/z:w": "v"}),
    ("=v", {"": "v"}),
    ("k1@=v", {"k1": "v"}),
    ("k1 @ = v", {"k1": "v"}),
]


@pytest.mark.parametrize(("value", "expected"), STRUCTURE_CASES)
def test_parse_structure_shorthand(value: str, expected: object) -> None:
    assert parse_structure(value, "--tags") == expected
    assert _aws_cli_structure(value, "--tags") == ("ok", expected)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (
            '{"accountId":"444444444444","email":"a@example.com"}',
            {"accountId": "444444444444", "email": "a@example.com"},
        ),
        ('  {"k1": "v1"}  ', {"k1": "v1"}),
        ("{}", {}),
        ('{"a": 1, "a": 2}', {"a": 2}),
        ('{"accountId": 1}', {"accountId": 1}),  # type checks are botocore's job
    ],
)
def test_parse_structure_json(value: str, expected: object) -> None:
    assert parse_structure(value, "--account") == expected
    assert _aws_cli_structure(value, "--account") == ("ok", expected)


def test_parse_structure_reads_file(tmp_path: Path) -> None:
    json_file = tmp_path / "account.json"
    json_file.write_text('{"accountId": "1", "email": "e"}', encoding="utf-8")
    shorthand_file = tmp_path / "account.txt"
    shorthand_file.write_text("accountId=1,email=e\n", encoding="utf-8")
    expected = {"accountId": "1", "email": "e"}
    assert parse_structure(f"file://{json_file}", "--account") == expected
    assert parse_structure(f"fileb://{json_file}", "--account") == expected
    assert parse_structure(f"file://{shorthand_file}", "--account") == expected


def test_parse_structure_at_equals_loads_files(tmp_path: Path) -> None:
    path = tmp_path / "value.txt"
    path.write_text("from file", encoding="utf-8")
    assert parse_structure(f"k1@=file://{path},k2=file://{path}", "--tags") == {
        "k1": "from file",
        "k2": f"file://{path}",
    }
    assert parse_structure(f"k1@=fileb://{path}", "--tags") == {"k1": "from file"}
    assert parse_structure(f"k1@=[file://{path},x]", "--tags") == {"k1": ["from file", "x"]}
    assert parse_structure(f"k1@='file://{path}'", "--tags") == {"k1": "from file"}


def test_parse_structure_at_equals_matches_aws_cli(tmp_path: Path) -> None:
    path = tmp_path / "value.txt"
    path.write_text("from file", encoding="utf-8")
    for value in (
        f"k1@=file://{path},k2=file://{path}",
        f"k1@=a,file://{path}",
        f"k1@=[file://{path},x]",
        f"k1@={{a=file://{path}}}",
        f"k1@={{a@=file://{path}}}",
        f"k1@=[{{a@=b}},file://{path}]",
        f"k1@=[{{a=b}},file://{path}]",
    ):
        assert _ours(value, "--tags") == _aws_cli_structure(value, "--tags"), value


# --------------------------------------------------------------------------------------------
# parse_structure: errors
# --------------------------------------------------------------------------------------------


def test_missing_equals_message_has_a_real_caret() -> None:
    assert _error(parse_structure, "accountId", "--account") == (
        "Error parsing parameter '--account': Expected: '=', received: 'EOF' for input:\n"
        "accountId\n"
        "         ^"
    )


def test_missing_equals_message_names_the_character() -> None:
    assert _error(parse_structure, "accountId 1", "--account") == (
        "Error parsing parameter '--account': Expected: '=', received: '1' for input:\n"
        "accountId 1\n"
        "          ^"
    )


def test_leading_whitespace_before_the_first_key_is_an_error() -> None:
    # The AWS CLI skips whitespace around "=" and "," but not before the first key.
    assert _error(parse_structure, " accountId=1", "--account") == (
        "Error parsing parameter '--account': Expected: '=', received: 'a' for input:\n"
        " accountId=1\n"
        " ^"
    )


def test_empty_value_is_a_syntax_error() -> None:
    assert _error(parse_structure, "", "--account") == (
        "Error parsing parameter '--account': Expected: '=', received: 'EOF' for input:\n\n^"
    )
    assert _error(parse_structure, "   ", "--account") == (
        "Error parsing parameter '--account': Expected: '=', received: 'EOF' for input:\n   \n   ^"
    )


def test_duplicate_key_message() -> None:
    assert _error(parse_structure, "accountId=1,accountId=2", "--account") == (
        "Error parsing parameter '--account': "
        'Second instance of key "accountId" encountered for input:\n'
        "accountId=1,accountId=2\n"
        "            ^\n"
        'This is often because there is a preceding "," instead of a space.'
    )


def test_duplicate_key_inside_braces_is_allowed() -> None:
    assert parse_structure("k={a=1,a=2}", "--tags") == {"k": {"a": "2"}}


def test_caret_on_a_later_line() -> None:
    assert _error(parse_structure, "a=b,\nc==d,\ne=f", "--tags") == (
        "Error parsing parameter '--tags': Expected: ',', received: '=' for input:\n"
        "a=b,\nc==d,\n"
        "  ^\n"
        "e=f"
    )


def test_trailing_comma_message() -> None:
    assert _error(parse_structure, "k1=v1,", "--tags") == (
        "Error parsing parameter '--tags': Expected: '<second>', received: '<none>' for input:\n"
        "k1=v1,\n"
        "      ^"
    )


def test_unterminated_quote_message() -> None:
    assert _error(parse_structure, "k1='abc", "--tags") == (
        "Error parsing parameter '--tags': "
        "Expected: '<singled quoted>', received: '<none>' for input:\n"
        "k1='abc\n"
        "   ^"
    )
    assert _error(parse_structure, 'k1="abc', "--tags") == (
        "Error parsing parameter '--tags': "
        "Expected: '<double quoted>', received: '<none>' for input:\n"
        'k1="abc\n'
        "   ^"
    )


def test_unclosed_list_message() -> None:
    assert _error(parse_structure, "k1=[a,b", "--tags") == (
        "Error parsing parameter '--tags': Expected: ',', received: 'EOF' for input:\n"
        "k1=[a,b\n"
        "       ^"
    )


def test_invalid_json_message() -> None:
    value = '{"accountId":"444444444444" "email":"a@example.com"}'
    assert _error(parse_structure, value, "--account") == (
        "Error parsing parameter '--account': Invalid JSON: "
        "Expecting ',' delimiter: line 1 column 29 (char 28)\n"
        f"JSON received: {value}"
    )


def test_list_json_for_a_structure_is_invalid_json() -> None:
    assert _error(parse_structure, "[1]", "--tags") == (
        "Error parsing parameter '--tags': Invalid JSON:\n[1]"
    )
    assert _error(parse_structure, " [1]", "--tags") == (
        "Error parsing parameter '--tags': Invalid JSON:\n [1]"
    )


def test_structure_missing_paramfile_message() -> None:
    assert _error(parse_structure, "file:///nonexistent/x", "--account") == (
        "Error parsing parameter '--account': Unable to load paramfile file:///nonexistent/x: "
        "[Errno 2] No such file or directory: '/nonexistent/x'"
    )


def test_at_equals_missing_paramfile_message() -> None:
    assert _error(parse_structure, "k1@=file:///nonexistent/x", "--tags") == (
        "Error parsing parameter '--tags': Unable to load paramfile file:///nonexistent/x: "
        "[Errno 2] No such file or directory: '/nonexistent/x'"
    )


def test_deep_nesting_is_a_param_error() -> None:
    for value in ("k=" + "[" * 5000, "k=" + "{a=" * 5000, "{" + '"a":[' * 5000):
        message = _error(parse_structure, value, "--tags")
        assert message.startswith("Error parsing parameter '--tags': ")


@pytest.mark.parametrize(
    "value",
    [
        "accountId",
        "accountId=1,accountId=2",
        "a=b,",
        "a='x",
        "a=[x",
        "a={x=y",
        "a={x}",
        "a=😀",
        "a=b,,,c=d",
        "a=x,'p,q'r=s",
        "[1]",
        '{"a":',
        " a=b",
        "k=[] ",
        "k={a=b} ",
        "k={a=}",
    ],
)
def test_errors_match_aws_cli(value: str) -> None:
    expected = _aws_cli_structure(value, "--tags")
    assert expected[0] == "error"
    assert _ours(value, "--tags") == expected


# --------------------------------------------------------------------------------------------
# parse_list
# --------------------------------------------------------------------------------------------


def test_parse_list_space_separated_items() -> None:
    assert parse_list(["111111111111", "222222222222"], "--account-ids") == [
        "111111111111",
        "222222222222",
    ]


def test_parse_list_single_item() -> None:
    assert parse_list(["111111111111"], "--account-ids") == ["111111111111"]
    assert parse_list("111111111111", "--account-ids") == ["111111111111"]


def test_parse_list_commas_do_not_split() -> None:
    assert parse_list(["111,222"], "--account-ids") == ["111,222"]


def test_parse_list_json() -> None:
    assert parse_list(['["1","2"]'], "--account-ids") == ["1", "2"]
    assert parse_list([' ["1"] '], "--account-ids") == ["1"]
    assert parse_list(["[]"], "--account-ids") == []
    assert parse_list(["[1,2]"], "--account-ids") == [1, 2]  # botocore rejects the types


def test_parse_list_json_only_for_a_single_argument() -> None:
    assert parse_list(['["1"]', "2"], "--account-ids") == ['["1"]', "2"]


def test_parse_list_invalid_json_message() -> None:
    assert _error(parse_list, ['["1",'], "--account-ids") == (
        "Error parsing parameter '--account-ids': Invalid JSON: "
        "Expecting value: line 1 column 6 (char 5)\n"
        'JSON received: ["1",'
    )


def test_parse_list_reads_files(tmp_path: Path) -> None:
    json_file = tmp_path / "ids.json"
    json_file.write_text('["1", "2"]\n', encoding="utf-8")
    plain = tmp_path / "id.txt"
    plain.write_text("333", encoding="utf-8")
    assert parse_list([f"file://{json_file}"], "--account-ids") == ["1", "2"]
    assert parse_list([f"fileb://{json_file}"], "--account-ids") == ["1", "2"]
    assert parse_list([f"file://{plain}"], "--account-ids") == ["333"]
    assert parse_list([f"file://{plain}", "444"], "--account-ids") == ["333", "444"]


def test_parse_list_missing_file_message() -> None:
    assert _error(parse_list, ["file:///nonexistent/x"], "--account-ids") == (
        "Error parsing parameter '--account-ids': Unable to load paramfile "
        "file:///nonexistent/x: [Errno 2] No such file or directory: '/nonexistent/x'"
    )


# --------------------------------------------------------------------------------------------
# parse_json_document
# --------------------------------------------------------------------------------------------


def test_parse_json_document() -> None:
    assert parse_json_document('{"id": "x", "nested": {"a": [1]}}', "cli-input-json") == {
        "id": "x",
        "nested": {"a": [1]},
    }


def test_parse_json_document_reads_files(tmp_path: Path) -> None:
    path = tmp_path / "input.json"
    path.write_text('{"id": "x"}', encoding="utf-8")
    assert parse_json_document(f"file://{path}", "cli-input-json") == {"id": "x"}
    assert parse_json_document(f"fileb://{path}", "--cli-input-json") == {"id": "x"}


@pytest.mark.parametrize("option", ["cli-input-json", "--cli-input-json"])
def test_parse_json_document_invalid_json_message(option: str) -> None:
    assert _error(parse_json_document, "{bad", option) == (
        "Error parsing parameter 'cli-input-json': Invalid JSON: "
        "Expecting property name enclosed in double quotes: line 1 column 2 (char 1)\n"
        "JSON received: {bad"
    )
    assert _error(parse_json_document, "", option) == (
        "Error parsing parameter 'cli-input-json': Invalid JSON: "
        "Expecting value: line 1 column 1 (char 0)\n"
        "JSON received: "
    )


@pytest.mark.parametrize(
    ("value", "kind"),
    [("[1]", "array"), ('"x"', "string"), ("1", "number"), ("true", "boolean"), ("null", "null")],
)
def test_parse_json_document_must_be_an_object(value: str, kind: str) -> None:
    assert _error(parse_json_document, value, "cli-input-json") == (
        "Error parsing parameter 'cli-input-json': Invalid JSON: expected a JSON object, "
        f"received a JSON {kind}\nJSON received: {value}"
    )


@pytest.mark.parametrize("option", ["cli-input-json", "--cli-input-json"])
def test_parse_json_document_missing_file_message(option: str) -> None:
    assert _error(parse_json_document, "file:///nonexistent/x", option) == (
        "Error parsing parameter '--cli-input-json': Unable to load paramfile "
        "file:///nonexistent/x: [Errno 2] No such file or directory: '/nonexistent/x'"
    )


