"""The operator's pages and API: an archive with the moderator's password, a signed-in browser, and a
loopback news site to discover feeds on (with discovery allowed to reach loopback only)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from crawl.fixture_site import Outlet, Resource, news_sitemap, rss

from marsad.store import crawl as crawl_store
from marsad.store.db import Store
from marsad.web import create_app

from ..conftest import ADMIN_PASSWORD as PASSWORD
from ..conftest import browser_client


def csrf_of(client, path: str = "/admin/login") -> str:
    return re.search(r'name="csrf" value="([^"]+)"', client.get(path).text).group(1)


def sign_in(client) -> None:
    answer = client.post("/admin/login", data={"csrf": csrf_of(client), "password": PASSWORD})
    assert answer.status_code == 303 and answer.headers["location"] == "/admin"


@pytest.fixture()
def news_site() -> Iterator[Outlet]:
    """A loopback outlet whose home page names its RSS feed, and whose robots.txt names a news sitemap."""
    site = Outlet([], "127.0.0.1")
    base = site.base
    site.routes["/"] = Resource(
        '<html lang="ar"><head><title>صحيفة الاختبار</title>'
        '<link rel="alternate" type="application/rss+xml" href="/rss.xml"></head><body></body></html>'.encode()
    )
    site.routes["/rss.xml"] = Resource(rss(base, [("/n/1.html", "خبر")]), "application/rss+xml")
    site.routes["/robots.txt"] = Resource(f"User-agent: *\nSitemap: {base}/news.xml\n".encode(), "text/plain")
    site.routes["/news.xml"] = Resource(news_sitemap(base, ["/n/1.html"]), "application/xml")
    site.routes["/bare"] = Resource(b"<html><head><title>x</title></head><body>no feeds</body></html>")
    site.start()
    yield site
    site.stop()


@pytest.fixture()
def loopback_allowed(monkeypatch) -> None:
    """Discovery may contact loopback and nothing else (the crawl's address policy, from the settings)."""
    monkeypatch.setenv("MARSAD_ALLOW", "127.0.0.0/8")
    monkeypatch.setenv("MARSAD_ONLY_ALLOWED", "true")


@pytest.fixture()
def operator_app(archive_db: Path, loopback_allowed):
    return create_app(archive_db, report_threshold=3)


@pytest.fixture()
def admin(operator_app):
    client = browser_client(operator_app, "operator-browser")
    sign_in(client)
    return client


def feeds_of(path: Path) -> list[tuple[str, str, str | None, int, list[tuple[str, str]]]]:
    """(key, name, home URL, crawl state, [(feed URL, kind)]) of every outlet the operator added."""
    with Store(path) as store:
        return [
            (
                o["key"],
                o["name"],
                o["home_url"],
                o["crawl"],
                [(f["url"], f["kind"]) for f in crawl_store.outlet_feeds(store, o["id"])],
            )
            for o in crawl_store.managed_outlets(store)
        ]


def post(client, path: str, **data):
    return client.post(path, data={"csrf": csrf_of(client, "/admin/outlets"), **data})
