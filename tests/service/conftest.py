"""A loopback outlet for the service tests (the crawler tests' fixture site), and helpers to read the
archive beside a running `marsad run`."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

import pytest
from crawl.fixture_site import Hit, Outlet, Resource, article_html, rss
from typer.testing import CliRunner

from marsad.cli import app


class NewsSite:
    """One outlet on 127.0.0.7: robots.txt, a home page naming its RSS feed, and article pages. `publish`
    puts more articles in the feed (a new ETag, so the next check reads it)."""

    def __init__(self, numbers: range) -> None:
        self.log: list[Hit] = []
        self.outlet = Outlet(self.log, "127.0.0.7")
        self.base = self.outlet.base
        routes = self.outlet.routes
        routes["/robots.txt"] = Resource(b"User-agent: *\nAllow: /\n", "text/plain")
        routes["/"] = Resource(
            b'<html><head><title>Outlet S</title><link rel="alternate" type="application/rss+xml"'
            b' href="/rss"></head><body></body></html>'
        )
        self.numbers: list[int] = []
        self.publish(numbers)

    def publish(self, numbers: range, page=None) -> None:
        for n in numbers:
            self.outlet.routes[f"/s/{n}.html"] = page(n) if page else Resource(article_html(n))
        self.numbers += list(numbers)
        items = [(f"/s/{n}.html", f"خبر {n}") for n in self.numbers]
        self.outlet.routes["/rss"] = Resource(
            rss(self.base, items), "application/rss+xml", etag=f'"v{len(self.numbers)}"'
        )

    def url(self, n: int) -> str:
        return f"{self.base}/s/{n}.html"

    def pages_served(self) -> set[str]:
        return {f"{self.base}{h.path}" for h in self.log if h.path.startswith("/s/")}


@pytest.fixture()
def news_site():
    site = NewsSite(range(1, 4))
    site.outlet.start()
    yield site
    site.outlet.stop()


def add_outlet(db: Path, site: NewsSite) -> None:
    """`marsad sources add` the site's home page (its feed is discovered)."""
    result = CliRunner().invoke(
        app, ["sources", "add", site.base + "/", "--db", str(db), "--allow", "127.0.0.0/8", "--only-allowed"]
    )
    assert result.exit_code == 0, result.output


def query(db: Path, sql: str, params: tuple = ()) -> list[tuple]:
    """Rows read beside the running service (WAL lets a reader in while it writes)."""
    with closing(sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5)) as conn:
        return conn.execute(sql, params).fetchall()
