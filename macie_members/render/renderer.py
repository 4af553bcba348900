"""The renderer: one object, built from the run's configuration, prints every document.

Every document the tool prints goes through :class:`Renderer`, so ``--output``, ``--query``,
colour and width mean the same thing everywhere:

* an AWS response (the drop-in commands) prints exactly as the AWS CLI prints it;
* the tool's own documents (result records, dry runs, ``list-members`` across Regions,
  ``status``, ``onboard --plan``) have their own table, text and CSV forms;
* ``--query`` applies to every JSON document: the document (as ``--output json`` would show it)
  is queried, and the result printed as the AWS CLI prints a queried result in ``json``,
  ``text`` or ``table`` (with ``csv``, ``--query`` is refused before anything is sent).

stderr is the renderer's too: the warnings of a run (:meth:`Renderer.warn`, one form:
``warning: <message>``), its notes (:meth:`Renderer.note`) and its progress bars (only on a
terminal and without ``--no-progress``). Errors are not: they end the run, and
:func:`macie_members.cli.main` prints them with its exit code.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import IO, TYPE_CHECKING, Any, Protocol

from macie_members.errors import InputError

if TYPE_CHECKING:
    from macie_members.config import RunConfig
    from macie_members.plan.model import Request
    from macie_members.records import Result


def apply_query(expression: str, data: Any) -> Any:
    import jmespath

    try:
        return jmespath.search(expression, data)
    except jmespath.exceptions.JMESPathError as exc:
        raise InputError(f"Bad value for --query {expression}: {exc}") from None


def _stderr(text: str) -> None:
    sys.stderr.write(text)
    sys.stderr.flush()


class Renderer:
    def __init__(self, config: RunConfig, stream: Callable[[], IO[str]] = lambda: sys.stdout) -> None:
        self.output = config.output
        self.query = config.query
        self.color = config.color and config.output == "table"
        self.width = config.width
        self.aws_table_width, self.aws_table_color = config.aws_table_width, config.aws_table_color
        self.show_progress = config.progress
        self.progress_color = config.stderr_color
        self._stream = stream
        #: Called as the run's final document starts to be written (not a page of a stream, nor
        #: the dry run's streamed requests: those can still be stopped): the run's work is done,
        #: and the run session stops treating a signal as a stop (run/signals.py). Before the
        #: write, not after: a signal that arrives while the last bytes go out is handled as
        #: soon as the write returns, before any next line would run.
        self.finished: Callable[[], None] = lambda: None

    def write(self, text: str) -> None:
        if text:
            stream = self._stream()
            stream.write(text)
            stream.flush()

    @staticmethod
    def warn(message: str) -> None:
        """A warning, on stderr: ``warning: <message>`` (the AWS CLI's form). Static, because
        some come before the run's configuration exists (reading the accounts file)."""
        _stderr(f"warning: {message}\n")

    @staticmethod
    def ask(prompt: str) -> bool:
        """The ``[y/N]`` prompt on the terminal (stderr), and its answer from stdin: yes only for
        y/yes; no for anything else, an empty line or the end of input (Ctrl-D). Ctrl-C is the
        run's interrupt (on a line of its own)."""
        import sys

        _stderr(f"{prompt} [y/N]: ")
        try:
            answer = sys.stdin.readline()
        except KeyboardInterrupt:
            _stderr("\n")
            raise
        if not answer:
            _stderr("\n")
        return answer.strip().lower() in ("y", "yes")

    @staticmethod
    def note(message: str) -> None:
        """A line for the person at the terminal that is not the command's output (on stderr)."""
        _stderr(f"{message}\n")

    def _generic(self, data: Any, title: str) -> None:
        from macie_members.render.aws_output import render

        self.write(render(data, output=self.output, operation=title, width=self.width, color=self.color))

    # ------------------------------------------------------------------- AWS responses

    def response(self, data: Mapping[str, Any], *, operation: str) -> None:
        """A response as ``aws macie2`` prints it (nothing for an empty response)."""
        from macie_members.render.aws_text import strip_metadata

        document: Any = strip_metadata(data)
        if self.query is not None:
            document = apply_query(self.query, document)
        elif not document:
            return
        self.finished()
        if self.output == "csv":
            from macie_members.render import csvout

            self.write(csvout.response_csv(document, operation))
            return
        from macie_members.render.aws_output import render

        # A drop-in command's answer: the AWS CLI's width and colour rules (render/aws_table.py).
        self.write(render(document, output=self.output, operation=operation, width=self.aws_table_width,
                          color=self.aws_table_color))

    def text_page(self, page: Mapping[str, Any]) -> None:
        """One page of a paginated result in ``--output text`` (``--query`` applies per page,
        as the AWS CLI does)."""
        from macie_members.render.aws_text import format_text

        data: Any = page if self.query is None else apply_query(self.query, page)
        self.write(format_text(data))

    def yaml_page(self, page: Mapping[str, Any]) -> None:
        """One page of a paginated result in ``--output yaml-stream``, printed as it arrives
        (``--query`` applies per page, as AWS CLI v2 does)."""
        from macie_members.render.aws_text import strip_metadata
        from macie_members.render.aws_yaml import format_yaml_page

        data: Any = strip_metadata(page)
        self.write(format_yaml_page(data if self.query is None else apply_query(self.query, data)))

    # --------------------------------------------------------------- our own documents

    @property
    def _as_document(self) -> bool:
        """Whether the tool's own documents print as their JSON document (queried or as YAML)
        rather than in their own table, text, CSV or JSON form."""
        return self.query is not None or self.output in ("yaml", "yaml-stream")

    def _document(self, document: Any, title: str, custom: Callable[[], str]) -> None:
        self.finished()
        if self._as_document:
            self._generic(document if self.query is None else apply_query(self.query, document), title)
        else:
            self.write(custom())

    def results(self, results: Sequence[Result], *, title: str, interrupted: str | None = None) -> None:
        """The result document; ``interrupted``: the stop signal that ended the run early."""
        from macie_members.render.documents import render_results, results_document

        self._document(results_document(results, interrupted) if self._as_document else None, title,
                       lambda: render_results(results, output=self.output, width=self.width, color=self.color,
                                              interrupted=interrupted))

    def regions_document(self, document: Mapping[str, Any], operation: str, key: str) -> None:
        """A read across Regions: ``{"regions": [{"region": R, key: ...}, ...]}`` (``key`` is
        ``members``, ``invitations``, ``administrator``, or ``member`` for GetMember's flat
        answer)."""
        self.finished()
        if self.query is None and self.output == "csv":
            from macie_members.render import csvout

            self.write(csvout.regions_csv(document["regions"], key))
        elif self.query is None and self.output == "table":
            for entry in document["regions"]:
                # An empty answer (no administrator there) still gets its Region's table.
                body = {k: v for k, v in entry.items() if k != "region"} or {"region": entry["region"]}
                self._generic(body, f"{operation} {entry['region']}")
        else:
            self._generic(document if self.query is None else apply_query(self.query, document), operation)

    def status(self, document: Mapping[str, Any]) -> None:
        from macie_members.render.documents import render_status

        self._document(document, "Status",
                       lambda: render_status(document, output=self.output, width=self.width, color=self.color))

    def plan(self, document: Mapping[str, Any]) -> None:
        from macie_members.render.documents import render_plan

        self._document(document, "Plan", lambda: render_plan(document, output=self.output))

    def dry_run(self, requests: Iterable[Request]) -> None:
        """The requests a run would send. Streamed (100,000 of them are never all in memory),
        except with ``--query``, which needs the whole document."""
        from macie_members.render.documents import dry_run_pieces

        if self._as_document:
            document = {"dryRun": True, "requests": [r.to_json() for r in requests]}
            self._generic(document if self.query is None else apply_query(self.query, document), "DryRun")
        else:
            for piece in dry_run_pieces(requests, output=self.output, width=self.width):
                self.write(piece)
        self.finished()

    def document(self, document: Mapping[str, Any], *, title: str) -> None:
        """Any other JSON document (e.g. ``sandbox accept``'s)."""
        self.finished()
        self._generic(document if self.query is None else apply_query(self.query, document), title)

    # ---------------------------------------------------------------------- progress

    def progress(self) -> Progress:
        return RichProgress(color=self.progress_color) if self.show_progress else NullProgress()


class Progress(Protocol):
    def start(self, totals: Mapping[str, int]) -> None: ...
    def advance(self, region: str) -> None: ...
    def stop(self) -> None: ...


class NullProgress:
    def start(self, totals: Mapping[str, int]) -> None:
        pass

    def advance(self, region: str) -> None:
        pass

    def stop(self) -> None:
        pass


class RichProgress:
    """A total bar and one bar per Region, on stderr. ``stop`` restores the cursor."""

    def __init__(self, *, color: bool) -> None:
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, TextColumn, TimeElapsedColumn
        from rich.progress import Progress as RichBars

        self._bars = RichBars(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                              TimeElapsedColumn(), transient=False,
                              console=Console(stderr=True, no_color=not color, highlight=False))
        self._tasks: dict[str, Any] = {}
        self._total: Any = None
        self._started = False

    def start(self, totals: Mapping[str, int]) -> None:
        if self._total is None:
            self._total = self._bars.add_task("total", total=0)
        for region, count in sorted(totals.items()):
            if region not in self._tasks:
                self._tasks[region] = self._bars.add_task(f"  {region}", total=0)
            task = self._bars.tasks[self._tasks[region]]
            self._bars.update(self._tasks[region], total=(task.total or 0) + count)
        total = self._bars.tasks[self._total]
        self._bars.update(self._total, total=(total.total or 0) + sum(totals.values()))
        if not self._started:
            self._bars.start()
            self._started = True

    def advance(self, region: str) -> None:
        if self._total is not None:
            self._bars.advance(self._total)
        if region in self._tasks:
            self._bars.advance(self._tasks[region])

    def stop(self) -> None:
        if self._started:
            self._bars.stop()
            self._started = False
