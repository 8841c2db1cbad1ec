"""Link state: what linking reads of articles, their link docs (MinHash signatures, tf-idf vectors), document
frequencies, the repost window and the link counters; and the reset that relink starts from."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from marsad.store.db import Store
from marsad.store.sql import chunks, insert_rows, marks, to_json


def tune_for_linking(store: Store) -> None:
    """A larger page cache for this connection: LSH bucket lookups touch pages all over their index. (A
    PostgreSQL server's cache is its own: nothing to do.)"""
    if store.is_sqlite:
        store.conn.execute("PRAGMA cache_size = -131072")  # 128 MB


# --- articles as linking reads them -------------------------------------------------------------------

_ARTICLE_COLUMNS = """
    a.id, a.url, a.title, a.body, a.published, a.fetched_at, a.created_at, a.original_outlet,
    a.original_url, a.duplicate_of, a.story_id, a.hidden,
    coalesce(s.name, s.name_latin, s.key) AS outlet, s.name_latin AS outlet_latin, s.key AS outlet_key,
    coalesce(s.is_aggregator, 0) AS is_aggregator, d.signature AS old_signature,
    d.in_centroid AS old_in_centroid,
    coalesce(julianday(a.published), julianday(a.fetched_at), julianday(a.created_at)) AS instant
"""


def articles_for_link(store: Store, ids: Iterable[int]) -> dict[int, Any]:
    """id -> article row (with its outlet's names) for the given ids."""
    ids = list(ids)
    out: dict[int, Any] = {}
    for part in chunks(ids):
        rows = store.conn.execute(
            f"SELECT {_ARTICLE_COLUMNS} FROM article a LEFT JOIN source s ON s.id = a.source_id"
            f" LEFT JOIN link_doc d ON d.article_id = a.id WHERE a.id IN ({marks(len(part))})",
            part,
        ).fetchall()
        out.update((row["id"], row) for row in rows)
    return out


def article_body(store: Store, article_id: int) -> str | None:
    row = store.conn.execute("SELECT body FROM article WHERE id = ?", (article_id,)).fetchone()
    return row[0] if row else None


_PUBLISHED_INSTANT = "coalesce(julianday(published), julianday(fetched_at), julianday(created_at))"


def _link_key(row: Any) -> tuple:
    """The place of an article in link order from its (instant, url, id): publication instant (SQLite puts
    NULLs first in ascending order, an article with no readable time comes first here too), then its URL,
    which is the article's whatever order it arrived in (ids are given as articles arrive)."""
    return (row[0] is not None, row[0] or 0.0, row[1], row[2])


def in_link_order(store: Store, ids: list[int]) -> list[int]:
    """These article ids in the order link_order gives them (ids that do not exist are left out)."""
    keyed = []
    for part in chunks(sorted(set(ids))):
        keyed.extend(
            store.conn.execute(
                f"SELECT {_PUBLISHED_INSTANT}, url, id FROM article WHERE id IN ({marks(len(part))})", part
            ).fetchall()
        )
    return [row[2] for row in sorted(keyed, key=_link_key)]


def link_order(store: Store) -> list[int]:
    """Every article id in publication order (undated ones by when they were fetched or stored), articles
    of one instant by URL. Times are compared as instants: sorted as text, "17:36+04:00" came after
    "15:00+00:00", and ANT went back in time 4,181 times, by up to 4 hours, which made what linking found
    depend on where its batches began."""
    rows = store.conn.execute(f"SELECT {_PUBLISHED_INSTANT}, url, id FROM article").fetchall()
    return [row[2] for row in sorted(rows, key=_link_key)]


def link_key(instant: float | None, url: str, article_id: int) -> tuple:
    """An article's place in link order (see _link_key)."""
    return _link_key((instant, url, article_id))


def new_keys(store: Store, ids: list[int]) -> list[tuple]:
    """The link keys of the articles of `ids` that are not linked yet."""
    return [
        _link_key(row)
        for part in chunks(sorted(set(ids)))
        for row in store.conn.execute(
            f"SELECT {_PUBLISHED_INSTANT}, a.url, a.id FROM article a LEFT JOIN link_doc d"
            f" ON d.article_id = a.id WHERE a.id IN ({marks(len(part))}) AND d.article_id IS NULL",
            part,
        )
    ]


def frontier(store: Store) -> tuple | None:
    """The link key of the last linked article in link order (kept in link_meta as linking goes; a store
    linked before it was kept has it found once, from every linked article), None when none is linked."""
    kept = get_meta(store, "frontier")
    if kept is not None:
        return tuple(json.loads(kept)) if kept else None
    linked = store.conn.execute(
        f"SELECT {_PUBLISHED_INSTANT}, a.url, a.id FROM article a JOIN link_doc d ON d.article_id = a.id"
    ).fetchall()
    return max(map(_link_key, linked), default=None)


def set_frontier(store: Store, key: tuple | None) -> None:
    set_meta(store, "frontier", json.dumps(list(key)) if key is not None else "")


def linked_before(store: Store, ids: list[int]) -> bool:
    """Whether an article of `ids` not linked yet comes in link order before one that is linked: linking
    it now would not give what linking them all in link order gives (see marsad.link.link_new)."""
    new = new_keys(store, ids)
    if not new:
        return False
    last = frontier(store)
    return last is not None and last > min(new)


def set_article_links(store: Store, rows: Sequence[tuple[int | None, int | None, int]]) -> None:
    """(duplicate_of, story_id, article_id) for each article."""
    store.conn.executemany("UPDATE article SET duplicate_of = ?, story_id = ? WHERE id = ?", rows)


def set_article_stories(store: Store, rows: list[tuple[int, int]]) -> None:
    """(story_id, article_id) for articles whose duplicate_of is NULL and stays so. SQLite updates only the
    indexes of the columns an UPDATE sets: leaving duplicate_of out spares article_duplicate and the partial
    article_categories (38 us a row with them on ANT, 13 without)."""
    store.conn.executemany("UPDATE article SET story_id = ? WHERE id = ?", rows)


def regroup_duplicates(store: Store, old_original: int, new_original: int) -> list[int]:
    """Point the old original and its duplicates at a new original; returns the ids moved."""
    moved = [
        r[0]
        for r in store.conn.execute(
            "SELECT id FROM article WHERE duplicate_of = ? OR id = ?", (old_original, old_original)
        )
    ]
    store.conn.execute(
        "UPDATE article SET duplicate_of = ? WHERE (duplicate_of = ? OR id = ?) AND id != ?",
        (new_original, old_original, old_original, new_original),
    )
    return moved


def duplicate_group(store: Store, original_id: int) -> list[Any]:
    """The original and its duplicates, with what choosing the original reads: id, story_id,
    original_outlet, the outlet's names (outlet, outlet_latin, outlet_key), `at`, the time linking used, and
    the url."""
    return store.conn.execute(
        "SELECT a.id, a.story_id, a.original_outlet, coalesce(s.name, s.name_latin, s.key) AS outlet,"
        " s.name_latin AS outlet_latin, s.key AS outlet_key, d.at, a.url FROM article a"
        " LEFT JOIN source s ON s.id = a.source_id LEFT JOIN link_doc d ON d.article_id = a.id"
        " WHERE a.id = ? OR a.duplicate_of = ? ORDER BY a.id",
        (original_id, original_id),
    ).fetchall()


def link_group_of(store: Store, article_id: int) -> tuple[int | None, int | None]:
    """(duplicate_of, story_id) of a linked article."""
    row = store.conn.execute(
        "SELECT duplicate_of, story_id FROM article WHERE id = ?", (article_id,)
    ).fetchone()
    return (row[0], row[1]) if row else (None, None)


# --- signatures (the repost window) and link docs -----------------------------------------------------


def link_docs_between(
    store: Store, since: str, before: str | None = None
) -> list[tuple[int, bytes, int, str, int]]:
    """(article id, MinHash signature blob, shingle count, at, seq) of the articles linked at `since` or
    later (and before `before`): what the repost window holds."""
    sql = "SELECT article_id, signature, shingle_count, at, seq FROM link_doc WHERE at >= ?"
    params: list[str] = [since]
    if before is not None:
        sql += " AND at < ?"
        params.append(before)
    return [tuple(r) for r in store.conn.execute(sql + " ORDER BY seq", params)]


def link_doc_row(
    article_id: int,
    seq: int,
    at: str,
    signature: bytes,
    count: int,
    vector: dict,
    opening: dict,
    in_centroid: bool,
) -> tuple:
    return (article_id, seq, at, signature, count, to_json(vector), to_json(opening), int(in_centroid))


def save_link_docs(store: Store, docs: list[tuple]) -> None:
    """Articles' link_doc rows (from link_doc_row), new or replacing their old ones."""
    insert_rows(
        store,
        "INSERT OR REPLACE INTO link_doc(article_id, seq, at, signature, shingle_count, vector, opening,"
        " in_centroid)",
        docs,
    )


# --- document frequencies and counters ----------------------------------------------------------------


def load_df(store: Store, term_hash: Callable[[str], int]) -> list[tuple[int, int]]:
    """(term hash, df) of every term. A store linked before frequencies were kept by hash has them by
    term: they are converted (with `term_hash`) the first time."""
    conn = store.conn
    rows = [(h, df) for h, df in conn.execute("SELECT term_hash, df FROM doc_freq")]
    if not rows:
        by_term = conn.execute("SELECT term, df FROM term_df").fetchall()
        if by_term:
            rows = sorted((term_hash(term), df) for term, df in by_term)
            save_df(store, rows)
            conn.execute("DELETE FROM term_df")
    return rows


def save_df(store: Store, rows: list[tuple[int, int]]) -> None:
    """Save (term hash, df) rows; a df of 0 (its articles' linking undone) deletes the row."""
    gone = [h for h, df in rows if df == 0]
    for part in chunks(gone):
        store.conn.execute(f"DELETE FROM doc_freq WHERE term_hash IN ({marks(len(part))})", part)
    if gone:
        rows = [row for row in rows if row[1] != 0]
    insert_rows(
        store,
        "INSERT INTO doc_freq(term_hash, df)",
        rows,
        "ON CONFLICT(term_hash) DO UPDATE SET df = excluded.df",
    )


def get_meta(store: Store, key: str, default: str | None = None) -> str | None:
    row = store.conn.execute("SELECT value FROM link_meta WHERE key = ?", (key,)).fetchone()
    return row[0] if row else default


def set_meta(store: Store, key: str, value: Any) -> None:
    store.conn.execute(
        "INSERT INTO link_meta(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        (key, str(value)),
    )


def reset_links(store: Store) -> None:
    """Forget every link (relink starts from here); articles themselves are untouched."""
    conn = store.conn
    conn.execute("UPDATE article SET duplicate_of = NULL, story_id = NULL")
    for table in ("event", "story_state", "thread_state", "link_doc", "term_df", "doc_freq", "link_meta"):
        conn.execute(f"DELETE FROM {table}")
    conn.execute("DELETE FROM story")
    conn.execute("DELETE FROM thread")


def link_counts(store: Store) -> dict[str, int]:
    """Totals for reports and benchmarks."""

    def one(sql: str) -> int:
        return store.conn.execute(sql).fetchone()[0] or 0

    return {
        "stories": one("SELECT count(*) FROM story"),
        "multi_outlet_stories": one("SELECT count(*) FROM story WHERE outlet_count >= 2"),
        "duplicates": one("SELECT count(*) FROM article WHERE duplicate_of IS NOT NULL"),
        "threads": one("SELECT count(*) FROM thread"),
        "threads_2plus": one("SELECT count(*) FROM thread WHERE story_count >= 2"),
        "largest_thread": one("SELECT max(story_count) FROM thread"),
        "largest_story": one("SELECT max(article_count) FROM story"),
        "events": one("SELECT count(*) FROM event"),
    }


def max_story_id(store: Store) -> int:
    return store.conn.execute("SELECT coalesce(max(id), 0) FROM story").fetchone()[0]
