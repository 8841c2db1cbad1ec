"""Document frequencies: how many linked articles hold each analysed term, by the term's 64-bit hash.

An article has some 200 distinct terms, and each one's frequency is read and counted up before its tf-idf
vector can be made. As probes of a dict of every term ever seen (300,000 strings on ANT) this was a fifth
of linking: the probes miss the CPU cache, 1 us each inside a linking run. Here the terms' hashes (made in
the feature worker, see prepare.py) are looked up in one np.searchsorted over a sorted array, and counted
up in place; terms seen for the first time since the last merge wait in a small dict.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

import numpy as np

_HASHES: dict[str, int] = {}  # term -> hash, a cache: most terms come back in later articles


def term_hash(term: str) -> int:
    """A stable signed 64-bit hash of a term (the same in every process and version, as the store keeps it:
    Python's hash() is salted per process)."""
    found = _HASHES.get(term)
    if found is None:
        if len(_HASHES) > 500_000:
            _HASHES.clear()
        digest = hashlib.blake2b(term.encode(), digest_size=8).digest()
        found = _HASHES[term] = int.from_bytes(digest, "little", signed=True)
    return found


def term_hashes(terms: Iterable[str]) -> np.ndarray:
    return np.fromiter(map(term_hash, terms), dtype=np.int64)


class DocFreqs:
    """Document frequency by term hash: a sorted array of the hashes with their counts, and a dict of the
    hashes new since the last merge (merged when it grows past a share of the array)."""

    MERGE_AT = 2_000  # new hashes held in the dict before they are merged into the arrays

    def __init__(self, rows: Iterable[tuple[int, int]] = ()):
        pairs = np.array(list(rows), dtype=np.int64).reshape(-1, 2)
        order = np.argsort(pairs[:, 0], kind="stable")
        self.keys = pairs[order, 0].copy()
        self.counts = pairs[order, 1].copy()
        self.dirty = np.zeros(len(self.keys), dtype=bool)  # changed since the last save
        self.new: dict[int, int] = {}  # hash -> count, not in keys yet (all changed since the last save)

    def __len__(self) -> int:
        return len(self.keys) + len(self.new)

    def lookup(self, hashes: np.ndarray, count: bool = False) -> np.ndarray:
        """The document frequency of each hash; with `count`, one more document holds each of them first
        (the hashes of one article are distinct)."""
        keys = self.keys
        dfs = np.zeros(len(hashes), dtype=np.int64)
        if len(keys):
            at = np.searchsorted(keys, hashes)
            np.minimum(at, len(keys) - 1, out=at)
            found = keys[at] == hashes
            hit = at[found]
            if count:
                self.counts[hit] += 1
                self.dirty[hit] = True
            dfs[found] = self.counts[hit]
            missing = np.flatnonzero(~found).tolist()
        else:
            missing = range(len(hashes))
        if missing:
            new = self.new
            values = hashes[missing].tolist()
            if count:
                for i, h in zip(missing, values, strict=True):
                    dfs[i] = new[h] = new.get(h, 0) + 1
                if len(new) > self.MERGE_AT:
                    self._merge()
            else:
                dfs[missing] = [new.get(h, 0) for h in values]
        return dfs

    def _merge(self) -> None:
        """Insert the new hashes into the sorted arrays (a copy of them: O(n), no sort)."""
        if not self.new:
            return
        added = np.fromiter(self.new.keys(), dtype=np.int64, count=len(self.new))
        counts = np.fromiter(self.new.values(), dtype=np.int64, count=len(self.new))
        order = np.argsort(added)
        added, counts = added[order], counts[order]
        at = np.searchsorted(self.keys, added)
        self.keys = np.insert(self.keys, at, added)
        self.counts = np.insert(self.counts, at, counts)
        self.dirty = np.insert(self.dirty, at, True)
        self.new = {}

    def changed(self) -> list[tuple[int, int]]:
        """(hash, df) of every frequency changed since the last call, in hash order."""
        at = np.flatnonzero(self.dirty)
        rows = list(zip(self.keys[at].tolist(), self.counts[at].tolist(), strict=True))
        rows.extend(self.new.items())
        self.dirty[at] = False
        self._merge()  # what was new is saved now
        self.dirty[:] = False
        return sorted(rows)
