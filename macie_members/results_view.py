"""Rendering of bulk results and progress (a rendering module: it may import rich, lazily).

* ``--output json``: one document ``{"results": [record...], "summary": {"ok", "skipped", "failed"}}``
  (the record schema is in :mod:`macie_members.fanout`);
* ``--output text``: one tab-separated line per record: region, accountId, action, outcome,
  errorCode, errorMessage, arn, status (empty fields for nulls), then no summary line;
* ``--output table``: a rich table per Region and a summary line.

Progress bars go to stderr, and only when stderr is a terminal (and not ``--no-progress``):
one bar for the whole run and one per Region. Otherwise :class:`NullProgress` does nothing.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterable, Iterator, Sequence
from typing import Any, Protocol

from .fanout import Result, summarize

TEXT_FIELDS = ("region", "accountId", "action", "outcome", "errorCode", "errorMessage", "arn", "status")


def render_results(results: Sequence[Result], *, output: str, width: int = 80, color: bool = False) -> str:
    ordered = sorted(results, key=lambda r: (r.region, r.accountId or "", r.action))
    summary = summarize(ordered)
    if output == "json":
        document = {"results": [r.to_json() for r in ordered], "summary": summary}
        return json.dumps(document, indent=4, ensure_ascii=False) + "\n"
    if output == "csv":
        from .csvout import to_csv

        return to_csv(TEXT_FIELDS, [[r.to_json()[f] for f in TEXT_FIELDS] for r in ordered])
    if output == "text":
        lines = []
        for result in ordered:
            data = result.to_json()
            lines.append("\t".join("" if data[f] is None else str(data[f]).replace("\t", " ").replace("\n", " ") for f in TEXT_FIELDS))
        return "".join(line + "\n" for line in lines)
    return _table(ordered, summary, width=width, color=color)


def _table(results: Sequence[Result], summary: dict[str, int], *, width: int, color: bool) -> str:
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    buffer = io.StringIO()
    console = Console(file=buffer, width=width, color_system="standard" if color else None,
                      force_terminal=color, markup=False, emoji=False, highlight=False)
    styles = {"ok": "green", "skipped": "yellow", "failed": "red"}
    regions = sorted({r.region for r in results})
    for region in regions:
        table = Table(title=Text(region), title_justify="left", expand=False)
        for name in ("account", "action", "outcome", "detail"):
            table.add_column(Text(name), overflow="fold")
        for result in (r for r in results if r.region == region):
            detail = " ".join(x for x in (result.errorCode, result.errorMessage, result.status) if x)
            table.add_row(
                Text(result.accountId or "-"),
                Text(result.action),
                Text(result.outcome, style=styles[result.outcome] if color else ""),
                Text(detail),
            )
        console.print(table)
    console.print(Text(f"{summary['ok']} ok, {summary['skipped']} skipped, {summary['failed']} failed"))
    return "\n".join(line.rstrip() for line in buffer.getvalue().splitlines()) + "\n"


def render_dry_run(requests: Iterable[Any], *, output: str) -> Iterator[str]:
    """The planned requests, piece by piece (the document is never built whole in memory):
    JSON ``{"dryRun": true, "requests": [...]}`` indented as ``json.dumps(indent=4)`` would, or
    one ``region<TAB>operation<TAB>params`` line per request with ``--output text``."""
    if output == "text":
        for r in requests:
            yield f"{r.region}\t{r.operation}\t{json.dumps(r.params, ensure_ascii=False)}\n"
        return
    yield '{\n    "dryRun": true,\n    "requests": ['
    first = True
    for r in requests:
        body = json.dumps(r.to_json(), indent=4, ensure_ascii=False).replace("\n", "\n        ")
        yield ("\n        " if first else ",\n        ") + body
        first = False
    yield "\n    ]\n}\n" if not first else "]\n}\n"


class Progress(Protocol):
    def start(self, totals: dict[str, int]) -> None: ...
    def advance(self, region: str) -> None: ...
    def stop(self) -> None: ...


class NullProgress:
    def start(self, totals: dict[str, int]) -> None:
        pass

    def advance(self, region: str) -> None:
        pass

    def stop(self) -> None:
        pass


class RichProgress:
    """A total bar and one bar per Region, on stderr."""

    def __init__(self) -> None:
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeElapsedColumn,
        )

        self._progress = Progress(
            TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
            console=Console(stderr=True), transient=False,
        )
        self._tasks: dict[str, Any] = {}
        self._total: Any = None

    def start(self, totals: dict[str, int]) -> None:
        self._total = self._progress.add_task("total", total=sum(totals.values()))
        for region, count in sorted(totals.items()):
            self._tasks[region] = self._progress.add_task(f"  {region}", total=count)
        self._progress.start()

    def advance(self, region: str) -> None:
        self._progress.advance(self._total)
        if region in self._tasks:
            self._progress.advance(self._tasks[region])

    def stop(self) -> None:
        self._progress.stop()


def make_progress(enabled: bool) -> Progress:
    return RichProgress() if enabled else NullProgress()


STATUS_STYLES = {
    "Enabled": "green",
    "Paused": "yellow",
    "Invited": "cyan",
    "EmailVerificationInProgress": "cyan",
    "Created": "blue",
    "EmailVerificationFailed": "red",
    "Removed": "magenta",
    "Resigned": "magenta",
    "RegionDisabled": "red",
    "AccountSuspended": "red",
    "missing": "dim",
}


def render_status(report: Any, *, output: str, width: int = 80, color: bool = False) -> str:
    """The account x Region matrix of ``status``: table, json, csv or text."""
    document = report.to_json()
    regions = [r for r in report.regions if r not in report.errors]
    if output == "json":
        return json.dumps(document, indent=4, ensure_ascii=False) + "\n"
    if output == "csv":
        from .csvout import to_csv

        rows = [[a["accountId"], a["email"], *(a["statuses"].get(r, "") for r in regions)] for a in document["accounts"]]
        return to_csv(["Account ID", "Email", *regions], rows)
    if output == "text":
        return "".join(
            f"{a['accountId']}\t{region}\t{a['statuses'].get(region, '')}\n"
            for a in document["accounts"] for region in regions
        )
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    buffer = io.StringIO()
    console = Console(file=buffer, width=width, color_system="standard" if color else None,
                      force_terminal=color, markup=False, emoji=False, highlight=False)
    table = Table(title=Text("Macie members by Region"), expand=False)
    table.add_column(Text("account"), no_wrap=True)
    for region in regions:
        table.add_column(Text(region), overflow="fold")
    for account in document["accounts"]:
        cells = [Text(account["accountId"])]
        for region in regions:
            status = account["statuses"].get(region, "")
            cells.append(Text(status, style=STATUS_STYLES.get(status, "") if color else ""))
        table.add_row(*cells)
    console.print(table)
    counts = document["counts"]
    if counts:
        console.print(Text("counts: " + ", ".join(f"{status} {sum(by.values())}" for status, by in counts.items())))
    for item in document["attention"]:
        console.print(Text(f"attention: {item['accountId']} {item['region']} {item['status']}: {item['reason']}"))
    for error in document["errors"]:
        console.print(Text(f"error: {error['region']}: {error['errorCode']} {error['errorMessage']}"))
    return "\n".join(line.rstrip() for line in buffer.getvalue().splitlines()) + "\n"


def render_plan(plans: Sequence[Any], *, output: str) -> str:
    """``onboard --plan``: what would happen per Region, like a Terraform plan."""
    if output == "json":
        return json.dumps({"plan": [p.to_json() for p in plans]}, indent=4, ensure_ascii=False) + "\n"
    lines: list[str] = []
    totals = {"add": 0, "invite": 0, "readd": 0, "unchanged": 0, "attention": 0}
    for plan in plans:
        data = plan.to_json()
        lines.append(f"{plan.region}:")
        if "errorCode" in data:
            lines.append(f"  ! can't read the inventory: {data['errorCode']} {data['errorMessage']}")
            continue
        for account in data["add"]:
            lines.append(f"  + add and invite  {account}")
        for account in data["readd"]:
            lines.append(f"  ~ re-add (new email) and invite  {account}")
        for account in data["invite"]:
            lines.append(f"  > invite  {account}")
        for item in data["attention"]:
            lines.append(f"  ! needs attention  {item['accountId']} ({item['status']}): {item['reason']}")
        lines.append(f"    unchanged: {len(data['unchanged'])}")
        for key in totals:
            totals[key] += len(data[key])
    lines.append(
        f"Plan: {totals['add']} to add, {totals['invite']} to invite, {totals['readd']} to re-add, "
        f"{totals['unchanged']} unchanged, {totals['attention']} need attention."
    )
    return "\n".join(lines) + "\n"
