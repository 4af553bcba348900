"""macie_members.aws.client: which errors are retried, how a request is retried (driven through
the typed client's public methods, with a stand-in botocore client and a fake clock), how a
botocore error becomes this package's error (``translate``), and the pause between attempts
(``backoff``)."""

from __future__ import annotations

from typing import Any

import botocore.exceptions
import pytest

from macie_members.aws.client import ApiError, MacieClient, retry_kind
from macie_members.aws.pacing import Pacer
from tests.support.helpers import Clock

R = "us-east-1"


# ------------------------------------------------------------------------------- retries


def client_error(code: str, status: int) -> botocore.exceptions.ClientError:
    return botocore.exceptions.ClientError(
        {"Error": {"Code": code, "Message": f"the service says {code}"}, "ResponseMetadata": {"HTTPStatusCode": status}},
        "CreateMember")


@pytest.mark.parametrize(("error", "kind"), [
    (client_error("TooManyRequestsException", 429), "throttled"),
    (client_error("ThrottlingException", 429), "throttled"),
    (client_error("Throttling", 400), "throttled"),
    (client_error("", 429), "throttled"),
    (client_error("InternalServerException", 500), "transient"),
    (client_error("", 503), "transient"),
    (client_error("ValidationException", 400), None),
    (client_error("ConflictException", 409), None),
    (botocore.exceptions.EndpointConnectionError(endpoint_url="http://x"), "transient"),
    (botocore.exceptions.ReadTimeoutError(endpoint_url="http://x"), "transient"),
    (botocore.exceptions.NoCredentialsError(), None),
])
def test_retry_classification(error: BaseException, kind: str | None) -> None:
    assert retry_kind(error) == kind


class FlakyClient:
    """A stand-in for a botocore client: fails with the given errors, then answers."""

    def __init__(self, *errors: BaseException) -> None:
        self.errors = list(errors)
        self.calls = 0

    def create_member(self, **params: Any) -> dict[str, Any]:
        self.calls += 1
        if self.errors:
            raise self.errors.pop(0)
        return {"arn": "arn:x", "ResponseMetadata": {}}


def caller(raw: FlakyClient, attempts: int) -> tuple[MacieClient, list[float], Pacer]:
    clock = Clock()
    pacer = Pacer(clock=lambda: clock.now, sleep=clock.sleep)
    call = MacieClient(raw, region=R, attempts=attempts, pacer=pacer, sleep=clock.sleep)  # type: ignore[arg-type]
    return call, clock.sleeps, pacer


def test_a_request_is_retried_until_it_succeeds() -> None:
    raw = FlakyClient(client_error("TooManyRequestsException", 429), client_error("InternalServerException", 500))
    call, slept, pacer = caller(raw, 3)
    assert call.create_member() == {"arn": "arn:x"}
    assert raw.calls == 3 and len(slept) >= 2 and pacer.throttles == 1
    assert call.ledger.changes_sent == 1 and call.ledger.changes_answered == 1


def test_when_attempts_run_out_the_error_keeps_the_services_message() -> None:
    raw = FlakyClient(*[client_error("TooManyRequestsException", 429)] * 3)
    call, _, _ = caller(raw, 3)
    with pytest.raises(ApiError) as caught:
        call.call("CreateMember", {})
    assert caught.value.error_message == "the service says TooManyRequestsException"
    assert caught.value.retries == 2
    assert str(caught.value) == ("An error occurred (TooManyRequestsException) when calling the CreateMember "
                                 "operation (reached max retries: 2): the service says TooManyRequestsException")


def test_a_final_error_is_not_retried() -> None:
    raw = FlakyClient(client_error("ConflictException", 409))
    call, slept, _ = caller(raw, 8)
    with pytest.raises(ApiError):
        call.create_member()
    assert raw.calls == 1 and slept == []
