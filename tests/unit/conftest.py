"""tests/unit is pure: no server, no subprocess, no socket. A test here that connects a socket
or starts a process fails, at once, with the reason; such a test belongs in tests/cli (through
the CLI on the sandbox), tests/sandbox or tests/parity.

(Files and monkeypatched environments are fine; so is botocore, as long as nothing is sent.)
"""

from __future__ import annotations

import socket
import subprocess
from typing import Any, NoReturn

import pytest


def _refuse(what: str) -> Any:
    def refused(*args: Any, **kwargs: Any) -> NoReturn:
        raise AssertionError(f"tests/unit is pure: this test {what} (move it to tests/cli, tests/sandbox "
                             "or tests/parity)")

    return refused


@pytest.fixture(autouse=True)
def pure(monkeypatch: pytest.MonkeyPatch) -> None:
    """No socket connects, binds or listens, and no process starts, during a unit test."""
    monkeypatch.setattr(socket.socket, "connect", _refuse("connects a socket"))
    monkeypatch.setattr(socket.socket, "connect_ex", _refuse("connects a socket"))
    monkeypatch.setattr(socket.socket, "bind", _refuse("binds a socket"))
    monkeypatch.setattr(socket, "create_connection", _refuse("connects a socket"))
    monkeypatch.setattr(subprocess.Popen, "__init__", _refuse("starts a subprocess"))
