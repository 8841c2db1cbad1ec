"""Ingest: sources -> extract -> store, in committed batches, then link and index what changed.

`ingest(targets, store)` reads files, folders and URLs (see marsad.sources); `ingest_pages(store, items)`
takes pages (and source failures) from any producer, such as the crawler.
"""

from marsad.ingest.pipeline import BATCH_SIZE, after_commit, extract_page, ingest, ingest_pages
from marsad.ingest.report import FailureNote, IngestReport

__all__ = [
    "BATCH_SIZE",
    "FailureNote",
    "IngestReport",
    "after_commit",
    "extract_page",
    "ingest",
    "ingest_pages",
]
