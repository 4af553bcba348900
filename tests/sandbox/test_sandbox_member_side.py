"""The sandbox's member side, through boto3 against the in-process sandbox: invitations persist
until the member deletes them (UG-MEMBER, API-DELINV), ListInvitations pages, GetInvitationsCount,
the member's own calls under account conditions, and InternalError fault injection."""

from __future__ import annotations

from typing import Any

import botocore.exceptions
import pytest

from macie_members.sandbox.rules import SETTINGS
from macie_members.sandbox.testing import Sandbox

ADMIN = "123456789012"
OTHER = "999999999999"
ACCT = "111111111111"
EMAIL = "jane@example.com"


def code_of(call: Any) -> str:
    with pytest.raises(botocore.exceptions.ClientError) as exc:
        call()
    return str(exc.value.response["Error"]["Code"])


def invite(sb: Sandbox, account: str = ACCT, admin: str = ADMIN, region: str = "us-east-1") -> None:
    client = sb.client(admin, region)
    client.create_member(account={"accountId": account, "email": EMAIL})
    assert client.create_invitations(accountIds=[account])["unprocessedAccounts"] == []
    sb.advance()


def listed(sb: Sandbox, account: str = ACCT) -> list[tuple[str, str]]:
    return [(i["accountId"], i["relationshipStatus"]) for i in sb.client(account).list_invitations()["invitations"]]


def admin_status(sb: Sandbox, account: str = ACCT, admin: str = ADMIN) -> str | None:
    members = sb.client(admin).list_members(onlyAssociated="false")["members"]
    return next((str(m["relationshipStatus"]) for m in members if m["accountId"] == account), None)


def the_invitation(sb: Sandbox, account: str = ACCT, admin: str = ADMIN) -> str:
    [invitation] = [i for i in sb.client(account).list_invitations()["invitations"] if i["accountId"] == admin]
    return str(invitation["invitationId"])


def accept_refused(member: Any, invitation_id: str, admin: str = ADMIN) -> None:
    assert code_of(lambda: member.accept_invitation(administratorAccountId=admin, invitationId=invitation_id)) == (
        "ValidationException")


def count(sb: Sandbox, account: str = ACCT) -> int:
    return int(sb.client(account).get_invitations_count()["invitationsCount"])


def test_an_invitation_persists_through_accept_pause_and_removal(macie_sandbox: Sandbox) -> None:
    sb, admin = macie_sandbox, macie_sandbox.client()
    invite(sb)
    member = sb.client(ACCT)
    invitation_id = the_invitation(sb)
    assert listed(sb) == [(ADMIN, "Invited")] and count(sb) == 1
    member.accept_invitation(administratorAccountId=ADMIN, invitationId=invitation_id)
    assert listed(sb) == [(ADMIN, "Enabled")]
    assert count(sb) == 0  # the currently accepted invitation is not counted
    administrator = member.get_administrator_account()["administrator"]
    assert (administrator["accountId"], administrator["invitationId"]) == (ADMIN, invitation_id)
    assert administrator["invitedAt"].tzinfo is not None
    admin.update_member_session(id=ACCT, status="PAUSED")
    assert listed(sb) == [(ADMIN, "Paused")]
    admin.disassociate_member(id=ACCT)
    assert listed(sb) == [(ADMIN, "Removed")] and count(sb) == 1
    assert member.get_administrator_account().get("administrator") is None
    # A removed member needs a new invitation: the old one can't be accepted.
    accept_refused(member, invitation_id)


def test_after_resigning_the_member_accepts_the_original_invitation_again(macie_sandbox: Sandbox) -> None:
    sb = macie_sandbox
    invite(sb)
    member = sb.client(ACCT)
    invitation_id = the_invitation(sb)
    member.accept_invitation(administratorAccountId=ADMIN, invitationId=invitation_id)
    member.disassociate_from_administrator_account()
    assert admin_status(sb) == "Resigned" and listed(sb) == [(ADMIN, "Resigned")] and count(sb) == 1
    assert code_of(member.disassociate_from_administrator_account) == "ResourceNotFoundException"
    member.accept_invitation(administratorAccountId=ADMIN, invitationId=invitation_id)
    assert admin_status(sb) == "Enabled" and listed(sb) == [(ADMIN, "Enabled")]


def test_a_declined_invitation_persists_until_deleted(macie_sandbox: Sandbox) -> None:
    sb, admin = macie_sandbox, macie_sandbox.client()
    invite(sb)
    member = sb.client(ACCT)
    invitation_id = the_invitation(sb)
    assert member.decline_invitations(accountIds=[ADMIN])["unprocessedAccounts"] == []
    # UG-ADMIN: a decline removes the account from the administrator's inventory.
    assert code_of(lambda: admin.get_member(id=ACCT)) == "ResourceNotFoundException"
    assert listed(sb) == [(ADMIN, "Removed")] and count(sb) == 1
    accept_refused(member, invitation_id)
    [again] = member.decline_invitations(accountIds=[ADMIN])["unprocessedAccounts"]
    assert again["errorCode"] == "ClientError" and "isn't pending" in again["errorMessage"]
    assert member.delete_invitations(accountIds=[ADMIN])["unprocessedAccounts"] == []
    assert listed(sb) == [] and count(sb) == 0


def test_delete_invitations_refuses_pending_current_and_unknown(macie_sandbox: Sandbox) -> None:
    sb = macie_sandbox
    invite(sb)
    invite(sb, admin=OTHER)
    member = sb.client(ACCT)
    member.accept_invitation(administratorAccountId=OTHER, invitationId=the_invitation(sb, admin=OTHER))
    unprocessed = member.delete_invitations(accountIds=[ADMIN, OTHER, "222222222222", ADMIN])["unprocessedAccounts"]
    reasons = {u["accountId"]: (u["errorCode"], u["errorMessage"]) for u in unprocessed}
    assert list(reasons) == [ADMIN, OTHER, "222222222222"]  # each once, in order
    assert all(code == "ClientError" for code, _ in reasons.values())
    assert "decline it" in reasons[ADMIN][1]
    assert "current administrator" in reasons[OTHER][1]
    assert "no invitation" in reasons["222222222222"][1]
    assert listed(sb) == [(ADMIN, "Invited"), (OTHER, "Enabled")]


@pytest.mark.parametrize("how", ["resigned", "removed"])
def test_deleting_a_former_administrators_invitation_deletes_the_association(
    macie_sandbox: Sandbox, how: str
) -> None:
    """UG-MEMBER: "If you delete the invitation, you also delete the association"."""
    sb = macie_sandbox
    invite(sb)
    member = sb.client(ACCT)
    member.accept_invitation(administratorAccountId=ADMIN, invitationId=the_invitation(sb))
    if how == "resigned":
        member.disassociate_from_administrator_account()
    else:
        sb.client().disassociate_member(id=ACCT)
    assert admin_status(sb) == how.capitalize()
    assert member.delete_invitations(accountIds=[ADMIN])["unprocessedAccounts"] == []
    assert admin_status(sb) is None and listed(sb) == []


def test_a_new_invitation_replaces_the_old_one(macie_sandbox: Sandbox) -> None:
    sb, admin = macie_sandbox, macie_sandbox.client()
    invite(sb)
    member = sb.client(ACCT)
    old = the_invitation(sb)
    member.accept_invitation(administratorAccountId=ADMIN, invitationId=old)
    admin.disassociate_member(id=ACCT)
    admin.create_invitations(accountIds=[ACCT])
    assert listed(sb) == [(ADMIN, "Removed")]  # the new one is still being verified
    sb.advance()
    new = the_invitation(sb)
    assert new != old and listed(sb) == [(ADMIN, "Invited")]
    accept_refused(member, old)
    member.accept_invitation(administratorAccountId=ADMIN, invitationId=new)
    assert admin_status(sb) == "Enabled"


def test_list_invitations_pages_of_at_most_25(macie_sandbox: Sandbox) -> None:
    sb = macie_sandbox
    senders = [f"{500000000000 + n}" for n in range(30)]
    for sender in reversed(senders):
        client = sb.client(sender)
        client.create_member(account={"accountId": ACCT, "email": EMAIL})
        client.create_invitations(accountIds=[ACCT])
    sb.advance()
    member = sb.client(ACCT)
    first = member.list_invitations()
    assert [i["accountId"] for i in first["invitations"]] == senders[:25] and first["nextToken"]
    second = member.list_invitations(nextToken=first["nextToken"])
    assert [i["accountId"] for i in second["invitations"]] == senders[25:] and "nextToken" not in second
    pages = list(member.get_paginator("list_invitations").paginate(PaginationConfig={"PageSize": 10}))
    assert [len(p["invitations"]) for p in pages] == [10, 10, 10]
    assert [i["accountId"] for p in pages for i in p["invitations"]] == senders
    for bad in ({"maxResults": 26}, {"nextToken": "garbage!!"}):
        assert code_of(lambda bad=bad: member.list_invitations(**bad)) == "ValidationException"
    # A ListMembers token is no ListInvitations token.
    sb.client(senders[0]).create_member(account={"accountId": "333333333333", "email": EMAIL})
    token = sb.client(senders[0]).list_members(onlyAssociated="false", maxResults=1)["nextToken"]
    assert code_of(lambda: member.list_invitations(nextToken=token)) == "ValidationException"
    assert count(sb) == 30


def test_accept_is_refused_unless_the_invitation_is_pending_and_the_account_free(macie_sandbox: Sandbox) -> None:
    sb = macie_sandbox
    invite(sb)
    member = sb.client(ACCT)
    invitation_id = the_invitation(sb)
    for admin_id, invitation in ((ADMIN, "wrong"), (OTHER, invitation_id), (ADMIN, ""), ("١٢٣٤٥٦٧٨٩٠١٢", invitation_id)):
        assert code_of(
            lambda a=admin_id, i=invitation: member.accept_invitation(administratorAccountId=a, invitationId=i)
        ) == "ValidationException"
    assert admin_status(sb) == "Invited"
    # A member of another administrator can't accept: it has to disassociate first.
    invite(sb, admin=OTHER)
    member.accept_invitation(administratorAccountId=OTHER, invitationId=the_invitation(sb, admin=OTHER))
    with pytest.raises(botocore.exceptions.ClientError) as exc:
        member.accept_invitation(administratorAccountId=ADMIN, invitationId=invitation_id)
    assert "no pending invitation from the given master account ID" in exc.value.response["Error"]["Message"]
    # An administrator with members can't become a member.
    sb.client(OTHER).disassociate_member(id=ACCT)
    invite(sb, account="222222222222", admin=ACCT)
    sb.accept("222222222222", admin=ACCT)
    accept_refused(member, invitation_id)


def test_macie_is_needed_to_answer_not_to_read(macie_sandbox: Sandbox) -> None:
    sb = macie_sandbox
    invite(sb)
    member = sb.client(ACCT)
    member.disable_macie()
    invitation_id = the_invitation(sb)  # visible without Macie (a pending invitation stays)
    assert count(sb) == 1
    for call in (
        lambda: member.accept_invitation(administratorAccountId=ADMIN, invitationId=invitation_id),
        lambda: member.decline_invitations(accountIds=[ADMIN]),
        lambda: member.delete_invitations(accountIds=[ADMIN]),
        member.get_administrator_account,
        member.disassociate_from_administrator_account,
    ):
        assert code_of(call) == "AccessDeniedException"
    member.enable_macie()
    member.accept_invitation(administratorAccountId=ADMIN, invitationId=invitation_id)
    assert admin_status(sb) == "Enabled"


# ----------------------------------------------------------------- account conditions


def test_a_suspended_account_can_call_nothing_in_any_region(macie_sandbox: Sandbox) -> None:
    sb = macie_sandbox
    invite(sb)
    invitation_id = the_invitation(sb)
    sb.set_condition(ACCT, region="eu-west-1", account_suspended=True)  # the whole account
    assert admin_status(sb) == "AccountSuspended"
    for region in ("us-east-1", "eu-west-1"):
        member = sb.client(ACCT, region)
        for call in (
            member.list_invitations,
            member.get_invitations_count,
            member.get_macie_session,
            lambda m=member: m.accept_invitation(administratorAccountId=ADMIN, invitationId=invitation_id),
        ):
            with pytest.raises(botocore.exceptions.ClientError) as exc:
                call()
            assert exc.value.response["Error"]["Code"] == "AccessDeniedException"
            assert "suspended" in exc.value.response["Error"]["Message"]
    sb.set_condition(ACCT, account_suspended=False)
    sb.client(ACCT).accept_invitation(administratorAccountId=ADMIN, invitationId=invitation_id)
    assert admin_status(sb) == "Enabled"


def test_a_disabled_region_refuses_the_accounts_calls_there_only(macie_sandbox: Sandbox) -> None:
    sb = macie_sandbox
    invite(sb)
    sb.set_condition(ACCT, region_disabled=True)
    assert admin_status(sb) == "RegionDisabled"
    # As AWS answers a call in a Region the account has not enabled (before the service).
    assert code_of(sb.client(ACCT).list_invitations) == "UnrecognizedClientException"
    assert sb.client(ACCT, "eu-west-1").list_invitations()["invitations"] == []  # another Region works
    # The administrator's calls about the account decide on RegionDisabled, consistently.
    admin = sb.client()
    assert admin.list_members()["members"] == []
    [unprocessed] = admin.create_invitations(accountIds=[ACCT])["unprocessedAccounts"]
    assert "RegionDisabled" in unprocessed["errorMessage"]
    assert code_of(lambda: admin.update_member_session(id=ACCT, status="PAUSED")) == "ValidationException"


def test_suspending_an_administrator_removes_its_members_everywhere(macie_sandbox: Sandbox) -> None:
    """UG-NOTES: if the administrator's AWS account is suspended, all members are removed."""
    sb = macie_sandbox
    for region in ("us-east-1", "eu-west-1"):
        invite(sb, region=region)
        sb.accept(ACCT, region=region)
    sb.set_condition(ADMIN, account_suspended=True)
    sb.set_condition(ADMIN, account_suspended=False)
    for region in ("us-east-1", "eu-west-1"):
        assert sb.client(region=region).get_member(id=ACCT)["relationshipStatus"] == "Removed"
        assert sb.client(ACCT, region).get_administrator_account().get("administrator") is None


# -------------------------------------------------------------------- fault injection


def test_account_fault_rate_leaves_accounts_unprocessed_with_internal_error(macie_sandbox: Sandbox) -> None:
    sb, admin = macie_sandbox, macie_sandbox.client()
    admin.create_member(account={"accountId": ACCT, "email": EMAIL})
    SETTINGS.account_fault_rate = 1.0
    [entry] = admin.create_invitations(accountIds=[ACCT])["unprocessedAccounts"]
    assert (entry["accountId"], entry["errorCode"]) == (ACCT, "InternalError") and entry["errorMessage"]
    assert admin_status(sb) == "Created"  # not applied
    SETTINGS.account_fault_rate = 0.0
    invite_again = admin.create_invitations(accountIds=[ACCT])
    assert invite_again["unprocessedAccounts"] == []
    sb.advance()
    member = sb.client(ACCT)
    SETTINGS.account_fault_rate = 1.0
    for call in (member.decline_invitations, member.delete_invitations):
        [entry] = call(accountIds=[ADMIN])["unprocessedAccounts"]
        assert entry["errorCode"] == "InternalError"
    assert listed(sb) == [(ADMIN, "Invited")]


def test_account_fault_rate_is_a_seeded_fraction(macie_sandbox: Sandbox) -> None:
    import random

    admin = macie_sandbox.client()
    accounts = [f"{400000000000 + n}" for n in range(200)]
    for account in accounts:
        admin.create_member(account={"accountId": account, "email": EMAIL})

    def failed(seed: int) -> list[str]:
        SETTINGS.account_fault_rate, SETTINGS.random = 0.25, random.Random(seed)
        result = admin.create_invitations(accountIds=accounts[:100])["unprocessedAccounts"]
        return [u["accountId"] for u in result if u["errorCode"] == "InternalError"]

    first = failed(3)
    assert 10 <= len(first) <= 45
    for account in first:  # they are still Created, so the same draw fails them again
        assert admin.get_member(id=account)["relationshipStatus"] == "Created"
    assert failed(3) == first


def test_in_process_role_external_id_condition(macie_sandbox: Sandbox) -> None:
    import boto3
    from botocore.exceptions import ClientError

    macie_sandbox.require_external_id("111111111111", "Shared", "s3cret-id")
    sts = boto3.client("sts", region_name="us-east-1")
    role = "arn:aws:iam::111111111111:role/Shared"
    for extra in ({}, {"ExternalId": "another"}):
        with pytest.raises(ClientError) as caught:
            sts.assume_role(RoleArn=role, RoleSessionName="s1", **extra)
        assert caught.value.response["Error"]["Code"] == "AccessDenied"
        assert caught.value.response["Error"]["Message"].endswith(f"sts:AssumeRole on resource: {role}")
    assert sts.assume_role(RoleArn=role, RoleSessionName="s2", ExternalId="s3cret-id")["Credentials"]
    assert [(c["roleSessionName"], c["externalId"]) for c in macie_sandbox.assume_role_calls()] == [
        ("s1", False), ("s1", True), ("s2", True)]
