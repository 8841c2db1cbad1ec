"""Crawl rounds (table `crawl_round`): one row per round, written when it starts and when it ends.

`/healthz` reads the last finished round (its time, outcome and age), `/metrics` counts rounds by outcome.
A process killed during a round leaves its row 'running'; `last_finished` looks past it.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from marsad.store.crawl import iso
from marsad.store.db import Store
from marsad.store.sql import inserted_id

OUTCOMES = ("running", "ok", "stopped", "failed")
KEEP = timedelta(days=30)  # finished rounds older than this are pruned by `marsad run`
COUNTS = (
    "feeds_checked",
    "feeds_failed",
    "urls_queued",
    "pages_fetched",
    "pages_failed",
    "articles_new",
    "articles_updated",
)


@dataclass(frozen=True)
class Round:
    id: int
    started_at: str
    finished_at: str | None
    outcome: str
    error: str | None
    counts: dict[str, int]

    def age(self, now: datetime | None = None) -> float | None:
        """Seconds since the round finished (None while it runs)."""
        return None if self.finished_at is None else _seconds_since(self.finished_at, now)

    def running_for(self, now: datetime | None = None) -> float:
        """Seconds since the round started."""
        return _seconds_since(self.started_at, now)


def _seconds_since(moment: str, now: datetime | None) -> float:
    then = datetime.strptime(moment, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    return max(0.0, ((now or datetime.now(UTC)) - then).total_seconds())


def start(store: Store) -> int:
    """A new round, 'running'; returns its id."""
    with store.transaction() as conn:
        return inserted_id(conn.execute("INSERT INTO crawl_round(started_at) VALUES (?)", (iso(),)))


def finish(
    store: Store, round_id: int, outcome: str, counts: Mapping[str, int], error: str | None = None
) -> None:
    """The round ended: 'ok' (done), 'stopped' (asked to stop, at a safe point) or 'failed' (with why)."""
    if outcome not in OUTCOMES[1:]:
        raise ValueError(f"not a finished round's outcome: {outcome!r}")
    values = [int(counts.get(name, 0)) for name in COUNTS]
    assignments = ", ".join(f"{name} = ?" for name in COUNTS)
    with store.transaction() as conn:
        conn.execute(
            f"UPDATE crawl_round SET finished_at = ?, outcome = ?, error = ?, {assignments} WHERE id = ?",
            (iso(), outcome, error, *values, round_id),
        )


def _round(row: sqlite3.Row) -> Round:
    return Round(
        id=row["id"],
        started_at=row["started_at"],
        finished_at=row["finished_at"],
        outcome=row["outcome"],
        error=row["error"],
        counts={name: row[name] for name in COUNTS},
    )


def last_finished(store: Store) -> Round | None:
    """The round that finished last, or None (no round yet, or a database from before 012)."""
    try:
        row = store.conn.execute(
            "SELECT * FROM crawl_round WHERE finished_at IS NOT NULL ORDER BY finished_at DESC, id DESC LIMIT 1"
        ).fetchone()
    except sqlite3.OperationalError:  # opened read-only before the migration made the table
        return None
    return _round(row) if row else None


def running(store: Store) -> Round | None:
    """The newest round still marked running (it runs now, or its process was killed)."""
    try:
        row = store.conn.execute(
            "SELECT * FROM crawl_round WHERE outcome = 'running' ORDER BY id DESC LIMIT 1"
        ).fetchone()
    except sqlite3.OperationalError:
        return None
    return _round(row) if row else None


def outcome_counts(store: Store) -> dict[str, int]:
    """outcome -> rounds kept (0 for each outcome with none)."""
    out = dict.fromkeys(OUTCOMES, 0)
    try:
        rows = store.conn.execute("SELECT outcome, count(*) FROM crawl_round GROUP BY outcome").fetchall()
    except sqlite3.OperationalError:
        return out
    out.update((r[0], r[1]) for r in rows)
    return out


def prune(store: Store, keep: timedelta = KEEP, now: datetime | None = None) -> int:
    """Forget the rounds that finished more than `keep` ago; returns how many rows went."""
    with store.transaction() as conn:
        cursor = conn.execute(
            "DELETE FROM crawl_round WHERE finished_at IS NOT NULL AND finished_at < ?",
            (iso((now or datetime.now(UTC)) - keep),),
        )
        return cursor.rowcount
