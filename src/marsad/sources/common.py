"""What every source shares: the failure record, outlet names, file sniffing and small URL helpers.

A source yields `Page` objects (see marsad.models) and, for input it cannot read, `SourceFailure` records,
so that one bad file or record never stops a batch and is kept in the `failure` table with its reason.
"""

from __future__ import annotations

import gzip
import re
import zlib
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from marsad.models import Page

MAX_FAILURE_CONTENT = 64 * 1024  # bytes of the input kept with a failure row
SNIFF_BYTES = 4096


@dataclass
class SourceFailure:
    """Input a source could not turn into a page: where it was, at which stage it failed and why."""

    origin: str  # file path, URL, "file.jsonl.gz:line 17", "archive.warc.gz@offset"
    url: str | None
    stage: str  # read | decode | fetch | extract | store
    reason: str  # one clear sentence
    content: bytes | str | None = None


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


def capped(content: bytes | str | None, limit: int = MAX_FAILURE_CONTENT) -> bytes | str | None:
    """The input kept with a failure: at most `limit` bytes (str is capped by its UTF-8 size)."""
    if content is None:
        return None
    if isinstance(content, str):
        raw = content.encode("utf-8")
        return content if len(raw) <= limit else raw[:limit].decode("utf-8", "ignore")
    return bytes(content[:limit])


# --- Outlets -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Outlet:
    key: str  # the source row's stable key: the outlet's host without "www."
    name: str  # display name, Arabic
    name_latin: str
    home_url: str
    country: str | None = None
    aliases: tuple[str, ...] = ()  # other spellings: corpus labels, English names
    hosts: tuple[str, ...] = ()


# Outlets Marsad knows by name. The ANT corpus labels its five outlets alarabia, BBC, CNN, france24 and
# skynews; they map to each outlet's own Arabic display name, with the Latin name kept beside it.
KNOWN_OUTLETS: tuple[Outlet, ...] = (
    Outlet(
        "alarabiya.net",
        "العربية",
        "Al Arabiya",
        "https://www.alarabiya.net/",
        "AE",
        ("alarabia", "alarabiya", "al arabiya", "العربية.نت"),
        ("alarabiya.net",),
    ),
    Outlet(
        "bbc.co.uk/arabic",
        "بي بي سي عربي",
        "BBC Arabic",
        "https://www.bbc.com/arabic",
        "GB",
        ("bbc", "bbc arabic", "bbc عربي"),
        ("bbc.co.uk", "bbc.com"),
    ),
    Outlet(
        "arabic.cnn.com",
        "سي إن إن بالعربية",
        "CNN Arabic",
        "https://arabic.cnn.com/",
        "AE",
        ("cnn", "cnn arabic", "cnn بالعربية"),
        ("arabic.cnn.com",),
    ),
    Outlet(
        "france24.com/ar",
        "فرانس 24",
        "France 24",
        "https://www.france24.com/ar/",
        "FR",
        ("france24", "france 24", "فرانس24"),
        ("france24.com",),
    ),
    Outlet(
        "skynewsarabia.com",
        "سكاي نيوز عربية",
        "Sky News Arabia",
        "https://www.skynewsarabia.com/",
        "AE",
        ("skynews", "sky news arabia", "skynewsarabia", "سكاي نيوز"),
        ("skynewsarabia.com",),
    ),
)

_BY_NAME = {
    _name.casefold(): outlet
    for outlet in KNOWN_OUTLETS
    for _name in (outlet.name, outlet.name_latin, outlet.key, *outlet.aliases)
}
_BY_HOST = {host: outlet for outlet in KNOWN_OUTLETS for host in outlet.hosts}


def normalise_outlet_name(name: str) -> str:
    return re.sub(r"\s+", " ", name).strip().casefold()


def known_outlet(name: str | None = None, url: str | None = None) -> Outlet | None:
    """The known outlet a name (corpus label, display or Latin name) or a URL's host points to."""
    if name:
        outlet = _BY_NAME.get(normalise_outlet_name(name))
        if outlet:
            return outlet
    if url:
        host = host_of(url)
        while host:
            if host in _BY_HOST:
                return _BY_HOST[host]
            host = host.partition(".")[2] if host.count(".") > 1 else ""
    return None


# --- URLs ----------------------------------------------------------------------------------------------


def host_of(url: str) -> str:
    """The host of a URL without "www.", lowercase; "" for a file path or a malformed URL."""
    try:
        host = urlsplit(url).hostname or ""
    except ValueError:
        return ""
    return host.removeprefix("www.")


_TRACKING = re.compile(r"^(utm_|fbclid$|gclid$|ocid$|at_medium$|at_campaign$)")


def canonical_url(url: str) -> str:
    """One spelling per article: lowercase scheme and host, no fragment, no tracking parameters.

    The path is kept as published (Arabic slugs stay as they are, percent-encoded or not).
    """
    url = url.strip()
    try:
        parts = urlsplit(url)
    except ValueError:
        return url
    if parts.scheme not in ("http", "https"):
        return url
    netloc = parts.netloc.lower()
    if netloc.endswith(":80") and parts.scheme == "http":
        netloc = netloc[:-3]
    if netloc.endswith(":443") and parts.scheme == "https":
        netloc = netloc[:-4]
    query = parts.query
    if query:
        pairs = [(k, v) for k, v in parse_qsl(query, keep_blank_values=True) if not _TRACKING.match(k)]
        query = urlencode(pairs, safe="/:@!$'()*+,;=")
    return urlunsplit((parts.scheme.lower(), netloc, parts.path or "/", query, ""))


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


def sniff_bytes(head: bytes) -> str | None:
    """What the start of a document looks like: warc, feed, html, jsonl, text, binary, or None if empty."""
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


def read_gzip_or_plain(path: Path) -> bytes:
    raw = path.read_bytes()
    return gzip.decompress(raw) if raw[:2] == b"\x1f\x8b" else raw


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
