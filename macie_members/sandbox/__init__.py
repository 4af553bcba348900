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
  (:func:`embedded_sandbox`), so a sequence of shell commands tells one story.

This package imports moto; nothing outside it (and the CLI's sandbox commands) may import it,
so that ordinary commands start without loading moto.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from macie_members.errors import ConfigError

STATE_VERSION = 1
STATE_ENV = "MACIE_MEMBERS_SANDBOX_STATE"

_installed_original: Any = None


def install() -> None:
    """Register the sandbox backend as moto's macie2 backend (idempotent)."""
    global _installed_original
    import moto.macie2

    from .models import sandbox_backends

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


def default_state_path() -> Path:
    """Where ``--sandbox`` keeps its state: ``$MACIE_MEMBERS_SANDBOX_STATE``, else
    ``$XDG_STATE_HOME/macie-members/sandbox.json`` (``~/.local/state`` when unset)."""
    explicit = os.environ.get(STATE_ENV)
    if explicit:
        return Path(explicit).expanduser()
    base = os.environ.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
    return Path(base) / "macie-members" / "sandbox.json"


def dump_state() -> dict[str, Any]:
    """Every sandbox backend's state, as JSON-ready data."""
    from .models import sandbox_backends

    accounts: dict[str, dict[str, Any]] = {}
    for account_id, region, backend in sandbox_backends.iter_backends():
        accounts.setdefault(account_id, {})[region] = backend.to_state()  # type: ignore[attr-defined]
    return {"version": STATE_VERSION, "accounts": accounts}


def load_state(data: Any, *, source: str) -> None:
    """Replace the sandbox's state with ``data`` (as written by :func:`dump_state`)."""
    from .models import sandbox_backends

    def corrupt(why: str) -> ConfigError:
        return ConfigError(
            f"The sandbox state file {source} is corrupt ({why}). Delete it, or run "
            "'macie-members sandbox reset', to start from an empty sandbox."
        )

    if not isinstance(data, dict) or type(data.get("version")) is not int or data["version"] != STATE_VERSION:
        raise corrupt(f"expected a JSON object with version {STATE_VERSION}")
    accounts = data.get("accounts")
    if not isinstance(accounts, dict):
        raise corrupt("'accounts' is missing")
    try:
        for account_id, regions in accounts.items():
            for region, region_state in dict(regions).items():
                sandbox_backends[str(account_id)][str(region)].load_state(region_state)
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise corrupt(f"{type(exc).__name__}: {exc}") from None


def read_state_file(path: Path) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except IsADirectoryError:
        raise ConfigError(f"The sandbox state file {path} is a directory.") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"The sandbox state file {path} can't be read: {exc}") from None
    if not text.strip():
        return None
    try:
        return json.loads(text)
    except (ValueError, RecursionError) as exc:
        raise ConfigError(
            f"The sandbox state file {path} is corrupt (not JSON: {exc}). Delete it, or run "
            "'macie-members sandbox reset', to start from an empty sandbox."
        ) from None


def write_state_file(path: Path, data: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(data, indent=1, sort_keys=True), encoding="utf-8")
    os.replace(tmp, path)


@contextlib.contextmanager
def embedded_sandbox(path: Path | None = None) -> Iterator[Path]:
    """An in-process sandbox whose state is read from and written back to ``path``.

    The file is locked for the duration, so two commands run at once wait for each other
    instead of losing each other's changes. The state is written back even when the command
    fails halfway, so whatever it did is kept.
    """
    state_path = path or default_state_path()
    try:
        state_path.parent.mkdir(parents=True, exist_ok=True)
        lock_file = open(state_path.with_name(state_path.name + ".lock"), "a")  # noqa: SIM115
    except OSError as exc:
        raise ConfigError(f"The sandbox state file {state_path} can't be used: {exc}") from None
    with lock_file:
        fcntl.flock(lock_file, fcntl.LOCK_EX)
        data = read_state_file(state_path)
        with mock_sandbox():
            if data is not None:
                load_state(data, source=str(state_path))
            try:
                yield state_path
            finally:
                write_state_file(state_path, dump_state())


def reset_state_file(path: Path | None = None) -> Path:
    state_path = path or default_state_path()
    try:
        state_path.unlink()
    except FileNotFoundError:
        pass
    except OSError as exc:
        raise ConfigError(f"The sandbox state file {state_path} can't be removed: {exc.strerror or exc}.") from None
    return state_path
