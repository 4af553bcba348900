"""Startup: macie-members against the AWS CLI, as ratios measured in one run.

    python benchmarks/startup.py [--runs 10]

Times (median of N runs each, after one warm-up) `macie-members --help`, `aws --version`, and
`list-members` with one Region against a sandbox server started here, for both CLIs. The AWS
CLI is the one installed with the test extras (v1 from PyPI). Prints the figures and the ratios
`macie-members --help / aws --version` (target <= 0.35) and `list-members / aws macie2
list-members` (target <= 0.7).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))


def median_seconds(command: list[str], env: dict[str, str], runs: int) -> float:
    subprocess.run(command, env=env, capture_output=True, check=False)  # warm-up
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        proc = subprocess.run(command, env=env, capture_output=True, check=False)
        samples.append(time.perf_counter() - start)
        if proc.returncode != 0:
            raise SystemExit(f"{' '.join(command)} failed: {proc.stderr.decode()[-500:]}")
    return statistics.median(samples)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()

    from macie_members.sandbox.server import SandboxServer

    bindir = os.path.dirname(sys.executable)
    ours = [os.path.join(bindir, "macie-members")]
    aws = [os.path.join(bindir, "aws")]
    with SandboxServer() as server:
        env = dict(os.environ)
        env.update({"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
                    "AWS_DEFAULT_REGION": "us-east-1", "AWS_ENDPOINT_URL": server.url,
                    "AWS_EC2_METADATA_DISABLED": "true"})
        figures = {
            "macie-members --help": median_seconds([*ours, "--help"], env, args.runs),
            "aws --version": median_seconds([*aws, "--version"], env, args.runs),
            "macie-members list-members": median_seconds([*ours, "list-members"], env, args.runs),
            "aws macie2 list-members": median_seconds([*aws, "macie2", "list-members"], env, args.runs),
        }
    for name, seconds in figures.items():
        print(f"{name:32s} {seconds * 1000:8.1f} ms (median of {args.runs})")
    help_ratio = figures["macie-members --help"] / figures["aws --version"]
    list_ratio = figures["macie-members list-members"] / figures["aws macie2 list-members"]
    print(f"ratio --help / aws --version:                  {help_ratio:.2f} (target <= 0.35)")
    print(f"ratio list-members / aws macie2 list-members:  {list_ratio:.2f} (target <= 0.70)")


if __name__ == "__main__":
    main()
