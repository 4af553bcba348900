"""The values of ``sts:AssumeRole`` a run is given or makes: the role session name (and its
default, naming the tool and the local user) and the external id, with STS's patterns (the
AssumeRole API reference), checked before the first request.

Standard library only.
"""

from __future__ import annotations

import re

from macie_members.domain import show

_SESSION_NAME_RE = re.compile(r"[\w+=,.@-]{2,64}")
_EXTERNAL_ID_RE = re.compile(r"[\w+=,.@:/-]{2,1224}")


def session_name_problem(name: str) -> str | None:
    """Why ``name`` can't be an AssumeRole RoleSessionName (``None``: it can)."""
    if _SESSION_NAME_RE.fullmatch(name) and name.isascii():
        return None
    return f"{show(name)} is not a role session name (2 to 64 of letters, digits and +=,.@_-)"


def external_id_problem(value: str) -> str | None:
    """Why ``value`` can't be an AssumeRole ExternalId (``None``: it can)."""
    if _EXTERNAL_ID_RE.fullmatch(value) and value.isascii():
        return None
    return f"{show(value)} is not an external id (2 to 1224 of letters, digits and +=,.@:/_-)"


def default_session_name(user: str) -> str:
    """``macie-members-<user>``: the tool and who ran it, as CloudTrail shows the session; the
    characters STS refuses become ``-``, and the name is cut at STS's 64."""
    cleaned = "".join(c if c.isascii() and (c.isalnum() or c in "+=,.@_-") else "-" for c in user).strip("-")
    return ("macie-members-" + cleaned if cleaned else "macie-members")[:64]
