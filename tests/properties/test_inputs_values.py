"""Property tests (hypothesis) of macie_members.inputs.values: any text parses or fails with a
parameter error, and whatever the AWS CLI's own parser makes of a value, ours makes the same
(the AWS CLI v1 from PyPI, in this process, as the oracle).

(Example-based tests of the same module: tests/unit/test_inputs_values.py.)
"""

from __future__ import annotations

import json
import string
import tempfile
from collections.abc import Callable

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from macie_members.inputs.values import (
    ParamSyntaxError,
    parse_json_document,
    parse_list,
    parse_structure,
)
from tests.support.awscli_support import aws_cli_structure as _aws_cli_structure
from tests.support.awscli_support import our_structure as _ours
from tests.support.strategies import any_text

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
