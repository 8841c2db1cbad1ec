"""What linking made of a store, keyed by URL so that two stores whose ids were given in other orders
compare: reposts, stories, threads, events and every thread's timeline."""

from __future__ import annotations

import hashlib

from marsad.store import stories
from marsad.store import threads as thread_rows
from marsad.store.db import Store


def snapshot(store: Store) -> dict:
    """Links by URL, so that ids given by two runs compare."""
    url = dict(store.conn.execute("SELECT id, url FROM article").fetchall())
    rows = store.conn.execute("SELECT id, duplicate_of, story_id FROM article").fetchall()
    members: dict[int, set[str]] = {}
    for r in rows:
        members.setdefault(r["story_id"], set()).add(url[r["id"]])
    story_key = {sid: frozenset(urls) for sid, urls in members.items()}
    found = set()
    threads: dict[int, set] = {}
    for sid in story_key:
        s = stories.story_summary(store, sid)
        found.add((story_key[sid], s.title, s.first_seen, s.last_seen, tuple(s.outlets)))
        threads.setdefault(s.thread_id, set()).add(story_key[sid])
    events = sorted(
        (
            url[e["article_id"]],
            e["date"],
            e["precision"],
            e["text"],
            story_key[e["story_id"]] in threads[e["thread_id"]],
        )
        for e in store.conn.execute("SELECT * FROM event").fetchall()
    )
    return {
        "duplicates": {url[r["id"]]: url[r["duplicate_of"]] for r in rows if r["duplicate_of"]},
        "stories": found,
        "threads": {frozenset(v) for v in threads.values()},
        "events": events,
    }


def timelines(store: Store) -> dict[frozenset, list]:
    """Every thread's timeline as its page, the API and the CLI show it (marsad.store.threads.timeline),
    under the URLs of the thread's articles."""
    url = dict(store.conn.execute("SELECT id, url FROM article").fetchall())
    out = {}
    for (thread_id,) in store.conn.execute("SELECT id FROM thread").fetchall():
        key = frozenset(
            url[r[0]]
            for r in store.conn.execute(
                "SELECT a.id FROM article a JOIN story s ON s.id = a.story_id WHERE s.thread_id = ?",
                (thread_id,),
            )
        )
        found = thread_rows.timeline(store, thread_id)
        out[key] = [
            (entry.date, entry.precision, entry.background, [(s.article_url, s.text) for s in entry.sources])
            for entry in [*found.events, *found.background]
        ]
    return out


def digest(store: Store) -> str:
    """A short hash of snapshot() and timelines(): equal digests, the same links and timelines."""
    found = snapshot(store)
    parts = [
        sorted(found["duplicates"].items()),
        sorted((sorted(s[0]), *s[1:]) for s in found["stories"]),
        sorted(sorted(sorted(story) for story in t) for t in found["threads"]),
        found["events"],
        sorted((sorted(k), v) for k, v in timelines(store).items()),
    ]
    return hashlib.sha1(repr(parts).encode()).hexdigest()[:12]
