"""SQLite and PostgreSQL side by side, in one run: ANT ingest (articles/s, linked and indexed as `marsad
ingest` does) into each, then reader latency (p50/p99, errors) at a fixed request rate with 1 and with 4
uvicorn web workers on each database (the open-loop load generator and page mix of benchmarks/web.py).

    .venv/bin/python benchmarks/postgres.py [--pg postgresql://user@host/postgres] [--lines 5000]
                                           [--rate 200] [--seconds 30] [--workers 1 4]

--pg names a server where the user may create databases (default: MARSAD_TEST_PG, else a throwaway server
started with scripts/pg-test-server.sh for the run). --lines: the first N lines of the ANT corpus
(../shared/data/ant_multisource_v2.1.jsonl.gz; 0 = all 31,525).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

sys.path.insert(0, str(Path(__file__).parent))

import psycopg  # noqa: E402
import web  # noqa: E402  (benchmarks/web.py: load, targets, percentile, ant_slice, sample_ids)

ROOT = Path(__file__).resolve().parents[1]
ANT = ROOT.parent / "shared" / "data" / "ant_multisource_v2.1.jsonl.gz"
KINDS = ("home", "story", "article", "search")
APP = """
import os
from marsad.web import create_app

def app():
    return create_app(os.environ["MARSAD_BENCH_DB"])
"""


def server(given: str | None, workdir: Path) -> tuple[str, Path | None]:
    if given or os.environ.get("MARSAD_TEST_PG"):
        return given or os.environ["MARSAD_TEST_PG"], None
    folder = workdir / "pg"
    url = subprocess.run(
        ["bash", str(ROOT / "scripts" / "pg-test-server.sh"), "start", str(folder)],
        check=True, capture_output=True, text=True,
    ).stdout.strip()  # fmt: skip
    return url, folder


def fresh_database(url: str, name: str) -> str:
    with psycopg.connect(url, autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        admin.execute(f"CREATE DATABASE {name}")
    return urlunsplit(urlsplit(url)._replace(path=f"/{name}"))


def ingest_rate(source: Path, db: str) -> tuple[int, float]:
    from marsad.ingest import ingest
    from marsad.store.db import Store

    started = time.perf_counter()
    with Store(db) as store:
        report = ingest([str(source)], store, progress=False)
        seconds = time.perf_counter() - started
        if not store.is_sqlite:
            store.conn.execute("ANALYZE")  # as autovacuum would soon: the reader's plans need statistics
    return report.new, seconds


def serve(db: str, workers: int, workdir: Path) -> tuple[subprocess.Popen, str]:
    (workdir / "bench_reader_app.py").write_text(APP, encoding="utf-8")
    port = web.free_port()
    command = [sys.executable, "-m", "uvicorn", "bench_reader_app:app", "--factory", "--app-dir", str(workdir),
               "--host", "127.0.0.1", "--port", str(port), "--workers", str(workers), "--log-level", "warning",
               "--no-access-log"]  # fmt: skip
    process = subprocess.Popen(command, env={**os.environ, "MARSAD_BENCH_DB": db})
    return process, web.wait_until_serving(process, port, f"the reader on {db} did not start")


def reader(db: str, workers: int, rate: float, seconds: float, workdir: Path) -> tuple[float, float, int]:
    articles, stories, _ = web.sample_ids(db)  # type: ignore[arg-type]
    plan = web.targets(articles, stories, int(rate * seconds))
    process, base = serve(db, workers, workdir)
    try:
        asyncio.run(web.load(base, plan[: int(rate * 2)], rate))  # warm-up: 2 s, not counted
        latencies, errors, _ = asyncio.run(web.load(base, plan, rate))
    finally:
        process.terminate()
        process.wait(30)
    every = [v for k in KINDS for v in latencies.get(k, [])]
    return web.percentile(every, 50) * 1000, web.percentile(every, 99) * 1000, sum(errors.values())


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--pg", help="a PostgreSQL server URL where databases may be created")
    parser.add_argument("--ant", type=Path, default=ANT)
    parser.add_argument("--lines", type=int, default=5000)
    parser.add_argument("--rate", type=float, default=200)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 4])
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="marsad-pg-bench-") as tmp:
        workdir = Path(tmp)
        os.chmod(workdir, 0o755)
        os.environ["MARSAD_DB"] = str(workdir / "default.db")  # the PostgreSQL archive's index goes beside it
        url, own = server(args.pg, workdir)
        try:
            run(args, workdir, url)
        finally:
            if own:
                subprocess.run(
                    ["bash", str(ROOT / "scripts" / "pg-test-server.sh"), "stop", str(own)], check=False
                )


def run(args: argparse.Namespace, workdir: Path, url: str) -> None:
    source = web.ant_slice(args.ant, workdir, 0, args.lines) if args.lines else args.ant
    databases = {"sqlite": str(workdir / "ant.db"), "postgresql": fresh_database(url, "marsad_bench")}
    print(
        f"ANT: {args.lines or 'all'} lines; server {url.rsplit('@', 1)[-1]}; {os.cpu_count()} CPUs",
        flush=True,
    )
    print(f"{'backend':<11} {'articles':>8} {'seconds':>8} {'articles/s':>10}")
    for name, db in databases.items():
        new, seconds = ingest_rate(source, db)
        print(f"{name:<11} {new:>8} {seconds:>8.1f} {new / seconds:>10.1f}", flush=True)
    print(f"\nreader at {args.rate:g} req/s for {args.seconds:g} s (home, story, article, search in turn)")
    print(f"{'backend':<11} {'workers':>7} {'p50 ms':>8} {'p99 ms':>8} {'errors':>6}")
    for name, db in databases.items():
        for workers in args.workers:
            p50, p99, errors = reader(db, workers, args.rate, args.seconds, workdir)
            print(f"{name:<11} {workers:>7} {p50:>8.1f} {p99:>8.1f} {errors:>6}", flush=True)


if __name__ == "__main__":
    main()
