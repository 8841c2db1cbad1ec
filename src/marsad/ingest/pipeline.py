"""The ingest pipeline: pages in, articles out, in batches that commit together.

Each batch (BATCH_SIZE articles) is one transaction: a process killed mid-batch loses only that batch, and a
rerun finds the committed articles "unchanged" and finishes the rest. After each commit the new and updated
article ids go to linking (marsad.link.link_new) and to the search index (marsad.search.index_articles).
Links are a function of the articles in publication order (marsad.link): a batch whose articles all come
after the linked ones is linked at once; from the first batch with an article that comes before a linked
one (a file not in time order, outlets crawled one after another, an old page) the run's articles stay
pending and are linked once at the run's end: one rewind to the earliest of them (marsad.link.rewind) undoes
what was linked after it and links it all in publication order, instead of one rewind per batch.
Nothing in a batch stops the batch: a page that cannot be read, extracted or stored becomes a failure row.

Each html or text page is extracted without its outlet's chrome (the lines the outlet repeats on its pages,
learnt from the store as its pages arrive: marsad.ingest.memory), kept as fetched, and its lines are counted
for its outlet in the batch's transaction; `marsad reextract` later extracts kept pages again.

The transaction that stores an article also marks it pending 'link' and 'index' (marsad.store.pending);
linking and indexing clear the marks. A run killed after a commit and before its linking or indexing ended
leaves them marked, and every run begins by finishing them (finish_pending): pending links in publication
order across them, as their batch would have been linked, then pending index updates. The rerun then finds
those articles "unchanged" and ends where an uninterrupted run ends.
"""

from __future__ import annotations

import logging
import sqlite3
import time
from collections.abc import Callable, Iterable
from contextlib import ExitStack
from dataclasses import dataclass, field
from functools import partial
from typing import TYPE_CHECKING, Any

from marsad.extract.profile import OutletProfile
from marsad.ingest.memory import Extracted, Profiles, apply_profile, extract_unprofiled, remember
from marsad.ingest.report import FailureNote, IngestReport
from marsad.link import Linker, link_new, link_pending
from marsad.models import Article, ExtractionError, Page, SourceFailure, capped
from marsad.search import index_articles
from marsad.sources import Expected, Item, Skipped, iter_targets
from marsad.sources.http.safety import AddressPolicy
from marsad.store import pending, watchlists
from marsad.store.articles import SourceCache, Upserted, add_failure, upsert_article
from marsad.store.db import Store
from marsad.store.linkstate import linked_before
from marsad.watch.match import match_new

if TYPE_CHECKING:
    from marsad.ingest.cluster import ClusterConfig

BATCH_SIZE = 500
log = logging.getLogger(__name__)

# Called with (items done, items expected so far or None, report) as the run goes; report.stage says what
# the run is doing while no page is read (linking, indexing).
ProgressCallback = Callable[[int, int | None, IngestReport], None]
# Told what a run starts doing that has no count of pages ("indexing 43 articles for search"), "" once done.
StageCallback = Callable[[str], None]

_STAGE_TEXT = {
    "link": "linking {n:,} articles into stories",
    "index": "indexing {n:,} articles for search",
    "watch": "matching {n:,} articles against watchlists",
}


@dataclass
class _Batch:
    articles: list[tuple[Article, Page, list[str]]] = field(default_factory=list)  # with the lines counted
    failures: list[SourceFailure] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.articles) + len(self.failures)


# --- Extraction -------------------------------------------------------------------------------------------


def extract_page(page: Page) -> Article:
    """The article on a page (marsad.extract); raises ExtractionError with the reason when there is none."""
    return extract_stored(page, None).article


def extract_stored(
    page: Page, profiles: Profiles | OutletProfile | None, unprofiled: Extracted | None = None
) -> Extracted:
    """The article on a page as ingest stores it: without its outlet's chrome (the outlet's profile, see
    marsad.ingest.memory), with the source's fetch time and outlet when the page names none. `unprofiled`
    is the page's extraction before the profile when a Dask worker did it (marsad.ingest.cluster)."""
    raw = unprofiled if unprofiled is not None else extract_unprofiled(page)
    extracted = apply_profile(raw, page, profiles)
    if not any(p.strip() for p in extracted.article.body):
        raise ExtractionError("no article text was found on the page")
    return extracted


@dataclass
class Prepared:
    """A page a Dask worker read and extracted without its outlet's profile (or failed to extract): the
    pipeline applies the profile as of the last commit, as it does to a page it extracts itself."""

    page: Page
    unprofiled: Extracted | SourceFailure


def extract_unprofiled_or_fail(page: Page) -> Extracted | SourceFailure:
    """What a worker sends back for a page: its extraction before the profile, or the failure."""
    try:
        return extract_unprofiled(page)
    except Exception as error:  # noqa: BLE001 - kept as the page's failure, as _extract_or_fail does
        return _extraction_failure(page, error)


def _extract_or_fail(
    page: Page, profiles: Profiles, unprofiled: Extracted | None = None
) -> Extracted | SourceFailure:
    try:
        return extract_stored(page, profiles, unprofiled)
    except Exception as error:  # noqa: BLE001 - an extractor bug must not stop the batch: keep the reason
        return _extraction_failure(page, error)


def _extraction_failure(page: Page, error: Exception) -> SourceFailure:
    if isinstance(error, ExtractionError):
        reason = str(error) or "the page could not be extracted"
    else:
        log.error("extraction crashed on %s", page.origin, exc_info=error)
        reason = f"extraction crashed: {type(error).__name__}: {error}"
    content = page.record if page.kind == "record" else page.content
    return SourceFailure(page.origin or page.url, page.url, "extract", reason, capped(_as_text(content)))


def _as_text(content) -> bytes | str:
    if isinstance(content, dict):
        import json

        return json.dumps(content, ensure_ascii=False)
    return content


# --- After commit: linking and indexing -------------------------------------------------------------------


class RunLinker:
    """The linker of an ingest run: the caller's, or one made when a batch first needs it (a store whose
    links are outdated then fails that batch's linking, not the run) and closed when the run ends."""

    def __init__(self, store: Store, given: Linker | None = None) -> None:
        self.store, self.given = store, given
        self.own: Linker | None = None
        self.deferred = False  # the run's articles are linked at its end (see the module's docstring)
        self.deferred_ids: list[int] = []
        self.unwatched_ids: list[int] = []  # of those, the ones no watch stage matched (matched in full then)

    def get(self) -> Linker:
        if self.given is not None:
            return self.given
        if self.own is None:
            self.own = Linker(self.store)
        return self.own

    def close(self) -> None:
        if self.own is not None:
            self.own.close()
            self.own = None


def after_commit(
    store: Store,
    article_ids: list[int],
    *,
    link: bool = True,
    index: bool = True,
    linker: RunLinker | None = None,
    on_stage: StageCallback | None = None,
) -> AfterCommit:
    """Link then index the new and updated articles of a committed batch, then match them against the
    watchlists (marsad.watch). They are linked in publication order, as relink links the archive, not in the
    order their pages were read.

    An error in any does not undo the committed batch or stop the run: it is kept as a failure row (stage "link",
    "index" or "watch"); unlinked and unindexed articles stay marked pending, for the next ingest to finish first.
    """
    done = AfterCommit()
    if not article_ids:
        return done
    run = linker or RunLinker(store)

    def link_in_order(store: Store, ids: list[int]) -> None:
        if run.deferred or linked_before(store, ids):
            run.deferred = True  # they stay pending: link_deferred links them at the run's end
            run.deferred_ids.extend(ids)  # and matches them again then, with their stories and threads
            return
        link_new(store, ids, run.get())

    analysed: dict[int, tuple[str, str]] = {}  # the index's analysis, which watchlists match against

    def index_keeping(store: Store, ids: list[int]) -> int:
        return index_articles(store, ids, analysed)

    pending_then = "they stay pending: the next `marsad ingest` retries (or run `marsad {}`)"
    stages = (
        (link, "link", "link_new", link_in_order, pending_then.format("relink")),
        (index, "index", "index_articles", index_keeping, pending_then.format("reindex")),
        (
            watchlists.any_watchlist(store),
            "watch",
            "match_new",
            partial(match_new, analysed_texts=analysed),
            "their alerts are missed",
        ),
    )
    deferred_before, watched = len(run.deferred_ids), None
    for enabled, stage, name, function, then in stages:
        if not enabled:
            continue
        outcome = _run_stage(
            done,
            stage,
            partial(function, store, article_ids),
            origin=f"{stage} of articles {min(article_ids)}-{max(article_ids)}",
            failed=f"{name} failed for {len(article_ids)} articles",
            then=then,
            logged=f"{stage} failed after a committed batch",
            telling=(on_stage, _STAGE_TEXT[stage].format(n=len(article_ids))),
        )
        watched = outcome if stage == "watch" else watched
    if watched is None:  # no watchlist then, or the stage failed: the deferred pass matches them in full
        run.unwatched_ids.extend(run.deferred_ids[deferred_before:])
    if linker is None:
        run.close()
    return done


def _run_stage(
    done: AfterCommit,
    stage: str,
    work: Callable[[], Any],
    *,
    origin: str,
    failed: str,
    then: str,
    logged: str,
    telling: tuple[StageCallback | None, str] = (None, ""),
) -> Any:
    """Run one stage's `work` ("link" or "index"), timing it into `done` (and telling `telling`'s callback
    its text before, "" after). An error does not undo what is committed or stop the run: it is kept as a
    failure row ("<failed> (<error>); <then>"), and None returned."""
    started = time.perf_counter()
    on_stage, text = telling
    if on_stage is not None:
        on_stage(text)
    try:
        return work()
    except Exception as error:  # noqa: BLE001 - the articles stay pending: say what to rerun
        log.warning("%s: %s: %s", logged, type(error).__name__, error)
        reason = f"{failed} ({type(error).__name__}: {error}); {then}"
        done.failures.append(SourceFailure(origin, None, stage, reason))
        return None
    finally:
        setattr(done, f"seconds_{stage}", time.perf_counter() - started)
        if on_stage is not None:
            on_stage("")


def _match_linked(store: Store, ids: list[int], unwatched: set[int]) -> int:
    """The deferred articles once linked: against the story and thread watchlists, which linking decides
    (the others matched them when they were stored), and in full those no watch stage matched then."""
    matched = [i for i in ids if i not in unwatched]
    return match_new(store, matched, linked_only=True) + match_new(store, [i for i in ids if i in unwatched])


@dataclass
class AfterCommit:
    seconds_link: float = 0.0
    seconds_index: float = 0.0
    seconds_watch: float = 0.0
    failures: list[SourceFailure] = field(default_factory=list)
    linked: int = 0
    indexed: int = 0


def link_deferred(store: Store, run: RunLinker, on_stage: StageCallback | None = None) -> AfterCommit:
    """Link the articles a run left pending because one came before the linked ones (RunLinker.deferred),
    with those linked after the earliest of them, in publication order (marsad.link.link_pending). A failure
    is kept as in after_commit; the articles then stay pending for the next run."""
    done = AfterCommit()
    count = pending.counts(store)["link"]
    run.deferred = False
    linked = _run_stage(
        done,
        "link",
        lambda: link_pending(store, run.get()),
        origin=f"link of {count} articles in publication order",
        failed=f"linking {count} articles in publication order failed",
        then="they stay pending: the next `marsad ingest` retries (or run `marsad relink`)",
        logged="linking at the end of the run failed",
        telling=(on_stage, _STAGE_TEXT["link"].format(n=count) + " (in publication order)"),
    )
    ids, run.deferred_ids = run.deferred_ids, []
    unwatched, run.unwatched_ids = set(run.unwatched_ids), []
    if linked is not None and ids:  # matched when stored, without stories: the followed ones match now
        _run_stage(
            done,
            "watch",
            partial(_match_linked, store, ids, unwatched),
            origin=f"watch of articles {min(ids)}-{max(ids)}",
            failed=f"match_new failed for {len(ids)} articles",
            then="their alerts are missed",
            logged="watch failed after the run's linking",
        )
    return done


INDEX_PENDING_CHUNK = 2000  # pending index updates per index_articles call (their texts are read at once)


def finish_pending(
    store: Store,
    *,
    link: bool = True,
    index: bool = True,
    linker: RunLinker | None = None,
    on_stage: StageCallback | None = None,
) -> AfterCommit:
    """Link, then index, the articles an earlier run committed and did not link or index (killed between,
    or its linking or indexing failed): see marsad.store.pending. Pending links are linked in publication
    order across them all. A failure is kept as in after_commit; the marks then stay for the next run."""
    done = AfterCommit()
    counts = pending.counts(store)
    if not (link and counts["link"]) and not (index and counts["index"]):
        return done
    run = linker or RunLinker(store)

    def link_them(store: Store) -> int:
        if counts["link"]:  # (one that came late links every article again: it counts the pending ones)
            link_pending(store, run.get())
        return counts["link"]

    indexed: list[int] = []  # matched against the watchlists once indexed, as after_commit does

    def index_them(store: Store) -> int:
        ids = pending.pending_ids(store, "index")
        indexed.extend(ids)
        for start in range(0, len(ids), INDEX_PENDING_CHUNK):
            left = set(pending.pending_ids(store, "index"))  # a whole rebuild (no index yet) did the rest
            if part := [i for i in ids[start : start + INDEX_PENDING_CHUNK] if i in left]:
                index_articles(store, part)
        return len(ids)

    for enabled, stage, function, repair in (
        (link, "link", link_them, "relink"),
        (index, "index", index_them, "reindex"),
    ):
        if not enabled or not counts[stage]:
            continue
        log.info("%s of %d articles left pending by an earlier run", stage, counts[stage])
        finished = _run_stage(
            done,
            stage,
            partial(function, store),
            origin=f"pending {stage} of {counts[stage]} articles",
            failed=f"{stage} of articles left pending by an earlier run failed",
            then=f"they stay pending: rerun `marsad ingest` or run `marsad {repair}`",
            logged=f"pending {stage} failed",
            telling=(on_stage, _STAGE_TEXT[stage].format(n=counts[stage]) + " (left by an earlier run)"),
        )
        if finished is not None:
            setattr(done, f"{stage}ed", finished)
    if indexed and not done.failures:
        _run_stage(
            done,
            "watch",
            partial(match_new, store, indexed),
            origin=f"watch of {len(indexed)} articles left pending by an earlier run",
            failed="matching articles left pending by an earlier run failed",
            then="their alerts are missed",
            logged="pending watch failed",
        )
    if linker is None:
        run.close()
    return done


# --- The run ------------------------------------------------------------------------------------------------


def ingest(
    targets: Iterable[str],
    store: Store,
    progress: bool | ProgressCallback = True,
    *,
    link: bool = True,
    index: bool = True,
    batch_size: int = BATCH_SIZE,
    policy: AddressPolicy | None = None,
    linker: Linker | None = None,
    cluster: ClusterConfig | None = None,
) -> IngestReport:
    """Ingest files, folders and URLs; `progress` True shows a rich progress bar, or pass a callback.
    URLs are fetched from public addresses only unless `policy` allows more networks. With `cluster`, Dask
    workers read and extract WARC archives and page files (marsad.ingest.cluster); storing, linking and
    indexing stay here, in the same order, so that the result is the same."""
    with ExitStack() as stack:
        if cluster is None:
            items: Iterable[Item | Prepared] = iter_targets(targets, policy=policy)
        else:
            from marsad.ingest.cluster import prepared_items

            items = stack.enter_context(prepared_items(targets, cluster, policy=policy))
        callback = progress if callable(progress) else None
        if progress is True:
            from marsad.ingest.progress import progress_bar

            callback = stack.enter_context(progress_bar())
        return ingest_pages(
            store,
            items,
            link=link,
            index=index,
            batch_size=batch_size,
            on_progress=callback,
            linker=linker,
        )


def ingest_pages(
    store: Store,
    items: Iterable[Item | Prepared],
    *,
    link: bool = True,
    index: bool = True,
    batch_size: int = BATCH_SIZE,
    on_progress: ProgressCallback | None = None,
    linker: Linker | None = None,
) -> IngestReport:
    """Extract and store pages (Page or SourceFailure items) in committed batches; returns the report.
    Batches are linked with `linker`, or with one made for the run."""
    run = RunLinker(store, linker)
    try:
        return _ingest_pages(store, items, run, link, index, batch_size, on_progress)
    finally:
        run.close()


def _ingest_pages(
    store: Store,
    items: Iterable[Item | Prepared],
    run: RunLinker,
    link: bool,
    index: bool,
    batch_size: int,
    on_progress: ProgressCallback | None,
) -> IngestReport:
    report = IngestReport()
    started = time.perf_counter()
    done, expected, shown = 0, None, 0.0

    def on_stage(text: str) -> None:
        report.stage = text
        if on_progress is not None:
            on_progress(done, expected, report)

    before = finish_pending(store, link=link, index=index, linker=run, on_stage=on_stage)
    report.pending_linked, report.pending_indexed = before.linked, before.indexed
    _note_after_commit(store, report, before)
    cache = SourceCache()
    profiles = Profiles(store)
    batch = _Batch()
    for item in items:
        if isinstance(item, Expected):
            expected = (expected or 0) + item.count
            if on_progress is not None:
                on_progress(done, expected, report)
            continue
        if isinstance(item, Skipped):
            report.skipped.append(item.origin)
            continue
        done += 1
        if isinstance(item, SourceFailure):
            batch.failures.append(item)
        else:
            page, result = _extracted(item, profiles)
            report.kinds[page.kind] += 1
            if isinstance(result, SourceFailure):
                batch.failures.append(result)
            else:
                batch.articles.append((result.article, page, result.lines))
        if len(batch) >= batch_size:
            _commit(store, cache, batch, report, link=link, index=index, run=run, on_stage=on_stage)
            profiles.clear()  # the batch's pages count now
            batch = _Batch()
        if on_progress is not None and (done % 100 == 0 or time.perf_counter() - shown > 0.2):
            on_progress(done, expected, report)
            shown = time.perf_counter()
    _commit(store, cache, batch, report, link=link, index=index, run=run, on_stage=on_stage)
    if run.deferred:
        _note_after_commit(store, report, link_deferred(store, run, on_stage))
    report.seconds = time.perf_counter() - started
    if on_progress is not None:
        on_progress(done, max(done, expected or 0), report)
    return report


def _extracted(item: Page | Prepared, profiles: Profiles) -> tuple[Page, Extracted | SourceFailure]:
    if isinstance(item, Prepared):
        if isinstance(item.unprofiled, SourceFailure):
            return item.page, item.unprofiled
        return item.page, _extract_or_fail(item.page, profiles, item.unprofiled)
    return item, _extract_or_fail(item, profiles)


def _commit(
    store: Store,
    cache: SourceCache,
    batch: _Batch,
    report: IngestReport,
    *,
    link: bool,
    index: bool,
    run: RunLinker,
    on_stage: StageCallback | None = None,
) -> None:
    if not len(batch):
        return
    try:
        with store.transaction() as conn:
            results = [_store_one(conn, cache, a, p, lines) for a, p, lines in batch.articles]
            for failure in batch.failures:
                add_failure(conn, failure)
    except (sqlite3.Error, ValueError, TypeError) as error:
        if isinstance(error, sqlite3.OperationalError) and "locked" in str(error):
            raise
        cache.ids.clear()
        log.warning("batch failed (%s); storing its articles one by one", error)
        results = _commit_one_by_one(store, cache, batch)
    report.batches += 1
    changed = []
    for upserted in results:
        if isinstance(upserted, SourceFailure):
            report.add_failure(FailureNote(upserted.origin, upserted.url, upserted.stage, upserted.reason))
            continue
        report.count(upserted.outcome, upserted.id)
        if upserted.outcome != "unchanged":
            changed.append(upserted.id)
    for failure in batch.failures:
        report.add_failure(FailureNote(failure.origin, failure.url, failure.stage, failure.reason))
    after = after_commit(store, changed, link=link, index=index, linker=run, on_stage=on_stage)
    _note_after_commit(store, report, after)


def _store_one(
    conn: sqlite3.Connection, cache: SourceCache, article: Article, page: Page, lines: list[str]
) -> Upserted:
    """Store the article, keep its page and count its lines for its outlet (marsad.ingest.memory)."""
    upserted = upsert_article(conn, cache, article, origin=page.origin, kind=page.kind)
    remember(conn, upserted, page, lines)
    return upserted


def _note_after_commit(store: Store, report: IngestReport, done: AfterCommit) -> None:
    report.seconds_linking += done.seconds_link
    report.seconds_indexing += done.seconds_index
    report.seconds_watching += done.seconds_watch
    if done.failures:
        with store.transaction() as conn:
            for failure in done.failures:
                add_failure(conn, failure)
        for failure in done.failures:
            report.add_failure(FailureNote(failure.origin, failure.url, failure.stage, failure.reason))


def _commit_one_by_one(store: Store, cache: SourceCache, batch: _Batch) -> list:
    """The slow path after a failed batch: each article in its own transaction, failures kept."""
    results: list = []
    for article, page, lines in batch.articles:
        try:
            with store.transaction() as conn:
                results.append(_store_one(conn, cache, article, page, lines))
        except (sqlite3.Error, ValueError, TypeError) as error:
            cache.ids.clear()
            failure = SourceFailure(
                page.origin or page.url, page.url, "store", f"cannot store the article: {error}"
            )
            with store.transaction() as conn:
                add_failure(conn, failure)
            results.append(failure)
    with store.transaction() as conn:
        for failure in batch.failures:
            add_failure(conn, failure)
    return results
