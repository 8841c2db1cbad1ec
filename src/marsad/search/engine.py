"""search(): parse, filter, rank, collapse to one hit per story, count facets, and build snippets."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Literal

import tantivy

from marsad.search.index import NO_DATE, SCHEMA, IndexUnavailable, check_analyser, open_index, timestamp
from marsad.search.query import ParsedQuery, QueryError, parse, relaxed_minimum, to_tantivy
from marsad.search.snippets import highlight, make_snippet
from marsad.store import searchfeed
from marsad.store.db import Store

# Relevance is BM25 times a mild recency factor: 1 + RECENCY_WEIGHT * 0.5 ** (age / RECENCY_HALF_LIFE),
# the age measured from the newest candidate, so the freshest of equally good articles comes first
# while a clearly better older one still wins.
RECENCY_WEIGHT = 0.1
RECENCY_HALF_LIFE_DAYS = 30.0
MIN_CANDIDATES = 64
MAX_LIMIT = 200
FACET_OUTLETS = 1000
FACET_MONTHS = 5000

Sort = Literal["relevance", "newest"]


@dataclass
class Hit:
    id: int
    url: str
    title: str
    outlet: str | None
    published: str | None
    story_id: int | None
    snippet_html: str
    title_html: str = ""
    score: float = 0.0
    folded: int = 0  # other matching articles of the same story among the ranked candidates


@dataclass
class SearchResult:
    total: int  # exact number of matching articles (before collapsing)
    relaxed: bool = False  # no article had every word: these hits have most of them
    facets: dict[str, dict[str, int]] = field(default_factory=lambda: {"outlet": {}, "month": {}})
    hits: list[Hit] = field(default_factory=list)


# ------------------------------------------------------------------------------------------- filters


def _bound(value: str | date | datetime | None, *, end: bool) -> int | None:
    """Seconds since the epoch for a `since` (start of the period) or `until` (end of the period)."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        moment = value if value.tzinfo else value.replace(tzinfo=UTC)
        return int(moment.timestamp())
    if isinstance(value, date):
        day = datetime(value.year, value.month, value.day, tzinfo=UTC)
        return int((day + timedelta(days=1)).timestamp()) - 1 if end else int(day.timestamp())
    text = str(value).strip()
    start = timestamp(text)
    if start == NO_DATE:
        raise QueryError(f"cannot read {text!r} as a date: use 2018-03-15, 2018-03 or 2018")
    if not end:
        return start
    if len(text) == 4:  # a year
        return int(datetime(int(text) + 1, 1, 1, tzinfo=UTC).timestamp()) - 1
    if len(text) == 7:  # a month
        year, month = int(text[:4]), int(text[5:7])
        nxt = datetime(year + month // 12, month % 12 + 1, 1, tzinfo=UTC)
        return int(nxt.timestamp()) - 1
    if len(text) == 10:  # a day
        return start + 86_400 - 1
    return start


def _filters(
    store: Store,
    *,
    outlet: str | int | list[str | int] | None,
    category: str | None,
    since: str | date | datetime | None,
    until: str | date | datetime | None,
    story: int | None,
    language: str | None,
) -> list[tantivy.Query]:
    out: list[tantivy.Query] = []
    if outlet not in (None, "", []):
        names = outlet if isinstance(outlet, list) else [outlet]
        ids = sorted({i for name in names for i in searchfeed.source_ids_for(store, str(name))})
        if not ids:
            raise QueryError(f"no outlet called {', '.join(map(str, names))}")
        out.append(tantivy.Query.term_set_query(SCHEMA, "source_id", ids))
    if category:
        out.append(tantivy.Query.term_query(SCHEMA, "category", category.strip().lower()))
    if language:
        out.append(tantivy.Query.term_query(SCHEMA, "language", language.strip().lower()))
    low, high = _bound(since, end=False), _bound(until, end=True)
    if low is not None or high is not None:
        if low is not None and high is not None and low > high:
            raise QueryError("the start date comes after the end date")
        low = low if low is not None else NO_DATE + 1
        out.append(tantivy.Query.range_query(SCHEMA, "ts", tantivy.FieldType.Integer, low, high))
    if story is not None:
        ids = searchfeed.story_article_ids(store, int(story))
        out.append(tantivy.Query.term_set_query(SCHEMA, "id", ids) if ids else tantivy.Query.empty_query())
    return out


# ------------------------------------------------------------------------------------------- ranking


def _recency_factor(ts: int, newest: int) -> float:
    if ts == NO_DATE or newest == NO_DATE:
        return 1.0
    age_days = max(0.0, (newest - ts) / 86_400)
    return 1.0 + RECENCY_WEIGHT * math.pow(0.5, age_days / RECENCY_HALF_LIFE_DAYS)


def _candidates(
    searcher: tantivy.Searcher, query: tantivy.Query, sort: Sort, k: int
) -> tuple[int, list[tuple[int, float]]]:
    """(total matches, [(article id, score)] best first) for the top `k` matches."""
    if sort == "newest":
        result = searcher.search(query, limit=k, count=True, order_by_field="ts", order=tantivy.Order.Desc)
        addresses = [address for _, address in result.hits]
        ids = searcher.fast_field_values("id", addresses)
        return result.count, [(i, 0.0) for i in ids]
    result = searcher.search(query, limit=k, count=True)
    addresses = [address for _, address in result.hits]
    ids = searcher.fast_field_values("id", addresses)
    stamps = searcher.fast_field_values("ts", addresses)
    newest = max((t for t in stamps if t is not None and t != NO_DATE), default=NO_DATE)
    scored = [
        (i, score * _recency_factor(t if t is not None else NO_DATE, newest))
        for (score, _), i, t in zip(result.hits, ids, stamps, strict=True)
    ]
    scored.sort(key=lambda pair: (-pair[1], pair[0]))
    return result.count, scored


def _pool(n: int) -> int:
    return 1 << (n - 1).bit_length()


_warmed: dict[str, tantivy.Index] = {}  # db path -> the index handle whose opening started a warm-up


def _open_searcher(store: Store) -> tantivy.Searcher:
    """A searcher on the store's index; QueryError (for the reader) when it is missing or stale. Each time
    the index is opened anew (a start, a rebuild), the collapse index is read in the background."""
    try:
        index = open_index(store)
        check_analyser(store)
    except IndexUnavailable as error:
        raise QueryError(str(error)) from error
    if _warmed.get(str(store.path)) is not index:
        _warmed[str(store.path)] = index
        searchfeed.warm_search_state(store)
    return index.searcher()


def _group_key(article_id: int, story_id: int | None, duplicate_of: int | None) -> tuple[str, int]:
    if story_id is not None:
        return ("story", story_id)
    return ("article", duplicate_of if duplicate_of is not None else article_id)


def _page(
    store: Store,
    searcher: tantivy.Searcher,
    query: tantivy.Query,
    *,
    sort: Sort,
    collapse: bool,
    limit: int,
    offset: int,
) -> tuple[int, list[tuple[int, float, int]]]:
    """(total, [(article id, score, folded)]) for the requested page, reading more candidates while
    collapsing needs them."""
    wanted = offset + limit
    # The recency re-rank depends on the candidate pool, so the pool is a power of two: the first pages of
    # a query (10 or 20 hits, offset 0 or 10) all rank the same 64 candidates and page consistently.
    k = _pool(max(MIN_CANDIDATES, wanted * (3 if collapse else 1)))
    while True:
        total, ranked = _candidates(searcher, query, sort, k)
        states = searchfeed.group_states(store, [i for i, _ in ranked])
        kept: list[tuple[int, float, int]] = []
        slot: dict[tuple[str, int], int] = {}
        for article_id, score in ranked:
            state = states.get(article_id)
            if state is None or state[2]:  # the index is behind SQLite: never show a hidden article
                continue
            key = _group_key(article_id, state[0], state[1]) if collapse else ("article", article_id)
            if key in slot:
                i, s, folded = kept[slot[key]]
                kept[slot[key]] = (i, s, folded + 1)
                continue
            slot[key] = len(kept)
            kept.append((article_id, score, 0))
        if len(kept) >= wanted or len(ranked) >= total or k >= total:
            return total, kept[offset:wanted]
        k *= 4


# -------------------------------------------------------------------------------------------- facets


def _facets(store: Store, searcher: tantivy.Searcher, query: tantivy.Query) -> dict[str, dict[str, int]]:
    """Exact counts over every match: by outlet (name) and by month ("2018-03")."""
    spec = {
        "outlet": {"terms": {"field": "source_id", "size": FACET_OUTLETS, "segment_size": FACET_OUTLETS}},
        "month": {"terms": {"field": "month", "size": FACET_MONTHS, "segment_size": FACET_MONTHS}},
    }
    result = searcher.aggregate(query, spec)
    outlet_counts = {int(b["key"]): int(b["doc_count"]) for b in result["outlet"]["buckets"]}
    names = searchfeed.source_names(store, outlet_counts)
    outlets: dict[str, int] = {}
    for source_id, count in sorted(outlet_counts.items(), key=lambda kv: (-kv[1], kv[0])):
        name = names.get(source_id, f"#{source_id}")
        outlets[name] = outlets.get(name, 0) + count
    months = {str(b["key"]): int(b["doc_count"]) for b in result["month"]["buckets"]}
    return {"outlet": outlets, "month": dict(sorted(months.items()))}


# -------------------------------------------------------------------------------------------- search


def search(
    store: Store,
    query: str,
    *,
    outlet: str | int | list[str | int] | None = None,
    category: str | None = None,
    since: str | date | datetime | None = None,
    until: str | date | datetime | None = None,
    story: int | None = None,
    language: str | None = None,
    sort: Sort = "relevance",
    collapse: bool = True,
    limit: int = 20,
    offset: int = 0,
    facets: bool = True,
    snippets: bool = True,
) -> SearchResult:
    """Search the store's index. Raises QueryError (a message for the reader) for a query it cannot run.

    With no words but some filter, every article passing the filters is listed, newest first.
    """
    if sort not in ("relevance", "newest"):
        raise QueryError(f"sort must be 'relevance' or 'newest', not {sort!r}")
    limit = max(0, min(int(limit), MAX_LIMIT))
    offset = max(0, int(offset))
    parsed: ParsedQuery = parse(query or "")
    filters = _filters(
        store, outlet=outlet, category=category, since=since, until=until, story=story, language=language
    )
    if parsed.is_empty:
        if parsed.excluded and not filters:
            raise QueryError("the query only leaves words out; add a word to search for")
        if not filters:
            raise QueryError("the query has no words to search for")
        sort = "newest"
    searcher = _open_searcher(store)
    searchfeed.tune_for_search(store)
    tantivy_query = to_tantivy(parsed, SCHEMA, filters)
    total, page = _page(
        store, searcher, tantivy_query, sort=sort, collapse=collapse, limit=limit, offset=offset
    )
    relaxed = False
    if total == 0 and len(parsed.groups) >= 2:  # no article has every word: settle for most of them
        relaxed = True
        at_least = relaxed_minimum(len(parsed.groups))
        tantivy_query = to_tantivy(parsed, SCHEMA, filters, at_least=at_least)
        total, page = _page(
            store, searcher, tantivy_query, sort=sort, collapse=collapse, limit=limit, offset=offset
        )
    result = SearchResult(total=total, relaxed=relaxed)
    if facets:
        result.facets = _facets(store, searcher, tantivy_query)
    terms = parsed.highlight_terms()
    rows = searchfeed.hit_rows(store, [article_id for article_id, _, _ in page], with_body=snippets)
    for article_id, score, folded in page:
        row = rows.get(article_id)
        if row is None:  # deleted since the candidates were read
            continue
        result.hits.append(
            Hit(
                id=row.id,
                url=row.url,
                title=row.title,
                outlet=row.outlet,
                published=row.published,
                story_id=row.story_id,
                snippet_html=make_snippet(row.body, terms) if snippets else "",
                title_html=highlight(row.title, terms) if snippets else "",
                score=round(score, 4),
                folded=folded,
            )
        )
    return result


def search_ids(
    store: Store,
    query: str,
    *,
    outlet: str | int | list[str | int] | None = None,
    category: str | None = None,
    since: str | date | datetime | None = None,
    until: str | date | datetime | None = None,
    story: int | None = None,
    language: str | None = None,
) -> set[int]:
    """The ids of every article the query matches (strict: every word), for exports and checks."""
    parsed = parse(query or "")
    filters = _filters(
        store, outlet=outlet, category=category, since=since, until=until, story=story, language=language
    )
    if parsed.is_empty and not filters:
        raise QueryError("the query has no words to search for")
    searcher = _open_searcher(store)
    tantivy_query = to_tantivy(parsed, SCHEMA, filters)
    count = searcher.search(tantivy_query, limit=1, count=True).count  # limit 0 panics
    if count == 0:
        return set()
    addresses = [address for _, address in searcher.search(tantivy_query, limit=count, count=False).hits]
    return set(searcher.fast_field_values("id", addresses))
