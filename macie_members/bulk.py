"""Bulk member operations across Regions and accounts, on top of the fan-out engine.

Each bulk operation first reads every Region's inventory (ListMembers with
``onlyAssociated=false``, 25 per page, Regions in parallel), then sends only the requests that
still have something to do, so that a rerun after a failure or Ctrl-C finishes the job without
repeating it:

=====================  ======================================================================
create-member          skipped when the account is already in the Region's inventory
create-invitations     skipped when already invited or a member; accounts not in the
                       inventory or whose email failed verification fail without a request;
                       the rest are invited 50 ids per CreateInvitations request
update-member-session  skipped when the member is already in the requested state
disassociate-member    skipped when the account is not in the inventory or not associated
delete-member          skipped when the account is not in the inventory
=====================  ======================================================================

A Region whose inventory cannot be read gets one failed record per account (the error is the
Region's), and the other Regions go on.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .client import Aws, ConnectionFailure, call
from .errors import InputError, MacieMembersError
from .fanout import Result, WorkItem, failure, run_items
from .pacing import pacer_for

if TYPE_CHECKING:
    from botocore.client import BaseClient

# Beyond botocore's own retries (which give up after a few attempts, or when their retry quota
# runs out during sustained throttling; bulk runs make botocore try once), a work item is tried again
# this many times, after a jittered exponential pause, on throttling, server and connection
# errors. The requests are safe to repeat: a CreateMember whose answer was lost comes back as
# ConflictException, which counts as skipped.
ITEM_ATTEMPTS = 8
RETRYABLE_CODES = frozenset(
    {"ThrottlingException", "TooManyRequestsException", "InternalServerException", "ServiceUnavailableException"}
)
INVITATION_BATCH = 50
LIST_PAGE_SIZE = 25
MAX_INVITATION_MEMBERS = 1000
CURRENT = frozenset({"Enabled", "Paused"})
PENDING = frozenset({"EmailVerificationInProgress", "Invited"})
INVITABLE = frozenset({"Created", "Removed", "Resigned"})


@dataclass(frozen=True)
class Target:
    """An account to act on: its id, and its email where the action needs one."""

    account_id: str
    email: str | None = None


@dataclass(frozen=True)
class PlannedRequest:
    region: str
    operation: str
    params: dict[str, Any]

    def to_json(self) -> dict[str, Any]:
        return {"region": self.region, "operation": self.operation, "params": self.params}


Inventory = dict[str, dict[str, Any]]


def call_with_retries(client: BaseClient, method: str, /, **params: Any) -> dict[str, Any]:
    import random
    import time

    pacer = pacer_for(client)
    for attempt in range(ITEM_ATTEMPTS):
        pacer.wait()
        try:
            response = call(client, method, **params)
        except MacieMembersError as exc:
            code = getattr(exc, "code", None)
            if code in ("ThrottlingException", "TooManyRequestsException"):
                pacer.throttled()
            retryable = isinstance(exc, ConnectionFailure) or code in RETRYABLE_CODES
            if not retryable or attempt == ITEM_ATTEMPTS - 1:
                raise
            time.sleep(random.uniform(0.5, 1.0) * min(5.0, 0.1 * 2**attempt))
            continue
        pacer.succeeded()
        return response
    raise AssertionError("unreachable")  # pragma: no cover


def read_inventory(client: BaseClient) -> Inventory:
    """The whole inventory of one Region, by account id."""
    inventory: Inventory = {}
    token: str | None = None
    while True:
        params: dict[str, Any] = {"onlyAssociated": "false", "maxResults": LIST_PAGE_SIZE}
        if token:
            params["nextToken"] = token
        page = call_with_retries(client, "list_members", **params)
        for member in page.get("members", []):
            inventory[member["accountId"]] = member
        token = page.get("nextToken")
        if not token:
            return inventory


class BulkRun:
    """One bulk command: the Regions, the clients (one per Region), the engine's settings."""

    def __init__(
        self,
        aws: Aws,
        regions: Sequence[str],
        *,
        max_concurrency: int,
        on_result: Callable[[Result], None] = lambda r: None,
    ) -> None:
        self.aws = aws
        self.regions = list(regions)
        self.max_concurrency = max_concurrency
        self.on_result = on_result
        # One client per Region, created here (not in the worker threads) and shared.
        self.clients = {region: aws.client("macie2", region) for region in self.regions}

    def _run(self, items: Sequence[WorkItem]) -> list[Result]:
        return run_items(items, max_concurrency=self.max_concurrency, on_result=self.on_result)

    def inventories(self) -> tuple[dict[str, Inventory], dict[str, MacieMembersError]]:
        """Read every Region's inventory in parallel; a Region that fails is returned apart."""
        found: dict[str, Inventory] = {}
        errors: dict[str, MacieMembersError] = {}

        def reader(region: str) -> Callable[[], list[Result]]:
            def run() -> list[Result]:
                try:
                    found[region] = read_inventory(self.clients[region])
                except MacieMembersError as exc:
                    errors[region] = exc
                return []

            return run

        run_items(
            [WorkItem(region, (), "list-members", reader(region)) for region in self.regions],
            max_concurrency=self.max_concurrency,
        )
        return found, errors

    # --------------------------------------------------------------- actions

    def execute(
        self,
        action: str,
        targets: Sequence[Target],
        plan: Callable[[str, BaseClient, Inventory, Sequence[Target]], Iterable[WorkItem | Result]],
        *,
        before_send: Callable[[dict[str, Inventory]], None] = lambda inventories: None,
    ) -> list[Result]:
        inventories, errors = self.inventories()
        before_send(inventories)
        early: list[Result] = []
        items: list[WorkItem] = []
        for region in self.regions:
            if region in errors:
                early.extend(failure(region, t.account_id, action, errors[region]) for t in targets)
                continue
            for planned in plan(region, self.clients[region], inventories[region], targets):
                if isinstance(planned, Result):
                    early.append(planned)
                else:
                    items.append(planned)
        for result in early:
            self.on_result(result)
        return early + self._run(interleave_regions(items))


# ------------------------------------------------------------------- planners


def plan_create_member(tags: dict[str, str] | None) -> Callable[..., Iterable[WorkItem | Result]]:
    def plan(region: str, client: BaseClient, inventory: Inventory, targets: Sequence[Target]) -> Iterable[WorkItem | Result]:
        for target in targets:
            existing = inventory.get(target.account_id)
            if existing is not None:
                yield Result(region, target.account_id, "create-member", "skipped",
                             errorMessage="already in the inventory", arn=existing.get("arn"),
                             status=existing.get("relationshipStatus"))
                continue
            yield WorkItem(region, (target.account_id,), "create-member", _create_member(region, client, target, tags))

    return plan


def _create_member(region: str, client: BaseClient, target: Target, tags: dict[str, str] | None) -> Callable[[], list[Result]]:
    def run() -> list[Result]:
        params: dict[str, Any] = {"account": {"accountId": target.account_id, "email": target.email}}
        if tags:
            params["tags"] = tags
        try:
            response = call_with_retries(client, "create_member", **params)
        except MacieMembersError as exc:
            if getattr(exc, "code", None) == "ConflictException":
                # Created by an earlier attempt whose answer was lost: nothing left to do.
                return [Result(region, target.account_id, "create-member", "skipped",
                               errorCode="ConflictException", errorMessage=getattr(exc, "error_message", str(exc)))]
            raise
        return [Result(region, target.account_id, "create-member", "ok", arn=response.get("arn"), status="Created")]

    return run


def quota_guard(new_accounts: Sequence[Target]) -> Callable[[dict[str, Inventory]], None]:
    """Refuse, before anything is sent, to go past 1,000 accounts in any Region's inventory."""

    def check(inventories: dict[str, Inventory]) -> None:
        problems = []
        for region, inventory in inventories.items():
            adding = sum(1 for t in new_accounts if t.account_id not in inventory)
            if len(inventory) + adding > MAX_INVITATION_MEMBERS:
                problems.append(
                    f"{region}: {len(inventory)} accounts in the inventory + {adding} to add = "
                    f"{len(inventory) + adding}, over the quota of {MAX_INVITATION_MEMBERS} "
                    "invitation-based accounts per Region"
                )
        if problems:
            raise InputError("Refusing to exceed the member quota; nothing was sent:\n" + "\n".join(problems))

    return check


def plan_create_invitations(
    disable_email_notification: bool | None, message: str | None
) -> Callable[..., Iterable[WorkItem | Result]]:
    def plan(region: str, client: BaseClient, inventory: Inventory, targets: Sequence[Target]) -> Iterable[WorkItem | Result]:
        to_invite: list[str] = []
        for target in targets:
            member = inventory.get(target.account_id)
            status = None if member is None else member.get("relationshipStatus")
            if member is None:
                yield Result(region, target.account_id, "create-invitations", "failed", errorCode="ClientError",
                             errorMessage="not in the inventory: add it with create-member first")
            elif status in PENDING or status in CURRENT:
                yield Result(region, target.account_id, "create-invitations", "skipped",
                             errorMessage=f"already {status}", arn=member.get("arn"), status=status)
            elif status == "EmailVerificationFailed":
                yield Result(region, target.account_id, "create-invitations", "failed", errorCode="ClientError",
                             errorMessage="the email failed verification: delete the account, add it again with "
                                          "the correct email, then invite it", status=status)
            else:
                to_invite.append(target.account_id)
        for start in range(0, len(to_invite), INVITATION_BATCH):
            batch = tuple(to_invite[start:start + INVITATION_BATCH])
            yield WorkItem(region, batch, "create-invitations",
                           _invite(region, client, batch, disable_email_notification, message))

    return plan


def _invite(region: str, client: BaseClient, batch: tuple[str, ...], disable: bool | None, message: str | None) -> Callable[[], list[Result]]:
    def run() -> list[Result]:
        params: dict[str, Any] = {"accountIds": list(batch)}
        if disable is not None:
            params["disableEmailNotification"] = disable
        if message is not None:
            params["message"] = message
        response = call_with_retries(client, "create_invitations", **params)
        unprocessed = {u["accountId"]: u for u in response.get("unprocessedAccounts", [])}
        results = []
        for account in batch:
            problem = unprocessed.get(account)
            if problem:
                results.append(Result(region, account, "create-invitations", "failed",
                                      errorCode=problem.get("errorCode"), errorMessage=problem.get("errorMessage")))
            else:
                results.append(Result(region, account, "create-invitations", "ok"))
        return results

    return run


def plan_single_call(
    action: str, method: str, extra: dict[str, Any], skip: Callable[[dict[str, Any] | None], str | None]
) -> Callable[..., Iterable[WorkItem | Result]]:
    """update-member-session, disassociate-member and delete-member: one call per account."""

    def plan(region: str, client: BaseClient, inventory: Inventory, targets: Sequence[Target]) -> Iterable[WorkItem | Result]:
        for target in targets:
            member = inventory.get(target.account_id)
            reason = skip(member)
            if reason:
                yield Result(region, target.account_id, action, "skipped", errorMessage=reason,
                             status=None if member is None else member.get("relationshipStatus"))
                continue
            yield WorkItem(region, (target.account_id,), action, _single(region, client, action, method, target.account_id, extra))

    return plan


def _single(region: str, client: BaseClient, action: str, method: str, account: str, extra: dict[str, Any]) -> Callable[[], list[Result]]:
    def run() -> list[Result]:
        try:
            call_with_retries(client, method, id=account, **extra)
        except MacieMembersError as exc:
            if action == "delete-member" and getattr(exc, "code", None) == "ResourceNotFoundException":
                # Deleted meanwhile (or by an attempt whose answer was lost): nothing left to do.
                return [Result(region, account, action, "skipped", errorCode="ResourceNotFoundException",
                               errorMessage="not in the inventory")]
            raise
        return [Result(region, account, action, "ok")]

    return run


def skip_update(status: str) -> Callable[[dict[str, Any] | None], str | None]:
    target = "Paused" if status == "PAUSED" else "Enabled"

    def skip(member: dict[str, Any] | None) -> str | None:
        if member is not None and member.get("relationshipStatus") == target:
            return f"already {target}"
        return None

    return skip


def skip_disassociate(member: dict[str, Any] | None) -> str | None:
    if member is None:
        return "not in the inventory"
    status = member.get("relationshipStatus")
    if status in CURRENT or status in PENDING:
        return None
    return f"not associated ({status})"


def skip_delete(member: dict[str, Any] | None) -> str | None:
    return "not in the inventory" if member is None else None


# -------------------------------------------------------------------- dry run


def dry_run_requests(action: str, regions: Sequence[str], targets: Sequence[Target], **options: Any) -> Iterator[PlannedRequest]:
    """The requests a bulk command would send, without reading anything first (a generator:
    100,000 accounts x 4 Regions are never all in memory at once)."""
    for region in regions:
        if action == "create-member":
            for t in targets:
                params: dict[str, Any] = {"account": {"accountId": t.account_id, "email": t.email}}
                if options.get("tags"):
                    params["tags"] = options["tags"]
                yield PlannedRequest(region, "CreateMember", params)
        elif action == "create-invitations":
            ids = [t.account_id for t in targets]
            for start in range(0, len(ids), INVITATION_BATCH):
                params = {"accountIds": ids[start:start + INVITATION_BATCH]}
                if options.get("disable_email_notification") is not None:
                    params["disableEmailNotification"] = options["disable_email_notification"]
                if options.get("message") is not None:
                    params["message"] = options["message"]
                yield PlannedRequest(region, "CreateInvitations", params)
        elif action == "update-member-session":
            for t in targets:
                yield PlannedRequest(region, "UpdateMemberSession", {"id": t.account_id, "status": options["status"]})
        elif action == "disassociate-member":
            for t in targets:
                yield PlannedRequest(region, "DisassociateMember", {"id": t.account_id})
        elif action == "delete-member":
            for t in targets:
                yield PlannedRequest(region, "DeleteMember", {"id": t.account_id})
        else:  # pragma: no cover - every bulk action is listed above
            raise ValueError(action)


def interleave_regions(items: Sequence[WorkItem]) -> list[WorkItem]:
    """Round-robin the items by Region, so that every Region's work starts at once: the pool
    then waits on every Region's quota in parallel, not on one Region after another."""
    by_region: dict[str, list[WorkItem]] = {}
    for item in items:
        by_region.setdefault(item.region, []).append(item)
    queues = list(by_region.values())
    longest = max((len(q) for q in queues), default=0)
    return [q[i] for i in range(longest) for q in queues if i < len(q)]


# -------------------------------------------------------------------- Regions


def resolve_all_regions(aws: Aws, *, probe: bool = True) -> tuple[list[str], list[Result]]:
    """Every Region where Macie is offered (botocore's endpoint data), minus the Regions not
    enabled for the account (EC2 DescribeRegions, where the caller may ask), which come back as
    skipped records. If EC2 can't be asked, every offered Region is used."""
    offered = sorted(aws.session.get_available_regions("macie2"))
    if not probe:
        return offered, []
    try:
        ec2 = aws.client("ec2", offered[0] if "us-east-1" not in offered else "us-east-1")
        response = call(ec2, "describe_regions", AllRegions=True)
    except MacieMembersError:
        return offered, []
    opt_in = {r["RegionName"]: r.get("OptInStatus", "opt-in-not-required") for r in response.get("Regions", [])}
    enabled, skipped = [], []
    for region in offered:
        status = opt_in.get(region, "opt-in-not-required")
        if status in ("opt-in-not-required", "opted-in"):
            enabled.append(region)
        else:
            skipped.append(Result(region, None, "region", "skipped",
                                  errorMessage=f"Region not enabled for this account (opt-in status: {status})"))
    return enabled, skipped
