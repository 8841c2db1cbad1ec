"""Atom and JSON Feed: latest, per outlet, per story, per search."""

from __future__ import annotations

import xml.etree.ElementTree as ET

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
