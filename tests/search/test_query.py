"""The query language: words, phrases, OR, exclusions, and the queries that must get a clear error."""

from __future__ import annotations

import pytest

from marsad.arabic import analyse
from marsad.search.query import MAX_QUERY_CHARS, QueryError, parse, relaxed_minimum


def terms(word: str) -> tuple[str, ...]:
    return tuple(analyse(word))


def test_words_are_all_required_groups_in_order():
    parsed = parse("الحكومة المغربية")
    assert [[m.terms for m in g] for g in parsed.groups] == [[terms("الحكومة")], [terms("المغربية")]]
    assert parsed.excluded == []


def test_a_quoted_phrase_is_one_match_with_its_terms_in_order():
    parsed = parse('"وزير الخارجية" الأميركي')
    assert parsed.groups[0][0].terms == terms("وزير") + terms("الخارجية")
    assert parsed.groups[0][0].is_phrase
    assert parsed.groups[1][0].terms == terms("الأميركي")


@pytest.mark.parametrize("quotes", [('"', '"'), ("“", "”"), ("«", "»")])
def test_typographic_quotes_make_phrases_too(quotes):
    opening, closing = quotes
    parsed = parse(f"{opening}كأس العالم{closing}")
    assert len(parsed.groups) == 1 and parsed.groups[0][0].terms == terms("كأس") + terms("العالم")


def test_or_joins_its_neighbours_into_one_group():
    parsed = parse("روسيا ترامب OR بوتين | ماكرون")
    assert [[m.text for m in g] for g in parsed.groups] == [["روسيا"], ["ترامب", "بوتين", "ماكرون"]]


def test_leading_or_is_ignored():
    assert [[m.text for m in g] for g in parsed_groups("OR ترامب")] == [["ترامب"]]


def parsed_groups(query: str):
    return parse(query).groups


def test_minus_excludes_words_and_phrases():
    parsed = parse('كرة -القدم -"كأس العالم"')
    assert [m.text for m in parsed.excluded] == ["القدم", "كأس العالم"]
    assert [[m.text for m in g] for g in parsed.groups] == [["كرة"]]


def test_a_hyphen_inside_a_word_is_not_an_exclusion():
    parsed = parse("COVID-19")
    assert parsed.excluded == []
    assert parsed.groups[0][0].terms == tuple(analyse("COVID-19"))


def test_highlight_terms_leave_out_excluded_words():
    parsed = parse("الحكومة -البرلمان")
    assert parsed.highlight_terms() == set(terms("الحكومة"))


def test_harakat_do_not_change_the_terms():
    assert parse("الحُكُومَةُ").groups[0][0].terms == terms("الحكومة")


@pytest.mark.parametrize("query", ["", "   ", "!!! ؟؟ ،،", "...", "- - -", "في من على"])
def test_queries_without_searchable_words_parse_empty(query):
    assert parse(query).is_empty


def test_an_unclosed_quote_is_a_clear_error():
    with pytest.raises(QueryError, match="never closes"):
        parse('"وزير الخارجية')


def test_a_very_long_query_is_a_clear_error():
    with pytest.raises(QueryError, match="10,000 characters long; the limit is 1,000"):
        parse("ا" * 10_000)
    assert MAX_QUERY_CHARS == 1000


def test_too_many_clauses_is_a_clear_error():
    with pytest.raises(QueryError, match="more than 64"):
        parse(" ".join(f"كلمة{i}" for i in range(70)))


def test_relaxed_minimum_asks_for_about_two_thirds():
    assert [relaxed_minimum(n) for n in (2, 3, 4, 5, 6, 9)] == [1, 2, 3, 4, 4, 6]
