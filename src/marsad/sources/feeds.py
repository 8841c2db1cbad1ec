"""RSS and Atom feeds, from a file or an http(s) URL (feedparser; fetched by the crawler's safe fetcher).

`parse_feed(data, url)` is pure (no network, no database): the crawler reuses it to find article links.
`read_feed_*` turn a feed's entries into kind-"record" pages: the text the feed carries (full content when
it has it, else the summary) is the body, so a later crawl of the entry's link updates the article.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from pathlib import Path

import feedparser
import lxml.html
from lxml import etree

from marsad.charsets import decode
from marsad.models import Page, SourceFailure, canonical_url, capped, known_outlet
from marsad.sources.common import Expected, Item, sniff_bytes
from marsad.sources.http.fetcher import FetchConfig, Fetcher, FetchResult
from marsad.sources.http.safety import AddressPolicy

MAX_FETCH_BYTES = 10 * 1024 * 1024


@dataclass
class FeedEntry:
    url: str
    title: str
    published: datetime | None = None
    author: str | None = None
    summary: str | None = None  # plain text
    content: list[str] = field(default_factory=list)  # paragraphs of the full text, when the feed has it
    categories: list[str] = field(default_factory=list)


@dataclass
class Feed:
    url: str
    title: str | None
    link: str | None
    entries: list[FeedEntry]
    error: str | None = None  # the XML was broken: what feedparser said (entries before the break are kept)


# What feedparser flags but reads correctly: a missing or overridden content type, a charset it corrected.
_HARMLESS = (feedparser.CharacterEncodingOverride, feedparser.NonXMLContentType)


class FeedError(Exception):
    """Data that is not an RSS or Atom feed at all."""


class FetchError(Exception):
    """A URL that could not be fetched: the message says why."""


_BLOCKS = ("p", "div", "li", "h1", "h2", "h3", "h4", "blockquote", "pre", "td", "br")
# Characters XML cannot hold (C0 controls but tab and newlines, U+FFFE/U+FFFF, lone surrogates): lxml
# refuses a text that has them, and they are never part of the text as published.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def html_paragraphs(html: str) -> list[str]:
    """Paragraphs of an HTML fragment (a feed's content or summary) as plain text lines."""
    if not html or not html.strip():
        return []
    if "<" not in html:
        return [line.strip() for line in html.splitlines() if line.strip()]
    html = _NOT_XML.sub("", html)
    try:
        root = lxml.html.fragment_fromstring(html, create_parent="div")
    except (ValueError, etree.ParserError):
        return [html.strip()]
    for element in root.iter(*_BLOCKS):
        element.tail = "\n" + (element.tail or "")
        if element.tag != "br":
            element.text = "\n" + (element.text or "")
    text = root.text_content()
    return [re.sub(r"[ \t\r\f\v]+", " ", line).strip() for line in text.split("\n") if line.strip()]


def _text(value: object) -> str | None:
    """A text field of feedparser's result, or None: after a <links> element, `link` is a dict."""
    return value if isinstance(value, str) and value else None


def _entry_date(entry) -> datetime | None:
    for key in ("published", "updated", "created"):
        value = entry.get(key)
        if not value:
            continue
        try:
            return parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError, OverflowError):  # a day of 50 digits overflows
            pass
        try:
            return datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            pass
        parsed = entry.get(f"{key}_parsed")
        if parsed:
            try:
                return datetime(*parsed[:6]).replace(tzinfo=UTC)  # feedparser gives UTC struct_times
            except (ValueError, OverflowError):  # feedparser reads "00" as the year -99
                pass
    return None


def parse_feed(data: bytes, url: str, charset: str | None = None) -> Feed:
    """The feed in `data` (RSS 0.9x/1.0/2.0 or Atom); raises FeedError when it is not a feed at all.

    `charset` is the transport's label, if any. The bytes are decoded by marsad.charsets, as every page is,
    and handed to feedparser as UTF-8 (its own decoding reads "iso-8859-1" as Latin-1, not windows-1252)."""
    text = decode(data, charset).text
    headers = {"content-location": url, "content-type": "application/xml; charset=utf-8"}
    try:
        parsed = feedparser.parse(
            text.encode("utf-8", "surrogatepass"), response_headers=headers, sanitize_html=True
        )
    except (ValueError, LookupError) as failure:  # a mangled XML declaration, a tag it cannot close
        reason = f"feedparser failed on it ({type(failure).__name__}: {failure})"
        raise FeedError(f"not a readable RSS or Atom feed: {reason}") from failure
    error = None
    problem = parsed.get("bozo_exception")
    if parsed.bozo and not isinstance(problem, _HARMLESS):
        error = str(problem or "malformed XML")
    if not parsed.entries and (parsed.bozo or not parsed.get("version")):  # empty data has no version
        raise FeedError(f"not a readable RSS or Atom feed: {error or 'no feed element'}")
    entries = []
    for entry in parsed.entries:
        link = _text(entry.get("link")) or _text(entry.get("id")) or ""
        if not link.startswith(("http://", "https://")):
            continue
        content = []
        for part in entry.get("content") or []:
            content.extend(html_paragraphs(_text(part.get("value")) or ""))
        summary = "\n".join(html_paragraphs(_text(entry.get("summary")) or "")) or None
        entries.append(
            FeedEntry(
                url=link,
                title=(_text(entry.get("title")) or "").strip(),
                published=_entry_date(entry),
                author=_text(entry.get("author")),
                summary=summary,
                content=content,
                categories=[t["term"] for t in entry.get("tags") or [] if _text(t.get("term"))],
            )
        )
    feed = parsed.get("feed", {})
    return Feed(
        url=url, title=_text(feed.get("title")), link=_text(feed.get("link")), entries=entries, error=error
    )


def feed_pages(feed: Feed, origin: str, fetched_at: datetime | None = None) -> Iterator[Item]:
    """Kind-"record" pages for the entries; a failure row for broken XML (after the entries it kept)."""
    outlet = known_outlet(feed.title, feed.link or feed.url)
    outlet_name = outlet.name if outlet else feed.title
    yield Expected(len(feed.entries) + (1 if feed.error else 0))
    for entry in feed.entries:
        body = entry.content or (entry.summary.split("\n") if entry.summary else [])
        record = {
            "url": entry.url,
            "title": entry.title,
            "body": body,
            "published": entry.published.isoformat() if entry.published else None,
            "precision": "minute" if entry.published else None,
            "author": entry.author,
            "outlet": outlet_name,
            "categories": entry.categories,
            "summary": entry.summary,
            "fetched_at": fetched_at.isoformat() if fetched_at else None,
        }
        yield Page(
            url=entry.url,
            kind="record",
            origin=f"{origin}#{entry.url}",
            record=record,
            fetched_at=fetched_at,
            outlet_hint=outlet_name,
        )
    if feed.error:
        yield SourceFailure(
            origin,
            feed.url,
            "read",
            f"the feed's XML is broken ({feed.error}); {_entries(len(feed.entries))} read before the break",
        )


def read_feed_file(path: Path) -> Iterator[Item]:
    origin = str(path)
    try:
        data = path.read_bytes()
    except OSError as error:
        yield SourceFailure(origin, None, "read", f"cannot read the file: {error.strerror or error}")
        return
    if not data.strip():
        yield SourceFailure(origin, None, "read", "the file is empty")
        return
    try:
        feed = parse_feed(data, path.resolve().as_uri())
    except FeedError as error:
        yield SourceFailure(origin, None, "read", str(error), capped(data))
        return
    yield from feed_pages(feed, origin, datetime.fromtimestamp(path.stat().st_mtime, UTC))


def fetch(url: str, *, policy: AddressPolicy | None = None, max_bytes: int = MAX_FETCH_BYTES) -> FetchResult:
    """A GET through the crawler's fetcher: robots.txt obeyed, every redirect checked against the address
    policy (public addresses only unless `policy` allows more), size capped; FetchError on any failure."""
    config = FetchConfig(delay=0.0, retries=1, max_bytes=max_bytes, policy=policy or AddressPolicy())

    async def get() -> FetchResult:
        async with Fetcher(config) as fetcher:
            return await fetcher.fetch(url, kind="feed")  # "feed" accepts XML and any text/*, HTML included

    result = asyncio.run(get())
    if result.error:
        raise FetchError(result.error)
    if not result.ok:
        raise FetchError(f"the server answered HTTP {result.status}")
    return result


def read_url(url: str, policy: AddressPolicy | None = None) -> Iterator[Item]:
    """A feed URL gives its entries; any other HTML URL gives the page itself."""
    try:
        result = fetch(url, policy=policy)
    except FetchError as error:
        yield SourceFailure(url, url, "fetch", str(error))
        return
    data, content_type, final_url, fetched_at = (
        result.content,
        result.content_type,
        result.final_url,
        result.fetched_at,
    )
    kind = sniff_bytes(data[:4096])
    if kind == "feed" or "xml" in content_type and kind != "html":
        try:
            feed = parse_feed(data, final_url, result.encoding)
        except FeedError as error:
            yield SourceFailure(url, url, "read", str(error), capped(data))
            return
        yield from feed_pages(feed, url, fetched_at)
    elif kind == "html":
        yield Page(
            url=canonical_url(final_url),
            kind="html",
            content=data,
            content_type=content_type,
            encoding=result.encoding,
            fetched_at=fetched_at,
            origin=url,
        )
    else:
        yield SourceFailure(
            url, url, "read", f"neither a feed nor an HTML page ({content_type or 'no type'})", capped(data)
        )


def _entries(count: int) -> str:
    return "1 entry" if count == 1 else f"{count} entries"
