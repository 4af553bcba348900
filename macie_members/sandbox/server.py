"""``macie-members sandbox serve``: moto's server mode with the Macie sandbox installed.

The WSGI application is moto's own (``DomainDispatcherApplication``), wrapped by
:class:`SandboxMiddleware`, which adds what a load test against Macie needs:

* ``latency_ms``: every macie2 response is delayed by that many milliseconds;
* ``throttle_rps``: beyond N macie2 requests per second *per account and Region* (a token bucket
  holding at most N tokens, refilled at N per second) the server answers HTTP 429 without
  applying the request, with ``throttle_code``: TooManyRequestsException (what real Macie has
  answered, a plain ClientError in botocore; the default) or the modeled ThrottlingException;
* ``fault_rate``: that fraction of macie2 requests, drawn from a random generator seeded with
  ``seed``, is answered with InternalServerException (HTTP 500) without being applied;
* ``account_fault_rate``: that fraction of the accounts of CreateInvitations,
  DeclineInvitations and DeleteInvitations comes back in ``unprocessedAccounts`` with errorCode
  InternalError, not applied (same seed).

STS and every other service pass through untouched, so a member account can be reached with
``sts assume-role`` as in AWS. The control routes under ``/_sandbox/`` (:mod:`.control`) and
moto's own ``/moto-api/`` routes (which reset state and dump credentials) answer loopback
clients only; moto's request recorder, which writes files, is off and its routes refused.
Whatever a macie2 request meets, the answer is a modeled JSON error, never an HTML page.
"""

from __future__ import annotations

import errno
import random
import re
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable
from typing import Any

from macie_members.sandbox import install
from macie_members.sandbox.control import control, json_response
from macie_members.sandbox.exceptions import ERROR_STATUS, REASONS, error_body, error_headers
from macie_members.sandbox.sts import RoleGate, access_denied

WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]
THROTTLE_CODES = ("TooManyRequestsException", "ThrottlingException")

# The Region may be empty (``aws --region ''`` with an endpoint URL signs for no Region).
_CREDENTIAL_RE = re.compile(r"Credential=([^/,\s]+)/\d{8}/([^/]*)/([^/]+)/aws4_request")

# (method, path pattern) -> operation, for the per-operation request counts.
_OPERATIONS: list[tuple[str, re.Pattern[str], str]] = [
    ("POST", re.compile(r"^/members$"), "CreateMember"),
    ("GET", re.compile(r"^/members$"), "ListMembers"),
    ("GET", re.compile(r"^/members/[^/]+$"), "GetMember"),
    ("DELETE", re.compile(r"^/members/[^/]+$"), "DeleteMember"),
    ("POST", re.compile(r"^/members/disassociate/[^/]+$"), "DisassociateMember"),
    ("PATCH", re.compile(r"^/macie/members/[^/]+$"), "UpdateMemberSession"),
    ("POST", re.compile(r"^/invitations$"), "CreateInvitations"),
    ("GET", re.compile(r"^/invitations$"), "ListInvitations"),
    ("GET", re.compile(r"^/invitations/count$"), "GetInvitationsCount"),
    ("POST", re.compile(r"^/invitations/accept$"), "AcceptInvitation"),
    ("POST", re.compile(r"^/invitations/decline$"), "DeclineInvitations"),
    ("POST", re.compile(r"^/invitations/delete$"), "DeleteInvitations"),
    ("GET", re.compile(r"^/administrator$"), "GetAdministratorAccount"),
    ("POST", re.compile(r"^/administrator/disassociate$"), "DisassociateFromAdministratorAccount"),
    ("GET", re.compile(r"^/macie$"), "GetMacieSession"),
    ("POST", re.compile(r"^/macie$"), "EnableMacie"),
    ("DELETE", re.compile(r"^/macie$"), "DisableMacie"),
    ("PATCH", re.compile(r"^/macie$"), "UpdateMacieSession"),
]

MUTATING_OPERATIONS = frozenset(
    {
        "CreateMember",
        "CreateInvitations",
        "UpdateMemberSession",
        "DisassociateMember",
        "DeleteMember",
        "AcceptInvitation",
        "DeclineInvitations",
        "DeleteInvitations",
        "DisassociateFromAdministratorAccount",
        "EnableMacie",
        "DisableMacie",
        "UpdateMacieSession",
    }
)


def operation_of(method: str, path: str) -> str:
    for op_method, pattern, name in _OPERATIONS:
        if op_method == method and pattern.match(path):
            return name
    return f"{method} {path}"


class TokenBucket:
    """At most ``rate`` requests in any second, with bursts up to ``rate``."""

    def __init__(self, rate: float) -> None:
        self.rate = rate
        # At least one whole token, so that a rate below 1 per second still admits requests.
        self.capacity = max(1.0, rate)
        self.tokens = self.capacity
        self.stamp = time.monotonic()

    def take(self) -> bool:
        now = time.monotonic()
        self.tokens = min(self.capacity, self.tokens + (now - self.stamp) * self.rate)
        self.stamp = now
        if self.tokens >= 1:
            self.tokens -= 1
            return True
        return False


class SandboxMiddleware:
    def __init__(
        self,
        app: WSGIApp,
        *,
        macie_app: WSGIApp | None = None,
        latency_ms: float = 0,
        throttle_rps: float = 0,
        throttle_code: str = THROTTLE_CODES[0],
        fault_rate: float = 0,
        seed: int | None = None,
    ) -> None:
        if throttle_code not in THROTTLE_CODES:
            raise ValueError(f"throttle_code must be one of {THROTTLE_CODES}")
        self.app = app
        # macie2 requests go straight to moto's macie2 application: moto's dispatcher would find
        # it by listing moto's ~180 service modules on disk, under a global lock, per request
        # (a third of the server's CPU per request, measured).
        self.macie_app = macie_app or app
        self.latency = max(0.0, latency_ms) / 1000
        self.throttle_rps = throttle_rps
        self.throttle_code = throttle_code
        self.fault_rate = fault_rate
        self.random = random.Random(seed)
        self.lock = threading.Lock()
        self.buckets: dict[tuple[str, str], TokenBucket] = {}
        self.requests: Counter[str] = Counter()
        self.throttled = 0
        self.faults = 0
        self.roles = RoleGate()

    # ----------------------------------------------------------------- WSGI

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        if path.startswith(("/_sandbox/", "/moto-api")):
            if not _is_loopback(environ.get("REMOTE_ADDR", "")):
                return json_response(start_response, 403, {"message": "sandbox control routes answer loopback only"})
            if path.startswith("/moto-api/recorder/"):
                return json_response(start_response, 403, {"message": "moto's request recorder is off in the sandbox"})
            if path.startswith("/_sandbox/"):
                return control(self, environ, start_response)
            return self.app(environ, start_response)
        match = _CREDENTIAL_RE.search(environ.get("HTTP_AUTHORIZATION", ""))
        if match and match.group(3) == "sts":
            refused = self.roles.refusal(environ, environ.get("HTTP_X_MOTO_ACCOUNT_ID") or _account_of(match.group(1)))
            if refused:
                return access_denied(start_response, refused)
        if not match and "HTTP_AUTHORIZATION" not in environ and _is_macie_path(environ):
            # An unsigned request (`--no-sign-request`): AWS refuses it before the service; the
            # sandbox answers a modeled error with AWS's text (its choice of code, see its docs).
            return _error(start_response, "AccessDeniedException", UNSIGNED_MESSAGE)
        if match and match.group(3) == "ec2":
            answered = self._describe_regions(environ, start_response, match.group(1))
            if answered is not None:
                return answered
        if not match or match.group(3) != "macie2":
            return self.app(environ, start_response)
        access_key, region = match.group(1), match.group(2)
        if not region:
            # The signature's scope names no Region: AWS refuses it before the service (the text
            # is SigV4's; the modeled AccessDeniedException is the sandbox's choice of code).
            return _error(start_response, "AccessDeniedException", "Credential should be scoped to a valid region, not ''.")
        method = environ.get("REQUEST_METHOD", "GET")
        operation = operation_of(method, path)
        with self.lock:
            self.requests[operation] += 1
            throttled = False
            if self.throttle_rps > 0:
                account = environ.get("HTTP_X_MOTO_ACCOUNT_ID") or _account_of(access_key)
                bucket = self.buckets.setdefault((account, region), TokenBucket(self.throttle_rps))
                throttled = not bucket.take()
            faulted = not throttled and self.fault_rate > 0 and self.random.random() < self.fault_rate
            if throttled:
                self.throttled += 1
            if faulted:
                self.faults += 1
        if self.latency:
            time.sleep(self.latency)
        if throttled:
            return _error(start_response, self.throttle_code, "Rate exceeded (sandbox --throttle-rps).")
        if faulted:
            return _error(start_response, "InternalServerException", "Injected fault (sandbox --fault-rate).")
        return _json_errors_only(self.macie_app, environ, start_response)

    def _describe_regions(self, environ: dict[str, Any], start_response: Callable[..., Any],
                          access_key: str) -> list[bytes] | None:
        """EC2 DescribeRegions, answered per account (:mod:`.ec2`); ``None`` for any other EC2
        request, whose body is given back to moto as it came."""
        import io

        from macie_members.sandbox import ec2

        body = environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
        environ["wsgi.input"] = io.BytesIO(body)
        if not ec2.is_describe_regions(body):
            return None
        with self.lock:
            self.requests["ec2:DescribeRegions"] += 1
        answer = ec2.describe_regions(environ.get("HTTP_X_MOTO_ACCOUNT_ID") or _account_of(access_key), body)
        start_response("200 OK", [("Content-Type", "text/xml"), ("Content-Length", str(len(answer)))])
        return [answer]

    # ---------------------------------------------------------- control state

    def stats(self) -> dict[str, Any]:
        with self.lock:
            requests = dict(self.requests)
            return {
                # How `macie-members sandbox ...` knows the endpoint is ours before it acts on it
                # (macie_members.aws.sandbox_endpoint.SANDBOX_MARK: the same pair, by design written twice).
                "sandbox": "macie-members",
                "requests": requests,
                "mutating": sum(n for op, n in requests.items() if op in MUTATING_OPERATIONS),
                "total": sum(requests.values()),
                "throttled": self.throttled,
                "faults": self.faults,
                "assumeRole": self.roles.stats(),
            }

    def reset_counters(self) -> None:
        """Back to a fresh server: counters, throttling buckets, roles denied or conditioned, and
        the AssumeRole calls recorded."""
        with self.lock:
            self.requests.clear()
            self.throttled = self.faults = 0
            self.buckets.clear()
        self.roles.reset()


def _json_errors_only(app: WSGIApp, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
    """Run ``app``; an error answer that is not JSON (a framework's HTML page) becomes a
    modeled InternalServerException."""
    captured: dict[str, Any] = {}

    def capture(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Callable[[bytes], Any]:
        captured.update(status=status, headers=headers)
        return lambda data: None

    try:
        body = b"".join(app(environ, capture))
    except Exception as exc:  # the app itself failed
        return _error(start_response, "InternalServerException", f"The sandbox failed: {type(exc).__name__}: {exc}")
    status = str(captured.get("status", "500"))
    headers = list(captured.get("headers", []))
    content_type = next((v for k, v in headers if k.lower() == "content-type"), "")
    if int(status.split()[0]) >= 400 and not content_type.startswith("application/json"):
        return _error(start_response, "InternalServerException", f"The sandbox failed: HTTP {status}.")
    start_response(status, headers)
    return [body]


UNSIGNED_MESSAGE = "Missing Authentication Token"


def _is_macie_path(environ: dict[str, Any]) -> bool:
    from macie_members.sandbox.responses import route

    return route(environ.get("REQUEST_METHOD", "GET"), environ.get("PATH_INFO", "")) is not None


def _is_loopback(address: str) -> bool:
    import ipaddress

    try:
        return ipaddress.ip_address(address).is_loopback
    except ValueError:
        return False


def is_loopback_host(host: str) -> bool:
    """True when binding ``host`` exposes the server to this machine only."""
    return host == "localhost" or _is_loopback(host.strip("[]"))


def _account_of(access_key: str) -> str:
    from moto.iam.models import get_account_id_from

    account: str = get_account_id_from(access_key)
    return account


def _error(start_response: Callable[..., Any], code: str, message: str) -> list[bytes]:
    body = error_body(code, message)
    status = ERROR_STATUS[code]
    start_response(f"{status} {REASONS[status]}", error_headers(code, len(body)))
    return [body]


def make_app(
    *,
    latency_ms: float = 0,
    throttle_rps: float = 0,
    throttle_code: str = THROTTLE_CODES[0],
    fault_rate: float = 0,
    seed: int | None = None,
) -> SandboxMiddleware:
    install()
    from moto.moto_api import recorder
    from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app

    # The recorder appends every request (secrets included) to a file; MOTO_ENABLE_RECORDING
    # must not turn it on behind the sandbox's back.
    recorder._user_enabled = False
    recorder._os_enabled = False
    return SandboxMiddleware(
        DomainDispatcherApplication(create_backend_app),
        macie_app=create_backend_app("macie2"),
        latency_ms=latency_ms,
        throttle_rps=throttle_rps,
        throttle_code=throttle_code,
        fault_rate=fault_rate,
        seed=seed,
    )


def _check_port_free(host: str, port: int) -> None:
    """Fail with an OSError (not werkzeug's two lines and exit 1) when the address can't be
    bound: the port is taken, or the address isn't one of this machine's."""
    import socket

    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        probe.bind((host, port))


class SandboxServer:
    """The sandbox server on a background thread: ``with SandboxServer() as s: s.url``.

    It binds 127.0.0.1 by default and an ephemeral port when ``port`` is 0.
    """

    def __init__(self, host: str = "127.0.0.1", port: int = 0, **options: Any) -> None:
        import logging

        from werkzeug.serving import make_server

        # One log line per request would drown the operator's terminal and the test output.
        logging.getLogger("werkzeug").setLevel(logging.ERROR)
        self.app = make_app(**options)
        _check_port_free(host, port)
        try:
            self._server = make_server(host, port, self.app, threaded=True)
        except SystemExit:  # werkzeug exits (after printing) when the port is taken
            raise OSError(errno.EADDRINUSE, f"port {port} is in use") from None
        self.host, self.port = str(self._server.server_address[0]), int(self._server.server_address[1])
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def start(self) -> SandboxServer:
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def serve_forever(self) -> None:
        self._server.serve_forever()

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=10)

    def __enter__(self) -> SandboxServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
