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

import functools
import json
import logging
import re
from typing import Any
from urllib.parse import unquote, urlsplit

from moto.macie2.responses import MacieResponse

from macie_members.sandbox.exceptions import (
    AccessDeniedException,
    MacieError,
    ValidationException,
    error_body,
    error_headers,
)
from macie_members.sandbox.models import SandboxMacieBackend, sandbox_backends
from macie_members.sandbox.rules import check_account_id, is_offered

logger = logging.getLogger("macie_members.sandbox")

SUPPORTED_OPERATIONS = frozenset({
    "AcceptInvitation", "CreateInvitations", "CreateMember", "DeclineInvitations", "DeleteInvitations",
    "DeleteMember", "DisableMacie", "DisassociateFromAdministratorAccount", "DisassociateFromMasterAccount",
    "DisassociateMember", "EnableMacie", "GetAdministratorAccount", "GetInvitationsCount", "GetMacieSession",
    "GetMasterAccount", "GetMember", "ListInvitations", "ListMembers", "ListTagsForResource", "TagResource",
    "UntagResource", "UpdateMacieSession", "UpdateMemberSession",
})

Triple = tuple[int, dict[str, str], str | bytes]


@functools.cache
def _routes() -> list[tuple[str, re.Pattern[str], str]]:
    """(method, path pattern, operation) of every operation of botocore's macie2 model, the
    most specific paths first. The sandbox routes by these itself, whatever moto's router does
    (it changed between moto releases)."""
    from macie_members.sandbox.botocore_data import botocore_session

    model = botocore_session().get_service_model("macie2")
    routes = []
    for name in model.operation_names:
        http = model.operation_model(name).http
        path = http["requestUri"].split("?", 1)[0].rstrip("/") or "/"
        pattern = "/".join(f"(?P<{segment.strip('{}+')}>[^/]+)" if segment.startswith("{") else re.escape(segment)
                           for segment in path.split("/"))
        routes.append((http["method"], re.compile(pattern + "/?"), name))
    routes.sort(key=lambda r: (-r[1].pattern.count("/"), r[1].pattern.count("(?P")))
    return routes


_TAG_OPERATIONS = {"POST": "TagResource", "DELETE": "UntagResource", "GET": "ListTagsForResource"}


def route(method: str, path: str) -> tuple[str, dict[str, str]] | None:
    """The operation of a request, and the parameters in its path."""
    if path.startswith("/tags/") and method in _TAG_OPERATIONS:
        return _TAG_OPERATIONS[method], {}  # an ARN's slashes may be unescaped: see _resource_arn
    for verb, pattern, name in _routes():
        match = pattern.fullmatch(path)
        if verb == method and match:
            return name, match.groupdict()
    return None


def _dumps(data: dict[str, Any]) -> str:
    return json.dumps(data)


class SandboxMacieResponse(MacieResponse):
    # Parameters are read from the raw request (body, query string, path), not through moto's
    # automated parser, so that malformed values reach the backend's validation.
    automated_parameter_parsing = False
    _path_params: dict[str, str] = {}  # noqa: RUF012 - set per request, from route()

    def _dispatch(self, request: Any, full_url: str, headers: Any) -> Triple:
        try:
            self.setup_class(request, full_url, headers)
            offered = is_offered(self.region)
        except Exception as exc:  # a request the sandbox can't even read
            return self._internal_error(exc)
        if not offered and "amazonaws.com" in urlsplit(full_url).netloc:
            # In-process, the request went to https://macie2.<region>.amazonaws.com: where Macie
            # isn't offered, no such endpoint exists, and botocore can't connect to it.
            from botocore.exceptions import EndpointConnectionError

            raise EndpointConnectionError(endpoint_url=full_url)
        try:
            if not any(k.lower() == "authorization" for k in dict(headers or {})):
                # An unsigned request (--no-sign-request): refused before the service, as AWS does.
                raise AccessDeniedException("Missing Authentication Token")
            if not offered:
                raise AccessDeniedException(
                    f"Credential should be scoped to a valid region: Amazon Macie isn't offered in "
                    f"{self.region!r} (the sandbox offers the Regions botocore lists for macie2)."
                )
            routed = route(self.method, urlsplit(self.raw_path).path)
            operation, self._path_params = routed if routed else (None, {})
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
            # Macie labels its answers JSON (moto's default label is text/html).
            response_headers = {k: v for k, v in dict(response_headers).items() if k.lower() != "content-type"}
            response_headers["Content-Type"] = "application/json"
            return status, response_headers, body
        except MacieError as error:
            return self._error(error.error_code, error.message)
        except Exception as exc:  # a sandbox bug: a modeled 500, never HTML
            return self._internal_error(exc)

    @staticmethod
    def _error(code: str, message: str) -> Triple:
        from macie_members.sandbox.exceptions import ERROR_STATUS

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

    def _get_action(self) -> str:
        """moto dispatches to the method of this name: the sandbox's own route (moto's router
        changed between releases)."""
        routed = route(self.method, urlsplit(self.raw_path).path)
        return routed[0] if routed else str(super()._get_action())

    def _path_id(self) -> str:
        """The ``{id}`` of the path, which must be an account id."""
        raw = self._path_params.get("id") or self.path.rsplit("/", 1)[-1]
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
        body = self._body()
        self.macie_backend.update_macie_session(body.get("status"), body.get("findingPublishingFrequency"))
        return "{}"

    # ------------------------------------------------------------------ tags

    def _resource_arn(self) -> str:
        """The ``{resourceArn}`` of a ``/tags/`` path: an ARN holds slashes, which botocore
        escapes in the path and a server may have unescaped (hence the whole rest of the path)."""
        path = urlsplit(self.raw_path).path
        return unquote(path.split("/tags/", 1)[1]) if "/tags/" in path else ""

    def tag_resource(self) -> tuple[int, dict[str, str], str]:
        self.macie_backend.tag_member(self._resource_arn(), self._body().get("tags"))
        return 204, {}, ""

    def untag_resource(self) -> tuple[int, dict[str, str], str]:
        keys = [str(k) for k in self.querystring.get("tagKeys", [])]
        self.macie_backend.untag_member(self._resource_arn(), keys)
        return 204, {}, ""

    def list_tags_for_resource(self) -> str:
        return _dumps({"tags": self.macie_backend.member_tags(self._resource_arn())})
