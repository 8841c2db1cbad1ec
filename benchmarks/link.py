"""Linking figures: planted reposts, MinHash libraries, the whole ANT corpus (stories, speed, memory).

    .venv/bin/python benchmarks/link.py planted [--n 2000]     recall / precision / credit of planted reposts
    .venv/bin/python benchmarks/link.py minhash [--n 2000]     rensa against datasketch: speed and recall
    .venv/bin/python benchmarks/link.py ant [--sample 30]      link all of ANT in publication order
        [--limit N] [--profile FILE] [--batch 1000]            only the first N; cProfile; articles a call
    .venv/bin/python benchmarks/link.py batches [--limit N]    relink against batches of 1 to 2,500 with the
                                                               linker reloaded from the store between them

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
import hashlib
import itertools
import os
import random
import resource
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "link"))

from antload import insert_ant, read_ant  # noqa: E402
from planted import make_repost, plant, score  # noqa: E402

from marsad.link import Linker, link_new, relink  # noqa: E402
from marsad.link import duplicates as dup  # noqa: E402
from marsad.link.features import article_features  # noqa: E402
from marsad.store import linkstate, stories  # noqa: E402
from marsad.store.db import Store  # noqa: E402

ANT = ROOT.parent / "shared" / "data" / "ant_multisource_v2.1.jsonl.gz"
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


def run_ant(sample: int, batch: int = 1000, limit: int | None = None, profile: str | None = None) -> None:
    rows = sorted(read_ant(ANT), key=lambda r: r["published"])[:limit]
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(Path(tmp) / "ant.db")
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


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("what", choices=["planted", "minhash", "ant", "batches", "all"])
    parser.add_argument("--n", type=int, default=2000)
    parser.add_argument("--sample", type=int, default=30)
    parser.add_argument(
        "--limit", type=int, help="ant, batches: link only the first LIMIT articles (publication order)"
    )
    parser.add_argument("--profile", metavar="FILE", help="ant: write a cProfile of the linking to FILE")
    parser.add_argument("--batch", type=int, default=1000, help="ant: articles per link_new call")
    args = parser.parse_args()
    if args.what in ("minhash", "all"):
        run_minhash(args.n)
    if args.what in ("planted", "all"):
        run_planted(args.n)
    if args.what in ("ant", "all"):
        run_ant(args.sample, batch=args.batch, limit=args.limit, profile=args.profile)
    if args.what == "batches":
        run_batches(args.limit)


if __name__ == "__main__":
    main()
