"""Startup: macie-members against the AWS CLI, as ratios measured in one run.

    python benchmarks/startup.py [--runs 10] [--bytecode cached|as-is|both]

Times (median of N runs each, after one warm-up) `macie-members --help`, `aws --version`, and
`list-members` with one Region against a sandbox server started here, for both CLIs. The AWS
CLI is the one installed with the test extras (v1 from PyPI). Prints the figures and the ratios
`macie-members --help / aws --version` (target <= 0.20) and `list-members / aws macie2
list-members` (target <= 0.60), and the floor of the second: a bare botocore script that makes
the client and sends the one request, over the same `aws macie2 list-members`.

Both CLIs run with their bytecode cached (in a private ``PYTHONPYCACHEPREFIX``, filled by the
warm-up run), as after a ``pip install``, and also as the environment has them: with
``PYTHONDONTWRITEBYTECODE`` set, a source tree being edited (an editable install) recompiles
every module changed since its ``.pyc`` was written, on every run. ``--bytecode cached|as-is``
measures one of the two. The runs go round-robin over the commands (noise falls on all alike).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))


# The least a botocore-based client can do for one-Region list-members: import botocore, make
# the client, send one request, print the answer. Our list-members ratio can't go below its.
BARE_BOTOCORE = (
    "import json, botocore.session\n"
    "client = botocore.session.Session().create_client('macie2')\n"
    "print(json.dumps(client.list_members(onlyAssociated='true'), default=str))\n"
)


def medians(commands: dict[str, tuple[list[str], dict[str, str]]], runs: int) -> dict[str, float]:
    """Median seconds of each command, after one warm-up each; the runs go round-robin over the
    commands, so that the machine's noise falls on all of them alike."""
    samples: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(runs + 1):
        for name, (command, env) in commands.items():
            start = time.perf_counter()
            proc = subprocess.run(command, env=env, capture_output=True, check=False)
            samples[name].append(time.perf_counter() - start)
            if proc.returncode != 0:
                raise SystemExit(f"{' '.join(command)} failed: {proc.stderr.decode()[-500:]}")
    return {name: statistics.median(times[1:]) for name, times in samples.items()}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--bytecode", choices=["cached", "as-is", "both"], default="both",
                        help="cached: a private bytecode cache for both CLIs; as-is: the environment as it is")
    args = parser.parse_args()

    from macie_members.sandbox.server import SandboxServer

    bindir = os.path.dirname(sys.executable)
    ours = [os.path.join(bindir, "macie-members")]
    aws = [os.path.join(bindir, "aws")]
    modes = ["cached", "as-is"] if args.bytecode == "both" else [args.bytecode]
    with SandboxServer() as server, tempfile.TemporaryDirectory() as pycache:
        base = dict(os.environ)
        base.update({"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
                     "AWS_DEFAULT_REGION": "us-east-1", "AWS_ENDPOINT_URL": server.url,
                     "AWS_EC2_METADATA_DISABLED": "true"})
        commands: dict[str, tuple[list[str], dict[str, str]]] = {}
        for mode in modes:
            env = dict(base)
            if mode == "cached":
                env.pop("PYTHONDONTWRITEBYTECODE", None)
                env["PYTHONPYCACHEPREFIX"] = pycache
            commands[f"{mode}: macie-members --help"] = ([*ours, "--help"], env)
            commands[f"{mode}: aws --version"] = ([*aws, "--version"], env)
            commands[f"{mode}: macie-members list-members"] = ([*ours, "list-members"], env)
            commands[f"{mode}: aws macie2 list-members"] = ([*aws, "macie2", "list-members"], env)
            commands[f"{mode}: botocore list_members"] = ([sys.executable, "-c", BARE_BOTOCORE], env)
        figures = medians(commands, args.runs)
    for name, seconds in figures.items():
        print(f"{name:40s} {seconds * 1000:8.1f} ms (median of {args.runs})")
    for mode in modes:
        help_ratio = figures[f"{mode}: macie-members --help"] / figures[f"{mode}: aws --version"]
        list_ratio = figures[f"{mode}: macie-members list-members"] / figures[f"{mode}: aws macie2 list-members"]
        label = {"cached": "bytecode cached", "as-is": "bytecode as the environment has it"}[mode]
        print(f"{label}:")
        print(f"  ratio --help / aws --version:                  {help_ratio:.2f} (target <= 0.20)")
        floor = figures[f"{mode}: botocore list_members"] / figures[f"{mode}: aws macie2 list-members"]
        print(f"  ratio list-members / aws macie2 list-members:  {list_ratio:.2f} (target <= 0.60)")
        print(f"  the floor: bare botocore / aws macie2:         {floor:.2f} (any botocore client pays it)")


if __name__ == "__main__":
    main()
