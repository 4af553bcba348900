"""The run locks (macie_members/run/lock.py): their names, their order, the holder's info, and
a lock held elsewhere with --lock-timeout 0 (no waiting here: the waits are tests/cli's)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from filelock import FileLock

from macie_members.errors import ExitCode, LockedError
from macie_members.run.lock import (
    describe_holder,
    holder_info,
    lock_dir,
    lock_path,
    ordered,
    run_locks,
)


def test_the_lock_directory_is_the_environments_else_the_state_directorys() -> None:
    assert lock_dir({"MACIE_MEMBERS_LOCK_DIR": "/somewhere/locks"}) == Path("/somewhere/locks")
    default = lock_dir({})
    assert default.name == "locks" and "macie-members" in str(default)


def test_a_lock_is_named_by_account_and_region(tmp_path: Path) -> None:
    assert lock_path(tmp_path, ("123456789012", "eu-west-1")) == tmp_path / "123456789012-eu-west-1.lock"


def test_locks_are_taken_in_sorted_order_each_once() -> None:
    keys = [("2", "us-west-2"), ("1", "us-east-1"), ("2", "eu-west-1"), ("1", "us-east-1")]
    assert ordered(keys) == [("1", "us-east-1"), ("2", "eu-west-1"), ("2", "us-west-2")]


def test_the_holder_writes_its_pid_and_command_beside_the_lock(tmp_path: Path) -> None:
    said: list[str] = []
    with run_locks([("1", "us-east-1"), ("1", "eu-west-1")], timeout=0, say=said.append, directory=tmp_path):
        for region in ("us-east-1", "eu-west-1"):
            info = holder_info(lock_path(tmp_path, ("1", region)))
            assert info["pid"] == os.getpid()
            assert str(info["command"]).startswith("macie-members")
            assert info["started"]
    assert said == []


def test_a_lock_held_elsewhere_with_no_wait_is_exit_75_naming_the_holder(tmp_path: Path) -> None:
    path = lock_path(tmp_path, ("1", "us-west-2"))
    path.with_suffix(".info").write_text(json.dumps({"pid": 4242, "command": "macie-members sync",
                                                     "started": "2026-01-01T00:00:00Z"}))
    held = FileLock(str(path))
    with held, pytest.raises(LockedError) as raised, \
            run_locks([("1", "us-west-2"), ("1", "eu-west-1")], timeout=0, say=print, directory=tmp_path):
        raise AssertionError("entered a held lock")
    assert raised.value.exit_code == ExitCode.LOCKED == 75
    assert "pid 4242 (macie-members sync" in str(raised.value)
    # The lock taken before (eu-west-1 sorts first) was released: another run can take it.
    with FileLock(str(lock_path(tmp_path, ("1", "eu-west-1"))), timeout=0):
        pass


def test_a_holder_without_info_is_another_run() -> None:
    assert describe_holder({}) == "another run"
