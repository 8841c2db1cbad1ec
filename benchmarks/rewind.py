"""The bounded rewind (marsad.link.rewind): what a late article costs, against relinking the archive.

    .venv/bin/python benchmarks/rewind.py [--n 8000] [--hours 1 6 24 72 240]

N ANT articles (publication order, one per URL, from the corpus's busiest stretch) are linked in batches
of 100, as crawl rounds bring them, except one for each of --hours: the article published that many hours
before the last one. Each is then linked alone, in turn (a late page): the articles undone, the seconds
taken and whether it needed a full relink. Then the whole store is relinked (marsad.link.relink) for the
comparison, and the size of the rewind journal (link_meta rows) is printed.

Data: the ANT Corpus v2.1 multi-source (../shared/data/ant_multisource_v2.1.jsonl.gz).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "link"))

from antload import insert_ant, read_ant  # noqa: E402

from marsad.link import Linker, link_new, relink  # noqa: E402
from marsad.store import linkstate  # noqa: E402
from marsad.store.db import Store  # noqa: E402

ANT = ROOT.parent / "shared" / "data" / "ant_multisource_v2.1.jsonl.gz"
BATCH = 100  # a crawl round brings tens to hundreds
START = 12000  # where the busiest weeks of ANT begin, in publication order


def articles(n: int) -> list[dict]:
    rows = sorted(read_ant(ANT), key=lambda r: (datetime.fromisoformat(r["published"]), r["url"]))
    seen: set[str] = set()
    out = []
    for row in rows[START:]:
        if row["url"] not in seen:
            seen.add(row["url"])
            out.append(row)
        if len(out) == n:
            break
    return out


def journal_size(store: Store) -> tuple[int, float]:
    row = store.conn.execute(
        "SELECT count(*), coalesce(sum(length(value)), 0) FROM link_meta WHERE key LIKE 'undo:%'"
    ).fetchone()
    return row[0], row[1] / 1e6


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=8000)
    parser.add_argument("--hours", type=float, nargs="+", default=[1, 6, 24, 72, 240])
    args = parser.parse_args()
    rows = articles(args.n)
    last = datetime.fromisoformat(rows[-1]["published"])
    late = []
    for hours in sorted(args.hours):
        when = last - timedelta(hours=hours)
        late.append(min(rows, key=lambda r: abs(datetime.fromisoformat(r["published"]) - when)))
    on_time = [r for r in rows if r not in late]
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(Path(tmp) / "rewind.db")
        ids = linkstate.in_link_order(store, insert_ant(store, on_time))
        linker = Linker(store)
        started = time.perf_counter()
        for start in range(0, len(ids), BATCH):
            link_new(store, ids[start : start + BATCH], linker)
        seconds = time.perf_counter() - started
        epochs, mb = journal_size(store)
        print(
            f"{len(ids)} ANT articles linked in batches of {BATCH}: {len(ids) / seconds:.0f} articles/s"
            f" ({seconds:.1f} s); rewind journal {epochs} epochs, {mb:.1f} MB"
        )
        for hours, row in zip(sorted(args.hours), late, strict=True):
            (article,) = insert_ant(store, [row])
            started = time.perf_counter()
            report = link_new(store, [article], linker)
            seconds = time.perf_counter() - started
            how = (
                "a full relink"
                if report.relinked_all
                else f"{report.undone} articles undone and linked again"
            )
            print(f"  an article {hours:g} h late: {seconds:.1f} s, {how}")
        linker.close()
        n = store.conn.execute("SELECT count(*) FROM article").fetchone()[0]
        started = time.perf_counter()
        relink(store)
        seconds = time.perf_counter() - started
        print(f"  relink of the {n} articles: {seconds:.1f} s ({n / seconds:.0f} articles/s)")
        print(f"  load average 1/5/15 min {'/'.join(f'{x:.1f}' for x in os.getloadavg())}")
        store.close()


if __name__ == "__main__":
    main()
