"""The CLI layer end to end: global options, exit codes, help, startup, the embedded sandbox,
``--cli-input-json`` and the client-side checks.

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

import click
import pytest
from click.testing import CliRunner, Result

from macie_members.cli import cli

from .awscli_support import admin_client

ROOT = Path(__file__).resolve().parent.parent
ACCT = "111111111111"
ACCT2 = "222222222222"
EMAIL = "jane@example.com"
SECRET = "verysecretkey123456"
TOKEN = "faketoken-ABCDEFGH12345"
ANSI = re.compile(r"\x1b\[[0-9;]*m")

Invoke = Callable[..., Result]

# --------------------------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------------------------


def place(where: str, options: Sequence[str], command: Sequence[str]) -> list[str]:
    """Global ``options`` before or after the command (name and its own arguments)."""
    return [*options, *command] if where == "before" else [*command, *options]


POSITIONS = pytest.mark.parametrize("where", ["before", "after"])


def no_traceback(result: Result | subprocess.CompletedProcess[str]) -> None:
    assert "Traceback" not in result.stdout
    assert "Traceback" not in result.stderr


def one_line_error(result: Result | subprocess.CompletedProcess[str]) -> str:
    """The only non-blank line of stderr; stdout is empty and there is no traceback."""
    no_traceback(result)
    assert result.stdout == ""
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    return lines[0]


def arn_region(result: Result) -> str:
    return str(json.loads(result.stdout)["arn"].split(":")[3])


def create_member_args(account: str = ACCT, email: str = EMAIL) -> list[str]:
    return ["create-member", "--account", f"accountId={account},email={email}"]


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def run_module(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "macie_members", *args],
        capture_output=True,
        text=True,
        timeout=120,
        env=dict(os.environ) if env is None else env,
        cwd=ROOT,
    )


@pytest.fixture
def server(sandbox_server: Any, monkeypatch: pytest.MonkeyPatch) -> Any:
    """The sandbox server with fake credentials in the environment (no endpoint, no region)."""
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_MAX_ATTEMPTS", "1")
    return sandbox_server


@pytest.fixture
def aws(server: Any, monkeypatch: pytest.MonkeyPatch) -> Any:
    """``server``, reached through AWS_ENDPOINT_URL, in us-east-1."""
    monkeypatch.setenv("AWS_ENDPOINT_URL", server.url)
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    return server


def write_aws_config(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, text: str) -> None:
    config = tmp_path / "aws-config"
    config.write_text(text)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(config))


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


def _arn(region: str = "us-east-1", account: str = ACCT) -> str:
    return f"arn:aws:macie2:{region}:123456789012:member/{account}"


@POSITIONS
@pytest.mark.parametrize("output", ["json", "text", "table"])
def test_output_option(invoke: Invoke, aws: Any, where: str, output: str) -> None:
    result = invoke(*place(where, ["--output", output], create_member_args()))
    assert result.stderr == ""
    if output == "json":
        assert json.loads(result.stdout) == {"arn": _arn()}
    elif output == "text":
        assert result.stdout == _arn() + "\n"
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
        assert json.loads(result.stdout) == {"arn": _arn()}
    else:
        assert result.stdout == _arn() + "\n"


@pytest.mark.parametrize("source", ["env", "profile"])
def test_unknown_configured_output_is_a_config_error_and_sends_nothing(
    invoke: Invoke, aws: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, source: str
) -> None:
    if source == "env":
        monkeypatch.setenv("AWS_DEFAULT_OUTPUT", "yaml")
    else:
        write_aws_config(monkeypatch, tmp_path, "[default]\noutput = yaml\n")
    result = invoke(*create_member_args(), rc=253)
    assert one_line_error(result) == "Unknown output type: yaml"
    assert aws.stats()["total"] == 0  # the member was not created behind the error's back


@POSITIONS
def test_unknown_output_option_is_a_usage_error(invoke: Invoke, aws: Any, where: str) -> None:
    result = invoke(*place(where, ["--output", "yaml"], ["list-members"]), rc=252)
    assert result.stdout == ""
    assert (
        "Invalid value for '--output': 'yaml' is not one of 'json', 'text', 'table', 'csv'."
        in result.stderr
    )
    no_traceback(result)
    assert aws.stats()["total"] == 0


def test_the_last_output_option_wins(invoke: Invoke, aws: Any) -> None:
    result = invoke("--output", "json", *create_member_args(), "--output", "text")
    assert result.stdout == _arn() + "\n"


# --------------------------------------------------------------------------------------------
# --query
# --------------------------------------------------------------------------------------------


@pytest.fixture
def two_members(aws: Any) -> Any:
    admin = admin_client(aws.url)
    for account in (ACCT2, ACCT):
        admin.create_member(account={"accountId": account, "email": EMAIL})
    return aws


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
    assert json.loads(result.stdout) == {"arn": _arn()}  # the log stays out of stdout
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

VERSION_RE = re.compile(r"macie-members/\d+\.\d+\.\d+\S* Python/\d+\.\d+\.\d+ \S+/\S*\n")


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


def test_version_module_entry_point() -> None:
    proc = run_module("--version")
    assert proc.returncode == 0
    assert VERSION_RE.fullmatch(proc.stdout), proc.stdout
    assert proc.stderr == ""


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
        (["list-members", "--output", "yaml"], "'yaml' is not one of 'json', 'text', 'table', 'csv'"),
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


# --------------------------------------------------------------------------------------------
# Help: every command shows examples
# --------------------------------------------------------------------------------------------


def _command_paths(
    group: click.Group = cli, prefix: tuple[str, ...] = ()
) -> Iterator[tuple[str, ...]]:
    yield prefix
    for name in sorted(group.commands):
        command = group.commands[name]
        if isinstance(command, click.Group):
            yield from _command_paths(command, (*prefix, name))
        else:
            yield (*prefix, name)


@pytest.mark.parametrize(
    "path", list(_command_paths()), ids=lambda p: " ".join(p) or "macie-members"
)
def test_help_shows_examples(invoke: Invoke, path: tuple[str, ...]) -> None:
    result = invoke(*path, "--help")
    assert result.stderr == ""
    assert "Examples:" in result.stdout
    examples = result.stdout.split("Examples:", 1)[1]
    wanted = " ".join(path) or "macie-members"
    assert any(
        line.strip().startswith("macie-members") and wanted in line
        for line in examples.splitlines()
    ), examples


@pytest.mark.parametrize(
    "name", sorted(name for name, c in cli.commands.items() if not isinstance(c, click.Group))
)
def test_command_help_lists_the_global_options(invoke: Invoke, name: str) -> None:
    result = invoke(name, "-h")
    for option in (
        "--region",
        "--profile",
        "--endpoint-url",
        "--output",
        "--query",
        "--debug",
        "--version",
    ):
        assert option in result.stdout


# --------------------------------------------------------------------------------------------
# Startup: --help and --version load neither boto3, botocore, rich nor moto
# --------------------------------------------------------------------------------------------

_MODULES_AFTER = """
import json, sys
from macie_members.cli import main
code = None
try:
    main(sys.argv[2:])
except SystemExit as exc:
    code = exc.code
with open(sys.argv[1], "w") as out:
    json.dump({"code": code, "modules": sorted(sys.modules)}, out)
"""


@pytest.mark.parametrize(
    "args", [["--help"], ["--version"], ["list-members", "--help"], ["sandbox", "--help"]]
)
def test_startup_imports_nothing_heavy(tmp_path: Path, args: list[str]) -> None:
    report = tmp_path / "modules.json"
    proc = subprocess.run(
        [sys.executable, "-c", _MODULES_AFTER, str(report), *args],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""
    assert proc.stdout
    data = json.loads(report.read_text())
    assert data["code"] == 0
    heavy = sorted(
        m for m in data["modules"] if m.split(".")[0] in {"boto3", "botocore", "rich", "moto"}
    )
    assert heavy == []
    assert "macie_members.cli" in data["modules"]  # the probe did run the CLI


# --------------------------------------------------------------------------------------------
# The embedded sandbox (--sandbox, MACIE_MEMBERS_SANDBOX)
# --------------------------------------------------------------------------------------------


@pytest.fixture
def state(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "state" / "sandbox.json"
    monkeypatch.setenv("MACIE_MEMBERS_SANDBOX_STATE", str(path))
    return path


@pytest.mark.parametrize(
    ("how", "where"), [("option", "before"), ("option", "after"), ("env", None)]
)
def test_embedded_sandbox_story(
    invoke: Invoke, state: Path, monkeypatch: pytest.MonkeyPatch, how: str, where: str | None
) -> None:
    """No credentials, no region: create, invite, accept as the member, list (Enabled)."""
    monkeypatch.setenv("MACIE_MEMBERS_SANDBOX_VERIFICATION_DELAY", "0")  # no wait for Invited
    if how == "env":
        monkeypatch.setenv("MACIE_MEMBERS_SANDBOX", "1")

    def run(*command: str) -> Result:
        args = list(command) if how == "env" else place(str(where), ["--sandbox"], command)
        return invoke(*args)

    assert json.loads(run(*create_member_args()).stdout) == {"arn": _arn()}
    assert json.loads(run("create-invitations", "--account-ids", ACCT).stdout) == {
        "unprocessedAccounts": []
    }
    accepted = json.loads(run("sandbox", "accept", "--account", ACCT).stdout)
    assert accepted == {
        "accountId": ACCT,
        "region": "us-east-1",
        "administratorAccountId": "123456789012",
        "accepted": True,
    }
    assert ACCT in state.read_text()

    # A separate process sees the same story: the state is in the file.
    env = dict(os.environ)
    for name in [
        n
        for n in env
        if n.startswith("AWS_") and n not in ("AWS_CONFIG_FILE", "AWS_SHARED_CREDENTIALS_FILE")
    ]:
        del env[name]
    sandbox_args = ["--sandbox"] if how == "option" else []
    proc = run_module(
        *sandbox_args,
        "list-members",
        "--query",
        "members[].[accountId,relationshipStatus]",
        "--output",
        "text",
        env=env,
    )
    assert (proc.returncode, proc.stdout, proc.stderr) == (0, f"{ACCT}\tEnabled\n", "")


def test_sandbox_state_option_beats_the_environment(
    invoke: Invoke, state: Path, tmp_path: Path
) -> None:
    other = tmp_path / "other.json"
    invoke("--sandbox", "--sandbox-state", str(other), *create_member_args())
    assert ACCT in other.read_text()
    assert not state.exists()
    listed = invoke(
        "--sandbox", "list-members", "--only-associated", "false", "--sandbox-state", str(other)
    )
    assert [m["accountId"] for m in json.loads(listed.stdout)["members"]] == [ACCT]


def test_sandbox_reset(invoke: Invoke, state: Path) -> None:
    invoke("--sandbox", *create_member_args())
    assert state.exists()
    result = invoke("sandbox", "reset")
    assert result.stdout == ""
    assert result.stderr == f"Sandbox state reset ({state}).\n"
    assert not state.exists()
    listed = invoke("--sandbox", "list-members", "--only-associated", "false")
    assert json.loads(listed.stdout) == {"members": []}


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"garbage", "is corrupt (not JSON"),
        (b"\xff\xfe\x00\x01", "can't be read"),
        (b"[1, 2]", "is corrupt (expected a JSON object with version 1)"),
        (b'{"version": 99, "accounts": {}}', "is corrupt (expected a JSON object with version 1)"),
        (b'{"version": 1}', "is corrupt ('accounts' is missing)"),
        (b'{"version": 1, "accounts": {"123456789012": 5}}', "is corrupt (TypeError"),
        (
            b'{"version": 1, "accounts": {"123456789012": {"us-east-1": {"members": 7}}}}',
            "is corrupt (",
        ),
        (None, "is a directory"),
    ],
)
def test_corrupt_sandbox_state_is_a_one_line_config_error(
    invoke: Invoke, state: Path, content: bytes | None, message: str
) -> None:
    state.parent.mkdir(parents=True)
    if content is None:
        state.mkdir()
    else:
        state.write_bytes(content)
    result = invoke("--sandbox", "list-members", rc=253)
    line = one_line_error(result)
    assert line.startswith(f"The sandbox state file {state} ")
    assert message in line
    if content is not None:
        assert state.read_bytes() == content  # left as it was, for the user to look at


def test_corrupt_sandbox_state_then_reset(invoke: Invoke, state: Path) -> None:
    # reset deletes only a sandbox state file: a truncated one still is (tests/test_sandbox_state.py).
    invoke("--sandbox", *create_member_args())
    state.write_bytes(state.read_bytes()[:60])
    invoke("--sandbox", *create_member_args(), rc=253)
    invoke("sandbox", "reset")
    assert json.loads(invoke("--sandbox", *create_member_args()).stdout) == {"arn": _arn()}


# --------------------------------------------------------------------------------------------
# --cli-input-json, --generate-cli-skeleton
# --------------------------------------------------------------------------------------------


def members_of(url: str) -> dict[str, dict[str, Any]]:
    members = admin_client(url).list_members(onlyAssociated="false")["members"]
    return {m["accountId"]: m for m in members}


def test_cli_input_json_merges_and_options_win(invoke: Invoke, aws: Any) -> None:
    document = {"account": {"accountId": ACCT, "email": EMAIL}, "tags": {"team": "security"}}
    result = invoke(
        "create-member",
        "--cli-input-json",
        json.dumps(document),
        "--account",
        f"accountId={ACCT2},email=bob@example.com",
    )
    assert json.loads(result.stdout) == {"arn": _arn(account=ACCT2)}
    members = members_of(aws.url)
    assert list(members) == [ACCT2]
    assert members[ACCT2]["email"] == "bob@example.com"
    assert members[ACCT2]["tags"] == {"team": "security"}  # kept from --cli-input-json


def test_cli_input_json_from_a_file_supplies_required_options(
    invoke: Invoke, aws: Any, tmp_path: Path
) -> None:
    admin_client(aws.url).create_member(account={"accountId": ACCT, "email": EMAIL})
    document = tmp_path / "input.json"
    document.write_text(json.dumps({"id": ACCT}))
    result = invoke("delete-member", "--cli-input-json", f"file://{document}")
    assert (result.stdout, result.stderr) == ("", "")
    assert members_of(aws.url) == {}


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ('["not", "an", "object"]', "expected a JSON object, received a JSON array"),
        ("{broken", "Error parsing parameter 'cli-input-json': Invalid JSON"),
        ('{"id": "12"}', "Invalid value for parameter id, value: 12"),
        ('{"id": 111111111111}', "Invalid type for parameter id"),
    ],
)
def test_bad_cli_input_json(invoke: Invoke, aws: Any, value: str, message: str) -> None:
    result = invoke("delete-member", "--cli-input-json", value, rc=252)
    assert result.stdout == ""
    assert message in result.stderr
    no_traceback(result)
    assert aws.stats()["total"] == 0


def test_generate_cli_skeleton_needs_no_configuration(invoke: Invoke) -> None:
    """No credentials, no region, no endpoint: nothing is sent."""
    result = invoke("update-member-session", "--generate-cli-skeleton")
    assert json.loads(result.stdout) == {"id": "", "status": "PAUSED"}
    result = invoke("create-member", "--generate-cli-skeleton", "input")
    skeleton = json.loads(result.stdout)
    assert set(skeleton) == {"account", "tags"}
    assert set(skeleton["account"]) == {"accountId", "email"}


@pytest.mark.parametrize(
    ("command", "required"),
    [
        (["delete-member"], "--id"),
        (["create-member"], "--account"),
        (["update-member-session", "--id", ACCT], "--status"),
        (["create-invitations"], "--account-ids"),
    ],
)
def test_generate_cli_skeleton_output_requires_the_required_options(
    invoke: Invoke, aws: Any, command: list[str], required: str
) -> None:
    result = invoke(*command, "--generate-cli-skeleton", "output", rc=252)
    assert result.stdout == ""
    assert f"the following arguments are required: {required}" in result.stderr
    no_traceback(result)
    assert aws.stats()["total"] == 0


def test_generate_cli_skeleton_output_sends_nothing(invoke: Invoke, aws: Any) -> None:
    result = invoke(*create_member_args(), "--generate-cli-skeleton", "output")
    assert json.loads(result.stdout) == {"arn": "arn"}
    assert aws.stats()["total"] == 0
    assert members_of(aws.url) == {}


def test_bad_skeleton_choice(invoke: Invoke) -> None:
    result = invoke("delete-member", "--generate-cli-skeleton", "yaml", rc=252)
    assert "Invalid value for '--generate-cli-skeleton'" in result.stderr


# --------------------------------------------------------------------------------------------
# Client-side checks (macie_members.inputs.checks): exit 252, nothing sent
# --------------------------------------------------------------------------------------------

_TAGS_51 = json.dumps({f"k{i}": "v" for i in range(51)})
_TAGS_50 = json.dumps({f"k{i}": "v" for i in range(50)})


@pytest.mark.parametrize(
    ("args", "problems"),
    [
        (
            create_member_args("11111111111"),
            ["Invalid value for parameter account.accountId, value: 11111111111"],
        ),
        (
            create_member_args("11111111111a"),
            ["Invalid value for parameter account.accountId, value: 11111111111a"],
        ),
        (
            create_member_args(email="jane.example.com"),
            ["Invalid value for parameter account.email, value: jane.example.com"],
        ),
        (
            create_member_args(email="jane@localhost"),
            ["Invalid value for parameter account.email, value: jane@localhost"],
        ),
        (
            create_member_args("1", "x"),
            [
                "Invalid value for parameter account.accountId, value: 1,",
                "Invalid value for parameter account.email, value: x,",
            ],
        ),
        (
            [*create_member_args(), "--tags", _TAGS_51],
            ["Invalid length for parameter tags, value: 51, valid max length: 50"],
        ),
        (
            [*create_member_args(), "--tags", f"{'k' * 129}=v"],
            ["Invalid length for parameter tags key"],
        ),
        (
            [*create_member_args(), "--tags", f"team={'v' * 257}"],
            ["Invalid length for parameter tags.team, value: 257"],
        ),
        (
            ["create-invitations", "--account-ids", ACCT, "12345"],
            ["Invalid value for parameter accountIds[1], value: 12345"],
        ),
        (
            ["create-invitations", "--account-ids", '["abc"]'],
            ["Invalid value for parameter accountIds[0], value: abc"],
        ),
        (
            ["create-invitations", "--account-ids", ACCT, "--message", "m" * 81],
            ["Invalid length for parameter message, value: 81, valid max length: 80"],
        ),
        (
            ["update-member-session", "--id", "1234", "--status", "PAUSED"],
            ["Invalid value for parameter id, value: 1234"],
        ),
        (
            ["update-member-session", "--id", ACCT, "--status", "paused"],
            ["Invalid value for parameter status, value: paused, valid choices: PAUSED, ENABLED"],
        ),
        (["disassociate-member", "--id", "me"], ["Invalid value for parameter id, value: me"]),
        (
            ["delete-member", "--id", "1111111111111"],
            ["Invalid value for parameter id, value: 1111111111111"],
        ),
        (
            ["list-members", "--only-associated", "yes"],
            ["Invalid value for parameter onlyAssociated, value: yes, valid choices: true, false"],
        ),
        (
            ["list-members", "--page-size", "0"],
            ["Invalid value for parameter maxResults, value: 0, valid range: 1-25"],
        ),
        (
            ["list-members", "--page-size", "26"],
            ["Invalid value for parameter maxResults, value: 26, valid range: 1-25"],
        ),
        (
            ["list-members", "--max-results", "26"],
            ["Invalid value for parameter maxResults, value: 26, valid range: 1-25"],
        ),
    ],
)
def test_client_side_checks_exit_252_and_send_nothing(
    invoke: Invoke, aws: Any, args: list[str], problems: list[str]
) -> None:
    result = invoke(*args, rc=252)
    assert result.stdout == ""
    no_traceback(result)
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert lines[0] == "Parameter validation failed:"
    assert len(lines) == 1 + len(problems), result.stderr
    for problem, line in zip(problems, lines[1:], strict=True):
        assert line.startswith(problem), line
    assert aws.stats()["total"] == 0


def invoke_any_rc(args: list[str]) -> Result:
    """Run a command that may succeed or be refused by the service (0 or 254), never 252."""
    result = CliRunner().invoke(cli, args, catch_exceptions=False)
    assert result.exit_code in (0, 254), (result.exit_code, result.stdout, result.stderr)
    no_traceback(result)
    return result


@pytest.mark.parametrize(
    ("args", "operation"),
    [
        ([*create_member_args(), "--tags", _TAGS_50], "CreateMember"),
        ([*create_member_args(), "--tags", f"{'k' * 128}={'v' * 256}"], "CreateMember"),
        (["create-invitations", "--account-ids", ACCT, "--message", "m" * 80], "CreateInvitations"),
        (["list-members", "--page-size", "25"], "ListMembers"),
        (["list-members", "--page-size", "1", "--only-associated", "false"], "ListMembers"),
        (["update-member-session", "--id", ACCT, "--status", "ENABLED"], "UpdateMemberSession"),
    ],
)
def test_values_at_the_limits_are_sent(aws: Any, args: list[str], operation: str) -> None:
    result = invoke_any_rc(args)
    assert "Parameter validation failed" not in result.stderr
    assert aws.stats()["requests"].get(operation) == 1
