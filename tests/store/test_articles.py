"""store.articles: upsert outcomes by content hash, categories merged, outlets as source rows, failures."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from marsad.models import Article, SourceFailure
from marsad.store.articles import (
    SourceCache,
    add_failure,
    content_hash,
    list_failures,
    published_iso,
    stats,
    upsert_article,
)
from marsad.store.db import Store

BODY = [
    "أعلنت وزارة الفلاحة عن انطلاق موسم الحصاد في عدد من الجهات.",
    "وتتوقع الوزارة محصولا أفضل من السنة الماضية.",
]


@pytest.fixture
def store(tmp_path: Path):
    with Store(tmp_path / "t.db") as s:
        yield s


def _article(**fields) -> Article:
    base = {
        "url": "https://www.Hespress.example/economie/moisson.html#comments",
        "title": "انطلاق موسم الحصاد",
        "body": list(BODY),
        "outlet": "هسبريس",
    }
    base.update(fields)
    return Article(**base)


def _upsert(store: Store, article: Article):
    with store.transaction() as conn:
        return upsert_article(conn, SourceCache(), article, origin="test", kind="html")


def test_content_hash_is_sha256_of_title_and_body() -> None:
    expected = hashlib.sha256("عنوان\nفقرة أولى\nفقرة ثانية".encode()).hexdigest()
    assert content_hash("عنوان", ["فقرة أولى", "فقرة ثانية"]) == expected
    assert content_hash("عنوان", "فقرة أولى\nفقرة ثانية") == expected


def test_new_unchanged_updated(store: Store) -> None:
    first = _upsert(store, _article())
    assert (first.outcome, first.url) == ("new", "https://www.hespress.example/economie/moisson.html")
    again = _upsert(store, _article(url="https://www.hespress.example/economie/moisson.html"))
    assert (again.outcome, again.id) == ("unchanged", first.id)
    changed = _upsert(store, _article(body=[*BODY, "وأضافت أن الأمطار الأخيرة ساعدت على ذلك."]))
    assert (changed.outcome, changed.id) == ("updated", first.id)
    body, digest = store.conn.execute("SELECT body, content_hash FROM article").fetchone()
    assert body.split("\n")[-1] == "وأضافت أن الأمطار الأخيرة ساعدت على ذلك."
    assert digest == content_hash("انطلاق موسم الحصاد", body)
    assert store.conn.execute("SELECT count(*) FROM article").fetchone()[0] == 1


def test_unchanged_writes_nothing(store: Store) -> None:
    _upsert(store, _article())
    before = store.conn.total_changes
    _upsert(store, _article())
    assert store.conn.total_changes == before


def test_categories_are_merged(store: Store) -> None:
    _upsert(store, _article(categories=["economy"]))
    merged = _upsert(store, _article(categories=["economy", "agriculture"]))
    assert merged.outcome == "updated"
    assert store.conn.execute("SELECT categories FROM article").fetchone()[0] == '["economy", "agriculture"]'
    assert _upsert(store, _article(categories=["agriculture"])).outcome == "unchanged"


def test_outlets_become_source_rows(store: Store) -> None:
    _upsert(store, _article())
    _upsert(store, _article(url="https://www.alarabiya.net/ar/a.html", outlet="alarabia"))
    _upsert(store, _article(url="https://www.alarabiya.net/ar/b.html", outlet=None))
    rows = store.conn.execute("SELECT key, name, name_latin FROM source ORDER BY id").fetchall()
    assert [tuple(r) for r in rows] == [
        ("hespress.example", "هسبريس", None),
        ("alarabiya.net", "العربية", "Al Arabiya"),
    ]
    assert stats(store)["by_outlet"] == {"العربية": 2, "هسبريس": 1}


def test_a_host_only_outlet_gets_its_name_later(store: Store) -> None:
    _upsert(store, _article(url="https://lakome.example/1", outlet=None))
    assert store.conn.execute("SELECT key, name FROM source").fetchall()[0][:] == (
        "lakome.example",
        "lakome.example",
    )
    _upsert(store, _article(url="https://lakome.example/2", outlet="لكم"))
    assert store.conn.execute("SELECT key, name FROM source").fetchall()[0][:] == ("lakome.example", "لكم")


def test_published_at_its_precision() -> None:
    moment = datetime(2017, 9, 21, 10, 30, tzinfo=timezone(timedelta(hours=1)))
    assert published_iso(moment, "minute") == "2017-09-21T10:30:00+01:00"
    assert published_iso(moment, "day") == "2017-09-21"
    assert published_iso(moment, "month") == "2017-09"
    assert published_iso(datetime(2018, 2, 1, tzinfo=UTC), "quarter") == "2018-Q1"
    assert published_iso(moment, "year") == "2017"
    assert published_iso(None, None) is None


def test_same_failure_twice_is_one_row(store: Store) -> None:
    failure = SourceFailure(
        "/data/x.html", None, "extract", "no article text was found on the page", "x" * 100_000
    )
    for _ in range(2):
        with store.transaction() as conn:
            add_failure(conn, failure)
    rows = list_failures(store)
    assert [(r["origin"], r["stage"], r["reason"], r["seen_count"], r["content_bytes"]) for r in rows] == [
        ("/data/x.html", "extract", "no article text was found on the page", 2, 65536)
    ]
