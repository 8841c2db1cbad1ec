"""Linking figures: planted reposts, MinHash libraries, the whole ANT corpus (stories, speed, memory).

    .venv/bin/python benchmarks/link.py planted [--n 2000]     recall / precision / credit of planted reposts
    .venv/bin/python benchmarks/link.py minhash [--n 2000]     rensa against datasketch: speed and recall
    .venv/bin/python benchmarks/link.py ant [--sample 30]      link all of ANT in publication order
        [--limit N] [--profile FILE] [--batch 1000]            only the first N; cProfile; articles a call
    .venv/bin/python benchmarks/link.py ingest                 ingest ANT as read from its file (not in time
                                                               order): its linking rate, relink's on the same
                                                               store, peak RSS, and whether both link alike
    .venv/bin/python benchmarks/link.py batches [--limit N]    relink against batches of 1 to 2,500 with the
                                                               linker reloaded from the store between them
    .venv/bin/python benchmarks/link.py ant --sample 0 --store ant.db    ... and keep the linked store
    .venv/bin/python benchmarks/link.py gold [--store ant.db]  score the linking (ANT relinked, or the store
                                                               `ant --store` kept) against the gold set read
                                                               in benchmarks/gold (see its README.md)
    .venv/bin/python benchmarks/link.py gold --set validation  ... against the held-out validation set
    .venv/bin/python benchmarks/link.py gold-draw --store ant.db --out pairs.jsonl    draw the pairs to read
        [--per-stratum 90] [--seed 18] [--set validation]      (and write benchmarks/gold's design file)

The ant figures: wall clock, CPU seconds of the linking process and of its feature worker (a second
process that prepares each article's features and MinHash signature ahead, see marsad.link.prepare), the
load average while it ran (the machine is shared), and the rate of the first and the last 5,000 articles
(cost per article must not grow with the archive).

Data: the ANT Corpus v2.1 multi-source (../shared/data/ant_multisource_v2.1.jsonl.gz). Cite: A. Chouigui,
O. Ben Khiroun and B. Elayeb, "An Arabic Multi-source News Corpus: Experimenting on Single-document
Extractive Summarization", Arabian Journal for Science and Engineering 46(8), 2021.
"""

from __future__ import annotations

import argparse
import cProfile
import gzip
import hashlib
import itertools
import json
import os
import random
import resource
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import psutil

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "link"))

from antload import insert_ant, read_ant  # noqa: E402
from gold import (  # noqa: E402
    FIRST_DRAW,
    SMALL_STORY,
    STORY_HIGH_COSINE,
    STRATA,
    WINDOW_DAYS,
    band,
    bcubed,
    bootstrap,
    cosine,
    events_clustering,
    precision_by_size,
    precision_recall,
    purity_by_size,
    tfidf,
)
from planted import make_repost, plant, score  # noqa: E402

from marsad.arabic import analyse  # noqa: E402
from marsad.link import Linker, link_new, relink, topics  # noqa: E402
from marsad.link import duplicates as dup  # noqa: E402
from marsad.link.features import article_features  # noqa: E402
from marsad.link.stories import MAX_SPAN_DAYS  # noqa: E402
from marsad.store import linkstate, stories  # noqa: E402
from marsad.store.db import Store  # noqa: E402

ANT = ROOT.parent / "shared" / "data" / "ant_multisource_v2.1.jsonl.gz"
GOLD = ROOT / "benchmarks" / "gold"
CITE = "ANT Corpus v2.1 (Chouigui, Ben Khiroun, Elayeb, Arabian J. Sci. Eng. 46(8), 2021)"


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def sample_rows(n: int, seed: int = 1) -> list[dict]:
    rows = list(read_ant(ANT))
    return random.Random(seed).sample(rows, n)


def workers_cpu_seconds() -> float:
    """CPU seconds used so far by this process's children: the linker's feature workers."""
    return sum(sum(p.cpu_times()[:2]) for p in psutil.Process().children(recursive=True))


def run_planted(n: int) -> None:
    rows = sample_rows(n)
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(Path(tmp) / "planted.db")
        plants = plant(store, rows)
        order = linkstate.link_order(store)
        started = time.perf_counter()
        link_new(store, order)
        seconds = time.perf_counter() - started
        result = score(store, plants)
        print(f"planted reposts on {n} {CITE} articles (every repost: attribution + wrapper lines,")
        print(
            "  5-15 % words edited, first half only, paragraphs reordered, new headline; 10 % stamped early)"
        )
        print(f"  recall    {result['recall']:.4f}  ({len(result['missed'])} missed)")
        print(
            f"  precision {result['precision']:.4f}  ({len(result['wrong'])} wrong links of {result['links']})"
        )
        print(f"  credit    {result['credit']:.4f}  (repost points at its original, which points nowhere)")
        print(
            f"  links between two corpus articles (ANT's own wire copies/updates): {len(result['corpus_links'])}"
        )
        print(f"  linked {len(order)} articles in {seconds:.1f} s")
        for a, b in result["corpus_links"][:5]:
            ta = store.conn.execute("SELECT title FROM article WHERE id = ?", (a,)).fetchone()[0]
            tb = store.conn.execute("SELECT title FROM article WHERE id = ?", (b,)).fetchone()[0]
            print(f"  corpus copy: {a} {ta[:60]!r} -> {b} {tb[:60]!r}")
        for a, b in result["wrong"][:5]:
            ta = store.conn.execute("SELECT title FROM article WHERE id = ?", (a,)).fetchone()[0]
            tb = store.conn.execute("SELECT title FROM article WHERE id = ?", (b,)).fetchone()[0]
            print(f"  wrong: {a} {ta[:60]!r} -> {b} {tb[:60]!r}")
        store.close()


def run_minhash(n: int) -> None:
    """Signatures of the same shingles with rensa and datasketch; recall of the planted pairs by our LSH
    bands + verification, and time per signature."""
    import numpy as np
    from datasketch import MinHash

    rows = sample_rows(n)
    rng = random.Random(7)
    vocabulary = [w for row in rows[:200] for w in row["text"].split()[:60]]
    pairs = []
    for row in rows:
        repost = make_repost(row, vocabulary, rng)
        a = article_features(row["title"], row["paragraphs"]).shingles
        b = article_features(repost["title"], repost["paragraphs"]).shingles
        pairs.append((a, b))

    def rensa_sig(sh: list[str]) -> np.ndarray:
        return dup.signature(sh)

    def datasketch_sig(sh: list[str]) -> np.ndarray:
        mh = MinHash(num_perm=dup.NUM_PERM, seed=dup.SEED)
        mh.update_batch([s.encode() for s in sh])
        return mh.hashvalues.astype(np.uint32)

    print(
        f"MinHash signatures ({dup.NUM_PERM} permutations, {dup.BANDS} bands of {dup.ROWS}) on {n} planted pairs"
    )
    for name, fn in (("rensa", rensa_sig), ("datasketch", datasketch_sig)):
        started = time.perf_counter()
        sigs = [(fn(a), fn(b)) for a, b in pairs]
        per = (time.perf_counter() - started) / (2 * len(pairs)) * 1e6
        caught = 0
        for (a, b), (sa, sb) in zip(pairs, sigs, strict=True):
            if not set(dup.band_keys(sa)) & set(dup.band_keys(sb)):
                continue
            j = dup.estimated_jaccard(sa, sb)
            if dup.containment_from_jaccard(j, len(a), len(b)) >= dup.CHECK and dup.verified(a, b):
                caught += 1
        print(f"  {name:<10} {per:7.1f} us/signature   recall {caught / len(pairs):.4f}")
    exact = sum(1 for a, b in pairs if dup.verified(a, b)) / len(pairs)
    print(f"  (exact verification alone, without LSH: recall {exact:.4f})")


def link_snapshot(store: Store) -> list[tuple]:
    """Every article's links and its story's title, span and representative, by article id."""
    return [
        tuple(r)
        for r in store.conn.execute(
            "SELECT a.id, a.duplicate_of, a.story_id, s.thread_id, s.title, s.first_seen, s.last_seen,"
            " s.representative_id FROM article a LEFT JOIN story s ON s.id = a.story_id ORDER BY a.id"
        )
    ]


def links_digest(store: Store) -> str:
    """A short hash of every article's (duplicate_of, story, thread) and every story's title and span."""
    rows = [row[:7] for row in link_snapshot(store)]  # the representative is left out, as it always was
    return hashlib.sha1(repr(rows).encode()).hexdigest()[:12]


def print_segments(store: Store, marks: list[tuple[int, float, float]], span: int) -> None:
    """The rate of every `span` articles, with how dense the news was there (articles a day): the work per
    article follows the open window (stories of the last days), so only segments of like density compare."""
    times = [r[0] for r in store.conn.execute("SELECT at FROM link_doc ORDER BY seq")]
    cuts = [marks[0]]
    for mark in marks[1:]:
        if mark[0] - cuts[-1][0] >= span or mark is marks[-1]:
            cuts.append(mark)
    parts = []
    for (a, wall_a, cpu_a), (b, wall_b, cpu_b) in zip(cuts, cuts[1:], strict=False):
        days = (
            datetime.fromisoformat(times[b - 1]) - datetime.fromisoformat(times[a])
        ).total_seconds() / 86400
        parts.append(
            f"{a}-{b}: {(b - a) / (wall_b - wall_a):.0f}/s wall, {(b - a) / (cpu_b - cpu_a):.0f}/CPU-s"
            f" ({(b - a) / max(days, 1 / 24):.0f} a day)"
        )
    print("  by segment (articles a day = news density):")
    for part in parts:
        print(f"    {part}")


def run_ant(
    sample: int,
    batch: int = 1000,
    limit: int | None = None,
    profile: str | None = None,
    keep: Path | None = None,
) -> None:
    rows = sorted(read_ant(ANT), key=lambda r: r["published"])[:limit]
    with tempfile.TemporaryDirectory() as tmp:
        if keep is not None and keep.exists():
            raise SystemExit(f"{keep} exists: --store writes a new store, remove it first")
        store = Store(keep or Path(tmp) / "ant.db")
        insert_ant(store, rows)
        order = linkstate.link_order(store)
        print(f"{CITE}: {len(order)} articles, linked in publication order in batches of {batch}")
        rss_before = peak_rss_mb()
        marks = [(0, 0.0, 0.0)]
        profiler = cProfile.Profile() if profile else None
        linker = Linker(store)
        started, cpu_started = time.perf_counter(), time.process_time()
        for start in range(0, len(order), batch):
            if profiler:
                profiler.enable()
            link_new(store, order[start : start + batch], linker)
            if profiler:
                profiler.disable()
            done = min(start + batch, len(order))
            marks.append((done, time.perf_counter() - started, time.process_time() - cpu_started))
        if profiler:
            profiler.dump_stats(profile)
        n, total, cpu = marks[-1]
        worker_cpu = workers_cpu_seconds()
        linker.close()
        load = "/".join(f"{x:.1f}" for x in os.getloadavg())
        print(f"  wall clock {n / total:.0f} articles/s ({total:.1f} s; load average 1/5/15 min {load})")
        print(
            f"  CPU time   {n / cpu:.0f} articles per CPU-second of the linking process ({cpu:.1f} s),"
            f" {n / (cpu + worker_cpu):.0f} counting the feature worker's too ({worker_cpu:.1f} s)"
        )
        print(
            f"  peak RSS {peak_rss_mb():.0f} MB ({rss_before:.0f} MB before linking: the corpus held by this script)"
        )
        span = min(5000, n // 2) or n  # first and last `span` articles (halves of a short run)
        head = next(m for m in marks if m[0] >= span)
        tail_start = next(m for m in reversed(marks) if m[0] <= n - span)
        tail = (n - tail_start[0], total - tail_start[1], cpu - tail_start[2])
        print(
            f"  first {head[0]}: {head[0] / head[1]:.0f}/s wall, {head[0] / head[2]:.0f}/CPU-s;"
            f" last {tail[0]}: {tail[0] / tail[1]:.0f}/s wall, {tail[0] / tail[2]:.0f}/CPU-s"
        )
        print_segments(store, marks, span)
        counts = linkstate.link_counts(store)
        made, multi, dups = counts["stories"], counts["multi_outlet_stories"], counts["duplicates"]
        threads, biggest, largest = counts["threads_2plus"], counts["largest_thread"], counts["largest_story"]
        print(f"  stories {made}; spanning 2+ outlets {multi}; largest story {largest} articles")
        print(f"  links digest {links_digest(store)} (equal digests: the same reposts, stories and threads)")
        print(
            f"  duplicates (reposts/wire copies) {dups}; threads of 2+ stories {threads}, largest {biggest}"
        )
        print(f"  timeline events (taken as originals are linked) {counts['events']}")
        pool = stories.stories(store, 100000, min_outlets=2)
        chosen = random.Random(3).sample(pool, min(sample, len(pool)))
        print(f"\nA sample of {len(chosen)} multi-outlet stories (member headlines):")
        for story in sorted(chosen, key=lambda s: s.first_seen or ""):
            full = stories.story(store, story.id)
            members = full.articles if full else []
            print(
                f"\n[{story.id}] {(story.first_seen or '')[:10]} .. {(story.last_seen or '')[:10]}  {story.title}"
            )
            for art in members[:12]:
                mark = f" (copy of {art.duplicate_of})" if art.duplicate_of else ""
                print(f"    - {art.outlet}: {art.title}{mark}")
            if len(members) > 12:
                print(f"    ... and {len(members) - 12} more")
        store.close()


def run_ingest() -> None:
    """ANT ingested as its file gives it (outlet after outlet, not in time order), then relinked: the run
    links its articles once, at its end, in publication order (marsad.ingest.pipeline), so both rates and
    both links should be the same."""
    from marsad.ingest import ingest

    with tempfile.TemporaryDirectory() as tmp:
        store = Store(Path(tmp) / "ant.db")
        rss_before = peak_rss_mb()
        started, cpu_started = time.perf_counter(), time.process_time()
        report = ingest([str(ANT)], store, progress=False, index=False)
        wall, cpu = time.perf_counter() - started, time.process_time() - cpu_started
        n = store.conn.execute("SELECT count(*) FROM article").fetchone()[0]
        ingested = links_digest(store)
        print(
            f"{CITE}: {n} articles ingested from {ANT.name} in its own order, {wall:.1f} s in all"
            f" ({cpu:.1f} CPU-s in this process)"
        )
        print(
            f"  ingest-time linking {n / report.seconds_linking:.0f} articles/s ({report.seconds_linking:.1f} s;"
            f" extracting and storing {report.seconds - report.seconds_linking:.1f} s)"
        )
        rss_ingest = peak_rss_mb()
        mining = timed(topics, "mine")
        started, cpu_started = time.perf_counter(), time.process_time()
        relink(store)
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu_started
        links = seconds - mining.seconds
        print(
            f"  relink               {n / links:.0f} articles/s ({links:.1f} s), then mining the topics again"
            f" {mining.seconds:.1f} s ({cpu:.1f} CPU-s in this process in all)"
        )
        load = "/".join(f"{x:.1f}" for x in os.getloadavg())
        print(
            f"  peak RSS {rss_ingest:.0f} MB after the ingest ({rss_before:.0f} MB before), {peak_rss_mb():.0f} MB"
            f" after relink (this process; each feature worker holds its own); load average 1/5/15 min {load}"
        )
        relinked = links_digest(store)
        print(
            f"  links digest after ingest {ingested}, after relink {relinked}: {'the same' if ingested == relinked else 'DIFFERENT'}"
        )
        store.close()


@dataclass
class Timed:
    seconds: float = 0.0


def timed(module: Any, name: str) -> Timed:
    """Wrap module.name so that the wall-clock seconds spent in it are summed (in the returned Timed)."""
    found, inner = Timed(), getattr(module, name)

    def wrapper(*args, **kwargs):
        started = time.perf_counter()
        try:
            return inner(*args, **kwargs)
        finally:
            found.seconds += time.perf_counter() - started

    setattr(module, name, wrapper)
    return found


def run_batches(limit: int | None) -> None:
    """The same articles linked by relink (batches of 5,000, one linker) and batch by batch (sizes cycling
    1, 50, 333, 1,000, 2,500, 7; every other batch the linker is dropped and reloaded from the store, as when
    another process links): the issue asks for the same links, stories and threads."""
    rows = sorted(read_ant(ANT), key=lambda r: r["published"])[:limit]
    sizes = itertools.cycle([1, 50, 333, 1000, 2500, 7])
    snapshots = []
    with tempfile.TemporaryDirectory() as tmp:
        for name in ("relink", "batches"):
            store = Store(Path(tmp) / f"{name}.db")
            insert_ant(store, rows)
            order = linkstate.link_order(store)
            started = time.perf_counter()
            if name == "relink":
                relink(store)
            else:
                start, linker = 0, Linker(store)
                for i, size in enumerate(sizes):
                    if start >= len(order):
                        break
                    link_new(store, order[start : start + size], linker)
                    start += size
                    if i % 2:  # dropped and reloaded from the store, as when another process links
                        linker.close()
                        linker = Linker(store)
                linker.close()
            snapshots.append(link_snapshot(store))
            print(f"  {name}: {len(order)} articles in {time.perf_counter() - started:.1f} s")
            store.close()
    relinked, batched = snapshots
    differing = [(a, b) for a, b in zip(relinked, batched, strict=True) if a != b]
    print(f"{CITE}: relink and batch-by-batch linking differ on {len(differing)} articles")
    if differing:
        print(f"  first: {differing[0][0]} against {differing[0][1]}")


@dataclass
class Linked:
    """A linked ANT store seen by docno: each article's story, repost group (its original's docno) and time."""

    docno_article: dict[str, int]  # every ANT docno -> its article (a repeated URL is one article)
    article_docno: dict[int, str]  # article -> its docno (the first in publication order)
    story: dict[str, int]
    original: dict[str, str]
    published: dict[str, datetime]
    text: dict[str, str]
    story_size: dict[int, int]
    thread: dict[str, int | None] = field(default_factory=dict)  # the thread of each one's story

    def together(self, a: str, b: str) -> bool:
        return self.story[a] == self.story[b]

    def threaded(self, a: str, b: str) -> bool:
        """In one story, or in stories of one thread (a follow-up in its matter's thread)."""
        return self.together(a, b) or (self.thread[a] is not None and self.thread[a] == self.thread[b])

    def reposted(self, a: str, b: str) -> bool:
        return self.original[a] == self.original[b] and (a != self.original[a] or b != self.original[b])


def ant_docnos(store: Store) -> tuple[dict[str, int], dict[int, str]]:
    """Every ANT docno -> its article in a store of ANT (a repeated URL is one article), and each article ->
    its docno (the first in publication order of the lines with its URL)."""
    rows = sorted(read_ant(ANT), key=lambda r: r["published"])
    ids = {url: i for i, url in store.conn.execute("SELECT id, url FROM article")}
    docno_article = {row["docno"]: ids[row["url"]] for row in rows}
    article_docno: dict[int, str] = {}
    for row in rows:
        article_docno.setdefault(ids[row["url"]], row["docno"])
    return docno_article, article_docno


def load_linked(store: Store) -> Linked:
    docno_article, article_docno = ant_docnos(store)
    info = {
        r[0]: r[1:]
        for r in store.conn.execute("SELECT id, story_id, duplicate_of, published, title, body FROM article")
    }

    def root(article: int) -> int:
        while info[article][1] is not None:
            article = info[article][1]
        return article

    linked = Linked(docno_article, article_docno, {}, {}, {}, {}, {})
    for docno, article in docno_article.items():
        story, _, published, title, body = info[article]
        linked.story[docno] = story
        linked.original[docno] = article_docno[root(article)]
        linked.published[docno] = datetime.fromisoformat(published)
        linked.text[docno] = title + "\n" + body
    linked.story_size = dict(
        store.conn.execute("SELECT story_id, count(*) FROM article GROUP BY story_id").fetchall()
    )
    threads = dict(store.conn.execute("SELECT id, thread_id FROM story").fetchall())
    linked.thread = {docno: threads.get(story) for docno, story in linked.story.items()}
    return linked


def linked_store(path: Path | None, tmp: str) -> Store:
    """The store at `path` (built by `ant --store`), or ANT linked afresh in publication order."""
    if path is not None:
        return Store(path)
    store = Store(Path(tmp) / "ant.db")
    insert_ant(store, sorted(read_ant(ANT), key=lambda r: r["published"]))
    relink(store)
    return store


@dataclass
class Similarity:
    """Every article's TF-IDF vector (tests/link/gold.py tfidf) as rows of a sparse matrix, in time order."""

    docnos: list[str]
    row: dict[str, int]
    matrix: Any  # scipy.sparse.csr_matrix (scipy comes with the bench extra)

    def cosine(self, a: str, b: str) -> float:
        return float(self.matrix[self.row[a]].multiply(self.matrix[self.row[b]]).sum())


def similarity(linked: Linked) -> Similarity:
    from scipy import sparse

    docnos = sorted(linked.article_docno.values(), key=lambda d: linked.published[d])
    vectors = tfidf([analyse(linked.text[d]) for d in docnos])
    vocabulary: dict[str, int] = {}
    cols, vals, indptr = [], [], [0]
    for vec in vectors:
        for term, weight in vec.items():
            cols.append(vocabulary.setdefault(term, len(vocabulary)))
            vals.append(weight)
        indptr.append(len(cols))
    matrix = sparse.csr_matrix((vals, cols, indptr), shape=(len(docnos), len(vocabulary)))
    return Similarity(docnos, {d: i for i, d in enumerate(docnos)}, matrix)


def apart_frame(linked: Linked, sim: Similarity) -> dict[str, list[tuple[str, str, float]]]:
    """The pairs of articles kept apart, published within WINDOW_DAYS, by cosine band."""
    docnos, matrix = sim.docnos, sim.matrix
    times = [linked.published[d].timestamp() for d in docnos]
    window = WINDOW_DAYS * 86400
    frame: dict[str, list[tuple[str, str, float]]] = {}
    start = 0
    for block in range(0, len(docnos), 500):
        end = min(block + 500, len(docnos))
        while times[start] < times[block] - window:
            start += 1
        sims = (matrix[block:end] @ matrix[start:end].T).tocoo()
        for i, j, value in zip(sims.row, sims.col, sims.data, strict=True):
            a, b = docnos[block + i], docnos[start + j]
            if start + j >= block + i or times[block + i] - times[start + j] > window:
                continue
            name = band(float(value))
            if name and not linked.together(a, b):
                frame.setdefault(name, []).append((b, a, round(float(value), 4)))
    return frame


def together_frame(linked: Linked, sim: Similarity) -> dict[str, list[tuple[str, str, float]]]:
    """Pairs in one story, by the strata of the first draw: repost links (article, its original), pairs of
    small and of large stories (their cosine >= 0.5 ones are split off as story_cos_0.5+ after the draw)."""
    members: dict[int, list[str]] = {}
    for docno in sorted(linked.article_docno.values(), key=lambda d: linked.published[d]):
        members.setdefault(linked.story[docno], []).append(docno)
    reposts = {
        frozenset((d, linked.original[d])) for d in linked.article_docno.values() if linked.original[d] != d
    }
    frame: dict[str, list[tuple[str, str, float]]] = {"story_small": [], "story_large": [], "repost": []}
    for docnos in members.values():
        name = "story_small" if len(docnos) < SMALL_STORY else "story_large"
        rows = [sim.row[d] for d in docnos]
        cosines = (sim.matrix[rows] @ sim.matrix[rows].T).toarray()
        for (i, a), (j, b) in itertools.combinations(enumerate(docnos), 2):
            stratum = "repost" if frozenset((a, b)) in reposts else name
            frame[stratum].append((a, b, round(float(cosines[i, j]), 4)))
    return frame


def draw_pairs(frame: dict[str, list], per_stratum: int, seed: int) -> list[dict]:
    """The draw, in two steps. First `per_stratum` pairs of each of the six strata of FIRST_DRAW with
    random.Random(seed); then the pairs drawn from stories at cosine >= STORY_HIGH_COSINE move to the
    stratum story_cos_0.5+, which random.Random(seed + 1) tops up to `per_stratum` from its other pairs."""
    rng = random.Random(seed)
    drawn = []
    for name in FIRST_DRAW:
        for a, b, value in rng.sample(frame[name], min(per_stratum, len(frame[name]))):
            high = name.startswith("story") and value >= STORY_HIGH_COSINE
            drawn.append({"a": a, "b": b, "stratum": "story_cos_0.5+" if high else name, "cosine": value})
    taken = {(r["a"], r["b"]) for r in drawn}
    rest = [p for p in split_strata(frame)["story_cos_0.5+"] if (p[0], p[1]) not in taken]
    more = per_stratum - sum(r["stratum"] == "story_cos_0.5+" for r in drawn)
    for a, b, value in random.Random(seed + 1).sample(rest, min(more, len(rest))):
        drawn.append({"a": a, "b": b, "stratum": "story_cos_0.5+", "cosine": value})
    return drawn


def split_strata(frame: dict[str, list]) -> dict[str, list]:
    """The strata of STRATA from the first draw's: story pairs at cosine >= STORY_HIGH_COSINE apart."""
    out = {name: pairs for name, pairs in frame.items() if not name.startswith("story")}
    out["story_cos_0.5+"] = []
    for name in ("story_small", "story_large"):
        out[name] = [p for p in frame[name] if p[2] < STORY_HIGH_COSINE]
        out["story_cos_0.5+"] += [p for p in frame[name] if p[2] >= STORY_HIGH_COSINE]
    return out


def gold_articles(linked: Linked) -> set[int]:
    """The articles of the tuning set (benchmarks/gold/ant_*): every article of its pairs and its days."""
    labels = [json.loads(line) for line in (GOLD / "ant_pairs.jsonl").read_text().splitlines() if line]
    docnos = {r[side] for r in labels for side in ("a", "b")}
    docnos |= set(events_clustering(json.loads((GOLD / "ant_days.json").read_text())))
    return {linked.docno_article[d] for d in docnos}


def held_out_frame(frame: dict[str, list], linked: Linked) -> dict[str, list]:
    """The frame without every pair that touches an article of the tuning set."""
    taken = gold_articles(linked)

    def free(docno: str) -> bool:
        return linked.docno_article[docno] not in taken

    return {name: [p for p in pairs if free(p[0]) and free(p[1])] for name, pairs in frame.items()}


def draw_held_out(strata: dict[str, list], per_stratum: int, seed: int) -> list[dict]:
    """`per_stratum` pairs of each of STRATA, uniform without replacement, with random.Random(seed)."""
    rng = random.Random(seed)
    return [
        {"a": a, "b": b, "stratum": name, "cosine": value}
        for name in STRATA
        for a, b, value in rng.sample(strata[name], min(per_stratum, len(strata[name])))
    ]


def run_gold_draw(store_path: Path | None, per_stratum: int, seed: int, out: Path, which: str) -> None:
    """Draw the pairs to read (unlabelled) into `out`, and the design (population of each stratum, the drawn
    linking's stories and reposts) into benchmarks/gold/{which}_pairs_design.json.gz. The validation set
    is drawn from the frame without the tuning set's articles, straight from the seven strata."""
    with tempfile.TemporaryDirectory() as tmp:
        store = linked_store(store_path, tmp)
        linked = load_linked(store)
        store.close()
    sim = similarity(linked)
    frame: dict[str, list] = {**together_frame(linked, sim), **apart_frame(linked, sim)}
    if which == "validation":
        strata = split_strata(held_out_frame(frame, linked))
        drawn = draw_held_out(strata, per_stratum, seed)
    else:
        strata = split_strata(frame)
        drawn = draw_pairs(frame, per_stratum, seed)
    with out.open("w") as fh:
        for row in drawn:
            fh.write(json.dumps(row) + "\n")
    stories_of: dict[int, list[str]] = {}
    for docno in linked.article_docno.values():
        stories_of.setdefault(linked.story[docno], []).append(docno)
    design = {
        "seed": seed,
        "per_stratum": per_stratum,
        "window_days": WINDOW_DAYS,
        "population": {name: len(strata[name]) for name in STRATA},
        "stories": sorted(sorted(m) for m in stories_of.values() if len(m) > 1),
        "reposts": sorted(
            [d, o] for d, o in linked.original.items() if d != o and d in linked.article_docno.values()
        ),
    }
    (GOLD / f"{which}_pairs_design.json.gz").write_bytes(gzip.compress(json.dumps(design).encode(), mtime=0))
    print(design["population"])


def read_gold_pairs(which: str) -> tuple[list[dict], dict]:
    labels = [json.loads(line) for line in (GOLD / f"{which}_pairs.jsonl").read_text().splitlines() if line]
    design = json.loads(gzip.decompress((GOLD / f"{which}_pairs_design.json.gz").read_bytes()))
    return labels, design


def pairs_of(groups: dict[object, list[str]]) -> set[frozenset[str]]:
    return {frozenset(p) for members in groups.values() for p in itertools.combinations(members, 2)}


def outside_frame(linked: Linked, design: dict, joined: set[frozenset[str]]) -> int:
    """How many of the pairs `joined` by the scored linking lie outside the drawn frame: not together in the
    drawn linking, and published more than WINDOW_DAYS apart or at cosine < 0.15."""
    drawn = pairs_of(dict(enumerate(design["stories"])))
    new = [tuple(p) for p in joined - drawn]
    if not new:
        return 0
    articles = sorted(linked.article_docno.values())
    vectors = dict(zip(articles, tfidf([analyse(linked.text[d]) for d in articles]), strict=True))

    def vec(docno: str) -> dict[str, float]:
        return vectors[linked.article_docno[linked.docno_article[docno]]]

    window = WINDOW_DAYS * 86400
    return sum(
        1
        for a, b in new
        if abs((linked.published[a] - linked.published[b]).total_seconds()) > window
        or band(cosine(vec(a), vec(b))) is None
    )


def print_estimate(
    name: str,
    labels: list[dict],
    population: dict,
    truth: str,
    linked: Callable[[str, str], bool],
    outside: int,
) -> None:
    p, r = precision_recall(labels, population, truth, linked, outside)
    (p_low, p_high), (r_low, r_high) = bootstrap(labels, population, truth, linked, outside)
    print(
        f"  {name:<13} precision {p.value:.3f} ({p_low:.3f}-{p_high:.3f})"
        f"  recall {r.value:.3f} ({r_low:.3f}-{r_high:.3f})  [read pairs: {p.read} linked, {r.read} {truth}]"
    )


def run_gold(store_path: Path | None, which: str = "ant", days_file: Path | None = None) -> None:
    """Story and repost precision/recall on the pairs read (benchmarks/gold/ant_pairs.jsonl), estimated for
    the whole frame with stratum weights (tests/link/gold.py); B-cubed on the days read (ant_days.json)."""
    labels, design = read_gold_pairs(which)
    days_file = days_file or GOLD / f"{which}_days.json"
    with tempfile.TemporaryDirectory() as tmp:
        store = linked_store(store_path, tmp)
        linked = load_linked(store)
        store.close()
    population = design["population"]
    members: dict[int, list[str]] = {}
    groups: dict[str, list[str]] = {}
    for docno in linked.article_docno.values():  # one docno an article, as the frame was drawn
        members.setdefault(linked.story[docno], []).append(docno)
        groups.setdefault(linked.original[docno], []).append(docno)
    story_pairs = pairs_of({k: v for k, v in members.items() if len(v) > 1})
    repost_pairs = pairs_of({k: v for k, v in groups.items() if len(v) > 1})
    story_out = outside_frame(linked, design, story_pairs)
    repost_out = outside_frame(linked, design, repost_pairs)
    print(
        f"{CITE}: {len(labels)} article pairs read, in strata of a frame of {sum(population.values())} pairs"
    )
    for name in STRATA:
        read = [r for r in labels if r["stratum"] == name]
        same = sum(r["same_event"] for r in read)
        copies = sum(r["copy"] for r in read)
        print(
            f"  {name:<20} {population[name]:>7} pairs, {len(read)} read: {same} same event, {copies} copies"
        )
    print(
        "estimated for the whole frame (a read pair weighs N_h / n_h of its stratum; 95 % bootstrap interval):"
    )
    print_estimate("story pairs", labels, population, "same_event", linked.together, story_out)
    print_estimate("repost links", labels, population, "copy", linked.reposted, repost_out)
    _, threaded = precision_recall(labels, population, "same_event", linked.threaded)
    print(
        f"  same-event pairs in one story or one thread (a follow-up in its matter's thread): {threaded.value:.3f}"
    )
    if story_out or repost_out:
        print(
            f"  pairs joined outside the frame, counted wrong: {story_out} in stories, {repost_out} as reposts"
        )
    print("story pair precision by story size (articles):")
    for name, ratio in precision_by_size(labels, population, linked.story, linked.story_size).items():
        if ratio.read:
            print(f"  {name:<6} {ratio.value:.3f}  ({ratio.read} read pairs)")
    spans = {
        story: (
            max(linked.published[d] for d in docs) - min(linked.published[d] for d in docs)
        ).total_seconds()
        / 86400
        for story, docs in members.items()
        if len(docs) > 1
    }
    widest = max(spans, key=spans.__getitem__)
    print(
        f"largest story span {spans[widest]:.2f} days (story {widest}, {len(members[widest])} articles);"
        f" stories over {MAX_SPAN_DAYS:g} days: {sum(v > MAX_SPAN_DAYS for v in spans.values())}"
    )
    if days_file.exists():
        print_days(json.loads(days_file.read_text()), linked)
    else:
        print(f"({days_file} not there yet: no B-cubed)")


def print_days(days: dict, linked: Linked) -> None:
    gold = events_clustering(days)
    unknown = [d for d in gold if d not in linked.story]
    if unknown:
        raise SystemExit(f"ant_days.json names docnos that are not in ANT: {unknown[:5]}")
    system = {d: linked.story[d] for d in gold}
    covered = {linked.docno_article[d] for d in gold}
    missing = [
        d
        for d, article in linked.docno_article.items()
        if linked.published[d].date().isoformat() in days["days"] and article not in covered
    ]
    if missing:
        print(
            f"  warning: {len(missing)} articles published on those days are in no event, e.g. {missing[:3]}"
        )
    p, r, f1 = bcubed(gold, system)
    print(
        f"days read ({', '.join(days['days'])}): {len(gold)} articles in {len(days['events'])} events,"
        f" {len(set(system.values()))} stories"
    )
    print(f"  B-cubed precision {p:.3f}  recall {r:.3f}  F1 {f1:.3f}")
    print("  story purity by size (stories cut down to those days' articles):")
    for name, (count, purity) in sorted(
        purity_by_size(gold, system).items(), key=lambda kv: int(kv[0].split("-")[0].rstrip("+"))
    ):
        print(f"    {name:<6} {count:>4} stories, purity {purity:.3f}")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "what", choices=["planted", "minhash", "ant", "ingest", "batches", "gold", "gold-draw", "all"]
    )
    parser.add_argument("--n", type=int, default=2000)
    parser.add_argument("--sample", type=int, default=30)
    parser.add_argument(
        "--limit", type=int, help="ant, batches: link only the first LIMIT articles (publication order)"
    )
    parser.add_argument("--profile", metavar="FILE", help="ant: write a cProfile of the linking to FILE")
    parser.add_argument("--batch", type=int, default=1000, help="ant: articles per link_new call")
    parser.add_argument(
        "--store", type=Path, help="ant: keep the linked store at STORE; gold: read it instead of linking"
    )
    parser.add_argument(
        "--days", type=Path, help="gold: the days clustered by reading (default: the set's own)"
    )
    parser.add_argument(
        "--set",
        choices=["ant", "validation"],
        default="ant",
        help="gold, gold-draw: the tuning set (ant_*) or the held-out validation set (validation_*)",
    )
    parser.add_argument("--per-stratum", type=int, default=90, help="gold-draw: pairs drawn per stratum")
    parser.add_argument("--seed", type=int, default=18, help="gold-draw: the seed of the draw")
    parser.add_argument("--out", type=Path, help="gold-draw: where the unlabelled pairs go (JSON lines)")
    args = parser.parse_args()
    if args.what in ("minhash", "all"):
        run_minhash(args.n)
    if args.what in ("planted", "all"):
        run_planted(args.n)
    if args.what in ("ant", "all"):
        run_ant(args.sample, batch=args.batch, limit=args.limit, profile=args.profile, keep=args.store)
    if args.what == "ingest":
        run_ingest()
    if args.what == "batches":
        run_batches(args.limit)
    if args.what == "gold":
        run_gold(args.store, args.set, args.days)
    if args.what == "gold-draw":
        if args.out is None:
            parser.error("gold-draw needs --out FILE for the pairs drawn")
        run_gold_draw(args.store, args.per_stratum, args.seed, args.out, args.set)


if __name__ == "__main__":
    main()
