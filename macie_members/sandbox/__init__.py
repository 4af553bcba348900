"""A local Amazon Macie that behaves like Macie's member lifecycle, built on moto.

moto's macie2 service lacks CreateMember, GetMember and UpdateMemberSession and models the
member lifecycle loosely. This package extends it through moto's own machinery: a backend
class (:mod:`.models`), response handlers (:mod:`.responses`) and URL routes (:mod:`.urls`),
registered as moto's macie2 backend by :func:`install`. Nothing of moto is copied or forked.

Three ways to use it:

* in tests, :func:`mock_sandbox` (a context manager) or the ``macie_sandbox`` pytest fixture in
  :mod:`macie_members.sandbox.testing`: moto's in-process mock with the extension installed;
* ``macie-members sandbox serve``: a local HTTP server (:mod:`.server`) that the AWS CLI and
  boto3 reach with ``--endpoint-url``;
* ``macie-members --sandbox ...``: an in-process sandbox whose state persists in a JSON file
  (:func:`embedded_sandbox`, :mod:`.state`), so a sequence of shell commands tells one story.

The package keeps its own copy of Macie's domain rules (statuses, id and email checks, limits,
:mod:`.rules`) on purpose: it stands in for the service, so it shares no code with the client.

This package imports moto; nothing outside it (and the CLI's sandbox commands) may import it,
so that ordinary commands start without loading moto.

May import: ``errors``, moto, boto3 and botocore, nothing else of the package (its own copy of
the rules, on purpose); imported only by the CLI's ``sandbox`` commands and, lazily, to install
the embedded sandbox.
"""

from __future__ import annotations

import contextlib
import importlib.util
from collections.abc import Iterator
from typing import Any

from macie_members.errors import ConfigError
from macie_members.sandbox.state import (
    STATE_VERSION,
    default_state_path,
    dump_state,
    embedded_sandbox,
    load_state,
    read_state_file,
    reset_state_file,
)

__all__ = [
    "EXTRA_HINT", "STATE_VERSION", "SandboxNotInstalled", "default_state_path", "dump_state",
    "embedded_sandbox", "install", "load_state", "mock_sandbox", "read_state_file", "require_extra",
    "reset_state_file", "uninstall",
]

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
