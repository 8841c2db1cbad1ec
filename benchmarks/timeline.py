"""Timeline figures on ANT: how many stored mentions become how many entries (facts merged, background
apart), and what reading a timeline costs now that merging happens as it is read.

    .venv/bin/python benchmarks/timeline.py [--limit N]        ANT (its first N in publication order) relinked
    .venv/bin/python benchmarks/timeline.py --store ant.db     a store kept by `benchmarks/link.py ant --store`

Every thread with dated mentions has its timeline read twice (the second read is the one timed: caches
warm, as on a serving reader); the figures are CPU time of this process. The store's rows are the
`event` table (marsad.link takes them at link time); the merging is marsad.store.timeline.

Data: the ANT Corpus v2.1 multi-source (../shared/data/ant_multisource_v2.1.jsonl.gz). Cite: A. Chouigui,
O. Ben Khiroun and B. Elayeb, "An Arabic Multi-source News Corpus: Experimenting on Single-document
Extractive Summarization", Arabian Journal for Science and Engineering 46(8), 2021.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "link"))

from antload import insert_ant, read_ant  # noqa: E402

from marsad.link import relink  # noqa: E402
from marsad.store import threads  # noqa: E402
from marsad.store.db import Store  # noqa: E402

ANT = ROOT.parent / "shared" / "data" / "ant_multisource_v2.1.jsonl.gz"


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


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--store", type=Path, help="a linked store (benchmarks/link.py ant --store)")
    parser.add_argument("--limit", type=int, help="only ANT's first N articles in publication order")
    args = parser.parse_args()
    if args.store is not None:
        with Store(args.store, readonly=True) as store:
            measure(store)
        return
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(Path(tmp) / "ant.db")
        insert_ant(store, sorted(read_ant(ANT), key=lambda r: r["published"])[: args.limit])
        relink(store)
        measure(store)
        store.close()


if __name__ == "__main__":
    main()
