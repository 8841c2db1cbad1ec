"""Pages as fetched (table `page`): the html or text page each such article was extracted from, compressed,
so that it can be extracted again (`marsad reextract`) with what Marsad knows later."""

from __future__ import annotations

import sqlite3
import zlib
from dataclasses import dataclass
from datetime import datetime

from marsad.models import Page
from marsad.store.db import Store

KEPT_KINDS = ("html", "text")
LEVEL = 3  # zlib: level 6 saves 2.5% more of a page at twice the time (docs/benchmarks.md)


def keep(conn: sqlite3.Connection, article_id: int, page: Page, *, replace: bool = True) -> None:
    """Keep the page of a stored article (in the caller's transaction); with `replace` False, only when the
    article has no page yet (an unchanged article stored before pages were kept)."""
    if page.kind not in KEPT_KINDS:
        return
    is_text = isinstance(page.content, str)
    raw = page.content.encode("utf-8") if isinstance(page.content, str) else bytes(page.content)
    verb = "INSERT OR REPLACE" if replace else "INSERT OR IGNORE"
    conn.execute(
        f"{verb} INTO page(article_id, url, kind, content, is_text, size, content_type, encoding,"
        " fetched_at, origin, outlet_hint) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            article_id,
            page.url,
            page.kind,
            zlib.compress(raw, LEVEL),
            int(is_text),
            len(raw),
            page.content_type or "",
            page.encoding,
            page.fetched_at.isoformat() if page.fetched_at else None,
            page.origin,
            page.outlet_hint,
        ),
    )


def kept_page(store: Store, article_id: int) -> Page | None:
    """The article's page as it was fetched, or None when none was kept."""
    row = store.conn.execute("SELECT * FROM page WHERE article_id = ?", (article_id,)).fetchone()
    if row is None:
        return None
    raw = zlib.decompress(row["content"])
    return Page(
        url=row["url"],
        kind=row["kind"],
        content=raw.decode("utf-8") if row["is_text"] else raw,
        content_type=row["content_type"],
        encoding=row["encoding"],
        fetched_at=datetime.fromisoformat(row["fetched_at"]) if row["fetched_at"] else None,
        origin=row["origin"] or "",
        outlet_hint=row["outlet_hint"],
    )


@dataclass(frozen=True)
class PageSizes:
    pages: int
    size: int  # bytes as fetched
    stored: int  # bytes compressed


def page_sizes(store: Store) -> PageSizes:
    row = store.conn.execute(
        "SELECT count(*), coalesce(sum(size), 0), coalesce(sum(length(content)), 0) FROM page"
    ).fetchone()
    return PageSizes(row[0], row[1], row[2])
