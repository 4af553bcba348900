"""The sandbox's in-process fixture, ``macie_sandbox`` (moto's mock with the extension), for the
tests of the sandbox itself. Registered here rather than through ``pytest_plugins`` in
tests/conftest.py so that runs of other folders (tests/unit) do not import moto."""

from __future__ import annotations

from macie_members.sandbox.pytest_plugin import macie_sandbox

__all__ = ["macie_sandbox"]
