"""Render parsed ``macie2`` responses the way ``aws macie2 <command>`` prints them.

Three output formats are supported, selected like the AWS CLI's ``--output``:

* ``json``  -- byte-for-byte what the AWS CLI prints (4-space indent, raw UTF-8,
  datetimes in ISO-8601, nothing at all for an empty response).
* ``text``  -- the AWS CLI's tab-separated format (the semantics of
  ``awscli/text.py``), reimplemented here.
* ``table`` -- the AWS CLI's ASCII table (:mod:`macie_members.render.aws_table`).

The run's :class:`~macie_members.render.renderer.Renderer` is what prints them.
"""

from __future__ import annotations

import base64
import datetime
import json
from collections.abc import Iterable, Mapping
from typing import Any

__all__ = [
    "format_json",
    "format_text",
    "is_container",
    "scalar_str",
    "strip_metadata",
    "union_scalar_keys",
]

_METADATA_KEY = "ResponseMetadata"


def strip_metadata(response: Mapping[str, Any]) -> dict[str, Any]:
    """Return a shallow copy of *response* without its ``ResponseMetadata``.

    The input mapping is not modified.
    """
    return {key: value for key, value in response.items() if key != _METADATA_KEY}


# ---------------------------------------------------------------------------
# Scalars
# ---------------------------------------------------------------------------


def json_default(obj: Any) -> Any:
    """``json.dumps`` fallback: datetimes as ISO-8601, blobs as base64 text."""
    if isinstance(obj, datetime.datetime | datetime.date):
        return obj.isoformat()
    if isinstance(obj, bytes | bytearray):
        return base64.b64encode(bytes(obj)).decode("ascii")
    raise TypeError(f"Object of type {type(obj).__name__} is not JSON serializable")


def scalar_str(value: Any) -> str:
    """The text the AWS CLI shows for a scalar (``None``, ``True`` and so on via ``str``)."""
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    if isinstance(value, bytes | bytearray):
        return base64.b64encode(bytes(value)).decode("ascii")
    return str(value)


def is_container(value: Any) -> bool:
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
    return json.dumps(data, indent=4, ensure_ascii=False, default=json_default) + "\n"


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
        lines.append(scalar_str(value))


def _text_list(items: list[Any], key: str | None, lines: list[str]) -> None:
    if not items:
        return
    if any(isinstance(item, dict) for item in items):
        columns = union_scalar_keys(item for item in items if isinstance(item, dict))
        for item in items:
            _text_value(item, key, columns, lines)
        return
    if any(isinstance(item, list) for item in items):
        scalars = [item for item in items if not is_container(item)]
        if scalars:
            _text_scalars(scalars, key, lines)
        for item in items:
            if is_container(item):
                _text_value(item, key, None, lines)
        return
    _text_scalars(items, key, lines)


def _text_scalars(items: list[Any], key: str | None, lines: list[str]) -> None:
    if key is None:
        lines.append("\t".join(scalar_str(item) for item in items))
    else:
        prefix = key.upper()
        lines.extend(f"{prefix}\t{scalar_str(item)}" for item in items)


def _text_dict(
    item: dict[Any, Any], key: str | None, columns: list[Any] | None, lines: list[str]
) -> None:
    if columns is None:
        ordered = sorted(item)
        fields = [scalar_str(item[k]) for k in ordered if not is_container(item[k])]
        nested = [k for k in ordered if is_container(item[k])]
    else:
        # Within a list every element prints the same columns; anything else
        # (necessarily a nested value) follows on its own lines.
        fields = [scalar_str(item.get(k, "")) for k in columns]
        known = set(columns)
        nested = sorted(k for k in item if k not in known)
    if fields:
        if key is not None:
            fields.insert(0, key.upper())
        lines.append("\t".join(fields))
    for name in nested:
        _text_value(item[name], name, None, lines)


def union_scalar_keys(dicts: Iterable[Mapping[Any, Any]]) -> list[Any]:
    keys: set[Any] = set()
    for item in dicts:
        keys.update(k for k, v in item.items() if not is_container(v))
    return sorted(keys)
