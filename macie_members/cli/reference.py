"""The README's command reference, generated from the CLI itself.

:func:`render` walks the click group :data:`macie_members.cli.cli` (every command and
subcommand, recursively, sorted by name) and renders each one's usage line, help text, options
and examples with click's own help formatter, at a fixed width of :data:`WIDTH` columns, so the
result never depends on the terminal it is run in. The global options, which every command
accepts, are listed in full once (under ``macie-members``) and named on each command.

``python -m macie_members.cli.reference`` prints the Markdown; ``--write README.md`` replaces
the text between :data:`START` and :data:`END` in that file; ``--check README.md`` exits 1 when
the file's section lacks a command, an option or a help text of the CLI (layout is not
compared: a newer click may lay help out differently). ``tests/test_docs.py`` runs the check.
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterator
from pathlib import Path

import click

WIDTH = 100
START = "<!-- reference:start -->"
END = "<!-- reference:end -->"
PROGRAM = "macie-members"
REGENERATE = "python -m macie_members.cli.reference --write README.md"


class SectionError(Exception):
    """The target file has no (or a damaged) reference section."""


def _context(command: click.Command, name: str, parent: click.Context | None) -> click.Context:
    settings = dict(command.context_settings)
    settings.update(terminal_width=WIDTH, max_content_width=WIDTH)
    return click.Context(command, info_name=name, parent=parent, **settings)


def walk(
    command: click.Command, name: str = PROGRAM, parent: click.Context | None = None
) -> Iterator[click.Context]:
    """A context for ``command`` and, for a group, for each subcommand (sorted, recursively)."""
    ctx = _context(command, name, parent)
    yield ctx
    if isinstance(command, click.Group):
        for sub_name in sorted(command.list_commands(ctx)):
            sub = command.get_command(ctx, sub_name)
            if sub is not None and not sub.hidden:
                yield from walk(sub, sub_name, ctx)


def _global_names(root: click.Command) -> list[str]:
    return [p.name for p in root.params if isinstance(p, click.Option) and p.name]


def command_help(ctx: click.Context, global_names: list[str]) -> str:
    """click's help for ``ctx.command``; on subcommands the global options are only named."""
    command = ctx.command
    formatter = ctx.make_formatter()
    command.format_usage(ctx, formatter)
    command.format_help_text(ctx, formatter)
    is_root = ctx.parent is None
    records: list[tuple[str, str]] = []
    named_globals: list[str] = []
    for param in command.get_params(ctx):
        record = param.get_help_record(ctx)
        if record is None:
            continue
        if not is_root and param.name in global_names and isinstance(param, click.Option):
            named_globals.append(param.opts[0])
            continue
        records.append(record)
    if records:
        with formatter.section("Options"):
            formatter.write_dl(records)
    if named_globals:
        formatter.write_paragraph()
        with formatter.indentation():
            _write_words(
                formatter,
                f"Global options (before or after the command; see `{PROGRAM} --help`): "
                + ", ".join(named_globals),
            )
    if isinstance(command, click.Group):
        command.format_commands(ctx, formatter)
    command.format_epilog(ctx, formatter)
    return formatter.getvalue()


def _write_words(formatter: click.HelpFormatter, text: str) -> None:
    """``text`` wrapped at the formatter's width, never inside an option name like --a-b."""
    indent = " " * formatter.current_indent
    width = max(formatter.width - formatter.current_indent, 11)
    for line in textwrap.wrap(text, width, break_on_hyphens=False, break_long_words=False):
        formatter.write(f"{indent}{line}\n")


def render(root: click.Command | None = None) -> str:
    """The Markdown of the reference: a heading and a help block per command."""
    if root is None:
        from macie_members.cli import cli

        root = cli
    global_names = _global_names(root)
    parts: list[str] = []
    for ctx in walk(root):
        text = command_help(ctx, global_names)
        # Trailing spaces (e.g. an empty argument metavar) would not survive editors.
        lines = "\n".join(line.rstrip() for line in text.strip("\n").splitlines())
        parts.append(f"### `{ctx.command_path}`\n\n```text\n{lines}\n```\n")
    return "\n".join(parts)


def section(text: str) -> str:
    """The text between the markers of ``text`` (the current reference)."""
    start, end = _marker_positions(text)
    return text[start + len(START) : end]


def replace_section(text: str, generated: str) -> str:
    """``text`` with the reference between the markers replaced by ``generated``."""
    start, end = _marker_positions(text)
    return text[: start + len(START)] + _block(generated) + text[end:]


def _block(generated: str) -> str:
    return "\n" + generated.strip("\n") + "\n"


def _marker_positions(text: str) -> tuple[int, int]:
    starts, ends = text.count(START), text.count(END)
    if starts != 1 or ends != 1:
        raise SectionError(
            f"expected one {START} and one {END} line, found {starts} and {ends}"
        )
    start, end = text.index(START), text.index(END)
    if end < start:
        raise SectionError(f"{END} comes before {START}")
    return start, end


def differences(text: str, root: click.Command | None = None) -> list[str]:
    """What the reference section of ``text`` lacks of the CLI's help: a command, its usage, its
    description, an option or an option's help. Layout is not compared (whitespace is
    normalised, and what click adds around the help -- blank lines, argument lists -- is
    tolerated), so that a cosmetic change in a newer click does not make the README stale."""
    if root is None:
        from macie_members.cli import cli

        root = cli
    global_names = _global_names(root)
    flat = "".join(section(text).split())  # no whitespace at all: a wrap may split at a hyphen
    problems: list[str] = []
    blocks = flat.split("###`")
    for ctx in walk(root):
        path = ctx.command_path
        block = next((b for b in blocks if b.startswith("".join(path.split()) + "`")), None)
        if block is None:
            problems.append(f"{path}: no section")
            continue
        wanted = [f"Usage:{path}", (ctx.command.help or "").split("\n\n")[0]]
        for param in ctx.command.get_params(ctx):
            if not isinstance(param, click.Option) or param.hidden:
                continue
            record = param.get_help_record(ctx)
            if record is None:
                continue
            if ctx.parent is not None and param.name in global_names:
                wanted.append(param.opts[0])  # named in the list of global options
            else:
                wanted.append(record[0] + (param.help or ""))  # the option, then its help
        problems += [f"{path}: {item!r} is missing" for item in wanted
                     if item and "".join(item.split()) not in block]
    return problems


def is_current(text: str) -> bool:
    """Whether the reference section of ``text`` documents the CLI as it is (see :func:`differences`)."""
    return not differences(text)


@click.command(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--write", "write_path", type=click.Path(dir_okay=False, path_type=Path),
              metavar="FILE", help=f"Replace the text between {START} and {END} in FILE.")
@click.option("--check", "check_path", type=click.Path(dir_okay=False, path_type=Path),
              metavar="FILE", help="Exit 1 if FILE's reference lacks a command, an option or a help text.")
def main(write_path: Path | None, check_path: Path | None) -> None:
    """Print the command reference as Markdown (or write it into, or check, a file)."""
    generated = render()
    if write_path is None and check_path is None:
        click.echo(generated, nl=False)
        return
    try:
        if write_path is not None:
            text = write_path.read_text(encoding="utf-8")
            updated = replace_section(text, generated)
            if updated != text:
                write_path.write_text(updated, encoding="utf-8")
            click.echo(f"{write_path}: command reference {'updated' if updated != text else 'already current'}.",
                       err=True)
        if check_path is not None and not is_current(check_path.read_text(encoding="utf-8")):
            raise click.ClickException(
                f"{check_path}: the command reference is out of date; regenerate it with: {REGENERATE}"
            )
    except (OSError, SectionError) as exc:
        raise click.ClickException(f"{write_path or check_path}: {exc}") from None


if __name__ == "__main__":
    main()
