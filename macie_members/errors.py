"""Exceptions and exit codes.

Exit codes follow AWS CLI v2 (``awscli/constants.py``), so scripts written against
``aws macie2`` keep working:

====  ==========================================================================
0     success
1     a confirmation prompt was declined: nothing was changed
2     ``sync --plan --detailed-exitcode`` only: the organization differs from the file (drift)
130   interrupted (Ctrl-C)
252   usage, parameter or input errors (bad shorthand, bad CSV, unknown option)
253   configuration, credentials or region problems
254   the service answered with an error (in any region, for any item)
255   anything else (a bug, a connection failure, an unexpected exception)
====  ==========================================================================

Only :func:`macie_members.cli.main` turns these exceptions into a process exit code.
"""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    OK = 0
    DECLINED = 1
    DRIFT = 2
    INTERRUPTED = 130
    USAGE = 252
    CONFIG = 253
    SERVICE = 254
    UNEXPECTED = 255


class MacieMembersError(Exception):
    """Base class of every error this package raises on purpose."""

    exit_code: ExitCode = ExitCode.UNEXPECTED


class InputError(MacieMembersError):
    """The user's input is wrong: a parameter, a shorthand value, a file, a CSV row."""

    exit_code = ExitCode.USAGE


class ConfigError(MacieMembersError):
    """Configuration, credentials or region problems."""

    exit_code = ExitCode.CONFIG


class ServiceError(MacieMembersError):
    """The service (or the sandbox) answered with an error."""

    exit_code = ExitCode.SERVICE


class Interrupted(MacieMembersError):
    """Ctrl-C: the message says what was done, what was not, and that a rerun finishes the job."""

    exit_code = ExitCode.INTERRUPTED


class Declined(MacieMembersError):
    """The person at the terminal answered no to a confirmation prompt."""

    exit_code = ExitCode.DECLINED


class ConnectionFailure(MacieMembersError):
    """The endpoint could not be reached (exit 255, as the AWS CLI)."""

    code = "ConnectionFailure"


class ReportError(MacieMembersError):
    """The ``--report`` file could not be written during a run (the run stops)."""

    exit_code = ExitCode.CONFIG


def code_and_message(exc: BaseException) -> tuple[str, str]:
    """The error code and message of a failed record: the service's own (an API error's ``code``
    and ``error_message``), else the error's ``code`` or class name, and its text (stripped)."""
    code = str(getattr(exc, "code", None) or type(exc).__name__)
    message = getattr(exc, "error_message", None)
    return code, str(message) if message else str(exc).strip()
