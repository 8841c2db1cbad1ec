"""`marsad ingest`, `stats`, `export`, `failures` and `demo` (commands/demo.py): getting articles in and
seeing what is there."""

from __future__ import annotations

import csv
import json
import logging
import os
import sqlite3
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from marsad.commands.common import AllowNetwork, AllowPrivate, DbOption, address_policy, open_store
from marsad.commands.demo import demo_command
from marsad.ingest.report import IngestReport
from marsad.sources.http.safety import AddressPolicy
from marsad.store.db import Store

if TYPE_CHECKING:
    from marsad.ingest.cluster import ClusterConfig

console = Console(stderr=True, soft_wrap=True)
out = Console()


class ExportFormat(StrEnum):
    jsonl = "jsonl"
    csv = "csv"


EXPORT_FIELDS = (
    "id", "url", "title", "outlet", "outlet_latin", "published", "precision", "author", "categories",
    "summary", "body", "original_outlet", "original_url", "language", "fetched_at", "kind",
    "duplicate_of", "story_id", "hidden",
)  # fmt: skip


@contextmanager
def clear_errors() -> Iterator[None]:
    """Turn the errors a user can cause (bad --db, unreadable file, full disk) into one line, exit 1."""
    try:
        yield
    except (typer.Exit, typer.Abort, typer.BadParameter):
        raise
    except sqlite3.DatabaseError as error:
        console.print(f"[red]error:[/] the database cannot be used: {error}")
        raise typer.Exit(1) from None
    except OSError as error:
        console.print(
            f"[red]error:[/] {error.strerror or error}{f': {error.filename}' if error.filename else ''}"
        )
        raise typer.Exit(1) from None


def summary_table(report: IngestReport) -> Table:
    table = Table(title="Ingest summary", show_header=True)
    table.add_column("outcome")
    table.add_column("count", justify="right")
    for name, value in (
        ("new", report.new),
        ("updated", report.updated),
        ("unchanged", report.unchanged),
        ("failed", report.failed),
    ):
        table.add_row(name, f"{value:,}")
    return table


def timing_line(report: IngestReport) -> str:
    kinds = ", ".join(f"{kind} {n:,}" for kind, n in sorted(report.kinds.items()))
    line = f"pages read: {kinds or 'none'} · {report.seconds:.1f} s"
    if report.seconds_linking + report.seconds_indexing >= 0.05:
        line += f" (linking {report.seconds_linking:.1f} s, indexing {report.seconds_indexing:.1f} s)"
    return line


def failure_table(report: IngestReport, limit: int = 20) -> Table:
    table = Table(title="Failures", show_header=True)
    table.add_column("stage")
    table.add_column("reason")
    table.add_column("where")
    for note in report.failures[:limit]:
        table.add_row(note.stage, note.reason, note.origin)
    if report.failed > limit:
        table.caption = f"{report.failed - limit:,} more: see `marsad failures`"
    return table


def print_report(report: IngestReport) -> None:
    out.print(summary_table(report))
    out.print(timing_line(report))
    if report.failed:
        out.print(failure_table(report))
    if report.pending_linked or report.pending_indexed:
        out.print(
            f"finished first what an earlier run left pending: {report.pending_linked:,} articles linked,"
            f" {report.pending_indexed:,} indexed"
        )
    if report.skipped:
        shown = ", ".join(Path(p).name for p in report.skipped[:5])
        more = f" and {len(report.skipped) - 5} more" if len(report.skipped) > 5 else ""
        out.print(f"skipped {len(report.skipped)} file(s) of an unsupported kind: {shown}{more}")


class _OneLine(logging.Formatter):
    """Warnings as one line: the exception's type and message, never its traceback."""

    def format(self, record: logging.LogRecord) -> str:
        message = f"{record.levelname.lower()}: {record.getMessage()}"
        if record.exc_info and record.exc_info[1] is not None:
            error = record.exc_info[1]
            message += f" ({type(error).__name__}: {error})"
        return message


class _ToStderr(logging.Handler):
    """Writes to sys.stderr as it is when a record comes, not as it was when the handler was made (a test
    runner or a caller may have replaced it, and closed the one before)."""

    def emit(self, record: logging.LogRecord) -> None:
        try:
            sys.stderr.write(self.format(record) + "\n")
        except Exception:  # noqa: BLE001 - logging's own rule: a failed record never stops the caller
            self.handleError(record)


def quiet_logging() -> None:
    """Route Marsad's warnings to stderr as one line each (a long ingest must not print tracebacks)."""
    logger = logging.getLogger("marsad")
    if any(getattr(h, "_marsad_cli", False) for h in logger.handlers):
        return
    handler = _ToStderr()
    handler.setFormatter(_OneLine())
    handler.setLevel(logging.WARNING)
    handler._marsad_cli = True  # type: ignore[attr-defined]
    logger.addHandler(handler)
    logger.propagate = False


def run_ingest(
    targets: list[str],
    store: Store,
    *,
    link: bool,
    index: bool,
    progress: bool,
    policy: AddressPolicy | None = None,
    cluster: ClusterConfig | None = None,
) -> IngestReport:
    from marsad.ingest import ingest

    quiet_logging()
    return ingest(targets, store, progress=progress, link=link, index=index, policy=policy, cluster=cluster)


def cluster_config(workers: int | None, scheduler: str | None) -> ClusterConfig | None:
    """The Dask cluster `--workers` or `--scheduler` asks for (None: read and extract here)."""
    from marsad.ingest.cluster import ClusterConfig

    if workers is None and scheduler is None:
        return None
    if workers is not None and scheduler is not None:
        raise typer.BadParameter(
            "give --workers (a local Dask cluster) or --scheduler (a running one), not both"
        )
    if scheduler is not None and not scheduler.startswith(
        ("tcp://", "tls://", "inproc://", "ws://", "wss://")
    ):
        raise typer.BadParameter(
            f"--scheduler takes a Dask scheduler address such as tcp://host:8786, not {scheduler!r}"
        )
    return ClusterConfig(workers=workers, scheduler=scheduler)


def pending_note(store: Store, only: str | None = None) -> str | None:
    """A line saying how many articles still wait to be linked or indexed and which command finishes
    them, or None when none does (see marsad.store.pending)."""
    from marsad.store.pending import counts

    waiting = counts(store)
    parts = [
        f"{waiting[kind]:,} {done}"
        for kind, done in (("link", "to link"), ("index", "to index"))
        if waiting[kind] and (only is None or kind == only)
    ]
    if not parts:
        return None
    return (
        f"stored articles still waiting: {' and '.join(parts)} (an ingest was stopped or failed before it"
        " did them, or ran with --no-link/--no-index): `marsad ingest` with no input does them; every"
        " ingest and crawl does them first"
    )


def ingest_command(
    targets: Annotated[
        list[str] | None,
        typer.Argument(
            help="Files, folders, feed or page URLs, in any mix. With none, only the linking and indexing"
            " an earlier run left pending is done."
        ),
    ] = None,
    db: DbOption = None,
    link: Annotated[bool, typer.Option("--link/--no-link", help="Link new articles into stories.")] = True,
    index: Annotated[bool, typer.Option("--index/--no-index", help="Add new articles to search.")] = True,
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
    allow_private: AllowPrivate = None,
    allow: AllowNetwork = None,
    workers: Annotated[
        int | None,
        typer.Option(
            "--workers",
            min=1,
            help="Read and extract WARC archives and page files on a local Dask cluster of this many"
            " processes (needs the marsad[cluster] extra); storing, linking and indexing stay here.",
        ),
    ] = None,
    scheduler: Annotated[
        str | None,
        typer.Option(
            "--scheduler",
            help="As --workers, on a running Dask cluster: its scheduler's address (tcp://host:8786)."
            " Its workers must see the input files at the same paths.",
        ),
    ] = None,
) -> None:
    """Ingest text dumps, HTML files, JSON-lines corpora, WARC archives and RSS/Atom feeds."""
    from marsad.ingest.cluster import ClusterUnavailable

    policy = address_policy(allow_private, allow)
    cluster = cluster_config(workers, scheduler)
    with clear_errors(), open_store(db) as store:
        show_progress = sys.stderr.isatty() and not as_json
        try:
            report = run_ingest(
                targets or [],
                store,
                link=link,
                index=index,
                progress=show_progress,
                policy=policy,
                cluster=cluster,
            )
        except ClusterUnavailable as error:
            console.print(f"[red]error:[/] {escape(str(error))}")
            raise typer.Exit(1) from None
        left = pending_note(store)
    if as_json:
        print(json.dumps(report.as_dict(), ensure_ascii=False, indent=1))
    else:
        print_report(report)
    if left:
        console.print(left)
    if report.failed and not report.articles:
        raise typer.Exit(1)


def stats_command(
    db: DbOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the counts as JSON.")] = False,
) -> None:
    """Counts of articles by outlet, by page kind and by category, and of failures."""
    from marsad.store.articles import stats
    from marsad.store.pending import counts as pending_counts

    with clear_errors(), open_store(db, readonly=True) as store:
        counts = stats(store)
        counts["pending"] = pending_counts(store)
        note = pending_note(store)
    if as_json:
        print(json.dumps(counts, ensure_ascii=False, indent=1))
        return
    out.print(
        f"[bold]{counts['articles']:,}[/] articles from {counts['sources']:,} outlets, "
        f"{counts['failures']:,} failures"
    )
    if note:
        out.print(note)
    for title, key in (("outlet", "by_outlet"), ("kind", "by_kind"), ("category", "by_category")):
        if counts[key]:
            table = Table(show_header=True)
            table.add_column(title)
            table.add_column("articles", justify="right")
            for name, n in counts[key].items():
                table.add_row(str(name), f"{n:,}")
            out.print(table)


def export_command(
    db: DbOption = None,
    format: Annotated[ExportFormat, typer.Option("--format", help="jsonl or csv.")] = ExportFormat.jsonl,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="File to write (default: stdout).")
    ] = None,
) -> None:
    """Every article, one a line: id, url, title, outlet, published, body and the rest."""
    from marsad.store.articles import iter_articles

    with clear_errors(), open_store(db, readonly=True) as store:
        handle = output.open("w", encoding="utf-8", newline="") if output else sys.stdout
        try:
            count = _write_export(iter_articles(store), format, handle)
        except BrokenPipeError:  # `marsad export | head`: the reader has had enough
            sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - keeps Python's exit flush quiet
            raise typer.Exit(0) from None
        finally:
            if output:
                handle.close()
    console.print(f"exported {count:,} articles" + (f" to {output}" if output else ""))


def failures_command(
    db: DbOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the failures as JSON.")] = False,
    limit: Annotated[int, typer.Option(help="Show at most this many.")] = 200,
) -> None:
    """Inputs that could not be read, extracted or stored, with the reason for each."""
    from marsad.store.articles import list_failures

    with clear_errors(), open_store(db, readonly=True) as store:
        rows = list_failures(store, limit=limit)
    if as_json:
        print(json.dumps(rows, ensure_ascii=False, indent=1))
        return
    if not rows:
        out.print("no failures")
        return
    table = Table(show_header=True)
    for column in ("stage", "reason", "where", "url", "seen"):
        table.add_column(column)
    for row in rows:
        table.add_row(row["stage"], row["reason"], row["origin"], row["url"] or "", str(row["seen_count"]))
    out.print(table)


COMMANDS = {
    "ingest": ingest_command,
    "stats": stats_command,
    "export": export_command,
    "failures": failures_command,
    "demo": demo_command,
}


def _write_export(articles: Iterator[dict], format: ExportFormat, handle) -> int:
    count = 0
    if format is ExportFormat.csv:
        writer = csv.DictWriter(handle, fieldnames=EXPORT_FIELDS, extrasaction="ignore")
        writer.writeheader()
        for article in articles:
            row = dict(article)
            row["body"] = "\n".join(article["body"])
            row["categories"] = "|".join(article["categories"])
            writer.writerow(row)
            count += 1
        return count
    for article in articles:
        handle.write(json.dumps({k: article.get(k) for k in EXPORT_FIELDS}, ensure_ascii=False) + "\n")
        count += 1
    return count
