"""`marsad sources ...` (outlets to crawl) and `marsad crawl` (fetch their news)."""

from __future__ import annotations

import asyncio
import sqlite3
from dataclasses import replace
from datetime import timedelta
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from marsad import settings
from marsad.commands.common import (
    AllowNetwork,
    AllowPrivate,
    DbOption,
    OnlyAllowed,
    address_policy,
    group,
    load_settings,
    open_store,
    option,
)
from marsad.crawl.outlets import OutletError, add_outlet, export_opml, fetch_config, import_opml
from marsad.crawl.rounds import CrawlReport, CrawlSettings, crawl_every, crawl_once
from marsad.settings import Settings
from marsad.sources.http.fetcher import Fetcher
from marsad.sources.http.safety import AddressPolicy
from marsad.store import crawl as crawl_store

console = Console(stderr=True)
out = Console()

Delay = Annotated[float | None, option("crawl_delay")]
PerHost = Annotated[int | None, option("crawl_per_host")]
Timeout = Annotated[float | None, option("crawl_timeout")]
MaxBytes = Annotated[int | None, option("crawl_max_bytes")]
UserAgent = Annotated[str | None, option("user_agent")]


def parse_interval(text: str) -> timedelta:
    """ "10m", "90s", "2h", "1d" or plain seconds (`marsad.settings.parse_interval`), else a usage error."""
    try:
        return settings.parse_interval(text)
    except ValueError as error:
        raise typer.BadParameter(str(error)) from None


def sources_add(
    url: Annotated[str, typer.Argument(help="The outlet's home page (or a feed / news sitemap URL).")],
    name: Annotated[str | None, typer.Option("--name", help="The outlet's name as shown.")] = None,
    feed: Annotated[
        list[str] | None,
        typer.Option("--feed", help="A feed or sitemap URL; skips discovery (repeatable)."),
    ] = None,
    db: DbOption = None,
    allow_private: AllowPrivate = None,
    allow: AllowNetwork = None,
    only_allowed: OnlyAllowed = None,
) -> None:
    """Add an outlet; its feeds are discovered from the home page and robots.txt unless given."""
    policy = address_policy(allow_private, allow, only_allowed)
    values = load_settings()
    config = replace(fetch_config(values, policy), delay=0.0)  # discovery: a few requests, one after another

    async def run():
        async with Fetcher(config) as fetcher:
            return await add_outlet(store, fetcher, url, name=name, feeds=feed)

    doing = "adding its feeds" if feed else "looking for its feeds (home page, robots.txt, sitemaps)"
    with open_store(db) as store, console.status(f"{url}: {doing}…"):
        try:
            added = asyncio.run(run())
        except OutletError as error:
            console.print(f"[red]error:[/] {error}")
            raise typer.Exit(1) from None
    out.print(f"added [bold]{added.name}[/] ({added.key}), outlet {added.id}")
    for feed_url, kind in added.feeds:
        out.print(f"  {kind}: {feed_url}")


def sources_list(db: DbOption = None) -> None:
    """Crawled outlets with their feeds, queue and health."""
    with open_store(db) as store:
        rows = crawl_store.outlet_status(store, paused=True)
    if not rows:
        out.print("no outlets yet: add one with `marsad sources add URL`")
        return
    table = Table(title="Outlets")
    for column in (
        "id",
        "outlet",
        "feeds",
        "queued",
        "done",
        "failed",
        "last success",
        "errors",
        "articles/day",
    ):
        table.add_column(column, justify="right" if column in ("id", "queued", "done", "failed") else "left")
    for r in rows:
        errors = str(r.errors) + (f" (last: {r.last_error})" if r.last_error else "")
        table.add_row(
            str(r.id), f"{r.name}\n{r.key}" + ("\n(paused)" if r.paused else ""), "\n".join(r.feeds), str(r.queued), str(r.done), str(r.failed),
            r.last_success or "never", errors, f"{r.articles_per_day:g}",
        )  # fmt: skip
    out.print(table)


def _pause(outlet: str, db: Path | None, paused: bool) -> None:
    with open_store(db) as store:
        row = crawl_store.find_outlet(store, outlet)
        if row is None or not crawl_store.set_paused(store, row["id"], paused):
            console.print(f"[red]error:[/] no crawled outlet {outlet!r}")
            raise typer.Exit(1)
    out.print(f"{'paused' if paused else 'resumed'} {row['name']} ({row['key']})")


def sources_pause(
    outlet: Annotated[str, typer.Argument(help="Outlet id, key (host), home URL or feed URL.")],
    db: DbOption = None,
) -> None:
    """Stop crawling an outlet for now: its feeds, queue and health are kept for `sources resume`."""
    _pause(outlet, db, True)


def sources_resume(
    outlet: Annotated[str, typer.Argument(help="Outlet id, key (host), home URL or feed URL.")],
    db: DbOption = None,
) -> None:
    """Crawl a paused outlet again."""
    _pause(outlet, db, False)


def sources_remove(
    outlet: Annotated[str, typer.Argument(help="Outlet id, key (host), home URL or feed URL.")],
    db: DbOption = None,
) -> None:
    """Stop crawling an outlet (its articles stay)."""
    with open_store(db) as store:
        row = crawl_store.find_outlet(store, outlet)
        if row is None:
            console.print(f"[red]error:[/] no outlet {outlet!r}")
            raise typer.Exit(1)
        outcome = crawl_store.remove_outlet(store, row["id"])
    if outcome == "deleted":
        out.print(f"removed {row['name']} ({row['key']})")
    else:
        out.print(f"stopped crawling {row['name']} ({row['key']}); its articles are kept")


def sources_import(
    path: Annotated[Path, typer.Argument(help="An OPML file of feeds.")], db: DbOption = None
) -> None:
    """Add every feed of an OPML file (grouped into outlets by home page)."""
    with open_store(db) as store:
        try:
            added = import_opml(store, path)
        except OutletError as error:
            console.print(f"[red]error:[/] {error}")
            raise typer.Exit(1) from None
    out.print(f"imported {sum(len(a.feeds) for a in added)} feeds of {len(added)} outlets")


def sources_export(db: DbOption = None) -> None:
    """Print every crawled outlet's feeds as OPML."""
    with open_store(db) as store:
        print(export_opml(store), end="")


def crawl_settings(
    policy: AddressPolicy,
    *,
    delay: float | None,
    per_host: int | None,
    timeout: float | None,
    max_bytes: int | None,
    user_agent: str | None,
    feed_interval: str | None,
    batch_size: int | None,
    max_pages: int | None = None,
    **other: Any,
) -> tuple[CrawlSettings, Settings]:
    """A crawl round's settings from the crawl options (`marsad crawl`, `marsad run`), with every setting
    resolved (`other`: the caller's own, resolved with them)."""
    values = load_settings(
        crawl_delay=delay,
        crawl_per_host=per_host,
        crawl_timeout=timeout,
        crawl_max_bytes=max_bytes,
        user_agent=user_agent,
        feed_interval=None if feed_interval is None else parse_interval(feed_interval),
        crawl_batch_size=batch_size,
        **other,
    )
    fetch = fetch_config(values, policy)
    crawl = CrawlSettings(
        fetch=fetch,
        feed_interval=values.feed_interval,
        max_pages=max_pages,
        batch_size=values.crawl_batch_size,
    )
    return crawl, values


def crawl(
    once: Annotated[bool, typer.Option("--once", help="One round, then stop (the default).")] = False,
    every: Annotated[str | None, typer.Option("--every", help="Repeat, e.g. 10m, until stopped.")] = None,
    db: DbOption = None,
    allow_private: AllowPrivate = None,
    allow: AllowNetwork = None,
    only_allowed: OnlyAllowed = None,
    delay: Delay = None,
    per_host: PerHost = None,
    timeout: Timeout = None,
    max_bytes: MaxBytes = None,
    user_agent: UserAgent = None,
    feed_interval: Annotated[str | None, option("feed_interval")] = None,
    max_pages: Annotated[int | None, typer.Option("--max-pages", help="Stop a round after N pages.")] = None,
    batch_size: Annotated[int | None, option("crawl_batch_size")] = None,
) -> None:
    """Check due feeds, queue new article URLs, fetch and ingest them (resumes an interrupted crawl)."""
    if once and every:
        raise typer.BadParameter("give --once or --every, not both")
    round_settings, _ = crawl_settings(
        address_policy(allow_private, allow, only_allowed),
        delay=delay,
        per_host=per_host,
        timeout=timeout,
        max_bytes=max_bytes,
        user_agent=user_agent,
        feed_interval=feed_interval,
        batch_size=batch_size,
        max_pages=max_pages,
    )
    with open_store(db) as store:
        try:
            if every:
                crawl_every(store, parse_interval(every), round_settings, on_round=_print_report)
            else:
                _print_report(_with_progress(store, round_settings))
        except KeyboardInterrupt:
            console.print("stopped; the queue keeps what is left for the next crawl")
            raise typer.Exit(130) from None
        except sqlite3.DatabaseError as error:
            console.print(f"[red]error:[/] the database cannot be used: {error}")
            raise typer.Exit(1) from None


COMMANDS = {
    "sources": group(
        "Outlets to crawl: add, list, pause, resume, remove, import and export.",
        {
            "add": sources_add,
            "list": sources_list,
            "pause": sources_pause,
            "resume": sources_resume,
            "remove": sources_remove,
            "import": sources_import,
            "export": sources_export,
        },
    ),
    "crawl": crawl,
}


def _with_progress(store, settings: CrawlSettings) -> CrawlReport:
    """One round under a progress bar: pages fetched of pages queued, and beside the spinner what the round
    is doing (checking feeds, fetching, storing a batch) while the count does not move."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from marsad.ingest.progress import StageSpinner

    with Progress(
        StageSpinner(),
        TextColumn("[bold]crawl"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[stage]}"),
        TimeElapsedColumn(),
        console=console,
    ) as bar:
        task = bar.add_task("pages", total=None, stage="")

        def update(report: CrawlReport) -> None:
            # queued rows include the pages fetched but not yet stored, and those to retry later
            left = crawl_store.queue_counts(store).get("queued", 0) - report.pages_retry
            stored = report.pages_fetched + report.pages_failed
            total = max(stored + left, report.pages_received) or None
            stage = f"{report.stage}…" if report.stage else ""
            bar.update(task, completed=report.pages_received, total=total, stage=stage)

        return crawl_once(store, settings, on_progress=update)


def _print_report(report: CrawlReport) -> None:
    table = Table(title="Crawl summary")
    table.add_column("what")
    table.add_column("count", justify="right")
    for label, value in (
        ("feeds checked", report.feeds_checked),
        ("feeds unchanged (304)", report.feeds_unchanged),
        ("feeds failed", report.feeds_failed),
        ("new URLs queued", report.urls_queued),
        ("pages fetched", report.pages_fetched),
        ("pages to retry later", report.pages_retry),
        ("pages failed", report.pages_failed),
        ("articles new", report.articles_new),
        ("articles updated", report.articles_updated),
        ("articles unchanged", report.articles_unchanged),
        ("pages without an article", report.extract_failed),
        ("HTTP requests", report.requests),
    ):
        table.add_row(label, str(value))
    table.add_row("seconds", f"{report.seconds:.1f}")
    out.print(table)
    for error in report.errors[:20]:
        console.print(f"  [yellow]{error}[/]")
