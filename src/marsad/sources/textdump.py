"""Text dumps of pages (`.txt`), like a crawl's HTML-to-text: one page per file, extracted later."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

from charset_normalizer import from_bytes

from marsad.models import Page, SourceFailure, capped
from marsad.sources.common import Item, read_page_file


def decode_text(raw: bytes) -> tuple[str, str]:
    """(text, encoding): UTF-8 (with or without BOM) first, else the charset detection's best guess."""
    if raw.startswith(b"\xef\xbb\xbf"):
        return raw[3:].decode("utf-8"), "utf-8-sig"
    try:
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    best = from_bytes(
        raw[:200_000], cp_isolation=["cp1256", "iso8859_6", "mac_arabic", "utf_16", "cp1252"]
    ).best()
    if best is None:
        raise UnicodeDecodeError("utf-8", raw[:1], 0, 1, "not UTF-8 and no other charset fits")
    return raw.decode(best.encoding, errors="replace"), best.encoding


def read_textdump(path: Path) -> Iterator[Item]:
    """One kind-"text" page for the file; its URL is the file's URI until extraction finds a better one."""
    origin = str(path)
    raw = read_page_file(path, "a text dump of a page")
    if isinstance(raw, SourceFailure):
        yield raw
        return
    try:
        text, encoding = decode_text(raw)
    except UnicodeDecodeError:
        yield SourceFailure(
            origin, None, "decode", "the text is not UTF-8 and its charset is unknown", capped(raw)
        )
        return
    yield Page(
        url=path.resolve().as_uri(),
        kind="text",
        content=text,
        content_type="text/plain",
        encoding=encoding,
        fetched_at=datetime.fromtimestamp(path.stat().st_mtime, UTC),
        origin=origin,
    )
