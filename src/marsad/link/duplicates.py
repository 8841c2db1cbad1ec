"""Exact and near duplicates (reposts): MinHash over word shingles, LSH bands held in memory for the
articles of the repost window (RepostIndex; the signatures they come from are in SQLite's link_doc).

Why these settings (measured on planted ANT reposts, see benchmarks/link.py): a repost truncated to its
first half with 15 % of its words edited keeps a word-bigram Jaccard similarity to its original of 0.27 or
more in 97 % of cases, and a containment (the share of the smaller text's shingles found in the larger) of
0.45 or more in 99 %. 64 bands of 2 rows catch a pair at Jaccard 0.27 with probability 0.99; a candidate
whose containment estimated from the signatures reaches 0.25 is verified on the texts (exact containment
0.4 or more, at least 6 shingles in common, and each text's opening found in the other: pages of one site
that share only a block of teasers are not copies of each other). benchmarks/link.py measures the choice
of rensa over datasketch for the signatures.
"""

from __future__ import annotations

import functools
from collections import Counter
from collections.abc import Collection
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from datetime import datetime, timedelta

import numpy as np
from rensa import RMinHash

from marsad.arabic import normalise
from marsad.link.timeline import iso

NUM_PERM = 128
BANDS = 64
ROWS = NUM_PERM // BANDS
SEED = 20170921
MIN_SHINGLES = 8  # shorter texts are too short to call a repost
CHECK = 0.25  # estimated containment from which a candidate is verified on the texts
EXACT = 0.4  # exact containment at or above which a candidate is a duplicate
MIN_SHARED = 6  # and at least this many shingles in common
MIN_COVER = 0.12  # and at least this share of the longer text's shingles
LEAD_SHARE = 0.4  # and each text's lead is found in the other at least this much

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
    return band_keys_of(sig.reshape(1, NUM_PERM))[0]


def band_keys_of(sigs: np.ndarray) -> list[list[int]]:
    """band_keys() of each row of an (n, NUM_PERM) array of signatures, at once."""
    pairs = sigs.astype(np.uint64).reshape(len(sigs), BANDS, ROWS)
    keys = ((pairs[:, :, 0] << np.uint64(32)) | pairs[:, :, 1]) ^ _BAND_SALT
    return (keys & _MASK63).astype(np.int64).tolist()


def to_blob(sig: np.ndarray) -> bytes:
    return sig.astype("<u4").tobytes()


def from_blob(blob: bytes) -> np.ndarray:
    return np.frombuffer(blob, dtype="<u4")


def from_blobs(blobs: list[bytes]) -> np.ndarray:
    """An (n, NUM_PERM) array of n signature blobs, in one copy."""
    return np.frombuffer(b"".join(blobs), dtype="<u4").reshape(len(blobs), NUM_PERM)


def estimated_jaccard(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.count_nonzero(a == b)) / NUM_PERM


def containment_from_jaccard(jaccard: float, n_a: int, n_b: int) -> float:
    """|A & B| / min(|A|, |B|), from |A & B| = J (|A| + |B|) / (1 + J)."""
    if not n_a or not n_b:
        return 0.0
    inter = jaccard * (n_a + n_b) / (1.0 + jaccard)
    return min(1.0, inter / min(n_a, n_b))


def exact_containment(a: Collection[str], b: Collection[str]) -> float:
    return shared(a, b)[1]


def _as_set(a: Collection[str]) -> AbstractSet[str]:
    return a if isinstance(a, set | frozenset) else set(a)


def shared(a: Collection[str], b: Collection[str]) -> tuple[int, float]:
    """(shingles in common, containment)."""
    set_a, set_b = _as_set(a), _as_set(b)
    if not set_a or not set_b:
        return 0, 0.0
    common = len(set_a & set_b)
    return common, common / min(len(set_a), len(set_b))


def verified(
    a: Collection[str],
    b: Collection[str],
    lead_a: frozenset[str] | None = None,
    lead_b: frozenset[str] | None = None,
) -> float:
    """The containment of the pair if it is a repost pair, else 0. Besides containment and a few shingles
    in common, the common part must be a fair share of the longer text too: a one-line brief whose few
    stock phrases all occur in a long article is not its copy. With the texts' leads (their first shingles,
    features.lead_shingles), each lead must also be in the other text (LEAD_SHARE): two pages of one site that
    share only its chrome (a block of teasers that quote other articles' openings, a standing background
    paragraph) reach the containment, but one's opening is not in the other. Two openings that date their
    happenings on other weekdays, or two texts whose numbers all differ (a template's statements, a
    bulletin's figures), never pass."""
    set_a, set_b = _as_set(a), _as_set(b)
    common, containment = shared(set_a, set_b)
    if containment < EXACT or common < MIN_SHARED or common < MIN_COVER * max(len(set_a), len(set_b)):
        return 0.0
    if other_day(lead_a, lead_b, set_a, set_b) or other_numbers(set_a, set_b):
        return 0.0
    return containment if found(lead_a, set_b) and found(lead_b, set_a) else 0.0


# Weekday names (normalised): a text's opening dates its happening by them ("intercepted on Thursday").
WEEKDAYS = frozenset(["الاحد", "الاثنين", "الثلاثاء", "الاربعاء", "الخميس", "الجمعه", "السبت"])


def other_day(
    lead_a: frozenset[str] | None,
    lead_b: frozenset[str] | None,
    set_a: AbstractSet[str],
    set_b: AbstractSet[str],
) -> bool:
    """Whether two openings date their happenings on different weekdays, and on no common one: a template's
    statements (an interception, a market session, a bulletin) share their words but for such specifics,
    while a copy or an update names the day its original named. Only the openings' own shingles count (a
    weekday one text carries in a phrase the other has too is a day they share)."""
    days_a = weekdays(lead_a or frozenset())
    days_b = weekdays(lead_b or frozenset())
    if not days_a or not days_b:
        return False
    shared_days = weekdays((lead_a or frozenset()) & set_b) | weekdays((lead_b or frozenset()) & set_a)
    return not shared_days and not days_a & days_b


def other_numbers(set_a: AbstractSet[str], set_b: AbstractSet[str]) -> bool:
    """Whether two texts that each carry at least two numbers have none in common: a copy keeps its
    original's figures (a toll, a score, a price, a date), the next statement of a template has its own."""
    numbers_a = numbers(set_a)
    if len(numbers_a) < 2:
        return False
    numbers_b = numbers(set_b)
    return len(numbers_b) >= 2 and not numbers_a & numbers_b


def numbers(shingles: AbstractSet[str]) -> frozenset[str]:
    """The numbers among the words of a set of shingles (normalised: Arabic-Indic digits are ASCII)."""
    return frozenset(w for sh in shingles for w in sh.split(" ") if w[:1].isdigit())


def weekdays(shingles: AbstractSet[str]) -> frozenset[str]:
    return frozenset(w for sh in shingles for w in sh.split(" ") if w in WEEKDAYS)


def found(lead: frozenset[str] | None, other: AbstractSet[str]) -> bool:
    """Whether a lead is in the other text (LEAD_SHARE of it); no lead is no test."""
    return not lead or len(lead & other) >= LEAD_SHARE * len(lead)


@dataclass
class Match:
    article_id: int
    jaccard: float
    containment: float
    exact: bool  # containment computed from the texts, not estimated


@functools.lru_cache(maxsize=4096)
def _name(outlet: str) -> str:
    return normalise(outlet).strip()


def choose_original(members: list[tuple[int, str | None, tuple, str | None, str]]) -> int:
    """The original of a reposts group, from (id, original_outlet, the outlet's names, time, url) of each
    member: the member whose outlet another member names as its source (an attribution line) first, then
    the earliest publication, then among equals one that names no source, then by URL. Never the id: ids
    follow the order articles arrived in, and the original must not depend on which was crawled first.
    Linear in the group: the members naming each outlet are counted once."""
    named = {m[0]: _name(m[1]) for m in members if m[1]}
    namers = Counter(named.values())

    def rank(member: tuple) -> tuple:
        article_id, original_outlet, names, at, url = member
        own = {_name(n) for n in names if n}
        by_others = sum(namers[name] for name in own) - (named.get(article_id) in own)
        return (0 if by_others > 0 else 1, at or "9999", 1 if original_outlet else 0, url)

    return min(members, key=rank)[0]


# An article's reposts are looked for among the articles linked within this of its time. Wire copies and
# reposts come within hours (with a 30-day window, 1,241 of ANT's 1,323 repost pairs were within a day);
# nearly all pairs 3 to 30 days apart were templated texts (air-defence statements, a monthly payout
# notice, an explainer series' standing paragraphs) rather than copies.
REPOST_DAYS = 3.0


class RepostIndex:
    """LSH buckets of the articles whose link time is within the repost window, with their signatures.

    Reposts and wire copies come within hours or days of their original (planted reposts: up to two days),
    so the buckets of older articles are not kept: what the index holds, and so the work per article, is
    bounded by how much news the window holds, not by the archive's size. The linker loads the window
    from link_doc when it starts, and an article linked late (an old page found by a crawl) makes it load
    the stretch before its time. Candidates are filtered to the window around the article's own time, so
    what is found does not depend on what happens to be loaded.
    """

    def __init__(self, days: float = REPOST_DAYS):
        self.window = timedelta(days=days)
        self.buckets: dict[int, int | list[int]] = {}  # key -> article id, or a list when several
        # article id -> (signature, shingle count, at, seq: its place in link order)
        self.docs: dict[int, tuple[bytes, int, str, int]] = {}
        self.since: str | None = None  # every linked article at or after this time is here; None: all

    def needs(self, at: str) -> tuple[str, str | None] | None:
        """(from, to) of the stretch to load before an article at `at` is searched, or None."""
        start = iso(datetime.fromisoformat(at) - self.window)
        if self.since is None or start >= self.since:
            return None
        return start, self.since

    def load(self, rows: list[tuple[int, bytes, int, str, int]], since: str) -> None:
        """Add stored articles' (id, signature, shingle count, at, seq), linked at or after `since`."""
        rows = [r for r in rows if r[0] not in self.docs]
        if rows:
            keys_of = band_keys_of(from_blobs([r[1] for r in rows]))
            for (article_id, blob, count, at, seq), keys in zip(rows, keys_of, strict=True):
                self.add(article_id, keys, blob, count, at, seq)
        self.since = since if self.since is None else min(self.since, since)

    def add(self, article_id: int, keys: list[int], blob: bytes, count: int, at: str, seq: int = 0) -> None:
        if article_id in self.docs:
            self.remove(article_id)
        self.docs[article_id] = (blob, count, at, seq)
        buckets = self.buckets
        for key in keys:
            found = buckets.get(key)
            if found is None:
                buckets[key] = article_id
            elif isinstance(found, int):
                if found != article_id:
                    buckets[key] = [found, article_id]
            elif article_id not in found:
                found.append(article_id)

    def remove(self, article_id: int, keys: list[int] | None = None) -> None:
        """Drop an article (`keys`: its band keys, when already at hand)."""
        doc = self.docs.pop(article_id, None)
        if doc is None:
            return
        buckets = self.buckets
        for key in band_keys(from_blob(doc[0])) if keys is None else keys:
            found = buckets.get(key)
            if found == article_id:
                del buckets[key]
            elif type(found) is list and article_id in found:
                found.remove(article_id)
                if len(found) == 1:
                    buckets[key] = found[0]

    def around(self, article_id: int, keys: list[int], at: str) -> list[int]:
        """The articles within the window of `at` sharing a bucket with these keys, less the article."""
        hits: set[int] = set()
        for found in map(self.buckets.get, keys):  # most keys are in no bucket
            if found is None:
                continue
            if isinstance(found, int):
                hits.add(found)
            else:
                hits.update(found)
        hits.discard(article_id)
        if not hits:
            return []
        low, high = self._bounds(at)
        docs = self.docs
        return sorted(h for h in hits if low <= docs[h][2] <= high)

    def within(self, other: str, at: str) -> bool:
        """Whether a time `other` is within the window of `at`."""
        low, high = self._bounds(at)
        return low <= other <= high

    def _bounds(self, at: str) -> tuple[str, str]:
        when = datetime.fromisoformat(at)
        return iso(when - self.window), iso(when + self.window)

    def evict_before(self, now: datetime) -> None:
        """Drop the articles the window of `now` has left behind."""
        limit = iso(now - self.window)
        gone = [(i, doc[0]) for i, doc in self.docs.items() if doc[2] < limit]
        if gone:  # their band keys at once
            for (article_id, _), keys in zip(
                gone, band_keys_of(from_blobs([b for _, b in gone])), strict=True
            ):
                self.remove(article_id, keys)
        if self.since is None or self.since < limit:
            self.since = limit
