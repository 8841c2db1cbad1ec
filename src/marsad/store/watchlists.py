"""Watchlists (tables `watchlist`, `watch_match`, `watch_delivery`, `watch_attempt`, schema 016).

A watchlist is what one reader follows: a saved search, a thread, a story, an outlet or a topic. Matching
(marsad.watch) adds the new articles that match it to `watch_match`, with the time they arrived. Alerts are
made up from the matches past each channel's mark (`webhook_through`, `email_through`) into
`watch_delivery` rows, which stay until they are sent; every attempt is a `watch_attempt` row.
"""

from __future__ import annotations

import secrets
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from marsad.store import trends
from marsad.store.articles import FROM_ARTICLE, LIST_COLUMNS, ArticleItem, article_item
from marsad.store.crawl import iso
from marsad.store.db import Store
from marsad.store.sql import chunks, decode_json, insert_rows, marks, to_json

KINDS = ("search", "thread", "story", "outlet", "topic")
DELIVERY_MODES = ("immediate", "daily")
CHANNELS = ("webhook", "email")
_COLUMNS = (
    "id, name, kind, query, target, filters, owner, feed_token, secret, webhook_url, email, delivery,"
    " created_at, webhook_through, email_through, email_last_at"
)


class WatchlistError(ValueError):
    """A watchlist that cannot be made as asked; the message says why."""


@dataclass(frozen=True)
class Watchlist:
    id: int
    name: str
    kind: str
    query: str
    target: str | None
    filters: dict[str, str]
    owner: str | None
    feed_token: str
    secret: str
    webhook_url: str | None
    email: str | None
    delivery: str
    created_at: str
    webhook_through: int = 0
    email_through: int = 0
    email_last_at: str | None = None

    def as_json(self, *, private: bool = False) -> dict[str, Any]:
        """What the API and `marsad watch list --json` show; the secret and feed token only to its owner."""
        out: dict[str, Any] = {
            "id": self.id,
            "name": self.name,
            "kind": self.kind,
            "query": self.query,
            "target": self.target,
            "filters": self.filters,
            "owner": self.owner,
            "webhook_url": self.webhook_url,
            "email": self.email,
            "delivery": self.delivery,
            "created_at": self.created_at,
        }
        if private:
            out.update(feed_token=self.feed_token, secret=self.secret)
        return out


@dataclass(frozen=True)
class NewWatchlist:
    """What a watchlist is made from (checked by marsad.watch.follow before it is stored)."""

    name: str
    kind: str
    query: str = ""
    target: str | None = None
    filters: dict[str, str] = field(default_factory=dict)
    owner: str | None = None
    webhook_url: str | None = None
    email: str | None = None
    delivery: str = "immediate"


@dataclass(frozen=True)
class Told:
    """A watchlist's name and how it tells of new matches: what an edit may change."""

    name: str
    webhook_url: str | None = None
    email: str | None = None
    delivery: str = "immediate"


def _watchlist(row: sqlite3.Row) -> Watchlist:
    values = dict(row)
    values["filters"] = decode_json(row["filters"], {})
    return Watchlist(**values)


def add(store: Store, new: NewWatchlist, now: datetime | None = None) -> Watchlist:
    """Store a new watchlist with a fresh feed token and signing secret."""
    if new.kind not in KINDS:
        raise WatchlistError(f"kind must be one of {', '.join(KINDS)}, not {new.kind!r}")
    if new.delivery not in DELIVERY_MODES:
        raise WatchlistError(f"delivery must be immediate or daily, not {new.delivery!r}")
    with store.transaction() as conn:
        row = conn.execute(
            "INSERT INTO watchlist(name, kind, query, target, filters, owner, feed_token, secret, webhook_url,"
            " email, delivery, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
            (
                new.name,
                new.kind,
                new.query,
                new.target,
                to_json(new.filters),
                new.owner,
                secrets.token_urlsafe(24),
                secrets.token_hex(32),
                new.webhook_url,
                new.email,
                new.delivery,
                iso(now),
            ),
        ).fetchone()
    found = get(store, row[0])
    assert found is not None
    return found


def get(store: Store, watchlist_id: int) -> Watchlist | None:
    row = store.conn.execute(f"SELECT {_COLUMNS} FROM watchlist WHERE id = ?", (watchlist_id,)).fetchone()
    return _watchlist(row) if row else None


def by_feed_token(store: Store, token: str) -> Watchlist | None:
    row = store.conn.execute(f"SELECT {_COLUMNS} FROM watchlist WHERE feed_token = ?", (token,)).fetchone()
    return _watchlist(row) if row else None


def exists(store: Store, kind: str, item_id: int) -> bool:
    """Whether a thread or story of that id exists."""
    table = {"thread": "thread", "story": "story"}[kind]
    return store.conn.execute(f"SELECT 1 FROM {table} WHERE id = ?", (item_id,)).fetchone() is not None


def version(store: Store) -> tuple[int, int, int]:
    """(count, newest id, a sum over the followed stories and threads) of the watchlists: changes whenever
    one is added or removed, or a relink points one at its story's or thread's new id (`repoint`)."""
    row = store.conn.execute(
        "SELECT count(*), coalesce(max(id), 0),"
        " coalesce(sum(CASE WHEN kind IN ('story', 'thread') THEN CAST(target AS INTEGER) * id ELSE 0 END), 0)"
        " FROM watchlist"
    ).fetchone()
    return int(row[0]), int(row[1]), int(row[2])


def followed_anchors(store: Store) -> list[tuple[int, str, int]]:
    """(watchlist, kind, its first article) for each watchlist that follows a story or a thread. Linking the
    archive again (relink, or a late article the rewind journal does not reach) gives stories and threads
    new ids, and a rewind may end some: `repoint` finds the new ones through these articles."""
    anchors = []
    rows = store.conn.execute(
        "SELECT id, kind, target FROM watchlist WHERE kind IN ('story', 'thread') ORDER BY id"
    ).fetchall()
    for watchlist_id, kind, target in rows:
        if kind == "story":
            sql = "SELECT min(id) FROM article WHERE story_id = ?"
        else:
            sql = "SELECT min(a.id) FROM article a JOIN story s ON s.id = a.story_id WHERE s.thread_id = ?"
        first = store.conn.execute(sql, (int(target),)).fetchone()[0]
        if first is not None:
            anchors.append((watchlist_id, kind, first))
    return anchors


def repoint(store: Store, anchors: list[tuple[int, str, int]]) -> None:
    """Point each anchored watchlist at the story or thread its first article is in now."""
    for watchlist_id, kind, article_id in anchors:
        row = store.conn.execute(
            "SELECT a.story_id, s.thread_id FROM article a LEFT JOIN story s ON s.id = a.story_id WHERE a.id = ?",
            (article_id,),
        ).fetchone()
        now = None if row is None else row[0] if kind == "story" else row[1]
        if now is not None:
            store.conn.execute("UPDATE watchlist SET target = ? WHERE id = ?", (str(now), watchlist_id))


def any_watchlist(store: Store) -> bool:
    return store.conn.execute("SELECT 1 FROM watchlist LIMIT 1").fetchone() is not None


def all_watchlists(store: Store) -> list[Watchlist]:
    return [_watchlist(r) for r in store.conn.execute(f"SELECT {_COLUMNS} FROM watchlist ORDER BY id")]


def owned_by(store: Store, owner: str | None) -> list[Watchlist]:
    """The watchlists of one account (None: the operator's, made on the command line)."""
    if owner is None:
        rows = store.conn.execute(f"SELECT {_COLUMNS} FROM watchlist WHERE owner IS NULL ORDER BY id")
    else:
        rows = store.conn.execute(f"SELECT {_COLUMNS} FROM watchlist WHERE owner = ? ORDER BY id", (owner,))
    return [_watchlist(r) for r in rows]


def find(store: Store, key: str) -> Watchlist | None:
    """The watchlist a command names: by id, else by name (the newest of that name)."""
    if key.isdigit() and (found := get(store, int(key))) is not None:
        return found
    row = store.conn.execute(
        f"SELECT {_COLUMNS} FROM watchlist WHERE name = ? ORDER BY id DESC LIMIT 1", (key,)
    ).fetchone()
    return _watchlist(row) if row else None


def update(store: Store, watchlist_id: int, told: Told) -> Watchlist:
    """Give a watchlist a new name and alerts. A channel turned on starts past the matches already made
    (its mark moves to the latest), so it tells of new ones, not of the backlog."""
    if told.delivery not in DELIVERY_MODES:
        raise WatchlistError(f"delivery must be immediate or daily, not {told.delivery!r}")
    with store.transaction() as conn:
        row = conn.execute(
            "SELECT webhook_url, email, webhook_through, email_through FROM watchlist WHERE id = ?",
            (watchlist_id,),
        ).fetchone()
        if row is None:
            raise WatchlistError(f"there is no watchlist {watchlist_id}")
        latest = conn.execute(
            "SELECT coalesce(max(id), 0) FROM watch_match WHERE watchlist_id = ?", (watchlist_id,)
        ).fetchone()[0]
        webhook_through = latest if told.webhook_url and not row[0] else row[2]
        email_through = latest if told.email and not row[1] else row[3]
        conn.execute(
            "UPDATE watchlist SET name = ?, webhook_url = ?, email = ?, delivery = ?, webhook_through = ?,"
            " email_through = ? WHERE id = ?",
            (
                told.name,
                told.webhook_url,
                told.email,
                told.delivery,
                webhook_through,
                email_through,
                watchlist_id,
            ),
        )
    found = get(store, watchlist_id)
    assert found is not None
    return found


def remove(store: Store, watchlist_id: int) -> bool:
    """Delete a watchlist with its matches and its delivery log; False when there was none."""
    with store.transaction() as conn:
        conn.execute("DELETE FROM watch_attempt WHERE watchlist_id = ?", (watchlist_id,))
        conn.execute("DELETE FROM watch_delivery WHERE watchlist_id = ?", (watchlist_id,))
        conn.execute("DELETE FROM watch_match WHERE watchlist_id = ?", (watchlist_id,))
        return conn.execute("DELETE FROM watchlist WHERE id = ?", (watchlist_id,)).rowcount > 0


# --- matches ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ArticleFacts:
    """What matching needs of a new article besides its text."""

    id: int
    source_id: int | None
    story_id: int | None
    thread_id: int | None
    published: str | None
    categories: list[str]
    title: str
    body: str
    hidden: bool


def article_facts(store: Store, ids: Iterable[int]) -> list[ArticleFacts]:
    """The new articles as matching reads them (after linking: with their story and thread), by id."""
    out: list[ArticleFacts] = []
    for part in chunks(sorted(set(ids))):
        rows = store.conn.execute(
            "SELECT a.id, a.source_id, a.story_id, s.thread_id, a.published, a.categories, a.title, a.body,"
            f" a.hidden FROM article a LEFT JOIN story s ON s.id = a.story_id WHERE a.id IN ({marks(len(part))})"
            " ORDER BY a.id",
            part,
        )
        out.extend(
            ArticleFacts(
                id=r[0],
                source_id=r[1],
                story_id=r[2],
                thread_id=r[3],
                published=r[4],
                categories=[str(c) for c in decode_json(r[5], []) if isinstance(c, str)],
                title=r[6],
                body=r[7],
                hidden=bool(r[8]),
            )
            for r in rows
        )
    return out


def outlet_ids(store: Store) -> dict[str, list[int]]:
    """Every name an outlet filter may use (key, name, Latin name lower-cased, id) -> the outlets' ids."""
    found: dict[str, list[int]] = {}
    for source_id, key, name, latin in store.conn.execute("SELECT id, key, name, name_latin FROM source"):
        for alias in {key, name, (latin or "").lower(), str(source_id)} - {""}:
            found.setdefault(alias, []).append(source_id)
    return found


def add_matches(store: Store, pairs: Iterable[tuple[int, int]], now: datetime | None = None) -> int:
    """Record (watchlist id, article id) matches arriving now; one already recorded stays as it was.
    Returns how many are new."""
    at = iso(now)
    rows = [(w, a, at) for w, a in sorted(set(pairs))]
    if not rows:
        return 0
    with store.transaction() as conn:
        before = conn.total_changes
        insert_rows(
            store,
            "INSERT INTO watch_match(watchlist_id, article_id, arrived_at)",
            rows,
            "ON CONFLICT (watchlist_id, article_id) DO NOTHING",
        )
        return conn.total_changes - before


@dataclass(frozen=True)
class Matched:
    article: ArticleItem
    arrived_at: str


def matches(store: Store, watchlist_id: int, limit: int = 50) -> list[Matched]:
    """The newest visible matches of a watchlist (by arrival, then publication)."""
    sql = (
        f"SELECT {LIST_COLUMNS}, m.arrived_at {FROM_ARTICLE} JOIN watch_match m ON m.article_id = a.id"
        f" WHERE m.watchlist_id = ? AND a.hidden = 0 ORDER BY m.id DESC LIMIT ?"
    )
    rows = store.conn.execute(sql, (watchlist_id, limit)).fetchall()
    return [Matched(article_item(r), r["arrived_at"]) for r in rows]


def match_trend(store: Store, watchlist_id: int, by: trends.Asked = "auto") -> trends.Series:
    """Coverage over time of a watchlist's matches (by the articles' publication, as every trend)."""
    return trends.for_subquery(
        store, "SELECT article_id FROM watch_match WHERE watchlist_id = ?", (watchlist_id,), by
    )


def match_counts(store: Store) -> dict[int, int]:
    return dict(store.conn.execute("SELECT watchlist_id, count(*) FROM watch_match GROUP BY watchlist_id"))


def matched_article_ids(store: Store, watchlist_id: int) -> list[int]:
    """Every article a watchlist matched, by id (for checks)."""
    return [
        r[0]
        for r in store.conn.execute(
            "SELECT article_id FROM watch_match WHERE watchlist_id = ? ORDER BY article_id", (watchlist_id,)
        )
    ]


# --- deliveries ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Delivery:
    id: int
    watchlist_id: int
    channel: str
    articles: list[int]
    attempt: int
    status: str
    error: str | None
    created_at: str
    next_try_at: str
    sent_at: str | None


def _delivery(row: sqlite3.Row) -> Delivery:
    values = dict(row)
    values["articles"] = [int(i) for i in decode_json(row["articles"], [])]
    return Delivery(**values)


_DELIVERY_COLUMNS = (
    "id, watchlist_id, channel, articles, attempt, status, error, created_at, next_try_at, sent_at"
)


def make_deliveries(
    store: Store, channel: str, watchlist: Watchlist, now: datetime | None = None
) -> int | None:
    """Hand the matches past the channel's mark to one new delivery and move the mark, in one transaction;
    returns the delivery's id, or None when there was nothing new."""
    column = f"{channel}_through"
    if channel not in CHANNELS:
        raise ValueError(f"no channel {channel!r}")
    at = iso(now)
    with store.transaction() as conn:
        through = conn.execute(f"SELECT {column} FROM watchlist WHERE id = ?", (watchlist.id,)).fetchone()
        if through is None:
            return None
        rows = conn.execute(
            "SELECT m.id, m.article_id FROM watch_match m JOIN article a ON a.id = m.article_id"
            " WHERE m.watchlist_id = ? AND m.id > ? AND a.hidden = 0 ORDER BY m.id",
            (watchlist.id, through[0]),
        ).fetchall()
        if channel == "email":
            conn.execute("UPDATE watchlist SET email_last_at = ? WHERE id = ?", (at, watchlist.id))
        if not rows:
            return None
        conn.execute(f"UPDATE watchlist SET {column} = ? WHERE id = ?", (rows[-1][0], watchlist.id))
        row = conn.execute(
            "INSERT INTO watch_delivery(watchlist_id, channel, articles, created_at, next_try_at)"
            " VALUES (?, ?, ?, ?, ?) RETURNING id",
            (watchlist.id, channel, to_json([r[1] for r in rows]), at, at),
        ).fetchone()
    return int(row[0])


def due(store: Store, now: datetime | None = None) -> list[Delivery]:
    """The pending deliveries whose next attempt is due, oldest first."""
    rows = store.conn.execute(
        f"SELECT {_DELIVERY_COLUMNS} FROM watch_delivery WHERE status = 'pending' AND next_try_at <= ?"
        " ORDER BY id",
        (iso(now),),
    )
    return [_delivery(r) for r in rows]


def deliveries(store: Store, watchlist_id: int) -> list[Delivery]:
    rows = store.conn.execute(
        f"SELECT {_DELIVERY_COLUMNS} FROM watch_delivery WHERE watchlist_id = ? ORDER BY id", (watchlist_id,)
    )
    return [_delivery(r) for r in rows]


def record_attempt(
    store: Store,
    delivery: Delivery,
    *,
    error: str | None,
    next_try: datetime | None,
    now: datetime | None = None,
) -> None:
    """Log one attempt: sent (error None), failed with a next try, or failed for good (next_try None)."""
    at = iso(now)
    attempt = delivery.attempt + 1
    status = "sent" if error is None else "pending" if next_try is not None else "failed"
    next_at = iso(next_try) if next_try is not None else None
    with store.transaction() as conn:
        conn.execute(
            "UPDATE watch_delivery SET attempt = ?, status = ?, error = ?, next_try_at = ?, sent_at = ?"
            " WHERE id = ?",
            (attempt, status, error, next_at or at, at if error is None else None, delivery.id),
        )
        conn.execute(
            "INSERT INTO watch_attempt(delivery_id, watchlist_id, channel, attempt, status, error, at,"
            " next_try_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                delivery.id,
                delivery.watchlist_id,
                delivery.channel,
                attempt,
                "sent" if error is None else "failed",
                error,
                at,
                next_at,
            ),
        )


@dataclass(frozen=True)
class Attempt:
    delivery_id: int
    channel: str
    attempt: int
    status: str
    error: str | None
    at: str
    next_try_at: str | None


def attempts(store: Store, watchlist_id: int) -> list[Attempt]:
    """The delivery log of a watchlist, oldest first."""
    rows = store.conn.execute(
        "SELECT delivery_id, channel, attempt, status, error, at, next_try_at FROM watch_attempt"
        " WHERE watchlist_id = ? ORDER BY id",
        (watchlist_id,),
    )
    return [Attempt(*r) for r in rows]


def seconds_since(moment: str | None, now: datetime | None = None) -> float | None:
    """Seconds from an ISO time this module wrote to `now` (None for none)."""
    if not moment:
        return None
    then = datetime.strptime(moment, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    return ((now or datetime.now(UTC)) - then).total_seconds()
