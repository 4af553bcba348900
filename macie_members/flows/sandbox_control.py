"""``sandbox serve``, ``sandbox condition`` and ``sandbox reset``: the sandbox itself, driven.

``serve`` runs the sandbox server (:mod:`macie_members.sandbox.server`) until Ctrl-C or SIGTERM;
``condition`` sets a condition of an AWS account and ``reset`` forgets every account, both in the
sandbox the commands around it use (:func:`~macie_members.flows.steps.which_sandbox`: the
embedded one's state file, or a server's state through its control routes).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from macie_members.config import GlobalSettings, RunOptions
from macie_members.environment import SANDBOX_STATE_ENV
from macie_members.errors import ConfigError, InputError
from macie_members.flows.steps import say_which_sandbox, which_sandbox
from macie_members.run.session import open_run

if TYPE_CHECKING:
    from macie_members.sandbox.server import SandboxServer


# ---------------------------------------------------------------------------------- serve


@dataclass(frozen=True)
class Faults:
    """What the served sandbox does to requests: delay, throttle, fail (see ``sandbox serve --help``)."""

    latency_ms: float = 0.0
    throttle_rps: float = 0.0
    throttle_code: str = "TooManyRequestsException"
    fault_rate: float = 0.0
    account_fault_rate: float = 0.0
    seed: int | None = None
    verification_delay: float | None = None


def exposure_warning(host: str) -> str | None:
    """What to say before serving on an address that other machines can reach (``None``: loopback).
    The first step of ``sandbox serve``: without the sandbox's extra, one line says how to install it."""
    from macie_members.sandbox import require_extra

    require_extra()
    from macie_members.sandbox.server import is_loopback_host

    if is_loopback_host(host):
        return None
    return (f"Warning: --host {host} makes the sandbox reachable from other machines. It has no "
            "authentication: anyone who can reach it can change or reset its state. Use 127.0.0.1 "
            "unless you mean it.")


def open_server(host: str, port: int, faults: Faults) -> SandboxServer:
    """The sandbox server, listening (a port that can't be had is a configuration error)."""
    import logging
    import random

    from macie_members.sandbox.rules import SETTINGS
    from macie_members.sandbox.server import SandboxServer

    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    SETTINGS.verification_delay = faults.verification_delay
    SETTINGS.account_fault_rate = faults.account_fault_rate
    SETTINGS.random = random.Random(faults.seed)
    try:
        return SandboxServer(host, port, latency_ms=faults.latency_ms, throttle_rps=faults.throttle_rps,
                             throttle_code=faults.throttle_code, fault_rate=faults.fault_rate, seed=faults.seed)
    except OSError as exc:
        raise ConfigError(f"Can't listen on {host}:{port}: {exc.strerror or exc}.") from None


def serve_until_stopped(server: SandboxServer) -> None:
    """Serve until Ctrl-C or SIGTERM, then stop the server."""
    import signal

    def _terminate(signum: int, frame: Any) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, _terminate)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()


# ------------------------------------------------------------------------------ condition


def set_condition(settings: GlobalSettings, account_id: str, *, region_disabled: bool | None,
                  suspended: bool | None, email: str | None, organization: bool | None = None,
                  administrator: str | None = None) -> None:
    """A condition of an AWS account in the sandbox, in the run's Region: disabled there,
    suspended, its own email address (``''`` forgets it), or part of the AWS organization whose
    delegated Macie administrator is ``administrator`` (default: the caller's account)."""
    from macie_members.sandbox import require_extra

    require_extra()  # one line, not a traceback, without the sandbox's extra
    from macie_members.sandbox.rules import is_offered

    _check_condition(account_id, email, administrator)
    settings, endpoint = which_sandbox(settings)
    run = open_run(settings, RunOptions(sandbox_server=endpoint))
    region = run.config.regions[0]
    if not is_offered(region):
        # (with a sandbox server's endpoint, any Region name passed the configuration's check)
        raise InputError(f"Invalid value for --region: Macie is not offered in {region}: the sandbox has no "
                         "such Region (it offers the Regions botocore lists for macie2).")
    with run:
        joined: str | None = None
        if organization is not None:
            joined = (administrator or run.sts(region).get_caller_identity()["Account"]) if organization else ""
            if joined == account_id:
                raise InputError(f"Account {account_id} can't be in the organization it administers.")
        if endpoint:
            from macie_members.aws.sandbox_endpoint import post_control

            post_control(endpoint, "/_sandbox/condition", {
                "account": account_id, "region": region, "regionDisabled": region_disabled,
                "accountSuspended": suspended, "email": email, "organization": joined,
            })
        else:
            from macie_members.sandbox.models import sandbox_backends

            sandbox_backends[account_id][region].set_account_condition(
                region_disabled=region_disabled, account_suspended=suspended, email=email, organization=joined
            )
    say_which_sandbox(run, endpoint)


def condition_role(settings: GlobalSettings, account_id: str, role: str, external_id: str) -> None:
    """From now on a sandbox server lets ``arn:aws:iam::<account>:role/<role>`` be assumed only
    with ``external_id`` (``''``: with or without one). The embedded sandbox's STS is moto's
    in-process one, which checks no trust policy: refused there (exit 252)."""
    from macie_members.domain import role_name_problem
    from macie_members.inputs.role_session import external_id_problem

    _check_condition(account_id, None, None)
    if problem := role_name_problem(role):
        raise InputError(f"Invalid value for '--role': {problem}.")
    if external_id and (problem := external_id_problem(external_id)):
        raise InputError(f"Invalid value for '--external-id': {problem}.")
    settings, endpoint = which_sandbox(settings)
    if not endpoint:
        raise InputError("--role and --external-id need a sandbox server (macie-members sandbox serve, then "
                         "--endpoint-url): the embedded sandbox's STS checks no external id.")
    from macie_members.aws.sandbox_endpoint import post_control

    post_control(endpoint, "/_sandbox/role-condition",
                 {"roleArn": f"arn:aws:iam::{account_id}:role/{role}", "externalId": external_id})
    run = open_run(settings, RunOptions(sandbox_server=endpoint))
    with run:
        say_which_sandbox(run, endpoint)


def _check_condition(account_id: str, email: str | None, administrator: str | None) -> None:
    from macie_members.sandbox.exceptions import MacieError
    from macie_members.sandbox.rules import check_account_id, check_email

    try:
        check_account_id(account_id)
        if administrator is not None:
            check_account_id(administrator, "administrator account ID")
        if email:
            check_email(email)
    except MacieError as exc:
        raise InputError(exc.message) from None


# ---------------------------------------------------------------------------------- reset


def reset(settings: GlobalSettings) -> str:
    """Forget the state of the sandbox the commands around it use: a sandbox server's (``POST
    /_sandbox/reset``: every account, condition and counter), else the embedded sandbox's state
    file (only ever a sandbox state file is deleted). Which one, in the words of
    :func:`~macie_members.flows.steps.say_which_sandbox`."""
    settings, endpoint = which_sandbox(settings)
    if endpoint:
        from macie_members.aws.sandbox_endpoint import post_control

        post_control(endpoint, "/_sandbox/reset", {})
        return f"the sandbox server at {endpoint}"
    from macie_members.render.renderer import Renderer
    from macie_members.sandbox import reset_state_file

    path = settings.sandbox_state or os.environ.get(SANDBOX_STATE_ENV)
    done = reset_state_file(Path(path).expanduser() if path else None, timeout=float(settings.lock_timeout),
                            say=Renderer.note)
    return f"the embedded sandbox, state in {done}"
