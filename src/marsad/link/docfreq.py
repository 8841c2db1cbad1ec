"""Document frequencies: how many linked articles hold each analysed term, by the term's 64-bit hash.

An article has some 200 distinct terms, and each one's frequency is read and counted up before its tf-idf
vector can be made. As probes of a dict of every term ever seen (300,000 strings on ANT) this was a fifth
of linking: each probe missed the CPU cache two or three times (the table, the entry, the key string), 1 us
a term inside a linking run. Here the terms' hashes (made in the feature worker, see prepare.py) are looked
up all at once in an open-addressing table held in numpy arrays: one slot read per term, mostly.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Iterable

import numpy as np

_HASHES: dict[str, int] = {}  # term -> hash, a cache: most terms come back in later articles
EMPTY = 0  # a free slot (no term hashes to 0: see term_hash)


def stable_hash(term: str) -> int:
    """A signed 64-bit hash of a string, the same in every process and version, never 0."""
    return int.from_bytes(hashlib.blake2b(term.encode(), digest_size=8).digest(), "little", signed=True) or 1


def term_hash(term: str) -> int:
    """A stable signed 64-bit hash of a term, never 0 (the same in every process and version, as the store
    keeps it: Python's hash() is salted per process)."""
    found = _HASHES.get(term)
    if found is None:
        if len(_HASHES) > 500_000:
            _HASHES.clear()
        found = _HASHES[term] = stable_hash(term)
    return found


_MIX = np.int64(-7046029254386353131)  # an odd 64-bit multiplier (0x9E3779B97F4A7C15 as signed)


@functools.lru_cache(maxsize=1024)
def outlet_hash(outlet_key: str, kind: str = "terms") -> int:
    """The key under which an outlet's article count is kept ("terms"), and with which the keys of what
    is counted among its articles are mixed (outlet_term_hashes): its terms, or its lines ("lines").
    No term holds a NUL."""
    return stable_hash(f"\x00outlet\x00{kind}\x00{outlet_key}")


def outlet_term_hashes(hashes: np.ndarray, salt: int) -> np.ndarray:
    """The keys under which the frequencies of terms (their hashes) among one outlet's articles are kept:
    each hash mixed with the outlet's (wrapping 64-bit arithmetic; never 0, the table's free slot)."""
    with np.errstate(over="ignore"):
        mixed = (hashes ^ np.int64(salt)) * _MIX
    mixed[mixed == EMPTY] = 1
    return mixed


class DocFreqs:
    """Document frequency by term hash, in an open-addressing table (linear probing) at most a quarter full.
    A slot is a row (hash, count): reading a term's count is one cache line."""

    def __init__(self, rows: Iterable[tuple[int, int]] = ()):
        pairs = np.array(list(rows), dtype=np.int64).reshape(-1, 2)
        self._allocate(max(1 << 16, 1 << (4 * len(pairs)).bit_length()))
        self._insert(pairs)
        self.touched: list[np.ndarray] = []  # slots counted up since the last save

    def _allocate(self, size: int) -> None:
        self.table = np.zeros((size, 2), dtype=np.int64)
        self.keys, self.counts = self.table[:, 0], self.table[:, 1]  # views (gathers through them are faster)
        self.mask = size - 1
        self.filled = 0

    def __len__(self) -> int:
        return self.filled

    def _slots(self, hashes: np.ndarray, insert: bool = False) -> np.ndarray:
        """The slot of each hash, or the free slot where its probe ended (its count there is 0), where with
        `insert` it is put. Most hashes are in their first slot, read at once; the few that are not (new
        terms, collisions) are probed in Python. Few numpy calls: inside a linking run each costs several
        microseconds, its code and data pushed out of the CPU caches by the rest of linking."""
        keys, mask = self.keys, self.mask
        slots = hashes & mask
        astray = np.flatnonzero(keys[slots] != hashes)
        if len(astray):
            key_at = self.table.item
            for i, h, slot in zip(
                astray.tolist(), hashes[astray].tolist(), slots[astray].tolist(), strict=True
            ):
                key = key_at(slot, 0)
                while key != h and key != EMPTY:
                    slot = (slot + 1) & mask
                    key = key_at(slot, 0)
                if key == EMPTY and insert:
                    keys[slot] = h
                    self.filled += 1
                slots[i] = slot
        return slots

    def lookup(self, hashes: np.ndarray, count: bool = False) -> np.ndarray:
        """The document frequency of each hash; with `count`, one more document holds each of them first
        (the hashes of one article are distinct)."""
        if not count:
            return self.counts[self._slots(hashes)]
        self._grow(len(hashes))
        slots = self._slots(hashes, insert=True)
        counts = self.counts
        dfs = counts[slots] + 1
        counts[slots] = dfs
        self.touched.append(slots)
        return dfs

    def uncount(self, hashes: np.ndarray) -> None:
        """Take back one document from each hash's count (an article's linking undone, its hashes as
        lookup counted them). A hash not counted raises ValueError, the table untouched."""
        slots = self._slots(hashes)
        if (self.keys[slots] != hashes).any() or (self.counts[slots] < 1).any():
            raise ValueError("a document frequency to take back was never counted")
        self.counts[slots] -= 1
        self.touched.append(slots)

    def _grow(self, more: int) -> None:
        """Make room for `more` hashes (a table a quarter full at most)."""
        if 4 * (self.filled + more) <= len(self.table):
            return
        touched = self.keys[self._touched_slots()] if self.touched else None
        held = self.table[self.table[:, 0] != EMPTY]
        self._allocate(1 << (8 * (self.filled + more)).bit_length())
        self._insert(held)
        self.touched = [] if touched is None else [self._slots(touched)]  # the slots moved

    def _insert(self, rows: np.ndarray) -> None:
        """Put rows (hash, count) of distinct hashes not in the table in free slots (loading, growing): in
        rounds, each free slot taking one of the hashes that reached it, the others probing on."""
        table, mask = self.table, self.mask
        slots = rows[:, 0] & mask
        self.filled += len(rows)
        waiting = np.arange(len(rows))
        while len(waiting):
            at = slots[waiting]
            first = np.zeros(len(waiting), dtype=bool)
            first[np.unique(at, return_index=True)[1]] = True
            take = first & (table[at, 0] == EMPTY)
            table[at[take]] = rows[waiting[take]]
            waiting = waiting[~take]
            at = slots[waiting]
            slots[waiting] = np.where(table[at, 0] == EMPTY, at, (at + 1) & mask)

    def _touched_slots(self) -> np.ndarray:
        """The distinct slots counted up since the last save (a mask, not a sort: 131,000 slots a batch)."""
        mask = np.zeros(len(self.table), dtype=bool)
        mask[np.concatenate(self.touched)] = True
        return np.flatnonzero(mask)

    def changed(self) -> list[tuple[int, int]]:
        """(hash, df) of every frequency changed since the last call, in hash order."""
        if not self.touched:
            return []
        rows = self.table[self._touched_slots()]
        rows = rows[np.argsort(rows[:, 0])]
        self.touched = []
        return list(zip(rows[:, 0].tolist(), rows[:, 1].tolist(), strict=True))
