"""Exact and near duplicates (reposts): MinHash over word shingles, LSH bands kept in SQLite.

Why these settings (measured on planted ANT reposts, see benchmarks/link.py): a repost truncated to its
first half with 15 % of its words edited keeps a word-bigram Jaccard similarity to its original of 0.27 or
more in 97 % of cases, and a containment (the share of the smaller text's shingles found in the larger) of
0.45 or more in 99 %. 64 bands of 2 rows catch a pair at Jaccard 0.27 with probability 0.99; a candidate
whose containment estimated from the signatures reaches 0.25 is verified on the texts (exact containment
0.4 or more, and at least 6 shingles in common). benchmarks/link.py measures the choice of rensa over
datasketch for the signatures.
"""

from __future__ import annotations

import functools
from collections import Counter
from dataclasses import dataclass

import numpy as np
from rensa import RMinHash

from marsad.arabic import normalise

NUM_PERM = 128
BANDS = 64
ROWS = NUM_PERM // BANDS
SEED = 20170921
MIN_SHINGLES = 8  # shorter texts are too short to call a repost
CHECK = 0.25  # estimated containment from which a candidate is verified on the texts
EXACT = 0.4  # exact containment at or above which a candidate is a duplicate
MIN_SHARED = 6  # and at least this many shingles in common
MIN_COVER = 0.12  # and at least this share of the longer text's shingles

_BAND_SALT = (np.arange(BANDS, dtype=np.uint64) * np.uint64(0x9E3779B97F4A7C15)) & np.uint64(
    0x7FFFFFFFFFFFFFFF
)
_MASK63 = np.uint64(0x7FFFFFFFFFFFFFFF)


def signature(shingles: list[str]) -> np.ndarray:
    """128 MinHash values (uint32) of a set of shingles."""
    mh = RMinHash(num_perm=NUM_PERM, seed=SEED)
    mh.update(shingles)
    return np.asarray(mh.digest(), dtype=np.uint32)


def band_keys(sig: np.ndarray) -> list[int]:
    """One 63-bit key per band: the band number mixed with its two MinHash values."""
    pairs = sig.astype(np.uint64).reshape(BANDS, ROWS)
    keys = ((pairs[:, 0] << np.uint64(32)) | pairs[:, 1]) ^ _BAND_SALT
    return (keys & _MASK63).astype(np.int64).tolist()


def to_blob(sig: np.ndarray) -> bytes:
    return sig.astype("<u4").tobytes()


def from_blob(blob: bytes) -> np.ndarray:
    return np.frombuffer(blob, dtype="<u4")


def estimated_jaccard(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.count_nonzero(a == b)) / NUM_PERM


def containment_from_jaccard(jaccard: float, n_a: int, n_b: int) -> float:
    """|A & B| / min(|A|, |B|), from |A & B| = J (|A| + |B|) / (1 + J)."""
    if not n_a or not n_b:
        return 0.0
    inter = jaccard * (n_a + n_b) / (1.0 + jaccard)
    return min(1.0, inter / min(n_a, n_b))


def exact_containment(a: set[str] | list[str], b: set[str] | list[str]) -> float:
    return shared(a, b)[1]


def _as_set(a: set[str] | frozenset[str] | list[str]) -> set[str] | frozenset[str]:
    return a if isinstance(a, set | frozenset) else set(a)


def shared(a: set[str] | list[str], b: set[str] | list[str]) -> tuple[int, float]:
    """(shingles in common, containment)."""
    a, b = _as_set(a), _as_set(b)
    if not a or not b:
        return 0, 0.0
    common = len(a & b)
    return common, common / min(len(a), len(b))


def verified(a: set[str] | list[str], b: set[str] | list[str]) -> float:
    """The containment of the pair if it is a repost pair, else 0. Besides containment and a few shingles
    in common, the common part must be a fair share of the longer text too: a one-line brief whose few
    stock phrases all occur in a long article is not its copy."""
    a, b = _as_set(a), _as_set(b)
    common, containment = shared(a, b)
    if containment < EXACT or common < MIN_SHARED or common < MIN_COVER * max(len(a), len(b)):
        return 0.0
    return containment


@dataclass
class Match:
    article_id: int
    jaccard: float
    containment: float
    exact: bool  # containment computed from the texts, not estimated


@functools.lru_cache(maxsize=4096)
def _name(outlet: str) -> str:
    return normalise(outlet).strip()


def choose_original(members: list[tuple[int, str | None, tuple, str | None]]) -> int:
    """The original of a reposts group, from (id, original_outlet, the outlet's names, time) of each
    member. An article that names its source (an attribution line) is never the original; one whose
    outlet another member names comes first; then publication order, then id. Linear in the group: the
    members naming each outlet are counted once."""
    named = {m[0]: _name(m[1]) for m in members if m[1]}
    namers = Counter(named.values())

    def rank(member: tuple) -> tuple:
        article_id, original_outlet, names, at = member
        own = {_name(n) for n in names if n}
        by_others = sum(namers[name] for name in own) - (named.get(article_id) in own)
        return (1 if original_outlet else 0, 0 if by_others > 0 else 1, at or "9999", article_id)

    return min(members, key=rank)[0]
