"""macie_members.inputs.paramfile: ``file://`` and ``fileb://`` values, read as the AWS CLI reads
them, and ParamSyntaxError (the through-the-parsers cases: tests/unit/test_inputs_values.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from macie_members.errors import ExitCode, InputError
from macie_members.inputs.paramfile import ParamSyntaxError, load_param_file


def _error(call: Any, *args: Any) -> str:
    with pytest.raises(ParamSyntaxError) as info:
        call(*args)
    return str(info.value)


# --------------------------------------------------------------------------------------------
# ParamSyntaxError
# --------------------------------------------------------------------------------------------


def test_param_syntax_error_is_an_input_error() -> None:
    error = ParamSyntaxError("Error parsing parameter '--account': x")
    assert isinstance(error, InputError)
    assert error.exit_code is ExitCode.USAGE
    assert str(error) == "Error parsing parameter '--account': x"


# --------------------------------------------------------------------------------------------
# load_param_file
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["", "plain", "accountId=1", "http://example.com/x", " file://x"])
def test_load_param_file_returns_other_values_unchanged(value: str) -> None:
    assert load_param_file(value) == value


def test_load_param_file_reads_text_file(tmp_path: Path) -> None:
    path = tmp_path / "account.json"
    path.write_text('{"accountId": "111122223333", "email": "ü@example.com"}\n', encoding="utf-8")
    assert load_param_file(f"file://{path}") == (
        '{"accountId": "111122223333", "email": "ü@example.com"}\n'
    )


def test_load_param_file_reads_binary_file_as_utf8(tmp_path: Path) -> None:
    path = tmp_path / "tags.txt"
    path.write_bytes("k=vü\r\n".encode())
    assert load_param_file(f"fileb://{path}") == "k=vü\r\n"  # bytes: no newline translation


def test_load_param_file_text_mode_translates_newlines(tmp_path: Path) -> None:
    path = tmp_path / "tags.txt"
    path.write_bytes(b"k=v\r\nx")
    assert load_param_file(f"file://{path}") == "k=v\nx"  # like the AWS CLI's text mode


def test_load_param_file_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "empty"
    path.write_bytes(b"")
    assert load_param_file(f"file://{path}") == ""
    assert load_param_file(f"fileb://{path}") == ""


def test_load_param_file_missing_file_message() -> None:
    assert _error(load_param_file, "file:///nonexistent/x") == (
        "Unable to load paramfile file:///nonexistent/x: "
        "[Errno 2] No such file or directory: '/nonexistent/x'"
    )
    assert _error(load_param_file, "fileb:///nonexistent/x") == (
        "Unable to load paramfile fileb:///nonexistent/x: "
        "[Errno 2] No such file or directory: '/nonexistent/x'"
    )


def test_load_param_file_directory_message(tmp_path: Path) -> None:
    assert _error(load_param_file, f"file://{tmp_path}") == (
        f"Unable to load paramfile file://{tmp_path}: [Errno 21] Is a directory: '{tmp_path}'"
    )


def test_load_param_file_binary_content_with_file_prefix(tmp_path: Path) -> None:
    path = tmp_path / "bin.dat"
    path.write_bytes(b"\xff\xfe\x00")
    assert _error(load_param_file, f"file://{path}") == (
        f"Unable to load paramfile ({path}), text contents could not be decoded.  If this is a "
        "binary file, please use the fileb:// prefix instead of the file:// prefix."
    )


def test_load_param_file_non_utf8_with_fileb_prefix_is_one_line(tmp_path: Path) -> None:
    path = tmp_path / "bin.dat"
    path.write_bytes(b"\xff\xfe\x00")
    message = _error(load_param_file, f"fileb://{path}")
    assert message == (
        f"Unable to load paramfile ({path}), contents could not be decoded as UTF-8 text."
    )
    assert "\n" not in message


def test_load_param_file_nul_in_path_is_a_param_error() -> None:
    message = _error(load_param_file, "file://a\x00b")
    assert message.startswith("Unable to load paramfile file://a\x00b: ")
    assert "\n" not in message


def test_load_param_file_expands_home_and_variables(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "acct.txt").write_text("accountId=1", encoding="utf-8")
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("PARAMS_DIR", str(tmp_path))
    assert load_param_file("file://~/acct.txt") == "accountId=1"
    assert load_param_file("fileb://~/acct.txt") == "accountId=1"
    assert load_param_file("file://$PARAMS_DIR/acct.txt") == "accountId=1"


def test_load_param_file_does_not_recurse(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text("file:///nonexistent", encoding="utf-8")
    assert load_param_file(f"file://{path}") == "file:///nonexistent"
