from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

pytest_plugins = ["macie_members.sandbox.testing"]

ROOT = Path(__file__).resolve().parent.parent


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if os.name != "posix":
        skip = pytest.mark.skip(reason="needs POSIX signals, terminals or a POSIX shell")
        for item in items:
            if "posix" in item.keywords:
                item.add_marker(skip)


@pytest.fixture(autouse=True)
def clean_aws_env(monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory) -> None:
    """No test sees the developer's AWS configuration, credentials or endpoints."""
    for name in list(os.environ):
        if name.startswith(("AWS_", "MACIE_MEMBERS_")) or name == "NO_COLOR":
            monkeypatch.delenv(name, raising=False)
    home = tmp_path_factory.mktemp("aws-home")
    monkeypatch.setenv("AWS_CONFIG_FILE", str(home / "config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(home / "credentials"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    monkeypatch.setenv("MACIE_MEMBERS_SANDBOX_STATE", str(home / "sandbox.json"))


@pytest.fixture
def fake_credentials(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")


@pytest.fixture
def invoke() -> Any:
    """Run the CLI in-process; assert the exit code; stdout and stderr stay separate."""
    from macie_members.cli import cli

    def _invoke(*args: str, rc: int = 0, stdin: str | None = None) -> Result:
        runner = CliRunner()
        result = runner.invoke(cli, list(args), input=stdin, catch_exceptions=False)
        assert result.exit_code == rc, (
            f"exit {result.exit_code} != {rc}\nstdout: {result.stdout}\nstderr: {result.stderr}"
        )
        return result

    return _invoke


class ServerProcess:
    """``macie-members sandbox serve`` in a subprocess, on an ephemeral loopback port.

    Email verification is instant unless ``instant_verification=False`` (the server's own
    default is a delay) or a ``--verification-delay`` option says otherwise.
    """

    def __init__(
        self, *options: str, instant_verification: bool = True, cwd: Path | None = None,
        env: dict[str, str] | None = None,
    ) -> None:
        environment = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
        if instant_verification:
            environment["MACIE_MEMBERS_SANDBOX_VERIFICATION_DELAY"] = "0"
        environment.update(env or {})
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "macie_members", "sandbox", "serve", "--port", "0", *options],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=environment,
            cwd=cwd,
        )
        assert self.proc.stdout is not None
        deadline = time.monotonic() + 60
        line = ""
        while time.monotonic() < deadline:
            line = self.proc.stdout.readline()
            if line.startswith("Macie sandbox listening on "):
                break
            if not line and self.proc.poll() is not None:
                raise RuntimeError(f"sandbox serve exited: {self.proc.stderr.read() if self.proc.stderr else ''}")
        self.url = line.strip().rsplit(" ", 1)[-1]
        assert self.url.startswith("http://127.0.0.1:"), line

    def control(self, path: str, body: dict[str, Any] | None = None) -> Any:
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(self.url + path, data=data, method="GET" if body is None else "POST")
        with urllib.request.urlopen(request, timeout=30) as response:
            return json.loads(response.read() or b"null")

    def reset(self) -> None:
        self.control("/_sandbox/reset", {})

    def stats(self) -> dict[str, Any]:
        result: dict[str, Any] = self.control("/_sandbox/stats")
        return result

    def stop(self) -> str:
        """Stop the server (once); its stderr."""
        if self.proc.returncode is not None:
            return ""
        self.proc.terminate()
        try:
            _, stderr = self.proc.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            _, stderr = self.proc.communicate()
        return stderr or ""


@pytest.fixture(scope="module")
def _module_server() -> Iterator[ServerProcess]:
    server = ServerProcess()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def sandbox_server(_module_server: ServerProcess) -> ServerProcess:
    """A sandbox server shared by a test module, emptied before each test."""
    _module_server.reset()
    return _module_server


@pytest.fixture
def server_factory() -> Iterator[Any]:
    started: list[ServerProcess] = []

    def _start(*options: str, **kwargs: Any) -> ServerProcess:
        server = ServerProcess(*options, **kwargs)
        started.append(server)
        return server

    yield _start
    for server in started:
        server.stop()
