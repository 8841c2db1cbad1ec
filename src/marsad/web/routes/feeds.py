"""RSS 2.0, Atom and JSON Feed for the latest articles, one outlet, one story and one search."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from datetime import UTC, datetime
from email.utils import format_datetime
from html import escape
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import JSONResponse, Response

from marsad.store import articles, outlets, stories
from marsad.store.articles import ArticleItem
from marsad.store.db import Store
from marsad.web import present, searching
from marsad.web.context import ItemId, reader_of

router = APIRouter(prefix="/feeds", include_in_schema=False)
ATOM = "http://www.w3.org/2005/Atom"
DC = "http://purl.org/dc/elements/1.1/"
FEED_SIZE = 50
_XML_BAD = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _xml_text(text: str | None) -> str:
    return _XML_BAD.sub("", text or "")


def _entries(store: Store, items: Sequence[ArticleItem], base: str) -> list[dict[str, Any]]:
    """What every format says of each article: its summary (else one written from its body) and its
    outlet, named beside the journalist."""
    starts = articles.leads(store, [a.id for a in items if not (a.summary and a.summary.strip())])
    out = []
    for a in items:
        out.append(
            {
                "id": f"{base}/articles/{a.id}",
                "url": f"{base}/articles/{a.id}",
                "external_url": present.read_at_source(a),
                "title": present.short_title(a.title),
                "summary": present.summary_of(a.summary, starts.get(a.id)),
                "published": present.iso_datetime(a.published),
                "author": (a.author or "").strip(),
                "outlet": a.outlet or "",
                "outlet_url": f"{base}/outlets/{a.source_id}" if a.source_id else None,
                "outlet_feed": f"{base}/feeds/outlets/{a.source_id}.rss" if a.source_id else None,
                "categories": a.categories,
            }
        )
    return out


def _authors(entry: dict[str, Any]) -> list[dict[str, str]]:
    """The journalist, if named, then the outlet (with its page on the reader)."""
    found = [{"name": entry["author"]}] if entry["author"] else []
    if entry["outlet"]:
        found.append(
            {"name": entry["outlet"], **({"url": entry["outlet_url"]} if entry["outlet_url"] else {})}
        )
    return found or [{"name": "مرصد"}]


def _atom(title: str, self_url: str, page_url: str, entries: list[dict[str, Any]]) -> Response:
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed", {"xml:lang": "ar"})
    ET.SubElement(feed, f"{{{ATOM}}}title").text = _xml_text(title)
    ET.SubElement(feed, f"{{{ATOM}}}id").text = self_url
    ET.SubElement(feed, f"{{{ATOM}}}link", {"rel": "self", "href": self_url})
    ET.SubElement(feed, f"{{{ATOM}}}link", {"rel": "alternate", "href": page_url, "type": "text/html"})
    updated = max((e["published"] for e in entries), default="1970-01-01T00:00:00Z", key=_moment)
    ET.SubElement(feed, f"{{{ATOM}}}updated").text = updated
    for e in entries:
        entry = ET.SubElement(feed, f"{{{ATOM}}}entry")
        ET.SubElement(entry, f"{{{ATOM}}}title").text = _xml_text(e["title"])
        ET.SubElement(entry, f"{{{ATOM}}}id").text = e["id"]
        ET.SubElement(entry, f"{{{ATOM}}}link", {"rel": "alternate", "href": e["url"], "type": "text/html"})
        if e["external_url"]:
            ET.SubElement(entry, f"{{{ATOM}}}link", {"rel": "via", "href": e["external_url"]})
        ET.SubElement(entry, f"{{{ATOM}}}updated").text = e["published"]
        ET.SubElement(entry, f"{{{ATOM}}}published").text = e["published"]
        for person in _authors(e):
            author = ET.SubElement(entry, f"{{{ATOM}}}author")
            ET.SubElement(author, f"{{{ATOM}}}name").text = _xml_text(person["name"])
            if "url" in person:
                ET.SubElement(author, f"{{{ATOM}}}uri").text = person["url"]
        if e["summary"]:
            ET.SubElement(entry, f"{{{ATOM}}}summary").text = _xml_text(e["summary"])
    body = b'<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(
        feed, encoding="utf-8", xml_declaration=False
    )
    return Response(body, media_type="application/atom+xml; charset=utf-8")


def _moment(iso: str) -> datetime:
    return datetime.fromisoformat(iso.replace("Z", "+00:00"))


def _rfc822(iso: str) -> str:
    """An RFC 3339 time as RSS 2.0 writes it (RFC 822, four-digit year): "Thu, 21 Sep 2017 10:30:00 +0100"."""
    return format_datetime(_moment(iso))


def _rss(title: str, self_url: str, page_url: str, entries: list[dict[str, Any]]) -> Response:
    """RSS 2.0: the outlet as each item's <source> (its feed on this reader), the journalist as
    <dc:creator>, the summary as <description>."""
    # prefixed names written as they are: ET's namespace registry is global, and _atom sets Atom's as the default
    rss = ET.Element("rss", {"version": "2.0", "xmlns:atom": ATOM, "xmlns:dc": DC})
    channel = ET.SubElement(rss, "channel")
    ET.SubElement(channel, "title").text = _xml_text(title)
    ET.SubElement(channel, "link").text = page_url
    ET.SubElement(channel, "description").text = _xml_text(title)
    ET.SubElement(channel, "language").text = "ar"
    ET.SubElement(channel, "atom:link", {"rel": "self", "href": self_url, "type": "application/rss+xml"})
    newest = max((_moment(e["published"]) for e in entries), default=datetime(1970, 1, 1, tzinfo=UTC))
    ET.SubElement(channel, "lastBuildDate").text = format_datetime(newest)
    for e in entries:
        item = ET.SubElement(channel, "item")
        ET.SubElement(item, "title").text = _xml_text(e["title"])
        ET.SubElement(item, "link").text = e["url"]
        ET.SubElement(item, "guid", {"isPermaLink": "true"}).text = e["id"]
        ET.SubElement(item, "pubDate").text = _rfc822(e["published"])
        if e["summary"]:
            # RSS readers take a description as HTML: the summary is text, so its <, > and & are escaped
            ET.SubElement(item, "description").text = _xml_text(escape(e["summary"], quote=False))
        ET.SubElement(item, "dc:creator").text = _xml_text(e["author"] or e["outlet"] or "مرصد")
        for name in e["categories"]:
            ET.SubElement(item, "category").text = _xml_text(name)
        if e["outlet"] and e["outlet_feed"]:
            ET.SubElement(item, "source", {"url": e["outlet_feed"]}).text = _xml_text(e["outlet"])
    body = b'<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(
        rss, encoding="utf-8", xml_declaration=False
    )
    return Response(body, media_type="application/rss+xml; charset=utf-8")


def _json_feed(title: str, self_url: str, page_url: str, entries: list[dict[str, Any]]) -> JSONResponse:
    feed = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": title,
        "home_page_url": page_url,
        "feed_url": self_url,
        "language": "ar",
        "items": [
            {
                "id": e["id"],
                "url": e["url"],
                **({"external_url": e["external_url"]} if e["external_url"] else {}),
                "title": e["title"],
                "summary": e["summary"],
                "content_text": e["summary"] or e["title"],
                "date_published": e["published"],
                "authors": _authors(e),
                "tags": e["categories"],
            }
            for e in entries
        ],
    }
    return JSONResponse(feed, media_type="application/feed+json")


FORMATS = {"atom": _atom, "rss": _rss, "json": _json_feed}


def _send(request: Request, fmt: str, title: str, page_path: str, items: Sequence[ArticleItem]) -> Response:
    if fmt not in FORMATS:
        raise HTTPException(404)
    r = reader_of(request)
    base = r.public_base(request)  # never a Host header as sent
    entries = _entries(r.store, items, base)
    query = request.url.query
    self_url = base + request.url.path + (f"?{query}" if query else "")
    return FORMATS[fmt](title, self_url, base + page_path, entries)


@router.get("/latest.{fmt}")
def latest_feed(request: Request, fmt: str):
    r = reader_of(request)
    items = r.cached("feed-latest", lambda: articles.latest(r.store, FEED_SIZE))
    return _send(request, fmt, "مرصد: آخر الأخبار", "/", items)


@router.get("/outlets/{outlet_id}.{fmt}")
def outlet_feed(request: Request, outlet_id: ItemId, fmt: str):
    r = reader_of(request)
    source = outlets.outlet(r.store, outlet_id)
    if source is None:
        raise HTTPException(404)
    items = articles.latest(r.store, FEED_SIZE, outlet_id=outlet_id, reposts=True)
    return _send(request, fmt, f"مرصد: {source.name}", f"/outlets/{outlet_id}", items)


@router.get("/stories/{story_id}.{fmt}")
def story_feed(request: Request, story_id: ItemId, fmt: str):
    r = reader_of(request)
    item = stories.story(r.store, story_id)
    if item is None or not item.articles:
        raise HTTPException(404)
    newest_first = item.articles[::-1]  # the store gives them oldest first, by instant
    return _send(request, fmt, f"مرصد: {item.title}", f"/stories/{story_id}", newest_first[:FEED_SIZE])


@router.get("/search.{fmt}")
def search_feed(request: Request, fmt: str, q: Annotated[str, Query(min_length=1, max_length=300)]):
    r = reader_of(request)
    found = searching.run(r.store, q, searching.Filters(sort="newest"), FEED_SIZE, 0)
    items = articles.by_ids(r.store, [hit.id for hit in found.hits])
    return _send(request, fmt, f"مرصد: بحث عن {q}", "/search?" + urlencode({"q": q}), items)
