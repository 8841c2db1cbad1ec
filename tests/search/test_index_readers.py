"""A reader of the search index (a web worker) sees another process's commit at its next search, and opens
the index anew after another process rebuilt it: the stat of each shard's meta.json and of the marker file
that marsad.search.index.Shards makes before each search. Tantivy's own watcher would see the commit too,
but only at its next poll (every 500 ms): these tests read straight after the commit."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from marsad.ingest import ingest
from marsad.search import index_path, search
from marsad.search.index import _create, _shard_paths, document_count, open_index
from marsad.store.db import Store
from tests.ingest.conftest import ARTICLES, article_html


@pytest.fixture
def store(tmp_path: Path):
    pages = []
    for n in range(2):
        pages.append(tmp_path / f"a{n}.html")
        pages[-1].write_text(article_html(ARTICLES[n]), encoding="utf-8")
    with Store(tmp_path / "r.db") as opened:
        ingest([str(p) for p in pages], opened, progress=False)
        yield opened


OTHER_WRITER = """
import sys, tantivy
from marsad.search.index import ShardWriter
shards = [tantivy.Index.open(path) for path in sys.argv[2:]]
writer = ShardWriter([shard.writer(heap_size=15_000_000, num_threads=1) for shard in shards])
writer.delete(int(sys.argv[1]))
writer.commit()
"""


def _delete_in_another_process(store: Store, article_id: int) -> None:
    """What an ingest process that writes while a web worker reads does: commit, from its own process."""
    shards = [str(shard) for shard in _shard_paths(index_path(store))]
    subprocess.run([sys.executable, "-c", OTHER_WRITER, str(article_id), *shards], check=True, timeout=60)


def test_a_commit_by_another_writer_is_seen_at_the_next_search(store: Store) -> None:
    reader = open_index(store)
    assert document_count(store) == 2
    assert [h.url for h in search(store, "الرجاء").hits] == [ARTICLES[1]["url"]]
    _delete_in_another_process(store, 2)
    assert document_count(store) == 1
    assert search(store, "الرجاء").hits == []
    assert open_index(store) is reader  # reloaded, not reopened


def test_a_rebuild_by_another_process_reopens_the_index(store: Store) -> None:
    reader = open_index(store)
    assert document_count(store) == 2
    _create(index_path(store))  # what `marsad reindex` in another process starts with: a new, empty folder
    assert open_index(store) is not reader
    assert document_count(store) == 0
