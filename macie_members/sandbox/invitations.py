"""The member side of the sandbox: the invitations an account received, and its administrator.

An invitation is a resource of the member account (UG-MEMBER, API-DELINV): it is created when
the administrator's invitation passes email verification and it persists after the member
accepts, declines or disassociates, until the member deletes it with DeleteInvitations. Its
``relationshipStatus`` is the relationship's current status, read from the administrator's
inventory; when the administrator's entry is gone or belongs to a newer invitation (declined,
deleted by the administrator), the sandbox shows ``Removed`` (choice).

:class:`MemberSide` is a mixin of :class:`macie_members.sandbox.models.SandboxMacieBackend`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from macie_members.sandbox.exceptions import ResourceNotFoundException, ValidationException
from macie_members.sandbox.rules import (
    CURRENT_MEMBER_STATUSES,
    account_fault,
    is_account_id,
    iso,
    paginate,
    parse_iso,
    utcnow,
)

if TYPE_CHECKING:
    from macie_members.sandbox.inventory import InventoryEntry
    from macie_members.sandbox.models import SandboxMacieBackend

# The text real Macie answers (hashicorp/terraform-provider-aws#40587).
NO_PENDING_INVITATION_MESSAGE = (
    "The request is rejected because the current account has no pending invitation from the given "
    "master account ID or is already an associated member of another master account."
)
# Statuses of an invitation the member may accept: pending, or its own after resigning (UG-MEMBER).
ACCEPTABLE_STATUSES = frozenset({"Invited", "Resigned"})


@dataclass
class Invitation:
    """An invitation received from ``administrator_id``, in the member's backend."""

    administrator_id: str
    invitation_id: str
    invited_at: datetime | None

    def to_state(self) -> dict[str, Any]:
        return {
            "administratorId": self.administrator_id,
            "invitationId": self.invitation_id,
            "invitedAt": iso(self.invited_at),
        }

    @classmethod
    def from_state(cls, data: Any) -> Invitation:
        if not isinstance(data, dict) or not is_account_id(data.get("administratorId")):
            raise ValueError(f"bad invitation {data!r}")
        if not isinstance(data.get("invitationId"), str):
            raise TypeError("invitationId is not a string")
        invited_at = data.get("invitedAt")
        if invited_at is not None and not isinstance(invited_at, str):
            raise TypeError("invitedAt is not a string")
        return cls(str(data["administratorId"]), str(data["invitationId"]), parse_iso(invited_at))


def process_batch(account_ids: Any, one: Callable[[str], str | None]) -> list[dict[str, str]]:
    """Apply ``one`` to each distinct account id; its problems become ``unprocessedAccounts``.

    Fault injection (``--account-fault-rate``) leaves an account unprocessed, not applied, with
    errorCode InternalError.
    """
    if not isinstance(account_ids, list):
        raise ValidationException("The request failed because accountIds is required.")
    unprocessed = []
    for account_id in dict.fromkeys(str(a) for a in account_ids):
        if account_fault():
            unprocessed.append({
                "accountId": account_id,
                "errorCode": "InternalError",
                "errorMessage": "An internal error occurred while processing this account. Try again.",
            })
            continue
        problem = one(account_id)
        if problem:
            unprocessed.append({"accountId": account_id, "errorCode": "ClientError", "errorMessage": problem})
    return unprocessed


class MemberSide:
    """Member-side operations; the attributes are those of SandboxMacieBackend."""

    account_id: str
    region_name: str
    received: dict[str, Invitation]
    administrator_id: str | None

    if TYPE_CHECKING:
        def _peer(self, account_id: str) -> SandboxMacieBackend: ...
        def organization_membership(self) -> tuple[SandboxMacieBackend, InventoryEntry] | None: ...
        def _require_macie(self) -> None: ...
        def settle_invitations_to_me(self) -> None: ...
        def displayed_status(self, entry: InventoryEntry) -> str: ...
        def is_administrator_of_members(self) -> bool: ...

    # ---------------------------------------------------------------- reading

    def _relationship(self, invitation: Invitation) -> tuple[SandboxMacieBackend, InventoryEntry | None]:
        """The sender's backend and its inventory entry for this account, if it is this invitation's."""
        admin = self._peer(invitation.administrator_id)
        entry = admin.inventory.get(self.account_id)
        if entry is not None and entry.invitation_id != invitation.invitation_id:
            entry = None
        return admin, entry

    def invitation_status(self, invitation: Invitation) -> str:
        admin, entry = self._relationship(invitation)
        return "Removed" if entry is None else admin.displayed_status(entry)

    def _is_current(self, invitation: Invitation) -> bool:
        """The accepted invitation of this account's current administrator."""
        _, entry = self._relationship(invitation)
        return (
            self.administrator_id == invitation.administrator_id
            and entry is not None
            and entry.status in CURRENT_MEMBER_STATUSES
        )

    def invitation_json(self, invitation: Invitation) -> dict[str, Any]:
        data = {
            "accountId": invitation.administrator_id,
            "invitationId": invitation.invitation_id,
            "invitedAt": iso(invitation.invited_at),
            "relationshipStatus": self.invitation_status(invitation),
        }
        return {k: v for k, v in data.items() if v is not None}

    def list_invitations_page(self, max_results: Any, next_token: str | None) -> dict[str, Any]:
        """ListInvitations: every invitation received and not deleted, ordered by sender.

        Allowed without Macie (choice): a member must be able to see its invitations before it
        enables Macie to accept them (semantics §4).
        """
        self.settle_invitations_to_me()
        page, token = paginate(list(self.received), max_results, next_token, "invitations")
        result: dict[str, Any] = {"invitations": [self.invitation_json(self.received[a]) for a in page]}
        if token:
            result["nextToken"] = token
        return result

    def invitations_count(self) -> int:
        """GetInvitationsCount: received invitations, not counting the currently accepted one."""
        self.settle_invitations_to_me()
        return sum(1 for invitation in self.received.values() if not self._is_current(invitation))

    def administrator_json(self) -> dict[str, Any]:
        self._require_macie()
        membership = self.organization_membership()
        if membership is not None:
            # An Organizations member has no invitation (the sandbox's choice of shape: the
            # Invitation fields it has).
            admin, entry = membership
            return {"accountId": admin.account_id, "relationshipStatus": admin.displayed_status(entry)}
        invitation = self.received.get(self.administrator_id or "")
        if invitation is None or not self._is_current(invitation):
            return {}
        return self.invitation_json(invitation)

    # --------------------------------------------------------------- changing

    def accept_invitation_from(self, administrator_id: Any, invitation_id: Any) -> None:
        self._require_macie()
        self.settle_invitations_to_me()
        invitation = self.received.get(administrator_id) if isinstance(administrator_id, str) else None
        if invitation is None or not invitation_id or invitation.invitation_id != invitation_id:
            raise ValidationException(NO_PENDING_INVITATION_MESSAGE)
        if self.administrator_id is not None:
            raise ValidationException(NO_PENDING_INVITATION_MESSAGE)
        if self.is_administrator_of_members():
            raise ValidationException(
                "The request failed because your account is the administrator of member accounts; "
                "remove them before your account can become a member."
            )
        _, entry = self._relationship(invitation)
        if entry is None or self.invitation_status(invitation) not in ACCEPTABLE_STATUSES:
            raise ValidationException(NO_PENDING_INVITATION_MESSAGE)
        entry.status = "Enabled"
        entry.updated_at = utcnow()
        self.administrator_id = invitation.administrator_id

    def _answer(self, account_ids: Any, act: Callable[[str, Invitation], str | None]) -> list[dict[str, str]]:
        """Apply ``act`` to the invitation received from each account (Macie needed)."""
        self._require_macie()
        self.settle_invitations_to_me()

        def one(administrator_id: str) -> str | None:
            invitation = self.received.get(administrator_id)
            if invitation is None:
                return "There is no invitation from this account."
            return act(administrator_id, invitation)

        return process_batch(account_ids, one)

    def _drop_association(self, invitation: Invitation) -> None:
        admin, entry = self._relationship(invitation)
        if entry is not None:
            del admin.inventory[self.account_id]

    def decline_invitations_from(self, account_ids: Any) -> list[dict[str, str]]:
        """Decline pending invitations; the sender's inventory loses the account (UG-ADMIN).

        Invitations not yet responded to can be declined (API reference), and so can the
        invitation of an administrator the member resigned from (UG-MEMBER: "decline and delete"
        it; declining drops the association, as for a pending one: the sandbox's choice); the
        others come back in ``unprocessedAccounts`` (choice).
        """

        def decline(administrator_id: str, invitation: Invitation) -> str | None:
            status = self.invitation_status(invitation)
            if status not in ("Invited", "Resigned"):
                return f"The invitation from this account isn't pending (its status is {status}): there is nothing to decline."
            self._drop_association(invitation)
            return None

        return self._answer(account_ids, decline)

    def delete_invitations_from(self, account_ids: Any) -> list[dict[str, str]]:
        """Delete received invitations (API-DELINV): not a pending one (decline it first, choice)
        and not the accepted invitation of the current administrator. Deleting the invitation
        of a former administrator also deletes the association: the account leaves that
        administrator's inventory (UG-MEMBER)."""

        def delete(administrator_id: str, invitation: Invitation) -> str | None:
            if self._is_current(invitation):
                return (
                    "This is the accepted invitation of your current administrator account: "
                    "disassociate from it before you delete the invitation."
                )
            if self.invitation_status(invitation) == "Invited":
                return "The invitation from this account is pending: decline it before you delete it."
            self._drop_association(invitation)
            del self.received[administrator_id]
            return None

        return self._answer(account_ids, delete)

    def disassociate_from_administrator(self) -> None:
        """The member resigns: the administrator sees Resigned; the invitation persists, and the
        member can accept it again (UG-MEMBER). An Organizations member can't disassociate itself
        (UG-MEMBER; gruntwork-io/cloud-nuke#323; the error type and text are the sandbox's choice)."""
        self._require_macie()
        membership = self.organization_membership()
        if membership is not None:
            raise ValidationException(
                f"The request failed because your account is managed by AWS Organizations: only the "
                f"Macie administrator of your organization ({membership[0].account_id}) can disassociate it."
            )
        invitation = self.received.get(self.administrator_id or "")
        if invitation is None or not self._is_current(invitation):
            raise ResourceNotFoundException(
                "The request failed because your account isn't associated with an administrator account."
            )
        _, entry = self._relationship(invitation)
        assert entry is not None
        entry.status = "Resigned"
        entry.updated_at = utcnow()
        self.administrator_id = None

    # ------------------------------------------------------------ persistence

    def member_side_state(self) -> dict[str, Any]:
        return {
            "invitations": [i.to_state() for i in self.received.values()],
            "administratorId": self.administrator_id,
        }

    def load_member_side_state(self, data: dict[str, Any]) -> None:
        invitations = [Invitation.from_state(d) for d in data.get("invitations") or []]
        # Files written before invitations persisted: {administrator id: invitation id}.
        legacy = dict(data.get("receivedInvitations") or {})
        invitations += [Invitation(str(a), str(i), None) for a, i in legacy.items()]
        self.received = {i.administrator_id: i for i in invitations}
        admin = data.get("administratorId")
        if admin is not None and not is_account_id(admin):
            raise ValueError(f"bad administratorId {admin!r}")
        self.administrator_id = admin
