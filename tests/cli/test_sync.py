"""``macie-members sync``: the accounts CSV as the source of truth, on the sandbox server.

Every test runs in each mode a user has: one Region (the configured one), ``--regions a,b`` and
``--all-regions``. The requests that changed something are read from the fault proxy's log of
answered requests (:class:`tests.support.faults.FaultProxy`, here without faults) or the sandbox's
counters; the mode matrix of tests/cli/test_contract.py covers --debug, --query, --report, retries,
Ctrl-C, dry runs and declined prompts for sync too.
"""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.support import helpers
from tests.support.awscli_support import (
    ADMIN,
    cli_env,
    interrupt_while_held,
    read_until_closed,
    run_on_a_terminal,
    run_ours,
)
from tests.support.faults import MUTATING, FaultProxy
from tests.support.helpers import (
    ServerProcess,
    admin_client,
    member_client,
    records,
    running_proxy,
    statuses,
)

TWO = ["us-east-1", "eu-west-1"]
MODES = {"single": [], "regions": ["--regions", ",".join(TWO)], "all-regions": ["--all-regions"]}
BUILT = {"single": ["us-east-1"], "regions": TWO, "all-regions": TWO}  # where the tests prepare states
BY_MODE = pytest.mark.parametrize("mode", list(MODES))
VERIFICATION = 600.0  # the server's email verification, in its own clock (moved forward, never waited;
# long, so that a slow machine never sees it end by itself within a test)

# Accounts of the file, by their status before the sync (absent: not in the inventory).
IN_FILE = {
    "absent": "100000000000", "Created": "100000000001", "EmailVerificationInProgress": "100000000002",
    "Invited": "100000000003", "EmailVerificationFailed/other email": "100000000004",
    "EmailVerificationFailed/same email": "100000000005", "Enabled": "100000000006", "Paused": "100000000007",
    "Removed": "100000000008", "Resigned": "100000000009",
}
# Accounts not in the file (absent ones are nowhere: nothing to see).
NOT_IN_FILE = {
    "Created": "200000000001", "EmailVerificationInProgress": "200000000002", "Invited": "200000000003",
    "EmailVerificationFailed": "200000000004", "Enabled": "200000000006", "Paused": "200000000007",
    "Removed": "200000000008", "Resigned": "200000000009",
}
FAILED_EMAIL = {IN_FILE["EmailVerificationFailed/other email"], IN_FILE["EmailVerificationFailed/same email"],
                NOT_IN_FILE["EmailVerificationFailed"]}


def registered_email(account: str) -> str:
    return f"{account}@example.invalid" if account in FAILED_EMAIL else f"{account}@example.com"


def file_email(account: str) -> str:
    """The file's email: the registered one, except for the account whose email failed
    verification and that the file corrects."""
    return f"{account}@example.com" if account != IN_FILE["EmailVerificationFailed/same email"] \
        else registered_email(account)


# ------------------------------------------------------------------------------- helpers


@pytest.fixture(scope="module")
def _verifying_server() -> Iterator[ServerProcess]:
    server = ServerProcess("--verification-delay", str(VERIFICATION), instant_verification=False)
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def server(_verifying_server: ServerProcess) -> ServerProcess:
    """A sandbox server whose email verification takes 10 minutes of its clock (so accounts can be
    seen in EmailVerificationInProgress), emptied before each test."""
    _verifying_server.reset()
    return _verifying_server


@pytest.fixture
def proxy(server: ServerProcess) -> Iterator[FaultProxy]:
    """The fault proxy in front of this module's verifying server (not the shared one)."""
    yield from running_proxy(server.url)


def accept(url: str, account: str, region: str) -> None:
    """The member accepts the newest pending invitation of the administrator."""
    client = member_client(url, account, region)
    pending = [i for i in client.list_invitations()["invitations"]
               if i["accountId"] == ADMIN and i["relationshipStatus"] == "Invited"]
    newest = max(pending, key=lambda i: i["invitedAt"])
    client.accept_invitation(administratorAccountId=ADMIN, invitationId=newest["invitationId"])


def settle(server: ServerProcess) -> None:
    """Move the sandbox's clock past email verification."""
    server.control("/_sandbox/clock", {"advance": VERIFICATION + 1})


def add(url: str, region: str, accounts: list[str], *, invite: bool = False) -> None:
    client = admin_client(url, region)
    for account in accounts:
        client.create_member(account={"accountId": account, "email": registered_email(account)})
    if invite:
        client.create_invitations(accountIds=accounts)


def build_every_status(server: ServerProcess, regions: list[str]) -> None:
    """In each Region, every account of IN_FILE and NOT_IN_FILE in its status."""
    url = server.url
    everything = [*IN_FILE.items(), *NOT_IN_FILE.items()]

    def having(*names: str) -> list[str]:
        return [a for name, a in everything if name.split("/")[0] in names]

    verified = having("Invited", "EmailVerificationFailed", "Enabled", "Paused", "Removed", "Resigned")
    for region in regions:
        add(url, region, having("Created", "EmailVerificationInProgress"))
        add(url, region, verified, invite=True)
    settle(server)  # verification done: Invited, or EmailVerificationFailed for the .invalid addresses
    for region in regions:
        client = admin_client(url, region)
        for account in having("Enabled", "Paused", "Removed", "Resigned"):
            accept(url, account, region)
        for account in having("Paused"):
            client.update_member_session(id=account, status="PAUSED")
        for account in having("Removed"):
            client.disassociate_member(id=account)
        for account in having("Resigned"):
            member_client(url, account, region).disassociate_from_administrator_account()
        client.create_invitations(accountIds=having("EmailVerificationInProgress"))  # verifying for 10 minutes
    for region in regions:
        assert statuses(url, region) == {a: name.split("/")[0] for name, a in everything if name != "absent"}


def write_csv(path: Path, accounts: list[str]) -> str:
    """The accounts file of these tests: each account with its :func:`file_email`."""
    return helpers.write_csv(path, accounts, emails=file_email)


def changes(proxy: FaultProxy, start: int = 0) -> Counter[tuple[str, str, str]]:
    """The mutating requests answered since ``start``: (Region, operation, account), counted."""
    out: Counter[tuple[str, str, str]] = Counter()
    for region, operation, params in proxy.answered[start:]:
        accounts = params.get("accountIds") or [params.get("id") or params.get("account", {}).get("accountId")]
        for account in accounts:
            out[(region, operation, account)] += 1
    return out


def regions_of(run: Any) -> list[str]:
    """The Regions a run worked in (not those skipped: not enabled for the account)."""
    return sorted({r["region"] for r in records(run.stdout) if r["action"] != "region"})


# ------------------------------------------------------------------- convergence


@BY_MODE
def test_sync_converges_from_every_status_and_a_second_sync_sends_nothing(mode: str, server: ServerProcess,
                                                                          proxy: FaultProxy,
                                                                          tmp_path: Path) -> None:
    built = BUILT[mode]
    build_every_status(server, built)
    env = cli_env(proxy.url, tmp_path)
    accounts = write_csv(tmp_path / "accounts.csv", list(IN_FILE.values()))

    first = run_ours(["sync", accounts, "--prune", "--yes", *MODES[mode]], env)
    assert first.rc == 254, first.stderr  # the account whose file email is the one that failed
    assert first.stderr == ""
    regions = regions_of(first)
    assert set(built) <= set(regions) and (len(regions) == 1 if mode == "single" else len(regions) >= 2)
    if mode == "all-regions":
        assert len(regions) > 10
    failed = [(r["region"], r["accountId"], r["action"], r["errorCode"]) for r in records(first.stdout)
              if r["outcome"] == "failed"]
    same = IN_FILE["EmailVerificationFailed/same email"]
    assert failed == [(region, same, "sync", "EmailVerificationFailed") for region in sorted(built)]

    # Exactly the requests convergence needs, each once: removals, adds (and the re-add), invitations.
    expected: Counter[tuple[str, str, str]] = Counter()
    for region in regions:
        if region not in built:  # an empty Region: every account of the file is added and invited
            for account in IN_FILE.values():
                expected[(region, "CreateMember", account)] += 1
                expected[(region, "CreateInvitations", account)] += 1
            continue
        for name in ("EmailVerificationInProgress", "Invited", "Enabled", "Paused"):
            expected[(region, "DisassociateMember", NOT_IN_FILE[name])] += 1
            expected[(region, "DeleteMember", NOT_IN_FILE[name])] += 1
        for name in ("Created", "EmailVerificationFailed", "Removed", "Resigned"):  # no member: only deleted
            expected[(region, "DeleteMember", NOT_IN_FILE[name])] += 1
        other = IN_FILE["EmailVerificationFailed/other email"]
        for operation, account in (("CreateMember", IN_FILE["absent"]), ("DeleteMember", other),
                                   ("CreateMember", other)):
            expected[(region, operation, account)] += 1
        for name in ("absent", "Created", "EmailVerificationFailed/other email", "Removed", "Resigned"):
            expected[(region, "CreateInvitations", IN_FILE[name])] += 1
    assert changes(proxy) == expected

    for region in built:
        assert statuses(server.url, region) == {
            **{IN_FILE[name]: "EmailVerificationInProgress" for name in (
                "absent", "Created", "EmailVerificationInProgress", "EmailVerificationFailed/other email",
                "Removed", "Resigned")},
            IN_FILE["Invited"]: "Invited", same: "EmailVerificationFailed",
            IN_FILE["Enabled"]: "Enabled", IN_FILE["Paused"]: "Paused",
            # With --prune, no account outside the file is left in the inventory.
        }

    # Right after: nothing to send.
    answered = len(proxy.answered)
    second = run_ours(["sync", accounts, "--prune", "--yes", *MODES[mode]], env)
    assert second.rc == 254 and second.stderr == ""
    assert len(proxy.answered) == answered
    assert {(r["action"], r["outcome"]) for r in records(second.stdout) if r["action"] != "region"} == {
        ("sync", "skipped"), ("sync", "failed")}

    # Verification passes, the members accept: still nothing to send.
    settle(server)
    for region in built:
        for account, status in statuses(server.url, region).items():
            if status == "Invited" and account in IN_FILE.values():
                accept(server.url, account, region)
    third = run_ours(["sync", accounts, "--prune", "--yes", *MODES[mode]], env)
    assert third.rc == 254 and third.stderr == ""
    assert len(proxy.answered) == answered
    for region in built:
        now = statuses(server.url, region)
        assert {now[a] for a in IN_FILE.values() if a != same} == {"Enabled", "Paused"}


@BY_MODE
def test_without_prune_extra_accounts_stay_and_the_plan_lists_them(mode: str, server: ServerProcess,
                                                                    proxy: FaultProxy, tmp_path: Path) -> None:
    build_every_status(server, BUILT[mode])
    env = cli_env(proxy.url, tmp_path)
    wanted = [IN_FILE["Enabled"], IN_FILE["Invited"]]
    accounts = write_csv(tmp_path / "accounts.csv", wanted)
    # Not in this file, and members or pending: extra.
    kept = sorted(a for name, a in [*IN_FILE.items(), *NOT_IN_FILE.items()] if a not in wanted
                  and name in ("EmailVerificationInProgress", "Invited", "Enabled", "Paused"))

    plan = run_ours(["sync", accounts, "--plan", *MODES[mode]], env)
    assert plan.rc == 0 and plan.stderr == ""
    document = json.loads(plan.stdout)
    by_region = {p["region"]: p for p in document["plan"]}
    for region in BUILT[mode]:
        assert [e["accountId"] for e in by_region[region]["extra"]] == sorted(kept)
        assert by_region[region]["remove"] == [] and by_region[region]["add"] == []
    assert document["drift"] is (mode == "all-regions")  # elsewhere, the file's accounts are to add

    run = run_ours(["sync", accounts, *MODES[mode]], env)
    assert run.rc == 0 and run.stderr == ""
    assert not [c for c in changes(proxy) if c[1] not in ("CreateMember", "CreateInvitations")]
    extra = {(r["region"], r["accountId"]): r for r in records(run.stdout) if r["accountId"] in kept}
    assert len(extra) == len(kept) * len(BUILT[mode])
    assert {(r["action"], r["outcome"], r["errorMessage"]) for r in extra.values()} == {
        ("sync", "skipped", "not in the file: kept (sync --prune removes it)")}
    for region in BUILT[mode]:
        assert {a for a, s in statuses(server.url, region).items() if a in kept} == set(kept)

    pruned = run_ours(["sync", accounts, "--prune", "--yes", *MODES[mode]], env)
    assert pruned.rc == 0, pruned.stderr
    for region in BUILT[mode]:
        assert not set(statuses(server.url, region)) & set(kept)


# ------------------------------------------------------------------- confirmation


@BY_MODE
def test_removals_need_yes_without_a_terminal_and_nothing_is_sent(mode: str, server: ServerProcess,
                                                                  proxy: FaultProxy, tmp_path: Path) -> None:
    for region in BUILT[mode]:
        add(server.url, region, ["200000000001", "200000000002"], invite=True)
    env = cli_env(proxy.url, tmp_path)
    accounts = write_csv(tmp_path / "accounts.csv", ["100000000001"])
    refused = run_ours(["sync", accounts, "--prune", *MODES[mode]], env)
    assert refused.rc == 252 and refused.stdout == ""
    removing = 2 * len(BUILT[mode])
    message = refused.stderr.strip()
    # The refusal counts the plan: every operation, and the (account, Region) pairs it removes.
    assert message.startswith("Refusing to run sync --prune (") and "\n" not in message
    assert f"DisassociateMember x{removing}, DeleteMember x{removing}" in message
    assert f"; destructive on {removing} (account, Region) pairs)" in message
    assert message.endswith(" without confirmation: there is no terminal to ask; add --yes.")
    assert proxy.answered == []  # only reads were sent
    # Without removals there is nothing to confirm: additions go ahead.
    alone = write_csv(tmp_path / "all.csv", ["100000000001", "200000000001", "200000000002"])
    run = run_ours(["sync", alone, "--prune", *MODES[mode]], env)
    assert run.rc == 0 and run.stderr == ""
    assert {c[1] for c in changes(proxy)} == {"CreateMember", "CreateInvitations"}


@pytest.mark.slow
@pytest.mark.posix
@pytest.mark.parametrize("answer", [b"y\n", b"n\n"], ids=["yes", "no"])
@BY_MODE
def test_removals_ask_on_a_terminal(mode: str, answer: bytes, server: ServerProcess, proxy: FaultProxy,
                                    tmp_path: Path) -> None:
    for region in BUILT[mode]:
        add(server.url, region, ["200000000001"], invite=True)
    env = cli_env(proxy.url, tmp_path)
    accounts = write_csv(tmp_path / "accounts.csv", ["100000000001"])
    rc, stdout, terminal = run_on_a_terminal(["sync", accounts, "--prune", *MODES[mode]], env, answer)
    pairs = len(BUILT[mode])
    assert "Run sync --prune: " in terminal
    assert f"DisassociateMember x{pairs}, DeleteMember x{pairs}" in terminal
    assert f"destructive on {pairs} (account, Region) pair{'' if pairs == 1 else 's'}: " in terminal
    assert all(f"200000000001 in {region}" in terminal for region in BUILT[mode])
    if answer == b"n\n":
        assert rc == 1 and stdout == ""
        assert "Cancelled: no change was made" in terminal
        assert proxy.answered == []
        return
    assert rc == 0, terminal
    assert {(r["action"], r["outcome"]) for r in records(stdout) if r["accountId"] == "200000000001"} == {
        ("disassociate-member", "ok"), ("delete-member", "ok")}
    for region in BUILT[mode]:
        assert statuses(server.url, region) == {"100000000001": "EmailVerificationInProgress"}


# ------------------------------------------------------------------------- Ctrl-C


@pytest.mark.slow
@pytest.mark.posix
@BY_MODE
def test_a_rerun_after_ctrl_c_finishes_the_job_without_repeating_it(mode: str, server: ServerProcess,
                                                                    proxy: FaultProxy, tmp_path: Path) -> None:
    build_every_status(server, BUILT[mode])
    env = cli_env(proxy.url, tmp_path, AWS_MAX_ATTEMPTS="")
    accounts = write_csv(tmp_path / "accounts.csv", list(IN_FILE.values()))
    args = ["sync", accounts, "--prune", "--yes", *MODES[mode]]
    report = tmp_path / "sync.jsonl"
    proxy.hold = set(MUTATING)
    proxy.pass_first = 1
    first = interrupt_while_held(proxy, [*args, "--report", str(report)], env)
    assert first.rc == 130, first.stderr
    # An interrupted run that produces records prints the document of what was done (scripting.md).
    document = json.loads(first.stdout)
    assert document["summary"]["interrupted"] is True and document["summary"]["signal"] == "SIGINT"
    last = first.stderr.strip().splitlines()[-1]
    assert last.startswith("Interrupted: ") and "Run the same command again to finish the job" in last, first.stderr
    interrupted = changes(proxy)
    assert interrupted and not any(op in ("CreateMember", "CreateInvitations") for _, op, _ in interrupted)
    recorded = {(r["region"], r["accountId"], r["action"]) for r in map(json.loads, report.read_text().splitlines())
                if r["outcome"] == "ok"}
    assert {(region, account, "".join(f"-{c.lower()}" if c.isupper() else c for c in op).lstrip("-"))
            for region, op, account in interrupted} == recorded
    assert {(r["region"], r["accountId"], r["action"]) for r in document["results"] if r["outcome"] == "ok"} == recorded

    proxy.hold = set()
    answered = len(proxy.answered)
    rerun = run_ours(args, env)
    assert rerun.rc == 254, rerun.stderr  # the account whose file email failed
    assert not set(changes(proxy, answered)) & set(interrupted)  # nothing done twice
    assert max((changes(proxy)).values()) == 1
    for region in BUILT[mode]:
        now = statuses(server.url, region)
        # No account outside the file is a member or pending any more; an account whose removal
        # was cut between its two requests is Removed: no member, no place in the quota.
        assert not [a for a, s in now.items() if a not in IN_FILE.values()
                    and s in ("Enabled", "Paused", "Invited", "EmailVerificationInProgress")]
        assert {now[a] for a in IN_FILE.values()} <= {"EmailVerificationInProgress", "Invited", "Enabled",
                                                      "Paused", "EmailVerificationFailed"}
    again = len(proxy.answered)
    assert run_ours(args, env).rc == 254
    assert len(proxy.answered) == again


# ------------------------------------------------------------------ drift exit codes


def plan_code(args: list[str], env: dict[str, str]) -> Any:
    return run_ours(["sync", *args, "--plan", "--detailed-exitcode"], env)


@BY_MODE
def test_detailed_exitcode_says_whether_there_is_drift(mode: str, server: ServerProcess, proxy: FaultProxy,
                                                       tmp_path: Path) -> None:
    env = cli_env(proxy.url, tmp_path)
    where = MODES[mode]
    accounts = write_csv(tmp_path / "accounts.csv", ["100000000001", "100000000002"])

    drift = plan_code([accounts, *where], env)  # to add
    assert drift.rc == 2 and drift.stderr == ""
    assert json.loads(drift.stdout)["drift"] is True
    assert run_ours(["sync", accounts, "--plan", *where], env).rc == 0  # without --detailed-exitcode
    assert run_ours(["sync", accounts, "--yes", *where], env).rc == 0

    converged = plan_code([accounts, *where], env)  # pending: converged
    assert converged.rc == 0 and converged.stderr == ""
    assert json.loads(converged.stdout)["drift"] is False
    assert plan_code([accounts, "--prune", *where], env).rc == 0

    # An account not in the file: extra (kept, not drift) without --prune; drift with it.
    bigger = write_csv(tmp_path / "bigger.csv", ["100000000001", "100000000002", "100000000003"])
    assert run_ours(["sync", bigger, "--yes", *where], env).rc == 0
    assert plan_code([accounts, *where], env).rc == 0
    pruning = plan_code([accounts, "--prune", *where], env)
    assert pruning.rc == 2
    assert {e["accountId"] for p in json.loads(pruning.stdout)["plan"] for e in p["remove"]} == {"100000000003"}

    # An account that needs attention is drift too.
    settle(server)
    server.control("/_sandbox/condition", {"account": "100000000001", "region": "us-east-1", "regionDisabled": True})
    attention = plan_code([bigger, *where], env)
    assert attention.rc == 2
    [item] = [a for p in json.loads(attention.stdout)["plan"] for a in p["attention"]]
    assert item["accountId"] == "100000000001" and item["status"] == "RegionDisabled"
    assert proxy.answered and all(op in ("CreateMember", "CreateInvitations") for _, op, _ in proxy.answered)


@BY_MODE
def test_detailed_exitcode_errors(mode: str, server: ServerProcess, proxy: FaultProxy, tmp_path: Path) -> None:
    env = cli_env(proxy.url, tmp_path)
    where = MODES[mode]
    accounts = write_csv(tmp_path / "accounts.csv", ["100000000001"])

    alone = run_ours(["sync", accounts, "--detailed-exitcode", *where], env)  # not a plan
    assert alone.rc == 252 and alone.stdout == ""
    assert alone.stderr.strip() == ("--detailed-exitcode is the exit code of a plan: use it with --plan "
                                    "(0: no drift, 2: drift).")
    bad = tmp_path / "bad.csv"
    bad.write_text("Account ID,Email\n1.11111E+11,a@example.com\n")
    damaged = plan_code([str(bad), *where], env)
    assert damaged.rc == 252 and damaged.stdout == "" and f"{bad}:2:" in damaged.stderr
    profile = plan_code([accounts, *where], {**env, "AWS_PROFILE": "nope"})
    assert profile.rc == 253 and profile.stdout == ""
    assert profile.stderr.strip() == "The config profile (nope) could not be found"
    assert sum(proxy.seen.values()) == 0

    unreadable = FaultProxy(server.url, "server", {"ListMembers"})
    try:
        run = plan_code([accounts, *where], cli_env(unreadable.url, tmp_path))
    finally:
        unreadable.stop()
    assert run.rc == 254, run.stderr
    assert {p["errorCode"] for p in json.loads(run.stdout)["plan"]} == {"InternalServerException"}
    assert json.loads(run.stdout)["drift"] is None  # unknown: no Region could be read
    assert not unreadable.answered


def test_a_region_that_cannot_be_read_makes_the_plan_incomplete(server: ServerProcess, tmp_path: Path) -> None:
    """One Region can't be read: the plan never says the organization matches the file, and
    the forms without a place for the error (csv, --query) say it on stderr."""
    accounts = write_csv(tmp_path / "accounts.csv", ["100000000001"])
    add(server.url, "us-east-1", ["100000000001"], invite=True)
    runs = []
    for output in (["--output", "table"], ["--output", "csv"], ["--query", "drift"]):
        unreadable = FaultProxy(server.url, "server", {"ListMembers"}, regions={TWO[1]})  # faults each once
        try:
            runs.append(plan_code([accounts, "--regions", ",".join(TWO), *output], cli_env(unreadable.url, tmp_path)))
        finally:
            unreadable.stop()
    table, csv, query = runs
    assert table.rc == csv.rc == query.rc == 254
    assert "No drift: the organization matches the file." not in table.stdout
    assert "the plan is incomplete" in table.stdout
    assert "the inventory can't be read (InternalServerException" in csv.stderr
    assert query.stdout.strip() == "null" and "InternalServerException" in query.stderr


@pytest.mark.parametrize("args", [["--timeout", "5"], ["--plan", "--timeout", "5"], ["--dry-run", "--wait"]])
def test_wait_options_are_refused_where_nothing_waits(args: list[str], proxy: FaultProxy, tmp_path: Path) -> None:
    accounts = write_csv(tmp_path / "accounts.csv", ["100000000001"])
    for command in ("sync", "onboard"):
        run = run_ours([command, accounts, *args], cli_env(proxy.url, tmp_path))
        assert run.rc == 252 and run.stdout == "", run.stderr
        assert "--wait" in run.stderr
    assert sum(proxy.seen.values()) == 0


def test_a_plan_over_the_quota_is_refused_and_removals_free_places(server: ServerProcess, proxy: FaultProxy,
                                                                   tmp_path: Path) -> None:
    """1,000 accounts hold a place; the file keeps 999 of them and adds one: without --prune the
    Region would hold 1,001 (refused before anything is sent, as onboard refuses); with --prune
    the account not in the file is removed first, and the new one fits."""
    env = cli_env(proxy.url, tmp_path)
    held = [str(300000000000 + i) for i in range(1000)]
    everyone = write_csv(tmp_path / "held.csv", held)
    direct = cli_env(server.url, tmp_path)  # the setup goes straight to the server
    assert run_ours(["create-member", "--accounts-file", everyone, "--max-concurrency", "32"], direct).rc == 0
    assert run_ours(["create-invitations", "--accounts-file", everyone], direct).rc == 0
    answered = len(proxy.answered)
    accounts = write_csv(tmp_path / "accounts.csv", [*held[1:], "399999999999"])
    for extra in (["--plan"], ["--dry-run"], ["--yes"]):
        refused = run_ours(["sync", accounts, *extra], env)
        assert refused.rc == 252 and refused.stdout == ""
        assert ("us-east-1: 1000 accounts hold a place in the quota + 1 joining = 1001, over the quota of 1000"
                in refused.stderr)
    assert len(proxy.answered) == answered
    plan = run_ours(["sync", accounts, "--prune", "--plan", "--detailed-exitcode"], env)
    assert plan.rc == 2, plan.stderr
    run = run_ours(["sync", accounts, "--prune", "--yes"], env)
    assert run.rc == 0, run.stderr
    assert changes(proxy, answered) == Counter({
        ("us-east-1", "DisassociateMember", held[0]): 1, ("us-east-1", "DeleteMember", held[0]): 1,
        ("us-east-1", "CreateMember", "399999999999"): 1, ("us-east-1", "CreateInvitations", "399999999999"): 1})


# ------------------------------------------------------------------- plans and options


@BY_MODE
def test_the_plan_in_every_output(mode: str, server: ServerProcess, proxy: FaultProxy, tmp_path: Path) -> None:
    for region in BUILT[mode]:
        add(server.url, region, ["200000000001", "200000000002"], invite=True)
        add(server.url, region, ["100000000003"])
    env = cli_env(proxy.url, tmp_path)
    accounts = write_csv(tmp_path / "accounts.csv", ["100000000001", "100000000003"])
    where = MODES[mode]
    n = len(BUILT[mode])

    table = run_ours(["sync", accounts, "--plan", "--output", "table", *where], env)
    assert table.rc == 0 and table.stderr == ""
    assert table.stdout.count("  ? extra, kept  200000000001 (EmailVerificationInProgress): not in the file "
                              "(--prune removes it)") == n
    assert "0 to remove, " + f"{2 * n} extra (kept)" in table.stdout
    pruned = run_ours(["sync", accounts, "--plan", "--prune", "--output", "table", *where], env)
    assert pruned.stdout.count("  - remove (disassociate, delete)  200000000002 (EmailVerificationInProgress): "
                               "not in the file") == n
    assert pruned.stdout.count("  > invite  100000000003") == n
    assert pruned.stdout.rstrip().endswith("Drift: the organization differs from the file.")

    as_csv = run_ours(["sync", accounts, "--plan", "--prune", "--output", "csv", *where], env)
    rows = list(csv.DictReader(io.StringIO(as_csv.stdout)))
    assert {(r["accountId"], r["decision"]) for r in rows if r["region"] == "us-east-1"} == {
        ("100000000001", "add"), ("100000000003", "invite"), ("200000000001", "remove"), ("200000000002", "remove")}

    queried = run_ours(["sync", accounts, "--plan", "--query", "plan[].extra[].accountId", *where], env)
    assert json.loads(queried.stdout) == ["200000000001", "200000000002"] * n
    assert not proxy.answered  # plans only read


@pytest.mark.posix
@pytest.mark.slow
@pytest.mark.parametrize("configured", [None, "json"])
def test_sync_plan_prints_a_table_on_a_terminal(configured: str | None, server: ServerProcess, tmp_path: Path) -> None:
    """A table for a person at a terminal, unless an output is configured (AWS_DEFAULT_OUTPUT)."""
    import pty

    leader, follower = pty.openpty()
    accounts = write_csv(tmp_path / "accounts.csv", ["100000000001"])
    env = cli_env(server.url, tmp_path, COLUMNS="100", **({"AWS_DEFAULT_OUTPUT": configured} if configured else {}))
    process = subprocess.Popen([sys.executable, "-m", "macie_members", "sync", accounts, "--plan"], env=env,
                               stdout=follower, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL)
    os.close(follower)
    try:
        seen = read_until_closed(leader)
        process.wait(timeout=60)
    finally:
        os.close(leader)
    text = seen.decode()
    assert process.returncode == 0
    if configured:
        assert json.loads(text)["drift"] is True
    else:
        assert "+ add and invite  100000000001" in text and not text.lstrip().startswith("{")


@BY_MODE
def test_dry_run_prints_the_requests_in_phase_order(mode: str, server: ServerProcess, proxy: FaultProxy,
                                                    tmp_path: Path) -> None:
    for region in BUILT[mode]:
        add(server.url, region, ["200000000001"], invite=True)
    env = cli_env(proxy.url, tmp_path)
    accounts = write_csv(tmp_path / "accounts.csv", ["100000000001"])
    dry = run_ours(["sync", accounts, "--prune", "--dry-run", "--message", "welcome", "--disable-email-notification",
                    *MODES[mode]], env)  # no --yes: a dry run asks nothing
    assert dry.rc == 0 and dry.stderr == ""
    requests = json.loads(dry.stdout)["requests"]
    us = [(r["operation"], r["params"]) for r in requests if r["region"] == "us-east-1"]
    assert us == [("DisassociateMember", {"id": "200000000001"}), ("DeleteMember", {"id": "200000000001"}),
                  ("CreateMember", {"account": {"accountId": "100000000001", "email": "100000000001@example.com"}}),
                  ("CreateInvitations", {"accountIds": ["100000000001"], "disableEmailNotification": True,
                                         "message": "welcome"})]
    # Every Region's removals, then every Region's adds, then the invitations.
    phase = {"DisassociateMember": 0, "DeleteMember": 0, "CreateMember": 1, "CreateInvitations": 2}
    phases = [phase[r["operation"]] for r in requests]
    assert phases == sorted(phases)
    if mode != "all-regions":
        assert len(requests) == 4 * len(BUILT[mode])
    assert not proxy.answered


def test_sync_reads_the_csv_from_stdin_and_waits(sandbox_server: Any, tmp_path: Path) -> None:
    env = cli_env(sandbox_server.url, tmp_path)
    run = run_ours(["sync", "-", "--wait", "--timeout", "60"], env,
                   stdin="Account ID,Email\n100000000001,a@example.com\n100000000002,b@example.invalid\n")
    assert run.rc == 254, run.stderr
    waits = {r["accountId"]: (r["outcome"], r["status"]) for r in records(run.stdout) if r["action"] == "wait"}
    assert waits == {"100000000001": ("ok", "Invited"), "100000000002": ("failed", "EmailVerificationFailed")}


@pytest.mark.parametrize(("extra", "message"), [(["--dry-run"], "--dry-run"), (["--wait"], "--wait"),
                                                (["--report", "r.jsonl"], "--report")])
def test_plan_is_not_combined(extra: list[str], message: str, proxy: FaultProxy, tmp_path: Path) -> None:
    accounts = write_csv(tmp_path / "accounts.csv", ["100000000001"])
    run = run_ours(["sync", accounts, "--plan", "--detailed-exitcode", *extra], cli_env(proxy.url, tmp_path))
    assert run.rc == 252 and run.stdout == "" and message in run.stderr
    assert sum(proxy.seen.values()) == 0
