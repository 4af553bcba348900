"""The sandbox's model of Macie member management, as a moto backend.

One :class:`SandboxMacieBackend` exists per (AWS account, Region), exactly like moto's own
``MacieBackend``, which it extends. An administrator's backend holds its *inventory* (the
accounts it added with CreateMember, whatever their status); a member's backend holds the
invitations it received and its administrator. Cross-account operations (an administrator
inviting, a member accepting) reach the other account's backend of the same Region.

Behaviour follows ``macie-semantics.md`` (the status x operation table, §3). Where AWS does not
document a cell, the choice made here is written next to the code that makes it and in the
README's sandbox section. The most visible choices:

* **Email verification** is deterministic: an email whose domain is ``invalid`` or ends in
  ``.invalid`` (the top-level domain RFC 2606 reserves for invalid names) fails verification;
  every other syntactically valid email passes. Verification takes
  :data:`SETTINGS.verification_delay` seconds (default 0, so the next read shows the result).
* **Quota**: at most :data:`MAX_INVITATION_MEMBERS` (1,000) accounts in an administrator's
  inventory per Region, whatever their status; CreateMember beyond it is refused with
  ServiceQuotaExceededException.
* **Re-inviting** an account whose invitation is pending (EmailVerificationInProgress, Invited)
  succeeds without changing anything; an account that is already a member, or whose email failed
  verification, comes back in ``unprocessedAccounts``.
* **Macie is enabled** by default in every account and Region, as in moto; DisableMacie turns it
  off, and every member-management call then answers AccessDeniedException.
* **RegionDisabled / AccountSuspended** are overlays a test sets on the *member* account
  (:meth:`SandboxMacieBackend.set_account_condition`); the administrator then sees that status
  instead of the stored one, until the overlay is cleared.
"""

from __future__ import annotations

import base64
import binascii
import re
import threading
import time
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from moto.core.base_backend import BackendDict
from moto.macie2.models import MacieBackend

from .exceptions import (
    AccessDeniedException,
    ConflictException,
    ResourceNotFoundException,
    ServiceQuotaExceededException,
    ValidationException,
)

MAX_INVITATION_MEMBERS = 1000
MAX_PAGE_SIZE = 25
MAX_MESSAGE_LENGTH = 80
MAX_TAGS = 50
MAX_TAG_KEY_LENGTH = 128
MAX_TAG_VALUE_LENGTH = 256

ACCOUNT_ID_RE = re.compile(r"\d{12}")
# Deliberately simple: one "@", no spaces, a dot in the domain. AWS checks the address against
# the account's own email later (verification); this only rejects what cannot be an address.
EMAIL_RE = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")

ALL_STATUSES = frozenset({
    "Created", "EmailVerificationInProgress", "EmailVerificationFailed", "Invited", "Enabled", "Paused",
    "Removed", "Resigned",
})  # RegionDisabled and AccountSuspended are overlays, never stored
CURRENT_MEMBER_STATUSES = frozenset({"Enabled", "Paused"})
# Statuses from which CreateInvitations sends an invitation (UG-ADMIN; Resigned: semantics §3 "I").
INVITABLE_STATUSES = frozenset({"Created", "Removed", "Resigned"})
PENDING_STATUSES = frozenset({"EmailVerificationInProgress", "Invited"})

NOT_ENABLED_MESSAGE = "Macie is not enabled for this account in this Region."
STILL_ASSOCIATED_MESSAGE = (
    "The request is rejected because the current account cannot delete the given member "
    "account ID since it is still associated to it."
)
NO_PENDING_INVITATION_MESSAGE = (
    "The request failed because the account has no pending invitation from the given "
    "administrator account ID or is already an associated member of another administrator account."
)
RESOURCE_NOT_FOUND_MESSAGE = "The request failed because the resource doesn't exist."


@dataclass
class SandboxSettings:
    """Process-wide knobs of the sandbox (set by ``sandbox serve`` options or by tests)."""

    verification_delay: float = 0.0


SETTINGS = SandboxSettings()


def utcnow() -> datetime:
    return datetime.now(UTC)


def iso(ts: datetime | None) -> str | None:
    if ts is None:
        return None
    return ts.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def parse_iso(value: str | None) -> datetime | None:
    if value is None:
        return None
    return datetime.strptime(value, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=UTC)


def email_passes_verification(email: str) -> bool:
    """The sandbox's verification rule: the reserved ``.invalid`` top-level domain fails."""
    domain = email.rsplit("@", 1)[-1].lower().rstrip(".")
    return not (domain == "invalid" or domain.endswith(".invalid"))


@dataclass
class InventoryEntry:
    """One account in an administrator's inventory, in one Region."""

    account_id: str
    email: str
    tags: dict[str, str]
    status: str = "Created"
    invited_at: datetime | None = None
    updated_at: datetime = field(default_factory=utcnow)
    invitation_id: str | None = None
    message: str | None = None
    disable_email_notification: bool | None = None
    verification_due: float | None = None

    def to_state(self) -> dict[str, Any]:
        return {
            "accountId": self.account_id,
            "email": self.email,
            "tags": self.tags,
            "status": self.status,
            "invitedAt": iso(self.invited_at),
            "updatedAt": iso(self.updated_at),
            "invitationId": self.invitation_id,
            "message": self.message,
            "disableEmailNotification": self.disable_email_notification,
            "verificationDue": self.verification_due,
        }

    @classmethod
    def from_state(cls, data: dict[str, Any]) -> InventoryEntry:
        """Rebuild an entry, refusing (TypeError/ValueError) anything of the wrong type."""
        if not isinstance(data, dict):
            raise TypeError("an inventory entry is not an object")
        if not isinstance(data.get("accountId"), str) or not ACCOUNT_ID_RE.fullmatch(data["accountId"]):
            raise ValueError(f"bad accountId {data.get('accountId')!r}")
        if not isinstance(data.get("email"), str):
            raise TypeError("email is not a string")
        if data.get("status") not in ALL_STATUSES:
            raise ValueError(f"bad status {data.get('status')!r}")
        due = data.get("verificationDue")
        if due is not None and (isinstance(due, bool) or not isinstance(due, int | float)):
            raise TypeError(f"verificationDue is not a number: {due!r}")
        tags = data.get("tags") or {}
        if not isinstance(tags, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in tags.items()):
            raise TypeError("tags is not an object of strings")
        for key in ("invitationId", "message", "invitedAt", "updatedAt"):
            if data.get(key) is not None and not isinstance(data[key], str):
                raise TypeError(f"{key} is not a string")
        flag = data.get("disableEmailNotification")
        if flag is not None and not isinstance(flag, bool):
            raise TypeError("disableEmailNotification is not a boolean")
        return cls(
            account_id=str(data["accountId"]),
            email=str(data["email"]),
            tags={str(k): str(v) for k, v in dict(data.get("tags") or {}).items()},
            status=str(data["status"]),
            invited_at=parse_iso(data.get("invitedAt")),
            updated_at=parse_iso(data.get("updatedAt")) or utcnow(),
            invitation_id=data.get("invitationId"),
            message=data.get("message"),
            disable_email_notification=data.get("disableEmailNotification"),
            verification_due=data.get("verificationDue"),
        )


class SandboxMacieBackend(MacieBackend):
    """moto's macie2 backend, extended with Macie's member lifecycle."""

    # One lock for all backends: cross-account operations touch two backends at once, and the
    # sandbox server answers requests on many threads.
    lock = threading.RLock()

    def __init__(self, region_name: str, account_id: str) -> None:
        super().__init__(region_name, account_id)
        # Administrator side: the inventory, keyed by account id.
        self.inventory: dict[str, InventoryEntry] = {}
        # Member side: administrator account id -> invitation id, for invitations received.
        self.received_invitations: dict[str, str] = {}
        self.administrator_id: str | None = None
        # Overlays set by tests (see set_account_condition).
        self.region_disabled = False
        self.account_suspended = False

    # ------------------------------------------------------------------ helpers

    def _peer(self, account_id: str) -> SandboxMacieBackend:
        backend: SandboxMacieBackend = sandbox_backends[account_id][self.region_name]
        return backend

    def _require_macie(self) -> None:
        if self.macie_session is None:
            raise AccessDeniedException(NOT_ENABLED_MESSAGE)

    def _settle(self, entry: InventoryEntry) -> None:
        """Finish email verification once its time has come (lazily, on every read)."""
        if entry.status != "EmailVerificationInProgress" or entry.verification_due is None:
            return
        if time.time() < entry.verification_due:
            return
        entry.verification_due = None
        entry.updated_at = utcnow()
        if email_passes_verification(entry.email):
            entry.status = "Invited"
            entry.invitation_id = entry.invitation_id or uuid.uuid4().hex
            self._peer(entry.account_id).received_invitations[self.account_id] = entry.invitation_id
        else:
            entry.status = "EmailVerificationFailed"

    def displayed_status(self, entry: InventoryEntry) -> str:
        self._settle(entry)
        member = self._peer(entry.account_id)
        if member.account_suspended:
            return "AccountSuspended"
        if member.region_disabled:
            return "RegionDisabled"
        return entry.status

    def _entry(self, account_id: str) -> InventoryEntry:
        entry = self.inventory.get(account_id)
        if entry is None:
            raise ResourceNotFoundException(RESOURCE_NOT_FOUND_MESSAGE)
        self._settle(entry)
        return entry

    def member_json(self, entry: InventoryEntry) -> dict[str, Any]:
        status = self.displayed_status(entry)
        data: dict[str, Any] = {
            "accountId": entry.account_id,
            "administratorAccountId": self.account_id,
            "arn": f"arn:{self.partition}:macie2:{self.region_name}:{self.account_id}:member/{entry.account_id}",
            "email": entry.email,
            "invitedAt": iso(entry.invited_at),
            "masterAccountId": self.account_id,
            "relationshipStatus": status,
            "tags": entry.tags,
            "updatedAt": iso(entry.updated_at),
        }
        return {k: v for k, v in data.items() if v is not None}

    # ------------------------------------------------------- administrator side

    def create_member(self, account: dict[str, Any] | None, tags: dict[str, Any] | None) -> str:
        with self.lock:
            self._require_macie()
            if not isinstance(account, dict):
                raise ValidationException("The request failed because account is required.")
            account_id = account.get("accountId")
            email = account.get("email")
            if not isinstance(account_id, str) or not ACCOUNT_ID_RE.fullmatch(account_id):
                raise ValidationException(
                    f"The request failed because the account ID {account_id!r} isn't valid: "
                    "an account ID is 12 digits."
                )
            if not isinstance(email, str) or not EMAIL_RE.fullmatch(email):
                raise ValidationException(
                    f"The request failed because the email address {email!r} isn't valid."
                )
            tags = dict(tags or {})
            if len(tags) > MAX_TAGS:
                raise ValidationException(
                    f"The request failed because it has {len(tags)} tags; the maximum is {MAX_TAGS}."
                )
            for key, value in tags.items():
                if not isinstance(key, str) or not 1 <= len(key) <= MAX_TAG_KEY_LENGTH:
                    raise ValidationException(
                        f"The request failed because a tag key is longer than {MAX_TAG_KEY_LENGTH} characters or empty."
                    )
                if not isinstance(value, str) or len(value) > MAX_TAG_VALUE_LENGTH:
                    raise ValidationException(
                        f"The request failed because the value of tag {key!r} is longer than {MAX_TAG_VALUE_LENGTH} characters."
                    )
            if account_id == self.account_id:
                raise ValidationException(
                    "The request failed because you can't add your own account as a member account."
                )
            if account_id in self.inventory:
                raise ConflictException(
                    f"The request failed because account {account_id} is already in your inventory "
                    f"with status {self.displayed_status(self.inventory[account_id])}."
                )
            if len(self.inventory) >= MAX_INVITATION_MEMBERS:
                raise ServiceQuotaExceededException(
                    f"The request failed because your account already has {len(self.inventory)} "
                    f"accounts in its inventory in {self.region_name}, the quota for "
                    f"invitation-based member accounts ({MAX_INVITATION_MEMBERS})."
                )
            self.inventory[account_id] = InventoryEntry(account_id, email, tags)
            return f"arn:{self.partition}:macie2:{self.region_name}:{self.account_id}:member/{account_id}"

    def get_member(self, account_id: str) -> dict[str, Any]:
        with self.lock:
            self._require_macie()
            return self.member_json(self._entry(account_id))

    def list_members_page(
        self, only_associated: str | None, max_results: Any, next_token: str | None
    ) -> dict[str, Any]:
        with self.lock:
            self._require_macie()
            only = "true" if only_associated is None else only_associated
            if only not in ("true", "false"):
                raise ValidationException(
                    f"The request failed because onlyAssociated must be true or false, not {only!r}."
                )
            size = MAX_PAGE_SIZE
            if max_results is not None:
                try:
                    size = int(max_results)
                except (TypeError, ValueError):
                    raise ValidationException(
                        "The request failed because maxResults must be an integer."
                    ) from None
                if not 1 <= size <= MAX_PAGE_SIZE:
                    raise ValidationException(
                        f"The request failed because maxResults must be between 1 and {MAX_PAGE_SIZE}; got {size}."
                    )
            after = decode_token(next_token, only) if next_token else ""
            rows = []
            for account_id in sorted(self.inventory):
                if account_id <= after:
                    continue
                entry = self.inventory[account_id]
                self._settle(entry)
                if only == "true" and entry.status not in CURRENT_MEMBER_STATUSES:
                    continue
                rows.append(entry)
                if len(rows) > size:
                    break
            page, more = rows[:size], len(rows) > size
            result: dict[str, Any] = {"members": [self.member_json(e) for e in page]}
            if more:
                result["nextToken"] = encode_token(page[-1].account_id, only)
            return result

    def create_invitations_for(
        self, account_ids: Any, disable_email_notification: Any, message: Any
    ) -> list[dict[str, str]]:
        with self.lock:
            self._require_macie()
            if not isinstance(account_ids, list):
                raise ValidationException("The request failed because accountIds is required.")
            if message is not None and (
                not isinstance(message, str) or len(message) > MAX_MESSAGE_LENGTH
            ):
                raise ValidationException(
                    f"The request failed because the message is longer than {MAX_MESSAGE_LENGTH} characters."
                )
            unprocessed: list[dict[str, str]] = []
            now = utcnow()
            for account_id in dict.fromkeys(str(a) for a in account_ids):
                problem = self._invite_one(account_id, now, disable_email_notification, message)
                if problem:
                    unprocessed.append(
                        {"accountId": account_id, "errorCode": "ClientError", "errorMessage": problem}
                    )
            return unprocessed

    def _invite_one(
        self, account_id: str, now: datetime, disable_email: Any, message: Any
    ) -> str | None:
        entry = self.inventory.get(account_id)
        if entry is None:
            return (
                f"The account {account_id} isn't in your inventory. "
                "Add it with CreateMember before you invite it."
            )
        status = self.displayed_status(entry)
        if status in PENDING_STATUSES:
            return None  # An invitation is pending already: nothing to do (documented choice).
        if status in CURRENT_MEMBER_STATUSES:
            return f"The account {account_id} is already a member account ({status})."
        if status == "EmailVerificationFailed":
            return (
                f"The email address for account {account_id} failed verification. Delete the "
                "account, add it again with the account's correct email address, then invite it."
            )
        if status in ("RegionDisabled", "AccountSuspended"):
            return f"The account {account_id} can't be invited: {status}."
        if status not in INVITABLE_STATUSES:  # pragma: no cover - every status is handled above
            return f"The account {account_id} can't be invited from status {status}."
        entry.status = "EmailVerificationInProgress"
        entry.invited_at = now
        entry.updated_at = now
        entry.invitation_id = uuid.uuid4().hex
        entry.message = message
        entry.disable_email_notification = (
            bool(disable_email) if disable_email is not None else False
        )
        entry.verification_due = time.time() + SETTINGS.verification_delay
        self._settle(entry)
        return None

    def update_member_session(self, account_id: str, status: Any) -> None:
        with self.lock:
            self._require_macie()
            if status not in ("ENABLED", "PAUSED"):
                raise ValidationException(
                    f"The request failed because status must be ENABLED or PAUSED, not {status!r}."
                )
            entry = self._entry(account_id)
            current = self.displayed_status(entry)
            if current not in CURRENT_MEMBER_STATUSES:
                raise ValidationException(
                    f"The request failed because account {account_id} isn't an associated member "
                    f"account (its status is {current})."
                )
            if status == "PAUSED" and entry.status == "Enabled":
                entry.status = "Paused"
                entry.updated_at = utcnow()
                member = self._peer(account_id)
                if member.macie_session is not None:
                    member.macie_session["status"] = "PAUSED"
            elif status == "ENABLED" and entry.status == "Paused":
                # UG-ADMIN: in an invitation-based organization only the member account can
                # re-enable Macie for itself.
                raise ValidationException(
                    f"The request failed because Macie was suspended for account {account_id}, "
                    "which is an invitation-based member: only the member account can re-enable it."
                )
            # ENABLED on Enabled and PAUSED on Paused change nothing (documented choice).

    def disassociate_member(self, member_account_id: str) -> None:
        with self.lock:
            self._require_macie()
            entry = self.inventory.get(member_account_id)
            if entry is None:
                raise ValidationException(
                    f"The request failed because account {member_account_id} is not an associated "
                    f"member of account {self.account_id}."
                )
            self._settle(entry)
            if entry.status in CURRENT_MEMBER_STATUSES or entry.status in PENDING_STATUSES:
                # A pending invitation is withdrawn as well (TF's acceptance test: Invited -> Removed).
                entry.status = "Removed"
                entry.updated_at = utcnow()
                entry.verification_due = None
                member = self._peer(member_account_id)
                member.received_invitations.pop(self.account_id, None)
                if member.administrator_id == self.account_id:
                    member.administrator_id = None
                return
            raise ValidationException(
                f"The request failed because account {member_account_id} is not associated with "
                f"your account (its status is {entry.status})."
            )

    def delete_member(self, member_account_id: str) -> None:
        with self.lock:
            self._require_macie()
            entry = self._entry(member_account_id)
            if entry.status in CURRENT_MEMBER_STATUSES:
                raise ValidationException(STILL_ASSOCIATED_MESSAGE)
            del self.inventory[member_account_id]
            self._peer(member_account_id).received_invitations.pop(self.account_id, None)

    # ------------------------------------------------------------ member side

    def list_received_invitations(self) -> list[dict[str, Any]]:
        # Allowed without Macie: a member must be able to see its invitations before enabling
        # Macie to accept them (semantics §4).
        with self.lock:
            result = []
            for admin_id in sorted(self.received_invitations):
                entry = self._peer(admin_id).inventory.get(self.account_id)
                if entry is None or entry.status != "Invited":
                    continue
                result.append(
                    {
                        "accountId": admin_id,
                        "invitationId": self.received_invitations[admin_id],
                        "invitedAt": iso(entry.invited_at),
                        "relationshipStatus": "Invited",
                    }
                )
            return result

    def accept_invitation_from(self, administrator_id: Any, invitation_id: Any) -> None:
        with self.lock:
            self._require_macie()
            if not administrator_id or not invitation_id:
                raise ValidationException(NO_PENDING_INVITATION_MESSAGE)
            if self.received_invitations.get(str(administrator_id)) != invitation_id:
                raise ValidationException(NO_PENDING_INVITATION_MESSAGE)
            if self.administrator_id is not None and self.administrator_id != administrator_id:
                raise ValidationException(NO_PENDING_INVITATION_MESSAGE)
            if any(e.status in CURRENT_MEMBER_STATUSES for e in self.inventory.values()):
                raise ValidationException(
                    "The request failed because your account is the administrator of member "
                    "accounts; remove them before your account can become a member."
                )
            admin = self._peer(str(administrator_id))
            entry = admin.inventory.get(self.account_id)
            if entry is None or entry.status != "Invited":
                raise ValidationException(NO_PENDING_INVITATION_MESSAGE)
            entry.status = "Enabled"
            entry.updated_at = utcnow()
            self.administrator_id = str(administrator_id)
            del self.received_invitations[str(administrator_id)]

    def decline_invitations_from(self, account_ids: Any) -> list[dict[str, str]]:
        with self.lock:
            self._require_macie()
            unprocessed = []
            for admin_id in dict.fromkeys(str(a) for a in (account_ids or [])):
                if admin_id not in self.received_invitations:
                    unprocessed.append(
                        {
                            "accountId": admin_id,
                            "errorCode": "ClientError",
                            "errorMessage": "There is no pending invitation from this account.",
                        }
                    )
                    continue
                del self.received_invitations[admin_id]
                admin = self._peer(admin_id)
                entry = admin.inventory.get(self.account_id)
                if entry is not None and entry.status == "Invited":
                    # UG-ADMIN: a declined invitation removes the account from the inventory.
                    del admin.inventory[self.account_id]
            return unprocessed

    def disassociate_from_administrator(self) -> None:
        with self.lock:
            self._require_macie()
            if self.administrator_id is None:
                raise ResourceNotFoundException(
                    "The request failed because your account isn't associated with an administrator account."
                )
            entry = self._peer(self.administrator_id).inventory.get(self.account_id)
            if entry is not None and entry.status in CURRENT_MEMBER_STATUSES:
                entry.status = "Resigned"
                entry.updated_at = utcnow()
            self.administrator_id = None

    def administrator_json(self) -> dict[str, Any]:
        with self.lock:
            self._require_macie()
            if self.administrator_id is None:
                return {}
            entry = self._peer(self.administrator_id).inventory.get(self.account_id)
            if entry is None:
                return {}
            return {
                "accountId": self.administrator_id,
                "invitationId": entry.invitation_id,
                "invitedAt": iso(entry.invited_at),
                "relationshipStatus": self._peer(self.administrator_id).displayed_status(entry),
            }

    # ------------------------------------------------------------ the session

    def enable_macie(
        self, finding_publishing_frequency: str = "FIFTEEN_MINUTES", status: str = "ENABLED"
    ) -> None:
        with self.lock:
            if self.macie_session is not None:
                raise ConflictException("Macie is already enabled for this account in this Region.")
            super().enable_macie(finding_publishing_frequency, status)

    def disable_macie(self) -> None:
        with self.lock:
            self._require_macie()
            if any(
                self.displayed_status(e) in CURRENT_MEMBER_STATUSES for e in self.inventory.values()
            ):
                raise ConflictException(
                    "The request failed because member accounts are associated with your account. "
                    "Disassociate them first."
                )
            if self.administrator_id is not None:
                raise ConflictException(
                    "The request failed because your account is a member account. Disassociate "
                    "from your administrator account first."
                )
            self.macie_session = None

    def get_macie_session(self) -> dict[str, Any]:
        with self.lock:
            self._require_macie()
            result: dict[str, Any] = super().get_macie_session()
            return result

    def update_macie_session(self, status: Any) -> None:
        with self.lock:
            self._require_macie()
            if status is None:
                return
            if status not in ("ENABLED", "PAUSED"):
                raise ValidationException("The request failed because status must be ENABLED or PAUSED.")
            assert self.macie_session is not None
            self.macie_session["status"] = status
            self.macie_session["updatedAt"] = utcnow()
            if self.administrator_id is not None:
                entry = self._peer(self.administrator_id).inventory.get(self.account_id)
                if entry is not None and entry.status in CURRENT_MEMBER_STATUSES:
                    # The member's own user re-enables (or suspends) Macie (UG-ADMIN).
                    entry.status = "Enabled" if status == "ENABLED" else "Paused"
                    entry.updated_at = utcnow()

    # -------------------------------------------------------- sandbox controls

    def set_account_condition(
        self, *, region_disabled: bool | None = None, account_suspended: bool | None = None
    ) -> None:
        """Mark this (account, Region) as RegionDisabled or the account as suspended."""
        with self.lock:
            if region_disabled is not None:
                self.region_disabled = region_disabled
            if account_suspended is not None:
                self.account_suspended = account_suspended

    # ----------------------------------------------------------- persistence

    def to_state(self) -> dict[str, Any]:
        session = self.macie_session
        return {
            "macieSession": None
            if session is None
            else {
                "status": session["status"],
                "findingPublishingFrequency": session["findingPublishingFrequency"],
                "createdAt": iso(session["createdAt"]),
                "updatedAt": iso(session["updatedAt"]),
            },
            "inventory": [e.to_state() for e in self.inventory.values()],
            "receivedInvitations": self.received_invitations,
            "administratorId": self.administrator_id,
            "regionDisabled": self.region_disabled,
            "accountSuspended": self.account_suspended,
        }

    def load_state(self, data: dict[str, Any]) -> None:
        session = data.get("macieSession")
        if session is None:
            self.macie_session = None
        else:
            self.enable_macie_quietly(
                str(session["findingPublishingFrequency"]), str(session["status"])
            )
            assert self.macie_session is not None
            self.macie_session["createdAt"] = parse_iso(session["createdAt"])
            self.macie_session["updatedAt"] = parse_iso(session["updatedAt"])
        self.inventory = {
            e.account_id: e for e in (InventoryEntry.from_state(d) for d in data["inventory"])
        }
        self.received_invitations = {
            str(k): str(v) for k, v in dict(data.get("receivedInvitations") or {}).items()
        }
        admin = data.get("administratorId")
        self.administrator_id = None if admin is None else str(admin)
        self.region_disabled = bool(data.get("regionDisabled"))
        self.account_suspended = bool(data.get("accountSuspended"))

    def enable_macie_quietly(self, frequency: str, status: str) -> None:
        super().enable_macie(frequency, status)


def encode_token(last_account_id: str, only_associated: str) -> str:
    raw = f"v1|{only_associated}|{last_account_id}".encode()
    return base64.urlsafe_b64encode(raw).decode("ascii")


def decode_token(token: str, only_associated: str) -> str:
    try:
        version, only, last = base64.urlsafe_b64decode(token.encode("ascii")).decode().split("|")
    except (ValueError, binascii.Error, UnicodeError):
        raise ValidationException("The request failed because the nextToken isn't valid.") from None
    if version != "v1" or only != only_associated or not ACCOUNT_ID_RE.fullmatch(last):
        raise ValidationException("The request failed because the nextToken isn't valid.")
    return last


sandbox_backends: BackendDict[SandboxMacieBackend] = BackendDict(SandboxMacieBackend, "macie2")
