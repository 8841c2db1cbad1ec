"""Matching new articles against every watchlist, as ingest links and indexes them.

Saved searches are never run again over the archive. Each watchlist is compiled once (its query parsed with
marsad.search.query and Marsad's own analysis, its filters resolved) and kept while it is unchanged; a batch
of new articles is then matched in memory against the analysed text the search index was just given, so a
watchlist finds what `marsad search` (strict: every word) would find among them.

Compiled searches and topics are filed under one term each (a term every match must contain); an article
looks up only the watchlists filed under its own terms, so the cost grows with the batch, hardly with the
number of watchlists.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property

from marsad.arabic import normalise
from marsad.search.engine import _bound as date_bound  # the bounds search gives since/until
from marsad.search.errors import QueryError
from marsad.search.index import NO_DATE, analysed, indexed_text, timestamp
from marsad.search.query import Match, ParsedQuery, parse
from marsad.store import watchlists
from marsad.store.db import Store
from marsad.store.watchlists import ArticleFacts, Watchlist

log = logging.getLogger(__name__)

LINKED_KINDS = frozenset({"story", "thread"})  # the watchlists whose matches linking decides
AnalysedTexts = Mapping[int, tuple[str, str]]  # article id -> (title terms, body terms), space-joined

# A word (letters and digits) without a leading definite article: "ال", "لل" (its alef dropped after ل), or
# "ال" after one of و ب ف ك; at least two letters are kept. One pass of one regular expression.
_BARE_WORD = re.compile(r"(?:(?:[وبفك]?ال|لل)(?=[^\W_]{2}))?([^\W_]+)")


def topic_terms(text: str) -> tuple[str, ...]:
    """The words of a topic name, or of an article, as topics are matched: normalised, without ال, so that
    "المنتدى العالمي" is found in "والمنتدى العالمي" and "منتدى عالمي" alike."""
    return tuple(_BARE_WORD.findall(normalise(text)))


# --- compiled watchlists --------------------------------------------------------------------------------


@dataclass
class Filters:
    sources: set[int] | None = None  # None: any outlet
    category: str | None = None
    low: int | None = None
    high: int | None = None

    def __post_init__(self) -> None:
        self.any = any(x is not None for x in (self.sources, self.category, self.low, self.high))

    def admit(self, facts: ArticleFacts) -> bool:
        if not self.any:
            return True
        if self.sources is not None and facts.source_id not in self.sources:
            return False
        if self.category is not None and self.category not in {c.strip().lower() for c in facts.categories}:
            return False
        if self.low is None and self.high is None:
            return True
        ts = timestamp(facts.published)
        if ts == NO_DATE:
            return False
        return (self.low is None or ts >= self.low) and (self.high is None or ts <= self.high)


@dataclass
class Compiled:
    watchlist_id: int
    kind: str
    parsed: ParsedQuery | None = None  # search
    phrase: tuple[str, ...] = ()  # topic
    target: int | None = None  # thread or story id
    filters: Filters = field(default_factory=Filters)
    # a search split for speed: single words every match has and none may have (set operations), and the
    # groups and exclusions that need more (alternatives, phrases)
    words: frozenset[str] = frozenset()
    groups: list[list[Match]] = field(default_factory=list)
    without: frozenset[str] = frozenset()
    excluded: list[Match] = field(default_factory=list)

    def __post_init__(self) -> None:
        if self.parsed is None:
            return
        simple = [g for g in self.parsed.groups if len(g) == 1 and not g[0].is_phrase]
        self.words = frozenset(g[0].terms[0] for g in simple)
        self.groups = [g for g in self.parsed.groups if not (len(g) == 1 and not g[0].is_phrase)]
        self.without = frozenset(m.terms[0] for m in self.parsed.excluded if not m.is_phrase)
        self.excluded = [m for m in self.parsed.excluded if m.is_phrase]

    def anchors(self) -> list[str] | None:
        """Terms one of which every match contains (None: no such term; the watchlist is tried on every
        article): the rarest-looking group's alternatives, each by its longest term."""
        if self.kind == "topic":
            return [self.phrase[0]] if self.phrase else None
        if self.kind != "search" or self.parsed is None or not self.parsed.groups:
            return None
        group = min(self.parsed.groups, key=lambda g: (len(g), -max(len(t) for m in g for t in m.terms)))
        return [max(m.terms, key=len) for m in group]


def compile_watchlist(w: Watchlist, outlets: dict[str, list[int]]) -> Compiled:
    """A watchlist ready to test articles against; QueryError when its query or filters cannot be read."""
    if w.kind == "search":
        filters = Filters(
            sources=_sources(w.filters.get("outlet"), outlets),
            category=(w.filters.get("category") or "").strip().lower() or None,
            low=date_bound(w.filters.get("since"), end=False),
            high=date_bound(w.filters.get("until"), end=True),
        )
        return Compiled(w.id, w.kind, parsed=parse(w.query), filters=filters)
    if w.kind == "topic":
        return Compiled(w.id, w.kind, phrase=topic_terms(w.target or w.query))
    if w.kind == "outlet":
        return Compiled(w.id, w.kind, filters=Filters(sources=_sources(w.target, outlets) or set()))
    return Compiled(w.id, w.kind, target=int(w.target or 0))


def _sources(name: str | None, outlets: dict[str, list[int]]) -> set[int] | None:
    if not name or not name.strip():
        return None
    key = name.strip()
    return set(outlets.get(key, outlets.get(key.lower(), [])))


def _has(terms: tuple[str, ...], present: set[str], match: Match) -> bool:
    if not match.is_phrase:
        return match.terms[0] in present
    return _contains(terms, match.terms, present)


def _contains(terms: tuple[str, ...], phrase: tuple[str, ...], present: set[str]) -> bool:
    """Whether `phrase` occurs in `terms` as consecutive terms (each start found by tuple.index, in C)."""
    if not all(t in present for t in phrase):
        return False
    n, first, at = len(phrase), phrase[0], -1
    while True:
        try:
            at = terms.index(first, at + 1)
        except ValueError:
            return False
        if terms[at : at + n] == phrase:
            return True


@dataclass
class Article:
    """A new article as the compiled watchlists see it (its term lists made when first needed, then plain
    attributes: cached_property)."""

    facts: ArticleFacts
    title_terms: str
    body_terms: str

    @cached_property
    def terms(self) -> tuple[str, ...]:
        return tuple(indexed_text(self.title_terms, self.body_terms).split())

    @cached_property
    def present(self) -> set[str]:
        present = set(self.title_terms.split())
        present.update(self.body_terms.split())
        return present

    @cached_property
    def topic_words(self) -> tuple[str, ...]:
        return (*topic_terms(self.facts.title), "\n", *topic_terms(self.facts.body))

    @cached_property
    def topic_set(self) -> set[str]:
        return set(self.topic_words)


def matches(compiled: Compiled, article: Article) -> bool:
    """Whether the article matches the compiled watchlist."""
    kind, facts = compiled.kind, article.facts
    if kind == "search":
        return _search_matches(compiled, article)
    if kind == "topic":
        return bool(compiled.phrase) and _contains(article.topic_words, compiled.phrase, article.topic_set)
    if kind == "outlet":
        return compiled.filters.admit(facts)
    key = facts.story_id if kind == "story" else facts.thread_id
    return key is not None and key == compiled.target


def _search_matches(compiled: Compiled, article: Article) -> bool:
    present = article.present
    if not compiled.words <= present or not compiled.without.isdisjoint(present):
        return False
    if compiled.filters.any and not compiled.filters.admit(article.facts):
        return False
    if compiled.excluded and any(_has(article.terms, present, m) for m in compiled.excluded):
        return False
    return not compiled.groups or all(
        any(_has(article.terms, present, m) for m in g) for g in compiled.groups
    )


# --- the set of watchlists ------------------------------------------------------------------------------


class Watchers:
    """Every watchlist of a store, compiled, and filed by what an article must have to match it: a term, a
    topic word, an outlet, a story or a thread. Recompiled only for the watchlists that changed since the
    last batch (a query is parsed once per process, not once per batch)."""

    def __init__(self) -> None:
        self.compiled: dict[int, tuple[Watchlist, Compiled]] = {}
        self.outlets: dict[str, list[int]] = {}
        self.by_term: dict[str, list[Compiled]] = {}
        self.by_topic_word: dict[str, list[Compiled]] = {}
        self.by_source: dict[int, list[Compiled]] = {}
        self.by_story: dict[int, list[Compiled]] = {}
        self.by_thread: dict[int, list[Compiled]] = {}
        self.every: list[Compiled] = []  # a search with filters only: tried on every article
        self.kinds: set[str] = set()
        self.version: tuple[tuple[int, int, int], dict[str, list[int]]] | None = None

    def refresh(self, store: Store) -> None:
        """Bring the compiled watchlists up to date (an edit changes a name or alerts, never what matches)."""
        version = (watchlists.version(store), watchlists.outlet_ids(store))
        if version == self.version:
            return
        self.version = version
        current = watchlists.all_watchlists(store)
        outlets = version[1]
        if outlets != self.outlets:
            self.compiled.clear()  # an outlet was added or renamed: filters resolve anew
            self.outlets = outlets
        kept: dict[int, tuple[Watchlist, Compiled]] = {}
        for w in current:
            known = self.compiled.get(w.id)
            if known is not None and _same(known[0], w):
                kept[w.id] = known
                continue
            try:
                kept[w.id] = (w, compile_watchlist(w, outlets))
            except (QueryError, ValueError) as error:  # stored before a syntax change: skipped, said once
                log.warning("watchlist %d (%s) cannot be matched: %s", w.id, w.name, error)
        self.compiled = kept
        self._file()

    def _file(self) -> None:
        self.by_term, self.by_topic_word, self.every = {}, {}, []
        self.by_source, self.by_story, self.by_thread = {}, {}, {}
        self.kinds = {c.kind for _, c in self.compiled.values()}
        for _, c in self.compiled.values():
            if c.kind in ("story", "thread"):
                table = self.by_story if c.kind == "story" else self.by_thread
                table.setdefault(c.target or 0, []).append(c)
                continue
            if c.kind == "outlet":
                for source_id in c.filters.sources or ():
                    self.by_source.setdefault(source_id, []).append(c)
                continue
            anchors = c.anchors()
            if anchors is None:
                self.every.append(c)
                continue
            words = self.by_topic_word if c.kind == "topic" else self.by_term
            for term in set(anchors):
                words.setdefault(term, []).append(c)

    def by_key(self, facts: ArticleFacts, linked_only: bool = False) -> set[int]:
        """The outlet, story and thread watchlists an article matches: filed by exactly what it has (only
        the story and thread ones when `linked_only`)."""
        found: set[int] = set()
        for table, key in (
            (self.by_story, facts.story_id),
            (self.by_thread, facts.thread_id),
            (self.by_source, None if linked_only else facts.source_id),
        ):
            if key is not None and key in table:
                found.update(c.watchlist_id for c in table[key])
        return found

    def text_hits(self, article: Article) -> set[int]:
        """The searches and topics `article` matches, of those filed under one of its terms or words (and
        those tried on every article)."""
        hits = {c.watchlist_id for c in self.every if matches(c, article)}
        if self.by_term:
            by_term = self.by_term
            searches = {c.watchlist_id: c for t in article.present & by_term.keys() for c in by_term[t]}
            hits.update(i for i, c in searches.items() if _search_matches(c, article))
        if self.by_topic_word:
            by_word, words, present = self.by_topic_word, article.topic_words, article.topic_set
            topics = {c.watchlist_id: c.phrase for w in present & by_word.keys() for c in by_word[w]}
            hits.update(i for i, phrase in topics.items() if _contains(words, phrase, present))
        return hits

    def match(self, articles: list[Article], linked_only: bool = False) -> list[tuple[int, int]]:
        """(watchlist id, article id) for every match among `articles` (hidden ones match nothing); only
        the story and thread watchlists when `linked_only`."""
        found: list[tuple[int, int]] = []
        for article in articles:
            if article.facts.hidden:
                continue
            hits = self.by_key(article.facts, linked_only)
            if not linked_only:
                hits.update(self.text_hits(article))
            found.extend((watchlist_id, article.facts.id) for watchlist_id in hits)
        return found


def _same(a: Watchlist, b: Watchlist) -> bool:
    return (a.kind, a.query, a.target, a.filters) == (b.kind, b.query, b.target, b.filters)


_watchers: dict[str, Watchers] = {}  # db path -> its compiled watchlists, kept between batches


def match_new(
    store: Store,
    article_ids: list[int],
    analysed_texts: AnalysedTexts | None = None,
    now: datetime | None = None,
    *,
    linked_only: bool = False,
) -> int:
    """Match newly linked and indexed articles against every watchlist and record the matches; returns how
    many are new. `analysed_texts` is the index's analysis of them (what the index stage just did); an
    article it lacks is analysed here the same way. `linked_only`: against the story and thread watchlists
    alone, for articles matched against the others before they were linked (only linking changes them)."""
    if not article_ids or not watchlists.any_watchlist(store):
        return 0
    watchers = _watchers.setdefault(str(store.path), Watchers())
    watchers.refresh(store)
    if not watchers.compiled or (linked_only and not watchers.kinds & LINKED_KINDS):
        return 0
    given = analysed_texts or {}
    articles = []
    for facts in watchlists.article_facts(store, article_ids):
        terms = given.get(facts.id)
        if terms is None and "search" in watchers.kinds and not linked_only:
            terms = (analysed(facts.title), analysed(facts.body))
        articles.append(Article(facts, *(terms or ("", ""))))
    return watchlists.add_matches(store, watchers.match(articles, linked_only), now)
