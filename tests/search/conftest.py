"""Search fixtures: the ANT corpus as ingest stores it, indexed once, and an independent scan of its text.

ANT Corpus v2.1 (multi-source): A. Chouigui, O. Ben Khiroun and B. Elayeb, "An Arabic Multi-source News
Corpus: Experimenting on Single-document Extractive Summarization", Arabian Journal for Science and
Engineering 46(8), 2021.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from marsad.arabic import analyse, normalise, tokens
from marsad.search import reindex
from marsad.store.db import Store


@dataclass(frozen=True)
class Row:
    """One stored article, read straight from SQLite, with its analysed terms computed here."""

    id: int
    url: str
    title: str
    body: str
    outlet: str
    published: str | None
    categories: tuple[str, ...]
    title_terms: tuple[str, ...]  # analyse(title), in order
    body_terms: tuple[str, ...]  # analyse(body), in order

    @property
    def terms(self) -> frozenset[str]:
        return frozenset(self.title_terms + self.body_terms)


@pytest.fixture(scope="session")
def search_store(ant_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Store:
    """A copy of the ANT database with its search index built by `reindex`."""
    path = tmp_path_factory.mktemp("search") / "ant.db"
    shutil.copyfile(ant_db, path)
    store = Store(path)
    reindex(store)
    yield store
    store.close()


@pytest.fixture(scope="session")
def corpus(search_store: Store) -> dict[int, Row]:
    """Every visible article with its terms: the expected counts in the tests come from this scan."""
    rows = search_store.conn.execute(
        "SELECT a.id, a.url, a.title, a.body, a.summary, s.name AS outlet, a.published, a.categories"
        " FROM article a JOIN source s ON s.id = a.source_id WHERE a.hidden = 0"
    )
    out: dict[int, Row] = {}
    for r in rows:
        out[r["id"]] = Row(
            id=r["id"],
            url=r["url"],
            title=r["title"],
            body=r["body"],
            outlet=r["outlet"],
            published=r["published"],
            categories=tuple(c.lower() for c in json.loads(r["categories"])),
            title_terms=tuple(analyse(r["title"])),
            body_terms=tuple(analyse(r["body"] or r["summary"] or "")),
        )
    return out


@pytest.fixture(scope="session")
def surfaces(corpus: dict[int, Row]) -> dict[str, set[int]]:
    """Normalised word as written (no stemming) -> the ids of the articles that contain it."""
    out: dict[str, set[int]] = {}
    for row in corpus.values():
        for word in set(tokens(normalise(row.title + "\n" + row.body))):
            out.setdefault(word, set()).add(row.id)
    return out


@pytest.fixture(scope="session")
def by_url(corpus: dict[int, Row]) -> dict[str, Row]:
    return {row.url: row for row in corpus.values()}
