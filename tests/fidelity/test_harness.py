"""The fidelity harness itself: the account guard, the masking and the snapshot comparison can
each fail, and AWS mode refuses to start without its opt-in settings or in CI."""

from __future__ import annotations

import datetime
import json
from pathlib import Path

import pytest

from . import target as harness
from .target import AwsTarget, Guard, GuardError, Masker, Recorder, Target


def test_the_guard_refuses_an_account_not_listed(target: Target) -> None:
    if target.source != "sandbox":
        pytest.skip("sandbox only: never try an unlisted account on AWS, even to see it refused")
    for call in (
        lambda: target.admin.get_member(id="222222222222"),
        lambda: target.admin.create_invitations(accountIds=[target.member_id, "222222222222"]),
        lambda: target.admin.create_member(account={"accountId": "222222222222", "email": "x@example.com"}),
        lambda: target.member.accept_invitation(administratorAccountId="222222222222", invitationId="x"),
    ):
        with pytest.raises(GuardError, match="222222222222"):
            call()
    assert target.admin.list_members()["members"] == []  # nothing was created


def test_the_guard_passes_listed_accounts() -> None:
    guard = Guard(frozenset({"111111111111"}))
    guard.check({"accountIds": ["111111111111"], "account": {"accountId": "111111111111"}})
    with pytest.raises(GuardError):
        guard.check({"masterAccount": "333333333333"})


def test_masking() -> None:
    mask = Masker({"123456789012": "<admin>", "us-east-1": "<region>"})
    data = {"ResponseMetadata": {"RequestId": "x"}, "arn": "arn:aws:macie2:us-east-1:123456789012:member/1",
            "invitedAt": datetime.datetime.now(datetime.UTC), "list": [{"invitationId": "abc"}, {"invitationId": "abc"},
                                                                    {"invitationId": "def"}]}
    assert mask(data) == {"arn": "arn:aws:macie2:<region>:<admin>:member/1", "invitedAt": "<timestamp>",
                          "list": [{"invitationId": "<invitation-1>"}, {"invitationId": "<invitation-1>"},
                                   {"invitationId": "<invitation-2>"}]}


def test_a_difference_from_the_snapshot_fails(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(harness, "SNAPSHOTS", tmp_path)
    recorded = Recorder("demo", Masker({}), "sandbox", record=True)
    recorded.step("one", lambda: {"relationshipStatus": "Invited", "message": "wording A"})
    recorded.check()
    same = Recorder("demo", Masker({}), "sandbox", record=False)
    same.step("one", lambda: {"relationshipStatus": "Invited", "message": "wording B"})  # messages ignored
    same.check()
    other = Recorder("demo", Masker({}), "sandbox", record=False)
    other.step("one", lambda: {"relationshipStatus": "Enabled", "message": "wording A"})
    with pytest.raises(AssertionError, match="differ"):
        other.check()
    assert json.loads((tmp_path / "demo.json").read_text())["recorded"]["source"] == "sandbox"
    with pytest.raises(AssertionError, match="no snapshot"):
        Recorder("missing", Masker({}), "sandbox", record=False).check()


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"CI": "true", "MACIE_FIDELITY_TARGET": "aws"}, "never runs in CI"),
        ({"MACIE_FIDELITY_ADMIN_PROFILE": "admin"}, "MACIE_FIDELITY_MEMBER_ROLE_ARN"),
        ({}, "MACIE_FIDELITY_ACCOUNTS"),
    ],
)
def test_aws_mode_refuses_to_start(env: dict[str, str], message: str) -> None:
    with pytest.raises(GuardError, match=message):
        AwsTarget(env)


def test_committed_snapshots_say_where_they_come_from() -> None:
    snapshots = sorted(harness.SNAPSHOTS.glob("*.json"))
    # One snapshot per scenario: every name a scenario records under, and no other.
    import re

    scenarios = harness.SNAPSHOTS.parent.glob("test_*.py")
    names = {n for path in scenarios for n in re.findall(r'recorder\("([a-z_]+)"\)', path.read_text())}
    assert {p.stem for p in snapshots} == names and len(names) == 6
    for path in snapshots:
        assert json.loads(path.read_text())["recorded"]["source"] in ("sandbox", "aws")
