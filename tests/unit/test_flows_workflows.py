"""macie_members.flows.workflows, its pure parts: ``onboard --wait``'s loop (with a fake clock)
and ``status_document``, the account x Region matrix."""

from __future__ import annotations

from typing import Any

from macie_members.flows.workflows import wait_until_settled
from tests.support.helpers import Clock, inventory_entry

R = "us-east-1"


# ------------------------------------------------------------------------- onboard --wait


def test_wait_polls_until_the_timeout_has_passed() -> None:
    clock = Clock()
    polls: list[float] = []

    def poll(regions: Any) -> dict[str, Any]:
        polls.append(clock.now)
        return {R: {"111111111111": inventory_entry("EmailVerificationInProgress")}}

    [record] = wait_until_settled(poll, {(R, "111111111111")}, timeout=2.9, clock=lambda: clock.now, sleep=clock.sleep)
    assert polls == [0.0, 1.0, 2.9]  # the last pause is cut short, and the last poll is at the deadline
    assert (record.outcome, record.errorCode, record.errorMessage) == ("failed", "Timeout", "still pending after 2.9 s")


def test_wait_records_each_account_once_settled() -> None:
    clock = Clock()
    answers = iter([{"1": inventory_entry("EmailVerificationInProgress"), "2": inventory_entry("EmailVerificationFailed")},
                    {"1": inventory_entry("Invited")}])

    def poll(regions: Any) -> dict[str, Any]:
        return {R: next(answers)}

    records = wait_until_settled(poll, {(R, "1"), (R, "2")}, timeout=60, clock=lambda: clock.now, sleep=clock.sleep)
    assert [(r.accountId, r.outcome, r.status) for r in records] == [
        ("2", "failed", "EmailVerificationFailed"), ("1", "ok", "Invited")]
    assert clock.sleeps == [1.0]
