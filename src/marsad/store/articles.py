"""Articles, their outlets (`source` rows) and failures: the only SQL for these three tables.

One row per canonical URL. `content_hash` is the SHA-256 of the title and body exactly as published, so
re-ingesting a page is "unchanged" (nothing is written), a page whose text changed is "updated", and a URL
never seen is "new". Writes go in batches: the caller opens `store.transaction()` around a batch.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from typing import Literal

from marsad.models import Article, SourceFailure, canonical_url, capped, host_of, known_outlet
from marsad.models import normalise_outlet_name as _normalise_name
from marsad.store.db import Store

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
    """(key, row fields) of the outlet an article belongs to: a known outlet, else its host or name."""
    known = known_outlet(outlet, url)
    if known is not None:
        return known.key, {
            "name": known.name,
            "name_latin": known.name_latin,
            "home_url": known.home_url,
            "country": known.country,
        }
    host = host_of(url)
    if host:
        return host, {
            "name": outlet or host,
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
        source_id = cursor.lastrowid
    else:
        source_id = row[0]
    cache.ids[key] = source_id
    return source_id


# --- Articles --------------------------------------------------------------------------------------------


def article_url(article: Article) -> str:
    """The row's key: the page's canonical URL when extraction found one, else its URL, canonicalised."""
    return canonical_url(article.canonical_url or article.url)


def _row_values(article: Article, *, origin: str, kind: str | None) -> dict:
    extra = {
        "ticker": article.ticker,
        "previous_title": article.previous_title,
        "previous_url": article.previous_url,
        "next_title": article.next_title,
        "next_url": article.next_url,
    }
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
        "original_url": article.original_url,
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
    url = article_url(article)
    values = _row_values(article, origin=origin, kind=kind)
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
        return Upserted(cursor.lastrowid, url, "new")
    if row["content_hash"] == values["content_hash"]:
        if categories == stored_categories:
            return Upserted(row["id"], url, "unchanged")
        conn.execute(
            "UPDATE article SET categories = ?, updated_at = strftime('%Y-%m-%dT%H:%M:%SZ','now') WHERE id = ?",
            (json.dumps(categories, ensure_ascii=False), row["id"]),
        )
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


def get_article(store: Store, article_id: int) -> dict | None:
    row = store.conn.execute(_EXPORT_SELECT + " WHERE a.id = ?", (article_id,)).fetchone()
    return _export_dict(row) if row else None


def article_id_for_url(store: Store, url: str) -> int | None:
    row = store.conn.execute("SELECT id FROM article WHERE url = ?", (canonical_url(url),)).fetchone()
    return row[0] if row else None


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
