"""Fixtures for every folder: a clean AWS environment, the CLI in-process, sandbox servers, the
embedded sandbox's state file. (Helpers: tests/support/helpers.py.)"""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from tests.support.helpers import ServerProcess

# The sandbox's own pytest fixture (``macie_sandbox``, moto in this process) is registered where
# it is used, in tests/sandbox/conftest.py: loading it here would import moto in every run,
# tests/unit's too. tests/sandbox/test_sandbox_state.py checks that a user's
# ``pytest_plugins = ["macie_members.sandbox.testing"]`` loads it.


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if os.name != "posix":
        skip = pytest.mark.skip(reason="needs POSIX signals, terminals or a POSIX shell")
        for item in items:
            if "posix" in item.keywords:
                item.add_marker(skip)


@pytest.fixture(scope="session")
def _aws_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where the tests' AWS files would be: an empty directory, made once."""
    return tmp_path_factory.mktemp("aws-home")


_TEST_NUMBER = itertools.count()


@pytest.fixture(autouse=True)
def clean_aws_env(monkeypatch: pytest.MonkeyPatch, _aws_home: Path) -> None:
    """No test sees the developer's AWS configuration, credentials or endpoints: the AWS files
    are in an empty directory, and each test has a sandbox state file and a run-lock directory
    of its own (not there yet)."""
    for name in list(os.environ):
        if name.startswith(("AWS_", "MACIE_MEMBERS_")) or name == "NO_COLOR":
            monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(_aws_home / "config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(_aws_home / "credentials"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    number = next(_TEST_NUMBER)
    monkeypatch.setenv("MACIE_MEMBERS_SANDBOX_STATE", str(_aws_home / f"sandbox-{number}.json"))
    # Run locks of its own too: tests run in parallel with the same fake account.
    monkeypatch.setenv("MACIE_MEMBERS_LOCK_DIR", str(_aws_home / f"locks-{number}"))


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


@pytest.fixture
def state(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The sandbox state file of the embedded sandbox (``--sandbox``): not there yet."""
    path = tmp_path / "state" / "sandbox.json"
    monkeypatch.setenv("MACIE_MEMBERS_SANDBOX_STATE", str(path))
    return path


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
