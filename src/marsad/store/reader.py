"""Every read the web reader needs: latest articles, outlets, categories, one article with its neighbours,
stories with their articles, threads with their timeline, and a plain fallback search.

Listings leave hidden articles out; `article()` returns a hidden one too (with hidden=True) so the page at
its address can say it was hidden. Rows come back as plain dicts with the JSON columns decoded.
"""

from __future__ import annotations

import json
import sqlite3
from typing import Any

from marsad.store.db import Store, execute_indexed

LIST_COLUMNS = (
    "a.id, a.url, a.title, a.published, a.precision, a.author, a.source_id, s.name AS outlet,"
    " s.key AS outlet_key, a.original_outlet, a.original_url, a.duplicate_of, a.story_id, a.categories,"
    " a.hidden, a.summary, a.language"
)
FROM_ARTICLE = "FROM article a LEFT JOIN source s ON s.id = a.source_id"
NEWEST = "ORDER BY a.published DESC, a.id DESC"


def _decode(row: sqlite3.Row) -> dict[str, Any]:
    item = dict(row)
    for key, empty in (
        ("categories", []),
        ("images", []),
        ("page_extra", {}),
        ("outlets", []),
        ("terms", []),
    ):
        if key in item:
            try:
                item[key] = json.loads(item[key]) if item[key] else empty
            except (TypeError, ValueError):
                item[key] = empty
    if "hidden" in item:
        item["hidden"] = bool(item["hidden"])
    if "body" in item:
        item["paragraphs"] = [p for p in (item["body"] or "").split("\n") if p.strip()]
    return item


def _rows(store: Store, sql: str, params: tuple = ()) -> list[dict[str, Any]]:
    return [_decode(r) for r in store.conn.execute(sql, params).fetchall()]


def _has_table(store: Store, name: str) -> bool:
    row = store.conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (name,)
    ).fetchone()
    return row is not None


# --- articles -------------------------------------------------------------------------------------------


def latest(
    store: Store, limit: int = 30, offset: int = 0, *, outlet_id: int | None = None, reposts: bool = False
) -> list[dict[str, Any]]:
    """Visible articles, newest first; reposts (duplicate_of set) left out unless `reposts`."""
    where = ["a.hidden = 0"]
    params: list[Any] = []
    if not reposts:
        where.append("+a.duplicate_of IS NULL")  # "+": walk the published index, not the duplicate one
    if outlet_id is not None:
        where.append("a.source_id = ?")
        params.append(outlet_id)
    sql = f"SELECT {LIST_COLUMNS} {FROM_ARTICLE} WHERE {' AND '.join(where)} {NEWEST} LIMIT ? OFFSET ?"
    return _rows(store, sql, (*params, limit, offset))


def by_category(store: Store, category: str, limit: int = 30, offset: int = 0) -> list[dict[str, Any]]:
    sql = (
        f"SELECT {LIST_COLUMNS} {FROM_ARTICLE} WHERE a.hidden = 0 AND +a.duplicate_of IS NULL"
        f" AND EXISTS (SELECT 1 FROM json_each(a.categories) WHERE json_each.value = ?) {NEWEST} LIMIT ? OFFSET ?"
    )
    return _rows(store, sql, (category, limit, offset))


# Articles are counted by their list of categories first (few distinct lists), read from a partial index of
# the visible originals' lists: walking the article table, bodies and all, took 10 s at a million articles;
# this takes 0.1 s.
_CATEGORY_COUNTS = (
    "SELECT j.value AS name, sum(g.n) AS n FROM (SELECT a.categories AS categories, count(*) AS n"
    " FROM article a {indexed} WHERE a.hidden = 0 AND a.duplicate_of IS NULL AND json_valid(a.categories)"
    " GROUP BY a.categories) g, json_each(g.categories) j GROUP BY j.value ORDER BY n DESC, j.value"
)


def categories(store: Store) -> list[tuple[str, int]]:
    """Every category with its count of visible articles, largest first."""
    rows = execute_indexed(store, _CATEGORY_COUNTS, "article_categories").fetchall()
    return [(r["name"], r["n"]) for r in rows if isinstance(r["name"], str) and r["name"].strip()]


def sections(store: Store, per_section: int = 5, window: int = 600) -> dict[str, list[dict[str, Any]]]:
    """The newest articles of each category, taken from the newest `window` articles."""
    out: dict[str, list[dict[str, Any]]] = {}
    for item in latest(store, window):
        for cat in item["categories"]:
            if isinstance(cat, str) and cat.strip():
                bucket = out.setdefault(cat, [])
                if len(bucket) < per_section:
                    bucket.append(item)
    return out


def article(store: Store, article_id: int) -> dict[str, Any] | None:
    """One article with its body, images and page extras; hidden ones too (look at item["hidden"])."""
    row = store.conn.execute(
        f"SELECT {LIST_COLUMNS}, a.body, a.images, a.page_extra, a.fetched_at {FROM_ARTICLE} WHERE a.id = ?",
        (article_id,),
    ).fetchone()
    return _decode(row) if row else None


def neighbours(store: Store, item: dict[str, Any]) -> tuple[dict | None, dict | None]:
    """(previous, next) visible article of the same outlet by publication time (undated ones first),
    walking the (source_id, published) index."""
    if item.get("source_id") is None:
        return None, None
    base = f"SELECT {LIST_COLUMNS} {FROM_ARTICLE} WHERE a.source_id = :source AND a.hidden = 0 AND "
    older = "ORDER BY a.published DESC, a.id DESC LIMIT 1"
    newer = "ORDER BY a.published ASC, a.id ASC LIMIT 1"
    params = {"source": item["source_id"], "published": item["published"], "id": item["id"]}
    undated_before = base + f"a.published IS NULL AND a.id < :id {older}"
    undated_after = base + f"a.published IS NULL AND a.id > :id {newer}"
    first_dated = base + f"a.published IS NOT NULL {newer}"
    last_undated = base + f"a.published IS NULL {older}"
    if item["published"] is None:
        before = _one(store, undated_before, params)
        after = _one(store, undated_after, params) or _one(store, first_dated, params)
    else:
        dated_before = (
            base + f"a.published <= :published AND (a.published < :published OR a.id < :id) {older}"
        )
        dated_after = base + f"a.published >= :published AND (a.published > :published OR a.id > :id) {newer}"
        before = _one(store, dated_before, params) or _one(store, last_undated, params)
        after = _one(store, dated_after, params)
    return before, after


def _one(store: Store, sql: str, params: dict[str, Any]) -> dict[str, Any] | None:
    row = store.conn.execute(sql, params).fetchone()
    return _decode(row) if row else None


def reposts_of(store: Store, article_id: int) -> list[dict[str, Any]]:
    sql = f"SELECT {LIST_COLUMNS} {FROM_ARTICLE} WHERE a.duplicate_of = ? AND a.hidden = 0 {NEWEST}"
    return _rows(store, sql, (article_id,))


def ticker(store: Store, limit: int = 20) -> list[dict[str, Any]]:
    return latest(store, limit)


def count_articles(store: Store) -> int:
    return store.conn.execute("SELECT count(*) FROM article WHERE hidden = 0").fetchone()[0]


# --- outlets --------------------------------------------------------------------------------------------


def outlets(store: Store) -> list[dict[str, Any]]:
    """Every outlet with its count of visible articles and its newest publication date."""
    # all articles, counted on the source index alone, less the hidden ones: few, found from `flag`
    # (CROSS JOIN keeps SQLite from walking every article of the outlet instead)
    hidden = dict(
        store.conn.execute(
            "SELECT a.source_id, count(*) FROM flag f CROSS JOIN article a ON a.id = f.article_id"
            " WHERE f.image_url = '' AND a.hidden = 1 GROUP BY a.source_id"
        ).fetchall()
    )
    items = _rows(
        store,
        "SELECT s.id, s.key, s.name, s.name_latin, s.home_url, s.country, s.is_aggregator,"
        " (SELECT count(*) FROM article a WHERE a.source_id = s.id) AS article_count,"
        " (SELECT max(a.published) FROM article a WHERE a.source_id = s.id) AS newest FROM source s",
    )
    for item in items:
        item["article_count"] -= hidden.get(item["id"], 0)
    items.sort(key=lambda o: (-o["article_count"], o["name"]))
    return items


def outlet(store: Store, outlet_id: int) -> dict[str, Any] | None:
    row = store.conn.execute("SELECT * FROM source WHERE id = ?", (outlet_id,)).fetchone()
    return _decode(row) if row else None


def latest_per_outlet(store: Store, per_outlet: int = 5) -> list[tuple[dict[str, Any], list[dict[str, Any]]]]:
    out = []
    for source in outlets(store):
        items = latest(store, per_outlet, outlet_id=source["id"], reposts=True)
        if items:
            out.append((source, items))
    return out


# --- stories and threads --------------------------------------------------------------------------------

STORY_COLUMNS = (
    "st.id, st.thread_id, st.first_seen, st.last_seen,"
    # counts and outlets of the articles a reader can see (linking counts every article, hidden or not)
    " (SELECT count(*) FROM article a WHERE a.story_id = st.id AND a.hidden = 0) AS article_count,"
    " (SELECT count(DISTINCT a.source_id) FROM article a WHERE a.story_id = st.id AND a.hidden = 0)"
    " AS outlet_count,"
    " (SELECT json_group_array(name) FROM (SELECT DISTINCT coalesce(o.name, o.name_latin, o.key) AS name"
    " FROM article a JOIN source o ON o.id = a.source_id WHERE a.story_id = st.id AND a.hidden = 0"
    " ORDER BY name)) AS outlets,"
    " coalesce((SELECT a.title FROM article a WHERE a.id = st.representative_id AND a.hidden = 0),"
    " (SELECT a.title FROM article a WHERE a.story_id = st.id AND a.hidden = 0"
    " ORDER BY a.published, a.id LIMIT 1)) AS title"
)


def _visible_story(sql_where: str) -> str:
    return f"SELECT * FROM (SELECT {STORY_COLUMNS} FROM story st {sql_where}) WHERE title IS NOT NULL"


def top_stories(store: Store, limit: int = 8, recent: int = 40) -> list[dict[str, Any]]:
    """Of the `recent` most recently active stories, the `limit` told by the most outlets."""
    if not _has_table(store, "story"):
        return []
    sql = _visible_story("WHERE st.article_count > 0 ORDER BY st.last_seen DESC, st.id DESC LIMIT ?")
    candidates = _rows(store, sql, (recent,))
    candidates.sort(key=lambda s: (s["outlet_count"], s["article_count"], s["last_seen"] or ""), reverse=True)
    return candidates[:limit]


def stories(store: Store, limit: int = 30, offset: int = 0) -> list[dict[str, Any]]:
    if not _has_table(store, "story"):
        return []
    sql = _visible_story("ORDER BY st.last_seen DESC, st.id DESC LIMIT ? OFFSET ?")
    return _rows(store, sql, (limit, offset))


def story(store: Store, story_id: int) -> dict[str, Any] | None:
    """A story with its visible articles: groups of (outlet, [original with its reposts])."""
    if not _has_table(store, "story"):
        return None
    row = store.conn.execute(f"SELECT {STORY_COLUMNS} FROM story st WHERE st.id = ?", (story_id,)).fetchone()
    if row is None:
        return None
    item = _decode(row)
    members = _rows(
        store,
        f"SELECT {LIST_COLUMNS} {FROM_ARTICLE} WHERE a.story_id = ? AND a.hidden = 0"
        " ORDER BY a.published, a.id",
        (story_id,),
    )
    item["articles"] = members
    item["groups"] = group_by_outlet(members)
    item["title"] = item["title"] or ""
    return item


def group_by_outlet(members: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Originals grouped by outlet (earliest outlet first), each original carrying its reposts."""
    ids = {m["id"] for m in members}
    originals = [m for m in members if m["duplicate_of"] is None or m["duplicate_of"] not in ids]
    for m in originals:
        m["reposts"] = [r for r in members if r["duplicate_of"] == m["id"]]
    groups: dict[str, dict[str, Any]] = {}
    for m in originals:
        name = m["outlet"] or m["original_outlet"] or ""
        groups.setdefault(name, {"outlet": name, "source_id": m["source_id"], "articles": []})
        groups[name]["articles"].append(m)
    return list(groups.values())


def thread(store: Store, thread_id: int, *, with_stories: bool = True) -> dict[str, Any] | None:
    """A thread with its timeline, and its stories unless `with_stories` is False (a story page shows
    only the timeline)."""
    if not _has_table(store, "thread"):
        return None
    row = store.conn.execute("SELECT * FROM thread WHERE id = ?", (thread_id,)).fetchone()
    if row is None:
        return None
    item = _decode(row)
    item["stories"] = (
        _rows(store, _visible_story("WHERE st.thread_id = ? ORDER BY st.first_seen, st.id"), (thread_id,))
        if with_stories
        else []
    )
    item["events"] = thread_events(store, thread_id)
    return item


def thread_events(store: Store, thread_id: int) -> list[dict[str, Any]]:
    """Dated events of a thread in date order, leaving out those whose article is hidden and repeats of
    the same sentence at the same date (a repost carries its original's events)."""
    if not _has_table(store, "event"):
        return []
    from marsad.store.stories import ensure_events

    ensure_events(store, thread_id)  # linking leaves a thread's events to the first read of its timeline
    seen: set[tuple[str, str]] = set()
    out = []
    for event in _rows(
        store,
        "SELECT e.id, e.date, e.precision, e.text, e.story_id, e.article_id, a.title AS article_title,"
        " s.name AS outlet FROM event e JOIN article a ON a.id = e.article_id"
        " LEFT JOIN source s ON s.id = a.source_id"
        " WHERE e.thread_id = ? AND a.hidden = 0 ORDER BY e.date, a.duplicate_of IS NOT NULL, e.id",
        (thread_id,),
    ):
        key = (event["date"], " ".join(event["text"].split()))
        if key not in seen:
            seen.add(key)
            out.append(event)
    return out


def story_of(store: Store, story_id: int | None) -> dict[str, Any] | None:
    if story_id is None or not _has_table(store, "story"):
        return None
    row = store.conn.execute(f"SELECT {STORY_COLUMNS} FROM story st WHERE st.id = ?", (story_id,)).fetchone()
    return _decode(row) if row else None


# --- fallback search ------------------------------------------------------------------------------------


def search_like(
    store: Store,
    terms: list[str],
    limit: int = 20,
    offset: int = 0,
    *,
    outlet: int | None = None,
    category: str | None = None,
    since: str | None = None,
    until: str | None = None,
    story: int | None = None,
) -> tuple[int, list[dict]]:
    """Substring search on title and body (every term must appear), used when marsad.search is absent.
    The filters are the search page's: an outlet id, a category, whole periods ("2018", "2018-05",
    "2018-05-31") from `since` to `until`, a story."""
    terms = [t for t in terms if t][:8]
    if not terms:
        return 0, []
    conditions = ["a.hidden = 0"]
    params: list[Any] = []
    for t in terms:
        pattern = "%" + t.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        conditions.append("(a.title LIKE ? ESCAPE '\\' OR a.body LIKE ? ESCAPE '\\')")
        params += [pattern, pattern]
    if outlet is not None:
        conditions.append("a.source_id = ?")
        params.append(outlet)
    if category:
        conditions.append("EXISTS (SELECT 1 FROM json_each(a.categories) WHERE lower(value) = lower(?))")
        params.append(category.strip())
    if since:  # ISO dates compare as text; a period is compared on as many characters as it has
        conditions.append("substr(a.published, 1, ?) >= ?")
        params += [len(since), since]
    if until:
        conditions.append("substr(a.published, 1, ?) <= ?")
        params += [len(until), until]
    if story is not None:
        conditions.append("a.story_id = ?")
        params.append(story)
    where = "WHERE " + " AND ".join(conditions)
    total = store.conn.execute(f"SELECT count(*) {FROM_ARTICLE} {where}", params).fetchone()[0]
    rows = _rows(
        store,
        f"SELECT {LIST_COLUMNS}, a.body {FROM_ARTICLE} {where} {NEWEST} LIMIT ? OFFSET ?",
        (*params, limit, offset),
    )
    return total, rows
