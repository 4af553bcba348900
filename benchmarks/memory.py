"""Memory: peak RSS of a dry run over a 100,000-row accounts file.

    python benchmarks/memory.py [--rows 100000] [--regions us-east-1] [--cli "..."]

Writes the CSV (console format) to a temporary directory, runs ``macie-members create-member
--accounts-file FILE --dry-run`` (output to a file, so a pipe does not hold it) and prints the
process's peak resident set size (``ru_maxrss``) against the target (< 100 MiB), next to the
peak RSS of ``macie-members --version`` (the interpreter and the CLI alone) for scale.
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

from _harness import MACIE_MEMBERS, machine, write_csv


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
    parser.add_argument("--regions", default=None, help="also pass --regions (default: AWS_DEFAULT_REGION only)")
    parser.add_argument("--cli", default=None, help="command that runs macie-members (default: the installed one)")
    args = parser.parse_args()
    cli = shlex.split(args.cli) if args.cli else MACIE_MEMBERS

    print(f"machine: {machine()}")
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        csv = write_csv(work / "accounts.csv", args.rows)
        env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "MACIE_MEMBERS_"))}
        env.update({"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
                    "AWS_DEFAULT_REGION": "us-east-1", "AWS_CONFIG_FILE": str(work / "config"),
                    "AWS_SHARED_CREDENTIALS_FILE": str(work / "credentials"), "AWS_EC2_METADATA_DISABLED": "true"})
        base, _, _ = peak_rss([*cli, "--version"], env, work / "version.out")
        command = [*cli, "create-member", "--accounts-file", str(csv), "--dry-run"]
        if args.regions:
            command += ["--regions", args.regions]
        rss, seconds, rc = peak_rss(command, env, work / "dry-run.out")
        size = (work / "dry-run.out").stat().st_size
        print(f"accounts file: {args.rows:,} rows, {csv.stat().st_size / 2**20:.1f} MiB")
        print(f"macie-members --version:            peak RSS {base:6.1f} MiB")
        print(f"create-member --dry-run ({args.rows:,} rows): peak RSS {rss:6.1f} MiB in {seconds:.1f} s, "
              f"exit {rc}, {size / 2**20:.1f} MiB printed (target < 100 MiB: {'met' if rss < 100 and rc == 0 else 'NOT met'})")


if __name__ == "__main__":
    main()
