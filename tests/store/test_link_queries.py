"""The link area's reads find their rows through the thread's or the story's own index, never by walking
the article or event table: reading a timeline or a story must not cost more as the archive grows."""

from __future__ import annotations

import sqlite3

import pytest

from marsad.store import stories, threads
from marsad.store.db import Store, migrations

pytestmark = pytest.mark.sqlite_only("reads SQLite's query plans")


def _plans(store: Store, read) -> list[str]:
    """Every step of the query plans of the SELECTs `read` runs."""
    statements: list[str] = []
    store.conn.set_trace_callback(statements.append)
    try:
        read()
    finally:
        store.conn.set_trace_callback(None)
    selects = [s for s in statements if s.lstrip().upper().startswith("SELECT")]
    assert selects, "the read ran no SELECT"
    return [step[3] for sql in selects for step in store.conn.execute("EXPLAIN QUERY PLAN " + sql)]


def test_timeline_and_story_reads_walk_their_own_index(tmp_path):
    store = Store(tmp_path / "plans.db")
    steps = _plans(store, lambda: threads.timeline(store, 1))
    assert any("event_thread (thread_id=?)" in s for s in steps), steps
    assert not [s for s in steps if s.startswith("SCAN")], steps
    steps = _plans(store, lambda: stories.thread_stories(store, 1))
    assert not [s for s in steps if s.startswith("SCAN") and "subquery" not in s], steps  # a story's own rows


def test_a_database_that_skipped_005_gets_its_index(tmp_path):
    # 006 was recorded by some databases before 005 existed: the runner never applies a lower number.
    path = tmp_path / "skipped.db"
    conn = sqlite3.connect(path)  # such a database: 001-004 and 006 applied and recorded, 005 never
    conn.execute(
        "CREATE TABLE schema_version (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT)"
    )
    for number, name, sql in migrations():
        if number <= 6 and number != 5:
            conn.executescript(sql)
            conn.execute("INSERT INTO schema_version(version, name) VALUES (?, ?)", (number, name))
    conn.commit()
    conn.close()
    with Store(path) as store:
        assert store.schema_version() == migrations()[-1][0]
        names = [r[0] for r in store.conn.execute("SELECT name FROM sqlite_master WHERE type = 'index'")]
        assert "article_search_state" in names
        assert "lsh_band" not in [r[0] for r in store.conn.execute("SELECT name FROM sqlite_master")]
