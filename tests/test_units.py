"""Pure logic, no server: the domain rules, the planners, the executor's classification of
answers, the retry classification, the configuration's resolution, the wait loop, the ledger."""

from __future__ import annotations

from typing import Any

import botocore.exceptions
import pytest

from macie_members import domain
from macie_members.aws.client import ApiError, Caller, retry_kind
from macie_members.aws.pacing import Pacer
from macie_members.config import GlobalSettings, RunOptions, Terminal
from macie_members.domain import Target
from macie_members.errors import ConfigError, InputError
from macie_members.flows.workflows import wait_until_settled
from macie_members.plan.member_side import MemberState, plan_acceptance
from macie_members.plan.members import (
    new_places,
    plan_create_invitations,
    plan_create_member,
    plan_delete_member,
    plan_disassociate_member,
    plan_offboard,
    plan_update_member_session,
    quota_problem,
)
from macie_members.plan.model import Request, interleave, single
from macie_members.plan.onboarding import (
    decide_onboarding,
    decide_sync,
    onboarding_adds,
    onboarding_invitations,
    onboarding_records,
    region_quota_problem,
    sync_removals,
)
from macie_members.records import Ledger, ReportWriter
from macie_members.run.executor import already_done, answer_records, error_records
from macie_members.run.session import open_config

R = "us-east-1"


def member(status: str, email: str = "x@example.com") -> dict[str, Any]:
    return {"relationshipStatus": status, "email": email, "arn": f"arn:{status}"}


def ids(n: int, start: int = 100000000000) -> list[str]:
    return [str(start + i) for i in range(n)]


# -------------------------------------------------------------------------------- domain


@pytest.mark.parametrize("value", ["111111111111", "000000000042"])
def test_account_ids(value: str) -> None:
    assert domain.is_account_id(value) and domain.account_id_problem(value) is None


@pytest.mark.parametrize(("value", "why"), [
    ("11111111111", "has 11 digits"),
    ("1111111111111", "has 13 digits"),
    ("", "is empty"),
    ("١٢٣٤٥٦٧٨٩٠١٢", "ARABIC-INDIC DIGIT ONE"),  # \d would match these: the rule is [0-9]
    ("\uff11" * 12, "FULLWIDTH DIGIT ONE"),
    ("11111111111a", "'a'"),
])
def test_not_account_ids(value: str, why: str) -> None:
    assert not domain.is_account_id(value)
    problem = domain.account_id_problem(value)
    assert problem is not None and why in problem


@pytest.mark.parametrize("email", ["jane@example.com", "o'neil+macie@sub.example.co.uk", "é@exämple.de",
                                   f"{'a' * 64}@example.com"])
def test_valid_emails(email: str) -> None:
    assert domain.email_problem(email) is None


@pytest.mark.parametrize(("email", "why"), [
    ("jane doe@example.com", "contains a space"),
    ("a<b>@example.com", "'<', '>'"),
    ("jane@localhost", "invalid domain"),
    ("jane", "has no @"),
    ("a@b@example.com", "has 2 @ signs"),
    (f"{'a' * 65}@example.com", "65 characters before the @"),
    (f"a@{'b' * 250}.com", "characters long; an email address has at most 254"),
    ("jane\u200b@example.com", "invisible"),
])
def test_invalid_emails(email: str, why: str) -> None:
    problem = domain.email_problem(email)
    assert problem is not None and why in problem


def test_tag_rules() -> None:
    assert domain.tag_problems({"team": "sec"}) == []
    assert domain.tag_problems({f"k{i}": "v" for i in range(50)}) == []
    assert "valid max length: 50" in domain.tag_problems({f"k{i}": "v" for i in range(51)})[0]
    assert "valid min length: 1" in domain.tag_problems({"": "v"})[0]
    assert "aws: is reserved" in domain.tag_problems({"AWS:team": "v"})[0]
    assert "valid max length: 128" in domain.tag_problems({"k" * 129: "v"})[0]
    assert "valid max length: 256" in domain.tag_problems({"k": "v" * 257})[0]


def test_message_and_text_rules() -> None:
    assert domain.message_problem("m" * 80) is None
    assert "valid max length: 80" in (domain.message_problem("m" * 81) or "")
    assert domain.undecodable(b"a\xff".decode("utf-8", "surrogateescape"))
    assert not domain.undecodable("é")


def test_account_id_lists_split_on_commas_and_spaces() -> None:
    assert domain.split_account_ids(["1,2", " 3  4 ", ",,5"]) == ["1", "2", "3", "4", "5"]


def test_removed_and_resigned_free_their_place_in_the_quota() -> None:
    assert domain.quota_count(["Created", "Invited", "Enabled", "Paused", "EmailVerificationFailed",
                               "Removed", "Resigned", "RegionDisabled"]) == 6


# ------------------------------------------------------------------------------ planners


def test_plan_create_member_skips_accounts_in_the_inventory() -> None:
    plan = plan_create_member(R, {"111111111111": member("Removed")},
                              [Target("111111111111", "a@example.com"), Target("222222222222", "b@example.com")],
                              {"team": "sec"})
    [skipped] = plan.records
    assert (skipped.accountId, skipped.outcome, skipped.status) == ("111111111111", "skipped", "Removed")
    assert [r.to_json() for r in plan.requests()] == [{"region": R, "operation": "CreateMember", "params": {
        "account": {"accountId": "222222222222", "email": "b@example.com"}, "tags": {"team": "sec"}}}]


def test_plan_create_invitations_decides_per_status_and_batches_by_50() -> None:
    inventory = {a: member("Created") for a in ids(120)}
    inventory.update({"900000000001": member("Invited"), "900000000002": member("Enabled"),
                      "900000000003": member("EmailVerificationFailed")})
    targets = [Target(a) for a in [*ids(120), "900000000001", "900000000002", "900000000003", "900000000004"]]
    plan = plan_create_invitations(R, inventory, targets, True, "hi")
    outcomes = {r.accountId: (r.outcome, r.errorCode) for r in plan.records}
    assert outcomes == {"900000000001": ("skipped", None), "900000000002": ("skipped", None),
                        "900000000003": ("failed", "EmailVerificationFailed"),
                        "900000000004": ("failed", "NotInInventory")}
    assert [len(j.accounts) for j in plan.jobs] == [50, 50, 20]
    assert plan.jobs[0].requests[0].params["disableEmailNotification"] is True
    assert len(plan.records) + sum(len(r.accounts) or 1 for r in plan.requests()) == 124


def test_plan_update_disassociate_delete() -> None:
    inventory = {"111111111111": member("Paused"), "222222222222": member("Enabled"), "333333333333": member("Removed")}
    targets = [Target(a) for a in ("111111111111", "222222222222", "333333333333", "444444444444")]
    pause = plan_update_member_session(R, inventory, targets, "PAUSED")
    assert [(r.accountId, r.outcome, r.errorCode) for r in pause.records] == [
        ("111111111111", "skipped", None), ("333333333333", "failed", "NotMember"), ("444444444444", "skipped", None)]
    assert [j.accounts for j in pause.jobs] == [("222222222222",)]
    remove = plan_disassociate_member(R, inventory, targets)
    assert [j.accounts for j in remove.jobs] == [("111111111111",), ("222222222222",)]
    assert {r.accountId: r.errorMessage for r in remove.records} == {
        "333333333333": "not associated (Removed)", "444444444444": "not in the inventory"}
    delete = plan_delete_member(R, inventory, targets)
    # Members are still associated: DeleteMember would be refused, offboard is the way.
    assert [(r.accountId, r.outcome, r.errorCode) for r in delete.records] == [
        ("111111111111", "failed", "StillAssociated"), ("222222222222", "failed", "StillAssociated"),
        ("444444444444", "skipped", None)]
    assert "offboard" in str(delete.records[0].errorMessage)
    assert [j.accounts for j in delete.jobs] == [("333333333333",)]


def test_plan_offboard_disassociates_members_then_deletes() -> None:
    inventory = {"111111111111": member("Enabled"), "222222222222": member("Created"),
                 "333333333333": member("Invited")}
    plan = plan_offboard(R, inventory, [Target(a) for a in ("111111111111", "222222222222", "333333333333",
                                                            "444444444444")])
    assert [[r.operation for r in j.requests] for j in plan.jobs] == [
        ["DisassociateMember", "DeleteMember"], ["DeleteMember"], ["DisassociateMember", "DeleteMember"]]
    assert [(r.accountId, r.outcome) for r in plan.records] == [("444444444444", "skipped")]


def test_quota_counts_places_held_and_joining() -> None:
    full = {a: member("Invited") for a in ids(999)}

    def problem(inventory: dict[str, Any], joining: list[str]) -> str | None:
        return quota_problem(R, inventory, new_places(inventory, joining))

    assert problem(full, ["800000000000"]) is None
    assert "1000 accounts hold a place in the quota + 1 joining = 1001" in (
        problem({**full, "800000000000": member("Created")}, ["800000000001"]) or "")
    with_removed = {**full, "800000000000": member("Removed"), "800000000001": member("Resigned")}
    assert problem(with_removed, ["800000000000"]) is None  # 999 + 1
    assert problem(with_removed, ["800000000000", "800000000001"]) is not None  # invited again: 1001
    assert problem(full, [next(iter(full))]) is None  # already holds its place


@pytest.mark.parametrize(("status", "file_email", "decision"), [
    (None, "a@example.com", "add"),
    ("Created", "a@example.com", "invite"), ("Removed", "a@example.com", "invite"),
    ("Resigned", "a@example.com", "invite"),
    ("Invited", "a@example.com", "unchanged"), ("EmailVerificationInProgress", "a@example.com", "unchanged"),
    ("Enabled", "a@example.com", "unchanged"), ("Paused", "a@example.com", "unchanged"),
    ("EmailVerificationFailed", "new@example.com", "readd"),
    ("EmailVerificationFailed", "A@example.com", "attention"),
    ("RegionDisabled", "a@example.com", "attention"), ("AccountSuspended", "a@example.com", "attention"),
])
def test_onboarding_decisions(status: str | None, file_email: str, decision: str) -> None:
    inventory = {} if status is None else {"111111111111": member(status, "a@example.com")}
    plan = decide_onboarding(R, inventory, [Target("111111111111", file_email)])
    decided = [name for name in ("add", "invite", "readd", "unchanged", "attention") if getattr(plan, name)]
    assert decided == [decision]


def test_onboarding_phases() -> None:
    inventory = {"222222222222": member("Created"), "333333333333": member("EmailVerificationFailed")}
    plan = decide_onboarding(R, inventory, [Target("111111111111", "a@example.com"),
                                            Target("222222222222", "b@example.com"),
                                            Target("333333333333", "c@example.com")])
    assert [[r.operation for r in j.requests] for j in onboarding_adds(plan)] == [
        ["DeleteMember", "CreateMember"], ["CreateMember"]]
    [invite] = onboarding_invitations(plan, ["333333333333", "111111111111"], None, None)
    assert invite.requests[0].params == {"accountIds": ["222222222222", "333333333333", "111111111111"]}


# ------------------------------------------------------------------------------- sync

STATUSES = [None, *domain.RELATIONSHIP_STATUSES]
DECISIONS = ("add", "invite", "readd", "remove", "extra", "unchanged", "attention")


def decisions(plan: Any) -> list[str]:
    return [name for name in DECISIONS if getattr(plan, name)]


@pytest.mark.parametrize("status", STATUSES)
def test_sync_decides_as_onboard_for_the_accounts_of_the_file(status: str | None) -> None:
    inventory = {} if status is None else {"111111111111": member(status, "a@example.com")}
    for email in ("a@example.com", "new@example.com"):
        targets = [Target("111111111111", email)]
        onboarding = decisions(decide_onboarding(R, inventory, targets))
        for prune in (False, True):
            assert decisions(decide_sync(R, inventory, targets, prune=prune)) == onboarding


@pytest.mark.parametrize("status", STATUSES)
def test_sync_decides_for_the_accounts_not_in_the_file(status: str | None) -> None:
    """Without prune: members and pending accounts not in the file are extra (kept, not drift);
    every other status is no member and holds no place: left alone. With prune: every account
    not in the file is removed (drift)."""
    inventory = {} if status is None else {"222222222222": member(status)}
    kept = decide_sync(R, inventory, [], prune=False)
    pruned = decide_sync(R, inventory, [], prune=True)
    if status is None:
        assert decisions(kept) == decisions(pruned) == [] and not kept.drift and not pruned.drift
        return
    assert (decisions(pruned), pruned.remove, pruned.drift) == (["remove"], [("222222222222", status)], True)
    if status in domain.CURRENT | domain.PENDING:
        assert (decisions(kept), kept.extra, kept.drift) == (["extra"], [("222222222222", status)], False)
    else:
        assert decisions(kept) == [] and not kept.drift


def test_drift_is_what_a_run_would_act_on_or_a_person_must() -> None:
    inventory = {"111111111111": member("Enabled"), "222222222222": member("Invited"),
                 "333333333333": member("AccountSuspended")}
    assert not decide_sync(R, inventory, [Target("111111111111", "x@example.com")], prune=False).drift
    assert decide_sync(R, inventory, [Target("111111111111", "x@example.com")], prune=True).drift
    assert decide_sync(R, {}, [Target("111111111111", "x@example.com")], prune=False).drift  # add
    assert decide_sync(R, inventory, [Target("333333333333", "x@example.com")], prune=False).drift  # attention


def test_sync_removes_as_offboard_does_and_records_its_decisions() -> None:
    inventory = {"111111111111": member("Enabled"), "222222222222": member("Paused"),
                 "333333333333": member("EmailVerificationInProgress"), "444444444444": member("Removed"),
                 "555555555555": member("Invited")}
    plan = decide_sync(R, inventory, [Target("555555555555", "e@example.com")], prune=True)
    assert [(j.accounts, [r.operation for r in j.requests]) for j in sync_removals(plan)] == [
        (("111111111111",), ["DisassociateMember", "DeleteMember"]),
        (("222222222222",), ["DisassociateMember", "DeleteMember"]),
        (("333333333333",), ["DisassociateMember", "DeleteMember"]),
        (("444444444444",), ["DeleteMember"])]  # Removed: a removal cut short is finished
    assert [(r.accountId, r.action, r.outcome) for r in onboarding_records(plan)] == [
        ("555555555555", "sync", "skipped")]
    kept = decide_sync(R, inventory, [Target("555555555555", "e@example.com")], prune=False)
    assert sync_removals(kept) == []
    assert [(r.accountId, r.action, r.outcome, r.status) for r in onboarding_records(kept)] == [
        ("555555555555", "sync", "skipped", "Invited"), ("111111111111", "sync", "skipped", "Enabled"),
        ("222222222222", "sync", "skipped", "Paused"),
        ("333333333333", "sync", "skipped", "EmailVerificationInProgress")]
    assert onboarding_records(decide_onboarding(R, inventory, [Target("555555555555", "e@example.com")]))[0].action \
        == "onboard"


def test_sync_plan_document_has_remove_and_extra_onboard_does_not() -> None:
    inventory = {"111111111111": member("Enabled")}
    assert list(decide_onboarding(R, inventory, []).to_json()) == [
        "region", "add", "invite", "readd", "unchanged", "attention"]
    document = decide_sync(R, inventory, [], prune=False).to_json()
    assert list(document) == ["region", "add", "invite", "readd", "remove", "extra", "organization", "unchanged",
                              "attention"]
    assert document["extra"] == [{"accountId": "111111111111", "status": "Enabled"}]


def test_quota_counts_the_places_removals_free_first() -> None:
    full = {a: member("Enabled") for a in ids(1000)}
    newcomer = [Target("800000000000", "n@example.com")]
    assert "1000 accounts hold a place in the quota + 1 joining = 1001" in (
        region_quota_problem(decide_sync(R, full, newcomer, prune=False), full) or "")
    # With --prune, the 1,000 not in the file are removed before the newcomer is added.
    assert region_quota_problem(decide_sync(R, full, newcomer, prune=True), full) is None
    keep_most = [Target(a, "x@example.com") for a in ids(999)] + newcomer
    assert region_quota_problem(decide_sync(R, full, keep_most, prune=True), full) is None  # 1000 - 1 + 1
    assert "1000 accounts hold a place in the quota - 1 removed + 2 joining = 1001" in (
        region_quota_problem(decide_sync(R, full, [*keep_most, Target("800000000001", "m@example.com")],
                                         prune=True), full) or "")


ADMIN = "123456789012"


def invitation(sender: str, at: str, status: str = "Invited", ident: str = "i") -> dict[str, Any]:
    return {"accountId": sender, "invitedAt": at, "relationshipStatus": status, "invitationId": ident}


def test_acceptance_accepts_the_newest_pending_invitation_of_this_administrator_only() -> None:
    state = MemberState(True, (invitation(ADMIN, "2026-01-01", ident="old"), invitation(ADMIN, "2026-02-01", ident="new"),
                               invitation("999999999999", "2026-03-01", ident="other"),
                               invitation(ADMIN, "2026-04-01", status="Removed", ident="gone")))
    plan = plan_acceptance(R, "111111111111", state, ADMIN, enable_macie=False)
    assert [r.to_json()["params"] for r in plan.requests()] == [
        {"administratorAccountId": ADMIN, "invitationId": "new"}]


def test_acceptance_decisions() -> None:
    member_now = MemberState(True, (), {"accountId": ADMIN, "relationshipStatus": "Enabled"})
    assert plan_acceptance(R, "1", member_now, ADMIN, enable_macie=False).records[0].outcome == "skipped"
    nothing = plan_acceptance(R, "1", MemberState(True, (invitation("999999999999", "x"),)), ADMIN, enable_macie=False)
    assert nothing.records[0].errorCode == "NoInvitation" and not nothing.jobs
    disabled = MemberState(False, (invitation(ADMIN, "x"),))
    assert plan_acceptance(R, "1", disabled, ADMIN, enable_macie=False).records[0].errorCode == "MacieNotEnabled"
    enabled = plan_acceptance(R, "1", disabled, ADMIN, enable_macie=True)
    assert [r.operation for r in enabled.requests()] == ["EnableMacie", "AcceptInvitation"]


def test_interleave_round_robins_regions() -> None:
    jobs = [single(region, a, "DeleteMember", {"id": a}) for region in ("a", "b") for a in ("1", "2", "3")]
    assert [j.region for j in interleave(jobs)] == ["a", "b", "a", "b", "a", "b"]


# ------------------------------------------------------------- the executor's classification


def api_error(code: str, message: str, retries: int = 0) -> ApiError:
    return ApiError(code=code, error_message=message, operation="X", region=R, retries=retries)


@pytest.mark.parametrize(("operation", "code", "message", "done"), [
    ("CreateMember", "ConflictException", "already in your inventory", True),
    ("DeleteMember", "ResourceNotFoundException", "The request failed because the resource doesn't exist.", True),
    ("DisassociateMember", "ValidationException", "account 1 is not associated with your account", True),
    ("DisassociateMember", "ValidationException", "is not an associated member of account 2", True),
    ("DisassociateMember", "ValidationException", "id must be 12 digits", False),
    ("DeleteMember", "ValidationException", "still associated", False),
    ("CreateMember", "ValidationException", "bad email", False),
    ("EnableMacie", "ConflictException", "Macie is already enabled", True),
])
def test_already_done_table(operation: str, code: str, message: str, done: bool) -> None:
    assert (already_done(operation, code, message) is not None) is done


def test_error_records_skip_work_found_done_by_a_retry() -> None:
    request = Request(R, "DeleteMember", {"id": "111111111111"}, ("111111111111",))
    [record] = error_records(request, api_error("ResourceNotFoundException", "gone", retries=2))
    assert record.outcome == "skipped" and record.errorMessage == "already deleted: found so by retry 2 (gone)"
    [failed] = error_records(request, api_error("AccessDeniedException", "Macie is not enabled"))
    assert (failed.outcome, failed.errorCode, failed.errorMessage) == (
        "failed", "AccessDeniedException", "Macie is not enabled")


def test_invitation_answers_per_account() -> None:
    request = Request(R, "CreateInvitations", {"accountIds": ["1", "2", "3"]}, ("1", "2", "3"))
    response = {"unprocessedAccounts": [
        {"accountId": "2", "errorCode": "ClientError", "errorMessage": "The account 2 is already a member account."},
        {"accountId": "3", "errorCode": "InternalError", "errorMessage": "try again"}]}
    assert [(r.accountId, r.outcome) for r in answer_records(request, response)] == [
        ("1", "ok"), ("2", "skipped"), ("3", "failed")]


# ------------------------------------------------------------------------------- retries


def client_error(code: str, status: int) -> botocore.exceptions.ClientError:
    return botocore.exceptions.ClientError(
        {"Error": {"Code": code, "Message": f"the service says {code}"}, "ResponseMetadata": {"HTTPStatusCode": status}},
        "CreateMember")


@pytest.mark.parametrize(("error", "kind"), [
    (client_error("TooManyRequestsException", 429), "throttled"),
    (client_error("ThrottlingException", 429), "throttled"),
    (client_error("Throttling", 400), "throttled"),
    (client_error("", 429), "throttled"),
    (client_error("InternalServerException", 500), "transient"),
    (client_error("", 503), "transient"),
    (client_error("ValidationException", 400), None),
    (client_error("ConflictException", 409), None),
    (botocore.exceptions.EndpointConnectionError(endpoint_url="http://x"), "transient"),
    (botocore.exceptions.ReadTimeoutError(endpoint_url="http://x"), "transient"),
    (botocore.exceptions.NoCredentialsError(), None),
])
def test_retry_classification(error: BaseException, kind: str | None) -> None:
    assert retry_kind(error) == kind


class Clock:
    def __init__(self) -> None:
        self.now = 0.0
        self.sleeps: list[float] = []

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


class FlakyClient:
    """A stand-in for a botocore client: fails with the given errors, then answers."""

    def __init__(self, *errors: BaseException) -> None:
        self.errors = list(errors)
        self.calls = 0

    def create_member(self, **params: Any) -> dict[str, Any]:
        self.calls += 1
        if self.errors:
            raise self.errors.pop(0)
        return {"arn": "arn:x", "ResponseMetadata": {}}


def caller(raw: FlakyClient, attempts: int) -> tuple[Caller, list[float], Pacer]:
    clock = Clock()
    pacer = Pacer(clock=lambda: clock.now, sleep=clock.sleep)
    call = Caller(raw, region=R, attempts=attempts, pacer=pacer, sleep=clock.sleep)  # type: ignore[arg-type]
    return call, clock.sleeps, pacer


def test_a_request_is_retried_until_it_succeeds() -> None:
    raw = FlakyClient(client_error("TooManyRequestsException", 429), client_error("InternalServerException", 500))
    call, slept, pacer = caller(raw, 3)
    assert call._send("CreateMember", lambda: raw.create_member()) == {"arn": "arn:x"}
    assert raw.calls == 3 and len(slept) >= 2 and pacer.rate is not None  # paced since the throttle
    assert call.ledger.changes_sent == 1 and call.ledger.changes_answered == 1


def test_when_attempts_run_out_the_error_keeps_the_services_message() -> None:
    raw = FlakyClient(*[client_error("TooManyRequestsException", 429)] * 3)
    call, _, _ = caller(raw, 3)
    with pytest.raises(ApiError) as caught:
        call._send("CreateMember", lambda: raw.create_member())
    assert caught.value.error_message == "the service says TooManyRequestsException"
    assert caught.value.retries == 2
    assert str(caught.value) == ("An error occurred (TooManyRequestsException) when calling the CreateMember "
                                 "operation (reached max retries: 2): the service says TooManyRequestsException")


def test_a_final_error_is_not_retried() -> None:
    raw = FlakyClient(client_error("ConflictException", 409))
    call, slept, _ = caller(raw, 8)
    with pytest.raises(ApiError):
        call._send("CreateMember", lambda: raw.create_member())
    assert raw.calls == 1 and slept == []


# ---------------------------------------------------------------------- configuration


def config(env: dict[str, str] | None = None, terminal: Terminal | None = None, **settings: Any) -> Any:
    options = settings.pop("options", RunOptions())
    base = {"AWS_DEFAULT_REGION": "us-east-1", **(env or {})}
    return open_config(GlobalSettings(**settings), options, environ=base, terminal=terminal or Terminal())[0]


@pytest.mark.parametrize(("env", "bulk", "attempts"), [
    ({}, False, 3), ({}, True, 8), ({"AWS_RETRY_MODE": "legacy"}, False, 5),
    ({"AWS_MAX_ATTEMPTS": "2"}, True, 2), ({"AWS_MAX_ATTEMPTS": "1"}, False, 1),
])
def test_attempts(env: dict[str, str], bulk: bool, attempts: int) -> None:
    assert config(env, options=RunOptions(bulk=bulk)).attempts == attempts


@pytest.mark.parametrize(("color", "no_color", "tty", "expected"), [
    ("auto", None, True, True), ("auto", None, False, False), ("auto", "1", True, False),
    ("auto", "", True, True),  # NO_COLOR only counts when it is not empty
    ("on", "1", False, True), ("off", None, True, False),
    ("auto", "dumb-terminal", True, False),  # TERM=dumb
])
def test_colour_has_one_precedence(color: str, no_color: str | None, tty: bool, expected: bool) -> None:
    env = {"TERM": "dumb"} if no_color == "dumb-terminal" else {} if no_color is None else {"NO_COLOR": no_color}
    assert config(env, Terminal(stdout_tty=tty), color=color).color is expected


def test_configuration_is_frozen() -> None:
    resolved = config()
    with pytest.raises(AttributeError):
        resolved.output = "text"


@pytest.mark.parametrize(("options", "message"), [
    (RunOptions(regions=("us-east-1",), all_regions=True), "either --regions or --all-regions"),
    (RunOptions(report="r.jsonl"), "produces no result records"),
    (RunOptions(report="r.jsonl", records=True, dry_run=True), "--dry-run"),
    (RunOptions(regions=("us_east_1",)), "not a Region name"),
])
def test_options_refused(options: RunOptions, message: str) -> None:
    with pytest.raises(InputError, match=message):
        config(options=options)


def test_unknown_output_type_from_the_environment() -> None:
    with pytest.raises(ConfigError, match="Unknown output type: yaml"):
        config({"AWS_DEFAULT_OUTPUT": "yaml"})


def test_concurrency_default_is_16_per_region_at_most_64() -> None:
    assert config(options=RunOptions(regions=("us-east-1", "eu-west-1"))).max_concurrency == 32
    assert config(options=RunOptions(all_regions=True)).max_concurrency == 64
    assert config(options=RunOptions(max_concurrency=3)).max_concurrency == 3


# ------------------------------------------------------------------------- onboard --wait


def test_wait_polls_until_the_timeout_has_passed() -> None:
    clock = Clock()
    polls: list[float] = []

    def poll(regions: Any) -> dict[str, Any]:
        polls.append(clock.now)
        return {R: {"111111111111": member("EmailVerificationInProgress")}}

    [record] = wait_until_settled(poll, {(R, "111111111111")}, timeout=2.9, clock=lambda: clock.now, sleep=clock.sleep)
    assert polls == [0.0, 1.0, 2.9]  # the last pause is cut short, and the last poll is at the deadline
    assert (record.outcome, record.errorCode, record.errorMessage) == ("failed", "Timeout", "still pending after 2.9 s")


def test_wait_records_each_account_once_settled() -> None:
    clock = Clock()
    answers = iter([{"1": member("EmailVerificationInProgress"), "2": member("EmailVerificationFailed")},
                    {"1": member("Invited")}])

    def poll(regions: Any) -> dict[str, Any]:
        return {R: next(answers)}

    records = wait_until_settled(poll, {(R, "1"), (R, "2")}, timeout=60, clock=lambda: clock.now, sleep=clock.sleep)
    assert [(r.accountId, r.outcome, r.status) for r in records] == [
        ("2", "failed", "EmailVerificationFailed"), ("1", "ok", "Invited")]
    assert clock.sleeps == [1.0]


# ------------------------------------------------------------------------------- ledger


def test_interrupted_messages() -> None:
    ledger = Ledger()
    ledger.plan(5)
    assert ledger.interrupted_message(None).startswith("Interrupted: no change was made; 5 change(s) were planned")
    for _ in range(3):
        ledger.request_sent(True)
    ledger.request_answered(True)
    ledger.request_answered(True)
    report = ReportWriter(None, "run.jsonl")
    assert ledger.interrupted_message(report) == (
        "Interrupted: 2 change(s) done (records in run.jsonl), 1 in flight with an unknown outcome, 2 not sent. "
        "Run the same command again to finish the job: what is done is skipped.")


def test_a_refused_request_is_no_change() -> None:
    ledger = Ledger()
    ledger.plan(1)
    ledger.request_sent(True)
    ledger.request_answered(True, refused=True)
    assert ledger.interrupted_message(None) == (
        "Interrupted: 0 change(s) done, 1 refused by the service; nothing was left to send.")


def test_a_drop_in_request_is_found_done_only_by_a_retry() -> None:
    request = Request(R, "CreateMember", {"account": {"accountId": "1"}}, ("1",))
    [first] = error_records(request, api_error("ConflictException", "exists"), planned=False)
    [retried] = error_records(request, api_error("ConflictException", "exists", retries=1), planned=False)
    assert (first.outcome, retried.outcome) == ("failed", "skipped")


@pytest.mark.parametrize(("name", "valid"), [("MacieAccept", True), ("team/MacieAccept", True), ("a+b=c,d.e@f_g-h", True),
                                             ("", False), ("bad role", False), ("x" * 65, False), ("/lead", False),
                                             ("a//b", False)])
def test_role_names(name: str, valid: bool) -> None:
    assert (domain.role_name_problem(name) is None) is valid
