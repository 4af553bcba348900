"""The AWS CLI's shorthand syntax: ``accountId=111122223333,email=a@example.com``.

The grammar and the error messages are aws-cli v1's (``awscli/shorthand.py``); see
:mod:`macie_members.inputs.values` for the grammar and JSON, :mod:`macie_members.inputs.paramfile` for paramfiles.
"""

from __future__ import annotations

from collections.abc import Callable

from macie_members.domain import clip, clip_around
from macie_members.inputs.paramfile import (
    ParamFileError,
    ParamSyntaxError,
    error_prefix,
    is_param_file,
    read_param_file,
)

# `_consume_whitespace` in the AWS CLI skips `string.whitespace` only (ASCII), while the value
# character classes below use Unicode whitespace (`str.isspace`, the same test as regex `\s`).
_SKIPPED_SPACE = frozenset(" \t\n\r\x0b\x0c")
_KEY_CHARACTERS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.#/:")
_ESCAPED_COMMA = "\\,"
# Characters outside U+0021..U+FFFF never belong to an unquoted value (except whitespace
# inside one); in that range these are the characters each position refuses.
_NOT_AT_START = frozenset("\"',=[{")
_NOT_IN_LEADING_VALUE = frozenset("\"',]}")
_NOT_IN_TRAILING_VALUE = frozenset("\"',=")
_QUOTE_NAMES = {"'": "singled quoted", '"': "double quoted"}  # names used in AWS CLI errors


def _in_word_range(char: str) -> bool:
    return "\x21" <= char <= "\uffff"


def _starts_value(char: str) -> bool:
    return _in_word_range(char) and char not in _NOT_AT_START


def _continues_leading_value(char: str) -> bool:
    """A character after the first in a value right after ``=`` or inside ``[...]``/``{...}``."""
    return char.isspace() or (_in_word_range(char) and char not in _NOT_IN_LEADING_VALUE)


def _continues_trailing_value(char: str) -> bool:
    """A character after the first in the 2nd, 3rd, ... item of ``k=a,b,c``."""
    return char.isspace() or (_in_word_range(char) and char not in _NOT_IN_TRAILING_VALUE)


def _show_position(text: str, index: int) -> str:
    """The input with a caret line under ``index``, inserted after the line holding it (only the
    part around ``index`` of a long input)."""
    text, index = clip_around(text, index)
    column = index - (text.rfind("\n", 0, index) + 1)
    line_end = text.find("\n", index)
    if line_end < 0:
        line_end = len(text)
    return f"{text[:line_end]}\n{' ' * column}^{text[line_end:]}"


class _Unexpected(Exception):
    """The parser wanted ``expected`` at ``index`` but found ``found``."""

    def __init__(self, expected: str, found: str, index: int) -> None:
        super().__init__(expected, found, index)
        self.expected = expected
        self.found = found
        self.index = index

    def describe(self, text: str) -> str:
        return (
            f"Expected: '{self.expected}', received: '{self.found}' for input:\n"
            f"{_show_position(text, self.index)}"
        )


class _RepeatedKey(Exception):
    def __init__(self, key: str, index: int) -> None:
        super().__init__(key, index)
        self.key = key
        self.index = index

    def describe(self, text: str) -> str:
        return (
            f'Second instance of key "{self.key}" encountered for input:\n'
            f"{_show_position(text, self.index)}\n"
            'This is often because there is a preceding "," instead of a space.'
        )


class _ShorthandReader:
    """A recursive-descent reader of one shorthand value (see the module docstring)."""

    def __init__(self, text: str) -> None:
        self._text = text
        self._pos = 0
        # Set by "key@=": file:// and fileb:// values of that key are loaded. Like the AWS
        # CLI, the flag stays as the most recent key inside a {...} literal left it.
        self._load_files = False

    # -- top level --------------------------------------------------------------------------

    def read(self) -> dict[str, object]:
        result: dict[str, object] = {}
        key, value = self._key_and_value()
        result[key] = value
        end_of_previous = self._pos
        while not self._at_end():
            self._require(",", skip_space=True)
            key, value = self._key_and_value()
            if key in result:
                raise _RepeatedKey(key, end_of_previous + 1)
            result[key] = value
            end_of_previous = self._pos
        return result

    def _key_and_value(self) -> tuple[str, object]:
        key = self._key_and_separator()
        if self._at_end():
            return key, ""
        opener = self._peek()
        if opener == "[":
            return key, self._bracket_list()
        if opener == "{":
            return key, self._brace_map()
        return key, self._comma_values()

    def _key_and_separator(self) -> str:
        """Read ``key =`` or ``key @=`` and return the key (which may be empty)."""
        start = self._pos
        while not self._at_end() and self._text[self._pos] in _KEY_CHARACTERS:
            self._pos += 1
        key = self._text[start : self._pos]
        self._skip_space()
        self._load_files = self._peek() == "@"
        if self._load_files:
            self._pos += 1
            self._skip_space()
        self._require("=", skip_space=True)
        return key

    # -- k=a or k=a,b,c -----------------------------------------------------------------------

    def _comma_values(self) -> object:
        first = self._leading_value()
        self._skip_space()
        if self._peek() != ",":
            return first
        self._require(",", skip_space=True)
        items: list[object] = [first]
        while True:
            try:
                item = self._trailing_value()
                self._skip_space()
                if self._at_end():
                    items.append(item)
                    break
                self._require(",", skip_space=True)
                items.append(item)
            except _Unexpected:
                if self._at_end():
                    raise
                # What looked like another item is the next "key=value": step back to the
                # comma before it, e.g. in "a=x,y,b=z" from "b=z" back to the "," after "y".
                while self._pos >= 0 and self._text[self._pos] != ",":
                    self._pos -= 1
                break
        return first if len(items) == 1 else items

    # -- [...] and {...} ----------------------------------------------------------------------

    def _bracket_list(self) -> list[object]:
        self._require("[", skip_space=True)
        items: list[object] = []
        while self._peek() != "]":
            items.append(self._nested_value())
            self._skip_space()
            if self._peek() != "]":
                self._require(",")
                self._skip_space()
        self._require("]")
        return items

    def _brace_map(self) -> dict[str, object]:
        self._require("{", skip_space=True)
        result: dict[str, object] = {}
        while self._peek() != "}":
            key = self._key_and_separator()
            value = self._nested_value()
            self._skip_space()
            if self._peek() != "}":
                self._require(",")
                self._skip_space()
            result[key] = value  # a repeated key inside {...} silently wins, as in the AWS CLI
        self._require("}")
        return result

    def _nested_value(self) -> object:
        opener = self._peek()
        if opener == "[":
            return self._bracket_list()
        if opener == "{":
            return self._brace_map()
        return self._leading_value()

    # -- scalars ------------------------------------------------------------------------------

    def _leading_value(self) -> str:
        """A scalar right after ``=``, or inside ``[...]``/``{...}``; may be empty."""
        quote = self._peek()
        if quote == "'" or quote == '"':
            return self._quoted(quote)
        end = self._word_end(_continues_leading_value)
        if end == self._pos:
            return ""
        return self._finish_word(end)

    def _trailing_value(self) -> str:
        """The 2nd, 3rd, ... item of ``k=a,b,c``; must not be empty."""
        quote = self._peek()
        if quote == "'" or quote == '"':
            return self._quoted(quote)
        end = self._word_end(_continues_trailing_value)
        if end == self._pos:
            raise _Unexpected("<second>", "<none>", self._pos)
        return self._finish_word(end)

    def _word_end(self, continues: Callable[[str], bool]) -> int:
        """The end of the unquoted word starting here (``self._pos`` if there is none)."""
        text, index = self._text, self._pos
        allowed: Callable[[str], bool] = _starts_value
        while index < len(text):
            if text.startswith(_ESCAPED_COMMA, index):
                index += len(_ESCAPED_COMMA)
            elif allowed(text[index]):
                index += 1
            else:
                break
            allowed = continues
        return index

    def _finish_word(self, end: int) -> str:
        word = self._text[self._pos : end].replace(_ESCAPED_COMMA, ",").rstrip()
        self._pos = end
        return self._maybe_load(word)

    def _quoted(self, quote: str) -> str:
        close = self._closing_quote(quote)
        content = self._text[self._pos + 1 : close]
        self._pos = close + 1
        content = content.replace("\\" + quote, quote).replace("\\\\", "\\")
        return self._maybe_load(content)

    def _closing_quote(self, quote: str) -> int:
        """The index of the quote that closes the one at ``self._pos``.

        A backslash escapes a quote. If no unescaped quote follows, the quote of the last
        backslash-quote pair closes the value instead (so ``'a\\'`` is ``a\\``), which is how
        the AWS CLI's regular expression backtracks.
        """
        text = self._text
        index = self._pos + 1
        last_escaped = -1
        while index < len(text):
            char = text[index]
            if char == quote:
                return index
            if char == "\\" and text.startswith(quote, index + 1):
                last_escaped = index + 1
                index += 2
            else:
                index += 1
        if last_escaped >= 0:
            return last_escaped
        raise _Unexpected(f"<{_QUOTE_NAMES[quote]}>", "<none>", self._pos)

    def _maybe_load(self, value: str) -> str:
        if self._load_files and is_param_file(value):
            return read_param_file(value)
        return value

    # -- characters ---------------------------------------------------------------------------

    def _at_end(self) -> bool:
        return self._pos >= len(self._text)

    def _peek(self) -> str | None:
        return None if self._at_end() else self._text[self._pos]

    def _skip_space(self) -> None:
        text = self._text
        while self._pos < len(text) and text[self._pos] in _SKIPPED_SPACE:
            self._pos += 1

    def _require(self, char: str, skip_space: bool = False) -> None:
        if skip_space:
            self._skip_space()
        found = self._peek()
        if found is None:
            raise _Unexpected(char, "EOF", self._pos)
        if found != char:
            raise _Unexpected(char, found, self._pos)
        self._pos += 1
        if skip_space:
            self._skip_space()


def parse_shorthand(text: str, option: str) -> dict[str, object]:
    try:
        return _ShorthandReader(text).read()
    except (_Unexpected, _RepeatedKey) as problem:
        raise ParamSyntaxError(error_prefix(option) + problem.describe(text)) from None
    except ParamFileError as error:
        raise ParamSyntaxError(error_prefix(option) + str(error)) from None
    except RecursionError:
        raise ParamSyntaxError(
            f"{error_prefix(option)}Shorthand value is nested too deeply for input:\n{clip(text)}"
        ) from None


# --------------------------------------------------------------------------------------------
# Public parsers
# --------------------------------------------------------------------------------------------
