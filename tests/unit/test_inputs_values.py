"""macie_members.inputs.values (with the shorthand grammar under it): shorthand, JSON and list
parameter values, and file:// values through the parsers.

The installed AWS CLI (aws-cli v1) is used as an oracle: `_aws_cli_structure` runs a value
through the same steps `aws macie2 create-member --account/--tags` does (shorthand parser,
back-compat visitor, JSON fallback), so our results can be compared with the AWS CLI's.
"""

from __future__ import annotations

import functools
import json
import string
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from macie_members.inputs.values import (
    ParamSyntaxError,
    parse_json_document,
    parse_list,
    parse_structure,
)
from tests.support.helpers import any_text

# --------------------------------------------------------------------------------------------
# The AWS CLI oracle (tests only)
# --------------------------------------------------------------------------------------------


@functools.cache
def _aws_cli_arguments() -> dict[str, Any]:
    pytest.importorskip("awscli")
    import botocore.session
    from awscli.arguments import CLIArgument

    session = botocore.session.get_session()
    operation = session.get_service_model("macie2").operation_model("CreateMember")
    emitter = session.get_component("event_emitter")
    return {
        f"--{name}": CLIArgument(name, operation.input_shape.members[name], operation, emitter)
        for name in ("account", "tags")
    }


def _aws_cli_structure(value: str, option: str) -> tuple[str, Any]:
    """What the AWS CLI makes of ``option value``: ("ok", value) or ("error", message).

    For syntax errors the expected message has the real caret line (aws-cli 1.45.11 prints a
    placeholder there instead; we deliberately fix that). ("crash", None) means the AWS CLI
    fails with something other than a parameter error (e.g. RecursionError).
    """
    from awscli.argprocess import ParamError, ParamShorthandParser, unpack_cli_arg
    from awscli.shorthand import ShorthandParseSyntaxError

    argument = _aws_cli_arguments()[option]
    try:
        parsed = ParamShorthandParser()(argument, value, "process-cli-arg.macie2.create-member")
        if parsed is None:
            parsed = unpack_cli_arg(argument, value)
    except ParamError as error:
        cause = error.__context__
        if isinstance(cause, ShorthandParseSyntaxError):
            return "error", (
                f"Error parsing parameter '{option}': Expected: '{cause.expected}', "
                f"received: '{cause.actual}' for input:\n{cause._error_location()}"
            )
        return "error", str(error)
    except Exception:
        return "crash", None
    return "ok", json.loads(json.dumps(parsed))  # OrderedDict -> dict


def _ours(value: str, option: str) -> tuple[str, Any]:
    try:
        return "ok", parse_structure(value, option)
    except ParamSyntaxError as error:
        return "error", str(error)


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


# --------------------------------------------------------------------------------------------
# Property tests
# --------------------------------------------------------------------------------------------

_SYNTAX_CHARACTERS = "ab=,[]{}'\"\\ \t\n@.-:#/\u00a0\u0085ü😀"
arbitrary_text = st.one_of(
    st.text(max_size=40),
    st.text(alphabet=_SYNTAX_CHARACTERS, max_size=30),
)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(arbitrary_text)
def test_any_text_parses_or_raises_param_syntax_error(text: str) -> None:
    assume("file" not in text)
    try:
        parse_structure(text, "--account")
    except ParamSyntaxError as error:
        assert str(error).startswith("Error parsing parameter '--account': ")
        assert str(error) != "Error parsing parameter '--account': "


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(arbitrary_text)
def test_any_text_matches_aws_cli(text: str) -> None:
    assume("file" not in text)
    expected = _aws_cli_structure(text, "--tags")
    actual = _ours(text, "--tags")
    if expected[0] == "crash":  # the AWS CLI fails with a non-parameter error
        assert actual[0] == "error"
    else:
        assert actual == expected


_KEY = st.text(
    alphabet=string.ascii_letters + string.digits + "-_.#/:", min_size=1, max_size=8
).filter(
    lambda key: "file" not in key  # keep paramfiles out of the property tests
)
_WORD = st.text(alphabet=string.ascii_letters + string.digits + "@._-+/", min_size=1, max_size=8)
_PHRASE = st.lists(_WORD, min_size=1, max_size=3).map(" ".join)
_SPACE = st.sampled_from(["", " ", "  ", "\t"])


@st.composite
def _scalar(draw: st.DrawFn) -> str:
    text = draw(_PHRASE)
    form = draw(st.sampled_from(["plain", "single", "double", "escaped-comma"]))
    if form == "single":
        return "'" + text + ",x'"
    if form == "double":
        return '"' + text + ',y"'
    if form == "escaped-comma":
        return text + "\\,z"
    return text


@st.composite
def _value(draw: st.DrawFn, depth: int = 0, top: bool = True) -> str:
    """A shorthand value; bare ``a,b`` lists only at the top level (not inside [...]/{...})."""
    # "k={a=}" is refused by the AWS CLI ("}" is read as the value), so empty only at the top.
    forms = ["scalar"] + (["empty", "csv"] if top else []) + (["list", "map"] if depth < 2 else [])
    form = draw(st.sampled_from(forms))
    space = draw(_SPACE)
    if form == "empty":
        return ""
    if form == "csv":
        items = draw(st.lists(_scalar(), min_size=2, max_size=3))
        return (space + "," + space).join(items)
    if form == "list":
        items = draw(st.lists(_value(depth + 1, top=False), max_size=3))
        return "[" + space + ("," + space).join(items) + space + "]"
    if form == "map":
        keys = draw(st.lists(_KEY, max_size=3, unique=True))
        pairs = [k + space + "=" + space + draw(_value(depth + 1, top=False)) for k in keys]
        return "{" + space + ("," + space).join(pairs) + "}"
    return draw(_scalar())


@st.composite
def _shorthand(draw: st.DrawFn) -> str:
    keys = draw(st.lists(_KEY, min_size=1, max_size=4, unique=True))
    parts = []
    for key in keys:
        space = draw(_SPACE)
        separator = draw(st.sampled_from(["=", "@="]))
        parts.append(key + space + separator + space + draw(_value()))
    joiners = [",", " , ", ",\n"]
    if not any(part.split("=", 1)[1].lstrip()[:1] in ("[", "{") for part in parts):
        joiners.append(",,")  # an empty item is skipped only after a plain value
    joiner = draw(st.sampled_from(joiners))
    text = joiner.join(parts)
    if not text.endswith(("]", "}")):  # the AWS CLI refuses whitespace after a final ] or }
        text += draw(_SPACE)
    return text


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_shorthand())
def test_well_formed_shorthand_matches_aws_cli(text: str) -> None:
    expected = _aws_cli_structure(text, "--tags")
    assert expected[0] == "ok", expected
    assert _ours(text, "--tags") == expected


@settings(max_examples=100, deadline=None)
@given(st.dictionaries(_KEY, st.one_of(_PHRASE, st.lists(_PHRASE, max_size=3)), max_size=4))
def test_json_round_trip(document: dict[str, object]) -> None:
    text = json.dumps(document)
    assert parse_structure(text, "--tags") == document
    assert parse_json_document(text, "cli-input-json") == document


# --------------------------------------------------------------------------------------------
# Property tests of parse_list, parse_json_document and paramfile paths (the CLI around them:
# tests/cli/test_parameters.py)
# --------------------------------------------------------------------------------------------

deep_json = st.integers(1, 5000).map(lambda n: "[" * n + "]" * (n // 2))


def check_param_error(error: ParamSyntaxError, option: str) -> None:
    message = str(error)
    assert message.startswith(f"Error parsing parameter '{option}': ")
    assert message[len(f"Error parsing parameter '{option}': ") :].strip()


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(any_text, deep_json), min_size=1, max_size=3))
def test_parse_list_never_crashes(values: list[str]) -> None:
    assume(not any(v.startswith("file") for v in values))
    try:
        parsed = parse_list(values, "--account-ids")
    except ParamSyntaxError as error:
        check_param_error(error, "--account-ids")
    else:
        assert parsed is not None


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(any_text, deep_json, st.just("{" * 3000)))
def test_parse_json_document_never_crashes(text: str) -> None:
    assume(not text.startswith("file"))
    try:
        document = parse_json_document(text, "cli-input-json")
    except ParamSyntaxError as error:
        check_param_error(error, "cli-input-json")
    else:
        assert isinstance(document, dict)


_PATH_TEXT = st.text(
    alphabet=st.characters(exclude_categories=["Cs"], exclude_characters="\x00"), max_size=300
)
PARSERS: list[tuple[Callable[[str], object], str]] = [
    (lambda v: parse_structure(v, "--account"), "--account"),
    (lambda v: parse_list([v], "--account-ids"), "--account-ids"),
    (lambda v: parse_json_document(v, "--cli-input-json"), "--cli-input-json"),
]


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(["file://", "fileb://"]), st.sampled_from(["", "/", "~/", "$HOME/", "\x00"]), _PATH_TEXT)
def test_any_paramfile_path_loads_or_has_a_message(prefix: str, head: str, tail: str) -> None:
    assume("dev" not in tail and "proc" not in tail and "sys" not in tail)
    with tempfile.TemporaryDirectory() as directory:
        value = f"{prefix}{directory}/{head}{tail}"
        for parse, option in PARSERS:
            try:
                parse(value)
            except ParamSyntaxError as error:
                check_param_error(error, option)
