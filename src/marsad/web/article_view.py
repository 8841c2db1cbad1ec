"""An article as the reader's page and API show it: its text cut to the `article_view_chars` setting.

The store keeps the text as published, whole, however long (a corpus record may hold 200 MB). The page and
the API send at most `article_view_chars` characters of it, in whole paragraphs, and say so: SQLite hands
over only that much of the body (substr) and its length, so a view never reads the whole text into Python.
"""

from __future__ import annotations

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
        f"SELECT {LIST_COLUMNS}, substr(a.body, 1, :head) AS body_head, length(a.body) AS body_chars,"
        f" a.images, a.page_extra, a.fetched_at {FROM_ARTICLE} WHERE a.id = :id",
        {"head": limit + 1, "id": article_id},  # one more: whether the last paragraph ends at the limit
    ).fetchone()
    if row is None:
        return None
    head, total = row["body_head"] or "", row["body_chars"] or 0
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
