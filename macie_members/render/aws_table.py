"""``--output table`` for AWS responses, drawn with :mod:`rich` (a rendering module; rich is
imported lazily, inside the drawing functions).

It follows the structure of the AWS CLI table (a title box named after the operation, one
section per nested list or map, sorted column headers) but always fits the requested width.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from macie_members.render.aws_text import is_container, scalar_str, union_scalar_keys

if TYPE_CHECKING:  # pragma: no cover - typing only, never imported at runtime
    from rich.console import Console, RenderableType
    from rich.table import Table

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
    if data is None or (is_container(data) and not data):
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
    scalar_keys = sorted(k for k, v in value.items() if not is_container(v))
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
        if not is_container(item):
            rows.append([item])
        elif isinstance(item, list) and not any(is_container(el) for el in item):
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
    columns = union_scalar_keys(items)
    has_nested = any(is_container(v) and v for item in items for v in item.values())
    if columns and not has_nested:
        table = _columns_table(
            name, columns, [[item.get(c, "") for c in columns] for item in items]
        )
        if _fits(drawing, table, depth):
            return [_indented(drawing, table, depth)]
    out: list[Any] = []
    for item in items:
        keys = sorted(k for k, v in item.items() if not is_container(v))
        if keys:
            block = _record_table(drawing, name, item, keys, depth)
            out.append(_indented(drawing, block, depth))
        elif name is not None:
            out.append(_indented(drawing, _caption(name), depth))
        out.extend(_nested_sections(drawing, item, depth))
    return out


def _nested_sections(drawing: _Drawing, value: dict[Any, Any], depth: int) -> list[Any]:
    out: list[Any] = []
    for key in sorted(k for k, v in value.items() if is_container(v) and v):
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
        table.add_column(Text(scalar_str(header)), overflow="fold")
    for row in rows:
        table.add_row(*(Text(scalar_str(cell)) for cell in row))
    return table


def _key_value_table(name: str | None, pairs: list[tuple[Any, Any]]) -> Table:
    from rich.text import Text

    table = _new_table(name, show_header=False)
    table.add_column(style="bold", overflow="fold")
    table.add_column(overflow="fold")
    for key, value in pairs:
        table.add_row(Text(scalar_str(key)), Text(scalar_str(value)))
    return table


def _grid_table(name: str | None, rows: list[list[Any]]) -> Table:
    from rich.text import Text

    table = _new_table(name, show_header=False)
    for _ in range(max(len(row) for row in rows)):
        table.add_column(overflow="fold")
    for row in rows:
        table.add_row(*(Text(scalar_str(cell)) for cell in row))
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
