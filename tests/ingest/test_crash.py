"""Crash safety: `marsad ingest` of the ANT corpus killed with SIGKILL at seeded random moments.

After each kill the database passes `PRAGMA integrity_check`, every committed article's content_hash
matches its stored title and body, and a final rerun ends with exactly what an uninterrupted run stores
(the `ant_db` fixture). Linking and indexing are off: this is about the store's batches.
"""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from marsad.store.articles import content_hash

pytestmark = pytest.mark.realdata

KILLS = 3
SEED = 20180920

pytestmark = pytest.mark.sqlite_only("runs marsad in a subprocess on a SQLite file")


def _command(ant_path: Path, db: Path) -> list[str]:
    return [
        sys.executable,
        "-m",
        "marsad.cli",
        "ingest",
        str(ant_path),
        "--db",
        str(db),
        "--no-link",
        "--no-index",
    ]


def _count(db: Path) -> int:
    if not db.exists():
        return 0
    try:
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5)
        try:
            return conn.execute("SELECT count(*) FROM article").fetchone()[0]
        finally:
            conn.close()
    except sqlite3.OperationalError:  # schema not created yet
        return 0


def _kill_while_writing(command: list[str], db: Path, rng: random.Random, before: int) -> int:
    """Start the run, wait until it has committed past `before`, let it go on a random while, SIGKILL it."""
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 120
        while _count(db) <= before:
            assert process.poll() is None, "the run ended before it was killed"
            assert time.monotonic() < deadline, "the run made no progress"
            time.sleep(0.05)
        time.sleep(rng.uniform(0.0, 1.5))
    finally:
        os.kill(process.pid, signal.SIGKILL)
        process.wait()
    assert process.returncode == -signal.SIGKILL
    return _count(db)


def _check_intact(db: Path) -> None:
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        broken = [
            row[0]
            for row in conn.execute("SELECT id, title, body, content_hash FROM article")
            if content_hash(row[1], row[2]) != row[3]
        ]
        assert broken == []
    finally:
        conn.close()


def _final_state(db: Path) -> tuple[set, list]:
    conn = sqlite3.connect(db)
    try:
        articles = set(conn.execute("SELECT url, content_hash, categories, published FROM article"))
        failures = sorted(conn.execute("SELECT origin, url, stage, reason FROM failure"))
        return articles, failures
    finally:
        conn.close()


def test_sigkill_mid_ingest_loses_only_the_open_batch(ant_path: Path, ant_db: Path, tmp_path: Path) -> None:
    db = tmp_path / "crash.db"
    command = _command(ant_path, db)
    rng = random.Random(SEED)
    counts = [0]
    for _ in range(KILLS):
        counts.append(_kill_while_writing(command, db, rng, counts[-1]))
        _check_intact(db)
    assert counts == sorted(counts) and counts[-1] < 30337, counts
    finished = subprocess.run(command, capture_output=True, text=True, timeout=600)
    assert finished.returncode == 0, finished.stderr
    _check_intact(db)
    articles, failures = _final_state(db)
    expected_articles, expected_failures = _final_state(ant_db)
    assert len(articles) == 30337
    assert articles == expected_articles
    assert [f[1:] for f in failures] == [f[1:] for f in expected_failures]
