"""Ingest speed and memory: articles/s and peak RSS for the ANT corpus (JSON lines) into a fresh database,
and pages/s for HTML pages made by ../shared/tools/pagebench/make_pages.py.

    .venv/bin/python benchmarks/ingest.py                 # JSON lines without linking/indexing, and HTML
    .venv/bin/python benchmarks/ingest.py --full          # also the JSON-lines path with linking and indexing
    .venv/bin/python benchmarks/ingest.py --html-per-template 100

Each measurement runs in a fresh child process so that its peak RSS is its own. The machine may be shared:
the load average is printed before and after. Corpus: ANT v2.1 (Chouigui, Ben Khiroun and Elayeb,
"An Arabic Multi-source News Corpus: Experimenting on Single-document Extractive Summarization", Arabian
Journal for Science and Engineering 46(8), 2021).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from machine import describe as machine  # benchmarks/ is on sys.path
from machine import load_average as load

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("MARSAD_SHARED", ROOT.parent / "shared"))
ANT = SHARED / "data" / "ant_multisource_v2.1.jsonl.gz"
MAKE_PAGES = SHARED / "tools" / "pagebench" / "make_pages.py"

CHILD = r"""
import json, os, resource, sqlite3, sys, time
from marsad.ingest import ingest
from marsad.store.db import Store
targets, db, link, index = json.loads(sys.argv[1])
store = Store(db)
started, cpu = time.perf_counter(), time.process_time()
report = ingest(targets, store, progress=False, link=link, index=index)
seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
store.close()
conn = sqlite3.connect(db)
conn.execute("VACUUM")
tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
kept = conn.execute("SELECT count(*), sum(size), sum(length(content)) FROM page").fetchone() if "page" in tables else None
conn.close()
print(json.dumps({"seconds": seconds, "cpu": cpu, "new": report.new, "updated": report.updated, "unchanged": report.unchanged,
                  "failed": report.failed, "kinds": dict(report.kinds), "linking": report.seconds_linking,
                  "indexing": report.seconds_indexing, "db_bytes": os.path.getsize(db), "kept_pages": kept,
                  "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def run(targets: list[str], db: Path, *, link: bool, index: bool) -> dict:
    argument = json.dumps([targets, str(db), link, index])
    done = subprocess.run([sys.executable, "-c", CHILD, argument], capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def bench_jsonl(work: Path, *, link: bool, index: bool) -> None:
    label = "with linking and indexing" if link or index else "no linking, no indexing"
    result = run([str(ANT)], work / f"ant-{int(link)}{int(index)}.db", link=link, index=index)
    articles = result["new"] + result["updated"] + result["unchanged"]
    print(
        f"ANT JSON lines ({label}): {articles:,} articles, {result['failed']} failures in {result['seconds']:.1f} s"
        f" = {articles / result['seconds']:,.0f} articles/s"
        f" (CPU {result['cpu']:.1f} s = {articles / result['cpu']:,.0f} articles per CPU-second);"
        f" peak RSS {result['peak_rss_mb']:.0f} MB"
        + (
            f" (linking {result['linking']:.1f} s, indexing {result['indexing']:.1f} s)"
            if link or index
            else ""
        )
    )
    again = run([str(ANT)], work / f"ant-{int(link)}{int(index)}.db", link=link, index=index)
    print(
        f"  second run: {again['unchanged']:,} unchanged, {again['new']} new, {again['updated']} updated"
        f" in {again['seconds']:.1f} s = {again['unchanged'] / again['seconds']:,.0f} articles/s"
        f" (CPU {again['cpu']:.1f} s)"
    )


def bench_html(work: Path, per_template: int) -> None:
    pages = work / "pages"
    subprocess.run(
        [sys.executable, str(MAKE_PAGES), "--articles", str(ANT), "--out", str(pages),
         "--per-template", str(per_template), "--seed", "7"],
        check=True, capture_output=True,
    )  # fmt: skip
    html = sorted(str(p) for p in pages.glob("*/*.html"))
    result = run(html, work / "html.db", link=False, index=False)
    done = result["new"] + result["updated"] + result["unchanged"] + result["failed"]
    print(
        f"HTML pages (pagebench, {per_template} per template, no linking/indexing): {len(html):,} pages,"
        f" {result['new']:,} articles, {result['failed']} failures in {result['seconds']:.1f} s"
        f" = {done / result['seconds']:,.1f} pages/s (CPU {result['cpu']:.1f} s = {done / result['cpu']:,.1f} pages"
        f" per CPU-second); peak RSS {result['peak_rss_mb']:.0f} MB"
    )
    print(f"  {_storage(result)}")
    text = sorted(str(p) for p in pages.glob("*/*.txt"))
    result = run(text, work / "text.db", link=False, index=False)
    done = result["new"] + result["updated"] + result["unchanged"] + result["failed"]
    print(
        f"Text dumps of the same pages: {len(text):,} pages, {result['new']:,} articles,"
        f" {result['failed']} failures in {result['seconds']:.1f} s = {done / result['seconds']:,.1f} pages/s"
        f" (CPU {result['cpu']:.1f} s)"
    )
    print(f"  {_storage(result)}")


def _storage(result: dict) -> str:
    """The database's size per article after VACUUM, and what the kept pages (table `page`) take."""
    articles = max(1, result["new"])
    line = f"database {result['db_bytes'] / 1e6:.1f} MB after VACUUM = {result['db_bytes'] / articles / 1024:.1f} KB per article"
    if result["kept_pages"] and result["kept_pages"][0]:
        pages, size, stored = result["kept_pages"]
        line += (
            f"; kept pages: {pages:,}, {size / pages / 1024:.1f} KB each as fetched,"
            f" {stored / pages / 1024:.1f} KB compressed ({stored / size:.0%})"
        )
    return line


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--full", action="store_true", help="also measure JSON lines with linking and indexing"
    )
    parser.add_argument("--html-per-template", type=int, default=60, help="pages per pagebench template")
    parser.add_argument("--skip-html", action="store_true")
    parser.add_argument("--skip-jsonl", action="store_true", help="only the HTML pages and their text dumps")
    args = parser.parse_args()
    if not ANT.exists():
        sys.exit(f"{ANT} is missing: the benchmark reads ../shared/data beside the checkout")
    print(f"machine: {machine()}")
    print(f"load average before: {load()}")
    with tempfile.TemporaryDirectory(prefix="marsad-bench-") as tmp:
        work = Path(tmp)
        if not args.skip_jsonl:
            bench_jsonl(work, link=False, index=False)
        if args.full:
            bench_jsonl(work, link=True, index=True)
        if not args.skip_html:
            bench_html(work, args.html_per_template)
    print(f"load average after: {load()}")


if __name__ == "__main__":
    main()
