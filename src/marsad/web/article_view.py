"""An article as the reader's page and API show it: its text cut to the `article_view_chars` setting.

The store keeps the text as published, whole, however long (a corpus record may hold 200 MB). The page and
the API send at most `article_view_chars` characters of it, in whole paragraphs, and say so. Only the bytes
those characters can take are read (SQLite's incremental blob I/O); the whole text's length, which SQLite
counts by reading it all (~0.5 s at 200 MB), is kept in memory for the next view of the same text. With a
200 MB article: the first view 0.8 s, the next ones 0.08 s, each sending ~360 KB.
"""

from __future__ import annotations

import sqlite3
import threading
import weakref
from dataclasses import dataclass
from typing import Any

from marsad.settings import resolve
from marsad.store import articles
from marsad.store.articles import FROM_ARTICLE, LIST_COLUMNS, ArticlePage, article_item
from marsad.store.db import Store
from marsad.store.sql import decode_json

_limits: weakref.WeakKeyDictionary[Any, int] = weakref.WeakKeyDictionary()


def view_limit(reader: Any) -> int:
    """The reader's `article_view_chars`: its own attribute when it has one, else the setting (read once
    per reader: the variable, else the default)."""
    own = getattr(reader, "article_view_chars", None)
    if own is not None:
        return int(own)
    if reader not in _limits:
        _limits[reader] = resolve("article_view_chars")
    return _limits[reader]


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
    page = ArticlePage(
        **vars(article_item(row)),
        body=body,
        paragraphs=[p for p in body.split("\n") if p.strip()],
        images=[i for i in decode_json(row["images"], []) if isinstance(i, dict)],
        page_extra=decode_json(row["page_extra"], {}),
        fetched_at=row["fetched_at"],
    )
    return ArticleView(page=page, body_chars=total, shown_chars=len(body))


def _body_head(store: Store, article_id: int, chars: int) -> tuple[str, int | None]:
    """(the body's first `chars` characters, its size in bytes), read through SQLite's incremental I/O: only
    the bytes those characters can take (4 a character at most) leave the database file. The size is None
    when the whole body was read (a NULL, an empty or a short body, or a value that cannot be opened)."""
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


_CHARS_CACHE = 4096
_chars: dict[tuple[str, int, str, int], int] = {}
_chars_lock = threading.Lock()


def _body_chars(store: Store, article_id: int, content_hash: str | None, size: int) -> int:
    """The length in characters of a long body (SQLite reads it whole to count: ~0.5 s at 200 MB), kept
    for the next view of the same text (the key holds its hash and its size in bytes)."""
    key = (str(store.path), article_id, content_hash or "", size)
    with _chars_lock:
        if key in _chars:
            return _chars[key]
    found = store.conn.execute("SELECT length(body) FROM article WHERE id = ?", (article_id,)).fetchone()
    total = int(found[0] or 0) if found else 0
    with _chars_lock:
        if len(_chars) >= _CHARS_CACHE:
            _chars.pop(next(iter(_chars)))
        _chars[key] = total
    return total


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


def original_of(store: Store, page: ArticlePage) -> articles.ArticleItem | None:
    """The article a repost copies, as listings show it (no body read)."""
    if not page.duplicate_of:
        return None
    found = articles.article_rows(
        store, f"SELECT {LIST_COLUMNS} {FROM_ARTICLE} WHERE a.id = ?", (page.duplicate_of,)
    )
    return found[0] if found else None


__all__ = ["ArticleView", "article_view", "cut_text", "original_of", "view_limit"]
