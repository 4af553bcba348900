from __future__ import annotations

from collections.abc import Iterator

import pytest

from macie_members.sandbox.testing import sandbox_session

from .target import Target, open_target


@pytest.fixture
def target() -> Iterator[Target]:
    """The sandbox (default) or, with MACIE_FIDELITY_TARGET=aws, real AWS (docs/sandbox.md)."""
    yield from open_target(sandbox_session)
