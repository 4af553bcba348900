"""The words of a confirmation: the question a destructive plan asks on a terminal, and the
refusal without one. Both say the same thing from the same :class:`~macie_members.plan.model.Changes`:
every operation the plan sends with the (account, Region) pairs it acts on (``DeleteMember x2``),
then how many (account, Region) pairs the destructive requests act on. The question names the
first :data:`PAIRS_SHOWN` of those pairs (a prompt is read, not scrolled); the refusal, one line
for a log, only counts them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from macie_members.plan.model import Changes

PAIRS_SHOWN = 10


def _summary(changes: Changes) -> str:
    operations = ", ".join(f"{operation} x{count}" for operation, count in changes.operations)
    pairs = len(changes.destructive)
    return f"{operations}; destructive on {pairs} (account, Region) pair{'' if pairs == 1 else 's'}"


def question(what: str, changes: Changes) -> str:
    """``Run delete-member: DeleteMember x2; destructive on 2 (account, Region) pairs:
    111111111111 in us-east-1, 111111111111 in eu-west-1?`` (the renderer adds ``[y/N]``)."""
    shown = ", ".join(f"{account} in {region}" for account, region in changes.destructive[:PAIRS_SHOWN])
    more = len(changes.destructive) - PAIRS_SHOWN
    if more > 0:
        shown += f" and {more} more"
    return f"Run {what}: {_summary(changes)}: {shown}?"


def refusal(what: str, changes: Changes) -> str:
    """The one line of a destructive plan that nobody can confirm (exit 252, nothing sent)."""
    return (f"Refusing to run {what} ({_summary(changes)}) without confirmation: "
            "there is no terminal to ask; add --yes.")
