"""How long the operator's pages take on a big crawl: outlets, failures and the crawl queue.

A synthetic archive is built once in --workdir: --outlets crawled outlets with two feeds each, --articles
articles spread over them (a tenth ingested in the last week), --queue crawl-queue rows (90 % done, 5 %
failed, 5 % queued) and --failures failure rows. Each page is then asked --repeat times by a signed-in
client in the same process (FastAPI's TestClient: no network, one request at a time) and the median and
slowest times are printed, with the JSON API's outlet list beside the page.

    .venv/bin/python benchmarks/admin.py [--outlets 300] [--articles 300000] [--queue 200000]
                                         [--failures 20000] [--repeat 7]
"""

from __future__ import annotations

import argparse
import re
import statistics
import tempfile
import time
from pathlib import Path

from fastapi.testclient import TestClient

from marsad.store import reports
from marsad.store.db import Store
from marsad.web import create_app

PASSWORD = "benchmark password"


def build(path: Path, outlets: int, articles: int, queue: int, failures: int) -> None:
    with Store(path) as store, store.transaction() as conn:
        conn.executemany(
            "INSERT INTO source(id, key, name, home_url, crawl) VALUES (?, ?, ?, ?, 1)",
            [
                (n, f"outlet{n}.example", f"موقع {n}", f"https://outlet{n}.example/")
                for n in range(1, outlets + 1)
            ],
        )
        conn.executemany(
            "INSERT INTO crawl_feed(source_id, url, kind) VALUES (?, ?, ?)",
            [
                (n, f"https://outlet{n}.example/{kind}.xml", kind)
                for n in range(1, outlets + 1)
                for kind in ("feed", "sitemap")
            ],
        )
        conn.executemany(
            "INSERT INTO article(url, source_id, title, body, content_hash, created_at) VALUES (?, ?, ?, ?, ?,"
            " CASE WHEN ? THEN strftime('%Y-%m-%dT%H:%M:%SZ','now') ELSE '2020-01-01T00:00:00Z' END)",
            [
                (
                    f"https://outlet{1 + n % outlets}.example/a/{n}",
                    1 + n % outlets,
                    f"خبر {n}",
                    "نص",
                    str(n),
                    n % 10 == 0,
                )
                for n in range(articles)
            ],
        )
        conn.executemany(
            "INSERT INTO crawl_queue(url, source_id, state, attempts, error) VALUES (?, ?, ?, 1, ?)",
            [
                (
                    f"https://outlet{1 + n % outlets}.example/q/{n}",
                    1 + n % outlets,
                    "done" if n % 20 < 18 else "failed" if n % 20 == 18 else "queued",
                    "HTTP 404" if n % 20 == 18 else None,
                )
                for n in range(queue)
            ],
        )
        conn.executemany(
            "INSERT INTO failure(origin, url, stage, reason, last_seen) VALUES (?, ?, ?, ?,"
            " strftime('%Y-%m-%dT%H:%M:%SZ', 'now', ?))",
            [
                (
                    f"https://x.example/{n}",
                    f"https://x.example/{n}",
                    ("fetch", "extract")[n % 2],
                    "HTTP 404",
                    f"-{n} seconds",
                )
                for n in range(failures)
            ],
        )
    with Store(path) as store:
        reports.set_admin_password(store, PASSWORD)


def timed(client: TestClient, path: str, repeat: int) -> tuple[float, float]:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        answer = client.get(path)
        times.append(time.perf_counter() - start)
        assert answer.status_code == 200, (path, answer.status_code)
    return statistics.median(times) * 1000, max(times) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--outlets", type=int, default=300)
    parser.add_argument("--articles", type=int, default=300_000)
    parser.add_argument("--queue", type=int, default=200_000)
    parser.add_argument("--failures", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--workdir", type=Path, default=None)
    args = parser.parse_args()
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="marsad-admin-"))
    path = workdir / f"admin-{args.outlets}-{args.articles}-{args.queue}-{args.failures}.db"
    if not path.exists():
        start = time.perf_counter()
        build(path, args.outlets, args.articles, args.queue, args.failures)
        print(f"built {path} in {time.perf_counter() - start:.1f} s")
    client = TestClient(create_app(path), headers={"user-agent": "benchmark"}, follow_redirects=False)
    csrf = re.search(r'name="csrf" value="([^"]+)"', client.get("/admin/login").text).group(1)
    assert client.post("/admin/login", data={"csrf": csrf, "password": PASSWORD}).status_code == 303
    print(
        f"{args.outlets} outlets, {args.articles} articles, {args.queue} queue rows, {args.failures} failures;"
        f" {args.repeat} requests each"
    )
    print(f"{'path':45} {'median ms':>10} {'max ms':>8}")
    for page in (
        "/admin/outlets",
        "/api/v1/admin/outlets",
        "/admin/outlets.opml",
        "/admin/failures",
        "/admin/failures?stage=extract&page=100",
        "/admin/crawl-queue",
        "/admin/crawl-queue?state=failed",
        "/admin/crawl-queue?state=done&page=1000",
        "/admin/log",
    ):
        median, slowest = timed(client, page, args.repeat)
        print(f"{page:45} {median:10.1f} {slowest:8.1f}")


if __name__ == "__main__":
    main()
