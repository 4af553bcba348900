"""A mixed inventory as a scenario: an account of the administrator's AWS organization and an
invited account, through add, pause, resume, prune and offboard, as the requests macie-members
sends for them. Runs against the sandbox, or against AWS with ``MACIE_FIDELITY_ORG_ACCOUNT``
(an account of the organization whose delegated Macie administrator is the administrator
profile's account; see docs/sandbox.md, "Fidelity scenarios")."""

from __future__ import annotations

import pytest

from .target import Target
from .test_scenarios import create_and_invite, the_invitation_id


def test_mixed_inventory_add_pause_resume_prune_offboard(target: Target) -> None:
    if target.org_member_id is None:
        pytest.skip("no MACIE_FIDELITY_ORG_ACCOUNT: the mixed-inventory scenario needs an Organizations account")
    org = target.org_member_id
    rec, admin, member = target.recorder("mixed_inventory"), target.admin, target.member
    # add: the Organizations account with CreateMember only, the other invited and accepted
    rec.step("create-member organization", lambda: admin.create_member(
        account={"accountId": org, "email": "org-member@example.com"}))
    assert target.wait_until_enabled(org) == "Enabled"
    rec.step("get-member organization", lambda: admin.get_member(id=org))
    rec.step("create-invitations organization refused", lambda: admin.create_invitations(accountIds=[org]))
    assert create_and_invite(target, rec) == "Invited"
    invitation_id = the_invitation_id(target)
    rec.step("accept-invitation", lambda: member.accept_invitation(
        administratorAccountId=target.admin_id, invitationId=invitation_id))
    rec.step("list-members both", lambda: admin.list_members(onlyAssociated="true"))
    # pause, resume: the administrator re-enables its Organizations member only
    for account, name in ((org, "organization"), (target.member_id, "invited")):
        rec.step(f"update-member-session paused {name}", lambda a=account: admin.update_member_session(
            id=a, status="PAUSED"))
        rec.step(f"update-member-session enabled {name}", lambda a=account: admin.update_member_session(
            id=a, status="ENABLED"))
        rec.step(f"get-member after resume {name}", lambda a=account: admin.get_member(id=a))
    # prune (sync --prune of a file without either account): the invited account is removed,
    # the Organizations member is left alone
    rec.step("disassociate-member invited", lambda: admin.disassociate_member(id=target.member_id))
    rec.step("delete-member invited", lambda: admin.delete_member(id=target.member_id))
    rec.step("list-members after prune", lambda: admin.list_members(onlyAssociated="false"))
    # offboard: disassociate, then delete (refused while associated)
    rec.step("delete-member organization refused", lambda: admin.delete_member(id=org))
    rec.step("disassociate-member organization", lambda: admin.disassociate_member(id=org))
    rec.step("get-member organization removed", lambda: admin.get_member(id=org))
    rec.step("delete-member organization", lambda: admin.delete_member(id=org))
    rec.step("list-members after offboard", lambda: admin.list_members(onlyAssociated="false"))
    rec.check()
