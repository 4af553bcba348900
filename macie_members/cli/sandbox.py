"""``macie-members sandbox ...``: run and drive the local Macie sandbox."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import sys
from typing import Any

import click

from macie_members.aws.client import ApiError
from macie_members.cli.global_options import get_options, global_options, start
from macie_members.cli.options import RunFlags
from macie_members.config import SANDBOX_ENV, SANDBOX_STATE_ENV, truthy
from macie_members.errors import ConfigError, InputError
from macie_members.plan.model import Request
from macie_members.run.executor import Executor


@click.group("sandbox")
def sandbox() -> None:
    """A local Macie for tests and first steps: no AWS account needed.

    \b
    Examples:
      macie-members sandbox serve --port 5454
      macie-members --sandbox create-member --account accountId=111111111111,email=a@example.com
      macie-members sandbox accept --account 111111111111 --region us-east-1
    """


@sandbox.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to bind. Keep it on loopback: the sandbox has no authentication.")
@click.option("--port", default=5454, show_default=True, type=click.IntRange(0, 65535), help="Port (0: any free port).")
@click.option("--latency-ms", default=0.0, type=click.FloatRange(0), help="Delay every macie2 response by this much.")
@click.option("--throttle-rps", default=0.0, type=click.FloatRange(0),
              help="Answer HTTP 429 beyond N requests per second per account and Region.")
@click.option("--throttle-code", type=click.Choice(["TooManyRequestsException", "ThrottlingException"]),
              default="TooManyRequestsException", show_default=True,
              help="The code of those 429s: the one real Macie has sent, or the modeled one.")
@click.option("--fault-rate", default=0.0, type=click.FloatRange(0, 1),
              help="Answer this fraction of requests with InternalServerException (500), not applied.")
@click.option("--account-fault-rate", default=0.0, type=click.FloatRange(0, 1),
              help="Leave this fraction of the accounts of Create/Decline/DeleteInvitations unprocessed "
                   "(errorCode InternalError), not applied.")
@click.option("--seed", type=int, default=None, help="Seed of the fault injection's random draws.")
@click.option("--verification-delay", type=click.FloatRange(0), default=None,
              help="Seconds email verification takes (EmailVerificationInProgress before Invited). "
                   "Default: MACIE_MEMBERS_SANDBOX_VERIFICATION_DELAY, else 2.")
def serve(
    host: str,
    port: int,
    latency_ms: float,
    throttle_rps: float,
    throttle_code: str,
    fault_rate: float,
    account_fault_rate: float,
    seed: int | None,
    verification_delay: float | None,
) -> None:
    """Serve the sandbox over HTTP for the AWS CLI, boto3 and macie-members.

    It prints the endpoint and the variables to export, and stops on Ctrl-C.

    \b
    Examples:
      macie-members sandbox serve
      macie-members sandbox serve --port 0 --latency-ms 50 --throttle-rps 20 --fault-rate 0.05 --seed 7
    """
    import logging
    import random

    from macie_members.sandbox.rules import SETTINGS
    from macie_members.sandbox.server import SandboxServer, is_loopback_host

    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    SETTINGS.verification_delay = verification_delay
    SETTINGS.account_fault_rate = account_fault_rate
    SETTINGS.random = random.Random(seed)
    if not is_loopback_host(host):
        click.echo(
            f"Warning: --host {host} makes the sandbox reachable from other machines. It has no "
            "authentication: anyone who can reach it can change or reset its state. Use 127.0.0.1 "
            "unless you mean it.",
            err=True,
        )
    try:
        server = SandboxServer(
            host, port, latency_ms=latency_ms, throttle_rps=throttle_rps, throttle_code=throttle_code,
            fault_rate=fault_rate, seed=seed,
        )
    except OSError as exc:
        raise ConfigError(f"Can't listen on {host}:{port}: {exc.strerror or exc}.") from None
    url = server.url
    click.echo(f"Macie sandbox listening on {url}")
    click.echo(f"  export AWS_ENDPOINT_URL={url}")
    click.echo("  export AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing AWS_DEFAULT_REGION=us-east-1")
    click.echo("(AWS_ENDPOINT_URL_MACIE2 works too; AWS_ENDPOINT_URL also routes STS, for member accounts.)")
    click.echo("Press Ctrl-C to stop.")
    sys.stdout.flush()

    def _terminate(signum: int, frame: Any) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, _terminate)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
    click.echo("Macie sandbox stopped.", err=True)


@sandbox.command("accept")
@click.option("--account", "account_id", required=True, metavar="ID", help="The member account that accepts.")
@click.option("--administrator", "administrator_id", metavar="ID",
              help="Accept only this administrator's invitation (default: the only pending one).")
@global_options
@click.pass_context
def accept(ctx: click.Context, account_id: str, administrator_id: str | None) -> int:
    """Accept a pending invitation as a member account would (through sts:AssumeRole).

    Uses the same sandbox as the commands around it: the embedded one (its state file) with
    --sandbox or MACIE_MEMBERS_SANDBOX=1, else a sandbox server when an endpoint is configured
    (--endpoint-url, AWS_ENDPOINT_URL_MACIE2, AWS_ENDPOINT_URL), else the embedded one. It says
    which on stderr, once it has accepted.

    \b
    Examples:
      macie-members sandbox accept --account 111111111111 --region us-east-1
      macie-members --sandbox sandbox accept --account 111111111111
    """
    endpoint = _which_sandbox(ctx)
    with start(ctx, RunFlags().options(bulk=False, records=False)) as session:
        region = session.regions()[0]
        credentials = session.sts(region).assume_role(
            role_arn=f"arn:aws:iam::{account_id}:role/macie-members-sandbox", session_name="macie-members-sandbox",
        )["Credentials"]
        client = session.member_macie(account_id, region, credentials)  # type: ignore[arg-type]
        invitations = [i for i in client.list_invitations().get("invitations", [])
                       if i.get("relationshipStatus", "Invited") == "Invited"]
        if administrator_id:
            invitations = [i for i in invitations if i["accountId"] == administrator_id]
        if not invitations:
            raise InputError(f"Account {account_id} has no pending invitation in {region}.")
        if len(invitations) > 1:
            senders = ", ".join(i["accountId"] for i in invitations)
            raise InputError(f"Account {account_id} has invitations from {senders}: choose one with --administrator.")
        invitation = invitations[0]
        params = {"administratorAccountId": invitation["accountId"], "invitationId": invitation["invitationId"]}
        try:
            client.accept_invitation(**params)
        except ApiError as exc:  # a lost answer: the retry finds the invitation accepted
            request = Request(region, "AcceptInvitation", params, (account_id,))
            if not (exc.retries and Executor.verify(client, request, exc)):
                raise
        session.renderer.document({"accountId": account_id, "region": region,
                                   "administratorAccountId": invitation["accountId"], "accepted": True},
                                  title="AcceptInvitation")
        _say_which(session.config, endpoint)
    return 0


def _which_sandbox(ctx: click.Context) -> str | None:
    """The sandbox server's endpoint, or ``None`` for the embedded sandbox (then switched on):
    the embedded one with --sandbox or MACIE_MEMBERS_SANDBOX=1 (as for every command, which then
    ignore configured endpoints), else a configured endpoint, else the embedded one."""
    options = get_options(ctx)
    if options.sandbox or truthy(os.environ.get(SANDBOX_ENV)):
        return None
    endpoint: str | None = (
        options.endpoint_url or os.environ.get("AWS_ENDPOINT_URL_MACIE2") or os.environ.get("AWS_ENDPOINT_URL")
    )
    if not endpoint:
        options.set("sandbox", True)
    return endpoint


def _say_which(config: Any, endpoint: str | None) -> None:
    if endpoint:
        click.echo(f"(the sandbox server at {endpoint})", err=True)
    else:
        from macie_members.sandbox.state import default_state_path

        click.echo(f"(the embedded sandbox, state in {config.sandbox_state or default_state_path()})", err=True)


@sandbox.command("condition")
@click.option("--account", "account_id", required=True, metavar="ID", help="The member account.")
@click.option("--region-disabled/--region-enabled", default=None, help="Show the account as RegionDisabled.")
@click.option("--suspended/--not-suspended", default=None, help="Show the account as AccountSuspended.")
@click.option("--email", metavar="ADDRESS", default=None,
              help="The account's own email address: verification of any other fails ('' forgets it).")
@global_options
@click.pass_context
def condition(
    ctx: click.Context, account_id: str, region_disabled: bool | None, suspended: bool | None, email: str | None
) -> None:
    """Set a condition of an AWS account in the sandbox: Region disabled, account suspended,
    or its own email address.

    \b
    Examples:
      macie-members --sandbox sandbox condition --account 111111111111 --suspended
      macie-members --sandbox sandbox condition --account 111111111111 --email ops@example.com
    """
    from macie_members.sandbox.exceptions import MacieError
    from macie_members.sandbox.rules import check_account_id, check_email, is_offered

    try:
        check_account_id(account_id)
        if email:
            check_email(email)
    except MacieError as exc:
        raise InputError(exc.message) from None
    endpoint = _which_sandbox(ctx)
    run = start(ctx, RunFlags().options(bulk=False, records=False))
    region = run.config.regions[0]
    if not is_offered(region):
        raise ConfigError(f"Macie isn't offered in {region}: the sandbox has no such Region.")
    if endpoint:
        _post_control(endpoint, "/_sandbox/condition", {
            "account": account_id, "region": region, "regionDisabled": region_disabled,
            "accountSuspended": suspended, "email": email,
        })
        _say_which(run.config, endpoint)
        return
    with run:
        from macie_members.sandbox.models import sandbox_backends

        sandbox_backends[account_id][region].set_account_condition(
            region_disabled=region_disabled, account_suspended=suspended, email=email
        )
    _say_which(run.config, endpoint)


def _post_control(endpoint: str, route: str, body: dict[str, Any]) -> None:
    """POST to a sandbox server's control route: a dead endpoint is a connection failure
    (exit 255), a refusal a configuration problem (exit 253), each one line."""
    import urllib.error
    import urllib.request

    from macie_members.aws.client import ConnectionFailure

    url = endpoint.rstrip("/") + route
    request = urllib.request.Request(url, data=json.dumps(body).encode(), method="POST")
    try:
        with urllib.request.urlopen(request, timeout=30):
            return
    except urllib.error.HTTPError as exc:
        with exc:
            detail = exc.read().decode("utf-8", "replace")
        with contextlib.suppress(ValueError, AttributeError):
            detail = str(json.loads(detail).get("message", detail))
        detail = " ".join(detail.split())[:200]  # one line, even for an HTML page
        raise ConfigError(f"The sandbox at {endpoint} refused the request (HTTP {exc.code}): {detail}") from None
    except (urllib.error.URLError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise ConnectionFailure(f'Could not connect to the sandbox endpoint URL: "{url}" ({reason})') from None


@sandbox.command("reset")
@global_options
@click.pass_context
def reset(ctx: click.Context) -> None:
    """Forget everything in the --sandbox state file (only ever deletes a sandbox state file).

    \b
    Examples:
      macie-members sandbox reset
    """
    from pathlib import Path

    from macie_members.sandbox import reset_state_file

    path = get_options(ctx).sandbox_state or os.environ.get(SANDBOX_STATE_ENV)
    removed = reset_state_file(Path(path).expanduser() if path else None)
    click.echo(f"Sandbox state reset ({removed}).", err=True)
