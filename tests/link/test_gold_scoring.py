"""The link gold scorer (tests/link/gold.py, used by benchmarks/link.py gold): its arithmetic on a tiny gold
written by hand, and the shape of the gold set kept in benchmarks/gold."""

from __future__ import annotations

import gzip
import json
import math
from collections import Counter
from pathlib import Path

import pytest
from antload import read_ant
from gold import (
    STRATA,
    band,
    bcubed,
    bootstrap,
    cosine,
    estimate_total,
    events_clustering,
    precision_by_size,
    precision_recall,
    purity_by_size,
    size_bin,
    tfidf,
)

GOLD = Path(__file__).resolve().parents[2] / "benchmarks" / "gold"

# Ten small-story pairs (2 read: one same event), 100 large-story pairs (2 read: one), 4 repost links (1 read:
# a copy), 6 pairs kept apart at cosine >= 0.5 (2 read: one same event and a copy, one neither).
POPULATION = {"story_small": 10, "story_large": 100, "repost": 4, "apart_cos_0.5+": 6}
LABELS = [
    {"a": "s1", "b": "s2", "stratum": "story_small", "same_event": True, "copy": False},
    {"a": "s3", "b": "s4", "stratum": "story_small", "same_event": False, "copy": False},
    {"a": "l1", "b": "l2", "stratum": "story_large", "same_event": True, "copy": False},
    {"a": "l3", "b": "l4", "stratum": "story_large", "same_event": False, "copy": False},
    {"a": "r1", "b": "r2", "stratum": "repost", "same_event": True, "copy": True},
    {"a": "d1", "b": "d2", "stratum": "apart_cos_0.5+", "same_event": True, "copy": True},
    {"a": "d3", "b": "d4", "stratum": "apart_cos_0.5+", "same_event": False, "copy": False},
]
STORY = {"s1": 1, "s2": 1, "s3": 2, "s4": 2, "l1": 3, "l2": 3, "l3": 3, "l4": 3, "r1": 4, "r2": 4}
STORY.update({"d1": 5, "d2": 6, "d3": 7, "d4": 8})
SIZE = {1: 3, 2: 9, 3: 12, 4: 2, 5: 1, 6: 1, 7: 1, 8: 1}


def together(a: str, b: str) -> bool:
    return STORY[a] == STORY[b]


def reposted(a: str, b: str) -> bool:
    return {a, b} == {"r1", "r2"}


def test_stratified_totals_weigh_each_read_pair_by_its_stratum() -> None:
    total, read = estimate_total(LABELS, POPULATION, lambda r: r["same_event"])
    assert (total, read) == (10 * 1 / 2 + 100 * 1 / 2 + 4 * 1 / 1 + 6 * 1 / 2, 4)  # 62.0


def test_story_precision_and_recall() -> None:
    precision, recall = precision_recall(LABELS, POPULATION, "same_event", together)
    assert (precision.numerator, precision.denominator, precision.read) == (59.0, 114.0, 5)
    assert (recall.numerator, recall.denominator, recall.read) == (59.0, 62.0, 4)
    assert precision.value == 59 / 114 and recall.value == 59 / 62


def test_pairs_joined_outside_the_frame_count_as_wrong() -> None:
    precision, recall = precision_recall(LABELS, POPULATION, "same_event", together, linked_outside=6)
    assert precision.value == 59 / 120 and recall.value == 59 / 62


def test_repost_precision_and_recall() -> None:
    precision, recall = precision_recall(LABELS, POPULATION, "copy", reposted)
    assert (precision.value, recall.value) == (1.0, 4 / 7)


def test_nothing_linked_gives_no_precision() -> None:
    precision, recall = precision_recall(LABELS, POPULATION, "copy", lambda a, b: False)
    assert math.isnan(precision.value) and recall.value == 0.0


def test_precision_by_story_size() -> None:
    ratios = precision_by_size(LABELS, POPULATION, STORY, SIZE)
    # sizes: story 1 (3 articles) holds s1-s2, story 2 (9) s3-s4, story 3 (12) both large pairs, story 4 (2)
    assert {k: (r.value, r.read) for k, r in ratios.items() if r.read} == {
        "2-4": ((10 * 1 / 2 + 4) / (10 * 1 / 2 + 4), 2),
        "5-9": (0.0, 1),
        "10-19": (0.5, 2),
    }
    assert size_bin(1) == "1" and size_bin(50) == "50+" and size_bin(49) == "20-49"


def test_bootstrap_interval_of_uniform_strata_is_the_point_estimate() -> None:
    labels = [dict(row, same_event=row["stratum"] != "story_large") for row in LABELS]
    (p_low, p_high), (r_low, r_high) = bootstrap(labels, POPULATION, "same_event", together, rounds=50)
    # linked: 10 + 100 + 4 pairs of which 10 + 4 same event; same event: 10 + 4 + 6
    assert (p_low, p_high) == (14 / 114, 14 / 114)
    assert (r_low, r_high) == (14 / 20, 14 / 20)


def test_bootstrap_interval_is_fixed_by_its_seed_and_holds_the_estimate() -> None:
    first = bootstrap(LABELS, POPULATION, "same_event", together, rounds=200)
    assert first == bootstrap(LABELS, POPULATION, "same_event", together, rounds=200)
    (p_low, p_high), (r_low, r_high) = first
    assert p_low <= 59 / 114 <= p_high and r_low <= 59 / 62 <= r_high
    assert p_low < p_high


def test_bcubed_exact_values() -> None:
    gold = {"x1": "A", "x2": "A", "x3": "B"}
    system = {"x1": 1, "x2": 2, "x3": 2}
    # precision: x1 1/1, x2 1/2, x3 1/2; recall: x1 1/2, x2 1/2, x3 1/1
    assert bcubed(gold, system) == pytest.approx((2 / 3, 2 / 3, 2 / 3), abs=1e-15)
    assert bcubed(gold, {"x1": 1, "x2": 1, "x3": 2}) == (1.0, 1.0, 1.0)
    # an article the linking does not place is a story of its own
    assert bcubed(gold, {"x1": 1}) == pytest.approx((1.0, 2 / 3, 0.8), abs=1e-15)


def test_purity_by_size_of_the_stories_cut_down_to_the_days() -> None:
    gold = {"x1": "A", "x2": "A", "x3": "B", "x4": "C", "x5": "C"}
    system = {"x1": 1, "x2": 2, "x3": 2, "x4": 3, "x5": 3, "elsewhere": 2}
    assert purity_by_size(gold, system) == {"2-4": (2, 3 / 4)}


def test_events_clustering_rejects_an_article_in_two_events() -> None:
    days = {"events": [{"docnos": ["a", "b"]}, {"docnos": ["c"]}]}
    assert events_clustering(days) == {"a": 0, "b": 0, "c": 1}
    with pytest.raises(ValueError, match="b is in events 0 and 1"):
        events_clustering({"events": [{"docnos": ["a", "b"]}, {"docnos": ["b"]}]})


def test_tfidf_cosine_and_bands() -> None:
    a, b, c = tfidf([["x", "y"], ["x", "z"], ["w"]])
    lx, l3 = math.log(3 / 2), math.log(3)
    assert cosine(a, b) == pytest.approx(lx * lx / (lx * lx + l3 * l3), abs=1e-15)
    assert cosine(a, c) == 0.0 and cosine(a, a) == pytest.approx(1.0, abs=1e-15)
    assert [band(v) for v in (0.5, 0.4999, 0.3, 0.15, 0.1499)] == [
        "apart_cos_0.5+",
        "apart_cos_0.3-0.5",
        "apart_cos_0.3-0.5",
        "apart_cos_0.15-0.3",
        None,
    ]


def test_gold_pairs_file_shape() -> None:
    rows = [json.loads(line) for line in (GOLD / "ant_pairs.jsonl").read_text().splitlines()]
    assert len(rows) == 624
    # 90 a stratum; the 6 story pairs of the first draw at cosine >= 0.5 moved to story_cos_0.5+
    assert Counter(r["stratum"] for r in rows) == dict(
        dict.fromkeys(STRATA, 90), story_small=87, story_large=87
    )
    assert len({frozenset((r["a"], r["b"])) for r in rows}) == 624
    for r in rows:
        assert set(r) == {"a", "b", "stratum", "cosine", "same_event", "copy", "reason"}
        assert isinstance(r["same_event"], bool) and isinstance(r["copy"], bool)
        assert r["same_event"] or not r["copy"]  # a copy reports the same event
        assert r["reason"].startswith("both: " if r["same_event"] else "different: ")
        assert r["reason"].isascii() and len(r["reason"]) < 200  # a line in English, never article text
        if r["stratum"].startswith("apart"):
            assert band(r["cosine"]) == r["stratum"]
        elif r["stratum"] in ("story_small", "story_large"):
            assert r["cosine"] < 0.5
        elif r["stratum"] == "story_cos_0.5+":
            assert r["cosine"] >= 0.5
    design = json.loads(gzip.decompress((GOLD / "ant_pairs_design.json.gz").read_bytes()))
    assert design["population"] == {
        "story_small": 14845,
        "story_large": 197799,
        "story_cos_0.5+": 3677,
        "repost": 1301,
        "apart_cos_0.5+": 480,
        "apart_cos_0.3-0.5": 4521,
        "apart_cos_0.15-0.3": 48700,
    }


@pytest.mark.realdata
def test_gold_pairs_name_ant_articles(ant_path: Path) -> None:
    docnos = {row["docno"] for row in read_ant(ant_path)}
    rows = [json.loads(line) for line in (GOLD / "ant_pairs.jsonl").read_text().splitlines()]
    assert {d for r in rows for d in (r["a"], r["b"])} - docnos == set()
    design = json.loads(gzip.decompress((GOLD / "ant_pairs_design.json.gz").read_bytes()))
    assert {d for story in design["stories"] for d in story} - docnos == set()


def test_validation_set_shape() -> None:
    """The held-out set: 44 pairs of each stratum, none touching an article of the tuning set, labelled
    as the tuning set is; one whole day, every article in one event."""
    rows = [json.loads(line) for line in (GOLD / "validation_pairs.jsonl").read_text().splitlines()]
    assert Counter(r["stratum"] for r in rows) == dict.fromkeys(STRATA, 44)
    tuning = [json.loads(line) for line in (GOLD / "ant_pairs.jsonl").read_text().splitlines()]
    taken = {d for r in tuning for d in (r["a"], r["b"])} | set(
        events_clustering(json.loads((GOLD / "ant_days.json").read_text()))
    )
    assert not {d for r in rows for d in (r["a"], r["b"])} & taken
    for r in rows:
        assert set(r) == {"a", "b", "stratum", "cosine", "same_event", "copy", "reason"}
        assert r["same_event"] or not r["copy"]
        assert r["reason"].startswith("both: " if r["same_event"] else "different: ")
        assert r["reason"].isascii() and len(r["reason"]) < 200
        if r["stratum"].startswith("apart"):
            assert band(r["cosine"]) == r["stratum"]
    assert Counter((r["same_event"], r["copy"]) for r in rows) == {
        (False, False): 165,
        (True, False): 96,
        (True, True): 47,
    }
    design = json.loads(gzip.decompress((GOLD / "validation_pairs_design.json.gz").read_bytes()))
    assert design["population"]["story_large"] == 43016
    days = json.loads((GOLD / "validation_days.json").read_text())
    assert days["days"] == ["2018-04-28"]
    assert len(events_clustering(days)) == 124 and len(days["events"]) == 89
