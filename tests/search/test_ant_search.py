"""Search over the ANT corpus: one form finds the others, phrases keep their order, filters and facets count
exactly, highlights cover the word as published, bad queries get a clear error.

Every expected count is computed here by scanning the stored articles (see conftest.corpus), not by the
index. ANT Corpus v2.1: Chouigui, Ben Khiroun and Elayeb, Arabian Journal for Science and Engineering 46(8),
2021.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from datetime import UTC, datetime

import pytest
from typer.testing import CliRunner

from marsad.arabic import analyse, normalise
from marsad.cli import app
from marsad.search import QueryError, search, search_ids

pytestmark = pytest.mark.realdata


def expected_ids(corpus, word: str) -> set[int]:
    (term,) = analyse(word)
    return {row.id for row in corpus.values() if term in row.terms}


# ------------------------------------------------------------------------------ one form finds the others

FAMILIES = [
    # (forms a reader may type, surface forms in the corpus each of them must find)
    (["الحكومة", "حكومات", "والحكومة", "للحكومة", "الحُكومَة", "حكومه"], ["حكومات", "والحكومة", "للحكومة"]),
    (["إسرائيل", "اسرائيل", "لإسرائيل", "وإسرائيل"], ["لإسرائيل", "وإسرائيل"]),
    (["المستشفى", "مستشفي", "المستشفي", "للمستشفى"], ["المستشفى", "مستشفى"]),
    (["الأمم", "الامم", "ألامم"], ["الأمم", "والأمم"]),
    (["الانتخابات", "انتخابات", "الإنتخابات", "والانتخابات"], ["الإنتخابات", "والانتخابات", "بالانتخابات"]),
    # words whose first letter is also a clitic (و, ل, ب): with or without the article, one term
    (["وزير", "الوزير", "للوزير", "والوزير"], ["وزير", "الوزير", "للوزير", "ووزير"]),
    (["بريطانيا", "لبريطانيا", "وبريطانيا"], ["بريطانيا", "لبريطانيا", "وبريطانيا"]),
    (["لبنان", "للبنان", "ولبنان", "اللبنانية"], ["لبنان", "ولبنان", "اللبنانية", "اللبناني"]),
    # a listed name and its nisba adjective (marsad.arabic.names)
    (["فلسطين", "بفلسطين", "الفلسطينيين"], ["فلسطين", "لفلسطين", "الفلسطينية", "الفلسطينيين"]),
    (["إيران", "الإيرانية"], ["إيران", "الإيرانية", "الإيراني", "وإيران"]),
]


@pytest.mark.parametrize(("forms", "written"), FAMILIES, ids=[f[0][0] for f in FAMILIES])
def test_every_form_finds_the_same_articles(search_store, corpus, surfaces, forms, written):
    expected = expected_ids(corpus, forms[0])
    assert len(expected) > 50
    for form in forms:
        found = search_ids(search_store, form)
        assert found == expected, form
        assert search(search_store, form, collapse=False, facets=False, snippets=False).total == len(expected)
    for word in written:  # every article with this spelling, found by a plain scan, is among the hits
        with_word = surfaces.get(normalise(word), set())
        assert with_word, word
        assert with_word <= expected, word


def test_government_counts_exactly(search_store, corpus):
    # The same number for each form, and the number of stored articles whose terms hold حكوم.
    counts = {form: search(search_store, form, facets=False, snippets=False).total for form in FAMILIES[0][0]}
    assert set(counts.values()) == {len(expected_ids(corpus, "الحكومة"))}


def test_harakat_in_the_text_are_found_and_marked_as_published(search_store, corpus):
    # "المُقال" (dismissed) is written with a damma in this Sky News article about Yemen's new prime minister.
    (row,) = [r for r in corpus.values() if r.title == "من هو رئيس الحكومة اليمنية الجديد؟"]
    assert "المُقال" in row.body
    assert row.id in search_ids(search_store, "المقال")
    result = search(search_store, "المقال الحكومة اليمنية", collapse=False, limit=50)
    (hit,) = [h for h in result.hits if h.id == row.id]
    assert "<mark>المُقال</mark>" in hit.snippet_html


# ------------------------------------------------------------------------------------------- phrases


def phrase_ids(corpus, first: str, second: str) -> set[int]:
    (a,) = analyse(first)
    (b,) = analyse(second)

    def has_pair(terms: tuple[str, ...]) -> bool:
        return any(x == a and y == b for x, y in zip(terms, terms[1:], strict=False))

    # A phrase matches inside the title or inside the body, never across the two.
    return {row.id for row in corpus.values() if has_pair(row.title_terms) or has_pair(row.body_terms)}


def test_phrases_match_only_in_order(search_store, corpus):
    forward = search_ids(search_store, '"وزير الخارجية"')
    backward = search_ids(search_store, '"الخارجية وزير"')
    both = search_ids(search_store, "وزير الخارجية")
    assert forward == phrase_ids(corpus, "وزير", "الخارجية")
    assert backward == phrase_ids(corpus, "الخارجية", "وزير")
    assert len(backward) < len(forward) < len(both)
    assert forward | backward <= both


def test_phrases_with_other_spellings(search_store, corpus):
    expected = phrase_ids(corpus, "الأمم", "المتحدة")
    assert len(expected) > 100
    assert search_ids(search_store, '"الأمم المتحدة"') == expected
    assert search_ids(search_store, '"الامم المتحده"') == expected
    assert search_ids(search_store, '"والأمم المتحدة"') == expected
    assert search_ids(search_store, '"المتحدة الأمم"') == phrase_ids(corpus, "المتحدة", "الأمم")


# ------------------------------------------------------------------------------ OR and exclusions


def test_or_is_the_union_and_minus_the_difference(search_store, corpus):
    trump, putin = expected_ids(corpus, "ترامب"), expected_ids(corpus, "بوتين")
    assert search_ids(search_store, "ترامب OR بوتين") == trump | putin
    assert search_ids(search_store, "ترامب -بوتين") == trump - putin
    assert search_ids(search_store, "ترامب بوتين") == trump & putin


# ---------------------------------------------------------------------------- filters and facets


def ts(published: str) -> float:
    return datetime.fromisoformat(published).astimezone(UTC).timestamp()


def test_facets_count_every_match_by_outlet_and_month(search_store, corpus):
    oil = [corpus[i] for i in expected_ids(corpus, "النفط")]
    result = search(search_store, "النفط", limit=5)
    assert result.total == len(oil)
    assert result.facets["outlet"] == dict(Counter(r.outlet for r in oil))
    assert result.facets["month"] == dict(Counter(r.published[:7] for r in oil if r.published))
    assert sum(result.facets["outlet"].values()) == result.total


def test_outlet_category_and_date_filters_count_exactly(search_store, corpus):
    oil = [corpus[i] for i in expected_ids(corpus, "النفط")]
    sky = search(search_store, "النفط", outlet="سكاي نيوز عربية", facets=False, snippets=False)
    assert sky.total == sum(r.outlet == "سكاي نيوز عربية" for r in oil)
    economy = search(search_store, "النفط", category="economy", facets=False, snippets=False)
    assert economy.total == sum("economy" in r.categories for r in oil)
    may = search(search_store, "النفط", since="2018-05-01", until="2018-05-31", facets=False, snippets=False)
    low, high = datetime(2018, 5, 1, tzinfo=UTC).timestamp(), datetime(2018, 6, 1, tzinfo=UTC).timestamp()
    assert may.total == sum(1 for r in oil if r.published and low <= ts(r.published) < high)
    both = search(search_store, "النفط", outlet="سكاي نيوز عربية", category="economy", facets=False)
    assert both.total == sum(r.outlet == "سكاي نيوز عربية" and "economy" in r.categories for r in oil)
    assert {h.outlet for h in both.hits} == {"سكاي نيوز عربية"}


def test_filters_alone_list_articles_newest_first(search_store, corpus):
    result = search(search_store, "", category="technology", since="2018-10", facets=False, snippets=False)
    low = datetime(2018, 10, 1, tzinfo=UTC).timestamp()
    assert result.total == sum(
        1 for r in corpus.values() if "technology" in r.categories and r.published and ts(r.published) >= low
    )
    stamps = [ts(h.published) for h in result.hits]
    assert stamps == sorted(stamps, reverse=True)


def test_sort_newest_orders_by_date(search_store):
    result = search(search_store, "المونديال", sort="newest", limit=30, facets=False, snippets=False)
    stamps = [ts(h.published) for h in result.hits]
    assert len(stamps) == 30 and stamps == sorted(stamps, reverse=True)


def test_paging_gives_the_next_hits(search_store):
    first = search(search_store, "الحكومة", limit=10, facets=False, snippets=False)
    second = search(search_store, "الحكومة", limit=10, offset=10, facets=False, snippets=False)
    both = search(search_store, "الحكومة", limit=20, facets=False, snippets=False)
    assert [h.id for h in first.hits + second.hits] == [h.id for h in both.hits]


def test_unknown_outlet_and_bad_dates_are_clear_errors(search_store):
    with pytest.raises(QueryError, match="no outlet called"):
        search(search_store, "النفط", outlet="لا توجد")
    with pytest.raises(QueryError, match="cannot read"):
        search(search_store, "النفط", since="yesterday-ish")
    with pytest.raises(QueryError, match="after the end"):
        search(search_store, "النفط", since="2018-06", until="2018-05")


# ------------------------------------------------------------------------------------- highlights


def test_highlight_covers_the_inflected_word_as_published(search_store):
    result = search(search_store, "حكومات", limit=20)
    marked = Counter(m for h in result.hits for m in re.findall(r"<mark>(.*?)</mark>", h.snippet_html))
    # The query form never appears as such in these snippets; the published forms do, whole.
    assert {"الحكومة", "للحكومة"} <= set(marked) or {"الحكومة", "حكومة"} <= set(marked)
    for word in marked:
        assert "حكوم" in normalise(word)
    for hit in result.hits:
        assert "<mark>" in hit.snippet_html or "<mark>" in hit.title_html


# ------------------------------------------------------------------------------------ bad queries


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("", "no words to search for"),
        ("   ", "no words to search for"),
        ("!!! ؟؟ ... ،،", "no words to search for"),
        ("في من على", "no words to search for"),
        ("-النفط", "only leaves words out"),
        ('"وزير الخارجية', "never closes"),
        ("ن" * 10_000, "10,000 characters long"),
        ("النفط " * 2000, "12,000 characters long"),
    ],
)
def test_bad_queries_get_a_clear_error(search_store, query, message):
    with pytest.raises(QueryError, match=message):
        search(search_store, query)


def test_words_that_are_in_no_article_find_nothing(search_store):
    assert search(search_store, "زززقققخخخ").total == 0
    assert search(search_store, "zzqqxxjj").hits == []


def test_relaxed_retry_when_no_article_has_every_word(search_store):
    strict = search(search_store, "الحكومة النفط زززقققخخخ", facets=False)
    assert strict.relaxed and strict.total > 0
    assert search(search_store, "الحكومة النفط", facets=False).relaxed is False


# ---------------------------------------------------------------------------------------------- CLI


def test_cli_json_has_total_facets_and_hits(search_store):
    runner = CliRunner()
    out = runner.invoke(app, ["search", "النفط", "--db", str(search_store.path), "--json", "--limit", "3"])
    assert out.exit_code == 0, out.output
    data = json.loads(out.output)
    assert set(data) == {"total", "facets", "hits", "relaxed"} and len(data["hits"]) == 3
    assert set(data["facets"]) == {"outlet", "month"}
    for hit in data["hits"]:
        assert {"id", "url", "title", "outlet", "published", "story_id", "snippet"} <= set(hit)
        assert "<mark>" in hit["snippet"] or "<mark>" in hit["title_html"]


def test_cli_bad_query_exits_2_with_the_reason(search_store):
    out = CliRunner().invoke(app, ["search", '"abc', "--db", str(search_store.path)])
    assert out.exit_code == 2
    assert "never closes" in out.output
