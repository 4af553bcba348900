"""The sandbox server's checks of ``sts:AssumeRole`` (moto's STS lets any role be assumed by
anyone): roles denied outright, roles whose trust policy requires an external id, and the
AssumeRole calls received (role, session name, whether an external id came), for the stats.

A role denied, or assumed without the external id its condition requires (or with another), is
answered AccessDenied with AWS's text: ``User: <caller> is not authorized to perform:
sts:AssumeRole on resource: <role>``. The caller is named as moto's GetCallerIdentity names it.
"""

from __future__ import annotations

import io
import threading
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qs


class RoleGate:
    """What AssumeRole of each role requires, and the calls received (thread-safe)."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.denied: set[str] = set()
        self.external_ids: dict[str, str] = {}
        self.calls: list[dict[str, Any]] = []

    def reset(self) -> None:
        with self.lock:
            self.denied.clear()
            self.external_ids.clear()
            self.calls.clear()

    def deny(self, role: str) -> None:
        with self.lock:
            self.denied.add(role)

    def require_external_id(self, role: str, external_id: str) -> None:
        """From now on AssumeRole of ``role`` needs ``external_id`` (``""``: no longer)."""
        with self.lock:
            if external_id:
                self.external_ids[role] = external_id
            else:
                self.external_ids.pop(role, None)

    def refusal(self, environ: dict[str, Any], caller_account: str) -> str | None:
        """The AccessDenied message for an STS request that must be refused (``None``: let it
        through); an AssumeRole call is recorded either way. The body is put back for moto."""
        length = int(environ.get("CONTENT_LENGTH") or 0)
        body = environ["wsgi.input"].read(length) if length else b""
        environ["wsgi.input"] = io.BytesIO(body)
        form = parse_qs(body.decode("utf-8", "replace"))
        if (form.get("Action") or [""])[0] != "AssumeRole":
            return None
        given = form.get("ExternalId")
        return self.check(str((form.get("RoleArn") or [""])[0]), str((form.get("RoleSessionName") or [""])[0]),
                          given[0] if given else None, caller_account)

    def check(self, role: str, session_name: str, external_id: str | None, caller_account: str) -> str | None:
        """Record an AssumeRole call; the AccessDenied message if it must be refused."""
        with self.lock:
            self.calls.append({"roleArn": role, "roleSessionName": session_name, "externalId": external_id is not None})
            required = self.external_ids.get(role)
            if role not in self.denied and (required is None or external_id == required):
                return None
        return (f"User: arn:aws:sts::{caller_account}:user/moto is not authorized to perform: "
                f"sts:AssumeRole on resource: {role}")

    def stats(self) -> list[dict[str, Any]]:
        with self.lock:
            return [dict(call) for call in self.calls]


IN_PROCESS = RoleGate()
"""The in-process sandbox's conditions (:meth:`macie_members.sandbox.testing.Sandbox.require_external_id`)."""


def gate_in_process_assume_role() -> None:
    """Make moto's in-process STS check :data:`IN_PROCESS` (idempotent)."""
    import moto.sts.models
    from moto.sts.exceptions import STSClientError

    original = moto.sts.models.STSBackend.assume_role
    if getattr(original, "sandbox_gate", False):
        return

    def assume_role(self: Any, region_name: str, role_session_name: str, role_arn: str, policy: str,
                    duration: int, external_id: str) -> Any:
        refused = IN_PROCESS.check(role_arn, role_session_name, external_id or None, self.account_id)
        if refused:
            raise STSClientError("AccessDenied", refused)
        return original(self, region_name, role_session_name, role_arn, policy, duration, external_id)

    assume_role.sandbox_gate = True  # type: ignore[attr-defined]
    moto.sts.models.STSBackend.assume_role = assume_role  # type: ignore[method-assign]


def access_denied(start_response: Callable[..., Any], message: str) -> list[bytes]:
    """STS's AccessDenied answer (a query-protocol XML error, HTTP 403)."""
    from xml.sax.saxutils import escape

    body = (
        "<ErrorResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><Error><Type>Sender</Type>"
        f"<Code>AccessDenied</Code><Message>{escape(message)}</Message></Error>"
        "<RequestId>sandbox</RequestId></ErrorResponse>"
    ).encode()
    start_response("403 Forbidden", [("Content-Type", "text/xml"), ("Content-Length", str(len(body)))])
    return [body]
