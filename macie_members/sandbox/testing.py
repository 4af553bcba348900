"""Test helpers for the sandbox: a pytest fixture and a plain context manager.

Use the fixture by listing this module in a ``conftest.py``::

    pytest_plugins = ["macie_members.sandbox.testing"]

    def test_something(macie_sandbox):
        admin = macie_sandbox.client()                   # the administrator, 123456789012
        member = macie_sandbox.client(account="111111111111")   # a member, via sts:AssumeRole

or without pytest (this module does not import pytest; the fixture lives in
:mod:`macie_members.sandbox.pytest_plugin`, which pytest loads through ``pytest_plugins``)::

    with sandbox_session() as sandbox:
        sandbox.client().list_members()

Email verification takes time, as in Macie (2 seconds by default): move the sandbox's clock
with :meth:`Sandbox.advance` instead of sleeping, or set ``verification_delay=0``.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from typing import Any

from macie_members.sandbox import mock_sandbox
from macie_members.sandbox.models import sandbox_backends
from macie_members.sandbox.rules import SETTINGS, verification_delay
from macie_members.sandbox.sts import IN_PROCESS, gate_in_process_assume_role

# pytest loads the plugins a plugin names: the fixture, without importing pytest here.
pytest_plugins = ["macie_members.sandbox.pytest_plugin"]

ADMIN_ACCOUNT = "123456789012"
FAKE_ENV = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_SESSION_TOKEN": "testing",
    "AWS_DEFAULT_REGION": "us-east-1",
}


class Sandbox:
    """Clients for the administrator and for member accounts of the in-process sandbox."""

    def __init__(self) -> None:
        self._clients: dict[tuple[str, str], Any] = {}

    def client(self, account: str = ADMIN_ACCOUNT, region: str = "us-east-1") -> Any:
        import boto3

        key = (account, region)
        if key not in self._clients:
            if account == ADMIN_ACCOUNT:
                self._clients[key] = boto3.client("macie2", region_name=region)
            else:
                sts = boto3.client("sts", region_name="us-east-1")
                creds = sts.assume_role(
                    RoleArn=f"arn:aws:iam::{account}:role/macie-members-test",
                    RoleSessionName="macie-members-test",
                )["Credentials"]
                self._clients[key] = boto3.client(
                    "macie2",
                    region_name=region,
                    aws_access_key_id=creds["AccessKeyId"],
                    aws_secret_access_key=creds["SecretAccessKey"],
                    aws_session_token=creds["SessionToken"],
                )
        return self._clients[key]

    def advance(self, seconds: float | None = None) -> None:
        """Move the sandbox's clock forward (default: past email verification)."""
        SETTINGS.clock_offset += verification_delay() if seconds is None else seconds

    def accept(self, account: str, region: str = "us-east-1", admin: str = ADMIN_ACCOUNT) -> None:
        member = self.client(account, region)
        for invitation in member.list_invitations()["invitations"]:
            if invitation["accountId"] == admin:
                member.accept_invitation(administratorAccountId=admin, invitationId=invitation["invitationId"])
                return
        raise AssertionError(f"{account} has no invitation from {admin} in {region}")

    def set_condition(
        self,
        account: str,
        region: str = "us-east-1",
        *,
        region_disabled: bool | None = None,
        account_suspended: bool | None = None,
        email: str | None = None,
        organization: str | None = None,
    ) -> None:
        """RegionDisabled (this Region), AccountSuspended (the whole account), the account's
        own email address (verification of any other fails), or the AWS organization it is part
        of, named by its Macie administrator (``""``: none; see
        :mod:`macie_members.sandbox.organizations`)."""
        sandbox_backends[account][region].set_account_condition(
            region_disabled=region_disabled, account_suspended=account_suspended, email=email,
            organization=organization,
        )

    def require_external_id(self, account: str, role: str, external_id: str) -> None:
        """From now on AssumeRole of ``arn:aws:iam::<account>:role/<role>`` needs ``external_id``
        (``""``: no longer), as the server's ``sandbox condition --role --external-id``."""
        IN_PROCESS.require_external_id(f"arn:aws:iam::{account}:role/{role}", external_id)

    def assume_role_calls(self) -> list[dict[str, Any]]:
        """The AssumeRole calls so far (roleArn, roleSessionName, whether an externalId came)."""
        return IN_PROCESS.stats()

    def join_organization(self, account: str, admin: str = ADMIN_ACCOUNT) -> None:
        """Make ``account`` part of the AWS organization whose delegated Macie administrator is
        ``admin``: CreateMember then adds it without an invitation."""
        self.set_condition(account, organization=admin)


@contextlib.contextmanager
def sandbox_session(*, verification_delay: float | None = None) -> Iterator[Sandbox]:
    """The in-process sandbox with fake credentials in the environment."""
    saved = {k: os.environ.get(k) for k in FAKE_ENV}
    os.environ.update(FAKE_ENV)
    SETTINGS.reset()
    SETTINGS.verification_delay = verification_delay
    gate_in_process_assume_role()
    try:
        with mock_sandbox():
            yield Sandbox()
    finally:
        IN_PROCESS.reset()
        SETTINGS.reset()
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
