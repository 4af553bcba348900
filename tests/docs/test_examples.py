"""The examples run as written, against the embedded sandbox."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.update(
        PATH=os.path.dirname(sys.executable) + os.pathsep + env.get("PATH", ""),
        MACIE_MEMBERS_SANDBOX="1",
        MACIE_MEMBERS_SANDBOX_STATE=str(tmp_path / "state.json"),
        AWS_CONFIG_FILE=str(tmp_path / "config"),
        AWS_SHARED_CREDENTIALS_FILE=str(tmp_path / "credentials"),
    )
    return env


def test_python_example(tmp_path: Path) -> None:
    proc = subprocess.run([sys.executable, str(ROOT / "examples" / "use_from_python.py"), str(ROOT / "examples" / "accounts.csv")],
                          env=_env(tmp_path), capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert "{'ok': 6, 'skipped': 0, 'failed': 0}" in proc.stdout


@pytest.mark.posix
@pytest.mark.slow
def test_onboard_offboard_and_nightly_status(tmp_path: Path) -> None:
    # Email verification done at once: the status then never depends on how fast the scripts ran.
    env = {**_env(tmp_path), "MACIE_MEMBERS_SANDBOX_VERIFICATION_DELAY": "0"}
    csv = ROOT / "examples" / "accounts.csv"
    onboard = subprocess.run(["bash", str(ROOT / "examples" / "onboard-all-regions.sh"), str(csv), str(tmp_path / "r.jsonl")],
                             env=env, capture_output=True, text=True, timeout=300)
    assert onboard.returncode == 0, onboard.stderr
    status = subprocess.run(["bash", str(ROOT / "examples" / "nightly-status.sh"), str(tmp_path / "status.csv")],
                            env=env, capture_output=True, text=True, timeout=300)
    assert status.returncode == 0, status.stderr
    rows = (tmp_path / "status.csv").read_text().splitlines()
    header = rows[0].split(",")
    assert header[:2] == ["Account ID", "Email"] and "us-east-1" in header and len(header) - 2 >= 17
    row = dict(zip(header, rows[1].split(","), strict=True))
    assert row["Account ID"] == "111111111111" and row["Email"] == "janedoe@example.com"
    assert header[-1] == "Membership" and row["Membership"] == "invitation"
    assert {row[region] for region in header[2:-1]} == {"Invited"}
    assert len(rows) == 4
    offboard = subprocess.run(["bash", str(ROOT / "examples" / "offboard.sh"), str(csv), "us-east-1,eu-west-1"],
                              env=env, capture_output=True, text=True, timeout=300)
    assert offboard.returncode == 0, offboard.stderr


@pytest.mark.posix
@pytest.mark.slow
def test_leave_organization_as_a_member(tmp_path: Path) -> None:
    """The member side on the embedded sandbox: MOTO_ACCOUNT_ID makes the run the member's."""
    env = {**_env(tmp_path), "MACIE_MEMBERS_SANDBOX_VERIFICATION_DELAY": "0"}
    member = "111111111111"
    for args in (["create-member", "--account", f"accountId={member},email=m@example.com", "--regions",
                  "us-east-1,eu-west-1"],
                 ["create-invitations", "--account-ids", member, "--regions", "us-east-1,eu-west-1"]):
        assert subprocess.run([sys.executable, "-m", "macie_members", *args], env=env, capture_output=True,
                              timeout=120).returncode == 0
    accepted = subprocess.run([sys.executable, "-m", "macie_members", "sandbox", "accept", "--account", member,
                               "--region", "us-east-1"],
                              env=env, capture_output=True, text=True, timeout=120)
    assert accepted.returncode == 0, accepted.stderr
    run = subprocess.run(["bash", str(ROOT / "examples" / "leave-organization.sh"), "123456789012", "--yes"],
                         env={**env, "MOTO_ACCOUNT_ID": member}, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    assert "us-east-1\t123456789012\tEnabled" in run.stdout  # the administrator, before leaving
    listed = subprocess.run([sys.executable, "-m", "macie_members", "list-members", "--only-associated", "false",
                             "--regions", "us-east-1,eu-west-1", "--query",
                             "regions[].members[].relationshipStatus", "--output", "text"],
                            env=env, capture_output=True, text=True, timeout=120)
    # us-east-1: it left (Resigned); eu-west-1: its pending invitation was declined (gone).
    assert listed.returncode == 0 and listed.stdout.split() == ["Resigned"]


def test_nightly_drift_check(tmp_path: Path) -> None:
    env = _env(tmp_path)
    csv = ROOT / "examples" / "accounts.csv"
    script = ROOT / "examples" / "nightly-drift-check.sh"
    plan = tmp_path / "plan.json"

    def check() -> subprocess.CompletedProcess[str]:
        return subprocess.run(["bash", str(script), str(csv), str(plan)], env=env, capture_output=True, text=True,
                              timeout=300)

    def macie_members(*args: str) -> None:
        proc = subprocess.run([sys.executable, "-m", "macie_members", *args], env=env, capture_output=True,
                              text=True, timeout=300)
        assert proc.returncode == 0, proc.stderr

    drift = check()  # nothing onboarded yet
    assert drift.returncode == 2, drift.stderr
    assert drift.stderr.strip().endswith(f"DRIFT: the organization differs from {csv}; see {plan}")
    document = json.loads(plan.read_text())
    assert document["drift"] is True and len(document["plan"]) >= 17
    assert all(sorted(p["add"]) == ["111111111111", "222222222222", "333333333333"] for p in document["plan"])

    macie_members("sync", str(csv), "--all-regions", "--prune", "--yes", "--no-progress")
    converged = check()
    assert converged.returncode == 0, converged.stderr
    assert converged.stderr.strip() == f"no drift: the organization matches {csv} (plan: {plan})"
    assert json.loads(plan.read_text())["drift"] is False

    # An account invited by hand, not in the file: drift (the check prunes).
    macie_members("create-member", "--account", "accountId=444444444444,email=x@example.com")
    macie_members("create-invitations", "--account-ids", "444444444444")
    extra = check()
    assert extra.returncode == 2, extra.stderr
    removed = [r for p in json.loads(plan.read_text())["plan"] for r in p["remove"]]
    assert [r["accountId"] for r in removed] == ["444444444444"]

    missing = subprocess.run(["bash", str(script), str(tmp_path / "nope.csv"), str(plan)], env=env,
                             capture_output=True, text=True, timeout=300)
    assert missing.returncode == 252
    assert missing.stderr.strip().endswith("the drift check failed (exit 252); see the message above")
