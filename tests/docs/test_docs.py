"""The README is current: its command reference is the CLI's own help, its compatibility table
names every ``aws macie2`` command, and every command documents itself.

"Examples:" in every command's help is checked by ``tests/test_cli.py::test_help_shows_examples``.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import click
import pytest

from macie_members.cli import cli, reference
from macie_members.cli.admin import COMMANDS as ADMINISTRATOR_COMMANDS
from macie_members.cli.member_account import COMMANDS as MEMBERSHIP_COMMANDS

AWS_COMMANDS = [*ADMINISTRATOR_COMMANDS, *MEMBERSHIP_COMMANDS]

ROOT = Path(__file__).resolve().parents[2]
README = ROOT / "README.md"
REGENERATE = "python -m macie_members.cli.reference --write README.md"


def all_commands() -> list[click.Context]:
    return list(reference.walk(cli))


def test_readme_command_reference_is_current() -> None:
    """Every command, option and help text is in the README (compared without layout: a newer
    click lays help out differently)."""
    text = README.read_text(encoding="utf-8")
    problems = reference.differences(text)
    if problems:
        pytest.fail(f"README.md's command reference is out of date; regenerate it with:\n    {REGENERATE}\n"
                    + "\n".join(problems[:40]), pytrace=False)


def test_a_stale_reference_is_found() -> None:
    text = README.read_text(encoding="utf-8")
    assert reference.differences(text) == []
    start = text.index(reference.START)
    for stale in ("Requests in flight at once", "### `macie-members status`", "--accounts-file", "  --tags"):
        at = text.index(stale, start)
        assert reference.differences(text[:at] + "something else" + text[at + len(stale):]), stale


def test_reference_section_is_before_performance() -> None:
    text = README.read_text(encoding="utf-8")
    headings = re.findall(r"^## (.+)$", text, flags=re.MULTILINE)
    assert "Command reference" in headings
    if "Performance" in headings:
        assert headings.index("Command reference") < headings.index("Performance")
    assert text.index("## Command reference") < text.index(reference.START)


def test_reference_covers_every_command_and_option() -> None:
    rendered = reference.render()
    paths = [ctx.command_path for ctx in all_commands()]
    assert paths[0] == "macie-members"
    assert len(paths) == len(set(paths))
    headings = re.findall(r"^### `(.+)`$", rendered, flags=re.MULTILINE)
    assert headings == paths
    for ctx in all_commands():
        block = rendered.split(f"### `{ctx.command_path}`\n", 1)[1].split("\n### ", 1)[0]
        assert f"Usage: {ctx.command_path}" in block
        for param in ctx.command.get_params(ctx):
            if isinstance(param, click.Option) and not param.hidden:
                assert param.opts[0] in block, (ctx.command_path, param.opts[0])
    # Subcommands of groups are there too, in order.
    sandbox = [p for p in paths if p.startswith("macie-members sandbox ")]
    assert sandbox == sorted(sandbox) and len(sandbox) >= 4


def test_reference_does_not_depend_on_the_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    wide = reference.render()
    for columns in ("40", "250"):
        monkeypatch.setenv("COLUMNS", columns)
        monkeypatch.setattr(
            shutil, "get_terminal_size", lambda fallback=(80, 24), c=int(columns): os.terminal_size((c, 24))
        )
        assert reference.render() == wide
    assert "\t" not in wide
    assert all(line == line.rstrip() for line in wide.splitlines())


def test_replace_section_round_trip_and_errors() -> None:
    text = f"# T\n\nbefore\n{reference.START}\nold\n{reference.END}\nafter\n"
    updated = reference.replace_section(text, "new text\n")
    assert updated == f"# T\n\nbefore\n{reference.START}\nnew text\n{reference.END}\nafter\n"
    assert reference.replace_section(updated, "new text") == updated
    for broken in (
        "no markers",
        f"{reference.START}\n",
        f"{reference.END}\n{reference.START}\n",
        f"{reference.START}\n{reference.END}\n{reference.START}\n{reference.END}\n",
    ):
        with pytest.raises(reference.SectionError):
            reference.replace_section(broken, "x")


def _run_reference(*args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "COLUMNS"}
    env["COLUMNS"] = "33"  # a narrow terminal must not change anything
    return subprocess.run(
        [sys.executable, "-m", "macie_members.cli.reference", *args],
        capture_output=True, text=True, timeout=120, cwd=ROOT, env=env,
    )


def test_write_and_check_from_the_command_line(tmp_path: Path) -> None:
    readme = tmp_path / "README.md"
    stale = re.sub(
        re.escape(reference.START) + ".*" + re.escape(reference.END),
        f"{reference.START}\nstale\n{reference.END}",
        README.read_text(encoding="utf-8"),
        flags=re.DOTALL,
    )
    readme.write_text(stale, encoding="utf-8")

    check = _run_reference("--check", str(readme))
    assert check.returncode == 1
    assert check.stdout == ""
    assert REGENERATE in check.stderr and "out of date" in check.stderr
    assert "Traceback" not in check.stderr

    write = _run_reference("--write", str(readme))
    assert (write.returncode, write.stdout) == (0, ""), write.stderr
    assert reference.section(readme.read_text(encoding="utf-8")).strip() == reference.render().strip()
    assert _run_reference("--check", str(readme)).returncode == 0

    printed = _run_reference()
    assert printed.returncode == 0
    assert printed.stdout == reference.render()


def test_write_without_markers_is_a_one_line_error(tmp_path: Path) -> None:
    readme = tmp_path / "README.md"
    readme.write_text("# no markers here\n", encoding="utf-8")
    result = _run_reference("--write", str(readme))
    assert result.returncode == 1
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and reference.START in lines[0], result.stderr
    assert readme.read_text(encoding="utf-8") == "# no markers here\n"


@pytest.mark.parametrize("path", [ctx.command_path for ctx in all_commands()])
def test_every_command_has_help_text(path: str) -> None:
    ctx = next(c for c in all_commands() if c.command_path == path)
    command = ctx.command
    assert (command.help or "").strip(), f"{path} has no docstring / help"
    assert command.get_short_help_str(limit=200).strip()
    undocumented = [
        p.opts[0]
        for p in command.get_params(ctx)
        if isinstance(p, click.Option) and not p.hidden and not (p.help or "").strip()
    ]
    assert undocumented == [], f"{path}: options without help: {undocumented}"


def _compatibility_table(text: str) -> list[str]:
    """The first cells of the table under the "A drop-in for `aws macie2`" heading."""
    part = text.split("## A drop-in for `aws macie2`", 1)[1].split("\n## ", 1)[0]
    rows = [line for line in part.splitlines() if line.startswith("|")]
    return [row.split("|")[1].strip() for row in rows[2:]]  # skip the header and the rule


@pytest.mark.parametrize("name", [c.name for c in AWS_COMMANDS])
def test_compatibility_table_lists_every_aws_macie2_command(name: str | None) -> None:
    assert len(AWS_COMMANDS) == 16
    first_cells = _compatibility_table(README.read_text(encoding="utf-8"))
    # A cell names commands in backquotes, each followed by its options: `get-member --id ID`.
    named = {match for cell in first_cells for match in re.findall(r"`([a-z][a-z-]*)", cell)}
    assert name in named, f"README's compatibility table has no row for `aws macie2 {name}`: {first_cells}"
