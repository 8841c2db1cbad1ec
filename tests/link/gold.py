"""The link gold set (benchmarks/gold): drawing ANT article pairs in strata, and scoring a linking against the
pairs and the days labelled by reading (benchmarks/link.py gold; the arithmetic is tested in
test_gold_scoring.py).

Pairs. The frame is every pair of articles that the drawn linking put in one story, plus every pair it kept
apart that was published within WINDOW_DAYS of each other at TF-IDF cosine >= 0.15. It is cut into disjoint
strata (STRATA); a stratum h holds N_h pairs of which n_h were drawn at random and read. An indicator y of a
pair (same event; same event and put together by the linking being scored; ...) has the population total
estimated by sum_h N_h * mean of y over the n_h read pairs of h (the stratified estimator); precision and
recall are ratios of such totals. Pairs outside the frame (cosine < 0.15, or further apart in time) were not
drawn: the recall counts none of them as same event, and when the scored linking puts such a pair in one
story it is counted, in full, as a wrong pair in the precision.

Days. Every article of some whole days clustered into events by reading; B-cubed compares the linking's
stories, cut down to those articles, with the events.
"""

from __future__ import annotations

import math
import random
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

WINDOW_DAYS = 3.0
SMALL_STORY = 10  # stories of fewer articles are "small"
BANDS = ((0.5, "apart_cos_0.5+"), (0.3, "apart_cos_0.3-0.5"), (0.15, "apart_cos_0.15-0.3"))
STORY_HIGH_COSINE = 0.5
STRATA = (
    "story_small",  # in one story of < SMALL_STORY articles, cosine < 0.5, not a repost link
    "story_large",  # in one story of >= SMALL_STORY articles, cosine < 0.5, not a repost link
    "story_cos_0.5+",  # in one story at cosine >= STORY_HIGH_COSINE, not a repost link
    "repost",  # an article and the original of the repost group it is linked to (duplicate_of)
    *(name for _, name in BANDS),
)
# the strata of the first draw, in its order: story_small and story_large with their high-cosine pairs
FIRST_DRAW = ("story_small", "story_large", "repost", *(name for _, name in BANDS))
SIZE_BINS = ((2, 4), (5, 9), (10, 19), (20, 49), (50, None))

Pair = tuple[str, str]


def band(cosine: float) -> str | None:
    """The apart stratum of a pair kept apart at this cosine (None below the lowest band)."""
    return next((name for low, name in BANDS if cosine >= low), None)


def tfidf(term_lists: Sequence[Sequence[str]]) -> list[dict[str, float]]:
    """L2-normalised TF-IDF vectors: tf = 1 + ln(count), idf = ln(N / df)."""
    df: Counter[str] = Counter()
    for terms in term_lists:
        df.update(set(terms))
    n = len(term_lists)
    vectors = []
    for terms in term_lists:
        weights = {t: (1 + math.log(c)) * math.log(n / df[t]) for t, c in Counter(terms).items()}
        norm = math.sqrt(sum(w * w for w in weights.values())) or 1.0
        vectors.append({t: w / norm for t, w in weights.items() if w > 0})
    return vectors


def cosine(u: Mapping[str, float], v: Mapping[str, float]) -> float:
    if len(u) > len(v):
        u, v = v, u
    return sum(w * v.get(t, 0.0) for t, w in u.items())


@dataclass(frozen=True)
class Ratio:
    """An estimated ratio of two population totals and the read pairs behind its numerator/denominator."""

    numerator: float
    denominator: float
    read: int

    @property
    def value(self) -> float:
        return self.numerator / self.denominator if self.denominator else float("nan")


def estimate_total(
    labels: Iterable[dict], population: Mapping[str, int], indicator: Callable[[dict], bool]
) -> tuple[float, int]:
    """sum_h N_h * (read pairs of h where indicator holds) / n_h, and how many read pairs held it."""
    drawn: Counter[str] = Counter()
    hits: Counter[str] = Counter()
    for row in labels:
        drawn[row["stratum"]] += 1
        if indicator(row):
            hits[row["stratum"]] += 1
    total = sum(population[h] * hits[h] / drawn[h] for h in hits)
    return total, sum(hits.values())


def precision_recall(
    labels: Sequence[dict],
    population: Mapping[str, int],
    truth: str,
    linked: Callable[[str, str], bool],
    linked_outside: int = 0,
) -> tuple[Ratio, Ratio]:
    """Precision and recall of `linked` against the label `truth` ("same_event" or "copy"), estimated over
    the frame; `linked_outside` pairs the linking joins outside the frame count as wrong."""
    both, n_both = estimate_total(labels, population, lambda r: r[truth] and linked(r["a"], r["b"]))
    joined, n_joined = estimate_total(labels, population, lambda r: linked(r["a"], r["b"]))
    true, n_true = estimate_total(labels, population, lambda r: r[truth])
    return (
        Ratio(both, joined + linked_outside, n_joined),
        Ratio(both, true, n_true),
    )


def bootstrap(
    labels: Sequence[dict],
    population: Mapping[str, int],
    truth: str,
    linked: Callable[[str, str], bool],
    linked_outside: int = 0,
    rounds: int = 1000,
    seed: int = 18,
) -> tuple[tuple[float, float], tuple[float, float]]:
    """95 % intervals of precision and recall: the read pairs of each stratum drawn again with replacement
    (as many as were read), `rounds` times; the 2.5th and 97.5th percentiles of the estimates."""
    rng = random.Random(seed)
    joined = {(r["a"], r["b"]): linked(r["a"], r["b"]) for r in labels}
    by_stratum: dict[str, list[dict]] = defaultdict(list)
    for row in labels:
        by_stratum[row["stratum"]].append(row)
    precisions, recalls = [], []
    for _ in range(rounds):
        sample = [row for rows in by_stratum.values() for row in rng.choices(rows, k=len(rows))]
        p, r = precision_recall(sample, population, truth, lambda a, b: joined[(a, b)], linked_outside)
        precisions.append(p.value)
        recalls.append(r.value)

    def percentiles(values: list[float]) -> tuple[float, float]:
        ordered = sorted(v for v in values if not math.isnan(v))
        return ordered[int(0.025 * len(ordered))], ordered[min(len(ordered) - 1, int(0.975 * len(ordered)))]

    return percentiles(precisions), percentiles(recalls)


def size_bin(size: int) -> str:
    for low, high in SIZE_BINS:
        if size >= low and (high is None or size <= high):
            return f"{low}-{high}" if high else f"{low}+"
    return "1"


def precision_by_size(
    labels: Sequence[dict],
    population: Mapping[str, int],
    story_of: Mapping[str, object],
    size_of: Mapping[object, int],
) -> dict[str, Ratio]:
    """Story pair precision (same event among pairs in one story) by the size of that story."""
    out = {}
    for low, _ in SIZE_BINS:
        name = size_bin(low)

        def in_bin(a: str, b: str, name: str = name) -> bool:
            story = story_of.get(a)
            return story is not None and story == story_of.get(b) and size_bin(size_of[story]) == name

        both, _ = estimate_total(
            labels, population, lambda r, f=in_bin: r["same_event"] and f(r["a"], r["b"])
        )
        joined, n = estimate_total(labels, population, lambda r, f=in_bin: f(r["a"], r["b"]))
        out[name] = Ratio(both, joined, n)
    return out


def bcubed(gold: Mapping[str, object], system: Mapping[str, object]) -> tuple[float, float, float]:
    """B-cubed precision, recall and F1 of the clustering `system` against `gold` (item -> cluster), over
    the items of `gold`; an item the system does not cluster is a cluster of its own."""
    items = list(gold)
    sys_of = {item: system.get(item, ("alone", item)) for item in items}
    gold_members: dict[object, set[str]] = defaultdict(set)
    sys_members: dict[object, set[str]] = defaultdict(set)
    for item in items:
        gold_members[gold[item]].add(item)
        sys_members[sys_of[item]].add(item)
    precision = recall = 0.0
    for item in items:
        common = len(gold_members[gold[item]] & sys_members[sys_of[item]])
        precision += common / len(sys_members[sys_of[item]])
        recall += common / len(gold_members[gold[item]])
    p, r = precision / len(items), recall / len(items)
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def purity_by_size(gold: Mapping[str, object], system: Mapping[str, object]) -> dict[str, tuple[int, float]]:
    """For the system's clusters cut down to the items of `gold`: by their size there, how many clusters and
    their purity (the share of their items in each cluster's most common gold event)."""
    members: dict[object, list[str]] = defaultdict(list)
    for item in gold:
        members[system.get(item, ("alone", item))].append(item)
    counts: Counter[str] = Counter()
    pure: Counter[str] = Counter()
    items: Counter[str] = Counter()
    for group in members.values():
        if len(group) < 2:
            continue
        name = size_bin(len(group))
        counts[name] += 1
        items[name] += len(group)
        pure[name] += Counter(gold[i] for i in group).most_common(1)[0][1]
    return {name: (counts[name], pure[name] / items[name]) for name in counts}


def events_clustering(days: dict) -> dict[str, int]:
    """docno -> event index of a days file; an article in two events is an error."""
    out: dict[str, int] = {}
    for index, event in enumerate(days["events"]):
        for docno in event["docnos"]:
            if docno in out:
                raise ValueError(f"{docno} is in events {out[docno]} and {index}")
            out[docno] = index
    return out
