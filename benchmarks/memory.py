"""Memory: peak RSS of dry runs over large accounts files, against the sandbox server.

    python benchmarks/memory.py [--rows 100000] [--cli "..."]

A dry run reads each Region's inventory and plans exactly what a run would send, so it is
refused when a real run would be. Two runs, each against an empty sandbox server, output to a
file (so a pipe does not hold it):

* ``create-member --accounts-file FILE --dry-run`` over ``--rows`` (100,000) rows: the file is
  read and checked whole, the inventory read, then the run is refused (exit 252: over the
  quota of 1,000 accounts per Region, as the real run would be);
* the largest run the quota allows: 1,000 rows in every Region where Macie is offered
  (``--all-regions``: 22,000 planned CreateMember requests printed).

It prints each process's peak resident set size (``ru_maxrss``) against the target (< 100 MiB),
next to the peak RSS of ``macie-members --version`` (the interpreter and the CLI alone).
"""

from __future__ import annotations

import argparse
import os
import shlex
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _harness import MACIE_MEMBERS, Server, machine, write_csv


def peak_rss(command: list[str], env: dict[str, str], stdout_path: Path) -> tuple[float, float, int]:
    """(peak RSS in MiB, seconds, exit code) of a command, from wait4's resource usage."""
    with stdout_path.open("wb") as out:
        start = time.perf_counter()
        proc = subprocess.Popen(command, env=env, stdout=out, stderr=subprocess.PIPE)
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - start
    assert proc.stderr is not None
    proc.stderr.close()
    proc.returncode = os.waitstatus_to_exitcode(status)
    return usage.ru_maxrss / 1024, seconds, proc.returncode  # ru_maxrss is in KiB on Linux


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--cli", default=None, help="command that runs macie-members (default: the installed one)")
    args = parser.parse_args()
    cli = shlex.split(args.cli) if args.cli else MACIE_MEMBERS

    print(f"machine: {machine()}")
    with tempfile.TemporaryDirectory() as tmp, Server() as server:
        work = Path(tmp)
        env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "MACIE_MEMBERS_"))}
        env.update({"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
                    "AWS_DEFAULT_REGION": "us-east-1", "AWS_CONFIG_FILE": str(work / "config"),
                    "AWS_SHARED_CREDENTIALS_FILE": str(work / "credentials"), "AWS_EC2_METADATA_DISABLED": "true",
                    "AWS_ENDPOINT_URL": server.url, "MACIE_MEMBERS_LOCK_DIR": str(work / "locks")})
        base, _, _ = peak_rss([*cli, "--version"], env, work / "version.out")
        print(f"macie-members --version: peak RSS {base:6.1f} MiB")
        runs = [(args.rows, [], 252, "refused: over the quota, as the real run"),
                (1000, ["--all-regions"], 0, "every Region")]
        for rows, extra, expected, what in runs:
            server.reset()
            csv = write_csv(work / f"accounts-{rows}.csv", rows)
            command = [*cli, "create-member", "--accounts-file", str(csv), "--dry-run", "--no-progress", *extra]
            rss, seconds, rc = peak_rss(command, env, work / "dry-run.out")
            size = (work / "dry-run.out").stat().st_size
            met = "met" if rss < 100 and rc == expected else "NOT met"
            print(f"create-member --dry-run, {rows:,} rows ({csv.stat().st_size / 2**20:.1f} MiB), {what}: "
                  f"peak RSS {rss:6.1f} MiB in {seconds:.1f} s, exit {rc} (expected {expected}), "
                  f"{size / 2**20:.1f} MiB printed (target < 100 MiB: {met})")


if __name__ == "__main__":
    main()
