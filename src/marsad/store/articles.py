"""Articles, their outlets (`source` rows) and failures: the only SQL for these three tables.

One row per canonical URL. `content_hash` is the SHA-256 of the title and body exactly as published, so
re-ingesting a page is "unchanged" (nothing is written), a page whose text changed is "updated", and a URL
never seen is "new". Writes go in batches: the caller opens `store.transaction()` around a batch.
"""

from __future__ import annotations

import hashlib
import json
import logging
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Literal

from marsad.models import (
    Article,
    SourceFailure,
    capped,
    choose_article_url,
    host_of,
    http_url,
    known_outlet,
)
from marsad.models import normalise_outlet_name as _normalise_name
from marsad.store import pending
from marsad.store.db import Store, execute_indexed
from marsad.store.dialect import instant_of
from marsad.store.sql import chunks, decode_json, inserted_id, marks

log = logging.getLogger(__name__)

Outcome = Literal["new", "updated", "unchanged"]


@dataclass
class Upserted:
    id: int
    url: str
    outcome: Outcome


def content_hash(title: str, body: list[str] | str) -> str:
    """SHA-256 (hex) of the title and the body as published: title, a newline, paragraphs joined by newlines."""
    text = body if isinstance(body, str) else "\n".join(body)
    return hashlib.sha256(f"{title}\n{text}".encode()).hexdigest()


def published_iso(value: datetime | date | str | None, precision: str | None) -> str | None:
    """ISO 8601 at the precision the page states: 2017-09-21T10:30:00+01:00, 2017-09-21, 2017-09, 2018-Q1, 2017."""
    if value is None:
        return None
    if isinstance(value, str):
        return value
    if precision == "year":
        return f"{value.year:04d}"
    if precision == "quarter":
        return f"{value.year:04d}-Q{(value.month - 1) // 3 + 1}"
    if precision == "month":
        return f"{value.year:04d}-{value.month:02d}"
    if precision == "day" or not isinstance(value, datetime):
        return value.date().isoformat() if isinstance(value, datetime) else value.isoformat()
    return value.isoformat()


def _iso(value: datetime | str | None) -> str | None:
    if value is None or isinstance(value, str):
        return value
    return value.isoformat()


# --- Sources (outlets) ---------------------------------------------------------------------------------


class SourceCache:
    """source key -> id, for the outlets this process has written or read (cleared on rollback)."""

    def __init__(self) -> None:
        self.ids: dict[str, int] = {}


def source_identity(outlet: str | None, url: str) -> tuple[str, dict] | None:
    """(key, row fields) of the outlet an article belongs to.

    A page with a web address belongs to the outlet of its host: the known outlet whose host it is, else
    the host itself, named as the page names its outlet unless that name is a known outlet's (a page on
    another host that claims og:site_name "العربية" is not Al Arabiya's). A page without one (a saved
    file, a record without a web URL) is credited by its outlet name: a known outlet, else that name.
    """
    host = host_of(url) if http_url(url) else ""
    named = known_outlet(outlet) if outlet else None
    known = known_outlet(None, url) if host else named
    if known is not None:
        return known.key, {
            "name": known.name,
            "name_latin": known.name_latin,
            "home_url": known.home_url,
            "country": known.country,
        }
    if host:
        return host, {
            "name": outlet if outlet and named is None else host,
            "name_latin": None,
            "home_url": f"https://{host}/",
            "country": None,
        }
    if outlet:
        return _normalise_name(outlet), {
            "name": outlet,
            "name_latin": None,
            "home_url": None,
            "country": None,
        }
    return None


def ensure_source(conn: sqlite3.Connection, cache: SourceCache, outlet: str | None, url: str) -> int | None:
    identity = source_identity(outlet, url)
    if identity is None:
        return None
    key, fields = identity
    if key in cache.ids:
        return cache.ids[key]
    row = conn.execute("SELECT id, name FROM source WHERE key = ?", (key,)).fetchone()
    if row is not None and row["name"] == key and fields["name"] != key:
        # the outlet was first seen without a name (only its host): now it has one
        conn.execute("UPDATE source SET name = ? WHERE id = ?", (fields["name"], row["id"]))
    if row is None:
        cursor = conn.execute(
            "INSERT INTO source(key, name, name_latin, home_url, country) VALUES (?, ?, ?, ?, ?)",
            (key, fields["name"], fields["name_latin"], fields["home_url"], fields["country"]),
        )
        source_id = inserted_id(cursor)
    else:
        source_id = row[0]
    cache.ids[key] = source_id
    return source_id


# --- Articles --------------------------------------------------------------------------------------------


_STORED_SCHEMES = ("http://", "https://", "file://")  # file: a saved page with no web address of its own


def article_url(article: Article) -> str:
    """The row's key, canonicalised: the page's canonical URL when extraction found one on the page's own
    site (models.choose_article_url), else its URL."""
    return choose_article_url(article.url, article.canonical_url)[0]


def _row_values(article: Article, *, origin: str, kind: str | None, refused: str | None = None) -> dict:
    """The content columns; `refused` says why the page's canonical URL was not taken, kept in page_extra
    as canonical_refused (with the refused URL when it is http(s)) for an operator to find."""
    extra: dict[str, Any] = {
        "ticker": article.ticker,
        "byline_place": article.byline_place,
        "previous_title": article.previous_title,
        "previous_url": article.previous_url,
        "next_title": article.next_title,
        "next_url": article.next_url,
    }
    if refused:
        extra["canonical_refused"] = {"url": http_url(article.canonical_url), "reason": refused}
    return {
        "title": article.title,
        "body": "\n".join(article.body),
        "summary": article.summary,
        "author": article.author,
        "published": published_iso(article.published, article.precision),
        "precision": article.precision if article.published is not None else None,
        "fetched_at": _iso(article.fetched_at),
        "language": article.language,
        "original_outlet": article.original_outlet,
        "original_url": http_url(article.original_url, base=article.url),  # javascript:, data: dropped
        "images": json.dumps(
            [{"url": i.url, "caption": i.caption} for i in article.images], ensure_ascii=False
        ),
        "page_extra": json.dumps({k: v for k, v in extra.items() if v}, ensure_ascii=False),
        "origin": origin,
        "kind": kind,
        "content_hash": content_hash(article.title, article.body),
    }


_CONTENT_COLUMNS = (
    "title", "body", "summary", "author", "published", "precision", "fetched_at", "language",
    "original_outlet", "original_url", "images", "page_extra", "origin", "kind", "content_hash",
)  # fmt: skip


def upsert_article(
    conn: sqlite3.Connection,
    cache: SourceCache,
    article: Article,
    *,
    origin: str = "",
    kind: str | None = None,
) -> Upserted:
    """Insert a new URL, update a changed one, leave an unchanged one alone (categories are merged)."""
    url, refused = choose_article_url(article.url, article.canonical_url)
    if not url.startswith(_STORED_SCHEMES):
        raise ValueError(f"not an http(s) URL: {url[:200]!r}")
    if refused:
        log.warning("%s: canonical URL refused, %s; kept under %s", origin or url, refused, url)
    values = _row_values(article, origin=origin, kind=kind, refused=refused)
    row = conn.execute("SELECT id, content_hash, categories FROM article WHERE url = ?", (url,)).fetchone()
    stored_categories = json.loads(row["categories"]) if row else []
    categories = stored_categories + [c for c in article.categories if c not in stored_categories]
    if row is None:
        source_id = ensure_source(conn, cache, article.outlet, url)
        columns = ("url", "source_id", "categories", *_CONTENT_COLUMNS)
        params = (
            url,
            source_id,
            json.dumps(categories, ensure_ascii=False),
            *(values[c] for c in _CONTENT_COLUMNS),
        )
        cursor = conn.execute(
            f"INSERT INTO article({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})", params
        )
        created = Upserted(inserted_id(cursor), url, "new")
        pending.mark(conn, created.id)  # to link and index, in this same transaction
        return created
    if row["content_hash"] == values["content_hash"]:
        if categories == stored_categories:
            return Upserted(row["id"], url, "unchanged")
        conn.execute(
            "UPDATE article SET categories = ?, updated_at = strftime('%Y-%m-%dT%H:%M:%SZ','now') WHERE id = ?",
            (json.dumps(categories, ensure_ascii=False), row["id"]),
        )
        pending.mark(conn, row["id"])
        return Upserted(row["id"], url, "updated")
    source_id = ensure_source(conn, cache, article.outlet, url)
    assignments = ", ".join(f"{c} = ?" for c in _CONTENT_COLUMNS)
    conn.execute(
        f"UPDATE article SET {assignments}, source_id = ?, categories = ?,"
        " updated_at = strftime('%Y-%m-%dT%H:%M:%SZ','now') WHERE id = ?",
        (
            *(values[c] for c in _CONTENT_COLUMNS),
            source_id,
            json.dumps(categories, ensure_ascii=False),
            row["id"],
        ),
    )
    pending.mark(conn, row["id"])
    return Upserted(row["id"], url, "updated")


def add_failure(conn: sqlite3.Connection, failure: SourceFailure) -> None:
    """Keep a failure with its reason and capped input; the same failure again bumps its seen_count."""
    content = capped(failure.content)
    if isinstance(content, str):
        content = content.encode("utf-8")
    conn.execute(
        "INSERT INTO failure(origin, url, stage, reason, content) VALUES (?, ?, ?, ?, ?)"
        " ON CONFLICT(origin, coalesce(url, ''), stage, reason) DO UPDATE SET"
        " seen_count = seen_count + 1, last_seen = strftime('%Y-%m-%dT%H:%M:%SZ','now'),"
        " content = coalesce(excluded.content, content)",
        (failure.origin, failure.url, failure.stage, failure.reason, content),
    )


# --- Reads ------------------------------------------------------------------------------------------------


def count_articles(store: Store) -> int:
    return store.conn.execute("SELECT count(*) FROM article").fetchone()[0]


def stats(store: Store) -> dict:
    """Counts: articles, failures, and articles by outlet, by page kind, by category, by month."""
    conn = store.conn
    by_outlet = {
        r["name"]: r["n"]
        for r in conn.execute(
            "SELECT coalesce(s.name, '(unknown)') AS name, count(*) AS n FROM article a"
            " LEFT JOIN source s ON s.id = a.source_id GROUP BY 1 ORDER BY n DESC, name"
        )
    }
    by_kind = {
        r[0]: r[1]
        for r in conn.execute(
            "SELECT coalesce(kind, '(unknown)'), count(*) AS n FROM article GROUP BY 1 ORDER BY n DESC"
        )
    }
    by_category = {
        r[0]: r[1]
        for r in conn.execute(
            "SELECT j.value, count(*) AS n FROM article a, json_each(a.categories) j GROUP BY 1 ORDER BY n DESC, 1"
        )
    }
    failures_by_stage = {
        r[0]: r[1] for r in conn.execute("SELECT stage, count(*) FROM failure GROUP BY 1 ORDER BY 2 DESC")
    }
    return {
        "articles": count_articles(store),
        "sources": conn.execute("SELECT count(*) FROM source").fetchone()[0],
        "failures": sum(failures_by_stage.values()),
        "by_outlet": by_outlet,
        "by_kind": by_kind,
        "by_category": by_category,
        "failures_by_stage": failures_by_stage,
    }


def outlet_counts(store: Store) -> dict[str, int]:
    """Latin (else display) outlet name -> articles."""
    return {
        r[0]: r[1]
        for r in store.conn.execute(
            "SELECT coalesce(s.name_latin, s.name, '(unknown)'), count(*) FROM article a"
            " LEFT JOIN source s ON s.id = a.source_id GROUP BY 1"
        )
    }


_EXPORT_SELECT = (
    "SELECT a.id, a.url, a.title, s.name AS outlet, s.name_latin AS outlet_latin, a.published, a.precision,"
    " a.author, a.categories, a.summary, a.body, a.original_outlet, a.original_url, a.language, a.fetched_at,"
    " a.kind, a.origin, a.content_hash, a.duplicate_of, a.story_id, a.hidden"
    " FROM article a LEFT JOIN source s ON s.id = a.source_id"
)


def _export_dict(row: sqlite3.Row) -> dict:
    item = dict(row)
    item["categories"] = json.loads(item["categories"])
    item["body"] = item["body"].split("\n") if item["body"] else []
    return item


def iter_articles(store: Store, *, include_hidden: bool = True) -> Iterator[dict]:
    """Every article as a dict (body as a list of paragraphs), in id order."""
    sql = _EXPORT_SELECT + ("" if include_hidden else " WHERE a.hidden = 0") + " ORDER BY a.id"
    for row in store.conn.execute(sql):
        yield _export_dict(row)


def list_failures(store: Store, limit: int | None = None) -> list[dict]:
    sql = (
        "SELECT id, origin, url, stage, reason, length(content) AS content_bytes, seen_count, created_at, last_seen"
        " FROM failure ORDER BY id"
    )
    params: tuple = ()
    if limit is not None:
        sql += " LIMIT ?"
        params = (limit,)
    return [dict(r) for r in store.conn.execute(sql, params)]


# --- Reads for the reader, the API and the command line ----------------------------------------------------
# Listings leave hidden articles out; `article()` returns a hidden one too (hidden=True) so that the page at
# its address can say it was hidden.


@dataclass(kw_only=True)
class ArticleItem:
    """An article as listings show it."""

    id: int
    url: str
    title: str
    published: str | None
    precision: str | None
    author: str | None
    source_id: int | None
    outlet: str | None
    outlet_key: str | None
    original_outlet: str | None
    original_url: str | None
    duplicate_of: int | None
    story_id: int | None
    categories: list[str]
    hidden: bool
    summary: str | None
    language: str | None
    reposts: list[ArticleItem] = field(default_factory=list)  # filled where a story groups its members


@dataclass(kw_only=True)
class ArticlePage(ArticleItem):
    """One article with its text as published, images and page extras (ticker, attribution, ...)."""

    body: str
    paragraphs: list[str]
    images: list[dict[str, Any]]
    page_extra: dict[str, Any]
    fetched_at: str | None


LIST_COLUMNS = (
    "a.id, a.url, a.title, a.published, a.precision, a.author, a.source_id, s.name AS outlet,"
    " s.key AS outlet_key, a.original_outlet, a.original_url, a.duplicate_of, a.story_id, a.categories,"
    " a.hidden, a.summary, a.language"
)
FROM_ARTICLE = "FROM article a LEFT JOIN source s ON s.id = a.source_id"


# Listings order by the instant of publication (not the text as stated, whose UTC offsets differ).
INSTANT = instant_of("a.published")
NEWEST = f"ORDER BY {INSTANT} DESC, a.id DESC"
OLDEST = f"ORDER BY {INSTANT}, a.id"
_PAGE_COLUMNS = f"{LIST_COLUMNS}, a.body, a.images, a.page_extra, a.fetched_at"  # what _article_page reads
_LIST_KEYS = [c.rsplit(" ", 1)[-1].split(".")[-1] for c in LIST_COLUMNS.split(", ")]


def article_item(row: sqlite3.Row) -> ArticleItem:
    values = {key: row[key] for key in _LIST_KEYS}
    values["categories"] = [c for c in decode_json(row["categories"], []) if isinstance(c, str)]
    values["hidden"] = bool(row["hidden"])
    return ArticleItem(**values)


def article_rows(store: Store, sql: str, params: Any = ()) -> list[ArticleItem]:
    return [article_item(r) for r in store.conn.execute(sql, params)]


def latest(
    store: Store, limit: int = 30, offset: int = 0, *, outlet_id: int | None = None, reposts: bool = False
) -> list[ArticleItem]:
    """Visible articles, newest first; reposts (duplicate_of set) left out unless `reposts`."""
    where = ["a.hidden = 0"]
    params: list[Any] = []
    if not reposts:
        where.append("+a.duplicate_of IS NULL")  # "+": walk the published index, not the duplicate one
    if outlet_id is not None:
        where.append("a.source_id = ?")
        params.append(outlet_id)
    sql = f"SELECT {LIST_COLUMNS} {FROM_ARTICLE} WHERE {' AND '.join(where)} {NEWEST} LIMIT ? OFFSET ?"
    return article_rows(store, sql, (*params, limit, offset))


def by_ids(store: Store, ids: list[int]) -> list[ArticleItem]:
    """The visible articles of `ids`, in that order (a search's hits as listings show them)."""
    found: dict[int, ArticleItem] = {}
    for part in chunks(ids):
        sql = f"SELECT {LIST_COLUMNS} {FROM_ARTICLE} WHERE a.id IN ({marks(len(part))}) AND a.hidden = 0"
        found.update((item.id, item) for item in article_rows(store, sql, part))
    return [found[i] for i in ids if i in found]


def leads(store: Store, ids: list[int], chars: int = 600) -> dict[int, str]:
    """The first `chars` characters of each article's body (to write a summary from when it has none),
    read through `_body_head`: only those bytes leave the database, however long the body."""
    return {article_id: _body_head(store, article_id, chars)[0] for article_id in ids}


def by_category(store: Store, category: str, limit: int = 30, offset: int = 0) -> list[ArticleItem]:
    sql = (
        f"SELECT {LIST_COLUMNS} {FROM_ARTICLE} WHERE a.hidden = 0 AND +a.duplicate_of IS NULL"
        f" AND EXISTS (SELECT 1 FROM json_each(a.categories) WHERE json_each.value = ?) {NEWEST} LIMIT ? OFFSET ?"
    )
    return article_rows(store, sql, (category, limit, offset))


# Articles are counted by their list of categories first (few distinct lists), read from a partial index of
# the visible originals' lists: walking the article table, bodies and all, took 10 s at a million articles;
# this takes 0.1 s.
_CATEGORY_COUNTS = (
    "SELECT j.value AS name, sum(g.n) AS n FROM (SELECT a.categories AS categories, count(*) AS n"
    " FROM article a {indexed} WHERE a.hidden = 0 AND a.duplicate_of IS NULL AND json_valid(a.categories)"
    " GROUP BY a.categories) g, json_each(g.categories) j GROUP BY j.value ORDER BY n DESC, j.value"
)


def categories(store: Store) -> list[tuple[str, int]]:
    """Every category with its count of visible articles, largest first."""
    rows = execute_indexed(store, _CATEGORY_COUNTS, "article_categories").fetchall()
    return [(r["name"], r["n"]) for r in rows if isinstance(r["name"], str) and r["name"].strip()]


def sections(store: Store, per_section: int = 5, window: int = 600) -> dict[str, list[ArticleItem]]:
    """The newest articles of each category, taken from the newest `window` articles."""
    out: dict[str, list[ArticleItem]] = {}
    for item in latest(store, window):
        for cat in item.categories:
            if cat.strip():
                bucket = out.setdefault(cat, [])
                if len(bucket) < per_section:
                    bucket.append(item)
    return out


def article(store: Store, article_id: int) -> ArticlePage | None:
    """One article with its body, images and page extras; hidden ones too (look at .hidden)."""
    row = store.conn.execute(
        f"SELECT {_PAGE_COLUMNS} {FROM_ARTICLE} WHERE a.id = ?",
        (article_id,),
    ).fetchone()
    return _article_page(row, row["body"] or "") if row else None


def _article_page(row: sqlite3.Row, body: str) -> ArticlePage:
    """An article page from a row of LIST_COLUMNS with images, page_extra and fetched_at, and its body."""
    return ArticlePage(
        **vars(article_item(row)),
        body=body,
        paragraphs=[p for p in body.split("\n") if p.strip()],
        images=[i for i in decode_json(row["images"], []) if isinstance(i, dict)],
        page_extra=decode_json(row["page_extra"], {}),
        fetched_at=row["fetched_at"],
    )


def neighbours(store: Store, item: ArticleItem) -> tuple[ArticleItem | None, ArticleItem | None]:
    """(previous, next) visible article of the same outlet by the instant of publication (undated ones
    first), walking the (source_id, instant) index."""
    if item.source_id is None:
        return None, None
    found = store.conn.execute(f"SELECT {INSTANT} FROM article a WHERE a.id = ?", (item.id,)).fetchone()
    at = found[0] if found else None
    base = f"SELECT {LIST_COLUMNS} {FROM_ARTICLE} WHERE a.source_id = :source AND a.hidden = 0 AND "
    older = f"ORDER BY {INSTANT} DESC, a.id DESC LIMIT 1"
    newer = f"ORDER BY {INSTANT} ASC, a.id ASC LIMIT 1"
    params = {"source": item.source_id, "at": at, "id": item.id}
    undated_before = base + f"{INSTANT} IS NULL AND a.id < :id {older}"
    undated_after = base + f"{INSTANT} IS NULL AND a.id > :id {newer}"
    first_dated = base + f"{INSTANT} IS NOT NULL {newer}"
    last_undated = base + f"{INSTANT} IS NULL {older}"
    if at is None:
        before = _one(store, undated_before, params)
        after = _one(store, undated_after, params) or _one(store, first_dated, params)
    else:
        dated_before = base + f"{INSTANT} <= :at AND ({INSTANT} < :at OR a.id < :id) {older}"
        dated_after = base + f"{INSTANT} >= :at AND ({INSTANT} > :at OR a.id > :id) {newer}"
        before = _one(store, dated_before, params) or _one(store, last_undated, params)
        after = _one(store, dated_after, params)
    return before, after


def _one(store: Store, sql: str, params: dict[str, Any]) -> ArticleItem | None:
    found = article_rows(store, sql, params)
    return found[0] if found else None


def reposts_of(store: Store, article_id: int) -> list[ArticleItem]:
    sql = f"SELECT {LIST_COLUMNS} {FROM_ARTICLE} WHERE a.duplicate_of = ? AND a.hidden = 0 {NEWEST}"
    return article_rows(store, sql, (article_id,))


def count_visible(store: Store) -> int:
    return store.conn.execute("SELECT count(*) FROM article WHERE hidden = 0").fetchone()[0]


def search_like(
    store: Store,
    terms: list[str],
    limit: int = 20,
    offset: int = 0,
    *,
    outlet: int | None = None,
    category: str | None = None,
    since: str | None = None,
    until: str | None = None,
    story: int | None = None,
) -> tuple[int, list[ArticlePage]]:
    """Substring search on title and body (every term must appear), for when the search index is missing
    or busy. The filters are the search page's: an outlet id, a category, whole periods ("2018",
    "2018-05", "2018-05-31") from `since` to `until`, a story."""
    terms = [t for t in terms if t][:8]
    if not terms:
        return 0, []
    if any("\0" in text for text in (*terms, category or "", since or "", until or "")):
        return 0, []  # no stored text holds a NUL (PostgreSQL's cannot, and refuses one as a parameter)
    conditions = ["a.hidden = 0"]
    params: list[Any] = []
    for t in terms:
        pattern = "%" + t.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        conditions.append("(a.title LIKE ? ESCAPE '\\' OR a.body LIKE ? ESCAPE '\\')")
        params += [pattern, pattern]
    if outlet is not None:
        conditions.append("a.source_id = ?")
        params.append(outlet)
    if category:
        conditions.append("EXISTS (SELECT 1 FROM json_each(a.categories) WHERE lower(value) = lower(?))")
        params.append(category.strip())
    if since:  # ISO dates compare as text; a period is compared on as many characters as it has
        conditions.append("substr(a.published, 1, ?) >= ?")
        params += [len(since), since]
    if until:
        conditions.append("substr(a.published, 1, ?) <= ?")
        params += [len(until), until]
    if story is not None:
        conditions.append("a.story_id = ?")
        params.append(story)
    where = "WHERE " + " AND ".join(conditions)
    total = store.conn.execute(f"SELECT count(*) {FROM_ARTICLE} {where}", params).fetchone()[0]
    rows = store.conn.execute(
        f"SELECT {_PAGE_COLUMNS} {FROM_ARTICLE} {where} {NEWEST} LIMIT ? OFFSET ?",
        (*params, limit, offset),
    )
    return total, [_article_page(row, row["body"] or "") for row in rows]


# --- An article as the reader shows it: its text cut for display -------------------------------------------
# The store keeps the text as published, whole, however long (a corpus record may hold 200 MB). The page and
# the API send at most the `article_view_chars` setting's characters of it, in whole paragraphs. Only the
# bytes those characters can take are read (SQLite's incremental blob I/O); the whole text's length, which
# SQLite counts by reading it all, is kept by the Store for the next view of the same text.

BODY_LENGTHS_KEPT = 4096


@dataclass(frozen=True)
class ArticleView:
    """An article with `page.body` and `page.paragraphs` cut for display; the stored text is untouched."""

    page: ArticlePage
    body_chars: int  # the whole stored body, in characters
    shown_chars: int  # of the body shown (paragraphs joined by newlines)

    @property
    def truncated(self) -> bool:
        return self.shown_chars < self.body_chars


def article_view(store: Store, article_id: int, limit: int) -> ArticleView | None:
    """The article (hidden ones too, like `articles.article`) with at most `limit` characters of its body."""
    row = store.conn.execute(
        f"SELECT {LIST_COLUMNS}, a.content_hash, a.images, a.page_extra, a.fetched_at {FROM_ARTICLE}"
        " WHERE a.id = ?",
        (article_id,),
    ).fetchone()
    if row is None:
        return None
    head, body_bytes = _body_head(store, article_id, limit + 1)  # one more: does the last paragraph end there
    if body_bytes is None or len(head) <= limit:  # read whole
        total = len(head)
    else:
        total = _body_chars(store, article_id, row["content_hash"], body_bytes)
    body = head if total <= limit else cut_text(head, limit)
    return ArticleView(page=_article_page(row, body), body_chars=total, shown_chars=len(body))


def _body_head(store: Store, article_id: int, chars: int) -> tuple[str, int | None]:
    """(the body's first `chars` characters, its size in bytes), read through SQLite's incremental I/O: only
    the bytes those characters can take (4 a character at most) leave the database file. The size is None
    when the whole body was read (a NULL, an empty or a short body, or a value that cannot be opened).
    PostgreSQL has no incremental I/O: the server cuts the text and tells its size."""
    if not store.is_sqlite:
        found = store.conn.execute(
            "SELECT substr(body, 1, ?), octet_length(body) FROM article WHERE id = ?", (chars, article_id)
        ).fetchone()
        head = (found[0] or "") if found else ""
        return head, (found[1] if found and len(head) >= chars else None)
    try:
        blob = store.conn.blobopen("article", "body", article_id, readonly=True)
    except sqlite3.Error:  # a NULL body (no value to open)
        found = store.conn.execute(
            "SELECT substr(body, 1, ?) FROM article WHERE id = ?", (chars, article_id)
        ).fetchone()
        return (found[0] or "") if found else "", None
    with blob:
        size = len(blob)
        raw = blob.read(min(size, 4 * chars))
    if len(raw) == size:
        return raw.decode("utf-8", errors="replace")[:chars], None
    return raw.decode("utf-8", errors="ignore")[:chars], size  # "ignore": a character cut at the end


def _body_chars(store: Store, article_id: int, content_hash: str | None, size: int) -> int:
    """The length in characters of a long body (SQLite reads it whole to count: ~0.5 s at 200 MB), kept by
    the store for the next view of the same text (the key holds its hash and its size in bytes)."""
    key = (article_id, content_hash or "", size)
    known = store.body_lengths.get(key)
    if known is None:
        found = store.conn.execute("SELECT length(body) FROM article WHERE id = ?", (article_id,)).fetchone()
        known = int(found[0] or 0) if found else 0
        if len(store.body_lengths) >= BODY_LENGTHS_KEPT:
            store.body_lengths.pop(next(iter(store.body_lengths)))
        store.body_lengths[key] = known
    return known


def cut_text(text: str, limit: int) -> str:
    """The whole paragraphs of `text` (newline-separated) that fit in `limit` characters; when not even the
    first fits, that paragraph cut at the last space within the limit (or at the limit)."""
    if len(text) <= limit:
        return text
    end = text.rfind("\n", 0, limit + 1)
    if end > 0 and text[:end].strip():
        return text[:end].rstrip("\n")
    cut = text.rfind(" ", 0, limit + 1)
    return text[: cut if cut > limit // 2 else limit]


def original_of(store: Store, page: ArticlePage) -> ArticleItem | None:
    """The article a repost copies, as listings show it (no body read)."""
    if not page.duplicate_of:
        return None
    found = article_rows(store, f"SELECT {LIST_COLUMNS} {FROM_ARTICLE} WHERE a.id = ?", (page.duplicate_of,))
    return found[0] if found else None
