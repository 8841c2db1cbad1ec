"""Linking: reposts (MinHash LSH), stories (incremental clustering in a time window), threads (stories
chained over months) and timeline events.

    link_new(store, article_ids, linker)  link newly stored articles, in the order given
    relink(store, linker)                 forget every link and link the whole archive again
    link_pending(store, linker)           link the articles still marked pending (marsad.store.pending)

Linking gives each article the topics already mined (marsad.link.topics); relink mines them again.

A Linker holds the open window of link state and a worker process; whoever links many batches (an ingest
run, an Archive) keeps one and closes it. Reads (stories, threads, events) are in marsad.store.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from contextlib import closing

from marsad.link import topics
from marsad.link.linker import Linker, LinkReport
from marsad.store import linkstate, pending
from marsad.store.db import Store

__all__ = ["LinkReport", "Linker", "link_new", "link_pending", "relink"]

# Articles per link_new call in relink: each call ends with a flush of the link state and a commit, so
# fewer, larger calls are faster, for more memory (the articles of a call are read at once).
RELINK_BATCH = 5000


def link_new(store: Store, article_ids: Iterable[int], linker: Linker | None = None) -> LinkReport:
    """Link new (or updated) articles with `linker` (a new one, closed after, if none is given). Give them
    in publication order for the same result as relink."""
    ids = list(dict.fromkeys(article_ids))
    if not ids:
        return LinkReport()
    if linker is None:
        with closing(Linker(store)) as own:
            return link_new(store, ids, own)
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
            return _link_in_batches(store, ids, own, progress)
    return _link_in_batches(store, ids, linker, progress)


def relink(
    store: Store, progress: Callable[[int, int], None] | None = None, linker: Linker | None = None
) -> LinkReport:
    """Rebuild every duplicate, story, thread and event from scratch, in publication order, then mine the
    topics again."""
    with store.transaction():
        linkstate.reset_links(store)
        pending.mark_all(store, "link")  # killed midway, the next ingest links what is left
    if linker is None:
        with closing(Linker(store)) as own:  # made after the reset: old link state may be outdated
            report = _link_in_batches(store, linkstate.link_order(store), own, progress)
    else:
        linker.load()
        report = _link_in_batches(store, linkstate.link_order(store), linker, progress)
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
