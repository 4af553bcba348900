"""Regions through the CLI: every Region name is checked (a typo gets a suggestion, a Region
without Macie is named) before anything is sent, in every mode."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.helpers import refused, run

A = "111111111111"


# --------------------------------------------------------------------------------- Regions


@pytest.mark.parametrize(("args", "message"), [
    (["--regions", "eu-wset-1"], "'eu-wset-1' is not a Region: did you mean eu-west-1?"),
    (["--regions", "us-east-1,eu-wset-1"], "did you mean eu-west-1?"),
    (["--region", "us-east1"], "did you mean us-east-1?"),
    (["--region", "cn-north-1"], "Macie is not offered in cn-north-1"),
    (["--regions", "us-gov-west-1"], "Macie is not offered in us-gov-west-1"),
    (["--regions", "us-east-1", "--all-regions"], "either --regions or --all-regions"),
    (["--regions", ","], "no Region given"),
    (["--regions", " , "], "no Region given"),
])
@pytest.mark.parametrize("command", [["list-members"], ["status"], ["delete-member", "--id", A, "--yes"],
                                     ["offboard", "--account-ids", A, "--yes"]])
def test_regions_are_checked_before_anything_is_sent(args: list[str], message: str, command: list[str],
                                                     nowhere: None, monkeypatch: pytest.MonkeyPatch) -> None:
    # Without an explicit endpoint: with one, any Region name is taken (botocore's list is not
    # the endpoint's); a request would then fail to connect (no network), not say this.
    monkeypatch.delenv("AWS_ENDPOINT_URL")
    refused(run(*command, *args), message)


def test_a_configured_region_that_is_not_one_is_a_configuration_error(nowhere: None,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_DEFAULT_REGION", "eu-wset-1")
    monkeypatch.delenv("AWS_ENDPOINT_URL")  # (an explicit endpoint takes any Region name)
    result = run("list-members")
    assert result.exit_code == 253 and "did you mean eu-west-1?" in result.stderr


@pytest.mark.parametrize("regions", [["--regions", "us-east-1,eu-west-1"], ["--all-regions"]],
                         ids=["regions", "all-regions"])
@pytest.mark.parametrize("command", [
    ["list-members"], ["status"], ["delete-member", "--id", A, "--yes"], ["offboard", "--account-ids", A, "--yes"],
    ["sync", "ACCOUNTS", "--yes"], ["onboard", "ACCOUNTS"], ["create-member", "--accounts-file", "ACCOUNTS"],
    ["accept-invitations", "--account-ids", A, "--role-name", "R"], ["list-invitations"],
], ids=lambda c: c[0])
def test_region_with_regions_or_all_regions_is_refused_in_every_mode(
    command: list[str], regions: list[str], nowhere: None, tmp_path: Path,
) -> None:
    """``--region`` would be ignored beside the Regions the command runs in: refused (252), one
    line, before anything is sent (the endpoint here answers nothing: a request would be 255)."""
    accounts = tmp_path / "accounts.csv"
    accounts.write_text(f"Account ID,Email\n{A},a@example.com\n")
    args = [str(accounts) if a == "ACCOUNTS" else a for a in command]
    result = run("--region", "eu-west-1", *args, *regions)
    refused(result, f"--region can't be used with {regions[0]}: drop --region.")
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
