"""JSON-lines corpora (`.jsonl`, `.jsonl.gz`): records that need no extraction, only mapping.

Two layouts are read: the ANT corpus (docno, url, source, category, title, time in RFC 2822, author,
abstract, text with paragraphs on separate lines) and Marsad's own `marsad export --format jsonl` (Article
field names). Each record becomes a kind-"record" Page whose `record` holds Article field names.

A corpus is one snapshot, so duplicates inside a file are one article: the file is read twice, first to
find every URL's last good line and all its categories, then to yield each URL once, at its last line,
with the categories of all its lines merged in order of appearance. A line that is not JSON, has no URL or
has an empty text is a failure with its line number; the URL's other lines still count.
"""

from __future__ import annotations

import gzip
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import IO

from marsad.models import Page, SourceFailure, known_outlet
from marsad.sources.common import Expected, Item


@dataclass
class _UrlEntry:
    last_line: int
    categories: list[str] = field(default_factory=list)


def open_lines(path: Path) -> IO[str]:
    raw = path.open("rb")
    magic = raw.read(2)
    raw.seek(0)
    binary = gzip.GzipFile(fileobj=raw) if magic == b"\x1f\x8b" else raw
    return io.TextIOWrapper(binary, encoding="utf-8", errors="strict", newline="\n")


def split_paragraphs(text: str) -> list[str]:
    """Paragraphs as published: one per line, blank lines dropped, nothing else changed."""
    return [line for line in text.split("\n") if line.strip()]


def _published(raw: dict) -> tuple[str | None, str | None]:
    """(ISO date, precision) from an ANT `time` (RFC 2822) or an export's `published`/`precision`."""
    if raw.get("published"):
        return str(raw["published"]), raw.get("precision")
    time = raw.get("time")
    if not time:
        return None, None
    try:
        return parsedate_to_datetime(time).isoformat(), "minute"
    except (TypeError, ValueError, IndexError):
        return None, None


def _outlet(raw: dict, url: str) -> str | None:
    name = raw.get("outlet") or raw.get("source")
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
    """The line's JSON object, or a failure: not JSON, no url, or an empty text."""
    try:
        raw = json.loads(line)
    except json.JSONDecodeError as error:
        return SourceFailure(origin, None, "read", f"not a JSON object: {error.msg}", line)
    if not isinstance(raw, dict):
        return SourceFailure(origin, None, "read", "not a JSON object", line)
    url = raw.get("url")
    if not isinstance(url, str) or not url.strip():
        return SourceFailure(origin, None, "read", "the record has no url", line)
    body = raw.get("body")
    text = "".join(map(str, body)) if isinstance(body, list) else str(body or raw.get("text") or "")
    if not text.strip():
        return SourceFailure(origin, url.strip(), "extract", "the record's text is empty", line)
    return raw


def _lines(path: Path) -> Iterator[tuple[int, str]]:
    with open_lines(path) as handle:
        for number, line in enumerate(handle, start=1):
            if line.strip():
                yield number, line


def _index(path: Path) -> tuple[dict[str, _UrlEntry], int]:
    """First pass: each URL's last good line and its categories; and the number of failing lines."""
    urls: dict[str, _UrlEntry] = {}
    failures = 0
    for number, line in _lines(path):
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
    except (OSError, EOFError, UnicodeDecodeError, gzip.BadGzipFile) as error:
        yield SourceFailure(origin, None, "read", f"cannot read the JSON-lines file: {error}")
        return
    if not urls and not failures:
        yield SourceFailure(origin, None, "read", "the file is empty")
        return
    if not urls and _is_json_document(path):
        yield SourceFailure(origin, None, "read", "a JSON document, not JSON lines (one record a line)")
        return
    yield Expected(len(urls) + failures)
    for number, line in _lines(path):
        line_origin = f"{origin}:{number}"
        raw = _load(line, line_origin)
        if isinstance(raw, SourceFailure):
            yield raw
            continue
        entry = urls[raw["url"].strip()]
        if entry.last_line != number:
            continue
        record = to_record(raw)
        record["categories"] = entry.categories
        yield Page(
            url=record["url"], kind="record", origin=line_origin, record=record, outlet_hint=record["outlet"]
        )


def _is_json_document(path: Path, limit: int = 64 * 1024 * 1024) -> bool:
    """A pretty-printed JSON file (a gold.json, a list of records) rather than JSON lines."""
    if path.stat().st_size > limit:
        return False
    with open_lines(path) as handle:
        try:
            json.loads(handle.read())
        except (json.JSONDecodeError, UnicodeDecodeError):
            return False
    return True
