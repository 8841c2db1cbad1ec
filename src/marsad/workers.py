"""How Marsad starts worker processes (link features, reindex analysis).

Forking is fastest (the worker imports nothing again) but safe only from a process that runs a single
thread: a thread holding a lock at the moment of the fork (an allocator's, a logging handler's) leaves it
locked forever in the child. Tantivy's and SQLite's native threads count, and `threading` does not see
them, so the threads are counted in /proc/self/task. Beside other threads, workers come from a fork server,
itself started clean.
"""

from __future__ import annotations

import multiprocessing
import os
from multiprocessing.context import BaseContext


def single_threaded() -> bool:
    """True when this process runs exactly one thread, native ones included (False where it cannot tell)."""
    try:
        return len(os.listdir("/proc/self/task")) == 1
    except OSError:
        return False


def worker_context() -> BaseContext:
    return multiprocessing.get_context("fork" if single_threaded() else "forkserver")
