"""The sandbox's rules of Macie member management: statuses, input checks, limits, time.

The sandbox keeps its own copy of these domain rules on purpose: it stands in for the service,
so it must not share code (or bugs) with the client-side checks of :mod:`macie_members.inputs.checks`.

Sources: ``macie-semantics.md`` (§3 status x operation, §5 limits, §8 corrections), botocore's
macie2 model and the Macie user guide. Choices where no source says are marked "choice" here
and listed on the sandbox page (``docs/sandbox.md``).
"""

from __future__ import annotations

import base64
import binascii
import os
import random
import re
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

from macie_members.sandbox.exceptions import ValidationException

MAX_INVITATION_MEMBERS = 1000
MAX_ORGANIZATION_MEMBERS = 10000  # accounts added through AWS Organizations (UG-QUOTAS, UG-AO)
MAX_PAGE_SIZE = 25
MAX_MESSAGE_LENGTH = 80
MAX_TAGS = 50
MAX_TAG_KEY_LENGTH = 128
MAX_TAG_VALUE_LENGTH = 256
# RFC 5321: a local part of at most 64 octets, an address of at most 254 (choice: the sandbox
# applies these limits; Macie documents none).
MAX_EMAIL_LENGTH = 254
MAX_EMAIL_LOCAL_LENGTH = 64

# ASCII digits only: re's \d also matches other scripts' digits (e.g. ١٢٣٤٥٦٧٨٩٠١٢).
ACCOUNT_ID_RE = re.compile(r"[0-9]{12}")
# Deliberately simple: one "@", no spaces, a dot in the domain. AWS checks the address against
# the account's own email later (verification); this only rejects what cannot be an address.
EMAIL_RE = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")

STORED_STATUSES = frozenset({
    "Created", "EmailVerificationInProgress", "EmailVerificationFailed", "Invited", "Enabled", "Paused",
    "Removed", "Resigned",
})  # RegionDisabled and AccountSuspended are conditions of the AWS account, shown over these
CONDITION_STATUSES = frozenset({"RegionDisabled", "AccountSuspended"})
CURRENT_MEMBER_STATUSES = frozenset({"Enabled", "Paused"})
# Statuses from which CreateInvitations sends an invitation (UG-ADMIN; Resigned: semantics §3 "I").
INVITABLE_STATUSES = frozenset({"Created", "Removed", "Resigned"})
PENDING_STATUSES = frozenset({"EmailVerificationInProgress", "Invited"})
# Statuses DisassociateMember turns into Removed (a pending invitation is withdrawn).
DISASSOCIATABLE_STATUSES = CURRENT_MEMBER_STATUSES | PENDING_STATUSES | CONDITION_STATUSES
# UG-NOTES: accounts that haven't responded count toward the quota; removing members,
# resignations and declines (which delete the entry) reduce the count.
QUOTA_FREE_STATUSES = frozenset({"Removed", "Resigned"})
# The reserved top-level domain of RFC 2606 for names that can never be valid.
RESERVED_DOMAIN = "invalid"

DEFAULT_VERIFICATION_DELAY = 2.0
VERIFICATION_DELAY_ENV = "MACIE_MEMBERS_SANDBOX_VERIFICATION_DELAY"


@dataclass
class SandboxSettings:
    """Process-wide knobs of the sandbox (set by ``sandbox serve`` options or by tests)."""

    # Seconds email verification takes; None: $MACIE_MEMBERS_SANDBOX_VERIFICATION_DELAY, else 2.
    verification_delay: float | None = None
    # Added to the wall clock: tests move time forward instead of sleeping.
    clock_offset: float = 0.0
    # Fraction of the accounts of CreateInvitations, DeclineInvitations and DeleteInvitations left
    # unprocessed with errorCode InternalError (fault injection).
    account_fault_rate: float = 0.0
    random: random.Random = field(default_factory=random.Random)

    def reset(self) -> None:
        self.verification_delay = None
        self.clock_offset = 0.0
        self.account_fault_rate = 0.0
        self.random = random.Random()


SETTINGS = SandboxSettings()


def verification_delay() -> float:
    if SETTINGS.verification_delay is not None:
        return SETTINGS.verification_delay
    raw = os.environ.get(VERIFICATION_DELAY_ENV, "").strip()
    try:
        value = float(raw) if raw else DEFAULT_VERIFICATION_DELAY
    except ValueError:
        return DEFAULT_VERIFICATION_DELAY
    return value if value >= 0 else DEFAULT_VERIFICATION_DELAY


def account_fault() -> bool:
    """True when fault injection leaves this account of a batch unprocessed (InternalError)."""
    rate = SETTINGS.account_fault_rate
    return rate > 0 and SETTINGS.random.random() < rate


# ----------------------------------------------------------------------------- time


def now_seconds() -> float:
    return time.time() + SETTINGS.clock_offset


def utcnow() -> datetime:
    return datetime.fromtimestamp(now_seconds(), UTC)


def iso(ts: datetime | None) -> str | None:
    """A timestamp as Macie sends it: ISO 8601 in UTC with a ``Z`` (boto3 makes it aware)."""
    if ts is None:
        return None
    if ts.tzinfo is None:  # moto's own timestamps are naive UTC
        ts = ts.replace(tzinfo=UTC)
    return ts.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def parse_iso(value: str | None) -> datetime | None:
    if value is None:
        return None
    return datetime.strptime(value, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=UTC)


# ------------------------------------------------------------------------- Regions


@lru_cache(maxsize=1)
def offered_regions() -> frozenset[str]:
    """The Regions where Macie is offered: botocore's endpoint data for macie2 (choice), read
    through the run's session once :func:`.mock.share_botocore_data` has run."""
    from macie_members.sandbox.botocore_data import botocore_session

    return frozenset(botocore_session().get_available_regions("macie2"))


def is_offered(region: str) -> bool:
    return region in offered_regions()


# -------------------------------------------------------------------------- inputs


def is_account_id(value: Any) -> bool:
    return isinstance(value, str) and ACCOUNT_ID_RE.fullmatch(value) is not None


def check_account_id(value: Any, what: str = "account ID") -> str:
    if not is_account_id(value):
        raise ValidationException(
            f"The request failed because the {what} {value!r} isn't valid: an account ID is 12 digits (0-9)."
        )
    return str(value)


def check_email(email: Any) -> str:
    if not isinstance(email, str) or not EMAIL_RE.fullmatch(email):
        raise ValidationException(f"The request failed because the email address {email!r} isn't valid.")
    local = email.rsplit("@", 1)[0]
    if len(email) > MAX_EMAIL_LENGTH or len(local) > MAX_EMAIL_LOCAL_LENGTH:
        raise ValidationException(
            f"The request failed because the email address is too long ({len(email)} characters): at most "
            f"{MAX_EMAIL_LENGTH}, with at most {MAX_EMAIL_LOCAL_LENGTH} before the @."
        )
    return email


def check_tags(tags: Any) -> dict[str, str]:
    if tags is None:
        return {}
    if not isinstance(tags, dict):
        raise ValidationException("The request failed because tags must be a map of strings.")
    if len(tags) > MAX_TAGS:
        raise ValidationException(f"The request failed because it has {len(tags)} tags; the maximum is {MAX_TAGS}.")
    for key, value in tags.items():
        if not isinstance(key, str) or not 1 <= len(key) <= MAX_TAG_KEY_LENGTH:
            raise ValidationException(
                f"The request failed because a tag key is longer than {MAX_TAG_KEY_LENGTH} characters or empty."
            )
        if key.lower().startswith("aws:"):
            raise ValidationException(
                f"The request failed because the tag key {key!r} starts with 'aws:', which is reserved for AWS use."
            )
        if not isinstance(value, str) or len(value) > MAX_TAG_VALUE_LENGTH:
            raise ValidationException(
                f"The request failed because the value of tag {key!r} is longer than {MAX_TAG_VALUE_LENGTH} characters."
            )
    return dict(tags)


def page_size(max_results: Any) -> int:
    """``maxResults`` (a query string value) as a page size: 1-25, default 25."""
    if max_results is None:
        return MAX_PAGE_SIZE
    try:
        size = int(max_results)
    except (TypeError, ValueError):
        raise ValidationException("The request failed because maxResults must be an integer.") from None
    if not 1 <= size <= MAX_PAGE_SIZE:
        raise ValidationException(
            f"The request failed because maxResults must be between 1 and {MAX_PAGE_SIZE}; got {size}."
        )
    return size


def email_domain_is_reserved(email: str) -> bool:
    domain = email.rsplit("@", 1)[-1].lower().rstrip(".")
    return domain == RESERVED_DOMAIN or domain.endswith("." + RESERVED_DOMAIN)


def email_passes_verification(email: str, registered: str | None) -> bool:
    """The sandbox's verification rule (choice): an address in the reserved ``.invalid``
    domain fails, and so does any address other than the account's registered one, when the
    account has one (``sandbox condition --email``)."""
    if email_domain_is_reserved(email):
        return False
    return registered is None or email.lower() == registered.lower()


# --------------------------------------------------------------------- pagination


def encode_token(last: str, scope: str) -> str:
    raw = f"v1|{scope}|{last}".encode()
    return base64.urlsafe_b64encode(raw).decode("ascii")


def decode_token(token: str, scope: str) -> str:
    """The last key of the previous page; a token made for another listing is refused."""
    try:
        version, token_scope, last = base64.urlsafe_b64decode(token.encode("ascii")).decode().split("|")
    except (ValueError, binascii.Error, UnicodeError):
        raise ValidationException("The request failed because the nextToken isn't valid.") from None
    if version != "v1" or token_scope != scope or not is_account_id(last):
        raise ValidationException("The request failed because the nextToken isn't valid.")
    return last


def paginate(keys: list[str], max_results: Any, next_token: str | None, scope: str) -> tuple[list[str], str | None]:
    """One page of sorted ``keys`` (account ids) after ``next_token``, and the next token."""
    size = page_size(max_results)
    after = decode_token(next_token, scope) if next_token else ""
    rest = [k for k in sorted(keys) if k > after]
    page = rest[:size]
    return page, encode_token(page[-1], scope) if len(rest) > size else None
