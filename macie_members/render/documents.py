"""How the tool's own documents look in each output format (a rendering module: rich, lazily).

* result records: ``--output json`` ``{"results": [record...], "summary": {...}}``; ``text`` one
  tab-separated line per record (region, accountId, action, outcome, errorCode, errorMessage,
  arn, status); ``csv`` the same columns; ``table`` a table per Region and a summary line;
* dry runs: ``{"dryRun": true, "requests": [...]}`` (streamed), one line per request in
  ``text`` and ``csv``, a table per Region in ``table``;
* ``status``: the account x Region matrix; ``onboard --plan`` and ``sync --plan``: a plan per
  Region.

The :class:`~macie_members.render.renderer.Renderer` chooses between these and the AWS CLI's generic
formats (always the latter with ``--query``).
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from macie_members.domain import ASSOCIATED
from macie_members.records import Result, summarize

if TYPE_CHECKING:
    from rich.console import Console

TEXT_FIELDS = ("region", "accountId", "action", "outcome", "errorCode", "errorMessage", "arn", "status", "note")
OUTCOME_STYLES = {"ok": "green", "skipped": "yellow", "failed": "red"}
STATUS_STYLES = {
    "Enabled": "green", "Paused": "yellow", "Invited": "cyan", "EmailVerificationInProgress": "cyan",
    "Created": "blue", "EmailVerificationFailed": "red", "Removed": "magenta", "Resigned": "magenta",
    "RegionDisabled": "red", "AccountSuspended": "red", "missing": "dim",
}


def console(buffer: io.StringIO, *, width: int, color: bool) -> Console:
    from rich.console import Console

    return Console(file=buffer, width=width, color_system="standard" if color else None, force_terminal=color,
                   markup=False, emoji=False, highlight=False, legacy_windows=False)


def fits(out: Console, renderable: Any, width: int) -> bool:
    """Whether ``renderable`` can be drawn in ``width`` columns without splitting a word (rich
    wraps between words, and folds a word only when it is wider than its column)."""
    from rich.measure import Measurement

    return Measurement.get(out, out.options.update_width(1_000_000), renderable).minimum <= width


def lines_of(buffer: io.StringIO) -> str:
    return "".join(f"{line.rstrip()}\n" for line in buffer.getvalue().splitlines())


def one_line(value: Any) -> str:
    return "" if value is None else str(value).replace("\t", " ").replace("\n", " ")


# ---------------------------------------------------------------------------- results


def ordered(results: Iterable[Result]) -> list[Result]:
    """By Region and account; an account's records in the order they happened."""
    return sorted(results, key=lambda r: (r.region, r.accountId or ""))


def results_document(results: Iterable[Result], interrupted: str | None = None) -> dict[str, Any]:
    """``interrupted``: the stop signal that ended the run early; the summary then says so
    (``"interrupted": true, "signal": NAME``), and holds only what was done."""
    records = ordered(results)
    summary: dict[str, Any] = dict(summarize(records))
    if interrupted is not None:
        summary.update(interrupted=True, signal=interrupted)
    return {"results": [r.to_json() for r in records], "summary": summary}


def render_results(results: Sequence[Result], *, output: str, width: int = 80, color: bool = False,
                   interrupted: str | None = None) -> str:
    records = ordered(results)
    if output == "json":
        return json.dumps(results_document(records, interrupted), indent=4, ensure_ascii=False) + "\n"
    if output == "csv":
        from macie_members.render.csvout import to_csv

        return to_csv(TEXT_FIELDS, [[r.to_json()[f] for f in TEXT_FIELDS] for r in records])
    if output == "text":
        return "".join("\t".join(one_line(r.to_json()[f]) for f in TEXT_FIELDS) + "\n" for r in records)
    from rich.table import Table
    from rich.text import Text

    buffer = io.StringIO()
    out = console(buffer, width=width, color=color)
    for region in sorted({r.region for r in records}):
        table = Table(title=Text(region), title_justify="left", expand=False)
        table.add_column(Text("account"), no_wrap=True, min_width=12)
        table.add_column(Text("action"))
        table.add_column(Text("outcome"), no_wrap=True)
        table.add_column(Text("detail"))
        rows = []
        for r in (r for r in records if r.region == region):
            detail = " ".join(x for x in (r.errorCode, r.errorMessage, r.status) if x)
            outcome = Text(r.outcome, style=OUTCOME_STYLES[r.outcome] if color else "")
            rows.append((Text(r.accountId or "-"), Text(r.action), outcome, Text(detail)))
            table.add_row(*rows[-1])
        if fits(out, table, width):
            out.print(table)
            continue
        # Too narrow for the table: a line per record, its detail indented below it.
        from rich.padding import Padding

        out.print(Text(region, style="bold"))
        for account, action, outcome, details in rows:
            out.print(Text.assemble(account, " ", action, " ", outcome))
            if details.plain:
                out.print(Padding(details, (0, 0, 0, 2)))
    summary = summarize(records)
    stopped = f" (interrupted by {interrupted})" if interrupted else ""
    out.print(Text(f"{summary['ok']} ok, {summary['skipped']} skipped, {summary['failed']} failed{stopped}"))
    return lines_of(buffer)


# --------------------------------------------------------------------------- dry runs


def dry_run_pieces(requests: Iterable[Any], *, output: str, width: int = 80) -> Iterator[str]:
    """The planned requests, piece by piece (a large document is never built whole in memory)."""
    if output == "text":
        for r in requests:
            sender = f"\t{r.sender}" if r.sender else ""
            yield f"{r.region}\t{r.operation}\t{json.dumps(dict(r.params), ensure_ascii=False)}{sender}\n"
        return
    if output == "csv":
        from macie_members.render.csvout import to_csv

        yield to_csv(["region", "operation", "params", "as"], [])
        for r in requests:
            yield to_csv(None, [[r.region, r.operation, json.dumps(dict(r.params), ensure_ascii=False), r.sender]])
        return
    if output == "table":
        yield dry_run_table(list(requests), width=width)
        return
    yield '{\n    "dryRun": true,\n    "requests": ['
    first = True
    for r in requests:
        body = json.dumps(r.to_json(), indent=4, ensure_ascii=False).replace("\n", "\n        ")
        yield ("\n        " if first else ",\n        ") + body
        first = False
    yield "\n    ]\n}\n" if not first else "]\n}\n"


def dry_run_table(requests: Sequence[Any], *, width: int) -> str:
    from rich.table import Table
    from rich.text import Text

    buffer = io.StringIO()
    out = console(buffer, width=width, color=False)
    for region in dict.fromkeys(r.region for r in requests):
        table = Table(title=Text(f"{region}: requests a run would send"), title_justify="left", expand=False)
        table.add_column(Text("operation"), no_wrap=True)
        table.add_column(Text("parameters"), overflow="fold")
        for r in (r for r in requests if r.region == region):
            operation = f"{r.operation} (as {r.sender})" if r.sender else r.operation
            table.add_row(Text(operation), Text(json.dumps(dict(r.params), ensure_ascii=False)))
        out.print(table)
    out.print(Text(f"{len(requests)} request(s); nothing was sent."))
    return lines_of(buffer)


# ----------------------------------------------------------------------------- status


def render_status(document: Mapping[str, Any], *, output: str, width: int = 80, color: bool = False) -> str:
    """The account x Region matrix of ``status``: table, json, csv or text."""
    regions = [r for r in document["regions"] if r not in {e["region"] for e in document["errors"]}]
    if output == "json":
        return json.dumps(document, indent=4, ensure_ascii=False) + "\n"
    if output == "csv":
        from macie_members.render.csvout import to_csv

        rows = [[a["accountId"], a["email"], *(a["statuses"].get(r, "") for r in regions), a.get("membershipType")]
                for a in document["accounts"]]
        return to_csv(["Account ID", "Email", *regions, "Membership"], rows)
    if output == "text":
        # account, Region, status, membership type: the type last, so that the first three
        # fields keep their places for scripts that cut them
        return "".join(f"{a['accountId']}\t{region}\t{a['statuses'].get(region, '')}\t{a.get('membershipType') or ''}\n"
                       for a in document["accounts"] for region in regions)
    from rich.table import Table
    from rich.text import Text

    buffer = io.StringIO()
    out = console(buffer, width=width, color=color)
    table = Table(title=Text("Macie members by Region"), expand=False)
    table.add_column(Text("account"), no_wrap=True)
    table.add_column(Text("type"), no_wrap=True)
    for region in regions:
        table.add_column(Text(region), no_wrap=True)
    for account in document["accounts"]:
        cells = [Text(account["accountId"]), Text(account.get("membershipType") or "")]
        for region in regions:
            status = account["statuses"].get(region, "")
            cells.append(Text(status, style=STATUS_STYLES.get(status, "") if color else ""))
        table.add_row(*cells)
    if fits(out, table, width):
        out.print(table)
    else:
        # Too many Regions for the width: one block per Region, a line per account (an account
        # id and a status take 40 columns), so that nothing wraps.
        out.print(Text("Macie members by Region", style="bold"))
        for region in regions:
            block = Table(title=Text(region), title_justify="left", box=None, show_header=False,
                          pad_edge=False, padding=(0, 1, 0, 0), expand=False)
            block.add_column(no_wrap=True)
            block.add_column(no_wrap=True)
            for account in document["accounts"]:
                status = account["statuses"].get(region, "")
                block.add_row(Text(account["accountId"]),
                              Text(status, style=STATUS_STYLES.get(status, "") if color else ""))
            out.print(block)
    counts = document["counts"]
    if counts:
        out.print(Text("counts: " + ", ".join(f"{status} {sum(by.values())}" for status, by in counts.items())))
    kinds = document.get("countsByMembershipType") or {}
    if kinds:
        out.print(Text("by membership type: " + ", ".join(f"{kind} {sum(by.values())}" for kind, by in kinds.items())))
    for item in document["attention"]:
        out.print(Text(f"attention: {item['accountId']} {item['region']} {item['status']}: {item['reason']}"))
    for error in document["errors"]:
        out.print(Text(f"error: {error['region']}: {error['errorCode']} {error['errorMessage']}"))
    return lines_of(buffer)


# ------------------------------------------------------------------------------- plan


def render_plan(document: Mapping[str, Any], *, output: str) -> str:
    """``onboard --plan`` and ``sync --plan``: what would happen per Region, like a Terraform plan
    (``sync``'s plans also have ``remove`` and ``extra``, and the document ``drift``)."""
    if output == "json":
        return json.dumps(document, indent=4, ensure_ascii=False) + "\n"
    if output == "csv":
        from macie_members.render.csvout import to_csv

        rows: list[list[Any]] = []
        for region in document["plan"]:
            for decision in ("add", "invite", "readd"):
                rows += [[region["region"], a, decision, "", ""] for a in region.get(decision, [])]
            rows += [[region["region"], r["accountId"], "remove", r["status"], "not in the file"]
                     for r in region.get("remove", [])]
            rows += [[region["region"], r["accountId"], "extra", r["status"], "not in the file: kept"]
                     for r in region.get("extra", [])]
            rows += [[region["region"], r["accountId"], "organization", r["status"],
                      "an Organizations member not in the file: kept (sync never removes one)"]
                     for r in region.get("organization", [])]
            rows += [[region["region"], u["accountId"], "unchanged", u["status"], ""] for u in region.get("unchanged", [])]
            rows += [[region["region"], a["accountId"], "attention", a["status"], a["reason"]]
                     for a in region.get("attention", [])]
        return to_csv(["region", "accountId", "decision", "status", "reason"], rows)
    sync = "drift" in document
    lines: list[str] = []
    totals = dict.fromkeys(("add", "invite", "readd", "remove", "extra", "organization", "unchanged", "attention"), 0)
    for data in document["plan"]:
        lines.append(f"{data['region']}:")
        if "errorCode" in data:
            lines.append(f"  ! can't read the inventory: {data['errorCode']} {data['errorMessage']}")
            continue
        lines += [f"  - remove ({'disassociate, delete' if r['status'] in ASSOCIATED else 'delete'})  "
                  f"{r['accountId']} ({r['status']}): not in the file" for r in data.get("remove", [])]
        lines += [f"  + add and invite  {account}" for account in data["add"]]
        lines += [f"  ~ re-add (new email) and invite  {account}" for account in data["readd"]]
        lines += [f"  > invite  {account}" for account in data["invite"]]
        lines += [f"  ! needs attention  {i['accountId']} ({i['status']}): {i['reason']}" for i in data["attention"]]
        lines += [f"  ? extra, kept  {r['accountId']} ({r['status']}): not in the file (--prune removes it)"
                  for r in data.get("extra", [])]
        lines += [f"  = Organizations member, kept  {r['accountId']} ({r['status']}): not in the file (sync never "
                  "removes one)" for r in data.get("organization", [])]
        lines.append(f"    unchanged: {len(data['unchanged'])}")
        for key in totals:
            totals[key] += len(data.get(key, []))
    if sync:
        lines.append(
            f"Plan: {totals['add']} to add, {totals['invite']} to invite, {totals['readd']} to re-add, "
            f"{totals['remove']} to remove, {totals['extra']} extra (kept), {totals['unchanged']} unchanged, "
            f"{totals['attention']} need attention"
            + (f", {totals['organization']} Organizations members kept." if totals["organization"] else ".")
        )
        lines.append("Drift: the organization differs from the file." if document["drift"]
                     else "No drift found, but the plan is incomplete: a Region's inventory can't be read."
                     if document["drift"] is None else "No drift: the organization matches the file.")
    else:
        lines.append(
            f"Plan: {totals['add']} to add, {totals['invite']} to invite, {totals['readd']} to re-add, "
            f"{totals['unchanged']} unchanged, {totals['attention']} need attention."
        )
    return "\n".join(lines) + "\n"
