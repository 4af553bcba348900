"""Run locks: one mutating run per (account, Region) on this machine.

The key is (the account of the run's credentials, from ``sts:GetCallerIdentity``; the Region):
the administrator's account for the administrator's commands, ``accept-invitations`` included
(the run that assumes the members' roles), and the member's own account for the member side.
Each key is a file ``<account>-<region>.lock`` in ``$MACIE_MEMBERS_LOCK_DIR``, else in
``locks`` under the platform's state directory for macie-members, locked with ``filelock``; a
sibling ``.info`` file (pid, command line, start time) lets a waiting run name the holder.

A run across Regions takes its locks in sorted order (so two runs never hold one each and
wait for the other's), before its first inventory read, and holds them to its last answer.

With the embedded sandbox (``--sandbox``) the sandbox's state-file lock
(:mod:`macie_members.sandbox.state`) is taken first, when the run session is entered, and
held for the whole command; the run locks are taken after it and released before it. A run
without the embedded sandbox never takes the state-file lock, so no two runs can each hold
one lock and wait for the other's.
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path

from macie_members.environment import LOCK_DIR_ENV
from macie_members.errors import ConfigError, LockedError

Key = tuple[str, str]  # (account, Region)
POLL = 0.1  # seconds between two tries while waiting


def lock_dir(environ: Mapping[str, str] | None = None) -> Path:
    """``$MACIE_MEMBERS_LOCK_DIR``, else ``locks`` in the user's state directory."""
    env = os.environ if environ is None else environ
    if env.get(LOCK_DIR_ENV):
        return Path(env[LOCK_DIR_ENV]).expanduser()
    import platformdirs

    return Path(platformdirs.user_state_dir("macie-members", appauthor=False)) / "locks"


def lock_path(directory: Path, key: Key) -> Path:
    account, region = key
    return directory / f"{account}-{region}.lock"


def ordered(keys: Sequence[Key]) -> list[Key]:
    """The keys in the order every run takes them: sorted, each once."""
    return sorted(set(keys))


def holder_info(path: Path) -> dict[str, object]:
    """What the ``.info`` file beside a lock says of its holder (empty when it can't be read)."""
    try:
        data = json.loads(path.with_suffix(".info").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def describe_holder(info: dict[str, object]) -> str:
    if not info:
        return "another run"
    return f"pid {info.get('pid')} ({info.get('command')}, since {info.get('started')})"


def _write_info(path: Path) -> None:
    info = {"pid": os.getpid(), "command": " ".join(["macie-members", *sys.argv[1:]]),
            "started": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}
    with contextlib.suppress(OSError):  # the info only names the holder: the lock works without it
        path.with_suffix(".info").write_text(json.dumps(info), encoding="utf-8")


@contextlib.contextmanager
def run_locks(keys: Sequence[Key], *, timeout: float, say: Callable[[str], None],
              directory: Path | None = None) -> Iterator[None]:
    """Hold the lock of every key, taken in sorted order. A lock another run holds is waited
    for (said once, on stderr through ``say``, naming the holder) at most ``timeout`` seconds
    in all, then :class:`LockedError` (exit 75): nothing was sent."""
    from filelock import FileLock, Timeout

    where = directory or lock_dir()
    try:
        where.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ConfigError(f"The lock directory {where} can't be used: {exc.strerror or exc}.") from None
    deadline = time.monotonic() + timeout
    said = False
    with contextlib.ExitStack() as held:
        for key in ordered(keys):
            path = lock_path(where, key)
            lock = FileLock(str(path))
            try:
                lock.acquire(timeout=0)
            except Timeout:
                holder = describe_holder(holder_info(path))
                if timeout <= 0:
                    raise LockedError(f"{key[0]} in {key[1]} is locked by {holder}; nothing was sent "
                                      "(--lock-timeout 0).") from None
                if not said:
                    say(f"Waiting for {holder}, which is changing {key[0]} in {key[1]} "
                        f"(at most {timeout:g}s; --lock-timeout)...")
                    said = True
                try:
                    lock.acquire(timeout=max(0.0, deadline - time.monotonic()), poll_interval=POLL)
                except Timeout:
                    raise LockedError(f"{key[0]} in {key[1]} is still locked by {holder} after "
                                      f"{timeout:g}s (--lock-timeout); nothing was sent.") from None
            except OSError as exc:
                raise ConfigError(f"The lock file {path} can't be used: {exc.strerror or exc}.") from None
            held.callback(lock.release)
            _write_info(path)
        yield
