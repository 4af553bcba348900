"""``--output table`` for an AWS response: the AWS CLI's ASCII table, drawn the same way.

The reference is the AWS CLI's table formatter (``awscli/formatter.py``: ``TableFormatter``;
``awscli/table.py``: ``MultiTable``, ``Section``, ``ColorizedStyler``), read for its behaviour
and rewritten here in plain Python (no rich: this is text, and awscli is never imported, as its
import hook would swap in its own botocore). The drawing is the same in AWS CLI v1 (1.45) and v2
(2.36, branch ``v2``): the two files differ only in comments and string formatting.

What is drawn
-------------
* A top rule of ``-`` as wide as the table, then one *section* per map or list: a title line
  ``|  Title  |`` (the operation's name first), then rows between ``+----+----+`` rules.
* A map: its scalar fields, keys sorted, as one row under a header line -- or, for a single
  field, one ``key | value`` row; then each nested list or map (sorted by key) as a section of
  its own, titled with its key, one level deeper. Each level adds a ``|`` on both sides.
* A list of maps: one table, its columns the sorted union of the maps' scalar keys (a missing
  value is empty); when the maps hold lists or maps (``tags``), every element gets its own
  section, followed by its nested sections.
* A list of scalars: one row each; a list of lists of scalars: a row each; a map in such a
  list shows its keys (the AWS CLI's quirk, kept).
* Nothing for nothing: an empty answer (``{}``: most mutating commands), or a ``--query``
  result that is empty or false (``[]``, ``None``, ``0``, ``""``, ``False``), prints nothing at
  all; a nested empty list or map has no section (``{"members": []}`` is a title box). A scalar
  at the top (a ``--query`` result) prints its title box only.
* Column widths: each column is its widest cell (east-asian wide, full-width and ambiguous
  characters count 2) plus 4, then every section is stretched to the widest section's width.
* Cells are ``str()`` of the value (``True``, ``None``, ``1.5``); timestamps are ISO 8601 (the
  AWS CLI v2's default, and v1's with ``cli_timestamp_format = iso8601``).
* Shapes the AWS CLI's formatter fails on (rows of different lengths, a list mixing maps with
  other values: only a ``--query`` can build one) raise :class:`MacieMembersError`, exit 255,
  as the AWS CLI fails with exit 255.

The width rule
--------------
The AWS CLI asks the terminal for its width (``ioctl(stdout, TIOCGWINSZ)``): on a terminal it
is the terminal's width -- ``0`` for a terminal that reports no size --, and when stdout is not
a terminal (a pipe, a file) the ioctl fails and the width is 80. On Windows it is always 80
(there is no ``fcntl``/``termios``). ``COLUMNS`` is never read. The width is not a size to fit:
a table is as wide as its content. When it is wider than the width, every section that is one
row under a header line is turned into ``key | value`` rows (the vertical layout) and the width
is measured again. Nothing ever wraps and nothing is cut: lines may be wider than the terminal.
macie-members computes it in :func:`macie_members.config.aws_table_width` and uses it for the
drop-in commands' tables only (its own documents keep their width: the terminal, ``COLUMNS``,
80).

The colour rule
---------------
``--color on``: colour, terminal or not. ``--color off``: none. ``--color auto`` (the default):
colour when stdout is a terminal. ``NO_COLOR``, ``TERM`` and ``CLICOLOR`` are not read (neither
v1 nor v2 reads them; macie-members' own documents do read ``NO_COLOR`` and ``TERM=dumb``).
Only ``--output table`` has colour. With colour, cell text is bold blue (``ESC[1m ESC[34m`` ...
``ESC[0m``) and the ``|`` of each indentation level dim yellow (``ESC[2m ESC[33m | ESC[0m``);
titles, headers and rules stay plain. The AWS CLI writes through colorama with ``autoreset``,
which follows every write with ``ESC[0m``: the top rule is one write, every other line four (the
left indentation -- empty at level 0 --, the line, the right indentation, the newline). So a
line ``L`` at depth ``k`` is ``I R L R I R \\n R``, with ``R`` = ``ESC[0m`` and ``I`` = ``k``
times the dim yellow ``|``; the top rule is ``---- \\n R``. These are the bytes drawn here.

Differences left: on a terminal, when it exits, the AWS CLI writes one more ``ESC[0m``
(colorama's exit hook; also after an empty answer) -- macie-members does not, which changes
nothing on the screen. AWS CLI v2 on a terminal sends the table through a pager (``less -FRX``;
``--no-cli-pager``, ``AWS_PAGER``); the pager gets no ``ESC[0m`` after each write. macie-members
never pages: it prints what v1 prints, and v2 with ``--no-cli-pager``.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from macie_members.errors import MacieMembersError
from macie_members.render.aws_text import is_container, scalar_str

__all__ = ["render_table", "text_width"]

_CELL_PADDING = 4  # two blanks before a cell's text, at least two after
_BORDER = 2  # the section's outer "|" on each side
_RESET = "\x1b[0m"  # colorama's Style.RESET_ALL, also written after every write (autoreset)
_CELL_STYLE = "\x1b[1m\x1b[34m"  # Style.BRIGHT + Fore.BLUE
_INDENT_STYLE = "\x1b[2m\x1b[33m"  # Style.DIM + Fore.YELLOW
_WIDE = frozenset("WFA")  # east-asian widths that take two cells (the AWS CLI counts ambiguous too)


def text_width(text: str) -> int:
    """How many terminal cells the AWS CLI counts for ``text``."""
    return sum(2 if unicodedata.east_asian_width(char) in _WIDE else 1 for char in text)


def render_table(data: Any, *, title: str, width: int = 80, color: bool = False) -> str:
    """``data`` as the AWS CLI's ``--output table`` titled ``title`` (the operation's name), with
    ``width`` the AWS CLI's terminal width (see the width rule above) and ``color`` whether it
    draws colour. ``""`` when the AWS CLI prints nothing (``data`` empty or false)."""
    layout = _Layout()
    if not layout.add(title, _plain(data)):
        return ""
    return _draw(layout.sections, width, color)


def _plain(value: Any) -> Any:
    """``value`` with the AWS CLI's scalars: datetimes as ISO 8601 text, blobs as base64 text
    (what the AWS CLI's parsers hand its formatter), so that ``str()`` of a cell is its text."""
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    if value is None or isinstance(value, str | int | float):
        return value
    return scalar_str(value)


# ---------------------------------------------------------------------------------- sections


@dataclass
class _Section:
    """A titled block of rows, optionally under one header line (the AWS CLI's ``Section``)."""

    title: str | None  # None: no title line (yet "None", 4 cells, when measured: the AWS CLI's way)
    indent: int = 0
    headers: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)
    columns: int | None = None  # fixed by the first header line or row; every row has as many cells
    widest: list[int] = field(default_factory=list)  # per column: its widest text, in cells

    def set_headers(self, headers: list[str]) -> None:
        self._measure(headers)
        if self.columns is None:
            self.columns = len(headers)
        self.headers = headers

    def add_row(self, cells: list[Any]) -> None:
        if self.columns is None:
            self.columns = len(cells)
        if len(cells) != self.columns:
            raise MacieMembersError(f"Row should have {self.columns} elements, instead it has {len(cells)}")
        row = [str(cell) for cell in cells]
        self.rows.append(row)
        self._measure(row)

    def _measure(self, cells: list[str]) -> None:
        if not self.widest:
            self.widest = [text_width(cell) for cell in cells]
            return
        if len(cells) > len(self.widest):
            # A second, longer header line in one section (a --query's list of lists of maps):
            # the AWS CLI fails here, with this IndexError's message.
            raise MacieMembersError("list index out of range")
        for column, cell in enumerate(cells):
            self.widest[column] = max(self.widest[column], text_width(cell))

    def natural_width(self) -> int:
        """The section's width, its indentation included, before stretching."""
        cells = sum(w + _CELL_PADDING for w in self.widest) + _BORDER + 2 * self.indent
        return max(text_width(str(self.title)) + _BORDER + 2 * self.indent, cells)

    def column_widths(self, inner: int) -> list[int]:
        """The columns stretched, in proportion, to fill ``inner`` cells exactly (the AWS CLI's
        rounding; what rounding leaves over or short is taken from the first columns or given
        to the last ones, one cell each)."""
        natural = [w + _CELL_PADDING for w in self.widest]
        if not natural:
            return []
        scale = inner / sum(natural)
        widths = [round(scale * w) for w in natural]  # Python's round: half to even, as the AWS CLI
        excess = sum(widths) - inner
        for step in range(abs(excess)):
            if excess > 0:
                widths[step % len(widths)] -= 1
            else:
                widths[len(widths) - 1 - step % len(widths)] += 1
        return widths

    def vertical(self) -> _Section:
        """One row under headers, as ``header | value`` rows (a table too wide for the width)."""
        flipped = _Section(self.title, self.indent)
        for header, cell in zip(self.headers, self.rows[0], strict=False):
            flipped.add_row([header, cell])
        return flipped


class _Layout:
    """The sections of a response, in the order the AWS CLI's ``TableFormatter`` makes them."""

    def __init__(self) -> None:
        self.sections: list[_Section] = []
        self._current: _Section | None = None

    def _open(self, title: str | None, indent: int) -> None:
        self._current = _Section(title, indent)
        self.sections.append(self._current)

    def _here(self) -> _Section:
        assert self._current is not None, "rows before any section"  # the top value has a title
        return self._current

    def add(self, title: str | None, value: Any, indent: int = 0) -> bool:
        """``value`` under a new section titled ``title`` (``None``: in the current section);
        False, and nothing added, for an empty or false value."""
        if not value:
            return False
        if title is not None:
            self._open(title, indent)
        if isinstance(value, list):
            self._list(value, title, indent)
        elif isinstance(value, dict):
            self._map(value, indent)
        return True

    def _map(self, mapping: dict[str, Any], indent: int) -> None:
        scalars, nested = _split_keys(mapping)
        here = self._here()
        if len(scalars) == 1:
            here.add_row([scalars[0], mapping[scalars[0]]])
        elif scalars:
            here.set_headers(scalars)
            here.add_row([mapping[key] for key in scalars])
        for key in nested:
            self.add(key, mapping[key], indent + 1)

    def _list(self, items: list[Any], title: str | None, indent: int) -> None:
        if isinstance(items[0], dict):
            self._records(items, title, indent)
            return
        for item in items:
            if not is_container(item):
                self._here().add_row([item])
            elif all(not is_container(element) for element in item):
                self._here().add_row(list(item))  # a map here gives its keys: the AWS CLI's quirk
            else:
                self.add(None, item)  # into the current section, and back at level 0 (as the AWS CLI)

    def _records(self, items: list[Any], title: str | None, indent: int) -> None:
        headers, nested = _union_keys(items)
        self._here().set_headers(headers)
        for position, item in enumerate(items):
            record: dict[str, Any] = item if isinstance(item, dict) else {}
            if position and nested:  # elements with lists or maps: one section each
                self._open(title, indent)
                self._here().set_headers(headers)
            self._here().add_row([record.get(key, "") for key in headers])
            for key in nested:
                if key in record:
                    self.add(key, record[key], indent + 1)


def _split_keys(mapping: dict[str, Any]) -> tuple[list[str], list[str]]:
    """The keys of scalar values and the keys of lists and maps, each sorted."""
    scalars = sorted(key for key, value in mapping.items() if not is_container(value))
    nested = sorted(key for key, value in mapping.items() if is_container(value))
    return scalars, nested


def _union_keys(items: list[Any]) -> tuple[list[str], list[str]]:
    """A list of maps' columns and nested keys: the sorted unions over its elements.

    The AWS CLI's formatter fails on any other element in such a list, except an empty list or
    string when there are no columns (it then draws an empty row); so does this."""
    scalars: set[str] = set()
    nested: set[str] = set()
    for item in items:
        if isinstance(item, dict):
            these, deeper = _split_keys(item)
            scalars.update(these)
            nested.update(deeper)
    others = [item for item in items if not isinstance(item, dict)]
    if others and (scalars or any(item not in ("", []) for item in others) or ("" in nested and "" in others)):
        raise MacieMembersError("--output table can't draw a list that mixes maps with other values "
                                "(the AWS CLI fails on it too): use --output json")
    return sorted(scalars), sorted(nested)


# ----------------------------------------------------------------------------------- drawing


def _draw(sections: list[_Section], terminal_width: int, color: bool) -> str:
    width = max(section.natural_width() for section in sections)
    if width > terminal_width:
        sections = [s.vertical() if len(s.rows) == 1 and s.headers else s for s in sections]
        width = max(section.natural_width() for section in sections)
    out = _Stream(color)
    out.write("-" * width + "\n")
    for section in sections:
        for line in _section_lines(section, width - 2 * section.indent, color):
            out.line(line, section.indent)
    return out.text()


class _Stream:
    """The AWS CLI's stdout: with colour, colorama (``autoreset``) follows each write with a
    reset; a section's line is four writes (left indentation, the line, right, newline)."""

    def __init__(self, color: bool) -> None:
        self._parts: list[str] = []
        self._color = color
        self._edge = f"{_INDENT_STYLE}|{_RESET}" if color else "|"

    def write(self, text: str) -> None:
        self._parts.append(text)
        if self._color:
            self._parts.append(_RESET)

    def line(self, text: str, indent: int) -> None:
        edges = self._edge * indent
        for part in (edges, text, edges, "\n"):
            self.write(part)

    def text(self) -> str:
        return "".join(self._parts)


def _section_lines(section: _Section, inner: int, color: bool) -> Iterator[str]:
    """A section's lines, ``inner`` cells wide (its indentation excluded)."""
    if section.title:
        yield _centered(section.title, inner, "|")
        if not section.headers and not section.rows:
            yield "+" + "-" * (inner - 2) + "+"
    if section.headers:
        widths = section.column_widths(inner)
        yield _rule(widths)
        yield "".join(_centered(header, w, "|" if column == 0 else "")
                      for column, (w, header) in enumerate(zip(widths, section.headers, strict=False)))
    widths = section.column_widths(inner) if section.rows else []
    if widths:
        yield _rule(widths)
        for row in section.rows:
            yield "".join(_left(cell, w, "|" if column == 0 else "", color)
                          for column, (w, cell) in enumerate(zip(widths, row, strict=False)))
        yield _rule(widths)


def _rule(widths: list[int]) -> str:
    """``+-----+----+``: the first column has both corners, the others their right one."""
    return "".join(("+" + "-" * (w - 2) + "+") if column == 0 else ("-" * (w - 1) + "+")
                   for column, w in enumerate(widths))


def _centered(text: str, width: int, left_edge: str) -> str:
    """``text`` between ``left_edge`` and a ``|``, ``width`` cells in all, centred as the AWS CLI
    does (a blank count below zero is no blank; the right side makes up the rest)."""
    size = text_width(text)
    before = width // 2 - size // 2 - 1
    after = width - 1 - (len(left_edge) + before + size)
    return left_edge + " " * before + text + " " * after + "|"


def _left(cell: str, width: int, left_edge: str, color: bool) -> str:
    """A cell: ``left_edge``, two blanks (none if the cell would not fit), the text, blanks up
    to ``width`` cells, ``|``; with colour, the text is bold blue."""
    size = text_width(cell)
    padding = 2 if width - (size + 2 + len(left_edge) + 1) >= 0 else 0
    text = f"{_CELL_STYLE}{cell}{_RESET}" if color else cell
    return left_edge + " " * padding + text + " " * (width - (len(left_edge) + padding + size) - 1) + "|"
