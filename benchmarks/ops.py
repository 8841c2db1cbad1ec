"""The operator's endpoints at scale: how long /metrics and /healthz take to read their counts.

    .venv/bin/python benchmarks/ops.py                    # one million articles
    .venv/bin/python benchmarks/ops.py --docs 100000      # smaller

Builds an archive of --docs articles from the ANT corpus (../shared/data/ant_multisource_v2.1.jsonl.gz)
copied with perturbations, as benchmarks/search.py does (its text left unanalysed: only the document count
matters here), with its Tantivy index, every outlet crawled, --queue URLs in the crawl queue (a tenth
queued, a tenth failed, the rest done), crawl health per outlet and one finished crawl round. Then times
`marsad.web.metrics.exposition` (every count /metrics reads, with a latency histogram of 20 routes) and
`marsad.web.health.check` (/healthz), --repeat times each, on a warm cache, and prints p50 and p95 in
milliseconds with the machine and its load. Both read from SQLite at every call, on purpose: what they say
is what the database holds.

ANT Corpus v2.1 (multi-source): A. Chouigui, O. Ben Khiroun and B. Elayeb, "An Arabic Multi-source News
Corpus: Experimenting on Single-document Extractive Summarization", Arabian Journal for Science and
Engineering 46(8), 2021.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from machine import describe as machine  # noqa: E402  (benchmarks/ is on sys.path)
from search import ANT, build_tantivy, load, load_bases, write_store  # noqa: E402

from marsad.store import counts, rounds  # noqa: E402
from marsad.store.db import Store  # noqa: E402
from marsad.web import health, metrics  # noqa: E402


def fill_crawl_state(store: Store, queue: int) -> None:
    """Every outlet crawled, `queue` URLs queued/failed/done across them, health rows, a finished round."""
    with store.transaction() as conn:
        outlets = [r[0] for r in conn.execute("SELECT id FROM source ORDER BY id")]
        conn.execute("UPDATE source SET crawl = 1")
        conn.executemany(
            "INSERT INTO crawl_queue(url, source_id, state) VALUES (?, ?, ?)",
            (
                (
                    f"https://bench.example/{i}",
                    outlets[i % len(outlets)],
                    ("queued", "failed", *["done"] * 8)[i % 10],
                )
                for i in range(queue)
            ),
        )
        conn.executemany(
            "INSERT INTO crawl_health(source_id, pages, errors) VALUES (?, ?, ?)",
            ((source_id, 1000 + source_id, source_id % 7) for source_id in outlets),
        )
    round_id = rounds.start(store)
    rounds.finish(store, round_id, "ok", {"pages_fetched": 10})


def timed(function, repeat: int) -> list[float]:
    function()  # warm: the pages are in the cache, the index handle is open
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        times.append((time.perf_counter() - started) * 1000)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, default=1_000_000)
    parser.add_argument("--queue", type=int, default=200_000, help="URLs in the crawl queue")
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/marsad-bench-ops"))
    parser.add_argument(
        "--reuse", action="store_true", help="time the archive a former run left in --workdir"
    )
    args = parser.parse_args()

    print(machine())
    db = args.workdir / "ops.db"
    if not (args.reuse and db.exists()):
        shutil.rmtree(args.workdir, ignore_errors=True)
        args.workdir.mkdir(parents=True)
        bases, _ = load_bases(ANT, analysed=False)
        with Store(db) as store:
            started = time.perf_counter()
            outlets = write_store(store, bases, args.docs)
            build_tantivy(store, bases, args.docs, outlets)
            fill_crawl_state(store, args.queue)
        print(f"built {args.docs:,} articles of {len(outlets)} outlets, {args.queue:,} queue rows"
              f" in {time.perf_counter() - started:.0f} s")  # fmt: skip
    store = Store(db)
    print(f"{counts.articles(store):,} articles, {sum(counts.queue_by_state(store).values()):,} queue rows")

    latency = metrics.RequestLatency()
    for i in range(20):
        for n in range(50):
            latency.observe(f"/route/{i}", "GET", 200, n / 1000)
    text = metrics.exposition(store, latency)
    print(f"/metrics: {len(text.splitlines())} lines, {len(text):,} bytes; {load()}")
    for label, function in (
        ("/metrics (exposition)", lambda: metrics.exposition(store, latency)),
        ("/healthz (check)", lambda: health.check(store, timedelta(hours=1))),
    ):
        times = timed(function, args.repeat)
        p95 = statistics.quantiles(times, n=20)[-1]
        print(
            f"{label:24} p50 {statistics.median(times):8.1f} ms   p95 {p95:8.1f} ms   ({args.repeat} calls)"
        )
    store.close()


if __name__ == "__main__":
    main()
