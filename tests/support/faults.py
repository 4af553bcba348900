"""A fault-injecting HTTP proxy in front of the sandbox server, on loopback.

Every request (Macie, STS and EC2 alike: ``AWS_ENDPOINT_URL`` routes them all here) is forwarded
to the sandbox server, except that the first attempt of each distinct request of the chosen
operations gets a fault instead:

* ``throttle``: HTTP 429 ``TooManyRequestsException`` (what Macie has answered on real accounts;
  STS: ``Throttling``), not forwarded;
* ``throttling``: HTTP 429 ``ThrottlingException`` (the modelled one), not forwarded;
* ``server``: HTTP 500 ``InternalServerException`` (STS: ``InternalFailure``), not forwarded;
* ``lost``: forwarded (the sandbox does the work), then the connection is closed without an
  answer, as when a reply is lost: the retry finds its own work done;
* ``internal``: a batched request (CreateInvitations...) answered 200 with every account
  unprocessed with ``InternalError``, not forwarded.

The retry of the same request (same method, path and body) goes through untouched. With
``once_per_client``, only the first request of each client (credentials and Region) gets the
fault: throttling every request would have each client's pacer slow the run down, as it should.
"""

from __future__ import annotations

import http.client
import http.server
import json
import re
import threading
import urllib.parse
from collections import Counter
from typing import Any

MACIE_ROUTES = [
    ("POST", r"/members", "CreateMember"),
    ("GET", r"/members", "ListMembers"),
    ("GET", r"/members/[^/]+", "GetMember"),
    ("DELETE", r"/members/[^/]+", "DeleteMember"),
    ("POST", r"/members/disassociate/[^/]+", "DisassociateMember"),
    ("PATCH", r"/macie/members/[^/]+", "UpdateMemberSession"),
    ("POST", r"/invitations", "CreateInvitations"),
    ("GET", r"/invitations", "ListInvitations"),
    ("POST", r"/invitations/accept", "AcceptInvitation"),
    ("POST", r"/invitations/decline", "DeclineInvitations"),
    ("POST", r"/invitations/delete", "DeleteInvitations"),
    ("GET", r"/invitations/count", "GetInvitationsCount"),
    ("GET", r"/macie", "GetMacieSession"),
    ("POST", r"/macie", "EnableMacie"),
    ("GET", r"/administrator", "GetAdministratorAccount"),
    ("POST", r"/administrator/disassociate", "DisassociateFromAdministratorAccount"),
]
MUTATING = {"CreateMember", "DeleteMember", "DisassociateMember", "UpdateMemberSession", "CreateInvitations",
            "AcceptInvitation", "DeclineInvitations", "DeleteInvitations", "EnableMacie",
            "DisassociateFromAdministratorAccount"}


def operation_of(method: str, path: str, body: bytes) -> str:
    route = urllib.parse.urlsplit(path).path.rstrip("/") or "/"
    if route == "/" and method == "POST":
        action = urllib.parse.parse_qs(body.decode("utf-8", "replace")).get("Action", ["?"])[0]
        return f"query:{action}"
    for verb, pattern, name in MACIE_ROUTES:
        if verb == method and re.fullmatch(pattern, route):
            return name
    return f"{method} {route}"


def region_of(handler: http.server.BaseHTTPRequestHandler) -> str:
    """The Region of a SigV4-signed request (its credential scope)."""
    match = re.search(r"Credential=[^/]+/\d{8}/([^/]+)/", handler.headers.get("Authorization", ""))
    return match.group(1) if match else ""


def client_of(handler: http.server.BaseHTTPRequestHandler) -> tuple[str, str]:
    """The (access key, Region) that signed a request: one client of the run."""
    match = re.search(r"Credential=([^/]+)/\d{8}/([^/]+)/", handler.headers.get("Authorization", ""))
    return (match.group(1), match.group(2)) if match else ("", "")


def params_of(path: str, body: bytes) -> dict[str, Any]:
    """A Macie request's parameters: its JSON body, and the id in its path."""
    params: dict[str, Any] = json.loads(body) if body.strip() else {}
    last = urllib.parse.unquote(urllib.parse.urlsplit(path).path.rstrip("/").rsplit("/", 1)[-1])
    if re.fullmatch(r"[0-9]{12}", last):
        params["id"] = last
    return params


class FaultProxy:
    def __init__(self, upstream: str, fault: str | None = None, operations: set[str] | None = None, *,
                 once_per_client: bool = False, regions: set[str] | None = None) -> None:
        self.upstream = urllib.parse.urlsplit(upstream)
        self.fault = fault
        self.operations = operations  # None: every operation
        self.regions = regions  # None: every Region
        self.once_per_client = once_per_client  # only the first request of each (credentials, Region)
        self._clients: set[tuple[str, str]] = set()
        self.seen: Counter[str] = Counter()  # operation -> requests (attempts included)
        self.faulted: Counter[str] = Counter()
        # Mutating requests whose answer reached the client: (Region, operation, parameters).
        self.answered: list[tuple[str, str, dict[str, Any]]] = []
        self.hold: set[str] = set()  # operations whose requests wait for `release` (after `pass_first`)
        self.pass_first = 0
        self.held = threading.Event()  # set when a request starts waiting
        self.release = threading.Event()
        self._attempted: set[tuple[Any, ...]] = set()
        self._lock = threading.Lock()
        proxy = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:
                pass

            def _handle(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                proxy.handle(self, body)

            do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _handle

        class Server(http.server.ThreadingHTTPServer):
            # The default backlog (5) refuses connections when a run opens 64 at once.
            request_queue_size = 128

        self.server = Server(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def _fault_for(self, operation: str, key: tuple[Any, ...], client: tuple[str, str]) -> str | None:
        with self._lock:
            self.seen[operation] += 1
            if self.fault is None or (self.operations is not None and operation not in self.operations):
                return None
            if self.regions is not None and client[1] not in self.regions:
                return None
            if key in self._attempted or (self.once_per_client and client in self._clients):
                return None
            self._attempted.add(key)
            self._clients.add(client)
            self.faulted[operation] += 1
            return self.fault

    def _wait_if_held(self, operation: str) -> None:
        with self._lock:
            if operation not in self.hold:
                return
            if self.pass_first > 0:
                self.pass_first -= 1
                return
        self.held.set()
        self.release.wait(timeout=60)

    def handle(self, handler: http.server.BaseHTTPRequestHandler, body: bytes) -> None:
        operation = operation_of(handler.command, handler.path, body)
        self._wait_if_held(operation)
        client = client_of(handler)
        fault = self._fault_for(operation, (handler.command, handler.path, body, client), client)
        query = operation.startswith("query:")
        if fault == "internal" and operation in ("CreateInvitations", "DeclineInvitations", "DeleteInvitations"):
            ids = json.loads(body).get("accountIds", [])
            unprocessed = [{"accountId": a, "errorCode": "InternalError", "errorMessage": "injected, try again"}
                           for a in ids]
            self._reply(handler, 200, {"Content-Type": "application/json"},
                        json.dumps({"unprocessedAccounts": unprocessed}).encode())
            return
        if fault in ("throttle", "throttling", "server"):
            if query:
                code, status = ("Throttling", 400) if fault != "server" else ("InternalFailure", 500)
                payload = (f"<ErrorResponse><Error><Type>Sender</Type><Code>{code}</Code>"
                           f"<Message>injected {fault}</Message></Error><RequestId>x</RequestId></ErrorResponse>")
                self._reply(handler, status, {"Content-Type": "text/xml"}, payload.encode())
                return
            code = {"throttle": "TooManyRequestsException", "throttling": "ThrottlingException",
                    "server": "InternalServerException"}[fault]
            status = 500 if fault == "server" else 429
            self._reply(handler, status, {"Content-Type": "application/json", "x-amzn-ErrorType": code},
                        b'{"message": "injected ' + fault.encode() + b'"}')
            return
        status, headers, payload = self._forward(handler, body)
        if fault == "lost":
            handler.close_connection = True  # the work is done upstream; the answer never arrives
            return
        self._reply(handler, status, headers, payload)
        if operation in MUTATING and status < 300:
            with self._lock:
                self.answered.append((region_of(handler), operation, params_of(handler.path, body)))

    def _forward(self, handler: http.server.BaseHTTPRequestHandler, body: bytes) -> tuple[int, dict[str, str], bytes]:
        connection = http.client.HTTPConnection(self.upstream.hostname or "127.0.0.1", self.upstream.port, timeout=60)
        try:
            headers = {k: v for k, v in handler.headers.items() if k.lower() not in ("host", "connection")}
            connection.request(handler.command, handler.path, body=body, headers=headers)
            response = connection.getresponse()
            payload = response.read()
            kept = {k: v for k, v in response.getheaders()
                    if k.lower() not in ("transfer-encoding", "connection", "content-length")}
            return response.status, kept, payload
        finally:
            connection.close()

    @staticmethod
    def _reply(handler: http.server.BaseHTTPRequestHandler, status: int, headers: dict[str, str], payload: bytes) -> None:
        handler.send_response(status)
        for key, value in headers.items():
            handler.send_header(key, value)
        handler.send_header("Content-Length", str(len(payload)))
        handler.end_headers()
        handler.wfile.write(payload)
