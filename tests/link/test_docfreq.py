"""Document frequencies by term hash: counts as a dict of terms would give them, across merges and saves,
and a store that kept them by term is converted."""

from __future__ import annotations

import numpy as np

from marsad.link.docfreq import DocFreqs, term_hash
from marsad.link.prepare import prepare
from marsad.store import linkstate
from marsad.store.db import Store


def term_hashes(terms: list[str]) -> np.ndarray:
    return np.array([term_hash(t) for t in terms], dtype=np.int64)


def test_term_hash_is_stable():
    # The store keeps frequencies by these values: a changed hash would orphan every stored frequency.
    assert term_hash("حكوم") == 3796178215296993629
    assert term_hash("مغرب") == 6161336660306155705


def test_the_worker_hashes_terms_as_the_linker_does():
    # The feature worker sends each term's hash; the linker hashes a loaded story's centroid terms itself.
    prepared = prepare("الحكومة المغربية تعلن", "أعلنت الحكومة في الرباط عن مبادرة جديدة")
    assert prepared.terms == ["اعلنت", "حكوم", "رباط", "مبادر", "جديد", "مغرب", "تعلن"]
    assert prepared.hashes.tolist() == [term_hash(t) for t in prepared.terms]


def test_counts_as_a_dict_would_across_growth_and_saves():
    df = DocFreqs()
    a, b, c, d = term_hashes(["حكوم", "مغرب", "رباط", "وزير"]).tolist()
    assert df.lookup(np.array([a, b]), count=True).tolist() == [1, 1]
    assert df.lookup(np.array([a, c]), count=True).tolist() == [2, 1]
    assert df.lookup(np.array([d, a, b]), count=True).tolist() == [1, 3, 2]
    assert df.lookup(np.array([c, d]), count=False).tolist() == [1, 1]  # reading counts nothing
    assert df.changed() == sorted([(a, 3), (b, 2), (c, 1), (d, 1)])
    assert df.changed() == []
    assert df.lookup(np.array([b]), count=True).tolist() == [3]
    assert df.changed() == [(b, 3)]
    assert len(df) == 4


def test_colliding_slots_and_growth_match_a_dict():
    # 60,300 distinct hashes, 300 of them in one slot (multiples of the table sizes), counted in articles of
    # 200: the table grows past its first size and every count is a dict's.
    rng = np.random.default_rng(7)
    pool = np.unique(np.concatenate([rng.integers(-(2**62), 2**62, 60_000), np.arange(1, 301) << 24]))
    df, expected = DocFreqs(), {}
    for _ in range(400):
        article = rng.choice(pool, 200, replace=False)
        want = [expected.get(h, 0) + 1 for h in article.tolist()]
        expected.update(zip(article.tolist(), want, strict=True))
        assert df.lookup(article, count=True).tolist() == want
    assert len(df) == len(expected) and len(df.table) > 1 << 16
    assert sorted(df.changed()) == sorted(expected.items())
    again = DocFreqs(sorted(expected.items()))  # as loaded from the store
    probe = rng.choice(pool, 5_000, replace=False)
    assert again.lookup(probe).tolist() == [expected.get(h, 0) for h in probe.tolist()]


def test_a_store_linked_by_term_is_converted(tmp_path):
    with Store(tmp_path / "old.db") as store, store.transaction():
        store.conn.executemany("INSERT INTO term_df(term, df) VALUES (?, ?)", [("حكوم", 7), ("مغرب", 2)])
        rows = linkstate.load_df(store, term_hash)
        assert rows == sorted([(term_hash("حكوم"), 7), (term_hash("مغرب"), 2)])
        assert store.conn.execute("SELECT count(*) FROM term_df").fetchone()[0] == 0
        assert linkstate.load_df(store, term_hash) == rows  # read back from doc_freq
        assert DocFreqs(rows).lookup(term_hashes(["مغرب", "وزير"])).tolist() == [2, 0]
