"""Coverage over time on the reader: the chart is well-formed SVG with one bar per period, time running
right to left; its table equals its CSV and the store's series; the JSON API; a search's trend; rising on
the home page; every text escaped."""

from __future__ import annotations

import csv
import io
import re
from datetime import date, timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from lxml import etree, html

from marsad.store import trends
from marsad.store.db import Store
from marsad.web import create_app

from .conftest import XSS_PAYLOADS

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from marsad.demo import ingest_targets
    from marsad.ingest import ingest

    path = tmp_path_factory.mktemp("trends-web") / "demo.db"
    with Store(path) as store:
        assert ingest(ingest_targets(), store, progress=False).failed == 0
    return path


@pytest.fixture(scope="module")
def demo(demo_db: Path) -> TestClient:
    return TestClient(create_app(demo_db))


def _forum_thread(demo_db: Path) -> int:
    with Store(demo_db, readonly=True) as store:
        return store.conn.execute(
            "SELECT thread_id FROM story GROUP BY thread_id ORDER BY count(*) DESC, thread_id LIMIT 1"
        ).fetchone()[0]


def _svg(page: str) -> etree._Element:
    """The page's chart, parsed as XML on its own (it must be well-formed)."""
    found = re.search(r"<svg .*?</svg>", page, re.S)
    assert found, "no chart on the page"
    return etree.fromstring(found.group(0).encode())


def _table(page: str) -> list[tuple[str, int]]:
    doc = html.fromstring(page)
    return [
        (row.xpath("string(th/time/@datetime)"), int(row.xpath("string(td)")))
        for row in doc.xpath("//table[@class='trend-table']/tbody/tr")
    ]


def test_the_thread_chart_has_one_bar_per_week_and_time_runs_right_to_left(demo, demo_db):
    thread_id = _forum_thread(demo_db)
    with Store(demo_db, readonly=True) as store:
        series = trends.for_thread(store, thread_id, "week")
    page = demo.get(f"/threads/{thread_id}").text
    svg = _svg(page)
    assert svg.tag == f"{SVG}svg" and svg.get("role") == "img"
    title_id, desc_id = svg.get("aria-labelledby").split()
    assert svg.find(f"{SVG}title").get("id") == title_id and svg.find(f"{SVG}desc").get("id") == desc_id
    assert svg.find(f"{SVG}desc").text == (
        "17 خبرا أسبوعيا من أسبوع 19 سبتمبر 2016 إلى أسبوع 24 سبتمبر 2018؛ أعلاها أسبوع 18 سبتمبر 2017: 5 أخبار"
        "؛ وبلا يوم نشر معروف: خبر واحد."
    )
    bars = svg.findall(f"{SVG}rect[@class='bar']")
    assert len(bars) == len(series.periods) == 106
    assert [(b.get("data-start"), int(b.get("data-count"))) for b in bars] == [
        (s.isoformat(), n) for s, n in series.periods
    ]
    xs = [float(b.get("x")) for b in bars]
    assert xs == sorted(xs, reverse=True)  # the oldest week is the rightmost bar
    busiest = next(b for b in bars if b.get("data-start") == "2017-09-18")
    assert busiest.find(f"{SVG}title").text == "أسبوع 18 سبتمبر 2017: 5 أخبار"
    assert float(busiest.get("height")) == pytest.approx(182 * 5 / 5)  # the peak reaches the top (5)
    labels = [t.text for t in svg.findall(f"{SVG}text")]
    assert labels == [  # the count axis, then six weeks named by their Monday, the oldest first (rightmost)
        "0",
        "5",
        "19 سبتمبر 2016",
        "13 فبراير 2017",
        "10 يوليو 2017",
        "4 ديسمبر 2017",
        "30 أبريل 2018",
        "24 سبتمبر 2018",
    ]


def test_the_table_equals_the_csv_and_the_store(demo, demo_db):
    thread_id = _forum_thread(demo_db)
    with Store(demo_db, readonly=True) as store:
        series = trends.for_thread(store, thread_id, "month")
    page = demo.get(f"/trends?kind=thread&id={thread_id}&by=month")
    assert page.status_code == 200
    table = _table(page.text)
    response = demo.get(f"/trends?kind=thread&id={thread_id}&by=month&format=csv")
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert (
        response.headers["content-disposition"]
        == f'attachment; filename="marsad-trend-thread-{thread_id}-month.csv"'
    )
    rows = list(csv.reader(io.StringIO(response.text)))
    assert rows[0] == ["start", "end", "articles"]
    assert (
        [(start, int(n)) for start, _, n in rows[1:]]
        == table
        == [(s.isoformat(), n) for s, n in series.periods]
    )
    assert rows[1] == ["2016-09-01", "2016-09-30", "2"] and rows[-1] == ["2018-09-01", "2018-09-30", "3"]
    assert len(table) == 25 and sum(n for _, n in table) == 16
    assert "وبلا يوم نشر معروف (دون تاريخ أو بالشهر أو السنة فقط): خبر واحد" in page.text


def test_story_and_outlet_pages_carry_their_trend(demo, demo_db):
    with Store(demo_db, readonly=True) as store:
        story_id, members = store.conn.execute(
            "SELECT story_id, count(*) FROM article WHERE story_id IS NOT NULL GROUP BY story_id"
            " ORDER BY count(*) DESC, story_id LIMIT 1"
        ).fetchone()
        outlet_id = store.conn.execute("SELECT id FROM source ORDER BY id LIMIT 1").fetchone()[0]
        outlet_series = trends.for_outlet(store, outlet_id)
    story_bars = _svg(demo.get(f"/stories/{story_id}").text).findall(f"{SVG}rect[@class='bar']")
    assert [(b.get("data-start"), b.get("data-count")) for b in story_bars] == [("2017-09-21", str(members))]
    outlet_page = demo.get(f"/outlets/{outlet_id}").text
    assert len(_svg(outlet_page).findall(f"{SVG}rect[@class='bar']")) == len(outlet_series.periods)
    assert "trend-table" not in demo.get(f"/outlets/{outlet_id}?page=2").text  # the first page only
    for kind, item_id, path in (("story", story_id, "stories"), ("outlet", outlet_id, "outlets")):
        heading = html.fromstring(demo.get(f"/trends?kind={kind}&id={item_id}").text).xpath("//h1/a/@href")
        assert heading == [f"/{path}/{item_id}"]


def test_the_api_gives_the_series(demo, demo_db):
    thread_id = _forum_thread(demo_db)
    body = demo.get(f"/api/v1/trends?kind=thread&id={thread_id}&by=month").json()
    assert {k: body[k] for k in ("kind", "id", "q", "by", "undated", "total", "error")} == {
        "kind": "thread",
        "id": thread_id,
        "q": None,
        "by": "month",
        "undated": 1,
        "total": 17,
        "error": None,
    }
    assert body["periods"][0] == {"start": "2016-09-01", "end": "2016-09-30", "articles": 2}
    assert len(body["periods"]) == 25
    week = demo.get(f"/api/v1/trends?kind=thread&id={thread_id}&by=week").json()["periods"]
    assert week[0] == {"start": "2016-09-19", "end": "2016-09-25", "articles": 2}
    assert demo.get("/api/v1/trends?kind=thread&id=999999").status_code == 404
    assert demo.get("/api/v1/trends?kind=planet&id=1").json() == {"detail": "no kind 'planet'"}
    assert demo.get("/api/v1/trends").status_code == 400
    assert demo.get(f"/api/v1/trends?kind=thread&id={thread_id}&by=year").status_code == 422


def test_a_searchs_trend_counts_every_match(demo, demo_db):
    from marsad.search import search_ids

    with Store(demo_db, readonly=True) as store:
        ids = search_ids(store, "الإرهاب")
        days: dict[str | None, int] = {}
        for (day,) in store.conn.execute(
            f"SELECT strftime('%Y-%m-%d', published) FROM article WHERE hidden = 0 AND id IN ({','.join(map(str, ids))})"
        ):
            days[day] = days.get(day, 0) + 1
    body = demo.get("/api/v1/trends", params={"q": "الإرهاب", "by": "day"}).json()
    assert (body["kind"], body["q"], body["total"]) == ("search", "الإرهاب", len(ids))
    undated = days.pop(None)
    assert {p["start"]: p["articles"] for p in body["periods"] if p["articles"]} == days
    assert (body["undated"], len(days), undated) == (1, 8, 1)
    page = demo.get("/trends", params={"q": "الإرهاب"}).text
    assert len(_svg(page).findall(f"{SVG}rect[@class='bar']")) == len(
        demo.get("/api/v1/trends", params={"q": "الإرهاب"}).json()["periods"]
    )
    search_page = demo.get("/search", params={"q": "الإرهاب"}).text
    assert 'href="/trends?q=%D8%A7%D9%84%D8%A5%D8%B1%D9%87%D8%A7%D8%A8"' in search_page
    bad = demo.get("/api/v1/trends", params={"q": "-الإرهاب"}).json()
    assert bad["periods"] == [] and bad["error"]


def test_every_text_of_a_chart_is_escaped(archive: Path):
    with Store(archive) as store:
        store.conn.execute("UPDATE thread SET title = ? WHERE id = 1", (XSS_PAYLOADS[0],))
    client = TestClient(create_app(archive))
    for url in ("/threads/1", "/trends?kind=thread&id=1"):
        page = client.get(url).text
        svg = _svg(page)
        assert svg.find(f"{SVG}title").text == f"التغطية عبر الزمن: {XSS_PAYLOADS[0]}"
        assert "<script>alert('XSS')</script>" not in page
        assert not svg.xpath("//*[local-name()='script' or local-name()='foreignObject']")


def test_the_home_page_shows_the_rising_stories(tmp_path: Path):
    day = date(2018, 11, 16)
    rows = [(1, f"{day}T{9 + i:02d}:00:00+00:00") for i in range(5)]  # new: 5 on the day
    for back in range(1, 15):
        rows += [(2, f"{day - timedelta(days=back)}T10:00:00+00:00")] * 2  # 2 a day before
    rows += [(2, f"{day}T10:00:00+00:00")] * 5  # 5 on the day: under three times 2
    path = tmp_path / "rising.db"
    with Store(path) as store, store.transaction() as conn:
        conn.execute("INSERT INTO source(id, key, name) VALUES (1, 'outlet.example', 'مصدر')")
        conn.executemany(
            "INSERT INTO story(id, title) VALUES (?, ?)", [(1, "قصة جديدة <b>"), (2, "قصة يومية")]
        )
        conn.executemany(
            "INSERT INTO article(url, source_id, title, body, published, precision, story_id, content_hash)"
            " VALUES (?, 1, ?, '', ?, 'minute', ?, '')",
            [
                (
                    f"https://outlet.example/{n}",
                    f"قصة جديدة <b> {n}" if story == 1 else f"خبر {n}",
                    published,
                    story,
                )
                for n, (story, published) in enumerate(rows)
            ],
        )
        # topics rise as stories do: one named by story 1's articles (new), one by story 2's (steady)
        conn.executemany(
            "INSERT INTO topic(id, key, name, mined_at) VALUES (?, ?, ?, '2018-11-16T00:00:00Z')",
            [(1, "منتدي جديد", "المنتدى الجديد"), (2, "نشره يوميه", "النشرة اليومية")],
        )
        conn.execute(
            "INSERT INTO article_topic(topic_id, article_id) SELECT CASE story_id WHEN 1 THEN 1 ELSE 2 END, id"
            " FROM article"
        )
    client = TestClient(create_app(path))
    page = html.fromstring(client.get("/").text)
    section = page.xpath("//section[@class='rising']")[0]
    topics = section.xpath(".//ul[@class='rising-topics']/li/a")
    assert [(a.text_content(), a.get("href")) for a in topics] == [("المنتدى الجديد", "/topics/1")]
    # the topic's page shows its trend: 5 articles, all on the day
    trend = client.get("/api/v1/trends", params={"kind": "topic", "id": 2, "by": "day"}).json()
    assert (trend["title"], trend["total"], trend["periods"][-1]) == (
        "النشرة اليومية",
        33,
        {"start": "2018-11-16", "end": "2018-11-16", "articles": 5},
    )
    topic_page = html.fromstring(client.get("/topics/1").text)
    assert topic_page.xpath("count(//section[@class='trend']//svg//*[contains(@class, 'bar')])") == 1
    assert section.xpath("string(.//time/@datetime)") == "2018-11-16"
    cards = section.xpath(".//li[@class='story-card']")
    assert [(c.xpath("string(a[1])"), c.xpath("string(a[1]/@href)")) for c in cards] == [
        ("قصة جديدة <b> 0", "/stories/1")
    ]
    assert "5 أخبار في ذلك اليوم" in cards[0].text_content()


def test_the_count_axis_and_the_longest_chart():
    from marsad.web import charts

    assert [charts.nice_top(n) for n in (0, 1, 3, 7, 20, 2275)] == [1, 1, 5, 10, 20, 5000]
    start = date(2018, 1, 1)
    rows = [((start + timedelta(days=i)).isoformat(), "day", 1) for i in range(charts.MAX_BARS + 1)]
    assert charts.bar_chart(trends.series_of(rows[:-1], "day"), "t") is not None
    assert charts.bar_chart(trends.series_of(rows, "day"), "t") is None  # a table only
    assert charts.bar_chart(trends.series_of(rows, "auto"), "t") is not None  # weeks
