"""What the sandbox answers on the wire, whatever it is asked: every operation of botocore's macie2
model gets a success or a modeled JSON error (never HTML), in-process and over ``sandbox serve``;
Regions where Macie isn't offered; ids in the path; member-side operations over HTTP; the
asynchronous verification and the clock route; InternalError fault injection.
"""

from __future__ import annotations

import datetime
import json
import time
from typing import Any

import boto3
import botocore.exceptions
import pytest
from botocore.config import Config

from tests.support.helpers import NO_RETRIES, admin_client, assert_error_shape, member_client, raw

MEMBER = "111111111111"
ADMIN = "123456789012"
MODEL = boto3.client("macie2", region_name="us-east-1").meta.service_model
SUPPORTED = {
    "AcceptInvitation", "CreateInvitations", "CreateMember", "DeclineInvitations", "DeleteInvitations",
    "DeleteMember", "DisableMacie", "DisassociateFromAdministratorAccount", "DisassociateFromMasterAccount",
    "DisassociateMember", "EnableMacie", "GetAdministratorAccount", "GetInvitationsCount", "GetMacieSession",
    "GetMasterAccount", "GetMember", "ListInvitations", "ListMembers", "ListTagsForResource", "TagResource",
    "UntagResource", "UpdateMacieSession", "UpdateMemberSession",
}


def minimal(shape: Any) -> Any:
    """The smallest value of ``shape`` that botocore's client-side validation accepts."""
    kind = shape.type_name
    if kind == "structure":
        return {name: minimal(shape.members[name]) for name in shape.required_members}
    if kind == "list":
        return [minimal(shape.member) for _ in range(shape.metadata.get("min", 0))]
    if kind == "map":
        return {}
    if kind == "string":
        return shape.enum[0] if shape.enum else "1" * max(12, shape.metadata.get("min", 0))
    if kind in ("integer", "long"):
        return max(1, shape.metadata.get("min", 1))
    if kind in ("double", "float"):
        return 1.0
    if kind == "boolean":
        return False
    if kind == "timestamp":
        return datetime.datetime.now(datetime.UTC)
    if kind == "blob":
        return b"x"
    raise AssertionError(kind)


def call_operation(client: Any, operation: str) -> dict[str, Any] | botocore.exceptions.ClientError:
    model = MODEL.operation_model(operation)
    params = minimal(model.input_shape) if model.input_shape else {}
    try:
        result: dict[str, Any] = client._make_api_call(operation, params)
    except botocore.exceptions.ClientError as exc:
        return exc
    return result


def check_answer(operation: str, answer: dict[str, Any] | botocore.exceptions.ClientError) -> None:
    model = MODEL.operation_model(operation)
    if operation not in SUPPORTED:
        assert isinstance(answer, botocore.exceptions.ClientError), operation
        assert answer.response["Error"]["Code"] == "ValidationException"
        assert "not supported by the sandbox" in answer.response["Error"]["Message"]
        return
    if isinstance(answer, botocore.exceptions.ClientError):
        errors = {shape.name: shape.metadata["error"]["httpStatusCode"] for shape in model.error_shapes}
        if not errors:  # the tag operations declare none: the service's modeled errors stand for them
            errors = {shape.name: shape.metadata["error"]["httpStatusCode"] for shape in MODEL.error_shapes}
        code = answer.response["Error"]["Code"]
        assert code in errors, (operation, answer)
        assert answer.response["ResponseMetadata"]["HTTPStatusCode"] == errors[code]
        assert answer.response["Error"]["Message"]


@pytest.mark.parametrize("operation", MODEL.operation_names)
def test_every_model_operation_in_process(macie_sandbox: Any, operation: str) -> None:
    check_answer(operation, call_operation(macie_sandbox.client(), operation))


@pytest.fixture(scope="module")
def wire_server(_module_server: Any) -> Any:
    _module_server.reset()
    return _module_server


@pytest.mark.parametrize("operation", MODEL.operation_names)
def test_every_model_operation_over_http(wire_server: Any, operation: str) -> None:
    check_answer(operation, call_operation(admin_client(wire_server.url, config=NO_RETRIES), operation))


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("GET", "/members/abc", None),
        ("DELETE", "/members/%D9%A1%D9%A2%D9%A3%D9%A4%D9%A5%D9%A6%D9%A7%D9%A8%D9%A9%D9%A0%D9%A1%D9%A2", None),
        ("DELETE", "/members/", None),  # `aws macie2 delete-member --id ''`
        ("POST", "/members/disassociate/1", None),
        ("PATCH", "/macie/members/12345678901", {"status": "PAUSED"}),
        ("GET", "/no/such/operation", None),
        ("PUT", "/members", None),
        ("POST", "/members", "not json"),
    ],
)
def test_malformed_requests_get_a_validation_exception(
    sandbox_server: Any, method: str, path: str, body: Any
) -> None:
    response = raw(sandbox_server.url, method, path, body)
    assert_error_shape(response, 400, "ValidationException")


# --------------------------------------------------------------------------- Regions


def test_a_region_without_macie_over_http(server_factory: Any) -> None:
    server = server_factory()
    for region in ("mars-west-9", "cn-north-1", "us-gov-west-1"):
        admin = boto3.client(
            "macie2", region_name=region, endpoint_url=server.url, config=NO_RETRIES,
            aws_access_key_id="testing", aws_secret_access_key="testing",
        )
        with pytest.raises(admin.exceptions.AccessDeniedException) as caught:
            admin.list_members()
        assert caught.value.response["ResponseMetadata"]["HTTPStatusCode"] == 403
        assert region in caught.value.response["Error"]["Message"]
    # The server is unharmed and logged no traceback.
    admin_client(server.url).list_members()
    assert "Traceback" not in server.stop()


# ------------------------------------------------------------- member side over HTTP


def test_member_side_operations_over_http(sandbox_server: Any) -> None:
    admin = admin_client(sandbox_server.url)
    admin.create_member(account={"accountId": MEMBER, "email": "m@example.com"})
    admin.create_invitations(accountIds=[MEMBER])
    member = member_client(sandbox_server.url, MEMBER)
    assert member.get_invitations_count()["invitationsCount"] == 1
    [invitation] = member.list_invitations(maxResults=1)["invitations"]
    member.decline_invitations(accountIds=[ADMIN])
    assert [i["relationshipStatus"] for i in member.list_invitations()["invitations"]] == ["Removed"]
    assert member.delete_invitations(accountIds=[ADMIN, "222222222222"])["unprocessedAccounts"][0][
        "accountId"] == "222222222222"
    assert member.list_invitations()["invitations"] == []
    assert member.get_invitations_count()["invitationsCount"] == 0
    assert invitation["invitedAt"].tzinfo is not None
    assert member.get_macie_session()["createdAt"].tzinfo is not None
    stats = sandbox_server.stats()["requests"]
    assert stats["GetInvitationsCount"] == 2 and stats["DeleteInvitations"] == 1
    assert sandbox_server.stats()["mutating"] >= 4


def test_verification_is_asynchronous_on_the_server_and_the_clock_moves(server_factory: Any) -> None:
    server = server_factory(instant_verification=False)  # the server's own default
    admin = admin_client(server.url)
    admin.create_member(account={"accountId": MEMBER, "email": "m@example.com"})
    started = time.monotonic()
    admin.create_invitations(accountIds=[MEMBER])
    in_progress = admin.get_member(id=MEMBER)["relationshipStatus"]
    listed = member_client(server.url, MEMBER).list_invitations()["invitations"]
    elapsed = time.monotonic() - started  # the server's clock is the wall clock + the advances
    if elapsed > 0.3:
        pytest.skip(f"the machine took {elapsed:.1f} s to invite and read: too slow to see the 2 s window")
    assert in_progress == "EmailVerificationInProgress" and listed == []
    assert server.control("/_sandbox/clock", {"advance": 1.5})["offset"] == 1.5
    assert admin.get_member(id=MEMBER)["relationshipStatus"] == "EmailVerificationInProgress"
    server.control("/_sandbox/clock", {"advance": 0.6})  # past the 2 s default
    assert admin.get_member(id=MEMBER)["relationshipStatus"] == "Invited"


def test_verification_delay_option(server_factory: Any) -> None:
    server = server_factory("--verification-delay", "60")
    admin = admin_client(server.url)
    admin.create_member(account={"accountId": MEMBER, "email": "m@example.com"})
    admin.create_invitations(accountIds=[MEMBER])
    server.control("/_sandbox/clock", {"advance": 59})
    assert admin.get_member(id=MEMBER)["relationshipStatus"] == "EmailVerificationInProgress"
    server.control("/_sandbox/clock", {"advance": 1})
    assert admin.get_member(id=MEMBER)["relationshipStatus"] == "Invited"


def test_account_fault_rate_over_http(server_factory: Any) -> None:
    server = server_factory("--account-fault-rate", "1", "--seed", "1")
    admin = admin_client(server.url)
    admin.create_member(account={"accountId": MEMBER, "email": "m@example.com"})
    [entry] = admin.create_invitations(accountIds=[MEMBER])["unprocessedAccounts"]
    assert (entry["accountId"], entry["errorCode"]) == (MEMBER, "InternalError")
    assert admin.get_member(id=MEMBER)["relationshipStatus"] == "Created"


def test_the_clock_route_only_moves_forward(sandbox_server: Any) -> None:
    import urllib.error
    import urllib.request

    request = urllib.request.Request(
        sandbox_server.url + "/_sandbox/clock", data=json.dumps({"advance": -5}).encode(), method="POST"
    )
    with pytest.raises(urllib.error.HTTPError) as caught:
        urllib.request.urlopen(request, timeout=30)
    with caught.value:
        assert caught.value.code == 400


def test_retries_config_is_not_needed_for_modeled_errors(sandbox_server: Any) -> None:
    """A 4xx is never retried: one request per call (botocore legacy mode, 5 attempts max)."""
    admin = boto3.client(
        "macie2", region_name="us-east-1", endpoint_url=sandbox_server.url,
        config=Config(retries={"mode": "legacy"}), aws_access_key_id="testing", aws_secret_access_key="testing",
    )
    with pytest.raises(botocore.exceptions.ClientError) as caught:
        admin.list_findings()
    assert caught.value.response["ResponseMetadata"]["RetryAttempts"] == 0
