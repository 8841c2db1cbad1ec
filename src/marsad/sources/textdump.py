"""Text dumps of pages (`.txt`), like a crawl's HTML-to-text: one page per file, extracted later."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

from marsad.charsets import decode
from marsad.models import Page, SourceFailure
from marsad.sources.common import Item, read_page_file


def read_textdump(path: Path) -> Iterator[Item]:
    """One kind-"text" page for the file; its URL is the file's URI until extraction finds a better one."""
    origin = str(path)
    raw = read_page_file(path, "a text dump of a page")
    if isinstance(raw, SourceFailure):
        yield raw
        return
    decoded = decode(raw)  # the one decoder every path uses (a BOM, UTF-8, a declared label, detection)
    yield Page(
        url=path.resolve().as_uri(),
        kind="text",
        content=decoded.text,
        content_type="text/plain",
        encoding=decoded.codec,
        fetched_at=datetime.fromtimestamp(path.stat().st_mtime, UTC),
        origin=origin,
    )
