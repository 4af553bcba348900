"""The ten other membership commands: the real AWS CLI and macie-members, same command, same
sandbox state, same stdout, same outcome.

Administrator side: get-member. Member side (with the member's own credentials, from STS
AssumeRole): list-invitations, accept-invitation, decline-invitations, delete-invitations,
get-invitations-count, get-administrator-account, disassociate-from-administrator-account, and
the deprecated get-master-account and disassociate-from-master-account.

As in :mod:`tests.parity.test_awscli_parity`: the AWS CLI on PyPI is v1 (exit 255 where v2 and
macie-members exit 252 or 254), so both must succeed or both fail, with the same stdout (as
JSON, and byte for byte) and the same sandbox state after a mutating command; a failure of ours
has its exit code in 252/253/254 and a message without a traceback. The documented errors (an
unknown member, no pending invitation, nothing to disassociate from, a pending invitation that
can't be deleted) are among the cases.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.support.awscli_support import (
    ADMIN,
    CREATED,
    ENABLED,
    MEMBER,
    OTHER,
    REMOVED,
    accept_args,
    accepted,
    cli_env,
    declined,
    fixed,
    invitation_id,
    invited_twice,
    nothing,
    run_aws,
    run_ours,
    snapshot,
    standard_state,
)
from tests.support.helpers import member_client, member_credentials

pytestmark = pytest.mark.awscli



def member_env(url: str, tmp_path: Path) -> dict[str, str]:
    return cli_env(url, tmp_path, **member_credentials(url, MEMBER))


@dataclass(frozen=True)
class Case:
    name: str
    args: Callable[[str], list[str]]  # from the server's URL (an invitation id is read there)
    setup: Callable[[str], None]
    member: bool = True  # run with the member account's credentials


READS = [
    Case("get-member", fixed("get-member", "--id", ENABLED), standard_state, member=False),
    Case("get-member-created", fixed("get-member", "--id", CREATED), standard_state, member=False),
    Case("get-member-removed", fixed("get-member", "--id", REMOVED), standard_state, member=False),
    Case("get-member-unknown", fixed("get-member", "--id", "888888888888"), standard_state, member=False),
    Case("get-member-query", fixed("get-member", "--id", ENABLED, "--query", "relationshipStatus"), standard_state,
         member=False),
    Case("get-member-text", fixed("get-member", "--id", ENABLED, "--output", "text"), standard_state, member=False),
    Case("get-member-input-json", fixed("get-member", "--cli-input-json", json.dumps({"id": ENABLED})),
         standard_state, member=False),
    Case("get-member-missing-id", fixed("get-member"), standard_state, member=False),
    Case("get-member-other-region", fixed("get-member", "--id", ENABLED, "--region", "eu-west-1"), standard_state,
         member=False),
    Case("list-invitations", fixed("list-invitations"), invited_twice),
    Case("list-invitations-accepted", fixed("list-invitations"), accepted),
    Case("list-invitations-empty", fixed("list-invitations"), nothing),
    Case("list-invitations-max-items", fixed("list-invitations", "--max-items", "1"), invited_twice),
    Case("list-invitations-page-size", fixed("list-invitations", "--page-size", "1"), invited_twice),
    Case("list-invitations-max-results", fixed("list-invitations", "--max-results", "1"), invited_twice),
    Case("list-invitations-no-paginate", fixed("list-invitations", "--no-paginate"), invited_twice),
    Case("list-invitations-query", fixed("list-invitations", "--query", "invitations[].[accountId,relationshipStatus]"),
         invited_twice),
    Case("list-invitations-text", fixed("list-invitations", "--output", "text"), invited_twice),
    Case("list-invitations-text-query", fixed("list-invitations", "--query", "invitations[].accountId", "--output",
                                              "text"), invited_twice),
    Case("list-invitations-too-many", fixed("list-invitations", "--max-results", "26"), invited_twice),
    Case("get-invitations-count", fixed("get-invitations-count"), invited_twice),
    Case("get-invitations-count-accepted", fixed("get-invitations-count"), accepted),
    Case("get-invitations-count-text", fixed("get-invitations-count", "--output", "text"), invited_twice),
    Case("get-administrator-account-none", fixed("get-administrator-account"), invited_twice),
    Case("get-administrator-account", fixed("get-administrator-account"), accepted),
    Case("get-administrator-account-text", fixed("get-administrator-account", "--output", "text"), accepted),
    Case("get-administrator-account-query", fixed("get-administrator-account", "--query", "administrator.accountId"),
         accepted),
    Case("get-master-account", fixed("get-master-account"), accepted),
    Case("get-master-account-none", fixed("get-master-account"), invited_twice),
    *(Case(f"skeleton-{command}", fixed(command, "--generate-cli-skeleton"), nothing)
      for command in ("get-member", "list-invitations", "accept-invitation", "decline-invitations",
                      "delete-invitations", "get-invitations-count", "get-administrator-account",
                      "disassociate-from-administrator-account", "get-master-account",
                      "disassociate-from-master-account")),
    Case("skeleton-output-get-member", fixed("get-member", "--id", ENABLED, "--generate-cli-skeleton", "output"),
         nothing, member=False),
    Case("skeleton-output-count", fixed("get-invitations-count", "--generate-cli-skeleton", "output"), nothing),
    Case("skeleton-output-administrator", fixed("get-administrator-account", "--generate-cli-skeleton", "output"),
         nothing),
    Case("skeleton-output-disassociate", fixed("disassociate-from-administrator-account", "--generate-cli-skeleton",
                                               "output"), nothing),
]

CHANGES = [
    Case("accept", accept_args(), invited_twice),
    Case("accept-master-account", accept_args(key="--master-account"), invited_twice),
    Case("accept-wrong-id", fixed("accept-invitation", "--administrator-account-id", ADMIN, "--invitation-id",
                                  "0123456789abcdef"), invited_twice),
    Case("accept-second", accept_args(sender=OTHER), accepted),
    Case("accept-missing-invitation-id", fixed("accept-invitation", "--administrator-account-id", ADMIN),
         invited_twice),
    Case("accept-input-json", lambda url: ["accept-invitation", "--cli-input-json", json.dumps(
        {"administratorAccountId": ADMIN, "invitationId": invitation_id(url)})], invited_twice),
    Case("decline", fixed("decline-invitations", "--account-ids", ADMIN), invited_twice),
    Case("decline-two-and-unknown", fixed("decline-invitations", "--account-ids", ADMIN, OTHER, "222222222222"),
         invited_twice),
    Case("decline-json", fixed("decline-invitations", "--account-ids", json.dumps([OTHER])), invited_twice),
    Case("decline-accepted", fixed("decline-invitations", "--account-ids", ADMIN), accepted),
    Case("decline-text", fixed("decline-invitations", "--account-ids", "222222222222", "--output", "text"),
         invited_twice),
    Case("decline-missing-ids", fixed("decline-invitations"), invited_twice),
    Case("delete-pending", fixed("delete-invitations", "--account-ids", ADMIN), invited_twice),
    Case("delete-declined", fixed("delete-invitations", "--account-ids", ADMIN), declined),
    Case("delete-current", fixed("delete-invitations", "--account-ids", ADMIN), accepted),
    Case("delete-input-json", fixed("delete-invitations", "--cli-input-json", json.dumps({"accountIds": [ADMIN]})),
         declined),
    Case("disassociate-from-administrator", fixed("disassociate-from-administrator-account"), accepted),
    Case("disassociate-from-administrator-none", fixed("disassociate-from-administrator-account"), invited_twice),
    Case("disassociate-from-master", fixed("disassociate-from-master-account"), accepted),
    Case("disassociate-from-master-none", fixed("disassociate-from-master-account"), invited_twice),
]


def state(url: str) -> tuple[Any, ...]:
    """The administrator's inventory, and the member's invitations (without ids and times)."""
    invitations = member_client(url, MEMBER).list_invitations()["invitations"]
    administrator = member_client(url, MEMBER).get_administrator_account().get("administrator", {})
    return (snapshot(url), sorted((i["accountId"], i["relationshipStatus"]) for i in invitations),
            administrator.get("accountId"))


def run_both(case: Case, server: Any, tmp_path: Path, *, mutating: bool) -> tuple[Any, Any, Any, Any]:
    runs, states = [], []
    for run in (run_aws, run_ours):
        if mutating or not runs:
            server.reset()
            case.setup(server.url)
        env = member_env(server.url, tmp_path) if case.member else cli_env(server.url, tmp_path)
        args = case.args(server.url)
        runs.append(run(["macie2", *args] if run is run_aws else args, env, cwd=tmp_path))
        states.append(state(server.url) if mutating else None)
    return runs[0], runs[1], states[0], states[1]


def same_outcome(aws: Any, ours: Any) -> None:
    assert (aws.rc == 0) == (ours.rc == 0), f"aws rc {aws.rc}: {aws.stderr}\nours rc {ours.rc}: {ours.stderr}"
    if aws.stdout.strip():
        if not aws.stdout.lstrip().startswith(("{", "[", '"')):  # --output text
            assert ours.stdout == aws.stdout
        else:
            assert json.loads(ours.stdout) == json.loads(aws.stdout)
            assert ours.stdout == aws.stdout, "same JSON, but not the same bytes"
    else:
        assert ours.stdout == aws.stdout == ""
    if ours.rc:
        assert ours.rc in (252, 253, 254), ours.rc
        assert ours.stderr.strip() and "Traceback" not in ours.stderr
        if ours.rc == 254:  # a service error: the AWS CLI's sentence (ours 252: refused before sending)
            sentence = aws.stderr.strip().splitlines()[-1]
            assert "An error occurred (" in sentence and sentence in ours.stderr, (aws.stderr, ours.stderr)


@pytest.mark.parametrize("case", READS, ids=lambda c: c.name)
def test_read_parity(case: Case, sandbox_server: Any, tmp_path: Path) -> None:
    aws, ours, _, _ = run_both(case, sandbox_server, tmp_path, mutating=False)
    same_outcome(aws, ours)


@pytest.mark.parametrize("case", CHANGES, ids=lambda c: c.name)
def test_change_parity(case: Case, sandbox_server: Any, tmp_path: Path) -> None:
    aws, ours, aws_state, ours_state = run_both(case, sandbox_server, tmp_path, mutating=True)
    same_outcome(aws, ours)
    assert ours_state == aws_state
