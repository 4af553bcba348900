"""Reading the console CSV: 100,000 rows, and a damaged file with a 10,000,000-character line.

    python benchmarks/csv_read.py [--runs 5]

Prints the median seconds of each, and rows per second. (The test suite checks what the reader
returns for these files, not how fast: speed is measured here.)
"""

from __future__ import annotations

import argparse
import contextlib
import os
import statistics
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))

from macie_members.inputs.accounts_csv import AccountsFileError, parse_accounts

ROWS = 100_000


def median_seconds(data: bytes, runs: int) -> float:
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        with contextlib.suppress(AccountsFileError):  # the damaged file: reported, as it should be
            parse_accounts(data, path="bench.csv", require_email=True)
        samples.append(time.perf_counter() - started)
    return statistics.median(samples)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    runs = parser.parse_args().runs
    rows = "".join(f"{i:012d},user{i}@example.com\r\n" for i in range(ROWS))
    big = ("\ufeffAccount ID,Email\r\n" + rows).encode()
    long_line = b"Account ID,Email\n" + b"1" * 10_000_000 + b"\n111111111111,a@example.com\n"
    big_s = median_seconds(big, runs)
    long_s = median_seconds(long_line, runs)
    print(f"{ROWS:,} rows:             {big_s:.3f} s  ({ROWS / big_s:,.0f} rows/s)")
    print(f"10,000,000-char line:    {long_s:.3f} s")


if __name__ == "__main__":
    main()
