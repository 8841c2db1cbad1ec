"""The ANT corpus ingested twice (corpus: Chouigui, Ben Khiroun and Elayeb, AJSE 46(8), 2021; see README).

31,525 lines, 30,338 distinct URLs: the same article filed under two categories is one row with both
categories; of the 63 URLs whose copies differ in text, the later line's text is kept; the two lines with
empty text (both for one France 24 URL) are two failure rows, so that URL has no article.
"""

from __future__ import annotations

import gzip
import json
import sqlite3
from pathlib import Path

import pytest

from marsad.ingest import ingest
from marsad.store.articles import content_hash, outlet_counts
from marsad.store.db import Store

pytestmark = pytest.mark.realdata

ARTICLES_PER_OUTLET = {
    "Al Arabiya": 6511,
    "BBC Arabic": 3799,
    "CNN Arabic": 3461,
    "France 24": 2869,
    "Sky News Arabia": 13697,
}


def test_ant_counts_per_outlet(ant_db: Path) -> None:
    with Store(ant_db, readonly=True) as store:
        assert outlet_counts(store) == ARTICLES_PER_OUTLET
        assert store.conn.execute("SELECT count(*) FROM article").fetchone()[0] == 30337
        names = store.conn.execute("SELECT key, name FROM source ORDER BY key").fetchall()
        assert [tuple(r) for r in names] == [
            ("alarabiya.net", "العربية"),
            ("arabic.cnn.com", "سي إن إن بالعربية"),
            ("bbc.co.uk/arabic", "بي بي سي عربي"),
            ("france24.com/ar", "فرانس 24"),
            ("skynewsarabia.com", "سكاي نيوز عربية"),
        ]


def test_ant_empty_texts_are_failure_rows(ant_db: Path) -> None:
    conn = sqlite3.connect(ant_db)
    rows = conn.execute("SELECT origin, url, stage, reason FROM failure ORDER BY origin").fetchall()
    url = "http://www.france24.com/ar/20180629-مونديال-2018-مرحلة-المجموعات-أرقام"
    assert [(Path(o).name, u, s, r) for o, u, s, r in rows] == [
        ("ant_multisource_v2.1.jsonl.gz:15127", url, "extract", "the record's text is empty"),
        ("ant_multisource_v2.1.jsonl.gz:17654", url, "extract", "the record's text is empty"),
    ]
    assert conn.execute("SELECT count(*) FROM article WHERE url = ?", (url,)).fetchone()[0] == 0


def _corpus_duplicates(ant_path: Path) -> dict[str, list[dict]]:
    copies: dict[str, list[dict]] = {}
    with gzip.open(ant_path, "rt", encoding="utf-8") as handle:
        for line in handle:
            row = json.loads(line)
            copies.setdefault(row["url"], []).append(row)
    return {url: rows for url, rows in copies.items() if len(rows) > 1}


def test_ant_duplicates_merged_and_later_text_kept(ant_db: Path, ant_path: Path) -> None:
    duplicates = _corpus_duplicates(ant_path)
    assert len(duplicates) == 1180
    differing = {u: rows for u, rows in duplicates.items() if len({r["text"] for r in rows}) > 1}
    assert len(differing) == 63
    conn = sqlite3.connect(ant_db)
    for url, rows in differing.items():
        title, body, categories = conn.execute(
            "SELECT title, body, categories FROM article WHERE url = ?", (url,)
        ).fetchone()
        later = rows[-1]
        assert body == "\n".join(p for p in later["text"].split("\n") if p.strip())  # as published
        assert title == later["title"]
        assert json.loads(categories) == list(dict.fromkeys(r["category"] for r in rows))
    sizes = conn.execute(
        "SELECT json_array_length(categories), count(*) FROM article GROUP BY 1 ORDER BY 1"
    ).fetchall()
    # 1,180 URLs have 2 or 3 lines: 11 repeat one category, the empty-text URL has no article.
    assert sizes == [(1, 29169), (2, 1161), (3, 7)]


def test_ant_hashes_match_stored_text(ant_db: Path) -> None:
    conn = sqlite3.connect(ant_db)
    bad = [
        row[0]
        for row in conn.execute("SELECT id, title, body, content_hash FROM article")
        if content_hash(row[1], row[2]) != row[3]
    ]
    assert bad == []


def test_ant_second_run_is_all_unchanged(ant_db: Path, ant_path: Path, tmp_path: Path) -> None:
    copy = tmp_path / "ant.db"
    copy.write_bytes(ant_db.read_bytes())
    with Store(copy) as store:
        report = ingest([str(ant_path)], store, progress=False, link=False, index=False)
        assert (report.new, report.updated, report.unchanged, report.failed) == (0, 0, 30337, 2)
        assert store.conn.execute("SELECT count(*), sum(seen_count) FROM failure").fetchone()[:] == (2, 4)
        assert outlet_counts(store) == ARTICLES_PER_OUTLET
