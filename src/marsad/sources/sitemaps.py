"""Sitemaps (the sitemap protocol, and Google News sitemaps): the article URLs or child sitemaps they list.

Pure parsing, no network: the crawl reads an outlet's sitemaps with it, and adding an outlet uses it to
tell a news sitemap from another.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass, field

from lxml import etree

NEWS_NS = "http://www.google.com/schemas/sitemap-news/0.9"
MAX_SITEMAP_BYTES = 50_000_000  # the sitemap protocol's own limit, uncompressed

_XML_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, recover=True)


@dataclass
class Sitemap:
    urls: list[str] = field(default_factory=list)  # article pages (<urlset>)
    children: list[str] = field(default_factory=list)  # other sitemaps (<sitemapindex>)
    news: bool = False  # entries carry <news:news>


def parse_sitemap(data: bytes) -> Sitemap:
    """The pages or child sitemaps of a sitemap (gzip-compressed or not); empty when it is not one."""
    try:
        root = etree.fromstring(_gunzip(data), _XML_PARSER)
    except (etree.XMLSyntaxError, zlib.error):
        return Sitemap()
    if root is None:
        return Sitemap()
    tag = etree.QName(root).localname
    locs = [(el.text or "").strip() for el in root.iter("{*}loc") if (el.text or "").strip()]
    if tag == "sitemapindex":
        return Sitemap(children=locs)
    if tag != "urlset":
        return Sitemap()
    return Sitemap(urls=locs, news=root.find(f".//{{{NEWS_NS}}}news") is not None)


def is_sitemap(data: bytes) -> bool:
    head = _gunzip(data[:200_000], partial=True)[:2000].lower()
    return b"<urlset" in head or b"<sitemapindex" in head


def _gunzip(data: bytes, partial: bool = False) -> bytes:
    if not data.startswith(b"\x1f\x8b"):
        return data
    inflater = zlib.decompressobj(31)
    try:
        out = inflater.decompress(data, MAX_SITEMAP_BYTES)
    except zlib.error:
        if partial:
            return b""
        raise
    return out
