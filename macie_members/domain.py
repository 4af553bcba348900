"""Macie's member domain, written once: statuses, the two kinds of member (invited, and added
through AWS Organizations), the quota, account ids, emails, Region names (the shape of
``--regions``; ``config`` checks them against botocore's Region catalog), tags, messages.

Every input path (command-line options, shorthand, JSON, ``file://``, ``--cli-input-json`` and
the console CSV) and every planner use these rules, so an account id or an email that one path
accepts is accepted by all of them. Each input path frames the problem its own way (the CSV
reader adds ``file:line`` and spreadsheet hints; options use botocore's "Parameter validation
failed" style), but the rule is the one here.

(The sandbox, :mod:`macie_members.sandbox`, keeps its own copy of the service's rules on
purpose: it plays the service, and must not change when the client's checks do.)

Standard library only (and the package's errors).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence, Set
from dataclasses import dataclass, field
from typing import Any

from macie_members.errors import InputError

# ------------------------------------------------------------------------------ statuses

RELATIONSHIP_STATUSES = (
    "Enabled", "Paused", "Invited", "Created", "Removed", "Resigned",
    "EmailVerificationInProgress", "EmailVerificationFailed", "RegionDisabled", "AccountSuspended",
)
"""The ``relationshipStatus`` values of botocore's macie2 model, in its order."""

CURRENT = frozenset({"Enabled", "Paused"})
"""Member accounts: they accepted the invitation."""

PENDING = frozenset({"EmailVerificationInProgress", "Invited"})
"""Invited accounts that have not answered yet."""

INVITABLE = frozenset({"Created", "Removed", "Resigned"})
"""Accounts in the inventory that an invitation (again) can make members."""

ASSOCIATED = CURRENT | PENDING
"""Accounts that DisassociateMember applies to."""

ATTENTION_REASONS: Mapping[str, str] = {
    "EmailVerificationFailed": "the email is not the account's: delete, add again with the right email, invite",
    "Resigned": "the member left the organization: invite it again or delete it",
    "Removed": "disassociated by the administrator: invite it again or delete it",
    "RegionDisabled": "the Region is disabled for the account",
    "AccountSuspended": "the AWS account is suspended",
}
"""Statuses that need a person, and what to do about each."""

# ------------------------------------------------------------------ two kinds of member

INVITATION = "invitation"
ORGANIZATION = "organization"
MEMBERSHIP_TYPES = (INVITATION, ORGANIZATION)
"""How an account came into the inventory: invited by email, or as an account of the
administrator's AWS organization (the administrator being its delegated Macie administrator).
One inventory may hold both (Macie user guide: "you can also use both methods")."""

ORGANIZATION_ASSOCIATED = CURRENT | {"Created"}
"""An Organizations member's statuses while it is associated: ``Created`` means enabling is in
process (user guide, "Reviewing Macie accounts for an organization"), then Enabled or Paused."""


def membership_type(member: Mapping[str, Any]) -> str:
    """``organization`` for a member without an email, else ``invitation``.

    The API reference (``Member.email``) says the email is null for an account associated
    through AWS Organizations; an invited account always has one (CreateMember requires it).
    No other field of ``Member`` tells the two apart."""
    return ORGANIZATION if not member.get("email") else INVITATION


def is_organization_member(member: Mapping[str, Any] | None) -> bool:
    return member is not None and membership_type(member) == ORGANIZATION


# ---------------------------------------------------------------------------- operations

MUTATING = frozenset({
    "CreateMember", "CreateInvitations", "UpdateMemberSession", "DisassociateMember", "DeleteMember",
    "AcceptInvitation", "DeclineInvitations", "DeleteInvitations", "DisassociateFromAdministratorAccount",
    "DisassociateFromMasterAccount", "EnableMacie",
})
"""The operations that change something (the others only read): what the ledger counts as a
change, what ``--report`` records, which commands take ``--dry-run``."""

# --------------------------------------------------------------------------------- quota

MEMBER_QUOTA = 1000
"""Invited accounts per administrator and Region (Macie quotas); Organizations members have a
quota of their own (10,000), which the tool does not check."""

QUOTA_FREE = frozenset({"Removed", "Resigned"})
"""Statuses that no longer hold a place in the quota: the Macie user guide says removing
members and resignations (and declines, which take the account out of the inventory) reduce
the count, and that accounts that have not answered count."""


def holds_quota_place(status: str | None) -> bool:
    return status is not None and status not in QUOTA_FREE


def quota_count(statuses: Iterable[str | None]) -> int:
    """How many of these inventory entries hold a place in the quota."""
    return sum(1 for status in statuses if holds_quota_place(status))


def invitation_quota_count(members: Iterable[Mapping[str, Any]]) -> int:
    """How many of these inventory entries hold a place in the invitation quota: Organizations
    members count toward their own quota (10,000 per Region, Macie quotas), not this one."""
    return quota_count(m.get("relationshipStatus") for m in members if not is_organization_member(m))


# ------------------------------------------------------------------------------ targets


@dataclass(frozen=True, slots=True)
class Target:
    """An account to act on: its id, and its email where the action needs one; where it was read
    from a file (``source``, ``line``: not part of its identity)."""

    account_id: str
    email: str | None = None
    source: str | None = field(default=None, compare=False)  # one string shared by a file's targets
    line: int | None = field(default=None, compare=False)
    role: str | None = field(default=None, compare=False)  # the file's Role column: a role name or ARN
    profile: str | None = field(default=None, compare=False)  # the file's Profile column: a CLI profile

    @property
    def origin(self) -> str | None:
        """``path:line`` of a target read from a file (made when asked: 7 MiB less per 100,000 rows)."""
        return None if self.source is None else f"{self.source}:{self.line}"


# --------------------------------------------------------------------------- account ids

ACCOUNT_ID_RE = re.compile(r"[0-9]{12}")  # [0-9], not \d: \d also matches non-ASCII digits
ACCOUNT_ID_RULE = "an account id is exactly 12 digits (0-9)"


def is_account_id(value: object) -> bool:
    return isinstance(value, str) and ACCOUNT_ID_RE.fullmatch(value) is not None


def account_id_problem(value: str) -> str | None:
    """Why ``value`` is not an account id (``None`` when it is one), as a phrase that follows
    the value ("has 11 digits; ..."), without spreadsheet hints."""
    if is_account_id(value):
        return None
    if not value:
        return "is empty; " + ACCOUNT_ID_RULE
    if value.isascii() and value.isdigit():
        return f"has {len(value)} digit{'s' if len(value) != 1 else ''}; {ACCOUNT_ID_RULE}"
    others = distinct(c for c in value if not "0" <= c <= "9")
    listed = ", ".join(describe_char(c) for c in others[:5]) + (", ..." if len(others) > 5 else "")
    return f"contains characters that are not digits 0-9: {listed}; {ACCOUNT_ID_RULE}"


def split_account_ids(values: Iterable[str]) -> list[str]:
    """Account ids given as option values: each value may hold several, separated by spaces or
    commas (as shorthand lists are). Separators around ids are dropped; a value with no id at
    all (``''``, ``','``) stays as an empty id, which the checks refuse (never sent as no id)."""
    ids = []
    for value in values:
        items = [item for item in re.split(r"[\s,]+", value) if item]
        ids += items or [""]
    return ids


# -------------------------------------------------------------------------------- emails

MAX_EMAIL = 254  # RFC 5321: a path is at most 256 octets, including the angle brackets
MAX_EMAIL_LOCAL = 64
_EMAIL_RE = re.compile(r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~.\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)+")
_EMAIL_FORBIDDEN = frozenset('<>()[]\\,;:"')
EMAIL_EXAMPLE = "janedoe@example.com"


def email_problem(email: str) -> str | None:
    """Why ``email`` is not an address like ``janedoe@example.com`` (``None`` when it is one), as
    a phrase that follows the value ("has no @; ..."). Letters beyond ASCII are allowed
    (internationalized addresses); spaces, invisible characters and ``<>()[]\\,;:"`` are not."""
    if _EMAIL_RE.fullmatch(email) is None:
        problem = _email_shape_problem(email)
        if problem is not None:
            return problem
    local = email.split("@", 1)[0]
    if len(email) > MAX_EMAIL:
        return f"is {len(email)} characters long; an email address has at most {MAX_EMAIL}"
    if len(local) > MAX_EMAIL_LOCAL:
        return f"has {len(local)} characters before the @; at most {MAX_EMAIL_LOCAL} are allowed"
    return None


def _email_shape_problem(email: str) -> str | None:
    spaces = [c for c in email if c.isspace()]
    if spaces:
        kind = "a space" if set(spaces) <= {" "} else "whitespace"
        return f"contains {kind}; an email address has no spaces"
    invisible = distinct(c for c in email if not c.isprintable())
    if invisible:
        return f"contains invisible characters: {', '.join(describe_char(c) for c in invisible[:5])}; remove them"
    ats = email.count("@")
    if ats == 0:
        return f"has no @; expected an address like {EMAIL_EXAMPLE}"
    if ats > 1:
        return f"has {ats} @ signs; give one address like {EMAIL_EXAMPLE} per account"
    forbidden = distinct(c for c in email if c in _EMAIL_FORBIDDEN)
    if forbidden:
        return f"contains {', '.join(describe_char(c) for c in forbidden)}, not allowed in an email address"
    local, domain = email.split("@")
    if not local:
        return "has nothing before the @"
    labels = domain.split(".")
    if len(labels) < 2 or not all(labels):
        return f"has an invalid domain {show(domain)}; expected an address like {EMAIL_EXAMPLE}"
    return None


# -------------------------------------------------------------------- tags and messages

MAX_TAGS = 50
MAX_TAG_KEY = 128
MAX_TAG_VALUE = 256
RESERVED_TAG_PREFIX = "aws:"
MAX_MESSAGE = 80


def tag_problems(tags: Mapping[Any, Any], name: str = "tags") -> list[str]:
    """Problems with member tags, in botocore's one-line-per-problem style."""
    problems: list[str] = []
    if len(tags) > MAX_TAGS:
        problems.append(f"Invalid length for parameter {name}, value: {len(tags)}, valid max length: {MAX_TAGS}")
    for key, value in tags.items():
        if not isinstance(key, str):
            continue
        if not key:
            problems.append(f"Invalid length for parameter {name} key, value: 0, valid min length: 1")
        elif len(key) > MAX_TAG_KEY:
            problems.append(
                f"Invalid length for parameter {name} key {key[:20]}..., value: {len(key)}, valid max length: {MAX_TAG_KEY}"
            )
        elif key.lower().startswith(RESERVED_TAG_PREFIX):
            problems.append(
                f"Invalid value for parameter {name} key, value: {key}, the prefix aws: is reserved for AWS use"
            )
        if isinstance(value, str) and len(value) > MAX_TAG_VALUE:
            problems.append(
                f"Invalid length for parameter {name}.{key}, value: {len(value)}, valid max length: {MAX_TAG_VALUE}"
            )
    return problems


def message_problem(message: str, name: str = "message") -> str | None:
    if len(message) > MAX_MESSAGE:
        return f"Invalid length for parameter {name}, value: {len(message)}, valid max length: {MAX_MESSAGE}"
    return None


# ------------------------------------------------------------------------------ Regions

REGION_RE = re.compile(r"[a-z]{2}(-[a-z]+)+-\d+")
"""The shape of a Region name (us-east-1, ap-southeast-3, us-gov-west-1)."""


def parse_regions(values: tuple[str, ...]) -> list[str]:
    """``--regions a,b --regions c``: comma lists, repeatable, duplicates dropped. A list with
    no Region in it (``--regions ,``) is refused, not taken as "the default Region"."""
    seen: dict[str, None] = {}
    for value in values:
        for region in value.split(","):
            region = region.strip()
            if not region:
                continue
            if not REGION_RE.fullmatch(region):
                raise InputError(f"Invalid value for --regions: {region!r} is not a Region name (like us-east-1).")
            seen[region] = None
    if values and not seen:
        raise InputError("Invalid value for --regions: no Region given (a comma list, like us-east-1,eu-west-1).")
    return list(seen)


@dataclass(frozen=True)
class RegionCatalog:
    """What botocore's endpoint data says about Regions (read by
    :func:`macie_members.aws.botocore_session.region_catalog`): where Macie is offered in every
    partition, every Region name any partition has, and the aws partition's Macie Regions
    (``--all-regions``; read only when asked for)."""

    offered: tuple[str, ...] = ()
    known: frozenset[str] = frozenset()
    available: tuple[str, ...] = ()


def region_problem(region: str, offered: Sequence[str], known: Set[str]) -> str | None:
    """Why Macie can't be asked in ``region`` (``None``: it can): a Region without Macie, or a
    name no partition has (then the closest Region, if one is close: a typo)."""
    if region in offered:
        return None
    if region in known:
        return f"Macie is not offered in {region} (botocore's endpoint data)"
    import difflib

    close = difflib.get_close_matches(region, offered, n=1, cutoff=0.8)
    return f"{region!r} is not a Region" + (f": did you mean {close[0]}?" if close else ".")


# --------------------------------------------------------------------------- IAM roles

_ROLE_RE = re.compile(r"[\w+=,.@-]{1,64}")


def role_name_problem(name: str) -> str | None:
    """Why ``name`` is not an IAM role name, optionally after a path (``path/to/Role``), as in
    ``arn:aws:iam::111111111111:role/<name>`` (``None`` when it is one)."""
    parts = name.split("/")
    if not name or not all(_ROLE_RE.fullmatch(part) for part in parts) or len(name) > 512:
        return (f"{show(name)} is not an IAM role name (1 to 64 of letters, digits and +=,.@_-, "
                "optionally after a path like team/)")
    return None


_ROLE_ARN_RE = re.compile(r"arn:(aws[a-z-]*):iam::(\d{12}):role/(.+)")


def role_arn_parts(arn: str) -> tuple[str, str, str] | None:
    """(partition, account, role name with its path) of an IAM role ARN (``None``: not one)."""
    match = _ROLE_ARN_RE.fullmatch(arn)
    if not match or role_name_problem(match.group(3)):
        return None
    return match.group(1), match.group(2), match.group(3)


def role_arn_for(account_id: str, partition: str, role: str) -> str:
    """The role ARN to assume in ``account_id``: ``role`` itself when it is an ARN (checked to
    name that account where it was read), else ``arn:<partition>:iam::<account>:role/<role>``."""
    return role if role.startswith("arn:") else f"arn:{partition}:iam::{account_id}:role/{role}"


# ----------------------------------------------------------------------------- text

def undecodable(value: str) -> bool:
    """Whether ``value`` holds bytes that were not UTF-8 (Python's surrogate escapes of argv)."""
    return any("\udc80" <= c <= "\udcff" for c in value)


MAX_SHOWN_CHARS = 200
"""The most characters of a user's value an error message echoes (a 10 MB value is not a message)."""


def clip_around(text: str, index: int, limit: int = MAX_SHOWN_CHARS) -> tuple[str, int]:
    """At most ``limit`` characters of ``text`` around ``index`` (what a caret points at), marked
    ``...`` where cut, and where ``index`` is in them."""
    if len(text) <= limit:
        return text, index
    start = max(0, min(index - limit // 2, len(text) - limit))
    head = "..." if start else ""
    tail = "..." if start + limit < len(text) else ""
    return f"{head}{text[start:start + limit]}{tail}", index - start + len(head)


def clip(value: str, limit: int = MAX_SHOWN_CHARS) -> str:
    """``value`` for an error message: whole, or its first ``limit`` characters and ``...``."""
    return clip_around(value, 0, limit)[0]


MAX_PROBLEMS_SHOWN = 20
"""The most problems an error message lists; a file with 50,000 bad rows is refused in 21 lines."""


def capped(problems: Sequence[str], limit: int = MAX_PROBLEMS_SHOWN) -> list[str]:
    """The first ``limit`` problems, then ``... and K more problems`` when there are more."""
    if len(problems) <= limit:
        return list(problems)
    more = len(problems) - limit
    return [*problems[:limit], f"... and {more:,} more problem{'s' if more > 1 else ''}"]


def show(value: str, limit: int = 40) -> str:
    """``value`` quoted for a one-line message, shortened if long."""
    if len(value) > limit:
        value = value[: limit - 3] + "..."
    return repr(value)


def distinct(chars: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(chars))


def describe_char(char: str) -> str:
    shown = repr(char)
    if char.isascii() and char.isprintable():
        return shown
    return f"{shown} ({unicodedata.name(char, f'U+{ord(char):04X}')})"
