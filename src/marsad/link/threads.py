"""Threads: stories chained across weeks and months because they keep sharing distinctive terms.

A young story (its first few articles) that is still alone in its thread looks for an active thread whose
profile (the summed distinctive terms of its stories) it matches; if it finds one it moves there, else it
keeps a thread of its own. Threads idle longer than the thread window are closed.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import numpy as np

from marsad.link.docfreq import DocFreqs
from marsad.link.features import rounded
from marsad.link.stories import Story, update_postings
from marsad.link.timeline import iso

THREAD_DAYS = 400.0
THREAD_SCORE = 0.15
MIN_SHARED_TERMS = 3
DISTINCT_TERMS = 20
PROFILE_TERMS = 80
YOUNG_STORY = 3  # a story may change thread while it has at most this many articles
DISTINCT_DF = 0.02  # a distinctive term is in at most this share of the articles seen
SMALL_STORE = 500


@dataclass
class Thread:
    id: int
    first_seen: str
    last_seen: str
    story_count: int = 0
    profile: dict[str, float] = field(default_factory=dict)
    norm: float = 0.0

    @property
    def terms(self) -> list[str]:
        return [t for t, _ in sorted(self.profile.items(), key=lambda kv: (-kv[1], kv[0]))[:12]]

    def as_row(self) -> dict:
        return {
            "id": self.id,
            "first_seen": self.first_seen,
            "last_seen": self.last_seen,
            "story_count": self.story_count,
            "terms": self.terms,
            "profile": self.profile,
        }


def distinctive(story: Story, df: DocFreqs, n_docs: int) -> dict[str, float]:
    """The story's rarer terms (organisations, initiatives, places, names), L2-normalised."""
    limit = DISTINCT_DF * n_docs if n_docs >= SMALL_STORE else n_docs  # too few articles to judge rarity
    centroid, hashes = story.centroid, story.hashes
    dfs = df.lookup(np.fromiter([hashes[t] for t in centroid], dtype=np.int64, count=len(centroid))).tolist()
    kept = sorted(
        ((w, t) for (t, w), d in zip(centroid.items(), dfs, strict=True) if d <= limit),
        key=lambda wt: (-wt[0], wt[1]),
    )[:DISTINCT_TERMS]
    norm = math.sqrt(sum(w * w for w, _ in kept)) or 1.0
    return dict(zip([t for _, t in kept], rounded([w / norm for w, _ in kept]), strict=True))


class ThreadIndex:
    def __init__(self, days: float = THREAD_DAYS, score: float = THREAD_SCORE):
        self.window = timedelta(days=days)
        self.score = score
        self.threads: dict[int, Thread] = {}
        self.postings: dict[str, dict[int, float]] = {}

    def add(self, thread: Thread) -> None:
        thread.norm = math.sqrt(sum(w * w for w in thread.profile.values()))
        self.threads[thread.id] = thread
        for term, weight in thread.profile.items():
            self.postings.setdefault(term, {})[thread.id] = weight

    def remove(self, thread_id: int) -> None:
        thread = self.threads.pop(thread_id, None)
        if thread is None:
            return
        for term in thread.profile:
            posting = self.postings.get(term)
            if posting is not None:
                posting.pop(thread_id, None)
                if not posting:
                    del self.postings[term]

    def evict_before(self, when: datetime) -> list[Thread]:
        """Drop threads idle longer than the window from memory; returns them."""
        limit = iso(when - self.window)
        gone = [t for t in self.threads.values() if t.last_seen < limit]
        for thread in gone:
            self.remove(thread.id)
        return gone

    def best(self, vector: dict[str, float], at: str, exclude: int | None) -> Thread | None:
        # Count shared terms first (Counter.update runs in C); only threads sharing enough get a score,
        # summed in the vector's term order as before.
        postings = [(weight, p) for weight, p in ((w, self.postings.get(t)) for t, w in vector.items()) if p]
        shared: Counter = Counter()
        for _, posting in postings:
            shared.update(posting.keys())
        low = iso(datetime.fromisoformat(at) - self.window)
        best, best_score = None, self.score
        for tid in sorted(t for t, n in shared.items() if n >= MIN_SHARED_TERMS):
            thread = self.threads[tid]
            if tid == exclude or thread.last_seen < low or not thread.norm:
                continue
            raw = 0.0
            for weight, posting in postings:
                tw = posting.get(tid)
                if tw is not None:
                    raw = raw + weight * tw
            score = raw / thread.norm
            if score >= best_score and (best is None or score > best_score):
                best, best_score = thread, score
        return best

    def attach(self, thread: Thread, vector: dict[str, float], at: str) -> None:
        """A story joins: its distinctive terms add to the profile."""
        indexed = self.threads.get(thread.id)
        old = indexed.profile if indexed is not None else {}  # what the postings hold for it
        profile = dict(thread.profile)
        get = profile.get
        profile.update(zip(vector, rounded([get(term, 0.0) + w for term, w in vector.items()]), strict=True))
        if len(profile) > PROFILE_TERMS:
            # (-weight, term) tuples sort as the ranking wants (heaviest first, ties by term) without a key
            kept = sorted([(-w, t) for t, w in profile.items()])[:PROFILE_TERMS]
            profile = {t: -w for w, t in kept}
        thread.profile = profile
        thread.story_count += 1
        thread.first_seen = min(thread.first_seen, at)
        thread.last_seen = max(thread.last_seen, at)
        self._repost(thread, old)

    def _repost(self, thread: Thread, old: dict[str, float]) -> None:
        """Bring the index up to the thread's new profile."""
        tid, profile = thread.id, thread.profile
        update_postings(self.postings, tid, old, profile)
        thread.norm = math.sqrt(sum([w * w for w in profile.values()]))
        self.threads[tid] = thread

    def touch(self, thread: Thread, at: str) -> None:
        thread.first_seen = min(thread.first_seen, at)
        thread.last_seen = max(thread.last_seen, at)
