"""Pending work: linking and indexing that committed articles are still owed (table `pending_work`).

upsert_article marks a new or changed article 'link' and 'index' in the transaction that writes it; linking
clears its marks in its own transaction, indexing after the search index committed. A process killed
between the two therefore leaves the work recorded, and the next ingest (or crawl, or Archive.ingest)
finishes it first: `marsad stats` says how many are pending.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from marsad.store.db import Store
from marsad.store.sql import chunks, marks

KINDS = ("link", "index")


@contextmanager
def writing(store: Store) -> Iterator[None]:
    """The caller's open transaction, else one of its own."""
    if store.conn.in_transaction:
        yield
        return
    with store.transaction():
        yield


def mark(conn: sqlite3.Connection, article_id: int, kinds: Iterable[str] = KINDS) -> None:
    """Record that an article (just written, in the open transaction) is to be linked and indexed. A mark
    written again gets a new seq (deleted and inserted: the row's key is its seq)."""
    rows = [(article_id, kind) for kind in kinds]
    conn.executemany("DELETE FROM pending_work WHERE article_id = ? AND kind = ?", rows)
    conn.executemany("INSERT INTO pending_work(article_id, kind) VALUES (?, ?)", rows)


def pending_ids(store: Store, kind: str) -> list[int]:
    """The article ids with pending `kind` work, by id (callers put them in link order)."""
    return [
        r[0]
        for r in store.conn.execute(
            "SELECT article_id FROM pending_work WHERE kind = ? ORDER BY article_id", (kind,)
        )
    ]


def marks_of(store: Store, kind: str, article_ids: Iterable[int]) -> list[tuple[int, int]]:
    """(article_id, seq) of the pending marks of these articles: read before the work, cleared after it."""
    found: list[tuple[int, int]] = []
    for part in chunks(sorted(set(article_ids))):
        found.extend(
            (r[0], r[1])
            for r in store.conn.execute(
                f"SELECT article_id, seq FROM pending_work WHERE kind = ? AND article_id IN ({marks(len(part))})",
                (kind, *part),
            )
        )
    return found


def clear(store: Store, kind: str, article_ids: Iterable[int]) -> None:
    """Work done: drop the `kind` marks of these articles (in the caller's transaction, if one is open)."""
    conn = store.conn
    for part in chunks(sorted(set(article_ids))):
        conn.execute(
            f"DELETE FROM pending_work WHERE kind = ? AND article_id IN ({marks(len(part))})", (kind, *part)
        )


def clear_marks(store: Store, kind: str, seen: list[tuple[int, int]]) -> None:
    """Drop exactly these marks (from marks_of): a mark written since, by a newer change, stays."""
    if seen:
        store.conn.executemany(
            "DELETE FROM pending_work WHERE kind = ? AND article_id = ? AND seq = ?",
            [(kind, article_id, seq) for article_id, seq in seen],
        )


def clear_all(store: Store, kind: str) -> None:
    """Every `kind` mark: relink or reindex covered the whole archive."""
    store.conn.execute("DELETE FROM pending_work WHERE kind = ?", (kind,))


def counts(store: Store) -> dict[str, int]:
    """kind -> pending articles (0 for each kind with none; a database from before 011 reads as none)."""
    out = dict.fromkeys(KINDS, 0)
    try:
        rows = store.conn.execute("SELECT kind, count(*) FROM pending_work GROUP BY kind").fetchall()
    except sqlite3.OperationalError:  # opened read-only before the migration made the table
        return out
    out.update((r[0], r[1]) for r in rows)
    return out


def mark_all(store: Store, kind: str) -> int:
    """Mark every article `kind` (a rebuild starts: killed midway, what it had not redone stays pending);
    returns the highest seq marked, for clear_through once the rebuild is done."""
    store.conn.execute(
        "INSERT OR IGNORE INTO pending_work(article_id, kind) SELECT id, ? FROM article", (kind,)
    )
    row = store.conn.execute("SELECT max(seq) FROM pending_work WHERE kind = ?", (kind,)).fetchone()
    return row[0] or 0


def clear_through(store: Store, kind: str, seq: int) -> None:
    """Drop the `kind` marks up to `seq` (marks written since, by articles stored meanwhile, stay)."""
    store.conn.execute("DELETE FROM pending_work WHERE kind = ? AND seq <= ?", (kind, seq))
