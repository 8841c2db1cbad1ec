"""JSON-lines corpora (`.jsonl`, `.jsonl.gz`): records that need no extraction, only mapping.

Two layouts are read: the ANT corpus (docno, url, source, category, title, time in RFC 2822, author,
abstract, text with paragraphs on separate lines) and Marsad's own `marsad export --format jsonl` (Article
field names). Each record becomes a kind-"record" Page whose `record` holds Article field names.

A corpus is one snapshot, so duplicates inside a file are one article: the file is read twice, first to
find every URL's last good line and all its categories, then to yield each URL once, at its last line,
with the categories of all its lines merged in order of appearance. A line that is not JSON, has no URL (or
one that is not http(s)) or has an empty text is a failure with its line number; the URL's other lines
still count.

The file is read as a stream of bytes, split into lines, and each line is decoded and parsed on its own: a
line that is not UTF-8, nested too deeply or longer than `MAX_LINE_BYTES` is one failure, and the lines
around it are kept. A gzip stream that stops early (a truncated download) or is corrupt keeps every whole
line before the break, and the rest is one failure; bytes after the last gzip member that are not gzip
(trailing garbage) are one failure after the last line. Only a failed integrity check (CRC or length) refuses
the whole file: then some bytes are known to be wrong, and no line can be trusted.
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any, BinaryIO

from marsad.models import Page, SourceFailure, capped, http_url, known_outlet
from marsad.sources.common import Expected, Item


@dataclass
class _UrlEntry:
    last_line: int
    categories: list[str] = field(default_factory=list)


MAX_LINE_BYTES = 64 * 1024 * 1024  # a longer line is a failure, skipped without being held in memory
_READ = 256 * 1024  # bytes read from the file at a time
_OUT = 1024 * 1024  # at most this many decompressed bytes at a time
_GZIP_MAGIC = b"\x1f\x8b"


class _IntegrityError(Exception):
    """The gzip stream's own check (CRC or length) failed: some bytes are wrong, nobody knows which."""


@dataclass
class _Tail:
    """The part of a file that cannot be read: from line `line` on (or, after the last line, the trailer)."""

    line: int
    reason: str
    content: bytes = b""  # the start of a line cut by the break
    at_boundary: bool = False  # the break came after a whole gzip member


@dataclass
class _LongLine:
    line: int


class _Unreadable(Exception):
    def __init__(self, reason: str, *, at_boundary: bool) -> None:
        super().__init__(reason)
        self.reason = reason
        self.at_boundary = at_boundary  # the break is between gzip members: the bytes before it are whole


def _gunzip(raw: BinaryIO) -> Iterator[bytes]:
    """The decompressed bytes of a gzip file (one member or several), in bounded pieces.

    Raises _Unreadable when the stream stops early, is corrupt, or is followed by bytes that are not gzip,
    after yielding every byte that could be decompressed; _IntegrityError when a CRC or length check fails.
    """
    decompressor = zlib.decompressobj(16 + zlib.MAX_WBITS)
    in_member = False
    pending = b""  # input not yet given to the decompressor
    while True:
        if not pending:
            pending = raw.read(_READ)
            if not pending:
                break
        if not in_member:
            pending = pending.lstrip(b"\x00")  # zero padding after a member is allowed, as gzip allows it
            if not pending:
                continue
            if len(pending) < 2:
                pending += raw.read(_READ)
            if not pending.startswith(_GZIP_MAGIC):
                raise _Unreadable(
                    "the data after the gzip stream is not gzip (trailing garbage)", at_boundary=True
                )
            in_member = True
        before = decompressor.copy()
        try:
            out = decompressor.decompress(pending, _OUT)
        except zlib.error as error:
            text = str(error)
            if "incorrect data check" in text or "incorrect length check" in text:
                raise _IntegrityError("CRC check failed: the gzip data is corrupt") from error
            yield from _up_to_the_error(before, pending)
            raise _Unreadable(
                f"the gzip data is corrupt ({text.rpartition(': ')[2]})", at_boundary=False
            ) from error
        if out:
            yield out
        if decompressor.eof:
            pending = decompressor.unused_data
            decompressor = zlib.decompressobj(16 + zlib.MAX_WBITS)
            in_member = False
        else:
            pending = decompressor.unconsumed_tail
    if in_member:
        while True:  # what the decompressor still holds for the input it has already been given
            out = decompressor.decompress(b"", _OUT)
            if not out:
                break
            yield out
        raise _Unreadable("the gzip stream ends early (a truncated file)", at_boundary=False)


def _up_to_the_error(decompressor: Any, data: bytes, step: int = 64) -> Iterator[bytes]:
    """What `data` decompresses to before the point where it is corrupt: fed again in small steps to a copy
    of the decompressor as it was before the failing call, so that only the output of the last step is lost."""
    for start in range(0, len(data), step):
        piece = data[start : start + step]
        while piece:
            try:
                out = decompressor.decompress(piece, _OUT)
            except zlib.error:
                return
            if out:
                yield out
            piece = decompressor.unconsumed_tail
            if decompressor.eof:
                return


def _plain(raw: BinaryIO) -> Iterator[bytes]:
    while chunk := raw.read(_READ):
        yield chunk


def _byte_lines(path: Path) -> Iterator[tuple[int, bytes] | _LongLine | _Tail]:
    """Each line's bytes with its number (1-based, blank lines counted), a _LongLine for a line longer than
    MAX_LINE_BYTES, and a _Tail for the part of the file after a break. Raises OSError (unreadable file) and
    _IntegrityError (a gzip check failed)."""
    number = 0
    line = bytearray()
    too_long = False
    with path.open("rb") as raw:
        gzipped = raw.read(2) == _GZIP_MAGIC
        raw.seek(0)
        chunks = _gunzip(raw) if gzipped else _plain(raw)
        try:
            for chunk in chunks:
                start = 0
                while True:
                    end = chunk.find(b"\n", start)
                    piece = chunk[start:] if end < 0 else chunk[start:end]
                    if not too_long:
                        if len(line) + len(piece) > MAX_LINE_BYTES:
                            too_long = True
                            line.clear()
                        else:
                            line += piece
                    if end < 0:
                        break
                    number += 1
                    yield _LongLine(number) if too_long else (number, bytes(line))
                    line.clear()
                    too_long = False
                    start = end + 1
        except _Unreadable as error:
            if error.at_boundary and (line or too_long):  # the last member ended whole: its last line too
                number += 1
                yield _LongLine(number) if too_long else (number, bytes(line))
                line.clear()
                too_long = False
            yield _Tail(number + 1, error.reason, bytes(line), error.at_boundary)
            return
    if line or too_long:
        number += 1
        yield _LongLine(number) if too_long else (number, bytes(line))


def split_paragraphs(text: str) -> list[str]:
    """Paragraphs as published: one per line, blank lines dropped, nothing else changed."""
    return [line for line in text.split("\n") if line.strip()]


def _published(raw: dict) -> tuple[str | None, str | None]:
    """(ISO date, precision) from an ANT `time` (RFC 2822) or an export's `published`/`precision`."""
    if raw.get("published"):
        return str(raw["published"]), raw.get("precision")
    time = raw.get("time")
    if not isinstance(time, str) or not time.strip():  # a number, a list, an object: no date
        return None, None
    try:
        return parsedate_to_datetime(time).isoformat(), "minute"
    except (TypeError, ValueError, IndexError, OverflowError):
        return None, None


def _outlet(raw: dict, url: str) -> str | None:
    name = raw.get("outlet") or raw.get("source")
    if not isinstance(name, str):
        name = None
    outlet = known_outlet(name, url)
    if outlet is not None:
        return outlet.name
    return str(name) if name else None


def _categories(raw: dict) -> list[str]:
    cats = raw.get("categories")
    if isinstance(cats, list):
        return [str(c) for c in cats if c]
    if raw.get("category"):
        return [str(raw["category"])]
    return []


def to_record(raw: dict) -> dict:
    """Article field names from one corpus line (ANT or Marsad export)."""
    url = str(raw["url"]).strip()
    body = raw.get("body")
    if isinstance(body, list):
        paragraphs = [str(p) for p in body if str(p).strip()]
    else:
        paragraphs = split_paragraphs(str(body if body is not None else raw.get("text") or ""))
    published, precision = _published(raw)
    record = {
        "url": url,
        "title": str(raw.get("title") or ""),
        "body": paragraphs,
        "published": published,
        "precision": precision,
        "author": raw.get("author") or None,
        "outlet": _outlet(raw, url),
        "categories": _categories(raw),
        "summary": raw.get("summary") or raw.get("abstract") or None,
    }
    for name in ("original_outlet", "original_url", "language", "canonical_url", "fetched_at"):
        if raw.get(name):
            record[name] = raw[name]
    return record


def _load(line: str, origin: str) -> dict | SourceFailure:
    """The line's JSON object, or a failure: not JSON, nested too deeply, no url, or an empty text."""
    try:
        raw = json.loads(line)
    except json.JSONDecodeError as error:
        return SourceFailure(origin, None, "read", f"not a JSON object: {error.msg}", line)
    except RecursionError:
        return SourceFailure(origin, None, "read", "not a JSON object: nested too deeply", capped(line))
    except ValueError as error:  # an integer longer than Python converts, and the like
        return SourceFailure(origin, None, "read", f"not a JSON object: {error}", capped(line))
    if not isinstance(raw, dict):
        return SourceFailure(origin, None, "read", "not a JSON object", line)
    url = raw.get("url")
    if not isinstance(url, str) or not url.strip():
        return SourceFailure(origin, None, "read", "the record has no url", line)
    if http_url(url) is None and not url.strip().startswith("file://"):
        return SourceFailure(origin, None, "read", "the record's url is not an http(s) URL", capped(line))
    try:
        body = raw.get("body")
        text = "".join(map(str, body)) if isinstance(body, list) else str(body or raw.get("text") or "")
    except RecursionError:
        return SourceFailure(
            origin, url.strip(), "read", "the record's text is nested too deeply", capped(line)
        )
    if not text.strip():
        return SourceFailure(origin, url.strip(), "extract", "the record's text is empty", line)
    return raw


def _lines(path: Path, origin: str) -> Iterator[tuple[int, str] | SourceFailure]:
    """Each non-blank line decoded, with its number; a failure for a line that cannot be decoded and for
    the unreadable rest of the file."""
    for item in _byte_lines(path):
        if isinstance(item, _Tail):
            if item.at_boundary:
                reason = f"{item.reason}, after line {item.line - 1}: ignored; every line before it is kept"
            else:
                reason = f"{item.reason}: line {item.line} and any after it cannot be read; the lines before are kept"
            yield SourceFailure(f"{origin}:{item.line}", None, "read", reason, capped(item.content) or None)
            continue
        if isinstance(item, _LongLine):
            reason = f"line {item.line} is longer than {MAX_LINE_BYTES:,} bytes"
            yield SourceFailure(f"{origin}:{item.line}", None, "read", reason)
            continue
        number, raw = item
        if number == 1:
            raw = raw.removeprefix(b"\xef\xbb\xbf")
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError as error:
            reason = f"line {number} is not UTF-8 (byte 0x{raw[error.start]:02x} at position {error.start})"
            yield SourceFailure(f"{origin}:{number}", None, "decode", reason, capped(raw))
            continue
        if line.strip():
            yield number, line


def _index(path: Path) -> tuple[dict[str, _UrlEntry], int]:
    """First pass: each URL's last good line and its categories; and the number of failing lines."""
    urls: dict[str, _UrlEntry] = {}
    failures = 0
    for item in _lines(path, ""):
        if isinstance(item, SourceFailure):
            failures += 1
            continue
        number, line = item
        raw = _load(line, "")
        if isinstance(raw, SourceFailure):
            failures += 1
            continue
        url = raw["url"].strip()
        entry = urls.get(url)
        if entry is None:
            urls[url] = entry = _UrlEntry(number)
        entry.last_line = number
        for category in _categories(raw):
            if category not in entry.categories:
                entry.categories.append(category)
    return urls, failures


def read_jsonl(path: Path) -> Iterator[Item]:
    """Each distinct URL once (later line wins, categories merged); failures for unreadable lines."""
    origin = str(path)
    try:
        urls, failures = _index(path)
    except (OSError, _IntegrityError) as error:
        yield SourceFailure(origin, None, "read", f"cannot read the JSON-lines file: {error}")
        return
    if not urls and not failures:
        yield SourceFailure(origin, None, "read", "the file is empty")
        return
    if not urls and _is_json_document(path):
        yield SourceFailure(origin, None, "read", "a JSON document, not JSON lines (one record a line)")
        return
    yield Expected(len(urls) + failures)
    try:
        for item in _lines(path, origin):
            if isinstance(item, SourceFailure):
                yield item
                continue
            number, line = item
            line_origin = f"{origin}:{number}"
            raw = _load(line, line_origin)
            if isinstance(raw, SourceFailure):
                yield raw
                continue
            entry = urls.get(raw["url"].strip())
            if entry is None or entry.last_line != number:
                continue
            try:
                record = to_record(raw)
            except RecursionError:
                yield SourceFailure(
                    line_origin, raw["url"].strip(), "read", "the record is nested too deeply"
                )
                continue
            record["categories"] = entry.categories
            yield Page(
                url=record["url"],
                kind="record",
                origin=line_origin,
                record=record,
                outlet_hint=record["outlet"],
            )
    except (OSError, _IntegrityError) as error:  # the file changed or went away between the two passes
        yield SourceFailure(origin, None, "read", f"cannot read the JSON-lines file: {error}")


def _is_json_document(path: Path, limit: int = 64 * 1024 * 1024) -> bool:
    """A pretty-printed JSON file (a gold.json, a list of records) rather than JSON lines."""
    if path.stat().st_size > limit:
        return False
    text = bytearray()
    try:
        for item in _byte_lines(path):
            if not isinstance(item, tuple):
                return False
            text += item[1] + b"\n"
            if len(text) > limit:
                return False
        json.loads(text.decode("utf-8"))
    except (OSError, _IntegrityError, ValueError, RecursionError):
        return False
    return True
