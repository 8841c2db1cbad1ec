"""Atom and JSON Feed for the latest articles, one outlet, one story and one search."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import JSONResponse, Response

from marsad.store import articles, outlets, stories
from marsad.store.articles import ArticleItem
from marsad.web import present, searching
from marsad.web.context import ItemId, reader_of
from marsad.web.searching import Hit

router = APIRouter(prefix="/feeds", include_in_schema=False)
ATOM = "http://www.w3.org/2005/Atom"
FEED_SIZE = 50
_XML_BAD = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _xml_text(text: str | None) -> str:
    return _XML_BAD.sub("", text or "")


def _entries(items: Sequence[ArticleItem | Hit], base: str) -> list[dict[str, Any]]:
    out = []
    for a in items:
        out.append(
            {
                "id": f"{base}/articles/{a.id}",
                "url": f"{base}/articles/{a.id}",
                "external_url": present.read_at_source(a),
                "title": present.short_title(a.title),
                "summary": a.summary or "",
                "published": present.iso_datetime(a.published),
                "author": a.author or a.outlet or "",
                "outlet": a.outlet or "",
            }
        )
    return out


def _atom(title: str, self_url: str, page_url: str, entries: list[dict[str, Any]]) -> Response:
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed", {"xml:lang": "ar"})
    ET.SubElement(feed, f"{{{ATOM}}}title").text = _xml_text(title)
    ET.SubElement(feed, f"{{{ATOM}}}id").text = self_url
    ET.SubElement(feed, f"{{{ATOM}}}link", {"rel": "self", "href": self_url})
    ET.SubElement(feed, f"{{{ATOM}}}link", {"rel": "alternate", "href": page_url, "type": "text/html"})
    updated = max((e["published"] for e in entries), default="1970-01-01T00:00:00Z")
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
        author = ET.SubElement(entry, f"{{{ATOM}}}author")
        ET.SubElement(author, f"{{{ATOM}}}name").text = _xml_text(e["author"] or "مرصد")
        if e["summary"]:
            ET.SubElement(entry, f"{{{ATOM}}}summary").text = _xml_text(e["summary"])
    body = b'<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(
        feed, encoding="utf-8", xml_declaration=False
    )
    return Response(body, media_type="application/atom+xml; charset=utf-8")


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
                "content_text": e["summary"] or e["title"],
                "date_published": e["published"],
                "authors": [{"name": e["author"]}] if e["author"] else [],
            }
            for e in entries
        ],
    }
    return JSONResponse(feed, media_type="application/feed+json")


def _send(
    request: Request, fmt: str, title: str, page_path: str, items: Sequence[ArticleItem | Hit]
) -> Response:
    base = reader_of(request).public_base(request)  # never a Host header as sent
    entries = _entries(items, base)
    query = request.url.query
    self_url = base + request.url.path + (f"?{query}" if query else "")
    if fmt == "atom":
        return _atom(title, self_url, base + page_path, entries)
    if fmt == "json":
        return _json_feed(title, self_url, base + page_path, entries)
    raise HTTPException(404)


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
    items = sorted(item.articles, key=lambda a: (a.published or "", a.id), reverse=True)
    return _send(request, fmt, f"مرصد: {item.title}", f"/stories/{story_id}", items[:FEED_SIZE])


@router.get("/search.{fmt}")
def search_feed(request: Request, fmt: str, q: Annotated[str, Query(min_length=1, max_length=300)]):
    r = reader_of(request)
    found = searching.run(r.store, q, searching.Filters(sort="newest"), FEED_SIZE, 0)
    return _send(request, fmt, f"مرصد: بحث عن {q}", "/search?" + urlencode({"q": q}), found.hits)
