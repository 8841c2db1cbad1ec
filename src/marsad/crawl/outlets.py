"""Outlets to crawl: adding one (finding its feeds), and OPML import and export.

`add_outlet` takes a home page, a feed or a sitemap URL. From a home page it reads the
`<link rel="alternate" type="application/rss+xml|atom+xml">` elements, and from robots.txt the sitemaps
that are news sitemaps (Google News `<news:news>` entries), or the news sitemaps a sitemap index lists.
"""

from __future__ import annotations

import io
import zlib
from dataclasses import dataclass, replace
from pathlib import Path
from urllib.parse import urljoin, urlsplit
from xml.sax.saxutils import quoteattr

import lxml.html
from lxml import etree
from protego import Protego

from marsad.models import host_of
from marsad.settings import Settings
from marsad.sources.http.fetcher import FetchConfig, Fetcher
from marsad.sources.http.safety import AddressPolicy
from marsad.sources.sitemaps import is_sitemap, parse_sitemap
from marsad.store import crawl as crawl_store
from marsad.store.articles import source_identity
from marsad.store.db import Store

FEED_TYPES = frozenset(
    {"application/rss+xml", "application/atom+xml", "application/rdf+xml", "application/feed+xml"}
)
MAX_SITEMAPS_CHECKED = 5
MAX_OPML_BYTES = 20_000_000  # an OPML file, once un-gzipped
DISCOVERY_TIMEOUT = 20.0  # seconds per request when discovery answers a waiting web request


class OutletError(Exception):
    """An outlet that cannot be added: the message says why."""


@dataclass
class AddedOutlet:
    id: int
    key: str
    name: str
    home_url: str
    feeds: list[tuple[str, str]]  # (url, "feed" | "sitemap")


# --- pure parsing ----------------------------------------------------------------------------------------


def discover_feeds(html: bytes | str, base_url: str) -> list[str]:
    """Feed URLs a page announces with <link rel="alternate" type="application/rss+xml" ...>."""
    try:
        root = lxml.html.document_fromstring(html)
    except (etree.ParserError, ValueError):
        return []
    found: list[str] = []
    for link in root.iter("link"):
        rel = (link.get("rel") or "").lower().split()
        kind = (link.get("type") or "").lower().split(";")[0].strip()
        href = (link.get("href") or "").strip()
        if "alternate" in rel and kind in FEED_TYPES and href:
            url = urljoin(base_url, href)
            if urlsplit(url).scheme in ("http", "https") and url not in found:
                found.append(url)
    return found


def page_title(html: bytes | str) -> str | None:
    try:
        title = lxml.html.document_fromstring(html).findtext(".//title")
    except (etree.ParserError, ValueError):
        return None
    return title.strip() if title and title.strip() else None


def looks_like_html(data: bytes) -> bool:
    head = data[:2000].lstrip().lower()
    return head.startswith((b"<!doctype html", b"<html")) or b"<html" in head


# --- adding an outlet -----------------------------------------------------------------------------------------


async def discover(fetcher: Fetcher, url: str) -> tuple[str, str | None, list[tuple[str, str]]]:
    """(home URL, page title, feeds) for `url`, which may be a home page, a feed or a sitemap."""
    result = await fetcher.fetch(url, kind="feed")
    if not result.ok:
        raise OutletError(f"cannot read {url}: {result.error}")
    base = result.final_url
    home = f"{urlsplit(base).scheme}://{urlsplit(base).netloc}/"
    if is_sitemap(result.content):
        return home, None, [(base, "sitemap")]
    if not looks_like_html(result.content):
        return home, None, [(base, "feed")]  # parse_feed will judge it at crawl time
    html = result.content.decode(result.encoding or "utf-8", errors="replace")
    feeds = [(f, "feed") for f in discover_feeds(html, base)]
    feeds += [(s, "sitemap") for s in await news_sitemaps(fetcher, base)]
    return base, page_title(html), feeds


async def news_sitemaps(fetcher: Fetcher, url: str) -> list[str]:
    """News sitemaps named in robots.txt, directly or through a sitemap index."""
    parts = urlsplit(url)
    robots = await fetcher.fetch(f"{parts.scheme}://{parts.netloc}/robots.txt", kind="robots")
    if not robots.ok:
        return []
    listed = list(Protego.parse(robots.content.decode(robots.encoding or "utf-8", "replace")).sitemaps)
    found: list[str] = []
    for candidate in listed[:MAX_SITEMAPS_CHECKED]:
        found += await _news_in(fetcher, candidate, depth=1)
    return list(dict.fromkeys(found))


async def _news_in(fetcher: Fetcher, url: str, depth: int) -> list[str]:
    result = await fetcher.fetch(url, kind="feed")
    if not result.ok:
        return []
    sitemap = parse_sitemap(result.content)
    if sitemap.news:
        return [url]
    if depth and sitemap.children:
        named = [c for c in sitemap.children if "news" in c.lower()][:MAX_SITEMAPS_CHECKED]
        found: list[str] = []
        for child in named:
            found += await _news_in(fetcher, child, depth - 1)
        return found
    return []


async def add_outlet(
    store: Store, fetcher: Fetcher, url: str, *, name: str | None = None, feeds: list[str] | None = None
) -> AddedOutlet:
    """Add (or update) an outlet. With `feeds` given, they are used as they are (a URL containing
    "sitemap" is taken for a sitemap); otherwise they are discovered from `url`."""
    if feeds:
        home, title = url, None
        found = [(f, "sitemap" if "sitemap" in f.lower() else "feed") for f in feeds]
    else:
        home, title, found = await discover(fetcher, url)
        if not found:
            raise OutletError(f"no RSS/Atom feed or news sitemap found at {url}; give one with --feed")
    return save_outlet(store, home, name or title, found)


def save_outlet(store: Store, home_url: str, name: str | None, feeds: list[tuple[str, str]]) -> AddedOutlet:
    identity = source_identity(name, home_url)
    if identity is None:
        raise OutletError(f"cannot tell which outlet {home_url} is")
    key, fields = identity
    shown = name or fields["name"] or host_of(home_url)
    source_id = crawl_store.add_outlet(
        store, key, shown, home_url, feeds, name_latin=fields.get("name_latin"), country=fields.get("country")
    )
    return AddedOutlet(source_id, key, shown, home_url, feeds)


# --- OPML ------------------------------------------------------------------------------------------------------


def read_opml(data: bytes) -> list[tuple[str, str | None, str]]:
    """(feed URL, title, home URL) for every outline with an xmlUrl."""
    return [(feed, title, home) for feed, title, home, _ in opml_outlines(data)]


def opml_outlines(data: bytes) -> list[tuple[str, str | None, str, str]]:
    """(feed URL, title, home URL, "feed" | "sitemap") for every outline with an http(s) xmlUrl: a sitemap
    by its type="sitemap" (as `export_opml` writes it), else by "sitemap" in its URL."""
    try:
        root = etree.parse(
            io.BytesIO(data), etree.XMLParser(resolve_entities=False, no_network=True)
        ).getroot()
    except etree.XMLSyntaxError as error:
        raise OutletError(f"not an OPML file: {error}") from error
    if root is None or root.tag != "opml":
        raise OutletError("not an OPML file: its root element is not <opml>")
    rows = []
    for outline in root.iter("outline"):
        feed = (outline.get("xmlUrl") or "").strip()
        if not _web_address(feed):
            continue
        title = (outline.get("title") or outline.get("text") or "").strip() or None
        parts = urlsplit(feed)
        home = (outline.get("htmlUrl") or "").strip()
        if not _web_address(home):  # none, or not a web page (javascript:, file:)
            home = f"{parts.scheme}://{parts.netloc}/"
        kind = (outline.get("type") or "").lower()
        sitemap = kind == "sitemap" or (kind != "rss" and "sitemap" in feed.lower())
        rows.append((feed, title, home, "sitemap" if sitemap else "feed"))
    return rows


def _web_address(url: str) -> bool:
    try:
        parts = urlsplit(url)
    except ValueError:  # "http://[not-an-address/"
        return False
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def import_opml(store: Store, path: Path) -> list[AddedOutlet]:
    """Add every feed of an OPML file, grouped into outlets by home page; no network is used."""
    try:
        data = path.read_bytes()
    except OSError as error:
        raise OutletError(f"cannot read {path}: {error.strerror or error}") from error
    return import_opml_data(store, data)


def import_opml_data(store: Store, data: bytes) -> list[AddedOutlet]:
    """`import_opml` of the file's bytes (gzipped or not)."""
    if data.startswith(b"\x1f\x8b"):
        data = _gunzip(data)
    grouped: dict[str, tuple[str | None, list[tuple[str, str]]]] = {}
    for feed, title, home, kind in opml_outlines(data):
        name, feeds = grouped.setdefault(home, (title, []))
        feeds.append((feed, kind))
    return [save_outlet(store, home, name, feeds) for home, (name, feeds) in grouped.items()]


def _gunzip(data: bytes) -> bytes:
    inflate = zlib.decompressobj(wbits=31)
    try:
        out = inflate.decompress(data, MAX_OPML_BYTES + 1)
    except zlib.error as error:
        raise OutletError(f"not an OPML file: a broken gzip stream ({error})") from error
    if len(out) > MAX_OPML_BYTES:
        raise OutletError(f"the OPML file is larger than {MAX_OPML_BYTES} bytes once decompressed")
    return out


def export_opml(store: Store) -> str:
    """OPML 2.0 of every crawled outlet's feeds and sitemaps (paused outlets too)."""
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<opml version="2.0">',
        "  <head><title>Marsad outlets</title></head>",
        "  <body>",
    ]
    for outlet in crawl_store.managed_outlets(store):
        for feed in crawl_store.outlet_feeds(store, outlet["id"]):
            kind = "rss" if feed["kind"] == "feed" else "sitemap"
            lines.append(
                f"    <outline type={quoteattr(kind)} text={quoteattr(outlet['name'])}"
                f" title={quoteattr(outlet['name'])} xmlUrl={quoteattr(feed['url'])}"
                f" htmlUrl={quoteattr(outlet['home_url'] or '')}/>"
            )
    lines += ["  </body>", "</opml>", ""]
    return "\n".join(lines)


# --- discovery from the settings (the admin pages) ------------------------------------------------------------


def settings_policy(values: Settings) -> AddressPolicy:
    """The addresses the `allow`, `allow_private` and `only_allowed` settings open."""
    if values.allow_private:
        return AddressPolicy.allow_private()
    if values.only_allowed and not values.allow:
        raise OutletError("the only_allowed setting needs at least one network in the allow setting")
    try:
        return AddressPolicy.from_strings(values.allow, public=not values.only_allowed)
    except ValueError as error:
        raise OutletError(f"the allow setting: {error}") from None


def fetch_config(values: Settings, policy: AddressPolicy) -> FetchConfig:
    """The fetcher's politeness and caps, from the settings (a crawl round's)."""
    return FetchConfig(
        user_agent=values.user_agent,
        delay=values.crawl_delay,
        per_host=values.crawl_per_host,
        total_timeout=values.crawl_timeout,
        read_timeout=min(FetchConfig.read_timeout, values.crawl_timeout),
        max_bytes=values.crawl_max_bytes,
        max_decoded_bytes=max(FetchConfig.max_decoded_bytes, values.crawl_max_bytes),
        policy=policy,
    )


def discovery_config(values: Settings) -> FetchConfig:
    """The fetcher for discovering an outlet's feeds while someone waits: the crawl's user agent, caps and
    address policy, no politeness delay (a few requests, one after another) and one retry."""
    timeout = min(values.crawl_timeout, DISCOVERY_TIMEOUT)
    return replace(
        fetch_config(values, settings_policy(values)),
        delay=0.0,
        total_timeout=timeout,
        read_timeout=min(FetchConfig.read_timeout, timeout),
        retries=1,
    )
