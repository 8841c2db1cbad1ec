"""Collapsing reads each candidate's story, original and hidden flag from the covering index of
005_search.sql; a database that lacks it (an older one opened read-only, so not migrated) gives the same hits.

Works on a copy of the ANT database cut down to its first 300 articles (ANT Corpus v2.1: Chouigui,
Ben Khiroun and Elayeb, AJSE 46(8), 2021).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from marsad.search import index_articles, search, search_ids
from marsad.search.index import forget
from marsad.store import searchfeed
from marsad.store.db import Store
from marsad.store.searchfeed import warm_search_state

pytestmark = pytest.mark.realdata

FIRST = 300


@pytest.fixture
def linked(ant_db: Path, tmp_path: Path) -> Path:
    """The first 300 ANT articles, indexed, with two of the "الحكومة" articles in one story, a third a
    duplicate of the first, and a fourth hidden after indexing (the index lags behind SQLite)."""
    path = tmp_path / "linked.db"
    shutil.copyfile(ant_db, path)
    with Store(path) as store:
        store.conn.execute("DELETE FROM article WHERE id > ?", (FIRST,))
        index_articles(store, range(1, FIRST + 1))
        a, b, c, d = sorted(search_ids(store, "الحكومة"))[:4]
        store.conn.execute("UPDATE article SET story_id = 901 WHERE id IN (?, ?)", (a, b))
        store.conn.execute("UPDATE article SET duplicate_of = ? WHERE id = ?", (a, c))
        store.conn.execute("UPDATE article SET hidden = 1 WHERE id = ?", (d,))
        forget(store)
    return path


def shown(store: Store) -> list[tuple[int, int, int | None]]:
    result = search(store, "الحكومة", limit=200, facets=False, snippets=False)
    return [(hit.id, hit.folded, hit.story_id) for hit in result.hits]


def test_the_state_index_and_the_article_table_give_the_same_hits(linked: Path):
    with Store(linked) as store:
        matching = sorted(search_ids(store, "الحكومة"))
        with_index = shown(store)
        assert "article_search_state" not in store.missing_indexes
        forget(store)
        store.conn.execute("DROP INDEX article_search_state")
    with Store(linked, readonly=True) as old:
        assert shown(old) == with_index
        assert "article_search_state" in old.missing_indexes
        forget(old)
    # The story folds b into a; the hidden article is left out though the index still holds it.
    assert len(with_index) == len(matching) - 2
    assert [folded for _, folded, story in with_index if story == 901] == [1]


def test_each_opening_of_the_index_reads_the_state_index_once_in_the_background(
    linked: Path, monkeypatch: pytest.MonkeyPatch
):
    started = []

    def record(store: Store):
        thread = warm_search_state(store)
        started.append(thread)
        return thread

    monkeypatch.setattr(searchfeed, "warm_search_state", record)
    with Store(linked) as store:
        shown(store)
        shown(store)
        forget(store)  # opened anew (as after a rebuild): read again
        shown(store)
        forget(store)
        store.conn.execute("DROP INDEX article_search_state")
        started.append(warm_search_state(store))  # an older database: nothing to read, no error
    assert len(started) == 3
    for thread in started:
        thread.join(10)
        assert not thread.is_alive()
    with Store(":memory:") as memory:  # no file to read
        assert warm_search_state(memory) is None
