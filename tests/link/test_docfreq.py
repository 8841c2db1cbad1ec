"""Document frequencies by term hash: counts as a dict of terms would give them, across merges and saves,
and a store that kept them by term is converted."""

from __future__ import annotations

import numpy as np

from marsad.link.docfreq import DocFreqs, term_hash, term_hashes
from marsad.store import stories as db
from marsad.store.db import Store


def test_term_hash_is_stable():
    # The store keeps frequencies by these values: a changed hash would orphan every stored frequency.
    assert term_hash("حكوم") == 3796178215296993629
    assert term_hash("مغرب") == 6161336660306155705


def test_counts_across_merges_and_saves(monkeypatch):
    monkeypatch.setattr(DocFreqs, "MERGE_AT", 2)  # merge into the sorted arrays every few new terms
    df = DocFreqs()
    a, b, c, d = term_hashes(["حكوم", "مغرب", "رباط", "وزير"]).tolist()
    assert df.lookup(np.array([a, b]), count=True).tolist() == [1, 1]
    assert df.lookup(np.array([a, c]), count=True).tolist() == [2, 1]  # three new: merged
    assert len(df.new) == 0 and df.keys.tolist() == sorted([a, b, c])
    assert df.lookup(np.array([d, a, b]), count=True).tolist() == [1, 3, 2]
    assert df.lookup(np.array([c, d]), count=False).tolist() == [1, 1]  # reading counts nothing
    assert df.changed() == sorted([(a, 3), (b, 2), (c, 1), (d, 1)])
    assert df.changed() == []
    assert df.lookup(np.array([b]), count=True).tolist() == [3]
    assert df.changed() == [(b, 3)]
    assert len(df) == 4


def test_a_store_linked_by_term_is_converted(tmp_path):
    with Store(tmp_path / "old.db") as store, store.transaction():
        store.conn.executemany("INSERT INTO term_df(term, df) VALUES (?, ?)", [("حكوم", 7), ("مغرب", 2)])
        rows = db.load_df(store, term_hash)
        assert rows == sorted([(term_hash("حكوم"), 7), (term_hash("مغرب"), 2)])
        assert store.conn.execute("SELECT count(*) FROM term_df").fetchone()[0] == 0
        assert db.load_df(store, term_hash) == rows  # read back from doc_freq
        assert DocFreqs(rows).lookup(term_hashes(["مغرب", "وزير"])).tolist() == [2, 0]
