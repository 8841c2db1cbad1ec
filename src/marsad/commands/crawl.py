"""`marsad sources ...` (outlets to crawl) and `marsad crawl` (fetch their news)."""

from __future__ import annotations

import asyncio
import re
import sqlite3
from datetime import timedelta
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from marsad.commands.common import AllowNetwork, AllowPrivate, DbOption, address_policy, open_store
from marsad.crawl.outlets import OutletError, add_outlet, export_opml, import_opml
from marsad.crawl.rounds import CrawlReport, CrawlSettings, crawl_every, crawl_once
from marsad.sources.http.fetcher import FetchConfig, Fetcher
from marsad.store import crawl as crawl_store

console = Console(stderr=True)
out = Console()

OnlyAllowed = Annotated[
    bool,
    typer.Option("--only-allowed", help="Contact nothing but the --allow networks (no public addresses)."),
]
Delay = Annotated[float, typer.Option("--delay", help="Seconds between requests to one host.")]
PerHost = Annotated[int, typer.Option("--per-host", help="Requests in flight per host.")]
Timeout = Annotated[float, typer.Option("--timeout", help="Seconds allowed for one whole request.")]


def parse_interval(text: str) -> timedelta:
    """ "10m", "90s", "2h", "1d" or plain seconds."""
    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([smhd]?)\s*", text)
    if not match:
        raise typer.BadParameter(f"not an interval: {text!r} (use 90s, 10m, 2h or 1d)")
    value, unit = float(match.group(1)), match.group(2) or "s"
    return timedelta(seconds=value * {"s": 1, "m": 60, "h": 3600, "d": 86400}[unit])


def fetch_config(
    allow_private: bool,
    allow: list[str] | None,
    delay: float = 2.0,
    per_host: int = 1,
    timeout: float = 60.0,
    only_allowed: bool = False,
) -> FetchConfig:
    if only_allowed and not allow:
        raise typer.BadParameter("--only-allowed needs at least one --allow network")
    policy = address_policy(allow_private, allow, only_allowed)
    if delay < 0 or per_host < 1 or timeout <= 0:
        raise typer.BadParameter("--delay must be >= 0, --per-host >= 1 and --timeout > 0")
    return FetchConfig(
        delay=delay, per_host=per_host, total_timeout=timeout, read_timeout=min(20.0, timeout), policy=policy
    )


def register(app: typer.Typer) -> None:
    """Add `sources` and `crawl` to the main app."""
    sources = typer.Typer(
        help="Outlets to crawl: add, list, remove, import and export.", no_args_is_help=True
    )
    app.add_typer(sources, name="sources")

    @sources.command("add")
    def sources_add(
        url: Annotated[str, typer.Argument(help="The outlet's home page (or a feed / news sitemap URL).")],
        name: Annotated[str | None, typer.Option("--name", help="The outlet's name as shown.")] = None,
        feed: Annotated[
            list[str] | None,
            typer.Option("--feed", help="A feed or sitemap URL; skips discovery (repeatable)."),
        ] = None,
        db: DbOption = None,
        allow_private: AllowPrivate = False,
        allow: AllowNetwork = None,
        only_allowed: OnlyAllowed = False,
    ) -> None:
        """Add an outlet; its feeds are discovered from the home page and robots.txt unless given."""
        config = fetch_config(allow_private, allow, delay=0.0, timeout=30.0, only_allowed=only_allowed)

        async def run():
            async with Fetcher(config) as fetcher:
                return await add_outlet(store, fetcher, url, name=name, feeds=feed)

        with open_store(db) as store:
            try:
                added = asyncio.run(run())
            except OutletError as error:
                console.print(f"[red]error:[/] {error}")
                raise typer.Exit(1) from None
        out.print(f"added [bold]{added.name}[/] ({added.key}), outlet {added.id}")
        for feed_url, kind in added.feeds:
            out.print(f"  {kind}: {feed_url}")

    @sources.command("list")
    def sources_list(db: DbOption = None) -> None:
        """Crawled outlets with their feeds, queue and health."""
        with open_store(db) as store:
            rows = crawl_store.outlet_status(store)
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
            table.add_column(
                column, justify="right" if column in ("id", "queued", "done", "failed") else "left"
            )
        for r in rows:
            errors = str(r.errors) + (f" (last: {r.last_error})" if r.last_error else "")
            table.add_row(
                str(r.id), f"{r.name}\n{r.key}", "\n".join(r.feeds), str(r.queued), str(r.done), str(r.failed),
                r.last_success or "never", errors, f"{r.articles_per_day:g}",
            )  # fmt: skip
        out.print(table)

    @sources.command("remove")
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

    @sources.command("import")
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

    @sources.command("export")
    def sources_export(db: DbOption = None) -> None:
        """Print every crawled outlet's feeds as OPML."""
        with open_store(db) as store:
            print(export_opml(store), end="")

    @app.command("crawl")
    def crawl(
        once: Annotated[bool, typer.Option("--once", help="One round, then stop (the default).")] = False,
        every: Annotated[str | None, typer.Option("--every", help="Repeat, e.g. 10m, until stopped.")] = None,
        db: DbOption = None,
        allow_private: AllowPrivate = False,
        allow: AllowNetwork = None,
        only_allowed: OnlyAllowed = False,
        delay: Delay = 2.0,
        per_host: PerHost = 1,
        timeout: Timeout = 60.0,
        feed_interval: Annotated[
            str, typer.Option("--feed-interval", help="How often each feed is checked.")
        ] = "10m",
        max_pages: Annotated[
            int | None, typer.Option("--max-pages", help="Stop a round after N pages.")
        ] = None,
        batch_size: Annotated[int, typer.Option("--batch-size", help="Pages per ingest batch.", min=1)] = 50,
    ) -> None:
        """Check due feeds, queue new article URLs, fetch and ingest them (resumes an interrupted crawl)."""
        if once and every:
            raise typer.BadParameter("give --once or --every, not both")
        settings = CrawlSettings(
            fetch=fetch_config(allow_private, allow, delay, per_host, timeout, only_allowed),
            feed_interval=parse_interval(feed_interval),
            max_pages=max_pages,
            batch_size=batch_size,
        )
        with open_store(db) as store:
            try:
                if every:
                    crawl_every(store, parse_interval(every), settings, on_round=_print_report)
                else:
                    _print_report(_with_progress(store, settings))
            except KeyboardInterrupt:
                console.print("stopped; the queue keeps what is left for the next crawl")
                raise typer.Exit(130) from None
            except sqlite3.DatabaseError as error:
                console.print(f"[red]error:[/] the database cannot be used: {error}")
                raise typer.Exit(1) from None


def _with_progress(store, settings: CrawlSettings) -> CrawlReport:
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    with Progress(
        TextColumn("crawl"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), console=console
    ) as bar:
        task = bar.add_task("pages", total=None)

        def update(report: CrawlReport) -> None:
            left = crawl_store.queue_counts(store).get("queued", 0)
            done = report.pages_fetched + report.pages_failed + report.pages_retry
            bar.update(task, completed=done, total=done + left)

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
