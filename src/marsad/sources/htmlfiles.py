"""HTML files (`.html`, `.htm`): one page per file, bytes as stored; extraction decodes them.

The charset is left to extraction (marsad.extract.decode), which reads the page's own meta charset and
falls back to detection, so a windows-1256 page arrives as its original bytes.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

from marsad.models import Page, SourceFailure
from marsad.sources.common import Item, read_page_file


def read_html(path: Path) -> Iterator[Item]:
    raw = read_page_file(path, "an HTML page")
    if isinstance(raw, SourceFailure):
        yield raw
        return
    yield Page(
        url=path.resolve().as_uri(),
        kind="html",
        content=raw,
        content_type="text/html",
        encoding=None,
        fetched_at=datetime.fromtimestamp(path.stat().st_mtime, UTC),
        origin=str(path),
    )
