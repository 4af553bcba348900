"""Shell completions: checked in, current, and completing the values that matter."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _generate(shell: str) -> str:
    env = dict(os.environ, _MACIE_MEMBERS_COMPLETE=f"{shell}_source")
    proc = subprocess.run([sys.executable, "-m", "macie_members"], env=env, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    # click names the program after argv[0]; `python -m` gives __main__.py, the installed script macie-members.
    return proc.stdout.replace("__main__.py", "macie-members").replace("__main___py", "macie_members")


def _significant(script: str) -> list[str]:
    """The lines of a script that do something: a blank line or trailing spaces in click's
    template are not a change."""
    return [line.rstrip() for line in script.splitlines() if line.strip()]


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_completion_scripts_are_current(shell: str) -> None:
    checked_in = (ROOT / "completions" / f"macie-members.{shell}").read_text()
    printed = subprocess.run([sys.executable, "-m", "macie_members", "completion", shell], capture_output=True,
                             text=True, timeout=60)
    assert (printed.returncode, printed.stderr) == (0, "")
    # The files are what `macie-members completion SHELL` prints, which is click's own script.
    assert printed.stdout == checked_in, (
        f"completions/macie-members.{shell} is stale: regenerate with "
        f"macie-members completion {shell} > completions/macie-members.{shell}"
    )
    assert _significant(_generate(shell)) == _significant(checked_in)


def test_completion_refuses_another_shell() -> None:
    proc = subprocess.run([sys.executable, "-m", "macie_members", "completion", "tcsh"], capture_output=True,
                          text=True, timeout=60)
    assert proc.returncode == 252 and proc.stdout == ""
    assert "'tcsh' is not one of 'bash', 'zsh', 'fish'" in proc.stderr


def test_completes_profiles_from_the_aws_configuration(tmp_path: Path) -> None:
    (tmp_path / "config").write_text("[default]\nregion = us-east-1\n[profile security-admin]\n"
                                     "[profile security-audit]\n[sso-session corp]\n")
    (tmp_path / "credentials").write_text("[default]\n[ci-user]\n")
    env = {"AWS_CONFIG_FILE": str(tmp_path / "config"), "AWS_SHARED_CREDENTIALS_FILE": str(tmp_path / "credentials")}
    assert _complete("macie-members list-members --profile sec", env) == ["plain,security-admin", "plain,security-audit"]
    assert _complete("macie-members --profile ", env) == ["plain,ci-user", "plain,default", "plain,security-admin",
                                                          "plain,security-audit"]


def _complete(words: str, extra: dict[str, str] | None = None) -> list[str]:
    cword = len(words.split()) - (0 if words.endswith(" ") else 1)
    env = dict(os.environ, COMP_WORDS=words, COMP_CWORD=str(cword), _MACIE_MEMBERS_COMPLETE="bash_complete",
               **(extra or {}))
    proc = subprocess.run([sys.executable, "-m", "macie_members"], env=env, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout.splitlines()


def test_completes_status_values() -> None:
    assert _complete("macie-members update-member-session --status ") == ["plain,PAUSED", "plain,ENABLED"]


def test_completes_regions_and_comma_lists() -> None:
    assert "plain,eu-west-1" in _complete("macie-members list-members --region eu-w")
    assert "plain,us-east-1,eu-west-2" in _complete("macie-members delete-member --regions us-east-1,eu-west-")


def test_completes_output_formats_and_files() -> None:
    assert _complete("macie-members list-members --output t") == ["plain,text", "plain,table"]
    assert _complete("macie-members create-member --accounts-file acc") == ["file,acc"]


def test_completes_every_membership_command() -> None:
    offered = {line.split(",", 1)[1] for line in _complete("macie-members ")}
    assert {"get-member", "list-invitations", "accept-invitation", "decline-invitations", "delete-invitations",
            "get-invitations-count", "get-administrator-account", "disassociate-from-administrator-account",
            "get-master-account", "disassociate-from-master-account"} <= offered
    assert _complete("macie-members decline-invitations --all-r") == ["plain,--all-regions"]
    assert "plain,--all-regions" not in _complete("macie-members accept-invitation --all-r")  # one Region only


def test_completes_sync_and_its_options() -> None:
    assert "plain,sync" in _complete("macie-members sy")
    assert {"plain,--prune", "plain,--plan"} <= set(_complete("macie-members sync accounts.csv --p"))
    assert _complete("macie-members sync accounts.csv --detailed") == ["plain,--detailed-exitcode"]
    assert _complete("macie-members sync acc") == ["file,acc"]
