"""macie_members.aws.client: which errors are retried, how a request is retried (driven through
the typed client's public methods, with a stand-in botocore client and a fake clock), how a
botocore error becomes this package's error (``translate``), and the pause between attempts
(``backoff``)."""

from __future__ import annotations

from typing import Any

import botocore.exceptions
import pytest

from macie_members.aws.client import (
    ApiError,
    ConnectionFailure,
    MacieClient,
    backoff,
    retry_kind,
    translate,
)
from macie_members.aws.pacing import Pacer
from macie_members.errors import ConfigError, ExitCode, InputError, MacieMembersError
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
    assert raw.calls == 3 and len(slept) >= 2 and pacer.rate is not None  # paced since the throttle
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


# ----------------------------------------------------------------------------- translate


def test_a_service_error_is_an_api_error_with_the_aws_clis_sentence() -> None:
    error = translate(client_error("ConflictException", 409), region=R, retries=2, max_reached=True)
    assert isinstance(error, ApiError) and error.exit_code is ExitCode.SERVICE
    assert (error.code, error.error_message, error.operation, error.region, error.retries, error.http_status) == (
        "ConflictException", "the service says ConflictException", "CreateMember", R, 2, 409)
    assert str(error) == ("An error occurred (ConflictException) when calling the CreateMember operation "
                          "(reached max retries: 2): the service says ConflictException")
    first = translate(client_error("ConflictException", 409), region=R)
    assert str(first) == ("An error occurred (ConflictException) when calling the CreateMember operation: "
                          "the service says ConflictException")


def test_a_service_error_without_code_or_message_is_named_by_its_status() -> None:
    bare = botocore.exceptions.ClientError({"Error": {}, "ResponseMetadata": {"HTTPStatusCode": 502}}, "ListMembers")
    error = translate(bare, region=R)
    assert isinstance(error, ApiError)
    assert (error.code, error.http_status, error.operation) == ("502", 502, "ListMembers")
    assert error.error_message == str(bare).split(": ", 1)[-1] and error.error_message
    nothing = translate(botocore.exceptions.ClientError({}, "ListMembers"), region=None, operation="ListMembers")
    assert isinstance(nothing, ApiError) and (nothing.code, nothing.http_status) == ("Unknown", None)


@pytest.mark.parametrize(("exc", "kind", "message"), [
    (botocore.exceptions.NoCredentialsError(), ConfigError,
     'Unable to locate credentials. You can configure credentials by running "aws configure".'),
    (botocore.exceptions.NoRegionError(), ConfigError,
     'You must specify a region. You can also configure your region by running "aws configure".'),
    (botocore.exceptions.ProfileNotFound(profile="nope"), ConfigError, "The config profile (nope) could not be found"),
    (botocore.exceptions.PartialCredentialsError(provider="env", cred_var="AWS_SECRET_ACCESS_KEY"), ConfigError,
     "Partial credentials found in env, missing: AWS_SECRET_ACCESS_KEY"),
    (botocore.exceptions.ParamValidationError(report="Missing required parameter in input: \"id\""), InputError,
     'Parameter validation failed:\nMissing required parameter in input: "id"'),
    (botocore.exceptions.EndpointConnectionError(endpoint_url="http://127.0.0.1:9/members"), ConnectionFailure,
     'Could not connect to the endpoint URL: "http://127.0.0.1:9/members"'),
    (botocore.exceptions.ReadTimeoutError(endpoint_url="http://x/members"), ConnectionFailure,
     'Read timeout on endpoint URL: "http://x/members"'),
    (botocore.exceptions.ConnectTimeoutError(endpoint_url="http://x/members"), ConnectionFailure,
     'Connect timeout on endpoint URL: "http://x/members"'),
    (botocore.exceptions.SSLError(endpoint_url="https://x/members", error="CERTIFICATE_VERIFY_FAILED"),
     ConnectionFailure, "SSL validation failed for https://x/members CERTIFICATE_VERIFY_FAILED"),
])
def test_botocore_errors_become_the_packages_errors(exc: BaseException, kind: type, message: str) -> None:
    error = translate(exc, region=R)
    assert type(error) is kind
    assert str(error) == message


def test_connection_failures_and_other_errors_exit_255() -> None:
    assert translate(botocore.exceptions.EndpointConnectionError(endpoint_url="http://x"), region=R).exit_code == 255
    other = translate(botocore.exceptions.DataNotFoundError(data_path="x"), region=R)
    assert type(other) is MacieMembersError and other.exit_code is ExitCode.UNEXPECTED
    assert str(other) == "Unable to load data for: x"
    bug = translate(KeyError("members"), region=R)
    assert type(bug) is MacieMembersError and str(bug) == "KeyError: 'members'"


# ------------------------------------------------------------------------------- backoff


@pytest.mark.parametrize(("retry", "ceiling"), [(1, 0.1), (2, 0.2), (3, 0.4), (4, 0.8), (6, 3.2), (7, 5.0), (20, 5.0)])
def test_backoff_doubles_with_jitter_up_to_5_seconds(retry: int, ceiling: float) -> None:
    pauses = [backoff(retry) for _ in range(200)]
    assert all(0.5 * ceiling <= p <= ceiling for p in pauses)
    assert len(set(pauses)) > 1  # jittered: retries of many requests do not come back together


def test_the_pause_between_attempts_is_the_backoffs() -> None:
    raw = FlakyClient(*[client_error("InternalServerException", 500)] * 3)
    call, slept, _ = caller(raw, 4)
    assert call.create_member() == {"arn": "arn:x"}
    assert [0.05 <= slept[0] <= 0.1, 0.1 <= slept[1] <= 0.2, 0.2 <= slept[2] <= 0.4] == [True] * 3
