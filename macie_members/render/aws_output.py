"""The AWS CLI's ``--output`` formats for a service response: which formatter draws it.

Sits above :mod:`~macie_members.render.aws_text` (json, text) and
:mod:`~macie_members.render.aws_table` (table), so that neither imports the other's caller.
"""

from __future__ import annotations

from typing import Any

from macie_members.environment import AWS_OUTPUTS
from macie_members.render.aws_text import format_json, format_text, strip_metadata

__all__ = ["render", "render_table"]


def render_table(data: Any, *, title: str, width: int = 80, color: bool = False) -> str:
    """``--output table``: the AWS CLI's table (see :mod:`macie_members.render.aws_table`)."""
    from macie_members.render.aws_table import render_table as draw

    return draw(data, title=title, width=width, color=color)


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
    if output in ("yaml", "yaml-stream"):  # yaml-stream differs only for pages (Renderer.yaml_page)
        from macie_members.render.aws_yaml import format_yaml

        return format_yaml(data)
    raise ValueError(f"Unknown output type: {output!r} (expected one of {', '.join(AWS_OUTPUTS)})")
