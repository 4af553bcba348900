"""One ``aws macie2``-style operation in one Region, and the drop-in reads across Regions.

:func:`run_dropin` checks a drop-in command's input (botocore's validation, then ours), prints
its dry run or sends it (:func:`run_operation`); :func:`print_skeleton` is
``--generate-cli-skeleton``; :func:`read_in_regions` reads in every Region at once.

A drop-in command sends its one request (``list-members``: follows pagination, as the AWS CLI)
through the run's typed client -- so it is paced, retried and logged like every other request --
and prints the response as the AWS CLI does. With ``--report`` a mutating command also writes the
record of its request.

A retry that finds its own work done (the first answer was lost, then the retry answers
ConflictException for CreateMember, ResourceNotFoundException for DeleteMember...) is a success,
as if the first answer had arrived: a CreateMember then prints the member's ARN (read with
GetMember). The same error on the first attempt is the service's error, exit 254, as with the
AWS CLI.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from macie_members.aws.client import ApiError
from macie_members.config import GlobalSettings, RunOptions
from macie_members.domain import MUTATING
from macie_members.errors import ExitCode, InputError, MacieMembersError
from macie_members.flows.steps import check_input
from macie_members.plan.model import LIST_PAGE_SIZE, Request
from macie_members.records import Result
from macie_members.render.renderer import Renderer
from macie_members.run.executor import already_done, answer_records, error_records
from macie_members.run.session import RunSession


@dataclass(frozen=True)
class Paging:
    """The AWS CLI's pagination options (``None``: not given)."""

    max_items: int | None = None
    page_size: int | None = None
    starting_token: str | None = None
    paginate: bool = True  # False with --no-paginate, --max-results or --next-token


READ_PREFIXES = ("Get", "List")  # the membership commands that change nothing


def run_dropin(run: RunSession, operation: str, params: Mapping[str, Any],
               check: Callable[[Mapping[str, Any]], None], paging: Paging | None = None) -> int:
    """A drop-in command in one Region: its input checked (botocore's validation, then ours)
    before anything is sent, then its one request -- or, with ``--dry-run``, that request
    printed as given: a drop-in command is not planned from the inventory (the service decides),
    so its dry run reads nothing."""
    _warn_paging(paging)
    check_input(run, operation, params, check)
    if run.config.dry_run:
        run.renderer.dry_run([Request(run.config.require_regions()[0], operation, params, accounts_of(params))])
        return 0
    with run as session:
        if not operation.startswith(READ_PREFIXES):
            session.hold_locks()  # a change: one run at a time per account and Region
        return run_operation(session, operation, params, paging)


def read_across_regions(run: RunSession, operation: str, params: Mapping[str, Any],
                        check: Callable[[Mapping[str, Any]], None], *, key: str) -> int:
    """A drop-in read across Regions (``get-member``, ``get-administrator-account``): its input
    checked before anything is sent, then :func:`read_in_regions`."""
    check_input(run, operation, params, check)
    with run as session:
        return read_in_regions(session, operation, params, key=key)


def print_skeleton(settings: GlobalSettings, operation: str, which: str, paging: Paging | None = None) -> int:
    """``--generate-cli-skeleton input|output``: printed from botocore's model, without any AWS
    configuration (no Region, no credentials)."""
    from macie_members.render.skeleton import skeleton
    from macie_members.run.session import open_config

    _warn_paging(paging)
    config, session = open_config(settings, RunOptions(needs_aws=False))
    Renderer(config).write(skeleton(session.get_service_model("macie2"), operation, which))
    return 0


def _warn_paging(paging: Paging | None) -> None:
    if paging is not None and paging.max_items is not None and paging.max_items <= 0:
        Renderer.warn("Non-positive values for --max-items may result in undefined behavior.")


def run_operation(session: RunSession, operation: str, params: Mapping[str, Any],
                  paging: Paging | None = None) -> int:
    region = session.regions()[0]
    client = session.macie(region)
    renderer = session.renderer
    if paging is not None and paging.paginate:
        pages = client.paginate(operation, params, max_items=paging.max_items, page_size=paging.page_size,
                                starting_token=paging.starting_token)
        try:
            if session.config.output == "text":
                # The AWS CLI prints text page by page, applying --query to each page (and to the
                # NextToken of a truncated result): so do we, for identical output.
                for page in pages:
                    renderer.text_page({k.expression: k.search(page) for k in pages.result_keys or []})
                if pages.resume_token:
                    renderer.text_page({"NextToken": {"NextToken": pages.resume_token}})
                return 0
            if session.config.output == "yaml-stream":
                for page in pages:  # each page as it arrives (AWS CLI v2)
                    renderer.yaml_page(page)
                return 0
            result = pages.build_full_result()
        except ValueError as exc:  # botocore: a bad starting token
            raise InputError(str(exc)) from None
        renderer.response(result, operation=operation)
        return 0
    request = Request(region, operation, params, accounts_of(params))

    def send(_: object) -> Mapping[str, Any]:
        """The request, recorded as soon as it is answered (on a worker thread, so that a
        Ctrl-C waits for the answer and its record, as in a bulk run)."""
        try:
            response: Mapping[str, Any] = client.call(operation, params)
        except MacieMembersError as exc:
            _report(session, error_records(request, exc, planned=False), operation)
            raise
        _report(session, answer_records(request, response), operation)
        return response

    session.ledger.plan(1 if operation in MUTATING else 0)
    [outcome] = session.executor().map(send, [None])
    if isinstance(outcome.error, ApiError):
        error = outcome.error
        if not (error.retries and already_done(operation, error.code, error.error_message)):
            raise error
        # A retry found its own work done: the success whose answer was lost.
        found = client.get_member(id=params["account"]["accountId"]) if operation == "CreateMember" else None
        renderer.response({"arn": found["arn"]} if found else {}, operation=operation)
        return 0
    if outcome.error is not None:
        raise outcome.error
    renderer.response(outcome.value, operation=operation)
    return 0


def accounts_of(params: Mapping[str, Any]) -> tuple[str, ...]:
    account = params.get("account")
    if isinstance(account, Mapping) and isinstance(account.get("accountId"), str):
        return (account["accountId"],)
    if isinstance(params.get("id"), str):
        return (params["id"],)
    for key in ("administratorAccountId", "masterAccount"):  # accept-invitation: the administrator
        if isinstance(params.get(key), str):
            return (params[key],)
    ids = params.get("accountIds")
    if isinstance(ids, list):
        return tuple(str(i) for i in ids)
    return ()


def _report(session: RunSession, records: list[Result], operation: str) -> None:
    if operation in MUTATING:
        session.record(records)


def read_in_regions(session: RunSession, operation: str, params: Mapping[str, Any], *, key: str,
                    page_size: int | None = None) -> int:
    """A read (``list-members``, ``list-invitations``, ``get-member``,
    ``get-administrator-account``) in every Region, in parallel:
    ``{"regions": [{"region": R, <the answer>}, ...]}`` -- a list read whole (every page, of
    ``page_size``), else the answer as it is. A Region that fails carries ``errorCode`` and
    ``errorMessage`` instead (exit 254; with ``--output text|csv`` or ``--query``, which have no
    place for it, it is also said on stderr). Regions skipped by ``--all-regions`` are listed
    under ``skippedRegions``."""
    regions = session.regions()

    def reading(region: str) -> dict[str, Any]:
        client = session.macie(region)
        if key in ("members", "invitations"):
            return {"region": region, key: client.read_all(operation, key, params, page_size=page_size or LIST_PAGE_SIZE)}
        return {"region": region, **client.call(operation, params)}

    found, failed = session.read_each(reading, regions)
    document: dict[str, Any] = {"regions": [
        found[r] if r in found else {"region": r, "errorCode": failed[r][0], "errorMessage": failed[r][1]}
        for r in regions]}
    skipped = [r for r in session.results if r.action == "region"]
    if skipped:
        document["skippedRegions"] = [{"region": r.region, "reason": r.errorMessage} for r in skipped]
    session.renderer.regions_document(document, operation, key)
    if session.config.output in ("text", "csv") or session.config.query is not None:
        for region, (code, message) in failed.items():
            session.renderer.warn(f"{region}: {code}: {message}")
    return int(ExitCode.SERVICE) if failed else 0
