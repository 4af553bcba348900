"""What the tool's own tables look like through the CLI: one colour rule everywhere (--color,
NO_COLOR, a terminal or not), and tables that stay readable at any width and any number of
Regions (no cut or wrapped account id or status)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.support.helpers import run

A, B = "111111111111", "222222222222"
ALL_REGIONS = [
    "af-south-1", "ap-east-1", "ap-northeast-1", "ap-northeast-2", "ap-northeast-3", "ap-south-1",
    "ap-southeast-1", "ap-southeast-2", "ca-central-1", "eu-central-1", "eu-north-1", "eu-south-1",
    "eu-west-1", "eu-west-2", "eu-west-3", "il-central-1", "me-south-1", "sa-east-1", "us-east-1",
    "us-east-2", "us-west-1", "us-west-2",
]
ANSI = re.compile(r"\x1b\[[0-9;]*m")


# ------------------------------------------------------------------------------- colour


@pytest.fixture
def two_regions(sandbox: Path) -> Path:
    path = sandbox / "accounts.csv"
    path.write_text(f"Account ID,Email\n{A},a@example.com\n{B},b@example.invalid\n")
    result = run("onboard", str(path), "--regions", "us-east-1,eu-west-1")
    assert result.exit_code == 0, result.stderr  # B's email then fails verification
    return path


COLOURED = [["status", "--regions", "us-east-1,eu-west-1", "--output", "table"],
            ["onboard", "ACCOUNTS", "--regions", "us-east-1,eu-west-1", "--output", "table"],
            ["list-members", "--only-associated", "false", "--output", "table"],
            ["list-members", "--only-associated", "false", "--regions", "us-east-1,eu-west-1", "--output", "table"]]


@pytest.mark.parametrize("command", COLOURED, ids=lambda c: " ".join(c[:2]))
@pytest.mark.parametrize(("color", "no_color", "coloured"), [
    ("on", "1", True),  # the option wins over NO_COLOR, also when piped
    ("off", None, False),
    ("auto", None, False),  # not a terminal
    ("auto", "", False),
])
def test_colour_follows_one_rule_everywhere(command: list[str], color: str, no_color: str | None, coloured: bool,
                                            two_regions: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    if no_color is not None:
        monkeypatch.setenv("NO_COLOR", no_color)
    args = [str(two_regions) if a == "ACCOUNTS" else a for a in command]
    result = run(*args, "--color", color)
    assert result.exit_code in (0, 254), result.stderr
    assert bool(ANSI.search(result.stdout)) is coloured


# -------------------------------------------------------------------------------- width


@pytest.mark.parametrize("columns", [40, 80, 200])
@pytest.mark.parametrize("regions", [["us-east-1", "eu-west-1"], ALL_REGIONS], ids=["2-regions", "22-regions"])
@pytest.mark.parametrize("command", ["status", "onboard"])
def test_tables_stay_readable_at_any_width(columns: int, regions: list[str], command: str, sandbox: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    path = sandbox / "accounts.csv"
    path.write_text(f"Account ID,Email\n{A},a@example.com\n{B},b@example.invalid\n")
    monkeypatch.setenv("COLUMNS", str(columns))
    listed = ",".join(regions)
    assert run("onboard", str(path), "--regions", listed).exit_code == 0
    if command == "status":
        result = run("status", "--regions", listed, "--output", "table")
        assert result.exit_code == 0, result.stderr
    else:  # again: A unchanged, B's email failed verification (attention)
        result = run("onboard", str(path), "--regions", listed, "--output", "table")
        assert result.exit_code == 254, result.stderr
    lines = result.stdout.splitlines()
    assert max(len(line) for line in lines) <= columns
    assert "…" not in result.stdout
    # Every account id and every status word whole: none wrapped, none cut.
    ids = re.findall(r"(?<![0-9])[0-9]{12}(?![0-9])", result.stdout)
    assert set(ids) == {A, B} and len(ids) >= 2 * len(regions)
    assert result.stdout.count("Invited") + result.stdout.count("EmailVerificationInProgress") >= len(regions)
    assert result.stdout.count("EmailVerificationFailed") >= len(regions)
    assert not re.search(r"EmailVerification(?!Failed|InProgress)", result.stdout)
    assert not re.search(r"^\W*(Failed|InProgress|VerificationFailed)\b", result.stdout, re.MULTILINE)
