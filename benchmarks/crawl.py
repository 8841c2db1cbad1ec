"""Crawl benchmark: a local site of 5,000 article pages on 10 loopback hosts, crawled end to end.

Page text: by default real articles from the ANT corpus v2.1 in ../shared/data (read at run time, see
../shared/data/README.md; cite: A. Chouigui, O. Ben Khiroun and B. Elayeb, "An Arabic Multi-source News
Corpus: Experimenting on Single-document Extractive Summarization", Arabian Journal for Science and
Engineering 46(8), 2021), so that linking and indexing see real text; `--text generated` uses the test
fixtures' generated articles instead (templated text that the linker rightly groups as near-duplicates).

The site runs in its own process (so the server does not share the crawler's interpreter): hosts
127.0.0.11 ... 127.0.0.20, each with robots.txt, an RSS feed listing its pages, and the pages (original
Arabic text generated from a few sentences). One `crawl_once` round then reads the feeds, queues the URLs
in the database, fetches every page with the per-host delay, and hands them to ingest (extract, store,
link, index). The figures: pages/s end to end, the time spent in ingest, and per host the smallest gap
between two requests as the server saw them (the proof that the per-host delay held).

    .venv/bin/python benchmarks/crawl.py [--pages 5000] [--hosts 10] [--delay 0.05] [--batch 100]
                                         [--text ant|generated] [--no-link] [--no-index]
"""

from __future__ import annotations

import argparse
import gzip
import html
import json
import multiprocessing
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "crawl"))

from fixture_site import Hit, Outlet, Resource, article_html, rss  # noqa: E402
from machine import describe as machine  # noqa: E402  (benchmarks/ is on sys.path)

from marsad.crawl.outlets import save_outlet  # noqa: E402
from marsad.crawl.rounds import CrawlSettings, crawl_once  # noqa: E402
from marsad.sources.http.fetcher import FetchConfig  # noqa: E402
from marsad.sources.http.safety import AddressPolicy  # noqa: E402
from marsad.store.db import Store  # noqa: E402

SHARED = Path(os.environ.get("MARSAD_SHARED", ROOT.parent / "shared"))
ANT = SHARED / "data" / "ant_multisource_v2.1.jsonl.gz"


def ant_pages(count: int) -> list[bytes]:
    """The first `count` ANT articles with text, as simple article pages."""
    out = []
    with gzip.open(ANT, "rt", encoding="utf-8") as lines:
        for line in lines:
            record = json.loads(line)
            paragraphs = [p for p in (record.get("text") or "").split("\n") if p.strip()]
            if not paragraphs or not record.get("title"):
                continue
            title = html.escape(record["title"])
            body = "".join(f"<p>{html.escape(p)}</p>" for p in paragraphs)
            out.append(
                f'<!DOCTYPE html><html lang="ar" dir="rtl"><head><meta charset="utf-8"><title>{title}</title>'
                f'</head><body><article><h1>{title}</h1><p class="date">{html.escape(record.get("time") or "")}'
                f"</p>{body}</article></body></html>".encode()
            )
            if len(out) == count:
                break
    return out


def serve(pages: int, hosts: int, text: str, ready, stop, bases, log_path: str) -> None:
    """The fixture site (child process): builds the hosts, serves until `stop`, writes the request log."""
    log: list[Hit] = []
    outlets = []
    per_host = pages // hosts
    bodies = ant_pages(per_host * hosts) if text == "ant" else None
    for h in range(hosts):
        outlet = Outlet(log, f"127.0.0.{11 + h}")
        outlet.routes["/robots.txt"] = Resource(b"User-agent: *\nDisallow: /private/\n", "text/plain")
        numbers = range(h * per_host, (h + 1) * per_host)
        items = [(f"/n/{n}.html", f"n{n}") for n in numbers]
        outlet.routes["/rss"] = Resource(rss(outlet.base, items), "application/rss+xml", etag='"v1"')
        for n in numbers:
            outlet.routes[f"/n/{n}.html"] = Resource(bodies[n] if bodies else article_html(n))
        outlets.append(outlet.start())
        bases.append(outlet.base)
    ready.set()
    stop.wait()
    for outlet in outlets:
        outlet.stop()
    Path(log_path).write_text(json.dumps([[hit.at, hit.port, hit.path] for hit in log]))


def gaps_by_host(log: list[list]) -> dict[int, tuple[int, float]]:
    """port -> (requests, smallest gap in seconds between two consecutive arrivals)."""
    by_port: dict[int, list[float]] = {}
    for at, port, _ in log:
        by_port.setdefault(port, []).append(at)
    out = {}
    for port, times in sorted(by_port.items()):
        times.sort()
        gaps = [b - a for a, b in zip(times, times[1:], strict=False)]
        out[port] = (len(times), min(gaps) if gaps else float("nan"))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=5000)
    parser.add_argument("--hosts", type=int, default=10)
    parser.add_argument("--delay", type=float, default=0.05, help="per-host delay, seconds")
    parser.add_argument("--batch", type=int, default=100, help="pages per ingest batch")
    parser.add_argument(
        "--text", choices=["ant", "generated"], default="ant" if ANT.exists() else "generated"
    )
    parser.add_argument("--no-link", action="store_true", help="skip linking (fetch, extract, store, index)")
    parser.add_argument("--no-index", action="store_true", help="skip search indexing")
    args = parser.parse_args()

    print(f"machine: {machine()}")
    work = Path(tempfile.mkdtemp(prefix="marsad-crawl-bench-"))
    manager = multiprocessing.Manager()
    bases, ready, stop = manager.list(), manager.Event(), manager.Event()
    log_path = str(work / "requests.json")
    server = multiprocessing.Process(
        target=serve, args=(args.pages, args.hosts, args.text, ready, stop, bases, log_path)
    )
    server.start()
    ready.wait(120)

    store = Store(work / "bench.db")
    for base in bases:
        save_outlet(store, base + "/", None, [(base + "/rss", "feed")])
    settings = CrawlSettings(
        fetch=FetchConfig(
            delay=args.delay, per_host=1, policy=AddressPolicy.from_strings(["127.0.0.0/8"], public=False)
        ),
        batch_size=args.batch,
        max_hosts=args.hosts,
        link=not args.no_link,
        index=not args.no_index,
    )
    started = time.perf_counter()
    report = crawl_once(store, settings)
    elapsed = time.perf_counter() - started
    articles = store.conn.execute("SELECT count(*) FROM article").fetchone()[0]
    store.close()
    stop.set()
    server.join(60)
    log = json.loads(Path(log_path).read_text())

    print(
        f"site: {args.pages} pages ({args.text} text) on {args.hosts} hosts, per-host delay {args.delay}s, "
        f"ingest batch {args.batch}"
    )
    print(
        f"crawl: {report.pages_fetched} pages fetched, {report.pages_failed} failed, {articles} articles stored, "
        f"{report.requests} requests, {elapsed:.1f} s"
    )
    stages = (
        "fetch, extract, store" + ("" if args.no_link else ", link") + ("" if args.no_index else ", index")
    )
    print(f"end to end ({stages}): {report.pages_fetched / elapsed:.1f} pages/s")
    print(
        f"time in ingest (extract, store, link, index; overlaps fetching): {report.seconds_ingest:.1f} s "
        f"= {report.pages_fetched / max(report.seconds_ingest, 1e-9):.1f} pages/s of ingest time; "
        f"of which linking {report.seconds_linking:.1f} s, indexing {report.seconds_indexing:.1f} s"
    )
    floor = args.hosts / args.delay if args.delay else float("inf")
    print(f"politeness ceiling: {floor:.0f} pages/s ({args.hosts} hosts / {args.delay}s)")
    print("per host, from the server's arrival times (smallest gap must be >= the delay):")
    held = True
    for port, (count, smallest) in gaps_by_host(log).items():
        ok = smallest >= args.delay
        held &= ok
        print(
            f"  port {port}: {count} requests, smallest gap {smallest * 1000:.1f} ms {'ok' if ok else 'VIOLATED'}"
        )
    print(f"per-host delay held: {'yes' if held else 'NO'}")
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
