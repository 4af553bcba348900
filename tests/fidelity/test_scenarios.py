"""The member lifecycle as scenarios that run unchanged against the sandbox (default) or AWS.

Each scenario records every response (masked) and compares it with ``snapshots/<name>.json``.
Only member-management calls between the two accounts of the target are made; invitations
from other senders are filtered out, so an AWS member account needs no other preparation than
Macie enabled and no administrator of its own.
"""

from __future__ import annotations

from typing import Any

from .target import Target


def create_and_invite(target: Target, rec: Any, email: str | None = None) -> str:
    admin = target.admin
    rec.step("create-member", lambda: admin.create_member(
        account={"accountId": target.member_id, "email": email or target.member_email}, tags={"team": "security"}))
    rec.step("get-member created", lambda: admin.get_member(id=target.member_id))
    rec.step("create-invitations", lambda: admin.create_invitations(
        accountIds=[target.member_id], disableEmailNotification=True))
    return target.wait_until_verified()


def invitations_from_admin(target: Target) -> dict[str, Any]:
    response = target.member.list_invitations()
    return {"invitations": [i for i in response["invitations"] if i["accountId"] == target.admin_id]}


def the_invitation_id(target: Target) -> str:
    return str(invitations_from_admin(target)["invitations"][0]["invitationId"])


def test_invite_accept_pause_remove_delete(target: Target) -> None:
    rec, admin, member = target.recorder("invite_accept_pause_remove_delete"), target.admin, target.member
    assert create_and_invite(target, rec) == "Invited"
    rec.step("get-member invited", lambda: admin.get_member(id=target.member_id))
    rec.step("list-invitations invited", lambda: invitations_from_admin(target))
    invitation_id = the_invitation_id(target)
    rec.step("accept-invitation", lambda: member.accept_invitation(
        administratorAccountId=target.admin_id, invitationId=invitation_id))
    rec.step("get-administrator-account", member.get_administrator_account)
    rec.step("list-members associated", lambda: admin.list_members(onlyAssociated="true"))
    rec.step("update-member-session paused", lambda: admin.update_member_session(id=target.member_id, status="PAUSED"))
    rec.step("update-member-session enabled refused",
             lambda: admin.update_member_session(id=target.member_id, status="ENABLED"))
    rec.step("delete-member refused", lambda: admin.delete_member(id=target.member_id))
    rec.step("disassociate-member", lambda: admin.disassociate_member(id=target.member_id))
    rec.step("get-member removed", lambda: admin.get_member(id=target.member_id))
    rec.step("list-invitations removed", lambda: invitations_from_admin(target))
    rec.step("accept-invitation removed refused", lambda: member.accept_invitation(
        administratorAccountId=target.admin_id, invitationId=invitation_id))
    rec.step("delete-member", lambda: admin.delete_member(id=target.member_id))
    rec.step("get-member deleted", lambda: admin.get_member(id=target.member_id))
    rec.step("delete-invitations", lambda: member.delete_invitations(accountIds=[target.admin_id]))
    rec.step("list-invitations deleted", lambda: invitations_from_admin(target))
    rec.check()


def test_member_resigns_and_accepts_again(target: Target) -> None:
    rec, admin, member = target.recorder("member_resigns_and_accepts_again"), target.admin, target.member
    assert create_and_invite(target, rec) == "Invited"
    invitation_id = the_invitation_id(target)
    rec.step("accept-invitation", lambda: member.accept_invitation(
        administratorAccountId=target.admin_id, invitationId=invitation_id))
    rec.step("disassociate-from-administrator-account", member.disassociate_from_administrator_account)
    rec.step("get-member resigned", lambda: admin.get_member(id=target.member_id))
    rec.step("list-invitations resigned", lambda: invitations_from_admin(target))
    rec.step("get-administrator-account resigned", member.get_administrator_account)
    rec.step("accept-invitation again", lambda: member.accept_invitation(
        administratorAccountId=target.admin_id, invitationId=invitation_id))
    rec.step("get-member enabled again", lambda: admin.get_member(id=target.member_id))
    rec.step("disassociate-member", lambda: admin.disassociate_member(id=target.member_id))
    rec.check()


def test_decline_then_delete_the_invitation(target: Target) -> None:
    rec, admin, member = target.recorder("decline_then_delete_the_invitation"), target.admin, target.member
    assert create_and_invite(target, rec) == "Invited"
    rec.step("delete-invitations pending", lambda: member.delete_invitations(accountIds=[target.admin_id]))
    rec.step("decline-invitations", lambda: member.decline_invitations(accountIds=[target.admin_id]))
    rec.step("get-member declined", lambda: admin.get_member(id=target.member_id))
    rec.step("list-invitations declined", lambda: invitations_from_admin(target))
    rec.step("delete-invitations", lambda: member.delete_invitations(accountIds=[target.admin_id]))
    rec.step("list-invitations deleted", lambda: invitations_from_admin(target))
    rec.check()


def test_email_verification_failure(target: Target) -> None:
    rec, admin = target.recorder("email_verification_failure"), target.admin
    assert create_and_invite(target, rec, email="not-the-account@example.invalid") == "EmailVerificationFailed"
    rec.step("get-member failed", lambda: admin.get_member(id=target.member_id))
    rec.step("create-invitations again", lambda: admin.create_invitations(accountIds=[target.member_id]))
    rec.step("delete-member", lambda: admin.delete_member(id=target.member_id))
    rec.check()


def test_input_the_service_refuses(target: Target) -> None:
    rec, admin = target.recorder("input_the_service_refuses"), target.admin
    rec.step("create-member email of 300 characters", lambda: admin.create_member(
        account={"accountId": target.member_id, "email": "a" * 288 + "@example.com"}))
    rec.step("create-member aws: tag", lambda: admin.create_member(
        account={"accountId": target.member_id, "email": target.member_email}, tags={"aws:team": "security"}))
    rec.step("list-members maxResults 26", lambda: admin.list_members(maxResults=26))
    rec.step("list-members onlyAssociated maybe", lambda: admin.list_members(onlyAssociated="maybe"))
    rec.step("get-member unknown", lambda: admin.get_member(id=target.member_id))
    rec.step("disassociate-member unknown", lambda: admin.disassociate_member(id=target.member_id))
    rec.check()
