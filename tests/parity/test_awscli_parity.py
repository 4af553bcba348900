"""The real AWS CLI and macie-members, same command, same sandbox server state, same stdout.

The AWS CLI on PyPI is v1; it runs with ``cli_timestamp_format = iso8601`` (v2's default).
Exit codes differ by design (v1: 255 for what v2 and macie-members answer with 252 or 254),
so the comparison is: both succeed or both fail, and stdout is equal as JSON (as text for
``--output text``).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.support.awscli_support import (
    CREATED,
    ENABLED,
    INVITED,
    PAUSED,
    REMOVED,
    cli_env,
    run_aws,
    run_ours,
    snapshot,
    standard_state,
)
from tests.support.helpers import admin_client

pytestmark = pytest.mark.awscli

NEW = "777777777777"


def empty(url: str) -> None:
    pass


def with_new_created(url: str) -> None:
    admin_client(url).create_member(account={"accountId": NEW, "email": "new@example.com"})


def many(url: str) -> None:
    admin = admin_client(url)
    for n in range(7):
        admin.create_member(account={"accountId": f"{800000000000 + n}", "email": f"m{n}@example.com"})


Setup = Callable[[str], None]

# (id, arguments after "macie2", setup, mutating)
MUTATING: list[tuple[str, list[str], Setup]] = [
    ("create-shorthand", ["create-member", "--account", f"accountId={NEW},email=new@example.com"], empty),
    ("create-shorthand-spaces", ["create-member", "--account", f"accountId = {NEW} , email = new@example.com"], empty),
    ("create-json", ["create-member", "--account", json.dumps({"accountId": NEW, "email": "new@example.com"})], empty),
    ("create-tags", ["create-member", "--account", f"accountId={NEW},email=n@example.com", "--tags", "b=2,a=1"], empty),
    ("create-tags-json", ["create-member", "--account", f"accountId={NEW},email=n@example.com", "--tags", '{"k": "v w"}'], empty),
    ("create-file", ["create-member", "--account", "file://account.json"], empty),
    ("create-cli-input-json", ["create-member", "--cli-input-json", json.dumps({"account": {"accountId": NEW, "email": "c@example.com"}})], empty),
    ("create-cli-input-json-file", ["create-member", "--cli-input-json", "file://input.json"], empty),
    ("create-duplicate", ["create-member", "--account", f"accountId={ENABLED},email=x@example.com"], standard_state),
    ("create-bad-id", ["create-member", "--account", "accountId=123,email=x@example.com"], empty),
    ("create-malformed-shorthand", ["create-member", "--account", "accountId"], empty),
    ("create-bad-json", ["create-member", "--account", '{"accountId": "1"'], empty),
    ("create-unknown-key", ["create-member", "--account", json.dumps({"accountId": NEW, "email": "e@example.com", "foo": "x"})], empty),
    ("create-missing-email", ["create-member", "--account", f"accountId={NEW}"], empty),
    ("create-tag-list-value", ["create-member", "--account", f"accountId={NEW},email=e@example.com", "--tags", "k1=a,b"], empty),
    ("create-missing-file", ["create-member", "--account", "file://missing.json"], empty),
    ("invite-ids", ["create-invitations", "--account-ids", NEW, "999999999999"], with_new_created),
    ("invite-json", ["create-invitations", "--account-ids", json.dumps([NEW])], with_new_created),
    ("invite-flags", ["create-invitations", "--account-ids", NEW, "--disable-email-notification", "--message", "Hello"], with_new_created),
    ("invite-no-flag", ["create-invitations", "--account-ids", NEW, "--no-disable-email-notification"], with_new_created),
    ("invite-states", ["create-invitations", "--account-ids", ENABLED, PAUSED, INVITED, CREATED, REMOVED], standard_state),
    ("invite-long-message", ["create-invitations", "--account-ids", NEW, "--message", "x" * 81], with_new_created),
    ("invite-int-ids", ["create-invitations", "--account-ids", "[1, 2]"], with_new_created),
    ("pause", ["update-member-session", "--id", ENABLED, "--status", "PAUSED"], standard_state),
    ("pause-again", ["update-member-session", "--id", PAUSED, "--status", "PAUSED"], standard_state),
    ("resume-refused", ["update-member-session", "--id", PAUSED, "--status", "ENABLED"], standard_state),
    ("bad-status", ["update-member-session", "--id", ENABLED, "--status", "BOGUS"], standard_state),
    ("pause-unknown", ["update-member-session", "--id", "999999999999", "--status", "PAUSED"], standard_state),
    ("pause-created", ["update-member-session", "--id", CREATED, "--status", "PAUSED"], standard_state),
    ("disassociate", ["disassociate-member", "--id", ENABLED], standard_state),
    ("disassociate-unknown", ["disassociate-member", "--id", "999999999999"], standard_state),
    ("disassociate-created", ["disassociate-member", "--id", CREATED], standard_state),
    ("delete-enabled", ["delete-member", "--id", ENABLED], standard_state),
    ("delete-removed", ["delete-member", "--id", REMOVED], standard_state),
    ("delete-unknown", ["delete-member", "--id", "999999999999"], standard_state),
    ("delete-input-json", ["delete-member", "--cli-input-json", json.dumps({"id": CREATED})], standard_state),
    ("delete-input-json-unknown-key", ["delete-member", "--cli-input-json", json.dumps({"id": CREATED, "bogus": 1})], standard_state),
]

READ_ONLY: list[tuple[str, list[str], Setup]] = [
    ("list-default", ["list-members"], standard_state),
    ("list-all", ["list-members", "--only-associated", "false"], standard_state),
    ("list-empty", ["list-members"], empty),
    ("list-page-size", ["list-members", "--only-associated", "false", "--page-size", "2"], many),
    ("list-page-size-26", ["list-members", "--page-size", "26"], standard_state),
    ("list-max-items", ["list-members", "--only-associated", "false", "--max-items", "3"], many),
    ("list-max-items-page", ["list-members", "--only-associated", "false", "--max-items", "3", "--page-size", "2"], many),
    ("list-no-paginate", ["list-members", "--only-associated", "false", "--no-paginate"], many),
    ("list-max-results", ["list-members", "--only-associated", "false", "--max-results", "2"], many),
    ("list-query", ["list-members", "--only-associated", "false", "--query", "members[].[accountId,relationshipStatus]"], standard_state),
    ("list-query-length", ["list-members", "--query", "length(members)"], standard_state),
    ("list-query-missing", ["list-members", "--query", "nothing.here"], standard_state),
    ("list-input-json", ["list-members", "--cli-input-json", '{"onlyAssociated": "false"}'], standard_state),
    ("list-input-json-overridden", ["list-members", "--cli-input-json", '{"onlyAssociated": "false"}', "--only-associated", "true"], standard_state),
    ("list-only-associated-bad", ["list-members", "--only-associated", "maybe"], standard_state),
    ("list-region-other", ["list-members", "--region", "eu-west-1"], standard_state),
    ("skeleton-create", ["create-member", "--generate-cli-skeleton"], empty),
    ("skeleton-invite", ["create-invitations", "--generate-cli-skeleton", "input"], empty),
    ("skeleton-delete", ["delete-member", "--generate-cli-skeleton"], empty),
    ("skeleton-disassociate", ["disassociate-member", "--generate-cli-skeleton"], empty),
    ("skeleton-list", ["list-members", "--generate-cli-skeleton"], empty),
    ("skeleton-output-create", ["create-member", "--account", f"accountId={NEW},email=e@example.com", "--generate-cli-skeleton", "output"], empty),
    ("skeleton-output-delete", ["delete-member", "--id", NEW, "--generate-cli-skeleton", "output"], empty),
    ("skeleton-output-list", ["list-members", "--generate-cli-skeleton", "output"], empty),
    ("skeleton-output-invite", ["create-invitations", "--account-ids", NEW, "--generate-cli-skeleton", "output"], empty),
]

TEXT: list[tuple[str, list[str], Setup]] = [
    ("text-list", ["list-members", "--only-associated", "false", "--output", "text"], standard_state),
    ("text-create", ["create-member", "--account", f"accountId={NEW},email=e@example.com", "--output", "text"], empty),
    ("text-invite", ["create-invitations", "--account-ids", NEW, "999999999999", "--output", "text"], with_new_created),
    ("text-query", ["list-members", "--query", "members[].accountId", "--output", "text"], standard_state),
    ("text-pages-query", ["list-members", "--only-associated", "false", "--page-size", "3", "--query", "members[].accountId", "--output", "text"], many),
    ("text-pages-index", ["list-members", "--only-associated", "false", "--page-size", "3", "--query", "members[1].email", "--output", "text"], many),
    ("text-max-items", ["list-members", "--only-associated", "false", "--max-items", "2", "--output", "text"], many),
    ("text-max-items-query", ["list-members", "--only-associated", "false", "--max-items", "4", "--page-size", "3", "--query", "members[].accountId", "--output", "text"], many),
    ("text-empty", ["list-members", "--output", "text"], empty),
    ("text-no-paginate", ["list-members", "--only-associated", "false", "--no-paginate", "--output", "text"], many),
    ("text-max-results", ["list-members", "--only-associated", "false", "--max-results", "2", "--output", "text"], many),
    ("text-invite-json-query", ["create-invitations", "--account-ids", "999999999999", "--query", "unprocessedAccounts[0].errorCode", "--output", "text"], empty),
]


def _files(tmp_path: Path) -> None:
    (tmp_path / "account.json").write_text(json.dumps({"accountId": NEW, "email": "file@example.com"}))
    (tmp_path / "input.json").write_text(json.dumps({"account": {"accountId": NEW, "email": "in@example.com"}, "tags": {"t": "1"}}))


def _same_stdout(aws: str, ours: str) -> None:
    if not aws.strip():
        assert ours == aws
        return
    assert json.loads(ours) == json.loads(aws)
    assert ours == aws, "same JSON, but not the same bytes"


@pytest.mark.parametrize(("args", "setup"), [pytest.param(a, s, id=i) for i, a, s in MUTATING])
def test_mutating_parity(sandbox_server: Any, tmp_path: Path, args: list[str], setup: Setup) -> None:
    _files(tmp_path)
    env = cli_env(sandbox_server.url, tmp_path)
    setup(sandbox_server.url)
    aws = run_aws(["macie2", *args], env, cwd=tmp_path)
    aws_state = snapshot(sandbox_server.url)
    sandbox_server.reset()
    setup(sandbox_server.url)
    ours = run_ours(args, env, cwd=tmp_path)
    ours_state = snapshot(sandbox_server.url)
    assert (aws.rc == 0) == (ours.rc == 0), f"aws rc {aws.rc}: {aws.stderr}\nours rc {ours.rc}: {ours.stderr}"
    _same_stdout(aws.stdout, ours.stdout)
    assert ours_state == aws_state
    if ours.rc:
        assert ours.stderr.strip() and "Traceback" not in ours.stderr
        assert ours.rc in (252, 253, 254)


@pytest.mark.parametrize(("args", "setup"), [pytest.param(a, s, id=i) for i, a, s in READ_ONLY])
def test_read_only_parity(sandbox_server: Any, tmp_path: Path, args: list[str], setup: Setup) -> None:
    env = cli_env(sandbox_server.url, tmp_path)
    setup(sandbox_server.url)
    aws = run_aws(["macie2", *args], env, cwd=tmp_path)
    ours = run_ours(args, env, cwd=tmp_path)
    assert (aws.rc == 0) == (ours.rc == 0), f"aws rc {aws.rc}: {aws.stderr}\nours rc {ours.rc}: {ours.stderr}"
    _same_stdout(aws.stdout, ours.stdout)
    if ours.rc:
        assert ours.stderr.strip() and "Traceback" not in ours.stderr


@pytest.mark.parametrize(("args", "setup"), [pytest.param(a, s, id=i) for i, a, s in TEXT])
def test_text_output_parity(sandbox_server: Any, tmp_path: Path, args: list[str], setup: Setup) -> None:
    env = cli_env(sandbox_server.url, tmp_path)
    setup(sandbox_server.url)
    if args[0] == "create-member":
        aws = run_aws(["macie2", *args], env)
        sandbox_server.reset()
        setup(sandbox_server.url)
        ours = run_ours(args, env)
    else:
        aws = run_aws(["macie2", *args], env)
        ours = run_ours(args, env)
    assert aws.rc == ours.rc == 0, (aws.stderr, ours.stderr)
    assert ours.stdout == aws.stdout


def test_starting_token_parity(sandbox_server: Any, tmp_path: Path) -> None:
    env = cli_env(sandbox_server.url, tmp_path)
    many(sandbox_server.url)
    first = json.loads(run_ours(["list-members", "--only-associated", "false", "--max-items", "3"], env).stdout)
    token = first["NextToken"]
    args = ["list-members", "--only-associated", "false", "--max-items", "3", "--starting-token", token]
    aws = run_aws(["macie2", *args], env)
    ours = run_ours(args, env)
    assert aws.rc == ours.rc == 0
    assert json.loads(ours.stdout) == json.loads(aws.stdout)
    assert [m["accountId"] for m in json.loads(ours.stdout)["members"]] == [
        "800000000003", "800000000004", "800000000005"
    ]


def test_skeleton_with_an_enum(sandbox_server: Any, tmp_path: Path) -> None:
    """The AWS CLI picks an enum value for the skeleton in an order that varies between runs
    (string hashing); macie-members always shows the model's first value."""
    env = cli_env(sandbox_server.url, tmp_path)
    args = ["update-member-session", "--generate-cli-skeleton"]
    aws = run_aws(["macie2", *args], env)
    ours = run_ours(args, env)
    assert aws.rc == ours.rc == 0
    assert json.loads(ours.stdout) == {"id": "", "status": "PAUSED"}
    aws_doc = json.loads(aws.stdout)
    assert aws_doc.keys() == {"id", "status"} and aws_doc["status"] in ("PAUSED", "ENABLED")
