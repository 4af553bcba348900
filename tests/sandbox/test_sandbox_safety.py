"""Safe to run anywhere: the server's loopback-only routes, moto's recorder, the non-loopback
warning, and the ``sandbox condition`` / ``--sandbox`` commands' one-line errors."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.support.helpers import one_line_error

Invoke = Any
MEMBER = "111111111111"


# ------------------------------------------------------------- loopback-only routes


@pytest.fixture
def wsgi() -> Any:
    """The server's WSGI application, driven by werkzeug's test client (any client address)."""
    from werkzeug.test import Client

    from macie_members.sandbox import uninstall
    from macie_members.sandbox.server import make_app

    class From:
        def __init__(self, address: str) -> None:
            self.client, self.address = Client(app), address

        def open(self, path: str, method: str = "GET", data: bytes = b"") -> Any:
            return self.client.open(path, method=method, data=data, environ_base={"REMOTE_ADDR": self.address})

        def get(self, path: str) -> Any:
            return self.open(path)

        def post(self, path: str, data: bytes = b"") -> Any:
            return self.open(path, "POST", data)

    app = make_app()
    try:
        yield From
    finally:
        uninstall()


REMOTE = "203.0.113.7"  # TEST-NET-3: another machine


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/moto-api/data.json"),  # would dump the assumed-role secret keys
        ("POST", "/moto-api/reset"),
        ("POST", "/moto-api/recorder/upload-recording"),
        ("GET", "/moto-api/"),
        ("GET", "/_sandbox/stats"),
        ("POST", "/_sandbox/reset"),
        ("POST", "/_sandbox/clock"),
    ],
)
def test_control_routes_refuse_other_machines(wsgi: Any, method: str, path: str) -> None:
    response = wsgi(REMOTE).open(path, method=method, data=b"{}")
    assert response.status_code == 403
    assert response.headers["Content-Type"] == "application/json"
    assert "loopback only" in response.get_json()["message"]


@pytest.mark.parametrize("address", ["127.0.0.1", "::1"])
def test_control_routes_answer_loopback(wsgi: Any, address: str) -> None:
    client = wsgi(address)
    assert client.get("/_sandbox/stats").get_json()["total"] == 0
    assert client.get("/moto-api/data.json").status_code == 200


@pytest.mark.parametrize("route", ["start-recording", "upload-recording", "download-recording", "replay-recording"])
def test_the_recorder_is_refused_even_on_loopback(wsgi: Any, route: str) -> None:
    response = wsgi("127.0.0.1").post(f"/moto-api/recorder/{route}", data=b"x")
    assert response.status_code == 403
    assert "recorder is off" in response.get_json()["message"]


def test_the_recorder_stays_off_whatever_the_environment(server_factory: Any, tmp_path: Path) -> None:
    from tests.support.helpers import admin_client, member_client

    server = server_factory(cwd=tmp_path, env={"MOTO_ENABLE_RECORDING": "true"})
    admin_client(server.url).create_member(account={"accountId": MEMBER, "email": "m@example.com"})
    member_client(server.url, MEMBER).list_invitations()
    server.stop()
    assert list(tmp_path.iterdir()) == []  # moto would have written moto_recording here


# ------------------------------------------------------------------ non-loopback host


@pytest.mark.parametrize(
    ("host", "loopback"),
    [("127.0.0.1", True), ("127.0.0.2", True), ("::1", True), ("[::1]", True), ("localhost", True),
     ("0.0.0.0", False), ("::", False), ("192.168.1.10", False), ("example.com", False)],
)
def test_is_loopback_host(host: str, loopback: bool) -> None:
    from macie_members.sandbox.server import is_loopback_host

    assert is_loopback_host(host) is loopback


def test_serve_on_a_non_loopback_address_warns() -> None:
    # 192.0.2.1 (TEST-NET-1) is never assigned to this machine: the warning comes first, then
    # the bind fails, so no test server ever listens beyond loopback.
    proc = subprocess.run(
        [sys.executable, "-m", "macie_members", "sandbox", "serve", "--host", "192.0.2.1", "--port", "0"],
        capture_output=True, text=True, timeout=60,
    )
    warning, error = proc.stderr.strip().splitlines()
    assert warning.startswith("Warning: --host 192.0.2.1 makes the sandbox reachable from other machines")
    assert "no authentication" in warning
    assert error.startswith("Can't listen on 192.0.2.1:0: ")
    assert (proc.returncode, proc.stdout) == (253, "")


def test_serve_on_loopback_does_not_warn(server_factory: Any) -> None:
    server = server_factory()
    assert "Warning" not in server.stop()


# ------------------------------------------------------------------ sandbox condition


# A dead endpoint, one that is not a sandbox: tests/cli/test_sandbox_target.py.


@pytest.mark.parametrize(("region", "message"), [("mars-west-9", "'mars-west-9' is not a Region"),
                                                 ("cn-north-1", "Macie is not offered in cn-north-1")])
@pytest.mark.parametrize("where", ["server", "embedded"])
def test_condition_in_a_region_without_macie_is_refused_first(
    invoke: Invoke, fake_credentials: None, sandbox_server: Any, where: str, region: str, message: str
) -> None:
    """Regions are checked before anything is sent, as for every command (252)."""
    target = ["--endpoint-url", sandbox_server.url] if where == "server" else ["--sandbox"]
    result = invoke("sandbox", "condition", "--account", MEMBER, "--suspended", "--region", region, *target, rc=252)
    assert message in one_line_error(result)


@pytest.mark.parametrize(("option", "value"), [("--account", "١٢٣٤٥٦٧٨٩٠١٢"), ("--email", "not-an-email")])
def test_condition_checks_its_input(invoke: Invoke, option: str, value: str) -> None:
    args = {"--account": MEMBER, "--email": "ops@example.com"} | {option: value}
    result = invoke("--sandbox", "sandbox", "condition", *[x for kv in args.items() for x in kv], rc=252)
    assert "isn't valid" in one_line_error(result)


def test_condition_email_in_the_embedded_sandbox(invoke: Invoke, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MACIE_MEMBERS_SANDBOX_VERIFICATION_DELAY", "0")
    invoke("--sandbox", "sandbox", "condition", "--account", MEMBER, "--email", "ops@example.com")
    for email, status in (("jane@example.com", "EmailVerificationFailed"), ("OPS@example.com", "Invited")):
        invoke("--sandbox", "create-member", "--account", f"accountId={MEMBER},email={email}")
        invoke("--sandbox", "create-invitations", "--account-ids", MEMBER)
        member = json.loads(invoke("--sandbox", "list-members", "--only-associated", "false").stdout)["members"]
        assert member[0]["relationshipStatus"] == status
        invoke("--sandbox", "delete-member", "--id", MEMBER)


# ------------------------------------------------------- Regions without Macie, --sandbox


@pytest.mark.parametrize(("region", "message"), [("mars-west-9", "'mars-west-9' is not a Region"),
                                                 ("cn-north-1", "Macie is not offered in cn-north-1"),
                                                 ("us-gov-west-1", "Macie is not offered in us-gov-west-1")])
def test_embedded_sandbox_in_a_region_without_macie(invoke: Invoke, region: str, message: str) -> None:
    """Refused before anything is sent (252, one line), never a KeyError. (The sandbox itself,
    asked directly, has no endpoint there, as AWS: tests/sandbox/test_sandbox*.py.)"""
    result = invoke("--sandbox", "list-members", "--region", region, rc=252)
    assert message in one_line_error(result)
    assert "KeyError" not in result.stderr
