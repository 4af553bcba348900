"""``--query`` over timestamps, and ``cli_timestamp_format``, against the real AWS CLI on the
same sandbox server state: both CLIs run JMESPath over the timestamps as strings, in the
configured format (``iso8601``, v2's default and ours; ``wire``, as the service sent them)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.support.awscli_support import ADMIN, accept, cli_env, run_aws, run_ours, standard_state
from tests.support.helpers import admin_client, member_client

pytestmark = pytest.mark.awscli

QUERIES = [
    ["list-members", "--only-associated", "false", "--query", "sort_by(members,&updatedAt)[-1].accountId"],
    ["list-members", "--only-associated", "false", "--query", "max_by(members,&updatedAt).accountId"],
    ["list-members", "--only-associated", "false", "--query", "members[?invitedAt && starts_with(invitedAt,'20')].accountId"],
    ["list-members", "--only-associated", "false", "--query", "sort(members[].updatedAt)"],
    ["list-members", "--only-associated", "false", "--query", "length(members[?invitedAt])"],
    ["list-members", "--only-associated", "false", "--query", "members[0].[to_string(updatedAt), type(updatedAt)]"],
    ["list-members", "--only-associated", "false", "--query", "members[].updatedAt", "--output", "text"],
    ["get-member", "--id", "111111111111", "--query", "[updatedAt, invitedAt]"],
]


def written(tmp_path: Path, url: str, timestamp_format: str) -> dict[str, str]:
    env = cli_env(url, tmp_path)
    Path(env["AWS_CONFIG_FILE"]).write_text(f"[default]\ncli_timestamp_format = {timestamp_format}\n")
    return env


@pytest.mark.parametrize("timestamp_format", ["iso8601", "wire"])
@pytest.mark.parametrize("args", QUERIES, ids=lambda a: " ".join(a[1:])[:60])
def test_queries_over_timestamps(sandbox_server: Any, tmp_path: Path, args: list[str], timestamp_format: str) -> None:
    standard_state(sandbox_server.url)
    env = written(tmp_path, sandbox_server.url, timestamp_format)
    theirs, ours = run_aws(["macie2", *args], env), run_ours(args, env)
    assert theirs.rc == 0, theirs.stderr
    assert (ours.rc, ours.stdout) == (0, theirs.stdout), ours.stderr


@pytest.mark.parametrize("timestamp_format", ["iso8601", "wire"])
def test_timestamps_print_in_the_configured_format(sandbox_server: Any, tmp_path: Path, timestamp_format: str) -> None:
    standard_state(sandbox_server.url)
    env = written(tmp_path, sandbox_server.url, timestamp_format)
    for args in (["list-members", "--only-associated", "false"], ["get-member", "--id", "111111111111"],
                 ["list-members", "--output", "text"]):
        theirs, ours = run_aws(["macie2", *args], env), run_ours(args, env)
        assert (ours.rc, ours.stdout) == (theirs.rc, theirs.stdout), args
    if timestamp_format == "wire":
        assert "Z" in ours.stdout  # the sandbox writes its timestamps with a Z, as Macie


def test_member_side_queries_over_timestamps(sandbox_server: Any, tmp_path: Path) -> None:
    """list-invitations and get-administrator-account with the member's own credentials."""
    url = sandbox_server.url
    admin = admin_client(url)
    admin.create_member(account={"accountId": "111111111111", "email": "a@example.com"})
    admin.create_invitations(accountIds=["111111111111"])
    accept(url, "111111111111")
    creds = member_client(url, "111111111111")._request_signer._credentials.get_frozen_credentials()
    env = cli_env(url, tmp_path, AWS_ACCESS_KEY_ID=creds.access_key, AWS_SECRET_ACCESS_KEY=creds.secret_key,
                  AWS_SESSION_TOKEN=creds.token)
    for args in (["list-invitations", "--query", "sort_by(invitations,&invitedAt)[0].accountId"],
                 ["get-administrator-account", "--query", "starts_with(administrator.invitedAt, '20')"]):
        theirs, ours = run_aws(["macie2", *args], env), run_ours(args, env)
        assert theirs.rc == 0, theirs.stderr
        assert (ours.rc, ours.stdout) == (0, theirs.stdout), ours.stderr
    assert ADMIN in run_ours(["list-invitations", "--query", "invitations[].accountId"], env).stdout


def test_across_regions_the_query_sees_strings(sandbox_server: Any, tmp_path: Path) -> None:
    standard_state(sandbox_server.url)
    env = written(tmp_path, sandbox_server.url, "iso8601")
    ours = run_ours(["list-members", "--only-associated", "false", "--regions", "us-east-1,eu-west-1",
                     "--query", "regions[0].members | sort_by(@, &updatedAt)[-1].accountId"], env)
    theirs = run_aws(["macie2", "list-members", "--only-associated", "false",
                      "--query", "sort_by(members,&updatedAt)[-1].accountId"], env)
    assert (ours.rc, ours.stdout) == (0, theirs.stdout), ours.stderr


def test_an_unknown_timestamp_format_is_a_configuration_error(sandbox_server: Any, tmp_path: Path) -> None:
    env = written(tmp_path, sandbox_server.url, "epoch")
    ours = run_ours(["list-members"], env)
    assert ours.rc == 253 and ours.stdout == ""
    assert ours.stderr.strip().splitlines() == [
        'Unknown cli_timestamp_format value: epoch, valid values are "wire" or "iso8601"']
