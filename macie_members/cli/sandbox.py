"""``macie-members sandbox ...``: run and drive the local Macie sandbox."""

from __future__ import annotations

import json
import os
import signal
import sys
from typing import Any

import click

from macie_members.errors import ConfigError, InputError

from .app import get_options, global_options, resolve_run, start
from .options import RunFlags


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
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to bind (keep it on loopback).")
@click.option("--port", default=5454, show_default=True, type=click.IntRange(0, 65535), help="Port (0: any free port).")
@click.option("--latency-ms", default=0.0, type=click.FloatRange(0), help="Delay every macie2 response by this much.")
@click.option("--throttle-rps", default=0.0, type=click.FloatRange(0),
              help="Answer ThrottlingException (429) beyond N requests per second per account and Region.")
@click.option("--fault-rate", default=0.0, type=click.FloatRange(0, 1),
              help="Answer this fraction of requests with InternalServerException (500), not applied.")
@click.option("--seed", type=int, default=None, help="Seed of the fault injection's random draws.")
@click.option("--verification-delay", default=0.0, type=click.FloatRange(0),
              help="Seconds email verification takes (EmailVerificationInProgress before Invited).")
def serve(
    host: str,
    port: int,
    latency_ms: float,
    throttle_rps: float,
    fault_rate: float,
    seed: int | None,
    verification_delay: float,
) -> None:
    """Serve the sandbox over HTTP for the AWS CLI, boto3 and macie-members.

    It prints the endpoint and the variables to export, and stops on Ctrl-C.

    \b
    Examples:
      macie-members sandbox serve
      macie-members sandbox serve --port 0 --latency-ms 50 --throttle-rps 20 --fault-rate 0.05 --seed 7
    """
    import logging

    from macie_members.sandbox.models import SETTINGS
    from macie_members.sandbox.server import SandboxServer

    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    SETTINGS.verification_delay = verification_delay
    try:
        server = SandboxServer(
            host, port, latency_ms=latency_ms, throttle_rps=throttle_rps, fault_rate=fault_rate, seed=seed
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

    Uses the running sandbox server when an endpoint is configured (--endpoint-url,
    AWS_ENDPOINT_URL_MACIE2, AWS_ENDPOINT_URL), else the --sandbox state file.

    \b
    Examples:
      macie-members sandbox accept --account 111111111111 --region us-east-1
      macie-members --sandbox sandbox accept --account 111111111111
    """
    options = get_options(ctx)
    if not _server_endpoint(options):
        options.sandbox = True
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
        client.accept_invitation(administratorAccountId=invitation["accountId"],
                                 invitationId=invitation["invitationId"])
        session.renderer.document({"accountId": account_id, "region": region,
                                   "administratorAccountId": invitation["accountId"], "accepted": True},
                                  title="AcceptInvitation")
    return 0


def _server_endpoint(options: Any) -> str | None:
    """The sandbox server's endpoint, when one is configured."""
    endpoint: str | None = (
        options.endpoint_url or os.environ.get("AWS_ENDPOINT_URL_MACIE2") or os.environ.get("AWS_ENDPOINT_URL")
    )
    return endpoint


@sandbox.command("condition")
@click.option("--account", "account_id", required=True, metavar="ID", help="The member account.")
@click.option("--region-disabled/--region-enabled", default=None, help="Show the account as RegionDisabled.")
@click.option("--suspended/--not-suspended", default=None, help="Show the account as AccountSuspended.")
@global_options
@click.pass_context
def condition(ctx: click.Context, account_id: str, region_disabled: bool | None, suspended: bool | None) -> None:
    """Mark a member account RegionDisabled or AccountSuspended in the sandbox.

    \b
    Examples:
      macie-members --sandbox sandbox condition --account 111111111111 --suspended
    """
    options = get_options(ctx)
    endpoint = _server_endpoint(options)
    if endpoint:
        import urllib.request

        config, _session = resolve_run(ctx, RunFlags().options(bulk=False, records=False))
        body = json.dumps({"account": account_id, "region": config.regions[0], "regionDisabled": region_disabled,
                           "accountSuspended": suspended}).encode()
        request = urllib.request.Request(endpoint.rstrip("/") + "/_sandbox/condition", data=body, method="POST")
        with urllib.request.urlopen(request, timeout=30):
            pass
        return
    options.sandbox = True
    with start(ctx, RunFlags().options(bulk=False, records=False)) as session:
        from macie_members.sandbox.models import sandbox_backends

        sandbox_backends[account_id][session.regions()[0]].set_account_condition(
            region_disabled=region_disabled, account_suspended=suspended
        )


@sandbox.command("reset")
@global_options
@click.pass_context
def reset(ctx: click.Context) -> None:
    """Forget everything in the --sandbox state file.

    \b
    Examples:
      macie-members sandbox reset
    """
    from pathlib import Path

    from macie_members.sandbox import reset_state_file

    path = get_options(ctx).sandbox_state or os.environ.get("MACIE_MEMBERS_SANDBOX_STATE")
    removed = reset_state_file(Path(path).expanduser() if path else None)
    click.echo(f"Sandbox state reset ({removed}).", err=True)
