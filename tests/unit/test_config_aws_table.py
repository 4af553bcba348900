"""The AWS CLI's width and colour rules for a drop-in command's ``--output table``
(:func:`macie_members.config.aws_table_width`, ``RunConfig.aws_table_color``), next to the
tool's own rules for its documents, which stay as they were."""

from __future__ import annotations

import pytest

from macie_members import config
from macie_members.config import (
    GlobalSettings,
    RegionCatalog,
    RunConfig,
    RunOptions,
    Terminal,
    resolve,
)

CATALOG = RegionCatalog(offered=("us-east-1",), known=frozenset({"us-east-1"}), available=("us-east-1",))


def resolved(terminal: Terminal, color: str = "auto", **environ: str) -> RunConfig:
    return resolve(GlobalSettings(region="us-east-1", color=color), RunOptions(), profile={}, catalog=CATALOG,
                   environ=environ, terminal=terminal)


@pytest.mark.parametrize(("terminal", "width"), [
    (Terminal(), 80),  # piped: the AWS CLI's ioctl fails, 80
    (Terminal(stdout_tty=True, width=132), 132),  # the terminal's width
    (Terminal(stdout_tty=True, width=40), 40),
    (Terminal(stdout_tty=True), 0),  # a terminal that reports no size: the ioctl says 0
    (Terminal(stdout_tty=False, stderr_tty=True, width=None), 80),  # only stderr a terminal
])
def test_the_aws_table_width(terminal: Terminal, width: int) -> None:
    assert config.aws_table_width(terminal) == width
    assert resolved(terminal, COLUMNS="100").aws_table_width == width  # COLUMNS is not read


def test_the_documents_width_is_unchanged() -> None:
    assert resolved(Terminal(), COLUMNS="100").width == 100
    assert resolved(Terminal(stdout_tty=True), COLUMNS="100").width == 100
    assert resolved(Terminal(stdout_tty=True, width=132), COLUMNS="100").width == 132


def test_windows_is_always_80(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(config.os, "name", "nt")  # the AWS CLI has no fcntl/termios there
    assert config.aws_table_width(Terminal(stdout_tty=True, width=132)) == 80


@pytest.mark.parametrize(("color", "tty", "environ", "aws", "ours"), [
    ("on", False, {}, True, True),
    ("on", True, {"NO_COLOR": "1"}, True, True),
    ("off", True, {}, False, False),
    ("auto", True, {}, True, True),
    ("auto", False, {}, False, False),
    ("auto", True, {"NO_COLOR": "1"}, True, False),  # the AWS CLI does not read NO_COLOR
    ("auto", True, {"TERM": "dumb"}, True, False),  # nor TERM
])
def test_the_aws_table_colour(color: str, tty: bool, environ: dict[str, str], aws: bool, ours: bool) -> None:
    run = resolved(Terminal(stdout_tty=tty, width=100 if tty else None), color, **environ)
    assert (run.aws_table_color, run.color) == (aws, ours)
