"""Sources: everything that brings pages in. Each yields `Page` records (and `SourceFailure` for input it
cannot read), one module per kind:

- textdump: text dumps of pages (`.txt`), like the seeds;
- htmlfiles: HTML files (`.html`, `.htm`);
- jsonl: JSON-lines corpora (`.jsonl`, `.jsonl.gz`: the ANT corpus, Marsad's own export);
- warc: WARC archives (`.warc`, `.warc.gz`), response records;
- feeds: RSS/Atom feeds from a file or an http(s) URL (and single pages by URL);
- sitemaps: the article URLs a sitemap lists;
- http: the safe, polite HTTP fetcher (the crawl, marsad.crawl, drives it).

`iter_targets(targets)` takes any mix of files, folders (every supported file inside, recursively) and
URLs, picks the reader by extension and, where the extension does not say (`.gz`, `.xml`, no extension),
by the file's first bytes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

from marsad.models import SourceFailure, capped
from marsad.sources.common import Expected, Item, Skipped, file_kind, is_url
from marsad.sources.feeds import parse_feed, read_feed_file, read_url
from marsad.sources.htmlfiles import read_html
from marsad.sources.http.safety import AddressPolicy
from marsad.sources.jsonl import read_jsonl
from marsad.sources.textdump import read_textdump
from marsad.sources.warc import read_warc

__all__ = [
    "Expected",
    "Item",
    "Skipped",
    "iter_targets",
    "parse_feed",
    "read_kind",
    "read_path",
]

READERS: dict[str, Callable[[Path], Iterator[Item]]] = {
    "text": read_textdump,
    "html": read_html,
    "jsonl": read_jsonl,
    "warc": read_warc,
    "feed": read_feed_file,
}

# Readers of some kinds in place of READERS' (they may yield work items of their own instead of Items)
Readers = Mapping[str, Callable[[Path], Iterator[Any]]]

FOLDER_SUFFIXES = (
    ".txt",
    ".html",
    ".htm",
    ".xhtml",
    ".jsonl",
    ".ndjson",
    ".jsonl.gz",
    ".ndjson.gz",
    ".warc",
    ".warc.gz",
    ".xml",
    ".rss",
    ".atom",
)


def iter_targets(
    targets: Iterable[str | Path], *, policy: AddressPolicy | None = None, readers: Readers | None = None
) -> Iterator[Item]:
    """Items from every target in order: URLs are fetched (public addresses only unless `policy` allows
    more), folders walked, files read by kind; `readers` replaces the reader of some kinds (a Dask run
    yields parts of archives to read elsewhere: marsad.ingest.cluster)."""
    for target in targets:
        text = str(target)
        if is_url(text):
            yield from read_url(text, policy)
            continue
        path = Path(text).expanduser()
        if path.is_dir():
            yield from _read_folder(path, readers)
        elif path.exists():
            yield from read_path(path, readers=readers)
        else:
            yield SourceFailure(text, None, "read", "no such file or folder")


def _read_folder(folder: Path, readers: Readers | None = None) -> Iterator[Item]:
    files = sorted(p for p in folder.rglob("*") if p.is_file() and not _hidden(p.relative_to(folder)))
    supported = [p for p in files if p.name.lower().endswith(FOLDER_SUFFIXES)]
    for path in files:
        if path.name.lower().endswith(FOLDER_SUFFIXES):
            continue
        yield Skipped(str(path), "not a supported kind of file")
    yield Expected(sum(1 for p in supported if _single_page(p)))
    for path in supported:
        yield from read_path(path, counted=_single_page(path), readers=readers)


def _single_page(path: Path) -> bool:
    return path.suffix.lower() in (".txt", ".html", ".htm", ".xhtml")


def _hidden(relative: Path) -> bool:
    return any(part.startswith(".") for part in relative.parts)


def read_path(path: Path, *, counted: bool = False, readers: Readers | None = None) -> Iterator[Item]:
    """Items from one file; `counted` means the caller already announced it as one expected page."""
    try:
        kind = file_kind(path)
    except OSError as error:
        yield SourceFailure(str(path), None, "read", f"cannot read the file: {error.strerror or error}")
        return
    if kind is None:
        yield SourceFailure(str(path), None, "read", "the file is empty")
        return
    if kind == "binary":
        yield SourceFailure(
            str(path),
            None,
            "read",
            "a binary file, not a page, archive, feed or corpus",
            capped(path.read_bytes()[:4096]),
        )
        return
    if not counted and kind in ("text", "html"):
        yield Expected(1)
    yield from read_kind(path, kind, readers)


def read_kind(path: Path, kind: str, readers: Readers | None = None) -> Iterator[Item]:
    """Items from a file of a known kind, by its reader (one of `readers` first)."""
    reader = (readers or {}).get(kind) or READERS[kind]
    try:
        yield from reader(path)
    except Exception as error:  # a reader that breaks mid-file: keep what came before, say why it stopped
        yield SourceFailure(str(path), None, "read", f"reading stopped: {type(error).__name__}: {error}")
