"""What starting the program loads, in a fresh interpreter (a subprocess: sys.modules of this
process says nothing): ``--help`` and ``--version`` load no botocore, rich or moto, and none of
the run machinery; rendering the AWS CLI's json and text loads neither rich nor click."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.support.helpers import ROOT

STARTUPS = pytest.mark.parametrize(
    "args", [["--help"], ["--version"], ["list-members", "--help"], ["sandbox", "--help"]]
)
RUN_MACHINERY = ("run", "flows", "aws", "render", "plan")  # folders of macie_members a run needs

# --------------------------------------------------------------------------------------------
# Startup: --help and --version load neither boto3, botocore, rich nor moto
# --------------------------------------------------------------------------------------------

_MODULES_AFTER = """
import json, sys
from macie_members.cli import main
code = None
try:
    main(sys.argv[2:])
except SystemExit as exc:
    code = exc.code
with open(sys.argv[1], "w") as out:
    json.dump({"code": code, "modules": sorted(sys.modules)}, out)
"""


def modules_after(tmp_path: Path, args: list[str]) -> dict[str, Any]:
    """Run the CLI's main with ``args`` in a fresh interpreter: its exit code and sys.modules."""
    report = tmp_path / "modules.json"
    proc = subprocess.run(
        [sys.executable, "-c", _MODULES_AFTER, str(report), *args],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""
    assert proc.stdout
    data: dict[str, Any] = json.loads(report.read_text())
    return data


@STARTUPS
def test_startup_imports_nothing_heavy(tmp_path: Path, args: list[str]) -> None:
    data = modules_after(tmp_path, args)
    assert data["code"] == 0
    heavy = sorted(
        m for m in data["modules"] if m.split(".")[0] in {"boto3", "botocore", "rich", "moto"}
    )
    assert heavy == []
    assert "macie_members.cli" in data["modules"]  # the probe did run the CLI


@STARTUPS
def test_startup_loads_none_of_the_run_machinery(tmp_path: Path, args: list[str]) -> None:
    """``--help`` and ``--version`` need the CLI's own modules (and the vocabulary below them),
    not the flows, the run session, the clients, the renderers or the planners."""
    data = modules_after(tmp_path, args)
    assert data["code"] == 0
    loaded = sorted(m for m in data["modules"] if m.startswith("macie_members.") and m.split(".")[1] in RUN_MACHINERY)
    assert loaded == [], f"{' '.join(args)} loads {', '.join(loaded)}"
    assert "macie_members.cli" in data["modules"]


def test_import_does_not_load_rich_or_click() -> None:
    code = (
        "import json, sys\n"
        "import macie_members.render.aws_text as o\n"
        "o.format_json({'a': 1}); o.format_text({'a': 1})\n"
        "print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] in ('rich', 'click'))))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert json.loads(result.stdout) == []


def test_the_groups_help_loads_no_command_module_and_no_configuration(tmp_path: Path) -> None:
    """``macie-members --help`` lists the commands from the lazy group's index
    (:mod:`macie_members.cli.lazy`): no command module, and not the configuration either."""
    data = modules_after(tmp_path, ["--help"])
    assert data["code"] == 0
    loaded = sorted(set(data["modules"]) & {
        "macie_members.config", "macie_members.domain", "macie_members.cli.admin",
        "macie_members.cli.member_account", "macie_members.cli.workflows", "macie_members.cli.sandbox",
    })
    assert loaded == []
