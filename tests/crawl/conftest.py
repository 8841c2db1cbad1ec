"""Fixtures for the crawler tests: the loopback site, a fetch configuration that reaches loopback only,
and a network backend that records every address it connects to."""

from __future__ import annotations

import asyncio
import time

import httpcore
import pytest

from marsad.crawl.outlets import add_outlet
from marsad.sources.http.fetcher import FetchConfig, Fetcher
from marsad.sources.http.safety import AddressPolicy

from .fixture_site import (
    Hit,
    Outlet,
    Resource,
    Streamed,
    article_html,
    atom,
    gzip_bomb,
    gzipped,
    news_sitemap,
    redirect,
    rss,
    slow,
)

LOOPBACK_ONLY = AddressPolicy.from_strings(["127.0.0.0/8"], public=False)


def make_config(**changes) -> FetchConfig:
    settings = dict(
        delay=0.0,
        total_timeout=10.0,  # generous: a loaded machine must not turn into "timed out"
        read_timeout=10.0,
        connect_timeout=5.0,
        max_bytes=2_000_000,
        max_decoded_bytes=2_000_000,
        retries=1,
        backoff=0.05,
        policy=LOOPBACK_ONLY,
    )
    settings.update(changes)
    return FetchConfig(**settings)


class RecordingBackend(httpcore.AnyIOBackend):
    """The real backend, noting every (address, port) a connection is opened to."""

    def __init__(self) -> None:
        self.connects: list[tuple[str, int]] = []

    async def connect_tcp(self, host, port, **kwargs):
        self.connects.append((host, port))
        return await super().connect_tcp(host, port, **kwargs)


class Site:
    """Three outlets: `a` (RSS, robots.txt, the hostile pages), `b` (Atom, sitemap), `c` (broken feed)."""

    def __init__(self) -> None:
        self.log: list[Hit] = []
        self.a = Outlet(self.log, "127.0.0.2")
        self.b = Outlet(self.log, "127.0.0.3")
        self.c = Outlet(self.log, "127.0.0.4")
        self.d = Outlet(self.log, "127.0.0.5")  # robots.txt answers 500: the host is off limits
        self.big = Streamed(50_000_000)
        self._build_a()
        self._build_b()
        self._build_c()

    def _build_a(self) -> None:
        a, base = self.a, self.a.base
        now = time.time() - 3600
        a.routes["/robots.txt"] = Resource(b"User-agent: *\nDisallow: /private/\n", "text/plain")
        a.routes["/"] = Resource(
            '<html lang="ar"><head><title>أخبار أ</title>'
            '<link rel="alternate" type="application/rss+xml" title="RSS" href="/rss.xml">'
            '</head><body><a href="/news/1.html">خبر</a></body></html>'.encode()
        )
        items = [(f"/news/{n}.html", f"خبر {n}") for n in range(1, 4)]
        items.append(("/private/secret.html", "سري"))
        a.routes["/rss.xml"] = Resource(
            rss(base, items), "application/rss+xml", etag='"rss-v1"', last_modified=now
        )
        for n in range(1, 4):
            a.routes[f"/news/{n}.html"] = Resource(article_html(n), etag=f'"a{n}"', last_modified=now)
        a.routes["/private/secret.html"] = Resource(article_html(99))
        a.routes["/slow.html"] = slow(5)
        a.routes["/big.html"] = self.big
        a.routes["/big-declared.html"] = Resource(b"x" * 3_000_000)
        a.routes["/bomb.html"] = Resource(
            gzip_bomb(200_000_000), "text/html", headers={"Content-Encoding": "gzip"}
        )
        a.routes["/gzip.html"] = gzipped(article_html(7))
        a.routes["/go-private"] = redirect("http://10.0.0.1/admin")
        a.routes["/go-intranet"] = redirect("http://intranet.test/admin")
        a.routes["/go-file"] = redirect("file:///etc/passwd")
        a.routes["/go-home"] = redirect("/news/1.html", 301)
        a.routes["/loop"] = redirect("/loop")
        a.routes["/error500.html"] = Resource(b"oops", "text/plain", 500)
        a.routes["/image.jpg"] = Resource(b"\xff\xd8\xff", "image/jpeg")
        a.routes["/cp1256.html"] = Resource(
            article_html(11, "windows-1256"), "text/html; charset=windows-1256"
        )
        a.routes["/cp1256-meta.html"] = Resource(article_html(12, "windows-1256"), "text/html")
        a.routes["/cp1256-bare.html"] = Resource(article_html(13, "windows-1256", declare=False), "text/html")

    def _build_b(self) -> None:
        b, base = self.b, self.b.base
        now = time.time() - 7200
        b.routes["/robots.txt"] = Resource(
            f"User-agent: *\nAllow: /\nSitemap: {base}/news-sitemap.xml\n".encode(), "text/plain"
        )
        b.routes["/"] = Resource(
            b'<html lang="ar"><head><title>B</title>'
            b'<link rel="alternate" type="application/atom+xml" href="/atom.xml"></head><body></body></html>'
        )
        items = [(f"/b/{n}.html", f"خبر {n}") for n in range(21, 24)]
        b.routes["/atom.xml"] = Resource(atom(base, items), "application/atom+xml", last_modified=now)
        b.routes["/news-sitemap.xml"] = Resource(
            news_sitemap(base, ["/b/21.html", "/b/24.html"]), "application/xml", last_modified=now
        )
        for n in range(21, 25):
            b.routes[f"/b/{n}.html"] = Resource(article_html(n), last_modified=now)

    def _build_c(self) -> None:
        c = self.c
        c.routes["/broken.xml"] = Resource(
            b"<?xml version='1.0'?><rss><channel><item><title>x</ti", "application/rss+xml"
        )
        self.d.routes["/robots.txt"] = Resource(b"", "text/plain", 500)
        self.d.routes["/feed.xml"] = Resource(rss(self.d.base, []), "application/rss+xml")

    def hits(self, outlet: Outlet | None = None) -> list[Hit]:
        return [h for h in self.log if outlet is None or h.port == outlet.port]

    def paths(self, outlet: Outlet) -> list[str]:
        return [h.path for h in self.hits(outlet)]

    def start(self) -> Site:
        for outlet in (self.a, self.b, self.c, self.d):
            outlet.start()
        return self

    def stop(self) -> None:
        for outlet in (self.a, self.b, self.c, self.d):
            outlet.stop()


def add_site_outlets(store, site: Site, *, broken: bool = True) -> None:
    """The fixture site's outlets added as `marsad sources add` adds them: a (RSS), b (Atom + news sitemap)
    and, with `broken`, c (one feed that is not a feed)."""

    async def add_all() -> None:
        async with Fetcher(make_config()) as fetcher:
            await add_outlet(store, fetcher, site.a.base + "/")
            await add_outlet(store, fetcher, site.b.base + "/")
            if broken:
                await add_outlet(
                    store, fetcher, site.c.base + "/", feeds=[site.c.base + "/broken.xml"], name="ج"
                )

    asyncio.run(add_all())


@pytest.fixture()
def site():
    running = Site().start()
    yield running
    running.stop()
