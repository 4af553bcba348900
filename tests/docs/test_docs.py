"""The docs are current: the command reference is the CLI's own help, the tables the code
defines (exit codes, record fields, commands, folders, modules) are generated from it, the
guide's compatibility table names every ``aws macie2`` command, every command documents
itself, and every link and path the docs name exists.

"Examples:" in every command's help is checked by ``tests/cli/test_help.py::test_help_shows_examples``.
"""

from __future__ import annotations

import dataclasses
import os
import re
import shutil
import subprocess
import sys
import typing
from pathlib import Path

import click
import pytest

from macie_members.cli import cli, doc_tables, reference
from macie_members.cli.admin import COMMANDS as ADMINISTRATOR_COMMANDS
from macie_members.cli.member_account import COMMANDS as MEMBERSHIP_COMMANDS
from macie_members.errors import EXIT_CODE_MEANINGS, ExitCode
from macie_members.records import RESULT_FIELDS, Outcome, Result

AWS_COMMANDS = [*ADMINISTRATOR_COMMANDS, *MEMBERSHIP_COMMANDS]

# The checkout's root, wherever this file sits under tests/.
ROOT = next(p for p in Path(__file__).resolve().parents if (p / "pyproject.toml").is_file())
README = ROOT / "README.md"
CONTRIBUTING = ROOT / "CONTRIBUTING.md"
DOCS = ROOT / "docs"
REFERENCE = DOCS / "reference.md"
GUIDE = DOCS / "guide.md"
SCRIPTING = DOCS / "scripting.md"
REGENERATE = "python -m macie_members.cli.reference --write"


def doc_files() -> list[Path]:
    return [README, CONTRIBUTING, *sorted(DOCS.glob("*.md"))]


def all_commands() -> list[click.Context]:
    return list(reference.walk(cli))


def test_command_reference_is_current() -> None:
    """Every command, option and help text is in docs/reference.md (compared without layout: a
    newer click lays help out differently)."""
    text = REFERENCE.read_text(encoding="utf-8")
    problems = reference.differences(reference.region(text, "reference"))
    if problems:
        pytest.fail(f"docs/reference.md's command reference is out of date; regenerate it with:\n    {REGENERATE}\n"
                    + "\n".join(problems[:40]), pytrace=False)


def test_every_generated_region_is_current() -> None:
    """Every generated region of README.md, CONTRIBUTING.md and docs/*.md says what the code
    says; and the regions each page owns are there."""
    problems = []
    generated: dict[str, str] = {}
    for path in doc_files():
        problems += [f"{path.relative_to(ROOT)}: {p}" for p in reference.stale(path.read_text(encoding="utf-8"), generated)]
    if problems:
        pytest.fail(f"generated docs are out of date; regenerate them with:\n    {REGENERATE}\n"
                    + "\n".join(problems[:40]), pytrace=False)
    owned = {
        README: ["exit-codes"],
        REFERENCE: ["commands", "reference"],
        SCRIPTING: ["record-fields", "exit-codes"],
        CONTRIBUTING: ["layers", "modules"],
    }
    for path, names in owned.items():
        assert reference.regions(path.read_text(encoding="utf-8")) == names, path


def test_a_stale_reference_is_found() -> None:
    section = reference.region(REFERENCE.read_text(encoding="utf-8"), "reference")
    assert reference.differences(section) == []
    for stale in ("Requests in flight at once", "### `macie-members status`", "--accounts-file", "  --tags"):
        at = section.index(stale)
        assert reference.differences(section[:at] + "something else" + section[at + len(stale):]), stale
    # A section of a command that is no more is found too.
    assert reference.differences(section + "\n### `macie-members gone`\n\n```text\nUsage: gone\n```\n")


@pytest.mark.parametrize("name", ["exit-codes", "record-fields", "commands", "layers", "modules"])
def test_a_stale_table_is_found(name: str) -> None:
    text = f"# T\n\n{reference.begin(name)}\n{reference.REGIONS[name]()}{reference.end(name)}\n"
    assert reference.stale(text) == []
    row = [line for line in reference.region(text, name).splitlines() if line.startswith("|")][2]  # the first row
    assert reference.stale(text.replace(row, row.replace(" |", " (changed) |", 1))), row
    assert reference.stale(text.replace(row + "\n", "")), row


def test_reference_page_puts_the_reference_under_its_heading() -> None:
    text = REFERENCE.read_text(encoding="utf-8")
    headings = re.findall(r"^(#{1,2}) (.+)$", text, flags=re.MULTILINE)
    assert headings[0] == ("#", "Command reference")
    assert text.index("## Every command's help") < text.index(reference.begin("reference"))
    assert text.index("## Commands") < text.index(reference.begin("commands")) < text.index(reference.begin("reference"))
    # The performance figures left the README for benchmarks/README.md.
    assert "## Performance" not in README.read_text(encoding="utf-8")
    benchmarks = (ROOT / "benchmarks" / "README.md").read_text(encoding="utf-8")
    assert "## Results" in benchmarks and "peak RSS" in benchmarks


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
    # The table of commands links each one to its section.
    table = reference.commands()
    for path in paths:
        assert f"[`{path}`](#{reference.anchor(path)})" in table
    assert reference.anchor("macie-members sandbox serve") == "macie-members-sandbox-serve"


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


def test_exit_code_table_is_every_exit_code() -> None:
    assert set(EXIT_CODE_MEANINGS) == set(ExitCode)
    assert all(text.strip() for text in EXIT_CODE_MEANINGS.values())
    table = doc_tables.exit_codes()
    codes = [line.split("|")[1].strip() for line in table.splitlines()[2:]]
    assert codes == [str(int(code)) for code in EXIT_CODE_MEANINGS]
    assert list(EXIT_CODE_MEANINGS)[:5] == [0, 252, 253, 254, 255]  # the AWS CLI's codes first


def test_record_table_is_every_field_in_order() -> None:
    names = [field.name for field in dataclasses.fields(Result)]
    assert list(RESULT_FIELDS) == names
    table = doc_tables.record_fields()
    assert [line.split("|")[1].strip() for line in table.splitlines()[2:]] == [f"`{n}`" for n in names]
    for outcome in typing.get_args(Outcome):
        assert f"`{outcome}`" in RESULT_FIELDS["outcome"]


def test_layer_table_is_every_folder_with_its_import_rule(tmp_path: Path) -> None:
    package = doc_tables.package_root()
    folders = sorted(p.parent.name for p in package.glob("*/__init__.py"))
    table = doc_tables.layers()
    rows = [line.split("|")[1].strip() for line in table.splitlines()[2:]]
    assert sorted(rows) == [f"`macie_members/{name}/`" for name in folders]
    assert rows[0] == "`macie_members/cli/`"
    modules = doc_tables.modules()
    for path in package.rglob("*.py"):
        assert f"`{path.relative_to(package.parent).as_posix()}`" in modules, path
    # A folder whose docstring does not say what it may import is refused.
    fake = tmp_path / "macie_members"
    (fake / "newlayer").mkdir(parents=True)
    (fake / "newlayer" / "__init__.py").write_text('"""A new layer."""\n')
    with pytest.raises(doc_tables.DocTableError, match="May import"):
        doc_tables.layers(fake)
    assert doc_tables.to_markdown("``x`` and :mod:`~a.b` and :func:`c`") == "`x` and `b` and `c`"


def test_regions_round_trip_and_errors() -> None:
    begin, end = reference.begin("exit-codes"), reference.end("exit-codes")
    text = f"# T\n\nbefore\n{begin}\nold\n{end}\nafter\n"
    updated = reference.replace_region(text, "exit-codes", "new text\n")
    assert updated == f"# T\n\nbefore\n{begin}\n\nnew text\n\n{end}\nafter\n"
    assert reference.replace_region(updated, "exit-codes", "new text") == updated
    assert reference.regions(updated) == ["exit-codes"]
    regenerated = reference.regenerate(text)
    assert reference.regenerate(regenerated) == regenerated and reference.stale(regenerated) == []
    assert reference.stale(text) != []
    other_begin, other_end = reference.begin("modules"), reference.end("modules")
    for broken in (
        f"{begin}\n",
        f"{end}\n{begin}\n",
        f"{begin}\n{end}\n{begin}\n{end}\n",
        f"{begin}\n{other_begin}\n{other_end}\n{end}\n",
        f"{begin}\n{other_end}\n",
        "<!-- generated: no-such-region -->\n<!-- end: no-such-region -->\n",
    ):
        with pytest.raises(reference.SectionError):
            reference.regions(broken)
    with pytest.raises(reference.SectionError):
        reference.region("no regions", "reference")


def _run_reference(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "COLUMNS"}
    env["COLUMNS"] = "33"  # a narrow terminal must not change anything
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    return subprocess.run(
        [sys.executable, "-m", "macie_members.cli.reference", *args],
        capture_output=True, text=True, timeout=120, cwd=cwd, env=env,
    )


def test_write_and_check_from_the_command_line(tmp_path: Path) -> None:
    page = tmp_path / "reference.md"
    stale = re.sub(
        re.escape(reference.begin("reference")) + ".*" + re.escape(reference.end("reference")),
        f"{reference.begin('reference')}\nstale\n{reference.end('reference')}",
        REFERENCE.read_text(encoding="utf-8"),
        flags=re.DOTALL,
    )
    page.write_text(stale, encoding="utf-8")

    check = _run_reference("--check", str(page))
    assert check.returncode == 1
    assert check.stdout == ""
    assert REGENERATE in check.stderr and "out of date" in check.stderr
    assert "Traceback" not in check.stderr

    write = _run_reference("--write", str(page))
    assert (write.returncode, write.stdout) == (0, ""), write.stderr
    text = page.read_text(encoding="utf-8")
    assert reference.region(text, "reference").strip() == reference.render().strip()
    assert reference.region(text, "commands").strip() == reference.commands().strip()
    assert _run_reference("--check", str(page)).returncode == 0

    printed = _run_reference()
    assert printed.returncode == 0
    assert printed.stdout == reference.render()


def test_write_and_check_the_checkout_by_default(tmp_path: Path) -> None:
    """Without FILE, --write and --check take README.md, CONTRIBUTING.md and docs/*.md of the
    current directory; the checkout's own docs are current."""
    assert _run_reference("--check").returncode == 0
    (tmp_path / "docs").mkdir()
    (tmp_path / "README.md").write_text(f"# R\n{reference.begin('exit-codes')}\nold\n{reference.end('exit-codes')}\n")
    (tmp_path / "docs" / "page.md").write_text("# no generated region: left alone\n")
    assert _run_reference("--check", cwd=tmp_path).returncode == 1
    assert _run_reference("--write", cwd=tmp_path).returncode == 0
    assert _run_reference("--check", cwd=tmp_path).returncode == 0
    assert doc_tables.exit_codes().strip() in (tmp_path / "README.md").read_text()
    assert (tmp_path / "docs" / "page.md").read_text() == "# no generated region: left alone\n"
    empty = tmp_path / "empty"
    empty.mkdir()
    nothing = _run_reference("--write", cwd=empty)
    assert nothing.returncode == 1 and "repository's root" in nothing.stderr


def test_write_without_markers_is_a_one_line_error(tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    page.write_text("# no markers here\n", encoding="utf-8")
    result = _run_reference("--write", str(page))
    assert result.returncode == 1
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and reference.begin("NAME") in lines[0], result.stderr
    assert page.read_text(encoding="utf-8") == "# no markers here\n"


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
    first_cells = _compatibility_table(GUIDE.read_text(encoding="utf-8"))
    # A cell names commands in backquotes, each followed by its options: `get-member --id ID`.
    named = {match for cell in first_cells for match in re.findall(r"`([a-z][a-z-]*)", cell)}
    assert name in named, f"docs/guide.md's compatibility table has no row for `aws macie2 {name}`: {first_cells}"


# ------------------------------------------------------------------ links and paths in the docs

_LINK = re.compile(r"(?<!!)\[[^\]]*\]\(([^)\s]+)\)")
_CODE_PATH = re.compile(r"`((?:macie_members|tests|examples|benchmarks|completions|docs|\.ci)/[\w./-]*)`")


def _prose(text: str) -> str:
    """``text`` without its fenced code blocks."""
    return re.sub(r"^```.*?^```", "", text, flags=re.MULTILINE | re.DOTALL)


def _anchors(path: Path) -> set[str]:
    """The ids of ``path``'s headings that GitHub and the site (Python-Markdown's toc, which
    folds runs of hyphens into one) both give: a link to another id works in only one of them."""
    text = _prose(path.read_text(encoding="utf-8"))
    ids = set()
    for heading in re.findall(r"^#{1,6} (.+)$", text, flags=re.MULTILINE):
        github = reference.anchor(re.sub(r"[`*]", "", heading))
        if github == re.sub(r"-+", "-", github):
            ids.add(github)
    return ids


@pytest.mark.parametrize("page", doc_files(), ids=lambda p: p.relative_to(ROOT).as_posix())
def test_every_relative_link_resolves(page: Path) -> None:
    """Links between the pages are relative (they work on GitHub and in the site) and point to
    a file and a heading that exist."""
    text = _prose(page.read_text(encoding="utf-8"))
    broken = []
    for target in _LINK.findall(text):
        if re.match(r"[a-z]+:", target):
            continue  # https://... is not ours to check
        file, _, fragment = target.partition("#")
        linked = (page.parent / file).resolve() if file else page
        heading_missing = bool(fragment) and linked.suffix == ".md" and fragment not in _anchors(linked)
        if not linked.exists() or heading_missing:
            broken.append(target)
    assert broken == [], f"{page.relative_to(ROOT)}: broken links {broken}"


@pytest.mark.parametrize("page", doc_files(), ids=lambda p: p.relative_to(ROOT).as_posix())
def test_every_path_named_exists(page: Path) -> None:
    """A file the docs name in backquotes (`macie_members/run/session.py`, `examples/accounts.csv`)
    exists, and so does a folder of the package (`macie_members/flows/`): the docs follow the
    code when it moves."""
    missing = []
    for named in _CODE_PATH.findall(page.read_text(encoding="utf-8")):
        if "*" in named:
            continue
        is_file = bool(Path(named).suffix)
        if (is_file or named.startswith("macie_members/")) and not (ROOT / named).exists():
            missing.append(named)
    assert missing == [], f"{page.relative_to(ROOT)} names paths that do not exist: {missing}"


def test_readme_is_short_and_links_every_page() -> None:
    text = README.read_text(encoding="utf-8")
    assert len(text.splitlines()) <= 200
    for page in ["docs/guide.md", "docs/scripting.md", "docs/sandbox.md", "docs/reference.md",
                 "CONTRIBUTING.md", "benchmarks/README.md"]:
        assert f"]({page})" in text, page


def test_site_navigation_lists_every_page() -> None:
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    nav = re.findall(r"^  - [^:]+: (\S+\.md)$", config, flags=re.MULTILINE)
    assert sorted(nav) == sorted(p.name for p in DOCS.glob("*.md"))
    assert nav[0] == "index.md"
