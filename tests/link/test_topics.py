"""Topic mining on a small written archive: variants merge, stock phrases are no topics, the topics found
are exactly the two matters and the listed name, and new articles get the known topics."""

from __future__ import annotations

import pytest
from topic_fixture import FORUM, INITIATIVE, WASHINGTON, add_articles, build, rows

from marsad.link import link_new, topics
from marsad.link.topics import mine_rows, skeleton, word_key, words
from marsad.store import topics as topic_store
from marsad.store.db import Store


@pytest.fixture(scope="module")
def mined() -> topics.Mined:
    return mine_rows(rows)


def test_exactly_the_named_things_are_found(mined: topics.Mined) -> None:
    assert [t.key for t in mined.topics] == ["واشنطن", "مبادره مغربيه امريكيه", "منتدي عالمي لمكافحه ارهاب"]
    assert [t.strength for t in mined.topics] == sorted((t.strength for t in mined.topics), reverse=True)


def test_published_forms_are_kept_and_the_commonest_names_the_topic(mined: topics.Mined) -> None:
    washington, initiative, forum = mined.topics
    assert forum.name == "المنتدى العالمي لمكافحة الإرهاب"
    assert dict(map(tuple, forum.variants)) == {
        "المنتدى العالمي لمكافحة الإرهاب": 6,
        "للمنتدى العالمي لمكافحة الارهاب": 1,
        "المنتدي العالمي لمكافحه الإرهاب": 1,
        "والمنتدى العالمي لمكافحة الإرهاب": 1,
        "للمنتدى العالمي لمكافحة الإرهاب": 1,
    }
    assert initiative.name == "المبادرة المغربية الأمريكية"
    assert initiative.keys == ["مبادره مغربيه امريكيه", "مبادره مغربيه اميركيه"]
    assert dict(map(tuple, initiative.variants))["مبادرة مغربية أمريكية"] == 1
    assert dict(map(tuple, initiative.variants))["المبادرة المغربية الأميركية"] == 2
    assert washington.name == "واشنطن"


def test_counts_and_dates(mined: topics.Mined) -> None:
    washington, initiative, forum = mined.topics
    assert (forum.article_count, forum.story_count, forum.outlet_count, forum.day_count) == (5, 5, 3, 5)
    assert (forum.first_seen, forum.last_seen) == ("2017-09-20T10:00:00+00:00", "2018-05-02T10:00:00+00:00")
    assert (initiative.article_count, initiative.outlet_count) == (5, 3)
    assert washington.article_count == 6
    links = {(article, mined.topics[index].key) for article, index in mined.links}
    assert links == (
        {(a, forum.key) for a in FORUM}
        | {(a, initiative.key) for a in INITIATIVE}
        | {(a, washington.key) for a in WASHINGTON}
    )


def test_variants_share_a_key() -> None:
    assert word_key("المنتدى") == word_key("والمنتدى") == word_key("للمنتدى") == "منتدى"
    assert word_key("بالمبادرة") == word_key("مبادرة") == "مبادرة"
    found = words("المنتدي العالمي لمكافحه الإرهاب والمنتدى العالمي لمكافحة الارهاب", topics.Hasher())
    assert found.keys == ["منتدي", "عالمي", "لمكافحه", "ارهاب", "منتدي", "عالمي", "لمكافحه", "ارهاب"]
    assert skeleton("امريكيه") == skeleton("اميركيه") == "امركه"


def test_stock_phrases_are_no_topics(mined: topics.Mined) -> None:
    keys = {t.key for t in mined.topics}
    for phrase in ("عام ماضي", "اسبوع ماضي", "وقت سابق", "وقال", "بيان", "شهر مقبل"):
        assert phrase not in keys
    found = words("وقال في بيان، العام الماضي.", topics.Hasher())
    assert found.keys == ["وقال", "", "بيان", "عام", "ماضي"]
    assert found.clause == [0, 1, 2, 3, 3]
    assert not topics.ngrams(found).candidate.any()
    # a word with an attached pronoun ends no topic: a phrase about someone, not a name
    assert not topics.ngrams(words("لقوا حتفهم", topics.Hasher())).candidate.any()


def test_mined_topics_are_stored_and_new_articles_get_them_when_linked(tmp_path) -> None:
    path = build(tmp_path / "topics.db", list(range(1, 10)))
    with Store(path) as store:
        before = {t.key: t for t in topic_store.topics(store)}
        assert set(before) == {"واشنطن", "منتدي عالمي لمكافحه ارهاب"}  # the initiative's fifth is missing
        washington = before["واشنطن"]
        assert (washington.article_count, washington.last_seen) == (5, "2018-04-12T10:00:00+00:00")
        link_new(store, add_articles(store, [10]))  # ingest's linking assigns the known topics
        after = topic_store.topic(store, washington.id)
        assert after is not None
        assert (after.article_count, after.last_seen) == (6, "2018-06-01T10:00:00+00:00")
        assert [t.key for t in topic_store.article_topics(store, 10)] == ["واشنطن"]
        assert [a for a, _ in topic_store.topic_article_times(store, washington.id)] == WASHINGTON
        forum = before["منتدي عالمي لمكافحه ارهاب"]
        topics.mine(store)  # mined again: the forum keeps its id, the initiative is now a topic
        again = {t.key: t for t in topic_store.topics(store)}
        assert again["منتدي عالمي لمكافحه ارهاب"].id == forum.id
        assert set(again) == {"واشنطن", "منتدي عالمي لمكافحه ارهاب", "مبادره مغربيه امريكيه"}
        initiative = again["مبادره مغربيه امريكيه"]
        assert [a for a, _ in topic_store.topic_article_times(store, initiative.id)] == INITIATIVE
        assert [a for a, _ in topic_store.topic_article_times(store, forum.id)] == FORUM


def test_the_python_api(tmp_path) -> None:
    from marsad import Archive

    with Archive(build(tmp_path / "api.db")) as archive:
        names = [t.name for t in archive.topics()]
        assert names == ["واشنطن", "المبادرة المغربية الأمريكية", "المنتدى العالمي لمكافحة الإرهاب"]
        forum = archive.topics()[2]
        assert [a for a, _ in archive.topic_articles(forum.id)] == FORUM
        assert archive.mine_topics().topics[2].key == forum.key
        assert archive.topic(forum.id) == forum
