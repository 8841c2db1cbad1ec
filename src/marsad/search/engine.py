"""search(): parse, filter, rank, collapse to one hit per story, count facets, and build snippets."""

from __future__ import annotations

import math
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Literal, Protocol, TypeVar, cast

import tantivy

from marsad.search.errors import QueryError
from marsad.search.index import (
    NO_DATE,
    SCHEMA,
    Shards,
    check_analyser,
    open_index,
    timestamp,
)
from marsad.search.query import ParsedQuery, parse, relaxed_minimum, to_tantivy
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
Outlets = str | int | Sequence[str | int] | None  # outlet names, keys or ids: any of them matches
T = TypeVar("T")


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
    outlet: Outlets,
    category: str | None,
    since: str | date | datetime | None,
    until: str | date | datetime | None,
    story: int | None,
    language: str | None,
) -> list[tantivy.Query]:
    out: list[tantivy.Query] = []
    names = (
        [] if outlet is None or outlet == "" else [outlet] if isinstance(outlet, str | int) else list(outlet)
    )
    if names:
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


# ------------------------------------------------------------------------------------------- shards

# Handing a shard to another thread costs ~0.4 ms here (waking it and passing the GIL back and forth), so the
# shards are searched at once only when the rarest word (or filter) leaves many documents to visit in each;
# below that they are searched one after the other, in this thread.
PARALLEL_DOCS = 20_000

_threads: ThreadPoolExecutor | None = None  # made on the first parallel search, kept for the next
_threads_lock = threading.Lock()  # the reader's requests search from several threads


@dataclass
class _Shards:
    """The query as each shard runs it (a query object per shard: two threads searching with one object wait
    on each other), and whether the shards are searched at once."""

    searchers: list[tantivy.Searcher]
    queries: list[tantivy.Query]
    parallel: bool

    def run(self, function: Callable[[tantivy.Searcher, tantivy.Query], T]) -> list[T]:
        """function(searcher, query) of every shard, in shard order."""
        pairs = list(zip(self.searchers, self.queries, strict=True))
        if not self.parallel or len(pairs) == 1:
            return [function(*pair) for pair in pairs]
        futures = [_pool(len(pairs) - 1).submit(function, *pair) for pair in pairs[1:]]
        first = function(*pairs[0])
        return [first, *(future.result() for future in futures)]


def _pool(workers: int) -> ThreadPoolExecutor:
    global _threads
    with _threads_lock:
        if _threads is None:
            _threads = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="marsad-search")
        return _threads


def _idf(doc_freq: int, docs: int) -> float:
    """Tantivy's BM25 idf."""
    return math.log(1.0 + (docs - doc_freq + 0.5) / (doc_freq + 0.5))


def _plan(
    searchers: list[tantivy.Searcher],
    parsed: ParsedQuery,
    filters: list[tantivy.Query],
    at_least: int | None = None,
) -> _Shards:
    """The query for each shard, its words weighted by the whole index's idf: each shard counts its own
    documents, and a rare word in one shard would weigh more there than in one index. (Field lengths are
    still averaged per shard: the shards hold articles alike.)"""
    terms = sorted({t for group in parsed.groups for match in group for t in match.terms})
    counts = [{t: searcher.doc_freq("text", t) for t in terms} for searcher in searchers]
    sizes = [searcher.num_docs for searcher in searchers]
    whole = {t: sum(c[t] for c in counts) for t in terms}
    total = sum(sizes)

    def boost(shard: int) -> Callable[[tuple[str, ...]], float]:
        def factor(match_terms: tuple[str, ...]) -> float:
            if len(searchers) == 1 or not all(counts[shard][t] for t in match_terms):
                return 1.0  # one index, or the word matches nothing in this shard
            own = sum(_idf(counts[shard][t], sizes[shard]) for t in match_terms)
            return sum(_idf(whole[t], total) for t in match_terms) / own

        return factor

    # documents the first shard visits: those of the rarest word (all of them, with no word)
    per_group = [sum(min(counts[0][t] for t in m.terms) for m in group) for group in parsed.groups]
    visited = sizes[0] if not per_group else min(per_group) if at_least is None else sum(per_group)
    queries = [
        to_tantivy(parsed, SCHEMA, filters, at_least=at_least, boost=boost(i)) for i in range(len(searchers))
    ]
    return _Shards(searchers, queries, parallel=visited >= PARALLEL_DOCS)


# ------------------------------------------------------------------------------------------- tantivy


class _Counted(Protocol):
    count: int | None  # SearchResult has it (None unless searched with count=True); its stub leaves it out


def _count(result: tantivy.SearchResult) -> int:
    """How many documents a search with count=True matched."""
    return cast(_Counted, result).count or 0


def _ids(searcher: tantivy.Searcher, addresses: list[tantivy.DocAddress]) -> list[int]:
    """The `id` of each address: an integer fast field that every document has (the stub types any fast
    field's values int | float | bool | None)."""
    return cast(list[int], searcher.fast_field_values("id", addresses))


# ------------------------------------------------------------------------------------------- ranking


def _recency_factor(ts: int, newest: int) -> float:
    if ts == NO_DATE or newest == NO_DATE:
        return 1.0
    age_days = max(0.0, (newest - ts) / 86_400)
    return 1.0 + RECENCY_WEIGHT * math.pow(0.5, age_days / RECENCY_HALF_LIFE_DAYS)


def _shard_top(
    searcher: tantivy.Searcher, query: tantivy.Query, sort: Sort, k: int
) -> tuple[int, list[tuple[float, int, int]]]:
    """(matches, [(score, id, ts)]) of one shard's best `k` (by BM25, or by date for `newest`)."""
    if sort == "newest":
        result = searcher.search(query, limit=k, count=True, order_by_field="ts", order=tantivy.Order.Desc)
    else:
        result = searcher.search(query, limit=k, count=True)
    addresses = [address for _, address in result.hits]
    ids = _ids(searcher, addresses)
    if sort == "newest":  # each hit's order key is its `ts`: no second read of the column
        stamps, scores = [ts for ts, _ in result.hits], [0.0] * len(ids)
    else:
        stamps = [NO_DATE if t is None else t for t in searcher.fast_field_values("ts", addresses)]
        scores = [score for score, _ in result.hits]
    return _count(result), list(zip(scores, ids, stamps, strict=True))


def _candidates(shards: _Shards, sort: Sort, k: int) -> tuple[int, list[tuple[int, float]]]:
    """(total matches, [(article id, score)] best first) for the top `k` matches of all shards."""
    found = shards.run(lambda searcher, query: _shard_top(searcher, query, sort, k))
    total = sum(count for count, _ in found)
    merged = [hit for _, hits in found for hit in hits]
    if sort == "newest":
        merged.sort(key=lambda hit: (-hit[2], hit[1]))
        return total, [(article_id, 0.0) for _, article_id, _ in merged[:k]]
    merged.sort(key=lambda hit: (-hit[0], hit[1]))
    top = merged[:k]
    newest = max((ts for _, _, ts in top if ts != NO_DATE), default=NO_DATE)
    scored = [(article_id, score * _recency_factor(ts, newest)) for score, article_id, ts in top]
    scored.sort(key=lambda pair: (-pair[1], pair[0]))
    return total, scored


def _power_of_two(n: int) -> int:
    return 1 << (n - 1).bit_length()


_warmed: dict[str, Shards] = {}  # db path -> the index handle whose opening started a warm-up


def _open_searchers(store: Store) -> list[tantivy.Searcher]:
    """A searcher on each shard of the store's index; IndexUnavailable when it is missing or stale. Each
    time the index is opened anew (a start, a rebuild), the collapse index is read in the background."""
    index = open_index(store)
    check_analyser(store)
    if _warmed.get(str(store.path)) is not index:
        _warmed[str(store.path)] = index
        searchfeed.warm_search_state(store)
    return index.searchers()


def _group_key(article_id: int, story_id: int | None, duplicate_of: int | None) -> tuple[str, int]:
    if story_id is not None:
        return ("story", story_id)
    return ("article", duplicate_of if duplicate_of is not None else article_id)


def _page(
    store: Store,
    shards: _Shards,
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
    k = _power_of_two(max(MIN_CANDIDATES, wanted * (3 if collapse else 1)))
    while True:
        total, ranked = _candidates(shards, sort, k)
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


def _facets(store: Store, shards: _Shards) -> dict[str, dict[str, int]]:
    """Exact counts over every match: by outlet (name) and by month ("2018-03")."""
    spec = {
        "outlet": {"terms": {"field": "source_id", "size": FACET_OUTLETS, "segment_size": FACET_OUTLETS}},
        "month": {"terms": {"field": "month", "size": FACET_MONTHS, "segment_size": FACET_MONTHS}},
    }
    outlet_counts: dict[int, int] = {}
    months: dict[str, int] = {}
    for result in shards.run(lambda searcher, query: searcher.aggregate(query, spec)):
        for bucket in result["outlet"]["buckets"]:
            source_id = int(bucket["key"])
            outlet_counts[source_id] = outlet_counts.get(source_id, 0) + int(bucket["doc_count"])
        for bucket in result["month"]["buckets"]:
            month = str(bucket["key"])
            months[month] = months.get(month, 0) + int(bucket["doc_count"])
    names = searchfeed.source_names(store, outlet_counts)
    outlets: dict[str, int] = {}
    for source_id, count in sorted(outlet_counts.items(), key=lambda kv: (-kv[1], kv[0])):
        name = names.get(source_id, f"#{source_id}")
        outlets[name] = outlets.get(name, 0) + count
    return {"outlet": outlets, "month": dict(sorted(months.items()))}


# -------------------------------------------------------------------------------------------- search


def search(
    store: Store,
    query: str,
    *,
    outlet: Outlets = None,
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
    """Search the store's index. Raises QueryError (a message for the reader) for a query it cannot run,
    and IndexUnavailable (a message for the operator) when the index is missing, stale or locked.

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
    searchers = _open_searchers(store)
    searchfeed.tune_for_search(store)
    shards = _plan(searchers, parsed, filters)
    total, page = _page(store, shards, sort=sort, collapse=collapse, limit=limit, offset=offset)
    relaxed = False
    if total == 0 and len(parsed.groups) >= 2:  # no article has every word: settle for most of them
        relaxed = True
        shards = _plan(searchers, parsed, filters, at_least=relaxed_minimum(len(parsed.groups)))
        total, page = _page(store, shards, sort=sort, collapse=collapse, limit=limit, offset=offset)
    result = SearchResult(total=total, relaxed=relaxed)
    if facets:
        result.facets = _facets(store, shards)
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
    outlet: Outlets = None,
    category: str | None = None,
    since: str | date | datetime | None = None,
    until: str | date | datetime | None = None,
    story: int | None = None,
    language: str | None = None,
) -> set[int]:
    """The ids of every article the query matches (strict: every word), for exports and checks. Raises
    as `search` does."""
    parsed = parse(query or "")
    filters = _filters(
        store, outlet=outlet, category=category, since=since, until=until, story=story, language=language
    )
    if parsed.is_empty and not filters:
        raise QueryError("the query has no words to search for")
    found = _plan(_open_searchers(store), parsed, filters).run(_all_ids)
    return {article_id for ids in found for article_id in ids}


def _all_ids(searcher: tantivy.Searcher, query: tantivy.Query) -> list[int]:
    count = _count(searcher.search(query, limit=1, count=True))  # limit 0 panics
    if count == 0:
        return []
    addresses = [address for _, address in searcher.search(query, limit=count, count=False).hits]
    return _ids(searcher, addresses)


def top_ids(store: Store, query: str, k: int = 10) -> tuple[int, list[int]]:
    """(total matches, the ids of the `k` best by relevance): the index alone, without collapsing, rows or
    snippets (for benchmarks)."""
    shards = _plan(_open_searchers(store), parse(query), [])
    total, ranked = _candidates(shards, "relevance", k)
    return total, [article_id for article_id, _ in ranked]
