"""Organizations members in the sandbox: accounts of the administrator's AWS organization, for
which it is the delegated Macie administrator, in the same inventory as invited accounts.

:class:`OrganizationSide` is a mixin of :class:`macie_members.sandbox.models.SandboxMacieBackend`
(one class split across files, so that ``models.py`` stays readable). What is emulated, and from
which source (the README's sandbox page lists the same):

* An account is made part of an administrator's organization by a sandbox condition
  (``sandbox condition --account ID --organization``); the fact is account-wide, as membership of
  an AWS organization is, and lives on the account's us-east-1 backend.
* CreateMember of such an account needs no invitation: the entry is ``Created`` while "enabling
  is in process", then ``Enabled`` (UG-AO-ADMIN, UG-AO-REVIEW) after the same delay as email
  verification (the sandbox's choice of delay). Its ``email`` is absent (API-MEMBERS: null): the
  email CreateMember requires is ignored (the sandbox's choice; no source says what AWS does with
  it). Macie is enabled for the member if it was not (the administrator enables it, UG-AO-ADMIN).
* CreateMember of a ``Removed`` Organizations entry adds it again (UG-AO-ADMIN).
* CreateInvitations for it is refused as an unprocessed account (the sandbox's choice of form:
  UG-AO-ADMIN says these accounts are never invited).
* The administrator can pause *and re-enable* it (UG-AO-ADMIN; an invited member can only be
  re-enabled by the member itself, UG-ADMIN).
* DeleteMember is refused while it is associated ("an account that's part of your organization"
  is excepted from deleting associations, UG-ADMIN) and works once it is ``Removed``
  (hashicorp/terraform-provider-aws#26219).
* It cannot disassociate itself (UG-MEMBER; gruntwork-io/cloud-nuke#323).
* Its entries count toward the 10,000 Organizations quota, not the 1,000 invitation quota
  (UG-QUOTAS).
* An account that leaves the organization (``--no-organization``) is disassociated: its entries
  become ``Removed`` (the sandbox's choice; AWS documents no such case for Macie).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from macie_members.sandbox.exceptions import ConflictException, ServiceQuotaExceededException
from macie_members.sandbox.inventory import InventoryEntry
from macie_members.sandbox.rules import (
    CURRENT_MEMBER_STATUSES,
    MAX_ORGANIZATION_MEMBERS,
    now_seconds,
    utcnow,
    verification_delay,
)

if TYPE_CHECKING:
    from macie_members.sandbox.models import SandboxMacieBackend

# Statuses of an Organizations entry that is still associated (Created: enabling in process).
ORGANIZATION_ASSOCIATED = CURRENT_MEMBER_STATUSES | {"Created"}


class OrganizationSide:
    """Organizations members; the attributes are those of SandboxMacieBackend."""

    account_id: str
    region_name: str
    inventory: dict[str, InventoryEntry]
    administrator_id: str | None
    organization_admin: str | None  # on an account's us-east-1 backend: its organization's Macie administrator
    macie_session: dict[str, Any] | None

    if TYPE_CHECKING:
        def home(self, account_id: str | None = None) -> SandboxMacieBackend: ...
        def _peer(self, account_id: str) -> SandboxMacieBackend: ...
        def _settle(self, entry: InventoryEntry) -> None: ...
        def member_arn(self, account_id: str) -> str: ...
        def _new_session(self, frequency: str, status: str) -> dict[str, Any]: ...
        def _release_member(self, account_id: str) -> None: ...
        def backends_of(self, account_id: str) -> list[SandboxMacieBackend]: ...

    def in_my_organization(self, account_id: str) -> bool:
        """Whether the account is part of an organization whose Macie administrator is this account."""
        return self.home(account_id).organization_admin == self.account_id

    def add_organization_member(self, account_id: str, tags: dict[str, str]) -> str:
        """CreateMember of an account of this administrator's organization."""
        entry = self.inventory.get(account_id)
        if entry is not None and not (entry.organization and entry.status == "Removed"):
            raise ConflictException(
                f"The request failed because account {account_id} is already in your inventory "
                f"with status {entry.status}."
            )
        other = self._peer(account_id).administrator_id
        if other not in (None, self.account_id):
            raise ConflictException(
                f"The request failed because account {account_id} is already a member account of "
                f"administrator account {other}."
            )
        counted = sum(1 for e in self.inventory.values() if e.organization and e.status != "Removed")
        if entry is None and counted >= MAX_ORGANIZATION_MEMBERS:
            raise ServiceQuotaExceededException(
                f"The request failed because your organization already has {counted} member accounts "
                f"in {self.region_name} ({MAX_ORGANIZATION_MEMBERS})."
            )
        if entry is None:
            entry = self.inventory[account_id] = InventoryEntry(account_id, None, tags, organization=True)
        entry.status = "Created"  # enabling in process
        entry.updated_at = utcnow()
        entry.tags = tags or entry.tags
        entry.verification_due = now_seconds() + verification_delay()
        self._settle(entry)
        return self.member_arn(account_id)

    def finish_enabling(self, entry: InventoryEntry) -> None:
        """Created (enabling) -> Enabled, once its time has come: the account becomes a member,
        with Macie enabled for it."""
        if entry.status != "Created" or entry.verification_due is None or now_seconds() < entry.verification_due:
            return
        entry.verification_due = None
        entry.status = "Enabled"
        entry.updated_at = utcnow()
        member = self._peer(entry.account_id)
        member.administrator_id = self.account_id
        if member.macie_session is None:
            member.macie_session = member._new_session("FIFTEEN_MINUTES", "ENABLED")

    def organization_membership(self) -> tuple[SandboxMacieBackend, InventoryEntry] | None:
        """This account's administrator and its entry there, when it is an Organizations member."""
        if self.administrator_id is None:
            return None
        admin = self._peer(self.administrator_id)
        entry = admin.inventory.get(self.account_id)
        if entry is None or not entry.organization:
            return None
        admin._settle(entry)
        return admin, entry

    def set_organization(self, administrator: str | None) -> None:
        """Make this account part of ``administrator``'s organization (``None``: of none). An
        account that leaves is disassociated from the administrator of its old organization."""
        home = self.home()
        before = home.organization_admin
        home.organization_admin = administrator
        if before is None or before == administrator:
            return
        for backend in self.backends_of(before):
            entry = backend.inventory.get(self.account_id)
            if entry is not None and entry.organization and entry.status in ORGANIZATION_ASSOCIATED:
                entry.status = "Removed"
                entry.updated_at = utcnow()
                entry.verification_due = None
                backend._release_member(self.account_id)
