"""Where a reader page's time goes in the database: statements a page and SQL milliseconds a page (home, story,
article and search pages, built afresh: the listing cache is emptied before each request), the slowest
statements, and on PostgreSQL the cost per row of the instant listings sort by (marsad_instant). Run it on
the same archive in SQLite and in PostgreSQL (`marsad copy` moves one) to compare the backends.

    PYTHONPATH=src .venv/bin/python benchmarks/reader_sql.py --db ant.db|postgresql://... [--pages 40]

The pages are requested in-process (FastAPI's TestClient); SQL time is measured around each statement's
execute in the store's connection (on SQLite, rows read after execute are not counted).
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))

import web  # noqa: E402  (benchmarks/web.py: targets, sample_ids)

KINDS = ("home", "story", "article", "search")


class Timings:
    def __init__(self) -> None:
        self.page = [0, 0.0]  # statements, seconds of the current request
        self.by_sql: dict[str, list[float]] = defaultdict(lambda: [0, 0.0])

    def timed(self, execute: Any) -> Any:
        def run(conn: Any, sql: str, params: Any = None) -> Any:
            started = time.perf_counter()
            try:
                return execute(conn, sql, () if params is None else params)
            finally:
                spent = time.perf_counter() - started
                self.page[0] += 1
                self.page[1] += spent
                entry = self.by_sql[" ".join(sql.split())]
                entry[0] += 1
                entry[1] += spent

        return run


def instrument(db: str, timings: Timings) -> None:
    """Time every statement the reader's Stores run on `db`."""
    from marsad.store import postgres

    if str(db).startswith("postgres"):
        postgres.PgCursor.execute = timings.timed(postgres.PgCursor.execute)  # type: ignore[method-assign]
        return

    class TimedConnection(sqlite3.Connection):
        execute = timings.timed(sqlite3.Connection.execute)

    connect = sqlite3.connect
    sqlite3.connect = lambda *a, **k: connect(*a, factory=TimedConnection, **k)  # type: ignore[assignment]


def instant_cost(db: str) -> float | None:
    """Microseconds a row of marsad_instant over every article (PostgreSQL), or None."""
    if not str(db).startswith("postgres"):
        return None
    import psycopg

    with psycopg.connect(db) as conn:
        conn.execute("SELECT marsad_instant('2018-01-01T00:00:00+03:00')")  # compiled once per session
        rows = conn.execute("SELECT count(*) FROM article").fetchone()[0]
        best = min(_timed(conn, "SELECT marsad_instant(published) FROM article") for _ in range(3))
        base = min(_timed(conn, "SELECT published FROM article") for _ in range(3))
    return (best - base) / max(rows, 1) * 1e6


def _timed(conn: Any, sql: str) -> float:
    started = time.perf_counter()
    conn.execute(sql).fetchall()
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--db", required=True, help="a SQLite file or a postgresql:// URL holding an archive")
    parser.add_argument("--pages", type=int, default=40, help="pages of each kind")
    parser.add_argument("--top", type=int, default=10, help="slowest statements listed")
    args = parser.parse_args()

    from fastapi.testclient import TestClient

    from marsad.web import create_app

    timings = Timings()
    instrument(args.db, timings)
    app = create_app(args.db)
    articles, stories, _ = web.sample_ids(args.db)
    plan = web.targets(articles, stories, args.pages * len(KINDS))
    per_kind: dict[str, list[float]] = defaultdict(lambda: [0, 0, 0.0, 0.0])
    with TestClient(app) as client:
        for _, path in plan[:8]:  # warm: connections, prepared statements, compiled functions
            client.get(path)
        timings.by_sql.clear()
        for kind, path in plan:
            app.state.reader.forget()
            timings.page = [0, 0.0]
            started = time.perf_counter()
            status = client.get(path).status_code
            if status != 200:
                raise SystemExit(f"{path}: {status}")
            entry = per_kind[kind]
            entry[0] += 1
            entry[1] += timings.page[0]
            entry[2] += timings.page[1]
            entry[3] += time.perf_counter() - started
    print(f"{args.db}: {args.pages} pages of each kind")
    print(f"{'page':<8} {'statements':>10} {'SQL ms':>8} {'request ms':>10}")
    for kind in KINDS:
        n, statements, sql, total = per_kind[kind]
        print(f"{kind:<8} {statements / n:>10.1f} {sql / n * 1000:>8.2f} {total / n * 1000:>10.2f}")
    print("\nslowest statements (total ms, count, ms each):")
    for sql, (count, spent) in sorted(timings.by_sql.items(), key=lambda x: -x[1][1])[: args.top]:
        print(f"{spent * 1000:8.1f} {count:5} {spent / count * 1000:7.2f}  {sql[:110]}")
    cost = instant_cost(args.db)
    if cost is not None:
        print(f"\nmarsad_instant: {cost:.1f} us a row")


if __name__ == "__main__":
    main()
