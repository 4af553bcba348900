"""The global options end to end: --region, --profile, --endpoint-url, --output, --query,
--debug, --no-paginate, TLS, timeouts, --color and --version, and the environment variables and
profile settings that stand in for them.

Everything goes through the real layers: click's CliRunner (in-process) or
``python -m macie_members`` (a subprocess, where a fresh interpreter or a terminal matters),
and AWS is the sandbox (the ``sandbox_server`` subprocess, the embedded ``--sandbox``) or a
socket/TLS endpoint served by the test itself. Nothing of macie_members is mocked.
"""

from __future__ import annotations

import datetime
import http.server
import ipaddress
import json
import os
import re
import select
import socket
import ssl
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result

from tests.support.helpers import (
    POSITIONS,
    ROOT,
    admin_client,
    arn,
    arn_region,
    closed_port,
    create_member_args,
    no_traceback,
    one_line_error,
    place,
    refused,
    run,
    run_module,
    write_aws_config,
)

ACCT = "111111111111"
ACCT2 = "222222222222"
EMAIL = "jane@example.com"
SECRET = "verysecretkey123456"
TOKEN = "faketoken-ABCDEFGH12345"
ANSI = re.compile(r"\x1b\[[0-9;]*m")

Invoke = Callable[..., Result]


# --------------------------------------------------------------------------------------------
# --region, AWS_REGION, AWS_DEFAULT_REGION, the profile's region
# --------------------------------------------------------------------------------------------


@POSITIONS
def test_region_option_beats_both_environment_variables(
    invoke: Invoke, server: Any, monkeypatch: pytest.MonkeyPatch, where: str
) -> None:
    monkeypatch.setenv("AWS_REGION", "ap-south-1")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "eu-west-1")
    result = invoke(
        *place(
            where, ["--region", "ca-central-1", "--endpoint-url", server.url], create_member_args()
        )
    )
    assert arn_region(result) == "ca-central-1"
    assert result.stderr == ""


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({"AWS_DEFAULT_REGION": "eu-west-1"}, "eu-west-1"),
        ({"AWS_REGION": "ap-south-1"}, "ap-south-1"),
        ({"AWS_REGION": "ap-south-1", "AWS_DEFAULT_REGION": "eu-west-1"}, "ap-south-1"),
    ],
)
def test_region_from_the_environment(
    invoke: Invoke, server: Any, monkeypatch: pytest.MonkeyPatch, env: dict[str, str], expected: str
) -> None:
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    result = invoke("--endpoint-url", server.url, *create_member_args())
    assert arn_region(result) == expected


def test_region_from_the_profile_and_environment_beats_it(
    invoke: Invoke, server: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    write_aws_config(monkeypatch, tmp_path, "[default]\nregion = eu-west-2\n")
    assert (
        arn_region(invoke("--endpoint-url", server.url, *create_member_args(ACCT))) == "eu-west-2"
    )
    monkeypatch.setenv("AWS_DEFAULT_REGION", "eu-north-1")
    assert (
        arn_region(invoke("--endpoint-url", server.url, *create_member_args(ACCT2))) == "eu-north-1"
    )


def test_the_last_region_option_wins(invoke: Invoke, server: Any) -> None:
    result = invoke(
        "--region",
        "eu-west-1",
        "--endpoint-url",
        server.url,
        *create_member_args(),
        "--region",
        "sa-east-1",
    )
    assert arn_region(result) == "sa-east-1"


# --------------------------------------------------------------------------------------------
# --profile, AWS_PROFILE
# --------------------------------------------------------------------------------------------

PROFILE_CONFIG = """\
[profile ops]
region = eu-west-2
output = text
aws_access_key_id = testing
aws_secret_access_key = testing
"""


@POSITIONS
def test_profile_option_gives_region_output_and_credentials(
    invoke: Invoke, sandbox_server: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, where: str
) -> None:
    write_aws_config(monkeypatch, tmp_path, PROFILE_CONFIG)
    result = invoke(
        *place(
            where, ["--profile", "ops", "--endpoint-url", sandbox_server.url], create_member_args()
        )
    )
    assert result.stdout == f"arn:aws:macie2:eu-west-2:123456789012:member/{ACCT}\n"  # text output
    assert result.stderr == ""


def test_aws_profile_environment_variable(
    invoke: Invoke, sandbox_server: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    write_aws_config(monkeypatch, tmp_path, PROFILE_CONFIG)
    monkeypatch.setenv("AWS_PROFILE", "ops")
    result = invoke("--endpoint-url", sandbox_server.url, *create_member_args())
    assert result.stdout == f"arn:aws:macie2:eu-west-2:123456789012:member/{ACCT}\n"


def test_aws_profile_keeps_environment_credentials(
    invoke: Invoke, server: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """As in the AWS CLI, AWS_PROFILE (unlike --profile) does not hide AWS_ACCESS_KEY_ID/...:
    a profile with a region and no keys works with credentials from the environment."""
    write_aws_config(monkeypatch, tmp_path, "[profile regional]\nregion = eu-west-3\n")
    monkeypatch.setenv("AWS_PROFILE", "regional")
    result = invoke("--endpoint-url", server.url, *create_member_args())
    assert arn_region(result) == "eu-west-3"


@POSITIONS
def test_unknown_profile_is_a_one_line_config_error(invoke: Invoke, aws: Any, where: str) -> None:
    result = invoke(*place(where, ["--profile", "nope"], ["list-members"]), rc=253)
    assert one_line_error(result) == "The config profile (nope) could not be found"
    assert aws.stats()["total"] == 0


def test_unknown_aws_profile_is_a_one_line_config_error(
    invoke: Invoke, aws: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AWS_PROFILE", "nope")
    result = invoke("list-members", rc=253)
    assert one_line_error(result) == "The config profile (nope) could not be found"
    assert aws.stats()["total"] == 0


# --------------------------------------------------------------------------------------------
# --endpoint-url, AWS_ENDPOINT_URL_MACIE2, AWS_ENDPOINT_URL
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("option", "macie2_env", "global_env", "reaches_server"),
    [
        ("good", "bad", "bad", True),  # the option beats both variables
        ("bad", "good", "good", False),
        (None, "good", "bad", True),  # AWS_ENDPOINT_URL_MACIE2 beats AWS_ENDPOINT_URL
        (None, "bad", "good", False),
        (None, None, "good", True),  # AWS_ENDPOINT_URL alone
    ],
)
@POSITIONS
def test_endpoint_precedence(
    invoke: Invoke,
    server: Any,
    monkeypatch: pytest.MonkeyPatch,
    where: str,
    option: str | None,
    macie2_env: str | None,
    global_env: str | None,
    reaches_server: bool,
) -> None:
    urls = {"good": server.url, "bad": f"http://127.0.0.1:{closed_port()}"}
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    if macie2_env:
        monkeypatch.setenv("AWS_ENDPOINT_URL_MACIE2", urls[macie2_env])
    if global_env:
        monkeypatch.setenv("AWS_ENDPOINT_URL", urls[global_env])
    options = ["--endpoint-url", urls[option]] if option else []
    result = invoke(*place(where, options, ["list-members"]), rc=0 if reaches_server else 255)
    if reaches_server:
        assert json.loads(result.stdout) == {"members": []}
        assert server.stats()["requests"] == {"ListMembers": 1}
    else:
        assert one_line_error(result).startswith("Could not connect to the endpoint URL: ")
        assert server.stats()["total"] == 0


def test_malformed_endpoint_url_is_a_usage_error(invoke: Invoke, aws: Any) -> None:
    result = invoke("--endpoint-url", "notaurl", "list-members", rc=252)
    assert one_line_error(result) == "Invalid endpoint: notaurl"


# --------------------------------------------------------------------------------------------
# --output, AWS_DEFAULT_OUTPUT, the profile's output
# --------------------------------------------------------------------------------------------


@POSITIONS
@pytest.mark.parametrize("output", ["json", "text", "table"])
def test_output_option(invoke: Invoke, aws: Any, where: str, output: str) -> None:
    result = invoke(*place(where, ["--output", output], create_member_args()))
    assert result.stderr == ""
    if output == "json":
        assert json.loads(result.stdout) == {"arn": arn()}
    elif output == "text":
        assert result.stdout == arn() + "\n"
    else:
        assert "CreateMember" in result.stdout
        assert result.stdout.startswith("-") and "|  arn" in result.stdout  # the AWS CLI's ASCII table
        assert not ANSI.search(result.stdout)  # not a terminal: no colour
        assert max(len(line) for line in result.stdout.splitlines()) <= 80


@pytest.mark.parametrize(
    ("env_output", "profile_output", "option", "expected"),
    [
        ("text", None, None, "text"),
        ("text", None, "json", "json"),  # the option beats AWS_DEFAULT_OUTPUT
        (None, "text", None, "text"),  # the profile's output
        ("json", "text", None, "json"),  # AWS_DEFAULT_OUTPUT beats the profile
        (None, "table", "text", "text"),
    ],
)
def test_output_precedence(
    invoke: Invoke,
    aws: Any,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    env_output: str | None,
    profile_output: str | None,
    option: str | None,
    expected: str,
) -> None:
    if env_output:
        monkeypatch.setenv("AWS_DEFAULT_OUTPUT", env_output)
    if profile_output:
        write_aws_config(monkeypatch, tmp_path, f"[default]\noutput = {profile_output}\n")
    options = ["--output", option] if option else []
    result = invoke(*options, *create_member_args())
    if expected == "json":
        assert json.loads(result.stdout) == {"arn": arn()}
    else:
        assert result.stdout == arn() + "\n"


@pytest.mark.parametrize("source", ["env", "profile"])
def test_unknown_configured_output_is_a_config_error_and_sends_nothing(
    invoke: Invoke, aws: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, source: str
) -> None:
    if source == "env":
        monkeypatch.setenv("AWS_DEFAULT_OUTPUT", "xml")
    else:
        write_aws_config(monkeypatch, tmp_path, "[default]\noutput = xml\n")
    result = invoke(*create_member_args(), rc=253)
    assert one_line_error(result) == "Unknown output type: xml"
    assert aws.stats()["total"] == 0  # the member was not created behind the error's back


@POSITIONS
def test_unknown_output_option_is_a_usage_error(invoke: Invoke, aws: Any, where: str) -> None:
    result = invoke(*place(where, ["--output", "xml"], ["list-members"]), rc=252)
    assert result.stdout == ""
    assert (
        "Invalid value for '--output': 'xml' is not one of 'json', 'text', 'table', 'yaml', 'yaml-stream', 'csv'."
        in result.stderr
    )
    no_traceback(result)
    assert aws.stats()["total"] == 0


def test_the_last_output_option_wins(invoke: Invoke, aws: Any) -> None:
    result = invoke("--output", "json", *create_member_args(), "--output", "text")
    assert result.stdout == arn() + "\n"


# --------------------------------------------------------------------------------------------
# --query
# --------------------------------------------------------------------------------------------


@POSITIONS
def test_query(invoke: Invoke, two_members: Any, where: str) -> None:
    args = ["list-members", "--only-associated", "false"]
    result = invoke(*place(where, ["--query", "members[].accountId"], args))
    assert json.loads(result.stdout) == [ACCT, ACCT2]
    result = invoke(
        *place(where, ["--query", "members[0].relationshipStatus", "--output", "text"], args)
    )
    assert result.stdout == "Created\n"
    assert result.stderr == ""


@POSITIONS
def test_bad_query_is_a_usage_error_and_sends_nothing(invoke: Invoke, aws: Any, where: str) -> None:
    result = invoke(*place(where, ["--query", "members[?"], ["list-members"]), rc=252)
    assert result.stdout == ""
    assert "Bad value for --query members[?" in result.stderr
    no_traceback(result)
    assert aws.stats()["total"] == 0


def test_query_failing_on_the_result_is_a_usage_error(invoke: Invoke, two_members: Any) -> None:
    result = invoke("list-members", "--query", "abs(members)", rc=252)
    assert "Bad value for --query abs(members)" in one_line_error(result)


# --------------------------------------------------------------------------------------------
# --debug
# --------------------------------------------------------------------------------------------


@pytest.fixture
def secret_credentials(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", SECRET)
    monkeypatch.setenv("AWS_SESSION_TOKEN", TOKEN)


def assert_no_secrets(result: Result) -> None:
    for stream in (result.stdout, result.stderr):
        assert SECRET not in stream
        assert TOKEN not in stream
        assert not re.search(r"Signature=[0-9a-fA-F]{8,}", stream)


@POSITIONS
def test_debug_logs_to_stderr_without_secrets(
    invoke: Invoke, aws: Any, secret_credentials: None, where: str
) -> None:
    result = invoke(*place(where, ["--debug"], create_member_args()))
    assert json.loads(result.stdout) == {"arn": arn()}  # the log stays out of stdout
    assert "DEBUG" in result.stderr
    assert "botocore" in result.stderr
    assert "CreateMember" in result.stderr
    assert "Signature=***REDACTED***" in result.stderr  # it was there, and it was redacted
    assert_no_secrets(result)
    result = invoke(*place(where, ["--debug"], ["list-members", "--only-associated", "false"]))
    assert json.loads(result.stdout)["members"][0]["accountId"] == ACCT
    assert_no_secrets(result)


def test_no_debug_no_log(invoke: Invoke, aws: Any) -> None:
    result = invoke("list-members")
    assert result.stderr == ""


def test_debug_never_logs_the_bare_signature(
    invoke: Invoke, aws: Any, secret_credentials: None
) -> None:
    result = invoke("--debug", "list-members")
    assert not re.search(r"Signature:\s*\n\s*[0-9a-f]{64}\b", result.stderr)


def test_debug_shows_the_traceback_of_an_error(invoke: Invoke, aws: Any) -> None:
    result = invoke("--debug", "delete-member", "--id", ACCT, rc=254)
    assert "Traceback" in result.stderr
    assert (
        "An error occurred (ResourceNotFoundException) when calling the DeleteMember operation"
        in result.stderr
    )


# --------------------------------------------------------------------------------------------
# --no-paginate, --no-cli-pager
# --------------------------------------------------------------------------------------------

MANY = [f"{100000000000 + i}" for i in range(26)]  # one more than a page


@POSITIONS
def test_no_paginate_makes_one_request(invoke: Invoke, aws: Any, where: str) -> None:
    admin = admin_client(aws.url)
    for account in MANY:
        admin.create_member(account={"accountId": account, "email": EMAIL})
    args = ["list-members", "--only-associated", "false"]
    before = aws.stats()["requests"].get("ListMembers", 0)
    full = json.loads(invoke(*args).stdout)
    assert [m["accountId"] for m in full["members"]] == MANY
    assert "nextToken" not in full
    middle = aws.stats()["requests"]["ListMembers"]
    assert middle - before == 2

    single = json.loads(invoke(*place(where, ["--no-paginate"], args)).stdout)
    assert [m["accountId"] for m in single["members"]] == MANY[:25]
    assert single["nextToken"]
    assert aws.stats()["requests"]["ListMembers"] - middle == 1


@POSITIONS
def test_no_paginate_with_pagination_arguments_is_a_usage_error(
    invoke: Invoke, aws: Any, where: str
) -> None:
    result = invoke(*place(where, ["--no-paginate"], ["list-members", "--max-items", "3"]), rc=252)
    assert one_line_error(result) == (
        "Error during pagination: Cannot specify --no-paginate along with pagination arguments: --max-items"
    )
    assert aws.stats()["total"] == 0


@POSITIONS
def test_no_cli_pager_is_accepted(invoke: Invoke, two_members: Any, where: str) -> None:
    args = ["list-members", "--only-associated", "false"]
    plain = invoke(*args)
    paged = invoke(*place(where, ["--no-cli-pager"], args))
    assert paged.stdout == plain.stdout
    assert paged.stderr == ""


# --------------------------------------------------------------------------------------------
# --no-verify-ssl, --ca-bundle, AWS_CA_BUNDLE: against a TLS endpoint with a self-signed cert
# --------------------------------------------------------------------------------------------


class _FixedAnswer(http.server.BaseHTTPRequestHandler):
    requests: list[str]  # set per server class

    def do_GET(self) -> None:
        self.requests.append(self.path)
        body = b'{"members": []}'
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        pass


class TlsEndpoint:
    def __init__(self, directory: Path) -> None:
        from cryptography import x509
        from cryptography.hazmat.primitives import hashes, serialization
        from cryptography.hazmat.primitives.asymmetric import ec
        from cryptography.x509.oid import NameOID

        key = ec.generate_private_key(ec.SECP256R1())
        name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
        now = datetime.datetime.now(datetime.UTC)
        cert = (
            x509.CertificateBuilder()
            .subject_name(name)
            .issuer_name(name)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(days=1))
            .not_valid_after(now + datetime.timedelta(days=1))
            .add_extension(
                x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
                critical=False,
            )
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .sign(key, hashes.SHA256())
        )
        self.cert = directory / "cert.pem"
        self.cert.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
        key_file = directory / "key.pem"
        key_file.write_bytes(
            key.private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
        )
        self.requests: list[str] = []
        handler = type("Handler", (_FixedAnswer,), {"requests": self.requests})
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(self.cert, key_file)
        self.httpd.socket = context.wrap_socket(self.httpd.socket, server_side=True)
        self.url = f"https://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture(scope="module")
def _tls_endpoint(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TlsEndpoint]:
    endpoint = TlsEndpoint(tmp_path_factory.mktemp("tls"))
    try:
        yield endpoint
    finally:
        endpoint.close()


@pytest.fixture
def tls(_tls_endpoint: TlsEndpoint, monkeypatch: pytest.MonkeyPatch) -> TlsEndpoint:
    _tls_endpoint.requests.clear()
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    monkeypatch.setenv("AWS_MAX_ATTEMPTS", "1")
    monkeypatch.setenv("AWS_ENDPOINT_URL", _tls_endpoint.url)
    return _tls_endpoint


def test_self_signed_endpoint_fails_verification(invoke: Invoke, tls: TlsEndpoint) -> None:
    result = invoke("list-members", rc=255)
    line = one_line_error(result)
    assert line.startswith(f"SSL validation failed for {tls.url}/members")
    assert "CERTIFICATE_VERIFY_FAILED" in line


@POSITIONS
def test_no_verify_ssl(invoke: Invoke, tls: TlsEndpoint, where: str) -> None:
    result = invoke(*place(where, ["--no-verify-ssl"], ["list-members"]))
    assert json.loads(result.stdout) == {"members": []}
    no_traceback(result)  # urllib3's InsecureRequestWarning may be on stderr, as with the AWS CLI
    assert tls.requests == ["/members"]


@POSITIONS
def test_ca_bundle(invoke: Invoke, tls: TlsEndpoint, where: str) -> None:
    result = invoke(*place(where, ["--ca-bundle", str(tls.cert)], ["list-members"]))
    assert json.loads(result.stdout) == {"members": []}
    assert result.stderr == ""


def test_aws_ca_bundle(invoke: Invoke, tls: TlsEndpoint, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_CA_BUNDLE", str(tls.cert))
    assert json.loads(invoke("list-members").stdout) == {"members": []}


@POSITIONS
def test_nonexistent_ca_bundle_is_a_clean_error(
    invoke: Invoke, tls: TlsEndpoint, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, where: str
) -> None:
    monkeypatch.setenv("AWS_CA_BUNDLE", str(tls.cert))  # the option beats the variable
    missing = tmp_path / "no-such-bundle.pem"
    result = invoke(*place(where, ["--ca-bundle", str(missing)], ["list-members"]), rc=255)
    line = one_line_error(result)
    assert line.startswith(f"SSL validation failed for {tls.url}/members")
    assert "No such file or directory" in line
    assert tls.requests == []


# --------------------------------------------------------------------------------------------
# --cli-read-timeout, --cli-connect-timeout; connection refused
# --------------------------------------------------------------------------------------------


@pytest.fixture
def silent_endpoint(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A port that accepts connections (the kernel does) and never answers."""
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    monkeypatch.setenv("AWS_MAX_ATTEMPTS", "1")
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen(8)
        yield f"http://127.0.0.1:{sock.getsockname()[1]}"


@pytest.fixture
def unreachable_endpoint(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A port whose accept queue is full: Linux drops further SYNs, so connecting hangs."""
    abort = Path("/proc/sys/net/ipv4/tcp_abort_on_overflow")
    if not sys.platform.startswith("linux") or (
        abort.exists() and abort.read_text().strip() != "0"
    ):
        pytest.skip("relies on Linux dropping SYNs to a listener with a full accept queue")
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    monkeypatch.setenv("AWS_MAX_ATTEMPTS", "1")
    listener = socket.socket()
    fillers: list[socket.socket] = []
    try:
        listener.bind(("127.0.0.1", 0))
        listener.listen(0)
        for _ in range(3):
            filler = socket.socket()
            filler.setblocking(False)
            filler.connect_ex(listener.getsockname())
            fillers.append(filler)
        time.sleep(0.1)
        yield f"http://127.0.0.1:{listener.getsockname()[1]}"
    finally:
        for sock in [*fillers, listener]:
            sock.close()


@POSITIONS
def test_read_timeout(invoke: Invoke, silent_endpoint: str, where: str) -> None:
    start = time.monotonic()
    result = invoke(
        *place(
            where, ["--endpoint-url", silent_endpoint, "--cli-read-timeout", "1"], ["list-members"]
        ),
        rc=255,
    )
    assert time.monotonic() - start < 15  # not the default 60 s
    assert one_line_error(result) == f'Read timeout on endpoint URL: "{silent_endpoint}/members"'


@POSITIONS
def test_connect_timeout(invoke: Invoke, unreachable_endpoint: str, where: str) -> None:
    start = time.monotonic()
    result = invoke(
        *place(
            where,
            ["--endpoint-url", unreachable_endpoint, "--cli-connect-timeout", "1"],
            ["list-members"],
        ),
        rc=255,
    )
    assert time.monotonic() - start < 15
    assert (
        one_line_error(result)
        == f'Connect timeout on endpoint URL: "{unreachable_endpoint}/members"'
    )


@POSITIONS
@pytest.mark.parametrize("option", ["--cli-connect-timeout", "--cli-read-timeout"])
def test_connection_refused(
    invoke: Invoke, server: Any, monkeypatch: pytest.MonkeyPatch, where: str, option: str
) -> None:
    url = f"http://127.0.0.1:{closed_port()}"
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    result = invoke(*place(where, ["--endpoint-url", url, option, "2"], ["list-members"]), rc=255)
    assert one_line_error(result) == f'Could not connect to the endpoint URL: "{url}/members"'


@POSITIONS
@pytest.mark.parametrize("option", ["--cli-connect-timeout", "--cli-read-timeout"])
def test_negative_timeout_is_a_usage_error(
    invoke: Invoke, aws: Any, where: str, option: str
) -> None:
    result = invoke(*place(where, [option, "-1"], ["list-members"]), rc=252)
    assert result.stdout == ""
    assert (
        f"Invalid value for '{option}': must be 0 (blocking) or a positive number of seconds"
        in result.stderr
    )
    no_traceback(result)
    assert aws.stats()["total"] == 0


@pytest.mark.parametrize("option", ["--cli-connect-timeout", "--cli-read-timeout"])
def test_zero_timeout_means_blocking(invoke: Invoke, aws: Any, option: str) -> None:
    assert json.loads(invoke("list-members", option, "0").stdout) == {"members": []}


# --------------------------------------------------------------------------------------------
# --color, NO_COLOR; table width (on a real terminal: a pty)
# --------------------------------------------------------------------------------------------


@POSITIONS
@pytest.mark.parametrize(
    ("color", "no_color", "coloured"),
    [
        ("on", False, True),
        ("on", True, True),  # an explicit option beats the environment (no-color.org)
        ("off", False, False),
        ("auto", False, False),  # CliRunner's stdout is not a terminal
        (None, False, False),
    ],
)
def test_color_option(
    invoke: Invoke,
    two_members: Any,
    monkeypatch: pytest.MonkeyPatch,
    where: str,
    color: str | None,
    no_color: bool,
    coloured: bool,
) -> None:
    if no_color:
        monkeypatch.setenv("NO_COLOR", "1")
    options = ["--output", "table", *(["--color", color] if color else [])]
    result = invoke(*place(where, options, ["list-members", "--only-associated", "false"]))
    assert bool(ANSI.search(result.stdout)) is coloured
    assert "ListMembers" in result.stdout and ACCT in result.stdout


def test_color_does_not_apply_to_json(invoke: Invoke, two_members: Any) -> None:
    result = invoke("--color", "on", "list-members", "--only-associated", "false")
    assert not ANSI.search(result.stdout)
    json.loads(result.stdout)


def test_bad_color_is_a_usage_error(invoke: Invoke, aws: Any) -> None:
    result = invoke("--color", "always", "list-members", rc=252)
    assert "Invalid value for '--color'" in result.stderr
    assert result.stdout == ""


def run_on_terminal(args: Sequence[str], env: dict[str, str], columns: int) -> tuple[int, str, str]:
    """``python -m macie_members ARGS`` with stdout on a pty of ``columns`` columns."""
    import fcntl
    import pty
    import struct
    import termios

    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, columns, 0, 0))
    proc = subprocess.Popen(
        [sys.executable, "-m", "macie_members", *args],
        stdin=subprocess.DEVNULL,
        stdout=slave,
        stderr=subprocess.PIPE,
        env=env,
        cwd=ROOT,
    )
    os.close(slave)
    chunks: list[bytes] = []
    deadline = time.monotonic() + 60
    try:
        while time.monotonic() < deadline:
            ready, _, _ = select.select([master], [], [], 0.5)
            if not ready:
                if proc.poll() is not None:
                    break
                continue
            try:
                chunk = os.read(master, 65536)
            except OSError:  # EIO: the child closed its end
                break
            if not chunk:
                break
            chunks.append(chunk)
        proc.wait(timeout=60)
        assert proc.stderr is not None
        stderr = proc.stderr.read().decode()
        proc.stderr.close()
    finally:
        os.close(master)
    return proc.returncode, b"".join(chunks).decode().replace("\r\n", "\n"), stderr


@pytest.mark.posix
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="needs a pty")
@pytest.mark.parametrize(
    ("options", "no_color", "columns", "coloured"),
    [
        ([], False, 100, True),  # auto: colour on a terminal (the AWS CLI's rule for its tables)
        ([], True, 100, True),  # NO_COLOR: the AWS CLI does not read it (our own documents do)
        (["--color", "off"], False, 100, False),
        ([], False, 0, True),  # a terminal that reports no size: still a terminal
    ],
)
def test_table_on_a_terminal(
    two_members: Any, options: list[str], no_color: bool, columns: int, coloured: bool
) -> None:
    env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
    if no_color:
        env["NO_COLOR"] = "1"
    rc, out, err = run_on_terminal(
        ["list-members", "--only-associated", "false", "--output", "table", *options], env, columns
    )
    assert (rc, err) == (0, "")
    assert bool(ANSI.search(out)) is coloured
    plain = ANSI.sub("", out)
    assert ACCT in plain and ACCT2 in plain
    # The AWS CLI's table is as wide as its content (nothing wrapped): each member (with its
    # empty tags) is a section of one row, too wide for 100 columns (or for a terminal without
    # a size), so drawn vertically, one "key | value" row per field.
    assert {len(line) for line in plain.splitlines()} == {91}
    assert not [line for line in plain.splitlines() if "accountId" in line and "email" in line]
    assert plain.count("|  accountId ") == 2


# --------------------------------------------------------------------------------------------
# --version
# --------------------------------------------------------------------------------------------

VERSION_RE = re.compile(r"macie-members/\d+\.\d+\.\d+\S* Python/\d+\.\d+\.\d+ \S+/\S* botocore/\d+\.\d+\.\d+\S*\n")


@pytest.mark.parametrize(
    "args",
    [
        ["--version"],
        ["list-members", "--version"],
        ["--version", "list-members"],
        ["delete-member", "--version"],
    ],
)
def test_version(invoke: Invoke, args: list[str]) -> None:
    result = invoke(*args)
    assert VERSION_RE.fullmatch(result.stdout), result.stdout
    assert result.stderr == ""


def test_version_names_the_installed_botocore(invoke: Invoke) -> None:
    from importlib.metadata import version

    assert invoke("--version").stdout.rstrip().endswith(f" botocore/{version('botocore')}")


def test_version_module_entry_point() -> None:
    proc = run_module("--version")
    assert proc.returncode == 0
    assert VERSION_RE.fullmatch(proc.stdout), proc.stdout
    assert proc.stderr == ""




def test_a_bad_query_is_said_once(nowhere: None) -> None:
    result = run("list-members", "--query", "members[?")
    refused(result, "Bad value for --query members[?")
    assert result.stderr.count("--query") == 1 + result.stderr.count("Try 'macie-members")
