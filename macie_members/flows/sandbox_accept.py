"""``sandbox accept``: accept a pending invitation in the sandbox as a member account would.

The member's side of an invitation, without a second account: assume a role in the member
account (``sts:AssumeRole``, which the sandbox grants), list its invitations, and accept the
pending one (or the one from ``--administrator``). It runs against the sandbox the commands
around it use (:func:`~macie_members.flows.steps.which_sandbox`), and says which on stderr.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from macie_members.aws.client import ApiError, MacieClient
from macie_members.config import GlobalSettings, RunOptions
from macie_members.errors import InputError, ServiceError
from macie_members.flows.steps import say_which_sandbox, which_sandbox
from macie_members.plan.model import Request
from macie_members.run.executor import Executor
from macie_members.run.session import open_run

ROLE = "macie-members-sandbox"


def accept(settings: GlobalSettings, account_id: str, administrator_id: str | None) -> int:
    settings, endpoint = which_sandbox(settings)
    with open_run(settings, RunOptions(sandbox_server=endpoint)) as session:
        region = session.regions()[0]
        credentials = session.sts(region).assume_role(role_arn=f"arn:aws:iam::{account_id}:role/{ROLE}",
                                                      session_name=ROLE)["Credentials"]
        client = session.member_macie(account_id, region, credentials)  # type: ignore[arg-type]
        invitation = _pending_invitation(client, account_id, region, administrator_id)
        _accept(client, Request(region, "AcceptInvitation", {"administratorAccountId": invitation["accountId"],
                                                             "invitationId": invitation["invitationId"]},
                                (account_id,)))
        session.renderer.document({"accountId": account_id, "region": region,
                                   "administratorAccountId": invitation["accountId"], "accepted": True},
                                  title="AcceptInvitation")
        say_which_sandbox(session, endpoint)
    return 0


def _pending_invitation(client: MacieClient, account_id: str, region: str,
                        administrator_id: str | None) -> Mapping[str, Any]:
    """The one pending invitation of the account (from ``administrator_id``, when given)."""
    invitations = [i for i in client.list_invitations().get("invitations", [])
                   if i.get("relationshipStatus", "Invited") == "Invited"]
    if administrator_id:
        invitations = [i for i in invitations if i["accountId"] == administrator_id]
    if not invitations:  # the sandbox's state says no: 254, as the service's own refusals
        raise ServiceError(f"Account {account_id} has no pending invitation in {region}.")
    if len(invitations) > 1:
        senders = ", ".join(i["accountId"] for i in invitations)
        raise InputError(f"Account {account_id} has invitations from {senders}: choose one with --administrator.")
    return invitations[0]


def _accept(client: MacieClient, request: Request) -> None:
    try:
        client.accept_invitation(**request.params)
    except ApiError as exc:  # a lost answer: the retry finds the invitation accepted
        if not (exc.retries and Executor.verify(client, request, exc)):
            raise
