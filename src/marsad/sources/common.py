"""What every source shares: the items a source yields, file sniffing and reading.

A source yields `Page` objects and, for input it cannot read, `SourceFailure` records (both in
marsad.models), so that one bad file or record never stops a batch and is kept in the `failure` table with
its reason.
"""

from __future__ import annotations

import codecs
import re
import zlib
from dataclasses import dataclass
from pathlib import Path

from marsad.models import Page, SourceFailure, capped

SNIFF_BYTES = 4096


@dataclass
class Expected:
    """A hint for progress bars: this many more items are coming (a source yields it when it knows)."""

    count: int


@dataclass
class Skipped:
    """A file inside a folder that is not a supported kind (a gold.json beside the pages, an image)."""

    origin: str
    reason: str


Item = Page | SourceFailure | Expected | Skipped


def is_url(target: str) -> bool:
    return target.startswith(("http://", "https://"))


# --- Sniffing --------------------------------------------------------------------------------------------

SUFFIX_KINDS = {
    ".txt": "text",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".warc": "warc",
    ".xml": "xml",
    ".rss": "feed",
    ".atom": "feed",
}


def head_bytes(path: Path, size: int = SNIFF_BYTES) -> bytes:
    """The first bytes of a file, decompressed when it is gzip (a truncated gzip gives what it can)."""
    with path.open("rb") as handle:
        raw = handle.read(size)
    if raw[:2] != b"\x1f\x8b":
        return raw
    try:
        return zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(raw, size)
    except zlib.error:
        return b""


_UTF16_BOMS = ((codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))


def sniff_bytes(head: bytes) -> str | None:
    """What the start of a document looks like: warc, feed, html, jsonl, text, binary, or None if empty.

    A document starting with a UTF-16 byte-order mark (LE or BE) is sniffed as its text: its zero bytes
    make it look binary otherwise (a UTF-8 mark is skipped)."""
    for bom, codec in _UTF16_BOMS:
        if head.startswith(bom):
            return _sniff_utf16(head[len(bom) :], codec)
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if not stripped:
        return None
    if stripped.startswith(b"WARC/"):
        return "warc"
    lower = stripped[:2048].lower()
    if re.search(rb"<(rss|feed|rdf:rdf)[\s>]", lower):
        return "feed"
    if lower.startswith((b"<!doctype html", b"<html")) or re.search(rb"<(html|head|body)[\s>]", lower):
        return "html"
    if stripped.startswith(b"{"):
        return "jsonl"
    if b"\x00" in head[:SNIFF_BYTES]:
        return "binary"
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as error:
        if error.start < len(head) - 4:  # not only a character cut at the end of the sample
            return "binary" if _looks_binary(head) else "text"
    return "text"


def _sniff_utf16(head: bytes, codec: str) -> str | None:
    """The kind of a UTF-16 document from its first bytes after the mark (a character cut at the end of the
    sample is dropped); binary when the bytes are not mostly UTF-16 text."""
    text = head[: len(head) // 2 * 2].decode(codec, errors="replace")
    if text.endswith("\ufffd"):  # a surrogate pair cut by the sample's end
        text = text[:-1]
    undecodable = text.count("\ufffd") + text.count("\x00")
    if undecodable * 20 > len(text):
        return "binary"
    return sniff_bytes(text.encode("utf-8"))  # UTF-8 never starts with a UTF-16 mark: no loop


def _looks_binary(head: bytes) -> bool:
    """Control bytes other than whitespace in more than 1 in 20 bytes: not a text in a legacy charset."""
    controls = sum(1 for b in head if b < 9 or 13 < b < 32)
    return controls * 20 > len(head)


def file_kind(path: Path) -> str | None:
    """The source kind for a file: by extension, then by its first bytes (.gz, .xml, unknown names)."""
    name = path.name.lower()
    if name.endswith((".warc.gz", ".arc.gz")):
        return "warc"
    if name.endswith((".jsonl.gz", ".ndjson.gz")):
        return "jsonl"
    kind = SUFFIX_KINDS.get(path.suffix.lower())
    if kind in ("text", "html", "jsonl", "warc", "feed"):
        return kind
    sniffed = sniff_bytes(head_bytes(path))
    if kind == "xml":
        return "feed" if sniffed == "feed" else ("html" if sniffed == "html" else "feed")
    return sniffed


def read_page_file(path: Path, what: str) -> bytes | SourceFailure:
    """The bytes of a page file, or the failure saying why it holds no page: unreadable, empty or binary.

    `what` names the expected kind in the message ("an HTML page", "a text dump of a page").
    """
    origin = str(path)
    try:
        raw = path.read_bytes()
    except OSError as error:
        return SourceFailure(origin, None, "read", f"cannot read the file: {error.strerror or error}")
    if not raw.strip():
        return SourceFailure(origin, None, "read", "the file is empty", raw)
    if sniff_bytes(raw[:4096]) == "binary":
        return SourceFailure(origin, None, "decode", f"a binary file, not {what}", capped(raw))
    return raw
