"""Stories: incremental clustering in a sliding time window.

A new article joins the open story it matches best (cosine of its tf-idf vector with the story's centroid,
plus shared numbers and places; its core and one of its first openings must agree too) or starts a story.
Only stories seen within the window are open, and they are found through an inverted index of their
centroid terms, so the work per article depends on how much news the window holds, not on the archive's
size.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from itertools import islice

from marsad.link.features import rounded
from marsad.link.timeline import iso

WINDOW_DAYS = 3.0
# A story takes no article more than this from its first or last (repost joins too): one happening's
# reports, its reactions and updated tolls come within a day or so; the next steps of a matter are other
# stories of its thread (read pairs of one story further apart were nearly never one event:
# docs/benchmarks.md).
MAX_SPAN_DAYS = 1.5
JOIN_SCORE = 0.22
CENTROID_TERMS = 100
CANDIDATE_TERMS = 10  # an article's heaviest terms, used to find candidate stories
MAX_CANDIDATES = 25  # stories scored in full
NUMBER_BONUS = 0.04
PLACE_BONUS = 0.03
# Shared numbers and places only confirm a likeness of the texts: below this cosine they would join
# articles that share a topic, not an event (on ANT, joins below 0.15 were nearly all of that kind: a
# World Cup piece joining another through a squad size and "Russia").
MIN_COSINE = 0.15
MAX_SHARED = 3
MAX_KEPT = 300  # numbers/places kept per story
# A member must also reach this cosine with the story's core, its first CORE_MEMBERS members (core_cosine).
CORE_MEMBERS = 3
CORE_MIN = 0.18
# and its opening (title and first paragraph) this cosine with one of theirs (opening_cosine): two reports
# of one event share their openings, two happenings of one matter their background.
OPENING_MIN = 0.18

_YEAR = re.compile(r"^(19|20)\d\d$")


@dataclass
class Story:
    id: int
    title: str
    representative_id: int
    first_seen: str
    last_seen: str
    thread_id: int | None = None
    article_count: int = 0
    outlets: list[str] = field(default_factory=list)
    centroid: dict[str, float] = field(default_factory=dict)  # sum of member vectors, pruned
    numbers: list[str] = field(default_factory=list)
    places: list[str] = field(default_factory=list)
    members: int = 0  # articles that are not reposts (they make the centroid)
    vectors: dict[int, dict[str, float]] = field(default_factory=dict)  # member id -> vector
    titles: dict[int, str] = field(default_factory=dict)
    hashes: dict[str, int] = field(default_factory=dict)  # term -> docfreq.term_hash, for the centroid's
    norm: float = 0.0
    unsettled: bool = False  # members joined since the representative was chosen
    events_stored: bool = True  # False while none of its events is in the store (a story of this batch)
    core: dict[str, float] | None = None  # core_cosine's sum of the first members, made on first use
    core_norm: float = 1.0
    openings: dict[int, dict[str, float]] = field(default_factory=dict)  # the core members' opening vectors

    def settle(self) -> None:
        """Choose the representative (the member most central to the centroid, the first linked among equals)
        if members joined since it was last chosen. Linking needs it only when the story is saved: a story
        joined ten times in a batch is settled once. Every member contends, so the choice depends only on
        the members, not on when the story was saved (relink gives what linking batch by batch gave)."""
        if not self.unsettled:
            return
        self.unsettled = False
        vectors, centroid = self.vectors, self.centroid
        contenders = list(vectors)  # in link order (as loaded too: by seq), not by id: ids follow arrival
        scores = rounded([dot(vectors[aid], centroid) for aid in contenders])
        best_id, best_score = self.representative_id, -1.0
        for aid, score in zip(contenders, scores, strict=True):
            if score > best_score:
                best_id, best_score = aid, score
        self.representative_id = best_id
        self.title = self.titles.get(best_id, self.title)

    def as_row(self) -> dict:
        self.settle()
        return {
            "id": self.id,
            "title": self.title,
            "representative_id": self.representative_id,
            "first_seen": self.first_seen,
            "last_seen": self.last_seen,
            "thread_id": self.thread_id,
            "article_count": self.article_count,
            "outlets": self.outlets,
            "centroid": self.centroid,
            "numbers": self.numbers,
            "places": self.places,
            "members": self.members,
        }


def dot(a: dict[str, float], b: dict[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    get = b.get
    return sum([w * get(t, 0.0) for t, w in a.items()])  # a list sums faster than a generator, same order


def core_cosine(vector: dict[str, float], story: Story) -> float:
    """The article's cosine with the story's core: the sum of its first CORE_MEMBERS members' vectors.
    Joining is judged against what the story was founded on, so that it does not drift from one
    happening to the next through members that each resemble the one before (a centroid follows them)."""
    if not story.vectors:
        return 1.0
    if story.core is None:
        core: dict[str, float] = {}
        for member in islice(story.vectors.values(), CORE_MEMBERS):
            for term, weight in member.items():
                core[term] = core.get(term, 0.0) + weight
        story.core = core
        story.core_norm = math.sqrt(sum([w * w for w in core.values()])) or 1.0
    return dot(vector, story.core) / story.core_norm


def opening_cosine(opening: dict[str, float], story: Story) -> float:
    """The best cosine of an article's opening vector with the openings of the story's core members, one by
    one (1.0 when either has none: a story linked before openings were kept is judged as it was). One of
    them is enough: a story's first reports may be a preview and an analysis beside the news itself."""
    if not opening or not story.openings:
        return 1.0
    return max([dot(opening, member) for member in story.openings.values()])


def update_postings(
    postings: dict[str, dict[int, float]], owner: int, old: dict[str, float], new: dict[str, float]
) -> None:
    """Move `owner`'s entries in an inverted index (term -> {owner: weight}) from its `old` weights to its
    `new` ones, touching only the terms that left or changed (stories' centroids, threads' profiles)."""
    for term in old.keys() - new.keys():
        posting = postings[term]
        del posting[owner]
        if not posting:
            del postings[term]
    for term, weight in new.items():
        if old.get(term) != weight:
            current = postings.get(term)
            if current is None:
                postings[term] = {owner: weight}
            else:
                current[owner] = weight


def shared_numbers(a: frozenset[str] | set[str], b: list[str] | set[str]) -> int:
    return sum(1 for n in a if n in b and not _YEAR.match(n))


class StoryIndex:
    """The open stories and an inverted index of their centroid terms."""

    def __init__(self, window_days: float = WINDOW_DAYS, join_score: float = JOIN_SCORE):
        self.window = timedelta(days=window_days)
        self.max_span = timedelta(days=MAX_SPAN_DAYS)
        self.join_score = join_score
        self.stories: dict[int, Story] = {}
        self.postings: dict[str, dict[int, float]] = {}
        self._numbers: dict[int, set[str]] = {}
        self._places: dict[int, set[str]] = {}

    # --- index upkeep ---
    def add(self, story: Story) -> None:
        story.norm = math.sqrt(sum(w * w for w in story.centroid.values()))
        self.stories[story.id] = story
        self._numbers[story.id] = set(story.numbers)
        self._places[story.id] = set(story.places)
        for term, weight in story.centroid.items():
            self.postings.setdefault(term, {})[story.id] = weight

    def _unpost(self, story: Story) -> None:
        for term in story.centroid:
            posting = self.postings.get(term)
            if posting is not None:
                posting.pop(story.id, None)
                if not posting:
                    del self.postings[term]

    def evict_before(self, when: datetime) -> list[Story]:
        """Drop stories closed at `when` from memory (they stay in the store); returns them."""
        limit, oldest = iso(when - self.window), iso(when - self.max_span)
        gone = [s for s in self.stories.values() if s.last_seen < limit or s.first_seen < oldest]
        for story in gone:
            self._unpost(story)
            del self.stories[story.id]
            self._numbers.pop(story.id, None)
            self._places.pop(story.id, None)
        return gone

    # --- matching ---
    def takes(self, story: Story, at: str) -> bool:
        """Whether a story may take an article at time `at` without spanning more than its cap."""
        when = datetime.fromisoformat(at)
        return iso(when - self.max_span) <= story.first_seen and story.last_seen <= iso(when + self.max_span)

    def best(
        self,
        vector: dict[str, float],
        opening: dict[str, float],
        numbers: frozenset[str],
        places: frozenset[str],
        at: str,
    ) -> tuple[Story | None, Story | None]:
        """The best open story for an article at time `at` (or None), and when there is none, the best that
        only the article's opening kept it from: a next step of the same matter (or None)."""
        # Candidates share one of the article's CANDIDATE_TERMS heaviest terms, the best MAX_CANDIDATES by
        # that partial cosine. Their dot products with the whole vector are summed through the postings of
        # its terms, in its order (the same sums as dot(), for less than a dict probe per term and story).
        raw: defaultdict[int, float] = defaultdict(float)  # 0.0 + x is x: the same sums as dict.get
        postings, stories = self.postings, self.stories
        terms = list(vector.items())
        for term, weight in terms[:CANDIDATE_TERMS]:
            posting = postings.get(term)
            if posting:
                for sid, cw in posting.items():
                    raw[sid] += weight * cw
        when = datetime.fromisoformat(at)
        low, high = iso(when - self.window), iso(when + self.window)
        oldest, newest = iso(when - self.max_span), iso(when + self.max_span)
        candidates = self._candidates(raw, low, high, oldest, newest)
        wanted = set(candidates)
        for term, weight in terms[CANDIDATE_TERMS:]:  # the rest, for the candidates only
            posting = postings.get(term)
            if not posting:
                continue
            if len(posting) <= len(candidates):
                for sid, cw in posting.items():
                    if sid in wanted:
                        raw[sid] += weight * cw
            else:
                for sid in candidates:
                    found = posting.get(sid)
                    if found is not None:
                        raw[sid] += weight * found
        best: Story | None = None
        matter: Story | None = None
        best_score = matter_score = 0.0
        floor = max(MIN_COSINE, self.join_score - NUMBER_BONUS * MAX_SHARED - PLACE_BONUS * 2)
        for sid in candidates:
            story = stories[sid]
            if not story.norm:
                continue
            score = raw[sid] / story.norm
            if score < floor or core_cosine(vector, story) < CORE_MIN:
                continue
            score += NUMBER_BONUS * min(MAX_SHARED, shared_numbers(numbers, self._numbers[sid]))
            score += PLACE_BONUS * min(2, len(places & self._places[sid]))
            if opening_cosine(opening, story) >= OPENING_MIN:
                if _better(score, sid, best_score, best):
                    best, best_score = story, score
            elif _better(score, sid, matter_score, matter):
                matter, matter_score = story, score
        if best is not None and best_score >= self.join_score:
            return best, None
        return None, matter if matter_score >= self.join_score else None

    def _candidates(
        self, partial: dict[int, float], low: str, high: str, oldest: str, newest: str
    ) -> list[int]:
        """The stories open at the article's time (last seen from `low`, first seen from `oldest` to `high`)
        with the best MAX_CANDIDATES partial cosines, from their partial dot products. Stories out of the
        window are left out before the cut: memory may still hold some that eviction has not reached, and
        they must not take the place of open ones (what is found would depend on when eviction ran, or on
        whether the linker was reloaded from the store)."""
        stories = self.stories
        open_ = [
            sid
            for sid in partial
            if newest >= stories[sid].last_seen >= low and oldest <= stories[sid].first_seen <= high
        ]
        if len(open_) <= MAX_CANDIDATES:
            return open_
        return sorted(open_, key=lambda sid: (-partial[sid] / (stories[sid].norm or 1.0), sid))[
            :MAX_CANDIDATES
        ]

    # --- membership ---
    def join(
        self,
        story: Story,
        article_id: int,
        title: str,
        vector: dict[str, float],
        opening: dict[str, float],
        numbers,
        places,
    ) -> None:
        """Add a non-repost member: its vector moves the centroid (and its opening is kept if it is one of
        the first CORE_MEMBERS); the representative is chosen again when the story is saved (settle)."""
        sid = story.id
        centroid = dict(story.centroid)
        get = centroid.get
        for term, weight in vector.items():
            centroid[term] = get(term, 0.0) + weight
        pruned: set[str] = set()
        if len(centroid) > CENTROID_TERMS:
            # (-weight, term) tuples sort as the ranking wants (heaviest first, ties by term) without a key
            kept = sorted([(-w, t) for t, w in centroid.items()])[:CENTROID_TERMS]
            pruned = set(centroid)
            centroid = {t: -w for w, t in kept}
            pruned.difference_update(centroid)
        story.centroid = centroid
        story.norm = math.sqrt(sum([w * w for w in centroid.values()]))
        story.members += 1
        story.vectors[article_id] = vector
        if len(story.vectors) <= CORE_MEMBERS:
            story.core = None
            if opening:
                story.openings[article_id] = opening
        story.titles[article_id] = title
        self.stories[sid] = story
        _keep(story.numbers, self._numbers.setdefault(sid, set(story.numbers)), sorted(numbers))
        _keep(story.places, self._places.setdefault(sid, set(story.places)), sorted(places))
        self._repost(sid, centroid, vector, pruned)
        story.unsettled = True

    def _repost(self, sid: int, centroid: dict[str, float], vector: dict[str, float], pruned: set[str]):
        """Bring the index up to a story's new centroid: only the new member's terms changed weight, and
        the terms pruned from the centroid leave."""
        postings = self.postings
        for term in vector:
            weight = centroid.get(term)
            if weight is None:
                continue  # pruned at once
            posting = postings.get(term)
            if posting is None:
                postings[term] = {sid: weight}
            else:
                posting[sid] = weight
        for term in pruned:
            posting = postings.get(term)
            if posting is not None and posting.pop(sid, None) is not None and not posting:
                del postings[term]


def _better(score: float, sid: int, than_score: float, than: Story | None) -> bool:
    """Whether a story scores above the best so far (the lower id among equals)."""
    return score > than_score or (score == than_score and than is not None and sid < than.id)


def _keep(kept: list[str], have: set[str], new: list[str]) -> None:
    """Add to `kept` (whose items `have` holds) the new items, up to MAX_KEPT."""
    for item in new:
        if item not in have and len(kept) < MAX_KEPT:
            kept.append(item)
            have.add(item)
