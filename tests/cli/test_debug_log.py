"""``--debug`` through the CLI, also on the member side (``sandbox accept``): the log is there,
and it shows no secret key, session token or signature (the administrator's nor the assumed
role's)."""

from __future__ import annotations

import json
import logging
import re
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result

from tests.support.helpers import ROOT, admin_client, no_traceback, subprocess_env

ACCT = "111111111111"
EMAIL = "jane@example.com"
ADMIN_SECRET = "adminSECRETkey0123456789abcdefXYZ"
ADMIN_TOKEN = "adminSESSIONtoken0123456789abcdefXYZ"

Invoke = Callable[..., Result]


# --------------------------------------------------------------------------------------------
# --debug: no secret keys, session tokens or signatures, also on the member side
# --------------------------------------------------------------------------------------------

SIGNATURE_PATTERNS = [
    re.compile(r"Signature=[0-9a-fA-F]{8,}"),
    re.compile(r"Signature:\s*\n?\s*[0-9a-fA-F]{16,}"),
    re.compile(r"<SecretAccessKey>(?!\*\*\*REDACTED\*\*\*<)"),
    re.compile(r"<SessionToken>(?!\*\*\*REDACTED\*\*\*<)"),
    re.compile(r"""['"]SecretAccessKey['"]\s*:\s*['"](?!\*\*\*REDACTED)"""),
    re.compile(r"""['"]SessionToken['"]\s*:\s*['"](?!\*\*\*REDACTED)"""),
    re.compile(r"""x-amz-security-token['"]?+\s*+[:=]\s*+b?+['"]?+(?!\*\*\*REDACTED)""", re.IGNORECASE),
]


def assert_nothing_secret(text: str, secrets: list[str]) -> None:
    for secret in secrets:
        assert secret not in text, f"secret {secret[:6]}... in the debug log"
    for pattern in SIGNATURE_PATTERNS:
        match = pattern.search(text)
        assert match is None, text[max(match.start() - 200, 0) : match.end() + 200]


def _invite(url: str, account: str = ACCT) -> None:
    admin = admin_client(url)
    admin.create_member(account={"accountId": account, "email": EMAIL})
    admin.create_invitations(accountIds=[account])


def test_debug_of_sandbox_accept_shows_no_secrets(sandbox_server: Any, tmp_path: Path) -> None:
    """``sandbox accept --debug`` against ``sandbox serve``, as a user runs it."""
    _invite(sandbox_server.url)
    env = subprocess_env(
        tmp_path,
        AWS_ENDPOINT_URL=sandbox_server.url,
        AWS_ACCESS_KEY_ID="testing",
        AWS_SECRET_ACCESS_KEY=ADMIN_SECRET,
        AWS_SESSION_TOKEN=ADMIN_TOKEN,
        AWS_DEFAULT_REGION="us-east-1",
    )
    proc = subprocess.run(
        [sys.executable, "-m", "macie_members", "sandbox", "accept", "--account", ACCT, "--debug"],
        capture_output=True, text=True, timeout=120, cwd=ROOT, env=env,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert json.loads(proc.stdout)["accepted"] is True
    no_traceback(proc)
    # The log is there (with the AssumeRole answer in it), and redacted.
    assert "DEBUG" in proc.stderr and "AssumeRole" in proc.stderr and "AcceptInvitation" in proc.stderr
    assert "<SecretAccessKey>***REDACTED***</SecretAccessKey>" in proc.stderr
    assert_nothing_secret(proc.stdout + proc.stderr, [ADMIN_SECRET, ADMIN_TOKEN])


class _RawRecords(logging.Handler):
    """What botocore logged, before any redaction (to learn the assumed role's secrets)."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


@pytest.fixture
def raw_botocore_log() -> Iterator[_RawRecords]:
    handler = _RawRecords()
    logger = logging.getLogger("botocore")
    logger.addHandler(handler)
    try:
        yield handler
    finally:
        logger.removeHandler(handler)


def test_debug_of_sandbox_accept_hides_the_assumed_role_credentials(
    invoke: Invoke, aws: Any, monkeypatch: pytest.MonkeyPatch, raw_botocore_log: _RawRecords
) -> None:
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", ADMIN_SECRET)
    monkeypatch.setenv("AWS_SESSION_TOKEN", ADMIN_TOKEN)
    _invite(aws.url)
    result = invoke("sandbox", "accept", "--account", ACCT, "--debug")
    assert json.loads(result.stdout)["accepted"] is True
    raw = "\n".join(raw_botocore_log.messages)
    member_secret = re.search(r"<SecretAccessKey>([^<]+)</SecretAccessKey>", raw)
    member_token = re.search(r"<SessionToken>([^<]+)</SessionToken>", raw)
    assert member_secret and member_token, "the AssumeRole answer was not logged"
    signatures = re.findall(r"Signature=([0-9a-f]{64})", raw)
    assert len(signatures) >= 3  # AssumeRole, ListInvitations, AcceptInvitation
    assert_nothing_secret(
        result.stdout + result.stderr,
        [ADMIN_SECRET, ADMIN_TOKEN, member_secret.group(1), member_token.group(1), *signatures],
    )
