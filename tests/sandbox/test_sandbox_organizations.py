"""The sandbox over HTTP: Organizations members in the same inventory as invited accounts, and
the divergences from Macie that the fidelity audit found (each fixed, each shown here on
``sandbox serve``). Sources: macie_members/sandbox/organizations.py and docs' sandbox page."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from typing import Any

import botocore.exceptions
import pytest

from tests.support.awscli_support import ADMIN, accept
from tests.support.helpers import admin_client, member_client, raw

ORG = "777777777777"  # an account of the administrator's AWS organization
INVITED = "111111111111"


def condition(server: Any, **body: Any) -> Any:
    return server.control("/_sandbox/condition", {"region": "us-east-1", **body})


def error_of(call: Any) -> tuple[str, int, str]:
    with pytest.raises(botocore.exceptions.ClientError) as caught:
        call()
    response = caught.value.response
    return response["Error"]["Code"], response["ResponseMetadata"]["HTTPStatusCode"], response["Error"]["Message"]


def status(admin: Any, account: str) -> str:
    return str(admin.get_member(id=account)["relationshipStatus"])


def add_org_member(server: Any, account: str = ORG) -> Any:
    condition(server, account=account, organization=ADMIN)
    admin = admin_client(server.url)
    admin.create_member(account={"accountId": account, "email": "ignored@example.com"})
    return admin


# ---------------------------------------------------------------- Organizations members


def test_an_organizations_member_is_enabled_without_an_invitation(sandbox_server: Any) -> None:
    admin = add_org_member(sandbox_server)
    member = admin.get_member(id=ORG)
    assert member["relationshipStatus"] == "Enabled"
    assert "email" not in member and "invitedAt" not in member  # API-MEMBERS: email is null
    assert [m["accountId"] for m in admin.list_members()["members"]] == [ORG]
    # Its own side: it has an administrator, no invitation, and Macie enabled.
    own = member_client(sandbox_server.url, ORG)
    assert own.get_administrator_account()["administrator"] == {"accountId": ADMIN, "relationshipStatus": "Enabled"}
    assert own.list_invitations()["invitations"] == []
    assert own.get_macie_session()["status"] == "ENABLED"


def test_an_organizations_member_is_created_while_enabling(server_factory: Any) -> None:
    server = server_factory(instant_verification=False)
    admin = add_org_member(server)
    assert status(admin, ORG) == "Created"  # UG-AO-REVIEW: enabling in process
    assert admin.list_members()["members"] == []
    server.control("/_sandbox/clock", {"advance": 60})
    assert status(admin, ORG) == "Enabled"


def test_an_organizations_member_is_never_invited(sandbox_server: Any) -> None:
    admin = add_org_member(sandbox_server)
    [unprocessed] = admin.create_invitations(accountIds=[ORG])["unprocessedAccounts"]
    assert unprocessed["errorCode"] == "ClientError"
    assert "AWS Organizations" in unprocessed["errorMessage"]
    assert status(admin, ORG) == "Enabled"


def test_the_administrator_pauses_and_re_enables_an_organizations_member(sandbox_server: Any) -> None:
    admin = add_org_member(sandbox_server)
    admin.update_member_session(id=ORG, status="PAUSED")
    assert status(admin, ORG) == "Paused"
    admin.update_member_session(id=ORG, status="ENABLED")  # UG-AO-ADMIN
    assert status(admin, ORG) == "Enabled"
    assert member_client(sandbox_server.url, ORG).get_macie_session()["status"] == "ENABLED"


def test_an_invited_member_is_still_re_enabled_by_itself_only(sandbox_server: Any) -> None:
    admin = admin_client(sandbox_server.url)
    admin.create_member(account={"accountId": INVITED, "email": "a@example.com"})
    admin.create_invitations(accountIds=[INVITED])
    accept(sandbox_server.url, INVITED)
    admin.update_member_session(id=INVITED, status="PAUSED")
    code, http, message = error_of(lambda: admin.update_member_session(id=INVITED, status="ENABLED"))
    assert (code, http) == ("ValidationException", 400) and "only the member account" in message


def test_delete_is_refused_while_associated_and_works_once_removed(sandbox_server: Any) -> None:
    admin = add_org_member(sandbox_server)
    code, _, message = error_of(lambda: admin.delete_member(id=ORG))
    assert code == "ValidationException" and "still associated" in message
    admin.update_member_session(id=ORG, status="PAUSED")
    assert error_of(lambda: admin.delete_member(id=ORG))[0] == "ValidationException"
    admin.disassociate_member(id=ORG)
    assert status(admin, ORG) == "Removed"
    assert "administrator" not in member_client(sandbox_server.url, ORG).get_administrator_account()
    admin.delete_member(id=ORG)  # hashicorp/terraform-provider-aws#26219
    assert admin.list_members(onlyAssociated="false")["members"] == []


def test_create_member_re_adds_a_removed_organizations_member(sandbox_server: Any) -> None:
    admin = add_org_member(sandbox_server)
    admin.disassociate_member(id=ORG)
    admin.create_member(account={"accountId": ORG, "email": "x@example.com"})  # UG-AO-ADMIN
    assert status(admin, ORG) == "Enabled"
    # An invited account that is Removed is not re-added that way.
    admin.create_member(account={"accountId": INVITED, "email": "a@example.com"})
    admin.create_invitations(accountIds=[INVITED])
    accept(sandbox_server.url, INVITED)
    admin.disassociate_member(id=INVITED)
    assert error_of(lambda: admin.create_member(account={"accountId": INVITED, "email": "a@example.com"}))[0] \
        == "ConflictException"


def test_an_organizations_member_cannot_disassociate_itself(sandbox_server: Any) -> None:
    add_org_member(sandbox_server)
    own = member_client(sandbox_server.url, ORG)
    code, _, message = error_of(own.disassociate_from_administrator_account)
    assert code == "ValidationException" and "AWS Organizations" in message
    assert error_of(own.disassociate_from_master_account)[0] == "ValidationException"
    assert status(admin_client(sandbox_server.url), ORG) == "Enabled"


def test_leaving_the_organization_disassociates_it(sandbox_server: Any) -> None:
    admin = add_org_member(sandbox_server)
    condition(sandbox_server, account=ORG, organization="")
    assert status(admin, ORG) == "Removed"
    admin.delete_member(id=ORG)
    # Not in the organization any more: CreateMember makes an invitation entry, with its email.
    admin.create_member(account={"accountId": ORG, "email": "o@example.com"})
    assert admin.get_member(id=ORG)["email"] == "o@example.com"
    assert status(admin, ORG) == "Created"


def test_the_condition_route_checks_the_organization(sandbox_server: Any) -> None:
    for bad in ("123", ORG):
        request = urllib.request.Request(
            sandbox_server.url + "/_sandbox/condition", method="POST",
            data=json.dumps({"account": ORG, "region": "us-east-1", "organization": bad}).encode())
        with pytest.raises(urllib.error.HTTPError) as caught:
            urllib.request.urlopen(request, timeout=30)
        assert caught.value.code == 400
        caught.value.close()


def test_both_kinds_in_one_inventory(sandbox_server: Any) -> None:
    admin = add_org_member(sandbox_server)
    admin.create_member(account={"accountId": INVITED, "email": "a@example.com"})
    admin.create_invitations(accountIds=[INVITED])
    accept(sandbox_server.url, INVITED)
    members = {m["accountId"]: m for m in admin.list_members()["members"]}
    assert {a: m["relationshipStatus"] for a, m in members.items()} == {ORG: "Enabled", INVITED: "Enabled"}
    assert "email" not in members[ORG] and members[INVITED]["email"] == "a@example.com"


# ------------------------------------------------------------ the audit's divergences


def test_disable_macie_is_refused_while_associations_remain(sandbox_server: Any) -> None:
    admin = admin_client(sandbox_server.url)
    admin.create_member(account={"accountId": INVITED, "email": "a@example.com"})  # Created
    code, http, message = error_of(admin.disable_macie)
    assert (code, http) == ("ConflictException", 409) and "associations" in message
    admin.delete_member(id=INVITED)
    admin.disable_macie()


def test_an_administrator_with_members_cannot_suspend_itself(sandbox_server: Any) -> None:
    admin = admin_client(sandbox_server.url)
    admin.create_member(account={"accountId": INVITED, "email": "a@example.com"})
    admin.create_invitations(accountIds=[INVITED])
    accept(sandbox_server.url, INVITED)
    code, http, message = error_of(lambda: admin.update_macie_session(status="PAUSED"))
    assert (code, http) == ("ConflictException", 409) and "member accounts are associated" in message
    assert admin.get_macie_session()["status"] == "ENABLED"
    admin.disassociate_member(id=INVITED)
    admin.update_macie_session(status="PAUSED")
    assert admin.get_macie_session()["status"] == "PAUSED"


def test_a_member_cannot_also_be_an_administrator(sandbox_server: Any) -> None:
    admin = admin_client(sandbox_server.url)
    admin.create_member(account={"accountId": INVITED, "email": "a@example.com"})
    admin.create_invitations(accountIds=[INVITED])
    accept(sandbox_server.url, INVITED)
    member = member_client(sandbox_server.url, INVITED)
    code, _, message = error_of(lambda: member.create_member(account={"accountId": "222222222222", "email": "b@example.com"}))
    assert code == "ValidationException" and "can't be a member and an administrator" in message
    assert error_of(lambda: member.create_invitations(accountIds=["222222222222"]))[0] == "ValidationException"


def test_macie_not_enabled_is_answered_as_aws_answers_it(sandbox_server: Any) -> None:
    admin = admin_client(sandbox_server.url)
    admin.disable_macie()
    assert error_of(admin.list_members) == ("AccessDeniedException", 403, "Macie is not enabled.")


def test_a_resigned_member_can_decline_its_invitation(sandbox_server: Any) -> None:
    admin = admin_client(sandbox_server.url)
    admin.create_member(account={"accountId": INVITED, "email": "a@example.com"})
    admin.create_invitations(accountIds=[INVITED])
    accept(sandbox_server.url, INVITED)
    member = member_client(sandbox_server.url, INVITED)
    member.disassociate_from_administrator_account()
    assert member.decline_invitations(accountIds=[ADMIN])["unprocessedAccounts"] == []  # UG-MEMBER
    assert member.delete_invitations(accountIds=[ADMIN])["unprocessedAccounts"] == []
    assert member.list_invitations()["invitations"] == []


def test_tags_on_member_arns(sandbox_server: Any) -> None:
    admin = admin_client(sandbox_server.url)
    arn = admin.create_member(account={"accountId": INVITED, "email": "a@example.com"}, tags={"team": "sec"})["arn"]
    admin.tag_resource(resourceArn=arn, tags={"env": "prod"})
    assert admin.list_tags_for_resource(resourceArn=arn)["tags"] == {"team": "sec", "env": "prod"}
    admin.untag_resource(resourceArn=arn, tagKeys=["team"])
    assert admin.list_tags_for_resource(resourceArn=arn)["tags"] == {"env": "prod"}
    assert admin.get_member(id=INVITED)["tags"] == {"env": "prod"}
    other = arn.replace(INVITED, "222222222222")
    assert error_of(lambda: admin.list_tags_for_resource(resourceArn=other))[0] == "ResourceNotFoundException"


def test_the_session_settings_are_kept_and_checked(sandbox_server: Any) -> None:
    admin = admin_client(sandbox_server.url)
    admin.update_macie_session(findingPublishingFrequency="SIX_HOURS")
    assert admin.get_macie_session()["findingPublishingFrequency"] == "SIX_HOURS"
    admin.disable_macie()
    code, http, message = error_of(lambda: admin.enable_macie(findingPublishingFrequency="NEVER", status="BOGUS"))
    assert (code, http) == ("ValidationException", 400) and "FIFTEEN_MINUTES" in message
    admin.enable_macie(findingPublishingFrequency="ONE_HOUR")
    assert admin.get_macie_session()["findingPublishingFrequency"] == "ONE_HOUR"


def test_answers_are_labelled_json(sandbox_server: Any) -> None:
    response = raw(sandbox_server.url, "GET", "/members")
    assert response.status == 200
    assert response.headers["content-type"] == "application/json"


def test_a_request_signed_for_no_region_gets_a_modelled_error(sandbox_server: Any) -> None:
    """``aws macie2 list-members --region '' --endpoint-url ...`` signs for no Region."""
    from botocore.auth import SigV4Auth
    from botocore.awsrequest import AWSRequest
    from botocore.credentials import Credentials

    request = AWSRequest(method="GET", url=sandbox_server.url + "/members")
    SigV4Auth(Credentials("testing", "testing"), "macie2", "").add_auth(request)
    prepared = urllib.request.Request(request.url, headers=dict(request.headers.items()), method="GET")
    with pytest.raises(urllib.error.HTTPError) as caught:
        urllib.request.urlopen(prepared, timeout=30)
    with caught.value as answer:
        body = json.loads(answer.read())
        assert answer.code == 403 and answer.headers["Content-Type"] == "application/json"
    assert body["__type"] == "AccessDeniedException" and "valid region" in body["message"]


def test_a_call_from_a_disabled_region_is_an_unrecognized_client(sandbox_server: Any) -> None:
    condition(sandbox_server, account=INVITED, regionDisabled=True)
    member = member_client(sandbox_server.url, INVITED)
    code, http, message = error_of(member.list_invitations)
    assert (code, http) == ("UnrecognizedClientException", 403)
    assert message == "The security token included in the request is invalid."
