"""macie_members.flows.workflows, its pure parts: ``onboard --wait``'s loop (with a fake clock)
and ``status_document``, the account x Region matrix."""

from __future__ import annotations

from typing import Any

from macie_members.domain import ATTENTION_REASONS, Target
from macie_members.flows.workflows import status_document, wait_until_settled
from macie_members.records import Result
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


# --------------------------------------------------------------------------- status_document

E, W = "us-east-1", "eu-west-1"


def entry(status: str, email: str | None = None) -> dict[str, Any]:
    return {"relationshipStatus": status, **({"email": email} if email else {})}


def test_status_document_without_a_file_is_the_inventories_as_a_matrix() -> None:
    inventories = {E: {"222222222222": entry("Enabled", "b@example.com"), "111111111111": entry("Invited", "a@example.com"),
                       "777777777777": entry("Enabled")},  # no email: an Organizations member
                   W: {"111111111111": entry("Paused", "a@example.com")}}
    document = status_document([E, W], inventories, {}, None)
    assert list(document) == ["regions", "accounts", "counts", "countsByMembershipType", "attention", "errors"]
    assert document["regions"] == [E, W]
    # Sorted by account; an account absent from a Region's inventory is "missing" there, but
    # without a file that needs no attention: nobody said it should be there.
    assert document["accounts"] == [
        {"accountId": "111111111111", "email": "a@example.com", "membershipType": "invitation",
         "statuses": {E: "Invited", W: "Paused"}},
        {"accountId": "222222222222", "email": "b@example.com", "membershipType": "invitation",
         "statuses": {E: "Enabled", W: "missing"}},
        {"accountId": "777777777777", "email": None, "membershipType": "organization",
         "statuses": {E: "Enabled", W: "missing"}},
    ]
    assert document["counts"] == {"Enabled": {E: 2}, "Invited": {E: 1}, "Paused": {W: 1}, "missing": {W: 2}}
    assert document["countsByMembershipType"] == {"invitation": {E: 2, W: 1}, "organization": {E: 1}}
    assert document["attention"] == [] and document["errors"] == []


def test_status_document_with_a_file_shows_only_its_accounts_and_their_absence() -> None:
    inventories = {E: {"111111111111": entry("Enabled"), "999999999999": entry("Enabled")}, W: {}}
    targets = [Target("111111111111", "a@example.com"), Target("333333333333", "c@example.com")]
    document = status_document([E, W], inventories, {}, targets)
    assert [a["accountId"] for a in document["accounts"]] == ["111111111111", "333333333333"]  # not 9999...
    assert document["accounts"][1] == {"accountId": "333333333333", "email": "c@example.com", "membershipType": None,
                                       "statuses": {E: "missing", W: "missing"}}
    reason = "in the file but not in this Region's inventory"
    assert document["attention"] == [
        {"accountId": "111111111111", "region": W, "status": "missing", "reason": reason},
        {"accountId": "333333333333", "region": E, "status": "missing", "reason": reason},
        {"accountId": "333333333333", "region": W, "status": "missing", "reason": reason},
    ]
    assert document["counts"] == {"Enabled": {E: 1}, "missing": {E: 1, W: 2}}


def test_status_document_says_what_to_do_about_each_status_that_needs_a_person() -> None:
    statuses = ["EmailVerificationFailed", "Resigned", "Removed", "RegionDisabled", "AccountSuspended",
                "Enabled", "Invited"]
    inventory = {f"10000000000{i}": entry(status, "x@example.com") for i, status in enumerate(statuses)}
    document = status_document([E], {E: inventory}, {}, None)
    assert [(a["accountId"], a["status"], a["reason"]) for a in document["attention"]] == [
        (f"10000000000{i}", status, ATTENTION_REASONS[status]) for i, status in enumerate(statuses[:5])]
    assert all(a["region"] == E for a in document["attention"])
    # An Organizations member that was removed is added again, not invited.
    removed = status_document([E], {E: {"777777777777": entry("Removed")}}, {}, None)["attention"]
    assert [a["reason"] for a in removed] == [
        "an Organizations member disassociated by the administrator: add it again or delete it"]


def test_status_document_leaves_a_region_that_cannot_be_read_out_of_the_matrix() -> None:
    error = Result(W, None, "list-members", "failed", errorCode="AccessDeniedException", errorMessage="denied")
    document = status_document([E, W], {E: {"111111111111": entry("Enabled")}}, {W: error},
                               [Target("111111111111")])
    assert document["regions"] == [E, W]  # the Regions asked for, the unreadable one too
    assert document["accounts"] == [{"accountId": "111111111111", "email": None, "membershipType": "organization",
                                     "statuses": {E: "Enabled"}}]
    assert document["attention"] == []  # no "missing" where the inventory could not be read
    assert document["errors"] == [{"region": W, "errorCode": "AccessDeniedException", "errorMessage": "denied"}]


def test_status_document_takes_the_inventorys_email_over_the_files() -> None:
    inventories = {E: {"111111111111": entry("Invited", "registered@example.com")}}
    document = status_document([E], inventories, {}, [Target("111111111111", "file@example.com")])
    assert document["accounts"][0]["email"] == "registered@example.com"
