"""The docs' tables of facts the code defines: exit codes, record fields, the layers and modules.

Each function returns a Markdown table built from the code itself: the exit codes and
``errors.EXIT_CODE_MEANINGS``, the fields of ``records.Result`` and ``records.RESULT_FIELDS``,
and the docstrings of the package's folders and modules (read from the source with :mod:`ast`: nothing is imported, so
reading the sandbox's docstring does not load moto). :mod:`macie_members.cli.reference` writes
them into the docs' generated regions; nothing here runs at import time.
"""

from __future__ import annotations

import ast
import dataclasses
import re
from collections.abc import Iterable, Sequence
from pathlib import Path

import macie_members
from macie_members.errors import EXIT_CODE_MEANINGS, ExitCode
from macie_members.records import RESULT_FIELDS, Result

#: The layers from the top (the CLI) down, as the imports run; a folder not named here comes
#: after them, so a new one shows up in the tables rather than being left out.
LAYER_ORDER = ("cli", "flows", "run", "render", "aws", "inputs", "plan", "sandbox")

#: Where the "May import:" paragraph of a folder's ``__init__.py`` docstring starts.
MAY_IMPORT = "May import:"


class DocTableError(Exception):
    """The code lacks what a table needs (a meaning, a description, a docstring)."""


def markdown_table(header: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    """A Markdown table; ``|`` in a cell is escaped, so a cell never splits."""
    def line(cells: Sequence[str]) -> str:
        return "| " + " | ".join(cell.replace("|", "\\|") for cell in cells) + " |"

    lines = [line(header), "| " + " | ".join("---" for _ in header) + " |"]
    lines += [line(row) for row in rows]
    return "\n".join(lines) + "\n"


def exit_codes() -> str:
    """Every :class:`ExitCode` and what it means, in :data:`EXIT_CODE_MEANINGS`' order."""
    missing = [code.name for code in ExitCode if code not in EXIT_CODE_MEANINGS]
    if missing:
        raise DocTableError(f"errors.EXIT_CODE_MEANINGS has no meaning for {', '.join(missing)}")
    return markdown_table(("code", "meaning"), ((str(int(code)), text) for code, text in EXIT_CODE_MEANINGS.items()))


def record_fields() -> str:
    """Every field of a result record, in the order ``--output text`` and ``csv`` print them."""
    names = [field.name for field in dataclasses.fields(Result)]
    if list(RESULT_FIELDS) != names:
        raise DocTableError(f"records.RESULT_FIELDS must describe the fields of Result, in order: {names}, "
                            f"not {list(RESULT_FIELDS)}")
    return markdown_table(("field", "meaning"), ((f"`{name}`", RESULT_FIELDS[name]) for name in names))


def package_root() -> Path:
    return Path(macie_members.__file__).resolve().parent


def _docstring(path: Path) -> str:
    docstring = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8"), filename=str(path)))
    if not docstring:
        raise DocTableError(f"{path} has no docstring")
    return docstring


def _paragraphs(docstring: str) -> list[str]:
    return [" ".join(p.split()) for p in docstring.split("\n\n") if p.strip()]


def to_markdown(text: str) -> str:
    """reStructuredText's inline markup as Markdown: ``x`` and :role:`x` become `x`, and
    :role:`~a.b` becomes `b` (as Sphinx shows it)."""
    def role(match: re.Match[str]) -> str:
        target = match.group(2)
        return f"`{target.rsplit('.', 1)[-1] if match.group(1) else target}`"

    text = re.sub(r":[a-z]+:`(~?)([^`<]*?)(?: <[^>]*>)?`", role, text)
    return re.sub(r"``([^`]+)``", r"`\1`", text)


def _folders(root: Path) -> list[Path]:
    folders = [p.parent for p in root.glob("*/__init__.py")]
    rank = {name: index for index, name in enumerate(LAYER_ORDER)}
    return sorted(folders, key=lambda p: (rank.get(p.name, len(rank)), p.name))


def layers(root: Path | None = None) -> str:
    """Each folder of the package: what it owns (its docstring's first paragraph) and what it may
    import (the paragraph that starts with "May import:")."""
    root = root or package_root()
    rows = []
    for folder in _folders(root):
        paragraphs = _paragraphs(_docstring(folder / "__init__.py"))
        rules = [p for p in paragraphs if p.startswith(MAY_IMPORT)]
        if not rules:
            raise DocTableError(f"{folder / '__init__.py'}: its docstring has no {MAY_IMPORT!r} paragraph")
        rows.append((f"`macie_members/{folder.name}/`", to_markdown(paragraphs[0]),
                     to_markdown(rules[0][len(MAY_IMPORT):].strip())))
    return markdown_table(("folder", "owns", "may import"), rows)


def modules(root: Path | None = None) -> str:
    """Every module of the package and the first paragraph of its docstring: the root's files,
    then each folder's, the layers from the top down."""
    root = root or package_root()
    files = sorted(p for p in root.glob("*.py"))
    for folder in _folders(root):
        files += sorted(folder.glob("*.py"), key=lambda p: (p.name != "__init__.py", p.name))
    rows = [(f"`{path.relative_to(root.parent).as_posix()}`", to_markdown(_paragraphs(_docstring(path))[0]))
            for path in files]
    return markdown_table(("file", "what it owns"), rows)
