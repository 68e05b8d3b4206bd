"""What a build shows while it runs and when it ends.

:class:`Progress` is what ``build`` reports to (it does nothing); :class:`BarProgress` draws a
rich progress bar on stderr — files done of all, items, failures, time left — followed by the
steps after the last file (the graph files, the store). The command line uses it only when
stderr is a terminal, so logs and pipes stay quiet. :func:`summary_table` is the table printed
at the end.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from catalog_graph.batch.models import BuildSummary

if TYPE_CHECKING:  # pragma: no cover
    from rich.table import Table


class Progress:
    """Receives a build's progress; this one ignores it."""

    def start(self, total: int) -> None:
        """The build found ``total`` inputs."""

    def file_done(self, report: dict[str, Any], cached: bool) -> None:
        """One input is converted (or was found in the cache); ``report``: its report entry."""

    def step(self, text: str) -> None:
        """The build moved on to a step after the inputs (writing files, loading the store)."""

    def close(self) -> None:
        """The build is over (done or not)."""


class BarProgress(Progress):
    """A rich progress bar on stderr (or on ``console``)."""

    def __init__(self, console: Any = None) -> None:
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            SpinnerColumn,
            TextColumn,
            TimeElapsedColumn,
            TimeRemainingColumn,
        )
        from rich.progress import Progress as RichProgress

        self.bar = RichProgress(
            SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
            TextColumn("{task.fields[items]:,} items"), TextColumn("{task.fields[failed]} failed"),
            TimeElapsedColumn(), TextColumn("left"), TimeRemainingColumn(),
            console=console or Console(stderr=True), transient=False,
        )
        self.task: Any = None
        self.items = 0
        self.failed = 0
        self.current_step: Any = None

    def start(self, total: int) -> None:
        self.bar.start()
        self.task = self.bar.add_task("reading", total=total, items=0, failed=0)

    def file_done(self, report: dict[str, Any], cached: bool) -> None:
        self.items += report.get("items", 0)
        self.failed += report.get("status") != "ok"
        self.bar.update(self.task, advance=1, items=self.items, failed=self.failed)

    def step(self, text: str) -> None:
        if self.current_step is not None:
            self.bar.update(self.current_step, completed=1)
        self.current_step = self.bar.add_task(text, total=1, items=self.items, failed=self.failed)

    def close(self) -> None:
        if self.current_step is not None:
            self.bar.update(self.current_step, completed=1)
        self.bar.stop()


def summary_table(summary: BuildSummary) -> Table:
    """The table printed when a build ends."""
    from rich.table import Table

    table = Table(title=f"Built {summary.out_dir}", title_justify="left", show_header=False)
    table.add_column("what")
    table.add_column("count", justify="right")
    rows = [
        ("inputs", f"{summary.inputs:,}"),
        ("  read now", f"{summary.parsed:,}"),
        ("  from the cache", f"{summary.cached:,}"),
        ("  failed", f"{len(summary.failed):,}"),
        ("items", f"{summary.items:,}"),
        ("citations", f"{summary.citations:,}"),
        ("regulations", f"{summary.regulations:,}"),
        ("triples", f"{summary.triples:,}"),
        ("warnings", f"{summary.warnings:,}" + (" (see report.json)" if summary.warnings else "")),
        ("time", f"{summary.seconds:.1f} s"),
    ]
    for what, count in rows:
        table.add_row(what, count)
    return table
