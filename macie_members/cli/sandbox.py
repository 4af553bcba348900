"""``macie-members sandbox ...``: run and drive the local Macie sandbox (the flows:
:mod:`macie_members.flows.sandbox_accept`, :mod:`macie_members.flows.sandbox_control`)."""

from __future__ import annotations

import sys
from typing import Any

import click

from macie_members.cli.global_options import global_options, settings_of


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
def serve(host: str, port: int, **faults: Any) -> None:
    """Serve the sandbox over HTTP for the AWS CLI, boto3 and macie-members.

    It prints the endpoint and the variables to export, and stops on Ctrl-C.

    \b
    Examples:
      macie-members sandbox serve
      macie-members sandbox serve --port 0 --latency-ms 50 --throttle-rps 20 --fault-rate 0.05 --seed 7
    """
    from macie_members.flows import sandbox_control as control

    if warning := control.exposure_warning(host):
        click.echo(warning, err=True)
    server = control.open_server(host, port, control.Faults(**faults))
    _announce(server.url)
    control.serve_until_stopped(server)
    click.echo("Macie sandbox stopped.", err=True)


def _announce(url: str) -> None:
    click.echo(f"Macie sandbox listening on {url}")
    click.echo(f"  export AWS_ENDPOINT_URL={url}")
    click.echo("  export AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing AWS_DEFAULT_REGION=us-east-1")
    click.echo("(AWS_ENDPOINT_URL_MACIE2 works too; AWS_ENDPOINT_URL also routes STS, for member accounts.)")
    click.echo("Press Ctrl-C to stop.")
    sys.stdout.flush()


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
    (--endpoint-url, AWS_ENDPOINT_URL_MACIE2, AWS_ENDPOINT_URL, the profile's endpoint_url) and
    answers as `macie-members sandbox serve` on this machine (else exit 253, nothing sent),
    else the embedded one. It says which on stderr, once it has accepted.

    \b
    Examples:
      macie-members sandbox accept --account 111111111111 --region us-east-1
      macie-members --sandbox sandbox accept --account 111111111111
    """
    from macie_members.flows.sandbox_accept import accept as run_accept

    return run_accept(settings_of(ctx), account_id, administrator_id)


@sandbox.command("condition")
@click.option("--account", "account_id", required=True, metavar="ID", help="The member account.")
@click.option("--region-disabled/--region-enabled", default=None, help="Show the account as RegionDisabled.")
@click.option("--suspended/--not-suspended", default=None, help="Show the account as AccountSuspended.")
@click.option("--email", metavar="ADDRESS", default=None,
              help="The account's own email address: verification of any other fails ('' forgets it).")
@click.option("--organization/--no-organization", default=None,
              help="Make the account part of the administrator's AWS organization (CreateMember then "
                   "adds it without an invitation), or of none.")
@click.option("--administrator", metavar="ID", default=None,
              help="With --organization: the organization's delegated Macie administrator "
                   "(default: the account the command runs as).")
@click.option("--role", metavar="NAME", default=None,
              help="With --external-id: a role of the account (name, optionally after a path) that a "
                   "sandbox server lets be assumed only with that external id.")
@click.option("--external-id", metavar="ID", default=None,
              help="The external id AssumeRole of --role needs from now on ('' lifts the condition).")
@global_options
@click.pass_context
def condition(
    ctx: click.Context, account_id: str, region_disabled: bool | None, suspended: bool | None, email: str | None,
    organization: bool | None, administrator: str | None, role: str | None, external_id: str | None,
) -> None:
    """Set a condition of an AWS account in the sandbox: Region disabled, account suspended,
    its own email address, membership of the administrator's AWS organization, or the external
    id a role's trust policy requires (a sandbox server only).

    In the sandbox the commands around it use, chosen as for `sandbox accept` (a configured
    endpoint must answer as `macie-members sandbox serve` on this machine); a line on stderr
    says which.

    \b
    Examples:
      macie-members --sandbox sandbox condition --account 111111111111 --suspended
      macie-members --sandbox sandbox condition --account 111111111111 --email ops@example.com
      macie-members --sandbox sandbox condition --account 777777777777 --organization
      macie-members --endpoint-url http://127.0.0.1:5000 sandbox condition --account 111111111111 --role MacieAccept --external-id Ops-2026
    """
    from macie_members.flows.sandbox_control import condition_role, set_condition

    if administrator is not None and not organization:
        raise click.UsageError("--administrator goes with --organization.")
    if (role is None) != (external_id is None):
        raise click.UsageError("--role and --external-id go together.")
    if role is not None and external_id is not None:
        condition_role(settings_of(ctx), account_id, role, external_id)
        if (region_disabled, suspended, email, organization) == (None, None, None, None):
            return
    set_condition(settings_of(ctx), account_id, region_disabled=region_disabled, suspended=suspended, email=email,
                  organization=organization, administrator=administrator)


@sandbox.command("reset")
@global_options
@click.pass_context
def reset(ctx: click.Context) -> None:
    """Forget every account of the sandbox: the server's or the embedded one's.

    The sandbox the commands around it use: the embedded one with --sandbox (its state file is
    deleted; only ever a sandbox state file); else the server at a configured endpoint
    (--endpoint-url, AWS_ENDPOINT_URL, the profile's endpoint_url), once it answers as
    `macie-members sandbox serve` on this machine (anything else is refused, exit 253: a
    configured endpoint may be AWS); else the embedded one. A line on stderr says which.

    \b
    Examples:
      macie-members --sandbox sandbox reset
      macie-members --endpoint-url http://127.0.0.1:4566 sandbox reset
    """
    from macie_members.flows.sandbox_control import reset as reset_state

    click.echo(f"Sandbox state reset ({reset_state(settings_of(ctx))}).", err=True)


COMMANDS = [sandbox]
