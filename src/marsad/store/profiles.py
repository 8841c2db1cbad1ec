"""Outlet memory in the store: on how many of an outlet's pages each line appears (tables `outlet_pages`,
`outlet_line`, `article_lines`), and what re-extraction changed (`extraction_change`).

The store counts lines under the key the caller gives (marsad.extract.profile.chrome_key: the store does not
import extraction); the ingest layer turns the counts into an OutletProfile. A page's lines count once per
page; an article counted again (its page changed, or moved outlet) first takes its old lines back, so the
counts stay "pages of this outlet that carry the line" without any page being read twice.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import struct
from collections.abc import Iterable
from dataclasses import dataclass

from marsad.store import pending
from marsad.store.articles import content_hash
from marsad.store.db import Store


def line_hash(key: str) -> int:
    """A line's key as a signed 64-bit integer (the first 8 bytes of BLAKE2b)."""
    return int.from_bytes(hashlib.blake2b(key.encode("utf-8"), digest_size=8).digest(), "little", signed=True)


def _pack(hashes: list[int]) -> bytes:
    return struct.pack(f"<{len(hashes)}q", *hashes)


def _unpack(blob: bytes) -> list[int]:
    return list(struct.unpack(f"<{len(blob) // 8}q", blob))


def count_lines(conn: sqlite3.Connection, article_id: int, source_id: int, keys: Iterable[str]) -> bool:
    """Count an article's lines (their keys) for its outlet, in the caller's transaction; False when they
    were counted already, as they are."""
    by_hash = {line_hash(key): key for key in keys if key}
    hashes = sorted(by_hash)
    blob = _pack(hashes)
    row = conn.execute(
        "SELECT source_id, hashes FROM article_lines WHERE article_id = ?", (article_id,)
    ).fetchone()
    if row is not None and row["source_id"] == source_id and row["hashes"] == blob:
        return False
    if row is not None:
        _take_back(conn, row["source_id"], _unpack(row["hashes"]))
    conn.executemany(
        "INSERT INTO outlet_line(source_id, hash, pages) VALUES (?, ?, 1)"
        " ON CONFLICT(source_id, hash) DO UPDATE SET pages = pages + 1, line = coalesce(line, ?)",
        [(source_id, h, by_hash[h]) for h in hashes],
    )
    conn.execute(
        "INSERT INTO outlet_pages(source_id, pages) VALUES (?, 1)"
        " ON CONFLICT(source_id) DO UPDATE SET pages = pages + 1",
        (source_id,),
    )
    conn.execute(
        "INSERT OR REPLACE INTO article_lines(article_id, source_id, hashes) VALUES (?, ?, ?)",
        (article_id, source_id, blob),
    )
    return True


def _take_back(conn: sqlite3.Connection, source_id: int, hashes: list[int]) -> None:
    rows = [(source_id, h) for h in hashes]
    conn.executemany("UPDATE outlet_line SET pages = pages - 1 WHERE source_id = ? AND hash = ?", rows)
    conn.executemany("DELETE FROM outlet_line WHERE source_id = ? AND hash = ? AND pages <= 0", rows)
    conn.execute("UPDATE outlet_pages SET pages = pages - 1 WHERE source_id = ?", (source_id,))


def is_counted(conn: sqlite3.Connection, article_id: int) -> bool:
    return (
        conn.execute("SELECT 1 FROM article_lines WHERE article_id = ?", (article_id,)).fetchone() is not None
    )


@dataclass(frozen=True)
class OutletCounts:
    source_id: int
    name: str
    pages: int  # pages counted
    lines: dict[str, int]  # key -> pages carrying it, for the lines on at least `min_pages` of them


def outlet_counts(store: Store, source_id: int, min_pages: int) -> OutletCounts:
    """The counts of one outlet, with the lines that are on at least `min_pages` of its pages."""
    row = store.conn.execute(
        "SELECT s.name, coalesce(o.pages, 0) FROM source s LEFT JOIN outlet_pages o ON o.source_id = s.id"
        " WHERE s.id = ?",
        (source_id,),
    ).fetchone()
    if row is None:
        raise KeyError(f"no outlet with id {source_id}")
    lines = store.conn.execute(
        "SELECT line, pages FROM outlet_line WHERE source_id = ? AND line IS NOT NULL AND pages >= ?",
        (source_id, max(min_pages, 2)),
    ).fetchall()
    return OutletCounts(source_id, row[0], row[1], {r[0]: r[1] for r in lines})


def source_id_of_key(store: Store, key: str) -> int | None:
    row = store.conn.execute("SELECT id FROM source WHERE key = ?", (key,)).fetchone()
    return row[0] if row else None


def find_outlets(store: Store, outlet: str | None) -> list[tuple[int, str]]:
    """(id, name) of the outlets named `outlet` (by key, name or Latin name, any case), or of all."""
    if outlet is None:
        return [(r[0], r[1]) for r in store.conn.execute("SELECT id, name FROM source ORDER BY id")]
    rows = store.conn.execute(
        "SELECT id, name FROM source WHERE lower(key) = lower(?) OR name = ? OR lower(name_latin) = lower(?)"
        " ORDER BY id",
        (outlet, outlet, outlet),
    )
    return [(r[0], r[1]) for r in rows]


@dataclass(frozen=True)
class StoredArticle:
    id: int
    url: str
    kind: str | None
    title: str
    body: list[str]
    origin: str
    has_page: bool


def outlet_articles(
    store: Store,
    source_id: int,
    kinds: tuple[str, ...],
    *,
    uncounted: bool = False,
    after: int = 0,
    limit: int = -1,
) -> list[StoredArticle]:
    """The outlet's articles of these page kinds with ids above `after`, by id (at most `limit`), with
    whether their page is kept; with `uncounted`, only those whose lines were never counted (stored before
    outlets were profiled)."""
    rows = store.conn.execute(
        f"SELECT a.id, a.url, a.kind, a.title, a.body, a.origin, p.article_id IS NOT NULL AS has_page"
        f" FROM article a LEFT JOIN page p ON p.article_id = a.id"
        f" LEFT JOIN article_lines l ON l.article_id = a.id"
        f" WHERE a.source_id = ? AND a.id > ? AND a.kind IN ({','.join('?' * len(kinds))})"
        f"{' AND l.article_id IS NULL' if uncounted else ''} ORDER BY a.id LIMIT ?",
        (source_id, after, *kinds, limit),
    )
    return [
        StoredArticle(r[0], r[1], r[2], r[3], r[4].split("\n") if r[4] else [], r[5] or "", bool(r[6]))
        for r in rows
    ]


def count_outlet_articles(store: Store, source_id: int, kinds: tuple[str, ...]) -> int:
    return store.conn.execute(
        f"SELECT count(*) FROM article WHERE source_id = ? AND kind IN ({','.join('?' * len(kinds))})",
        (source_id, *kinds),
    ).fetchone()[0]


def record_change(
    conn: sqlite3.Connection,
    article_id: int,
    *,
    source: str,
    profile_pages: int,
    dropped: list[tuple[int, str]],
    added: list[tuple[int, str]],
    title_before: str | None = None,
) -> None:
    conn.execute(
        "INSERT INTO extraction_change(article_id, source, profile_pages, dropped, added, title_before)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        (
            article_id,
            source,
            profile_pages,
            json.dumps(dropped, ensure_ascii=False),
            json.dumps(added, ensure_ascii=False),
            title_before,
        ),
    )


@dataclass(frozen=True)
class Change:
    id: int
    article_id: int
    changed_at: str
    source: str
    profile_pages: int
    dropped: list[tuple[int, str]]
    added: list[tuple[int, str]]
    title_before: str | None


def changes(store: Store, article_id: int | None = None) -> list[Change]:
    """What re-extraction changed, oldest first (of one article, or of all)."""
    sql = "SELECT * FROM extraction_change" + (" WHERE article_id = ?" if article_id is not None else "")
    try:
        rows = store.conn.execute(
            sql + " ORDER BY id", (article_id,) if article_id is not None else ()
        ).fetchall()
    except sqlite3.OperationalError:  # opened read-only before the migration made the table
        return []
    return [
        Change(
            r["id"],
            r["article_id"],
            r["changed_at"],
            r["source"],
            r["profile_pages"],
            [(i, p) for i, p in json.loads(r["dropped"])],
            [(i, p) for i, p in json.loads(r["added"])],
            r["title_before"],
        )
        for r in rows
    ]


def replace_body(conn: sqlite3.Connection, article_id: int, title: str, body: list[str]) -> None:
    """Store an article's new body (re-extraction from its stored paragraphs) and mark it to be linked and
    indexed again, in the caller's transaction."""
    conn.execute(
        "UPDATE article SET body = ?, content_hash = ?, updated_at = strftime('%Y-%m-%dT%H:%M:%SZ','now')"
        " WHERE id = ?",
        ("\n".join(body), content_hash(title, body), article_id),
    )
    pending.mark(conn, article_id)


def article_source(conn: sqlite3.Connection, article_id: int) -> int | None:
    row = conn.execute("SELECT source_id FROM article WHERE id = ?", (article_id,)).fetchone()
    return row[0] if row else None
