"""`Archive`: one Marsad archive and everything that holds state for it, the Python API.

An archive is a SQLite database (the source of truth) with its search index beside it (`<db>.index/`). The
Archive object owns the open database, the linker (the open window of link state) and its feature worker
process, and releases them in close(). The command line and the web reader use the same store reads.

    with Archive("marsad.db") as archive:
        archive.ingest(["pages/", "feed.xml"])  # first finishes what a killed run left pending
        for story in archive.stories(min_outlets=2):
            print(story.title, story.outlets)
        found = archive.search("المنتدى العالمي لمكافحة الإرهاب", sort="newest")
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from marsad.extract.profile import OutletProfile
from marsad.ingest import ingest
from marsad.ingest.memory import outlet_profile
from marsad.ingest.pipeline import RunLinker, finish_pending
from marsad.ingest.reextract import ReextractReport, reextract
from marsad.ingest.report import IngestReport
from marsad.link import Linker, LinkReport, link_new, relink
from marsad.link.topics import Mined
from marsad.link.topics import mine as mine_topics
from marsad.search import SearchResult, reindex, search
from marsad.search.index import forget as forget_index
from marsad.settings import resolve
from marsad.sources.http.safety import AddressPolicy
from marsad.store import articles, linkstate, outlets, pending, profiles, stories, threads, topics
from marsad.store.articles import ArticleItem, ArticlePage
from marsad.store.db import Store, is_read_only
from marsad.store.outlets import OutletItem
from marsad.store.profiles import Change
from marsad.store.stories import StoryItem, StoryPage
from marsad.store.threads import ThreadPage
from marsad.store.timeline import Timeline
from marsad.store.topics import TopicItem


class ReadOnlyArchive(RuntimeError):
    """A write was asked of an archive opened read-only."""


class Archive:
    """A Marsad archive at `path` (default: the `db` setting, `MARSAD_DB` or the user's data folder).
    Opened read-only when asked, or when the database file cannot be written; then only reads work."""

    def __init__(self, path: str | os.PathLike[str] | None = None, *, readonly: bool | None = None) -> None:
        self.path = Path(path) if path is not None else Path(resolve("db"))
        self.readonly = is_read_only(self.path) if readonly is None else readonly
        self.store = Store(self.path, readonly=self.readonly)
        self._linker: Linker | None = None

    # --- writes ---

    def _writable(self, what: str) -> None:
        if self.readonly:
            raise ReadOnlyArchive(f"{self.path} is read-only: cannot {what}")

    @property
    def linker(self) -> Linker:
        """The archive's linker, made on first use (and reloaded when another process linked since)."""
        self._writable("link")
        if self._linker is None:
            self._linker = Linker(self.store)
        return self._linker.current()

    def ingest(
        self,
        targets: Iterable[str],
        *,
        link: bool = True,
        index: bool = True,
        progress: bool | Callable[..., None] = False,
        policy: AddressPolicy | None = None,
    ) -> IngestReport:
        """Read, extract and store files, folders, feeds, WARC and JSON-lines files and URLs; link and
        index what is new or changed."""
        self._writable("ingest")
        linker = self.linker if link else None
        return ingest(
            list(targets), self.store, progress, link=link, index=index, policy=policy, linker=linker
        )

    def finish_pending(self) -> dict[str, int]:
        """Link, then index, what an earlier run stored and did not link or index (killed in between): every
        ingest does this first. Returns how many articles were linked and indexed; failures stay pending."""
        self._writable("finish pending work")
        done = finish_pending(self.store, linker=RunLinker(self.store, self.linker))
        return {"link": done.linked, "index": done.indexed}

    def pending(self) -> dict[str, int]:
        """Articles stored but not yet linked ("link") or indexed ("index"): finish_pending() or the next
        ingest does them."""
        return pending.counts(self.store)

    def reextract(
        self, outlet: str | None = None, progress: Callable[[int, int], None] | None = None
    ) -> ReextractReport:
        """Extract the stored html and text articles again (of one outlet: its host, name or Latin name)
        with each outlet's current profile, the lines it repeats on its pages: from the page as fetched when
        it was kept, else from the stored paragraphs. Records what changed (`changes()`), then links and
        indexes the changed articles. Raises marsad.ingest.reextract.UnknownOutlet for an unknown outlet."""
        self._writable("re-extract")
        report = reextract(self.store, outlet, progress)
        if report.changed:
            self.finish_pending()
        return report

    def changes(self, article_id: int | None = None) -> list[Change]:
        """What re-extraction changed (of one article, or of all), oldest first: the paragraphs dropped and
        added, with their places and the time."""
        return profiles.changes(self.store, article_id)

    def profile(self, outlet: str) -> OutletProfile | None:
        """An outlet's profile as the store holds it now (None when no outlet has that host or name)."""
        found = profiles.find_outlets(self.store, outlet)
        return outlet_profile(self.store, found[0][0]) if found else None

    def link(self, article_ids: Iterable[int]) -> LinkReport:
        """Link stored articles (new or updated), in the order given."""
        return link_new(self.store, article_ids, self.linker)

    def relink(self, progress: Callable[[int, int], None] | None = None) -> LinkReport:
        """Forget every link and link the whole archive again, in publication order."""
        self._writable("relink")
        return relink(self.store, progress, self._linker)

    def mine_topics(self) -> Mined:
        """Mine the topics of the whole archive again (linking gives new articles the topics known)."""
        self._writable("mine topics")
        return mine_topics(self.store)

    def reindex(self, progress: Callable[[int, int], None] | None = None) -> int:
        """Rebuild the search index from the database; returns how many articles it holds."""
        self._writable("reindex")
        return reindex(self.store, progress=progress)

    # --- reads ---

    def search(self, query: str, **filters: Any) -> SearchResult:
        """Search the archive (see marsad.search.search for the filters: outlet, category, since, until,
        story, language, sort, collapse, limit, offset)."""
        return search(self.store, query, **filters)

    def latest(self, limit: int = 30, offset: int = 0, *, outlet_id: int | None = None) -> list[ArticleItem]:
        """Visible articles, newest first (reposts left out)."""
        return articles.latest(self.store, limit, offset, outlet_id=outlet_id)

    def article(self, article_id: int) -> ArticlePage | None:
        return articles.article(self.store, article_id)

    def outlets(self) -> list[OutletItem]:
        return outlets.outlets(self.store)

    def stories(
        self, limit: int = 30, offset: int = 0, *, since: str | None = None, min_outlets: int = 0
    ) -> list[StoryItem]:
        """Stories, most recently active first."""
        return stories.stories(self.store, limit, offset, since=since, min_outlets=min_outlets)

    def story(self, story_id: int) -> StoryPage | None:
        return stories.story(self.store, story_id)

    def thread(self, thread_id: int) -> ThreadPage | None:
        return threads.thread(self.store, thread_id)

    def timeline(self, thread_id: int) -> Timeline:
        """A thread's timeline: .events (one entry per dated fact) and .background, each in time order."""
        return threads.timeline(self.store, thread_id)

    def topics(self, limit: int = 50, offset: int = 0) -> list[TopicItem]:
        """Topics, strongest first."""
        return topics.topics(self.store, limit, offset)

    def topic(self, topic_id: int) -> TopicItem | None:
        return topics.topic(self.store, topic_id)

    def topic_articles(self, topic_id: int) -> list[tuple[int, str | None]]:
        """(article id, published) of a topic's visible articles, oldest first."""
        return topics.topic_article_times(self.store, topic_id)

    def counts(self) -> dict[str, int]:
        """Stories, reposts, threads and events linking made."""
        return linkstate.link_counts(self.store)

    # --- lifetime ---

    def close(self) -> None:
        """Stop the feature worker, let go of the search index and close the database."""
        if self._linker is not None:
            self._linker.close()
            self._linker = None
        forget_index(self.store)
        self.store.close()

    def __enter__(self) -> Archive:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
