"""The command-line interface: parses arguments and calls the command's one flow, nothing else.

This is the only package that imports click. It imports the root modules (``config``,
``domain``, ``errors``, ``records``), ``inputs`` (to parse option values) and, inside the
commands (so that ``--help`` loads nothing heavy), ``flows``; never ``run``, ``aws``, ``plan``
or ``render``: every byte a run prints goes through the flow's renderer (the ``[y/N]`` prompt
too). :func:`main` (through :class:`MacieGroup`) is the only place that turns exceptions into
exit codes, and writes their one line; see :mod:`macie_members.errors`.

May import: click, the root modules, ``inputs`` and (lazily) ``flows``; nothing imports ``cli``
but ``entry``.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import Any, NoReturn

import click

from macie_members.cli.global_options import GlobalOptions, global_options
from macie_members.cli.lazy import LazyGroup
from macie_members.errors import ExitCode, MacieMembersError


class MacieGroup(LazyGroup):
    """A click group whose ``main`` maps every outcome to AWS CLI v2's exit codes (and whose
    commands are imported only when one runs: :mod:`macie_members.cli.lazy`)."""

    def main(
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> NoReturn:
        options = GlobalOptions()
        extra.pop("obj", None)
        sys.exit(self._run(options, args, prog_name, complete_var, extra))

    def _run(self, options: GlobalOptions, args: Sequence[str] | None, prog_name: str | None,
             complete_var: str | None, extra: dict[str, Any]) -> int:
        try:
            result = super().main(
                args=_help_word(sys.argv[1:] if args is None else list(args)),
                prog_name=prog_name or "macie-members", complete_var=complete_var,
                standalone_mode=False, obj=options, **extra,
            )
            return result if isinstance(result, int) else 0
        except click.exceptions.Exit as exc:
            return int(exc.exit_code)
        except click.UsageError as exc:
            exc.show()
            return ExitCode.USAGE
        except click.ClickException as exc:
            exc.show()
            return ExitCode.USAGE
        except (click.exceptions.Abort, KeyboardInterrupt):
            # Ctrl-C outside a run session (while parsing or reading a file): nothing was sent.
            click.echo("Interrupted: no change was made.", err=True)
            return ExitCode.INTERRUPTED
        except MacieMembersError as exc:
            if options.debug:
                import traceback

                traceback.print_exc()
            # The AWS CLI puts a blank line before a service error; our own one-line messages
            # (configuration, interrupts, declined prompts) stand alone.
            blank = exc.exit_code in (ExitCode.SERVICE, ExitCode.USAGE, ExitCode.UNEXPECTED)
            click.echo(f"\n{exc}" if blank else str(exc), err=True)
            return exc.exit_code
        except Exception as exc:  # a bug: one line, and a traceback only with --debug
            if options.debug:
                import traceback

                traceback.print_exc()
            click.echo(f"\n{type(exc).__name__}: {exc}", err=True)
            return ExitCode.UNEXPECTED


def _help_word(args: list[str]) -> list[str]:
    """``macie-members COMMAND help`` is ``COMMAND --help``, as ``aws macie2 COMMAND help`` is the
    command's help (a last ``help`` that is an option's value, as in ``--message help``, stays)."""
    if args and args[-1] == "help" and (len(args) == 1 or not args[-2].startswith("-")):
        return [*args[:-1], "--help"]
    return args


@click.group(
    cls=MacieGroup,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
    epilog="""\b
Examples:
  macie-members --sandbox create-member --account accountId=111111111111,email=jane@example.com
  macie-members list-members --only-associated false --output table
  aws macie2 list-members ...   ->   macie-members list-members ...  (same options, same output)""",
)
@global_options
def cli() -> None:
    """Manage the members of an invitation-based Amazon Macie organization.

    The sixteen membership commands (administrator and member side) take the same options and
    print the same output as `aws macie2 <command>`.
    """


def main(argv: Sequence[str] | None = None) -> NoReturn:
    from macie_members.environment import PROCESS
    from macie_members.errors import SIGNAL_EXIT_CODES

    PROCESS.ends_with_the_run = True
    try:
        cli.main(args=argv, prog_name="macie-members")
    except SystemExit:
        # The run is over and its outcome said: a stop signal now must not turn the exit into a
        # traceback (from a flush at shutdown, say) nor into a death by SIGTERM or SIGHUP.
        import signal

        for name in SIGNAL_EXIT_CODES:
            if hasattr(signal, name):
                signal.signal(getattr(signal, name), signal.SIG_IGN)
        raise
