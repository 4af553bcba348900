"""Request handlers of the sandbox's macie2 service.

:class:`SandboxMacieResponse` extends moto's ``MacieResponse``: moto resolves the operation from
the method and path (botocore's model), then calls the method of the same snake_case name here.
Operations moto lacks (CreateMember, GetMember, UpdateMemberSession, DeleteInvitations, ...) are
added and the ones moto gets wrong for the member lifecycle are replaced.

Every answer is one Macie could give: the operations of member management (and the Macie
session) are emulated; any other operation of botocore's macie2 model, and any path that is no
operation, answer a modeled ValidationException that says so. A Region where Macie isn't offered
fails as on AWS: in-process (no real endpoint) with botocore's EndpointConnectionError; over
HTTP with a modeled AccessDeniedException. A bug in the sandbox answers InternalServerException.
"""

from __future__ import annotations

import json
import logging
from typing import Any
from urllib.parse import unquote

from moto.macie2.responses import MacieResponse

from .exceptions import (
    AccessDeniedException,
    MacieError,
    ValidationException,
    error_body,
    error_headers,
)
from .models import SandboxMacieBackend, sandbox_backends
from .rules import check_account_id, is_offered

logger = logging.getLogger("macie_members.sandbox")

SUPPORTED_OPERATIONS = frozenset({
    "AcceptInvitation", "CreateInvitations", "CreateMember", "DeclineInvitations", "DeleteInvitations",
    "DeleteMember", "DisableMacie", "DisassociateFromAdministratorAccount", "DisassociateFromMasterAccount",
    "DisassociateMember", "EnableMacie", "GetAdministratorAccount", "GetInvitationsCount", "GetMacieSession",
    "GetMasterAccount", "GetMember", "ListInvitations", "ListMembers", "UpdateMacieSession",
    "UpdateMemberSession",
})

Triple = tuple[int, dict[str, str], str | bytes]


def _dumps(data: dict[str, Any]) -> str:
    return json.dumps(data)


class SandboxMacieResponse(MacieResponse):
    # Parameters are read from the raw request (body, query string, path), not through moto's
    # automated parser, so that malformed values reach the backend's validation.
    automated_parameter_parsing = False

    def _dispatch(self, request: Any, full_url: str, headers: Any) -> Triple:
        from botocore.awsrequest import AWSPreparedRequest

        try:
            self.setup_class(request, full_url, headers)
            offered = is_offered(self.region)
        except Exception as exc:  # a request the sandbox can't even read
            return self._internal_error(exc)
        if not offered and isinstance(request, AWSPreparedRequest):
            # In-process, the request went to https://macie2.<region>.amazonaws.com: where Macie
            # isn't offered, no such endpoint exists, and botocore can't connect to it.
            from botocore.exceptions import EndpointConnectionError

            raise EndpointConnectionError(endpoint_url=full_url)
        try:
            if not offered:
                raise AccessDeniedException(
                    f"Credential should be scoped to a valid region: Amazon Macie isn't offered in "
                    f"{self.region!r} (the sandbox offers the Regions botocore lists for macie2)."
                )
            operation = self._get_action()
            if operation is None:
                raise ValidationException(
                    f"The request failed because no Macie operation matches {self.method} {self.raw_path}."
                )
            if operation not in SUPPORTED_OPERATIONS:
                raise ValidationException(
                    f"{operation} is not supported by the sandbox (macie-members emulates member "
                    "management and the Macie session only)."
                )
            with SandboxMacieBackend.lock:
                self.macie_backend.check_caller()
                status, response_headers, body = self.call_action()
            return status, response_headers, body
        except MacieError as error:
            return self._error(error.error_code, error.message)
        except Exception as exc:  # a sandbox bug: a modeled 500, never HTML
            return self._internal_error(exc)

    @staticmethod
    def _error(code: str, message: str) -> Triple:
        from .exceptions import ERROR_STATUS

        return ERROR_STATUS[code], dict(error_headers(code)), error_body(code, message)

    def _internal_error(self, exc: Exception) -> Triple:
        logger.error("sandbox error on %s: %s: %s", getattr(self, "raw_path", "?"), type(exc).__name__, exc)
        return self._error("InternalServerException", f"The sandbox failed: {type(exc).__name__}: {exc}")

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
            raise ValidationException("The request failed because its body isn't valid JSON.") from None
        if not isinstance(data, dict):
            raise ValidationException("The request failed because its body isn't a JSON object.")
        return data

    def _query(self, name: str) -> str | None:
        values = self.querystring.get(name)
        if not values:
            return None
        return str(values[0])

    def _path_id(self) -> str:
        """The ``{id}`` of the path, which must be an account id."""
        match = self.uri_match
        raw = match.group("id") if match is not None and "id" in match.groupdict() else self.path.rsplit("/", 1)[-1]
        return check_account_id(unquote(raw), "id")

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
        account_id = self._path_id()
        self.macie_backend.update_member_session(account_id, self._body().get("status"))
        return "{}"

    def disassociate_member(self) -> str:
        self.macie_backend.disassociate_member(self._path_id())
        return "{}"

    def delete_member(self) -> str:
        self.macie_backend.delete_member(self._path_id())
        return "{}"

    # ------------------------------------------------------------ member side

    def list_invitations(self) -> str:
        page = self.macie_backend.list_invitations_page(self._query("maxResults"), self._query("nextToken"))
        return _dumps(page)

    def get_invitations_count(self) -> str:
        return _dumps({"invitationsCount": self.macie_backend.invitations_count()})

    def accept_invitation(self) -> str:
        body = self._body()
        admin = body.get("administratorAccountId") or body.get("masterAccount")
        self.macie_backend.accept_invitation_from(admin, body.get("invitationId"))
        return "{}"

    def decline_invitations(self) -> str:
        unprocessed = self.macie_backend.decline_invitations_from(self._body().get("accountIds"))
        return _dumps({"unprocessedAccounts": unprocessed})

    def delete_invitations(self) -> str:
        unprocessed = self.macie_backend.delete_invitations_from(self._body().get("accountIds"))
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
