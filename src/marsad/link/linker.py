"""The incremental linker: for each new article, in order, its reposts group, its story and its thread.
State that must survive between calls lives in the store (link_doc, doc_freq, story_state, thread_state);
the open window of it (LSH buckets, stories, threads) is held in memory by a Linker and reloaded whenever
another process has linked in between (Linker.current). An original's dated events (its timeline entries) are stored as it
is linked, so that reading a timeline never writes.

What depends only on an article's own text (features, MinHash signature, bucket keys) is prepared ahead in
a worker process (marsad.link.prepare); what depends on the articles before it (idf, reposts, stories,
threads) is done here, in order. Writes are held and made a batch or a chunk at a time.
"""

from __future__ import annotations

import functools
import hashlib
import json
import logging
from collections import OrderedDict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from itertools import chain

import numpy as np

from marsad.link import duplicates as dup
from marsad.link.docfreq import DocFreqs, outlet_hash, outlet_term_hashes, term_hash
from marsad.link.features import Lines, article_features, idf_of, tf_weights, top_terms
from marsad.link.journal import Journal
from marsad.link.prepare import (
    Failed,
    FeatureWorker,
    Prepared,
    stored_lines,
    stored_shingles,
    without_lines,
)
from marsad.link.stories import CORE_MEMBERS, WINDOW_DAYS, Story, StoryIndex
from marsad.link.threads import YOUNG_STORY, Thread, ThreadIndex, distinctive
from marsad.link.timeline import Event, article_events, body_text, estimated_time, iso, parse_time
from marsad.store import linkstate
from marsad.store import rewind as undo_rows
from marsad.store import stories as story_rows
from marsad.store import threads as thread_rows
from marsad.store.db import Store

log = logging.getLogger(__name__)
EVICT_EVERY = 500
VERIFY_CACHE = 2000  # articles whose verification shingles are kept
STALE = timedelta(days=365)
# A line that this many articles of one outlet carry is the outlet's, not its news (an outlet's own text
# published twice, or once updated, is still a repost of itself).
LINE_COMMON = 3
EVENTS_AT_LINK = "at link"  # link_meta "events": every original's events were taken as it was linked
Vectors = tuple[dict[str, float], dict[str, float]]  # an article's tf-idf vector and its opening's


@dataclass
class LinkReport:
    linked: int = 0
    duplicates: int = 0
    new_stories: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)
    undone: int = 0  # articles linked before whose linking a late one undid (marsad.link.rewind)
    relinked_all: bool = False  # a late article made the whole archive be linked again

    def add(self, other: LinkReport) -> None:
        self.linked += other.linked
        self.duplicates += other.duplicates
        self.new_stories += other.new_stories
        self.errors.extend(other.errors)
        self.undone += other.undone
        self.relinked_all = self.relinked_all or other.relinked_all


class LinkStateOutdated(RuntimeError):
    """The store's link state was made by another version of Marsad's text analysis."""


# A title and body with clitics, harakat, numbers and places: if features, stems or MinHash values come out
# differently from when the store's links were made (a new stemmer, a new rensa), the stored document
# frequencies, centroids and signatures no longer match what new articles give.
_PROBE = (
    "وزير الخارجية المغربي يلتقي نظيره الفرنسي في باريس",
    [
        "وَالحكومةُ أعلنت للحكومات في الرباط يوم 21 سبتمبر 2017 عن مبادرة المنتدى العالمي لمكافحة الإرهاب",
        "وقال الوزير إن الاجتماعات ستتواصل بالأمم المتحدة بمشاركة 30 دولة من أوروبا وإفريقيا",
    ],
)


@functools.cache
def analysis_fingerprint() -> str:
    features = article_features(*_PROBE)
    shingles = sorted(features.shingles)
    payload = [
        sorted(features.terms.items()),
        shingles,
        sorted(features.numbers),
        sorted(features.places),
        dup.signature(shingles).tolist(),
        [dup.NUM_PERM, dup.BANDS, dup.SEED],
        features.lines.openings.tolist() if features.lines else [],
    ]
    return hashlib.sha1(json.dumps(payload, ensure_ascii=False).encode()).hexdigest()[:16]


def check_analysis(store: Store, n_docs: int) -> None:
    """Raise LinkStateOutdated when the store's links were made by a different analysis than this one (a
    store linked before the fingerprint was kept is taken as it is)."""
    made = linkstate.get_meta(store, "analysis")
    if n_docs and made is not None and made != analysis_fingerprint():
        raise LinkStateOutdated(
            "the links were made by another version of Marsad's text analysis: run `marsad relink`"
        )


def frequency_keys(outlet_key: str | None, hashes: np.ndarray) -> np.ndarray:
    """The keys an article's terms (their hashes) are counted under in the document frequencies' table:
    the terms themselves and, with an outlet, the terms mixed with the outlet's hash (outlet_hash) and
    that hash alone (how many articles the outlet has)."""
    if not outlet_key:
        return hashes
    salt = outlet_hash(outlet_key)
    return np.concatenate([hashes, outlet_term_hashes(hashes, salt), np.array([salt], dtype=np.int64)])


def line_count_keys(outlet_key: str, lines: np.ndarray) -> np.ndarray:
    """The keys an article's lines (features.line_key) are counted under among its outlet's, in the same
    table."""
    return outlet_term_hashes(lines, outlet_hash(outlet_key, "lines"))


def opening_count_keys(outlet_key: str, openings: np.ndarray) -> np.ndarray:
    """The keys an article's openings and its lines' heads (features.opening_keys, head_key) are counted
    and looked up under among its outlet's, in the same table."""
    return outlet_term_hashes(openings, outlet_hash(outlet_key, "openings"))


def opening_vector(
    prepared: Prepared, common: set[int], terms: list[str], idf: np.ndarray
) -> dict[str, float]:
    """The tf-idf vector of an article's opening (Prepared.opening_counts, less the lines `common`),
    weighed by the idf of its linked `terms` (some of its terms, in their order)."""
    kept, counts = prepared.opening_counts(common | set(prepared.off_subject.tolist()))
    names = [prepared.terms[i] for i in kept.tolist()]
    rows = kept
    if terms is not prepared.terms:  # less the same lines: each opening term is among them
        at = {term: i for i, term in enumerate(terms)}
        rows = np.array([at[name] for name in names], dtype=np.int64)
    return top_terms(names, tf_weights(counts) * idf[rows])[0]


def teaser_lines(df: DocFreqs, outlet_key: str, keys: np.ndarray, heads: np.ndarray) -> set[int]:
    """The keys of an article's lines (with their heads, as Lines holds them) that open another article of
    its outlet (its title, or its lead's first words): a "read also" teaser, a related-news block, which
    say nothing of this article's event."""
    if not heads.any():
        return set()
    known = df.lookup(opening_count_keys(outlet_key, heads)) > 0
    return set(keys[known & (heads != 0)].tolist())


class Shingled:
    """What repost verification reads of an article: its shingles and its lead's, less the lines that its
    outlet or the other text's outlet repeat (a template, a share bar, a standing paragraph) and its teasers
    of its outlet's other articles, made on first use for each such set of lines. A linked article keeps
    its Prepared for the sets of its whole text."""

    __slots__ = ("body", "outlet_key", "keys", "heads", "prepared", "_made")

    def __init__(
        self,
        body: str,
        outlet_key: str | None,
        lines: tuple[np.ndarray, np.ndarray],
        prepared: Prepared | None = None,
    ):
        self.body, self.outlet_key, self.prepared = body, outlet_key, prepared
        self.keys, self.heads = lines  # its lines' keys and heads (features.Lines)
        self._made: dict[tuple[frozenset[int], bool], tuple[frozenset[str], frozenset[str]]] = {}

    def sets(self, drop: frozenset[int], stored: bool) -> tuple[frozenset[str], frozenset[str]]:
        """(shingles, lead shingles) less the lines `drop`; `stored` as a stored candidate reads them."""
        key = (drop, stored)
        found = self._made.get(key)
        if found is not None:
            return found
        prepared = self.prepared
        if not drop and prepared is not None:
            found = (
                (prepared.stored_set(), prepared.stored_lead_set())
                if stored
                else (prepared.shingle_set(), prepared.lead_set())
            )
        else:
            shingles, lead = stored_shingles(without_lines(self.body, drop))
            found = (frozenset(shingles), frozenset(lead))
        if len(self._made) >= 4:  # the outlets' lines grow: older sets are not asked for again
            self._made.clear()
        self._made[key] = found
        return found


class Linker:
    """Links articles of one store, in the order given. Owns the open window of link state and the feature
    worker process: close() it when done (an Archive or an ingest run does)."""

    def __init__(self, store: Store, window_days: float = WINDOW_DAYS):
        self.store = store
        self.window_days = window_days
        self.worker = FeatureWorker()
        # While a rewind links again, new stories and threads are numbered above those it deleted.
        self.id_floor: tuple[int, int] = (0, 0)
        self.batch_last: tuple | None = None
        linkstate.tune_for_linking(store)
        self.load()

    def close(self) -> None:
        self.worker.close()

    def current(self) -> Linker:
        """This linker, its state reloaded first if another process (or a rolled-back transaction) changed
        the store's links since it was loaded."""
        if str(self.seq) != linkstate.get_meta(self.store, "seq", "0"):
            self.load()
        return self

    # --- state ---
    def load(self) -> None:
        store = self.store
        self.n_docs = int(linkstate.get_meta(store, "n_docs") or 0)
        check_analysis(store, self.n_docs)
        self.df = DocFreqs(linkstate.load_df(store, term_hash))
        self.seq = int(linkstate.get_meta(store, "seq") or 0)
        self.load_window()

    def load_window(self) -> None:
        """Load the open window (stories, threads, repost window) from the store; the document frequencies,
        n_docs and seq are kept (a rewind has brought them back itself)."""
        store = self.store
        self.newest = linkstate.get_meta(store, "newest")
        self.stories = StoryIndex(window_days=self.window_days)
        self.threads = ThreadIndex()
        self.dirty_stories: set[int] = set()
        self.dirty_threads: set[int] = set()
        self.since_evict = 0
        # Writes held until the batch ends (one executemany each) or a read needs them in the store.
        self.held_docs: list[tuple] = []
        self.held_links: list[tuple[int | None, int, int]] = []  # (duplicate_of, story, article)
        self.held_story_ids: list[tuple[int, int]] = []  # (story, article): duplicate_of stays NULL
        self.held_stories: list[tuple] = []  # new stories' rows, their ids given here (see link)
        self.held_events: list[tuple[Story, int, list[Event]]] = []  # an original's events, by its story
        self.next_story_id = 0
        self.journal: Journal | None = None
        self.reposts = dup.RepostIndex()
        # Shingles of stored articles as repost verification reads them: members of a wire story's
        # reposts group are verified again by each new copy.
        # Most are never asked for: a linked article is kept as its Prepared, the sets made on first use.
        self.verify_cache: OrderedDict[int, Shingled] = OrderedDict()
        if self.newest:
            now = datetime.fromisoformat(self.newest)
            since = iso(now - self.reposts.window)
            self.reposts.load(linkstate.link_docs_between(store, since), since)
            self._load_stories(story_rows.open_stories(store, iso(now - self.stories.window)))
            self._load_threads(thread_rows.open_threads(store, iso(now - self.threads.window)))

    def _load_stories(self, rows) -> None:
        stories = {}
        for r in rows:
            stories[r["id"]] = Story(
                id=r["id"],
                title=r["title"],
                representative_id=r["representative_id"],
                first_seen=r["first_seen"],
                last_seen=r["last_seen"],
                thread_id=r["thread_id"],
                article_count=r["article_count"],
                outlets=json.loads(r["outlets"]),
                centroid=json.loads(r["centroid"]),
                numbers=json.loads(r["numbers"]),
                places=json.loads(r["places"]),
                members=r["members"],
            )
        for story_id, article_id, title, vector, opening in story_rows.centroid_members(
            self.store, list(stories)
        ):
            story = stories[story_id]
            story.vectors[article_id] = json.loads(vector)
            story.titles[article_id] = title
            if len(story.vectors) <= CORE_MEMBERS and opening != "{}":  # none before schema 020
                story.openings[article_id] = json.loads(opening)
        for story in stories.values():
            story.hashes = {term: term_hash(term) for term in story.centroid}
            self.stories.add(story)

    def _load_threads(self, rows) -> None:
        for r in rows:
            self.threads.add(
                Thread(
                    id=r["id"],
                    first_seen=r["first_seen"],
                    last_seen=r["last_seen"],
                    story_count=r["story_count"],
                    profile=json.loads(r["profile"]),
                )
            )

    def story(self, story_id: int) -> Story:
        if story_id not in self.stories.stories:
            self.write_held()
            self._load_stories(story_rows.stories_by_id(self.store, [story_id]))
        return self.stories.stories[story_id]

    def thread(self, thread_id: int) -> Thread:
        if thread_id not in self.threads.threads:
            self._load_threads(thread_rows.threads_by_id(self.store, [thread_id]))
        return self.threads.threads[thread_id]

    def write_held(self) -> None:
        if self.held_stories:  # first: article rows point at stories
            if self.journal is not None:
                self.journal.made_stories(row[0] for row in self.held_stories)
            story_rows.insert_stories(self.store, self.held_stories)
            self.held_stories = []
        if self.held_docs:
            linkstate.save_link_docs(self.store, self.held_docs)
        if self.held_links:
            linkstate.set_article_links(self.store, self.held_links)
        if self.held_story_ids:
            linkstate.set_article_stories(self.store, self.held_story_ids)
        if self.held_events:  # with the thread their story is in now (_attach moves them later)
            thread_rows.add_events(
                self.store,
                [
                    (story.thread_id, story.id, article_id, *event)
                    for story, article_id, found in self.held_events
                    for event in found
                ],
            )
            thread_rows.mark_events_done(self.store, [article_id for _, article_id, _ in self.held_events])
            for story, _, _ in self.held_events:
                story.events_stored = True
        self.held_docs, self.held_links, self.held_story_ids, self.held_events = [], [], [], []

    def hold_link_doc(
        self, article_id: int, at: str, blob: bytes, count: int, vectors: Vectors, in_centroid: bool
    ) -> None:
        self.held_docs.append(
            linkstate.link_doc_row(article_id, self.seq, at, blob, count, *vectors, in_centroid)
        )

    def flush(self) -> None:
        store = self.store
        self.write_held()
        linkstate.save_df(store, self.df.changed())
        self._save_stories()
        threads = self.threads.threads
        self._save_threads([threads[tid] for tid in sorted(self.dirty_threads) if tid in threads])
        linkstate.set_meta(store, "n_docs", self.n_docs)
        linkstate.set_meta(store, "seq", self.seq)
        linkstate.set_meta(store, "analysis", analysis_fingerprint())
        if self.newest:
            linkstate.set_meta(store, "newest", self.newest)
        self._end_epoch()

    def _save_stories(self, stories: list[Story] | None = None) -> None:
        """Save these stories, or every changed one."""
        if stories is None:
            held = self.stories.stories
            stories = [held[sid] for sid in sorted(self.dirty_stories)]
        if self.journal is not None:
            self.journal.before_stories(story.id for story in stories)
        story_rows.save_stories(self.store, [story.as_row() for story in stories])
        self.dirty_stories.difference_update(story.id for story in stories)

    def _save_threads(self, threads: list[Thread]) -> None:
        """Save these threads (their stories first: a thread's title is read from them)."""
        if self.journal is not None:
            self.journal.before_threads(t.id for t in threads)
        thread_rows.save_threads(self.store, [t.as_row() for t in threads])
        self.dirty_threads.difference_update(t.id for t in threads)

    def _take_missing_events(self) -> None:
        """A store linked before events were taken at link time took them when a timeline was first read:
        take the originals' events that are still missing (once; writes are this method's caller's)."""
        rows = thread_rows.originals_without_events(self.store)
        found: list[tuple] = []
        for r in rows:
            found.extend(
                (r["thread_id"], r["story_id"], r["id"], *event)
                for event in article_events(r["body"], r["published"])
            )
        thread_rows.add_events(self.store, found)
        thread_rows.mark_events_done(self.store, [r["id"] for r in rows])
        linkstate.set_meta(self.store, "events", EVENTS_AT_LINK)

    # --- linking ---
    def link(self, ids: Iterable[int], prepared: dict[int, Prepared] | None = None) -> LinkReport:
        """Link these articles, in this order (link order); `prepared`: some of them prepared already."""
        report = LinkReport()
        ids = list(ids)
        for article_id in ids:  # an article linked again may have a new body
            self.verify_cache.pop(article_id, None)
        rows = linkstate.articles_for_link(self.store, ids)
        present = [rows[i] for i in ids if i in rows]
        report.errors.extend((i, "no such article") for i in ids if i not in rows)
        # The id SQLite would give the next story (linking never deletes one but in reset_links, which
        # starts a new linker): new stories are then inserted with the held writes.
        self.next_story_id = max(linkstate.max_story_id(self.store), self.id_floor[0]) + 1
        self._begin_epoch(present)
        if linkstate.get_meta(self.store, "events") != EVENTS_AT_LINK:
            self._take_missing_events()
        for row, ready in zip(present, self._prepared(present, prepared or {}), strict=True):
            if isinstance(ready, Failed):
                log.error("linking article %s failed: %s", row["id"], ready.message)
                report.errors.append((row["id"], ready.message))
                continue
            try:
                own = self._link_one(row, ready, report)
            except Exception as exc:  # one bad article must not stop the batch
                log.exception("linking article %s failed", row["id"])
                report.errors.append((row["id"], f"{type(exc).__name__}: {exc}"))
            else:  # later articles' repost search verifies against recent ones most
                self._remember_shingles(row["id"], own)
        self.flush()
        return report

    def _prepared(self, rows: list, ready: dict[int, Prepared]) -> Iterator[Prepared | Failed]:
        """Each row's prepared article: the one given, or prepared by the worker (in chunks, ahead)."""
        texts = [(row["title"], row["body"], row["published"]) for row in rows if row["id"] not in ready]
        made = chain.from_iterable(self.worker.chunks(texts)) if texts else iter(())
        for row in rows:
            found = ready.get(row["id"])
            yield found if found is not None else next(made)

    # --- the rewind journal (marsad.link.journal) ---
    def _begin_epoch(self, rows: list) -> None:
        """Start journaling a batch: what it changes is kept as it was before (see Linker.flush)."""
        self.journal = Journal(
            self.store,
            self.seq,
            {
                "frontier": linkstate.frontier(self.store),
                "n_docs": self.n_docs,
                "newest": self.newest,
            },
        )
        keys = [linkstate.link_key(row["instant"], row["url"], row["id"]) for row in rows]
        self.batch_last = max(keys, default=None)
        self.journal.head["first"] = min(keys, default=(False, 0.0))[1]

    def _end_epoch(self) -> None:
        """Keep the batch's journal and the frontier (the last linked article in link order)."""
        journal, self.journal = self.journal, None
        if journal is None or journal.epoch == self.seq:
            return
        last = journal.head["frontier"]
        if self.batch_last is not None and (last is None or tuple(self.batch_last) > tuple(last)):
            last = self.batch_last
        linkstate.set_frontier(self.store, last)
        journal.save(None if last is None else last[1])

    def new_thread(self, title: str, at: str) -> int:
        """A new thread's id (numbered above the threads a rewind deleted while it links again)."""
        given = None
        if self.id_floor[1]:
            given = max(undo_rows.max_thread_id(self.store), self.id_floor[1]) + 1
        thread_id = thread_rows.new_thread(self.store, title, at, given)
        if self.journal is not None:
            self.journal.made_thread(thread_id)
        return thread_id

    def _time(self, row) -> str:
        """The time linking places an article at: its publication time; for a page that states none, when
        it was fetched, unless its text only speaks of dates long before that (an old page fetched late,
        like a crawl dump), then the latest date it mentions."""
        published = parse_time(row["published"])
        if published is not None:
            return iso(published)
        fetched = parse_time(row["fetched_at"]) or parse_time(row["created_at"])
        estimated = estimated_time(body_text(row["body"]), fetched)
        if fetched is not None and (estimated is None or estimated >= fetched - STALE):
            return iso(fetched)
        return iso(estimated or fetched or datetime(1970, 1, 1))

    def _link_one(self, row, prepared: Prepared, report: LinkReport) -> Shingled:
        """Link one article; returns what repost verification reads of it."""
        article_id = row["id"]
        at = self._time(row)
        relinking = row["old_signature"] is not None
        common = self._dropped_lines(row["outlet_key"], prepared.lines, count=not relinking)
        own = Shingled(
            row["body"] or "", row["outlet_key"], (prepared.lines.keys, prepared.lines.heads), prepared
        )
        terms, weights, hashes = (
            prepared.without(common) if common else (prepared.terms, prepared.weights, prepared.hashes)
        )
        sig, keys, count = prepared.signature, prepared.keys, prepared.shingle_count
        if not relinking:
            self.n_docs += 1  # and one more document for each of its terms:
        dfs, outlet = self._frequencies(row["outlet_key"], hashes, count=not relinking)
        if len(prepared.off_subject):  # a multi-subject page is linked on its lead subject alone
            terms, weights, hashes, dfs, outlet = prepared.on_subject(common, terms, hashes, dfs, outlet)
        idf = idf_of(dfs, self.n_docs, outlet)
        vector, kept = top_terms(terms, weights * idf)
        opening = opening_vector(prepared, common, terms, idf)
        blob = dup.to_blob(sig)
        self.seq += 1
        if relinking:
            self.write_held()
            if self.journal is not None:
                self.journal.relinked = True
        if relinking and row["story_id"] is not None:
            # An updated article keeps its story and reposts group; its signature and events are refreshed.
            self._save_relinked(row, at, blob, count, (vector, opening), bool(row["old_in_centroid"]))
            thread_rows.delete_article_events(self.store, article_id)
            if row["duplicate_of"] is None:
                self.held_events.append((self.story(row["story_id"]), article_id, prepared.events))
            self.reposts.add(article_id, keys, blob, count, at, self.seq)
            report.linked += 1
            return own
        match = None  # (the article it copies, that one's duplicate_of and story)
        if count >= dup.MIN_SHINGLES:
            match = self._find_duplicate(article_id, prepared, own, at)
        # A copy joins its group's story unless that would stretch the story past its span cap: then it
        # is linked as the copy it is, in a story of its own time (clustered like any other article).
        late = match is not None and match[2] is not None and not self.stories.takes(self.story(match[2]), at)
        in_centroid = match is None or late
        if relinking:
            self._save_relinked(row, at, blob, count, (vector, opening), in_centroid)
        else:
            self.hold_link_doc(article_id, at, blob, count, (vector, opening), in_centroid)
        self.reposts.add(article_id, keys, blob, count, at, self.seq)
        if self.newest is None or at > self.newest:
            self.newest = at
        self._maybe_evict()
        matter = None  # a story of the same matter that the article's opening kept it from
        if match is not None and not late:
            self.write_held()  # the group is read from the store
            story, original = self._join_group(row, at, *match)
            report.duplicates += 1
        else:
            story, matter = self._cluster(row, at, (vector, opening), hashes[kept].tolist(), prepared, report)
            original = None
            if match is not None:
                original = match[1] or match[0]
                report.duplicates += 1
        if original is None and row["duplicate_of"] is None:
            self.held_story_ids.append((story.id, article_id))
        else:
            self.held_links.append((original, story.id, article_id))
        if original is None:  # a repost's events are its original's
            self.held_events.append((story, article_id, prepared.events))
        self._place_thread(story, at, in_centroid, matter)
        report.linked += 1
        return own

    def _frequencies(
        self, outlet_key: str | None, hashes: np.ndarray, count: bool
    ) -> tuple[np.ndarray, tuple[np.ndarray, int] | None]:
        """The document frequencies of an article's terms (their hashes) in the archive, and among its
        outlet's articles with how many the outlet has (with `count`, this one counted first)."""
        found = self.df.lookup(frequency_keys(outlet_key, hashes), count=count)
        if not outlet_key:
            return found, None
        n = len(hashes)
        return found[:n], (found[n : 2 * n], int(found[2 * n]))

    def _dropped_lines(self, outlet_key: str | None, lines: Lines, count: bool) -> set[int]:
        """The keys of an article's lines its story terms leave out: those its outlet repeats, and teasers of
        its outlet's other articles (looked up before this one's openings are counted, with `count`)."""
        common = self._common_lines(outlet_key, lines.keys, count)
        if not outlet_key:
            return common
        common |= teaser_lines(self.df, outlet_key, lines.keys, lines.heads)
        if count and len(lines.openings):
            self.df.lookup(opening_count_keys(outlet_key, lines.openings), count=True)
        return common

    def _common_lines(self, outlet_key: str | None, lines: np.ndarray, count: bool) -> set[int]:
        """The keys of an article's lines that at least LINE_COMMON articles of its outlet carry (with
        `count`, this one counted first): a share bar, a standing dateline or teaser, a template's
        sentence."""
        if not outlet_key or not len(lines):
            return set()
        counts = self.df.lookup(line_count_keys(outlet_key, lines), count=count)
        return set(lines[counts >= LINE_COMMON].tolist())

    def _save_relinked(self, row, at: str, blob: bytes, count: int, vectors: Vectors, in_centroid: bool):
        """Save the link doc of an article linked before (its buckets are moved by reposts.add)."""
        linkstate.save_link_docs(
            self.store, [linkstate.link_doc_row(row["id"], self.seq, at, blob, count, *vectors, in_centroid)]
        )

    def _maybe_evict(self) -> None:
        self.since_evict += 1
        if self.since_evict >= EVICT_EVERY and self.newest is not None:
            self.since_evict = 0
            now = datetime.fromisoformat(self.newest)
            # What leaves memory must be in the store as it is now (the rest is saved by flush()).
            self.write_held()
            self._save_stories([s for s in self.stories.evict_before(now) if s.id in self.dirty_stories])
            self._save_threads([t for t in self.threads.evict_before(now) if t.id in self.dirty_threads])
            self.reposts.evict_before(now)

    # --- reposts ---
    def _find_duplicate(
        self, article_id: int, prepared: Prepared, own: Shingled, at: str
    ) -> tuple[int, int | None, int | None] | None:
        """(the article this one copies, that one's duplicate_of and story), or None."""
        reposts = self.reposts
        stretch = reposts.needs(at)
        if stretch is not None:  # linked late: its window reaches before what is loaded
            reposts.load(linkstate.link_docs_between(self.store, *stretch), stretch[0])
        hits = reposts.around(article_id, prepared.keys, at)
        if not hits:
            return None
        best, best_score, best_key = None, 0.0, ("", 0)
        docs = reposts.docs
        found = [(cid, docs[cid][:2]) for cid in hits]
        # all candidates' signatures against this one at once: MinHash values in common per candidate
        stacked = dup.from_blobs([blob for _, (blob, _) in found])
        equal = np.add.reduce(stacked == prepared.signature, axis=1, dtype=np.int64).tolist()
        for (cid, (_, count)), same in zip(found, equal, strict=True):
            jaccard = same / dup.NUM_PERM
            if dup.containment_from_jaccard(jaccard, prepared.shingle_count, count) < dup.CHECK:
                continue
            score = self._verify(own, self._candidate(cid))
            if not score:
                continue
            key = docs[cid][2:4]  # among equals the first in link order (ids follow arrival)
            if score > best_score or (score == best_score and best is not None and key < best_key):
                best, best_score, best_key = cid, score, key
        if best is None:
            return None
        self.write_held()  # the match's group may be among the held writes
        duplicate_of, match_story = linkstate.link_group_of(self.store, best)
        # The group's original must be within the window too. A copy of a copy is a copy of the original
        # (wire copies), but templated statements, the same text with another city and date, would otherwise
        # chain into one group over months, each new statement a "copy" of the one before.
        if duplicate_of is not None:
            original = docs.get(duplicate_of)
            if original is None or not reposts.within(original[2], at):
                return None
        return best, duplicate_of, match_story

    def _verify(self, text: Shingled, candidate: Shingled) -> float:
        """dup.verified of an article against a stored candidate, both read without the lines that either
        one's outlet repeats: a copy shares the specific part of its original, a template's statements
        (a cable's honorifics, a bulletin's standing sentences, a share bar) share only what is dropped.
        The outlets' lines as they are now, whenever the candidate was linked: the result does not depend
        on what a cache held."""
        outlets = {text.outlet_key, candidate.outlet_key}
        a, lead_a = text.sets(self._repeated(text, outlets), stored=False)
        b, lead_b = candidate.sets(self._repeated(candidate, outlets), stored=True)
        return dup.verified(a, b, lead_a, lead_b)

    def _repeated(self, text: Shingled, outlets: set[str | None]) -> frozenset[int]:
        """The keys of a text's lines that any of `outlets` repeats (LINE_COMMON), and its teasers of its
        own outlet's other articles."""
        drop: set[int] = set()
        for outlet in outlets:
            drop |= self._common_lines(outlet, text.keys, count=False)
        if text.outlet_key:
            drop |= teaser_lines(self.df, text.outlet_key, text.keys, text.heads)
        return frozenset(drop)

    def _candidate(self, article_id: int) -> Shingled:
        """A stored candidate, as verification reads it (kept while recent: the members of a wire story's
        reposts group are verified again by each new copy)."""
        cache = self.verify_cache
        found = cache.get(article_id)
        if found is not None:
            cache.move_to_end(article_id)
            return found
        row = linkstate.articles_for_link(self.store, [article_id]).get(article_id)
        body = (row["body"] if row else None) or ""
        found = Shingled(body, row["outlet_key"] if row else None, stored_lines(body))
        self._remember_shingles(article_id, found)
        return found

    def _remember_shingles(self, article_id: int, found: Shingled) -> None:
        cache = self.verify_cache
        cache[article_id] = found
        cache.move_to_end(article_id)
        if len(cache) > VERIFY_CACHE:
            cache.popitem(last=False)

    def _join_group(
        self, row, at: str, match: int, duplicate_of: int | None, match_story: int | None
    ) -> tuple[Story, int | None]:
        """Join the reposts group of `match` (its duplicate_of and story given); returns (story, original id
        or None if this is the original)."""
        original_id = duplicate_of or match
        group = [r for r in linkstate.duplicate_group(self.store, original_id) if r["id"] != row["id"]]
        members = [
            (
                r["id"],
                r["original_outlet"],
                (r["outlet"], r["outlet_latin"], r["outlet_key"]),
                r["at"],
                r["url"],
            )
            for r in group
        ]
        members.append(
            (
                row["id"],
                row["original_outlet"],
                (row["outlet"], row["outlet_latin"], row["outlet_key"]),
                at,
                row["url"],
            )
        )
        winner = dup.choose_original(members)
        story_id = match_story or group[0]["story_id"]  # a late copy's group spans two stories
        assert story_id is not None, "a linked article's reposts group has a story"
        story = self.story(story_id)
        self._count_in(story, row, at)
        if winner == row["id"]:
            if self.journal is not None:
                self.journal.before_regroup(original_id)
            linkstate.regroup_duplicates(self.store, original_id, row["id"])
            return story, None
        return story, winner

    # --- stories ---
    def _count_in(self, story: Story, row, at: str) -> None:
        story.article_count += 1
        story.first_seen = min(story.first_seen, at)
        story.last_seen = max(story.last_seen, at)
        outlet = row["outlet"] or row["outlet_key"]
        if outlet and outlet not in story.outlets:
            story.outlets = sorted([*story.outlets, outlet])
        self.dirty_stories.add(story.id)

    def _cluster(
        self, row, at: str, vectors: Vectors, hashes: list[int], features: Prepared, report: LinkReport
    ) -> tuple[Story, Story | None]:
        """The story the article joins or starts, and the story of its matter that it did not join for its
        opening (StoryIndex.best)."""
        vector, opening = vectors
        story, matter = self.stories.best(vector, opening, features.numbers, features.places, at)
        if story is None:
            sid = self.next_story_id
            self.next_story_id += 1
            self.held_stories.append((sid, row["title"] or "", row["id"], at, at))
            story = Story(
                id=sid,
                title=row["title"] or "",
                representative_id=row["id"],
                first_seen=at,
                last_seen=at,
                events_stored=False,
            )
            report.new_stories += 1
        self._count_in(story, row, at)
        self.stories.join(
            story, row["id"], row["title"] or "", vector, opening, features.numbers, features.places
        )
        story.hashes.update(zip(vector, hashes, strict=True))
        return story, matter

    # --- threads ---
    def _place_thread(self, story: Story, at: str, contributed: bool, matter: Story | None = None) -> bool:
        """Put a new or young story in the thread it matches (or one of its own); a new story that its first
        article's opening kept out of `matter` goes in that story's thread, as the next step of its matter.
        True when that made a thread of two stories (its timeline starts then)."""
        if story.thread_id is None:
            vector = distinctive(story, self.df, self.n_docs)
            if matter is not None and matter.thread_id is not None:
                found: Thread | None = self.thread(matter.thread_id)
            else:
                found = self.threads.best(vector, at, exclude=None)
            thread = found or Thread(id=self.new_thread(story.title, at), first_seen=at, last_seen=at)
            return self._attach(story, thread, vector, at)
        thread = self.thread(story.thread_id)
        if contributed and story.article_count <= YOUNG_STORY and thread.story_count == 1:
            vector = distinctive(story, self.df, self.n_docs)
            other = self.threads.best(vector, at, exclude=thread.id)
            self.threads.remove(thread.id)
            if other is None:  # still alone: its profile follows the story as it grows
                thread.profile, thread.story_count = {}, 0
                return self._attach(story, thread, vector, at)
            if self.journal is not None:
                self.journal.before_thread_delete(thread.id)
            thread_rows.delete_thread(self.store, thread.id)
            self.dirty_threads.discard(thread.id)
            return self._attach(story, other, vector, at)
        self.threads.touch(thread, at)
        self.dirty_threads.add(thread.id)
        return False

    def _attach(self, story: Story, thread: Thread, vector: dict[str, float], at: str) -> bool:
        self.threads.attach(thread, vector, story.first_seen)
        self.threads.touch(thread, at)
        if story.thread_id != thread.id:
            story.thread_id = thread.id
            if story.events_stored:  # else its held events are written with its thread of that moment
                thread_rows.move_story_events(self.store, story.id, thread.id)
            self.dirty_stories.add(story.id)  # the story row is saved by flush()
        self.dirty_threads.add(thread.id)
        return thread.story_count == 2
