"""Cross-account access of the member side (``accept-invitations``): the external id the roles'
trust policies require, the role session name CloudTrail shows, in every member-side mode that
assumes roles; against a sandbox server whose STS checks external ids (``sandbox condition
--role --external-id``)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.support.awscli_support import cli_env, run_ours
from tests.support.helpers import admin_client, records, statuses

MEMBERS = ("111111111111", "222222222222")
ROLE = "MacieAccept"
ROLE_ARN = f"arn:aws:iam::{MEMBERS[0]}:role/{ROLE}"
REGIONS = "us-east-1,eu-west-1"


def invite(url: str, regions: tuple[str, ...] = ("us-east-1",)) -> None:
    for region in regions:
        admin = admin_client(url, region)
        for account in MEMBERS:
            admin.create_member(account={"accountId": account, "email": f"{account}@example.com"})
        admin.create_invitations(accountIds=list(MEMBERS))


def outcomes(run: Any) -> dict[tuple[str, str], tuple[str, str | None]]:
    return {(r["region"], r["accountId"]): (r["outcome"], r["errorCode"]) for r in records(run.stdout)}


def condition(url: str, tmp_path: Path, external_id: str = "s3cret-id") -> None:
    run = run_ours(["--endpoint-url", url, "sandbox", "condition", "--account", MEMBERS[0], "--role", ROLE,
                    "--external-id", external_id], cli_env(url, tmp_path))
    assert run.rc == 0, run.stderr
    assert run.stdout == ""


def accounts_file(tmp_path: Path) -> Path:
    path = tmp_path / "accounts.csv"
    path.write_text("Account ID,Email\n" + "".join(f"{a},{a}@example.com\n" for a in MEMBERS))
    return path


MODES = {
    "account-ids": lambda tmp_path: ["--account-ids", ",".join(MEMBERS)],
    "accounts-file": lambda tmp_path: ["--accounts-file", str(accounts_file(tmp_path))],
    "regions": lambda tmp_path: ["--account-ids", ",".join(MEMBERS), "--regions", REGIONS],
}


@pytest.mark.parametrize("mode", sorted(MODES))
def test_external_id_required_missing_wrong_and_right(mode: str, sandbox_server: Any, tmp_path: Path) -> None:
    url = sandbox_server.url
    regions = ("us-east-1", "eu-west-1") if mode == "regions" else ("us-east-1",)
    invite(url, regions)
    condition(url, tmp_path)
    env = cli_env(url, tmp_path)
    base = ["accept-invitations", "--role-name", ROLE, *MODES[mode](tmp_path)]
    missing = run_ours(base, env)
    assert missing.rc == 254 and "Traceback" not in missing.stderr
    got = outcomes(missing)
    assert {got[(r, MEMBERS[0])] for r in regions} == {("failed", "AccessDenied")}
    assert {got[(r, MEMBERS[1])] for r in regions} == {("ok", None)}  # its role has no condition
    [message] = {r["errorMessage"] for r in records(missing.stdout) if r["accountId"] == MEMBERS[0]}
    assert message.startswith("User: arn:aws:sts::123456789012:user/moto is not authorized to perform: "
                              f"sts:AssumeRole on resource: {ROLE_ARN}")
    wrong = run_ours([*base, "--external-id", "another-id"], env)
    assert wrong.rc == 254
    assert {outcomes(wrong)[(r, MEMBERS[0])] for r in regions} == {("failed", "AccessDenied")}
    right = run_ours([*base, "--external-id", "s3cret-id"], env)
    assert right.rc == 0, right.stderr
    assert {outcomes(right)[(r, MEMBERS[0])] for r in regions} == {("ok", None)}
    assert statuses(url)[MEMBERS[0]] == "Enabled"
    calls = [c for c in sandbox_server.stats()["assumeRole"] if c["roleArn"] == ROLE_ARN]
    assert [c["externalId"] for c in calls] == [False, True, True]


def test_external_id_all_regions(sandbox_server: Any, tmp_path: Path) -> None:
    url = sandbox_server.url
    invite(url)
    condition(url, tmp_path)
    env = cli_env(url, tmp_path)
    run = run_ours(["accept-invitations", "--role-name", ROLE, "--account-ids", MEMBERS[0], "--all-regions",
                    "--external-id", "s3cret-id"], env)
    assert run.rc == 254, run.stderr  # only us-east-1 has an invitation to accept
    got = outcomes(run)
    assert got[("us-east-1", MEMBERS[0])] == ("ok", None) and len(got) > 1
    assert "AccessDenied" not in {code for _, code in got.values()}
    # One AssumeRole per account, whatever the number of Regions.
    assert len([c for c in sandbox_server.stats()["assumeRole"] if c["roleArn"] == ROLE_ARN]) == 1


def test_condition_lifted_and_refused_on_the_embedded_sandbox(sandbox_server: Any, tmp_path: Path,
                                                              state: Path) -> None:
    url = sandbox_server.url
    invite(url)
    condition(url, tmp_path)
    condition(url, tmp_path, external_id="")  # '' lifts it
    run = run_ours(["accept-invitations", "--role-name", ROLE, "--account-ids", MEMBERS[0]], cli_env(url, tmp_path))
    assert run.rc == 0, run.stderr
    embedded = run_ours(["--sandbox", "sandbox", "condition", "--account", MEMBERS[0], "--role", ROLE,
                         "--external-id", "x1"], cli_env(url, tmp_path))
    assert embedded.rc == 252 and embedded.stdout == ""
    assert embedded.stderr.strip().count("\n") == 0 and "need a sandbox server" in embedded.stderr
    alone = run_ours(["--endpoint-url", url, "sandbox", "condition", "--account", MEMBERS[0], "--role", ROLE],
                     cli_env(url, tmp_path))
    assert alone.rc == 252 and "--role and --external-id go together" in alone.stderr


def test_session_name_default_and_custom(sandbox_server: Any, tmp_path: Path) -> None:
    url = sandbox_server.url
    invite(url)
    env = cli_env(url, tmp_path, USER="Ops User:1", LOGNAME="Ops User:1", USERNAME="Ops User:1")
    run = run_ours(["accept-invitations", "--role-name", ROLE, "--account-ids", MEMBERS[0]], env)
    assert run.rc == 0, run.stderr
    custom = run_ours(["accept-invitations", "--role-name", ROLE, "--account-ids", MEMBERS[1],
                       "--role-session-name", "change-1234@ops"], env)
    assert custom.rc == 0, custom.stderr
    names = [c["roleSessionName"] for c in sandbox_server.stats()["assumeRole"]]
    assert names == ["macie-members-Ops-User-1", "change-1234@ops"]


@pytest.mark.parametrize(("option", "value"), [("--role-session-name", "a"), ("--role-session-name", "has space"),
                                               ("--role-session-name", "x" * 65), ("--external-id", "no spaces")])
def test_invalid_session_name_or_external_id_before_any_request(option: str, value: str, sandbox_server: Any,
                                                                tmp_path: Path) -> None:
    run = run_ours(["accept-invitations", "--role-name", ROLE, "--account-ids", MEMBERS[0], option, value],
                   cli_env(sandbox_server.url, tmp_path))
    assert run.rc == 252 and run.stdout == ""
    assert option in run.stderr and "Traceback" not in run.stderr
    assert sandbox_server.stats()["assumeRole"] == []


def write_roles(tmp_path: Path, rows: list[tuple[str, str]]) -> Path:
    path = tmp_path / "roles.csv"
    path.write_text("Account ID,Email,Role\n" + "".join(f"{a},{a}@example.com,{r}\n" for a, r in rows))
    return path


def assumed(server: Any) -> list[str]:
    return sorted(c["roleArn"] for c in server.stats()["assumeRole"])


@pytest.mark.parametrize("regions", [["--regions", REGIONS], ["--all-regions"]])
def test_role_column_name_and_arn_without_role_name(regions: list[str], sandbox_server: Any, tmp_path: Path) -> None:
    url = sandbox_server.url
    invite(url, ("us-east-1", "eu-west-1"))
    path = write_roles(tmp_path, [(MEMBERS[0], "team/Accept"), (MEMBERS[1], f"arn:aws:iam::{MEMBERS[1]}:role/Other")])
    run = run_ours(["accept-invitations", "--accounts-file", str(path), *regions], cli_env(url, tmp_path))
    assert run.rc in (0, 254), run.stderr
    got = outcomes(run)
    assert {got[(r, a)] for r in ("us-east-1", "eu-west-1") for a in MEMBERS} == {("ok", None)}
    assert assumed(sandbox_server) == [f"arn:aws:iam::{MEMBERS[0]}:role/team/Accept",
                                       f"arn:aws:iam::{MEMBERS[1]}:role/Other"]


def test_role_column_over_role_name_and_rows_without_role(sandbox_server: Any, tmp_path: Path) -> None:
    url = sandbox_server.url
    invite(url)
    path = write_roles(tmp_path, [(MEMBERS[0], "RowRole"), (MEMBERS[1], "")])
    run = run_ours(["accept-invitations", "--accounts-file", str(path), "--role-name", ROLE], cli_env(url, tmp_path))
    assert run.rc == 0, run.stderr
    assert assumed(sandbox_server) == [f"arn:aws:iam::{MEMBERS[0]}:role/RowRole", f"arn:aws:iam::{MEMBERS[1]}:role/{ROLE}"]
    sandbox_server.reset()
    refused = run_ours(["accept-invitations", "--accounts-file", str(path)], cli_env(url, tmp_path))
    assert refused.rc == 252 and refused.stdout == ""
    assert refused.stderr.strip() == (f"{path}:3: account {MEMBERS[1]} has no Role, and no --role-name was given "
                                      "(give --role-name, or a role on each row)")
    assert sandbox_server.stats()["assumeRole"] == []
    ids = run_ours(["accept-invitations", "--account-ids", MEMBERS[0]], cli_env(url, tmp_path))
    assert ids.rc == 252 and "--role-name" in ids.stderr and ids.stdout == ""


@pytest.mark.parametrize(("role", "message"), [
    (f"arn:aws:iam::{MEMBERS[0]}:role/R", f"is a role of account {MEMBERS[0]}, not of this row's account {MEMBERS[1]}"),
    ("arn:aws:iam::1:role/R", "is not an IAM role ARN"),
    ("bad role", "is not an IAM role name"),
])
def test_role_column_bad_role_refused_with_file_line(role: str, message: str, sandbox_server: Any,
                                                     tmp_path: Path) -> None:
    path = write_roles(tmp_path, [(MEMBERS[0], ROLE), (MEMBERS[1], role)])
    run = run_ours(["accept-invitations", "--accounts-file", str(path), "--role-name", ROLE],
                   cli_env(sandbox_server.url, tmp_path))
    assert run.rc == 252 and run.stdout == ""
    assert run.stderr.strip().startswith(f"{path}:3: ") and message in run.stderr
    assert "Traceback" not in run.stderr
    assert sandbox_server.stats()["assumeRole"] == []


def role_profile_env(url: str, tmp_path: Path, **extra: str) -> dict[str, str]:
    """A ``role_arn`` profile (``member``, the role in 111111111111) over a ``base`` profile of
    static keys, and a temporary HOME, against the sandbox server."""
    env = cli_env(url, tmp_path, HOME=str(tmp_path / "home"), USERPROFILE=str(tmp_path / "home"), **extra)
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"):
        env.pop(name)
    (tmp_path / "aws-config").write_text(
        "[profile base]\nregion = us-east-1\n"
        f"[profile member]\nrole_arn = {ROLE_ARN}\nsource_profile = base\nregion = us-east-1\n")
    (tmp_path / "aws-credentials").write_text("[base]\naws_access_key_id = testing\naws_secret_access_key = testing\n")
    return env


def test_empty_max_attempts_with_a_role_arn_profile_means_unset(sandbox_server: Any, tmp_path: Path) -> None:
    env = role_profile_env(sandbox_server.url, tmp_path, AWS_MAX_ATTEMPTS="", AWS_RETRY_MODE="")
    run = run_ours(["--profile", "member", "list-members"], env)
    assert run.rc == 0, run.stderr
    assert run.stderr == "" and '"members": []' in run.stdout
    assert [c["roleArn"] for c in sandbox_server.stats()["assumeRole"]] == [ROLE_ARN]


def test_role_arn_profile_credentials_cached_as_the_aws_cli(sandbox_server: Any, tmp_path: Path) -> None:
    env = role_profile_env(sandbox_server.url, tmp_path)
    first = run_ours(["--profile", "member", "list-members"], env)
    assert first.rc == 0, first.stderr
    cache = tmp_path / "home" / ".aws" / "cli" / "cache"
    [entry] = list(cache.glob("*.json"))
    assert "testing" not in first.stdout + first.stderr and "SecretAccessKey" in entry.read_text()
    second = run_ours(["--profile", "member", "list-members"], env)
    assert second.rc == 0, second.stderr
    assert len(sandbox_server.stats()["assumeRole"]) == 1  # the second run used the cached credentials


def test_profile_column_checked_with_get_caller_identity(sandbox_server: Any, tmp_path: Path) -> None:
    url = sandbox_server.url
    invite(url)
    env = role_profile_env(url, tmp_path)
    # `member` assumes a role of 111111111111; `base` is the administrator's own keys (123456789012).
    path = tmp_path / "profiles.csv"
    path.write_text(f"Account ID,Profile\n{MEMBERS[0]},member\n{MEMBERS[1]},base\n")
    run = run_ours(["--profile", "base", "accept-invitations", "--accounts-file", str(path)], env)
    assert run.rc == 254, run.stderr
    got = {r["accountId"]: r for r in records(run.stdout)}
    assert (got[MEMBERS[0]]["outcome"], got[MEMBERS[0]]["action"]) == ("ok", "accept-invitation")
    wrong = got[MEMBERS[1]]
    assert (wrong["outcome"], wrong["action"], wrong["errorCode"]) == ("failed", "assume-role", "WrongAccount")
    assert wrong["errorMessage"] == f"profile base is account 123456789012, not {MEMBERS[1]}"
    assert statuses(url) == {MEMBERS[0]: "Enabled", MEMBERS[1]: "Invited"}
    assert "testing" not in run.stdout + run.stderr


@pytest.mark.parametrize("regions", [[], ["--regions", REGIONS]], ids=["one-region", "regions"])
def test_a_role_arn_of_another_partition_fails_that_account_before_any_assume_role(
    regions: list[str], sandbox_server: Any, tmp_path: Path,
) -> None:
    """STS of the administrator's partition never grants a role of another: that account's
    failure (WrongPartition), nothing sent for it; the others go on."""
    url = sandbox_server.url
    invite(url, ("us-east-1", "eu-west-1"))
    china = f"arn:aws-cn:iam::{MEMBERS[1]}:role/X"
    path = write_roles(tmp_path, [(MEMBERS[0], ROLE), (MEMBERS[1], china)])
    run = run_ours(["accept-invitations", "--accounts-file", str(path), *regions], cli_env(url, tmp_path))
    assert run.rc == 254, run.stderr
    wrong = [r for r in records(run.stdout) if r["accountId"] == MEMBERS[1]]
    assert wrong and {(r["outcome"], r["errorCode"]) for r in wrong} == {("failed", "WrongPartition")}
    assert f"role {china} is in partition aws-cn, the administrator's is aws: not assumed" in wrong[0]["errorMessage"]
    assert assumed(sandbox_server) == [f"arn:aws:iam::{MEMBERS[0]}:role/{ROLE}"]
