"""The sandbox's model of Macie member management, as a moto backend.

One :class:`SandboxMacieBackend` exists per (AWS account, Region), exactly like moto's own
``MacieBackend``, which it extends. An administrator's backend holds its *inventory* (the
accounts it added with CreateMember, whatever their status); a member's backend holds the
invitations it received and its administrator (:mod:`.invitations`). Cross-account operations
(an administrator inviting, a member accepting) reach the other account's backend of the same
Region. Facts about a whole AWS account (its email address, whether AWS suspended it) live in
that account's us-east-1 backend, the Region where Macie verifies email addresses (UG-NOTES).

Behaviour follows ``macie-semantics.md`` (§3 status x operation, §8 corrections); the rules
themselves are in :mod:`.rules`. Where AWS documents nothing, the choice is written next to the
code that makes it and on the sandbox page (``docs/sandbox.md``). The most visible ones:

* **Email verification** is asynchronous: EmailVerificationInProgress for
  :func:`.rules.verification_delay` seconds (2 by default), then Invited or
  EmailVerificationFailed by :func:`.rules.email_passes_verification`.
* **Quota**: at most 1,000 inventory entries per administrator and Region, not counting those
  shown as Removed or Resigned (UG-NOTES).
* **RegionDisabled / AccountSuspended** are conditions of the *member's* AWS account
  (:meth:`SandboxMacieBackend.set_account_condition`). While one holds, it *is* the account's
  status: every operation decides on it, and the account's own macie2 calls are refused
  (AccessDeniedException).
* **Macie is enabled** by default in every account and Region, as in moto. DisableMacie deletes
  the account's inventory and its received invitations except pending ones; with Macie
  disabled, member-management calls answer AccessDeniedException.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterator
from typing import Any, cast

from moto.core.base_backend import BackendDict
from moto.macie2.models import MacieBackend

from macie_members.sandbox.exceptions import (
    AccessDeniedException,
    ConflictException,
    ResourceNotFoundException,
    ServiceQuotaExceededException,
    UnrecognizedClientException,
    ValidationException,
)
from macie_members.sandbox.inventory import InventoryEntry
from macie_members.sandbox.invitations import Invitation, MemberSide, process_batch
from macie_members.sandbox.organizations import ORGANIZATION_ASSOCIATED, OrganizationSide
from macie_members.sandbox.rules import (
    CURRENT_MEMBER_STATUSES,
    DISASSOCIATABLE_STATUSES,
    INVITABLE_STATUSES,
    MAX_INVITATION_MEMBERS,
    MAX_MESSAGE_LENGTH,
    PENDING_STATUSES,
    QUOTA_FREE_STATUSES,
    check_account_id,
    check_email,
    check_tags,
    email_passes_verification,
    is_account_id,
    iso,
    now_seconds,
    paginate,
    parse_iso,
    utcnow,
    verification_delay,
)
from macie_members.sandbox.tags import TagSide

HOME_REGION = "us-east-1"
FREQUENCIES = ("FIFTEEN_MINUTES", "ONE_HOUR", "SIX_HOURS")  # the model's FindingPublishingFrequency
MACIE_STATUSES = ("ENABLED", "PAUSED")  # the model's MacieStatus
# The text real Macie answers (prowler-cloud/prowler#1279; mondoohq/mql#5988, there with HTTP 401:
# the model says 403, which the sandbox keeps).
NOT_ENABLED_MESSAGE = "Macie is not enabled."
STILL_ASSOCIATED_MESSAGE = (
    "The request is rejected because the current account cannot delete the given member "
    "account ID since it is still associated to it."
)
RESOURCE_NOT_FOUND_MESSAGE = "The request failed because the resource doesn't exist."
CONDITION_MESSAGES = {
    "AccountSuspended": "The request was denied because the AWS account {account} is suspended.",
}
# A call in a Region the account has not enabled (an opt-in Region) fails before it reaches the
# service, with this error (awslabs/aws-securityhub-multiaccount-scripts#42, #46; aws/aws-cli#8413).
REGION_DISABLED_ERROR = ("UnrecognizedClientException", "The security token included in the request is invalid.")
ASSOCIATIONS_LEFT_MESSAGE = (
    "The request failed because your account still has associations with other accounts "
    "({count}). Delete them (DeleteMember) before you disable Macie."
)
MEMBERS_ASSOCIATED_MESSAGE = (
    "The request failed because member accounts are associated with your account. Disassociate them first."
)


# Accounts that have (or had) a condition: RegionDisabled somewhere, or suspended. Only these
# need their backends looked up to know their status; the set only grows (a stale entry costs a
# lookup, never a wrong answer).
CONDITIONED: set[str] = set()


class SandboxMacieBackend(MemberSide, OrganizationSide, TagSide, MacieBackend):
    """moto's macie2 backend, extended with Macie's member lifecycle."""

    # One lock for all backends: cross-account operations touch two backends at once, and the
    # sandbox server answers requests on many threads. Held by every request (responses.py).
    lock = threading.RLock()

    def __init__(self, region_name: str, account_id: str) -> None:
        super().__init__(region_name, account_id)
        self.macie_session = self._new_session("FIFTEEN_MINUTES", "ENABLED")
        # Administrator side: the inventory, keyed by account id.
        self.inventory: dict[str, InventoryEntry] = {}
        # Member side: administrator account id -> the invitation received from it.
        self.received: dict[str, Invitation] = {}
        self.administrator_id: str | None = None
        # Conditions of the AWS account: this Region disabled; the whole account suspended and
        # its email address (on the us-east-1 backend only, see home()).
        self.region_disabled = False
        self.account_suspended = False
        self.registered_email: str | None = None
        self.organization_admin: str | None = None  # (us-east-1) its organization's Macie administrator

    # ------------------------------------------------------------------ helpers

    def _peer(self, account_id: str) -> SandboxMacieBackend:
        backend: SandboxMacieBackend = sandbox_backends[account_id][self.region_name]
        return backend

    def backends_of(self, account_id: str) -> list[SandboxMacieBackend]:
        """Every backend of an account created so far (one per Region it has used)."""
        return [backend for account, _, backend in all_backends() if account == account_id]

    def home(self, account_id: str | None = None) -> SandboxMacieBackend:
        """The backend that holds an account's account-wide facts."""
        backend: SandboxMacieBackend = sandbox_backends[account_id or self.account_id][HOME_REGION]
        return backend

    def _require_macie(self) -> None:
        if self.macie_session is None:
            raise AccessDeniedException(NOT_ENABLED_MESSAGE)

    def condition_of(self, account_id: str) -> str | None:
        if account_id not in CONDITIONED:
            return None  # the common case, without looking up (and creating) the account's backends
        if self.home(account_id).account_suspended:
            return "AccountSuspended"
        if self._peer(account_id).region_disabled:
            return "RegionDisabled"
        return None

    def check_caller(self) -> None:
        """A suspended account, or an account in a Region disabled for it, can't call Macie
        (AWS refuses such calls before they reach Macie: in a Region the account has not enabled with
        UnrecognizedClientException, see REGION_DISABLED_ERROR; for a suspended account the sandbox
        chooses AccessDeniedException)."""
        condition = self.condition_of(self.account_id)
        if condition == "RegionDisabled":
            raise UnrecognizedClientException(REGION_DISABLED_ERROR[1])
        if condition:
            raise AccessDeniedException(
                CONDITION_MESSAGES[condition].format(account=self.account_id, region=self.region_name)
            )

    def _settle(self, entry: InventoryEntry) -> None:
        """Finish email verification (or an Organizations member's enabling) once its time has
        come (lazily, on every read)."""
        if entry.organization:
            self.finish_enabling(entry)
            return
        if entry.status != "EmailVerificationInProgress" or entry.verification_due is None:
            return
        if now_seconds() < entry.verification_due:
            return
        entry.verification_due = None
        entry.updated_at = utcnow()
        if entry.email is not None and email_passes_verification(entry.email, self.home(entry.account_id).registered_email):
            entry.status = "Invited"
            assert entry.invitation_id is not None
            invitation = Invitation(self.account_id, entry.invitation_id, entry.invited_at)
            self._peer(entry.account_id).received[self.account_id] = invitation
        else:
            entry.status = "EmailVerificationFailed"

    def settle_invitations_to_me(self) -> None:
        """Finish the verifications of invitations sent to this account, in this Region."""
        for _, region, backend in all_backends():
            if region == self.region_name and self.account_id in backend.inventory:
                backend._settle(backend.inventory[self.account_id])

    def displayed_status(self, entry: InventoryEntry) -> str:
        """The account's status: its condition when one holds, else the stored status."""
        self._settle(entry)
        return self.condition_of(entry.account_id) or entry.status

    def _entry(self, account_id: str) -> InventoryEntry:
        entry = self.inventory.get(check_account_id(account_id, "id"))
        if entry is None:
            raise ResourceNotFoundException(RESOURCE_NOT_FOUND_MESSAGE)
        self._settle(entry)
        return entry

    def counted_entries(self) -> int:
        """Entries that count toward the invitation quota (Organizations members have their own).

        The stored status is enough: a condition or a finished verification never turns an
        entry into one that frees its place (Removed, Resigned), nor the other way round."""
        return sum(1 for e in self.inventory.values() if not e.organization and e.status not in QUOTA_FREE_STATUSES)

    def is_administrator_of_members(self) -> bool:
        return any(self.displayed_status(e) in CURRENT_MEMBER_STATUSES for e in self.inventory.values())

    def member_arn(self, account_id: str) -> str:
        return f"arn:{self.partition}:macie2:{self.region_name}:{self.account_id}:member/{account_id}"

    def member_json(self, entry: InventoryEntry) -> dict[str, Any]:
        data: dict[str, Any] = {
            "accountId": entry.account_id,
            "administratorAccountId": self.account_id,
            "arn": self.member_arn(entry.account_id),
            "email": entry.email,
            "invitedAt": iso(entry.invited_at),
            "masterAccountId": self.account_id,
            "relationshipStatus": self.displayed_status(entry),
            "tags": entry.tags,
            "updatedAt": iso(entry.updated_at),
        }
        return {k: v for k, v in data.items() if v is not None}

    def _release_member(self, account_id: str) -> None:
        member = self._peer(account_id)
        if member.administrator_id == self.account_id:
            member.administrator_id = None

    # ------------------------------------------------------- administrator side

    def create_member(self, account: dict[str, Any] | None, tags: dict[str, Any] | None) -> str:
        self._require_macie()
        if not isinstance(account, dict):
            raise ValidationException("The request failed because account is required.")
        account_id = check_account_id(account.get("accountId"))
        organization = self.in_my_organization(account_id)
        email = None if organization else check_email(account.get("email"))
        checked_tags = check_tags(tags)
        if account_id == self.account_id:
            raise ValidationException("The request failed because you can't add your own account as a member account.")
        self.refuse_if_member()
        if organization:
            return self.add_organization_member(account_id, checked_tags)
        if account_id in self.inventory:
            raise ConflictException(
                f"The request failed because account {account_id} is already in your inventory "
                f"with status {self.displayed_status(self.inventory[account_id])}."
            )
        counted = self.counted_entries()
        if counted >= MAX_INVITATION_MEMBERS:
            raise ServiceQuotaExceededException(
                f"The request failed because your account already has {counted} accounts that count toward "
                f"the quota for invitation-based member accounts in {self.region_name} ({MAX_INVITATION_MEMBERS})."
            )
        self.inventory[account_id] = InventoryEntry(account_id, email, checked_tags)
        return self.member_arn(account_id)

    def refuse_if_member(self) -> None:
        """An account can't be a member and an administrator at the same time (UG-NOTES); the
        error type and text are the sandbox's choice (AWS documents neither)."""
        if self.administrator_id is not None:
            raise ValidationException(
                f"The request failed because your account is a member account of administrator account "
                f"{self.administrator_id}: an account can't be a member and an administrator at the same time."
            )

    def get_member(self, account_id: str) -> dict[str, Any]:
        self._require_macie()
        return self.member_json(self._entry(account_id))

    def list_members_page(self, only_associated: str | None, max_results: Any, next_token: str | None) -> dict[str, Any]:
        self._require_macie()
        only = "true" if only_associated is None else only_associated
        if only not in ("true", "false"):
            raise ValidationException(f"The request failed because onlyAssociated must be true or false, not {only!r}.")
        keys = [
            account_id for account_id, entry in self.inventory.items()
            if only == "false" or self.displayed_status(entry) in CURRENT_MEMBER_STATUSES
        ]
        page, token = paginate(keys, max_results, next_token, f"members:{only}")
        result: dict[str, Any] = {"members": [self.member_json(self.inventory[a]) for a in page]}
        if token:
            result["nextToken"] = token
        return result

    def create_invitations_for(self, account_ids: Any, disable_email_notification: Any, message: Any) -> list[dict[str, str]]:
        self._require_macie()
        if message is not None and (not isinstance(message, str) or len(message) > MAX_MESSAGE_LENGTH):
            raise ValidationException(f"The request failed because the message is longer than {MAX_MESSAGE_LENGTH} characters.")
        self.refuse_if_member()
        return process_batch(account_ids, lambda a: self._invite_one(a, disable_email_notification, message))

    def _invite_one(self, account_id: str, disable_email: Any, message: Any) -> str | None:
        entry = self.inventory.get(account_id)
        if entry is None:
            return f"The account {account_id} isn't in your inventory. Add it with CreateMember before you invite it."
        if entry.organization:
            return (f"The account {account_id} is part of your organization in AWS Organizations: "
                    "it is added with CreateMember and needs no invitation.")
        status = self.displayed_status(entry)
        if status in PENDING_STATUSES:
            return None  # An invitation is pending already: nothing to do (choice).
        if status in CURRENT_MEMBER_STATUSES:
            return f"The account {account_id} is already a member account ({status})."
        if status == "EmailVerificationFailed":
            return (
                f"The email address for account {account_id} failed verification. Delete the account, add it "
                "again with the account's correct email address, then invite it."
            )
        if status not in INVITABLE_STATUSES:  # RegionDisabled, AccountSuspended
            return f"The account {account_id} can't be invited: {status}."
        if status in QUOTA_FREE_STATUSES and self.counted_entries() >= MAX_INVITATION_MEMBERS:
            return (
                f"Inviting account {account_id} again would exceed the quota for invitation-based member "
                f"accounts in {self.region_name} ({MAX_INVITATION_MEMBERS})."
            )
        now = utcnow()
        entry.status = "EmailVerificationInProgress"
        entry.invited_at = now
        entry.updated_at = now
        entry.invitation_id = uuid.uuid4().hex
        entry.message = message
        entry.disable_email_notification = bool(disable_email) if disable_email is not None else False
        entry.verification_due = now_seconds() + verification_delay()
        self._settle(entry)
        return None

    def update_member_session(self, account_id: str, status: Any) -> None:
        self._require_macie()
        if status not in ("ENABLED", "PAUSED"):
            raise ValidationException(f"The request failed because status must be ENABLED or PAUSED, not {status!r}.")
        entry = self._entry(account_id)
        current = self.displayed_status(entry)
        if current not in CURRENT_MEMBER_STATUSES:
            raise ValidationException(
                f"The request failed because account {account_id} isn't an associated member "
                f"account (its status is {current})."
            )
        if status == "PAUSED" and current == "Enabled":
            entry.status = "Paused"
            entry.updated_at = utcnow()
            member = self._peer(account_id)
            if member.macie_session is not None:
                member.macie_session["status"] = "PAUSED"
        elif status == "ENABLED" and current == "Paused" and entry.organization:
            # UG-AO-ADMIN: the administrator re-enables an Organizations member.
            entry.status = "Enabled"
            entry.updated_at = utcnow()
            member = self._peer(account_id)
            if member.macie_session is not None:
                member.macie_session["status"] = "ENABLED"
        elif status == "ENABLED" and current == "Paused":
            # UG-ADMIN: in an invitation-based organization only the member account can
            # re-enable Macie for itself.
            raise ValidationException(
                f"The request failed because Macie was suspended for account {account_id}, "
                "which is an invitation-based member: only the member account can re-enable it."
            )
        # ENABLED on Enabled and PAUSED on Paused change nothing (choice).

    def disassociate_member(self, member_account_id: str) -> None:
        self._require_macie()
        entry = self.inventory.get(check_account_id(member_account_id, "id"))
        if entry is None:
            raise ValidationException(
                f"The request failed because account {member_account_id} is not an associated "
                f"member of account {self.account_id}."
            )
        status = self.displayed_status(entry)
        enabling = entry.organization and status == "Created"  # an Organizations member being enabled
        if status not in DISASSOCIATABLE_STATUSES and not enabling:
            raise ValidationException(
                f"The request failed because account {member_account_id} is not associated with "
                f"your account (its status is {status})."
            )
        # A pending invitation is withdrawn as well (TF's acceptance test: Invited -> Removed).
        entry.status = "Removed"
        entry.updated_at = utcnow()
        entry.verification_due = None
        self._release_member(member_account_id)

    def delete_member(self, member_account_id: str) -> None:
        self._require_macie()
        entry = self._entry(member_account_id)
        # An Organizations member is associated until it is Removed, whatever condition shows.
        associated = entry.status in ORGANIZATION_ASSOCIATED if entry.organization else \
            self.displayed_status(entry) in CURRENT_MEMBER_STATUSES
        if associated:
            raise ValidationException(STILL_ASSOCIATED_MESSAGE)
        del self.inventory[member_account_id]
        self._release_member(member_account_id)

    # ------------------------------------------------------------ the session

    def _new_session(self, frequency: str, status: str) -> dict[str, Any]:
        now = utcnow()
        return {
            "createdAt": now,
            "findingPublishingFrequency": frequency,
            "serviceRole": f"arn:{self.partition}:iam::{self.account_id}:role/aws-service-role/"
                           "macie.amazonaws.com/AWSServiceRoleForAmazonMacie",
            "status": status,
            "updatedAt": now,
        }

    def enable_macie(self, finding_publishing_frequency: Any = "FIFTEEN_MINUTES", status: Any = "ENABLED") -> None:
        check_enum("findingPublishingFrequency", finding_publishing_frequency, FREQUENCIES)
        check_enum("status", status, MACIE_STATUSES)
        if self.macie_session is not None:
            raise ConflictException("Macie is already enabled for this account in this Region.")
        self.macie_session = self._new_session(finding_publishing_frequency, status)

    def disable_macie(self) -> None:
        """DisableMacie deletes the account's Macie settings and resources (the model's doc
        string): the invitations it received, except pending ones, which the administrator's
        invitation keeps alive (Macie invites accounts without Macie, UG-NOTES). Refused while
        the account has members or any other entry in its inventory (API-ACCT); the error type
        is the sandbox's choice (ConflictException, as for members)."""
        self._require_macie()
        if self.is_administrator_of_members():
            raise ConflictException(MEMBERS_ASSOCIATED_MESSAGE)
        if self.administrator_id is not None:
            raise ConflictException("Cannot disable Macie while associated with an administrator account")
        if self.inventory:
            # API-ACCT: remove every member *and delete every association* first.
            raise ConflictException(ASSOCIATIONS_LEFT_MESSAGE.format(count=len(self.inventory)))
        self.received = {
            admin: invitation for admin, invitation in self.received.items()
            if self.invitation_status(invitation) == "Invited"
        }
        self.macie_session = None

    def get_macie_session(self) -> dict[str, Any]:
        self._require_macie()
        assert self.macie_session is not None
        session = dict(self.macie_session)
        session["createdAt"] = iso(session["createdAt"])
        session["updatedAt"] = iso(session["updatedAt"])
        return session

    def update_macie_session(self, status: Any, frequency: Any = None) -> None:
        self._require_macie()
        assert self.macie_session is not None
        if frequency is not None:
            check_enum("findingPublishingFrequency", frequency, FREQUENCIES)
        if status is not None:
            check_enum("status", status, MACIE_STATUSES)
        if status == "PAUSED" and self.is_administrator_of_members():
            # API-ACCT: an administrator removes all its members before it suspends Macie.
            raise ConflictException(MEMBERS_ASSOCIATED_MESSAGE)
        if frequency is not None:
            self.macie_session["findingPublishingFrequency"] = frequency
            self.macie_session["updatedAt"] = utcnow()
        if status is None:
            return
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
        self,
        *,
        region_disabled: bool | None = None,
        account_suspended: bool | None = None,
        email: str | None = None,
        organization: str | None = None,
    ) -> None:
        """Disable this Region for this account, suspend the whole account, register the
        account's email address (the one verification accepts), or make it part of the AWS
        organization whose Macie administrator is ``organization`` (an account id; ``""``:
        of none; see :mod:`.organizations`). Suspending an administrator's account removes all
        its members, in every Region (UG-NOTES)."""
        if organization is not None:
            self.set_organization(organization or None)
        if email is not None:
            self.home().registered_email = check_email(email) if email else None
        if region_disabled is not None:
            self.region_disabled = region_disabled
        if account_suspended is not None:
            self.home().account_suspended = account_suspended
        if region_disabled or account_suspended:
            CONDITIONED.add(self.account_id)
        if account_suspended:
            for account_id, _, backend in all_backends():
                if account_id != self.account_id:
                    continue
                for member_id, entry in backend.inventory.items():
                    if entry.status in CURRENT_MEMBER_STATUSES:
                        entry.status = "Removed"
                        entry.updated_at = utcnow()
                        backend._release_member(member_id)

    # ----------------------------------------------------------- persistence

    def to_state(self) -> dict[str, Any]:
        session = self.macie_session
        return {
            "macieSession": None if session is None else {
                "status": session["status"],
                "findingPublishingFrequency": session["findingPublishingFrequency"],
                "createdAt": iso(session["createdAt"]),
                "updatedAt": iso(session["updatedAt"]),
            },
            "inventory": [e.to_state() for e in self.inventory.values()],
            **self.member_side_state(),
            "regionDisabled": self.region_disabled,
            "accountSuspended": self.account_suspended,
            "registeredEmail": self.registered_email,
            "organizationAdministrator": self.organization_admin,
        }

    def load_state(self, data: dict[str, Any]) -> None:
        session = data.get("macieSession")
        if session is None:
            self.macie_session = None
        else:
            self.macie_session = self._new_session(str(session["findingPublishingFrequency"]), str(session["status"]))
            self.macie_session["createdAt"] = parse_iso(session["createdAt"])
            self.macie_session["updatedAt"] = parse_iso(session["updatedAt"])
        self.inventory = {e.account_id: e for e in (InventoryEntry.from_state(d) for d in data["inventory"])}
        self.load_member_side_state(data)
        self.region_disabled = bool(data.get("regionDisabled"))
        if self.region_disabled:
            CONDITIONED.add(self.account_id)
        if data.get("accountSuspended"):  # written per Region by older versions
            self.home().account_suspended = True
            CONDITIONED.add(self.account_id)
        email = data.get("registeredEmail")
        if email is not None and not isinstance(email, str):
            raise TypeError("registeredEmail is not a string")
        self.registered_email = email
        organization_admin = data.get("organizationAdministrator")
        if organization_admin is not None and not is_account_id(organization_admin):
            raise ValueError(f"bad organizationAdministrator {organization_admin!r}")
        self.organization_admin = organization_admin


sandbox_backends: BackendDict[SandboxMacieBackend] = BackendDict(SandboxMacieBackend, "macie2")


def all_backends() -> Iterator[tuple[str, str, SandboxMacieBackend]]:
    """(account, Region, backend) of every backend created so far."""
    for account_id, region, backend in sandbox_backends.iter_backends():
        yield account_id, region, cast(SandboxMacieBackend, backend)


def check_enum(name: str, value: Any, allowed: tuple[str, ...]) -> None:
    """A value of one of the model's enums (the sandbox refuses others with ValidationException:
    the model lists the values, and AWS validates its input)."""
    if value not in allowed:
        raise ValidationException(
            f"The request failed because {name} must be one of {', '.join(allowed)}, not {value!r}."
        )
