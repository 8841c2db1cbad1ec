"""What a database holds, in a few counts, and whether that is just what `marsad demo` put there.

The demo builds its database afresh on every run, in the same file every other command reads. It may only
replace a database that is empty or still exactly its own: when it has ingested, it writes a marker (the
`demo` row of the `setting` table) holding the counts below as they were then. Any ingest, crawl or outlet
added since changes a count (a new article takes a new id), so the database is no longer the demo's.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Collection

from marsad.store.db import Store
from marsad.store.reports import get_setting, set_setting

DEMO_MARKER = "demo"
BUILDING = "building"

# What an operator may have put in an archive: name -> (table, query). Readers' reports on the demo's
# articles are not counted: they are part of trying the demo, and go with it.
_COUNTS = {
    "articles": ("article", "SELECT count(*) FROM article"),
    "last_article": ("article", "SELECT coalesce(max(id), 0) FROM article"),
    "failures": ("failure", "SELECT count(*) FROM failure"),
    "feeds": ("crawl_feed", "SELECT count(*) FROM crawl_feed"),
    "queued": ("crawl_queue", "SELECT count(*) FROM crawl_queue"),
}


def holdings(store: Store) -> dict[str, int]:
    """The counts of `_COUNTS` (0 for a table an older or empty database lacks)."""
    tables = store.tables()
    return {
        name: store.conn.execute(query).fetchone()[0] if table in tables else 0
        for name, (table, query) in _COUNTS.items()
    }


def is_empty(counts: dict[str, int]) -> bool:
    return not any(counts.values())


def mark_demo(store: Store, *, building: bool = False) -> None:
    """Note that the database holds the demo's articles and nothing else: once the demo has ingested, or,
    with `building`, before it starts (a demo stopped halfway leaves a database the next demo may replace)."""
    set_setting(store, DEMO_MARKER, BUILDING if building else json.dumps(holdings(store), sort_keys=True))


def is_demo(store: Store, demo_origins: Collection[str]) -> bool:
    """Whether the database holds what the demo put there and nothing added since. A demo stopped halfway
    (its marker still BUILDING) counts only while everything in it came from the demo's own pages
    (`demo_origins`): an ingest or a crawl into it since makes it the operator's."""
    try:
        marker = get_setting(store, DEMO_MARKER)
    except sqlite3.OperationalError:  # no `setting` table: not a database the demo made
        return False
    if marker is None:
        return False
    if marker == BUILDING:
        return _only_from(store, set(demo_origins))
    try:
        noted = json.loads(marker)
    except ValueError:
        return False
    return bool(noted == holdings(store))


def _only_from(store: Store, origins: set[str]) -> bool:
    counts = holdings(store)
    if counts["feeds"] or counts["queued"]:
        return False
    found = {row[0] for row in store.conn.execute("SELECT DISTINCT origin FROM article")}
    found |= {row[0] for row in store.conn.execute("SELECT DISTINCT origin FROM failure")}
    return found <= origins
