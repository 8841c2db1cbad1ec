"""The query language: words, "exact phrases", OR, -exclusions; parsed, analysed, and turned into Tantivy.

    الحكومة المغربية            both words, any inflection, with or without harakat
    "وزير الخارجية"             the words next to each other, in this order
    ترامب OR بوتين              either word (`|` works too); OR binds tighter than the implicit AND
    -كرة  -"كأس العالم"         leave out articles with the word or phrase

Every word goes through `marsad.arabic.analyse()`, the function the index was built with. A word that
analyses to several terms (a hyphenated name, digits and letters) is searched as a phrase; a word that
analyses to nothing (a stop word, punctuation) is dropped.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

import tantivy

from marsad.search.analysis import analyser
from marsad.search.errors import QueryError

MAX_QUERY_CHARS = 1000
MAX_CLAUSES = 64

_QUOTES = '"“”«»„‟'
_OR_WORDS = {"OR", "|"}
_ITEM = re.compile(rf"(-?)([{_QUOTES}])|([^\s{_QUOTES}]+)")


@dataclass(frozen=True)
class Match:
    """One word or phrase, as analysed terms (one term: a word; several: a phrase in order)."""

    text: str
    terms: tuple[str, ...]

    @property
    def is_phrase(self) -> bool:
        return len(self.terms) > 1


@dataclass
class ParsedQuery:
    """All `groups` must match (each group is satisfied by any one of its alternatives); no `excluded` may."""

    groups: list[list[Match]] = field(default_factory=list)
    excluded: list[Match] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not self.groups

    def highlight_terms(self) -> set[str]:
        """The analysed terms a snippet marks: every term the query looks for (not the excluded ones)."""
        return {term for group in self.groups for match in group for term in match.terms}


@dataclass(frozen=True)
class _Item:
    text: str
    phrase: bool
    negated: bool


def _items(query: str) -> list[_Item | str]:
    """Split into words, phrases and OR operators; raises QueryError on an unclosed quote."""
    items: list[_Item | str] = []
    pos = 0
    while True:
        m = _ITEM.search(query, pos)
        if not m:
            return items
        if m.group(2):  # an opening quote: read up to the next quote of any kind
            close = next((i for i in range(m.end(), len(query)) if query[i] in _QUOTES), -1)
            if close < 0:
                raise QueryError('the query opens a quote (") that it never closes')
            items.append(_Item(query[m.end() : close], phrase=True, negated=bool(m.group(1))))
            pos = close + 1
            continue
        word = m.group(3)
        pos = m.end()
        if word in _OR_WORDS:
            items.append("OR")
        elif word.startswith("-") and len(word) > 1:
            items.append(_Item(word[1:], phrase=False, negated=True))
        else:
            items.append(_Item(word, phrase=False, negated=False))


def parse(query: str, analyse: Callable[[str], list[str]] | None = None) -> ParsedQuery:
    """Parse and analyse a query. Raises QueryError for one that is too long or has an unclosed quote.

    A query with no searchable word (empty, all punctuation, only stop words) parses to an empty
    ParsedQuery; `search()` decides what that means.
    """
    analyse = analyse or analyser()
    if not isinstance(query, str):
        raise QueryError("the query must be text")
    if len(query) > MAX_QUERY_CHARS:
        raise QueryError(f"the query is {len(query):,} characters long; the limit is {MAX_QUERY_CHARS:,}")
    parsed = ParsedQuery()
    pending_or = False
    for item in _items(query):
        if item == "OR":
            pending_or = bool(parsed.groups)
            continue
        assert isinstance(item, _Item)
        terms = tuple(t for t in analyse(item.text) if t and not t.isspace())
        if not terms:
            continue
        match = Match(item.text, terms)
        if item.negated:
            parsed.excluded.append(match)
        elif pending_or:
            parsed.groups[-1].append(match)
        else:
            parsed.groups.append([match])
        pending_or = False
    if sum(len(g) for g in parsed.groups) + len(parsed.excluded) > MAX_CLAUSES:
        raise QueryError(f"the query has more than {MAX_CLAUSES} words and phrases; shorten it")
    return parsed


# ------------------------------------------------------------------------------------------ to Tantivy


Boost = Callable[[tuple[str, ...]], float]  # a word's or phrase's terms -> factor on its score


def _match_query(
    schema: tantivy.Schema, field_name: str, match: Match, boost: Boost | None = None
) -> tantivy.Query:
    if match.is_phrase:
        query = tantivy.Query.phrase_query(schema, field_name, list(match.terms))
    else:  # frequencies only: BM25 needs no positions, and opening a term's positions reads their file too
        query = tantivy.Query.term_query(schema, field_name, match.terms[0], index_option="freq")
    factor = boost(match.terms) if boost else 1.0
    return query if factor == 1.0 else tantivy.Query.boost_query(query, factor)


def _group_query(
    schema: tantivy.Schema, field_name: str, group: list[Match], boost: Boost | None
) -> tantivy.Query:
    if len(group) == 1:
        return _match_query(schema, field_name, group[0], boost)
    return tantivy.Query.boolean_query(
        [(tantivy.Occur.Should, _match_query(schema, field_name, m, boost)) for m in group]
    )


def to_tantivy(
    parsed: ParsedQuery,
    schema: tantivy.Schema,
    filters: list[tantivy.Query],
    *,
    at_least: int | None = None,
    boost: Boost | None = None,
) -> tantivy.Query:
    """The Tantivy query: the groups must match the text (titles weigh double there), filters restrict.

    By default every group must match; with `at_least`, any `at_least` of them (the relaxed retry).
    `boost` scales each word's or phrase's score (a shard's idf made the whole index's).
    """
    clauses: list[tuple[tantivy.Occur, tantivy.Query]] = []
    text_groups = [_group_query(schema, "text", group, boost) for group in parsed.groups]
    if at_least is None:
        clauses.extend((tantivy.Occur.Must, query) for query in text_groups)
    elif text_groups:
        either = [(tantivy.Occur.Should, query) for query in text_groups]
        clauses.append((tantivy.Occur.Must, tantivy.Query.boolean_query(either, at_least)))
    if not parsed.groups:
        clauses.append((tantivy.Occur.Must, tantivy.Query.all_query()))
    for match in parsed.excluded:
        clauses.append((tantivy.Occur.MustNot, _match_query(schema, "text", match)))
    for query in filters:
        clauses.append((tantivy.Occur.Must, tantivy.Query.const_score_query(query, 0.0)))
    return tantivy.Query.boolean_query(clauses)


def relaxed_minimum(groups: int) -> int:
    """How many of `groups` words a relaxed retry still asks for: about two in three, at least one."""
    return max(1, (2 * groups + 2) // 3) if groups > 2 else 1
