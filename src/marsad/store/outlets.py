"""Outlets (`source` rows) as the reader lists them: each with its count of visible articles."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from marsad.store.articles import ArticleItem, latest
from marsad.store.db import Store


@dataclass(kw_only=True)
class OutletItem:
    id: int
    key: str
    name: str
    name_latin: str | None
    home_url: str | None
    country: str | None
    is_aggregator: bool
    article_count: int = 0  # visible articles
    newest: str | None = None  # its newest publication date


_COLUMNS = "s.id, s.key, s.name, s.name_latin, s.home_url, s.country, s.is_aggregator"


def _item(row: Any, **extra: Any) -> OutletItem:
    return OutletItem(
        id=row["id"],
        key=row["key"],
        name=row["name"] or row["name_latin"] or row["key"],
        name_latin=row["name_latin"],
        home_url=row["home_url"],
        country=row["country"],
        is_aggregator=bool(row["is_aggregator"]),
        **extra,
    )


def outlets(store: Store) -> list[OutletItem]:
    """Every outlet with its count of visible articles and its newest publication date, largest first."""
    # all articles, counted on the source index alone, less the hidden ones: few, found from `flag`
    # (CROSS JOIN keeps SQLite from walking every article of the outlet instead)
    hidden = dict(
        store.conn.execute(
            "SELECT a.source_id, count(*) FROM flag f CROSS JOIN article a ON a.id = f.article_id"
            " WHERE f.image_url = '' AND a.hidden = 1 GROUP BY a.source_id"
        ).fetchall()
    )
    rows = store.conn.execute(
        f"SELECT {_COLUMNS}, (SELECT count(*) FROM article a WHERE a.source_id = s.id) AS article_count,"
        " (SELECT max(a.published) FROM article a WHERE a.source_id = s.id) AS newest FROM source s"
    ).fetchall()
    items = [
        _item(r, article_count=r["article_count"] - hidden.get(r["id"], 0), newest=r["newest"]) for r in rows
    ]
    items.sort(key=lambda o: (-o.article_count, o.name))
    return items


def outlet(store: Store, outlet_id: int) -> OutletItem | None:
    row = store.conn.execute(f"SELECT {_COLUMNS} FROM source s WHERE s.id = ?", (outlet_id,)).fetchone()
    return _item(row) if row else None


def latest_per_outlet(store: Store, per_outlet: int = 5) -> list[tuple[OutletItem, list[ArticleItem]]]:
    out = []
    for source in outlets(store):
        items = latest(store, per_outlet, outlet_id=source.id, reposts=True)
        if items:
            out.append((source, items))
    return out
