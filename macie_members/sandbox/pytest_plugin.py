"""The ``macie_sandbox`` pytest fixture (loaded through :mod:`macie_members.sandbox.testing`)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from macie_members.sandbox.testing import Sandbox, sandbox_session


@pytest.fixture
def macie_sandbox() -> Iterator[Sandbox]:
    """The in-process Macie sandbox (moto's mock with the extension), empty for each test."""
    with sandbox_session() as sandbox:
        yield sandbox
