"""Where the fidelity scenarios run, and how their responses are recorded and compared.

Like LocalStack's parity tests: the same scenario runs against the sandbox (the default, in CI)
or, on request, against real AWS; every response is recorded with account ids, invitation ids,
Regions and timestamps masked, and compared with the snapshot in ``snapshots/``. Error messages
are recorded but not compared (:data:`IGNORED`): the sandbox's wording is its own.

AWS mode is opt-in and never runs in CI (docs/sandbox.md, "Fidelity scenarios"). Every macie2 call of
both clients goes through :class:`Guard`, which refuses any account id not listed in
``MACIE_FIDELITY_ACCOUNTS`` before the request is built.
"""

from __future__ import annotations

import contextlib
import datetime
import json
import os
import re
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import botocore.exceptions

SNAPSHOTS = Path(__file__).resolve().parent / "snapshots"
# The environment as the test run started, before tests/conftest.py hides the developer's AWS
# configuration from each test: AWS mode needs the real profiles.
ORIGINAL_ENV = dict(os.environ)
ENV_PREFIX = "MACIE_FIDELITY_"
IGNORED = {"message", "errorMessage"}  # keys never compared (LocalStack's skip_snapshot_verify)
ACCOUNT_KEYS = ("accountId", "accountIds", "id", "administratorAccountId", "masterAccount")


class GuardError(AssertionError):
    """A scenario tried to touch an account that is not on the allow-list."""


@dataclass
class Guard:
    """Refuses, before any request is sent, a macie2 call naming an account not allowed."""

    allowed: frozenset[str]

    def check(self, params: dict[str, Any], **_: Any) -> None:
        named: list[Any] = []
        for key in ACCOUNT_KEYS:
            value = params.get(key)
            named += value if isinstance(value, list) else [value]
        if isinstance(params.get("account"), dict):
            named.append(params["account"].get("accountId"))
        for account in named:
            if account is not None and account not in self.allowed:
                raise GuardError(f"account {account!r} is not in {ENV_PREFIX}ACCOUNTS: refused")

    def attach(self, client: Any) -> Any:
        client.meta.events.register("provide-client-params.macie2", self.check)
        return client


@dataclass
class Masker:
    """Replaces what differs between runs and between sandbox and AWS with stable names."""

    names: dict[str, str]
    invitation_ids: dict[str, str] = field(default_factory=dict)

    def __call__(self, value: Any) -> Any:
        if isinstance(value, dict):
            return {k: self._key(k, v) for k, v in value.items() if k != "ResponseMetadata"}
        if isinstance(value, list):
            return [self(v) for v in value]
        if isinstance(value, datetime.datetime):
            return "<timestamp>"
        if isinstance(value, str):
            for real, name in self.names.items():
                value = value.replace(real, name)
        return value

    def _key(self, key: str, value: Any) -> Any:
        if key == "invitationId" and isinstance(value, str):
            return self.invitation_ids.setdefault(value, f"<invitation-{len(self.invitation_ids) + 1}>")
        return self(value)


def comparable(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: comparable(v) for k, v in value.items() if k not in IGNORED}
    if isinstance(value, list):
        return [comparable(v) for v in value]
    return value


@dataclass
class Recorder:
    """The masked responses of one scenario, checked against (or written to) its snapshot."""

    name: str
    masker: Masker
    source: str
    record: bool
    steps: list[dict[str, Any]] = field(default_factory=list)

    def step(self, label: str, call: Callable[[], Any]) -> Any:
        try:
            result = call()
        except botocore.exceptions.ClientError as exc:
            error = exc.response["Error"]
            entry = {"code": error.get("Code"), "status": exc.response["ResponseMetadata"]["HTTPStatusCode"],
                     "message": error.get("Message")}
            self.steps.append({"step": label, "error": self.masker(entry)})
            return exc
        self.steps.append({"step": label, "response": self.masker(result)})
        return result

    def check(self) -> None:
        path = SNAPSHOTS / f"{self.name}.json"
        if self.record:
            document = {"recorded": {"source": self.source, "on": datetime.date.today().isoformat(),
                                     "botocore": botocore.__version__}, "steps": self.steps}
            path.write_text(json.dumps(document, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
            return
        assert path.exists(), f"no snapshot {path.name}: record it with {ENV_PREFIX}RECORD=1"
        expected = json.loads(path.read_text(encoding="utf-8"))["steps"]
        assert comparable(self.steps) == comparable(expected), (
            f"{self.name}: the responses differ from snapshots/{path.name} "
            f"(recorded from {json.loads(path.read_text())['recorded']['source']})"
        )


class Target:
    """An administrator and a member account, in one Region, sandbox or AWS."""

    source = "sandbox"
    admin_id: str
    member_id: str
    member_email: str
    region: str
    # An account of the administrator's AWS organization (the administrator being its delegated
    # Macie administrator), for the mixed-inventory scenarios; None: those scenarios skip.
    org_member_id: str | None = None

    def __init__(self) -> None:
        self.admin: Any = None
        self.member: Any = None
        self.record = ORIGINAL_ENV.get(f"{ENV_PREFIX}RECORD") == "1"

    def recorder(self, name: str) -> Recorder:
        names = {self.admin_id: "<admin>", self.member_id: "<member>", self.region: "<region>",
                 self.member_email: "<member-email>"}
        if self.org_member_id:
            names[self.org_member_id] = "<org-member>"
        return Recorder(name, Masker(names), self.source, self.record)

    def wait_until_verified(self) -> str:
        """Until the member's email verification is over; its status."""
        raise NotImplementedError

    def wait_until_enabled(self, account: str) -> str:
        """Until an Organizations member is no longer being enabled (Created); its status."""
        raise NotImplementedError

    def cleanup(self) -> None:
        """Best effort: no relationship left between the two accounts."""
        calls: list[Callable[[], Any]] = [
            self.member.disassociate_from_administrator_account,
            lambda: self.admin.disassociate_member(id=self.member_id),
            lambda: self.admin.delete_member(id=self.member_id),
            lambda: self.member.decline_invitations(accountIds=[self.admin_id]),
            lambda: self.member.delete_invitations(accountIds=[self.admin_id]),
        ]
        if self.org_member_id:
            org_member = self.org_member_id
            calls += [lambda: self.admin.disassociate_member(id=org_member),
                      lambda: self.admin.delete_member(id=org_member)]
        for call in calls:
            with contextlib.suppress(botocore.exceptions.ClientError):
                call()


class SandboxTarget(Target):
    """The in-process sandbox; the member's own email is registered, as AWS knows it."""

    admin_id, member_id, member_email, region = "123456789012", "111111111111", "member@example.com", "us-east-1"
    org_member_id = "777777777777"

    def __init__(self, sandbox: Any) -> None:
        super().__init__()
        self.sandbox = sandbox
        guard = Guard(frozenset({self.admin_id, self.member_id, self.org_member_id}))
        sandbox.set_condition(self.member_id, email=self.member_email)
        sandbox.join_organization(self.org_member_id, self.admin_id)
        self.admin = guard.attach(sandbox.client(self.admin_id, self.region))
        self.member = guard.attach(sandbox.client(self.member_id, self.region))

    def wait_until_verified(self) -> str:
        self.sandbox.advance()
        return str(self.admin.get_member(id=self.member_id)["relationshipStatus"])

    def wait_until_enabled(self, account: str) -> str:
        self.sandbox.advance()
        return str(self.admin.get_member(id=account)["relationshipStatus"])


class AwsTarget(Target):
    """Real AWS: an administrator profile and a member role, both accounts on the allow-list."""

    source = "aws"

    def __init__(self, env: dict[str, str]) -> None:
        super().__init__()
        import boto3
        import botocore.session

        if env.get("CI"):
            raise GuardError(f"{ENV_PREFIX}TARGET=aws never runs in CI (CI is set)")
        missing = [n for n in ("ADMIN_PROFILE", "MEMBER_ROLE_ARN", "ACCOUNTS", "MEMBER_EMAIL")
                   if not env.get(ENV_PREFIX + n)]
        if missing:
            raise GuardError("AWS mode needs " + ", ".join(ENV_PREFIX + n for n in missing))
        allowed = frozenset(a.strip() for a in env[ENV_PREFIX + "ACCOUNTS"].split(",") if a.strip())
        self.region = env.get(ENV_PREFIX + "REGION", "us-east-1")
        self.member_email = env[ENV_PREFIX + "MEMBER_EMAIL"]
        core = botocore.session.Session()
        for variable, name in (("config_file", "AWS_CONFIG_FILE"), ("credentials_file", "AWS_SHARED_CREDENTIALS_FILE")):
            if env.get(name):
                core.set_config_variable(variable, env[name])
        core.set_config_variable("profile", env[ENV_PREFIX + "ADMIN_PROFILE"])
        session = boto3.Session(botocore_session=core, region_name=self.region)
        self.admin_id = session.client("sts").get_caller_identity()["Account"]
        role = env[ENV_PREFIX + "MEMBER_ROLE_ARN"]
        match = re.fullmatch(r"arn:aws:iam::(\d{12}):role/.+", role)
        if not match:
            raise GuardError(f"{ENV_PREFIX}MEMBER_ROLE_ARN is not an IAM role ARN: {role}")
        self.member_id = match.group(1)
        for account in (self.admin_id, self.member_id):
            if account not in allowed:
                raise GuardError(f"account {account} is not in {ENV_PREFIX}ACCOUNTS: refused")
        if self.admin_id == self.member_id:
            raise GuardError("the administrator and the member must be two accounts")
        creds = session.client("sts").assume_role(RoleArn=role, RoleSessionName="macie-fidelity")["Credentials"]
        guard = Guard(allowed)
        self.admin = guard.attach(session.client("macie2"))
        self.member = guard.attach(boto3.client(
            "macie2", region_name=self.region, aws_access_key_id=creds["AccessKeyId"],
            aws_secret_access_key=creds["SecretAccessKey"], aws_session_token=creds["SessionToken"],
        ))
        self.timeout = float(env.get(ENV_PREFIX + "VERIFY_TIMEOUT", "600"))
        org_member = env.get(ENV_PREFIX + "ORG_ACCOUNT")  # optional: the mixed-inventory scenarios
        if org_member and org_member not in allowed:
            raise GuardError(f"account {org_member} is not in {ENV_PREFIX}ACCOUNTS: refused")
        self.org_member_id = org_member or None

    def _wait(self, account: str, passing: str) -> str:
        deadline = time.monotonic() + self.timeout
        delay = 5.0
        while True:
            status = str(self.admin.get_member(id=account)["relationshipStatus"])
            if status != passing or time.monotonic() > deadline:
                return status
            time.sleep(delay)
            delay = min(delay * 2, 60.0)

    def wait_until_verified(self) -> str:
        return self._wait(self.member_id, "EmailVerificationInProgress")

    def wait_until_enabled(self, account: str) -> str:
        return self._wait(account, "Created")


def open_target(sandbox_factory: Callable[[], Any]) -> Iterator[Target]:
    """The target the environment asks for (the sandbox unless MACIE_FIDELITY_TARGET=aws)."""
    kind = ORIGINAL_ENV.get(ENV_PREFIX + "TARGET", "sandbox")
    if kind == "aws":
        target: Target = AwsTarget(ORIGINAL_ENV)
        target.cleanup()
        try:
            yield target
        finally:
            target.cleanup()
        return
    if kind != "sandbox":
        raise GuardError(f"{ENV_PREFIX}TARGET must be sandbox or aws, not {kind!r}")
    with sandbox_factory() as sandbox:
        yield SandboxTarget(sandbox)
