"""The bounded rewind: a late article (one that comes in link order before articles already linked) undoes
what linking did from the batch of its time on, then it and the undone articles are linked together in
link order (marsad.link.link_new). The result is what linking the archive again would give, for the cost
of what is undone.

How each piece of link state is brought back to the start of that batch (an epoch):
- stories and threads, and the reposts groups a later original took over: their rows as they were, from
  the epoch journal (marsad.link.journal); those the undone batches made are deleted;
- link docs, events, stories and reposts groups of the undone articles: deleted, the article rows cleared;
- document frequencies (terms, outlets' terms and lines, outlets' counts): preparing an article is a pure
  function of its text, so each undone article's counts are taken back, the last linked first (which of
  its lines were its outlet's is read as it was then);
- n_docs, the newest time linked and the frontier (the last article in link order): from the epoch's
  header; seq goes on (later seqs still follow link order);
- the linker's window (open stories, threads, repost window): loaded from the store so restored.

Stories and threads that lose no members keep their ids: restored rows keep theirs, and one made again
from undone articles takes the id of the deleted one it shares the most articles with.

A full relink is kept when the journal does not reach back to the late article's time (an article later
than JOURNAL_DAYS, a store linked before the journal was kept), when an undone batch linked again an
article whose text changed (its counts were made from its old text), or when an undone article cannot be
prepared again."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from itertools import chain
from typing import Any

from marsad.link.linker import (
    LINE_COMMON,
    Linker,
    frequency_keys,
    line_count_keys,
    opening_count_keys,
    teaser_lines,
)
from marsad.link.prepare import Failed, Prepared
from marsad.store import linkstate
from marsad.store import rewind as undo_rows
from marsad.store.db import Store

log = logging.getLogger(__name__)
# Undone articles kept prepared for linking them again, at most (a prepared article holds its terms and
# shingles: tens of KB).
KEEP_PREPARED = 5000


class CannotRewind(Exception):
    """The late articles must be linked by a full relink (the reason given); nothing was written."""


@dataclass
class Plan:
    epochs: list[int]  # the epochs to undo, the newest first
    head: dict  # the oldest one's header: the state before it
    docs: list[Any]  # the articles they linked, in link order (marsad.store.rewind.undone_docs)


def plan(store: Store, ids: list[int]) -> Plan | None:
    """What a rewind for the new articles of `ids` undoes, or None when the journal does not reach back
    to the earliest of them."""
    new = linkstate.new_keys(store, ids)
    if not new:
        return None
    first, epochs = min(new), []
    for epoch, head in undo_rows.heads_from_newest(store):
        if head["relinked"]:
            return None
        epochs.append(epoch)
        before = head["frontier"]
        if before is None or tuple(before) < first:
            docs = undo_rows.undone_docs(store, epoch)
            if before is not None and any(_key(d) <= tuple(before) for d in docs):
                return None  # linked out of order (its text changed): not what the journal assumed
            return Plan(epochs, head, docs)
    return None


def _key(doc: Any) -> tuple:
    return linkstate.link_key(doc["instant"], doc["url"], doc["id"])


def undo(store: Store, linker: Linker, found: Plan) -> dict[int, Prepared]:
    """Bring the store and `linker` back to the state before the plan's oldest epoch (inside the caller's
    transaction); returns the undone articles prepared (linking them again needs them)."""
    prepared = _take_back_frequencies(linker, found.docs)
    before = (linkstate.max_story_id(store), undo_rows.max_thread_id(store))
    stories: dict[int, list | None] = {}
    threads: dict[int, list | None] = {}
    groups: dict[int, int | None] = {}
    bodies = undo_rows.epoch_bodies(store, found.epochs)
    for body in (bodies[epoch] for epoch in found.epochs):  # the newest first
        stories.update((int(k), v) for k, v in body["stories"].items())  # the oldest state stays
        threads.update((int(k), v) for k, v in body["threads"].items())
        groups.update((int(k), v) for k, v in body["groups"].items())
    undone = {doc["id"] for doc in found.docs}
    undo_rows.forget_articles(store, sorted(undone))
    undo_rows.restore_groups(store, {aid: dup for aid, dup in groups.items() if aid not in undone})
    undo_rows.restore_threads(store, [row for row in threads.values() if row is not None])
    undo_rows.restore_stories(store, [row for row in stories.values() if row is not None])
    undo_rows.delete_stories(store, [sid for sid, row in stories.items() if row is None])
    undo_rows.delete_threads(store, [tid for tid, row in threads.items() if row is None])
    linkstate.save_df(store, linker.df.changed())
    head = found.head
    linkstate.set_meta(store, "n_docs", head["n_docs"])
    undo_rows.set_or_forget_meta(store, "newest", head["newest"])
    linkstate.set_frontier(store, None if head["frontier"] is None else tuple(head["frontier"]))
    undo_rows.drop_epochs(store, found.epochs)
    linker.n_docs = head["n_docs"]
    linker.id_floor = before
    linker.load_window()
    return prepared


def _take_back_frequencies(linker: Linker, docs: list[Any]) -> dict[int, Prepared]:
    """Take each undone article's counts out of the linker's document frequencies, the last linked first;
    returns them prepared (up to KEEP_PREPARED of them: linking more again prepares them again). On failure
    the linker is loaded again from the store (nothing was written) and CannotRewind raised."""
    last_first = docs[::-1]
    texts = [(doc["title"], doc["body"], doc["published"]) for doc in last_first]
    kept: dict[int, Prepared] = {}
    try:
        for doc, ready in zip(last_first, chain.from_iterable(linker.worker.chunks(texts)), strict=True):
            if isinstance(ready, Failed):
                raise CannotRewind(f"article {doc['id']} could not be prepared again: {ready.message}")
            _uncount(linker, doc["outlet_key"], ready)
            if len(docs) <= KEEP_PREPARED:
                kept[doc["id"]] = ready
    except (CannotRewind, ValueError) as exc:
        linker.load()
        raise CannotRewind(str(exc)) from exc
    return kept


def _uncount(linker: Linker, outlet_key: str | None, prepared: Prepared) -> None:
    """What Linker._dropped_lines and Linker._frequencies counted for this article, taken back (in the
    reverse order: the teasers are found as they were before its openings were counted)."""
    df, lines, common = linker.df, prepared.lines, set()
    if outlet_key and len(lines.keys):
        keys = line_count_keys(outlet_key, lines.keys)
        common = set(lines.keys[df.lookup(keys) >= LINE_COMMON].tolist())
        df.uncount(keys)
    if outlet_key:
        if len(lines.openings):
            df.uncount(opening_count_keys(outlet_key, lines.openings))
        common |= teaser_lines(df, outlet_key, lines.keys, lines.heads)
    hashes = prepared.without(common)[2] if common else prepared.hashes
    df.uncount(frequency_keys(outlet_key, hashes))


def keep_ids(store: Store, linker: Linker, found: Plan, linked: list[int], since: int) -> None:
    """Give the stories and threads made while linking again (from epoch `since` on) the ids of the deleted
    ones they continue (the one each shares the most articles with), then forget the id floor."""
    story_floor, thread_floor = linker.id_floor
    linker.id_floor = (0, 0)
    now = undo_rows.story_members(store, linked)
    old_story = {doc["id"]: doc["story_id"] for doc in found.docs if doc["story_id"] is not None}
    old_thread = {doc["id"]: doc["thread_id"] for doc in found.docs if doc["thread_id"] is not None}
    gone_stories = set(old_story.values()) - _existing(store, "story", old_story)
    gone_threads = set(old_thread.values()) - _existing(store, "thread", old_thread)
    moved = _match(
        [(aid, old_story.get(aid), sid) for aid, sid, _ in now], gone_stories, lambda sid: sid > story_floor
    )
    for new, old in moved.items():
        undo_rows.renumber(store, "story", new, old)
    threads = _match(
        [(aid, old_thread.get(aid), tid) for aid, _, tid in now], gone_threads, lambda tid: tid > thread_floor
    )
    for new, old in threads.items():
        undo_rows.renumber(store, "thread", new, old)
    if moved or threads:
        undo_rows.renumber_in_epochs(store, since, moved, threads)
        linker.load_window()


def _existing(store: Store, table: str, ids: dict[int, int]) -> set[int]:
    return undo_rows.existing_ids(store, table, sorted(set(ids.values())))


def _match(pairs: list[tuple[int, int | None, int | None]], gone: set[int], fresh) -> dict[int, int]:
    """new id -> deleted id, each at most once, by the most articles shared (then the smaller ids)."""
    shared: dict[tuple[int, int], int] = {}
    for _, old, new in pairs:
        if old in gone and new is not None and fresh(new):
            shared[(new, old)] = shared.get((new, old), 0) + 1
    out: dict[int, int] = {}
    taken: set[int] = set()
    for (new, old), _ in sorted(shared.items(), key=lambda kv: (-kv[1], kv[0])):
        if new not in out and old not in taken:
            out[new] = old
            taken.add(old)
    return out
