"""Render parsed ``macie2`` responses the way ``aws macie2 <command>`` prints them.

Three output formats are supported, selected like the AWS CLI's ``--output``:

* ``json``  -- byte-for-byte what the AWS CLI prints (4-space indent, raw UTF-8,
  datetimes in ISO-8601, nothing at all for an empty response).
* ``text``  -- the AWS CLI's tab-separated format (the semantics of
  ``awscli/text.py``), reimplemented here.
* ``table`` -- a human-readable table drawn with :mod:`rich`.  It follows the
  structure of the AWS CLI table (a title box named after the operation, one
  section per nested list or map, sorted column headers) but is guaranteed to
  fit the requested width.

This is the only module of the package that may use :mod:`rich`, and it imports
it lazily (inside the table-drawing functions) so that importing this module,
and rendering JSON or text, stays cheap.
"""

from __future__ import annotations

import base64
import datetime
import io
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover - typing only, never imported at runtime
    from rich.console import Console, RenderableType
    from rich.table import Table

__all__ = [
    "OUTPUT_FORMATS",
    "format_json",
    "format_text",
    "render",
    "render_table",
    "strip_metadata",
]

#: The values accepted by :func:`render` for ``output``.
OUTPUT_FORMATS: tuple[str, ...] = ("json", "text", "table")

_METADATA_KEY = "ResponseMetadata"


def strip_metadata(response: Mapping[str, Any]) -> dict[str, Any]:
    """Return a shallow copy of *response* without its ``ResponseMetadata``.

    The input mapping is not modified.
    """
    return {key: value for key, value in response.items() if key != _METADATA_KEY}


# ---------------------------------------------------------------------------
# Scalars
# ---------------------------------------------------------------------------


def _json_default(obj: Any) -> Any:
    """``json.dumps`` fallback: datetimes as ISO-8601, blobs as base64 text."""
    if isinstance(obj, datetime.datetime | datetime.date):
        return obj.isoformat()
    if isinstance(obj, bytes | bytearray):
        return base64.b64encode(bytes(obj)).decode("ascii")
    raise TypeError(f"Object of type {type(obj).__name__} is not JSON serializable")


def _scalar_str(value: Any) -> str:
    """The text the AWS CLI shows for a scalar (``None``, ``True`` and so on via ``str``)."""
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    if isinstance(value, bytes | bytearray):
        return base64.b64encode(bytes(value)).decode("ascii")
    return str(value)


def _is_container(value: Any) -> bool:
    # Exactly the test awscli's text and table formatters use.
    return isinstance(value, dict | list)


# ---------------------------------------------------------------------------
# JSON
# ---------------------------------------------------------------------------


def format_json(data: Any) -> str:
    """Render *data* as the AWS CLI's ``--output json``.

    An empty dict renders as ``""`` (the AWS CLI prints nothing for an empty
    response); everything else, ``None`` included, as indented JSON plus a
    trailing newline.  ``ResponseMetadata`` is *not* removed here; see
    :func:`strip_metadata` and :func:`render`.
    """
    if isinstance(data, dict) and not data:
        return ""
    return json.dumps(data, indent=4, ensure_ascii=False, default=_json_default) + "\n"


# ---------------------------------------------------------------------------
# Text
# ---------------------------------------------------------------------------


def format_text(data: Any, *, list_key_hint: str | None = None) -> str:
    """Render *data* as the AWS CLI's ``--output text``.

    Rules (those of ``awscli.text.format_text``):

    * a dict prints its scalar values, sorted by key, tab-separated on one line
      (prefixed with the upper-cased key it was found under, if any), then each
      nested list or dict under its own key;
    * a list of dicts prints one line per element, with the columns being the
      sorted union of the scalar keys of all elements (missing values empty);
    * a list of scalars prints one ``KEY\\tvalue`` line per element under a key,
      or all values tab-joined on one line at the top level;
    * a scalar prints alone; empty lists and dicts print nothing.

    *list_key_hint* is the key the top-level *data* should be considered to
    have been found under (for instance ``"members"`` for the result of
    ``--query members``); it prefixes the lines exactly as a nested key would.
    ``None`` (the default) is what the AWS CLI does.
    """
    lines: list[str] = []
    _text_value(data, list_key_hint, None, lines)
    return "".join(f"{line}\n" for line in lines)


def _text_value(value: Any, key: str | None, columns: list[Any] | None, lines: list[str]) -> None:
    if isinstance(value, dict):
        _text_dict(value, key, columns, lines)
    elif isinstance(value, list):
        _text_list(value, key, lines)
    else:
        lines.append(_scalar_str(value))


def _text_list(items: list[Any], key: str | None, lines: list[str]) -> None:
    if not items:
        return
    if any(isinstance(item, dict) for item in items):
        columns = _union_scalar_keys(item for item in items if isinstance(item, dict))
        for item in items:
            _text_value(item, key, columns, lines)
        return
    if any(isinstance(item, list) for item in items):
        scalars = [item for item in items if not _is_container(item)]
        if scalars:
            _text_scalars(scalars, key, lines)
        for item in items:
            if _is_container(item):
                _text_value(item, key, None, lines)
        return
    _text_scalars(items, key, lines)


def _text_scalars(items: list[Any], key: str | None, lines: list[str]) -> None:
    if key is None:
        lines.append("\t".join(_scalar_str(item) for item in items))
    else:
        prefix = key.upper()
        lines.extend(f"{prefix}\t{_scalar_str(item)}" for item in items)


def _text_dict(
    item: dict[Any, Any], key: str | None, columns: list[Any] | None, lines: list[str]
) -> None:
    if columns is None:
        ordered = sorted(item)
        fields = [_scalar_str(item[k]) for k in ordered if not _is_container(item[k])]
        nested = [k for k in ordered if _is_container(item[k])]
    else:
        # Within a list every element prints the same columns; anything else
        # (necessarily a nested value) follows on its own lines.
        fields = [_scalar_str(item.get(k, "")) for k in columns]
        known = set(columns)
        nested = sorted(k for k in item if k not in known)
    if fields:
        if key is not None:
            fields.insert(0, key.upper())
        lines.append("\t".join(fields))
    for name in nested:
        _text_value(item[name], name, None, lines)


def _union_scalar_keys(dicts: Iterable[Mapping[Any, Any]]) -> list[Any]:
    keys: set[Any] = set()
    for item in dicts:
        keys.update(k for k, v in item.items() if not _is_container(v))
    return sorted(keys)


# ---------------------------------------------------------------------------
# Table
# ---------------------------------------------------------------------------

_INDENT = 2
_MIN_BLOCK_WIDTH = 20
_UNBOUNDED = 1_000_000


@dataclass(frozen=True)
class _Drawing:
    """What the table builders share: the console and the total width."""

    console: Console
    width: int

    def available(self, depth: int) -> int:
        return max(self.width - self.indent(depth), min(self.width, _MIN_BLOCK_WIDTH))

    def indent(self, depth: int) -> int:
        return min(depth * _INDENT, self.width // 4)


def render_table(data: Any, *, title: str, width: int = 80, color: bool = False) -> str:
    """Render *data* as a ``--output table`` view titled *title* (the operation name).

    * a title box with *title*;
    * a dict's scalar fields as one row under sorted headers -- or as a
      vertical ``key | value`` block when that row would not fit *width* (a
      single field is always a ``key | value`` row; ``NextToken`` thus shows
      above the lists);
    * each nested list or map as its own, indented, section named after its key;
    * a list of dicts as one table with sorted column headers (the union of
      the elements' scalar keys), falling back to one vertical block per
      element when that table would be wider than *width*, or when elements
      carry nested maps or lists (e.g. ``tags``), which then follow their
      element as sub-tables.

    Empty dicts and lists and ``None`` render as ``""``.  Every cell is plain
    text (never console markup), every line is at most *width* cells wide, and
    trailing blanks are removed.  With *color*, ANSI styles are emitted.
    """
    if data is None or (_is_container(data) and not data):
        return ""

    from rich.console import Console

    buffer = io.StringIO()
    console = Console(
        file=buffer,
        width=width,
        color_system="standard" if color else None,
        force_terminal=color,
        markup=False,
        emoji=False,
        highlight=False,
        soft_wrap=False,
        legacy_windows=False,
    )
    drawing = _Drawing(console=console, width=width)
    for renderable in [_title_box(title), *_table_value(drawing, None, data, 0)]:
        console.print(renderable)
    return "".join(f"{line.rstrip()}\n" for line in buffer.getvalue().splitlines())


def _title_box(title: str) -> RenderableType:
    from rich import box
    from rich.panel import Panel
    from rich.text import Text

    return Panel(Text(title, justify="center", style="bold"), box=box.SQUARE, expand=True)


def _table_value(drawing: _Drawing, name: str | None, value: Any, depth: int) -> list[Any]:
    """Renderables for *value*, found under *name* (``None`` at the top level)."""
    if isinstance(value, dict):
        return _table_dict(drawing, name, value, depth)
    if isinstance(value, list):
        return _table_list(drawing, name, value, depth)
    return [_indented(drawing, _grid_table(name, [[value]]), depth)]


def _table_dict(
    drawing: _Drawing, name: str | None, value: dict[Any, Any], depth: int
) -> list[Any]:
    out: list[Any] = []
    scalar_keys = sorted(k for k, v in value.items() if not _is_container(v))
    if scalar_keys:
        out.append(
            _indented(drawing, _record_table(drawing, name, value, scalar_keys, depth), depth)
        )
    elif name is not None:
        out.append(_indented(drawing, _caption(name), depth))
    out.extend(_nested_sections(drawing, value, depth))
    return out


def _table_list(drawing: _Drawing, name: str | None, items: list[Any], depth: int) -> list[Any]:
    if not items:
        return []
    if all(isinstance(item, dict) for item in items):
        return _table_records(drawing, name, items, depth)
    # Scalars (and lists of scalars) are rows of one table; anything deeper
    # becomes a section of its own after that table.
    rows: list[list[Any]] = []
    deeper: list[Any] = []
    for item in items:
        if not _is_container(item):
            rows.append([item])
        elif isinstance(item, list) and not any(_is_container(el) for el in item):
            if item:
                rows.append(list(item))
        else:
            deeper.append(item)
    out: list[Any] = []
    if rows:
        out.append(_indented(drawing, _grid_table(name, rows), depth))
    elif name is not None:
        out.append(_indented(drawing, _caption(name), depth))
    for item in deeper:
        out.extend(_table_value(drawing, None, item, depth + 1))
    return out


def _table_records(
    drawing: _Drawing, name: str | None, items: list[dict[Any, Any]], depth: int
) -> list[Any]:
    columns = _union_scalar_keys(items)
    has_nested = any(_is_container(v) and v for item in items for v in item.values())
    if columns and not has_nested:
        table = _columns_table(
            name, columns, [[item.get(c, "") for c in columns] for item in items]
        )
        if _fits(drawing, table, depth):
            return [_indented(drawing, table, depth)]
    out: list[Any] = []
    for item in items:
        keys = sorted(k for k, v in item.items() if not _is_container(v))
        if keys:
            block = _record_table(drawing, name, item, keys, depth)
            out.append(_indented(drawing, block, depth))
        elif name is not None:
            out.append(_indented(drawing, _caption(name), depth))
        out.extend(_nested_sections(drawing, item, depth))
    return out


def _nested_sections(drawing: _Drawing, value: dict[Any, Any], depth: int) -> list[Any]:
    out: list[Any] = []
    for key in sorted(k for k, v in value.items() if _is_container(v) and v):
        out.extend(_table_value(drawing, str(key), value[key], depth + 1))
    return out


def _record_table(
    drawing: _Drawing, name: str | None, value: Mapping[Any, Any], keys: list[Any], depth: int
) -> Table:
    """One record: a row under headers if it fits, else a vertical key|value block."""
    if len(keys) > 1:
        table = _columns_table(name, keys, [[value[k] for k in keys]])
        if _fits(drawing, table, depth):
            return table
    return _key_value_table(name, [(k, value[k]) for k in keys])


def _new_table(name: str | None, *, show_header: bool) -> Table:
    from rich import box
    from rich.table import Table
    from rich.text import Text

    return Table(
        title=None if name is None else Text(name, style="bold"),
        title_justify="left",
        box=box.SQUARE,
        show_header=show_header,
        header_style="bold cyan",
    )


def _columns_table(name: str | None, headers: list[Any], rows: list[list[Any]]) -> Table:
    from rich.text import Text

    table = _new_table(name, show_header=True)
    for header in headers:
        table.add_column(Text(_scalar_str(header)), overflow="fold")
    for row in rows:
        table.add_row(*(Text(_scalar_str(cell)) for cell in row))
    return table


def _key_value_table(name: str | None, pairs: list[tuple[Any, Any]]) -> Table:
    from rich.text import Text

    table = _new_table(name, show_header=False)
    table.add_column(style="bold", overflow="fold")
    table.add_column(overflow="fold")
    for key, value in pairs:
        table.add_row(Text(_scalar_str(key)), Text(_scalar_str(value)))
    return table


def _grid_table(name: str | None, rows: list[list[Any]]) -> Table:
    from rich.text import Text

    table = _new_table(name, show_header=False)
    for _ in range(max(len(row) for row in rows)):
        table.add_column(overflow="fold")
    for row in rows:
        table.add_row(*(Text(_scalar_str(cell)) for cell in row))
    return table


def _caption(name: str) -> RenderableType:
    from rich.text import Text

    return Text(name, style="bold")


def _fits(drawing: _Drawing, table: Table, depth: int) -> bool:
    """Whether *table*'s natural (unwrapped) width fits at this depth."""
    from rich.measure import Measurement

    options = drawing.console.options.update_width(_UNBOUNDED)
    natural = Measurement.get(drawing.console, options, table).maximum
    return natural <= drawing.available(depth)


def _indented(drawing: _Drawing, renderable: RenderableType, depth: int) -> RenderableType:
    indent = drawing.indent(depth)
    if not indent:
        return renderable
    from rich.padding import Padding

    return Padding(renderable, (0, 0, 0, indent), expand=False)


# ---------------------------------------------------------------------------
# Dispatch
# ---------------------------------------------------------------------------


def render(data: Any, *, output: str, operation: str, width: int = 80, color: bool = False) -> str:
    """Render *data* in the ``--output`` format *output* for the operation *operation*.

    ``ResponseMetadata`` is removed first when *data* is a dict.  *operation*
    (e.g. ``"ListMembers"``) titles the table; *width* and *color* only
    affect ``table``.  Raises :class:`ValueError` for an unknown *output*.
    """
    if isinstance(data, dict):
        data = strip_metadata(data)
    if output == "json":
        return format_json(data)
    if output == "text":
        return format_text(data)
    if output == "table":
        return render_table(data, title=operation, width=width, color=color)
    raise ValueError(
        f"Unknown output type: {output!r} (expected one of {', '.join(OUTPUT_FORMATS)})"
    )
