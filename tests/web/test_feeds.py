"""Atom and JSON Feed: latest, per outlet, per story, per search."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import feedparser

ATOM = "{http://www.w3.org/2005/Atom}"


def atom_titles(response) -> list[str]:
    assert response.headers["content-type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)
    return [e.find(f"{ATOM}title").text for e in root.findall(f"{ATOM}entry")]


def test_latest_atom_and_json(client):
    titles = atom_titles(client.get("/feeds/latest.atom"))
    assert len(titles) == 7
    assert titles[1] == "ودائع الأسر المغربية لدى البنوك ترتفع"
    feed = client.get("/feeds/latest.json")
    assert feed.headers["content-type"].startswith("application/feed+json")
    body = feed.json()
    assert body["version"] == "https://jsonfeed.org/version/1.1"
    assert body["items"][1]["external_url"] == "https://www.hespress.com/economy/banks"
    assert body["items"][1]["date_published"] == "2018-05-03T11:00:00+01:00"
    assert "external_url" not in body["items"][0]  # a javascript: URL is never passed on


def test_outlet_story_and_search_feeds(indexed_client):
    client = indexed_client
    assert atom_titles(client.get("/feeds/outlets/4.atom")) == [
        "تراجع أسعار المحروقات في المغرب",
        "الرجاء يفوز بالكأس بعد مباراة مثيرة",
    ]
    story = client.get("/feeds/stories/1.json").json()
    assert [i["id"].rsplit("/", 1)[1] for i in story["items"]] == ["3", "2", "1"]
    assert atom_titles(client.get("/feeds/search.atom", params={"q": "المحروقات"})) == [
        "تراجع أسعار المحروقات في المغرب"
    ]
    assert client.get("/feeds/search.json", params={"q": "ودائع"}).json()["items"][0]["title"] == (
        "ودائع الأسر المغربية لدى البنوك ترتفع"
    )
    assert client.get("/feeds/latest.xml").status_code == 404
    assert client.get("/feeds/outlets/99.atom").status_code == 404


LATEST_IDS = [100, 7, 6, 5, 4, 3, 1]  # by instant: 2018-05-04T10:00Z, 2018-05-03T11:00+01:00, ...
BORITA_SUMMARY = (
    "دعا وزير الخارجية ناصر بوريطة، يوم الأربعاء بنيويورك، إلى تكثيف التعاون الدولي لمواجهة الإرهاب."
    " وجاءت كلمته خلال الاجتماع الوزاري الثامن للمنتدى العالمي لمكافحة الإرهاب الذي يرأسه المغرب وهولندا."
)


def test_rss_is_valid_rss_2_with_summary_outlet_and_dates(client):
    response = client.get("/feeds/latest.rss")
    assert response.headers["content-type"] == "application/rss+xml; charset=utf-8"
    feed = feedparser.parse(response.content)
    assert feed.bozo is False
    assert feed.version == "rss20"
    assert feed.feed.title == "مرصد: آخر الأخبار"
    assert feed.feed.link == "http://testserver/"
    assert feed.feed.language == "ar"
    assert feed.feed.updated == "Fri, 04 May 2018 10:00:00 +0000"
    links = [e.link for e in feed.entries]
    assert links == [f"http://testserver/articles/{i}" for i in LATEST_IDS]
    assert [e.id for e in feed.entries] == links
    assert [e.title for e in feed.entries][1:4] == [
        "ودائع الأسر المغربية لدى البنوك ترتفع",
        "تراجع أسعار المحروقات في المغرب",
        "الرجاء يفوز بالكأس بعد مباراة مثيرة",
    ]
    assert [e.published for e in feed.entries][1:] == [
        "Thu, 03 May 2018 11:00:00 +0100",
        "Wed, 02 May 2018 08:00:00 +0000",
        "Tue, 01 May 2018 20:00:00 +0000",
        "Thu, 12 Apr 2018 09:00:00 +0100",
        "Thu, 21 Sep 2017 15:00:00 +0100",
        "Thu, 21 Sep 2017 10:30:00 +0100",
    ]
    assert tuple(feed.entries[-1].published_parsed)[:6] == (2017, 9, 21, 9, 30, 0)  # UTC
    last = feed.entries[-1]  # by a journalist: the outlet is named too, as the item's source
    assert last.author == "و.م.ع"
    assert last.source == {"href": "http://testserver/feeds/outlets/2.rss", "title": "دوزيم"}
    assert last.summary == BORITA_SUMMARY  # none stored: written from the body
    assert [t.term for t in last.tags] == ["politics"]
    banks = feed.entries[1]
    assert banks.author == "هسبريس"
    assert banks.source == {"href": "http://testserver/feeds/outlets/1.rss", "title": "هسبريس"}
    assert banks.summary == "ارتفعت ودائع الأسر المغربية لدى البنوك خلال الأشهر الماضية."
    # the summary is text: markup in a body reaches a feed reader escaped, never as HTML
    xss = feed.entries[0]
    assert xss.summary.startswith("&lt;script&gt;alert('XSS')&lt;/script&gt; &lt;IMG SRC=")
    assert "<" not in xss.summary


def test_every_format_has_a_summary_and_names_the_outlet(client):
    atom = feedparser.parse(client.get("/feeds/latest.atom").content)
    assert atom.bozo is False
    assert [e.link for e in atom.entries] == [f"http://testserver/articles/{i}" for i in LATEST_IDS]
    assert atom.entries[-1].authors == [
        {"name": "و.م.ع"},
        {"name": "دوزيم", "href": "http://testserver/outlets/2"},
    ]
    assert atom.entries[1].authors == [{"name": "هسبريس", "href": "http://testserver/outlets/1"}]
    assert atom.entries[-1].summary == BORITA_SUMMARY
    assert all(e.summary for e in atom.entries)
    items = client.get("/feeds/latest.json").json()["items"]
    assert items[-1]["authors"] == [
        {"name": "و.م.ع"},
        {"name": "دوزيم", "url": "http://testserver/outlets/2"},
    ]
    assert items[-1]["summary"] == items[-1]["content_text"] == BORITA_SUMMARY
    assert items[1]["authors"] == [{"name": "هسبريس", "url": "http://testserver/outlets/1"}]
    assert [i["id"] for i in items] == [f"http://testserver/articles/{i}" for i in LATEST_IDS]


def test_rss_for_an_outlet_a_story_and_a_search(indexed_client):
    client = indexed_client
    outlet = feedparser.parse(client.get("/feeds/outlets/4.rss").content)
    assert outlet.bozo is False
    assert outlet.feed.title == "مرصد: العربية"
    assert outlet.feed.link == "http://testserver/outlets/4"
    assert [e.title for e in outlet.entries] == [
        "تراجع أسعار المحروقات في المغرب",
        "الرجاء يفوز بالكأس بعد مباراة مثيرة",
    ]
    story = feedparser.parse(client.get("/feeds/stories/1.rss").content)
    assert story.bozo is False
    assert [e.link.rsplit("/", 1)[1] for e in story.entries] == ["3", "2", "1"]  # newest first
    assert story.entries[1].source.title == "مغرس"  # the repost, credited to the outlet that carried it
    found = feedparser.parse(client.get("/feeds/search.rss", params={"q": "ودائع"}).content)
    assert found.bozo is False
    assert found.feed.title == "مرصد: بحث عن ودائع"
    assert [(e.title, e.summary, e.source.title) for e in found.entries] == [
        (
            "ودائع الأسر المغربية لدى البنوك ترتفع",
            "ارتفعت ودائع الأسر المغربية لدى البنوك خلال الأشهر الماضية.",
            "هسبريس",
        )
    ]


def test_the_demo_feeds_give_every_entry_a_summary_and_its_outlet(tmp_path):
    """The bundled demo: 38 originals, 10 of them stored without a summary (written from the body here),
    29 by a named journalist (whose entries name the outlet as well)."""
    from fastapi.testclient import TestClient

    from marsad.demo import ingest_targets
    from marsad.ingest import ingest
    from marsad.store.db import Store
    from marsad.web import create_app

    with Store(tmp_path / "demo.db") as store:
        ingest(ingest_targets(), store, progress=False)
        stored = store.conn.execute(
            "SELECT count(*), sum(summary IS NULL OR summary = ''), sum(author IS NOT NULL AND author != '')"
            " FROM article WHERE duplicate_of IS NULL AND hidden = 0"
        ).fetchone()
    assert tuple(stored) == (38, 10, 29)
    client = TestClient(create_app(tmp_path / "demo.db"))
    for fmt in ("rss", "atom"):
        feed = feedparser.parse(client.get(f"/feeds/latest.{fmt}").content)
        assert feed.bozo is False
        assert len(feed.entries) == 38
        assert sum(1 for e in feed.entries if e.get("summary")) == 38
    atom = feedparser.parse(client.get("/feeds/latest.atom").content)
    assert sum(1 for e in atom.entries if len(e.authors) == 2) == 29
    rss = feedparser.parse(client.get("/feeds/latest.rss").content)
    assert sum(1 for e in rss.entries if e.source.title) == 38
    items = client.get("/feeds/latest.json").json()["items"]
    assert sum(1 for i in items if i["summary"]) == 38
    assert sum(1 for i in items if len(i["authors"]) == 2) == 29
