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

    .venv/bin/python benchmarks/web.py --ingest-beside [--base-lines 10000] [--ingest-lines 12000]
                                       [--rate 50] [--seconds 30]

With --ingest-beside (issue 20): the first --base-lines ANT lines are ingested (linked and indexed) once
into --workdir; each run serves a fresh copy of that archive with `marsad serve` and requests a mix of pages
and /api/v1 routes, first --seconds without an ingest, then while `marsad ingest` (its own process, linking
and indexing) adds the next --ingest-lines lines to the same database; latency and errors of both phases.
Goal (issue 20): p99 <= 300 ms and 0 errors during the ingest.

Corpus: ANT Corpus v2.1 multi-source (Chouigui, Ben Khiroun and Elayeb, "An Arabic Multi-source News
Corpus: Experimenting on Single-document Extractive Summarization", Arabian Journal for Science and
Engineering 46(8), 2021).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import shutil
import socket
import subprocess
import sys
import time
from collections import defaultdict
from collections.abc import Callable
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
    return process, wait_until_serving(process, port, "the reader did not start")


def wait_until_serving(process: subprocess.Popen, port: int, failure: str) -> str:
    """The base URL of the reader `process` serves on `port`, once it answers (60 s at most)."""
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(base + "/api/v1/outlets", timeout=2).status_code == 200:
                return base
        except httpx.HTTPError:
            time.sleep(0.2)
    process.kill()
    raise SystemExit(failure)


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
    base: str,
    plan: list[tuple[str, str]],
    rate: float,
    connections: int = 64,
    stop: Callable[[], bool] | None = None,
) -> tuple[dict, dict, float]:
    """Open loop: a dispatcher releases request i at start + i/rate into a queue that `connections`
    workers drain; latency runs from the moment a request was due to the end of its answer. With `stop`,
    no request is released once stop() is true (the plan may be longer than needed)."""
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
            latencies["@"].append((due - start, latencies[kind][-1]))  # the timeline: (offset, latency)
            if status != 200:
                errors[kind] += 1

    workers = [asyncio.create_task(worker()) for _ in range(connections)]
    start = time.perf_counter() + 0.2
    for i, (kind, path) in enumerate(plan):
        due = start + i / rate
        delay = due - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        if stop is not None and stop():
            break
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


# --- --ingest-beside ---------------------------------------------------------------------------------------

BESIDE_KINDS = ("home", "article", "story", "search", "api-art", "api-story", "api-srch", "api-list")


def ant_slice(ant: Path, workdir: Path, first: int, count: int) -> Path:
    """ANT lines [first, first + count) as a JSON-lines file in workdir (made once)."""
    import gzip

    path = workdir / f"ant-{first}-{first + count}.jsonl"
    if not path.exists():
        workdir.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(".partial")
        with gzip.open(ant, "rt", encoding="utf-8") as source, partial.open("w", encoding="utf-8") as out:
            for i, line in enumerate(source):
                if i >= first + count:
                    break
                if i >= first:
                    out.write(line)
        partial.rename(path)
    return path


def build_base(ant: Path, workdir: Path, lines: int) -> Path:
    """The first `lines` ANT lines, ingested (linked and indexed) once into workdir."""
    from marsad.ingest import ingest
    from marsad.store.db import Store

    path = workdir / f"ant-base-{lines}.db"
    if path.exists():
        return path
    source = ant_slice(ant, workdir, 0, lines)
    partial = workdir / f"ant-base-{lines}.partial.db"
    for leftover in workdir.glob(f"{partial.name}*"):
        shutil.rmtree(leftover) if leftover.is_dir() else leftover.unlink()
    print(f"ingesting ANT lines 0-{lines} into {path} (linked and indexed), once ...", flush=True)
    started = time.perf_counter()
    with Store(partial) as store:
        ingest([str(source)], store, progress=False)
        store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    Path(f"{partial}.index").rename(Path(f"{path}.index"))
    partial.rename(path)
    print(f"ingested in {time.perf_counter() - started:.0f} s", flush=True)
    return path


def fresh_copy(base: Path, workdir: Path) -> Path:
    """A copy of the base archive (database and index) for one run: the ingest writes into it."""
    run = workdir / "beside-run.db"
    for old in workdir.glob("beside-run.db*"):
        shutil.rmtree(old) if old.is_dir() else old.unlink()
    shutil.copyfile(base, run)
    shutil.copytree(Path(f"{base}.index"), Path(f"{run}.index"))
    return run


def mixed_targets(
    articles: list[int], stories: list[int], count: int, seed: int = 11
) -> list[tuple[str, str]]:
    """Pages and API routes in turn: home, article, story and search pages; an article, a story, a search
    and the latest articles from /api/v1."""
    rng = random.Random(seed)
    out = []
    for i in range(count):
        kind = BESIDE_KINDS[i % len(BESIDE_KINDS)]
        if kind in ("search", "api-srch"):
            query = urlencode({"q": rng.choice(QUERIES)})
            path = f"/search?{query}" if kind == "search" else f"/api/v1/search?{query}"
        elif kind in ("article", "api-art"):
            path = ("/articles/" if kind == "article" else "/api/v1/articles/") + str(rng.choice(articles))
        elif kind in ("story", "api-story"):
            path = ("/stories/" if kind == "story" else "/api/v1/stories/") + str(rng.choice(stories))
        else:
            path = "/" if kind == "home" else "/api/v1/articles?limit=30"
        out.append((kind, path))
    return out


def marsad_command() -> list[str]:
    script = Path(sys.executable).parent / "marsad"
    return [str(script)] if script.exists() else [sys.executable, "-c", "from marsad.cli import main; main()"]


def start_marsad_serve(db: Path, log: Path) -> tuple[subprocess.Popen, str]:
    port = free_port()
    with log.open("w") as out:
        process = subprocess.Popen(
            [*marsad_command(), "serve", "--db", str(db), "--port", str(port)], stdout=out, stderr=out
        )
    return process, wait_until_serving(process, port, f"marsad serve did not start (see {log})")


def table(title: str, latencies: dict, errors: dict, kinds: tuple[str, ...]) -> tuple[float, int]:
    print(title)
    print(
        f"  {'route':<9} {'requests':>8} {'errors':>6} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'max ms':>8}"
    )
    everything: list[float] = []
    for kind in (*kinds, "all"):
        values = everything if kind == "all" else latencies.get(kind, [])
        fails = sum(errors.values()) if kind == "all" else errors.get(kind, 0)
        if kind != "all":
            everything += values
        print(
            f"  {kind:<9} {len(values):>8} {fails:>6} {percentile(values, 50) * 1000:>8.1f} "
            f"{percentile(values, 95) * 1000:>8.1f} {percentile(values, 99) * 1000:>8.1f} "
            f"{max(values, default=float('nan')) * 1000:>8.1f}"
        )
    return percentile(everything, 99) * 1000, sum(errors.values())


def cpu_seconds(process: psutil.Process) -> float:
    try:
        total = process.cpu_times()
        seconds = total.user + total.system
        for child in process.children(recursive=True):
            times = child.cpu_times()
            seconds += times.user + times.system
        return seconds
    except psutil.Error:
        return float("nan")


def beside(args: argparse.Namespace) -> None:
    workdir = args.workdir
    base = build_base(args.ant, workdir, args.base_lines)
    more = ant_slice(args.ant, workdir, args.base_lines, args.ingest_lines)
    db = fresh_copy(base, workdir)
    articles, stories, visible = sample_ids(db)
    print(f"machine: {machine()}")
    print(
        f"archive: the first {args.base_lines} ANT lines ({visible} visible articles, {len(stories)} stories "
        f"sampled), served by `marsad serve` from a fresh copy {db}"
    )
    server, url = start_marsad_serve(db, workdir / "beside-serve.log")
    server_ps = psutil.Process(server.pid)
    ingest: subprocess.Popen | None = None
    # --hogs: busy processes for the whole run, standing in for whatever else a small server runs
    hogs = [subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(args.hogs)]
    if hogs:
        print(f"{len(hogs)} busy-loop processes (nice 0) run beside, in both phases")
    try:
        if args.warmup > 0:
            asyncio.run(
                load(url, mixed_targets(articles, stories, int(args.rate * args.warmup), seed=3), args.rate)
            )
        cpu = cpu_seconds(server_ps)
        quiet = asyncio.run(
            load(url, mixed_targets(articles, stories, int(args.rate * args.seconds)), args.rate)
        )
        quiet_cpu = (cpu_seconds(server_ps) - cpu) / quiet[2]
        load_quiet = os.getloadavg()

        command = [*marsad_command(), "ingest", "--db", str(db), str(more)]
        if args.ingest_nice:
            command = ["nice", "-n", str(args.ingest_nice), *command]
        print(f"ingest beside: {' '.join(command)}", flush=True)
        cpu = cpu_seconds(server_ps)
        started = time.perf_counter()
        with (workdir / "beside-ingest.log").open("w") as out:
            ingest = subprocess.Popen(command, stdout=out, stderr=out)
        ingest_ps = psutil.Process(ingest.pid)
        ingest_cpu = [0.0]

        def ingest_done() -> bool:
            seconds = cpu_seconds(ingest_ps)
            if seconds == seconds:  # not nan: still there
                ingest_cpu[0] = max(ingest_cpu[0], seconds)
            return ingest.poll() is not None

        plan = mixed_targets(articles, stories, int(args.rate * args.max_ingest_seconds), seed=13)
        during = asyncio.run(load(url, plan, args.rate, stop=ingest_done))
        during_cpu = (cpu_seconds(server_ps) - cpu) / during[2]
        load_during = os.getloadavg()
        code = ingest.wait(600)
        ingest_wall = time.perf_counter() - started
        rss = server_ps.memory_info().rss / 2**20
    finally:
        if ingest is not None and ingest.poll() is None:
            ingest.terminate()
            ingest.wait(30)
        server.terminate()
        server.wait(10)
        for hog in hogs:
            hog.kill()
            hog.wait()
    after = visible_articles(db)
    print(
        f"ingest: exit {code}, {ingest_wall:.1f} s wall, {ingest_cpu[0]:.1f} CPU-s (with its workers), "
        f"{after - visible} articles added ({after} visible); server RSS {rss:.0f} MiB"
    )
    print(
        f"load: open loop at {args.rate:.0f} requests/s (latency from when each request was due), "
        f"{len(BESIDE_KINDS)} routes in turn"
    )
    p99_quiet, fails_quiet = table(
        f"without an ingest: {quiet[2]:.1f} s, server CPU {quiet_cpu * 100:.0f}% of one core, load average "
        f"{', '.join(f'{x:.2f}' for x in load_quiet)}",
        quiet[0],
        quiet[1],
        BESIDE_KINDS,
    )
    p99, fails = table(
        f"during the ingest: {during[2]:.1f} s, server CPU {during_cpu * 100:.0f}% of one core, load average "
        f"{', '.join(f'{x:.2f}' for x in load_during)}",
        during[0],
        during[1],
        BESIDE_KINDS,
    )
    slow = defaultdict(list)
    for offset, latency in during[0]["@"]:
        if latency > 0.3:
            slow[int(offset)].append(latency)
    if slow:
        print(
            "  seconds into the ingest with answers over 300 ms (count, worst): "
            + ", ".join(f"{t} s ({len(v)}, {max(v) * 1000:.0f} ms)" for t, v in sorted(slow.items()))
        )
    verdict = "met" if p99 <= 300 and fails == 0 and code == 0 else "NOT met"
    print(f"goal p99 <= 300 ms with 0 errors during the ingest: {verdict} (without: p99 {p99_quiet:.0f} ms)")


def visible_articles(db: Path) -> int:
    from marsad.store.db import Store

    with Store(db) as store:
        return store.conn.execute("SELECT count(*) FROM article WHERE hidden = 0").fetchone()[0]


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
    parser.add_argument(
        "--ingest-beside", action="store_true", help="measure with and without `marsad ingest` beside"
    )
    parser.add_argument("--base-lines", type=int, default=10_000, help="ANT lines in the served archive")
    parser.add_argument("--ingest-lines", type=int, default=12_000, help="ANT lines ingested beside")
    parser.add_argument("--max-ingest-seconds", type=float, default=600.0)
    parser.add_argument("--ingest-nice", type=int, default=0, help="run the ingest under nice -n N")
    parser.add_argument("--hogs", type=int, default=0, help="busy-loop processes beside, both phases")
    args = parser.parse_args()
    if args.ingest_beside:
        if args.rate == 200.0 and "--rate" not in sys.argv:
            args.rate = 50.0
        if args.seconds == 60.0 and "--seconds" not in sys.argv:
            args.seconds = 30.0
        beside(args)
        return

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
    total = sum(len(v) for k, v in latencies.items() if k != "@")
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
