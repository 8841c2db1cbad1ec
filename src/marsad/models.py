"""The two records that flow between stages: a Page (sources -> extract) and an Article (extract -> store).

Text as published is kept exactly in these records; normalised forms are derived later and never stored
in their place.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

PageKind = Literal["html", "text", "record"]
Precision = Literal["minute", "day", "month", "quarter", "year"]


@dataclass
class Page:
    """One page as a source yields it, before extraction.

    kind "html": `content` is the raw bytes (or str) of an HTML document.
    kind "text": `content` is a text dump of a page (a crawl's HTML-to-text), like the seeds.
    kind "record": an already-extracted record (a JSON-lines corpus row) in `record`; no extraction needed.
    """

    url: str
    kind: PageKind
    content: bytes | str = b""
    content_type: str = ""
    encoding: str | None = None  # declared charset (HTTP header, WARC, feed), if any
    fetched_at: datetime | None = None
    origin: str = ""  # where it came from: a file path, a feed URL, a WARC file and offset
    record: dict | None = None
    outlet_hint: str | None = None  # the outlet the source says this page belongs to, if it knows


@dataclass
class Image:
    url: str
    caption: str = ""


@dataclass
class Article:
    """What extraction gives: one article, text exactly as published."""

    url: str
    title: str
    body: list[str]  # paragraphs, as published
    published: datetime | None = None
    precision: Precision | None = None  # how much of `published` the page actually states
    author: str | None = None
    outlet: str | None = None
    original_outlet: str | None = None  # the outlet an aggregator names as its source
    original_url: str | None = None  # "read at the source" link or JSON-LD isBasedOn
    language: str | None = None
    canonical_url: str | None = None
    categories: list[str] = field(default_factory=list)
    summary: str | None = None
    images: list[Image] = field(default_factory=list)
    ticker: list[str] = field(default_factory=list)  # headlines from the page's ticker
    previous_title: str | None = None
    previous_url: str | None = None
    next_title: str | None = None
    next_url: str | None = None
    fetched_at: datetime | None = None

    @property
    def text(self) -> str:
        return "\n".join(self.body)


class ExtractionError(Exception):
    """A page that cannot be turned into an article; the message is the reason kept in `failure`."""
