"""Exceptions and exit codes.

Exit codes follow AWS CLI v2 (``awscli/constants.py``), so scripts written against
``aws macie2`` keep working. :class:`ExitCode` names them and :data:`EXIT_CODE_MEANINGS` says
what each one means: the exit-code tables of the README and of ``docs/scripting.md`` are
generated from it (``python -m macie_members.cli.reference --write``), so they cannot drift.

Only :func:`macie_members.cli.main` turns these exceptions into a process exit code.
"""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    OK = 0
    DECLINED = 1
    DRIFT = 2
    LOCKED = 75  # EX_TEMPFAIL (sysexits.h): try again later
    HANGUP = 129
    INTERRUPTED = 130
    TERMINATED = 143
    USAGE = 252
    CONFIG = 253
    SERVICE = 254
    UNEXPECTED = 255


#: What each exit code means, in the order the docs list them (the AWS CLI's codes first).
#: Markdown: the docs' exit-code tables are generated from it.
EXIT_CODE_MEANINGS: dict[ExitCode, str] = {
    ExitCode.OK: "success (also `create-invitations` with `unprocessedAccounts`, as the AWS CLI)",
    ExitCode.USAGE: "usage, parameter or input error (bad shorthand, bad CSV, unknown option, a `--report` "
                    "path that can't be opened); nothing was sent",
    ExitCode.CONFIG: "configuration, credentials, region or sandbox-state problem, or a `--report` file that "
                     "can't be written during the run (the run stops)",
    ExitCode.SERVICE: "the service answered with an error (in any Region, for any item)",
    ExitCode.UNEXPECTED: "anything else (connection failures, bugs, an unexpected exception)",
    ExitCode.INTERRUPTED: "interrupted (Ctrl-C, SIGINT): no new request started, the answers under way were "
                          "recorded; one line on stderr says what was done and what was not, and a run that "
                          "produces records prints the interrupted result document on stdout",
    ExitCode.TERMINATED: "stopped by SIGTERM (systemd, a CI timeout, `kill`): as Ctrl-C",
    ExitCode.HANGUP: "stopped by SIGHUP (the terminal closed; not on Windows): as Ctrl-C",
    ExitCode.DECLINED: "a confirmation prompt was answered no; no change was made",
    ExitCode.DRIFT: "`sync --plan --detailed-exitcode` only: drift, the organization differs from the file "
                    "(see `sync` in the guide)",
    ExitCode.LOCKED: "another mutating run holds the lock of the same account and Region (with `--sandbox`: "
                     "another command holds the sandbox state file) for longer than `--lock-timeout`; nothing "
                     "was sent (run it again later)",
}


class MacieMembersError(Exception):
    """Base class of every error this package raises on purpose."""

    exit_code: ExitCode = ExitCode.UNEXPECTED


class LockedError(MacieMembersError):
    """Another run holds the lock of an (account, Region) this run changes, past ``--lock-timeout``."""

    exit_code = ExitCode.LOCKED


class InputError(MacieMembersError):
    """The user's input is wrong: a parameter, a shorthand value, a file, a CSV row."""

    exit_code = ExitCode.USAGE


class ConfigError(MacieMembersError):
    """Configuration, credentials or region problems."""

    exit_code = ExitCode.CONFIG


class ServiceError(MacieMembersError):
    """The service (or the sandbox) answered with an error."""

    exit_code = ExitCode.SERVICE


#: The signals that stop a run, by name, and the exit code of each (128 + the signal's number,
#: as a shell reports it; fixed here so that it is the same on every platform).
SIGNAL_EXIT_CODES: dict[str, ExitCode] = {
    "SIGINT": ExitCode.INTERRUPTED,
    "SIGTERM": ExitCode.TERMINATED,
    "SIGHUP": ExitCode.HANGUP,
}


class Interrupted(MacieMembersError):
    """Ctrl-C, SIGTERM or SIGHUP: the message says what was done, what was not, and that a rerun
    finishes the job; the exit code is the signal's (:data:`SIGNAL_EXIT_CODES`)."""

    exit_code = ExitCode.INTERRUPTED

    def __init__(self, message: str, signal_name: str = "SIGINT") -> None:
        super().__init__(message)
        self.signal_name = signal_name
        self.exit_code = SIGNAL_EXIT_CODES.get(signal_name, ExitCode.INTERRUPTED)


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
