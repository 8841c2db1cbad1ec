"""Archive ingest on Dask: a WARC of pagebench pages ingested in one process, then with 1 and with 2 Dask
workers (marsad.ingest.cluster), with linking and indexing; pages/s, peak memory of the main process and
of each worker, and digests of the articles with their links, of the failures and of the search results (printed as
articles/failures/search), which must be equal.

    .venv/bin/python benchmarks/dask_ingest.py                    # 20,000 pages (4,000 per template)
    .venv/bin/python benchmarks/dask_ingest.py --pages 2000 --workers 0 1 2 4
    .venv/bin/python benchmarks/dask_ingest.py --warc pages.warc.gz --workers 2   # an existing WARC

The pages are made at run time by ../shared/tools/pagebench/make_pages.py (real ANT article text in five
news-site templates) into a temporary folder and written as one WARC.gz (one gzip member a record, the
page's URL and fetch time from its gold file). Each ingest runs in a fresh child process so that its peak
RSS is its own; the workers' peak RSS is sampled with psutil every 0.2 s. The machine may be shared: the
load average is printed before and after.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import subprocess
import sys
import tempfile
import uuid
from pathlib import Path

from machine import describe as machine  # benchmarks/ is on sys.path
from machine import load_average as load

from marsad.sources.warc import record_starts

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("MARSAD_SHARED", ROOT.parent / "shared"))
ANT = SHARED / "data" / "ant_multisource_v2.1.jsonl.gz"
MAKE_PAGES = SHARED / "tools" / "pagebench" / "make_pages.py"
TEMPLATES = 5
QUERIES = ("ترامب", "سوريا", "النفط", "كأس العالم", "الانتخابات الرئاسية", "الأمم المتحدة", "اللاجئين")

CHILD = r"""
import hashlib, json, logging, os, resource, sys, threading, time
import psutil
from distributed import Client, LocalCluster
from marsad.ingest import ingest
from marsad.ingest.cluster import WORKER_MEMORY, ClusterConfig
from marsad.search import search
from marsad.store.articles import iter_articles, list_failures
from marsad.store.db import Store

warc, db, workers, queries = json.loads(sys.argv[1])
peaks, stop = {}, threading.Event()

def sample(pids):
    while not stop.wait(0.2):
        for pid in pids:
            try:
                peaks[pid] = max(peaks.get(pid, 0), psutil.Process(pid).memory_info().rss)
            except psutil.Error:
                pass

def digest(store):
    articles = [{k: v for k, v in a.items() if k != "fetched_at"} for a in iter_articles(store)]
    failures = [(f["stage"], f["reason"], f["origin"], f["url"]) for f in list_failures(store)]
    found = {q: [(h.id, h.story_id, h.folded) for h in search(store, q, limit=50).hits] for q in queries}
    stories = len({a["story_id"] for a in articles if a["story_id"] is not None})
    duplicates = sum(a["duplicate_of"] is not None for a in articles)
    parts = [json.dumps(part, ensure_ascii=False, sort_keys=True, default=str) for part in (articles, failures, found)]
    return "/".join(hashlib.sha256(text.encode()).hexdigest()[:8] for text in parts), stories, duplicates

config, cluster, client, start_seconds = None, None, None, 0.0
if workers:  # the LocalCluster `--workers N` starts, made here to know its worker processes
    started = time.perf_counter()
    cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, memory_limit=WORKER_MEMORY,
                           dashboard_address=None, silence_logs=logging.ERROR)
    client = Client(cluster)
    start_seconds = time.perf_counter() - started
    threading.Thread(target=sample, args=(list(client.run(os.getpid).values()),), daemon=True).start()
    config = ClusterConfig(scheduler=cluster.scheduler_address)
with Store(db) as store:
    started, cpu = time.perf_counter(), time.process_time()
    report = ingest([warc], store, progress=False, cluster=config)
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    stop.set()
    main_peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"seconds": seconds, "cpu": cpu, "new": report.new, "failed": report.failed,
                      "linking": report.seconds_linking, "indexing": report.seconds_indexing,
                      "start": start_seconds, "main_peak_mb": main_peak,
                      "worker_peaks_mb": sorted(p / 2**20 for p in peaks.values()), "digest": digest(store)}))
if cluster is not None:
    client.close()
    cluster.close()
"""


def make_warc(pages: Path, out: Path) -> int:
    """Every generated page as a response record (its own gzip member), in a fixed order."""
    count = 0
    with out.open("wb") as handle:
        for html in sorted(pages.glob("*/*.html")):
            gold = json.loads(html.with_suffix(".json").read_text(encoding="utf-8"))
            handle.write(gzip.compress(_record(gold["url"], gold["fetched_at"], html.read_bytes())))
            count += 1
    return count


def _record(url: str, fetched_at: str, body: bytes) -> bytes:
    http = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n" + body
    header = (
        f"WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: {url}\r\nWARC-Date: {fetched_at}\r\n"
        f"WARC-Record-ID: <urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, url)}>\r\n"
        f"Content-Type: application/http; msgtype=response\r\nContent-Length: {len(http)}\r\n\r\n"
    ).encode()
    return header + http + b"\r\n\r\n"


def run(warc: Path, db: Path, workers: int) -> dict:
    argument = json.dumps([str(warc), str(db), workers, QUERIES])
    done = subprocess.run([sys.executable, "-c", CHILD, argument], capture_output=True, text=True)
    if done.returncode:
        sys.exit(f"the ingest with {workers} workers failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def line(label: str, pages: int, result: dict) -> str:
    digest, stories, duplicates = result["digest"]
    workers = ", ".join(f"{mb:.0f}" for mb in result["worker_peaks_mb"])
    workers = (
        f", workers {workers} MB (cluster started in {result['start']:.1f} s, not counted)" if workers else ""
    )
    return (
        f"{label}: {result['new']:,} articles, {result['failed']} failures in {result['seconds']:.1f} s ="
        f" {pages / result['seconds']:,.1f} pages/s (linking {result['linking']:.1f} s, indexing"
        f" {result['indexing']:.1f} s; main process CPU {result['cpu']:.1f} s); peak RSS main"
        f" {result['main_peak_mb']:.0f} MB{workers}; {stories:,} stories, {duplicates:,} duplicates;"
        f" digest {digest}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=20_000, help="pages in the WARC (a multiple of 5)")
    parser.add_argument(
        "--workers", type=int, nargs="+", default=[0, 1, 2], help="Dask worker counts (0: one process)"
    )
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--warc", type=Path, help="ingest this WARC (one a previous run made) instead")
    args = parser.parse_args()
    if not ANT.exists():
        sys.exit(f"{ANT} is missing: the benchmark reads ../shared/data beside the checkout")
    print(f"machine: {machine()}")
    print(f"load average before: {load()}")
    with tempfile.TemporaryDirectory(prefix="marsad-dask-") as tmp:
        work = Path(tmp)
        warc, pages = args.warc, 0
        if warc is None:
            subprocess.run(
                [sys.executable, str(MAKE_PAGES), "--articles", str(ANT), "--out", str(work / "pages"),
                 "--per-template", str(args.pages // TEMPLATES), "--seed", str(args.seed)],
                check=True, capture_output=True,
            )  # fmt: skip
            warc = work / "pagebench.warc.gz"
            pages = make_warc(work / "pages", warc)
        else:
            pages = sum(1 for _ in record_starts(warc))
        print(f"WARC: {pages:,} pagebench pages, {warc.stat().st_size / 1e6:.0f} MB gzip (seed {args.seed})")
        digests = set()
        for n, workers in enumerate(args.workers):
            result = run(warc, work / f"run{n}-w{workers}.db", workers)
            label = f"{workers} Dask worker{'s' * (workers > 1)}" if workers else "single process"
            print(line(label, pages, result), flush=True)
            digests.add(result["digest"][0])
        print("digests equal" if len(digests) == 1 else f"DIGESTS DIFFER: {sorted(digests)}")
    print(f"load average after: {load()}")


if __name__ == "__main__":
    main()
