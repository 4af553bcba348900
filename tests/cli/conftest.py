"""The environments the CLI's tests run in: a sandbox server with credentials (``server``,
``aws``), the same behind a fault proxy (``proxy``), an endpoint where nothing listens
(``nowhere``), the embedded sandbox (``sandbox``); ``two_members`` in ``aws``'s inventory."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.support.faults import FaultProxy
from tests.support.helpers import EMAIL, admin_client, running_proxy


@pytest.fixture
def server(sandbox_server: Any, monkeypatch: pytest.MonkeyPatch) -> Any:
    """The sandbox server with fake credentials in the environment (no endpoint, no region)."""
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_MAX_ATTEMPTS", "1")
    return sandbox_server


@pytest.fixture
def aws(server: Any, monkeypatch: pytest.MonkeyPatch) -> Any:
    """``server``, reached through AWS_ENDPOINT_URL, in us-east-1."""
    monkeypatch.setenv("AWS_ENDPOINT_URL", server.url)
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    return server


@pytest.fixture
def two_members(aws: Any) -> Any:
    """``aws`` with 222222222222 and 111111111111 (in that order) in its inventory, Created."""
    admin = admin_client(aws.url)
    for account in ("222222222222", "111111111111"):
        admin.create_member(account={"accountId": account, "email": EMAIL})
    return aws


@pytest.fixture
def proxy(sandbox_server: Any) -> Iterator[FaultProxy]:
    """A fault proxy in front of the module's sandbox server (no faults unless a test sets them)."""
    yield from running_proxy(sandbox_server.url)


@pytest.fixture
def nowhere(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Credentials, a Region, and an endpoint where nothing listens: a request would fail (255)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    monkeypatch.setenv("AWS_MAX_ATTEMPTS", "1")
    monkeypatch.setenv("AWS_ENDPOINT_URL", f"http://127.0.0.1:{port}")
    yield


@pytest.fixture
def sandbox(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """The embedded sandbox, with its state in tmp_path."""
    monkeypatch.setenv("MACIE_MEMBERS_SANDBOX", "1")
    monkeypatch.setenv("MACIE_MEMBERS_SANDBOX_STATE", str(tmp_path / "state.json"))
    monkeypatch.setenv("MACIE_MEMBERS_SANDBOX_VERIFICATION_DELAY", "0")
    return tmp_path
