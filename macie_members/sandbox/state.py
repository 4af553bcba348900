"""The embedded sandbox's state file (``--sandbox``): where it lives, how it is read, locked,
written and reset.

* **Where**: ``$MACIE_MEMBERS_SANDBOX_STATE``, else ``sandbox.json`` in the platform's user state
  directory (platformdirs: ``$XDG_STATE_HOME/macie-members`` or ``~/.local/state/macie-members``
  on Linux, ``~/Library/Application Support/macie-members`` on macOS,
  ``%LOCALAPPDATA%\\macie-members`` on Windows).
* **Locking**: a ``.lock`` file next to it (the ``filelock`` library: flock on POSIX,
  ``msvcrt`` on Windows) serialises commands run at once; it is removed when the command ends.
* **Writing**: the new state goes to a temporary file created with ``O_EXCL`` (never following a
  symlink) in the same directory, then replaces the state file. The temporary file is created
  before the command runs, so an unwritable location is a one-line error (exit 253) before any
  output, not a lost change after it.
* **Marker**: every state file starts with ``{"format": "macie-members sandbox state"``;
  ``sandbox reset`` deletes a file only when it is a state file.
"""

from __future__ import annotations

import contextlib
import json
import os
import stat
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from macie_members.environment import SANDBOX_STATE_ENV
from macie_members.errors import ConfigError, LockedError

STATE_FORMAT = "macie-members sandbox state"
STATE_VERSION = 1
_MARKER = f'"format": "{STATE_FORMAT}"'


def default_state_path() -> Path:
    explicit = os.environ.get(SANDBOX_STATE_ENV)
    if explicit:
        return Path(explicit).expanduser()
    import platformdirs

    return Path(platformdirs.user_state_dir("macie-members", appauthor=False)) / "sandbox.json"


def dump_state() -> dict[str, Any]:
    """Every sandbox backend's state, as JSON-ready data (the marker first)."""
    from macie_members.sandbox.models import all_backends

    accounts: dict[str, dict[str, Any]] = {}
    for account_id, region, backend in all_backends():
        accounts.setdefault(account_id, {})[region] = backend.to_state()
    return {"format": STATE_FORMAT, "version": STATE_VERSION, "accounts": accounts}


def _corrupt(source: str, why: str) -> ConfigError:
    return ConfigError(
        f"The sandbox state file {source} is corrupt ({why}). Delete it, or run "
        "'macie-members sandbox reset', to start from an empty sandbox."
    )


def load_state(data: Any, *, source: str) -> None:
    """Replace the sandbox's state with ``data`` (as written by :func:`dump_state`)."""
    from macie_members.sandbox.models import sandbox_backends
    from macie_members.sandbox.rules import is_offered

    if (
        not isinstance(data, dict)
        or type(data.get("version")) is not int
        or data["version"] != STATE_VERSION
        or data.get("format", STATE_FORMAT) != STATE_FORMAT
    ):
        raise _corrupt(source, f"expected a JSON object with version {STATE_VERSION}")
    accounts = data.get("accounts")
    if not isinstance(accounts, dict):
        raise _corrupt(source, "'accounts' is missing")
    try:
        for account_id, regions in accounts.items():
            for region, region_state in dict(regions).items():
                if not is_offered(str(region)):
                    raise ValueError(f"Macie isn't offered in {region!r}")
                sandbox_backends[str(account_id)][str(region)].load_state(region_state)
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise _corrupt(source, f"{type(exc).__name__}: {exc}") from None


def read_state_file(path: Path) -> Any:
    try:
        mode = path.stat().st_mode
        if stat.S_ISDIR(mode):
            raise ConfigError(f"The sandbox state file {path} is a directory.")
        if not stat.S_ISREG(mode):
            raise ConfigError(f"The sandbox state file {path} is not a regular file.")
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"The sandbox state file {path} can't be read: {exc}") from None
    if not text.strip():
        return None
    try:
        return json.loads(text)
    except (ValueError, RecursionError) as exc:
        raise _corrupt(str(path), f"not JSON: {exc}") from None


def is_state_file(path: Path) -> bool:
    """A regular file that starts like a state file (or a whole state file of the first
    versions, which had no marker)."""
    try:
        if not stat.S_ISREG(path.stat().st_mode):
            return False
        with path.open("rb") as file:
            head = file.read(4096).decode("utf-8", "replace")
            if _MARKER in head[:200]:
                return True
            file.seek(0)
            data = json.loads(file.read())
    except (OSError, ValueError, RecursionError):
        return False
    return isinstance(data, dict) and set(data) == {"version", "accounts"}


@contextlib.contextmanager
def _locked(state_path: Path, timeout: float, say: Callable[[str], None] | None) -> Iterator[None]:
    """Hold the state file's lock; remove the lock file before releasing it.

    Held by another command: say so once (``say``), wait at most ``timeout`` seconds (``< 0``:
    for ever; ``0``: not at all), then :class:`LockedError` (exit 75), as a run lock does
    (``--lock-timeout``). Every command of the embedded sandbox takes it, reads too: the state
    is one process's at a time.

    Removing it while held is safe: a waiter that then locks the removed file sees it has no
    name any more and tries again (filelock checks the lock file's link count).
    """
    from filelock import FileLock, Timeout

    lock_path = state_path.with_name(state_path.name + ".lock")
    lock = FileLock(str(lock_path))
    try:
        try:
            lock.acquire(timeout=0)
        except Timeout:
            if timeout == 0:
                raise LockedError(f"The sandbox state file {state_path} is in use by another command; nothing "
                                  "was sent (--lock-timeout 0).") from None
            if say is not None:
                limit = "" if timeout < 0 else f" (at most {timeout:g}s; --lock-timeout)"
                say(f"Waiting for another command using the sandbox state file {state_path}{limit}...")
            try:
                lock.acquire(timeout=timeout, poll_interval=0.1)
            except Timeout:
                raise LockedError(f"The sandbox state file {state_path} is still in use by another command after "
                                  f"{timeout:g}s (--lock-timeout); nothing was sent.") from None
    except OSError as exc:
        raise ConfigError(f"The sandbox state file {state_path} can't be used: {exc.strerror or exc}.") from None
    try:
        yield
    finally:
        with contextlib.suppress(OSError):
            lock_path.unlink()
        lock.release()


def _error_text(exc: OSError) -> str:
    return str(exc.strerror or exc)


@contextlib.contextmanager
def embedded_sandbox(path: Path | None = None, *, timeout: float = -1.0,
                     say: Callable[[str], None] | None = None) -> Iterator[Path]:
    """An in-process sandbox whose state is read from and written back to ``path``.

    The file is locked for the duration, so two commands run at once wait for each other
    instead of losing each other's changes (at most ``timeout`` seconds, saying so with ``say``:
    :func:`_locked`). The state is written back even when the command
    fails halfway, so whatever it did is kept.
    """
    from macie_members.sandbox.mock import mock_sandbox

    state_path = path or default_state_path()
    try:
        state_path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ConfigError(f"The sandbox state file {state_path} can't be used: {_error_text(exc)}.") from None
    # The temporary file first: an unwritable directory fails here, before the lock (which would
    # wait for ever where files can't be created) and before the command prints anything.
    try:
        fd, tmp = tempfile.mkstemp(dir=state_path.parent, prefix=f".{state_path.name}.", suffix=".tmp")
    except OSError as exc:
        raise ConfigError(f"The sandbox state file {state_path} can't be used: {_error_text(exc)}.") from None
    out = os.fdopen(fd, "w", encoding="utf-8")
    try:
        with _locked(state_path, timeout, say):
            data = read_state_file(state_path)
            with mock_sandbox():
                if data is not None:
                    load_state(data, source=str(state_path))
                try:
                    yield state_path
                finally:
                    out.write(json.dumps(dump_state(), indent=1))
                    out.close()
                    try:
                        os.replace(tmp, state_path)
                    except OSError as exc:
                        raise ConfigError(
                            f"The sandbox state file {state_path} can't be written: {_error_text(exc)}."
                        ) from None
    finally:
        out.close()
        with contextlib.suppress(OSError):
            os.unlink(tmp)


def reset_state_file(path: Path | None = None, *, timeout: float = -1.0,
                     say: Callable[[str], None] | None = None) -> Path:
    """Delete the state file, only if it is one (never the user's other files); its lock as
    :func:`embedded_sandbox` takes it."""
    state_path = path or default_state_path()
    if not os.path.lexists(state_path):
        return state_path
    if not is_state_file(state_path):
        raise ConfigError(
            f"{state_path} is not a sandbox state file: not deleted. Point --sandbox-state (or "
            f"{SANDBOX_STATE_ENV}) at the sandbox's state file, or delete the file yourself."
        )
    with _locked(state_path, timeout, say):
        try:
            state_path.unlink()
        except FileNotFoundError:
            pass
        except OSError as exc:
            raise ConfigError(f"The sandbox state file {state_path} can't be removed: {_error_text(exc)}.") from None
    return state_path
