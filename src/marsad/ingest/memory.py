"""Outlet memory, glued: the store counts on how many of an outlet's pages each line appears
(marsad.store.profiles), extraction drops an outlet's chrome given its OutletProfile (marsad.extract.profile);
neither imports the other, so this module turns the counts into profiles and keeps the counts up to date.

At ingest a page is extracted, the outlet of its article found, and the outlet's profile (as of the last
committed batch) takes the outlet's chrome out of the body; the page is kept and the lines it had before
the profile are counted for its outlet in the batch's transaction. The lines counted are the extraction's
paragraphs without the profile, so that a line the profile drops still counts as recurring.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from marsad.extract import extract
from marsad.extract.profile import MIN_PAGES, OutletProfile, chrome_key, drop_chrome, profile_from_counts
from marsad.models import Article, Page
from marsad.store import pages, profiles
from marsad.store.articles import Upserted, article_url, source_identity
from marsad.store.db import Store

PROFILED_KINDS = ("html", "text")  # a corpus record (kind "record") has its fields already: no chrome pass


def outlet_profile(store: Store, source_id: int) -> OutletProfile:
    counts = profiles.outlet_counts(store, source_id, MIN_PAGES)  # lines on fewer pages can never be chrome
    return profile_from_counts(counts.name, counts.pages, counts.lines)


class Profiles:
    """Outlets' profiles as the store holds them, read once each until `clear()` (after every commit)."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self._ids: dict[str, int] = {}
        self._profiles: dict[int, OutletProfile] = {}

    def for_article(self, article: Article) -> OutletProfile | None:
        """The profile of the outlet the article will be stored under (None: a new outlet, or none)."""
        identity = source_identity(article.outlet, article_url(article))
        if identity is None:
            return None
        key = identity[0]
        if key not in self._ids:
            found = profiles.source_id_of_key(self.store, key)
            if found is None:
                return None
            self._ids[key] = found
        source_id = self._ids[key]
        if source_id not in self._profiles:
            self._profiles[source_id] = outlet_profile(self.store, source_id)
        return self._profiles[source_id]

    def clear(self) -> None:
        self._profiles.clear()


@dataclass
class Extracted:
    article: Article
    lines: list[str]  # the body before the outlet's profile: what the outlet's line counts take


def extract_profiled(page: Page, profile: OutletProfile | Profiles | None) -> Extracted:
    """The page's article with its outlet's chrome left out, and the lines it had before; the source's fetch
    time and outlet fill in what the page does not say. The outlet is known only once the page is
    extracted, so the profile is applied to the extraction's paragraphs (what extract(page, profile) does)."""
    return apply_profile(extract_unprofiled(page), page, profile)


def extract_unprofiled(page: Page) -> Extracted:
    """The page's article before its outlet's profile: the part of extraction that needs no store, which a
    Dask worker does (marsad.ingest.cluster) while the main process applies the profile."""
    article = extract(page)
    if article.fetched_at is None:
        article.fetched_at = page.fetched_at
    if not article.outlet and page.outlet_hint:  # before the profile: the outlet chooses it
        article.outlet = page.outlet_hint
    return Extracted(article, list(article.body))


def apply_profile(extracted: Extracted, page: Page, profile: OutletProfile | Profiles | None) -> Extracted:
    """Leave the outlet's chrome out of an html or text page's body (the store's profile of its outlet)."""
    if page.kind in PROFILED_KINDS:
        article = extracted.article
        chosen = profile.for_article(article) if isinstance(profile, Profiles) else profile
        article.body = drop_chrome(article.body, chosen)
    return extracted


def remember(conn: sqlite3.Connection, upserted: Upserted, page: Page, lines: list[str]) -> None:
    """After the article is stored (in its transaction): keep its page, count its lines for its outlet."""
    if page.kind not in PROFILED_KINDS:
        return
    unchanged = upserted.outcome == "unchanged"
    pages.keep(conn, upserted.id, page, replace=not unchanged)
    if unchanged and profiles.is_counted(conn, upserted.id):
        return
    count(conn, upserted.id, lines)


def count(conn: sqlite3.Connection, article_id: int, lines: list[str]) -> bool:
    """Count the article's lines for the outlet it is stored under (nothing for an article without one)."""
    source_id = profiles.article_source(conn, article_id)
    if source_id is None:
        return False
    return profiles.count_lines(conn, article_id, source_id, map(chrome_key, lines))
