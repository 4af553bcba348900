"""AWS CLI v2's YAML: ``--output yaml`` and ``yaml-stream`` (from the option, the environment and
the profile) in every mode, ``--cli-input-yaml`` and ``--generate-cli-skeleton yaml-input``.
v2 writes YAML with ruamel.yaml, so the test is the parsed document: YAML parses to exactly what
``--output json`` prints, and ``yaml-stream`` to the list of the pages."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.support.awscli_support import ADMIN, accept, cli_env, run_ours, standard_state
from tests.support.helpers import admin_client, member_credentials

TWO = "us-east-1,eu-west-1"


def both(args: list[str], env: dict[str, str]) -> tuple[Any, Any]:
    """The document printed with --output json, and the one printed with --output yaml."""
    as_json = run_ours([*args, "--output", "json"], env)
    as_yaml = run_ours([*args, "--output", "yaml"], env)
    assert as_json.rc == as_yaml.rc, (as_json.stderr, as_yaml.stderr)
    return (json.loads(as_json.stdout) if as_json.stdout else None), yaml.safe_load(as_yaml.stdout)


@pytest.mark.parametrize("args", [
    ["list-members", "--only-associated", "false"],
    ["get-member", "--id", "111111111111"],
    ["list-members", "--only-associated", "false", "--query", "sort_by(members,&updatedAt)[-1]"],
    ["list-members", "--only-associated", "false", "--regions", TWO],
    ["get-member", "--id", "111111111111", "--regions", TWO],
    ["status", "--regions", TWO],
    ["create-invitations", "--account-ids", "444444444444", "--dry-run"],
], ids=lambda a: " ".join(a)[:50])
def test_yaml_is_the_json_document(sandbox_server: Any, tmp_path: Path, args: list[str]) -> None:
    standard_state(sandbox_server.url)
    env = cli_env(sandbox_server.url, tmp_path)
    as_json, as_yaml = both(args, env)
    assert as_yaml == as_json and as_json is not None


def test_yaml_records_of_a_bulk_run_and_a_workflow(sandbox_server: Any, tmp_path: Path) -> None:
    env = cli_env(sandbox_server.url, tmp_path)
    accounts = tmp_path / "a.csv"
    accounts.write_text("Account ID,Email\n111111111111,a@example.com\n")
    run = run_ours(["onboard", str(accounts), "--regions", TWO, "--output", "yaml"], env)
    assert run.rc == 0, run.stderr
    document = yaml.safe_load(run.stdout)
    assert list(document) == ["results", "summary"] and document["summary"]["failed"] == 0
    plan = run_ours(["sync", str(accounts), "--plan", "--output", "yaml"], env)
    assert yaml.safe_load(plan.stdout) == json.loads(run_ours(["sync", str(accounts), "--plan", "--output", "json"],
                                                               env).stdout)


def test_yaml_on_the_member_side(sandbox_server: Any, tmp_path: Path) -> None:
    url = sandbox_server.url
    admin = admin_client(url)
    admin.create_member(account={"accountId": "111111111111", "email": "a@example.com"})
    admin.create_invitations(accountIds=["111111111111"])
    accept(url, "111111111111")
    env = cli_env(url, tmp_path, **member_credentials(url, "111111111111"))
    as_json, as_yaml = both(["get-administrator-account"], env)
    assert as_yaml == as_json and as_json["administrator"]["accountId"] == ADMIN
    as_json, as_yaml = both(["list-invitations", "--regions", TWO], env)
    assert as_yaml == as_json


def test_yaml_stream_prints_the_pages(sandbox_server: Any, tmp_path: Path) -> None:
    admin = admin_client(sandbox_server.url)
    for n in range(5):
        admin.create_member(account={"accountId": f"{800000000000 + n}", "email": f"m{n}@example.com"})
    env = cli_env(sandbox_server.url, tmp_path)
    run = run_ours(["list-members", "--only-associated", "false", "--page-size", "2", "--output", "yaml-stream"], env)
    assert run.rc == 0, run.stderr
    pages = yaml.safe_load(run.stdout)
    assert [len(page["members"]) for page in pages] == [2, 2, 1]
    assert "nextToken" in pages[0] and "nextToken" not in pages[-1]
    whole = json.loads(run_ours(["list-members", "--only-associated", "false", "--output", "json"], env).stdout)
    assert [m for page in pages for m in page["members"]] == whole["members"]
    queried = run_ours(["list-members", "--only-associated", "false", "--page-size", "2", "--output", "yaml-stream",
                        "--query", "members[].accountId"], env)
    assert yaml.safe_load(queried.stdout) == [["800000000000", "800000000001"], ["800000000002", "800000000003"],
                                              ["800000000004"]]  # --query applies per page
    single = run_ours(["get-member", "--id", "800000000000", "--output", "yaml-stream"], env)
    assert yaml.safe_load(single.stdout)["accountId"] == "800000000000"  # not a page: one document


@pytest.mark.parametrize("where", ["environment", "profile"])
@pytest.mark.parametrize("output", ["yaml", "yaml-stream"])
def test_yaml_from_the_environment_and_the_profile(sandbox_server: Any, tmp_path: Path, where: str,
                                                   output: str) -> None:
    standard_state(sandbox_server.url)
    env = cli_env(sandbox_server.url, tmp_path)
    if where == "environment":
        env["AWS_DEFAULT_OUTPUT"] = output
    else:
        Path(env["AWS_CONFIG_FILE"]).write_text(f"[default]\ncli_timestamp_format = iso8601\noutput = {output}\n")
    run = run_ours(["get-member", "--id", "111111111111"], env)
    assert run.rc == 0, run.stderr
    assert yaml.safe_load(run.stdout)["accountId"] == "111111111111"


def test_cli_input_yaml(sandbox_server: Any, tmp_path: Path) -> None:
    env = cli_env(sandbox_server.url, tmp_path)
    (tmp_path / "input.yaml").write_text("account:\n  accountId: '777777777777'\n  email: new@example.com\n"
                                         "tags:\n  team: security\n")
    run = run_ours(["create-member", "--cli-input-yaml", f"file://{tmp_path / 'input.yaml'}"], env)
    assert run.rc == 0, run.stderr
    member = admin_client(sandbox_server.url).get_member(id="777777777777")
    assert (member["email"], member["tags"]) == ("new@example.com", {"team": "security"})
    # The options on the command line win, as with --cli-input-json.
    run = run_ours(["create-member", "--cli-input-yaml", "account: {accountId: '777777777778', email: a@example.com}",
                    "--tags", "env=prod"], env)
    assert run.rc == 0 and admin_client(sandbox_server.url).get_member(id="777777777778")["tags"] == {"env": "prod"}


@pytest.mark.parametrize(("value", "message"), [
    ("[1", "Error parsing parameter 'cli-input-yaml': Invalid YAML:"),
    ("- 1", "Error parsing parameter 'cli-input-yaml': Invalid YAML: expected a mapping, received a array"),
    ("file:///nowhere.yaml", "Error parsing parameter '--cli-input-yaml': Unable to load paramfile"),
])
def test_cli_input_yaml_refuses_what_is_not_a_mapping(sandbox_server: Any, tmp_path: Path, value: str,
                                                       message: str) -> None:
    run = run_ours(["create-member", "--cli-input-yaml", value], cli_env(sandbox_server.url, tmp_path))
    assert run.rc == 252 and run.stdout == "" and message in run.stderr
    assert "Traceback" not in run.stderr


def test_cli_input_yaml_and_json_together_are_refused(sandbox_server: Any, tmp_path: Path) -> None:
    run = run_ours(["create-member", "--cli-input-yaml", "{}", "--cli-input-json", "{}"],
                   cli_env(sandbox_server.url, tmp_path))
    assert run.rc == 252 and "Only one --cli-input-json or --cli-input-yaml may be specified." in run.stderr


@pytest.mark.parametrize("command", ["create-member", "create-invitations", "update-member-session", "list-members",
                                     "accept-invitation", "get-invitations-count"])
def test_yaml_input_skeleton_is_the_json_one(sandbox_server: Any, tmp_path: Path, command: str) -> None:
    env = cli_env(sandbox_server.url, tmp_path)
    as_json = run_ours([command, "--generate-cli-skeleton"], env)
    as_yaml = run_ours([command, "--generate-cli-skeleton", "yaml-input"], env)
    assert (as_json.rc, as_yaml.rc) == (0, 0)
    assert yaml.safe_load(as_yaml.stdout) == json.loads(as_json.stdout)
