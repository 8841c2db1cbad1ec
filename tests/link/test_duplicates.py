"""Reposts: MinHash LSH candidates verified by containment; the original credited."""

from __future__ import annotations

import numpy as np
import pytest
from antload import insert_ant
from planted import plant, score

from marsad.link import duplicates as dup
from marsad.link import link_new
from marsad.link.features import article_features, paragraph_words, shingles, without_attribution
from marsad.store import stories as db
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
    link_new(store, db.link_order(store))
    result = score(store, plants)
    assert result["recall"] >= 0.97
    assert result["precision"] >= 0.99
    assert result["credit"] >= 0.99


@pytest.mark.realdata
def test_attribution_beats_publication_order(tmp_path, ant_sample):
    """The repost is stored and linked first and stamped earlier; the outlet it names is still credited."""
    store = Store(tmp_path / "order.db")
    row = dict(ant_sample[0])
    plants = plant(store, [row])
    repost, original = plants[0].repost_id, plants[0].original_id
    with store.transaction():
        store.conn.execute("UPDATE article SET published = '2000-01-01T00:00:00' WHERE id = ?", (repost,))
    link_new(store, [repost])
    link_new(store, [original])
    links = dict(store.conn.execute("SELECT id, duplicate_of FROM article").fetchall())
    assert links == {original: None, repost: original}
    story = db.get_story(store, db.article_story(store, original)[0])
    assert {a["id"] for a in story["articles"]} == {original, repost}


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
