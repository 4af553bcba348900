"""What the test folders share, written once (the fixtures built on it are in the conftest.py files).

* boto3 on a sandbox server: :func:`admin_client`, :func:`member_client`, :func:`member_credentials`,
  :func:`statuses`; signed requests over plain urllib: :func:`raw`, :class:`Raw`,
  :func:`assert_error_shape`, :data:`NO_RETRIES`;
* the sandbox server in a subprocess: :class:`ServerProcess`; a fault proxy in front of one:
  :func:`running_proxy`;
* the CLI: :func:`run` (in this process), :func:`run_module` (``python -m macie_members``),
  :func:`subprocess_env`, :func:`place` and :data:`POSITIONS` (global options before or after the
  command), :func:`create_member_args`, :func:`arn`, :func:`arn_region`;
* what a run printed: :func:`no_traceback`, :func:`error_lines`, :func:`one_line_error`,
  :func:`refused`, :func:`records`;
* files and ports: :func:`write_csv`, :func:`write_aws_config`, :func:`closed_port`;
* macie2 answers as boto3 returns them: :func:`member_answer`, :func:`list_members_answer`,
  :data:`METADATA`, :data:`INVITED`, :data:`UPDATED`;
* the planners' inputs: :func:`inventory_entry`, :func:`account_ids`; a fake clock: :class:`Clock`;
(Hypothesis strategies shared by property tests: tests/support/strategies.py.)
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from botocore.config import Config
from click.testing import Result

ROOT = Path(__file__).resolve().parents[2]
ACCT = "111111111111"
EMAIL = "jane@example.com"

# botocore's ``max_attempts`` counts *retries* (1 would still retry once); ``total_max_attempts``
# counts every attempt: 1 means no retry at all.
NO_RETRIES = Config(retries={"total_max_attempts": 1})


# ------------------------------------------------------------------------ boto3 on the sandbox


def admin_client(url: str, region: str = "us-east-1", *, config: Config | None = None) -> Any:
    """The sandbox's administrator account (123456789012) in ``region``."""
    import boto3

    return boto3.client("macie2", region_name=region, endpoint_url=url, aws_access_key_id="testing",
                        aws_secret_access_key="testing", config=config)


def member_credentials(url: str, account: str) -> dict[str, str]:
    """The environment variables of the member account's own credentials (STS AssumeRole on
    the sandbox at ``url``), to add to ``cli_env``'s."""
    import boto3

    sts = boto3.client("sts", region_name="us-east-1", endpoint_url=url, aws_access_key_id="testing",
                       aws_secret_access_key="testing")
    creds = sts.assume_role(RoleArn=f"arn:aws:iam::{account}:role/member", RoleSessionName="member")["Credentials"]
    return {"AWS_ACCESS_KEY_ID": creds["AccessKeyId"], "AWS_SECRET_ACCESS_KEY": creds["SecretAccessKey"],
            "AWS_SESSION_TOKEN": creds["SessionToken"]}


def member_client(url: str, account: str, region: str = "us-east-1") -> Any:
    """The member account ``account`` in ``region``, with its own credentials."""
    import boto3

    credentials = member_credentials(url, account)
    return boto3.client("macie2", region_name=region, endpoint_url=url,
                        aws_access_key_id=credentials["AWS_ACCESS_KEY_ID"],
                        aws_secret_access_key=credentials["AWS_SECRET_ACCESS_KEY"],
                        aws_session_token=credentials["AWS_SESSION_TOKEN"])


def statuses(url: str, region: str = "us-east-1") -> dict[str, str]:
    """The administrator's whole inventory in ``region``: account -> relationshipStatus."""
    pages = admin_client(url, region).get_paginator("list_members").paginate(onlyAssociated="false")
    return {m["accountId"]: m["relationshipStatus"] for m in pages.build_full_result()["members"]}


@dataclass
class Raw:
    status: int
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


def raw(url: str, method: str, path: str, body: Any = None) -> Raw:
    """A macie2 request over plain urllib, signed like the AWS CLI signs it."""
    from botocore.auth import SigV4Auth
    from botocore.awsrequest import AWSRequest
    from botocore.credentials import Credentials

    data = None if body is None else json.dumps(body).encode()
    request = AWSRequest(method=method, url=url + path, data=data, headers={"Content-Type": "application/json"})
    SigV4Auth(Credentials("testing", "testing"), "macie2", "us-east-1").add_auth(request)
    prepared = urllib.request.Request(url + path, data=data, headers=dict(request.headers.items()), method=method)
    try:
        with urllib.request.urlopen(prepared, timeout=30) as response:
            return Raw(response.status, {k.lower(): v for k, v in response.headers.items()}, response.read())
    except urllib.error.HTTPError as exc:
        with exc:
            return Raw(exc.code, {k.lower(): v for k, v in exc.headers.items()}, exc.read())


def assert_error_shape(response: Raw, status: int, code: str) -> None:
    assert response.status == status, (response.status, response.body)
    assert response.headers["x-amzn-errortype"] == code
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert isinstance(body["message"], str) and body["message"]
    assert body.get("__type", code) == code


# ----------------------------------------------------------------------- the sandbox server


class ServerProcess:
    """``macie-members sandbox serve`` in a subprocess, on an ephemeral loopback port.

    Email verification is instant unless ``instant_verification=False`` (the server's own
    default is a delay) or a ``--verification-delay`` option says otherwise.
    """

    def __init__(
        self, *options: str, instant_verification: bool = True, cwd: Path | None = None,
        env: dict[str, str] | None = None,
    ) -> None:
        environment = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
        if instant_verification:
            environment["MACIE_MEMBERS_SANDBOX_VERIFICATION_DELAY"] = "0"
        environment.update(env or {})
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "macie_members", "sandbox", "serve", "--port", "0", *options],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=environment,
            cwd=cwd,
        )
        assert self.proc.stdout is not None
        deadline = time.monotonic() + 60
        line = ""
        while time.monotonic() < deadline:
            line = self.proc.stdout.readline()
            if line.startswith("Macie sandbox listening on "):
                break
            if not line and self.proc.poll() is not None:
                raise RuntimeError(f"sandbox serve exited: {self.proc.stderr.read() if self.proc.stderr else ''}")
        self.url = line.strip().rsplit(" ", 1)[-1]
        assert self.url.startswith("http://127.0.0.1:"), line

    def control(self, path: str, body: dict[str, Any] | None = None) -> Any:
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(self.url + path, data=data, method="GET" if body is None else "POST")
        with urllib.request.urlopen(request, timeout=30) as response:
            return json.loads(response.read() or b"null")

    def reset(self) -> None:
        self.control("/_sandbox/reset", {})

    def stats(self) -> dict[str, Any]:
        result: dict[str, Any] = self.control("/_sandbox/stats")
        return result

    def stop(self) -> str:
        """Stop the server (once); its stderr."""
        if self.proc.returncode is not None:
            return ""
        self.proc.terminate()
        try:
            _, stderr = self.proc.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            _, stderr = self.proc.communicate()
        return stderr or ""


def running_proxy(url: str) -> Iterator[Any]:
    """A fault proxy (:class:`tests.support.faults.FaultProxy`, no faults set) in front of
    ``url``, for a fixture to yield from; held requests are released before it stops."""
    from tests.support.faults import FaultProxy

    proxy = FaultProxy(url)
    yield proxy
    proxy.release.set()
    proxy.stop()


# --------------------------------------------------------------------------------- the CLI


def run(*args: str, env: dict[str, str] | None = None) -> Result:
    """The CLI in this process (click's CliRunner), any exit code."""
    from click.testing import CliRunner

    from macie_members.cli import cli

    return CliRunner().invoke(cli, list(args), env=env, catch_exceptions=False)


def run_module(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """``python -m macie_members ARGS`` in the repository, in ``env`` (default: this one's)."""
    return subprocess.run(
        [sys.executable, "-m", "macie_members", *args],
        capture_output=True,
        text=True,
        timeout=120,
        env=dict(os.environ) if env is None else env,
        cwd=ROOT,
    )


def subprocess_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    """This environment without AWS_* and MACIE_MEMBERS_*, AWS files, the sandbox state and the
    run locks in ``tmp_path``, plus ``extra``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "MACIE_MEMBERS_"))}
    env.update(
        AWS_CONFIG_FILE=str(tmp_path / "aws-config"),
        AWS_SHARED_CREDENTIALS_FILE=str(tmp_path / "aws-credentials"),
        AWS_EC2_METADATA_DISABLED="true",
        MACIE_MEMBERS_SANDBOX_STATE=str(tmp_path / "sandbox.json"),
        MACIE_MEMBERS_LOCK_DIR=str(tmp_path / "locks"),
        **extra,
    )
    return env


def place(where: str, options: Sequence[str], command: Sequence[str]) -> list[str]:
    """Global ``options`` before or after the command (name and its own arguments)."""
    return [*options, *command] if where == "before" else [*command, *options]


POSITIONS = pytest.mark.parametrize("where", ["before", "after"])


def create_member_args(account: str = ACCT, email: str = EMAIL) -> list[str]:
    return ["create-member", "--account", f"accountId={account},email={email}"]


def arn(region: str = "us-east-1", account: str = ACCT) -> str:
    """The ARN the sandbox gives a member of its administrator account."""
    return f"arn:aws:macie2:{region}:123456789012:member/{account}"


def arn_region(result: Result) -> str:
    return str(json.loads(result.stdout)["arn"].split(":")[3])


# ------------------------------------------------------------------- what a run printed


def no_traceback(result: Result | subprocess.CompletedProcess[str]) -> None:
    assert "Traceback" not in result.stdout
    assert "Traceback" not in result.stderr


def error_lines(result: Result | subprocess.CompletedProcess[str]) -> list[str]:
    """The non-blank lines of stderr; stdout is empty and there is no traceback."""
    no_traceback(result)
    assert result.stdout == ""
    return [line for line in result.stderr.splitlines() if line.strip()]


def one_line_error(result: Result | subprocess.CompletedProcess[str]) -> str:
    """The only non-blank line of stderr; stdout is empty and there is no traceback."""
    lines = error_lines(result)
    assert len(lines) == 1, result.stderr
    return lines[0]


def refused(result: Result, *fragments: str) -> None:
    """Exit 252, nothing on stdout, no traceback, and each fragment on stderr."""
    assert result.exit_code == 252, (result.stdout, result.stderr)
    assert result.stdout == "" and "Traceback" not in result.stderr
    for fragment in fragments:
        assert fragment in result.stderr, result.stderr


def records(stdout: str) -> list[dict[str, Any]]:
    """The result records of a JSON results document, in the order printed."""
    return list(json.loads(stdout)["results"])


# -------------------------------------------------------------------------- files, ports


def write_csv(path: Path, accounts: Sequence[str], *, emails: Callable[[str], str] = "{}@example.com".format,
              header: str = "Account ID,Email", bom: bool = False, crlf: bool = False) -> str:
    """An accounts CSV (the console's format) of ``accounts``; its path, as the CLI takes it."""
    newline = "\r\n" if crlf else "\n"
    text = newline.join([header, *(f"{a},{emails(a)}" for a in accounts)]) + newline
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + text.encode())
    return str(path)


def write_aws_config(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, text: str) -> None:
    config = tmp_path / "aws-config"
    config.write_text(text)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(config))


def closed_port() -> int:
    """A loopback port where nothing listens (a request there is refused)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


# ------------------------------------------------------- macie2 answers, as boto3 returns them

INVITED = dt.datetime(2024, 1, 2, 3, 4, 5, 678000, tzinfo=dt.UTC)
UPDATED = dt.datetime(2024, 2, 3, 4, 5, 6, tzinfo=dt.UTC)
ANSWER_ADMIN = "999988887777"
METADATA = {
    "RequestId": "0f1e2d3c-aaaa-bbbb-cccc-1234567890ab",
    "HTTPStatusCode": 200,
    "HTTPHeaders": {"content-type": "application/json"},
    "RetryAttempts": 0,
}


def member_answer(account_id: str, email: str, tags: dict[str, str] | None = None) -> dict[str, Any]:
    """A Member as boto3 returns it (model order, which is alphabetical)."""
    item: dict[str, Any] = {
        "accountId": account_id,
        "administratorAccountId": ANSWER_ADMIN,
        "arn": f"arn:aws:macie2:us-east-1:{ANSWER_ADMIN}:member/{account_id}",
        "email": email,
        "invitedAt": INVITED,
        "masterAccountId": ANSWER_ADMIN,
        "relationshipStatus": "Enabled",
    }
    if tags is not None:
        item["tags"] = tags
    item["updatedAt"] = UPDATED
    return item


def list_members_answer() -> dict[str, Any]:
    """A ListMembers answer with two members (one with tags) and its ResponseMetadata."""
    return {
        "members": [
            member_answer("111122223333", "zoë@exämple.com", {"team": "sec", "env": "prod"}),
            member_answer("444455556666", "ops@example.com"),
        ],
        "ResponseMetadata": copy.deepcopy(METADATA),
    }


# ------------------------------------------------------------------ the planners' inputs


def inventory_entry(status: str, email: str = "x@example.com") -> dict[str, Any]:
    """A member of an inventory as the planners read it (status, email, ARN)."""
    return {"relationshipStatus": status, "email": email, "arn": f"arn:{status}"}


def account_ids(n: int, start: int = 100000000000) -> list[str]:
    """``n`` consecutive 12-digit account ids from ``start``."""
    return [str(start + i) for i in range(n)]


class Clock:
    """A fake clock for ``clock=``/``sleep=`` arguments: sleeping moves it forward, at once."""

    def __init__(self) -> None:
        self.now = 0.0
        self.sleeps: list[float] = []

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds
