"""The planners' vocabulary: a request, a job (requests in order), a plan, and the small
record helpers every planner uses. Pure data: the executor sends it, ``--dry-run`` prints it."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from macie_members.records import Result, operation_action

INVITATION_BATCH = 50

# What can't be taken back by running the command again: a member disassociated or deleted, an
# invitation declined or deleted, an organization left, a member's Macie paused (only an
# Organizations member is re-enabled by its administrator). UpdateMemberSession is destructive
# with ``status`` PAUSED only (:attr:`Request.destructive`).
DESTRUCTIVE_OPERATIONS = frozenset({"DisassociateMember", "DeleteMember", "DeclineInvitations", "DeleteInvitations",
                                    "DisassociateFromAdministratorAccount"})
LIST_PAGE_SIZE = 25

Member = Mapping[str, Any]
Inventory = Mapping[str, Member]


@dataclass(frozen=True, slots=True)
class Request:
    """One request to send: in a Region, an operation and its parameters, on these accounts."""

    region: str
    operation: str
    params: Mapping[str, Any]
    accounts: tuple[str, ...] = ()
    sender: str | None = None  # the member account whose credentials send it (member side)
    note: str | None = None  # the ``note`` of the records of a successful answer

    def to_json(self) -> dict[str, Any]:
        document = {"region": self.region, "operation": self.operation, "params": dict(self.params)}
        if self.sender is not None:
            document["as"] = self.sender
        return document

    @property
    def action(self) -> str:
        return operation_action(self.operation)

    @property
    def destructive(self) -> bool:
        """Whether this request changes what a rerun can't restore (:data:`DESTRUCTIVE_OPERATIONS`)."""
        if self.operation == "UpdateMemberSession":
            return self.params.get("status") == "PAUSED"
        return self.operation in DESTRUCTIVE_OPERATIONS

    def pairs(self) -> list[tuple[str, str]]:
        """The (account, Region) pairs the request acts on."""
        return [(account, self.region) for account in self.accounts]


@dataclass(frozen=True, slots=True)
class Job:
    """Requests sent in order, in one Region, for the same accounts; a failure stops the rest."""

    region: str
    accounts: tuple[str, ...]
    requests: tuple[Request, ...]

    def destructive(self) -> list[Request]:
        """The job's destructive requests. A DeleteMember that the same job follows with a
        CreateMember of the account is a replacement, not a removal (onboard's re-add of an entry
        whose email failed verification: it never was a member, and the file names it)."""
        created = {a for r in self.requests if r.operation == "CreateMember" for a in r.accounts}
        return [r for r in self.requests
                if r.destructive and not (r.operation == "DeleteMember" and set(r.accounts) <= created)]


@dataclass
class Plan:
    """What a command will do: jobs to send, and records decided without sending anything."""

    jobs: list[Job] = field(default_factory=list)
    records: list[Result] = field(default_factory=list)

    def extend(self, other: Plan) -> Plan:
        self.jobs.extend(other.jobs)
        self.records.extend(other.records)
        return self

    def requests(self) -> Iterator[Request]:
        for job in self.jobs:
            yield from job.requests

    def changes(self) -> Changes:
        """What the plan sends, for its confirmation (:class:`Changes`)."""
        operations: dict[str, int] = {}
        for request in self.requests():
            operations[request.operation] = operations.get(request.operation, 0) + (len(request.accounts) or 1)
        pairs = dict.fromkeys(p for job in self.jobs for r in job.destructive() for p in r.pairs())
        return Changes(tuple(operations.items()), tuple(pairs))


@dataclass(frozen=True, slots=True)
class Changes:
    """What a plan sends, as its confirmation says it: each operation, in the plan's order, with
    the number of (account, Region) pairs it acts on (``DeleteMember x2``); and the (account,
    Region) pairs its destructive requests act on, each once, in the plan's order. A plan with no
    destructive pair needs no confirmation."""

    operations: tuple[tuple[str, int], ...]
    destructive: tuple[tuple[str, str], ...]



def single(region: str, account: str, operation: str, params: Mapping[str, Any]) -> Job:
    request = Request(region, operation, params, (account,))
    return Job(region, (account,), (request,))


def skip(region: str, account: str, action: str, why: str, member: Member | None = None) -> Result:
    return Result(region, account, action, "skipped", errorMessage=why,
                  arn=None if member is None else member.get("arn"),
                  status=None if member is None else member.get("relationshipStatus"))


def fail(region: str, account: str | None, action: str, code: str, why: str, status: str | None = None) -> Result:
    return Result(region, account, action, "failed", errorCode=code, errorMessage=why, status=status)


NOT_IN_INVENTORY = "NotInInventory"


def not_in_inventory(region: str, account: str, action: str, *, wanted_holds: bool,
                     why: str = "not in the inventory") -> Result:
    """The one rule for an account the command names but the Region's inventory lacks. Where the
    command's wanted state is the account's absence or its end (delete-member,
    disassociate-member, offboard), that state already holds: a ``skipped`` record. Where the
    command needs the member (create-invitations, update-member-session, the invitations of
    onboard and sync): a ``failed`` ``NotInInventory`` record without a request (exit 254), as the
    service answers the one-account command (ResourceNotFoundException): a mistyped id in a
    security action must not pass as done."""
    if wanted_holds:
        return skip(region, account, action, why)
    return fail(region, account, action, NOT_IN_INVENTORY, why)


def status_of(member: Member | None) -> str | None:
    return None if member is None else str(member.get("relationshipStatus"))


def batches(region: str, operation: str, ids: Sequence[str], params: Mapping[str, Any] | None = None) -> list[Job]:
    """One job per :data:`INVITATION_BATCH` ids (the service's limit for the requests that take a
    list of account ids): ``operation`` with ``{"accountIds": batch}`` and ``params``."""
    jobs = []
    for start in range(0, len(ids), INVITATION_BATCH):
        batch = tuple(ids[start:start + INVITATION_BATCH])
        request = Request(region, operation, {"accountIds": list(batch), **(params or {})}, batch)
        jobs.append(Job(region, batch, (request,)))
    return jobs


def interleave(jobs: Sequence[Job]) -> list[Job]:
    """Round-robin the jobs by Region, so that every Region's work starts at once: the pool
    then waits on every Region's quota in parallel, not on one Region after another."""
    by_region: dict[str, list[Job]] = {}
    for job in jobs:
        by_region.setdefault(job.region, []).append(job)
    queues = list(by_region.values())
    longest = max((len(q) for q in queues), default=0)
    return [q[i] for i in range(longest) for q in queues if i < len(q)]

