"""Whole crawl rounds against the fixture site: feeds -> queue -> pages -> ingest, then a second round."""

from __future__ import annotations

from datetime import timedelta

import pytest

from marsad.crawl.rounds import CrawlSettings, crawl_once
from marsad.store import crawl as crawl_store
from marsad.store.db import Store

from .conftest import add_site_outlets, make_config
from .fixture_site import article_text

SETTINGS = CrawlSettings(
    fetch=make_config(),
    feed_interval=timedelta(0),
    batch_size=10,
    flush_seconds=0.2,
    retry_delay=timedelta(0),
)


@pytest.fixture()
def crawled(site, tmp_path):
    """A database with outlets a (RSS), b (Atom + news sitemap) and c (broken feed), crawled once."""
    store = Store(tmp_path / "m.db")
    add_site_outlets(store, site)
    site.log.clear()
    report = crawl_once(store, SETTINGS)
    yield store, report
    store.close()


def test_first_round_ingests_every_listed_article(site, crawled):
    store, report = crawled
    rows = store.conn.execute("SELECT url, title, body FROM article ORDER BY url").fetchall()
    expected = {site.a.base + f"/news/{n}.html": n for n in (1, 2, 3)}
    expected |= {site.b.base + f"/b/{n}.html": n for n in (21, 22, 23, 24)}
    assert {r["url"] for r in rows} == set(expected)
    for row in rows:
        title, body = article_text(expected[row["url"]])
        assert row["title"] == title and row["body"] == "\n".join(body)
    assert (report.feeds_checked, report.urls_queued, report.pages_fetched, report.articles_new) == (
        4,
        8,
        7,
        7,
    )
    assert report.pages_failed == 1 and report.feeds_failed == 1


def test_robots_disallowed_article_is_never_requested(site, crawled):
    store, _ = crawled
    assert "/private/secret.html" not in [h.path for h in site.log]
    row = store.conn.execute("SELECT state, error FROM crawl_queue WHERE url LIKE '%/private/%'").fetchone()
    assert row["state"] == "failed" and row["error"].startswith("robots.txt of ")


def test_health_figures_per_outlet(site, crawled):
    store, _ = crawled
    status = {s.key: s for s in crawl_store.outlet_status(store)}
    a, b, c = status["127.0.0.2"], status["127.0.0.3"], status["127.0.0.4"]
    assert (a.done, a.failed, a.errors, a.articles_per_day) == (3, 1, 0, 0.43)
    assert (b.done, b.failed, b.errors, b.articles_per_day) == (4, 0, 0, 0.57)
    assert a.last_success is not None and b.last_success is not None
    assert (c.done, c.errors, c.last_success) == (0, 1, None)
    assert c.last_error.startswith("the feed's XML is broken")
    assert crawl_store.outlet_health(store, c.id) == c


def test_broken_feed_is_kept_as_a_failure_with_its_bytes(site, crawled):
    store, _ = crawled
    row = store.conn.execute("SELECT origin, stage, reason, content FROM failure").fetchone()
    assert (row["origin"], row["stage"]) == (site.c.base + "/broken.xml", "read")
    assert row["reason"].startswith("the feed's XML is broken") and row["content"].startswith(b"<?xml")


def test_second_round_is_conditional_and_fetches_nothing_unchanged(site, crawled):
    store, _ = crawled
    site.log.clear()
    report = crawl_once(store, SETTINGS)
    assert (report.feeds_checked, report.feeds_unchanged, report.urls_queued, report.pages_fetched) == (
        4,
        3,
        0,
        0,
    )
    # robots.txt is kept in the database: within its day of validity it is not asked for again
    assert sorted(h.path for h in site.log) == ["/atom.xml", "/broken.xml", "/news-sitemap.xml", "/rss.xml"]
    feeds = {h.path: h.headers for h in site.log}
    assert feeds["/rss.xml"]["If-None-Match"] == '"rss-v1"'
    assert "If-Modified-Since" in feeds["/atom.xml"] and "If-Modified-Since" in feeds["/news-sitemap.xml"]
    assert store.conn.execute("SELECT count(*) FROM article").fetchone()[0] == 7


def test_a_changed_feed_queues_only_its_new_article(site, crawled):
    from .fixture_site import Resource, article_html, rss

    store, _ = crawled
    items = [(f"/news/{n}.html", f"خبر {n}") for n in (1, 2, 3, 4)]
    site.a.routes["/rss.xml"] = Resource(rss(site.a.base, items), "application/rss+xml", etag='"rss-v2"')
    site.a.routes["/news/4.html"] = Resource(article_html(4))
    site.log.clear()
    report = crawl_once(store, SETTINGS)
    assert (report.urls_queued, report.pages_fetched, report.articles_new) == (1, 1, 1)
    assert [h.path for h in site.log if h.path.startswith("/news/")] == ["/news/4.html"]


def test_transient_failure_is_retried_in_a_later_round(site, crawled):
    from .fixture_site import Resource, article_html, rss

    store, _ = crawled
    site.a.routes["/rss.xml"] = Resource(rss(site.a.base, [("/flaky.html", "x")]), "application/rss+xml")
    site.a.routes["/flaky.html"] = Resource(b"busy", "text/plain", 503)
    first = crawl_once(store, SETTINGS)
    assert (first.pages_retry, first.pages_failed) == (1, 0)
    site.a.routes["/flaky.html"] = Resource(article_html(5))
    second = crawl_once(store, SETTINGS)
    assert (second.pages_fetched, second.articles_new) == (1, 1)
    row = store.conn.execute(
        "SELECT state, attempts FROM crawl_queue WHERE url LIKE '%/flaky.html'"
    ).fetchone()
    assert (row["state"], row["attempts"]) == ("done", 2)


def test_removed_outlet_is_no_longer_crawled_but_keeps_its_articles(site, crawled):
    store, _ = crawled
    outlet = crawl_store.find_outlet(store, "127.0.0.2")
    assert crawl_store.remove_outlet(store, outlet["id"]) == "stopped"
    site.log.clear()
    crawl_once(store, SETTINGS)
    assert [h for h in site.log if h.port == site.a.port] == []
    assert (
        store.conn.execute("SELECT count(*) FROM article WHERE source_id = ?", (outlet["id"],)).fetchone()[0]
        == 3
    )


def test_expired_robots_txt_is_revalidated_conditionally(site, crawled):
    store, _ = crawled
    site.a.routes["/robots.txt"].etag = '"robots-1"'
    store.conn.execute("UPDATE crawl_robots SET fetched_at = '2000-01-01T00:00:00Z', etag = '\"robots-1\"'")
    site.log.clear()
    crawl_once(store, SETTINGS)
    robots = [h for h in site.log if h.path == "/robots.txt"]
    assert len(robots) == 3  # a, b and c, each once
    assert [h.headers.get("If-None-Match") for h in robots if h.port == site.a.port] == ['"robots-1"']
    assert "/private/secret.html" not in [h.path for h in site.log]


def test_windows_1256_pages_are_stored_as_arabic_text(site, crawled):
    from .fixture_site import Resource, rss

    store, _ = crawled
    items = [("/cp1256.html", "x"), ("/cp1256-meta.html", "y"), ("/cp1256-bare.html", "z")]
    site.a.routes["/rss.xml"] = Resource(rss(site.a.base, items), "application/rss+xml")
    report = crawl_once(store, SETTINGS)
    assert report.articles_new == 3
    for path, n in (("/cp1256.html", 11), ("/cp1256-meta.html", 12), ("/cp1256-bare.html", 13)):
        row = store.conn.execute(
            "SELECT title, body FROM article WHERE url = ?", (site.a.base + path,)
        ).fetchone()
        assert (row["title"], row["body"]) == (article_text(n)[0], "\n".join(article_text(n)[1]))


def test_crawl_every_runs_rounds_until_told_to_stop(site, crawled):
    from marsad.crawl.rounds import crawl_every

    store, _ = crawled
    reports = []
    crawl_every(store, timedelta(0), SETTINGS, rounds=2, on_round=reports.append)
    assert [(r.feeds_checked, r.feeds_unchanged, r.pages_fetched) for r in reports] == [(4, 3, 0), (4, 3, 0)]


def test_malformed_urls_in_a_feed_do_not_stop_the_round(site, crawled):
    from .fixture_site import Resource, article_html, rss

    store, _ = crawled
    base = site.a.base
    feed = rss(base, [("/news/5.html", "x")]).replace(
        b"<item>",
        b"<item><title>a</title><link>http://[::1/x</link></item><item><title>b</title>"
        b"<link>http://127.0.0.2:99999/y</link></item><item>",
        1,
    )
    site.a.routes["/rss.xml"] = Resource(feed, "application/rss+xml")
    site.a.routes["/news/5.html"] = Resource(article_html(5))
    report = crawl_once(store, SETTINGS)
    assert report.articles_new == 1
    assert (
        store.conn.execute("SELECT error FROM crawl_queue WHERE url LIKE '%99999%'")
        .fetchone()[0]
        .startswith("malformed URL")
    )
