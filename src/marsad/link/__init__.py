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
order) makes the whole archive be linked again in link order, as relink does. Only that gives the same
stories, reposts and threads: an article's vector depends on the document frequencies of the articles
before it, a story's centroid on its members in order, a thread's profile on its stories over months,
none of which can be taken back to the late article's time. An ingest run therefore links its articles
once, at its end, when any of them came late (marsad.ingest.pipeline).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from contextlib import closing

from marsad.link import topics
from marsad.link.linker import Linker, LinkReport
from marsad.store import linkstate, pending, watchlists
from marsad.store.db import Store

__all__ = ["LinkReport", "Linker", "link_new", "link_pending", "relink"]
log = logging.getLogger(__name__)

# Articles per link_new call in relink: each call ends with a flush of the link state and a commit, so
# fewer, larger calls are faster, for more memory (the articles of a call are read at once).
RELINK_BATCH = 5000


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
        return _relink_for_late(store, linker)
    linker.current()
    if store.conn.in_transaction:
        return _link_and_clear(store, ids, linker)
    try:
        with store.transaction():
            return _link_and_clear(store, ids, linker)
    except BaseException:
        linker.load()  # the rollback undid what its state holds
        raise


def _link_and_clear(store: Store, ids: list[int], linker: Linker) -> LinkReport:
    """Link, and drop the articles' pending 'link' marks in the same transaction (marsad.store.pending)."""
    report = linker.link(ids)
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
        return _relink_for_late(store, linker, progress)
    return _link_in_batches(store, ids, linker, progress)


def _relink_for_late(
    store: Store, linker: Linker, progress: Callable[[int, int], None] | None = None
) -> LinkReport:
    """relink, for new articles that come before linked ones; inside the caller's transaction if it
    holds one (nothing is committed before the caller commits)."""
    log.info("an article to link was published before linked ones: linking the archive again in order")
    if not store.conn.in_transaction:
        return relink(store, progress, linker)
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
    topics.mine(store)
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
