"""macie_members.run.executor, its pure part: the "already done" tables and the records an answer
or an error makes (the pool itself runs in tests/cli)."""

from __future__ import annotations

import pytest

from macie_members.aws.client import ApiError
from macie_members.plan.model import Request
from macie_members.run.executor import already_done, answer_records, error_records

R = "us-east-1"


# ------------------------------------------------------------- the executor's classification


def api_error(code: str, message: str, retries: int = 0) -> ApiError:
    return ApiError(code=code, error_message=message, operation="X", region=R, retries=retries)


@pytest.mark.parametrize(("operation", "code", "message", "done"), [
    ("CreateMember", "ConflictException", "already in your inventory", True),
    ("DeleteMember", "ResourceNotFoundException", "The request failed because the resource doesn't exist.", True),
    ("DisassociateMember", "ValidationException", "account 1 is not associated with your account", True),
    ("DisassociateMember", "ValidationException", "is not an associated member of account 2", True),
    ("DisassociateMember", "ValidationException", "id must be 12 digits", False),
    ("DeleteMember", "ValidationException", "still associated", False),
    ("CreateMember", "ValidationException", "bad email", False),
    ("EnableMacie", "ConflictException", "Macie is already enabled", True),
])
def test_already_done_table(operation: str, code: str, message: str, done: bool) -> None:
    assert (already_done(operation, code, message) is not None) is done


def test_error_records_skip_work_found_done_by_a_retry() -> None:
    request = Request(R, "DeleteMember", {"id": "111111111111"}, ("111111111111",))
    [record] = error_records(request, api_error("ResourceNotFoundException", "gone", retries=2))
    assert record.outcome == "skipped" and record.errorMessage == "already deleted: found so by retry 2 (gone)"
    [failed] = error_records(request, api_error("AccessDeniedException", "Macie is not enabled"))
    assert (failed.outcome, failed.errorCode, failed.errorMessage) == (
        "failed", "AccessDeniedException", "Macie is not enabled")


def test_invitation_answers_per_account() -> None:
    request = Request(R, "CreateInvitations", {"accountIds": ["1", "2", "3"]}, ("1", "2", "3"))
    response = {"unprocessedAccounts": [
        {"accountId": "2", "errorCode": "ClientError", "errorMessage": "The account 2 is already a member account."},
        {"accountId": "3", "errorCode": "InternalError", "errorMessage": "try again"}]}
    assert [(r.accountId, r.outcome) for r in answer_records(request, response)] == [
        ("1", "ok"), ("2", "skipped"), ("3", "failed")]


def test_a_drop_in_request_is_found_done_only_by_a_retry() -> None:
    request = Request(R, "CreateMember", {"account": {"accountId": "1"}}, ("1",))
    [first] = error_records(request, api_error("ConflictException", "exists"), planned=False)
    [retried] = error_records(request, api_error("ConflictException", "exists", retries=1), planned=False)
    assert (first.outcome, retried.outcome) == ("failed", "skipped")
