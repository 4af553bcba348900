"""Latency-bound onboarding: 1,000 accounts x 4 Regions against a sandbox answering in 50 ms.

    python benchmarks/latency_bound.py [--accounts 1000] [--latency-ms 50] [--concurrency 16,64]
        [--onboarding two-commands|onboard] [--aws-sample 20] [--skip-boto3] [--cli "..."]

Measured in one run, each from an empty sandbox (``sandbox serve --latency-ms 50``, no
throttling):

1. what the sandbox server (one Python process) can serve unthrottled on this machine, with
   no latency: requests per second with 16 and 64 client threads, and its CPU per request;
2. macie-members' onboarding, at each ``--max-concurrency`` of ``--concurrency`` (16 is the
   default of the CLI);
3. a sequential boto3 script making the same calls (``benchmarks/sequential_boto3.py``);
4. a shell loop of ``aws macie2 create-member`` / ``create-invitations``: a sample of 20 calls
   is timed and the time per call extrapolated to the loop's 4,080 calls (4,000 create-member,
   80 create-invitations) -- an estimate, and the output says so.

It prints the figures and the ratios (targets: >= 20x faster than sequential boto3, >= 50x
faster than the AWS CLI loop), plus the CPU time the clients and the server used, which on a
small machine bounds how fast any client can go.

"Onboarding" is a function (``--onboarding``, see ``_harness.ONBOARDING``): today
``create-member`` then ``create-invitations`` ("two-commands"); "onboard" is ``macie-members
onboard CSV`` (one inventory read per Region).
"""

from __future__ import annotations

import argparse
import json
import shlex
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _harness import (
    AWS_CLI,
    MACIE_MEMBERS,
    ONBOARDING,
    REGIONS,
    Server,
    account_ids,
    children_cpu_seconds,
    cli_env,
    expected_requests,
    fmt_requests,
    machine,
    stats_delta,
    write_csv,
)

HERE = Path(__file__).resolve().parent


def server_capacity(cli: list[str], threads: int, n: int) -> tuple[float, float]:
    """CreateMember requests per second a sandbox server (no latency, no throttling) answers to
    `threads` boto3 threads in this process, and its CPU milliseconds per request."""
    import boto3
    from botocore.config import Config

    regions = ["us-east-1", "eu-west-1", "ap-southeast-2", "us-west-2", "eu-central-1", "ap-northeast-1"]
    per_region = -(-n // len(regions))
    with Server("--latency-ms", "0", cli=cli) as server:
        config = Config(retries={"mode": "standard", "total_max_attempts": 1}, max_pool_connections=threads)
        clients = [boto3.client("macie2", region_name=r, endpoint_url=server.url, aws_access_key_id="testing",
                                aws_secret_access_key="testing", config=config) for r in regions]
        ids = account_ids(per_region)
        jobs = [(clients[i % len(clients)], ids[i // len(clients)]) for i in range(n)]

        def create(job: tuple[Any, str]) -> None:
            client, account = job
            client.create_member(account={"accountId": account, "email": f"{account}@example.com"})

        with ThreadPoolExecutor(threads) as pool:  # warm-up: connections, first requests
            list(pool.map(create, jobs[:threads]))
            cpu = server.cpu_seconds()
            start = time.perf_counter()
            list(pool.map(create, jobs[threads:]))
            seconds = time.perf_counter() - start
            cpu = server.cpu_seconds() - cpu
    done = n - threads
    return done / seconds, 1000 * cpu / done


def aws_cli_sample(env: dict[str, str], calls: int) -> tuple[float, int, int]:
    """Seconds per call of a shell loop of `aws macie2` calls: mostly create-member, and one
    create-invitations (of up to 50 ids) per 10 calls."""
    invitations = max(1, calls // 10)
    members = calls - invitations
    ids = account_ids(members, start=200_000_000_000)
    lines = ["set -e"]
    lines += [f"{shlex.join(AWS_CLI)} macie2 create-member --account accountId={i},email={i}@example.com >/dev/null"
              for i in ids]
    per = -(-members // invitations)
    lines += [f"{shlex.join(AWS_CLI)} macie2 create-invitations --account-ids {' '.join(ids[k:k + per])} >/dev/null"
              for k in range(0, members, per)][:invitations]
    start = time.perf_counter()
    subprocess.run(["bash", "-c", "\n".join(lines)], env=env, check=True)
    return (time.perf_counter() - start) / calls, members, invitations


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--accounts", type=int, default=1000)
    parser.add_argument("--regions", default=",".join(REGIONS))
    parser.add_argument("--latency-ms", type=float, default=50)
    parser.add_argument("--concurrency", default="16,64", help="--max-concurrency values to run ours with")
    parser.add_argument("--onboarding", choices=sorted(ONBOARDING), default="two-commands")
    parser.add_argument("--aws-sample", type=int, default=20, help="AWS CLI calls to time")
    parser.add_argument("--skip-boto3", action="store_true", help="do not run the (slow) sequential boto3 script")
    parser.add_argument("--skip-capacity", action="store_true")
    parser.add_argument("--cli", default=None, help="command that runs macie-members (default: the installed one)")
    args = parser.parse_args()

    cli = shlex.split(args.cli) if args.cli else MACIE_MEMBERS
    regions = args.regions.split(",")
    onboard = ONBOARDING[args.onboarding]
    concurrencies = [int(c) for c in args.concurrency.split(",")]
    expected = expected_requests(args.accounts, len(regions), args.onboarding)
    print(f"latency-bound onboarding: {args.accounts:,} accounts x {len(regions)} Regions, sandbox --latency-ms "
          f"{args.latency_ms:g}, no throttling; onboarding = {args.onboarding}")
    print(f"machine: {machine()}")

    if not args.skip_capacity:
        print("\n1. the sandbox server alone (--latency-ms 0, no throttling), CreateMember from boto3 threads here:")
        for threads in (16, 64):
            rps, cpu_ms = server_capacity(cli, threads, 1500)
            print(f"   {threads:2d} threads: {rps:6.0f} requests/s; server CPU {cpu_ms:.2f} ms per request "
                  f"(so at most {1000 / cpu_ms:.0f} requests/s from its one process, with a whole CPU to itself)")

    figures: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as tmp, Server("--latency-ms", str(args.latency_ms), cli=cli) as server:
        work = Path(tmp)
        csv = write_csv(work / "accounts.csv", args.accounts)
        env = cli_env(server.url, work)

        def measure(label: str, run: Any) -> dict[str, Any]:
            server.reset()
            before, cpu_server, cpu_clients = server.stats(), server.cpu_seconds(), children_cpu_seconds()
            outcome = run()
            delta = stats_delta(before, server.stats())
            delta["cpu_server"] = server.cpu_seconds() - cpu_server
            delta["cpu_clients"] = children_cpu_seconds() - cpu_clients
            return {"label": label, "outcome": outcome, **delta}

        print(f"\n2. macie-members ({args.onboarding}), requests target {sum(expected.values()):,} "
              f"({fmt_requests(expected)}):")
        for concurrency in concurrencies:
            m = measure(f"ours-{concurrency}", lambda c=concurrency: onboard(
                cli, csv, regions, env, ["--max-concurrency", str(c)]))
            run = m["outcome"]
            figures[f"ours-{concurrency}"] = run.seconds
            steps = ", ".join(f"{s.action.split()[0]} {s.seconds:.1f} s" for s in run.steps)
            problems = "" if run.ok and run.failed == 0 else f"  ({run.failed} failed items, exit codes " \
                f"{[s.returncode for s in run.steps]}: {run.steps[-1].stderr.strip()[-200:]})"
            print(f"   --max-concurrency {concurrency:3d}: {run.seconds:6.1f} s ({steps}); "
                  f"{m['total']:,} requests ({fmt_requests(m['requests'])}), "
                  f"{m['total'] / run.seconds:.0f}/s; CPU: client {m['cpu_clients']:.1f} s + server "
                  f"{m['cpu_server']:.1f} s = {(m['cpu_clients'] + m['cpu_server']) / run.seconds:.2f} CPUs busy{problems}")

        if not args.skip_boto3:
            print("\n3. sequential boto3 script, the same calls (benchmarks/sequential_boto3.py):")

            def boto3_run() -> dict[str, Any]:
                proc = subprocess.run([sys.executable, str(HERE / "sequential_boto3.py"), str(csv), ",".join(regions),
                                       "--onboarding", args.onboarding], env=env, capture_output=True, text=True,
                                      check=True)
                result: dict[str, Any] = json.loads(proc.stdout)
                return result

            start = time.perf_counter()
            m = measure("boto3", boto3_run)
            figures["boto3"] = time.perf_counter() - start
            print(f"   {figures['boto3']:6.1f} s; {m['total']:,} requests ({fmt_requests(m['requests'])}), "
                  f"{1000 * figures['boto3'] / m['total']:.1f} ms per request")

        print(f"\n4. shell loop of `aws macie2` calls (AWS CLI {aws_version(env)}): a sample of {args.aws_sample} calls "
              "timed, then EXTRAPOLATED:")
        m = measure("aws", lambda: aws_cli_sample(env, args.aws_sample))
        per_call, members, invitations = m["outcome"]
        loop_calls = expected["CreateMember"] + expected["CreateInvitations"]
        figures["aws"] = per_call * loop_calls
        print(f"   sample: {members} create-member + {invitations} create-invitations in "
              f"{per_call * args.aws_sample:.1f} s = {1000 * per_call:.0f} ms per call")
        print(f"   extrapolated to the loop's {loop_calls:,} calls ({expected['CreateMember']:,} create-member + "
              f"{expected['CreateInvitations']} create-invitations): {figures['aws']:.0f} s (estimate, not measured)")

    print("\nratios (same run):")
    for concurrency in concurrencies:
        ours = figures[f"ours-{concurrency}"]
        parts = []
        if "boto3" in figures:
            parts.append(f"sequential boto3 / ours = {figures['boto3'] / ours:5.1f}x (target >= 20)")
        parts.append(f"AWS CLI loop (extrapolated) / ours = {figures['aws'] / ours:6.1f}x (target >= 50)")
        print(f"   --max-concurrency {concurrency:3d}: " + "; ".join(parts))


def aws_version(env: dict[str, str]) -> str:
    out = subprocess.run([*AWS_CLI, "--version"], env=env, capture_output=True, text=True, check=False)
    return (out.stdout or out.stderr).split()[0].split("/")[-1] if (out.stdout or out.stderr) else "?"


if __name__ == "__main__":
    main()
