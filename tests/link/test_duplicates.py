"""Reposts: MinHash LSH candidates verified by containment; the original credited."""

from __future__ import annotations

from datetime import datetime

import numpy as np
import pytest
from antload import insert_ant
from planted import plant, score

from marsad.link import duplicates as dup
from marsad.link import link_new
from marsad.link.features import article_features, paragraph_words, shingles, without_attribution
from marsad.link.linker import Linker
from marsad.store import linkstate, stories
from marsad.store.db import Store


def test_shingles_are_paragraph_bigrams_that_survive_reordering():
    paragraphs = ["قال الوزير إن الاجتماع مهم", "وأضاف أن المغرب شريك"]
    forward = shingles(paragraph_words(paragraphs))
    backward = shingles(paragraph_words(list(reversed(paragraphs))))
    assert sorted(forward) == sorted(backward)
    assert "الاجتماع مهم" in forward
    assert "مهم واضاف" not in forward  # no bigram across paragraphs
    assert len(forward) == 4 + 3


def test_attribution_line_is_not_shingled():
    paragraphs = ["نشر في دوزيم يوم 21 - 09 - 2017", "أكد وزير الشؤون الخارجية أمس الأربعاء بنيويورك"]
    assert without_attribution(paragraphs) == paragraphs[1:]


def test_containment_estimate_from_signatures():
    words = [f"w{i}" for i in range(400)]
    whole = [" ".join(p) for p in zip(words, words[1:], strict=False)]
    half = whole[:200]
    sa, sb = dup.signature(whole), dup.signature(half)
    jaccard = dup.estimated_jaccard(sa, sb)
    assert abs(jaccard - 200 / 399) < 0.12
    assert dup.containment_from_jaccard(jaccard, len(whole), len(half)) > 0.8
    assert dup.exact_containment(whole, half) == 1.0
    assert dup.verified(whole, half) == 1.0
    # a few stock phrases of a one-line brief all found in a long text are not a copy
    assert dup.verified(whole, whole[:8]) == 0.0


def test_band_keys_are_63_bit_and_differ_by_band():
    sig = np.arange(dup.NUM_PERM, dtype=np.uint32)
    keys = dup.band_keys(sig)
    assert len(keys) == dup.BANDS == len(set(keys))
    assert all(0 <= k < 2**63 for k in keys)
    same = np.zeros(dup.NUM_PERM, dtype=np.uint32)
    assert len(set(dup.band_keys(same))) == dup.BANDS  # equal values in different bands never collide


@pytest.mark.realdata
def test_planted_reposts(tmp_path, ant_sample):
    """300 ANT articles and a repost of each (attribution + wrapper lines, 5-15 % of words edited, first
    half only, paragraphs reordered, a new headline; one in ten stamped before its original)."""
    store = Store(tmp_path / "planted.db")
    plants = plant(store, ant_sample[:300])
    link_new(store, linkstate.link_order(store))
    result = score(store, plants)
    assert result["recall"] >= 0.97
    assert result["precision"] >= 0.99
    assert result["credit"] >= 0.99


@pytest.mark.realdata
def test_attribution_beats_publication_order(tmp_path, ant_sample):
    """The repost is stored and linked first and stamped a day earlier (reposts are looked for within
    dup.REPOST_DAYS); the outlet it names is still credited."""
    store = Store(tmp_path / "order.db")
    row = dict(ant_sample[0])
    plants = plant(store, [row])
    repost, original = plants[0].repost_id, plants[0].original_id
    with store.transaction():
        store.conn.execute(
            "UPDATE article SET published = datetime((SELECT published FROM article WHERE id = ?), '-1 day')"
            " WHERE id = ?",
            (original, repost),
        )
    link_new(store, [repost])
    link_new(store, [original])
    links = dict(store.conn.execute("SELECT id, duplicate_of FROM article").fetchall())
    assert links == {original: None, repost: original}
    (story_id,) = {r[0] for r in store.conn.execute("SELECT story_id FROM article")}
    assert {a.id for a in stories.story(store, story_id).articles} == {original, repost}


@pytest.mark.realdata
def test_exact_copy_under_another_url_is_a_duplicate(tmp_path, ant_sample):
    store = Store(tmp_path / "copy.db")
    row = ant_sample[1]
    copy = dict(row, url=row["url"] + "?amp=1", published=row["published"].replace("T", "T"))
    first, second = insert_ant(store, [row, copy])
    link_new(store, [first, second])
    assert dict(store.conn.execute("SELECT id, duplicate_of FROM article").fetchall()) == {
        first: None,
        second: first,
    }
    assert len(article_features(row["title"], row["paragraphs"]).shingles) >= dup.MIN_SHINGLES


def test_repost_index_finds_bucket_mates_within_the_window_only():
    index = dup.RepostIndex(days=30)
    sig = np.arange(dup.NUM_PERM, dtype=np.uint32)
    keys, blob = dup.band_keys(sig), dup.to_blob(sig)
    index.add(1, keys, blob, 50, "2018-03-01T10:00:00")
    index.add(2, keys[:1], blob, 50, "2018-03-20T10:00:00")
    index.add(3, keys[5:7], blob, 50, "2018-04-15T10:00:00")
    assert index.around(9, keys, "2018-03-25T00:00:00") == [1, 2, 3]
    assert index.around(9, keys, "2018-04-10T00:00:00") == [2, 3]  # 1 is 40 days before
    assert index.around(2, keys, "2018-03-20T10:00:00") == [1, 3]  # never the article itself
    index.add(2, keys[7:8], blob, 50, "2018-03-20T10:00:00")  # linked again: its old buckets go
    assert index.around(9, keys[:1], "2018-03-25T00:00:00") == [1]
    index.remove(3)
    assert index.around(9, keys, "2018-03-25T00:00:00") == [1, 2]
    assert index.needs("2018-03-25T00:00:00") is None  # nothing was loaded: everything linked is here
    index.evict_before(datetime(2018, 4, 15, 10))
    assert sorted(index.docs) == [2]  # 1 left the window of the newest article
    assert index.since == "2018-03-16T10:00:00"
    assert index.needs("2018-03-20T00:00:00") == ("2018-02-18T00:00:00", "2018-03-16T10:00:00")
    index.remove(2)
    assert index.buckets == {}


@pytest.mark.realdata
def test_late_repost_finds_an_original_outside_the_loaded_window(tmp_path, ant_sample):
    """A fresh linker holds only the last REPOST_DAYS of buckets; a repost linked late loads the stretch
    before its own time and still finds its original. A copy published after the window is not a repost."""
    store = Store(tmp_path / "late.db")
    plants = plant(store, [dict(ant_sample[0]), dict(ant_sample[1])])
    first, late = plants[0].original_id, plants[0].repost_id
    second, far = plants[1].original_id, plants[1].repost_id
    with store.transaction():
        for article, days in ((late, 1), (second, 60), (far, 100)):
            store.conn.execute(
                f"UPDATE article SET published = datetime((SELECT published FROM article WHERE id = ?),"
                f" '+{days} days') WHERE id = ?",
                (first, article),
            )
    linker = Linker(store)
    link_new(store, [first], linker)
    link_new(store, [second], linker)  # 60 days on: the first leaves the window held in memory
    linker.close()
    linker = Linker(store)  # a new process: the linker loads the window from the store
    link_new(store, [late], linker)
    link_new(store, [far], linker)
    linker.close()
    links = dict(store.conn.execute("SELECT id, duplicate_of FROM article").fetchall())
    assert links == {first: None, late: first, second: None, far: None}


@pytest.mark.realdata
def test_pages_that_share_only_site_chrome_are_not_reposts(tmp_path, ant_rows):
    """ANT's CNN Arabic texts end with teasers of the site's latest articles (their opening sentences), so
    two CNN articles of one afternoon share a block of text larger than 40 % of the shorter one. Only copies
    that carry each other's opening are reposts: in the last days of the corpus, an article on Sisi and
    Sinai 2018 is not a copy of one on the US Treasury Secretary's trip to Riyadh, while wire copies across
    outlets still are."""
    store = _linked(tmp_path / "chrome.db", sorted(ant_rows, key=lambda r: r["published"])[29900:])
    pairs = store.conn.execute(
        "SELECT c.title, o.title, sc.key, so.key FROM article c JOIN article o ON o.id = c.duplicate_of"
        " JOIN source sc ON sc.id = c.source_id JOIN source so ON so.id = o.source_id"
    ).fetchall()
    titles = {title for pair in pairs for title in pair[:2]}
    assert not any(title.startswith("السيسي يستعرض") for title in titles)
    cnn = sum(1 for p in pairs if p[2] == p[3] == "CNN")
    across = sum(1 for p in pairs if p[2] != p[3])
    same_title = sum(1 for p in pairs if p[0] == p[1])  # CNN pages the corpus holds under two URLs
    # (with the containment alone: 414 copies of 438 articles, 265 of them CNN's, 20 under the same title;
    # with a 30-day repost window, also an explainer on the FTSE 100 as a "copy" of one on the Dow Jones;
    # before the lines an outlet repeats were left out of verification, 17 more CNN pairs, pages on other
    # happenings that shared teasers, such as the Qatar ambassador's nomination and Pompeo meeting MBS;
    # with stories of at most MAX_SPAN_DAYS, copies past their group's story are linked in a story of their
    # own time, three of them Sky News reports carrying the day before's text as background; before both
    # texts were read without the lines either outlet repeats and texts whose numbers all differ were
    # told apart, three more CNN pairs: Pompeo's arrival in Riyadh as a "copy" of the Khashoggi family's
    # call for an inquiry, the crown prince's statements of the first comment, the fiancee's first comment
    # of Trump's changing positions; one added: Trump's positions and the profile of al-Qahtani, which
    # carry the same two background paragraphs, at containment 0.40; before a CNN page's teasers of other
    # CNN pages (their openings) were left out, eight more CNN pairs, among them that one, Macron's new
    # interior minister and the Iranian border guards' abduction, and al-Qahtani's dismissal and Asiri's,
    # while Sky News's two pages on King Salman's call to Erdogan (and one on Trump's call) were a group of
    # their own, not copies of CNN's earlier page on the call)
    assert (len(pairs), cnn, across, same_title) == (82, 50, 6, 38)


@pytest.mark.realdata
def test_templated_statements_do_not_chain_into_months_of_copies(tmp_path, ant_rows):
    """The Saudi-led coalition's statements on intercepted Houthi missiles are one text with another city
    and date. Each new statement passes for a copy of the one before, so with a 30-day repost window and
    groups joined through any member, 16 of ANT's 46 such articles (every outlet, "صاروخ" and "حوثي" in the
    title) were marked copies, one group of 13 and one story ran 114 days. Reposts are now looked for within
    dup.REPOST_DAYS, and that of the group's original too: what is left is one page under two URLs and two
    statements of the same week. With stories of at most MAX_SPAN_DAYS, the stories of these statements
    are smaller and shorter: with the opening test (stories.OPENING_MIN) none holds more than two articles
    (one interception reported by two outlets, a statement and a reaction to the same attack)."""
    rows = [r for r in ant_rows if "صاروخ" in r["title"] and "حوثي" in r["title"]]
    store = _linked(tmp_path / "statements.db", rows)
    pairs = store.conn.execute(
        "SELECT c.published, o.published FROM article c JOIN article o ON o.id = c.duplicate_of"
        " ORDER BY c.published"
    ).fetchall()
    assert (len(rows), [tuple(p) for p in pairs]) == (
        46,
        [
            ("2018-05-09T09:16:47+00:00", "2018-05-09T09:16:47+00:00"),
            ("2018-05-11T18:19:22+00:00", "2018-05-09T09:16:47+00:00"),
            ("2018-06-14T14:43:54+00:00", "2018-06-13T02:32:56+00:00"),
        ],
    )
    stories = store.conn.execute(
        "SELECT count(*), max(article_count), max(julianday(last_seen) - julianday(first_seen)) FROM story"
    ).fetchone()
    assert (stories[0], stories[1], round(stories[2], 2)) == (40, 2, 1.19)


def _linked(path, rows: list[dict]) -> Store:
    """A store holding these ANT rows, linked in publication order."""
    store = Store(path)
    insert_ant(store, rows)
    link_new(store, linkstate.link_order(store))
    return store
