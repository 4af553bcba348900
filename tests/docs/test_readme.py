"""The README's first command works as written (the install part aside), and twice in a row; its
second is CI's test command; its sandbox tour runs as written, with the exit codes it says."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

# The checkout's root, wherever this file sits under tests/.
ROOT = next(p for p in Path(__file__).resolve().parents if (p / "pyproject.toml").is_file())


def _first_code_block() -> str:
    text = (ROOT / "README.md").read_text()
    match = re.search(r"```sh\n(.*?)\n```", text, re.S)
    assert match, "README has no sh code block"
    return match.group(1)


def _first_commands() -> list[list[str]]:
    line = _first_code_block()
    parts = [p.strip() for p in line.split("&&")]
    assert parts[0] == "python3 -m venv .venv" and parts[1].startswith(".venv/bin/pip install")
    commands = [shlex.split(p) for p in parts[2:]]
    assert commands and all(c[0] == ".venv/bin/macie-members" for c in commands)
    return commands


def _sandbox_env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "MACIE_MEMBERS_"))}
    env.update(
        MACIE_MEMBERS_SANDBOX_STATE=str(tmp_path / "state.json"),
        MACIE_MEMBERS_LOCK_DIR=str(tmp_path / "locks"),
        AWS_CONFIG_FILE=str(tmp_path / "config"),
        AWS_SHARED_CREDENTIALS_FILE=str(tmp_path / "credentials"),
        COLUMNS="100",
        # Email verification takes 2 s by default: the assertion below must not depend on timing.
        MACIE_MEMBERS_SANDBOX_VERIFICATION_DELAY="0",
    )
    return env


def _run(command: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    assert command[0] == ".venv/bin/macie-members", command
    return subprocess.run([sys.executable, "-m", "macie_members", *command[1:]], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)


def test_first_command_runs_the_sandbox_twice(tmp_path: Path) -> None:
    commands = _first_commands()
    env = _sandbox_env(tmp_path)
    for _ in range(2):
        for command in commands:
            proc = _run(command, env)
            assert proc.returncode == 0, proc.stderr
            assert "Traceback" not in proc.stderr
    assert "111111111111" in proc.stdout and "Invited" in proc.stdout


def test_test_command_matches_ci() -> None:
    text = (ROOT / "README.md").read_text()
    blocks = re.findall(r"```sh\n(.*?)\n```", text, re.S)
    test_command = blocks[1]
    ci = (ROOT / ".ci" / "run").read_text()
    assert "-c .ci/constraints.txt -e '.[test]'" in test_command and "-c .ci/constraints.txt -e '.[test]'" in ci
    assert "pytest" in test_command and "pytest" in ci


def _tour() -> list[tuple[list[str], int]]:
    """The commands of the "60-second sandbox tour" block, each with the exit code its comment
    says ("exits 2"), else 0."""
    text = (ROOT / "README.md").read_text()
    section = text.split("## The 60-second sandbox tour", 1)[1].split("\n## ", 1)[0]
    match = re.search(r"```sh\n(.*?)\n```", section, re.S)
    assert match, "the tour has no sh code block"
    steps = []
    for line in match.group(1).splitlines():
        command, _, comment = line.partition("#")
        expected = re.search(r"exits (\d+)", comment)
        steps.append((shlex.split(command), int(expected.group(1)) if expected else 0))
    return steps


def test_sandbox_tour_runs_as_written(tmp_path: Path) -> None:
    env = _sandbox_env(tmp_path)
    for command in _first_commands():
        assert _run(command, env).returncode == 0
    steps = _tour()
    assert len(steps) >= 4 and any(code for _, code in steps)
    for command, expected in steps:
        proc = _run(command, env)
        assert proc.returncode == expected, (command, proc.stdout, proc.stderr)
        assert "Traceback" not in proc.stderr
        if command[-1] == "--detailed-exitcode":
            assert "333333333333" in proc.stdout  # the account that left is the drift
    assert not (tmp_path / "state.json").exists()  # the tour ends with sandbox reset
