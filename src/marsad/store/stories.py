"""Stories (one event, several outlets, days): the rows linking writes, with their link state, and the reads
of the reader, the API and the command line, all from here.

Reads count, list and title a story by the articles a reader can see (linking counts every article, hidden
or not): a story whose every article is hidden is not shown.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from marsad.store.articles import LIST_COLUMNS, OLDEST, ArticleItem, article_rows
from marsad.store.db import Store
from marsad.store.sql import chunks, decode_json, insert_rows, marks, to_json


@dataclass(kw_only=True)
class StoryItem:
    id: int
    thread_id: int | None
    title: str
    first_seen: str | None
    last_seen: str | None
    article_count: int  # visible articles
    outlet_count: int
    outlets: list[str]  # their outlets' names, sorted


@dataclass(kw_only=True)
class OutletGroup:
    outlet: str
    source_id: int | None
    articles: list[ArticleItem]  # originals, each with its reposts


@dataclass(kw_only=True)
class StoryPage(StoryItem):
    articles: list[ArticleItem]  # every visible member, oldest first
    groups: list[OutletGroup]


# --- writes (linking) ---------------------------------------------------------------------------------


def insert_stories(store: Store, rows: list[tuple[int, str, int, str, str]]) -> None:
    """New stories: (id, title, representative_id, first_seen, last_seen)."""
    insert_rows(store, "INSERT INTO story(id, title, representative_id, first_seen, last_seen)", rows)


def save_stories(store: Store, stories: list[dict]) -> None:
    """Each story: id, title, representative_id, first_seen, last_seen, thread_id, article_count, outlets,
    centroid, numbers, places, members."""
    store.conn.executemany(
        "UPDATE story SET title = ?, representative_id = ?, first_seen = ?, last_seen = ?, thread_id = ?,"
        " article_count = ?, outlet_count = ?, outlets = ?,"
        " updated_at = strftime('%Y-%m-%dT%H:%M:%SZ','now') WHERE id = ?",
        [
            (
                story["title"],
                story["representative_id"],
                story["first_seen"],
                story["last_seen"],
                story["thread_id"],
                story["article_count"],
                len(story["outlets"]),
                to_json(story["outlets"]),
                story["id"],
            )
            for story in stories
        ],
    )
    store.conn.executemany(
        "INSERT OR REPLACE INTO story_state(story_id, centroid, numbers, places, members, first_at, last_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)",
        [
            (
                story["id"],
                to_json(story["centroid"]),
                to_json(story["numbers"]),
                to_json(story["places"]),
                story["members"],
                story["first_seen"],
                story["last_seen"],
            )
            for story in stories
        ],
    )


_STORY_STATE = (
    "SELECT s.id, s.title, s.representative_id, s.first_seen, s.last_seen, s.thread_id, s.article_count,"
    " s.outlets, t.centroid, t.numbers, t.places, t.members"
    " FROM story_state t JOIN story s ON s.id = t.story_id"
)


def open_stories(store: Store, since: str) -> list[Any]:
    """Stories (with their link state) last seen at or after `since`."""
    return store.conn.execute(_STORY_STATE + " WHERE t.last_at >= ? ORDER BY s.id", (since,)).fetchall()


def stories_by_id(store: Store, ids: list[int]) -> list[Any]:
    out: list[Any] = []
    for part in chunks(ids):
        out.extend(
            store.conn.execute(_STORY_STATE + f" WHERE s.id IN ({marks(len(part))}) ORDER BY s.id", part)
        )
    return out


def centroid_members(store: Store, story_ids: list[int]) -> list[Any]:
    """(story_id, article_id, title, vector JSON, opening vector JSON) of the members that make each
    story's centroid, in link order."""
    out = []
    for part in chunks(story_ids):
        out.extend(
            store.conn.execute(
                "SELECT a.story_id, a.id, a.title, d.vector, d.opening FROM article a"
                " JOIN link_doc d ON d.article_id = a.id"
                f" WHERE a.story_id IN ({marks(len(part))}) AND d.in_centroid = 1 ORDER BY d.seq",
                part,
            ).fetchall()
        )
    return out


# --- reads --------------------------------------------------------------------------------------------

STORY_COLUMNS = (
    "st.id, st.thread_id, st.first_seen, st.last_seen,"
    " (SELECT count(*) FROM article a WHERE a.story_id = st.id AND a.hidden = 0) AS article_count,"
    " (SELECT count(DISTINCT a.source_id) FROM article a WHERE a.story_id = st.id AND a.hidden = 0)"
    " AS outlet_count,"
    " (SELECT json_group_array(name) FROM (SELECT DISTINCT coalesce(o.name, o.name_latin, o.key) AS name"
    " FROM article a JOIN source o ON o.id = a.source_id WHERE a.story_id = st.id AND a.hidden = 0"
    " ORDER BY name)) AS outlets,"
    " coalesce((SELECT a.title FROM article a WHERE a.id = st.representative_id AND a.hidden = 0),"
    " (SELECT a.title FROM article a WHERE a.story_id = st.id AND a.hidden = 0"
    f" {OLDEST} LIMIT 1)) AS title"
)


def story_item(row: Any) -> StoryItem:
    return StoryItem(
        id=row["id"],
        thread_id=row["thread_id"],
        title=row["title"] or "",
        first_seen=row["first_seen"],
        last_seen=row["last_seen"],
        article_count=row["article_count"],
        outlet_count=row["outlet_count"],
        outlets=[str(name) for name in decode_json(row["outlets"], [])],
    )


def _visible(where: str, tail: str = "") -> str:
    """Stories with what a reader sees of them, those with no visible article left out."""
    return f"SELECT * FROM (SELECT {STORY_COLUMNS} FROM story st {where}) WHERE title IS NOT NULL {tail}"


def stories(
    store: Store, limit: int = 30, offset: int = 0, *, since: str | None = None, min_outlets: int = 0
) -> list[StoryItem]:
    """Stories last seen at or after `since` (an ISO date) and told by `min_outlets` outlets or more, the
    most recently active first."""
    # linking's own outlet count is never below the visible one: it narrows the stories to count
    sql = _visible(
        "WHERE (:since IS NULL OR st.last_seen >= :since) AND st.outlet_count >= :min"
        " ORDER BY st.last_seen DESC, st.id DESC",
        "AND outlet_count >= :min LIMIT :limit OFFSET :offset",
    )
    params = {"since": since, "min": min_outlets, "limit": limit, "offset": offset}
    return [story_item(r) for r in store.conn.execute(sql, params)]


def top_stories(store: Store, limit: int = 8, recent: int = 40) -> list[StoryItem]:
    """Of the `recent` most recently active stories, the `limit` told by the most outlets."""
    sql = _visible("WHERE st.article_count > 0 ORDER BY st.last_seen DESC, st.id DESC LIMIT ?")
    candidates = [story_item(r) for r in store.conn.execute(sql, (recent,))]
    candidates.sort(key=lambda s: (s.outlet_count, s.article_count, s.last_seen or ""), reverse=True)
    return candidates[:limit]


def thread_stories(store: Store, thread_id: int) -> list[StoryItem]:
    """A thread's stories, oldest first."""
    sql = _visible("WHERE st.thread_id = ? ORDER BY st.first_seen, st.id")
    return [story_item(r) for r in store.conn.execute(sql, (thread_id,))]


def story_summary(store: Store, story_id: int | None) -> StoryItem | None:
    """A story without its articles (what an article's page says of its story)."""
    if story_id is None:
        return None
    row = store.conn.execute(f"SELECT {STORY_COLUMNS} FROM story st WHERE st.id = ?", (story_id,)).fetchone()
    return story_item(row) if row else None


def story(store: Store, story_id: int) -> StoryPage | None:
    """A story with its visible articles, oldest first, and grouped by outlet."""
    item = story_summary(store, story_id)
    if item is None:
        return None
    members = article_rows(
        store,
        f"SELECT {LIST_COLUMNS} FROM article a LEFT JOIN source s ON s.id = a.source_id"
        f" WHERE a.story_id = ? AND a.hidden = 0 {OLDEST}",
        (story_id,),
    )
    return StoryPage(**vars(item), articles=members, groups=group_by_outlet(members))


def group_by_outlet(members: list[ArticleItem]) -> list[OutletGroup]:
    """Originals grouped by outlet (earliest outlet first), each original carrying its reposts."""
    ids = {m.id for m in members}
    originals = [m for m in members if m.duplicate_of is None or m.duplicate_of not in ids]
    for m in originals:
        m.reposts = [r for r in members if r.duplicate_of == m.id]
    groups: dict[str, OutletGroup] = {}
    for m in originals:
        name = m.outlet or m.original_outlet or ""
        groups.setdefault(name, OutletGroup(outlet=name, source_id=m.source_id, articles=[])).articles.append(
            m
        )
    return list(groups.values())
