"""WARC and WARC.gz archives (fastwarc): every HTTP response record becomes a kind-"html" page.

Only `response` records are read; non-HTML payloads (images, scripts) and non-200 answers are skipped.
A record cut short by a truncated file is a failure row; the records before the break are kept.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from fastwarc.warc import ArchiveIterator, WarcRecordType

from marsad.charsets import charset_param
from marsad.models import Page, SourceFailure, capped
from marsad.sources.common import Item, sniff_bytes

HTML_TYPES = ("text/html", "application/xhtml+xml")


def read_warc(path: Path, offset: int = 0, count: int | None = None, before: int = 0) -> Iterator[Item]:
    """The archive's pages; or `count` response records from the one at byte `offset` (None: to the end),
    `before` records coming before them, as a Dask worker reads a part (marsad.ingest.cluster)."""
    origin = str(path)
    try:
        handle = path.open("rb")
    except OSError as error:
        yield SourceFailure(origin, None, "read", f"cannot read the file: {error.strerror or error}")
        return
    records = before
    with handle:
        handle.seek(offset)
        try:
            for record in ArchiveIterator(handle, record_types=WarcRecordType.response, parse_http=True):
                records += 1
                yield from _record_page(record, f"{origin}@{record.stream_pos}")
                if count is not None and records - before == count:
                    return
        except Exception as error:  # fastwarc raises on malformed headers; keep what came before
            yield SourceFailure(origin, None, "read", f"the archive breaks after {records} records: {error}")
            return
    if records == 0:
        yield SourceFailure(origin, None, "read", "no WARC response records could be read from the file")


def record_starts(path: Path) -> Iterator[tuple[int, str | None]]:
    """(byte offset, WARC-Record-ID) of each response record, bodies unread: where a reader can start.
    Stops quietly where the archive breaks (reading it says why)."""
    with path.open("rb") as handle:
        try:
            for record in ArchiveIterator(handle, record_types=WarcRecordType.response, parse_http=False):
                yield record.stream_pos, record.record_id
        except Exception:  # noqa: BLE001 - read_warc keeps the reason when it reaches the break
            return


def record_id_at(path: Path, offset: int) -> str | None:
    """The id of the record a reader starting at `offset` finds first (None: none), to check that a
    compressed archive can be entered there (one gzip member per record)."""
    with path.open("rb") as handle:
        handle.seek(offset)
        try:
            for record in ArchiveIterator(handle, record_types=WarcRecordType.response, parse_http=False):
                return record.record_id
        except Exception:  # noqa: BLE001 - not a place to start
            return None
    return None


def _record_page(record, origin: str) -> Iterator[Item]:
    url = record.headers.get("WARC-Target-URI") or ""
    body = record.reader.read()
    if len(body) < record.content_length:
        yield SourceFailure(
            origin,
            url or None,
            "read",
            f"the archive is truncated: this record has {len(body)} of its {record.content_length} bytes",
            capped(body),
        )
        return
    http = record.http_headers
    if http is None:
        return
    content_type = http.get("Content-Type") or ""
    is_html = content_type.lower().startswith(HTML_TYPES) or (
        not content_type and sniff_bytes(body[:4096]) == "html"
    )
    if http.status_code != 200 or not is_html:
        return
    yield Page(
        url=url,
        kind="html",
        content=body,
        content_type=content_type,
        encoding=charset_param(content_type),  # decoded by extraction (marsad.charsets)
        fetched_at=record.record_date,
        origin=origin,
    )
