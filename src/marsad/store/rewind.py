"""The rewind journal and what a rewind writes (marsad.link.rewind): for each linked batch (an epoch,
named by the link seq it began after) the rows of stories and threads as they were before the batch
changed them, the stories and threads it made, and the reposts groups it moved; kept in link_meta, one row
per epoch (`undo:` + its seq) and one for its header (`undo-at:` + its seq), so that a late article undoes
only the batches linked after its own time."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from marsad.store.db import Store
from marsad.store.sql import chunks, marks

_EPOCH, _HEAD = "undo:", "undo-at:"
_STORY = (
    "SELECT s.id, s.title, s.representative_id, s.first_seen, s.last_seen, s.thread_id, s.article_count,"
    " s.outlet_count, s.outlets, s.updated_at, t.centroid, t.numbers, t.places, t.members, t.first_at,"
    " t.last_at FROM story s LEFT JOIN story_state t ON t.story_id = s.id"
)
_THREAD = (
    "SELECT t.id, t.title, t.first_seen, t.last_seen, t.story_count, t.terms, t.updated_at, st.profile,"
    " st.last_at FROM thread t LEFT JOIN thread_state st ON st.thread_id = t.id"
)


def _key(prefix: str, epoch: int) -> str:
    return f"{prefix}{epoch:015d}"  # fixed width: keys sort as their epochs in any collation


# --- what a batch is about to change ------------------------------------------------------------------


def story_rows(store: Store, ids: Iterable[int]) -> dict[int, list]:
    """id -> the story's row and link state as stored (a list of plain values)."""
    return _rows(store, _STORY, "s.id", ids)


def thread_rows(store: Store, ids: Iterable[int]) -> dict[int, list]:
    return _rows(store, _THREAD, "t.id", ids)


def _rows(store: Store, sql: str, column: str, ids: Iterable[int]) -> dict[int, list]:
    out: dict[int, list] = {}
    for part in chunks(sorted(set(ids))):
        for row in store.conn.execute(f"{sql} WHERE {column} IN ({marks(len(part))})", part):
            out[row[0]] = list(row)
    return out


def thread_story_ids(store: Store, thread_id: int) -> list[int]:
    return [r[0] for r in store.conn.execute("SELECT id FROM story WHERE thread_id = ?", (thread_id,))]


def group_links(store: Store, original_id: int) -> dict[int, int | None]:
    """article id -> duplicate_of of a reposts group's original and its duplicates."""
    return dict(
        store.conn.execute(
            "SELECT id, duplicate_of FROM article WHERE duplicate_of = ? OR id = ?",
            (original_id, original_id),
        ).fetchall()
    )


# --- the journal ----------------------------------------------------------------------------------------


def save_epoch(store: Store, epoch: int, head: dict, body: dict) -> None:
    rows = [
        (_key(_HEAD, epoch), json.dumps(head)),
        (_key(_EPOCH, epoch), json.dumps(body, ensure_ascii=False)),
    ]
    store.conn.executemany(
        "INSERT INTO link_meta(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        rows,
    )


def heads_from_newest(store: Store) -> Iterable[tuple[int, dict]]:
    """(epoch, header) of the journal's epochs, the newest first (read as far as the caller goes)."""
    rows = store.conn.execute(
        "SELECT key, value FROM link_meta WHERE key LIKE 'undo-at:%' ORDER BY key DESC"
    ).fetchall()
    for key, value in rows:
        yield int(key[len(_HEAD) :]), json.loads(value)


def oldest_heads(store: Store, limit: int) -> list[tuple[int, dict]]:
    rows = store.conn.execute(
        "SELECT key, value FROM link_meta WHERE key LIKE 'undo-at:%' ORDER BY key LIMIT ?", (limit,)
    ).fetchall()
    return [(int(key[len(_HEAD) :]), json.loads(value)) for key, value in rows]


def epoch_bodies(store: Store, epochs: list[int]) -> dict[int, dict]:
    out = {}
    for part in chunks(epochs):
        keys = [_key(_EPOCH, e) for e in part]
        for key, value in store.conn.execute(
            f"SELECT key, value FROM link_meta WHERE key IN ({marks(len(keys))})", keys
        ):
            out[int(key[len(_EPOCH) :])] = json.loads(value)
    return out


def drop_epochs(store: Store, epochs: list[int]) -> None:
    keys = [_key(prefix, e) for e in epochs for prefix in (_HEAD, _EPOCH)]
    for part in chunks(keys):
        store.conn.execute(f"DELETE FROM link_meta WHERE key IN ({marks(len(part))})", part)


# --- undoing --------------------------------------------------------------------------------------------


def undone_docs(store: Store, after_seq: int) -> list[Any]:
    """The articles linked after `after_seq` (seq order), with their link key's parts and what linking
    made of them: id, instant, url, seq, story_id, thread_id, outlet_key, title, body, published."""
    return store.conn.execute(
        "SELECT a.id, coalesce(julianday(a.published), julianday(a.fetched_at), julianday(a.created_at))"
        " AS instant, a.url, d.seq, a.story_id, s.thread_id, o.key AS outlet_key, a.title, a.body,"
        " a.published FROM link_doc d JOIN article a ON a.id = d.article_id"
        " LEFT JOIN story s ON s.id = a.story_id LEFT JOIN source o ON o.id = a.source_id"
        " WHERE d.seq > ? ORDER BY d.seq",
        (after_seq,),
    ).fetchall()


def forget_articles(store: Store, ids: list[int]) -> None:
    """Undo linking of these articles: their events, link docs, story and reposts group."""
    conn = store.conn
    for part in chunks(ids):
        held = marks(len(part))
        conn.execute(f"DELETE FROM event WHERE article_id IN ({held})", part)
        conn.execute(f"DELETE FROM link_doc WHERE article_id IN ({held})", part)
        conn.execute(
            f"UPDATE article SET duplicate_of = NULL, story_id = NULL WHERE id IN ({held})"
            " AND (duplicate_of IS NOT NULL OR story_id IS NOT NULL)",
            part,
        )


def restore_groups(store: Store, links: dict[int, int | None]) -> None:
    store.conn.executemany(
        "UPDATE article SET duplicate_of = ? WHERE id = ?", [(dup, aid) for aid, dup in links.items()]
    )


def restore_threads(store: Store, rows: list[list]) -> None:
    """Threads as they were (made again if deleted since)."""
    conn = store.conn
    conn.executemany(
        "INSERT INTO thread(id, title, first_seen, last_seen, story_count, terms, updated_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET title = excluded.title,"
        " first_seen = excluded.first_seen, last_seen = excluded.last_seen,"
        " story_count = excluded.story_count, terms = excluded.terms, updated_at = excluded.updated_at",
        [r[:7] for r in rows],
    )
    conn.executemany(
        "INSERT INTO thread_state(thread_id, profile, last_at) VALUES (?, ?, ?) ON CONFLICT(thread_id)"
        " DO UPDATE SET profile = excluded.profile, last_at = excluded.last_at",
        [(r[0], r[7], r[8]) for r in rows if r[7] is not None],
    )
    _delete_in(store, "thread_state", "thread_id", [r[0] for r in rows if r[7] is None])


def restore_stories(store: Store, rows: list[list]) -> None:
    """Stories as they were, and their events in the thread they were in."""
    conn = store.conn
    conn.executemany(
        "INSERT INTO story(id, title, representative_id, first_seen, last_seen, thread_id, article_count,"
        " outlet_count, outlets, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(id) DO UPDATE"
        " SET title = excluded.title, representative_id = excluded.representative_id,"
        " first_seen = excluded.first_seen, last_seen = excluded.last_seen, thread_id = excluded.thread_id,"
        " article_count = excluded.article_count, outlet_count = excluded.outlet_count,"
        " outlets = excluded.outlets, updated_at = excluded.updated_at",
        [r[:10] for r in rows],
    )
    conn.executemany(
        "INSERT INTO story_state(story_id, centroid, numbers, places, members, first_at, last_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT(story_id) DO UPDATE SET centroid = excluded.centroid,"
        " numbers = excluded.numbers, places = excluded.places, members = excluded.members,"
        " first_at = excluded.first_at, last_at = excluded.last_at",
        [(r[0], *r[10:16]) for r in rows if r[10] is not None],
    )
    _delete_in(store, "story_state", "story_id", [r[0] for r in rows if r[10] is None])
    conn.executemany("UPDATE event SET thread_id = ? WHERE story_id = ?", [(r[5], r[0]) for r in rows])


def delete_stories(store: Store, ids: list[int]) -> None:
    """Stories the undone batches made (no article or event points at them any more)."""
    _delete_in(store, "story_state", "story_id", ids)
    _delete_in(store, "story", "id", ids)


def delete_threads(store: Store, ids: list[int]) -> None:
    _delete_in(store, "thread_state", "thread_id", ids)
    _delete_in(store, "thread", "id", ids)


def _delete_in(store: Store, table: str, column: str, ids: list[int]) -> None:
    for part in chunks(sorted(set(ids))):
        store.conn.execute(f"DELETE FROM {table} WHERE {column} IN ({marks(len(part))})", part)


def max_thread_id(store: Store) -> int:
    return store.conn.execute("SELECT coalesce(max(id), 0) FROM thread").fetchone()[0]


# --- giving the stories and threads linked again the ids of those they continue -----------------------


def story_members(store: Store, article_ids: list[int]) -> list[tuple[int, int, int | None]]:
    """(article, story, the story's thread) of these articles."""
    out: list[tuple[int, int, int | None]] = []
    for part in chunks(article_ids):
        out.extend(
            tuple(r)
            for r in store.conn.execute(
                "SELECT a.id, a.story_id, s.thread_id FROM article a JOIN story s ON s.id = a.story_id"
                f" WHERE a.id IN ({marks(len(part))})",
                part,
            )
        )
    return out


# What renumber copies and re-points: a table's columns but its id, and the (table, column) that name it.
_RENUMBERED = {
    "story": (
        "title, representative_id, first_seen, last_seen, thread_id, article_count, outlet_count, outlets,"
        " updated_at",
        (("story_state", "story_id"), ("article", "story_id"), ("event", "story_id")),
    ),
    "thread": (
        "title, first_seen, last_seen, story_count, terms, updated_at",
        (("thread_state", "thread_id"), ("story", "thread_id"), ("event", "thread_id")),
    ),
}


def renumber(store: Store, table: str, old: int, new: int) -> None:
    """Give story or thread `old` the id `new` (free): its row, and the state, articles, stories and events
    that name it."""
    columns, references = _RENUMBERED[table]
    conn = store.conn
    conn.execute(
        f"INSERT INTO {table}(id, {columns}) SELECT ?, {columns} FROM {table} WHERE id = ?",
        (new, old),
    )
    for referring, column in references:
        conn.execute(f"UPDATE {referring} SET {column} = ? WHERE {column} = ?", (new, old))
    conn.execute(f"DELETE FROM {table} WHERE id = ?", (old,))


def existing_ids(store: Store, table: str, ids: list[int]) -> set[int]:
    """Which of these ids `table` (story or thread) holds."""
    assert table in ("story", "thread")
    out: set[int] = set()
    for part in chunks(ids):
        out.update(
            r[0] for r in store.conn.execute(f"SELECT id FROM {table} WHERE id IN ({marks(len(part))})", part)
        )
    return out


def set_or_forget_meta(store: Store, key: str, value: str | None) -> None:
    if value is None:
        store.conn.execute("DELETE FROM link_meta WHERE key = ?", (key,))
    else:
        store.conn.execute(
            "INSERT INTO link_meta(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            (key, value),
        )


def renumber_in_epochs(store: Store, since: int, stories: dict[int, int], threads: dict[int, int]) -> None:
    """Stories and threads given other ids (renumber): the journal's epochs from `since` on name them by
    their new ids."""
    keys = [
        key
        for (key,) in store.conn.execute("SELECT key FROM link_meta WHERE key LIKE 'undo:%'").fetchall()
        if int(key[len(_EPOCH) :]) >= since
    ]
    epochs = [int(key[len(_EPOCH) :]) for key in keys]
    for epoch, body in epoch_bodies(store, epochs).items():
        body["stories"] = {
            str(stories.get(int(sid), int(sid))): _story_renamed(row, stories, threads)
            for sid, row in body["stories"].items()
        }
        body["threads"] = {
            str(threads.get(int(tid), int(tid))): None
            if row is None
            else [threads.get(row[0], row[0]), *row[1:]]
            for tid, row in body["threads"].items()
        }
        store.conn.execute(
            "UPDATE link_meta SET value = ? WHERE key = ?",
            (json.dumps(body, ensure_ascii=False), _key(_EPOCH, epoch)),
        )


def _story_renamed(row: list | None, stories: dict[int, int], threads: dict[int, int]) -> list | None:
    if row is None:
        return None
    return [stories.get(row[0], row[0]), *row[1:5], threads.get(row[5], row[5]), *row[6:]]
