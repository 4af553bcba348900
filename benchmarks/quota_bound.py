"""Quota-bound onboarding: 1,000 accounts x 4 Regions against a throttling sandbox.

    python benchmarks/quota_bound.py [--accounts 1000] [--throttle-rps 10] [--latency-ms 50]
        [--fault-rate 0] [--onboarding two-commands|onboard|process-per-region]
        [--max-concurrency N] [--cli "python -m macie_members"]

The sandbox server (``sandbox serve --throttle-rps N``) answers TooManyRequestsException (HTTP 429, as Macie does) beyond N
requests per second per account and Region (a token bucket holding N tokens). Regions are
throttled separately, so the floor of a run is (requests per Region) / N seconds with the
Regions in parallel. It prints the wall time, the requests sent (per operation), the 429s
received, the failed items, the floor and the ratio to it (target <= 1.15, zero failed items,
429s < 5 % of requests), and when each Region's results came in.

"Onboarding" is a function (``--onboarding``, see ``_harness.ONBOARDING``): today
``create-member`` then ``create-invitations`` over all Regions ("two-commands"); switch to
"onboard" once ``macie-members onboard`` exists. "process-per-region" runs one process per
Region at once, a diagnostic that shows the pacer's own figures whatever order the fan-out
engine takes work items in.
"""

from __future__ import annotations

import argparse
import os
import shlex
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _harness import (
    MACIE_MEMBERS,
    ONBOARDING,
    REGIONS,
    Server,
    children_cpu_seconds,
    cli_env,
    describe_timeline,
    expected_requests,
    fmt_requests,
    machine,
    stats_delta,
    write_csv,
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--accounts", type=int, default=1000)
    parser.add_argument("--regions", default=",".join(REGIONS))
    parser.add_argument("--throttle-rps", type=float, default=10)
    parser.add_argument("--latency-ms", type=float, default=50)
    parser.add_argument("--fault-rate", type=float, default=0)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--onboarding", choices=sorted(ONBOARDING), default="two-commands")
    parser.add_argument("--max-concurrency", type=int, default=None, help="passed on (default: the CLI's)")
    parser.add_argument("--cli", default=None, help="command that runs macie-members (default: the installed one)")
    args = parser.parse_args()

    cli = shlex.split(args.cli) if args.cli else MACIE_MEMBERS
    regions = args.regions.split(",")
    onboard = ONBOARDING[args.onboarding]
    print(f"quota-bound onboarding: {args.accounts:,} accounts x {len(regions)} Regions, "
          f"sandbox --latency-ms {args.latency_ms:g} --throttle-rps {args.throttle_rps:g}"
          f"{f' --fault-rate {args.fault_rate:g}' if args.fault_rate else ''}; onboarding = {args.onboarding}")
    print(f"machine: {machine()}")
    with tempfile.TemporaryDirectory() as tmp, Server(
        "--latency-ms", str(args.latency_ms), "--throttle-rps", str(args.throttle_rps),
        "--fault-rate", str(args.fault_rate), "--seed", str(args.seed), cli=cli,
    ) as server:
        work = Path(tmp)
        csv = write_csv(work / "accounts.csv", args.accounts)
        env = cli_env(server.url, work)
        extra = ["--report", str(work / "report.jsonl")]
        if args.max_concurrency:
            extra += ["--max-concurrency", str(args.max_concurrency)]
        before, cpu_server, cpu_clients = server.stats(), server.cpu_seconds(), children_cpu_seconds()
        run = onboard(cli, csv, regions, env, extra)
        after = server.stats()
        cpu_server, cpu_clients = server.cpu_seconds() - cpu_server, children_cpu_seconds() - cpu_clients

    delta = stats_delta(before, after)
    total, throttled, faults = delta["total"], delta["throttled"], delta["faults"]
    # Every request the service did not throttle used one of the Region's tokens.
    per_region = (total - throttled) / len(regions)
    floor = per_region / args.throttle_rps
    expected = expected_requests(args.accounts, len(regions), args.onboarding)
    ideal_floor = sum(expected.values()) / len(regions) / args.throttle_rps
    for step in run.steps:
        status = "" if step.returncode == 0 else f"  EXIT {step.returncode}: {step.stderr.strip()[-300:]}"
        print(f"  {step.action}: {step.seconds:.1f} s, {step.summary}{status}")
    print(f"wall time:            {run.seconds:8.1f} s")
    print(f"requests sent:        {total:8,d}  ({fmt_requests(delta['requests'])})")
    print(f"  target (no retries):{sum(expected.values()):8,d}  ({fmt_requests(expected)})")
    print(f"429s received:        {throttled:8,d}  ({100 * throttled / max(1, total):.1f} % of requests; target < 5 %)")
    if faults:
        print(f"500s (injected):      {faults:8,d}")
    print(f"failed items:         {run.failed:8,d}  (target 0)")
    print(f"floor:                {floor:8.1f} s  = ({total:,} - {throttled:,} throttled) / {len(regions)} Regions "
          f"/ {args.throttle_rps:g} per s  (with the target's requests: {ideal_floor:.1f} s)")
    print(f"ratio wall / floor:   {run.seconds / floor:8.2f}    (target <= 1.15)")
    print(f"CPU used: clients {cpu_clients:.1f} s, server {cpu_server:.1f} s, in {run.seconds:.1f} s of wall time "
          f"on {os.cpu_count()} CPUs")
    print("when each Region's results came in:")
    for line in describe_timeline(run.timeline):
        print(line)
    verdict = run.seconds / floor <= 1.15 and run.failed == 0 and throttled < 0.05 * total and run.ok
    print(f"targets {'met' if verdict else 'NOT met'}")


if __name__ == "__main__":
    main()
