"""Shared pieces of the benchmark scripts: a sandbox server subprocess, CSV files, the
environment both CLIs run in, CPU accounting, and the onboarding commands being measured.

Not a test module: the scripts print figures and ratios measured in one run (the machine these
run on is shared and noisy, so only ratios from the same run mean anything).
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BINDIR = Path(sys.executable).parent
REGIONS = ["us-east-1", "eu-west-1", "ap-southeast-2", "us-west-2"]
FIRST_ID = 100_000_000_000

# `macie-members` as installed next to this Python (not a pyenv shim, which costs a bash startup).
MACIE_MEMBERS = [str(BINDIR / "macie-members")]
AWS_CLI = [str(BINDIR / "aws")]


def account_ids(n: int, start: int = FIRST_ID) -> list[str]:
    return [f"{start + i:012d}" for i in range(n)]


def write_csv(path: Path, n: int, start: int = FIRST_ID) -> Path:
    with path.open("w", encoding="utf-8") as f:
        f.write("Account ID,Email\n")
        for account in account_ids(n, start):
            f.write(f"{account},{account}@example.com\n")
    return path


# ------------------------------------------------------------------ the server


class Server:
    """``macie-members sandbox serve --port 0 ...`` in a subprocess (one Python process)."""

    def __init__(self, *options: str, cli: Sequence[str] = MACIE_MEMBERS, env: dict[str, str] | None = None) -> None:
        clean = {k: v for k, v in (env or os.environ).items() if not k.startswith("AWS_")}
        self.options = options
        self.proc = subprocess.Popen(
            [*cli, "sandbox", "serve", "--port", "0", *options],
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=clean,
        )
        assert self.proc.stdout is not None
        line = ""
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            line = self.proc.stdout.readline()
            if line.startswith("Macie sandbox listening on "):
                break
            if not line and self.proc.poll() is not None:
                raise RuntimeError("sandbox serve exited before listening")
        self.url = line.strip().rsplit(" ", 1)[-1]
        if not self.url.startswith("http://"):
            raise RuntimeError(f"sandbox serve said {line!r}")

    def control(self, path: str, body: dict[str, Any] | None = None) -> Any:
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(self.url + path, data=data, method="GET" if body is None else "POST")
        with urllib.request.urlopen(request, timeout=60) as response:
            return json.loads(response.read() or b"null")

    def stats(self) -> dict[str, Any]:
        stats: dict[str, Any] = self.control("/_sandbox/stats")
        return stats

    def reset(self) -> None:
        """Forget every account and zero the counters (and the throttling buckets)."""
        self.control("/_sandbox/reset", {})

    def cpu_seconds(self) -> float:
        return process_cpu_seconds(self.proc.pid)

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        if self.proc.stdout:
            self.proc.stdout.close()

    def __enter__(self) -> Server:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def process_cpu_seconds(pid: int) -> float:
    """User + system CPU time of a running process (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def children_cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def cli_env(url: str, workdir: Path, **extra: str) -> dict[str, str]:
    """The environment of the issue: fake credentials, us-east-1, the sandbox endpoint; no
    profile files of the operator's (so nothing on this machine changes the figures)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "MACIE_MEMBERS_"))}
    env.update({
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_ENDPOINT_URL": url,
        "AWS_CONFIG_FILE": str(workdir / "aws-config"),
        "AWS_SHARED_CREDENTIALS_FILE": str(workdir / "aws-credentials"),
        "AWS_EC2_METADATA_DISABLED": "true",
        "NO_COLOR": "1",
        "MACIE_MEMBERS_LOCK_DIR": str(workdir / "locks"),
    })
    env.update(extra)
    return env


# ------------------------------------------------------------------ onboarding


@dataclass
class Step:
    action: str
    command: list[str]
    seconds: float
    returncode: int
    summary: dict[str, int]
    stderr: str


@dataclass
class Onboarding:
    """What one onboarding run did: its steps (one per command run), and the timeline of its
    result records by Region, when it wrote a report."""

    seconds: float = 0.0
    steps: list[Step] = field(default_factory=list)
    # "action region" -> times (seconds from the start of the run) its result records appeared
    timeline: dict[str, list[float]] = field(default_factory=dict)

    @property
    def failed(self) -> int:
        return sum(step.summary.get("failed", 0) for step in self.steps)

    @property
    def ok(self) -> bool:
        return all(step.returncode == 0 for step in self.steps)


# An onboarding function runs one complete onboarding of the accounts in `csv` into `regions`
# and says what happened. It is a parameter of the benchmarks so that the command measured can
# be switched (e.g. to `macie-members onboard` once it exists) without touching the rest.
OnboardFn = Callable[[Sequence[str], Path, Sequence[str], dict[str, str], Sequence[str]], Onboarding]


def _run_steps(commands: list[list[str]], env: dict[str, str], report: Path | None, parallel: bool = False) -> Onboarding:
    run = Onboarding()
    watcher = ReportWatcher(report) if report is not None else None
    start = time.perf_counter()
    if watcher is not None:
        watcher.start(start)
    try:
        if parallel:
            procs = [(cmd, subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True))
                     for cmd in commands]
            for cmd, proc in procs:
                out, err = proc.communicate()
                run.steps.append(Step(_action(cmd), cmd, time.perf_counter() - start, proc.returncode, _summary(out), err))
        else:
            for cmd in commands:
                began = time.perf_counter()
                done = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)
                run.steps.append(Step(_action(cmd), cmd, time.perf_counter() - began, done.returncode,
                                      _summary(done.stdout), done.stderr))
    finally:
        run.seconds = time.perf_counter() - start
        if watcher is not None:
            run.timeline = watcher.stop()
    return run


def _action(command: list[str]) -> str:
    """The subcommand and its Regions, for the printout."""
    action = next(a for a in ("create-member", "create-invitations", "onboard") if a in command)
    return f"{action} --regions {command[command.index('--regions') + 1]}"


def _summary(stdout: str) -> dict[str, int]:
    try:
        summary: dict[str, int] = json.loads(stdout)["summary"]
    except (ValueError, KeyError, TypeError):
        return {}
    return summary


def _bulk(cli: Sequence[str], action: str, csv: Path, regions: Sequence[str], extra: Sequence[str]) -> list[str]:
    accounts = [str(csv)] if action == "onboard" else ["--accounts-file", str(csv)]
    return [*cli, action, *accounts, "--regions", ",".join(regions), "--no-progress", "--output", "json", *extra]


def onboard_two_commands(
    cli: Sequence[str], csv: Path, regions: Sequence[str], env: dict[str, str], extra: Sequence[str] = ()
) -> Onboarding:
    """Today's onboarding: ``create-member`` then ``create-invitations``, each across all Regions."""
    report = _report_option(extra)
    return _run_steps([_bulk(cli, "create-member", csv, regions, extra),
                       _bulk(cli, "create-invitations", csv, regions, extra)], env, report)


def onboard_command(
    cli: Sequence[str], csv: Path, regions: Sequence[str], env: dict[str, str], extra: Sequence[str] = ()
) -> Onboarding:
    """``macie-members onboard CSV``: both steps in one command (one inventory read per Region)."""
    return _run_steps([_bulk(cli, "onboard", csv, regions, extra)], env, _report_option(extra))


def onboard_process_per_region(
    cli: Sequence[str], csv: Path, regions: Sequence[str], env: dict[str, str], extra: Sequence[str] = ()
) -> Onboarding:
    """Diagnostic: one ``create-member`` process per Region, all at once, then one
    ``create-invitations`` process per Region, all at once (so the Regions really run in
    parallel whatever order the fan-out engine takes work items in)."""
    report = _report_option(extra)
    first = _run_steps([_bulk(cli, "create-member", csv, [r], extra) for r in regions], env, report, parallel=True)
    second = _run_steps([_bulk(cli, "create-invitations", csv, [r], extra) for r in regions], env, report, parallel=True)
    offset = first.seconds
    timeline = {r: list(t) for r, t in first.timeline.items()}
    for region, times in second.timeline.items():
        timeline.setdefault(region, []).extend(offset + t for t in times)
    return Onboarding(first.seconds + second.seconds, first.steps + second.steps, timeline)


ONBOARDING: dict[str, OnboardFn] = {
    "two-commands": onboard_two_commands,
    "onboard": onboard_command,
    "process-per-region": onboard_process_per_region,
}


def _report_option(extra: Sequence[str]) -> Path | None:
    args = list(extra)
    if "--report" in args:
        return Path(args[args.index("--report") + 1])
    return None


class ReportWatcher:
    """Stamps the lines appended to a ``--report`` file with the time they appeared (every
    0.2 s), so that a run's progress per Region can be seen afterwards."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.timeline: dict[str, list[float]] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True)
        self._offset = path.stat().st_size if path.exists() else 0
        self._start = 0.0
        self._partial = b""

    def start(self, start: float) -> None:
        self._start = start
        self._thread.start()

    def stop(self) -> dict[str, list[float]]:
        self._stop.set()
        self._thread.join()
        self._poll()
        return self.timeline

    def _watch(self) -> None:
        while not self._stop.wait(0.2):
            self._poll()

    def _poll(self) -> None:
        if not self.path.exists():
            return
        with self.path.open("rb") as f:
            f.seek(self._offset)
            data = f.read()
        self._offset += len(data)
        now = time.perf_counter() - self._start
        data = self._partial + data
        lines = data.split(b"\n")
        self._partial = lines.pop()
        for line in lines:
            if line.strip():
                record = json.loads(line)
                self.timeline.setdefault(f"{record['action']} {record['region']}", []).append(now)


def describe_timeline(timeline: dict[str, list[float]]) -> list[str]:
    lines = []
    for key in sorted(timeline, key=lambda k: min(timeline[k])):
        times = sorted(timeline[key])
        lines.append(f"  {key:34s} from {times[0]:6.1f} s to {times[-1]:6.1f} s ({len(times):,} records)")
    return lines


def stats_delta(before: dict[str, Any], after: dict[str, Any]) -> dict[str, Any]:
    ops = set(before["requests"]) | set(after["requests"])
    return {
        "requests": {op: after["requests"].get(op, 0) - before["requests"].get(op, 0) for op in sorted(ops)
                     if after["requests"].get(op, 0) - before["requests"].get(op, 0)},
        "total": after["total"] - before["total"],
        "throttled": after["throttled"] - before["throttled"],
        "faults": after["faults"] - before["faults"],
    }


def fmt_requests(requests: dict[str, int]) -> str:
    return ", ".join(f"{op} {n:,}" for op, n in sorted(requests.items()))


def expected_requests(n: int, regions: int, onboarding: str) -> dict[str, int]:
    """The requests target of the issue for an onboarding from scratch: one CreateMember per
    account and Region, ceil(n/50) CreateInvitations per Region, and the inventory reads: one
    (empty) page before adding, and with two commands ceil(n/25) more before inviting."""
    pages = 1 if onboarding == "onboard" else 1 + -(-n // 25)
    return {
        "CreateMember": n * regions,
        "CreateInvitations": -(-n // 50) * regions,
        "ListMembers": pages * regions,
    }


def machine() -> str:
    load = os.getloadavg()
    return f"{os.cpu_count()} CPUs, load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}, Python {sys.version.split()[0]}"
