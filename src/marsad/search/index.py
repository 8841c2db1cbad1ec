"""The Tantivy index beside the database: its schema, how an article becomes a document, updates and rebuilds.

Tantivy never analyses Arabic itself: every text field holds the space-joined terms of
`marsad.arabic.analyse()` and uses Tantivy's whitespace tokenizer, with positions kept for phrase queries.
The query side runs the same `analyse()`, so index and query always see the same analysis.

SQLite stays the source of truth. The index holds only what search needs to match, filter, sort and
count (ids, analysed text, outlet id, date, month, categories, language); titles and bodies shown in hits
are read back from SQLite.

The index is split by article id into SHARDS Tantivy indexes (`shard-0/`, `shard-1/` in the folder). A query
that visits many documents searches them at once, a thread each (Tantivy lets go of the GIL while it
searches): a word or three whose common matches are all scored take up to half the time on two cores.
engine.py searches the shards and merges what they find.
"""

from __future__ import annotations

import functools
import hashlib
import json
import logging
import os
import re
import shutil
import threading
from collections import deque
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ProcessPoolExecutor
from datetime import UTC, datetime
from pathlib import Path

import tantivy

from marsad.search.analysis import analyser
from marsad.search.errors import IndexUnavailable
from marsad.store import pending, searchfeed
from marsad.store.db import Store
from marsad.store.searchfeed import IndexRow
from marsad.workers import exit_with, worker_context

log = logging.getLogger(__name__)

# Bump when the schema or the way documents are built changes: an older index is then rebuilt.
INDEX_FORMAT = 3
MARKER = "marsad-search.json"
SHARDS = 2  # article `id` lives in shard `id % SHARDS`
NO_DATE = -(2**62)  # `ts` of an article whose page states no date: sorts last, never in a date range

_WRITER_HEAP = 96_000_000  # bytes, shared by the shards' writers
_MIN_HEAP = 15_000_000  # Tantivy's least per writer thread
_MONTH = re.compile(r"^(\d{4})-(\d{2})")
_QUARTER = re.compile(r"^(\d{4})-Q([1-4])$")
_YEAR = re.compile(r"^(\d{4})$")


def build_schema() -> tantivy.Schema:
    builder = tantivy.SchemaBuilder()
    builder.add_integer_field("id", stored=True, indexed=True, fast=True)
    builder.add_text_field("text", tokenizer_name="whitespace", index_option="position")
    builder.add_integer_field("source_id", indexed=True, fast=True)
    builder.add_integer_field("ts", indexed=True, fast=True)
    builder.add_text_field("month", tokenizer_name="raw", index_option="basic", fast=True)
    builder.add_text_field("category", tokenizer_name="raw", index_option="basic")
    builder.add_text_field("language", tokenizer_name="raw", index_option="basic")
    return builder.build()


SCHEMA = build_schema()


def index_path(store: Store) -> Path:
    """`<db path>.index/` beside the database."""
    return Path(f"{store.path}.index")


_absolute: dict[str, Path] = {}


def _resolved(store: Store) -> Path:
    key = str(store.path)
    if key not in _absolute:
        _absolute[key] = Path(os.path.abspath(f"{key}.index"))
    return _absolute[key]


# ---------------------------------------------------------------------------------------------- dates


def timestamp(published: str | None) -> int:
    """Seconds since the epoch for an ISO date at any precision (its start), or NO_DATE."""
    if not published:
        return NO_DATE
    text = published.strip()
    try:
        if m := _QUARTER.match(text):
            value = datetime(int(m[1]), 3 * int(m[2]) - 2, 1, tzinfo=UTC)
        elif m := _YEAR.match(text):
            value = datetime(int(m[1]), 1, 1, tzinfo=UTC)
        elif len(text) == 7 and _MONTH.match(text):
            value = datetime(int(text[:4]), int(text[5:7]), 1, tzinfo=UTC)
        else:
            value = datetime.fromisoformat(text.replace("Z", "+00:00"))
            if value.tzinfo is None:
                value = value.replace(tzinfo=UTC)
    except ValueError:
        return NO_DATE
    return int(value.timestamp())


def month_of(published: str | None) -> str | None:
    """ "2018-03" for a date known to the month or better (the month as published, in its own time zone)."""
    if published and (m := _MONTH.match(published.strip())) and 1 <= int(m[2]) <= 12:
        return f"{m[1]}-{m[2]}"
    return None


# ------------------------------------------------------------------------------------------ documents


def _analyser() -> Callable[[str], list[str]]:
    return analyser()


def analysed(text: str | None, analyse: Callable[[str], list[str]] | None = None) -> str:
    """The analysed terms of `text`, space-joined: what Tantivy's whitespace tokenizer indexes."""
    if not text:
        return ""
    return " ".join(term for term in (analyse or _analyser())(text) if term and not term.isspace())


# Between the title, its copy and the body: a term no query can contain, so no phrase matches across them.
SEPARATOR = "¶"


def indexed_text(title_terms: str, body_terms: str) -> str:
    """The `text` field: the title twice (its words weigh double in BM25, with no extra query clauses), then
    the body, each part fenced off by SEPARATOR."""
    if not title_terms:
        return body_terms
    return f"{title_terms} {SEPARATOR} {title_terms} {SEPARATOR} {body_terms}"


def document(row: IndexRow, title_terms: str, body_terms: str) -> tantivy.Document:
    """The index document of an article whose title and body are already analysed (space-joined terms)."""
    doc = tantivy.Document()
    doc.add_integer("id", row.id)
    doc.add_text("text", indexed_text(title_terms, body_terms))
    if row.source_id is not None:
        doc.add_integer("source_id", row.source_id)
    doc.add_integer("ts", timestamp(row.published))
    if month := month_of(row.published):
        doc.add_text("month", month)
    for category in row.categories:
        if category.strip():
            doc.add_text("category", category.strip().lower())
    if row.language:
        doc.add_text("language", row.language.strip().lower())
    return doc


# ------------------------------------------------------------------------------------- open and write

_open_lock = threading.Lock()
_opened: dict[Path, Shards] = {}


# A sentence with clitics, harakat, hamza and ta marbuta forms: if analyse() treats it differently from when
# the index was built, the index and the queries no longer agree and the index must be rebuilt.
_PROBE = "وَالحكومةُ للحكومات أعلنت إسرائيل المستشفى مستشفيات الفلسطينيين والمدارس بالأمس 2018 COVID-19"


@functools.cache
def analyser_fingerprint() -> str:
    return hashlib.sha1(" ".join(analyser()(_PROBE)).encode()).hexdigest()[:16]


_markers: dict[Path, tuple[int, dict]] = {}


def _marker(path: Path) -> dict:
    """The index folder's marker file (format, analyser), re-read only when it changes."""
    file = path / MARKER
    try:
        changed = file.stat().st_mtime_ns
        cached = _markers.get(file)
        if cached is not None and cached[0] == changed:
            return cached[1]
        value = json.loads(file.read_text())
    except (OSError, ValueError):
        return {}
    value = value if isinstance(value, dict) else {}
    _markers[file] = (changed, value)
    return value


def _marker_ok(path: Path) -> bool:
    marker = _marker(path)
    return marker.get("format") == INDEX_FORMAT and marker.get("shards") == SHARDS


def check_analyser(store: Store) -> None:
    """Raise IndexUnavailable when the index was built by a different analyser than the one running now."""
    built = _marker(_resolved(store)).get("analyser")
    if built is not None and built != analyser_fingerprint():
        raise IndexUnavailable(
            "the search index was built with another version of the Arabic analyser: run `marsad reindex`"
        )


class ShardWriter:
    """A writer on every shard; an article's document and its deletion go to the shard of its id."""

    def __init__(self, writers: list[tantivy.IndexWriter]):
        self.writers = writers

    def _of(self, article_id: int) -> tantivy.IndexWriter:
        return self.writers[article_id % len(self.writers)]

    def delete(self, article_id: int) -> None:
        self._of(article_id).delete_documents_by_term("id", article_id)

    def add(self, article_id: int, doc: tantivy.Document) -> None:
        self._of(article_id).add_document(doc)

    def commit(self) -> None:
        for writer in self.writers:
            writer.commit()
        for writer in self.writers:
            writer.wait_merging_threads()

    def rollback(self) -> None:
        for writer in self.writers:
            writer.rollback()


Signature = tuple[int, int, int] | None  # a file's inode, mtime and size; None when it is missing


def _signature(file: Path) -> Signature:
    try:
        found = file.stat()
    except OSError:
        return None
    return (found.st_ino, found.st_mtime_ns, found.st_size)


class Shards:
    """The shards of one index folder, in shard order.

    One process writes the index (an ingest, a crawl, `marsad run`); any number of others read it, such as
    the web workers of `marsad serve`. A reader sees the writer's commits without a restart: before each
    search it compares each shard's meta.json (which a commit replaces) with the one it last loaded, a
    stat call per shard, and reloads the shard's searcher when it changed. A rebuild (a new marker file,
    see open_index) reopens the whole index."""

    def __init__(self, indexes: list[tantivy.Index], folder: Path | None = None):
        self.indexes = indexes
        self.metas = [shard / "meta.json" for shard in _shard_paths(folder)] if folder else []
        self.loaded: list[Signature | str] = ["unread"] * len(self.metas)  # a commit while opening: reloaded
        self.marker = _signature(folder / MARKER) if folder else None

    def searchers(self) -> list[tantivy.Searcher]:
        self.refresh()
        return [index.searcher() for index in self.indexes]

    def refresh(self) -> None:
        """Reload the shards another process committed to since they were last loaded."""
        for i, meta in enumerate(self.metas):
            now = _signature(meta)
            if now != self.loaded[i]:
                self.loaded[i] = now  # before the reload: a commit during it is seen next time
                self.indexes[i].reload()

    def reload(self) -> None:
        for index in self.indexes:
            index.reload()

    def writer(self, heap: int = _WRITER_HEAP, threads: int = 1) -> ShardWriter:
        """Writers on every shard, sharing `heap` bytes, each with `threads` indexing threads.
        IndexUnavailable when another process holds them."""
        writers: list[tantivy.IndexWriter] = []
        try:
            for index in self.indexes:
                writers.append(
                    index.writer(heap_size=max(heap // len(self.indexes), _MIN_HEAP), num_threads=threads)
                )
        except ValueError as error:  # LockBusy: another process holds the writer
            writers.clear()  # dropped: the shards already locked are let go
            raise IndexUnavailable(
                f"the search index is being written by another process ({error})"
            ) from error
        return ShardWriter(writers)


def _shard_paths(path: Path) -> list[Path]:
    return [path / f"shard-{i}" for i in range(SHARDS)]


def _create(path: Path) -> Shards:
    if path.exists():
        shutil.rmtree(path)
    indexes = []
    for shard in _shard_paths(path):
        shard.mkdir(parents=True)
        indexes.append(tantivy.Index(SCHEMA, path=str(shard), reuse=False))
    marker = {"format": INDEX_FORMAT, "shards": SHARDS, "analyser": analyser_fingerprint()}
    (path / MARKER).write_text(json.dumps(marker))
    return Shards(indexes, path)


def open_index(store: Store) -> Shards:
    """The store's index; IndexUnavailable when it is missing or from an older Marsad. The handle is kept
    while the index folder's marker file is the one it was opened with: a rebuild by another process
    (`marsad reindex`) writes a new one, and the index is opened anew."""
    path = _resolved(store)
    with _open_lock:
        index = _opened.get(path)
        if index is not None and index.marker is not None and _signature(path / MARKER) == index.marker:
            return index
        shards = _shard_paths(path)
        if _marker_ok(path) and all(tantivy.Index.exists(str(shard)) for shard in shards):
            index = Shards([tantivy.Index.open(str(shard)) for shard in shards], path)
        elif path.exists():
            raise IndexUnavailable(
                f"the search index at {path} is from an older Marsad: run `marsad reindex`"
            )
        else:
            raise IndexUnavailable(f"no search index at {path}: run `marsad reindex`")
        _opened[path] = index
        return index


def document_count(store: Store) -> int:
    """Documents in the store's index as its searchers see them; IndexUnavailable when it is missing,
    from an older Marsad or built by another analyser (as a search would find it)."""
    index = open_index(store)
    check_analyser(store)
    return sum(searcher.num_docs for searcher in index.searchers())


def create_index(store: Store) -> Shards:
    """A new, empty index for the store (any old one is removed): for rebuilds and benchmarks."""
    path = _resolved(store)
    with _open_lock:
        index = _create(path)
        _opened[path] = index
    return index


def forget(store: Store) -> None:
    """Drop the cached handle (after the folder was rebuilt or removed)."""
    with _open_lock:
        _opened.pop(_resolved(store), None)


def index_articles(
    store: Store, article_ids: Iterable[int], analysed_out: dict[int, tuple[str, str]] | None = None
) -> int:
    """Add or update these articles in the index; hidden or deleted ones leave it. Returns the number indexed.

    Called by ingest after each committed batch and by moderation when an item is hidden or restored.
    Duplicates stay searchable: search collapses them with their story (or their original) at query time.
    When there is no usable index (the first ingest, a Marsad or analyser upgrade), the whole index is built
    from SQLite instead, as `marsad reindex` does: an empty new one would leave the older articles out.
    `analysed_out`, when given, receives each indexed article's analysed (title, body) terms, for
    watchlists to match without analysing the articles again.
    """
    ids = sorted({int(i) for i in article_ids})
    if not ids:
        return 0
    seen = pending.marks_of(store, "index", ids)  # read before the rows: a later change stays pending
    rows = searchfeed.index_rows(store, ids)
    visible = [row for row in rows if not row.hidden]
    try:
        index = open_index(store)
        check_analyser(store)
    except IndexUnavailable as why:  # none yet, or made by another Marsad or analyser: built anew, whole
        log.info("search index rebuilt from SQLite: %s", why)
        reindex(store)
        return len(visible)
    texts = _analyse_rows(_texts(visible))
    if analysed_out is not None:
        analysed_out.update((row.id, terms) for row, terms in zip(visible, texts, strict=True))
    documents = [document(row, *terms) for row, terms in zip(visible, texts, strict=True)]
    writer = index.writer()
    try:
        for article_id in ids:
            writer.delete(article_id)
        for row, doc in zip(visible, documents, strict=True):
            writer.add(row.id, doc)
        writer.commit()
    except BaseException:
        writer.rollback()
        raise
    with pending.writing(store):
        pending.clear_marks(store, "index", seen)
    index.reload()
    return len(documents)


def reindex(
    store: Store,
    *,
    progress: Callable[[int, int], None] | None = None,
    batch: int = 2000,
    workers: int | None = None,
) -> int:
    """Rebuild the whole index from SQLite; returns the number of articles indexed.

    The folder is made anew, so a format change or a damaged index is repaired too. Arabic analysis, most
    of the work, runs in `workers` processes (default: one per CPU) while this one reads SQLite and feeds
    Tantivy. `progress(done, total)` is called after each batch.
    """
    with pending.writing(store):  # killed midway, the next ingest indexes every article again
        marked = pending.mark_all(store, "index")
    total = searchfeed.count_visible(store)
    forget(store)
    with _AnalysisPool(workers) as pool:  # started before Tantivy's writer starts its threads
        index = create_index(store)
        writer = index.writer(heap=256_000_000)
        done = 0
        try:
            queued: deque[tuple[list[IndexRow], Future | None]] = deque()
            for rows in searchfeed.all_index_rows(store, batch=batch):
                queued.append((rows, pool.submit(rows)))
                if len(queued) > pool.size:
                    done += _add(writer, pool, *queued.popleft())
                    if progress:
                        progress(done, total)
            while queued:
                done += _add(writer, pool, *queued.popleft())
                if progress:
                    progress(done, total)
            writer.commit()
        except BaseException:
            writer.rollback()
            raise
    with pending.writing(store):
        pending.clear_through(store, "index", marked)
    index.reload()
    return done


def _add(writer: ShardWriter, pool: _AnalysisPool, rows: list[IndexRow], future: Future | None) -> int:
    for row, (title_terms, body_terms) in zip(rows, pool.result(rows, future), strict=True):
        writer.add(row.id, document(row, title_terms, body_terms))
    return len(rows)


def _analyse_rows(texts: list[tuple[str, str]]) -> list[tuple[str, str]]:
    analyse = _analyser()
    return [(analysed(title, analyse), analysed(body, analyse)) for title, body in texts]


def _texts(rows: list[IndexRow]) -> list[tuple[str, str]]:
    return [(row.title, row.body or row.summary or "") for row in rows]


class _AnalysisPool:
    """Worker processes analysing batches of articles for reindex (started as marsad.workers says); without
    them (one CPU, or a worker that died) batches are analysed here."""

    def __init__(self, workers: int | None):
        self.size = max(1, workers if workers is not None else (os.cpu_count() or 1))
        self.executor: ProcessPoolExecutor | None = None
        if self.size > 1:
            try:
                self.executor = ProcessPoolExecutor(
                    max_workers=self.size,
                    mp_context=worker_context(),
                    initializer=exit_with,
                    initargs=(os.getpid(),),
                )
            except (OSError, ValueError) as error:
                log.warning("reindex analyses in one process: %s", error)

    def __enter__(self) -> _AnalysisPool:
        return self

    def __exit__(self, *exc_info: object) -> None:
        if self.executor is not None:
            self.executor.shutdown(wait=True, cancel_futures=True)

    def submit(self, rows: list[IndexRow]) -> Future | None:
        if self.executor is None:
            return None
        try:
            return self.executor.submit(_analyse_rows, _texts(rows))
        except Exception as error:  # noqa: BLE001 - the pool broke (BrokenProcessPool), or a worker could
            # not be started (they start on submit; a terminal's Ctrl-C reaches the fork server too)
            self._give_up(error)
            return None

    def result(self, rows: list[IndexRow], future: Future | None) -> list[tuple[str, str]]:
        if future is not None:
            try:
                return future.result()
            except Exception as error:  # a dead worker: this batch and the rest are analysed here
                self._give_up(error)
        return _analyse_rows(_texts(rows))

    def _give_up(self, error: BaseException) -> None:
        if self.executor is not None:  # said once: the other pending batches fail the same way
            log.warning("reindex worker failed (%s: %s): analysing here", type(error).__name__, error)
            self.executor.shutdown(wait=False, cancel_futures=True)
            self.executor = None
