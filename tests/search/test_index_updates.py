"""Keeping the index in step with SQLite: add, update, hide, restore, collapse, rebuild, and clear errors.

Works on a copy of the ANT database cut down to its first 400 articles (ANT Corpus v2.1: Chouigui,
Ben Khiroun and Elayeb, AJSE 46(8), 2021).
"""

from __future__ import annotations

import json
import shutil
import threading
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

import pytest
import tantivy

from marsad.arabic import analyse
from marsad.search import (
    IndexUnavailable,
    QueryError,
    engine,
    index_articles,
    index_path,
    reindex,
    search,
    search_ids,
)
from marsad.search import index as index_module
from marsad.search.index import MARKER, forget, open_index
from marsad.search.query import parse, to_tantivy
from marsad.store import searchfeed
from marsad.store.db import Store

pytestmark = pytest.mark.realdata

FIRST = 400


@pytest.fixture(scope="module")
def template(ant_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The ANT database cut down to its first 400 articles (a small file each test copies)."""
    path = tmp_path_factory.mktemp("small") / "template.db"
    shutil.copyfile(ant_db, path)
    with Store(path) as store:
        store.conn.execute("DELETE FROM article WHERE id > ?", (FIRST,))
        store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        store.conn.execute("VACUUM")
    return path


@pytest.fixture
def small(template: Path, tmp_path: Path) -> Store:
    path = tmp_path / "small.db"
    shutil.copyfile(template, path)
    store = Store(path)
    assert index_articles(store, range(1, FIRST + 1)) == FIRST
    yield store
    forget(store)
    store.close()


def ids_with(store: Store, word: str, limit: int = FIRST) -> set[int]:
    (term,) = analyse(word)
    rows = store.conn.execute("SELECT id, title, body FROM article WHERE id <= ?", (limit,))
    return {r["id"] for r in rows if term in analyse(r["title"] + "\n" + r["body"])}


def test_only_the_indexed_articles_are_found(small):
    expected = ids_with(small, "الحكومة")
    assert len(expected) > 10
    assert search_ids(small, "حكومات") == expected


def test_an_update_replaces_the_document(small):
    small.conn.execute("UPDATE article SET title = 'زززقققخخخ عنوان مصحح' WHERE id = 7")
    assert search_ids(small, "زززقققخخخ") == set()
    assert index_articles(small, [7]) == 1
    assert search_ids(small, "زززقققخخخ") == {7}
    assert search(small, "زززقققخخخ", facets=False).total == 1


def test_hidden_articles_leave_the_index_and_come_back_when_restored(small):
    target = min(ids_with(small, "الحكومة"))
    before = search_ids(small, "الحكومة")
    small.conn.execute("UPDATE article SET hidden = 1 WHERE id = ?", (target,))
    assert index_articles(small, [target]) == 0
    assert search_ids(small, "الحكومة") == before - {target}
    small.conn.execute("UPDATE article SET hidden = 0 WHERE id = ?", (target,))
    assert index_articles(small, [target]) == 1
    assert search_ids(small, "الحكومة") == before


def test_a_hidden_article_is_never_shown_even_before_the_index_catches_up(small):
    hits = search(small, "الحكومة", collapse=False, limit=200, facets=False, snippets=False).hits
    target = hits[0].id
    small.conn.execute("UPDATE article SET hidden = 1 WHERE id = ?", (target,))
    again = search(small, "الحكومة", collapse=False, limit=200, facets=False, snippets=False).hits
    assert target not in {h.id for h in again}
    assert len(again) == len(hits) - 1


def test_missing_ids_are_ignored(small):
    assert index_articles(small, [10**9]) == 0
    assert index_articles(small, []) == 0


def test_collapse_folds_a_story_and_duplicates(small):
    ids = sorted(search_ids(small, "الحكومة"))
    a, b, c = ids[:3]
    small.conn.execute("UPDATE article SET story_id = 901 WHERE id IN (?, ?)", (a, b))
    small.conn.execute("UPDATE article SET duplicate_of = ? WHERE id = ?", (a, c))
    collapsed = search(small, "الحكومة", limit=200, facets=False, snippets=False)
    every = search(small, "الحكومة", collapse=False, limit=200, facets=False, snippets=False)
    assert len(every.hits) == len(ids)
    assert len(collapsed.hits) == len(ids) - 1  # b folds into a's story; c (a duplicate of a) has no story
    shown = {h.id for h in collapsed.hits}
    assert len(shown & {a, b}) == 1
    (story_hit,) = [h for h in collapsed.hits if h.story_id == 901]
    assert story_hit.folded == 1
    assert collapsed.total == every.total == len(ids)
    assert search_ids(small, "الحكومة", story=901) == {a, b}


def test_language_filter(small):
    small.conn.execute("UPDATE article SET language = 'en' WHERE id IN (3, 4)")
    index_articles(small, [3, 4])
    assert search_ids(small, "", language="en") == {3, 4}
    assert search(small, "", language="EN", facets=False).total == 2


def test_reindex_rebuilds_from_sqlite_without_hidden_articles(small):
    shutil.rmtree(index_path(small))
    forget(small)
    with pytest.raises(IndexUnavailable, match="run `marsad reindex`") as missing:
        search(small, "الحكومة")
    assert not isinstance(missing.value, QueryError)  # told apart by type: the query is not at fault
    hidden = min(ids_with(small, "الحكومة"))
    small.conn.execute("UPDATE article SET hidden = 1 WHERE id = ?", (hidden,))
    assert reindex(small) == FIRST - 1
    assert search_ids(small, "الحكومة") == ids_with(small, "الحكومة") - {hidden}


def test_an_index_from_another_analyser_asks_for_reindex(small):
    marker = index_path(small) / MARKER
    data = json.loads(marker.read_text())
    marker.write_text(json.dumps({**data, "analyser": "0000000000000000"}))
    with pytest.raises(IndexUnavailable, match="another version of the Arabic analyser"):
        search(small, "الحكومة")


def test_a_second_writer_gets_a_clear_error(small):
    writer = open_index(small).indexes[1].writer(heap_size=15_000_000, num_threads=1)
    try:
        with pytest.raises(IndexUnavailable, match="another process"):
            index_articles(small, [1])
    finally:
        writer.rollback()
        del writer


WORDS = ("الحكومة", "السعودية", "الانتخابات", "سوريا")


def test_reindex_in_worker_processes_gives_the_same_index(small):
    before = {word: search_ids(small, word) for word in WORDS}
    assert [len(ids) for ids in before.values()] == [12, 62, 3, 20]
    assert reindex(small, workers=2, batch=50) == FIRST
    assert {word: search_ids(small, word) for word in WORDS} == before


def test_reindex_workers_start_even_beside_other_threads():
    """Forking beside threads is unsafe, so workers then come from a fork server: still analysed apart."""
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        with index_module._AnalysisPool(2) as pool:
            assert pool.executor is not None
            assert pool.executor._mp_context.get_start_method() == "forkserver"
            texts = [("الحكومة المغربية", "قال الوزير")]
            assert pool.executor.submit(index_module._analyse_rows, texts).result() == [
                ("حكوم مغرب", "قال زير")
            ]
    finally:
        stop.set()
        thread.join()


class _BrokenExecutor:
    """A process pool whose worker has died: every task fails as concurrent.futures reports it."""

    def __init__(self, *args, **kwargs):
        self.submitted = 0

    def submit(self, *args, **kwargs) -> Future:
        self.submitted += 1
        future: Future = Future()
        future.set_exception(BrokenProcessPool("a child process terminated abruptly"))
        return future

    def shutdown(self, *args, **kwargs) -> None:
        pass


def test_a_dead_reindex_worker_loses_nothing(small, monkeypatch, caplog):
    before = {word: search_ids(small, word) for word in WORDS}
    monkeypatch.setattr(index_module, "ProcessPoolExecutor", _BrokenExecutor)
    assert reindex(small, workers=2, batch=50) == FIRST
    assert caplog.text.count("reindex worker failed (BrokenProcessPool") == 1
    assert {word: search_ids(small, word) for word in WORDS} == before


# ------------------------------------------------------------------------------------------- shards


def test_each_article_lives_in_the_shard_of_its_id(small):
    shards = open_index(small).searchers()
    everything = tantivy.Query.all_query()
    held = []
    for searcher in shards:
        addresses = [a for _, a in searcher.search(everything, limit=FIRST, count=False).hits]
        held.append(set(searcher.fast_field_values("id", addresses)))
    assert held == [set(range(2, FIRST + 1, 2)), set(range(1, FIRST + 1, 2))]


def test_shard_scores_are_those_of_one_index(small, tmp_path):
    """Each shard weighs a word by the idf of the whole index, so scores are one index's but for the average
    field length, which each shard takes over its own half: within 0.6 % on 400 articles."""
    single = tantivy.Index(index_module.SCHEMA, path=str(tmp_path))
    writer = single.writer(heap_size=15_000_000, num_threads=1)
    rows = searchfeed.index_rows(small, range(1, FIRST + 1))
    for row, terms in zip(rows, index_module._analyse_rows(index_module._texts(rows)), strict=True):
        writer.add_document(index_module.document(row, *terms))
    writer.commit()
    writer.wait_merging_threads()
    single.reload()
    searcher = single.searcher()
    deviations = []
    for words in (*WORDS, "كأس العالم", "رئيس الوزراء"):
        parsed = parse(words)
        result = searcher.search(to_tantivy(parsed, index_module.SCHEMA, []), limit=20)
        ids = searcher.fast_field_values("id", [address for _, address in result.hits])
        expected = dict(zip(ids, [score for score, _ in result.hits], strict=True))
        plan = engine._plan(open_index(small).searchers(), parsed, [])
        found = [
            hit for _, hits in plan.run(lambda s, q: engine._shard_top(s, q, "relevance", 20)) for hit in hits
        ]
        scores = {article_id: score for score, article_id, _ in found}
        assert expected and set(expected) <= set(scores), words  # the shards' best 20 hold the index's
        deviations += [abs(scores[i] / expected[i] - 1) for i in expected]
    assert len(deviations) == 64 and 0 < max(deviations) < 0.006


def test_shards_searched_at_once_or_one_after_the_other_give_the_same_page(small, monkeypatch):
    pages = []
    for parallel_from in (0, 10**9):
        monkeypatch.setattr(engine, "PARALLEL_DOCS", parallel_from)
        result = search(small, "الحكومة", limit=30)
        newest = search(small, "السعودية", sort="newest", limit=30, facets=False)
        pages.append(
            (
                result.total,
                result.facets,
                [(h.id, h.score, h.snippet_html) for h in result.hits],
                [h.id for h in newest.hits],
            )
        )
    assert pages[0] == pages[1]
    assert pages[0][0] == 12 and len(pages[0][3]) == 30


def test_an_index_from_an_older_marsad_is_rebuilt_whole_by_the_next_update(small):
    before = search_ids(small, "الحكومة")
    marker = index_path(small) / MARKER
    marker.write_text(json.dumps({**json.loads(marker.read_text()), "format": 2}))
    forget(small)
    with pytest.raises(IndexUnavailable, match="older Marsad"):
        search(small, "الحكومة")
    assert index_articles(small, [7]) == 1  # not an empty index holding article 7 alone
    assert search_ids(small, "الحكومة") == before and len(before) == 12


def test_searches_from_several_threads_at_once_give_what_one_thread_gets(small, monkeypatch):
    """The reader serves requests on several threads, each of which may hand a shard to the search pool."""
    monkeypatch.setattr(engine, "PARALLEL_DOCS", 0)
    queries = [*WORDS, "كأس العالم", "رئيس الوزراء"] * 3

    def page(words: str) -> tuple:
        result = search(small, words, limit=20)
        return result.total, [(h.id, h.score) for h in result.hits], result.facets

    alone = [page(words) for words in queries]
    with ThreadPoolExecutor(4) as pool:
        together = list(pool.map(page, queries))
    assert together == alone
    assert [total for total, _, _ in alone[:6]] == [12, 62, 3, 20, 5, 4]
