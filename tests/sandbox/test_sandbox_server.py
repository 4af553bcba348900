"""``macie-members sandbox serve``: throttling, injected faults, latency, the error shape on the
wire, the serve command's own behaviour, and the ``/_sandbox/condition`` control route.

Every server here is a subprocess (``server_factory`` / ``sandbox_server`` in conftest), reached
with boto3 and with raw HTTP (urllib, signed by botocore's SigV4 signer).
"""

from __future__ import annotations

import contextlib
import functools
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import boto3
import botocore.exceptions
import botocore.retries.quota
import pytest
from botocore.config import Config

from tests.support.awscli_support import accept, as_from_a_shell
from tests.support.helpers import (
    NO_RETRIES,
    Raw,
    admin_client,
    assert_error_shape,
    member_client,
    raw,
)

MEMBER = "111111111111"

# ------------------------------------------------------------------ (a) throttling


@pytest.mark.slow
def test_throttled_burst_is_retried_until_every_request_succeeds(
    server_factory: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    server = server_factory("--throttle-rps", "5", "--seed", "1")
    # botocore's standard mode keeps a per-client retry quota (500 tokens, 5 per retried
    # throttle): a burst of 50 calls on one client against 5 requests/s needs ~150 retries and
    # empties it, and the calls that find it empty fail with RetryQuotaReached. That circuit
    # breaker is botocore's, not the server's: give this one client a quota large enough that
    # only max_attempts bounds the retries.
    monkeypatch.setattr(
        botocore.retries.quota,
        "RetryQuota",
        functools.partial(botocore.retries.quota.RetryQuota, 1_000_000),
    )
    shared = admin_client(
        server.url, config=Config(retries={"mode": "standard", "max_attempts": 10}, max_pool_connections=50)
    )
    monkeypatch.undo()

    def one(_: int) -> int:
        attempts: int = shared.list_members()["ResponseMetadata"]["RetryAttempts"]
        return attempts

    with ThreadPoolExecutor(max_workers=50) as pool:
        retry_attempts = list(pool.map(one, range(50)))  # re-raises any call that failed

    stats = server.stats()
    assert len(retry_attempts) == 50
    assert stats["throttled"] > 0
    assert stats["faults"] == 0
    assert max(retry_attempts) > 0
    # Every 429 was retried exactly once by some call, and every request was counted.
    assert sum(retry_attempts) == stats["throttled"]
    assert stats["requests"] == {"ListMembers": 50 + stats["throttled"]}


def _throttled(admin: Any) -> botocore.exceptions.ClientError:
    with pytest.raises(botocore.exceptions.ClientError) as caught:
        for _ in range(20):
            admin.list_members()
    return caught.value


def test_throttling_is_per_account(server_factory: Any) -> None:
    server = server_factory("--throttle-rps", "2")
    admin = admin_client(server.url, config=NO_RETRIES)
    assert _throttled(admin).response["Error"]["Code"] == "TooManyRequestsException"
    # Another account (the member, through sts:AssumeRole) has its own bucket.
    sts = boto3.client(
        "sts", region_name="us-east-1", endpoint_url=server.url,
        aws_access_key_id="testing", aws_secret_access_key="testing",
    )
    creds = sts.assume_role(RoleArn=f"arn:aws:iam::{MEMBER}:role/m", RoleSessionName="member")["Credentials"]
    member = boto3.client(
        "macie2", region_name="us-east-1", endpoint_url=server.url, config=NO_RETRIES,
        aws_access_key_id=creds["AccessKeyId"], aws_secret_access_key=creds["SecretAccessKey"],
        aws_session_token=creds["SessionToken"],
    )
    assert member.list_invitations()["invitations"] == []
    assert "AssumeRole" not in str(server.stats()["requests"])  # STS is not counted (nor throttled)


def test_fractional_throttle_rate_admits_a_first_request(server_factory: Any) -> None:
    server = server_factory("--throttle-rps", "0.5")
    admin_client(server.url, config=NO_RETRIES).list_members()


# -------------------------------------------------------------- (b) injected faults


def test_injected_faults_are_500s_counted_and_not_applied(server_factory: Any) -> None:
    server = server_factory("--fault-rate", "0.1", "--seed", "7")
    admin = admin_client(server.url, config=NO_RETRIES)
    accounts = [f"{300000000000 + n}" for n in range(400)]
    faulted: list[str] = []
    for n, account in enumerate(accounts):
        try:
            admin.create_member(account={"accountId": account, "email": f"a{n}@example.com"})
        except admin.exceptions.InternalServerException as exc:
            assert exc.response["ResponseMetadata"]["HTTPStatusCode"] == 500
            assert exc.response["ResponseMetadata"]["RetryAttempts"] == 0
            faulted.append(account)
    stats = server.stats()
    assert 20 <= len(faulted) <= 65
    assert stats["faults"] == len(faulted)
    assert stats["requests"] == {"CreateMember": 400}  # no retry was sent
    assert stats["throttled"] == 0

    # Read the inventory back through retries (the reads fault too, and are retried).
    reader = admin_client(server.url, config=Config(retries={"mode": "standard", "max_attempts": 10}))
    pages = reader.get_paginator("list_members").paginate(onlyAssociated="false")
    present = {m["accountId"] for page in pages for m in page["members"]}
    assert present == set(accounts) - set(faulted)  # a faulted CreateMember was not applied

    # The same seed draws the same faults: a second server fails the same requests.
    again = server_factory("--fault-rate", "0.1", "--seed", "7")
    admin2 = admin_client(again.url, config=NO_RETRIES)
    faulted2 = []
    for n, account in enumerate(accounts[:100]):
        try:
            admin2.create_member(account={"accountId": account, "email": f"a{n}@example.com"})
        except admin2.exceptions.InternalServerException:
            faulted2.append(account)
    assert faulted2 == [a for a in faulted if a in accounts[:100]]


# ---------------------------------------------------------------- (c) error shape


def test_error_shape_of_throttling(server_factory: Any) -> None:
    """By default the code real Macie has sent (TooManyRequestsException), which botocore raises
    as a plain ClientError: a script that catches only the modeled ThrottlingException fails
    here as it would on AWS."""
    server = server_factory("--throttle-rps", "1")
    responses = [raw(server.url, "GET", "/members") for _ in range(5)]
    assert responses[0].status == 200
    throttled = [r for r in responses if r.status != 200]
    assert throttled
    for response in throttled:
        assert_error_shape(response, 429, "TooManyRequestsException")

    admin = admin_client(server.url, config=NO_RETRIES)
    error = _throttled(admin)
    assert not isinstance(error, admin.exceptions.ThrottlingException)
    assert error.response["Error"]["Code"] == "TooManyRequestsException"
    assert error.response["Error"]["Message"]
    assert error.response["ResponseMetadata"]["HTTPStatusCode"] == 429


def test_throttle_code_option_gives_the_modeled_exception(server_factory: Any) -> None:
    server = server_factory("--throttle-rps", "1", "--throttle-code", "ThrottlingException")
    admin = admin_client(server.url, config=NO_RETRIES)
    error = _throttled(admin)
    assert isinstance(error, admin.exceptions.ThrottlingException)
    assert error.response["ResponseMetadata"]["HTTPStatusCode"] == 429
    assert_error_shape(next(r for r in (raw(server.url, "GET", "/members") for _ in range(5)) if r.status != 200),
                       429, "ThrottlingException")


@pytest.mark.parametrize("mode", ["legacy", "standard"])
def test_botocore_retries_the_default_throttle_code(server_factory: Any, mode: str) -> None:
    # One request per 100 s: the first call takes the only token, every later attempt is a 429.
    server = server_factory("--throttle-rps", "0.01")
    admin = admin_client(server.url, config=Config(retries={"mode": mode, "total_max_attempts": 2}))
    admin.list_members()
    with pytest.raises(botocore.exceptions.ClientError) as caught:
        admin.list_members()
    assert caught.value.response["Error"]["Code"] == "TooManyRequestsException"
    assert caught.value.response["ResponseMetadata"]["RetryAttempts"] == 1  # retried, as on AWS
    assert server.stats()["throttled"] == 2


def test_error_shape_of_an_injected_fault(server_factory: Any) -> None:
    server = server_factory("--fault-rate", "1")
    assert_error_shape(
        raw(server.url, "POST", "/members", {"account": {"accountId": MEMBER, "email": "a@example.com"}}),
        500,
        "InternalServerException",
    )
    admin = admin_client(server.url, config=NO_RETRIES)
    with pytest.raises(admin.exceptions.InternalServerException) as caught:
        admin.list_members()
    assert caught.value.response["ResponseMetadata"]["HTTPStatusCode"] == 500
    assert caught.value.response["Error"]["Message"]
    assert server.stats()["faults"] == 2


@pytest.mark.parametrize(
    ("method", "path", "body", "status", "code"),
    [
        ("GET", "/members?onlyAssociated=maybe", None, 400, "ValidationException"),
        ("GET", "/members?maxResults=26", None, 400, "ValidationException"),
        ("POST", "/members", {"account": {"accountId": "123", "email": "a@example.com"}}, 400, "ValidationException"),
        ("GET", "/members/999999999999", None, 404, "ResourceNotFoundException"),
        ("DELETE", "/members/999999999999", None, 404, "ResourceNotFoundException"),
        ("POST", "/members", {"account": {"accountId": MEMBER, "email": "b@example.com"}}, 409, "ConflictException"),
    ],
)
def test_error_shape_of_modeled_errors(
    sandbox_server: Any, method: str, path: str, body: Any, status: int, code: str
) -> None:
    admin_client(sandbox_server.url).create_member(account={"accountId": MEMBER, "email": "a@example.com"})
    assert_error_shape(raw(sandbox_server.url, method, path, body), status, code)


def test_botocore_raises_the_modeled_exception_classes(sandbox_server: Any) -> None:
    admin = admin_client(sandbox_server.url, config=NO_RETRIES)
    admin.create_member(account={"accountId": MEMBER, "email": "a@example.com"})
    cases = [
        (admin.exceptions.ValidationException, 400, lambda: admin.list_members(onlyAssociated="maybe")),
        (admin.exceptions.ValidationException, 400, lambda: admin.update_member_session(id=MEMBER, status="PAUSED")),
        (admin.exceptions.ResourceNotFoundException, 404, lambda: admin.get_member(id="999999999999")),
        (admin.exceptions.ConflictException, 409,
         lambda: admin.create_member(account={"accountId": MEMBER, "email": "b@example.com"})),
    ]
    for exception, status, call in cases:
        with pytest.raises(exception) as caught:
            call()
        assert caught.value.response["ResponseMetadata"]["HTTPStatusCode"] == status
        assert caught.value.response["Error"]["Message"]


# -------------------------------------------------------------------- (d) latency


def test_latency_delays_every_macie_request(server_factory: Any) -> None:
    server = server_factory("--latency-ms", "200")
    admin = admin_client(server.url, config=NO_RETRIES)
    for call in (admin.list_members, lambda: admin.get_member(id="999999999999")):
        start = time.monotonic()
        with contextlib.suppress(admin.exceptions.ResourceNotFoundException):
            call()
        assert time.monotonic() - start >= 0.2


# ---------------------------------------------------------------- (e) sandbox serve


def _serve(*options: str) -> subprocess.Popen[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    return subprocess.Popen(
        [sys.executable, "-m", "macie_members", "sandbox", "serve", *options],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        **as_from_a_shell(),
    )


def _listening_addresses(port: int) -> set[str]:
    """Local addresses with a TCP socket in LISTEN state on ``port`` (Linux /proc/net)."""
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        if not Path(table).exists():
            continue
        for line in Path(table).read_text().splitlines()[1:]:
            local, state = line.split()[1], line.split()[3]
            address, hex_port = local.split(":")
            if int(hex_port, 16) == port and state == "0A":
                found.add(address)
    return found


@pytest.mark.posix
@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_serve_prints_the_endpoint_binds_loopback_and_stops_on_a_signal(signum: int) -> None:
    proc = _serve("--port", "0")
    try:
        assert proc.stdout is not None and proc.stderr is not None
        first = proc.stdout.readline()
        assert first.startswith("Macie sandbox listening on http://127.0.0.1:"), first
        url = first.strip().rsplit(" ", 1)[-1]
        port = int(url.rsplit(":", 1)[-1])
        lines = [proc.stdout.readline() for _ in range(4)]
        exports = [line.strip() for line in lines if line.strip().startswith("export ")]
        assert f"export AWS_ENDPOINT_URL={url}" in exports
        assert any("AWS_ACCESS_KEY_ID=testing" in e and "AWS_DEFAULT_REGION=us-east-1" in e for e in exports)
        # The export lines are valid shell and set what they say.
        shell = subprocess.run(
            ["sh", "-c", "; ".join([*exports, 'echo "$AWS_ENDPOINT_URL $AWS_ACCESS_KEY_ID $AWS_DEFAULT_REGION"'])],
            capture_output=True, text=True, check=True, env={"PATH": os.environ.get("PATH", "")},
        )
        assert shell.stdout.split() == [url, "testing", "us-east-1"]

        if Path("/proc/net/tcp").exists():
            assert _listening_addresses(port) == {"0100007F"}  # 127.0.0.1 only
        with urllib.request.urlopen(url + "/_sandbox/stats", timeout=10) as response:
            assert json.loads(response.read())["total"] == 0

        proc.send_signal(signum)
        assert proc.wait(timeout=5) == 0
        stderr = proc.stderr.read()
        assert "Traceback" not in stderr
        assert "stopped" in stderr
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        for stream in (proc.stdout, proc.stderr):
            if stream:
                stream.close()


def _serve_on_a_busy_port() -> tuple[int, int, str, str]:
    """``sandbox serve --port N`` while N is taken: (port, exit code, stdout, stderr)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen(1)
        port = busy.getsockname()[1]
        proc = _serve("--port", str(port))
        try:
            stdout, stderr = proc.communicate(timeout=30)
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
    return port, proc.returncode, stdout, stderr


def test_serve_on_a_port_in_use_fails_without_a_traceback() -> None:
    port, returncode, stdout, stderr = _serve_on_a_busy_port()
    assert returncode != 0
    assert "Traceback" not in stderr
    assert str(port) in stderr
    assert "listening" not in stdout


def test_serve_on_a_port_in_use_is_a_one_line_config_error() -> None:
    port, returncode, _, stderr = _serve_on_a_busy_port()
    lines = stderr.strip().splitlines()
    assert len(lines) == 1, stderr
    assert str(port) in lines[0]
    assert returncode == 253  # a configuration problem, as the exit codes in docs/scripting.md say


# ----------------------------------------------------- (f) /_sandbox/condition route


def _condition(server: Any, **body: Any) -> Raw:
    data = json.dumps(body).encode()
    request = urllib.request.Request(server.url + "/_sandbox/condition", data=data, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return Raw(response.status, dict(response.headers.items()), response.read())
    except urllib.error.HTTPError as exc:
        with exc:
            return Raw(exc.code, dict(exc.headers.items()), exc.read())


def test_condition_route_shows_region_disabled_and_account_suspended(sandbox_server: Any) -> None:
    url = sandbox_server.url
    admin = admin_client(url)
    created = "222222222222"
    admin.create_member(account={"accountId": MEMBER, "email": "m@example.com"})
    admin.create_member(account={"accountId": created, "email": "c@example.com"})
    admin.create_invitations(accountIds=[MEMBER])
    accept(url, MEMBER)

    def seen(account: str = MEMBER) -> tuple[str, str | None, str | None]:
        everyone = {m["accountId"]: m["relationshipStatus"] for m in admin.list_members(onlyAssociated="false")["members"]}
        associated = {m["accountId"]: m["relationshipStatus"] for m in admin.list_members()["members"]}
        return admin.get_member(id=account)["relationshipStatus"], everyone.get(account), associated.get(account)

    assert seen() == ("Enabled", "Enabled", "Enabled")

    assert _condition(sandbox_server, account=MEMBER, region="us-east-1", regionDisabled=True).status == 200
    # While it holds, the condition is the account's status everywhere: not a current member.
    assert seen() == ("RegionDisabled", "RegionDisabled", None)

    # Suspension is account-wide: set from any Region.
    assert _condition(sandbox_server, account=MEMBER, region="eu-west-1", accountSuspended=True).status == 200
    assert seen() == ("AccountSuspended", "AccountSuspended", None)
    with pytest.raises(botocore.exceptions.ClientError) as caught:
        member_client(url, MEMBER).list_invitations()  # the suspended account's own calls fail
    assert caught.value.response["Error"]["Code"] == "AccessDeniedException"

    # A disabled Region is per Region.
    _condition(sandbox_server, account=created, region="eu-west-1", regionDisabled=True)
    assert seen(created) == ("Created", "Created", None)
    _condition(sandbox_server, account=created, region="us-east-1", regionDisabled=True)
    assert seen(created) == ("RegionDisabled", "RegionDisabled", None)
    unprocessed = admin.create_invitations(accountIds=[created])["unprocessedAccounts"]
    assert [(u["accountId"], u["errorCode"]) for u in unprocessed] == [(created, "ClientError")]
    assert "RegionDisabled" in unprocessed[0]["errorMessage"]

    # Lifting the conditions gives the relationship's status back.
    _condition(sandbox_server, account=MEMBER, region="us-east-1", regionDisabled=False, accountSuspended=False)
    _condition(sandbox_server, account=created, region="us-east-1", regionDisabled=False)
    assert seen() == ("Enabled", "Enabled", "Enabled")
    assert seen(created) == ("Created", "Created", None)

    # The route is not a macie2 operation: nothing was counted for it.
    assert not any("_sandbox" in op for op in sandbox_server.stats()["requests"])


def test_condition_route_registers_the_accounts_email(sandbox_server: Any) -> None:
    admin = admin_client(sandbox_server.url)
    assert _condition(sandbox_server, account=MEMBER, region="us-east-1", email="ops@example.com").status == 200
    admin.create_member(account={"accountId": MEMBER, "email": "someone@example.com"})
    admin.create_invitations(accountIds=[MEMBER])
    assert admin.get_member(id=MEMBER)["relationshipStatus"] == "EmailVerificationFailed"


def test_condition_route_rejects_a_malformed_request(sandbox_server: Any) -> None:
    for body in (
        {"region": "us-east-1"},
        {"account": MEMBER},
        {"account": "12", "region": "us-east-1"},
        {"account": MEMBER, "region": "mars-west-9"},
        {"account": MEMBER, "region": "us-east-1", "email": "not an email"},
    ):
        response = _condition(sandbox_server, **body)
        assert response.status == 400, body
        assert json.loads(response.body)["message"].startswith("bad condition request")
    request = urllib.request.Request(sandbox_server.url + "/_sandbox/condition", data=b"{not json", method="POST")
    with pytest.raises(urllib.error.HTTPError) as caught:
        urllib.request.urlopen(request, timeout=30)
    with caught.value:
        assert caught.value.code == 400


# ------------------------------------------------------------------ EC2 DescribeRegions


def test_describe_regions_answers_each_accounts_opt_in_status(sandbox_server: Any) -> None:
    """The server answers EC2 DescribeRegions itself, per account: opt-in Regions are opted in
    unless `sandbox condition --region-disabled` disabled one for the account; others need no
    opt-in. Other EC2 requests still reach moto."""
    from tests.support.helpers import member_credentials

    member = "111111111111"
    urllib.request.urlopen(urllib.request.Request(
        sandbox_server.url + "/_sandbox/condition", method="POST",
        data=json.dumps({"account": member, "region": "af-south-1", "regionDisabled": True}).encode()), timeout=30)
    creds = member_credentials(sandbox_server.url, member)

    def ec2(**keys: str) -> Any:
        return boto3.client("ec2", region_name="us-east-1", endpoint_url=sandbox_server.url, **keys)

    as_member = ec2(aws_access_key_id=creds["AWS_ACCESS_KEY_ID"], aws_secret_access_key=creds["AWS_SECRET_ACCESS_KEY"],
                    aws_session_token=creds["AWS_SESSION_TOKEN"])
    as_admin = ec2(aws_access_key_id="testing", aws_secret_access_key="testing")
    status = {r["RegionName"]: r["OptInStatus"] for r in as_member.describe_regions(AllRegions=True)["Regions"]}
    assert status["af-south-1"] == "not-opted-in"
    assert status["eu-south-1"] == status["me-south-1"] == "opted-in"
    assert status["us-east-1"] == status["eu-west-1"] == "opt-in-not-required"
    enabled = {r["RegionName"] for r in as_member.describe_regions()["Regions"]}
    assert "af-south-1" not in enabled and {"us-east-1", "eu-south-1"} <= enabled
    admin = {r["RegionName"]: r["OptInStatus"] for r in as_admin.describe_regions(AllRegions=True)["Regions"]}
    assert admin["af-south-1"] == "opted-in"  # a condition is one account's
    named = as_member.describe_regions(RegionNames=["af-south-1"], AllRegions=True)["Regions"]
    assert [(r["RegionName"], r["OptInStatus"]) for r in named] == [("af-south-1", "not-opted-in")]
    assert as_admin.describe_availability_zones()["AvailabilityZones"]  # moto's, as before
