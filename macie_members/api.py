"""The supported Python surface of macie-members: what a script may import and rely on.

The layers are the CLI's own: read the console CSV (:func:`read_accounts`), open one run
session from the command line's settings (:func:`open_run`: a frozen configuration, the
botocore session, the clients), plan with a pure planner, send the plan
(:meth:`RunSession.execute`), summarize the records. Everything else in the package may move
between releases; these names keep their meaning (``examples/use_from_python.py`` uses them,
and its test keeps them working).
"""

from __future__ import annotations

from macie_members.config import GlobalSettings, RunOptions
from macie_members.domain import Target
from macie_members.flows.steps import plan_regions
from macie_members.inputs.accounts_csv import AccountsFileError, read_accounts
from macie_members.plan.members import (
    plan_create_invitations,
    plan_create_member,
    plan_delete_member,
    plan_disassociate_member,
    plan_offboard,
    plan_update_member_session,
)
from macie_members.plan.model import Plan
from macie_members.records import Result, summarize
from macie_members.run.session import RunSession, open_run

__all__ = [
    "AccountsFileError",
    "GlobalSettings",
    "Plan",
    "Result",
    "RunOptions",
    "RunSession",
    "Target",
    "open_run",
    "plan_create_invitations",
    "plan_create_member",
    "plan_delete_member",
    "plan_disassociate_member",
    "plan_offboard",
    "plan_regions",
    "plan_update_member_session",
    "read_accounts",
    "summarize",
]
