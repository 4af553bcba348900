"""The AWS CLI's other global options and words, against the real AWS CLI (v1) on the same
sandbox state where v1 has them (``help``, ``--no-sign-request``), and against v2's documented
behaviour where only v2 has them (``--cli-binary-format``, ``--no-cli-auto-prompt``,
``--cli-auto-prompt``)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from macie_members.cli.admin import COMMANDS as ADMINISTRATOR_COMMANDS
from macie_members.cli.member_account import COMMANDS as MEMBERSHIP_COMMANDS
from tests.support.awscli_support import cli_env, run_aws, run_ours, standard_state

pytestmark = pytest.mark.awscli

DROP_INS = sorted(c.name for c in [*ADMINISTRATOR_COMMANDS, *MEMBERSHIP_COMMANDS] if c.name)


def plain(text: str) -> str:
    """A man page as the AWS CLI prints it through a pipe, without its overstrike (bold)."""
    return re.sub(r".\x08", "", text)


@pytest.mark.parametrize("command", DROP_INS)
def test_help_after_a_command_is_its_help(sandbox_server: Any, tmp_path: Path, command: str) -> None:
    env = cli_env(sandbox_server.url, tmp_path)
    theirs, ours = run_aws(["macie2", command, "help"], env), run_ours([command, "help"], env)
    assert (theirs.rc, ours.rc) == (0, 0), ours.stderr
    assert ours.stdout == run_ours([command, "--help"], env).stdout
    assert re.match(rf"Usage: \S+ {command} ", ours.stdout)  # (CliRunner names the program "cli")
    # The same options, in both helps.
    options = set(re.findall(r"--[a-z][a-z-]*[a-z](?![a-z-])", plain(theirs.stdout)))  # (not a word cut at a line end)
    mine = set(re.findall(r"--[a-z][a-z-]+", ours.stdout))
    own = {o for o in options if o.startswith(("--cli-", "--generate-cli-skeleton"))} | {"--cli-input-json"}
    assert options - own - {"--max-items", "--starting-token", "--page-size"} <= mine | own


def test_help_as_an_options_value_stays_a_value(sandbox_server: Any, tmp_path: Path) -> None:
    env = cli_env(sandbox_server.url, tmp_path)
    standard_state(sandbox_server.url)
    args = ["create-invitations", "--account-ids", "444444444444", "--message", "help"]
    theirs, ours = run_aws(["macie2", *args], env), run_ours(args, env)
    assert (ours.rc, ours.stdout) == (0, theirs.stdout) and theirs.rc == 0


@pytest.mark.parametrize("args", [["list-members"], ["get-member", "--id", "111111111111"],
                                  ["list-invitations"], ["create-member", "--account",
                                                         "accountId=777777777777,email=x@example.com"]])
def test_no_sign_request_sends_unsigned_requests(sandbox_server: Any, tmp_path: Path, args: list[str]) -> None:
    """Unsigned, the sandbox refuses the request as AWS does, before the service: both CLIs
    fail with the same error line (v1 exits 255, v2 and macie-members 254)."""
    env = cli_env(sandbox_server.url, tmp_path)
    theirs = run_aws(["--no-sign-request", "macie2", *args], env)
    ours = run_ours(["--no-sign-request", *args], env)
    assert (theirs.rc, ours.rc) == (255, 254)
    assert ours.stdout == theirs.stdout == ""
    assert ours.stderr.strip() == theirs.stderr.strip()
    assert "Missing Authentication Token" in ours.stderr


def test_no_sign_request_loads_no_credentials(sandbox_server: Any, tmp_path: Path) -> None:
    """With no credentials anywhere, a signed request can't even be made; an unsigned one is."""
    env = {k: v for k, v in cli_env(sandbox_server.url, tmp_path).items()
           if k not in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY")}
    signed = run_ours(["list-members"], env)
    assert signed.rc == 253 and "Unable to locate credentials" in signed.stderr
    unsigned = run_ours(["--no-sign-request", "list-members"], env)
    assert unsigned.rc == 254 and "Missing Authentication Token" in unsigned.stderr


@pytest.mark.parametrize("command", [["onboard", "ACCOUNTS"], ["sync", "ACCOUNTS"], ["offboard", "ACCOUNTS"],
                                     ["status"], ["accept-invitations", "--role-name", "R", "--account-ids",
                                                  "111111111111"],
                                     ["create-member", "--accounts-file", "ACCOUNTS"],
                                     ["decline-invitations", "--account-ids", "123456789012", "--regions",
                                      "us-east-1,eu-west-1"]])
def test_no_sign_request_is_refused_where_the_caller_s_account_is_needed(
        sandbox_server: Any, tmp_path: Path, command: list[str]) -> None:
    accounts = tmp_path / "a.csv"
    accounts.write_text("Account ID,Email\n111111111111,a@example.com\n")
    env = cli_env(sandbox_server.url, tmp_path)
    before = sandbox_server.stats()["total"]
    run = run_ours(["--no-sign-request", *[str(accounts) if a == "ACCOUNTS" else a for a in command]], env)
    assert run.rc == 252 and run.stdout == ""
    assert run.stderr.strip() == ("--no-sign-request can't be used here: this command acts for the caller's account "
                                  "(it reads its identity or its inventory first); use it with a one-request command.")
    assert sandbox_server.stats()["total"] == before  # nothing sent


def test_cli_binary_format_and_no_cli_auto_prompt_are_accepted(sandbox_server: Any, tmp_path: Path) -> None:
    """AWS CLI v2 scripts add them to every call: accepted, changing nothing here (no
    membership command has binary data; there is no auto-prompt to turn off)."""
    standard_state(sandbox_server.url)
    env = cli_env(sandbox_server.url, tmp_path)
    plainly = run_ours(["list-members", "--only-associated", "false"], env)
    for extra in (["--cli-binary-format", "raw-in-base64-out"], ["--cli-binary-format", "base64"],
                  ["--no-cli-auto-prompt"]):
        run = run_ours([*extra, "list-members", "--only-associated", "false"], env)
        assert (run.rc, run.stdout, run.stderr) == (0, plainly.stdout, "")
    bad = run_ours(["--cli-binary-format", "hex", "list-members"], env)
    assert bad.rc == 252 and "'hex' is not one of 'base64', 'raw-in-base64-out'" in bad.stderr


def test_cli_auto_prompt_is_refused_in_one_line(sandbox_server: Any, tmp_path: Path) -> None:
    run = run_ours(["--cli-auto-prompt", "list-members"], cli_env(sandbox_server.url, tmp_path))
    assert run.rc == 252 and run.stdout == ""
    assert "Error: --cli-auto-prompt is not offered: macie-members has no interactive prompt mode" in run.stderr
    assert "Traceback" not in run.stderr
