"""Exit codes through the CLI: usage and parameter errors 252 (nothing sent), no Region or no
credentials 253, a service error 254, success with an empty answer prints nothing."""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from typing import Any

import pytest
from click.testing import Result

from tests.support.helpers import (
    arn_region,
    closed_port,
    create_member_args,
    no_traceback,
    one_line_error,
)

ACCT = "111111111111"
EMAIL = "jane@example.com"

Invoke = Callable[..., Result]


# --------------------------------------------------------------------------------------------
# Exit codes
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["list-members", "--bogus"], "No such option '--bogus'"),
        (["--bogus", "list-members"], "No such option '--bogus'"),
        (["no-such-command"], "No such command 'no-such-command'"),
        (["delete-member"], "the following arguments are required: --id"),
        (["disassociate-member"], "the following arguments are required: --id"),
        (["update-member-session", "--id", ACCT], "the following arguments are required: --status"),
        (["create-member"], "the following arguments are required: --account"),
        (["create-invitations"], "the following arguments are required: --account-ids"),
        (["create-invitations", ACCT], f"Unknown options: {ACCT}"),
        (["list-members", "--output", "xml"], "'xml' is not one of 'json', 'text', 'table', 'yaml', 'yaml-stream', 'csv'"),
        (["list-members", "--region"], "Option '--region' requires an argument"),
        (["list-members", "--page-size", "ten"], "'ten' is not a valid integer"),
        (["create-member", "--account", "accountId"], "Error parsing parameter '--account'"),
        (
            ["create-member", "--account", "{not json"],
            "Error parsing parameter '--account': Invalid JSON",
        ),
        (
            ["create-member", "--account", "file:///no/such/file"],
            "Error parsing parameter '--account'",
        ),
        (
            ["create-member", "--account", f"accountId={ACCT}"],
            'Missing required parameter in account: "email"',
        ),
        (
            ["create-member", "--account", f"accountId={ACCT},email={EMAIL},extra=1"],
            'Unknown parameter in account: "extra"',
        ),
    ],
)
def test_usage_and_parameter_errors_exit_252_and_send_nothing(
    invoke: Invoke, aws: Any, args: list[str], message: str
) -> None:
    result = invoke(*args, rc=252)
    assert result.stdout == ""
    assert message in result.stderr
    no_traceback(result)
    assert aws.stats()["total"] == 0


@pytest.mark.parametrize("sandbox", [False, True])
def test_no_region_exits_253(
    invoke: Invoke, monkeypatch: pytest.MonkeyPatch, sandbox: bool
) -> None:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    url = f"http://127.0.0.1:{closed_port()}"
    if not sandbox:
        result = invoke("--endpoint-url", url, "list-members", rc=253)
        assert one_line_error(result) == (
            'You must specify a region. You can also configure your region by running "aws configure".'
        )
    else:  # the embedded sandbox needs no configuration: us-east-1
        result = invoke("--sandbox", *create_member_args())
        assert arn_region(result) == "us-east-1"


def test_no_credentials_exits_253(invoke: Invoke, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    assert os.environ["AWS_EC2_METADATA_DISABLED"] == "true"
    assert not [name for name in os.environ if name.startswith("AWS_") and "KEY" in name]
    url = f"http://127.0.0.1:{closed_port()}"
    result = invoke("--endpoint-url", url, "list-members", rc=253)
    assert one_line_error(result) == (
        'Unable to locate credentials. You can configure credentials by running "aws configure".'
    )


def test_service_error_exits_254(invoke: Invoke, aws: Any) -> None:
    result = invoke("delete-member", "--id", "999999999999", rc=254)
    assert re.fullmatch(
        r"An error occurred \(ResourceNotFoundException\) when calling the DeleteMember operation"
        r"( \(reached max retries: 0\))?: .+",
        one_line_error(result),
    )
    assert result.stderr.startswith("\n")  # the AWS CLI's blank line before a service error
    assert aws.stats()["requests"] == {"DeleteMember": 1}


def test_success_with_empty_response_prints_nothing(invoke: Invoke, two_members: Any) -> None:
    result = invoke("delete-member", "--id", ACCT)
    assert (result.stdout, result.stderr) == ("", "")
