"""The crawl: due feeds -> new article URLs queued in the database -> pages fetched -> ingest.

A round (`crawl_once`) has two phases.
1. Every crawled outlet's feeds and sitemaps that are due are fetched (conditionally: an unchanged feed
   answers 304 and costs nothing more); the article URLs they list that were never seen are queued.
2. The queue is worked through, one worker per host (so each host gets its delay while the others go
   on). Fetched pages are handed in batches to `marsad.ingest.ingest_pages`, which extracts, stores, links
   and indexes them; only then are their queue rows marked done, in the ingest thread's own connection.

The queue is the state: a crawl killed at any point leaves unfinished URLs queued, and the next round
takes them up; pages that were ingested but not yet marked done are fetched again and ingest finds them
unchanged. A failed fetch is retried in a later round (transient errors) or given up with its reason kept.

A round asked to stop (`stop`) takes no new URL from the queue: the fetches under way finish, their pages
are ingested and marked done, and the rest stays queued. Each round is recorded (store.rounds) with its
outcome: ok, stopped or failed.
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
import time
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import partial
from urllib.parse import urlsplit

from marsad.ingest import ingest_pages
from marsad.models import Page, SourceFailure, canonical_url
from marsad.sources.feeds import FeedError, parse_feed
from marsad.sources.http.fetcher import FetchConfig, Fetcher, FetchResult
from marsad.sources.http.safety import Resolver, SafeNetworkBackend, system_resolver
from marsad.sources.sitemaps import is_sitemap, parse_sitemap
from marsad.store import crawl as crawl_store
from marsad.store import rounds as round_store
from marsad.store.articles import add_failure
from marsad.store.db import Store

log = logging.getLogger(__name__)

MAX_CHILD_SITEMAPS = 5


@dataclass(frozen=True)
class CrawlSettings:
    fetch: FetchConfig = field(default_factory=FetchConfig)
    feed_interval: timedelta = timedelta(minutes=10)  # how often a feed is checked
    max_feed_backoff: timedelta = timedelta(hours=24)  # a failing feed is checked less and less often
    batch_size: int = 50  # pages per ingest batch
    flush_seconds: float = 5.0  # a smaller batch goes to ingest when it has waited this long
    select_size: int = 1000  # queue rows taken per pass
    max_hosts: int = 16  # hosts fetched at once
    max_attempts: int = 3  # fetches of one URL before it is given up
    retry_delay: timedelta = timedelta(minutes=15)  # wait before a failed page is tried again
    max_pages: int | None = None  # stop a round after this many page fetches
    link: bool = True
    index: bool = True


@dataclass
class CrawlReport:
    feeds_checked: int = 0
    feeds_unchanged: int = 0
    feeds_failed: int = 0
    urls_queued: int = 0
    pages_fetched: int = 0
    pages_failed: int = 0
    pages_retry: int = 0
    articles_new: int = 0
    articles_updated: int = 0
    articles_unchanged: int = 0
    extract_failed: int = 0
    requests: int = 0
    seconds: float = 0.0
    seconds_ingest: float = 0.0  # spent in ingest (extract, store, link, index), beside fetching
    seconds_linking: float = 0.0  # of which linking
    seconds_indexing: float = 0.0  # of which indexing
    errors: list[str] = field(default_factory=list)
    pages_received: int = 0  # page fetches ended this round (counted above once their batch is stored)
    stage: str = ""  # what the round is doing now, for progress displays ("" once it has ended)

    def note(self, error: str) -> None:
        if len(self.errors) < 200:
            self.errors.append(error)


ProgressFunction = Callable[[CrawlReport], None]
StopFunction = Callable[[], bool]  # true once the round is to stop at its next safe point


def crawl_once(
    store: Store,
    settings: CrawlSettings | None = None,
    *,
    resolver: Resolver = system_resolver,
    backend: SafeNetworkBackend | None = None,
    on_progress: ProgressFunction | None = None,
    stop: StopFunction | None = None,
) -> CrawlReport:
    """One round: check due feeds, queue new URLs, fetch and ingest everything queued (or, once `stop()`
    is true, what was fetched so far). The round is recorded with its outcome."""
    settings = settings or CrawlSettings()
    stop = stop or _never
    round_id = round_store.start(store)
    report = CrawlReport()
    try:
        asyncio.run(_round(store, settings, resolver, backend, on_progress, stop, report))
    except BaseException as error:
        outcome = "stopped" if isinstance(error, KeyboardInterrupt) else "failed"
        reason = "interrupted" if outcome == "stopped" else f"{type(error).__name__}: {error}"
        round_store.finish(store, round_id, outcome, _counts(report), reason)
        raise
    round_store.finish(store, round_id, "stopped" if stop() else "ok", _counts(report))
    return report


def _never() -> bool:
    return False


def _counts(report: CrawlReport) -> dict[str, int]:
    return {name: getattr(report, name) for name in round_store.COUNTS}


def crawl_every(
    store: Store,
    interval: timedelta,
    settings: CrawlSettings | None = None,
    *,
    rounds: int | None = None,
    on_round: Callable[[CrawlReport], None] | None = None,
    on_progress: ProgressFunction | None = None,
) -> None:
    """Rounds every `interval` (measured start to start) until interrupted or `rounds` are done.

    A round that fails (a locked or full database, a bug) is logged and the next one still comes: the
    queue keeps whatever it did not finish."""
    done = 0
    while rounds is None or done < rounds:
        started = time.monotonic()
        try:
            report = crawl_once(store, settings, on_progress=on_progress)
        except Exception:
            log.exception("crawl round failed; the next round resumes from the queue")
            report = None
        done += 1
        if on_round is not None and report is not None:
            on_round(report)
        if rounds is not None and done >= rounds:
            break
        time.sleep(max(0.0, interval.total_seconds() - (time.monotonic() - started)))


async def _round(
    store: Store,
    settings: CrawlSettings,
    resolver: Resolver,
    backend: SafeNetworkBackend | None,
    on_progress: ProgressFunction | None,
    stop: StopFunction,
    report: CrawlReport,
) -> None:
    started = time.perf_counter()
    robots = crawl_store.RobotsTable(store)
    try:
        async with Fetcher(
            settings.fetch, resolver=resolver, backend=backend, robots_cache=robots
        ) as fetcher:
            if not stop():
                await check_feeds(store, fetcher, settings, report, on_progress)
            if on_progress:
                on_progress(report)
            if not stop():
                await fetch_queue(store, fetcher, settings, report, on_progress, stop)
            report.requests = fetcher.requests
    finally:
        report.seconds = time.perf_counter() - started


def _tell(report: CrawlReport, on_progress: ProgressFunction | None, stage: str) -> None:
    report.stage = stage
    if on_progress:
        on_progress(report)


# --- phase 1: feeds --------------------------------------------------------------------------------------


async def check_feeds(
    store: Store,
    fetcher: Fetcher,
    settings: CrawlSettings,
    report: CrawlReport,
    on_progress: ProgressFunction | None = None,
) -> None:
    crawl_store.reschedule_feeds(store, partial(feed_wait, settings))  # this round's interval, not the last's
    feeds = crawl_store.due_feeds(store)
    if feeds:
        _tell(report, on_progress, f"checking {len(feeds)} feeds and sitemaps (and their sites' robots.txt)")
    results = await asyncio.gather(
        *(
            fetcher.fetch(f["url"], kind="feed", etag=f["etag"], last_modified=f["last_modified"])
            for f in feeds
        )
    )
    for feed, result in zip(feeds, results, strict=True):
        urls: list[str] = []
        error = result.error
        if result.ok:
            try:
                urls, error = await _feed_links(fetcher, feed, result)
            except Exception as crash:  # a parser bug must not stop the other feeds
                log.exception("reading %s crashed", feed["url"])
                error = f"reading the feed crashed: {type(crash).__name__}: {crash}"
        report.feeds_checked += 1
        report.feeds_unchanged += result.not_modified
        if error:
            report.feeds_failed += 1
            report.note(f"{feed['url']}: {error}")
        _record_feed(store, settings, feed, result, error)
        if urls:
            report.urls_queued += crawl_store.enqueue(store, feed["source_id"], urls, feed["url"])
    report.stage = ""


async def _feed_links(
    fetcher: Fetcher, feed: sqlite3.Row, result: FetchResult
) -> tuple[list[str], str | None]:
    """Article URLs a feed or sitemap lists, and the reason when it could not be read (fully)."""
    if feed["kind"] == "sitemap" or is_sitemap(result.content):
        sitemap = parse_sitemap(result.content)
        urls = list(sitemap.urls)
        for child in sitemap.children[-MAX_CHILD_SITEMAPS:]:  # an index lists its newest sitemaps last
            got = await fetcher.fetch(child, kind="feed")
            if got.ok:
                urls += parse_sitemap(got.content).urls
        if not urls and not sitemap.children:
            return [], "the sitemap lists no pages (or is not a sitemap)"
        return _page_urls(urls), None
    try:
        parsed = parse_feed(result.content, result.final_url)
    except FeedError as unreadable:
        return [], str(unreadable)
    error = f"the feed's XML is broken ({parsed.error})" if parsed.error else None
    return _page_urls(entry.url for entry in parsed.entries), error


def _page_urls(urls: Iterable[str]) -> list[str]:
    """The http(s) URLs among `urls`, canonicalised; malformed ones are left out."""
    out: list[str] = []
    for url in urls:
        try:
            if urlsplit(url).scheme in ("http", "https"):
                out.append(canonical_url(url))
        except ValueError:
            log.info("skipping malformed URL %r", url)
    return out


def feed_wait(settings: CrawlSettings, errors: int) -> timedelta:
    """How long after a check a feed is checked again: the interval, doubled for each failed check in a row,
    up to the longest backoff."""
    wait = settings.feed_interval * (2 ** min(errors, 10))
    return min(wait, max(settings.max_feed_backoff, settings.feed_interval))


def _record_feed(
    store: Store, settings: CrawlSettings, feed: sqlite3.Row, result: FetchResult, error: str | None
) -> None:
    errors = feed["consecutive_errors"] + 1 if error else 0
    now = datetime.now(UTC)
    crawl_store.record_feed_check(
        store,
        feed["id"],
        status=result.status,
        etag=result.etag,
        last_modified=result.last_modified,
        error=error,
        next_due=now + feed_wait(settings, errors),
        checked_at=now,
    )
    with store.transaction() as conn:
        crawl_store.record_health(conn, feed["source_id"], ok=error is None, error=error)
        if error and not result.blocked:  # kept with its input, like any page that cannot be read
            stage = "read" if result.ok else "fetch"
            add_failure(conn, SourceFailure(feed["url"], feed["url"], stage, error, result.content or None))


# --- phase 2: the queue ------------------------------------------------------------------------------------


async def fetch_queue(
    store: Store,
    fetcher: Fetcher,
    settings: CrawlSettings,
    report: CrawlReport,
    on_progress: ProgressFunction | None = None,
    stop: StopFunction = _never,
) -> None:
    """Fetch queued pages host by host while a second connection ingests finished batches (until the queue
    is empty or `stop()`: then the pages fetched are still ingested)."""
    names = {r["id"]: r["name"] for r in crawl_store.crawled_outlets(store)}
    fetched: asyncio.Queue = asyncio.Queue(maxsize=settings.batch_size * 4)
    consumer = asyncio.create_task(
        _ingest_batches(store.target, names, fetched, settings, report, on_progress)
    )
    producer = asyncio.create_task(_produce(store, fetcher, settings, fetched, stop))
    await asyncio.wait({producer, consumer}, return_when=asyncio.FIRST_COMPLETED)
    if consumer.done():  # ingest stopped early (an error): stop fetching for it
        producer.cancel()
        await asyncio.gather(producer, return_exceptions=True)
        await consumer  # raises ingest's error
        return
    try:
        await producer
    finally:
        await fetched.put(None)
        await consumer


async def _produce(
    store: Store, fetcher: Fetcher, settings: CrawlSettings, out: asyncio.Queue, stop: StopFunction
) -> None:
    hosts = asyncio.Semaphore(settings.max_hosts)
    budget = settings.max_pages
    taken: set[int] = set()  # rows of this round, some still on their way to ingest
    while (budget is None or budget > 0) and not stop():
        limit = settings.select_size if budget is None else min(budget, settings.select_size)
        rows = crawl_store.queued(store, limit, skip=taken)
        if not rows:
            return
        taken.update(r["id"] for r in rows)
        if budget is not None:
            budget -= len(rows)
        lanes: dict[str, list] = defaultdict(list)
        for row in rows:
            lanes[urlsplit(row["url"]).netloc.lower()].append(row)
        workers = []
        for host_rows in lanes.values():
            for lane in range(settings.fetch.per_host):
                rows_of_lane = host_rows[lane :: settings.fetch.per_host]
                workers.append(_host_worker(fetcher, rows_of_lane, out, hosts, stop))
        await asyncio.gather(*workers)


async def _host_worker(
    fetcher: Fetcher, rows: list, out: asyncio.Queue, hosts: asyncio.Semaphore, stop: StopFunction
) -> None:
    if not rows:
        return
    async with hosts:
        for row in rows:
            if stop():  # a safe point: this row stays queued for the next round
                return
            try:
                result = await fetcher.fetch(row["url"], kind="page")
            except Exception as error:  # a bug on one URL must not stop its host or the round
                log.exception("fetching %s crashed", row["url"])
                result = FetchResult(
                    row["url"], row["url"], error=f"fetch crashed: {type(error).__name__}: {error}"
                )
            await out.put((row, result))


async def _ingest_batches(
    db_path,
    names: dict[int, str],
    fetched: asyncio.Queue,
    settings: CrawlSettings,
    report: CrawlReport,
    on_progress: ProgressFunction | None,
) -> None:
    ingest_store = await asyncio.to_thread(Store, db_path)
    loop = asyncio.get_running_loop()
    batch: list[tuple] = []
    first = shown = 0.0
    _tell(report, on_progress, "fetching the queued pages")
    try:
        while True:
            wait = None if not batch else max(0.0, first + settings.flush_seconds - loop.time())
            try:
                item = await asyncio.wait_for(fetched.get(), wait)
            except TimeoutError:
                item = "flush"
            if isinstance(item, tuple):
                first = first if batch else loop.time()
                batch.append(item)
                report.pages_received += 1
                if loop.time() - shown > 0.2:  # a page at a time, but not a redraw for each
                    _tell(
                        report, on_progress, f"fetching the queued pages, {len(batch)} waiting to be stored"
                    )
                    shown = loop.time()
            if batch and (item is None or item == "flush" or len(batch) >= settings.batch_size):
                _tell(report, on_progress, f"storing {len(batch)} pages (extracting, linking, indexing)")
                await asyncio.to_thread(_ingest_batch, ingest_store, names, batch, settings, report)
                batch = []
                _tell(report, on_progress, "fetching the queued pages")
            if item is None:
                return
    finally:
        ingest_store.close()
        _tell(report, on_progress, "")  # the round's pages are all stored (or ingest failed)


def _ingest_batch(
    store: Store, names: dict[int, str], batch: list[tuple], settings, report: CrawlReport
) -> None:
    """Hand one batch to ingest, then mark its queue rows: done, to retry, or failed for good."""
    started = time.perf_counter()
    items: list[Page | SourceFailure] = []
    done: list[tuple[int, int | None, str | None, str | None]] = []
    health: dict[int, list[str | None]] = defaultdict(list)
    for row, result in batch:
        if result.not_modified:  # only when a server answers 304 unasked: nothing new to ingest
            done.append((row["id"], result.status, row["etag"], row["last_modified"]))
            continue
        if result.ok:
            items.append(_page(row, result, names.get(row["source_id"])))
            done.append((row["id"], result.status, result.etag, result.last_modified))
            health[row["source_id"]].append(None)
            continue
        result.error = result.error or f"HTTP {result.status} from {result.final_url}"
        if not result.blocked:
            health[row["source_id"]].append(result.error)
        final = result.blocked or not _transient(result) or row["attempts"] + 1 >= settings.max_attempts
        retry_at = None if final else datetime.now(UTC) + settings.retry_delay
        crawl_store.mark_failed(store, row["id"], status=result.status, error=result.error, retry_at=retry_at)
        report.note(f"{row['url']}: {result.error}")
        if not final:
            report.pages_retry += 1
            continue
        report.pages_failed += 1
        if not result.blocked:  # a robots.txt refusal is our choice, not a failure of the input
            items.append(SourceFailure(row["found_in"] or row["url"], row["url"], "fetch", result.error))
    if items:
        ingest = ingest_pages(store, items, link=settings.link, index=settings.index, batch_size=len(items))
        report.articles_new += ingest.new
        report.articles_updated += ingest.updated
        report.articles_unchanged += ingest.unchanged
        report.seconds_linking += ingest.seconds_linking
        report.seconds_indexing += ingest.seconds_indexing
        report.extract_failed += sum(1 for f in ingest.failures if f.stage != "fetch")
    report.pages_fetched += len(done)
    with store.transaction() as conn:
        crawl_store.mark_done(conn, done)
        for source_id, errors in health.items():
            pages = sum(1 for e in errors if e is None)
            if pages:
                crawl_store.record_health(conn, source_id, ok=True, pages=pages)
            for error in filter(None, errors):
                crawl_store.record_health(conn, source_id, ok=False, error=error)
    report.seconds_ingest += time.perf_counter() - started


def _transient(result: FetchResult) -> bool:
    return result.transient or (result.status is not None and (result.status >= 500 or result.status == 429))


def _page(row, result: FetchResult, outlet: str | None) -> Page:
    return Page(
        url=result.final_url,
        kind="html",
        content=result.content,
        content_type=result.content_type,
        encoding=result.encoding,
        fetched_at=result.fetched_at,
        origin=row["url"],
        outlet_hint=outlet,
    )
