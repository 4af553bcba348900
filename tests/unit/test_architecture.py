"""The house rules, read from the code: an AST walk over macie_members/**.py (nothing is imported).

The layers, top to bottom (the issue's rule: cli -> flows -> run -> {render, aws} -> {inputs,
plan, config, sandbox} -> {domain, records, errors}). A module may import modules of its own
folder and of any lower layer, never of a higher one:

=====  ==========================================  =========================================
layer  modules                                     may import, besides its own folder
=====  ==========================================  =========================================
9      api.py, entry.py, __main__.py (the top)     anything
7      cli/                                        flows, run, render, aws, inputs, plan,
                                                   config, sandbox, the vocabulary
6      flows/                                      run and everything below it
5      run/                                        render, aws and everything below them
4      render/, aws/                               inputs, plan, config, sandbox, the
                                                   vocabulary; render and aws not each other
3      inputs/, plan/, config.py, sandbox/         the vocabulary only: none of the four
                                                   imports another (the sandbox keeps its own
                                                   copy of Macie's rules, sandbox/rules.py;
                                                   config is read by aws and render, above it)
1      domain.py, records.py, errors.py,           each other (the vocabulary)
       environment.py
0      __init__.py (the package: its version)      nothing of the package
=====  ==========================================  =========================================

The package's ``__init__`` is at the bottom, not the top: it holds the version, which cli/
reads, and Python imports it before any module of the package anyway.

How imports are counted:

* every ``import`` and ``from ... import``, at module level or inside a function (a lazy import
  is an arrow too), resolved to the module it names (``from macie_members.inputs import
  checks`` is an arrow to ``inputs/checks.py``; ``from macie_members.sandbox import install``
  one to ``sandbox/__init__.py``); a submodule's implicit import of its package is not counted;
* imports under ``if TYPE_CHECKING:`` are type-only: they count for no rule (order, cycles,
  sibling flows, third-party boundaries).

The rules (one test each): (a) the layer order above; (b) no import cycle; (c) click only under
cli/, rich only under render/, moto, werkzeug and flask only under sandbox/; (d) no module over
400 physical lines (sandbox/models.py excepted: one backend class, on purpose); (e) no function
over 60 lines, from its first decorator to its last line, docstring included; (f) no flow module
imports a sibling flow, except the shared ``flows/steps.py`` (checked once that module exists).
``--help`` and ``--version`` loading nothing heavy needs a fresh interpreter: that rule (g) is in
tests/cli/test_startup_imports.py, as tests/unit starts no process.
"""

from __future__ import annotations

import ast
import functools
import socket
import subprocess
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.support.helpers import ROOT

PACKAGE = "macie_members"
SOURCE = ROOT / PACKAGE

TOP = 9
LAYERS: dict[str, int] = {
    "api": TOP, "entry": TOP, "__main__": TOP,
    "cli": 7, "flows": 6, "run": 5, "render": 4, "aws": 4,
    "inputs": 3, "plan": 3, "config": 3, "sandbox": 3,
    "domain": 1, "records": 1, "errors": 1, "environment": 1,
    "": 0,  # macie_members/__init__.py
}
VOCABULARY = {"domain", "records", "errors", "environment"}  # one group: they may import each other
ALLOWED_SIDEWAYS: set[tuple[str, str]] = set()  # (from group, to group) at the same layer: none
THIRD_PARTY = {"click": "cli", "rich": "render", "moto": "sandbox", "werkzeug": "sandbox", "flask": "sandbox"}
MAX_MODULE_LINES = 400
LONG_MODULES_ALLOWED = {"macie_members.sandbox.models"}
MAX_FUNCTION_LINES = 60
FLOW_STEPS = "macie_members.flows.steps"


# ------------------------------------------------------------------------------ the walk


@dataclass(frozen=True)
class Import:
    module: str  # the importing module
    path: Path
    line: int
    target: str  # the module named, dotted (macie_members.x.y, or a third-party one)
    lazy: bool  # inside a function
    type_only: bool  # under `if TYPE_CHECKING:`

    def where(self) -> str:
        return f"{self.path.relative_to(ROOT)}:{self.line}"


def module_name(path: Path, root: Path = SOURCE) -> str:
    parts = [root.name, *path.relative_to(root).with_suffix("").parts]
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def _imports(tree: ast.AST, *, lazy: bool = False, type_only: bool = False) -> Iterator[tuple[ast.AST, bool, bool]]:
    """Every import node under ``tree``, with whether it is lazy and whether it is type-only."""
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, ast.Import | ast.ImportFrom):
            yield node, lazy, type_only
        elif isinstance(node, ast.If) and _is_type_checking(node.test):
            for child in node.body:
                yield from _imports(ast.Module(body=[child], type_ignores=[]), lazy=lazy, type_only=True)
            for child in node.orelse:
                yield from _imports(ast.Module(body=[child], type_ignores=[]), lazy=lazy, type_only=type_only)
        else:
            inner = lazy or isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda)
            yield from _imports(node, lazy=inner, type_only=type_only)


def imports_of(source: str | ast.Module, module: str, path: Path, known: frozenset[str]) -> list[Import]:
    """The imports of one module's source (or tree); ``known``: the package's module names (to
    tell ``from package import submodule`` from ``from module import name``)."""
    found = []
    is_package = path.name == "__init__.py"
    tree = ast.parse(source) if isinstance(source, str) else source
    for node, lazy, type_only in _imports(tree):
        targets: list[str] = []
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = module.split(".") if is_package else module.split(".")[:-1]
                anchor = anchor[: len(anchor) - (node.level - 1)]
                base = ".".join([*anchor, *([base] if base else [])])
            targets = [f"{base}.{a.name}" if f"{base}.{a.name}" in known else base for a in node.names]
        for target in dict.fromkeys(targets):
            if target.split(".")[0] == PACKAGE:
                while target not in known and "." in target:
                    target = target.rsplit(".", 1)[0]  # import a.b.c: the module a.b.c, else its package
            found.append(Import(module, path, node.lineno, target, lazy, type_only))
    return found


@functools.cache
def package() -> dict[str, tuple[Path, str]]:
    """Every module of the package: name -> (path, source)."""
    return {module_name(path): (path, path.read_text(encoding="utf-8")) for path in sorted(SOURCE.rglob("*.py"))}


@functools.cache
def trees() -> dict[str, ast.Module]:
    """Every module of the package, parsed once."""
    return {name: ast.parse(source) for name, (_, source) in package().items()}


@functools.cache
def all_imports() -> tuple[Import, ...]:
    known = frozenset(package())
    return tuple(i for name, (path, _) in package().items() for i in imports_of(trees()[name], name, path, known))


def internal_arrows() -> list[Import]:
    """The arrows between the package's modules that count (not type-only, not to itself)."""
    return [i for i in all_imports() if i.target in package() and not i.type_only and i.target != i.module]


def group(module: str) -> str:
    """The folder (or root module) a module belongs to: ``cli``, ``config``, ``""`` (the package)."""
    parts = module.split(".")[1:]
    return parts[0] if parts else ""


def layer(module: str) -> int | None:
    return LAYERS.get(group(module))


def sideways_ok(source: str, target: str) -> bool:
    a, b = group(source), group(target)
    return a == b or (a in VOCABULARY and b in VOCABULARY) or (a, b) in ALLOWED_SIDEWAYS or layer(source) == TOP


def order_violations(arrows: Iterable[Import]) -> list[str]:
    problems = []
    for i in arrows:
        here, there = layer(i.module), layer(i.target)
        if here is None or there is None:
            continue  # reported by test_every_module_is_on_the_map
        if there > here:
            problems.append(f"{i.where()}: {i.module} (layer {here}) imports {i.target} (layer {there}), "
                            "a higher layer")
        elif there == here and not sideways_ok(i.module, i.target):
            problems.append(f"{i.where()}: {i.module} imports {i.target}: {group(i.module)}/ and "
                            f"{group(i.target)}/ are one layer, and neither may import the other")
    return problems


def cycles(arrows: Iterable[Import]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan), each sorted."""
    graph: dict[str, set[str]] = {}
    for i in arrows:
        graph.setdefault(i.module, set()).add(i.target)
        graph.setdefault(i.target, set())
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for successor in sorted(graph[node]):
            if successor not in index:
                visit(successor)
                low[node] = min(low[node], low[successor])
            elif successor in on_stack:
                low[node] = min(low[node], index[successor])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return sorted(found)


def function_lengths(source: str | ast.Module) -> Iterator[tuple[str, int, int]]:
    """(qualified name, first line, lines) of every function, method and nested function; a
    function starts at its first decorator."""

    def walk(node: ast.AST, prefix: str) -> Iterator[tuple[str, int, int]]:
        for child in ast.iter_child_nodes(node):
            name = prefix
            if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef):
                start = min([child.lineno, *(d.lineno for d in child.decorator_list)])
                name = f"{prefix}{child.name}"
                yield name, start, (child.end_lineno or child.lineno) - start + 1
                name += "."
            elif isinstance(child, ast.ClassDef):
                name = f"{prefix}{child.name}."
            yield from walk(child, name)

    yield from walk(ast.parse(source) if isinstance(source, str) else source, "")


def report(problems: list[str], rule: str) -> str:
    return f"{rule}: {len(problems)} violation(s)\n" + "\n".join(problems)


# ------------------------------------------------------------------------------- the rules


def test_every_module_is_on_the_map() -> None:
    unmapped = [f"{path.relative_to(ROOT)}: {name} is in no layer (add its folder to LAYERS and the table)"
                for name, (path, _) in package().items() if layer(name) is None]
    assert not unmapped, report(unmapped, "the layer map")


def test_a_no_module_imports_a_higher_layer() -> None:
    problems = order_violations(internal_arrows())
    assert not problems, report(problems, "(a) layer order")


def test_b_no_import_cycles() -> None:
    arrows = internal_arrows()
    problems = []
    for component in cycles(arrows):
        members = set(component)
        edges = [f"    {i.where()}: {i.module} -> {i.target}{' (lazy)' if i.lazy else ''}"
                 for i in arrows if i.module in members and i.target in members]
        problems.append(f"cycle {' <-> '.join(component)}:\n" + "\n".join(edges))
    assert not problems, report(problems, "(b) import cycles (type-only imports excepted)")


def test_c_click_rich_and_moto_stay_in_their_folder() -> None:
    problems = []
    for i in all_imports():
        home = THIRD_PARTY.get(i.target.split(".")[0])
        if home is not None and not i.type_only and group(i.module) != home:
            problems.append(f"{i.where()}: {i.module} imports {i.target}, which only {home}/ may import")
    assert not problems, report(problems, "(c) third-party boundaries")


def test_d_no_module_over_400_lines() -> None:
    problems = [f"{path.relative_to(ROOT)}: {len(source.splitlines())} lines (at most {MAX_MODULE_LINES})"
                for name, (path, source) in package().items()
                if len(source.splitlines()) > MAX_MODULE_LINES and name not in LONG_MODULES_ALLOWED]
    assert not problems, report(problems, "(d) module size")


def test_e_no_function_over_60_lines() -> None:
    problems = [f"{path.relative_to(ROOT)}:{start}: {name} is {lines} lines (at most {MAX_FUNCTION_LINES}, "
                "decorators and docstring included)"
                for module, (path, _) in package().items()
                for name, start, lines in function_lengths(trees()[module]) if lines > MAX_FUNCTION_LINES]
    assert not problems, report(problems, "(e) function size")


def test_f_no_flow_imports_a_sibling_flow() -> None:
    if FLOW_STEPS not in package():
        pytest.skip("flows/steps.py does not exist yet: the flows' shared steps still live in a sibling flow "
                    "(flows/bulk.py); this rule is checked once flows/steps.py exists")
    problems = [f"{i.where()}: {i.module} imports {i.target}: a flow imports only flows/steps.py of its folder"
                for i in internal_arrows()
                if group(i.module) == group(i.target) == "flows" and i.target != FLOW_STEPS
                and i.target != f"{PACKAGE}.flows" and i.module != f"{PACKAGE}.flows"]
    assert not problems, report(problems, "(f) sibling flows")


def test_no_module_imports_a_posix_only_module() -> None:
    posix_only = {"fcntl", "termios", "pwd", "grp", "resource", "posix"}
    for module, (path, _) in package().items():
        for node in ast.walk(trees()[module]):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else []
            if isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            assert not posix_only & {n.split(".")[0] for n in names}, f"{path}: {names}"


# -------------------------------------------------------- the rules' reading of code, tested

FAKE = Path("macie_members/x.py")
KNOWN = frozenset({"macie_members", "macie_members.cli", "macie_members.cli.admin", "macie_members.plan",
                   "macie_members.plan.model", "macie_members.records", "macie_members.sandbox"})


def arrows_of(source: str, module: str = "macie_members.plan.model") -> list[tuple[str, bool, bool]]:
    return [(i.target, i.lazy, i.type_only) for i in imports_of(source, module, SOURCE / "plan" / "model.py", KNOWN)]


def test_imports_are_resolved_to_the_module_they_name() -> None:
    source = ("import click\n"
              "import macie_members.cli.admin.thing\n"
              "from macie_members import records\n"
              "from macie_members.sandbox import install\n"
              "from macie_members.cli import admin, cli\n"
              "from . import model\n"
              "from ..records import Result\n")
    assert arrows_of(source) == [
        ("click", False, False), ("macie_members.cli.admin", False, False), ("macie_members.records", False, False),
        ("macie_members.sandbox", False, False), ("macie_members.cli.admin", False, False),
        ("macie_members.cli", False, False), ("macie_members.plan.model", False, False),
        ("macie_members.records", False, False)]


def test_lazy_and_type_only_imports_are_told_apart() -> None:
    source = ("from typing import TYPE_CHECKING\n"
              "import typing\n"
              "if TYPE_CHECKING:\n    from macie_members.cli import admin\n"
              "else:\n    import rich\n"
              "if typing.TYPE_CHECKING:\n    import moto\n"
              "def f():\n    import click\n    if TYPE_CHECKING:\n        import flask\n"
              "class C:\n    def m(self):\n        from macie_members import records\n")
    assert [a for a in arrows_of(source) if a[0] != "typing"] == [
        ("macie_members.cli.admin", False, True), ("rich", False, False), ("moto", False, True),
        ("click", True, False), ("flask", True, True), ("macie_members.records", True, False)]


def arrow(source: str, target: str, *, type_only: bool = False) -> Import:
    return Import(source, SOURCE / "x.py", 1, target, False, type_only)


def test_the_order_rule_finds_an_arrow_up_and_one_sideways() -> None:
    assert order_violations([arrow("macie_members.cli.admin", "macie_members.flows.bulk"),
                             arrow("macie_members.run.session", "macie_members.render.renderer"),
                             arrow("macie_members.api", "macie_members.cli"),
                             arrow("macie_members.domain", "macie_members.errors"),
                             arrow("macie_members.cli.admin", "macie_members")]) == []
    up = order_violations([arrow("macie_members.plan.model", "macie_members.run.session")])
    assert len(up) == 1 and "(layer 3) imports macie_members.run.session (layer 5), a higher layer" in up[0]
    assert len(order_violations([arrow("macie_members.render.renderer", "macie_members.aws.client"),
                                 arrow("macie_members.sandbox.state", "macie_members.config"),
                                 arrow("macie_members", "macie_members.errors")])) == 3


def test_the_cycle_rule_finds_a_cycle_through_three_modules() -> None:
    ring = [arrow("macie_members.a", "macie_members.b"), arrow("macie_members.b", "macie_members.c"),
            arrow("macie_members.c", "macie_members.a"), arrow("macie_members.c", "macie_members.d")]
    assert cycles(ring) == [["macie_members.a", "macie_members.b", "macie_members.c"]]
    assert cycles(ring[:2]) == []


def test_a_function_is_measured_from_its_first_decorator_to_its_end() -> None:
    source = ("@first\n@second(\n    1)\ndef f():\n    '''doc'''\n    return 1\n\n\n"
              "class C:\n    def m(self):\n        def inner():\n            pass\n        return inner\n")
    assert list(function_lengths(source)) == [("f", 1, 6), ("C.m", 10, 4), ("C.m.inner", 11, 2)]


def test_module_names() -> None:
    assert module_name(SOURCE / "cli" / "__init__.py") == "macie_members.cli"
    assert module_name(SOURCE / "__init__.py") == "macie_members"
    assert module_name(SOURCE / "plan" / "model.py") == "macie_members.plan.model"
    assert (group("macie_members"), group("macie_members.config"), group("macie_members.cli.admin")) == (
        "", "config", "cli")


# ---------------------------------------------------------------- tests/unit stays pure


def test_the_unit_folder_refuses_sockets_and_processes() -> None:
    """tests/unit/conftest.py's guard: a unit test that connects or starts a process fails."""
    with pytest.raises(AssertionError, match="tests/unit is pure: this test connects a socket"):
        socket.create_connection(("127.0.0.1", 9), timeout=1)
    with socket.socket() as sock, pytest.raises(AssertionError, match="binds a socket"):
        sock.bind(("127.0.0.1", 0))
    with pytest.raises(AssertionError, match="starts a subprocess"):
        subprocess.run(["true"], check=False)
