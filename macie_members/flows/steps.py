"""The steps the flows share, and the one skeleton of every planned run (:func:`run_planned`).

A planned run reads, plans (pure: :mod:`macie_members.plan`), then prints the plan's requests
(``--dry-run``) or, when the plan is destructive, asks for confirmation, then sends them, and prints the records.
The bulk commands, ``offboard`` and the member side all run through :func:`run_planned`;
``onboard`` and ``sync`` work in phases (:mod:`macie_members.flows.workflows`) but share its
dry run and its failed records.

The flow modules import this one, never each other. The CLI opens its runs through
:func:`open_run` and reads its accounts files through :func:`read_targets`, so that it imports
no layer below the flows.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from macie_members.aws.client import MacieClient, validate_params
from macie_members.config import GlobalSettings, configured_endpoint, wants_sandbox
from macie_members.domain import Target
from macie_members.errors import ExitCode, InputError
from macie_members.plan.members import new_places, quota_problem
from macie_members.plan.model import Inventory, Job, Plan, fail
from macie_members.records import Result
from macie_members.render.renderer import Renderer
from macie_members.run.session import RunSession
from macie_members.run.session import open_run as open_run

JOINING = ("CreateMember", "CreateInvitations")
QUOTA_CHUNK = 1000

Planner = Callable[[str, Inventory, Sequence[Target]], Plan]


# ------------------------------------------------------------------------------ input


def read_targets(path: str, *, require_email: bool) -> list[Target]:
    """The accounts of a console CSV (every problem reported with file:line, exit 252); its
    warnings (duplicate rows merged...) are said at once, before the run is opened."""
    from macie_members.inputs.accounts_csv import read_accounts

    parsed = read_accounts(path, require_email=require_email)
    for warning in parsed.warnings:
        Renderer.warn(str(warning))
    # Each account becomes a target as the other is let go (popped from the end), so that the two
    # lists never both hold every row: the peak memory of a 100,000-row file (benchmarks/memory.py).
    accounts, targets = parsed.accounts, []
    del parsed
    while accounts:
        a = accounts.pop()
        targets.append(Target(a.account_id, a.email, source=path, line=a.line, role=a.role, profile=a.profile))
    targets.reverse()
    return targets


def refuse_own_account(session: RunSession, targets: Sequence[Target]) -> None:
    """The administrator's own account can't be its member (the service refuses CreateMember of
    it, every time): a file that names it is refused before anything else is sent, naming its
    line. One sts:GetCallerIdentity tells the caller's account; it is asked only for a file."""
    from_file = [t for t in targets if t.origin is not None]
    if not from_file:
        return
    own = session.caller_account()
    problems = [f"{t.origin}: {own} is the administrator's own account (the account this run uses): "
                "an account can't be its own member; remove it from the file" for t in from_file if t.account_id == own]
    if problems:
        raise InputError("\n".join(problems))


def check_input(run: RunSession, operation: str, params: Mapping[str, Any],
                check: Callable[[Mapping[str, Any]], None]) -> None:
    """botocore's own parameter validation, then ours (``check``): before anything is sent,
    and before the run is entered (no report file, no debug log for a refused input)."""
    validate_params(run.service_model(), operation, params)
    check(params)


# ---------------------------------------------------------------------- plan and dry run


def region_failures(error: Result, targets: Sequence[Target]) -> list[Result]:
    """A Region whose inventory can't be read: one failed ``list-members`` record per account,
    with the error of the ListMembers request (nothing else was sent there)."""
    return [fail(error.region, t.account_id, "list-members", error.errorCode or "Error", error.errorMessage or "")
            for t in targets]


def joining(plan: Plan) -> list[str]:
    """The accounts a plan adds or invites: after the run, they hold a place in the quota."""
    return [a for r in plan.requests() if r.operation in JOINING for a in r.accounts]


def plan_regions(session: RunSession, targets: Sequence[Target], planner: Planner) -> tuple[Plan, dict[str, Result]]:
    """Read every Region's inventory and plan each Region; refuse (nothing sent) a plan that
    would take a Region past the quota. The Regions whose inventory can't be read come back
    apart (the plan holds a failed record per account there).

    The quota is checked first, planning :data:`QUOTA_CHUNK` accounts at a time, so that a file
    far over the quota is refused without its whole plan ever being in memory."""
    regions = session.regions()
    inventories, errors = session.inventories(regions)
    problems = []
    for region, inventory in inventories.items():
        new = sum(new_places(inventory, joining(planner(region, inventory, targets[start:start + QUOTA_CHUNK])))
                  for start in range(0, len(targets), QUOTA_CHUNK))
        if problem := quota_problem(region, inventory, new):
            problems.append(problem)
    if problems:
        raise InputError("Refusing to exceed the member quota; nothing was sent:\n" + "\n".join(problems))
    plan = Plan()
    for region in regions:
        if region in errors:
            plan.records.extend(region_failures(errors[region], targets))
        else:
            plan.extend(planner(region, inventories[region], targets))
    return plan, errors


def dry_run(session: RunSession, plan: Plan, errors: Mapping[str, Result]) -> int:
    """Print the requests the plan would send. What the run would find failed before sending
    (a Region whose inventory can't be read, an account not in the inventory, a role that can't
    be assumed...) is said on stderr, and the exit code is the run's: 254."""
    renderer = session.renderer
    renderer.dry_run(plan.requests())
    for region, error in errors.items():
        renderer.warn(f"{region}: the inventory can't be read ({error.errorCode}: {error.errorMessage}); "
                      "nothing is planned there")
    failed = [r for r in plan.records if r.outcome == "failed" and r.action != "list-members"]
    for record in failed:
        account = f"{record.accountId}: " if record.accountId else ""
        renderer.warn(f"{record.region}: {account}{record.action} would fail: {record.errorCode}: {record.errorMessage}")
    return int(ExitCode.SERVICE) if errors or failed else 0


# ------------------------------------------------------------------------- the skeleton


def run_planned(session: RunSession, *, what: str, plan: Callable[[], tuple[Plan, Mapping[str, Result]]],
                title: str, client_for: Callable[[Job], MacieClient] | None = None) -> int:
    """The one skeleton of a planned run: plan (``plan``: the plan, and the Regions whose
    inventory can't be read), print the dry run, or confirm the plan when it holds a destructive
    request (:meth:`RunSession.confirm`: ``what`` is the command it names), send, and print the
    records under ``title``."""
    if not session.config.dry_run:
        session.hold_locks()
    planned, errors = plan()
    if session.config.dry_run:
        return dry_run(session, planned, errors)
    session.confirm(what, planned)
    session.results_title = title
    session.execute(planned, client_for=client_for)
    return session.finish(title)


# ---------------------------------------------------------------------------- sandbox


def which_sandbox(settings: GlobalSettings) -> tuple[GlobalSettings, str | None]:
    """The sandbox a ``sandbox`` command drives, and the settings to reach it: the embedded one
    with ``--sandbox`` or ``MACIE_MEMBERS_SANDBOX=1`` (as for every command, which then ignore
    configured endpoints); else the sandbox server at a configured endpoint
    (:func:`~macie_members.config.configured_endpoint`: the option, the environment, the profile),
    once it is known to be one on this machine
    (:func:`~macie_members.aws.sandbox_endpoint.check_sandbox_endpoint`: else exit 253 and
    nothing sent); else the embedded one, switched on."""
    if wants_sandbox(settings, os.environ):
        return settings, None
    from macie_members.aws.botocore_session import open_session
    from macie_members.aws.sandbox_endpoint import check_sandbox_endpoint

    _, profile = open_session(settings.profile, sandbox=False)
    endpoint = configured_endpoint(settings, os.environ, profile)
    if not endpoint:
        return dataclasses.replace(settings, sandbox=True), None
    check_sandbox_endpoint(endpoint)
    return settings, endpoint


def say_which_sandbox(session: RunSession, endpoint: str | None) -> None:
    """Which sandbox a ``sandbox`` command used (on stderr, once it is done): the server at
    ``endpoint``, or the embedded one and its state file."""
    if endpoint:
        session.renderer.note(f"(the sandbox server at {endpoint})")
        return
    from macie_members.sandbox.state import default_state_path

    session.renderer.note(f"(the embedded sandbox, state in {session.config.sandbox_state or default_state_path()})")
