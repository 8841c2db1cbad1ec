"""The counts the operator's endpoints read (`/healthz`, `/metrics`): articles by outlet, crawl fetches and
errors by outlet, the crawl queue by state and failures by stage. Each is one query on the store, read
afresh at every call, so that what the endpoints say is what the database holds."""

from __future__ import annotations

from dataclasses import dataclass

from marsad.store import crawl
from marsad.store.db import Store

NO_OUTLET = "(none)"  # articles whose outlet is unknown


@dataclass(frozen=True)
class OutletCount:
    key: str  # the outlet's key (its host, or its normalised name)
    name: str
    count: int


def articles(store: Store) -> int:
    return store.conn.execute("SELECT count(*) FROM article").fetchone()[0]


def articles_by_outlet(store: Store) -> list[OutletCount]:
    """Stored articles of every known outlet (0 for one with none), by key; then NO_OUTLET's, if any."""
    # one range count on the article_source index per outlet: cheaper than a GROUP BY over it or a join per
    # article (docs/benchmarks.md, "Operator endpoints")
    found = [
        OutletCount(r["key"], r["name"], _count(store, "source_id = ?", (r["id"],)))
        for r in store.conn.execute("SELECT id, key, name FROM source ORDER BY key")
    ]
    unknown = _count(store, "source_id IS NULL", ())
    return found + ([OutletCount(NO_OUTLET, NO_OUTLET, unknown)] if unknown else [])


def _count(store: Store, where: str, params: tuple) -> int:
    return store.conn.execute(f"SELECT count(*) FROM article WHERE {where}", params).fetchone()[0]


def crawl_fetches_by_outlet(store: Store) -> list[tuple[OutletCount, int]]:
    """(pages fetched and handed to ingest, fetch errors) per crawled outlet, all time (`crawl_health`);
    a crawled outlet never fetched counts 0 and 0."""
    rows = store.conn.execute(
        "SELECT s.key, s.name, coalesce(h.pages, 0) AS pages, coalesce(h.errors, 0) AS errors"
        " FROM source s LEFT JOIN crawl_health h ON h.source_id = s.id"
        " WHERE s.crawl = 1 OR h.source_id IS NOT NULL ORDER BY s.key"
    ).fetchall()
    return [(OutletCount(r["key"], r["name"], r["pages"]), r["errors"]) for r in rows]


def crawled_outlets(store: Store) -> int:
    return store.conn.execute("SELECT count(*) FROM source WHERE crawl = 1").fetchone()[0]


def queue_by_state(store: Store) -> dict[str, int]:
    """state -> URLs in the crawl queue (queued, done, failed; 0 for a state with none)."""
    return {**dict.fromkeys(("queued", "done", "failed"), 0), **crawl.queue_counts(store)}


def failures_by_stage(store: Store) -> dict[str, int]:
    """stage -> inputs kept as failures (read, decode, fetch, extract, store, link, index)."""
    rows = store.conn.execute("SELECT stage, count(*) FROM failure GROUP BY stage ORDER BY stage")
    return {r[0]: r[1] for r in rows}
