"""How far word and time evidence can go on the link gold pairs (issue 18's pair goals).

    .venv/bin/python benchmarks/link_ceiling.py [--store ant.db]

Each read pair of the tuning set (benchmarks/gold/ant_pairs.jsonl) and of the held-out set
(validation_pairs.jsonl) gets the evidence a linker without a language model can use: the TF-IDF cosine of
the whole texts (the pair's `cosine` field), of the openings (title and first 300 characters) and of the
titles (idf over all of ANT, terms from marsad.arabic.analyse), the hours between them, whether one outlet
published both, the rare terms their openings share (in at most RARE_DF openings of ANT: names,
places, the event's own words) and the idf of the rarest, whether the days their openings name (a weekday, اليوم, أمس, resolved against the
publication day) agree, differ or are not both stated, and the numbers and places they share. For
copies, the repost verification's own measures (shingles in common, containment, cover, each lead found in
the other text).

It prints, per set, the weighted area under the ROC curve of each single score, and of a logistic model of
all of them fitted on the other set (so that no figure is scored on the pairs it was fitted on); for each,
the best recall at the goal's precision and the best precision at the goal's recall (story pairs: 0.95 /
0.85; copies: 0.97 / 0.95), and its best F1. Pairs are weighted as `link.py gold` weighs them (N_h / n_h
of their stratum); the figures are for the frame the pairs were drawn from (pairs outside it are not
counted, so they are not comparable one for one with `link.py gold`). With --store (a store `link.py ant
--store` kept), the linking's own precision and recall on the same terms come first.

A goal that no ranking of this evidence reaches is out of reach of any threshold or rule built on it.
"""

from __future__ import annotations

import argparse
import math
import re
import sys
from collections import Counter
from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path

import numpy as np
from scipy.optimize import minimize

sys.path.insert(0, str(Path(__file__).resolve().parent))

import link as bench  # noqa: E402

from marsad.arabic import analyse  # noqa: E402
from marsad.arabic.dates import WEEKDAYS  # noqa: E402
from marsad.arabic.normalise import fold_letters  # noqa: E402
from marsad.link import duplicates as dup  # noqa: E402
from marsad.link.features import article_features  # noqa: E402
from marsad.link.prepare import prepare  # noqa: E402
from marsad.store.db import Store  # noqa: E402

OPENING_CHARS = 300
RARE_DF = 30  # an opening term in at most this many ANT openings is rare (names, places, events)
GOALS = {"same_event": (0.95, 0.85), "copy": (0.97, 0.95)}
_DAY = re.compile(
    rf"(?<!\w)(?:(?:اليوم|امس)\s*)?({'|'.join(WEEKDAYS)})(?!\w)|(?<!\w)(اليوم|امس)(?!\w)"
)  # on text folded as marsad.arabic.dates folds it (fold_letters), where its WEEKDAYS are found


def stated_day(opening: str, published: datetime) -> date | None:
    """The day an opening names first (a weekday: the latest such day up to publication), or None."""
    m = _DAY.search(fold_letters(opening))
    if m is None:
        return None
    day = published.date()
    if m.group(1):
        return day - timedelta(days=(day.weekday() - WEEKDAYS[m.group(1)]) % 7)
    return day if m.group(2) == "اليوم" else day - timedelta(days=1)


def opening_of(row: dict) -> str:
    return row["title"] + "\n" + " ".join(row["paragraphs"])[:OPENING_CHARS]


def vectors(
    rows: dict[str, dict], text: Callable[[dict], str]
) -> tuple[dict[str, dict[str, float]], Counter[str]]:
    """Each article's TF-IDF vector of `text`, and the document frequencies of its terms."""
    docnos = list(rows)
    terms = [analyse(text(rows[d])) for d in docnos]
    df: Counter[str] = Counter()
    for t in terms:
        df.update(set(t))
    return dict(zip(docnos, bench.tfidf(terms), strict=True)), df


def story_evidence(pairs: list[dict], rows: dict[str, dict]) -> np.ndarray:
    """One row of evidence per pair (the columns of STORY_COLUMNS)."""
    opening, df = vectors(rows, opening_of)
    title, _ = vectors(rows, lambda r: r["title"])
    wanted = {d for p in pairs for d in (p["a"], p["b"])}
    features = {d: article_features(rows[d]["title"], rows[d]["paragraphs"]) for d in wanted}
    out = []
    for p in pairs:
        a, b = rows[p["a"]], rows[p["b"]]
        fa, fb = features[p["a"]], features[p["b"]]
        when_a, when_b = (datetime.fromisoformat(r["published"]) for r in (a, b))
        hours = abs((when_a - when_b).total_seconds()) / 3600
        day_a, day_b = stated_day(opening_of(a), when_a), stated_day(opening_of(b), when_b)
        stated = day_a is not None and day_b is not None
        common = opening[p["a"]].keys() & opening[p["b"]].keys()
        rare = [t for t in common if df[t] <= RARE_DF]
        out.append(
            [
                p["cosine"],
                bench.cosine(opening[p["a"]], opening[p["b"]]),
                bench.cosine(title[p["a"]], title[p["b"]]),
                min(hours, 72.0) / 24,
                float(hours > 12),
                float(hours > 24),
                float(a["source"] == b["source"]),
                float(stated and day_a == day_b),
                float(stated and day_a != day_b),
                min(len(fa.numbers & fb.numbers), 5),
                min(len(fa.places & fb.places), 3),
                min(len(rare), 5),
                math.log(len(rows) / min(df[t] for t in common)) if common else 0.0,
            ]
        )
    return np.array(out)


STORY_COLUMNS = (
    "whole-text cosine", "opening cosine", "title cosine", "days apart", "over 12 h", "over 24 h",
    "one outlet", "same stated day", "other stated day", "numbers shared", "places shared",
    "rare opening terms", "rarest opening term",
)  # fmt: skip
COPY_COLUMNS = ("shingles in common", "containment", "cover", "lead a in b", "lead b in a", "both leads")


def copy_evidence(pairs: list[dict], rows: dict[str, dict]) -> np.ndarray:
    wanted = {d for p in pairs for d in (p["a"], p["b"])}
    prepared = {d: prepare(rows[d]["title"], rows[d]["text"]) for d in wanted}
    out = []
    for p in pairs:
        a, b = prepared[p["a"]], prepared[p["b"]]
        set_a, set_b = a.shingle_set(), b.shingle_set()
        common, containment = dup.shared(set_a, set_b)
        a_in_b, b_in_a = dup.found(a.lead_set(), set_b), dup.found(b.lead_set(), set_a)
        cover = common / max(len(set_a), len(set_b), 1)
        out.append([np.log1p(common), containment, cover, a_in_b, b_in_a, float(a_in_b and b_in_a)])
    return np.array(out, dtype=float)


def weighted_auc(y: np.ndarray, score: np.ndarray, w: np.ndarray) -> float:
    """The weighted chance that a positive pair scores above a negative one (ties count half)."""
    pos, neg = score[y == 1], score[y == 0]
    wp, wn = w[y == 1], w[y == 0]
    above = (pos[:, None] > neg[None, :]) + 0.5 * (pos[:, None] == neg[None, :])
    return float((wp[:, None] * wn[None, :] * above).sum() / (wp.sum() * wn.sum()))


def operating_points(y: np.ndarray, score: np.ndarray, w: np.ndarray, goal: tuple[float, float]) -> str:
    """Best recall at the goal's precision, best precision at its recall, best F1 (with its P / R)."""
    order = np.argsort(-score, kind="stable")
    tp = np.cumsum((w * y)[order])
    fp = np.cumsum((w * (1 - y))[order])
    cut = np.r_[score[order][1:] != score[order][:-1], True]  # a threshold between distinct scores
    precision, recall = (tp / (tp + fp))[cut], (tp / (w * y).sum())[cut]
    at_p = recall[precision >= goal[0]].max(initial=0.0)
    at_r = precision[recall >= goal[1]].max(initial=0.0)
    f1 = 2 * precision * recall / np.maximum(precision + recall, 1e-12)
    i = int(f1.argmax())
    return (
        f"R at P>={goal[0]:.2f}: {at_p:.3f}  P at R>={goal[1]:.2f}: {at_r:.3f}"
        f"  best F1 {f1[i]:.3f} (P {precision[i]:.3f} R {recall[i]:.3f})"
    )


def fit_logistic(x: np.ndarray, y: np.ndarray, w: np.ndarray, l2: float = 0.01) -> Callable:
    """A weighted, L2-regularised logistic model; returns its scoring function."""
    mean, scale = x.mean(axis=0), x.std(axis=0) + 1e-9
    z = np.c_[np.ones(len(x)), (x - mean) / scale]
    w = w / w.mean()

    def loss(beta: np.ndarray) -> tuple[float, np.ndarray]:
        p = 1 / (1 + np.exp(-(z @ beta)))
        eps = 1e-12
        value = -(w * (y * np.log(p + eps) + (1 - y) * np.log(1 - p + eps))).sum() / len(y)
        grad = z.T @ (w * (p - y)) / len(y)
        value += l2 * (beta[1:] ** 2).sum()
        grad[1:] += 2 * l2 * beta[1:]
        return value, grad

    beta = minimize(loss, np.zeros(z.shape[1]), jac=True, method="L-BFGS-B").x
    return lambda x2: np.c_[np.ones(len(x2)), (x2 - mean) / scale] @ beta


def report(truth: str, columns: tuple[str, ...], data: dict[str, tuple], linked: bench.Linked | None) -> None:
    goal = GOALS[truth]
    for name, (pairs, x, w) in data.items():
        y = np.array([float(p[truth]) for p in pairs])
        print(f"  {name}: {len(pairs)} pairs, {int(y.sum())} {truth}")
        if linked is not None:
            joined = linked.together if truth == "same_event" else linked.reposted
            s = np.array([float(joined(p["a"], p["b"])) for p in pairs])
            tp, fp = (w * y * s).sum(), (w * (1 - y) * s).sum()
            print(f"    the linking:             P {tp / (tp + fp):.3f}  R {tp / (w * y).sum():.3f}")
        for j, column in enumerate(columns):
            auc = weighted_auc(y, x[:, j], w)
            print(f"    {column:<24} AUC {auc:.3f}  {operating_points(y, x[:, j], w, goal)}")
        other = next(o for o in data if o != name)
        o_pairs, o_x, o_w = data[other]
        model = fit_logistic(o_x, np.array([float(p[truth]) for p in o_pairs]), o_w)
        s = model(x)
        print(
            f"    {'all, fitted on ' + other:<24} AUC {weighted_auc(y, s, w):.3f}  {operating_points(y, s, w, goal)}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--store", type=Path, help="a store `link.py ant --store` kept: its linking's P / R too"
    )
    args = parser.parse_args()
    sets = {}
    for which, name in (("ant", "tuning"), ("validation", "held out")):
        labels, design = bench.read_gold_pairs(which)
        read = {h: sum(1 for p in labels if p["stratum"] == h) for h in design["population"]}
        weights = np.array([design["population"][p["stratum"]] / read[p["stratum"]] for p in labels])
        sets[name] = (labels, weights)
    rows: dict[str, dict] = {}
    for row in bench.read_ant(bench.ANT):
        rows.setdefault(row["docno"], row)
    linked = bench.load_linked(Store(args.store)) if args.store else None
    print(f"{bench.CITE}: {len(rows)} articles; evidence for the gold pairs")
    story = {n: (p, story_evidence(p, rows), w) for n, (p, w) in sets.items()}
    print("same event (story pairs):")
    report("same_event", STORY_COLUMNS, story, linked)
    copies = {n: (p, copy_evidence(p, rows), w) for n, (p, w) in sets.items()}
    print("copies (repost links):")
    report("copy", COPY_COLUMNS, copies, linked)


if __name__ == "__main__":
    main()
