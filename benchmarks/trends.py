"""Coverage over time on the ANT archive: how long a trend takes to build (store.trends) and to draw
(web.charts), for every outlet, the largest threads, a story, a search's matches, and "rising".

    .venv/bin/python benchmarks/trends.py [--db ARCHIVE] [--runs 30]

Without --db, the ANT corpus (../shared/data/ant_multisource_v2.1.jsonl.gz) is ingested, linked and
indexed into a temporary folder with the command line (`marsad ingest --db ...`), as an operator would;
that takes minutes. Prints, for each case, the number of periods and the median and p95 of --runs runs (the
SQL and the counting in Python; then the SVG and CSV of the same series).

Data: ANT Corpus v2.1 multi-source. Cite: A. Chouigui, O. Ben Khiroun and B. Elayeb, "An Arabic
Multi-source News Corpus: Experimenting on Single-document Extractive Summarization", Arabian Journal for
Science and Engineering 46(8), 2021.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from marsad.store import trends
from marsad.store.db import Store
from marsad.web import charts

ROOT = Path(__file__).resolve().parents[1]
ANT = ROOT.parent / "shared" / "data" / "ant_multisource_v2.1.jsonl.gz"


def build(folder: Path) -> Path:
    db = folder / "ant.db"
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "marsad.cli", "ingest", "--db", str(db), str(ANT), "--json"],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    print(f"built {db} with `marsad ingest` in {time.perf_counter() - started:.0f} s")
    return db


def timed(runs: int, make: Callable[[], Any]) -> tuple[Any, float, float]:
    """(the last result, median ms, p95 ms)."""
    times = []
    result = None
    for _ in range(runs):
        started = time.perf_counter()
        result = make()
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    return result, statistics.median(times), times[min(len(times) - 1, int(len(times) * 0.95))]


def row(label: str, runs: int, make: Callable[[], trends.Series]) -> trends.Series:
    series, p50, p95 = timed(runs, make)
    print(f"| {label} | {series.by} | {len(series.periods)} | {series.total:,} | {p50:.1f} | {p95:.1f} |")
    return series


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--db", type=Path, help="an archive already holding ANT (else one is built)")
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="marsad-trends-") as tmp:
        db = args.db or build(Path(tmp))
        with Store(db, readonly=True) as store:
            run(store, args.runs)


def run(store: Store, runs: int) -> None:
    n = store.conn.execute("SELECT count(*) FROM article").fetchone()[0]
    print(f"{n:,} articles; {runs} runs each\n")
    print("| trend | by | periods | articles | p50 ms | p95 ms |")
    print("| --- | --- | --- | --- | --- | --- |")
    for source_id, name in store.conn.execute("SELECT id, name FROM source ORDER BY id").fetchall():
        row(f"outlet {name}", runs, lambda i=source_id: trends.for_outlet(store, i))
        row(f"outlet {name}, by day", runs, lambda i=source_id: trends.for_outlet(store, i, "day"))
    largest = store.conn.execute(
        "SELECT thread_id, count(*) FROM story WHERE thread_id IS NOT NULL GROUP BY thread_id"
        " ORDER BY count(*) DESC, thread_id LIMIT 3"
    ).fetchall()
    for thread_id, count in largest:
        row(f"thread {thread_id} ({count} stories)", runs, lambda i=thread_id: trends.for_thread(store, i))
    story_id = store.conn.execute(
        "SELECT story_id FROM article WHERE story_id IS NOT NULL GROUP BY story_id ORDER BY count(*) DESC LIMIT 1"
    ).fetchone()[0]
    row(f"story {story_id} (the largest)", runs, lambda: trends.for_story(store, story_id))
    search(store, runs)
    (day, found), p50, p95 = timed(runs, lambda: trends.rising_stories(store))
    print(
        f"\nrising on {day}: stories {[(r.key, r.today, round(r.baseline, 2)) for r in found]};"
        f" p50 {p50:.1f} ms, p95 {p95:.1f} ms"
    )
    draw(store, runs)


def search(store: Store, runs: int) -> None:
    try:
        from marsad.search import SearchError, search_ids
    except ImportError:
        return
    for query in ("المغرب", "ترامب"):
        try:
            ids, p50, p95 = timed(runs, lambda q=query: search_ids(store, q))
        except SearchError as exc:
            print(f"| search {query} | (no index: {exc}) |")
            continue
        print(f"| search {query}: the matches' ids | | | {len(ids):,} | {p50:.1f} | {p95:.1f} |")
        row(f"search {query}: their trend", runs, lambda ids=ids: trends.for_ids(store, ids))


def draw(store: Store, runs: int) -> None:
    sky = store.conn.execute(
        "SELECT id FROM source ORDER BY (SELECT count(*) FROM article WHERE source_id = source.id) DESC LIMIT 1"
    ).fetchone()[0]
    for by in ("week", "day"):
        series = trends.for_outlet(store, sky, by)  # type: ignore[arg-type]
        svg, p50, p95 = timed(runs, lambda s=series: charts.bar_chart(s, "benchmark"))
        size = len(svg or "")
        csv_text, c50, _ = timed(runs, lambda s=series: charts.series_csv(s))
        print(
            f"chart of the largest outlet by {by}: {len(series.periods)} bars, SVG {size:,} bytes in p50 {p50:.1f} ms"
            f" (p95 {p95:.1f}); CSV {len(csv_text):,} bytes in {c50:.2f} ms"
        )


if __name__ == "__main__":
    main()
