"""Reader reports, hidden items, moderation decisions, session generations and report rate limits.

An item is an article (image_url == "") or one image of an article. A client is whatever the caller
counts as one reader (the web reader: a salted hash of the address's network, or of a signed-in account).
Reports count once per distinct client per item and per moderation round; once `threshold` distinct
clients have reported an item in the current round it is hidden. A client that has reported `burst`
distinct items within the hour has its reports on further items kept but held: they hide nothing and wait
in the moderators' queue. A moderator's restore starts a new round (old reports stay, they just stop
counting); a confirm keeps it hidden. Nothing is deleted.
"""

from __future__ import annotations

import hashlib
import secrets
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from marsad.store import accounts
from marsad.store.db import Store

DEFAULT_THRESHOLD = 3
RATE_LIMIT = 20  # report attempts per client per window
GLOBAL_RATE_LIMIT = 300  # report attempts from all clients together per window
BURST_ITEMS = 5  # distinct items one client may report per window before its reports are held
RATE_WINDOW = timedelta(hours=1)


@dataclass
class ReportOutcome:
    # "counted" | "held" (kept, counts toward nothing: a burst) | "duplicate" | "limited" | "missing" |
    # "readonly" (nothing could be stored)
    status: str
    clients: int  # distinct clients in the current round
    hidden: bool


@dataclass
class QueueItem:
    article_id: int
    image_url: str
    state: str
    clients: int
    reasons: list[str]
    title: str
    updated_at: str
    held: int = 0  # reports held as part of one client's burst (they do not count in `clients`)


# --- settings -------------------------------------------------------------------------------------------


def get_setting(store: Store, key: str) -> str | None:
    row = store.conn.execute("SELECT value FROM setting WHERE key = ?", (key,)).fetchone()
    return row[0] if row else None


def stored_settings(store: Store) -> Callable[[str], str | None]:
    """A reader of the archive's `setting` table, for marsad.settings (None for a key it lacks, or when a
    read-only archive made before that table has none)."""

    def read(key: str) -> str | None:
        try:
            return get_setting(store, key)
        except sqlite3.OperationalError:
            return None

    return read


def set_setting(store: Store, key: str, value: str) -> None:
    store.conn.execute(
        "INSERT INTO setting(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value,"
        " updated_at = strftime('%Y-%m-%dT%H:%M:%SZ','now')",
        (key, value),
    )


def secret_setting(store: Store, key: str) -> str:
    """A random secret kept in the database, made on first use (client salt, session key)."""
    value = get_setting(store, key)
    if value is None:
        store.conn.execute(
            "INSERT OR IGNORE INTO setting(key, value) VALUES (?, ?)", (key, secrets.token_hex(32))
        )
        value = get_setting(store, key)
    assert value is not None
    return value


def client_id(store: Store, identity: str) -> str:
    """The salted hash that stands for a client (a network, an account); the identity is never stored."""
    return client_hash(secret_setting(store, "client_salt"), identity)


def client_hash(salt: str, *parts: str) -> str:
    return hashlib.sha256("\n".join((salt, *parts)).encode()).hexdigest()


# --- the admin password (the account "admin": see marsad.store.accounts) ---------------------------------


def set_admin_password(store: Store, password: str) -> None:
    """The password of the account "admin", made if missing; its sessions end. ValueError if too short."""
    accounts.set_admin_password(store, password)


def check_admin_password(store: Store, password: str) -> bool:
    return accounts.authenticate(store, accounts.ADMIN, password) is not None


def admin_password_set(store: Store) -> bool:
    """Whether anyone can sign in (kept under its old name: the sign-in page asks it)."""
    return accounts.any_account(store)


# --- reports --------------------------------------------------------------------------------------------


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _since(window: timedelta) -> str:
    return (datetime.now(UTC) - window).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def rate_limited(store: Store, client: str, limit: int = RATE_LIMIT, window: timedelta = RATE_WINDOW) -> bool:
    row = store.conn.execute(
        "SELECT count(*) FROM report_attempt WHERE client = ? AND created_at >= ?", (client, _since(window))
    ).fetchone()
    return row[0] >= limit


def globally_limited(store: Store, limit: int = GLOBAL_RATE_LIMIT, window: timedelta = RATE_WINDOW) -> bool:
    row = store.conn.execute(
        "SELECT count(*) FROM report_attempt WHERE created_at >= ?", (_since(window),)
    ).fetchone()
    return row[0] >= limit


def items_reported(store: Store, client: str, window: timedelta = RATE_WINDOW) -> set[tuple[int, str]]:
    """The (article, image) items CLIENT reported within WINDOW."""
    rows = store.conn.execute(
        "SELECT DISTINCT article_id, image_url FROM report WHERE client = ? AND created_at >= ?",
        (client, _since(window)),
    ).fetchall()
    return {(r[0], r[1]) for r in rows}


def _round(store: Store, article_id: int, image_url: str) -> tuple[int, str | None]:
    row = store.conn.execute(
        "SELECT round, state FROM flag WHERE article_id = ? AND image_url = ?", (article_id, image_url)
    ).fetchone()
    return (row[0], row[1]) if row else (0, None)


def distinct_clients(store: Store, article_id: int, image_url: str = "") -> int:
    current, _ = _round(store, article_id, image_url)
    row = store.conn.execute(
        "SELECT count(DISTINCT client) FROM report WHERE article_id = ? AND image_url = ? AND round = ?"
        " AND held = 0",
        (article_id, image_url, current),
    ).fetchone()
    return row[0]


def add_report(
    store: Store,
    article_id: int,
    client: str,
    reason: str = "",
    image_url: str = "",
    *,
    threshold: int = DEFAULT_THRESHOLD,
    limit: int = RATE_LIMIT,
    global_limit: int = GLOBAL_RATE_LIMIT,
    burst: int = BURST_ITEMS,
) -> ReportOutcome:
    """Record one report; hide the item when `threshold` distinct clients have reported it this round.

    Refused ("limited") past `limit` attempts by this client or `global_limit` by everyone in the hour;
    held (kept, counted toward nothing) when this client already reported `burst` other items this hour."""
    with store.transaction() as conn:
        exists = conn.execute("SELECT 1 FROM article WHERE id = ?", (article_id,)).fetchone()
        if not exists:
            return ReportOutcome("missing", 0, False)
        if rate_limited(store, client, limit) or globally_limited(store, global_limit):
            return ReportOutcome("limited", distinct_clients(store, article_id, image_url), False)
        conn.execute("INSERT INTO report_attempt(client, created_at) VALUES (?, ?)", (client, _now()))
        current, state = _round(store, article_id, image_url)
        if state is None:
            conn.execute("INSERT INTO flag(article_id, image_url) VALUES (?, ?)", (article_id, image_url))
        recent = items_reported(store, client)
        held = (article_id, image_url) not in recent and len(recent) >= burst
        inserted = conn.execute(
            "INSERT OR IGNORE INTO report(article_id, image_url, client, reason, round, created_at, held)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            (article_id, image_url, client, reason[:500], current, _now(), int(held)),
        ).rowcount
        clients = distinct_clients(store, article_id, image_url)
        hidden = state in ("hidden", "confirmed")
        if clients >= threshold and not hidden:
            _set_hidden(store, article_id, image_url, True, "hidden")
            _log(store, article_id, image_url, "auto-hide", "reports", f"{clients} distinct clients")
            hidden = True
        elif inserted:
            conn.execute(
                "UPDATE flag SET updated_at = ?, state = CASE WHEN state = 'restored' THEN 'reported' ELSE state END"
                " WHERE article_id = ? AND image_url = ?",
                (_now(), article_id, image_url),
            )
    status = "duplicate" if not inserted else "held" if held else "counted"
    return ReportOutcome(status, clients, hidden)


def _set_hidden(store: Store, article_id: int, image_url: str, hidden: bool, state: str) -> None:
    store.conn.execute(
        "UPDATE flag SET state = ?, hidden_at = CASE WHEN ? THEN ? ELSE hidden_at END, updated_at = ?"
        " WHERE article_id = ? AND image_url = ?",
        (state, hidden, _now(), _now(), article_id, image_url),
    )
    if not image_url:
        store.conn.execute(
            "UPDATE article SET hidden = ?, updated_at = ? WHERE id = ?", (int(hidden), _now(), article_id)
        )


def _log(store: Store, article_id: int, image_url: str, action: str, actor: str, note: str = "") -> None:
    store.conn.execute(
        "INSERT INTO moderation(article_id, image_url, action, actor, note, created_at) VALUES (?, ?, ?, ?, ?, ?)",
        (article_id, image_url, action, actor, note[:500], _now()),
    )


def decide(
    store: Store, article_id: int, image_url: str, action: str, note: str = "", actor: str = "moderator"
) -> bool:
    """A moderator's decision: "restore" (visible again, a new counting round) or "confirm" (stays hidden).
    ACTOR is who decided, for the log ("account:NAME" from the web).

    Returns False when the item has no flag (nothing was reported)."""
    if action not in ("restore", "confirm"):
        raise ValueError(f"unknown moderation action {action!r}")
    with store.transaction() as conn:
        current, state = _round(store, article_id, image_url)
        if state is None:
            return False
        if action == "restore":
            _set_hidden(store, article_id, image_url, False, "restored")
            conn.execute(
                "UPDATE flag SET round = ? WHERE article_id = ? AND image_url = ?",
                (current + 1, article_id, image_url),
            )
        else:
            _set_hidden(store, article_id, image_url, True, "confirmed")
        _log(store, article_id, image_url, action, actor, note)
    return True


def hidden_images(store: Store, article_id: int) -> set[str]:
    rows = store.conn.execute(
        "SELECT image_url FROM flag WHERE article_id = ? AND image_url != '' AND state IN ('hidden','confirmed')",
        (article_id,),
    ).fetchall()
    return {r[0] for r in rows}


def queue(
    store: Store, states: tuple[str, ...] = ("hidden", "reported"), limit: int = 200
) -> list[QueueItem]:
    """Items awaiting a moderator: hidden ones first, then reported ones, newest first."""
    marks = ",".join("?" for _ in states)
    rows = store.conn.execute(
        f"SELECT f.article_id, f.image_url, f.state, f.round, f.updated_at, a.title FROM flag f"
        f" JOIN article a ON a.id = f.article_id WHERE f.state IN ({marks})"
        f" ORDER BY f.state = 'hidden' DESC, f.updated_at DESC LIMIT ?",
        (*states, limit),
    ).fetchall()
    items = []
    for r in rows:
        reports = store.conn.execute(
            "SELECT client, reason, held FROM report WHERE article_id = ? AND image_url = ? AND round = ?"
            " ORDER BY id",
            (r["article_id"], r["image_url"], r["round"]),
        ).fetchall()
        reasons = [x["reason"] for x in reports if x["reason"]]
        clients = len({x["client"] for x in reports if not x["held"]})
        held = len({x["client"] for x in reports if x["held"]})
        items.append(
            QueueItem(
                r["article_id"],
                r["image_url"],
                r["state"],
                clients,
                reasons,
                r["title"],
                r["updated_at"],
                held,
            )
        )
    return items


def moderation_log(store: Store, limit: int = 200) -> list[dict]:
    rows = store.conn.execute(
        "SELECT m.*, a.title FROM moderation m JOIN article a ON a.id = m.article_id"
        " ORDER BY m.id DESC LIMIT ?",
        (limit,),
    ).fetchall()
    return [dict(r) for r in rows]


def is_hidden(store: Store, article_id: int, image_url: str = "") -> bool:
    if image_url:
        return image_url in hidden_images(store, article_id)
    row = store.conn.execute("SELECT hidden FROM article WHERE id = ?", (article_id,)).fetchone()
    return bool(row and row[0])


def prune_attempts(store: Store, window: timedelta = RATE_WINDOW) -> int:
    """Forget report attempts older than the rate-limit window: they count toward no limit any more (the
    reports themselves stay). Returns how many rows went."""
    with store.transaction() as conn:
        return conn.execute("DELETE FROM report_attempt WHERE created_at < ?", (_since(window),)).rowcount
