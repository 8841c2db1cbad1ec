"""Threads (one matter followed over months) and their timeline of dated events: the rows linking writes
and the reads of the reader, the API and the command line, all from here.

An original's events are taken when it is linked (marsad.link); reading a timeline never writes. How the
stored mentions become one entry per fact, background apart and in order: marsad.store.timeline.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from marsad.store.articles import INSTANT
from marsad.store.db import Store
from marsad.store.sql import chunks, decode_json, inserted_id, marks, to_json
from marsad.store.stories import StoryItem, thread_stories
from marsad.store.timeline import Timeline, TimelineEntry, TimelineSource, build


@dataclass(kw_only=True)
class ThreadPage:
    id: int
    title: str
    first_seen: str | None
    last_seen: str | None
    story_count: int
    terms: list[str]
    stories: list[StoryItem]  # oldest first; empty when asked without them
    events: list[TimelineEntry]  # the timeline's news, one entry per dated fact, in order
    background: list[TimelineEntry]  # what its articles recall from before it began, in order


# --- writes (linking) ---------------------------------------------------------------------------------


def threads_by_id(store: Store, ids: list[int]) -> list[Any]:
    out: list[Any] = []
    for part in chunks(ids):
        out.extend(
            store.conn.execute(
                "SELECT t.id, t.first_seen, t.last_seen, t.story_count, t.terms, st.profile"
                f" FROM thread_state st JOIN thread t ON t.id = st.thread_id WHERE t.id IN ({marks(len(part))})",
                part,
            )
        )
    return out


def new_thread(store: Store, title: str, at: str, thread_id: int | None = None) -> int:
    """A new thread's row (its id given, or the next)."""
    if thread_id is not None:
        store.conn.execute(
            "INSERT INTO thread(id, title, first_seen, last_seen, story_count) VALUES (?, ?, ?, ?, 0)",
            (thread_id, title, at, at),
        )
        return thread_id
    cur = store.conn.execute(
        "INSERT INTO thread(title, first_seen, last_seen, story_count) VALUES (?, ?, ?, 0)", (title, at, at)
    )
    return inserted_id(cur)


def delete_thread(store: Store, thread_id: int) -> None:
    store.conn.execute("DELETE FROM thread_state WHERE thread_id = ?", (thread_id,))
    store.conn.execute("UPDATE event SET thread_id = NULL WHERE thread_id = ?", (thread_id,))
    store.conn.execute("UPDATE story SET thread_id = NULL WHERE thread_id = ?", (thread_id,))
    store.conn.execute("DELETE FROM thread WHERE id = ?", (thread_id,))


def save_threads(store: Store, threads: list[dict]) -> None:
    """Each thread: id, first_seen, last_seen, story_count, terms, profile. Title: its biggest story's
    (save its stories first)."""
    store.conn.executemany(
        "UPDATE thread SET first_seen = ?, last_seen = ?, story_count = ?, terms = ?,"
        " title = coalesce((SELECT title FROM story WHERE thread_id = thread.id"
        "   ORDER BY article_count DESC, id LIMIT 1), title),"
        " updated_at = strftime('%Y-%m-%dT%H:%M:%SZ','now') WHERE id = ?",
        [
            (
                thread["first_seen"],
                thread["last_seen"],
                thread["story_count"],
                to_json(thread["terms"]),
                thread["id"],
            )
            for thread in threads
        ],
    )
    store.conn.executemany(
        "INSERT OR REPLACE INTO thread_state(thread_id, profile, last_at) VALUES (?, ?, ?)",
        [(t["id"], to_json(t["profile"]), t["last_seen"]) for t in threads],
    )


def open_threads(store: Store, since: str) -> list[Any]:
    return store.conn.execute(
        "SELECT t.id, t.first_seen, t.last_seen, t.story_count, t.terms, st.profile"
        " FROM thread_state st JOIN thread t ON t.id = st.thread_id WHERE st.last_at >= ? ORDER BY t.id",
        (since,),
    ).fetchall()


def move_story_events(store: Store, story_id: int, thread_id: int) -> None:
    """A story changed thread: its events follow (the story row itself is saved with the story)."""
    store.conn.execute("UPDATE event SET thread_id = ? WHERE story_id = ?", (thread_id, story_id))


def add_events(store: Store, rows: list[tuple]) -> None:
    """(thread_id, story_id, article_id, date, precision, text, span_start, span_end)."""
    store.conn.executemany(
        "INSERT INTO event(thread_id, story_id, article_id, date, precision, text, span_start, span_end)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        rows,
    )


def delete_article_events(store: Store, article_id: int) -> None:
    store.conn.execute("DELETE FROM event WHERE article_id = ?", (article_id,))
    store.conn.execute("UPDATE link_doc SET events_done = 0 WHERE article_id = ?", (article_id,))


def originals_without_events(store: Store) -> list[Any]:
    """Linked originals (not reposts) whose events are not taken yet: id, body, published, story_id,
    thread_id."""
    return store.conn.execute(
        "SELECT a.id, a.body, a.published, a.story_id, s.thread_id FROM link_doc d"
        " JOIN article a ON a.id = d.article_id JOIN story s ON s.id = a.story_id"
        " WHERE d.events_done = 0 AND a.duplicate_of IS NULL ORDER BY d.seq"
    ).fetchall()


def mark_events_done(store: Store, article_ids: list[int]) -> None:
    store.conn.executemany(
        "UPDATE link_doc SET events_done = 1 WHERE article_id = ?", [(i,) for i in article_ids]
    )


# --- reads --------------------------------------------------------------------------------------------


def thread(store: Store, thread_id: int, *, with_stories: bool = True) -> ThreadPage | None:
    """A thread with its timeline, and its stories unless `with_stories` is False (a story page shows
    only the timeline)."""
    row = store.conn.execute("SELECT * FROM thread WHERE id = ?", (thread_id,)).fetchone()
    if row is None:
        return None
    found = timeline(store, thread_id)
    return ThreadPage(
        id=row["id"],
        title=row["title"] or "",
        first_seen=row["first_seen"],
        last_seen=row["last_seen"],
        story_count=row["story_count"],
        terms=[str(t) for t in decode_json(row["terms"], [])],
        stories=thread_stories(store, thread_id) if with_stories else [],
        events=found.events,
        background=found.background,
    )


def timeline(store: Store, thread_id: int) -> Timeline:
    """A thread's timeline: one entry per dated fact its visible articles state, the background apart
    (see marsad.store.timeline)."""
    row = store.conn.execute("SELECT first_seen FROM thread WHERE id = ?", (thread_id,)).fetchone()
    rows = store.conn.execute(
        "SELECT e.id, e.date, e.precision, e.text, e.story_id, e.article_id, e.span_start, e.span_end,"
        f" a.url, a.title, a.published, {INSTANT} AS published_at, a.duplicate_of, s.name AS outlet FROM event e"
        " JOIN article a ON a.id = e.article_id LEFT JOIN source s ON s.id = a.source_id"
        " WHERE e.thread_id = ? AND a.hidden = 0",
        (thread_id,),
    )
    return build(
        (
            TimelineSource(
                id=r["id"],
                date=r["date"],
                precision=r["precision"],
                text=r["text"],
                story_id=r["story_id"],
                article_id=r["article_id"],
                article_url=r["url"],
                article_title=r["title"],
                outlet=r["outlet"],
                published=r["published"],
                published_at=r["published_at"],
                repost=r["duplicate_of"] is not None,
                span=(r["span_start"], r["span_end"]),
            )
            for r in rows
        ),
        row["first_seen"] if row else None,
    )
