"""Help: every command's help shows examples and lists the global options."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import click
import pytest
from click.testing import Result

from macie_members.cli import cli

Invoke = Callable[..., Result]


# --------------------------------------------------------------------------------------------
# Help: every command shows examples
# --------------------------------------------------------------------------------------------


def _command_paths(
    group: click.Group = cli, prefix: tuple[str, ...] = ()
) -> Iterator[tuple[str, ...]]:
    yield prefix
    for name in sorted(group.commands):
        command = group.commands[name]
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
    "name", sorted(name for name, c in cli.commands.items() if not isinstance(c, click.Group))
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
