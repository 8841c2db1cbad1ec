"""The SQL behind search: articles read for indexing, and the rows shown for hits.

SQLite is the source of truth; the search index is derived from these rows and can be rebuilt from them.
"""

from __future__ import annotations

import json
import logging
import sqlite3
import threading
import weakref
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from marsad.store.db import Store, execute_indexed

log = logging.getLogger(__name__)

# SQLite's default limit on bound parameters is 32766; stay well below it.
_CHUNK = 900


@dataclass(frozen=True)
class IndexRow:
    """What the index needs to know about one article."""

    id: int
    title: str
    body: str
    summary: str | None
    published: str | None
    language: str | None
    categories: list[str]
    source_id: int | None
    hidden: bool


@dataclass(frozen=True)
class HitRow:
    """What a search hit shows, read back from SQLite."""

    id: int
    url: str
    title: str
    body: str
    outlet: str | None
    published: str | None
    story_id: int | None
    duplicate_of: int | None
    hidden: bool


def _chunks(ids: list[int]) -> Iterator[list[int]]:
    for start in range(0, len(ids), _CHUNK):
        yield ids[start : start + _CHUNK]


def _categories(raw: str | None) -> list[str]:
    try:
        value = json.loads(raw or "[]")
    except ValueError:
        return []
    return [str(item) for item in value] if isinstance(value, list) else []


def _index_row(row: sqlite3.Row) -> IndexRow:
    return IndexRow(
        id=row["id"],
        title=row["title"],
        body=row["body"],
        summary=row["summary"],
        published=row["published"],
        language=row["language"],
        categories=_categories(row["categories"]),
        source_id=row["source_id"],
        hidden=bool(row["hidden"]),
    )


_INDEX_COLUMNS = "id, title, body, summary, published, language, categories, source_id, hidden"


def index_rows(store: Store, ids: Iterable[int]) -> list[IndexRow]:
    """The rows for these ids (missing ids are left out), in id order."""
    out: list[IndexRow] = []
    for chunk in _chunks(sorted(set(ids))):
        marks = ",".join("?" * len(chunk))
        sql = f"SELECT {_INDEX_COLUMNS} FROM article WHERE id IN ({marks}) ORDER BY id"
        out.extend(_index_row(row) for row in store.conn.execute(sql, chunk))
    return out


def all_index_rows(store: Store, batch: int = 2000) -> Iterator[list[IndexRow]]:
    """Every visible article, in batches of `batch`, by id (keyset pagination: steady memory)."""
    last = -1
    while True:
        rows = store.conn.execute(
            f"SELECT {_INDEX_COLUMNS} FROM article WHERE id > ? AND hidden = 0 ORDER BY id LIMIT ?",
            (last, batch),
        ).fetchall()
        if not rows:
            return
        yield [_index_row(row) for row in rows]
        last = rows[-1]["id"]


def count_visible(store: Store) -> int:
    return store.conn.execute("SELECT count(*) FROM article WHERE hidden = 0").fetchone()[0]


# A hit's snippet is looked for in the first this many characters of its body: an article of 200 MB would
# otherwise be read whole and scanned for every search it turns up in (ANT's longest is 21,119).
HIT_BODY_CHARS = 100_000


def hit_rows(store: Store, ids: Iterable[int], *, with_body: bool = True) -> dict[int, HitRow]:
    """id -> the row a hit shows (title, the body's first HIT_BODY_CHARS characters, outlet name, story), for
    the ids that exist."""
    body = f"substr(a.body, 1, {HIT_BODY_CHARS})" if with_body else "''"
    out: dict[int, HitRow] = {}
    cursor = store.conn.cursor()
    cursor.row_factory = None  # plain tuples, in HitRow's field order
    for chunk in _chunks(sorted(set(ids))):
        marks = ",".join("?" * len(chunk))
        sql = (
            f"SELECT a.id, a.url, a.title, {body}, s.name, a.published, a.story_id, a.duplicate_of, a.hidden"
            f" FROM article a LEFT JOIN source s ON s.id = a.source_id WHERE a.id IN ({marks})"
        )
        rows = cursor.execute(sql, chunk)
        for article_id, url, title, text, outlet, published, story_id, duplicate_of, hidden in rows:
            out[article_id] = HitRow(
                article_id, url, title, text, outlet, published, story_id, duplicate_of, bool(hidden)
            )
    return out


SEARCH_CACHE_KIB = 65_536
_tuned: weakref.WeakSet[Store] = weakref.WeakSet()


def tune_for_search(store: Store) -> None:
    """Once per store: a page cache of at least 64 MB for this connection (SQLite's default is 2 MB), so
    the state index and the upper levels of the article table stay in memory between queries."""
    if store in _tuned or not store.is_sqlite:  # a PostgreSQL server's cache is its own
        return
    _tuned.add(store)
    size = store.conn.execute("PRAGMA cache_size").fetchone()[0]
    # A negative size is in KiB, a positive one in pages. Only ever grow it (linking may have set more).
    if size >= 0:
        size = -size * store.conn.execute("PRAGMA page_size").fetchone()[0] // 1024
    if -size < SEARCH_CACHE_KIB:
        store.conn.execute(f"PRAGMA cache_size = -{SEARCH_CACHE_KIB}")


def warm_search_state(store: Store) -> threading.Thread | None:
    """Read the collapse index (005_search.sql, ~15 MB at a million articles) once in a background thread
    with its own connection, so that the operating system holds its pages: every search looks up 64 or more
    candidates in it, each on its own page, and after a restart the first searches waited for those
    reads one by one (the article rows they show are read from disk either way). Returns the thread."""
    if not store.is_sqlite or not store.path.is_file():
        return None
    thread = threading.Thread(
        target=_read_state_index, args=(store.path,), name="marsad-search-warm-up", daemon=True
    )
    thread.start()
    return thread


def _read_state_index(path: object) -> None:
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=1)
        try:
            conn.execute("SELECT max(hidden) FROM article INDEXED BY article_search_state").fetchone()
        finally:
            conn.close()
    except sqlite3.Error as error:  # an old database without the index, or one being replaced: no matter
        log.debug("search warm-up skipped: %s", error)


def group_states(store: Store, ids: Iterable[int]) -> dict[int, tuple[int | None, int | None, bool]]:
    """id -> (story_id, duplicate_of, hidden) for the ids that exist: what collapsing candidates needs,
    read from a small covering index rather than from the article rows (bodies and all)."""
    out: dict[int, tuple[int | None, int | None, bool]] = {}
    cursor = store.conn.cursor()
    cursor.row_factory = None  # plain tuples: no sqlite3.Row per candidate
    for chunk in _chunks(sorted(set(ids))):
        for article_id, story_id, duplicate_of, hidden in _state_rows(store, cursor, chunk):
            out[article_id] = (story_id, duplicate_of, bool(hidden))
    return out


def _state_rows(store: Store, cursor: sqlite3.Cursor, chunk: list[int]) -> sqlite3.Cursor:
    marks = ",".join("?" * len(chunk))
    sql = f"SELECT id, story_id, duplicate_of, hidden FROM article {{indexed}} WHERE id IN ({marks})"
    # 005_search.sql's covering index (SQLite would look the ids up in the table itself)
    return execute_indexed(store, sql, "article_search_state", chunk, cursor)


def story_article_ids(store: Store, story_id: int) -> list[int]:
    return [r[0] for r in store.conn.execute("SELECT id FROM article WHERE story_id = ?", (story_id,))]


def source_ids_for(store: Store, outlet: str) -> list[int]:
    """The outlet ids an `--outlet` value names: its key, its name, its Latin name, or its id."""
    rows = store.conn.execute(
        "SELECT id FROM source WHERE key = ?1 OR name = ?1 OR lower(name_latin) = lower(?1) OR CAST(id AS TEXT) = ?1",
        (outlet.strip(),),
    )
    return [r[0] for r in rows]


def source_names(store: Store, ids: Iterable[int]) -> dict[int, str]:
    out: dict[int, str] = {}
    for chunk in _chunks(sorted(set(ids))):
        marks = ",".join("?" * len(chunk))
        for row in store.conn.execute(f"SELECT id, name FROM source WHERE id IN ({marks})", chunk):
            out[row[0]] = row[1]
    return out
