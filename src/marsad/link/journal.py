"""The rewind journal of one linked batch (an epoch): the stories, threads and reposts groups it changes,
as they were before it, recorded just before each first write (marsad.store.rewind keeps it). A late
article undoes the epochs linked after its time from these (marsad.link.rewind); the rest of what linking
made is undone from the articles themselves (link docs, events, document frequencies)."""

from __future__ import annotations

from collections.abc import Iterable

from marsad.store import rewind as undo_rows
from marsad.store.db import Store

# Epochs whose first article comes this many days (of publication time) before the last linked article
# are dropped from the journal: an article later than that is linked by a full relink.
JOURNAL_DAYS = 30.0
PRUNE_AT_ONCE = 200


class Journal:
    def __init__(self, store: Store, epoch: int, head: dict):
        self.store, self.epoch, self.head = store, epoch, head
        self.stories: dict[int, list | None] = {}  # id -> row before the epoch, None: made in it
        self.threads: dict[int, list | None] = {}
        self.groups: dict[int, int | None] = {}  # article id -> duplicate_of before the epoch
        self.relinked = False  # an article linked before was linked again (its text changed)

    def made_stories(self, ids: Iterable[int]) -> None:
        for sid in ids:
            self.stories.setdefault(sid, None)

    def made_thread(self, thread_id: int) -> None:
        self.threads.setdefault(thread_id, None)

    def before_stories(self, ids: Iterable[int]) -> None:
        self._before(self.stories, ids, undo_rows.story_rows)

    def before_threads(self, ids: Iterable[int]) -> None:
        self._before(self.threads, ids, undo_rows.thread_rows)

    def _before(self, kept: dict[int, list | None], ids: Iterable[int], read) -> None:
        """Keep the rows of `ids` not kept yet, as they are before the epoch writes them (None: no row)."""
        missing = [i for i in ids if i not in kept]
        if missing:
            found = read(self.store, missing)
            for i in missing:
                kept[i] = found.get(i)

    def before_thread_delete(self, thread_id: int) -> None:
        """A thread is deleted and its stories leave it."""
        self.before_threads([thread_id])
        self.before_stories(undo_rows.thread_story_ids(self.store, thread_id))

    def before_regroup(self, original_id: int) -> None:
        for article_id, duplicate_of in undo_rows.group_links(self.store, original_id).items():
            self.groups.setdefault(article_id, duplicate_of)

    def save(self, frontier_instant: float | None) -> None:
        """Keep this epoch, and drop those too old to be rewound to."""
        body = {"stories": self.stories, "threads": self.threads, "groups": self.groups}
        undo_rows.save_epoch(self.store, self.epoch, {**self.head, "relinked": self.relinked}, body)
        if frontier_instant is None:
            return
        old = [
            epoch
            for epoch, head in undo_rows.oldest_heads(self.store, PRUNE_AT_ONCE)
            if head["first"] < frontier_instant - JOURNAL_DAYS
        ]
        undo_rows.drop_epochs(self.store, old)
