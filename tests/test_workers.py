"""Worker processes are forked only from a single-threaded process (native threads counted)."""

from __future__ import annotations

import subprocess
import sys
import threading

from marsad.workers import single_threaded, worker_context


def test_a_fresh_process_forks_and_one_beside_a_native_thread_does_not():
    code = (
        "import sqlite3\nfrom marsad.workers import worker_context\n"
        "print(worker_context().get_start_method())\n"
        "import tantivy\n"
        "schema = tantivy.SchemaBuilder().add_text_field('t').build()\n"
        # the writer runs native threads while it lives (kept in a name: a dropped writer joins them at once)
        "index = tantivy.Index(schema)\nwriter = index.writer(15_000_000, 1)\n"
        "print(worker_context().get_start_method())\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["fork", "forkserver"]


def test_a_python_thread_counts():
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        assert not single_threaded()
        assert worker_context().get_start_method() == "forkserver"
    finally:
        stop.set()
        thread.join()
