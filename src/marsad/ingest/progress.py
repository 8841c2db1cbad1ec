"""A rich progress bar for ingest runs: pages done of pages expected, with the running counts, and while no
page is read (linking, indexing) what the run is doing instead, beside the spinner."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from rich.console import Console, RenderableType
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    Task,
    TextColumn,
    TimeElapsedColumn,
)

from marsad.ingest.report import IngestReport


class StageSpinner(SpinnerColumn):
    """A spinner that keeps turning after the count is complete while the task's `stage` field says what is
    still being done (rich's own stops at 43/43, though linking and indexing go on)."""

    def render(self, task: Task) -> RenderableType:
        if task.fields.get("stage"):
            return self.spinner.render(task.get_time())
        return super().render(task)


@contextmanager
def progress_bar(console: Console | None = None) -> Iterator:
    """Yields a callback(done, expected, report) that drives the bar."""
    columns = (
        StageSpinner(),
        TextColumn("[bold]ingest"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[counts]}{task.fields[stage]}"),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=console or Console(stderr=True), transient=False) as progress:
        task = progress.add_task("ingest", total=None, counts="", stage="")

        def update(done: int, expected: int | None, report: IngestReport) -> None:
            counts = f"new {report.new} · updated {report.updated} · unchanged {report.unchanged} · failed {report.failed}"
            stage = f" · {report.stage}…" if report.stage else ""
            progress.update(
                task,
                completed=done,
                total=max(expected, done) if expected else None,
                counts=counts,
                stage=stage,
            )

        yield update
