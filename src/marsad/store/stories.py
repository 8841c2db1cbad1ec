"""All SQL of the link area: link state (signatures, document frequencies, centroids) and the
reads behind `marsad stories|story|thread` and the web pages (list_stories, get_story, get_thread,
thread_events)."""

from __future__ import annotations

import json
import logging
import sqlite3
from collections.abc import Callable, Iterable, Iterator
from itertools import chain
from typing import Any

import orjson

from marsad.store.db import Store

log = logging.getLogger(__name__)
CHUNK = 500  # SQLite host-parameter lists are cut into pieces this long


def to_json(value: Any) -> str:
    """JSON text of link state (orjson: a tenth of json.dumps's time, which was 7 % of linking)."""
    return orjson.dumps(value).decode()


def _chunks(values: list, size: int = CHUNK) -> Iterator[list]:
    for i in range(0, len(values), size):
        yield values[i : i + size]


def _marks(n: int) -> str:
    return ",".join("?" * n)


ROWS_PER_INSERT = 64


def _insert_rows(store: Store, head: str, rows: list[tuple], tail: str = "") -> None:
    """`head` VALUES (...), (...) ... `tail` for every row, ROWS_PER_INSERT rows a statement: executemany
    costs about a microsecond a row in the sqlite3 module, more than SQLite's own work on a small row."""
    if not rows:
        return
    width = len(rows[0])
    group = "(" + _marks(width) + ")"

    def statement(n: int) -> str:
        return f"{head} VALUES {','.join([group] * n)} {tail}"

    full = len(rows) - len(rows) % ROWS_PER_INSERT
    if full:
        store.conn.executemany(
            statement(ROWS_PER_INSERT),
            [
                tuple(chain.from_iterable(rows[i : i + ROWS_PER_INSERT]))
                for i in range(0, full, ROWS_PER_INSERT)
            ],
        )
    if full < len(rows):
        store.conn.execute(statement(len(rows) - full), list(chain.from_iterable(rows[full:])))


def tune_for_linking(store: Store) -> None:
    """A larger page cache for this connection: LSH bucket lookups touch pages all over their index."""
    store.conn.execute("PRAGMA cache_size = -131072")  # 128 MB


# --- articles as linking reads them -------------------------------------------------------------------

_ARTICLE_COLUMNS = """
    a.id, a.url, a.title, a.body, a.published, a.fetched_at, a.created_at, a.original_outlet,
    a.original_url, a.duplicate_of, a.story_id, a.hidden,
    coalesce(s.name, s.name_latin, s.key) AS outlet, s.name_latin AS outlet_latin, s.key AS outlet_key,
    coalesce(s.is_aggregator, 0) AS is_aggregator, d.signature AS old_signature,
    d.in_centroid AS old_in_centroid
"""


def articles_for_link(store: Store, ids: Iterable[int]) -> dict[int, Any]:
    """id -> article row (with its outlet's names) for the given ids."""
    ids = list(ids)
    out = {}
    for part in _chunks(ids):
        rows = store.conn.execute(
            f"SELECT {_ARTICLE_COLUMNS} FROM article a LEFT JOIN source s ON s.id = a.source_id"
            f" LEFT JOIN link_doc d ON d.article_id = a.id WHERE a.id IN ({_marks(len(part))})",
            part,
        ).fetchall()
        out.update((row["id"], row) for row in rows)
    return out


def article_body(store: Store, article_id: int) -> str | None:
    row = store.conn.execute("SELECT body FROM article WHERE id = ?", (article_id,)).fetchone()
    return row[0] if row else None


_PUBLISHED_INSTANT = "coalesce(julianday(published), julianday(fetched_at), julianday(created_at))"


def in_link_order(store: Store, ids: list[int]) -> list[int]:
    """These article ids in the order link_order gives them (ids that do not exist are left out)."""
    keyed = []
    for part in _chunks(sorted(set(ids))):
        keyed.extend(
            store.conn.execute(
                f"SELECT {_PUBLISHED_INSTANT}, id FROM article WHERE id IN ({_marks(len(part))})", part
            ).fetchall()
        )
    # SQLite puts NULLs first in ascending order: an article with no readable time comes first there too
    return [row[1] for row in sorted(keyed, key=lambda r: (r[0] is not None, r[0] or 0.0, r[1]))]


def link_order(store: Store) -> list[int]:
    """Every article id in publication order (undated ones by when they were fetched or stored). Times are
    compared as instants: sorted as text, "17:36+04:00" came after "15:00+00:00", and ANT went back in time
    4,181 times, by up to 4 hours, which made what linking found depend on where its batches began."""
    rows = store.conn.execute(f"SELECT id FROM article ORDER BY {_PUBLISHED_INSTANT}, id").fetchall()
    return [r[0] for r in rows]


def set_article_links(store: Store, rows: list[tuple[int | None, int | None, int]]) -> None:
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
    original_outlet, the outlet's names (outlet, outlet_latin, outlet_key) and `at`, the time linking used."""
    return store.conn.execute(
        "SELECT a.id, a.story_id, a.original_outlet, coalesce(s.name, s.name_latin, s.key) AS outlet,"
        " s.name_latin AS outlet_latin, s.key AS outlet_key, d.at FROM article a"
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
) -> list[tuple[int, bytes, int, str]]:
    """(article id, MinHash signature blob, shingle count, at) of the articles linked at `since` or later
    (and before `before`): what the repost window holds."""
    sql = "SELECT article_id, signature, shingle_count, at FROM link_doc WHERE at >= ?"
    params: list[str] = [since]
    if before is not None:
        sql += " AND at < ?"
        params.append(before)
    return [tuple(r) for r in store.conn.execute(sql + " ORDER BY seq", params)]


def link_doc_row(
    article_id: int, seq: int, at: str, signature: bytes, count: int, vector: dict, in_centroid: bool
) -> tuple:
    return (article_id, seq, at, signature, count, to_json(vector), int(in_centroid))


def save_link_docs(store: Store, docs: list[tuple]) -> None:
    """Articles' link_doc rows (from link_doc_row), new or replacing their old ones."""
    _insert_rows(
        store,
        "INSERT OR REPLACE INTO link_doc(article_id, seq, at, signature, shingle_count, vector, in_centroid)",
        docs,
    )


def doc_vectors(store: Store, ids: list[int]) -> dict[int, tuple[dict, str]]:
    """article id -> (tf-idf vector, time linking used)."""
    out = {}
    for part in _chunks(ids):
        for row in store.conn.execute(
            f"SELECT article_id, vector, at FROM link_doc WHERE article_id IN ({_marks(len(part))})", part
        ):
            out[row[0]] = (json.loads(row[1]), row[2])
    return out


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
    """Save (term hash, df) rows."""
    _insert_rows(
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


# --- stories, threads, events: writes -----------------------------------------------------------------


def max_story_id(store: Store) -> int:
    return store.conn.execute("SELECT coalesce(max(id), 0) FROM story").fetchone()[0]


def insert_stories(store: Store, rows: list[tuple[int, str, int, str, str]]) -> None:
    """New stories: (id, title, representative_id, first_seen, last_seen)."""
    _insert_rows(store, "INSERT INTO story(id, title, representative_id, first_seen, last_seen)", rows)


def save_story(store: Store, story: dict) -> None:
    save_stories(store, [story])


def save_stories(store: Store, stories: list[dict]) -> None:
    """Each story: id, title, representative_id, first_seen, last_seen, thread_id, article_count, outlets,
    centroid, numbers, places, members."""
    store.conn.executemany(
        "UPDATE story SET title = ?, representative_id = ?, first_seen = ?, last_seen = ?, thread_id = ?,"
        " article_count = ?, outlet_count = ?, outlets = ?,"
        " updated_at = strftime('%Y-%m-%dT%H:%M:%SZ','now') WHERE id = ?",
        [
            (
                story["title"],
                story["representative_id"],
                story["first_seen"],
                story["last_seen"],
                story["thread_id"],
                story["article_count"],
                len(story["outlets"]),
                to_json(story["outlets"]),
                story["id"],
            )
            for story in stories
        ],
    )
    store.conn.executemany(
        "INSERT OR REPLACE INTO story_state(story_id, centroid, numbers, places, members, first_at, last_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)",
        [
            (
                story["id"],
                to_json(story["centroid"]),
                to_json(story["numbers"]),
                to_json(story["places"]),
                story["members"],
                story["first_seen"],
                story["last_seen"],
            )
            for story in stories
        ],
    )


_STORY_STATE = (
    "SELECT s.id, s.title, s.representative_id, s.first_seen, s.last_seen, s.thread_id, s.article_count,"
    " s.outlets, t.centroid, t.numbers, t.places, t.members"
    " FROM story_state t JOIN story s ON s.id = t.story_id"
)


def open_stories(store: Store, since: str) -> list[Any]:
    """Stories (with their link state) last seen at or after `since`."""
    return store.conn.execute(_STORY_STATE + " WHERE t.last_at >= ? ORDER BY s.id", (since,)).fetchall()


def stories_by_id(store: Store, ids: list[int]) -> list[Any]:
    out = []
    for part in _chunks(ids):
        out.extend(
            store.conn.execute(_STORY_STATE + f" WHERE s.id IN ({_marks(len(part))}) ORDER BY s.id", part)
        )
    return out


def centroid_members(store: Store, story_ids: list[int]) -> list[Any]:
    """(story_id, article_id, title, vector JSON) of the members that make each story's centroid."""
    out = []
    for part in _chunks(story_ids):
        out.extend(
            store.conn.execute(
                f"SELECT a.story_id, a.id, a.title, d.vector FROM article a JOIN link_doc d ON d.article_id = a.id"
                f" WHERE a.story_id IN ({_marks(len(part))}) AND d.in_centroid = 1 ORDER BY d.seq",
                part,
            ).fetchall()
        )
    return out


def threads_by_id(store: Store, ids: list[int]) -> list[Any]:
    out = []
    for part in _chunks(ids):
        out.extend(
            store.conn.execute(
                "SELECT t.id, t.first_seen, t.last_seen, t.story_count, t.terms, st.profile"
                f" FROM thread_state st JOIN thread t ON t.id = st.thread_id WHERE t.id IN ({_marks(len(part))})",
                part,
            )
        )
    return out


def new_thread(store: Store, title: str, at: str) -> int:
    cur = store.conn.execute(
        "INSERT INTO thread(title, first_seen, last_seen, story_count) VALUES (?, ?, ?, 0)", (title, at, at)
    )
    return cur.lastrowid


def delete_thread(store: Store, thread_id: int) -> None:
    store.conn.execute("DELETE FROM thread_state WHERE thread_id = ?", (thread_id,))
    store.conn.execute("UPDATE event SET thread_id = NULL WHERE thread_id = ?", (thread_id,))
    store.conn.execute("UPDATE story SET thread_id = NULL WHERE thread_id = ?", (thread_id,))
    store.conn.execute("DELETE FROM thread WHERE id = ?", (thread_id,))


def save_thread(store: Store, thread: dict) -> None:
    save_threads(store, [thread])


def save_threads(store: Store, threads: list[dict]) -> None:
    """Each thread: id, first_seen, last_seen, story_count, terms, profile. Title: its biggest story's
    (save its stories first)."""
    store.conn.executemany(
        "UPDATE thread SET first_seen = ?, last_seen = ?, story_count = ?, terms = ?,"
        " title = coalesce((SELECT title FROM story WHERE thread_id = thread.id"
        "   ORDER BY article_count DESC, id LIMIT 1), title),"
        " updated_at = strftime('%Y-%m-%dT%H:%M:%SZ','now') WHERE id = ?",
        [
            (
                thread["first_seen"],
                thread["last_seen"],
                thread["story_count"],
                to_json(thread["terms"]),
                thread["id"],
            )
            for thread in threads
        ],
    )
    store.conn.executemany(
        "INSERT OR REPLACE INTO thread_state(thread_id, profile, last_at) VALUES (?, ?, ?)",
        [(t["id"], to_json(t["profile"]), t["last_seen"]) for t in threads],
    )


def open_threads(store: Store, since: str) -> list[Any]:
    return store.conn.execute(
        "SELECT t.id, t.first_seen, t.last_seen, t.story_count, t.terms, st.profile"
        " FROM thread_state st JOIN thread t ON t.id = st.thread_id WHERE st.last_at >= ? ORDER BY t.id",
        (since,),
    ).fetchall()


def move_story_events(store: Store, story_id: int, thread_id: int) -> None:
    """A story changed thread: its events follow (the story row itself is saved with the story)."""
    store.conn.execute("UPDATE event SET thread_id = ? WHERE story_id = ?", (thread_id, story_id))


def add_events(store: Store, rows: list[tuple]) -> None:
    """(thread_id, story_id, article_id, date, precision, text, span_start, span_end)."""
    store.conn.executemany(
        "INSERT INTO event(thread_id, story_id, article_id, date, precision, text, span_start, span_end)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        rows,
    )


def delete_article_events(store: Store, article_id: int) -> None:
    store.conn.execute("DELETE FROM event WHERE article_id = ?", (article_id,))
    store.conn.execute("UPDATE link_doc SET events_done = 0 WHERE article_id = ?", (article_id,))


def articles_without_events(
    store: Store, thread_id: int | None = None, story_id: int | None = None
) -> list[Any]:
    """Originals (not reposts) of a thread's (or a story's) articles whose events are not taken yet."""
    where = "s.thread_id = ?" if story_id is None else "a.story_id = ?"
    return store.conn.execute(
        "SELECT a.id, a.body, a.published, a.story_id, s.thread_id FROM article a JOIN story s ON s.id = a.story_id"
        f" JOIN link_doc d ON d.article_id = a.id WHERE {where} AND +a.duplicate_of IS NULL AND d.events_done = 0"
        " ORDER BY d.seq",
        (thread_id if story_id is None else story_id,),
    ).fetchall()


def mark_events_done(store: Store, article_ids: list[int]) -> None:
    store.conn.executemany(
        "UPDATE link_doc SET events_done = 1 WHERE article_id = ?", [(i,) for i in article_ids]
    )


def reset_links(store: Store) -> None:
    """Forget every link (relink starts from here); articles themselves are untouched."""
    conn = store.conn
    conn.execute("UPDATE article SET duplicate_of = NULL, story_id = NULL")
    for table in ("event", "story_state", "thread_state", "link_doc", "term_df", "doc_freq", "link_meta"):
        conn.execute(f"DELETE FROM {table}")
    conn.execute("DELETE FROM story")
    conn.execute("DELETE FROM thread")


# --- reads --------------------------------------------------------------------------------------------


def _story_dict(row: Any) -> dict:
    return {
        "id": row["id"],
        "thread_id": row["thread_id"],
        "title": row["title"],
        "representative_id": row["representative_id"],
        "first_seen": row["first_seen"],
        "last_seen": row["last_seen"],
        "article_count": row["article_count"],
        "outlet_count": row["outlet_count"],
        "outlets": json.loads(row["outlets"]),
    }


def story_articles(store: Store, story_id: int) -> list[dict]:
    rows = store.conn.execute(
        "SELECT a.id, a.url, a.title, a.published, a.duplicate_of, a.original_outlet, a.hidden,"
        " coalesce(s.name, s.name_latin, s.key) AS outlet"
        " FROM article a LEFT JOIN source s ON s.id = a.source_id"
        " WHERE a.story_id = ? ORDER BY coalesce(a.published, a.fetched_at, a.created_at), a.id",
        (story_id,),
    ).fetchall()
    return [dict(r) for r in rows]


def list_stories(
    store: Store,
    since: str | None = None,
    limit: int = 50,
    offset: int = 0,
    min_outlets: int = 0,
    with_articles: bool = True,
) -> list[dict]:
    """Stories last seen at or after `since` (ISO date), newest first, each with its articles."""
    rows = store.conn.execute(
        "SELECT * FROM story WHERE (? IS NULL OR last_seen >= ?) AND outlet_count >= ?"
        " ORDER BY last_seen DESC, id DESC LIMIT ? OFFSET ?",
        (since, since, min_outlets, limit, offset),
    ).fetchall()
    out = []
    for row in rows:
        story = _story_dict(row)
        if with_articles:
            story["articles"] = story_articles(store, row["id"])
        out.append(story)
    return out


def count_stories(store: Store, min_outlets: int = 0) -> int:
    return store.conn.execute(
        "SELECT count(*) FROM story WHERE outlet_count >= ?", (min_outlets,)
    ).fetchone()[0]


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


def get_story(store: Store, story_id: int) -> dict | None:
    row = store.conn.execute("SELECT * FROM story WHERE id = ?", (story_id,)).fetchone()
    if row is None:
        return None
    story = _story_dict(row)
    story["articles"] = story_articles(store, story_id)
    return story


def get_thread(store: Store, thread_id: int) -> dict | None:
    row = store.conn.execute("SELECT * FROM thread WHERE id = ?", (thread_id,)).fetchone()
    if row is None:
        return None
    stories = store.conn.execute(
        "SELECT * FROM story WHERE thread_id = ? ORDER BY first_seen, id", (thread_id,)
    ).fetchall()
    return {
        "id": row["id"],
        "title": row["title"],
        "first_seen": row["first_seen"],
        "last_seen": row["last_seen"],
        "story_count": row["story_count"],
        "terms": json.loads(row["terms"]),
        "stories": [_story_dict(s) for s in stories],
    }


def ensure_events(store: Store, thread_id: int) -> int:
    """Take the dated events of the thread's articles that have none yet (linking leaves them to the first
    read of a timeline); returns how many were added."""
    pending = store.conn.execute(
        "SELECT 1 FROM article a JOIN story s ON s.id = a.story_id JOIN link_doc d ON d.article_id = a.id"
        " WHERE s.thread_id = ? AND +a.duplicate_of IS NULL AND d.events_done = 0 LIMIT 1",
        (thread_id,),
    ).fetchone()
    if pending is None:
        return 0
    from marsad.link.linker import take_events  # the link area owns event extraction

    if store.conn.in_transaction:
        return take_events(store, thread_id=thread_id)
    try:
        with store.transaction():
            return take_events(store, thread_id=thread_id)
    except sqlite3.OperationalError as exc:
        if "readonly" not in str(exc):
            raise
        log.warning("thread %s: a read-only store shows only the events taken before", thread_id)
        return 0


def thread_events(store: Store, thread_id: int) -> list[dict]:
    """The thread's dated events, oldest first, each with the article it comes from (taken now for the
    articles whose events were not taken yet)."""
    ensure_events(store, thread_id)
    rows = store.conn.execute(
        "SELECT e.date, e.precision, e.text, e.story_id, e.span_start, e.span_end, a.id AS article_id,"
        " a.url, a.title, coalesce(s.name, s.name_latin, s.key) AS outlet"
        " FROM event e JOIN article a ON a.id = e.article_id LEFT JOIN source s ON s.id = a.source_id"
        " WHERE e.thread_id = ? ORDER BY e.date, e.article_id, e.span_start",
        (thread_id,),
    ).fetchall()
    return [
        {
            "date": r["date"],
            "precision": r["precision"],
            "text": r["text"],
            "story_id": r["story_id"],
            "span": [r["span_start"], r["span_end"]],
            "article": {"id": r["article_id"], "url": r["url"], "title": r["title"], "outlet": r["outlet"]},
        }
        for r in rows
    ]


def article_story(store: Store, article_id: int) -> tuple[int | None, int | None]:
    """(story_id, thread_id) of an article."""
    row = store.conn.execute(
        "SELECT a.story_id, s.thread_id FROM article a LEFT JOIN story s ON s.id = a.story_id WHERE a.id = ?",
        (article_id,),
    ).fetchone()
    return (row[0], row[1]) if row else (None, None)
