"""The part of linking an article that depends only on its own text (features, MinHash signature, LSH band
keys, the dated events of its timeline), done ahead in worker processes while the linker links the articles
before it.

The results are the same as in process (pure functions of the text and publication time), the workers are
started once per Linker (its FeatureWorker) and only for batches worth it, and anything that goes wrong in
them falls back to preparing in process: an article whose text fails is a per-article error, a broken
worker never loses a batch.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from collections.abc import Set as AbstractSet
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass

import numpy as np

from marsad.link import duplicates as dup
from marsad.link.features import (
    Lines,
    article_features,
    lead_shingles,
    line_key,
    line_terms,
    paragraph_heads,
    paragraph_words,
    shingles,
    tf_weights,
    without_attribution,
)
from marsad.link.timeline import Event, article_events
from marsad.workers import exit_with, worker_context

log = logging.getLogger(__name__)
CHUNK = 50  # articles per task sent to the worker
WORKERS = 2  # processes: with each article's dated events found here too, one fell behind the linker
MIN_FOR_WORKER = 4 * CHUNK  # smaller batches are prepared in process: not worth a task round trip
# A large batch starts with chunks this long: the first is prepared in process while the worker starts on
# the rest, and linking one takes longer than the worker takes to prepare the next.
FIRST_CHUNKS = (8, 8, 16, 32)


Text = tuple[str | None, str | None, str | None]  # (title, body, published) of an article to prepare


class Prepared:
    """One article's features, signature, bucket keys and dated events. It crosses from the worker as a few strings and
    byte arrays (see __reduce__): unpickling some 300 shingle strings, two sets and a Counter per article
    cost the linking process a tenth of its time. The shingle sets are made only when asked for."""

    __slots__ = (
        "terms",
        "weights",
        "hashes",
        "numbers",
        "places",
        "shingle_count",
        "signature",
        "keys",
        "events",
        "lines",
        "counts",
        "off_subject",
        "_text",
        "_stored",
        "_lead",
        "_stored_lead",
        "_sets",
    )

    def __init__(
        self,
        terms: list[str],
        weights: np.ndarray,
        hashes: np.ndarray,
        numbers: frozenset[str],
        places: frozenset[str],
        signature: np.ndarray,
        keys: list[int],
        shingle_count: int,
        shingles_text: str,
        stored_text: str | None,
        lead_text: str,
        stored_lead_text: str | None,
        dated: list[Event],
        lines: Lines,
        counts: np.ndarray,
        off_subject: np.ndarray,
    ):
        self.terms = terms  # analysed terms (of Features.terms)
        self.weights = weights  # their tf weights (features.tf_weights)
        self.hashes = hashes  # their hashes (docfreq.term_hash), by which document frequencies are kept
        self.numbers, self.places = numbers, places
        self.shingle_count = shingle_count
        self.signature, self.keys = signature, keys
        self.events = dated  # timeline.events of its body, against its publication time
        self.lines = lines  # its paragraphs' keys and their parts of the term counts
        self.counts = counts  # the weighted count of each of `terms`
        # a multi-subject page's paragraphs off its lead subject (line keys; features.subject_paragraphs)
        self.off_subject = off_subject
        self._text = shingles_text  # the shingles joined by SEP
        self._stored = stored_text  # the same for verification as a stored candidate, None if no different
        self._lead, self._stored_lead = lead_text, stored_lead_text  # the lead's shingles, the same way
        self._sets: dict[str, frozenset[str]] = {}

    def without(self, drop: set[int]) -> tuple[list[str], np.ndarray, np.ndarray]:
        """(terms, tf weights, hashes) of the article less its paragraphs whose keys are in `drop`."""
        lines = self.lines
        dropped = np.flatnonzero(np.isin(lines.keys, np.fromiter(drop, dtype=np.int64, count=len(drop))))
        counts = self.counts - self._line_counts(np.isin(lines.line, dropped))
        kept = np.flatnonzero(counts > 0.25).tolist()  # counts are multiples of a half
        return [self.terms[i] for i in kept], tf_weights(counts[kept]), self.hashes[kept]

    def opening_counts(self, drop: set[int]) -> tuple[np.ndarray, np.ndarray]:
        """The weighted term counts of its opening, the title and the first paragraph whose key is not in
        `drop` (a share bar or a dateline its outlet repeats, a multi-subject page's other subjects): the
        positions of its terms in `terms`, and their counts."""
        lines = self.lines
        counts = self.counts - self._line_counts(slice(None))  # the title's part
        first = next((i for i, key in enumerate(lines.keys.tolist()) if key not in drop), None)
        if first is not None:
            counts += self._line_counts(lines.line == first)
        kept = np.flatnonzero(counts > 0.25)  # counts are multiples of a half
        return kept, counts[kept]

    def _line_counts(self, rows: np.ndarray | slice) -> np.ndarray:
        """The weighted count of each of `terms` in these rows of its lines' parts (Lines.term / count)."""
        lines = self.lines
        return np.bincount(lines.term[rows], weights=lines.count[rows], minlength=len(self.terms))

    def on_subject(
        self,
        common: set[int],
        terms: list[str],
        hashes: np.ndarray,
        dfs: np.ndarray,
        outlet: tuple[np.ndarray, int] | None,
    ) -> tuple[list[str], np.ndarray, np.ndarray, np.ndarray, tuple[np.ndarray, int] | None]:
        """A multi-subject page's (terms, tf weights, hashes, document frequencies, outlet frequencies) of
        its title and lead subject, from those of its whole text less the lines `common` (terms, hashes,
        dfs, outlet): what it joins a story with and adds to it. Its other subjects add nothing."""
        on, weights, _ = self.without(common | set(self.off_subject.tolist()))
        at = {term: i for i, term in enumerate(terms)}
        rows = np.array([at[term] for term in on], dtype=np.int64)
        return (
            on,
            weights,
            hashes[rows],
            dfs[rows],
            None if outlet is None else (outlet[0][rows], outlet[1]),
        )

    def shingle_set(self) -> frozenset[str]:
        """The article's shingles, as its repost search verifies candidates against."""
        return self._set("_text")

    def lead_set(self) -> frozenset[str]:
        """The shingles of its lead (features.lead_shingles)."""
        return self._set("_lead")

    def stored_set(self) -> frozenset[str]:
        """The shingles verifying this article as a stored candidate reads (from its stored body's lines)."""
        return self._set("_text" if self._stored is None else "_stored")

    def stored_lead_set(self) -> frozenset[str]:
        """The lead's shingles, read the same way as stored_set."""
        return self._set("_lead" if self._stored_lead is None else "_stored_lead")

    def _set(self, slot: str) -> frozenset[str]:
        found = self._sets.get(slot)
        if found is None:
            text = getattr(self, slot)
            found = self._sets[slot] = frozenset(text.split(SEP)) if text else frozenset()
        return found

    def __reduce__(self):
        return (
            _rebuild,
            (
                SEP.join(self.terms),
                self.weights.tobytes(),
                self.hashes.tobytes(),
                SEP.join(self.numbers),
                SEP.join(self.places),
                self.signature.astype(np.uint32).tobytes(),
                np.asarray(self.keys, dtype=np.int64).tobytes(),
                self.shingle_count,
                self._text,
                self._stored,
                self._lead,
                self._stored_lead,
                self.events,
                self.lines.keys.tobytes(),
                self.lines.line.tobytes(),
                self.lines.term.tobytes(),
                self.lines.count.tobytes(),
                self.lines.heads.tobytes(),
                self.lines.openings.tobytes(),
                self.counts.tobytes(),
                self.off_subject.tobytes(),
            ),
        )


SEP = "\n"  # analysed words hold no line break


def _split(text: str) -> list[str]:
    return text.split(SEP) if text else []


def _rebuild(
    terms,
    weights,
    hashes,
    numbers,
    places,
    signature,
    keys,
    count,
    shingles_text,
    stored_text,
    lead,
    stored_lead,
    dated,
    line_keys_,
    line_rows,
    term_rows,
    count_rows,
    head_rows,
    openings,
    counts,
    off_subject,
) -> Prepared:
    return Prepared(
        _split(terms),
        np.frombuffer(weights, dtype=np.float64),
        np.frombuffer(hashes, dtype=np.int64),
        frozenset(_split(numbers)),
        frozenset(_split(places)),
        np.frombuffer(signature, dtype=np.uint32),
        np.frombuffer(keys, dtype=np.int64).tolist(),
        count,
        shingles_text,
        stored_text,
        lead,
        stored_lead,
        dated,
        Lines(
            np.frombuffer(line_keys_, dtype=np.int64),
            np.frombuffer(line_rows, dtype=np.int64),
            np.frombuffer(term_rows, dtype=np.int64),
            np.frombuffer(count_rows, dtype=np.float64),
            np.frombuffer(head_rows, dtype=np.int64),
            np.frombuffer(openings, dtype=np.int64),
        ),
        np.frombuffer(counts, dtype=np.float64),
        np.frombuffer(off_subject, dtype=np.int64),
    )


@dataclass
class Failed:
    message: str  # "ExceptionType: text", as the link report lists errors


def stored_lines(body: str) -> tuple[np.ndarray, np.ndarray]:
    """The distinct keys (features.line_key) of a stored article's paragraphs and their heads
    (features.head_key; 0 for its lead), as Lines holds them."""
    kept = without_attribution([p for p in body.split("\n") if p.strip()])
    words_by_paragraph = paragraph_words(kept)
    keys: dict[int, int] = {}
    for words, head in zip(words_by_paragraph, paragraph_heads(kept, words_by_paragraph), strict=True):
        if words:
            keys.setdefault(line_key(words), head if keys else 0)
    return (
        np.fromiter(keys, dtype=np.int64, count=len(keys)),
        np.fromiter(keys.values(), dtype=np.int64, count=len(keys)),
    )


def without_lines(body: str, drop: AbstractSet[int]) -> str:
    """The body less the paragraphs whose line_key is in `drop` (blank lines stay, as they were)."""
    if not drop:
        return body
    lines = body.split("\n")
    words = paragraph_words(lines)
    return "\n".join(line for line, w in zip(lines, words, strict=True) if not (w and line_key(w) in drop))


def prepare(title: str | None, body: str | None, published: str | None = None) -> Prepared:
    lines = (body or "").split("\n")
    paragraphs = [p for p in lines if p.strip()]
    features = article_features(title or "", paragraphs)
    sig = dup.signature(features.shingles)
    # A stored candidate's shingles are taken from its stored body's lines, blank ones included (they
    # move the edges where an attribution line is looked for): the same as its own but for blank lines.
    stored, stored_lead = None, None
    if len(lines) != len(paragraphs):
        stored, stored_lead = (SEP.join(found) for found in stored_shingles(body or ""))
    return Prepared(
        list(features.terms),
        tf_weights(features.terms),
        np.array(features.hashes, dtype=np.int64),
        features.numbers,
        features.places,
        sig,
        dup.band_keys(sig),
        len(features.shingles),
        SEP.join(features.shingles),
        stored,
        SEP.join(features.lead),
        stored_lead,
        article_events(body, published),
        features.lines or line_terms([], [], features.terms),
        np.fromiter(features.terms.values(), dtype=np.float64, count=len(features.terms)),
        np.array(sorted(features.off_subject), dtype=np.int64),
    )


def stored_shingles(body: str) -> tuple[list[str], list[str]]:
    """The shingles, and those of the lead, repost verification compares a stored candidate by, from its
    stored body."""
    words = paragraph_words(without_attribution(body.split("\n")))
    return shingles(words), lead_shingles(words)


def prepare_many(texts: list[Text]) -> list[Prepared | Failed]:
    out: list[Prepared | Failed] = []
    for title, body, published in texts:
        try:
            out.append(prepare(title, body, published))
        except Exception as exc:  # one bad article must not lose the others
            out.append(Failed(f"{type(exc).__name__}: {exc}"))
    return out


class FeatureWorker:
    """The worker processes that prepare articles ahead of the linker: started on first use for a batch
    worth it (forked from a single-threaded process, else from a fork server: see marsad.workers), and shut
    down by close(). Workers that fail once are not tried again: their owner prepares in process from then."""

    def __init__(self) -> None:
        self._executor: ProcessPoolExecutor | None = None
        self.disabled = False

    def _pool(self) -> ProcessPoolExecutor | None:
        if self._executor is None and not self.disabled:
            try:
                self._executor = ProcessPoolExecutor(
                    max_workers=WORKERS,
                    mp_context=worker_context(),
                    initializer=exit_with,
                    initargs=(os.getpid(),),
                )
            except (OSError, ValueError) as exc:
                self._disable(exc)
        return self._executor

    def _disable(self, exc: BaseException) -> None:
        log.warning("link feature worker failed (%s: %s): preparing in process", type(exc).__name__, exc)
        self.disabled = True
        self.close(wait=False)

    def close(self, wait: bool = True) -> None:
        if self._executor is not None:
            self._executor.shutdown(wait=wait, cancel_futures=True)
            self._executor = None

    def _collect(self, future: Future, texts: list[Text]) -> list[Prepared | Failed]:
        """A worker task's results, or the chunk prepared in process if the worker failed."""
        if not self.disabled:
            try:
                return future.result()
            except Exception as exc:  # a dead worker (BrokenProcessPool), a pickling error...
                self._disable(exc)
        return prepare_many(texts)

    def chunks(self, texts: list[Text]) -> Iterator[list[Prepared | Failed]]:
        """prepare() of each (title, body, published), in order, CHUNK at a time. For a large batch the
        first (short) chunk is prepared here while the worker starts on the rest."""
        executor = self._pool() if len(texts) >= MIN_FOR_WORKER else None
        chunks = _chunked(texts, FIRST_CHUNKS if executor is not None else ())
        futures: list[Future] = []
        if executor is not None:
            try:
                futures = [executor.submit(prepare_many, chunk) for chunk in chunks[1:]]
            except Exception as exc:  # the pool broke since the last batch
                self._disable(exc)
                futures = []
        try:
            for i, chunk in enumerate(chunks):
                yield self._collect(futures[i - 1], chunk) if futures and i else prepare_many(chunk)
        finally:
            for future in futures:
                future.cancel()


def _chunked(texts: list, first: tuple[int, ...]) -> list[list]:
    """`texts` cut into chunks of the `first` lengths, then of CHUNK."""
    chunks, start = [], 0
    for size in first:
        chunks.append(texts[start : start + size])
        start += size
    chunks.extend(texts[i : i + CHUNK] for i in range(start, len(texts), CHUNK))
    return [c for c in chunks if c]
