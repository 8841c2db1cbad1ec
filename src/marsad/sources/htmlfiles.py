"""HTML files (`.html`, `.htm`): one page per file, bytes as stored; extraction decodes them.

The charset is left to extraction (marsad.extract.decode), which reads the page's own meta charset and
falls back to detection, so a windows-1256 page arrives as its original bytes.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

from marsad.models import Page
from marsad.sources.common import Item, SourceFailure, capped, sniff_bytes


def read_html(path: Path) -> Iterator[Item]:
    origin = str(path)
    try:
        raw = path.read_bytes()
    except OSError as error:
        yield SourceFailure(origin, None, "read", f"cannot read the file: {error.strerror or error}")
        return
    if not raw.strip():
        yield SourceFailure(origin, None, "read", "the file is empty", raw)
        return
    if sniff_bytes(raw[:4096]) == "binary":
        yield SourceFailure(origin, None, "decode", "a binary file, not an HTML page", capped(raw))
        return
    yield Page(
        url=path.resolve().as_uri(),
        kind="html",
        content=raw,
        content_type="text/html",
        encoding=None,
        fetched_at=datetime.fromtimestamp(path.stat().st_mtime, UTC),
        origin=origin,
    )
