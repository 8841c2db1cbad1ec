"""Incremental linking in publication order gives what relink gives, whatever the batches, and whether the
linker state stays in memory or is reloaded from the store between batches."""

from __future__ import annotations

import random
from datetime import datetime

import pytest
from antload import insert_ant
from planted import plant
from snapshot import snapshot

from marsad.ingest import after_commit
from marsad.link import link_new, relink
from marsad.link.features import rounded
from marsad.link.linker import Linker, LinkStateOutdated, analysis_fingerprint
from marsad.link.stories import Story, StoryIndex, dot
from marsad.store import linkstate
from marsad.store.db import Store


@pytest.mark.realdata
def test_incremental_equals_relink(tmp_path, ant_rows):
    rows = sorted(ant_rows, key=lambda r: r["published"])[12000:12500]  # four days of news
    store = Store(tmp_path / "inc.db")
    insert_ant(store, rows[100:])
    plant(store, rows[:100])  # their reposts, from aggregators naming them
    order = linkstate.link_order(store)
    assert len(order) == 578  # 400 + 100 originals + 100 reposts, less URLs the corpus repeats
    sizes = [1, 7, 50, 2, 120, 33, 200, 500]
    start, linker = 0, Linker(store)
    for i, size in enumerate(sizes):
        link_new(store, order[start : start + size], linker)
        start += size
        if i % 2:  # as if another process linked the next batch: state reloaded from the store
            linker.close()
            linker = Linker(store)
    linker.close()
    incremental = snapshot(store)
    relink(store)
    again = snapshot(store)
    assert incremental == again
    assert len(incremental["duplicates"]) >= 99
    assert sum(1 for s in incremental["stories"] if len(s[4]) >= 2) >= 20
    assert any(len(t) >= 2 for t in incremental["threads"])
    assert incremental["events"]


@pytest.mark.realdata
def test_links_made_by_another_analysis_ask_for_a_relink(tmp_path, ant_rows):
    store = Store(tmp_path / "analysis.db")
    ids = insert_ant(store, ant_rows[:40])
    link_new(store, ids[:20])
    assert linkstate.get_meta(store, "analysis") == analysis_fingerprint()
    with store.transaction():  # as if linked by a Marsad whose stemmer or MinHash gave other values
        linkstate.set_meta(store, "analysis", "0" * 16)
    with pytest.raises(LinkStateOutdated, match="run `marsad relink`"):
        link_new(store, ids[20:])
    assert store.conn.execute("SELECT count(*) FROM article WHERE story_id IS NOT NULL").fetchone()[0] == 20
    relink(store)
    assert linkstate.get_meta(store, "analysis") == analysis_fingerprint()
    assert store.conn.execute("SELECT count(*) FROM article WHERE story_id IS NOT NULL").fetchone()[0] == 40


@pytest.mark.realdata
def test_a_big_story_has_its_most_central_member_as_representative_whenever_it_is_saved(tmp_path, ant_rows):
    """Nine days of May 2018 (the United States leaving the Iran nuclear deal, the strikes in Syria that
    followed): the biggest story still open when they are linked, Israel's strikes on Iran's positions in
    Syria on 10 May (the strikes, the first accounts of them and the first reactions), grows to 23 articles
    that make its centroid (and 2 reposts) within its day and a half. Its members joined again one by one,
    the story saved (settled) after each: the representative is always the member most central to the
    centroid of that moment, as relink, which saves it once, would choose."""
    rows = sorted(ant_rows, key=lambda r: r["published"])[12800:14300]
    store = Store(tmp_path / "big.db")
    insert_ant(store, rows)
    linker = Linker(store)
    link_new(store, linkstate.link_order(store), linker)
    linker.close()
    linked = max(linker.stories.stories.values(), key=lambda s: s.members)
    assert (linked.members, linked.article_count) == (23, 25)
    assert linked.title == 'إسرائيل تعلن شن ضربة "قاضية" للبنية التحتية الإيرانية بسوريا'
    members = list(linked.vectors.items())  # in the order they joined
    for seed in (None, 3, 8, 29):  # and in other orders
        if seed is not None:
            random.Random(seed).shuffle(members)
        index, (first, _) = StoryIndex(), members[0]
        story = Story(id=1, title=linked.titles[first], representative_id=first, first_seen="", last_seen="")
        for article_id, vector in members:
            index.join(story, article_id, linked.titles[article_id], vector, {}, frozenset(), frozenset())
            story.settle()
            ids = list(story.vectors)  # the first to join wins a tie
            scores = rounded([dot(story.vectors[a], story.centroid) for a in ids])
            assert story.representative_id == ids[scores.index(max(scores))]
        if seed is None:  # the order in which linking joined them: the centroid it made (pruning keeps
            assert story.title == linked.title  # its heaviest terms, so another order makes another)


@pytest.mark.realdata
def test_link_order_is_the_order_of_publication_instants(tmp_path, ant_rows):
    """ANT's times carry their outlets' offsets (+04:00, +00:00...): as text they sort out of time order,
    and linking must meet the articles in the order they were published."""
    rows = sorted(ant_rows, key=lambda r: r["published"])[:400]
    store = Store(tmp_path / "order.db")
    insert_ant(store, rows)
    published = dict(store.conn.execute("SELECT id, published FROM article").fetchall())
    instants = [datetime.fromisoformat(published[i]) for i in linkstate.link_order(store)]
    assert instants == sorted(instants)
    as_text = [datetime.fromisoformat(t) for t in sorted(published.values())]
    assert sum(1 for a, b in zip(as_text, as_text[1:], strict=False) if b < a) == 49  # steps back in time


@pytest.mark.realdata
def test_ingest_links_a_batch_in_publication_order(tmp_path, ant_rows):
    """A batch of pages read in any order (here 300 articles of April 2018, shuffled) is linked by ingest as
    relink links the archive: in publication order."""
    rows = random.Random(5).sample(sorted(ant_rows, key=lambda r: r["published"])[12000:12300], 300)
    store = Store(tmp_path / "ingest.db")
    ids = insert_ant(store, rows)
    after_commit(store, ids, index=False)
    ingested = snapshot(store)
    relink(store)
    assert snapshot(store) == ingested
    assert (len(ingested["stories"]), len(ingested["duplicates"])) == (168, 10)
