"""moto's in-process mock with the sandbox installed as its macie2 backend, and the check that
the sandbox's extra is installed at all. (Apart from the package's ``__init__`` so that the
state module can use the mock without importing the package it belongs to.)"""

from __future__ import annotations

import contextlib
import importlib.util
from collections.abc import Iterator
from typing import Any

from macie_members.errors import ConfigError

# The modules the sandbox needs beyond the default install (the `sandbox` extra).
EXTRA_MODULES = ("moto", "flask", "flask_cors", "boto3")
EXTRA_HINT = (
    "install it with: pip install 'macie-members[sandbox]' "
    "(with pipx: pipx install --force 'macie-members[sandbox]')"
)


class SandboxNotInstalled(ConfigError):
    """The sandbox's extra is not installed (exit 253, one line, no traceback)."""


def require_extra() -> None:
    """Refuse, in one line, a sandbox command when the ``sandbox`` extra is missing (checked
    without importing it: ``find_spec`` only looks)."""
    missing = [name for name in EXTRA_MODULES if importlib.util.find_spec(name) is None]
    if missing:
        raise SandboxNotInstalled(
            f"The sandbox is not installed ({', '.join(missing)} missing): {EXTRA_HINT}."
        )


_installed_original: Any = None


def install() -> None:
    """Register the sandbox backend as moto's macie2 backend (idempotent)."""
    global _installed_original
    require_extra()
    import moto.macie2

    from macie_members.sandbox.models import sandbox_backends

    if moto.macie2.macie2_backends is sandbox_backends:
        return
    _installed_original = moto.macie2.macie2_backends
    moto.macie2.macie2_backends = sandbox_backends  # type: ignore[assignment]


def uninstall() -> None:
    """Give moto its own macie2 backend back."""
    global _installed_original
    import moto.macie2

    if _installed_original is not None:
        moto.macie2.macie2_backends = _installed_original
        _installed_original = None


@contextlib.contextmanager
def mock_sandbox() -> Iterator[None]:
    """moto's in-process mock of every AWS service, with the Macie sandbox installed.

    Inside, boto3 clients created without an endpoint URL reach the sandbox; moto sets fake
    credentials for the duration. State starts empty and is discarded on exit.
    """
    from moto import mock_aws

    install()
    try:
        with mock_aws():
            yield
    finally:
        uninstall()
