"""The README's first command works as written (the install part aside), and twice in a row."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _first_code_block() -> str:
    text = (ROOT / "README.md").read_text()
    match = re.search(r"```sh\n(.*?)\n```", text, re.S)
    assert match, "README has no sh code block"
    return match.group(1)


def test_first_command_runs_the_sandbox_twice(tmp_path: Path) -> None:
    line = _first_code_block()
    parts = [p.strip() for p in line.split("&&")]
    assert parts[0] == "python3 -m venv .venv" and parts[1].startswith(".venv/bin/pip install")
    commands = [shlex.split(p) for p in parts[2:]]
    assert commands and all(c[0] == ".venv/bin/macie-members" for c in commands)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "MACIE_MEMBERS_"))}
    env.update(
        MACIE_MEMBERS_SANDBOX_STATE=str(tmp_path / "state.json"),
        AWS_CONFIG_FILE=str(tmp_path / "config"),
        AWS_SHARED_CREDENTIALS_FILE=str(tmp_path / "credentials"),
        COLUMNS="100",
        # Email verification takes 2 s by default: the assertion below must not depend on timing.
        MACIE_MEMBERS_SANDBOX_VERIFICATION_DELAY="0",
    )
    for _ in range(2):
        for command in commands:
            proc = subprocess.run([sys.executable, "-m", "macie_members", *command[1:]], cwd=ROOT, env=env,
                                  capture_output=True, text=True, timeout=120)
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
