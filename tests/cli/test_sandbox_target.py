"""``sandbox reset``, ``sandbox accept`` and ``sandbox condition`` act on one sandbox, the one the
commands around them use, and say which: the server at a configured endpoint (the option, the
environment, the profile's ``endpoint_url``) once it answers as ours on this machine, else the
embedded one. A configured endpoint that is not a sandbox server on this machine is refused
(253, one line) and gets no control request."""

from __future__ import annotations

import http.server
import json
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.support.helpers import EMAIL, admin_client, closed_port, one_line_error

A = "111111111111"
COMMANDS = {
    "reset": ["sandbox", "reset"],
    "accept": ["sandbox", "accept", "--account", A],
    "condition": ["sandbox", "condition", "--account", A, "--suspended"],
}
BY_COMMAND = pytest.mark.parametrize("command", list(COMMANDS))


def invited(url: str) -> None:
    admin = admin_client(url)
    admin.create_member(account={"accountId": A, "email": EMAIL})
    admin.create_invitations(accountIds=[A])


def members(url: str) -> list[tuple[str, str]]:
    answer = admin_client(url).list_members(onlyAssociated="false")["members"]
    return [(m["accountId"], m["relationshipStatus"]) for m in answer]


class Stranger:
    """An HTTP server on loopback that is not a sandbox: it records each request and answers
    ``status`` with ``body``."""

    def __init__(self, status: int, body: bytes) -> None:
        self.requests: list[tuple[str, str]] = []
        stranger = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def _answer(self) -> None:
                stranger.requests.append((self.command, self.path))
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            do_GET = do_POST = _answer

            def log_message(self, *args: Any) -> None:
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def stranger(request: pytest.FixtureRequest) -> Iterator[Stranger]:
    server = Stranger(*getattr(request, "param", (200, b'{"requests": {}}')))
    yield server
    server.stop()


def write_profile(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, **values: str) -> None:
    config = tmp_path / "config"
    config.write_text("[default]\n" + "".join(f"{k} = {v}\n" for k, v in values.items()))
    monkeypatch.setenv("AWS_CONFIG_FILE", str(config))


# ------------------------------------------------------------------- the server, configured


@BY_COMMAND
@pytest.mark.parametrize("configured", ["option", "environment", "profile"])
def test_with_an_endpoint_each_command_acts_on_the_server_and_says_so(
    invoke: Any, server: Any, command: str, configured: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    invited(server.url)
    embedded = tmp_path / "embedded.json"
    monkeypatch.setenv("MACIE_MEMBERS_SANDBOX_STATE", str(embedded))
    invoke("--sandbox", "create-member", "--account", f"accountId={A},email={EMAIL}")  # an embedded state too
    before = embedded.read_bytes()
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    option: list[str] = []
    if configured == "option":
        option = ["--endpoint-url", server.url]
    elif configured == "environment":
        monkeypatch.setenv("AWS_ENDPOINT_URL_MACIE2", server.url)
    else:
        write_profile(tmp_path, monkeypatch, endpoint_url=server.url)
    result = invoke(*option, *COMMANDS[command])
    assert f"(the sandbox server at {server.url})" in result.stderr.splitlines()[-1], result.stderr
    assert embedded.read_bytes() == before  # the embedded sandbox is untouched
    if command == "reset":
        assert result.stdout == "" and members(server.url) == []
    elif command == "accept":
        assert json.loads(result.stdout)["accepted"] is True
        assert members(server.url) == [(A, "Enabled")]
    else:
        assert result.stdout == ""
        assert members(server.url) == [(A, "AccountSuspended")]


def test_reset_on_the_server_forgets_its_conditions_and_counters(invoke: Any, aws: Any) -> None:
    invited(aws.url)
    invoke("sandbox", "condition", "--account", A, "--role", "R", "--external-id", "Ext-1")
    invoke("sandbox", "reset")
    stats = aws.stats()
    assert stats["total"] == 0 and stats["assumeRole"] == []
    assert members(aws.url) == []


# ------------------------------------------------------------------------- the embedded one


@BY_COMMAND
@pytest.mark.parametrize("how", ["no endpoint", "--sandbox with an endpoint", "endpoints ignored"])
def test_without_an_endpoint_each_command_acts_on_the_embedded_sandbox(
    invoke: Any, fake_credentials: None, stranger: Stranger, command: str, how: str, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    state = tmp_path / "state.json"
    monkeypatch.setenv("MACIE_MEMBERS_SANDBOX_STATE", str(state))
    monkeypatch.setenv("MACIE_MEMBERS_SANDBOX_VERIFICATION_DELAY", "0")
    invoke("--sandbox", "create-member", "--account", f"accountId={A},email={EMAIL}")
    invoke("--sandbox", "create-invitations", "--account-ids", A)
    flags: list[str] = []
    if how == "--sandbox with an endpoint":
        monkeypatch.setenv("AWS_ENDPOINT_URL", stranger.url)
        flags = ["--sandbox"]
    elif how == "endpoints ignored":  # botocore's switch: the environment's and profile's endpoints don't count
        write_profile(tmp_path, monkeypatch, endpoint_url=stranger.url, ignore_configured_endpoint_urls="true")
    result = invoke(*flags, *COMMANDS[command])
    assert f"(the embedded sandbox, state in {state})" in result.stderr.splitlines()[-1], result.stderr
    assert stranger.requests == []
    if command == "reset":
        assert not state.exists()
    else:
        listed = json.loads(invoke("--sandbox", "list-members", "--only-associated", "false").stdout)["members"]
        assert [m["relationshipStatus"] for m in listed] == ["Enabled" if command == "accept" else "AccountSuspended"]


# ------------------------------------------------------------------------------ refusals


@BY_COMMAND
@pytest.mark.parametrize("stranger", [(200, b'{"requests": {}}'), (200, b"<html>hello</html>"),
                                      (404, b'{"message": "no such route"}'), (403, b"denied")],
                         indirect=True, ids=["json", "html", "404", "403"])
def test_a_loopback_endpoint_that_is_not_our_sandbox_is_refused_and_gets_no_control_request(
    invoke: Any, fake_credentials: None, stranger: Stranger, command: str,
) -> None:
    result = invoke("--endpoint-url", stranger.url, *COMMANDS[command], rc=253)
    line = one_line_error(result)
    assert line.startswith(f"{stranger.url} does not answer as a macie-members sandbox server (GET /_sandbox/stats: ")
    assert line.endswith("nothing was sent to it."), line
    assert result.stdout == ""
    assert stranger.requests == [("GET", "/_sandbox/stats")]


@BY_COMMAND
@pytest.mark.parametrize("endpoint", ["https://macie2.us-east-1.amazonaws.com", "http://192.0.2.1:4566",
                                      "http://sandbox.example.com:4566", "http://[::ffff:192.0.2.1]:9",
                                      "ftp://127.0.0.1:9"])
def test_an_endpoint_off_this_machine_is_refused_before_connecting(
    invoke: Any, fake_credentials: None, command: str, endpoint: str, monkeypatch: pytest.MonkeyPatch,
) -> None:
    # 192.0.2.1 (TEST-NET-1) is never assigned: a connection would wait, then fail with 255.
    monkeypatch.setenv("AWS_ENDPOINT_URL", endpoint)
    result = invoke(*COMMANDS[command], rc=253)
    line = one_line_error(result)
    assert line.startswith(f"{endpoint} is not a sandbox server on this machine"), line
    assert "--sandbox" in line and result.stdout == ""


@BY_COMMAND
def test_a_dead_loopback_endpoint_is_a_connection_failure(invoke: Any, fake_credentials: None, command: str) -> None:
    url = f"http://127.0.0.1:{closed_port()}"
    result = invoke("--endpoint-url", url, *COMMANDS[command], rc=255)
    assert one_line_error(result).startswith(f'Could not connect to the sandbox endpoint URL: "{url}/_sandbox/stats"')


def test_a_server_and_its_client_agree_on_the_mark(sandbox_server: Any) -> None:
    from macie_members.aws.sandbox_endpoint import SANDBOX_MARK

    key, value = SANDBOX_MARK
    assert sandbox_server.stats()[key] == value
