"""The matching rules on their own: topic words, phrases and exclusions on analysed text."""

from __future__ import annotations

from marsad.search.index import analysed
from marsad.store.watchlists import ArticleFacts, Watchlist
from marsad.watch.match import Article, compile_watchlist, matches, topic_terms


def _watchlist(kind: str, query: str = "", target: str | None = None) -> Watchlist:
    return Watchlist(
        1, "w", kind, query, target, {}, None, "t", "s", None, None, "immediate", "2026-01-01T00:00:00Z"
    )


def _article(title: str, body: str) -> Article:
    facts = ArticleFacts(7, 1, None, None, "2018-03-15", [], title, body, False)
    return Article(facts, analysed(title), analysed(body))


def test_topic_words_drop_the_article_and_its_clitics_and_keep_short_words() -> None:
    assert topic_terms("والمنتدى العالمي، للمنتدى بالإرهاب الا ال") == (
        "منتدي", "عالمي", "منتدي", "ارهاب", "الا", "ال",
    )  # fmt: skip


def test_search_phrases_alternatives_and_exclusions() -> None:
    article = _article("وزير الخارجية يزور الرباط", "التقى وزيرُ الخارجية نظيره المغربي في الرباط أمس.")
    cases = {
        '"وزير الخارجية"': True,
        '"الخارجية وزير"': False,  # the words in another order
        "الرباط وزير": True,
        "الرباط باريس": False,
        "باريس OR الرباط": True,
        "الرباط -المغربي": False,  # المغربي is in the body
        '-"وزير الداخلية" الرباط': True,
    }
    found = {q: matches(compile_watchlist(_watchlist("search", q), {}), article) for q in cases}
    assert found == cases


def test_a_topic_matches_its_words_in_order_across_spelling_variants() -> None:
    topic = compile_watchlist(_watchlist("topic", target="المنتدى العالمي لمكافحة الإرهاب"), {})
    assert matches(topic, _article("اجتماع", "اجتماع للمنتدي العالمى لمكافحة الارهاب في نيويورك"))
    assert not matches(topic, _article("اجتماع", "المنتدى الاقتصادي العالمي لمكافحة الفقر والإرهاب"))
