"""How Marsad starts worker processes (link features, reindex analysis).

Forking is fastest (the worker imports nothing again) but safe only from a process that runs a single
thread: a thread holding a lock at the moment of the fork (an allocator's, a logging handler's) leaves it
locked forever in the child. Tantivy's and SQLite's native threads count, and `threading` does not see
them, so the threads are counted in /proc/self/task. Beside other threads, workers come from a fork server,
itself started clean.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import threading
from multiprocessing.context import BaseContext


def single_threaded() -> bool:
    """True when this process runs exactly one thread, native ones included (False where it cannot tell)."""
    try:
        return len(os.listdir("/proc/self/task")) == 1
    except OSError:
        return False


def worker_context() -> BaseContext:
    if single_threaded():
        return multiprocessing.get_context("fork")
    if threading.current_thread() is threading.main_thread():  # signals can be set here only
        start_fork_server()
    return multiprocessing.get_context("forkserver")


def start_fork_server() -> None:
    """Start multiprocessing's fork server now, from the main thread, with SIGINT ignored (a disposition its
    exec keeps). A process beside other threads gets its workers from the fork server; started by
    multiprocessing itself, it could be importing when a terminal's Ctrl-C reaches the whole process group,
    die with a traceback, and fail the worker starts that wait on it. worker_context() calls this from the
    main thread; a process whose workers are asked for from other threads (`marsad run`) calls it first."""
    import signal
    from multiprocessing import forkserver

    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        forkserver.ensure_running()
    finally:
        signal.signal(signal.SIGINT, previous)


WATCH_SECONDS = 0.2  # how often a worker without pidfd support checks its owner
# Worker processes run this much nicer than their owner: they are batch work (an ingest's link features, a
# reindex's analysis), and at the same priority two of them beside their owner take both cores of a small
# machine from a reader served beside (p99 1.3 s during an ingest on 2 cores, issue 20). Alone on the machine
# they are as fast: a nice value only matters when something else wants the CPU.
WORKER_NICE = 10


def lower_priority(increment: int = WORKER_NICE) -> None:
    """This process's nice value raised by `increment` (a no-op where the system refuses)."""
    with contextlib.suppress(AttributeError, OSError):
        os.nice(increment)


def exit_with(owner: int) -> None:
    """A worker initializer (initargs: the owner's pid, os.getpid() where the pool is made): the worker
    runs at a lower CPU priority (WORKER_NICE) and exits as soon as the Marsad process that owns its pool is
    gone. Killed with SIGKILL, the owner cannot shut its pool down, and its workers would live on: their
    parent is a fork server, which stays while they hold its pipe, or the owner itself. A daemon thread
    waits on a pidfd of the owner (Linux), else polls whether it exists. Unlike PR_SET_PDEATHSIG, this
    watches the owner process, not the thread that happened to start the worker, and works through the fork
    server.

    A worker ignores SIGINT: a terminal's Ctrl-C reaches the whole process group, and the owner decides what
    stops (it finishes or records its batch, then closes its pools); a worker killed first loses its batch."""
    import select
    import signal
    import time

    lower_priority()
    signal.signal(signal.SIGINT, signal.SIG_IGN)

    def gone() -> None:
        os._exit(1)

    def watch() -> None:
        try:
            handle = os.pidfd_open(owner)
        except ProcessLookupError:
            gone()
        except (AttributeError, OSError):  # no pidfd here: poll
            while True:
                try:
                    os.kill(owner, 0)
                except ProcessLookupError:
                    gone()
                except PermissionError:
                    pass
                time.sleep(WATCH_SECONDS)
        select.select([handle], [], [])  # readable once the owner has exited
        gone()

    threading.Thread(target=watch, name="marsad-owner-watch", daemon=True).start()
