"""macie_members.plan.model: requests, jobs, plans, the record helpers, 50-id batches, interleave."""

from __future__ import annotations

from macie_members.plan.model import interleave, single


def test_interleave_round_robins_regions() -> None:
    jobs = [single(region, a, "DeleteMember", {"id": a}) for region in ("a", "b") for a in ("1", "2", "3")]
    assert [j.region for j in interleave(jobs)] == ["a", "b", "a", "b", "a", "b"]
