"""Reader latency under load: home, story, article and search pages at a fixed request rate on loopback.

The reader runs in its own process (uvicorn, one worker, as `marsad serve` runs it); this script is an
open-loop load generator: request i is due at start + i/rate whatever happened before, and its latency
is counted from when it was due, so a slow answer delays nothing and hides nothing (no coordinated
omission). Pages rotate home -> story -> article -> search; story and article ids are drawn at random
from the database, search queries from inflected Arabic words.

    .venv/bin/python benchmarks/web.py [--db ant.db] [--ant path/to/ant_multisource_v2.1.jsonl.gz]
                                       [--rate 200] [--seconds 60]

Without --db, the whole ANT corpus is ingested (linked and indexed) into --workdir first, once.
Goal (issue 7): p99 <= 100 ms and no errors at 200 requests/s for 60 s.

Corpus: ANT Corpus v2.1 multi-source (Chouigui, Ben Khiroun and Elayeb, "An Arabic Multi-source News
Corpus: Experimenting on Single-document Extractive Summarization", Arabian Journal for Science and
Engineering 46(8), 2021).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import socket
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path
from urllib.parse import urlencode

import httpx
import psutil
from machine import describe as machine  # benchmarks/ is on sys.path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_ANT = ROOT.parent / "shared" / "data" / "ant_multisource_v2.1.jsonl.gz"
QUERIES = [
    "الانتخابات",
    "بالانتخابات",
    "اللاجئين",
    "لاجئ",
    "النفط",
    "أسعار النفط",
    "المنتخب",
    "والمنتخبات",
    "كأس العالم",
    "الاقتصاد",
    "اقتصادية",
    "التكنولوجيا",
    "الهواتف الذكية",
    "سوريا",
    "السوريين",
    "الحكومة",
    "حكومات",
    "الرئيس الأمريكي",
    "مهرجان",
    "المهرجانات",
]
SERVER = """
import sys, uvicorn
from marsad.web import create_app
uvicorn.run(create_app(sys.argv[1]), host="127.0.0.1", port=int(sys.argv[2]), log_level="warning",
            access_log=False)
"""


def build_db(ant: Path, workdir: Path) -> Path:
    from marsad.ingest import ingest
    from marsad.store.db import Store

    path = workdir / "ant-web.db"
    if path.exists():
        return path
    workdir.mkdir(parents=True, exist_ok=True)
    partial = workdir / "ant-web.partial.db"
    for leftover in workdir.glob("ant-web.partial.db*"):
        leftover.unlink()
    print(f"ingesting {ant} into {path} (linked and indexed), once ...", flush=True)
    started = time.perf_counter()
    with Store(partial) as store:
        ingest([str(ant)], store, progress=sys.stderr.isatty())
        store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    partial.rename(path)
    index = Path(f"{partial}.index")
    if index.exists():
        index.rename(Path(f"{path}.index"))
    print(f"ingested in {time.perf_counter() - started:.0f} s", flush=True)
    return path


def sample_ids(db: Path, seed: int = 7) -> tuple[list[int], list[int], int]:
    from marsad.store import stories as story_rows
    from marsad.store.db import Store

    with Store(db) as store:
        articles = [r[0] for r in store.conn.execute("SELECT id FROM article WHERE hidden = 0")]
        stories = [s.id for s in story_rows.stories(store, 5000)]
    rng = random.Random(seed)
    return (
        rng.sample(articles, min(3000, len(articles))),
        rng.sample(stories, min(1000, len(stories))),
        len(articles),
    )


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(db: Path) -> tuple[subprocess.Popen, str]:
    port = free_port()
    process = subprocess.Popen([sys.executable, "-c", SERVER, str(db), str(port)])
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(base + "/api/v1/outlets", timeout=2).status_code == 200:
                return process, base
        except httpx.HTTPError:
            time.sleep(0.2)
    process.kill()
    raise SystemExit("the reader did not start")


def targets(articles: list[int], stories: list[int], count: int, seed: int = 11) -> list[tuple[str, str]]:
    rng = random.Random(seed)
    out = []
    for i in range(count):
        kind = ("home", "story", "article", "search")[i % 4]
        if kind == "home":
            out.append((kind, "/"))
        elif kind == "story":
            out.append((kind, f"/stories/{rng.choice(stories)}" if stories else "/stories"))
        elif kind == "article":
            out.append((kind, f"/articles/{rng.choice(articles)}"))
        else:
            out.append((kind, "/search?" + urlencode({"q": rng.choice(QUERIES)})))
    return out


class Connection:
    """One keep-alive HTTP/1.1 connection on raw asyncio streams: a load generator must cost far less than
    the server it measures (httpx's pool does not, at 200 requests/s on a shared core)."""

    def __init__(self, host: str, port: int):
        self.host, self.port = host, port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def get(self, path: str) -> int:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        request = f"GET {path} HTTP/1.1\r\nHost: {self.host}:{self.port}\r\nUser-Agent: marsad-bench\r\n\r\n"
        self.writer.write(request.encode())
        try:
            head = await self.reader.readuntil(b"\r\n\r\n")
            status = int(head.split(b" ", 2)[1])
            length = 0
            for line in head.split(b"\r\n")[1:]:
                if line.lower().startswith(b"content-length:"):
                    length = int(line.split(b":", 1)[1])
            await self.reader.readexactly(length)
            if b"connection: close" in head.lower():
                self.close()
            return status
        except (asyncio.IncompleteReadError, ConnectionError, ValueError):
            self.close()
            return 0

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None


async def load(
    base: str, plan: list[tuple[str, str]], rate: float, connections: int = 64
) -> tuple[dict, dict, float]:
    """Open loop: a dispatcher releases request i at start + i/rate into a queue that `connections`
    workers drain; latency runs from the moment a request was due to the end of its answer."""
    host, port = base.removeprefix("http://").split(":")
    latencies: dict[str, list[float]] = defaultdict(list)
    errors: dict[str, int] = defaultdict(int)
    queue: asyncio.Queue = asyncio.Queue()

    async def worker() -> None:
        connection = Connection(host, int(port))
        while True:
            item = await queue.get()
            if item is None:
                connection.close()
                return
            kind, path, due = item
            try:
                status = await asyncio.wait_for(connection.get(path), 30)
            except (TimeoutError, OSError):
                connection.close()
                status = 0
            latencies[kind].append(time.perf_counter() - due)
            if status != 200:
                errors[kind] += 1

    workers = [asyncio.create_task(worker()) for _ in range(connections)]
    start = time.perf_counter() + 0.2
    for i, (kind, path) in enumerate(plan):
        due = start + i / rate
        delay = due - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        queue.put_nowait((kind, path, due))
    for _ in workers:
        queue.put_nowait(None)
    await asyncio.gather(*workers)
    return latencies, errors, time.perf_counter() - start


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    k = min(len(ordered) - 1, max(0, round(p / 100 * (len(ordered) - 1))))
    return ordered[k]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--db", type=Path, help="an ANT database made by marsad ingest (linked and indexed)")
    parser.add_argument("--ant", type=Path, default=DEFAULT_ANT)
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/marsad-bench"))
    parser.add_argument("--rate", type=float, default=200.0, help="requests per second")
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--warmup", type=float, default=5.0, help="seconds of load before measuring")
    args = parser.parse_args()

    db = args.db or build_db(args.ant, args.workdir)
    articles, stories, visible = sample_ids(db)
    print(f"machine: {machine()}")
    print(
        f"database: {db} ({db.stat().st_size / 2**20:.0f} MiB, {visible} visible articles, {len(stories)} stories sampled)"
    )
    server, base = start_server(db)
    try:
        if args.warmup > 0:
            asyncio.run(
                load(base, targets(articles, stories, int(args.rate * args.warmup), seed=3), args.rate)
            )
        plan = targets(articles, stories, int(args.rate * args.seconds))
        cpu_before = psutil.Process(server.pid).cpu_times()
        latencies, errors, elapsed = asyncio.run(load(base, plan, args.rate))
        cpu_after = psutil.Process(server.pid).cpu_times()
        rss = psutil.Process(server.pid).memory_info().rss / 2**20
    finally:
        server.terminate()
        server.wait(10)
    server_cpu = (cpu_after.user + cpu_after.system - cpu_before.user - cpu_before.system) / elapsed
    total = sum(len(v) for v in latencies.values())
    print(
        f"load: {total} requests in {elapsed:.1f} s = {total / elapsed:.0f} req/s offered at {args.rate:.0f}/s "
        f"(open loop, latency from when each request was due); server CPU {server_cpu * 100:.0f}% of one core, "
        f"RSS {rss:.0f} MiB; load average after {', '.join(f'{x:.2f}' for x in os.getloadavg())}"
    )
    print(
        f"{'page':<8} {'requests':>8} {'errors':>6} {'p50 ms':>8} {'p90 ms':>8} {'p99 ms':>8} {'max ms':>8}"
    )
    everything: list[float] = []
    for kind in ("home", "story", "article", "search"):
        values = latencies.get(kind, [])
        everything += values
        print(
            f"{kind:<8} {len(values):>8} {errors.get(kind, 0):>6} {percentile(values, 50) * 1000:>8.1f} "
            f"{percentile(values, 90) * 1000:>8.1f} {percentile(values, 99) * 1000:>8.1f} "
            f"{max(values, default=float('nan')) * 1000:>8.1f}"
        )
    p99 = percentile(everything, 99) * 1000
    failures = sum(errors.values())
    print(
        f"{'all':<8} {len(everything):>8} {failures:>6} {percentile(everything, 50) * 1000:>8.1f} "
        f"{percentile(everything, 90) * 1000:>8.1f} {p99:>8.1f} {max(everything, default=float('nan')) * 1000:>8.1f}"
    )
    verdict = "met" if p99 <= 100 and failures == 0 else "NOT met"
    if args.rate < 200 or args.seconds < 60:
        verdict += " at this rate/duration (the goal is stated for 200 req/s over 60 s)"
    print(f"goal p99 <= 100 ms with 0 errors: {verdict}")
    print(
        "corpus: ANT Corpus v2.1 multi-source (Chouigui, Ben Khiroun and Elayeb, Arabian Journal for Science and"
    )
    print("Engineering 46(8), 2021)")


if __name__ == "__main__":
    main()
