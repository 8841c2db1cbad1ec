"""The bounded rewind (marsad.link.rewind): stories and threads keep their ids and their followers across
it, and one interrupted by an error leaves the store as it was, for the next ingest to finish."""

from __future__ import annotations

import numpy as np
import pytest
from snapshot import snapshot
from test_order import add_statement, frequencies, statement_store

import marsad.link.rewind as rewind
from marsad.ingest import ingest_pages
from marsad.link.docfreq import DocFreqs
from marsad.store import pending, watchlists
from marsad.store.db import Store


def links_of(store: Store, ids: dict[str, int]) -> dict[str, tuple[int, int]]:
    """name -> (story id, thread id) of each article."""
    return {
        name: tuple(
            store.conn.execute(
                "SELECT a.story_id, s.thread_id FROM article a JOIN story s ON s.id = a.story_id WHERE a.id = ?",
                (article_id,),
            ).fetchone()
        )
        for name, article_id in ids.items()
    }


def follow(store: Store, kind: str, target: int) -> int:
    return watchlists.add(
        store, watchlists.NewWatchlist(name=f"{kind} {target}", kind=kind, target=str(target))
    ).id


def test_stories_and_threads_that_lose_no_member_keep_their_ids_and_followers(tmp_path, rewinds):
    """a and b (a copy naming c) make one story, the match two days later another; c, published before
    both, comes last: the three are undone and linked again after c, and their stories, now with c, keep
    their ids, as do the threads and the watchlists that follow them."""
    store, ids = statement_store(tmp_path / "ids.db", ["a", "b", "match"])
    before = links_of(store, ids)
    assert before["a"] == before["b"] and before["a"][0] != before["match"][0]
    followed = {
        follow(store, "story", before["a"][0]): str(before["a"][0]),
        follow(store, "story", before["match"][0]): str(before["match"][0]),
        follow(store, "thread", before["match"][1]): str(before["match"][1]),
    }
    ids["c"] = add_statement(store, "c")
    assert rewinds == [3]
    after = links_of(store, ids)
    assert after == {**before, "c": before["a"]}
    assert {w.id: w.target for w in watchlists.all_watchlists(store)} == followed
    assert store.conn.execute("SELECT count(*) FROM story").fetchone()[0] == 2


def test_an_interrupted_rewind_leaves_the_store_as_it_was_and_the_next_ingest_finishes_it(
    tmp_path, monkeypatch, rewinds
):
    store, ids = statement_store(tmp_path / "cut.db", ["a", "b", "match"])

    def state() -> tuple:
        rows = {
            table: sorted(tuple(r) for r in store.conn.execute(f"SELECT * FROM {table}"))
            for table in ("story", "story_state", "thread", "thread_state", "link_doc", "link_meta", "event")
        }
        links = sorted(
            tuple(r)
            for r in store.conn.execute("SELECT id, story_id, duplicate_of FROM article")
            if r[0] in ids.values()
        )
        return frequencies(store), rows, links

    before = state()

    def interrupted(*args, **kwargs):
        raise RuntimeError("interrupted")

    monkeypatch.setattr(rewind, "keep_ids", interrupted)  # after undoing and linking again, before commit
    late = add_statement(store, "c")
    assert rewinds == []
    assert pending.pending_ids(store, "link") == [late]
    assert (
        store.conn.execute("SELECT count(*) FROM link_doc WHERE article_id = ?", (late,)).fetchone()[0] == 0
    )
    assert state() == before
    monkeypatch.undo()
    report = ingest_pages(store, [], index=False)
    assert (report.pending_linked, pending.counts(store)["link"]) == (1, 0)
    in_order, _ = statement_store(tmp_path / "in_order.db", ["c", "a", "b", "match"])
    assert snapshot(store) == snapshot(in_order)
    assert frequencies(store) == frequencies(in_order)


def test_taking_back_counts_gives_the_table_before_them():
    """An article's hashes counted, then taken back: every count is what it was, and the slots changed
    are saved with their counts (0 for a hash no other article holds)."""
    held = np.array([11, 12, 13, 14], dtype=np.int64)
    df = DocFreqs([(11, 3), (12, 1)])
    df.lookup(held, count=True)
    assert df.lookup(held).tolist() == [4, 2, 1, 1]
    df.changed()
    df.uncount(held)
    assert df.lookup(held).tolist() == [3, 1, 0, 0]
    assert df.changed() == [(11, 3), (12, 1), (13, 0), (14, 0)]
    with pytest.raises(ValueError, match="never counted"):
        df.uncount(np.array([13], dtype=np.int64))
    with pytest.raises(ValueError, match="never counted"):
        df.uncount(np.array([99], dtype=np.int64))
    assert df.lookup(held).tolist() == [3, 1, 0, 0]


def test_an_article_later_than_the_journal_reaches_links_the_archive_again(tmp_path, monkeypatch):
    """With a journal of one day, the match (two days after the statement) drops the statement's batches
    from it: c, published before them, is linked by a full relink, with the same links as in time order."""
    import marsad.link as linking
    import marsad.link.journal as journal

    monkeypatch.setattr(journal, "JOURNAL_DAYS", 1.0)
    relinks: list[bool] = []
    relink_for_late = linking._relink_for_late

    def counted(*args, **kwargs):
        relinks.append(True)
        return relink_for_late(*args, **kwargs)

    monkeypatch.setattr(linking, "_relink_for_late", counted)
    store, _ = statement_store(tmp_path / "old.db", ["a", "b", "match"])
    heads = store.conn.execute("SELECT count(*) FROM link_meta WHERE key LIKE 'undo-at:%'").fetchone()[0]
    assert heads == 1  # the match's batch alone
    add_statement(store, "c")
    assert relinks == [True]
    in_order, _ = statement_store(tmp_path / "in_order.db", ["c", "a", "b", "match"])
    assert snapshot(store) == snapshot(in_order)
    assert frequencies(store) == frequencies(in_order)
