"""Crawl SQL: crawled outlets and their feeds, the URL queue, fetch validators and outlet health.

Times are ISO 8601 UTC strings ("2026-03-02T09:00:00Z"), which sort as they compare.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from marsad.store.db import Store
from marsad.store.sql import inserted_id

HEALTH_WINDOW_DAYS = 7
# source.crawl: 0 not crawled, CRAWLED, or PAUSED (its feeds, queue and health kept, nothing fetched; the
# rounds take `crawl = 1` only)
CRAWLED, PAUSED = 1, 2


ISO_FORMAT = "%Y-%m-%dT%H:%M:%SZ"


def iso(moment: datetime | None = None) -> str:
    return (moment or datetime.now(UTC)).astimezone(UTC).strftime(ISO_FORMAT)


@dataclass
class OutletStatus:
    """One crawled outlet as `marsad sources list` shows it."""

    id: int
    key: str
    name: str
    home_url: str | None
    feeds: list[str]
    queued: int
    done: int
    failed: int
    last_success: str | None
    last_error: str | None
    last_error_at: str | None
    errors: int
    articles_per_day: float
    paused: bool = False


# --- outlets ---------------------------------------------------------------------------------------------


def add_outlet(
    store: Store, key: str, name: str, home_url: str | None, feeds: Iterable[tuple[str, str]], **extra
) -> int:
    """Create or update the outlet `key`, mark it crawled and add its (url, kind) feeds; returns its id."""
    feeds = list(feeds)
    with store.transaction() as conn:
        row = conn.execute("SELECT id FROM source WHERE key = ?", (key,)).fetchone()
        source_id: int
        if row is None:
            cursor = conn.execute(
                "INSERT INTO source(key, name, name_latin, home_url, country, crawl) VALUES (?, ?, ?, ?, ?, 1)",
                (key, name, extra.get("name_latin"), home_url, extra.get("country")),
            )
            source_id = inserted_id(cursor)
        else:
            source_id = row["id"]
            conn.execute(
                "UPDATE source SET crawl = 1, name = coalesce(?, name), home_url = coalesce(home_url, ?)"
                " WHERE id = ?",
                (name, home_url, source_id),
            )
        for url, kind in feeds:
            conn.execute(
                "INSERT INTO crawl_feed(source_id, url, kind) VALUES (?, ?, ?)"
                " ON CONFLICT(url) DO UPDATE SET source_id = excluded.source_id, kind = excluded.kind",
                (source_id, url, kind),
            )
        _sync_feed_urls(conn, source_id)
    return source_id


def _sync_feed_urls(conn: sqlite3.Connection, source_id: int) -> None:
    urls = [
        r[0] for r in conn.execute("SELECT url FROM crawl_feed WHERE source_id = ? ORDER BY id", (source_id,))
    ]
    conn.execute(
        "UPDATE source SET feed_urls = ? WHERE id = ?", (json.dumps(urls, ensure_ascii=False), source_id)
    )


def find_outlet(store: Store, ref: str) -> sqlite3.Row | None:
    """An outlet by id, key, home URL or one of its feed URLs."""
    row = None
    if ref.isdigit():
        row = store.conn.execute("SELECT * FROM source WHERE id = ?", (int(ref),)).fetchone()
    return (
        row
        or store.conn.execute(
            "SELECT * FROM source WHERE key = ? OR home_url = ? OR id IN (SELECT source_id FROM crawl_feed WHERE url = ?)",
            (ref, ref, ref),
        ).fetchone()
    )


def remove_outlet(store: Store, source_id: int) -> str:
    """Stop crawling an outlet: its feeds and queue go; the outlet row stays while articles point at it.

    Returns "deleted" (no articles: the row went too) or "stopped" (articles kept, crawl switched off).
    """
    with store.transaction() as conn:
        conn.execute("DELETE FROM crawl_queue WHERE source_id = ?", (source_id,))
        conn.execute("DELETE FROM crawl_feed WHERE source_id = ?", (source_id,))
        conn.execute("DELETE FROM crawl_health WHERE source_id = ?", (source_id,))
        used = conn.execute("SELECT 1 FROM article WHERE source_id = ? LIMIT 1", (source_id,)).fetchone()
        if used is None:
            conn.execute("DELETE FROM source WHERE id = ?", (source_id,))
            return "deleted"
        conn.execute("UPDATE source SET crawl = 0, feed_urls = '[]' WHERE id = ?", (source_id,))
        return "stopped"


def crawled_outlets(store: Store) -> list[sqlite3.Row]:
    return store.conn.execute("SELECT * FROM source WHERE crawl = 1 ORDER BY id").fetchall()


def outlet_feeds(store: Store, source_id: int) -> list[sqlite3.Row]:
    return store.conn.execute(
        "SELECT * FROM crawl_feed WHERE source_id = ? ORDER BY id", (source_id,)
    ).fetchall()


def outlet_health(store: Store, source_id: int) -> OutletStatus | None:
    """One outlet's health (for its page in the reader), or None when it is not crawled."""
    return next((s for s in outlet_status(store, only=source_id)), None)


def outlet_status(
    store: Store, now: datetime | None = None, only: int | None = None, *, paused: bool = False
) -> list[OutletStatus]:
    """Every crawled outlet (or just `only`; with `paused`, the paused ones too) with its queue counts and
    health figures."""
    since = iso((now or datetime.now(UTC)) - timedelta(days=HEALTH_WINDOW_DAYS))
    rows = store.conn.execute(
        """
        SELECT s.id, s.key, s.name, s.home_url, s.crawl,
               h.last_success, h.last_error, h.last_error_at, coalesce(h.errors, 0) AS errors,
               (SELECT count(*) FROM crawl_queue q WHERE q.source_id = s.id AND q.state = 'queued') AS queued,
               (SELECT count(*) FROM crawl_queue q WHERE q.source_id = s.id AND q.state = 'done') AS done,
               (SELECT count(*) FROM crawl_queue q WHERE q.source_id = s.id AND q.state = 'failed') AS failed,
               (SELECT count(*) FROM article a WHERE a.source_id = s.id AND a.created_at >= ?) AS recent
        FROM source s LEFT JOIN crawl_health h ON h.source_id = s.id
        WHERE s.crawl IN (1, ?) AND (? IS NULL OR s.id = ?) ORDER BY s.id
        """,
        (since, PAUSED if paused else CRAWLED, only, only),
    ).fetchall()
    return [
        OutletStatus(
            id=r["id"],
            key=r["key"],
            name=r["name"],
            home_url=r["home_url"],
            feeds=[f["url"] for f in outlet_feeds(store, r["id"])],
            queued=r["queued"],
            done=r["done"],
            failed=r["failed"],
            last_success=r["last_success"],
            last_error=r["last_error"],
            last_error_at=r["last_error_at"],
            errors=r["errors"],
            articles_per_day=round(r["recent"] / HEALTH_WINDOW_DAYS, 2),
            paused=r["crawl"] == PAUSED,
        )
        for r in rows
    ]


# --- feeds -------------------------------------------------------------------------------------------------


def due_feeds(store: Store, now: datetime | None = None) -> list[sqlite3.Row]:
    return store.conn.execute(
        "SELECT f.* FROM crawl_feed f JOIN source s ON s.id = f.source_id"
        " WHERE s.crawl = 1 AND f.next_due <= ? ORDER BY f.next_due, f.id",
        (iso(now),),
    ).fetchall()


def reschedule_feeds(store: Store, wait: Callable[[int], timedelta]) -> int:
    """Set every checked feed's next check to its last check plus `wait(its consecutive errors)`, so that
    an interval changed since (`--feed-interval`) applies to feeds already scheduled, sooner or later.
    A feed never checked, or due now (next_due ''), is left alone. Returns how many feeds moved."""
    rows = store.conn.execute(
        "SELECT id, last_checked, consecutive_errors, next_due FROM crawl_feed"
        " WHERE last_checked IS NOT NULL AND next_due != ''"
    ).fetchall()
    moved = []
    for row in rows:
        try:
            checked = datetime.strptime(row["last_checked"], ISO_FORMAT).replace(tzinfo=UTC)
        except ValueError:  # not written by Marsad: keep the schedule it has
            continue
        due = iso(checked + wait(row["consecutive_errors"]))
        if due != row["next_due"]:
            moved.append((due, row["id"]))
    if moved:
        with store.transaction() as conn:
            conn.executemany("UPDATE crawl_feed SET next_due = ? WHERE id = ?", moved)
    return len(moved)


def record_feed_check(
    store: Store,
    feed_id: int,
    *,
    status: int | None,
    etag: str | None,
    last_modified: str | None,
    error: str | None,
    next_due: datetime,
    checked_at: datetime | None = None,
) -> None:
    """Note a feed check (at `checked_at`, now by default); validators are replaced only by a fresh 200
    (a 304 keeps the old ones)."""
    with store.transaction() as conn:
        conn.execute(
            """
            UPDATE crawl_feed SET last_checked = ?, last_status = ?, last_error = ?, next_due = ?,
                   consecutive_errors = CASE WHEN ? IS NULL THEN 0 ELSE consecutive_errors + 1 END,
                   etag = CASE WHEN ? = 200 THEN ? ELSE etag END,
                   last_modified = CASE WHEN ? = 200 THEN ? ELSE last_modified END
            WHERE id = ?
            """,
            (
                iso(checked_at),
                status,
                error,
                iso(next_due),
                error,
                status,
                etag,
                status,
                last_modified,
                feed_id,
            ),
        )


# --- the queue -----------------------------------------------------------------------------------------------


def enqueue(store: Store, source_id: int, urls: Iterable[str], found_in: str) -> int:
    """Queue URLs not seen before; returns how many were new."""
    with store.transaction() as conn:
        before = conn.total_changes
        conn.executemany(
            "INSERT OR IGNORE INTO crawl_queue(url, source_id, found_in) VALUES (?, ?, ?)",
            [(url, source_id, found_in) for url in dict.fromkeys(urls)],
        )
        return conn.total_changes - before


def queued(
    store: Store, limit: int, now: datetime | None = None, skip: set[int] | None = None
) -> list[sqlite3.Row]:
    """Queued URLs due now of outlets still crawled, taken in turn from each outlet (its oldest first),
    so that one big outlet does not hold the others back; ids in `skip` (already taken) are left out."""
    skip = skip or set()
    rows = store.conn.execute(
        """
        SELECT * FROM (
            SELECT q.*, row_number() OVER (PARTITION BY q.source_id ORDER BY q.id) AS turn
            FROM crawl_queue q JOIN source s ON s.id = q.source_id
            WHERE q.state = 'queued' AND q.not_before <= ? AND s.crawl = 1
        ) ORDER BY turn, id LIMIT ?
        """,
        (iso(now), limit + len(skip)),
    ).fetchall()
    return [r for r in rows if r["id"] not in skip][:limit]


def mark_done(
    conn: sqlite3.Connection, fetched: Iterable[tuple[int, int | None, str | None, str | None]]
) -> None:
    """(queue id, status, etag, last-modified) of pages handed to ingest; call inside a transaction."""
    conn.executemany(
        "UPDATE crawl_queue SET state = 'done', fetched_at = ?, status = ?, etag = ?, last_modified = ?,"
        " error = NULL, attempts = attempts + 1 WHERE id = ?",
        [(iso(), status, etag, modified, queue_id) for queue_id, status, etag, modified in fetched],
    )


def mark_failed(
    store: Store, queue_id: int, *, status: int | None, error: str, retry_at: datetime | None
) -> None:
    """A failed fetch: retried after `retry_at`, or given up for good when it is None."""
    retry = iso(retry_at) if retry_at else None
    with store.transaction() as conn:
        conn.execute(
            "UPDATE crawl_queue SET attempts = attempts + 1, status = ?, error = ?, fetched_at = ?,"
            " state = CASE WHEN ? IS NULL THEN 'failed' ELSE 'queued' END, not_before = coalesce(?, not_before)"
            " WHERE id = ?",
            (status, error, iso(), retry, retry, queue_id),
        )


def queue_counts(store: Store) -> dict[str, int]:
    rows = store.conn.execute("SELECT state, count(*) FROM crawl_queue GROUP BY state").fetchall()
    return {state: count for state, count in rows}


# --- health ------------------------------------------------------------------------------------------------------


def record_health(
    conn: sqlite3.Connection, source_id: int, *, ok: bool, error: str | None = None, pages: int = 0
) -> None:
    """Note a success (a feed or page fetched) or an error for an outlet; call inside a transaction."""
    now = iso()
    conn.execute("INSERT OR IGNORE INTO crawl_health(source_id) VALUES (?)", (source_id,))
    if ok:
        conn.execute(
            "UPDATE crawl_health SET last_success = ?, pages = pages + ? WHERE source_id = ?",
            (now, pages, source_id),
        )
    else:
        conn.execute(
            "UPDATE crawl_health SET last_error = ?, last_error_at = ?, errors = errors + 1 WHERE source_id = ?",
            (error, now, source_id),
        )


# --- robots.txt -----------------------------------------------------------------------------------------------


@dataclass
class StoredRobots:
    status: int
    body: str
    etag: str | None
    last_modified: str | None
    fetched_at: datetime


class RobotsTable:
    """robots.txt answers kept in the database between crawls (the fetcher's `robots_cache`)."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def load(self, origin: str) -> StoredRobots | None:
        row = self.store.conn.execute("SELECT * FROM crawl_robots WHERE origin = ?", (origin,)).fetchone()
        if row is None:
            return None
        fetched = datetime.strptime(row["fetched_at"], ISO_FORMAT).replace(tzinfo=UTC)
        return StoredRobots(row["status"], row["body"], row["etag"], row["last_modified"], fetched)

    def save(self, origin: str, **fields) -> None:
        robots = StoredRobots(**fields)
        with self.store.transaction() as conn:
            conn.execute(
                "INSERT INTO crawl_robots(origin, status, body, etag, last_modified, fetched_at)"
                " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(origin) DO UPDATE SET status = excluded.status,"
                " body = excluded.body, etag = excluded.etag, last_modified = excluded.last_modified,"
                " fetched_at = excluded.fetched_at",
                (
                    origin,
                    robots.status,
                    robots.body,
                    robots.etag,
                    robots.last_modified,
                    iso(robots.fetched_at),
                ),
            )


# --- the operator's pages: pausing, the failures, the queue ------------------------------------------------


def managed_outlets(store: Store) -> list[sqlite3.Row]:
    """The outlets an operator added, paused ones included, in id order."""
    return store.conn.execute(
        "SELECT * FROM source WHERE crawl IN (?, ?) ORDER BY id", (CRAWLED, PAUSED)
    ).fetchall()


def set_paused(store: Store, source_id: int, paused: bool) -> bool:
    """Pause or resume a crawled outlet; False when `source_id` is not one."""
    with store.transaction() as conn:
        cursor = conn.execute(
            "UPDATE source SET crawl = ? WHERE id = ? AND crawl IN (?, ?)",
            (PAUSED if paused else CRAWLED, source_id, CRAWLED, PAUSED),
        )
        return cursor.rowcount == 1


QUEUE_STATES = ("queued", "failed", "done")


def queue_listing(store: Store, state: str, limit: int, offset: int = 0) -> list[dict]:
    """One page of the queue in one state, with each URL's outlet: queued URLs in the order the crawl takes
    them (due first), failed and done ones newest first."""
    order = "q.not_before, q.id" if state == "queued" else "q.id DESC"
    rows = store.conn.execute(
        "SELECT q.id, q.url, q.state, q.attempts, q.not_before, q.queued_at, q.fetched_at, q.status, q.error,"
        " q.found_in, q.source_id, s.name AS outlet FROM crawl_queue q LEFT JOIN source s ON s.id = q.source_id"
        f" WHERE q.state = ? ORDER BY {order} LIMIT ? OFFSET ?",
        (state, limit, offset),
    ).fetchall()
    return [dict(r) for r in rows]


def retry_queued(store: Store, queue_id: int) -> bool:
    """Queue a failed URL again, due now (its attempts are kept); False when it is not a failed one."""
    with store.transaction() as conn:
        cursor = conn.execute(
            "UPDATE crawl_queue SET state = 'queued', not_before = '' WHERE id = ? AND state = 'failed'",
            (queue_id,),
        )
        return cursor.rowcount == 1


def failure_listing(store: Store, stage: str | None, limit: int, offset: int = 0) -> list[dict]:
    """One page of the failures (of one stage, or all), the most recently seen first; the kept input is
    given by its size only."""
    rows = store.conn.execute(
        "SELECT id, origin, url, stage, reason, length(content) AS content_bytes, seen_count, created_at,"
        " last_seen FROM failure WHERE ? IS NULL OR stage = ? ORDER BY last_seen DESC, id DESC LIMIT ? OFFSET ?",
        (stage, stage, limit, offset),
    ).fetchall()
    return [dict(r) for r in rows]


def failure_counts(store: Store) -> dict[str, int]:
    """Failures per stage, the largest first."""
    rows = store.conn.execute("SELECT stage, count(*) FROM failure GROUP BY stage ORDER BY 2 DESC, 1")
    return {stage: count for stage, count in rows}
