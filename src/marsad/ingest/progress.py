"""A rich progress bar for ingest runs: pages done of pages expected, with the running counts."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TextColumn,
    TimeElapsedColumn,
)

from marsad.ingest.report import IngestReport


@contextmanager
def progress_bar(console: Console | None = None) -> Iterator:
    """Yields a callback(done, expected, report) that drives the bar."""
    columns = (
        SpinnerColumn(),
        TextColumn("[bold]ingest"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[counts]}"),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=console or Console(stderr=True), transient=False) as progress:
        task = progress.add_task("ingest", total=None, counts="")

        def update(done: int, expected: int | None, report: IngestReport) -> None:
            counts = f"new {report.new} · updated {report.updated} · unchanged {report.unchanged} · failed {report.failed}"
            progress.update(
                task, completed=done, total=max(expected, done) if expected else None, counts=counts
            )

        yield update
