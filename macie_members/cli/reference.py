"""The docs' generated regions: the command reference and the tables the code defines.

A Markdown file marks each generated region with two comment lines::

    <!-- generated: NAME -->
    ...
    <!-- end: NAME -->

and :data:`REGIONS` says what goes between them: ``reference`` (every command's ``--help``),
``commands`` (one line per command, linked to its reference), ``exit-codes`` (from
:mod:`macie_members.errors`), ``record-fields`` (from :mod:`macie_members.records`), ``layers``
and ``modules`` (from the package's docstrings; see :mod:`macie_members.cli.doc_tables`).

:func:`render` walks the click group :data:`macie_members.cli.cli` (every command and
subcommand, recursively, sorted by name) and renders each one's usage line, help text, options
and examples with click's own help formatter, at a fixed width of :data:`WIDTH` columns, so the
result never depends on the terminal it is run in. The global options, which every command
accepts, are listed in full once (under ``macie-members``) and named on each command.

``python -m macie_members.cli.reference`` prints the command reference; ``--write [FILE]...``
regenerates every region of the files (by default README.md, CONTRIBUTING.md and docs/*.md of
the current directory); ``--check [FILE]...`` exits 1 when a region is out of date. The
reference is compared without layout (a newer click lays help out differently): it is stale
when it lacks a command, an option or a help text of the CLI. The other regions are compared
whole (whitespace aside). ``tests/docs/test_docs.py`` runs the check. Nothing runs at import time.
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path

import click

from macie_members.cli import doc_tables

WIDTH = 100
PROGRAM = "macie-members"
REGENERATE = "python -m macie_members.cli.reference --write"
#: The files ``--write`` and ``--check`` read when none is given (globs, from the current directory).
DEFAULT_FILES = ("README.md", "CONTRIBUTING.md", "docs/*.md")

_BEGIN = re.compile(r"^<!-- generated: ([a-z][a-z0-9-]*) -->$", re.MULTILINE)
_END = re.compile(r"^<!-- end: ([a-z][a-z0-9-]*) -->$", re.MULTILINE)


def begin(name: str) -> str:
    """The line that opens the region ``name``."""
    return f"<!-- generated: {name} -->"


def end(name: str) -> str:
    """The line that closes the region ``name``."""
    return f"<!-- end: {name} -->"


class SectionError(Exception):
    """A file's generated regions are damaged (or it has none where one is needed)."""


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


def commands(root: click.Command | None = None) -> str:
    """A table of every command: its name, linked to its reference, and the first paragraph of
    its help."""
    if root is None:
        from macie_members.cli import cli

        root = cli
    rows = []
    for ctx in walk(root):
        path = ctx.command_path
        summary = " ".join((ctx.command.help or "").split("\n\n")[0].split())
        rows.append((f"[`{path}`](#{anchor(path)})", summary))
    return doc_tables.markdown_table(("command", "what it does"), rows)


def anchor(heading: str) -> str:
    """The id that GitHub and mkdocs give a heading: ``macie-members sandbox serve`` ->
    ``macie-members-sandbox-serve``."""
    text = re.sub(r"[^\w\s-]", "", heading.strip().lower())
    return re.sub(r"\s", "-", text)


#: What each generated region holds.
REGIONS: dict[str, Callable[[], str]] = {
    "reference": render,
    "commands": commands,
    "exit-codes": doc_tables.exit_codes,
    "record-fields": doc_tables.record_fields,
    "layers": doc_tables.layers,
    "modules": doc_tables.modules,
}


def _spans(text: str) -> list[tuple[str, int, int]]:
    """(name, start of the content, end of the content) of each region of ``text``, in order."""
    begins = [(m.group(1), m.start(), m.end()) for m in _BEGIN.finditer(text)]
    ends = [(m.group(1), m.start(), m.end()) for m in _END.finditer(text)]
    marks = sorted([(at, "begin", name, after) for name, at, after in begins]
                   + [(at, "end", name, after) for name, at, after in ends])
    spans: list[tuple[str, int, int]] = []
    open_: tuple[str, int] | None = None
    for _at, kind, name, after in marks:
        if kind == "begin":
            if open_ is not None:
                raise SectionError(f"{begin(name)} inside the region {open_[0]!r} (no {end(open_[0])} before it)")
            if name not in REGIONS:
                raise SectionError(f"{begin(name)}: no such region (known: {', '.join(REGIONS)})")
            if any(name == seen for seen, _, _ in spans):
                raise SectionError(f"{begin(name)} appears twice")
            open_ = (name, after)
        else:
            if open_ is None or open_[0] != name:
                raise SectionError(f"{end(name)} without a {begin(name)} before it")
            spans.append((name, open_[1], _at))
            open_ = None
    if open_ is not None:
        raise SectionError(f"{begin(open_[0])} has no {end(open_[0])}")
    return spans


def regions(text: str) -> list[str]:
    """The names of the regions of ``text``, in order (:class:`SectionError` if damaged)."""
    return [name for name, _, _ in _spans(text)]


def region(text: str, name: str) -> str:
    """The text of the region ``name`` of ``text``."""
    for found, start, stop in _spans(text):
        if found == name:
            return text[start:stop]
    raise SectionError(f"no region {begin(name)} ... {end(name)}")


def replace_region(text: str, name: str, generated: str) -> str:
    """``text`` with the region ``name`` replaced by ``generated``."""
    for found, start, stop in _spans(text):
        if found == name:
            # Blank lines around: Markdown parsers end an HTML comment's block at a blank line.
            return text[:start] + "\n\n" + generated.strip("\n") + "\n\n" + text[stop:]
    raise SectionError(f"no region {begin(name)} ... {end(name)}")


def regenerate(text: str, generated: dict[str, str] | None = None) -> str:
    """``text`` with every region regenerated (``generated`` caches what :data:`REGIONS` make)."""
    generated = {} if generated is None else generated
    for name in regions(text):
        if name not in generated:
            generated[name] = REGIONS[name]()
        text = replace_region(text, name, generated[name])
    return text


def stale(text: str, generated: dict[str, str] | None = None) -> list[str]:
    """What is out of date in the regions of ``text``: for the reference, what it lacks of the
    CLI (:func:`differences`); for the others, that they differ (whitespace aside)."""
    generated = {} if generated is None else generated
    problems: list[str] = []
    for name in regions(text):
        current = region(text, name)
        if name == "reference":
            problems += differences(current)
            continue
        if name not in generated:
            generated[name] = REGIONS[name]()
        if current.split() != generated[name].split():
            problems.append(f"the region {name!r} differs from what the code says")
    return problems


def differences(reference_text: str, root: click.Command | None = None) -> list[str]:
    """What ``reference_text`` (a reference region) lacks of the CLI's help: a command, its
    usage, its description, an option or an option's help (and a section of a command that is
    no more). Layout is not compared (whitespace
    is normalised, and what click adds around the help -- blank lines, argument lists -- is
    tolerated), so that a cosmetic change in a newer click does not make the docs stale."""
    if root is None:
        from macie_members.cli import cli

        root = cli
    global_names = _global_names(root)
    flat = "".join(reference_text.split())  # no whitespace at all: a wrap may split at a hyphen
    problems: list[str] = []
    blocks = flat.split("###`")
    paths = {"".join(ctx.command_path.split()) for ctx in walk(root)}
    problems += [f"{block.split('`')[0]}: no such command" for block in blocks[1:] if block.split("`")[0] not in paths]
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


def default_files(directory: Path) -> list[Path]:
    """The docs of a checkout: :data:`DEFAULT_FILES` under ``directory``, those that exist."""
    return [path for pattern in DEFAULT_FILES for path in sorted(directory.glob(pattern)) if path.is_file()]


@click.command(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--write", is_flag=True,
              help="Regenerate every generated region of the FILEs (default: README.md, CONTRIBUTING.md, docs/*.md).")
@click.option("--check", is_flag=True, help="Exit 1 if a generated region of the FILEs is out of date.")
@click.argument("files", nargs=-1, type=click.Path(dir_okay=False, path_type=Path))
def main(write: bool, check: bool, files: tuple[Path, ...]) -> None:
    """Print the command reference as Markdown, or regenerate (or check) the docs' generated
    regions, each between a <!-- generated: NAME --> and a <!-- end: NAME --> line."""
    if not write and not check:
        if files:
            raise click.UsageError("FILE needs --write or --check")
        click.echo(render(), nl=False)
        return
    if write and check:
        raise click.UsageError("--write and --check can't be combined")
    paths = list(files) or default_files(Path())
    if not paths:
        raise click.ClickException(f"none of {', '.join(DEFAULT_FILES)} here: run it from the repository's root")
    generated: dict[str, str] = {}
    out_of_date: list[str] = []
    for path in paths:
        try:
            text = path.read_text(encoding="utf-8")
            if files and not regions(text):
                raise SectionError(f"no generated region (a {begin('NAME')} ... {end('NAME')} pair)")
            if write:
                updated = regenerate(text, generated)
                if updated != text:
                    path.write_text(updated, encoding="utf-8")
                    click.echo(f"{path}: updated.", err=True)
            else:
                out_of_date += [f"{path}: {problem}" for problem in stale(text, generated)]
        except (OSError, SectionError, doc_tables.DocTableError) as exc:
            raise click.ClickException(f"{path}: {exc}") from None
    if out_of_date:
        raise click.ClickException("out of date; regenerate with: " + REGENERATE + "\n" + "\n".join(out_of_date))


if __name__ == "__main__":
    main()
