"""Adding outlets: feed discovery from home pages and robots.txt news sitemaps; OPML in and out."""

from __future__ import annotations

import asyncio

from marsad.crawl.outlets import OutletError, add_outlet, discover_feeds, export_opml, import_opml, read_opml
from marsad.sources.http.fetcher import Fetcher
from marsad.sources.sitemaps import parse_sitemap
from marsad.store import crawl as crawl_store
from marsad.store.db import Store

from .conftest import make_config
from .fixture_site import news_sitemap


def add(store: Store, url: str, **kwargs):
    async def run():
        async with Fetcher(make_config()) as fetcher:
            return await add_outlet(store, fetcher, url, **kwargs)

    return asyncio.run(run())


def test_discover_feeds_reads_alternate_links_only():
    html = (
        '<html><head><link rel="stylesheet" href="/s.css">'
        '<link rel="alternate" type="application/rss+xml" href="/ar/rss">'
        '<link rel="alternate" type="application/atom+xml" href="https://other.example/atom.xml">'
        '<link rel="alternate" hreflang="fr" href="/fr/">'
        '<link rel="alternate" type="application/rss+xml" href="javascript:alert(1)">'
        "</head></html>"
    )
    assert discover_feeds(html, "https://news.example/home") == [
        "https://news.example/ar/rss",
        "https://other.example/atom.xml",
    ]


def test_parse_news_sitemap_and_index():
    sitemap = parse_sitemap(news_sitemap("https://n.example", ["/a.html", "/b.html"]))
    assert sitemap.urls == ["https://n.example/a.html", "https://n.example/b.html"] and sitemap.news
    index = parse_sitemap(
        b'<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        b"<sitemap><loc>https://n.example/s1.xml</loc></sitemap></sitemapindex>"
    )
    assert index.children == ["https://n.example/s1.xml"] and index.urls == []
    assert parse_sitemap(b"<html><body>no</body></html>").urls == []


def test_add_outlet_discovers_rss_from_home_page(site, tmp_path):
    with Store(tmp_path / "m.db") as store:
        added = add(store, site.a.base + "/")
        assert (added.key, added.name) == ("127.0.0.2", "أخبار أ")
        assert added.feeds == [(site.a.base + "/rss.xml", "feed")]
        row = crawl_store.find_outlet(store, "127.0.0.2")
        assert row["crawl"] == 1 and row["feed_urls"] == f'["{site.a.base}/rss.xml"]'


def test_add_outlet_finds_atom_and_news_sitemap_from_robots(site, tmp_path):
    with Store(tmp_path / "m.db") as store:
        added = add(store, site.b.base + "/")
        assert added.feeds == [
            (site.b.base + "/atom.xml", "feed"),
            (site.b.base + "/news-sitemap.xml", "sitemap"),
        ]


def test_add_outlet_without_feeds_is_a_clear_error(site, tmp_path):
    site.c.routes["/"] = site.a.routes["/private/secret.html"]
    with Store(tmp_path / "m.db") as store:
        try:
            add(store, site.c.base + "/")
        except OutletError as error:
            assert str(error).startswith(f"no RSS/Atom feed or news sitemap found at {site.c.base}/")
        else:
            raise AssertionError("an outlet without feeds was added")
        assert crawl_store.crawled_outlets(store) == []


def test_remove_outlet_without_articles_deletes_it(site, tmp_path):
    with Store(tmp_path / "m.db") as store:
        added = add(store, site.a.base + "/")
        assert crawl_store.remove_outlet(store, added.id) == "deleted"
        assert crawl_store.find_outlet(store, "127.0.0.2") is None
        assert store.conn.execute("SELECT count(*) FROM crawl_feed").fetchone()[0] == 0


def test_opml_round_trip(tmp_path):
    opml = tmp_path / "feeds.opml"
    opml.write_text(
        '<?xml version="1.0"?><opml version="2.0"><head/><body><outline text="news">'
        '<outline type="rss" text="جريدة الصباح" xmlUrl="https://assabah.example/rss" htmlUrl="https://assabah.example/"/>'
        '<outline type="rss" text="جريدة الصباح رياضة" xmlUrl="https://assabah.example/sport/rss" htmlUrl="https://assabah.example/"/>'
        '<outline type="rss" text="Le Matin" xmlUrl="https://lematin.example/feed"/>'
        '<outline type="rss" text="bad" xmlUrl="ftp://x.example/feed"/>'
        "</outline></body></opml>",
        encoding="utf-8",
    )
    with Store(tmp_path / "m.db") as store:
        added = import_opml(store, opml)
        assert [(a.key, a.name, len(a.feeds)) for a in added] == [
            ("assabah.example", "جريدة الصباح", 2),
            ("lematin.example", "Le Matin", 1),
        ]
        exported = export_opml(store)
    assert read_opml(exported.encode()) == [
        ("https://assabah.example/rss", "جريدة الصباح", "https://assabah.example/"),
        ("https://assabah.example/sport/rss", "جريدة الصباح", "https://assabah.example/"),
        ("https://lematin.example/feed", "Le Matin", "https://lematin.example/"),
    ]
