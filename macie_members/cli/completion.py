"""``macie-members completion bash|zsh|fish``: the shell completion script, printed by the
program itself (as ``gh completion`` and ``kubectl completion`` do), so that an install from a
wheel has it too. The files in ``completions/`` are this command's output (a test keeps them
equal). The scripts are click's: they ask the program for completions at each <Tab>, so they
stay right as options change."""

from __future__ import annotations

import click

from macie_members.cli.global_options import global_options

SHELLS = ("bash", "zsh", "fish")
COMPLETE_VAR = "_MACIE_MEMBERS_COMPLETE"
INSTALL = {
    "bash": 'echo \'eval "$(macie-members completion bash)"\' >> ~/.bashrc',
    "zsh": "macie-members completion zsh > \"${fpath[1]}/_macie-members\"",
    "fish": "macie-members completion fish > ~/.config/fish/completions/macie-members.fish",
}


@click.command("completion", epilog="\b\nExamples:\n" + "\n".join(f"  {line}" for line in INSTALL.values()))
@click.argument("shell", type=click.Choice(SHELLS))
@global_options  # accepted anywhere, as on every command (they change nothing here)
@click.pass_context
def completion(ctx: click.Context, shell: str) -> None:
    """Print the shell completion script for bash, zsh or fish."""
    from click.shell_completion import get_completion_class

    cls = get_completion_class(shell)
    assert cls is not None  # every one of SHELLS is click's
    root = ctx.find_root().command
    click.echo(cls(root, {}, "macie-members", COMPLETE_VAR).source(), nl=False)

COMMANDS = [completion]
