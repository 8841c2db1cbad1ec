"""Linking: reposts (MinHash LSH), stories (incremental clustering in a time window), threads (stories
chained over months) and timeline events.

    link_new(store, article_ids)  link newly stored articles, in the order given
    relink(store)                 forget every link and link the whole archive again in publication order

Reads (stories, threads, events) are in marsad.store.stories.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from marsad.link.linker import LinkReport, forget, linker_for
from marsad.store import stories as db
from marsad.store.db import Store

__all__ = ["LinkReport", "link_new", "relink"]

# Articles per link_new call in relink: each call ends with a flush of the link state and a commit, so
# fewer, larger calls are faster, for more memory (the articles of a call are read at once).
RELINK_BATCH = 5000


def link_new(store: Store, article_ids: Iterable[int]) -> LinkReport:
    """Link new (or updated) articles. Give them in publication order for the same result as relink."""
    ids = list(dict.fromkeys(article_ids))
    if not ids:
        return LinkReport()
    linker = linker_for(store)
    if store.conn.in_transaction:
        return linker.link(ids)
    try:
        with store.transaction():
            return linker.link(ids)
    except BaseException:
        forget(store)  # the rollback undid what the cached state holds
        raise


def relink(store: Store, progress: Callable[[int, int], None] | None = None) -> LinkReport:
    """Rebuild every duplicate, story, thread and event from scratch, in publication order."""
    forget(store)
    with store.transaction():
        db.reset_links(store)
    ids = db.link_order(store)
    report = LinkReport()
    for start in range(0, len(ids), RELINK_BATCH):
        report.add(link_new(store, ids[start : start + RELINK_BATCH]))
        if progress is not None:
            progress(min(start + RELINK_BATCH, len(ids)), len(ids))
    return report
