"""Search for the reader: marsad.search when its index is there, else a plain substring search.

Both give the same shape: total, facets {"outlet": {name: n}, "month": {yyyy-mm: n}}, and hits with an
escaped snippet where the matched words are wrapped in <mark>.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from datetime import datetime

from markupsafe import Markup

from marsad.store import articles
from marsad.store.db import Store
from marsad.web import present

log = logging.getLogger(__name__)
MAX_QUERY = 300
_last_warning = [0.0]


def _warn_fallback(exc: Exception) -> None:
    """Say once a minute, not once a request, that search fell back to substring matching."""
    now = time.monotonic()
    if now - _last_warning[0] > 60:
        _last_warning[0] = now
        log.warning("search index unavailable, falling back to substring search: %s", exc)


@dataclass
class Filters:
    outlet: int | None = None
    category: str | None = None
    since: str | None = None
    until: str | None = None
    story: int | None = None
    sort: str = "relevance"


@dataclass(kw_only=True)
class Hit:
    """A search result as the reader shows it: the snippet and title with the matched words in <mark>."""

    id: int
    url: str
    title: str
    outlet: str | None
    published: str | None
    story_id: int | None
    snippet_html: Markup
    title_html: Markup | None
    folded: int = 0  # articles of its story (or reposts group) folded under it
    summary: str | None = None
    author: str | None = None
    original_url: str | None = None


@dataclass
class Found:
    total: int
    hits: list[Hit]
    facets: dict[str, dict[str, int]] = field(default_factory=dict)
    engine: str = "index"
    error: str | None = None
    relaxed: bool = False  # no article had every word: these hits have most of them


def run(store: Store, query: str, filters: Filters, limit: int = 20, offset: int = 0) -> Found:
    query = (query or "").strip()[:MAX_QUERY]
    if not query:
        return Found(0, [], {}, "none")
    try:
        from marsad.search import QueryError
        from marsad.search import search as engine
    except ImportError:
        return _fallback(store, query, filters, limit, offset)
    try:
        return _from_index(store, engine, query, filters, limit, offset)
    except QueryError as exc:  # the query itself cannot run: tell the reader why
        return Found(0, [], {}, "index", str(exc))
    except Exception as exc:  # the index may be missing or busy: the reader still answers
        _warn_fallback(exc)
    return _fallback(store, query, filters, limit, offset)


def _from_index(store: Store, engine, query: str, filters: Filters, limit: int, offset: int) -> Found:
    result = engine(
        store,
        query,
        outlet=filters.outlet,
        category=filters.category,
        since=filters.since or None,  # "2018", "2018-05" or "2018-05-31": whole periods, the day included
        until=filters.until or None,
        story=filters.story,
        sort="newest" if filters.sort == "newest" else "relevance",
        limit=limit,
        offset=offset,
    )
    hits = []
    for hit in result.hits:
        published = hit.published.isoformat() if isinstance(hit.published, datetime) else hit.published
        hits.append(
            Hit(
                id=hit.id,
                url=hit.url,
                title=hit.title,
                outlet=hit.outlet,
                published=published,
                story_id=hit.story_id,
                snippet_html=present.clean_snippet(hit.snippet_html),
                title_html=present.clean_snippet(hit.title_html or "") or None,
                folded=int(hit.folded or 0),
            )
        )
    facets = {
        name: {str(k): int(v) for k, v in values.items()} for name, values in (result.facets or {}).items()
    }
    return Found(int(result.total), hits, facets, "index", relaxed=result.relaxed)


def _fallback(store: Store, query: str, filters: Filters, limit: int, offset: int) -> Found:
    terms = [t.strip("\"'()") for t in query.split()]
    total, rows = articles.search_like(
        store,
        terms,
        limit,
        offset,
        outlet=filters.outlet,
        category=filters.category,
        since=filters.since or None,
        until=filters.until or None,
        story=filters.story,
    )
    hits = []
    for row in rows:
        text = " ".join(row.paragraphs)
        hits.append(
            Hit(
                id=row.id,
                url=row.url,
                title=row.title,
                outlet=row.outlet,
                published=row.published,
                story_id=row.story_id,
                snippet_html=present.highlight(text, terms) if text else Markup(""),
                title_html=present.highlight(row.title, terms, 10_000),
                summary=row.summary,
                author=row.author,
                original_url=row.original_url,
            )
        )
    return Found(total, hits, {}, "substring")
