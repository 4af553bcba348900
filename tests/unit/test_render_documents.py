"""macie_members.render.documents: the tool's own documents in every output format: result
records (``render_results``), dry runs (``dry_run_pieces``), ``status`` (``render_status``) and
``onboard``/``sync --plan`` (``render_plan``)."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import pytest

from macie_members.plan.model import Request
from macie_members.records import Result
from macie_members.render.documents import (
    TEXT_FIELDS,
    dry_run_pieces,
    render_plan,
    render_results,
    render_status,
)

E, W = "us-east-1", "eu-west-1"
A, B = "111111111111", "222222222222"

RESULTS = [
    Result(W, B, "create-member", "ok", arn=f"arn:aws:macie2:{W}:123456789012:member/{B}"),
    Result(E, B, "create-member", "failed", errorCode="ValidationException", errorMessage="bad\temail\nthere"),
    Result(E, A, "create-member", "skipped", errorMessage="already in the inventory", status="Created"),
    Result(E, None, "region", "skipped", errorMessage="not enabled"),
]


def rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline="")))


# ---------------------------------------------------------------------------- results


def test_results_json_is_ordered_by_region_and_account_with_a_summary() -> None:
    text = render_results(RESULTS, output="json")
    assert text.endswith("}\n") and '\n    "results": [' in text  # indented by 4
    document = json.loads(text)
    assert list(document) == ["results", "summary"]
    assert [(r["region"], r["accountId"]) for r in document["results"]] == [(W, B), (E, None), (E, A), (E, B)]
    assert document["results"][0] == RESULTS[0].to_json()
    assert list(document["results"][0]) == list(TEXT_FIELDS)
    assert document["summary"] == {"ok": 1, "skipped": 2, "failed": 1}


def test_results_json_keeps_non_ascii_text() -> None:
    text = render_results([Result(E, A, "create-member", "failed", errorMessage="zoë")], output="json")
    assert "zoë" in text


def test_results_text_is_one_line_per_record_with_the_fields_in_order() -> None:
    lines = render_results(RESULTS, output="text").splitlines()
    assert lines[0].split("\t") == [W, B, "create-member", "ok", "", "", f"arn:aws:macie2:{W}:123456789012:member/{B}", "",
                                    ""]
    assert lines[1].split("\t") == [E, "", "region", "skipped", "", "not enabled", "", "", ""]
    # A tab or a newline in a value would break the line: they become spaces.
    assert lines[3].split("\t")[4:6] == ["ValidationException", "bad email there"]
    assert len(lines) == 4


def test_results_csv_has_the_text_fields_as_header_and_one_row_per_record() -> None:
    table = rows(render_results(RESULTS, output="csv"))
    assert table[0] == list(TEXT_FIELDS)
    assert [row[:2] for row in table[1:]] == [[W, B], [E, ""], [E, A], [E, B]]
    assert table[4][5] == "bad\temail\nthere"  # quoted, not flattened: CSV can hold it


def test_results_table_is_a_table_per_region_and_a_summary_line() -> None:
    text = render_results(RESULTS, output="table", width=100)
    assert text.index(W) < text.index(E)  # Regions in name order
    assert "already in the inventory Created" in text  # the detail: code, message, status
    assert text.rstrip().endswith("1 ok, 2 skipped, 1 failed")
    assert all(len(line) <= 100 for line in text.splitlines())
    assert "\x1b[" not in text


def test_results_table_too_narrow_for_a_table_is_a_line_per_record() -> None:
    text = render_results([RESULTS[2]], output="table", width=40)
    assert text.splitlines() == [E, f"{A} create-member skipped", "  already in the inventory Created",
                                 "0 ok, 1 skipped, 0 failed"]


def test_results_table_colours_the_outcome_only_when_asked() -> None:
    assert "\x1b[" in render_results(RESULTS, output="table", width=120, color=True)
    assert "\x1b[" not in render_results(RESULTS, output="table", width=120, color=False)


# --------------------------------------------------------------------------- dry runs

REQUESTS = [
    Request(E, "CreateMember", {"account": {"accountId": A, "email": "zoë@example.com"}}, (A,)),
    Request(W, "AcceptInvitation", {"administratorAccountId": "123456789012", "invitationId": "i"}, (A,),
            sender=A),
]


def test_dry_run_json_is_the_requests_document_streamed_in_pieces() -> None:
    pieces = list(dry_run_pieces(iter(REQUESTS), output="json"))
    assert len(pieces) > 2  # streamed, not built whole
    text = "".join(pieces)
    assert json.loads(text) == {"dryRun": True, "requests": [r.to_json() for r in REQUESTS]}
    assert json.loads(text)["requests"][1]["as"] == A  # who sends it, on the member side
    assert "zoë" in text and text.endswith("}\n")


def test_dry_run_json_without_requests_is_still_a_document() -> None:
    assert json.loads("".join(dry_run_pieces([], output="json"))) == {"dryRun": True, "requests": []}


def test_dry_run_text_is_a_line_per_request_with_the_sender_last() -> None:
    lines = "".join(dry_run_pieces(REQUESTS, output="text")).splitlines()
    assert lines[0].split("\t") == [E, "CreateMember", json.dumps(dict(REQUESTS[0].params), ensure_ascii=False)]
    assert lines[1].split("\t")[::3] == [W, A]  # Region first, sender (as) last
    assert len(lines[1].split("\t")) == 4


def test_dry_run_csv_has_a_header_and_a_row_per_request() -> None:
    table = rows("".join(dry_run_pieces(REQUESTS, output="csv")))
    assert table == [["region", "operation", "params", "as"],
                     [E, "CreateMember", json.dumps(dict(REQUESTS[0].params), ensure_ascii=False), ""],
                     [W, "AcceptInvitation", json.dumps(dict(REQUESTS[1].params)), A]]


def test_dry_run_table_is_a_table_per_region_and_says_nothing_was_sent() -> None:
    text = "".join(dry_run_pieces(REQUESTS, output="table", width=120))
    assert f"{E}: requests a run would send" in text and f"{W}: requests a run would send" in text
    assert f"AcceptInvitation (as {A})" in text
    assert text.rstrip().endswith("2 request(s); nothing was sent.")


# ----------------------------------------------------------------------------- status

STATUS = {
    "regions": [E, W],
    "accounts": [{"accountId": A, "email": "=cmd@example.com", "membershipType": "invitation",
                  "statuses": {E: "Enabled", W: "missing"}},
                 {"accountId": B, "email": None, "membershipType": "organization",
                  "statuses": {E: "EmailVerificationFailed"}}],
    "counts": {"Enabled": {E: 1}, "EmailVerificationFailed": {E: 1}, "missing": {W: 1}},
    "countsByMembershipType": {"invitation": {E: 1}, "organization": {E: 1}},
    "attention": [{"accountId": B, "region": E, "status": "EmailVerificationFailed", "reason": "fix the email"}],
    "errors": [],
}
WITH_ERROR = {**STATUS, "errors": [{"region": W, "errorCode": "AccessDeniedException", "errorMessage": "no"}]}


def test_status_json_is_the_document() -> None:
    assert json.loads(render_status(STATUS, output="json")) == STATUS


def test_status_csv_is_the_matrix_with_formulas_escaped() -> None:
    assert rows(render_status(STATUS, output="csv")) == [
        ["Account ID", "Email", E, W, "Membership"], [A, "'=cmd@example.com", "Enabled", "missing", "invitation"],
        [B, "", "EmailVerificationFailed", "", "organization"]]


def test_status_text_is_a_line_per_account_and_region() -> None:
    assert render_status(STATUS, output="text") == (
        f"{A}\t{E}\tEnabled\tinvitation\n{A}\t{W}\tmissing\tinvitation\n"
        f"{B}\t{E}\tEmailVerificationFailed\torganization\n{B}\t{W}\t\torganization\n")


@pytest.mark.parametrize("output", ["csv", "text"])
def test_status_leaves_out_a_region_that_could_not_be_read(output: str) -> None:
    text = render_status(WITH_ERROR, output=output)
    assert W not in text and E in text


def test_status_table_has_the_matrix_the_counts_attention_and_errors() -> None:
    text = render_status(WITH_ERROR, output="table", width=120)
    assert "Macie members by Region" in text
    assert "counts: Enabled 1, EmailVerificationFailed 1, missing 1" in text
    assert "by membership type: invitation 1, organization 1" in text
    assert f"attention: {B} {E} EmailVerificationFailed: fix the email" in text
    assert f"error: {W}: AccessDeniedException no" in text
    assert all(len(line) <= 120 for line in text.splitlines())


def test_status_table_too_narrow_is_a_block_per_region_with_nothing_cut() -> None:
    many = {**STATUS, "regions": [f"r{i}-region-{i}" for i in range(12)],
            "accounts": [{"accountId": A, "email": None,
                          "statuses": {f"r{i}-region-{i}": "EmailVerificationInProgress" for i in range(12)}}]}
    text = render_status(many, output="table", width=60)
    assert all(len(line) <= 60 for line in text.splitlines())
    assert text.count("EmailVerificationInProgress") == 12  # one per Region block, whole
    assert text.count(A) == 12


# ------------------------------------------------------------------------------- plan

ONBOARD_PLAN: dict[str, Any] = {"plan": [
    {"region": E, "add": [A], "invite": [B], "readd": ["333333333333"],
     "unchanged": [{"accountId": "444444444444", "status": "Enabled"}],
     "attention": [{"accountId": "555555555555", "status": "Resigned", "reason": "invite it again"}]},
    {"region": W, "errorCode": "AccessDeniedException", "errorMessage": "denied"},
]}


def sync_plan(drift: bool | None) -> dict[str, Any]:
    return {"plan": [{"region": E, "add": [], "invite": [], "readd": [],
                      "remove": [{"accountId": A, "status": "Enabled"}, {"accountId": B, "status": "Created"}],
                      "extra": [{"accountId": "666666666666", "status": "Paused"}],
                      "unchanged": [], "attention": []}], "drift": drift}


def test_plan_json_is_the_document() -> None:
    assert json.loads(render_plan(ONBOARD_PLAN, output="json")) == ONBOARD_PLAN


def test_onboard_plan_text_says_each_decision_and_the_totals() -> None:
    assert render_plan(ONBOARD_PLAN, output="text").splitlines() == [
        f"{E}:",
        f"  + add and invite  {A}",
        "  ~ re-add (new email) and invite  333333333333",
        f"  > invite  {B}",
        "  ! needs attention  555555555555 (Resigned): invite it again",
        "    unchanged: 1",
        f"{W}:",
        "  ! can't read the inventory: AccessDeniedException denied",
        "Plan: 1 to add, 1 to invite, 1 to re-add, 1 unchanged, 1 need attention.",
    ]


def test_sync_plan_text_says_removals_extras_and_drift() -> None:
    lines = render_plan(sync_plan(True), output="text").splitlines()
    assert f"  - remove (disassociate, delete)  {A} (Enabled): not in the file" in lines
    assert f"  - remove (delete)  {B} (Created): not in the file" in lines  # never associated
    assert "  ? extra, kept  666666666666 (Paused): not in the file (--prune removes it)" in lines
    assert lines[-2] == ("Plan: 0 to add, 0 to invite, 0 to re-add, 2 to remove, 1 extra (kept), 0 unchanged, "
                         "0 need attention.")
    assert lines[-1] == "Drift: the organization differs from the file."


@pytest.mark.parametrize(("drift", "said"), [
    (False, "No drift: the organization matches the file."),
    (None, "No drift found, but the plan is incomplete: a Region's inventory can't be read."),
])
def test_sync_plan_text_says_when_there_is_no_drift_or_it_is_unknown(drift: bool | None, said: str) -> None:
    assert render_plan(sync_plan(drift), output="text").splitlines()[-1] == said


def test_plan_csv_is_a_row_per_decision() -> None:
    assert rows(render_plan(ONBOARD_PLAN, output="csv")) == [
        ["region", "accountId", "decision", "status", "reason"],
        [E, A, "add", "", ""], [E, B, "invite", "", ""], [E, "333333333333", "readd", "", ""],
        [E, "444444444444", "unchanged", "Enabled", ""],
        [E, "555555555555", "attention", "Resigned", "invite it again"],
    ]
    assert rows(render_plan(sync_plan(True), output="csv"))[1:] == [
        [E, A, "remove", "Enabled", "not in the file"], [E, B, "remove", "Created", "not in the file"],
        [E, "666666666666", "extra", "Paused", "not in the file: kept"]]


def test_sync_plan_lists_organizations_members_apart_in_every_form() -> None:
    from macie_members.domain import Target
    from macie_members.plan.onboarding import decide_sync

    inventory = {"777777777777": {"relationshipStatus": "Enabled"},  # no email: an Organizations member
                 "111111111111": {"relationshipStatus": "Enabled", "email": "a@example.com"}}
    document = {"plan": [decide_sync(E, inventory, [Target("111111111111", "a@example.com")], prune=True).to_json()],
                "drift": False}
    text = render_plan(document, output="text")
    assert "= Organizations member, kept  777777777777 (Enabled)" in text
    assert text.splitlines()[-2].endswith("0 need attention, 1 Organizations members kept.")
    csv_rows = rows(render_plan(document, output="csv"))
    assert [E, "777777777777", "organization", "Enabled"] in [row[:4] for row in csv_rows]
