"""One account in an administrator's inventory, in one Region, and its persisted form."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from macie_members.sandbox.rules import STORED_STATUSES, is_account_id, iso, parse_iso, utcnow


@dataclass
class InventoryEntry:
    """One account in an administrator's inventory, in one Region."""

    account_id: str
    email: str | None  # None: an Organizations member (API-MEMBERS: ``email`` is null)
    tags: dict[str, str]
    status: str = "Created"
    invited_at: datetime | None = None
    updated_at: datetime = field(default_factory=utcnow)
    invitation_id: str | None = None
    message: str | None = None
    disable_email_notification: bool | None = None
    verification_due: float | None = None  # when email verification (or, for an Organizations
    # member, enabling: Created "enabling in process", UG-AO-REVIEW) completes
    organization: bool = False  # added through AWS Organizations, not invited

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
            "organization": self.organization,
        }

    @classmethod
    def from_state(cls, data: dict[str, Any]) -> InventoryEntry:
        """Rebuild an entry, refusing (TypeError/ValueError) anything of the wrong type."""
        if not isinstance(data, dict):
            raise TypeError("an inventory entry is not an object")
        if not is_account_id(data.get("accountId")):
            raise ValueError(f"bad accountId {data.get('accountId')!r}")
        organization = data.get("organization", False)
        if not isinstance(organization, bool):
            raise TypeError("organization is not a boolean")
        if not (isinstance(data.get("email"), str) or (organization and data.get("email") is None)):
            raise TypeError("email is not a string (only an Organizations member has none)")
        if data.get("status") not in STORED_STATUSES:
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
            email=None if data.get("email") is None else str(data["email"]),
            tags=dict(tags),
            status=str(data["status"]),
            invited_at=parse_iso(data.get("invitedAt")),
            updated_at=parse_iso(data.get("updatedAt")) or utcnow(),
            invitation_id=data.get("invitationId"),
            message=data.get("message"),
            disable_email_notification=flag,
            verification_due=due,
            organization=organization,
        )
