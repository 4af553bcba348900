"""The sandbox server's control routes under ``/_sandbox/`` (loopback only, no signature).

* ``GET /_sandbox/stats``: requests received per macie2 operation, throttled and faulted counts,
  the AssumeRole calls;
* ``POST /_sandbox/condition``: ``{"account", "region", "regionDisabled", "accountSuspended",
  "email", "organization"}``: disable a Region for an account, suspend the account, register its
  own email address (verification of any other address fails), or make it part of the AWS
  organization whose Macie administrator is ``organization`` (an account id; ``""``: of none);
* ``POST /_sandbox/clock``: ``{"advance": SECONDS}`` moves the sandbox's clock forward (email
  verification completes without waiting);
* ``POST /_sandbox/reset``: forget every account (and the roles denied, the counters);
* ``POST /_sandbox/deny-role``: ``{"roleArn": "arn:aws:iam::111111111111:role/R"}``: from now on
  ``sts:AssumeRole`` of that role is answered AccessDenied (403), as for a role that does not
  exist or does not trust the caller (moto's STS lets any role be assumed);
* ``POST /_sandbox/role-condition``: ``{"roleArn": "...", "externalId": "X"}``: from now on
  ``sts:AssumeRole`` of that role needs ExternalId X (as a trust policy's ``sts:ExternalId``
  condition): without it, or with another, AccessDenied (``""`` lifts the condition). The
  AssumeRole calls received are in the stats (``assumeRole``: roleArn, roleSessionName, and
  whether an externalId came), see :mod:`.sts`.

:mod:`macie_members.aws.sandbox_endpoint` is the client side of these routes (``macie-members
sandbox reset``, ``accept`` and ``condition`` against a sandbox server); ``stats`` carries
``"sandbox": "macie-members"``, by which it knows the server is one.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from macie_members.sandbox.exceptions import MacieError

if TYPE_CHECKING:
    from macie_members.sandbox.server import SandboxMiddleware

StartResponse = Callable[..., Any]


def json_response(start_response: StartResponse, status: int, data: Any) -> list[bytes]:
    body = json.dumps(data).encode()
    start_response(
        f"{status} {'OK' if status == 200 else 'Error'}",
        [("Content-Type", "application/json"), ("Content-Length", str(len(body)))],
    )
    return [body]


def _read_json(environ: dict[str, Any]) -> Any:
    length = int(environ.get("CONTENT_LENGTH") or 0)
    return json.loads(environ["wsgi.input"].read(length) or b"{}")


def _reset(middleware: SandboxMiddleware, body: Any) -> dict[str, Any]:
    from moto.core.base_backend import BackendDict

    middleware.reset_counters()
    BackendDict.reset()
    return {}


def _deny_role(middleware: SandboxMiddleware, body: Any) -> dict[str, Any]:
    middleware.roles.deny(str(body["roleArn"]))
    return {}


def _role_condition(middleware: SandboxMiddleware, body: Any) -> dict[str, Any]:
    from macie_members.domain import role_arn_parts

    role = str(body["roleArn"])
    if role_arn_parts(role) is None:
        raise ValueError(f"{role!r} is not an IAM role ARN")
    middleware.roles.require_external_id(role, str(body.get("externalId") or ""))
    return {}


def _condition(middleware: SandboxMiddleware, body: Any) -> dict[str, Any]:
    from macie_members.sandbox.models import SandboxMacieBackend, sandbox_backends
    from macie_members.sandbox.rules import check_account_id, is_offered

    account, region = check_account_id(body["account"]), str(body["region"])
    if not is_offered(region):
        raise ValueError(f"Macie isn't offered in {region!r}")
    organization = body.get("organization")
    if organization:
        if check_account_id(organization, "organization administrator") == account:
            raise ValueError("an account can't be its own organization's delegated administrator here")
    elif organization is not None:
        organization = ""
    with SandboxMacieBackend.lock:
        sandbox_backends[account][region].set_account_condition(
            region_disabled=body.get("regionDisabled"),
            account_suspended=body.get("accountSuspended"),
            email=body.get("email"),
            organization=organization,
        )
    return {}


def _clock(middleware: SandboxMiddleware, body: Any) -> dict[str, Any]:
    from macie_members.sandbox.rules import SETTINGS

    seconds = float(body["advance"])
    if seconds < 0:
        raise ValueError("the clock only moves forward")
    SETTINGS.clock_offset += seconds
    return {"offset": SETTINGS.clock_offset}


ROUTES: dict[tuple[str, str], Callable[[SandboxMiddleware, Any], dict[str, Any]]] = {
    ("POST", "/_sandbox/reset"): _reset,
    ("POST", "/_sandbox/deny-role"): _deny_role,
    ("POST", "/_sandbox/role-condition"): _role_condition,
    ("POST", "/_sandbox/condition"): _condition,
    ("POST", "/_sandbox/clock"): _clock,
}


def control(middleware: SandboxMiddleware, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
    method, path = environ.get("REQUEST_METHOD", "GET"), environ.get("PATH_INFO", "")
    if (method, path) == ("GET", "/_sandbox/stats"):
        return json_response(start_response, 200, middleware.stats())
    route = ROUTES.get((method, path))
    if route is None:
        return json_response(start_response, 404, {"message": f"no sandbox route {method} {path}"})
    name = path.rsplit("/", 1)[-1]
    try:
        return json_response(start_response, 200, route(middleware, _read_json(environ)))
    except (ValueError, KeyError, TypeError) as exc:
        return json_response(start_response, 400, {"message": f"bad {name} request: {exc}"})
    except MacieError as exc:
        return json_response(start_response, 400, {"message": f"bad {name} request: {exc.message}"})
