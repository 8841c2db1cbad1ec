"""Crash-proof ingest with linking and indexing (issue 20, item 3).

A batch's articles are marked pending 'link' and 'index' in the transaction that stores them
(marsad.store.pending); a run killed between that commit and its linking or indexing leaves the marks, and
the next run finishes them first, in publication order across them. These tests kill `marsad ingest` of an
ANT subset with SIGKILL at seeded random moments (twice per rerun chain), rerun it to completion, and
compare stories, reposts, threads and search results with an uninterrupted run; and check that no worker
process outlives a killed ingest.
"""

from __future__ import annotations

import gzip
import hashlib
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from marsad.archive import Archive
from marsad.ingest import ingest, pipeline
from marsad.search import search
from marsad.search.engine import search_ids
from marsad.search.index import forget
from marsad.store import pending
from marsad.store.db import Store

pytestmark = pytest.mark.realdata

LINES = 800  # two ingest batches (500, 300): commits, linking, the first (whole) index build and an update
SEED = 20261206
KILLS = 10  # SIGKILLs that landed (a rerun may end before its kill moment: then one more chain runs)
KILLS_PER_CHAIN = 3  # killed, rerun and killed again (maybe while finishing what was left), ..., then run
MAX_CHAINS = 10  # reruns that end before their kill moment land none: room for a loaded machine
QUERIES = ("الحكومة", "لبنان", "ترامب", "سوريا", '"الأمم المتحدة"')
WORKER_GRACE = 5.0  # seconds a worker may take to notice its parent is gone

pytestmark = pytest.mark.sqlite_only("runs marsad in a subprocess on a SQLite file")


@pytest.fixture(scope="module")
def subset(ant_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The first LINES lines of ANT, as a .jsonl.gz of their own (in a temp folder, never the repo)."""
    path = tmp_path_factory.mktemp("antsub") / "ant-subset.jsonl.gz"
    with gzip.open(ant_path, "rt", encoding="utf-8") as src, gzip.open(path, "wt", encoding="utf-8") as out:
        for n, line in enumerate(src):
            if n >= LINES:
                break
            out.write(line)
    return path


def _command(subset: Path, db: Path) -> list[str]:
    return [sys.executable, "-m", "marsad.cli", "ingest", str(subset), "--db", str(db), "--json"]


def snapshot(db: Path) -> dict:
    """What a run ends with: every article's (duplicate_of, story, thread) with its story's title and span
    (as benchmarks/link.py links_digest), the counts of stories, threads and events, and for each query the
    search total (collapsed by story) and the ids matched; plus the work still pending."""
    with Store(db) as store:
        rows = store.conn.execute(
            "SELECT a.id, a.url, a.duplicate_of, a.story_id, s.thread_id, s.title, s.first_seen, s.last_seen"
            " FROM article a LEFT JOIN story s ON s.id = a.story_id ORDER BY a.id"
        ).fetchall()
        counts = {
            table: store.conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            for table in ("article", "story", "thread", "event", "link_doc")
        }
        found = {q: (search(store, q).total, sorted(search_ids(store, q))) for q in QUERIES}
        waiting = pending.counts(store)
        forget(store)
    return {
        "links": hashlib.sha1(repr([tuple(r) for r in rows]).encode()).hexdigest()[:12],
        "unlinked": sum(1 for r in rows if r["story_id"] is None and r["duplicate_of"] is None),
        "counts": counts,
        "search": found,
        "pending": waiting,
    }


@pytest.fixture(scope="module")
def clean(subset: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[dict, float]:
    """The uninterrupted run's snapshot, and how long the run took (the kill moments are drawn within it)."""
    db = tmp_path_factory.mktemp("clean") / "clean.db"
    started = time.monotonic()
    done = subprocess.run(_command(subset, db), capture_output=True, text=True, timeout=300)
    elapsed = time.monotonic() - started
    assert done.returncode == 0, done.stderr
    state = snapshot(db)
    assert state["counts"]["story"] > 100 and state["unlinked"] == 0
    assert state["pending"] == {"link": 0, "index": 0}
    assert all(total > 0 for total, _ in state["search"].values())
    return state, elapsed


# --- processes ------------------------------------------------------------------------------------------


def _parents() -> dict[int, int]:
    """pid -> parent pid of every live process (zombies left out: they are dead, only not yet reaped)."""
    out = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()
        if fields[0] != "Z":
            out[int(entry)] = int(fields[1])
    return out


def descendants(pid: int) -> set[int]:
    parents = _parents()
    found, frontier = set(), {pid}
    while frontier:
        frontier = {child for child, parent in parents.items() if parent in frontier} - found
        found |= frontier
    return found


def _alive(pids: set[int]) -> set[int]:
    parents = _parents()
    return {pid for pid in pids if pid in parents}


def kill_after(command: list[str], delay: float) -> tuple[bool, set[int]]:
    """Run `command`, SIGKILL it after `delay` seconds; returns whether it was killed (not ended before)
    and its child processes alive at the kill."""
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        time.sleep(delay)
        children = descendants(process.pid)
    finally:
        if process.poll() is None:
            os.kill(process.pid, signal.SIGKILL)
        process.wait()
    assert process.returncode in (0, -signal.SIGKILL)
    return process.returncode == -signal.SIGKILL, children


def wait_gone(pids: set[int], grace: float = WORKER_GRACE) -> set[int]:
    deadline = time.monotonic() + grace
    while (left := _alive(pids)) and time.monotonic() < deadline:
        time.sleep(0.1)
    return left


def _state(db: Path) -> tuple[int, int, int]:
    """(articles, pending link, pending index) committed so far."""
    if not db.exists():
        return 0, 0, 0
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=10)
    try:
        articles = conn.execute("SELECT count(*) FROM article").fetchone()[0]
        marks = dict(conn.execute("SELECT kind, count(*) FROM pending_work GROUP BY kind").fetchall())
    except sqlite3.OperationalError:  # killed before the schema was made
        return 0, 0, 0
    finally:
        conn.close()
    return articles, marks.get("link", 0), marks.get("index", 0)


# --- the tests ------------------------------------------------------------------------------------------


def test_sigkill_at_random_moments_then_a_rerun_ends_as_the_clean_run(
    subset: Path, clean: tuple[dict, float], tmp_path: Path
) -> None:
    expected, elapsed = clean
    rng = random.Random(SEED)
    moments: list[tuple[int, float, bool, tuple[int, int, int]]] = []
    chain = 0
    while sum(killed for _, _, killed, _ in moments) < KILLS and chain < MAX_CHAINS:
        db = tmp_path / f"chain{chain}.db"
        command = _command(subset, db)
        for n in range(KILLS_PER_CHAIN):
            # the first kill anywhere in a clean run's time, the others in a rerun's (shorter) one
            delay = round(rng.uniform(0.1, 0.95 if n == 0 else 0.6) * elapsed, 2)
            killed, children = kill_after(command, delay)
            moments.append((chain, delay, killed, _state(db)))
            orphans = wait_gone(children)
            assert orphans == set(), f"worker processes outlived the killed ingest: {orphans}"
        finished = subprocess.run(command, capture_output=True, text=True, timeout=300)
        assert finished.returncode == 0, finished.stderr
        got = snapshot(db)
        assert got == expected, (moments, got["pending"], got["unlinked"], got["counts"])
        chain += 1
    print(
        "\nkill moments (chain, seconds after start, killed, (articles, pending link, pending index) then):"
    )
    for moment in moments:
        print(f"  {moment}")
    assert sum(killed for _, _, killed, _ in moments) >= KILLS, moments
    # the kills are worth something: some left linking or indexing undone
    assert any(link or index for _, _, _, (_, link, index) in moments), moments


class Killed(BaseException):
    """Stands for SIGKILL in process: not an Exception, so nothing on the way catches it."""


@pytest.mark.parametrize("stage", ["link_pending", "index_articles"])
def test_a_batch_committed_but_not_linked_or_indexed_is_finished_by_the_next_ingest(
    subset: Path, clean: tuple[dict, float], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, stage: str
) -> None:
    """The run dies after its second batch is committed: the first lines of ANT are not in time order, so
    that batch waits to be linked at the run's end, and the run dies there (before linking it) or before
    (after its commit, while indexing it); `marsad stats` says what waits; Archive.finish_pending() or the
    next ingest finishes it, and the archive ends as the clean run's."""
    expected, _ = clean
    db = tmp_path / "crash.db"
    real = getattr(pipeline, stage)
    calls = []
    dies_at = 1 if stage == "link_pending" else 2  # the run's end; the second batch's indexing

    def dies(*args, **kwargs):
        calls.append(1)
        if len(calls) == dies_at:
            raise Killed
        return real(*args, **kwargs)

    monkeypatch.setattr(pipeline, stage, dies)
    with Store(db) as store, pytest.raises(Killed):
        ingest([str(subset)], store, progress=False)
    monkeypatch.undo()

    left = LINES - 500
    waiting = {"link": left, "index": 0 if stage == "link_pending" else left}
    assert _state(db) == (LINES, waiting["link"], waiting["index"])
    stats = subprocess.run(
        [sys.executable, "-m", "marsad.cli", "stats", "--db", str(db)], capture_output=True, text=True
    )
    assert stats.returncode == 0, stats.stderr
    said = " ".join(stats.stdout.split())  # as wrapped by the terminal width
    assert f"{left} to link" in said and "`marsad ingest` with no input does them" in said

    if stage == "link_pending":  # finished through the Python API, with no new input
        with Archive(db) as archive:
            assert archive.pending() == waiting
            assert archive.finish_pending() == waiting
            assert archive.pending() == {"link": 0, "index": 0}
    else:  # by the next ingest of the same input, before its own batches (all unchanged)
        with Store(db) as store:
            report = ingest([str(subset)], store, progress=False)
        assert (report.new, report.unchanged) == (0, LINES)
        assert (report.pending_linked, report.pending_indexed) == (left, left)
    assert snapshot(db) == expected


def test_a_sigkilled_ingest_leaves_no_worker_behind(subset: Path, tmp_path: Path) -> None:
    """Killed while its link feature workers (or reindex analysis workers) run, the ingest's children all
    exit within a few seconds."""
    db = tmp_path / "orphans.db"
    command = _command(subset, db)
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 120
        while len(children := descendants(process.pid)) < 2:  # the workers of the first batch's linking
            assert process.poll() is None and time.monotonic() < deadline, "no worker was started"
            time.sleep(0.05)
        time.sleep(0.3)
        children |= descendants(process.pid)
    finally:
        os.kill(process.pid, signal.SIGKILL)
        process.wait()
    assert wait_gone(children) == set()
