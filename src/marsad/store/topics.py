"""Topics (marsad.link.topics mines them) and the articles that name them: the rows mining and assignment
write, and the reads of the reader, the API and the command line."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from marsad.store.articles import FROM_ARTICLE, INSTANT, LIST_COLUMNS, NEWEST, ArticleItem, article_rows
from marsad.store.db import Store
from marsad.store.sql import chunks, decode_json, insert_rows, marks, to_json
from marsad.store.stories import STORY_COLUMNS, StoryItem, story_item


@dataclass(kw_only=True)
class TopicRow:
    """A topic as mined."""

    key: str
    name: str
    variants: list[list[Any]]  # [form as published, occurrences]
    keys: list[str]
    strength: float
    article_count: int
    story_count: int
    outlet_count: int
    day_count: int
    first_seen: str | None
    last_seen: str | None


@dataclass(kw_only=True)
class TopicItem(TopicRow):
    id: int


@dataclass(kw_only=True)
class MiningRow:
    id: int
    title: str
    body: str
    source_id: int | None = None
    published: str | None = None
    story_id: int | None = None


# --- writes -------------------------------------------------------------------------------------------


def mining_rows(store: Store) -> Iterator[MiningRow]:
    """Every visible article's text, outlet, publication and story, in id order."""
    for r in store.conn.execute(
        "SELECT id, title, body, source_id, published, story_id FROM article WHERE hidden = 0 ORDER BY id"
    ):
        yield MiningRow(id=r[0], title=r[1], body=r[2], source_id=r[3], published=r[4], story_id=r[5])


def article_texts(store: Store, ids: list[int]) -> Iterator[MiningRow]:
    for part in chunks(ids):
        for r in store.conn.execute(
            f"SELECT id, title, body FROM article WHERE id IN ({marks(len(part))}) ORDER BY id", part
        ):
            yield MiningRow(id=r[0], title=r[1], body=r[2])


def article_ids_after(store: Store, last_id: int) -> list[int]:
    return [r[0] for r in store.conn.execute("SELECT id FROM article WHERE id > ? ORDER BY id", (last_id,))]


def all_article_ids(store: Store) -> list[int]:
    return [r[0] for r in store.conn.execute("SELECT id FROM article ORDER BY id")]


def replace(store: Store, topics: list[TopicRow], links: list[tuple[int, int]], mined_at: str) -> None:
    """Store a mining's topics (a key mined before keeps its id; keys not mined again go) and their
    articles (`links`: article id, index into `topics`). Call inside a transaction."""
    ids: list[int] = []
    for t in topics:
        row = store.conn.execute(
            "INSERT INTO topic(key, name, variants, keys, strength, article_count, story_count,"
            " outlet_count, day_count, first_seen, last_seen, mined_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
            " ON CONFLICT (key) DO UPDATE SET name = excluded.name, variants = excluded.variants,"
            " keys = excluded.keys, strength = excluded.strength, article_count = excluded.article_count,"
            " story_count = excluded.story_count, outlet_count = excluded.outlet_count,"
            " day_count = excluded.day_count, first_seen = excluded.first_seen,"
            " last_seen = excluded.last_seen, mined_at = excluded.mined_at RETURNING id",
            (
                t.key,
                t.name,
                to_json(t.variants),
                to_json(t.keys),
                t.strength,
                t.article_count,
                t.story_count,
                t.outlet_count,
                t.day_count,
                t.first_seen,
                t.last_seen,
                mined_at,
            ),
        ).fetchone()
        ids.append(row[0])
    store.conn.execute("DELETE FROM article_topic")
    store.conn.execute("DELETE FROM topic WHERE mined_at <> ?", (mined_at,))
    insert_rows(store, "INSERT INTO article_topic(topic_id, article_id)", [(ids[i], a) for a, i in links])


def topic_keys(store: Store) -> list[tuple[int, list[str]]]:
    """(id, keys) of every topic: what assignment looks for."""
    return [(r[0], decode_json(r[1], [])) for r in store.conn.execute("SELECT id, keys FROM topic")]


def set_article_topics(store: Store, article_ids: list[int], links: list[tuple[int, int]]) -> None:
    """The articles' topics are now `links` (article id, topic id): their old ones go, and the topics
    gained or lost count their articles and first and last seen again."""
    touched = {t for _, t in links}
    for part in chunks(article_ids):
        where = f"article_id IN ({marks(len(part))})"
        touched.update(
            r[0] for r in store.conn.execute(f"SELECT topic_id FROM article_topic WHERE {where}", part)
        )
        store.conn.execute(f"DELETE FROM article_topic WHERE {where}", part)
    insert_rows(store, "INSERT INTO article_topic(topic_id, article_id)", [(t, a) for a, t in links])
    recount(store, sorted(touched))


def recount(store: Store, topic_ids: list[int]) -> None:
    """A topic's article count and first and last seen, from its visible articles."""
    for part in chunks(topic_ids):
        store.conn.execute(
            "UPDATE topic SET (article_count, first_seen, last_seen) ="
            " (SELECT count(*), min(a.published), max(a.published) FROM article_topic x"
            "  JOIN article a ON a.id = x.article_id WHERE x.topic_id = topic.id AND a.hidden = 0)"
            f" WHERE id IN ({marks(len(part))})",
            part,
        )


# --- reads --------------------------------------------------------------------------------------------

_COLUMNS = (
    "id, key, name, variants, keys, strength, article_count, story_count, outlet_count, day_count,"
    " first_seen, last_seen"
)


def _item(r: Any) -> TopicItem:
    return TopicItem(
        id=r["id"],
        key=r["key"],
        name=r["name"],
        variants=decode_json(r["variants"], []),
        keys=decode_json(r["keys"], []),
        strength=r["strength"],
        article_count=r["article_count"],
        story_count=r["story_count"],
        outlet_count=r["outlet_count"],
        day_count=r["day_count"],
        first_seen=r["first_seen"],
        last_seen=r["last_seen"],
    )


def topics(store: Store, limit: int = 50, offset: int = 0) -> list[TopicItem]:
    """The strongest topics first."""
    sql = f"SELECT {_COLUMNS} FROM topic ORDER BY strength DESC, id LIMIT ? OFFSET ?"
    return [_item(r) for r in store.conn.execute(sql, (limit, offset))]


def count(store: Store) -> int:
    return store.conn.execute("SELECT count(*) FROM topic").fetchone()[0]


def topic(store: Store, topic_id: int) -> TopicItem | None:
    row = store.conn.execute(f"SELECT {_COLUMNS} FROM topic WHERE id = ?", (topic_id,)).fetchone()
    return _item(row) if row else None


def topic_by_key(store: Store, key: str) -> TopicItem | None:
    row = store.conn.execute(f"SELECT {_COLUMNS} FROM topic WHERE key = ?", (key,)).fetchone()
    return _item(row) if row else None


def article_topics(store: Store, article_id: int) -> list[TopicItem]:
    """An article's topics, strongest first."""
    sql = (
        f"SELECT {', '.join('t.' + c for c in _COLUMNS.split(', '))} FROM article_topic x"
        " JOIN topic t ON t.id = x.topic_id WHERE x.article_id = ? ORDER BY t.strength DESC, t.id"
    )
    return [_item(r) for r in store.conn.execute(sql, (article_id,))]


def story_topics(store: Store, story_id: int, limit: int = 12) -> list[tuple[TopicItem, int]]:
    """A story's topics with how many of its visible articles name each, the most named first."""
    sql = (
        f"SELECT {', '.join('t.' + c for c in _COLUMNS.split(', '))}, count(*) AS n FROM article a"
        " JOIN article_topic x ON x.article_id = a.id JOIN topic t ON t.id = x.topic_id"
        f" WHERE a.story_id = ? AND a.hidden = 0 GROUP BY {', '.join('t.' + c for c in _COLUMNS.split(', '))}"
        " ORDER BY n DESC, t.strength DESC, t.id LIMIT ?"
    )
    return [(_item(r), r["n"]) for r in store.conn.execute(sql, (story_id, limit))]


def topic_article_times(store: Store, topic_id: int) -> list[tuple[int, str | None]]:
    """(article id, published) of a topic's visible articles, oldest first: what a trend chart counts."""
    sql = (
        f"SELECT a.id, a.published FROM article_topic x JOIN article a ON a.id = x.article_id"
        f" WHERE x.topic_id = ? AND a.hidden = 0 ORDER BY {INSTANT}, a.id"
    )
    return [(r[0], r[1]) for r in store.conn.execute(sql, (topic_id,))]


def topic_latest(store: Store, topic_id: int, limit: int = 20, offset: int = 0) -> list[ArticleItem]:
    """A topic's visible articles, newest first."""
    sql = (
        f"SELECT {LIST_COLUMNS} {FROM_ARTICLE} JOIN article_topic x ON x.article_id = a.id"
        f" WHERE x.topic_id = ? AND a.hidden = 0 {NEWEST} LIMIT ? OFFSET ?"
    )
    return article_rows(store, sql, (topic_id, limit, offset))


def topic_stories(store: Store, topic_id: int, limit: int = 30) -> list[tuple[StoryItem, int]]:
    """The stories whose visible articles name the topic, with how many do, the most recently active
    first."""
    sql = (
        f"SELECT {STORY_COLUMNS}, n FROM (SELECT a.story_id AS sid, count(*) AS n FROM article_topic x"
        " JOIN article a ON a.id = x.article_id WHERE x.topic_id = ? AND a.hidden = 0 AND a.story_id IS NOT NULL"
        " GROUP BY a.story_id) m JOIN story st ON st.id = m.sid ORDER BY st.last_seen DESC, st.id DESC LIMIT ?"
    )
    return [(story_item(r), r["n"]) for r in store.conn.execute(sql, (topic_id, limit)) if r["title"]]


@dataclass(kw_only=True)
class TopicThread:
    id: int
    title: str
    first_seen: str | None
    last_seen: str | None
    story_count: int
    articles: int  # of the topic's articles, how many are in it


def topic_threads(store: Store, topic_id: int, limit: int = 20) -> list[TopicThread]:
    """The threads the topic's articles are in, the one with the most of them first."""
    sql = (
        "SELECT t.id, t.title, t.first_seen, t.last_seen, t.story_count, count(*) AS n FROM article_topic x"
        " JOIN article a ON a.id = x.article_id JOIN story s ON s.id = a.story_id JOIN thread t ON t.id = s.thread_id"
        " WHERE x.topic_id = ? AND a.hidden = 0"
        " GROUP BY t.id, t.title, t.first_seen, t.last_seen, t.story_count ORDER BY n DESC, t.id LIMIT ?"
    )
    return [
        TopicThread(
            id=r[0], title=r[1] or "", first_seen=r[2], last_seen=r[3], story_count=r[4], articles=r[5]
        )
        for r in store.conn.execute(sql, (topic_id, limit))
    ]


def topic_outlets(store: Store, topic_id: int) -> list[tuple[int, str, int]]:
    """(outlet id, name, articles) of the outlets naming the topic, the most first."""
    sql = (
        "SELECT s.id, s.name, count(*) AS n FROM article_topic x JOIN article a ON a.id = x.article_id"
        " JOIN source s ON s.id = a.source_id WHERE x.topic_id = ? AND a.hidden = 0"
        " GROUP BY s.id, s.name ORDER BY n DESC, s.name"
    )
    return [(r[0], r[1], r[2]) for r in store.conn.execute(sql, (topic_id,))]
