"""Re-extraction with the outlets' current profiles (`marsad reextract`, Archive.reextract).

For each outlet (or the one asked for): its articles stored before outlets were profiled are counted first
(from their stored paragraphs), then its profile is made from the counts, and each of its html and text
articles is extracted again: from its kept page when there is one (the page as fetched, so a line the
profile no longer holds to be chrome comes back), else by leaving the profile's chrome out of its stored
paragraphs. What changed is recorded (store.profiles.record_change: the paragraphs dropped and added, with
their places, and when), and each changed article is marked to be linked and indexed again; the caller
finishes that (Archive.reextract runs finish_pending).
"""

from __future__ import annotations

import difflib
import sqlite3
from collections.abc import Callable
from dataclasses import asdict, dataclass, field

from marsad.extract.profile import OutletProfile, drop_chrome
from marsad.ingest.memory import PROFILED_KINDS, count, outlet_profile
from marsad.ingest.pipeline import extract_stored
from marsad.models import ExtractionError, SourceFailure
from marsad.store import pages, profiles
from marsad.store.articles import SourceCache, add_failure, upsert_article
from marsad.store.db import Store
from marsad.store.profiles import StoredArticle

BATCH = 200  # articles per transaction


@dataclass
class Changed:
    article_id: int
    url: str
    source: str  # page | stored
    dropped: list[tuple[int, str]]
    added: list[tuple[int, str]]


@dataclass
class OutletDone:
    outlet: str
    pages: int  # pages its profile was learnt from
    chrome: list[str]  # the profile's lines (chrome keys)
    articles: int
    changed: int


@dataclass
class ReextractReport:
    outlets: list[OutletDone] = field(default_factory=list)
    checked: int = 0
    from_pages: int = 0
    from_stored: int = 0
    counted: int = 0  # articles stored before outlets were profiled, counted now
    changes: list[Changed] = field(default_factory=list)
    failures: list[tuple[str, str]] = field(default_factory=list)  # (url, reason)

    @property
    def changed(self) -> int:
        return len(self.changes)

    def as_dict(self) -> dict:
        return asdict(self) | {"changed": self.changed}


class UnknownOutlet(ValueError):
    """`--outlet` names no outlet of the archive."""


def reextract(
    store: Store, outlet: str | None = None, progress: Callable[[int, int], None] | None = None
) -> ReextractReport:
    """Extract the archive's html and text articles again with their outlets' current profiles (of one
    outlet: its key, name or Latin name); returns what was checked and changed."""
    targets = profiles.find_outlets(store, outlet)
    if outlet is not None and not targets:
        raise UnknownOutlet(f"no outlet named {outlet!r} in the archive")
    report = ReextractReport()
    for source_id, _ in targets:
        report.counted += _count_stored(store, source_id)
    total = sum(profiles.count_outlet_articles(store, source_id, PROFILED_KINDS) for source_id, _ in targets)
    for source_id, _ in targets:
        profile = outlet_profile(store, source_id)
        before, checked, after = report.changed, 0, 0
        while articles := profiles.outlet_articles(
            store, source_id, PROFILED_KINDS, after=after, limit=BATCH
        ):
            with store.transaction() as conn:
                cache = SourceCache()
                for article in articles:
                    _reextract_one(store, conn, cache, article, profile, report)
            after, checked = articles[-1].id, checked + len(articles)
            if progress is not None:
                progress(report.checked, total)
        if checked:
            chrome = sorted(profile.chrome)
            report.outlets.append(
                OutletDone(profile.outlet, profile.pages, chrome, checked, report.changed - before)
            )
    return report


def _count_stored(store: Store, source_id: int) -> int:
    """Count the lines of the outlet's articles that were never counted, from their stored paragraphs (as
    stored before any profile, they are the extraction's own)."""
    counted = 0
    while articles := profiles.outlet_articles(store, source_id, PROFILED_KINDS, uncounted=True, limit=BATCH):
        with store.transaction() as conn:
            for article in articles:
                count(conn, article.id, article.body)
        counted += len(articles)
    return counted


def _reextract_one(
    store: Store,
    conn: sqlite3.Connection,
    cache: SourceCache,
    stored: StoredArticle,
    profile: OutletProfile,
    report: ReextractReport,
) -> None:
    report.checked += 1
    page = pages.kept_page(store, stored.id) if stored.has_page else None
    if page is None:
        report.from_stored += 1
        body, title = drop_chrome(stored.body, profile), stored.title
        if body != stored.body:
            profiles.replace_body(conn, stored.id, title, body)
    else:
        report.from_pages += 1
        try:
            extracted = extract_stored(page, profile)
        except ExtractionError as error:
            reason = f"re-extraction failed, the article is kept as stored: {error}"
            add_failure(conn, SourceFailure(stored.origin or stored.url, stored.url, "extract", reason))
            report.failures.append((stored.url, reason))
            return
        article = extracted.article
        article.url, article.canonical_url = stored.url, None  # the article's row, whatever the page says now
        upserted = upsert_article(conn, cache, article, origin=stored.origin, kind=page.kind)
        if upserted.id != stored.id:
            raise RuntimeError(f"re-extracting article {stored.id} would store it under {upserted.url}")
        count(conn, stored.id, extracted.lines)  # the extractor may have changed since
        body, title = article.body, article.title
    if body == stored.body and title == stored.title:
        return
    dropped, added = _difference(stored.body, body)
    source = "stored" if page is None else "page"
    profiles.record_change(
        conn,
        stored.id,
        source=source,
        profile_pages=profile.pages,
        dropped=dropped,
        added=added,
        title_before=stored.title if title != stored.title else None,
    )
    report.changes.append(Changed(stored.id, stored.url, source, dropped, added))


def _difference(before: list[str], after: list[str]) -> tuple[list[tuple[int, str]], list[tuple[int, str]]]:
    """(paragraphs dropped, with their index in `before`; paragraphs added, with their index in `after`)."""
    dropped: list[tuple[int, str]] = []
    added: list[tuple[int, str]] = []
    matcher = difflib.SequenceMatcher(a=before, b=after, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag in ("delete", "replace"):
            dropped.extend((i, before[i]) for i in range(i1, i2))
        if tag in ("insert", "replace"):
            added.extend((j, after[j]) for j in range(j1, j2))
    return dropped, added
