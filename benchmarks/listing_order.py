"""The reader's listings ordered by the instant of publication (schema 013) against the published text.

    .venv/bin/python benchmarks/listing_order.py [--articles 1000000] [--outlets 40] [--runs 200]

Builds --articles synthetic article rows (short titles and bodies; `published` at minute precision with UTC
offsets from -04:00 to +04:00, one in fifty a bare day) in a temporary database without the instant
indexes, then prints: the time schema 013 takes to build its two indexes on that table (what opening an
existing archive with this version costs once), the database's size before and after, the cost of
inserting 10,000 more rows with and without those indexes, and the median and p95 of the listing queries
(`articles.latest` for the home page, one outlet's page 5, an article's neighbours) over --runs runs,
ordered by the instant (indexed) and, for comparison, by the published text (the old order, on its own
index). Last, how many of the first 30 of the home page's list differ between the two orders.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import tempfile
import time
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

from marsad.store import articles
from marsad.store.db import Store, _statements, migrations


def build(path: Path, count: int, outlets: int, seed: int = 7) -> None:
    """`count` articles, every schema applied but 013 (timed separately)."""
    rng = random.Random(seed)
    with Store(path) as store:
        store.conn.execute("DROP INDEX IF EXISTS article_instant")
        store.conn.execute("DROP INDEX IF EXISTS article_source_instant")
        store.conn.execute("DELETE FROM schema_version WHERE version = 13")
        with store.transaction() as conn:
            conn.executemany(
                "INSERT INTO source(id, key, name) VALUES (?, ?, ?)",
                [(i, f"outlet{i}.example", f"مصدر {i}") for i in range(1, outlets + 1)],
            )
            conn.executemany(
                "INSERT INTO article(url, source_id, title, body, published, precision, content_hash)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                (_row(i, rng, outlets) for i in range(count)),
            )


def _row(i: int, rng: random.Random, outlets: int) -> tuple:
    start = datetime(2015, 1, 1, tzinfo=UTC)
    moment = start + timedelta(minutes=rng.randrange(10 * 365 * 24 * 60))
    if i % 50 == 0:
        published, precision = moment.date().isoformat(), "day"
    else:
        offset = timezone(timedelta(hours=rng.randrange(-4, 5)))
        published, precision = moment.astimezone(offset).isoformat(), "minute"
    return (
        f"https://outlet.example/{i}",
        1 + i % outlets,
        f"خبر {i}",
        "نص قصير.",
        published,
        precision,
        str(i),
    )


def timed(run, runs: int) -> tuple[float, float]:
    seconds = []
    for _ in range(runs):
        t0 = time.perf_counter()
        run()
        seconds.append(time.perf_counter() - t0)
    seconds.sort()
    return statistics.median(seconds) * 1000, seconds[int(len(seconds) * 0.95) - 1] * 1000


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--articles", type=int, default=1_000_000)
    parser.add_argument("--outlets", type=int, default=40)
    parser.add_argument("--runs", type=int, default=200)
    args = parser.parse_args()
    print(
        f"cpus {os.cpu_count()}, load {os.getloadavg()[0]:.2f}; {args.articles:,} articles, {args.outlets} outlets"
    )
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "order.db"
        t0 = time.perf_counter()
        build(path, args.articles, args.outlets)
        print(f"built in {time.perf_counter() - t0:.1f} s, {path.stat().st_size / 1e6:.0f} MB")
        before = path.stat().st_size
        t0 = time.perf_counter()
        Store(path).close()  # opening the archive applies schema 013
        print(
            f"schema 013 applied on opening: {time.perf_counter() - t0:.1f} s,"
            f" {before / 1e6:.0f} MB -> {path.stat().st_size / 1e6:.0f} MB"
        )
        with Store(path) as store:
            _inserts(store, args.outlets)
            _listings(store, args.runs)


def _inserts(store: Store, outlets: int) -> None:
    rng = random.Random(11)
    for label, drop in (("with the instant indexes", False), ("without them", True)):
        if drop:
            store.conn.execute("DROP INDEX article_instant")
            store.conn.execute("DROP INDEX article_source_instant")
        base = 10_000_000 + (1_000_000 if drop else 0)
        rows = [_row(base + i, rng, outlets) for i in range(10_000)]
        t0 = time.perf_counter()
        with store.transaction() as conn:
            conn.executemany(
                "INSERT INTO article(url, source_id, title, body, published, precision, content_hash)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                rows,
            )
        print(f"10,000 inserts {label}: {(time.perf_counter() - t0) * 1e6 / 10_000:.1f} µs a row")
    migration = next(text for number, _, text in migrations() if number == 13)
    with store.transaction() as conn:
        for statement in _statements(migration):
            conn.execute(statement)


def _listings(store: Store, runs: int) -> None:
    middle = articles.latest(store, 1, 400_000 if articles.count_articles(store) > 800_000 else 1000)[0]
    text_order = "ORDER BY a.published DESC, a.id DESC"
    old_latest = f"SELECT {articles.LIST_COLUMNS} {articles.FROM_ARTICLE} WHERE a.hidden = 0 AND +a.duplicate_of IS NULL {text_order} LIMIT 30"
    old_outlet = f"SELECT {articles.LIST_COLUMNS} {articles.FROM_ARTICLE} WHERE a.hidden = 0 AND a.source_id = 3 {text_order} LIMIT 30 OFFSET 120"
    cases = {
        "home latest 30, by instant": lambda: articles.latest(store, 30),
        "home latest 30, by published text": lambda: articles.article_rows(store, old_latest),
        "outlet page 5, by instant": lambda: articles.latest(store, 30, 120, outlet_id=3, reposts=True),
        "outlet page 5, by published text": lambda: articles.article_rows(store, old_outlet),
        "neighbours, by instant": lambda: articles.neighbours(store, middle),
    }
    for label, run in cases.items():
        p50, p95 = timed(run, runs)
        print(f"{label}: p50 {p50:.2f} ms, p95 {p95:.2f} ms")
    by_instant = [a.id for a in articles.latest(store, 30)]
    by_text = [a.id for a in articles.article_rows(store, old_latest)]
    moved = sum(1 for a, b in zip(by_instant, by_text, strict=True) if a != b)
    print(f"home's first 30: {moved} places differ between the two orders")


if __name__ == "__main__":
    main()
