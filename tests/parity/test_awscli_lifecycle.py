"""The whole member lifecycle, driven by the real AWS CLI against ``sandbox serve``.

The administrator's side is ``aws macie2 ...`` (AWS CLI v1 from PyPI, in a subprocess); the
member accepts either with the AWS CLI itself (``aws sts assume-role`` then ``aws macie2
list-invitations`` / ``accept-invitation`` with the assumed credentials) or with
``macie-members sandbox accept``. Pagination is checked on the wire: pages of at most 25, the
number of ListMembers requests the server received, and the AWS CLI's merged result.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.support.awscli_support import ADMIN, AwsCli, run_aws, run_ours
from tests.support.helpers import admin_client

pytestmark = pytest.mark.awscli

MEMBER = "111111111111"
EMAIL = "jane@example.com"


def accept_with_aws_cli(aws: AwsCli, server: Any) -> None:
    """The member account accepts, through the AWS CLI only."""
    # AWS requires RoleSessionName to be 2-64 characters: the CLI itself refuses "s".
    creds = aws.ok(
        "sts", "assume-role",
        "--role-arn", f"arn:aws:iam::{MEMBER}:role/x",
        "--role-session-name", "s1",
    )["Credentials"]
    member_env = {
        **aws.env,
        "AWS_ACCESS_KEY_ID": creds["AccessKeyId"],
        "AWS_SECRET_ACCESS_KEY": creds["SecretAccessKey"],
        "AWS_SESSION_TOKEN": creds["SessionToken"],
    }
    assert aws.ok("sts", "get-caller-identity", env=member_env)["Account"] == MEMBER
    invitations = aws.ok("macie2", "list-invitations", env=member_env)["invitations"]
    assert [(i["accountId"], i["relationshipStatus"]) for i in invitations] == [(ADMIN, "Invited")]
    assert aws.ok(
        "macie2", "accept-invitation",
        "--administrator-account-id", ADMIN,
        "--invitation-id", invitations[0]["invitationId"],
        env=member_env,
    ) is None  # an empty response: the AWS CLI prints nothing
    # The member now sees its administrator; the invitation persists, accepted (as in Macie).
    administrator = aws.ok("macie2", "get-administrator-account", env=member_env)["administrator"]
    assert (administrator["accountId"], administrator["relationshipStatus"]) == (ADMIN, "Enabled")
    invitations = aws.ok("macie2", "list-invitations", env=member_env)["invitations"]
    assert [(i["accountId"], i["relationshipStatus"]) for i in invitations] == [(ADMIN, "Enabled")]


def accept_with_macie_members(aws: AwsCli, server: Any) -> None:
    """The member account accepts with ``macie-members sandbox accept`` (AWS_ENDPOINT_URL set)."""
    assert aws.env["AWS_ENDPOINT_URL"] == server.url
    before = server.stats()["requests"]
    result = run_ours(["sandbox", "accept", "--account", MEMBER], aws.env, cwd=aws.cwd)
    assert result.rc == 0, result.stderr
    assert json.loads(result.stdout) == {
        "accountId": MEMBER,
        "region": "us-east-1",
        "administratorAccountId": ADMIN,
        "accepted": True,
    }
    # It went through the server (not an embedded sandbox): the member listed and accepted.
    after = server.stats()["requests"]
    assert after.get("ListInvitations", 0) - before.get("ListInvitations", 0) == 1
    assert after.get("AcceptInvitation", 0) - before.get("AcceptInvitation", 0) == 1


@pytest.mark.slow
@pytest.mark.parametrize(
    "accept",
    [
        pytest.param(accept_with_aws_cli, id="accept-with-aws-cli"),
        pytest.param(accept_with_macie_members, id="accept-with-macie-members"),
    ],
)
def test_whole_lifecycle(aws: AwsCli, sandbox_server: Any, accept: Any) -> None:
    arn = aws.ok("macie2", "create-member", "--account", f"accountId={MEMBER},email={EMAIL}")["arn"]
    assert arn == f"arn:aws:macie2:us-east-1:{ADMIN}:member/{MEMBER}"
    assert aws.statuses(only_associated="false") == {MEMBER: "Created"}
    assert aws.statuses() == {}  # not associated yet

    assert aws.ok("macie2", "create-invitations", "--account-ids", MEMBER) == {"unprocessedAccounts": []}
    assert aws.statuses(only_associated="false") == {MEMBER: "Invited"}
    assert aws.statuses() == {}

    accept(aws, sandbox_server)
    assert aws.statuses() == {MEMBER: "Enabled"}  # the default list: associated members

    assert aws.ok("macie2", "update-member-session", "--id", MEMBER, "--status", "PAUSED") is None
    assert aws.statuses() == {MEMBER: "Paused"}

    refused = run_aws(["macie2", "delete-member", "--id", MEMBER], aws.env, cwd=aws.cwd)
    assert refused.rc != 0
    assert "ValidationException" in refused.stderr
    assert "still associated" in refused.stderr
    assert refused.stdout == ""
    assert aws.statuses() == {MEMBER: "Paused"}  # nothing changed

    assert aws.ok("macie2", "disassociate-member", "--id", MEMBER) is None
    assert aws.statuses(only_associated="false") == {MEMBER: "Removed"}
    assert aws.statuses() == {}

    assert aws.ok("macie2", "delete-member", "--id", MEMBER) is None
    assert aws.statuses(only_associated="false") == {}
    gone = run_aws(["macie2", "delete-member", "--id", MEMBER], aws.env, cwd=aws.cwd)
    assert gone.rc != 0 and "ResourceNotFoundException" in gone.stderr


# ------------------------------------------------------------------ pagination

ACCOUNTS = [f"{200000000000 + n}" for n in range(60)]


@pytest.fixture
def sixty(sandbox_server: Any) -> list[str]:
    admin = admin_client(sandbox_server.url)
    for n, account in enumerate(reversed(ACCOUNTS)):  # created out of order on purpose
        admin.create_member(account={"accountId": account, "email": f"m{n}@example.com"})
    return ACCOUNTS


def list_members_requests(server: Any) -> int:
    return int(server.stats()["requests"].get("ListMembers", 0))


def test_no_paginate_pages_of_at_most_25(aws: AwsCli, sandbox_server: Any, sixty: list[str]) -> None:
    base = ["macie2", "list-members", "--only-associated", "false", "--no-paginate"]
    seen: list[str] = []
    sizes: list[int] = []
    token: str | None = None
    start = list_members_requests(sandbox_server)
    while True:
        page = aws.ok(*base, *(["--next-token", token] if token else []))
        sizes.append(len(page["members"]))
        seen += [m["accountId"] for m in page["members"]]
        token = page.get("nextToken")
        if not token:
            break
    assert sizes == [25, 25, 10]  # the default and maximum page: 25
    assert seen == sixty  # ordered by account id, no duplicate, nothing missing
    assert list_members_requests(sandbox_server) - start == 3

    start = list_members_requests(sandbox_server)
    page = aws.ok(*base, "--max-results", "10")
    assert [m["accountId"] for m in page["members"]] == sixty[:10]
    assert page["nextToken"]
    assert list_members_requests(sandbox_server) - start == 1


@pytest.mark.parametrize(("options", "requests"), [([], 3), (["--page-size", "10"], 6), (["--page-size", "25"], 3)])
def test_automatic_pagination_merges_every_page(
    aws: AwsCli, sandbox_server: Any, sixty: list[str], options: list[str], requests: int
) -> None:
    start = list_members_requests(sandbox_server)
    result = aws.ok("macie2", "list-members", "--only-associated", "false", *options)
    assert sorted(result) == ["members"]  # one merged list, no token left over
    assert [m["accountId"] for m in result["members"]] == sixty
    assert {m["relationshipStatus"] for m in result["members"]} == {"Created"}
    assert list_members_requests(sandbox_server) - start == requests


def test_page_size_over_25_is_refused_by_the_service(aws: AwsCli, sandbox_server: Any, sixty: list[str]) -> None:
    start = list_members_requests(sandbox_server)
    result = run_aws(
        ["macie2", "list-members", "--only-associated", "false", "--page-size", "26"], aws.env, cwd=aws.cwd
    )
    assert result.rc != 0
    assert "ValidationException" in result.stderr and "between 1 and 25" in result.stderr
    assert list_members_requests(sandbox_server) - start == 1  # the AWS CLI lets it through
