"""What accounts cost the reader: a sign-in (one scrypt hash), the session lookup every signed-in request
makes, and the shared pages (home, stories, an article) served anonymously and to a signed-in reader, whose
copy carries its name and CSRF token and is cached apart.

The demo corpus is ingested once into --workdir with --accounts accounts besides the admin. Each request is
made --repeat times by one client in the same process (FastAPI's TestClient: no network, one request at a
time) after one warm-up; the median and slowest milliseconds are printed.

    .venv/bin/python benchmarks/accounts.py [--accounts 10000] [--repeat 50] [--workdir DIR]
"""

from __future__ import annotations

import argparse
import re
import statistics
import tempfile
import time
from pathlib import Path

from fastapi.testclient import TestClient

from marsad.store import accounts, reports
from marsad.store.db import Store
from marsad.web import create_app

PASSWORD = "benchmark password"


def build(path: Path, count: int) -> None:
    from marsad.demo import ingest_targets
    from marsad.ingest import ingest

    with Store(path) as store:
        ingest(ingest_targets(), store, progress=False)
        reports.set_admin_password(store, PASSWORD)
        password = accounts.hash_password(PASSWORD)  # one hash for all: scrypt is not what is measured here
        with store.transaction() as conn:
            conn.executemany(
                "INSERT INTO account(name, role, password, created_at, generation) VALUES (?, ?, ?, ?, ?)",
                [(f"reader{n}", "reader", password, "2026-12-06T00:00:00Z", f"g{n}") for n in range(count)],
            )


def timed(call, repeat: int) -> tuple[float, float]:
    call()  # warm-up: caches, first connection of the thread
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        call()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), max(times)


def sign_in(client: TestClient, name: str) -> int:
    csrf = re.search(r'name="csrf" value="([^"]+)"', client.get("/login").text).group(1)
    return client.post("/login", data={"csrf": csrf, "name": name, "password": PASSWORD}).status_code


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--accounts", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=50)
    parser.add_argument("--workdir", type=Path, default=Path(tempfile.gettempdir()) / "marsad-bench-accounts")
    args = parser.parse_args()
    args.workdir.mkdir(parents=True, exist_ok=True)
    path = args.workdir / f"accounts-{args.accounts}.db"
    if not path.exists():
        build(path, args.accounts)
    app = create_app(path)
    name = f"reader{args.accounts // 2}"
    rows = []
    signing = TestClient(app, follow_redirects=False)
    rows.append(
        ("sign-in (POST /login, scrypt)", timed(lambda: sign_in(signing, name), min(args.repeat, 20)))
    )
    anonymous = TestClient(app, follow_redirects=False)
    reader = TestClient(app, follow_redirects=False)
    assert sign_in(reader, name) == 303
    r = app.state.reader
    with Store(path) as store:
        row = accounts.by_name(store, name)
        assert row is not None
        account_id, generation = row.id, row.generation
    rows.append(
        (
            "session lookup (store.accounts.session_account)",
            timed(lambda: accounts.session_account(r.store, account_id, generation), args.repeat * 20),
        )
    )
    article = r.store.conn.execute("SELECT min(id) FROM article").fetchone()[0]
    for page in ("/", "/stories", f"/articles/{article}", "/account"):
        if page != "/account":
            rows.append((f"{page} anonymous", timed(lambda p=page: anonymous.get(p), args.repeat)))
        rows.append((f"{page} signed in", timed(lambda p=page: reader.get(p), args.repeat)))
    print(f"{args.accounts + 1} accounts; median (slowest) ms over {args.repeat} requests")
    for label, (median, slowest) in rows:
        print(f"{label:55} {median:8.2f} ({slowest:.2f})")


if __name__ == "__main__":
    main()
