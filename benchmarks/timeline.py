"""Timeline figures on ANT: how many stored mentions become how many entries (facts merged, background
apart), and what reading a timeline costs now that merging happens as it is read.

    .venv/bin/python benchmarks/timeline.py [--limit N]        ANT (its first N in publication order) relinked
    .venv/bin/python benchmarks/timeline.py --store ant.db     a store kept by `benchmarks/link.py ant --store`

Every thread with dated mentions has its timeline read twice (the second read is the one timed: caches
warm, as on a serving reader); the figures are CPU time of this process. The store's rows are the
`event` table (marsad.link takes them at link time); the merging is marsad.store.timeline.

Facts: the frame is every pair of news mentions (not background, not reposts) of one date at one precision
in one thread's timeline, from two articles; its strata are the pairs a merging put in one entry ("merged")
and the rest ("apart"), as benchmarks/gold/timeline_facts_design.json records them for each set read. Each
read pair is labelled one fact or not, with a reason; the precision and recall of "in one entry" are
estimated over the frame as `benchmarks/link.py gold` estimates its pairs' (tests/link/gold.py).

Data: the ANT Corpus v2.1 multi-source (../shared/data/ant_multisource_v2.1.jsonl.gz). Cite: A. Chouigui,
O. Ben Khiroun and B. Elayeb, "An Arabic Multi-source News Corpus: Experimenting on Single-document
Extractive Summarization", Arabian Journal for Science and Engineering 46(8), 2021.
"""

from __future__ import annotations

import argparse
import itertools
import json
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "link"))

from antload import insert_ant, read_ant  # noqa: E402
from gold import bootstrap, precision_recall  # noqa: E402
from link import ant_docnos  # noqa: E402

from marsad.link import relink  # noqa: E402
from marsad.store import threads  # noqa: E402
from marsad.store.db import Store  # noqa: E402
from marsad.store.timeline import TimelineSource  # noqa: E402

ANT = ROOT.parent / "shared" / "data" / "ant_multisource_v2.1.jsonl.gz"
GOLD = ROOT / "benchmarks" / "gold"
FACT_SETS = {"tuning": "timeline_facts.jsonl", "validation": "timeline_facts_validation.jsonl"}


def measure(store: Store) -> None:
    counted = store.conn.execute(
        "SELECT e.thread_id, count(*) FROM event e JOIN article a ON a.id = e.article_id"
        " WHERE e.thread_id IS NOT NULL AND a.hidden = 0 GROUP BY e.thread_id"
    ).fetchall()
    mentions = {r[0]: r[1] for r in counted}
    news = background = multi = 0
    timings: list[tuple[float, int, int]] = []  # (CPU seconds, mentions, entries)
    for thread_id, stored in mentions.items():
        threads.timeline(store, thread_id)
        started = time.process_time()
        found = threads.timeline(store, thread_id)
        spent = time.process_time() - started
        entries = found.events + found.background
        news += len(found.events)
        background += len(found.background)
        multi += sum(1 for e in entries if len(e.sources) > 1)
        timings.append((spent, stored, len(entries)))
    total = sum(mentions.values())
    print(f"threads with dated mentions {len(mentions)}; visible mentions stored {total}")
    print(
        f"entries {news + background} ({(news + background) / total:.1%} of the mentions): news {news},"
        f" background {background}; entries with 2+ sources {multi}"
    )
    spent = sorted(t[0] for t in timings)
    print(
        f"timeline read: {sum(spent):.2f} CPU-s for all; per thread median {statistics.median(spent) * 1000:.2f} ms,"
        f" p99 {spent[int(len(spent) * 0.99)] * 1000:.1f} ms, max {spent[-1] * 1000:.1f} ms"
    )
    print("largest timelines (mentions -> entries, CPU ms):")
    for seconds, stored, entries in sorted(timings, key=lambda t: -t[1])[:5]:
        print(f"  {stored} -> {entries}  {seconds * 1000:.1f} ms")


def news_mentions(store: Store, docnos: dict[int, str]) -> Iterator[tuple[int, int, str, TimelineSource]]:
    """(thread, entry index, key, source) of every news mention of an original article, thread by thread;
    the key is "docno@start-end", where its date stands in the stored body."""
    for (thread_id,) in store.conn.execute("SELECT id FROM thread ORDER BY id"):
        for k, entry in enumerate(threads.timeline(store, thread_id).events):
            for s in entry.sources:
                if not s.repost:
                    yield thread_id, k, f"{docnos[s.article_id]}@{s.span[0]}-{s.span[1]}", s


def fact_frame(store: Store, docnos: dict[int, str]) -> dict[str, list[tuple[str, str, str, str]]]:
    """The frame's pairs (a, b, date, precision) by stratum: in one entry ("merged") or not ("apart")."""
    frame: dict[str, list[tuple[str, str, str, str]]] = {"merged": [], "apart": []}
    by_thread = itertools.groupby(news_mentions(store, docnos), key=lambda m: m[0])
    for _, mentions in by_thread:
        stated: dict[tuple[str, str], list[tuple[int, str, TimelineSource]]] = {}
        for _, k, key, s in mentions:
            stated.setdefault((s.date, s.precision), []).append((k, key, s))
        for (when, precision), group in stated.items():
            for (k1, a, one), (k2, b, other) in itertools.combinations(group, 2):
                if one.article_id != other.article_id:
                    frame["merged" if k1 == k2 else "apart"].append((a, b, when, precision))
    return frame


def draw_facts(store: Store, seed: int, merged: int, apart: int, out: Path) -> None:
    """Draw mention pairs to read, uniformly within each stratum, and print the strata's sizes."""
    frame = fact_frame(store, ant_docnos(store)[1])
    rng = random.Random(seed)
    with out.open("w") as fh:
        for stratum, n in (("merged", merged), ("apart", apart)):
            for a, b, when, precision in rng.sample(frame[stratum], n):
                row = {"stratum": stratum, "date": when, "precision": precision, "a": a, "b": b}
                fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    sizes = {k: len(v) for k, v in frame.items()}
    print(f"population {sizes}; pairs to read in {out}")


def score_facts(store: Store) -> None:
    """Precision and recall of the timeline merging on the mention pairs read, per set."""
    design = json.loads((GOLD / "timeline_facts_design.json").read_text())
    where = {key: (t, k) for t, k, key, _ in news_mentions(store, ant_docnos(store)[1])}

    def together(a: str, b: str) -> bool:
        return a in where and where.get(a) == where.get(b)

    for name, file in FACT_SETS.items():
        labels = [json.loads(line) for line in (GOLD / file).read_text().splitlines() if line]
        population = design[name]["population"]
        p, r = precision_recall(labels, population, "same_fact", together)
        (p_low, p_high), (r_low, r_high) = bootstrap(labels, population, "same_fact", together)
        print(
            f"facts, {name} ({len(labels)} pairs read, {sum(x['same_fact'] for x in labels)} one fact):"
            f" in one entry precision {p.value:.3f} ({p_low:.3f}-{p_high:.3f}),"
            f" recall {r.value:.3f} ({r_low:.3f}-{r_high:.3f})"
        )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--store", type=Path, help="a linked store (benchmarks/link.py ant --store)")
    parser.add_argument("--limit", type=int, help="only ANT's first N articles in publication order")
    parser.add_argument(
        "--facts", action="store_true", help="with --store: score the merging on the pairs read"
    )
    parser.add_argument("--facts-draw", action="store_true", help="with --store: draw mention pairs to read")
    parser.add_argument("--seed", type=int, default=22, help="--facts-draw: the seed of the draw")
    parser.add_argument("--merged", type=int, default=25, help="--facts-draw: pairs drawn in one entry")
    parser.add_argument("--apart", type=int, default=75, help="--facts-draw: pairs drawn in two entries")
    parser.add_argument("--out", type=Path, help="--facts-draw: where the pairs go (JSON lines)")
    args = parser.parse_args()
    if args.store is not None:
        with Store(args.store, readonly=True) as store:
            if args.facts_draw:
                if args.out is None:
                    parser.error("--facts-draw needs --out FILE")
                draw_facts(store, args.seed, args.merged, args.apart, args.out)
                return
            measure(store)
            if args.facts:
                score_facts(store)
        return
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(Path(tmp) / "ant.db")
        insert_ant(store, sorted(read_ant(ANT), key=lambda r: r["published"])[: args.limit])
        relink(store)
        measure(store)
        store.close()


if __name__ == "__main__":
    main()
