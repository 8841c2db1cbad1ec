"""Reading ANT articles and putting them (and planted reposts) in a store, for the link tests and benchmark."""

from __future__ import annotations

import gzip
import hashlib
import json
from collections.abc import Iterator
from email.utils import parsedate_to_datetime
from pathlib import Path

from marsad.store.db import Store

ANT_OUTLETS = {
    "alarabia": ("العربية", "Al Arabiya"),
    "BBC": ("بي بي سي عربي", "BBC Arabic"),
    "CNN": ("سي إن إن بالعربية", "CNN Arabic"),
    "france24": ("فرانس 24", "France 24"),
    "skynews": ("سكاي نيوز عربية", "Sky News Arabia"),
}


def read_ant(path: Path, limit: int | None = None) -> Iterator[dict]:
    """ANT rows with `published` as ISO 8601 and `paragraphs` as a list."""
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        for i, line in enumerate(fh):
            if limit is not None and i >= limit:
                break
            row = json.loads(line)
            row["published"] = parsedate_to_datetime(row["time"]).isoformat()
            row["paragraphs"] = [p for p in row["text"].split("\n") if p.strip()]
            yield row


def source_id(store: Store, key: str, name: str, latin: str | None = None, aggregator: bool = False) -> int:
    row = store.conn.execute("SELECT id FROM source WHERE key = ?", (key,)).fetchone()
    if row:
        return row[0]
    cur = store.conn.execute(
        "INSERT INTO source(key, name, name_latin, is_aggregator) VALUES (?, ?, ?, ?)",
        (key, name, latin, int(aggregator)),
    )
    return cur.lastrowid


def insert_article(
    store: Store,
    *,
    url: str,
    title: str,
    paragraphs: list[str],
    published: str | None,
    source: int,
    original_outlet: str | None = None,
    original_url: str | None = None,
    fetched_at: str | None = None,
) -> int:
    body = "\n".join(paragraphs)
    digest = hashlib.sha256((title + "\n" + body).encode()).hexdigest()
    cur = store.conn.execute(
        "INSERT OR IGNORE INTO article(url, source_id, title, body, published, original_outlet, original_url,"
        " content_hash, fetched_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (url, source, title, body, published, original_outlet, original_url, digest, fetched_at),
    )
    return cur.lastrowid if cur.rowcount else None


def insert_ant(store: Store, rows: list[dict]) -> list[int]:
    """Insert ANT rows; returns their ids in the order given."""
    ids = []
    with store.transaction():
        sources = {k: source_id(store, k, n, latin) for k, (n, latin) in ANT_OUTLETS.items()}
        for row in rows:
            new_id = insert_article(
                store,
                url=row["url"],
                title=row["title"],
                paragraphs=row["paragraphs"],
                published=row["published"],
                source=sources[row["source"]],
            )
            if new_id is not None:  # the corpus repeats a few URLs
                ids.append(new_id)
    return ids
