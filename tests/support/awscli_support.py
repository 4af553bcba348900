"""Running the real AWS CLI (from PyPI) and macie-members against a sandbox server: their\nenvironment, the two runners, terminals and Ctrl-C, and a few standard sandbox states."""

from __future__ import annotations

import contextlib
import functools
import json
import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from macie_members.inputs.values import ParamSyntaxError, parse_structure
from tests.support.helpers import admin_client, member_client

ADMIN = "123456789012"


@dataclass
class Run:
    rc: int
    stdout: str
    stderr: str


def cli_env(url: str, config_dir: Path, **extra: str) -> dict[str, str]:
    """Environment for both CLIs: fake credentials, the sandbox endpoint, ISO-8601 timestamps."""
    config = config_dir / "aws-config"
    config.write_text("[default]\ncli_timestamp_format = iso8601\n")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "MACIE_MEMBERS_"))}
    env.update(
        {
            "AWS_ACCESS_KEY_ID": "testing",
            "AWS_SECRET_ACCESS_KEY": "testing",
            "AWS_DEFAULT_REGION": "us-east-1",
            "AWS_CONFIG_FILE": str(config),
            "AWS_SHARED_CREDENTIALS_FILE": str(config_dir / "aws-credentials"),
            "AWS_ENDPOINT_URL": url,
            "AWS_EC2_METADATA_DISABLED": "true",
            "AWS_MAX_ATTEMPTS": "1",
            "NO_COLOR": "1",
            "MACIE_MEMBERS_LOCK_DIR": str(config_dir / "locks"),
        }
    )
    env.update(extra)
    return env


def run_aws(args: list[str], env: dict[str, str], cwd: Path | None = None) -> Run:
    proc = subprocess.run(
        [sys.executable, "-m", "awscli", *args], env=env, capture_output=True, text=True, timeout=120, cwd=cwd
    )
    return Run(proc.returncode, proc.stdout, proc.stderr)


class AwsCli:
    """``python -m awscli`` with a fixed environment; JSON in, JSON out."""

    def __init__(self, env: dict[str, str], cwd: Path) -> None:
        self.env = env
        self.cwd = cwd

    def ok(self, *args: str, env: dict[str, str] | None = None) -> Any:
        result = run_aws(list(args), env or self.env, cwd=self.cwd)
        assert result.rc == 0, f"aws {' '.join(args)} -> rc {result.rc}\nstderr: {result.stderr}"
        assert "Traceback" not in result.stderr
        return json.loads(result.stdout) if result.stdout.strip() else None

    def statuses(self, *, only_associated: str | None = None) -> dict[str, str]:
        args = ["macie2", "list-members"]
        if only_associated is not None:
            args += ["--only-associated", only_associated]
        members = self.ok(*args)["members"]
        return {m["accountId"]: m["relationshipStatus"] for m in members}


@contextlib.contextmanager
def exact_environ(env: dict[str, str]) -> Iterator[None]:
    """``os.environ`` is exactly ``env`` for the duration (then restored)."""
    saved = dict(os.environ)
    os.environ.clear()
    os.environ.update(env)
    try:
        yield
    finally:
        os.environ.clear()
        os.environ.update(saved)


def run_ours(args: list[str], env: dict[str, str], cwd: Path | None = None, *, stdin: str | None = None) -> Run:
    """macie-members in this process (click's CliRunner), in exactly this environment."""
    from click.testing import CliRunner

    from macie_members.cli import cli

    with exact_environ(env), contextlib.chdir(cwd or os.getcwd()):
        result = CliRunner().invoke(cli, args, input=stdin, catch_exceptions=False)
    return Run(result.exit_code, result.stdout, result.stderr)


def run_ours_process(args: list[str], env: dict[str, str], cwd: Path | None = None) -> Run:
    """``python -m macie_members``, where the process itself is what is tested."""
    proc = subprocess.run(
        [sys.executable, "-m", "macie_members", *args], env=env, capture_output=True, text=True, timeout=120, cwd=cwd
    )
    return Run(proc.returncode, proc.stdout, proc.stderr)


def accept(url: str, account: str) -> None:
    member = member_client(url, account)
    [invitation] = [i for i in member.list_invitations()["invitations"] if i["accountId"] == ADMIN]
    member.accept_invitation(administratorAccountId=ADMIN, invitationId=invitation["invitationId"])


ENABLED, PAUSED, INVITED, CREATED, REMOVED, FAILED = (
    "111111111111",
    "222222222222",
    "333333333333",
    "444444444444",
    "555555555555",
    "666666666666",
)


MEMBER = "111111111111"  # the member side's account: invited by ADMIN and by OTHER
OTHER = "999999999999"


def nothing(url: str) -> None:
    pass


def invited_twice(url: str) -> None:
    """MEMBER invited by ADMIN and by OTHER (pending, both)."""
    for sender in (ADMIN, OTHER):
        client = admin_client(url) if sender == ADMIN else member_client(url, sender)
        client.create_member(account={"accountId": MEMBER, "email": "m@example.com"}, tags={"team": "sec"})
        client.create_invitations(accountIds=[MEMBER])


def accepted(url: str) -> None:
    invited_twice(url)
    accept(url, MEMBER)


def declined(url: str) -> None:
    invited_twice(url)
    member_client(url, MEMBER).decline_invitations(accountIds=[ADMIN])


def invitation_id(url: str, sender: str = ADMIN) -> str:
    """MEMBER's invitation from ``sender``; a well-formed id of no invitation when there is none."""
    found = [i for i in member_client(url, MEMBER).list_invitations()["invitations"] if i["accountId"] == sender]
    return str(found[0]["invitationId"]) if found else "0123456789abcdef"


def fixed(*args: str) -> Callable[[str], list[str]]:
    """A case's arguments, the same whatever the server."""
    return lambda url: list(args)


def accept_args(*extra: str, sender: str = ADMIN, key: str = "--administrator-account-id") -> Callable[[str], list[str]]:
    """accept-invitation of MEMBER's invitation from ``sender`` (its id read on the server)."""
    return lambda url: ["accept-invitation", key, sender, "--invitation-id", invitation_id(url, sender), *extra]


def standard_state(url: str) -> None:
    """One account in each of the common statuses."""
    admin = admin_client(url)
    for account in (ENABLED, PAUSED, INVITED, CREATED, REMOVED):
        admin.create_member(account={"accountId": account, "email": f"{account}@example.com"}, tags={"team": "sec"})
    admin.create_member(account={"accountId": FAILED, "email": "x@example.invalid"})
    admin.create_invitations(accountIds=[ENABLED, PAUSED, INVITED, REMOVED, FAILED])
    for account in (ENABLED, PAUSED, REMOVED):
        accept(url, account)
    admin.update_member_session(id=PAUSED, status="PAUSED")
    admin.disassociate_member(id=REMOVED)


def snapshot(url: str) -> list[tuple[str, str, str]]:
    """The inventory without timestamps: (account, status, email)."""
    admin = admin_client(url)
    members = admin.get_paginator("list_members").paginate(onlyAssociated="false").build_full_result()["members"]
    return sorted((m["accountId"], m["relationshipStatus"], m["email"]) for m in members)


def run_on_a_terminal(args: list[str], env: dict[str, str], answer: bytes) -> tuple[int, str, str]:
    """Run macie-members with stdin and stderr on a pseudo-terminal (POSIX only); answer its
    prompt with ``answer``. The exit code, stdout, and what the terminal showed."""
    import pty
    import time

    leader, follower = pty.openpty()
    process = subprocess.Popen([sys.executable, "-m", "macie_members", *args], env=env, **as_from_a_shell(),
                               stdin=follower,
                               stderr=follower, stdout=subprocess.PIPE, text=True)
    os.close(follower)
    seen = b""
    try:
        deadline = time.monotonic() + 60
        while b"[y/N]" not in seen and time.monotonic() < deadline:
            seen += os.read(leader, 4096)
        os.write(leader, answer)
        seen += read_until_closed(leader)
        stdout = process.stdout.read() if process.stdout else ""
        process.wait(timeout=60)
    finally:
        os.close(leader)
        if process.poll() is None:
            process.kill()
    return process.returncode, stdout, seen.decode("utf-8", "replace")


def read_until_closed(leader: int) -> bytes:
    """Everything a pseudo-terminal shows until the process on it closes it."""
    seen = b""
    while True:
        try:
            chunk = os.read(leader, 4096)
        except OSError:  # Linux: EIO once the other side is closed
            return seen
        if not chunk:
            return seen
        seen += chunk


def as_from_a_shell() -> dict[str, Any]:
    """Popen's arguments that give the process SIGINT, SIGTERM and SIGHUP at their defaults, as a
    shell started from a terminal does: a test runner started in the background (or under
    ``nohup``) has them ignored, and an ignored stop signal stays ignored (so a test's Ctrl-C or
    SIGHUP would never arrive)."""
    import signal

    if os.name != "posix":
        return {}

    def defaults() -> None:
        for number in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            signal.signal(number, signal.SIG_DFL)

    return {"preexec_fn": defaults}


def while_held(proxy: Any, args: list[str], env: dict[str, str], act: Callable[[subprocess.Popen[str]], None]) -> Run:
    """Run macie-members in a process; once a request is held at the fault proxy
    (``proxy.hold``), ``act`` on the process (send it a signal, change the service behind its
    back...), then let the held requests be answered: how the run ended."""
    process = subprocess.Popen([sys.executable, "-m", "macie_members", *args], env=env, text=True,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, **as_from_a_shell())
    try:
        assert proxy.held.wait(timeout=60), "no request reached the proxy"
        act(process)
        proxy.release.set()
        stdout, stderr = process.communicate(timeout=120)
    finally:
        proxy.release.set()
        if process.poll() is None:
            process.kill()
    return Run(process.returncode, stdout, stderr)


def interrupt_while_held(proxy: Any, args: list[str], env: dict[str, str], signal_name: str = "SIGINT") -> Run:
    """:func:`while_held`, pressing Ctrl-C (or sending ``signal_name``) while a request is held."""
    import signal
    import time

    def interrupt(process: subprocess.Popen[str]) -> None:
        time.sleep(0.2)
        process.send_signal(getattr(signal, signal_name))
        time.sleep(0.3)

    return while_held(proxy, args, env, interrupt)


# ------------------------------------------------------------ the AWS CLI's parser, as an oracle


@functools.cache
def _aws_cli_arguments() -> dict[str, Any]:
    pytest.importorskip("awscli")
    import botocore.session
    from awscli.arguments import CLIArgument

    session = botocore.session.get_session()
    operation = session.get_service_model("macie2").operation_model("CreateMember")
    emitter = session.get_component("event_emitter")
    return {
        f"--{name}": CLIArgument(name, operation.input_shape.members[name], operation, emitter)
        for name in ("account", "tags")
    }


def aws_cli_structure(value: str, option: str) -> tuple[str, Any]:
    """What the AWS CLI makes of ``option value`` (``--account`` or ``--tags`` of
    ``aws macie2 create-member``: shorthand parser, back-compat visitor, JSON fallback):
    ("ok", value) or ("error", message).

    For syntax errors the expected message has the real caret line (aws-cli 1.45.11 prints a
    placeholder there instead; we deliberately fix that). ("crash", None) means the AWS CLI
    fails with something other than a parameter error (e.g. RecursionError).
    """
    from awscli.argprocess import ParamError, ParamShorthandParser, unpack_cli_arg
    from awscli.shorthand import ShorthandParseSyntaxError

    argument = _aws_cli_arguments()[option]
    try:
        parsed = ParamShorthandParser()(argument, value, "process-cli-arg.macie2.create-member")
        if parsed is None:
            parsed = unpack_cli_arg(argument, value)
    except ParamError as error:
        cause = error.__context__
        if isinstance(cause, ShorthandParseSyntaxError):
            return "error", (
                f"Error parsing parameter '{option}': Expected: '{cause.expected}', "
                f"received: '{cause.actual}' for input:\n{cause._error_location()}"
            )
        return "error", str(error)
    except Exception:
        return "crash", None
    return "ok", json.loads(json.dumps(parsed))  # OrderedDict -> dict


def our_structure(value: str, option: str) -> tuple[str, Any]:
    """What macie-members makes of ``option value``, in :func:`aws_cli_structure`'s terms."""
    try:
        return "ok", parse_structure(value, option)
    except ParamSyntaxError as error:
        return "error", str(error)
