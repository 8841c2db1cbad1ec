"""What a page says about itself: JSON-LD, meta tags, <title>, canonical link, site name.

Everything here reads the <head> (and JSON-LD anywhere); the visible byline is read by html.py.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from lxml import etree

from marsad.extract.dates import FoundDate, is_new_year_guess, parse_iso

_ARTICLE_TYPES = {
    "newsarticle",
    "article",
    "reportagenewsarticle",
    "blogposting",
    "analysisnewsarticle",
    "opinionnewsarticle",
    "webpage",
    "liveblogposting",
    "backgroundnewsarticle",
    "report",
}
_DATE_META = (
    "article:published_time",
    "og:article:published_time",
    "datepublished",
    "pubdate",
    "publishdate",
    "publish-date",
    "publish_date",
    "date",
    "dc.date.issued",
    "dc.date",
    "dcterms.created",
    "sailthru.date",
    "parsely-pub-date",
    "article.published",
    "published_time",
    "cxenseparse:recs:publishtime",
)
_AUTHOR_META = ("author", "article:author", "dc.creator", "parsely-author", "sailthru.author", "byl")
_TITLE_SEPARATORS = re.compile(r"\s+(?:[-|–—:»«/]|::|\|\|)\s+")


@dataclass
class HeadMeta:
    title: str | None = None  # <title>
    og_title: str | None = None
    headline: str | None = None  # JSON-LD headline
    site_name: str | None = None
    canonical: str | None = None
    lang: str | None = None
    published: FoundDate | None = None
    author: str | None = None
    based_on_url: str | None = None
    source_organization: str | None = None
    categories: list[str] = field(default_factory=list)
    description: str | None = None
    images: list[str] = field(default_factory=list)
    publishers: list[str] = field(default_factory=list)  # JSON-LD publisher names: the outlet's own
    live_updates: list[LiveUpdate] = field(default_factory=list)  # a LiveBlogPosting's, in its order


@dataclass
class LiveUpdate:
    """One update of live coverage as its JSON-LD gives it."""

    published: datetime | None
    headline: str | None
    body: str


def _clean(text: Any) -> str | None:
    if not isinstance(text, str):
        return None
    text = re.sub(r"\s+", " ", text).strip()
    return text or None


def _web_link(value: Any) -> str | None:
    """An http(s) or relative link as written, else None: a javascript:, data: or mailto: link is no page."""
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        scheme = urlsplit(value.strip()).scheme.lower()
    except ValueError:
        return None
    return value.strip() if scheme in ("", "http", "https") else None


def _names(value: Any) -> list[str]:
    """Names from a JSON-LD person/organisation value (a string, an object or a list of them)."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        name = value.get("name")
        return [name] if isinstance(name, str) else []
    if isinstance(value, list):
        return [n for item in value for n in _names(item)]
    return []


def _jsonld_objects(root: etree._Element) -> list[dict]:
    objects: list[dict] = []
    for script in root.iter("script"):
        if (script.get("type") or "").strip().lower() != "application/ld+json" or not script.text:
            continue
        try:
            data = json.loads(script.text.strip().rstrip(";"))
        except ValueError:
            continue
        stack = [data]
        while stack and len(objects) < 50:
            item = stack.pop()
            if isinstance(item, list):
                stack.extend(item)
            elif isinstance(item, dict):
                objects.append(item)
                if isinstance(item.get("@graph"), list):
                    stack.extend(item["@graph"])
    return objects


def _types(obj: dict) -> set[str]:
    value = obj.get("@type")
    values = value if isinstance(value, list) else [value]
    return {v.lower() for v in values if isinstance(v, str)}


def _live_updates(obj: dict) -> list[LiveUpdate]:
    """A LiveBlogPosting's liveBlogUpdate list (a BlogPosting or an object per update), those with text."""
    value = obj.get("liveBlogUpdate")
    updates = []
    for item in value if isinstance(value, list) else [value]:
        if not isinstance(item, dict):
            continue
        body = item.get("articleBody") or item.get("text") or item.get("description")
        if not isinstance(body, str) or not body.strip():
            continue
        found = parse_iso(item.get("datePublished") or item.get("dateCreated"))
        updates.append(LiveUpdate(found[0] if found else None, _clean(item.get("headline")), body.strip()))
    return updates


def _read_jsonld(root: etree._Element, meta: HeadMeta) -> None:
    for obj in _jsonld_objects(root):
        if not _types(obj) & _ARTICLE_TYPES:
            continue
        if "liveblogposting" in _types(obj) and not meta.live_updates:
            meta.live_updates = _live_updates(obj)
        meta.headline = meta.headline or _clean(obj.get("headline") or obj.get("name"))
        if meta.published is None:
            found = parse_iso(obj.get("datePublished") or obj.get("dateCreated"))
            if found and not is_new_year_guess(*found, stated_text=str(obj.get("datePublished"))):
                meta.published = FoundDate(found[0], found[1], "jsonld")
        authors = [a for a in (_clean(n) for n in _names(obj.get("author"))) if a]
        if authors and not meta.author:
            meta.author = "، ".join(authors)
        publisher = _names(obj.get("publisher"))
        meta.publishers += [name for name in map(_clean, publisher) if name]
        if publisher and not meta.site_name:
            meta.site_name = _clean(publisher[0])
        based = obj.get("isBasedOn") or obj.get("isBasedOnUrl")
        if isinstance(based, dict):
            based = based.get("url") or based.get("@id")
        if isinstance(based, str) and based.strip().lower().startswith(("http://", "https://")):
            meta.based_on_url = _web_link(based)
        source = _names(obj.get("sourceOrganization"))
        if source:
            meta.source_organization = _clean(source[0])
        section = obj.get("articleSection")
        for name in section if isinstance(section, list) else [section]:
            if isinstance(name, str) and name.strip() and name.strip() not in meta.categories:
                meta.categories.append(name.strip())


def read_head(root: etree._Element) -> HeadMeta:
    """Metadata from <title>, <meta>, <link rel=canonical>, <html lang> and JSON-LD."""
    meta = HeadMeta()
    meta.lang = _clean(root.get("lang") or root.get("xml:lang"))
    title_el = root.find(".//title")
    if title_el is not None:
        meta.title = _clean(title_el.text_content() if hasattr(title_el, "text_content") else title_el.text)
    values: dict[str, str] = {}
    for el in root.iter("meta"):
        key = (el.get("property") or el.get("name") or el.get("itemprop") or "").strip().lower()
        content = el.get("content")
        if key and content and key not in values:
            values[key] = content.strip()
    for el in root.iter("link"):
        href = _web_link(el.get("href"))
        if "canonical" in (el.get("rel") or "").lower() and href:
            meta.canonical = href
            break
    _read_jsonld(root, meta)
    meta.og_title = _clean(values.get("og:title") or values.get("twitter:title"))
    meta.site_name = (
        _clean(values.get("og:site_name")) or meta.site_name or _clean(values.get("application-name"))
    )
    meta.description = _clean(values.get("og:description") or values.get("description"))
    if meta.published is None:
        for key in _DATE_META:
            found = parse_iso(values.get(key))
            if found and not is_new_year_guess(*found, stated_text=values.get(key, "")):
                meta.published = FoundDate(found[0], found[1], "meta")
                break
    if not meta.author:
        for key in _AUTHOR_META:
            value = _clean(values.get(key))
            if value and not value.startswith("http"):
                meta.author = value
                break
    label = re.sub("[\u064b-\u0652]", "", values.get("twitter:label1", ""))  # "كُتب بواسطة"
    if not meta.author and "twitter:data1" in values and ("كتب" in label or "written" in label.lower()):
        meta.author = _clean(values["twitter:data1"])
    section = _clean(values.get("article:section"))
    if section and section not in meta.categories:
        meta.categories.append(section)
    image = values.get("og:image")
    if image:
        meta.images.append(image.strip())
    return meta


def strip_site_name(title: str, site_names: list[str]) -> str:
    """A <title> without its " - Outlet" / "Outlet | " part."""
    parts = _TITLE_SEPARATORS.split(title)
    if len(parts) < 2:
        return title
    names = {re.sub(r"\s+", " ", n).strip() for n in site_names if n}
    kept = [p for p in parts if p.strip() not in names]
    if len(kept) == len(parts):
        # no known site name: drop the shorter end segment when it looks like a brand (at most 4 words)
        if len(parts[-1].split()) <= 4 and len(parts[-1]) < len(parts[0]):
            kept = parts[:-1]
        elif len(parts[0].split()) <= 3 and len(parts[0]) < len(parts[-1]):
            kept = parts[1:]
    if not kept:
        return title
    # rebuild from the original text so inner separators stay as published
    start = title.find(kept[0])
    last = kept[-1]
    end = title.rfind(last) + len(last)
    return title[start:end].strip() if start >= 0 and end > start else " - ".join(kept)
