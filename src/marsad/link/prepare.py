"""The part of linking an article that depends only on its own text (features, MinHash signature, LSH band
keys), done ahead in a worker process while the linker links the articles before it.

On two cores this takes a third of the work off the linking process. The results are the same as in
process (pure functions of the text), the worker is started once per process and only for batches worth
it, and anything that goes wrong in it falls back to preparing in process: an article whose text fails is
a per-article error, a broken worker never loses a batch.
"""

from __future__ import annotations

import atexit
import logging
import multiprocessing
import threading
import time
from collections.abc import Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass

import numpy as np

from marsad.link import duplicates as dup
from marsad.link.features import Features, article_features, paragraph_words, shingles, without_attribution

log = logging.getLogger(__name__)
CHUNK = 50  # articles per task sent to the worker
MIN_FOR_WORKER = 4 * CHUNK  # smaller batches are prepared in process: not worth a task round trip


@dataclass
class Prepared:
    features: Features
    signature: np.ndarray
    keys: list[int]
    shingle_set: frozenset[str]  # features.shingles, to verify repost candidates against
    stored_shingles: frozenset[str]  # what verifying this article as a stored candidate reads (see linker)


@dataclass
class Failed:
    message: str  # "ExceptionType: text", as the link report lists errors


def prepare(title: str | None, body: str | None) -> Prepared:
    lines = (body or "").split("\n")
    paragraphs = [p for p in lines if p.strip()]
    features = article_features(title or "", paragraphs)
    sig = dup.signature(features.shingles)
    mine = frozenset(features.shingles)
    # A stored candidate's shingles are taken from its stored body's lines, blank ones included (they
    # move the edges where an attribution line is looked for); the same as its own but for blank lines.
    stored = mine if len(lines) == len(paragraphs) else frozenset(stored_shingles(body or ""))
    return Prepared(features, sig, dup.band_keys(sig), mine, stored)


def stored_shingles(body: str) -> list[str]:
    """The shingles repost verification compares a stored candidate by, from its stored body."""
    return shingles(paragraph_words(without_attribution(body.split("\n"))))


def prepare_many(texts: list[tuple[str | None, str | None]]) -> list[Prepared | Failed]:
    out: list[Prepared | Failed] = []
    for title, body in texts:
        try:
            out.append(prepare(title, body))
        except Exception as exc:  # one bad article must not lose the others
            out.append(Failed(f"{type(exc).__name__}: {exc}"))
    return out


_EXECUTOR: ProcessPoolExecutor | None = None
_DISABLED = False  # set when the worker cannot be used in this process


def _executor() -> ProcessPoolExecutor | None:
    """The worker, started on first use. Forked, so that it imports nothing (spawn would import the main
    module again), and only from a process that runs no other thread (forking those is unsafe)."""
    global _EXECUTOR
    if _EXECUTOR is None and not _DISABLED and threading.active_count() == 1:
        try:
            _EXECUTOR = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("fork"))
        except (OSError, ValueError) as exc:
            _disable(exc)
    return _EXECUTOR


def _disable(exc: BaseException) -> None:
    """Prepare in process from now on (a worker that failed once is not tried again)."""
    global _DISABLED
    log.warning("link feature worker failed (%s: %s): preparing in process", type(exc).__name__, exc)
    _DISABLED = True
    shutdown(wait=False)


def shutdown(wait: bool = True) -> None:
    global _EXECUTOR
    if _EXECUTOR is not None:
        _EXECUTOR.shutdown(wait=wait, cancel_futures=True)
        _EXECUTOR = None


atexit.register(shutdown)


def _collect(future: Future, texts: list[tuple[str | None, str | None]]) -> list[Prepared | Failed]:
    """A worker task's results, or the chunk prepared in process if the worker failed."""
    if not _DISABLED:
        try:
            return future.result()
        except Exception as exc:  # a dead worker (BrokenProcessPool), a pickling error...
            _disable(exc)
    return prepare_many(texts)


def prepared_chunks(texts: list[tuple[str | None, str | None]]) -> Iterator[list[Prepared | Failed]]:
    """prepare() of each (title, body), in order, CHUNK at a time. For a large batch the first chunk is
    prepared here while the worker starts on the rest."""
    chunks = [texts[i : i + CHUNK] for i in range(0, len(texts), CHUNK)]
    executor = _executor() if len(texts) >= MIN_FOR_WORKER else None
    futures: list[Future] = []
    if executor is not None:
        try:
            futures = [executor.submit(prepare_many, chunk) for chunk in chunks[1:]]
        except Exception as exc:  # the pool broke since the last batch
            _disable(exc)
            futures = []
    try:
        for i, chunk in enumerate(chunks):
            yield _collect(futures[i - 1], chunk) if futures and i else prepare_many(chunk)
    finally:
        for future in futures:
            future.cancel()


def _cpu_seconds() -> float:
    return time.process_time()


def worker_cpu_seconds() -> float:
    """CPU seconds the worker process has used so far (0 without one), for benchmarks."""
    if _EXECUTOR is None:
        return 0.0
    try:
        return _EXECUTOR.submit(_cpu_seconds).result(timeout=60)
    except Exception:
        return 0.0
