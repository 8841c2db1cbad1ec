"""The reader's details: one count of a story's outlets, the no-results page, relative times on cards,
the API docs and the favicon served from what is installed, and the feeds each page announces."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

from fastapi.testclient import TestClient
from selectolax.lexbor import LexborHTMLParser as HTMLParser

from marsad.store.db import Store
from marsad.web import create_app, present

from .conftest import insert_article


def doc(response) -> HTMLParser:
    assert response.status_code == 200, response.text[:300]
    return HTMLParser(response.text)


def text(node) -> str:
    return " ".join(node.text().split())


def test_a_story_counts_its_outlets_and_articles_alike_everywhere(client):
    """Story 1: دوزيم's original, مغرس's repost of it and هسبريس's report: three outlets carried it,
    though its page groups the repost under دوزيم (two groups)."""
    home = doc(client.get("/")).css(".top-stories .story-card")[0]
    listing = [c for c in doc(client.get("/stories")).css(".story-card") if "/stories/1" in c.html][0]
    page = doc(client.get("/stories/1"))
    expected = ["3 مصادر", "3 أخبار"]
    assert [text(c) for c in home.css(".count")] == expected
    assert [text(c) for c in listing.css(".count")] == expected
    assert [text(c) for c in page.css(".story header .count")] == ["3 أخبار", "3 مصادر"]
    assert len(page.css(".outlet-group")) == 2
    api = client.get("/api/v1/stories/1").json()
    assert (api["outlet_count"], len(api["articles"])) == (3, 3)


def test_a_search_that_finds_nothing_says_so_with_suggestions(indexed_client):
    page = doc(indexed_client.get("/search", params={"q": "زلزال"}))
    assert text(page.css_first("#res-title")) == "لم نجد أي خبر يطابق «زلزال»."
    assert "0" not in text(page.css_first("main"))
    assert not page.css(".facets") and not page.css(".hits")
    suggestions = [text(li) for li in page.css(".no-results li")]
    assert suggestions[0] == "تحقّق من كتابة الكلمات، أو جرّب كلمة أخرى بالمعنى نفسه."
    assert len(suggestions) == 4
    # with filters, the first suggestion is the same words without them
    filtered = doc(
        indexed_client.get("/search", params={"q": "المحروقات", "outlet": 1, "since": "2018-05-01"})
    )
    assert text(filtered.css_first("#res-title")) == "لم نجد أي خبر يطابق «المحروقات» مع التصفية المختارة."
    first = filtered.css(".no-results li a")[0]
    assert first.attributes["href"] == "/search?q=%D8%A7%D9%84%D9%85%D8%AD%D8%B1%D9%88%D9%82%D8%A7%D8%AA"
    assert text(first) == "ابحث عن «المحروقات» في كل المصادر والأقسام والتواريخ"
    # a search that finds two counts them as Arabic does
    two = doc(indexed_client.get("/search", params={"q": "الإرهاب", "outlet": 1}))
    assert text(two.css_first("#res-title")) == "خبران"


def _recent(archive: Path, now: datetime) -> None:
    """Articles published 2 hours, 26 hours, 3 days and 40 days before `now`, stated at +03:00."""
    at = timezone(timedelta(hours=3))
    ages = [
        (21, timedelta(hours=2)),
        (22, timedelta(hours=26)),
        (23, timedelta(days=3)),
        (24, timedelta(days=40)),
    ]
    with Store(archive) as store, store.transaction():
        for article_id, age in ages:
            published = (now - age).astimezone(at).isoformat(timespec="seconds")
            insert_article(
                store,
                (article_id, 4, f"https://www.alarabiya.net/recent/{article_id}", f"خبر حديث {article_id}",
                 ["نص الخبر."], published, ["world"], None, None, None, None, []),
            )  # fmt: skip


def test_listing_cards_say_how_long_ago_with_the_date_in_the_title(archive):
    now = datetime.now(UTC)
    _recent(archive, now)
    client = TestClient(create_app(archive))
    cards = {
        item.css_first("a").attributes["href"]: item.css_first("time")
        for item in doc(client.get("/outlets/4")).css(".list .item")
    }
    assert [text(cards[f"/articles/{i}"]) for i in (21, 22, 23)] == ["منذ ساعتين", "أمس", "منذ 3 أيام"]
    two_hours = cards["/articles/21"]
    published = (
        (now - timedelta(hours=2)).astimezone(timezone(timedelta(hours=3))).isoformat(timespec="seconds")
    )
    assert two_hours.attributes["datetime"] == published
    assert two_hours.attributes["title"] == present.arabic_date(published, "minute")
    assert re.fullmatch(r"\d+ \w+ \d{4}، الساعة \d\d:\d\d", two_hours.attributes["title"])
    # older than 30 days: the date itself, as before
    old = cards["/articles/24"]
    assert text(old) == present.arabic_date(old.attributes["datetime"], "minute")
    assert "title" not in old.attributes
    assert text(cards["/articles/6"]) == "2 مايو 2018، الساعة 08:00"
    # the article's own page keeps the full date
    article = doc(client.get("/articles/21"))
    assert text(article.css_first(".article header time")) == present.arabic_date(published, "minute")


def test_api_docs_are_served_with_assets_from_the_installed_package(client):
    import fastapi_offline

    page = doc(client.get("/docs"))
    assert page.css_first("html").attributes["lang"] == "ar"
    ui = page.css_first("#swagger-ui")
    assert (ui.attributes["data-openapi"], ui.attributes["dir"]) == ("/openapi.json", "ltr")
    sources = [s.attributes["src"].split("?")[0] for s in page.css("script[src]")]
    assert sources == ["/static/marsad.js", "/docs/assets/swagger-ui-bundle.js", "/static/docs.js"]
    styles = [s.attributes["href"].split("?")[0] for s in page.css("link[rel=stylesheet]")]
    assert styles == ["/static/marsad.css", "/docs/assets/swagger-ui.css"]
    assert not page.css("script:not([src])")  # the CSP allows no inline script
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", client.get("/docs").text)  # nothing from a CDN
    shipped = Path(fastapi_offline.__file__).parent / "static"
    for name, kind in (("swagger-ui-bundle.js", "javascript"), ("swagger-ui.css", "text/css")):
        asset = client.get(f"/docs/assets/{name}")
        assert asset.status_code == 200
        assert kind in asset.headers["content-type"]
        assert asset.content == (shipped / name).read_bytes()
    assert client.get("/openapi.json").json()["info"]["title"] == "Marsad API"


def test_favicon_answers_and_every_page_links_it_and_its_feeds(client):
    icon = client.get("/favicon.ico")
    assert icon.status_code == 200
    assert icon.headers["content-type"] == "image/svg+xml"
    svg = (Path(present.__file__).parent / "static" / "favicon.svg").read_bytes()
    assert icon.content == svg == client.get("/static/favicon.svg").content
    assert svg.startswith(
        b'<svg xmlns="http://www.w3.org/2000/svg" width="64" height="64" viewBox="0 0 64 64"'
    )
    feeds = {
        "/": ["/feeds/latest.rss"],
        "/outlets/4": ["/feeds/latest.rss", "/feeds/outlets/4.rss"],
        "/stories/1": ["/feeds/latest.rss", "/feeds/stories/1.rss"],
        "/search?q=%D8%A7%D9%84%D9%85%D8%AD%D8%B1%D9%88%D9%82%D8%A7%D8%AA": [
            "/feeds/latest.rss",
            "/feeds/search.rss?q=%D8%A7%D9%84%D9%85%D8%AD%D8%B1%D9%88%D9%82%D8%A7%D8%AA",
        ],
    }
    for path, expected in feeds.items():
        page = doc(client.get(path))
        assert [link.attributes["href"] for link in page.css("link[rel=icon]")] == ["/static/favicon.svg"]
        rss = [
            link.attributes["href"] for link in page.css('link[rel=alternate][type="application/rss+xml"]')
        ]
        assert rss == expected, path
        for href in rss:
            assert client.get(href).headers["content-type"] == "application/rss+xml; charset=utf-8"


def test_a_page_cached_before_a_quiet_spell_is_rebuilt_not_served(archive):
    """A cached listing is served for CACHE_SECONDS, then (stale) while its successor is built, but never
    once it expired more than STALE_SECONDS ago: its relative times would be that much older."""
    import time

    from marsad.web.context import STALE_SECONDS

    app = create_app(archive)
    client = TestClient(app)
    assert "/articles/21" not in client.get("/").text  # now cached
    _recent(archive, datetime.now(UTC))
    cache = app.state.reader._cache
    key = ("page", "home", False)
    html = cache[key][1]
    cache[key] = (time.monotonic() - 1, html)  # just expired: served as it was, rebuilt behind it
    assert "/articles/21" not in client.get("/").text
    cache[key] = (time.monotonic() - STALE_SECONDS - 1, html)  # expired a minute ago: rebuilt first
    page = client.get("/").text
    assert "/articles/21" in page
    assert "منذ ساعتين" in page
