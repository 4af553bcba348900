"""macie_members.plan.model: requests, jobs, plans, the record helpers, 50-id batches, interleave."""

from __future__ import annotations

from macie_members.plan.model import Plan, Request, batches, fail, interleave, single, skip


def test_interleave_round_robins_regions() -> None:
    jobs = [single(region, a, "DeleteMember", {"id": a}) for region in ("a", "b") for a in ("1", "2", "3")]
    assert [j.region for j in interleave(jobs)] == ["a", "b", "a", "b", "a", "b"]


def test_batches_are_50_ids_a_request_in_order() -> None:
    ids = [str(100000000000 + i) for i in range(101)]
    jobs = batches("eu-west-1", "CreateInvitations", ids, {"disableEmailNotification": True})
    assert [len(job.accounts) for job in jobs] == [50, 50, 1]
    assert [a for job in jobs for a in job.accounts] == ids
    [request] = jobs[2].requests
    assert (request.region, request.operation, dict(request.params), request.accounts) == (
        "eu-west-1", "CreateInvitations", {"accountIds": [ids[100]], "disableEmailNotification": True}, (ids[100],))
    assert batches("eu-west-1", "DeclineInvitations", []) == []


def test_a_request_as_json_says_who_sends_it_only_on_the_member_side() -> None:
    admin = Request("us-east-1", "DeleteMember", {"id": "111111111111"}, ("111111111111",))
    member = Request("us-east-1", "AcceptInvitation", {"invitationId": "i"}, ("111111111111",), sender="111111111111")
    assert admin.to_json() == {"region": "us-east-1", "operation": "DeleteMember", "params": {"id": "111111111111"}}
    assert member.to_json()["as"] == "111111111111"
    assert (admin.action, member.action) == ("delete-member", "accept-invitation")


def test_plans_extend_and_list_their_requests_in_job_order() -> None:
    first = Plan(jobs=[single("us-east-1", "1", "DisassociateMember", {"id": "1"})],
                 records=[skip("us-east-1", "2", "offboard", "not in the inventory")])
    second = Plan(jobs=[single("us-east-1", "3", "DeleteMember", {"id": "3"})],
                  records=[fail("us-east-1", "4", "offboard", "NotMember", "why", "Removed")])
    assert first.extend(second) is first
    assert [r.operation for r in first.requests()] == ["DisassociateMember", "DeleteMember"]
    assert [(r.accountId, r.outcome, r.errorCode, r.status) for r in first.records] == [
        ("2", "skipped", None, None), ("4", "failed", "NotMember", "Removed")]


def test_a_skip_carries_the_members_arn_and_status() -> None:
    record = skip("us-east-1", "1", "create-member", "already in the inventory",
                  {"arn": "arn:x", "relationshipStatus": "Invited"})
    assert (record.outcome, record.errorMessage, record.arn, record.status) == (
        "skipped", "already in the inventory", "arn:x", "Invited")
