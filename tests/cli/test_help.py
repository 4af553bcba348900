"""Help: every command's help shows examples and lists the global options."""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator

import click
import pytest
from click.testing import Result

from macie_members.cli import cli
from macie_members.cli.lazy import INDEX

Invoke = Callable[..., Result]


# --------------------------------------------------------------------------------------------
# Help: every command shows examples
# --------------------------------------------------------------------------------------------


def _command_paths(
    group: click.Group = cli, prefix: tuple[str, ...] = ()
) -> Iterator[tuple[str, ...]]:
    yield prefix
    ctx = click.Context(group)
    for name in group.list_commands(ctx):
        command = group.get_command(ctx, name)
        assert command is not None
        if isinstance(command, click.Group):
            yield from _command_paths(command, (*prefix, name))
        else:
            yield (*prefix, name)


@pytest.mark.parametrize(
    "path", list(_command_paths()), ids=lambda p: " ".join(p) or "macie-members"
)
def test_help_shows_examples(invoke: Invoke, path: tuple[str, ...]) -> None:
    result = invoke(*path, "--help")
    assert result.stderr == ""
    assert "Examples:" in result.stdout
    examples = result.stdout.split("Examples:", 1)[1]
    wanted = " ".join(path) or "macie-members"
    assert any(
        line.strip().startswith("macie-members") and wanted in line
        for line in examples.splitlines()
    ), examples


@pytest.mark.parametrize(
    "name", [p[0] for p in _command_paths() if len(p) == 1 and p[0] != "sandbox"]
)
def test_command_help_lists_the_global_options(invoke: Invoke, name: str) -> None:
    result = invoke(name, "-h")
    for option in (
        "--region",
        "--profile",
        "--endpoint-url",
        "--output",
        "--query",
        "--debug",
        "--version",
    ):
        assert option in result.stdout


# --------------------------------------------------------------------------------------------
# The lazy group's index: every command, its module, its help's first paragraph
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(INDEX))
def test_the_index_names_each_command_with_its_module_and_summary(name: str) -> None:
    module, summary = INDEX[name]
    command = cli.get_command(click.Context(cli), name)
    assert command is not None and command.help is not None
    assert command in importlib.import_module(f"macie_members.cli.{module}").COMMANDS
    assert " ".join(command.help.split("\n\n")[0].split()) == summary
    stand_in = click.Command(name, help=summary)
    for limit in (20, 45, 80, 300):  # the listing shortens both alike
        assert stand_in.get_short_help_str(limit) == command.get_short_help_str(limit)


def test_every_command_is_in_the_index() -> None:
    modules = ("admin", "member_account", "workflows", "sandbox", "completion")
    names = {str(c.name) for m in modules for c in importlib.import_module(f"macie_members.cli.{m}").COMMANDS}
    assert names == set(INDEX)
