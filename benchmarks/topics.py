"""Topic figures on ANT: mining the whole archive, assigning known topics to new articles, and the list of
the strongest topics to judge by reading.

    .venv/bin/python benchmarks/topics.py ingest --db ant.db     marsad ingest ANT into ant.db (no index)
    .venv/bin/python benchmarks/topics.py mine --db ant.db       mine every article: time, CPU, peak memory
    .venv/bin/python benchmarks/topics.py assign --db ant.db [--n 5000]
                                                                 give N stored articles the mined topics
                                                                 again (what linking adds to an ingest)
    .venv/bin/python benchmarks/topics.py top --db ant.db [--n 200]
                                                                 the N strongest topics, one JSON a line
    .venv/bin/python benchmarks/topics.py judged                 the share judged real in
                                                                 benchmarks/gold/topics_ant_judged.json

Data: the ANT Corpus v2.1 multi-source (../shared/data/ant_multisource_v2.1.jsonl.gz). Cite: A. Chouigui,
O. Ben Khiroun and B. Elayeb, "An Arabic Multi-source News Corpus: Experimenting on Single-document
Extractive Summarization", Arabian Journal for Science and Engineering 46(8), 2021.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

from marsad.link import topics
from marsad.store import topics as topic_store
from marsad.store.db import Store

ROOT = Path(__file__).resolve().parents[1]
ANT = ROOT.parent / "shared" / "data" / "ant_multisource_v2.1.jsonl.gz"
JUDGED = ROOT / "benchmarks" / "gold" / "topics_ant_judged.json"


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def ingest(db: Path) -> None:
    started = time.perf_counter()
    command = [sys.executable, "-m", "marsad.cli", "ingest", "--db", str(db), "--no-index", str(ANT)]
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    print(f"ingested and linked ANT into {db} in {time.perf_counter() - started:.1f} s")


def mine(db: Path) -> None:
    with Store(db) as store:
        wall, cpu = time.perf_counter(), _cpu()
        mined = topics.mine(store)
        wall, cpu = time.perf_counter() - wall, _cpu() - cpu
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"mined {len(mined.topics)} topics ({mined.candidates} candidates, {len(mined.links)} article links)"
        f" from {mined.articles} articles in {wall:.1f} s wall, {cpu:.1f} CPU-s"
        f" ({mined.articles / cpu:.0f} articles per CPU-second); peak RSS {peak:.0f} MB;"
        f" load {os.getloadavg()[0]:.1f}"
    )


def assign(db: Path, n: int) -> None:
    with Store(db) as store:
        ids = topic_store.all_article_ids(store)[-n:]
        wall, cpu = time.perf_counter(), _cpu()
        with store.transaction():
            links = topics.assign(store, ids)
        wall, cpu = time.perf_counter() - wall, _cpu() - cpu
        known = topic_store.count(store)
    print(
        f"assigned {known} known topics to {len(ids)} articles ({links} links) in {wall:.2f} s wall,"
        f" {cpu:.2f} CPU-s: {1000 * cpu / len(ids):.2f} CPU-ms an article; load {os.getloadavg()[0]:.1f}"
    )


def top(db: Path, n: int) -> None:
    with Store(db, readonly=True) as store:
        for rank, t in enumerate(topic_store.topics(store, n), start=1):
            row = {"rank": rank, "name": t.name, "key": t.key, "strength": t.strength}
            row |= {"articles": t.article_count, "stories": t.story_count, "outlets": t.outlet_count}
            print(json.dumps(row, ensure_ascii=False))


def judged() -> None:
    rows = json.loads(JUDGED.read_text(encoding="utf-8"))["topics"]
    real = sum(1 for r in rows if r["real"])
    print(f"{real} of {len(rows)} judged real names or terms: {100 * real / len(rows):.1f} %")
    for r in rows:
        if not r["real"]:
            print(f"  not real: #{r['rank']} {r['name']}: {r['reason']}")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("what", choices=["ingest", "mine", "assign", "top", "judged"])
    parser.add_argument("--db", type=Path)
    parser.add_argument("--n", type=int, default=None)
    args = parser.parse_args()
    if args.what == "judged":
        judged()
        return
    if args.db is None:
        parser.error("--db is required")
    if args.what == "ingest":
        ingest(args.db)
    elif args.what == "mine":
        mine(args.db)
    elif args.what == "assign":
        assign(args.db, args.n or 5000)
    else:
        top(args.db, args.n or 200)


if __name__ == "__main__":
    main()
