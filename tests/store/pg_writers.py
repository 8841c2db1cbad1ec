"""The two writer processes of test_postgres.py: `ingest URL FOLDER ROUNDS` stores the HTML pages of FOLDER
in ROUNDS ingests (a crawl writing articles); `report URL COUNT` files COUNT reports from distinct readers
on the articles stored so far, as they appear (the reader's web workers). Each prints its tally as JSON."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from marsad.ingest import ingest
from marsad.store import reports
from marsad.store.db import Store


def ingest_rounds(url: str, folder: str, rounds: int) -> dict:
    pages = sorted(str(p) for p in Path(folder).glob("*.html"))
    step = -(-len(pages) // rounds)
    new = 0
    with Store(url) as store:
        for i in range(0, len(pages), step):
            new += ingest(pages[i : i + step], store, progress=False, link=True, index=False).new
    return {"new": new}


def report_many(url: str, count: int) -> dict:
    outcomes: dict[str, int] = {}
    with Store(url) as store:
        filed = 0
        while filed < count:
            ids = [r[0] for r in store.conn.execute("SELECT id FROM article ORDER BY id")]
            if not ids:
                time.sleep(0.01)
                continue
            article = ids[filed % len(ids)]
            outcome = reports.add_report(
                store, article, f"reader-{filed}", "خبر مضلل", threshold=3, global_limit=10**6, burst=10**6
            )
            outcomes[outcome.status] = outcomes.get(outcome.status, 0) + 1
            filed += 1
    return outcomes


if __name__ == "__main__":
    role, url, *rest = sys.argv[1:]
    if role == "ingest":
        print(json.dumps(ingest_rounds(url, rest[0], int(rest[1]))))
    else:
        print(json.dumps(report_many(url, int(rest[0]))))
