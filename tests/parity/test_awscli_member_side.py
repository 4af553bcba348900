"""The member side, end to end with the real AWS CLI against ``sandbox serve``: each member
command (list-invitations, accept-invitation, decline-invitations, delete-invitations,
get-invitations-count, get-administrator-account, disassociate-from-administrator-account) with
the member's own credentials from ``aws sts assume-role``."""

from __future__ import annotations

from typing import Any

import pytest

from tests.support.awscli_support import ADMIN, AwsCli, run_aws
from tests.support.helpers import admin_client, member_client

pytestmark = pytest.mark.awscli

MEMBER = "111111111111"
OTHER = "999999999999"


@pytest.fixture
def member(aws: AwsCli, sandbox_server: Any) -> AwsCli:
    """The AWS CLI as the member account (``aws sts assume-role``), invited by ADMIN and OTHER."""
    for sender in (ADMIN, OTHER):
        client = admin_client(sandbox_server.url) if sender == ADMIN else member_client(sandbox_server.url, sender)
        client.create_member(account={"accountId": MEMBER, "email": "m@example.com"})
        client.create_invitations(accountIds=[MEMBER])
    creds = aws.ok("sts", "assume-role", "--role-arn", f"arn:aws:iam::{MEMBER}:role/member",
                   "--role-session-name", "member")["Credentials"]
    env = {**aws.env, "AWS_ACCESS_KEY_ID": creds["AccessKeyId"], "AWS_SECRET_ACCESS_KEY": creds["SecretAccessKey"],
           "AWS_SESSION_TOKEN": creds["SessionToken"]}
    assert aws.ok("sts", "get-caller-identity", env=env)["Account"] == MEMBER
    return AwsCli(env, aws.cwd)


def invitations(member: AwsCli) -> list[tuple[str, str]]:
    return [(i["accountId"], i["relationshipStatus"]) for i in member.ok("macie2", "list-invitations")["invitations"]]


def invitation_id(member: AwsCli, sender: str = ADMIN) -> str:
    found = [i for i in member.ok("macie2", "list-invitations")["invitations"] if i["accountId"] == sender]
    return str(found[0]["invitationId"])


def accept(member: AwsCli, sender: str = ADMIN) -> Any:
    return member.ok("macie2", "accept-invitation", "--administrator-account-id", sender,
                     "--invitation-id", invitation_id(member, sender))


def admin_status(aws: AwsCli) -> str | None:
    return aws.statuses(only_associated="false").get(MEMBER)


def test_list_invitations(member: AwsCli) -> None:
    result = member.ok("macie2", "list-invitations")
    assert sorted(result) == ["invitations"]
    [first, second] = result["invitations"]
    assert sorted(first) == ["accountId", "invitationId", "invitedAt", "relationshipStatus"]
    assert first["invitedAt"].endswith("+00:00")  # cli_timestamp_format = iso8601: the zone is there
    assert [(i["accountId"], i["relationshipStatus"]) for i in (first, second)] == [(ADMIN, "Invited"),
                                                                                  (OTHER, "Invited")]
    truncated = member.ok("macie2", "list-invitations", "--max-items", "1")
    assert [i["accountId"] for i in truncated["invitations"]] == [ADMIN] and truncated["NextToken"]
    rest = member.ok("macie2", "list-invitations", "--starting-token", truncated["NextToken"])
    assert [i["accountId"] for i in rest["invitations"]] == [OTHER]
    page = member.ok("macie2", "list-invitations", "--max-results", "1")
    assert len(page["invitations"]) == 1 and page["nextToken"]
    refused = run_aws(["macie2", "list-invitations", "--max-results", "26"], member.env, cwd=member.cwd)
    assert refused.rc == 255  # the AWS CLI v1's code for a service error
    assert "ValidationException" in refused.stderr and refused.stdout == ""


def test_accept_invitation(aws: AwsCli, member: AwsCli) -> None:
    assert accept(member) is None  # an empty response: the AWS CLI prints nothing
    assert admin_status(aws) == "Enabled"
    assert invitations(member) == [(ADMIN, "Enabled"), (OTHER, "Invited")]  # the accepted one persists
    refused = run_aws(["macie2", "accept-invitation", "--administrator-account-id", OTHER,
                       "--invitation-id", invitation_id(member, OTHER)], member.env, cwd=member.cwd)
    assert refused.rc != 0 and "ValidationException" in refused.stderr
    assert "already an associated member of another master account" in refused.stderr


def test_decline_invitations(aws: AwsCli, member: AwsCli) -> None:
    result = member.ok("macie2", "decline-invitations", "--account-ids", ADMIN, "222222222222")
    assert [(u["accountId"], u["errorCode"]) for u in result["unprocessedAccounts"]] == [("222222222222",
                                                                                        "ClientError")]
    assert admin_status(aws) is None  # gone from the administrator's inventory
    assert invitations(member) == [(ADMIN, "Removed"), (OTHER, "Invited")]  # the invitation persists


def test_delete_invitations(aws: AwsCli, member: AwsCli) -> None:
    refused = member.ok("macie2", "delete-invitations", "--account-ids", ADMIN)
    assert "decline it" in refused["unprocessedAccounts"][0]["errorMessage"]  # pending: decline first
    member.ok("macie2", "decline-invitations", "--account-ids", ADMIN)
    assert member.ok("macie2", "delete-invitations", "--account-ids", ADMIN) == {"unprocessedAccounts": []}
    assert invitations(member) == [(OTHER, "Invited")]


def test_get_invitations_count(member: AwsCli) -> None:
    assert member.ok("macie2", "get-invitations-count") == {"invitationsCount": 2}
    accept(member)
    assert member.ok("macie2", "get-invitations-count") == {"invitationsCount": 1}  # not the accepted one


def test_get_administrator_account(member: AwsCli) -> None:
    assert member.ok("macie2", "get-administrator-account") is None  # {}: nothing printed
    accept(member)
    administrator = member.ok("macie2", "get-administrator-account")["administrator"]
    assert (administrator["accountId"], administrator["relationshipStatus"]) == (ADMIN, "Enabled")
    assert administrator["invitationId"] == invitation_id(member)


def test_disassociate_from_administrator_account(aws: AwsCli, member: AwsCli) -> None:
    accept(member)
    assert member.ok("macie2", "disassociate-from-administrator-account") is None
    assert admin_status(aws) == "Resigned"
    assert invitations(member)[0] == (ADMIN, "Resigned")
    again = run_aws(["macie2", "disassociate-from-administrator-account"], member.env, cwd=member.cwd)
    assert again.rc != 0 and "ResourceNotFoundException" in again.stderr
    accept(member)  # the original invitation, accepted again
    assert admin_status(aws) == "Enabled"
