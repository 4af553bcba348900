"""Request handlers of the sandbox's macie2 service.

:class:`SandboxMacieResponse` extends moto's ``MacieResponse``: moto resolves the operation from
the method and path (botocore's model), then calls the method of the same snake_case name here.
Operations moto lacks (CreateMember, GetMember, UpdateMemberSession, ...) are added; operations
moto gets wrong for the member lifecycle are replaced; the rest (organization admin accounts)
are inherited unchanged.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import unquote

from moto.macie2.responses import MacieResponse

from .models import SandboxMacieBackend, sandbox_backends


def _dumps(data: dict[str, Any]) -> str:
    return json.dumps(data)


class SandboxMacieResponse(MacieResponse):
    # Parameters are read from the raw request (body, query string, path), not through moto's
    # automated parser, so that malformed values reach the backend's validation.
    automated_parameter_parsing = False

    @property
    def macie_backend(self) -> SandboxMacieBackend:
        backend: SandboxMacieBackend = sandbox_backends[self.current_account][self.region]
        return backend

    # ------------------------------------------------------------ parameters

    def _body(self) -> dict[str, Any]:
        raw = self.body
        if isinstance(raw, bytes):
            raw = raw.decode("utf-8")
        if not raw:
            return {}
        try:
            data = json.loads(raw)
        except ValueError:
            return {}
        return data if isinstance(data, dict) else {}

    def _query(self, name: str) -> str | None:
        values = self.querystring.get(name)
        if not values:
            return None
        return str(values[0])

    def _path_id(self) -> str:
        return unquote(self.path.rstrip("/").split("/")[-1])

    # ------------------------------------------------------- administrator side

    def create_member(self) -> str:
        body = self._body()
        arn = self.macie_backend.create_member(body.get("account"), body.get("tags"))
        return _dumps({"arn": arn})

    def get_member(self) -> str:
        return _dumps(self.macie_backend.get_member(self._path_id()))

    def list_members(self) -> str:
        page = self.macie_backend.list_members_page(
            self._query("onlyAssociated"), self._query("maxResults"), self._query("nextToken")
        )
        return _dumps(page)

    def create_invitations(self) -> str:
        body = self._body()
        unprocessed = self.macie_backend.create_invitations_for(
            body.get("accountIds"), body.get("disableEmailNotification"), body.get("message")
        )
        return _dumps({"unprocessedAccounts": unprocessed})

    def update_member_session(self) -> str:
        self.macie_backend.update_member_session(self._path_id(), self._body().get("status"))
        return "{}"

    def disassociate_member(self) -> str:
        self.macie_backend.disassociate_member(self._path_id())
        return "{}"

    def delete_member(self) -> str:
        self.macie_backend.delete_member(self._path_id())
        return "{}"

    # ------------------------------------------------------------ member side

    def list_invitations(self) -> str:
        return _dumps({"invitations": self.macie_backend.list_received_invitations()})

    def accept_invitation(self) -> str:
        body = self._body()
        admin = body.get("administratorAccountId") or body.get("masterAccount")
        self.macie_backend.accept_invitation_from(admin, body.get("invitationId"))
        return "{}"

    def decline_invitations(self) -> str:
        unprocessed = self.macie_backend.decline_invitations_from(self._body().get("accountIds"))
        return _dumps({"unprocessedAccounts": unprocessed})

    def get_administrator_account(self) -> str:
        admin = self.macie_backend.administrator_json()
        return _dumps({"administrator": admin} if admin else {})

    def get_master_account(self) -> str:
        admin = self.macie_backend.administrator_json()
        return _dumps({"master": admin} if admin else {})

    def disassociate_from_administrator_account(self) -> str:
        self.macie_backend.disassociate_from_administrator()
        return "{}"

    def disassociate_from_master_account(self) -> str:
        self.macie_backend.disassociate_from_administrator()
        return "{}"

    # ------------------------------------------------------------ the session

    def get_macie_session(self) -> str:
        return _dumps(self.macie_backend.get_macie_session())

    def enable_macie(self) -> str:
        body = self._body()
        self.macie_backend.enable_macie(
            body.get("findingPublishingFrequency") or "FIFTEEN_MINUTES",
            body.get("status") or "ENABLED",
        )
        return "{}"

    def disable_macie(self) -> str:
        self.macie_backend.disable_macie()
        return "{}"

    def update_macie_session(self) -> str:
        self.macie_backend.update_macie_session(self._body().get("status"))
        return "{}"
