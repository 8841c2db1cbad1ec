"""Listings order articles by the instant they were published, not by the clock time as an outlet states
it: 21:00 at +03:00 (18:00 UTC) is earlier than 19:10 at +01:00 (18:10 UTC)."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from marsad.store import articles, stories
from marsad.store.db import Store
from marsad.web import create_app

from .conftest import insert_article

# (id, source, url, title, body, published, categories, duplicate_of, original_outlet, original_url, story,
#  images): three articles of story 3 whose stated clock times run opposite to their instants
OFFSET_ARTICLES = [
    (11, 4, "https://www.alarabiya.net/a/11", "الخبر بتوقيت مكة", ["نص."], "2018-06-01T21:00:00+03:00",
     ["world"], None, None, None, 3, []),
    (12, 1, "https://www.hespress.com/a/12", "الخبر بتوقيت الرباط", ["نص."], "2018-06-01T19:10:00+01:00",
     ["world"], None, None, None, 3, []),
    (13, 1, "https://www.hespress.com/a/13", "الخبر بتوقيت غرينتش", ["نص."], "2018-06-01T18:05:00Z",
     ["world"], None, None, None, 3, []),
    (14, 1, "https://www.hespress.com/a/14", "خبر من ذلك اليوم", ["نص."], "2018-06-01",
     ["world"], None, None, None, None, []),
]  # fmt: skip


@pytest.fixture()
def offsets(archive):
    with Store(archive) as store, store.transaction() as conn:
        for row in OFFSET_ARTICLES:
            insert_article(store, row)
        conn.execute(
            "INSERT INTO story(id, title, representative_id, first_seen, last_seen, article_count,"
            " outlet_count, outlets) VALUES (3, 'الخبر', 11, '2018-06-01T18:00:00', '2018-06-01T18:10:00', 3, 2,"
            ' \'["العربية", "هسبريس"]\')'
        )
    return archive


def test_latest_orders_by_instant(offsets):
    with Store(offsets) as store:
        # 12: 18:10 UTC, 13: 18:05 UTC, 11: 18:00 UTC, 14: the day (its start, 00:00 UTC)
        assert [a.id for a in articles.latest(store, 4)] == [12, 13, 11, 14]
        assert [a.id for a in articles.latest(store, 3, outlet_id=1)] == [12, 13, 14]
        assert [a.id for a in articles.by_category(store, "world")] == [12, 13, 11, 14]
        members = stories.story(store, 3)
        assert [a.id for a in members.articles] == [11, 13, 12]  # oldest first
        page = articles.article(store, 13)
        previous, following = articles.neighbours(store, page)
        assert (previous.id, following.id) == (14, 12)


def test_pages_and_feeds_order_by_instant(offsets):
    client = TestClient(create_app(offsets))
    home = client.get("/").text
    assert home.index("/articles/12") < home.index("/articles/13") < home.index("/articles/11")
    story = client.get("/feeds/stories/3.json").json()
    assert [i["id"].rsplit("/", 1)[1] for i in story["items"]] == ["12", "13", "11"]
    assert [a["id"] for a in client.get("/api/v1/articles", params={"limit": 4}).json()] == [12, 13, 11, 14]


@pytest.mark.sqlite_only("reads SQLite's query plans")
def test_the_listings_walk_the_instant_indexes(offsets):
    """SQLite uses the indexes of schema 013 (on the same expression) instead of sorting every row."""
    with Store(offsets) as store:
        names = {r[0] for r in store.conn.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
        assert {"article_instant", "article_source_instant"} <= names

        def plan(sql: str, params: tuple = ()) -> str:
            return " | ".join(r[3] for r in store.conn.execute("EXPLAIN QUERY PLAN " + sql, params))

        latest = (
            f"SELECT a.id {articles.FROM_ARTICLE} WHERE a.hidden = 0 AND +a.duplicate_of IS NULL"
            f" {articles.NEWEST} LIMIT 12"
        )
        assert "USING INDEX article_instant" in plan(latest)
        assert "TEMP B-TREE" not in plan(latest)
        outlet = f"SELECT a.id {articles.FROM_ARTICLE} WHERE a.hidden = 0 AND a.source_id = ? {articles.NEWEST} LIMIT 5"
        assert "USING INDEX article_source_instant (source_id=?)" in plan(outlet, (1,))
        assert "TEMP B-TREE" not in plan(outlet, (1,))


def test_instant_sql_agrees_with_the_readers_instant(offsets):
    from marsad.web import present

    values = [
        "2018-11-15T21:00:00+03:00",
        "2018-11-15T19:10:00",
        "2018-11-15T19:10:00.250-04:30",
        "2018-11-15",
        "2018-11",
        "2018-Q4",
        "2018",
        "not a date",
    ]
    with Store(offsets) as store:
        sql = f"SELECT {articles.instant_of('p')} FROM (SELECT ? AS p)"
        found = [store.conn.execute(sql, [v]).fetchone()[0] for v in values]
    assert found == [
        "2018-11-15T18:00:00",
        "2018-11-15T19:10:00",
        "2018-11-15T23:40:00",
        "2018-11-15T00:00:00",
        "2018-11-01T00:00:00",
        "2018-10-01T00:00:00",
        "2018-01-01T00:00:00",
        None,
    ]
    expected = [present.instant(v) for v in values]
    assert [e.strftime("%Y-%m-%dT%H:%M:%S") if e else None for e in expected] == found
