"""The client side of a sandbox server's control routes (``macie-members sandbox serve``).

``sandbox reset``, ``sandbox accept`` and ``sandbox condition`` act on the sandbox server at a
configured endpoint. A configured endpoint may be AWS itself, a proxy, or another emulator, so
before anything is sent there :func:`check_sandbox_endpoint` makes sure that it is ours:

1. it is ``http://`` or ``https://`` and its host is this machine's loopback, written as such (``localhost``, ``127.x.x.x``, ``::1``):
   checked before connecting, so no request ever leaves the machine; no name is resolved;
2. ``GET /_sandbox/stats`` answers a JSON object whose ``sandbox`` is ``macie-members``
   (:data:`SANDBOX_MARK`; the server writes the same value in
   :meth:`macie_members.sandbox.server.SandboxMiddleware.stats`).

Either refusal is one line, exit 253 (configuration); an endpoint that does not answer is exit
255, as for any command. :func:`post_control` then sends the control request itself.

This module uses only the standard library: the sandbox's commands can drive a server without
the sandbox's extra installed (moto lives in the server's process).
"""

from __future__ import annotations

import contextlib
import ipaddress
import json
import urllib.error
import urllib.parse
import urllib.request
from typing import Any

from macie_members.errors import ConfigError, ConnectionFailure

SANDBOX_MARK = ("sandbox", "macie-members")  # (key, value) in the answer of GET /_sandbox/stats
TIMEOUT = 30.0  # seconds: a sandbox server on this machine answers at once, unless --latency-ms


def is_loopback_endpoint(endpoint: str) -> bool:
    """True when the endpoint's host is written as this machine's loopback (no name resolved)."""
    try:
        parts = urllib.parse.urlsplit(endpoint)
        host = parts.hostname
    except ValueError:  # an invalid IPv6 literal, a bad port
        return False
    if parts.scheme.lower() not in ("http", "https"):  # ftp://, file://: no sandbox answers there
        return False
    if not host:
        return False
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_sandbox_endpoint(endpoint: str) -> None:
    """Refuse (exit 253) an endpoint that is not a macie-members sandbox server on this machine."""
    if not is_loopback_endpoint(endpoint):
        raise ConfigError(
            f"{endpoint} is not a sandbox server on this machine: the sandbox commands act only on "
            "`macie-members sandbox serve` at a loopback address (http://127.0.0.1:PORT), since a configured "
            "endpoint may be AWS; for the embedded sandbox, use --sandbox."
        )
    try:
        answer = _request(endpoint, "/_sandbox/stats", None)
    except _Refused as exc:
        answer, why = None, f"HTTP {exc.status}"
    else:
        why = "not a sandbox's answer"
    key, value = SANDBOX_MARK
    if not (isinstance(answer, dict) and answer.get(key) == value):
        raise ConfigError(f"{endpoint} does not answer as a macie-members sandbox server (GET /_sandbox/stats: "
                          f"{why}): nothing was sent to it.")


def post_control(endpoint: str, route: str, body: dict[str, Any]) -> Any:
    """POST to a sandbox server's control route (checked first with :func:`check_sandbox_endpoint`):
    its JSON answer. A dead endpoint is a connection failure (exit 255), a refusal a configuration
    problem (exit 253), each one line."""
    return _request(endpoint, route, json.dumps(body).encode())


class _Refused(ConfigError):
    """An HTTP error answer (exit 253)."""

    def __init__(self, message: str, status: int) -> None:
        super().__init__(message)
        self.status = status


def _request(endpoint: str, route: str, data: bytes | None) -> Any:
    url = endpoint.rstrip("/") + route
    request = urllib.request.Request(url, data=data, method="GET" if data is None else "POST")
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as answer:
            raw = answer.read(1 << 20)  # a control answer is small; a stranger's page is cut
    except urllib.error.HTTPError as exc:
        with exc:
            detail = exc.read(4096).decode("utf-8", "replace")
        with contextlib.suppress(ValueError, AttributeError):
            detail = str(json.loads(detail).get("message", detail))
        detail = " ".join(detail.split())[:200]  # one line, even for an HTML page
        raise _Refused(f"The sandbox at {endpoint} refused the request (HTTP {exc.code}): {detail}",
                       exc.code) from None
    except (urllib.error.URLError, OSError, ValueError) as exc:
        reason = getattr(exc, "reason", exc)
        raise ConnectionFailure(f'Could not connect to the sandbox endpoint URL: "{url}" ({reason})') from None
    try:
        return json.loads(raw or b"{}")
    except ValueError:
        return None  # not JSON: not a sandbox's answer
