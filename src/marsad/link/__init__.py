"""Linking: reposts (MinHash LSH), stories (incremental clustering in a time window), threads (stories
chained over months) and timeline events.

    link_new(store, article_ids, linker)  link newly stored articles (in link order, whatever order given)
    relink(store, linker)                 forget every link and link the whole archive again
    link_pending(store, linker)           link the articles still marked pending (marsad.store.pending)

Linking gives each article the topics already mined (marsad.link.topics); relink mines them again.

A Linker holds the open window of link state and a worker process; whoever links many batches (an ingest
run, an Archive) keeps one and closes it. Reads (stories, threads, events) are in marsad.store.

Links are a function of the articles in link order (publication order, then URL: linkstate.link_order),
whatever order they arrive in: new articles that all come after the linked ones are linked incrementally;
one that comes before a linked article (a late page, an outlet crawled after another, a file not in time
order) rewinds linking to the batch of its time and links it with the articles linked since, in link
order (marsad.link.rewind): what relink would give, for the cost of what is undone. When the rewind
journal does not reach back that far, the whole archive is linked again, as relink does. An ingest run
links its articles once, at its end, when any of them came late (marsad.ingest.pipeline): one rewind
instead of one per batch.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from contextlib import closing

from marsad.link import rewind, topics
from marsad.link.linker import Linker, LinkReport
from marsad.link.prepare import Prepared
from marsad.store import linkstate, pending, watchlists
from marsad.store.db import Store

__all__ = ["LinkReport", "Linker", "link_new", "link_pending", "relink"]
log = logging.getLogger(__name__)

# Articles per link_new call in relink: each call ends with a flush of the link state and a commit, so
# fewer, larger calls are faster, for more memory (the articles of a call are read at once).
RELINK_BATCH = 5000
# Articles per batch when a rewind links the undone and late articles again: each batch is an epoch of
# the rewind journal, and a later rewind undoes from the start of the epoch of its time. The last
# REWIND_TAIL articles (where the next late article most likely falls) go in batches of REWIND_BATCH, what
# comes before in batches of RELINK_BATCH (smaller batches undo less, for a flush each).
REWIND_BATCH = 250
REWIND_TAIL = 2000


def link_new(store: Store, article_ids: Iterable[int], linker: Linker | None = None) -> LinkReport:
    """Link new (or updated) articles with `linker` (a new one, closed after, if none is given), in link
    order. When a new one comes before an article already linked, every article is linked again (relink):
    the report then counts them all."""
    ids = linkstate.in_link_order(store, list(article_ids))
    if not ids:
        return LinkReport()
    if linker is None:
        with closing(Linker(store)) as own:
            return link_new(store, ids, own)
    if linkstate.linked_before(store, ids):
        return _link_late(store, ids, linker)
    linker.current()
    if store.conn.in_transaction:
        return _link_and_clear(store, ids, linker)
    try:
        with store.transaction():
            return _link_and_clear(store, ids, linker)
    except BaseException:
        linker.load()  # the rollback undid what its state holds
        raise


def _rewind_batches(n: int) -> list[tuple[int, int]]:
    """(start, end) of the batches a rewind links n articles in (see REWIND_BATCH)."""
    tail = max(0, n - REWIND_TAIL)
    bounds = [*range(0, tail, RELINK_BATCH), *range(tail, n, REWIND_BATCH), n]
    return list(zip(bounds, bounds[1:], strict=False))


def _link_and_clear(
    store: Store, ids: list[int], linker: Linker, prepared: dict[int, Prepared] | None = None
) -> LinkReport:
    """Link, and drop the articles' pending 'link' marks in the same transaction (marsad.store.pending)."""
    report = linker.link(ids, prepared)
    topics.assign(store, ids)
    pending.clear(store, "link", ids)
    return report


def link_pending(
    store: Store, linker: Linker | None = None, progress: Callable[[int, int], None] | None = None
) -> LinkReport:
    """Link the articles whose linking is still pending (a run killed after committing them, a failed
    link, an ingest with --no-link), in publication order across them all, as one ingest batch of them is
    linked. Returns an empty report when none is pending."""
    ids = linkstate.in_link_order(store, pending.pending_ids(store, "link"))
    if not ids:
        return LinkReport()
    if linker is None:
        with closing(Linker(store)) as own:
            return link_pending(store, own, progress)
    if linkstate.linked_before(store, ids):
        return _link_late(store, ids, linker, progress)
    return _link_in_batches(store, ids, linker, progress)


def _link_late(
    store: Store, ids: list[int], linker: Linker, progress: Callable[[int, int], None] | None = None
) -> LinkReport:
    """Link articles of which one comes before linked ones: a rewind (in one transaction: the caller's if
    it holds one), or a full relink when the rewind journal does not reach back to it."""
    try:
        if store.conn.in_transaction:
            return _rewind(store, ids, linker, progress)
        try:
            with store.transaction():  # the plan too: no other writer links in between
                return _rewind(store, ids, linker, progress)
        except rewind.CannotRewind:
            raise
        except BaseException:
            linker.load()  # the rollback undid what its state holds
            raise
    except rewind.CannotRewind as exc:  # raised before anything was written
        log.warning("cannot rewind linking for a late article (%s): linking the archive again", exc)
    report = _relink_for_late(store, linker, progress)
    report.relinked_all = True
    return report


def _rewind(
    store: Store, ids: list[int], linker: Linker, progress: Callable[[int, int], None] | None
) -> LinkReport:
    """Undo the batches linked after the earliest new article, then link it all again in link order."""
    linker.current()
    found = rewind.plan(store, ids)
    if found is None:
        raise rewind.CannotRewind("the rewind journal does not reach back to it")
    log.info(
        "an article to link was published before linked ones: undoing %d linked after it", len(found.docs)
    )
    anchors = watchlists.followed_anchors(store)
    prepared = rewind.undo(store, linker, found)
    since = linker.seq  # the first epoch of linking them again
    undone = [doc["id"] for doc in found.docs]
    todo = linkstate.in_link_order(store, [*undone, *ids])
    report = LinkReport(undone=len(undone))
    for start, end in _rewind_batches(len(todo)):
        report.add(_link_and_clear(store, todo[start:end], linker, prepared))
        if progress is not None:
            progress(end, len(todo))
    rewind.keep_ids(store, linker, found, todo, since)
    watchlists.repoint(store, anchors)
    return report


def _relink_for_late(
    store: Store, linker: Linker, progress: Callable[[int, int], None] | None = None
) -> LinkReport:
    """relink, for new articles that come before linked ones; inside the caller's transaction if it
    holds one (nothing is committed before the caller commits)."""
    log.info("an article to link was published before linked ones: linking the archive again in order")
    if not store.conn.in_transaction:
        return _relink_links(store, progress, linker)
    anchors = watchlists.followed_anchors(store)
    linkstate.reset_links(store)
    pending.mark_all(store, "link")
    linker.load()
    ids, report = linkstate.link_order(store), LinkReport()
    for start in range(0, len(ids), RELINK_BATCH):
        report.add(_link_and_clear(store, ids[start : start + RELINK_BATCH], linker))
    watchlists.repoint(store, anchors)
    return report


def relink(
    store: Store, progress: Callable[[int, int], None] | None = None, linker: Linker | None = None
) -> LinkReport:
    """Rebuild every duplicate, story, thread and event from scratch, in publication order, then mine the
    topics again."""
    report = _relink_links(store, progress, linker)
    topics.mine(store)
    return report


def _relink_links(
    store: Store, progress: Callable[[int, int], None] | None = None, linker: Linker | None = None
) -> LinkReport:
    """relink's links, without mining the topics again (a late article's relink leaves that to `marsad
    relink` and `marsad topics --refresh`: the topics' articles stay theirs, only their counts of stories
    can age)."""
    with store.transaction():
        anchors = watchlists.followed_anchors(store)
        linkstate.reset_links(store)
        pending.mark_all(store, "link")  # killed midway, the next ingest links what is left
    if linker is None:
        with closing(Linker(store)) as own:  # made after the reset: old link state may be outdated
            report = _link_in_batches(store, linkstate.link_order(store), own, progress)
    else:
        linker.load()
        report = _link_in_batches(store, linkstate.link_order(store), linker, progress)
    with store.transaction():
        watchlists.repoint(store, anchors)
    return report


def _link_in_batches(
    store: Store, ids: list[int], linker: Linker, progress: Callable[[int, int], None] | None
) -> LinkReport:
    """link_new of `ids`, RELINK_BATCH at a time (each its own transaction), saying how far it got."""
    report = LinkReport()
    for start in range(0, len(ids), RELINK_BATCH):
        report.add(link_new(store, ids[start : start + RELINK_BATCH], linker))
        if progress is not None:
            progress(min(start + RELINK_BATCH, len(ids)), len(ids))
    return report
