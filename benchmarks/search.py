"""Search at scale: Marsad's Tantivy index against SQLite FTS5 fed the same analysed text.

    .venv/bin/python benchmarks/search.py                 # one million articles
    .venv/bin/python benchmarks/search.py --docs 100000   # smaller
    .venv/bin/python benchmarks/search.py --docs 100000 --reindex   # and time `marsad reindex`

Builds a corpus of --docs articles from the ANT corpus (../shared/data/ant_multisource_v2.1.jsonl.gz)
multiplied with deterministic perturbations, so that no two documents are the same: copy v of article b
keeps a rotated subset of b's paragraphs (one dropped when it has three or more), borrows one paragraph of
another article, and is dated v days later. Each base paragraph is analysed once with marsad.arabic.analyse
and the copies reuse those terms, so the build rates below exclude Arabic analysis (its own rate is printed
separately, measured on the base articles).

Prints: the machine and its load, the analysis rate, build rate and size of the Tantivy index and of an
FTS5 table holding the same analysed text, and p50/p95 latency over 300 one-word and 300 three-word
queries, twice: a first pass after the engine's files (index or FTS5 table, and the articles' database) are
dropped from the operating system's page cache (posix_fadvise), and a second pass of the same queries
(warm); in elapsed time, and in CPU time of the benchmark's process (which leaves out waiting for the disk
and for other processes on a loaded machine). Tantivy is queried through marsad.search.search() (parse,
index, collapse, rows from SQLite, snippets from the text as published); FTS5 through the same parse, a
MATCH ordered by bm25() with LIMIT 10, the same rows, the same snippets and the same title highlights;
then the same again with a count(*) of the matches, the total a results page and `--json` show (Marsad's
search counts every match, so this is FTS5 doing the same job). Last, a warm pass of the three taking turns
query by query, so that a shared machine's drift between passes does not favour either.
Before each first pass, of either engine, the process's memoised Arabic analysis (terms, stems, the words
snippets analyse) is emptied too, so that FTS5's first passes do not start with what Marsad's left there.
Facet counting (over every match) is timed on its own line, and each engine alone (top 10 ids, no rows or
snippets) on another.

ANT Corpus v2.1 (multi-source): A. Chouigui, O. Ben Khiroun and B. Elayeb, "An Arabic Multi-source News
Corpus: Experimenting on Single-document Extractive Summarization", Arabian Journal for Science and
Engineering 46(8), 2021.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import random
import shutil
import sqlite3
import statistics
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from email.utils import parsedate_to_datetime
from pathlib import Path

from machine import describe as machine  # noqa: E402  (benchmarks/ is on sys.path)

from marsad.arabic import STOPWORDS, analyse, normalise, tokens
from marsad.arabic.analyse import clear_caches
from marsad.search import reindex, search, snippets
from marsad.search.engine import top_ids
from marsad.search.index import create_index, document, forget
from marsad.search.query import ParsedQuery, parse
from marsad.search.snippets import highlight, make_snippet
from marsad.store import searchfeed
from marsad.store.db import Store
from marsad.store.searchfeed import IndexRow

ROOT = Path(__file__).resolve().parents[1]
ANT = ROOT.parent / "shared" / "data" / "ant_multisource_v2.1.jsonl.gz"


@dataclass
class Base:
    url: str
    title: str
    title_terms: str
    paragraphs: list[str]
    paragraph_terms: list[str]
    published: object  # datetime | None
    outlet: str
    category: str


@dataclass
class Doc:
    id: int
    url: str
    title: str
    body: str
    title_terms: str
    body_terms: str
    published: str | None
    source_id: int
    category: str


# ------------------------------------------------------------------------------------------- corpus


def load_bases(path: Path, *, analysed: bool = True) -> tuple[list[Base], float]:
    """The ANT articles (one per URL), every title and paragraph analysed once; and the analysis rate."""
    seen: set[str] = set()
    records = []
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        for line in handle:
            record = json.loads(line)
            if record["url"] in seen or not record.get("text", "").strip():
                continue
            seen.add(record["url"])
            records.append(record)
    started = time.perf_counter()
    bases = []
    for r in records:
        paragraphs = [p for p in r["text"].split("\n") if p.strip()]
        try:
            published = parsedate_to_datetime(r["time"]) if r.get("time") else None
        except (TypeError, ValueError):
            published = None
        bases.append(
            Base(
                url=r["url"],
                title=r["title"],
                title_terms=" ".join(analyse(r["title"])) if analysed else "",
                paragraphs=paragraphs,
                paragraph_terms=[" ".join(analyse(p)) if analysed else "" for p in paragraphs],
                published=published,
                outlet=r["source"],
                category=r["category"],
            )
        )
    rate = len(bases) / (time.perf_counter() - started)
    return bases, rate


def documents(bases: list[Base], count: int, outlets: dict[str, int]) -> Iterator[Doc]:
    """Document i: a perturbed copy of base i % len(bases) (deterministic in i)."""
    n = len(bases)
    for i in range(count):
        base, variant = bases[i % n], i // n
        rng = random.Random(i)
        order = list(range(len(base.paragraphs)))
        if variant:
            if len(order) >= 3:
                order.pop(rng.randrange(len(order)))
            shift = variant % len(order)
            order = order[shift:] + order[:shift]
        paragraphs = [base.paragraphs[k] for k in order]
        terms = [base.paragraph_terms[k] for k in order]
        if variant:
            donor = bases[rng.randrange(n)]
            k = rng.randrange(len(donor.paragraphs))
            paragraphs.append(donor.paragraphs[k])
            terms.append(donor.paragraph_terms[k])
        published = base.published + timedelta(days=variant) if base.published else None
        yield Doc(
            id=i + 1,
            url=base.url if not variant else f"{base.url}#copy-{variant}",
            title=base.title,
            body="\n".join(paragraphs),
            title_terms=base.title_terms,
            body_terms=" ".join(terms),
            published=published.isoformat() if published else None,
            source_id=outlets[base.outlet],
            category=base.category,
        )


def write_store(store: Store, bases: list[Base], count: int) -> dict[str, int]:
    outlets: dict[str, int] = {}
    with store.transaction() as conn:
        for key in sorted({b.outlet for b in bases}):
            outlets[key] = conn.execute("INSERT INTO source(key, name) VALUES (?, ?)", (key, key)).lastrowid
    batch: list[tuple] = []
    for doc in documents(bases, count, outlets):
        batch.append(
            (doc.id, doc.url, doc.source_id, doc.title, doc.body, doc.published, json.dumps([doc.category]))
        )
        if len(batch) >= 20_000:
            _insert(store, batch)
            batch = []
    _insert(store, batch)
    return outlets


def _insert(store: Store, batch: list[tuple]) -> None:
    with store.transaction() as conn:
        conn.executemany(
            "INSERT INTO article(id, url, source_id, title, body, published, precision, language, categories,"
            " content_hash) VALUES (?, ?, ?, ?, ?, ?, 'minute', 'ar', ?, '')",
            batch,
        )


# -------------------------------------------------------------------------------------------- builds


def build_tantivy(store: Store, bases: list[Base], count: int, outlets: dict[str, int]) -> float:
    index = create_index(store)
    writer = index.writer(heap=1_000_000_000)
    started = time.perf_counter()
    for doc in documents(bases, count, outlets):
        row = IndexRow(
            id=doc.id,
            title=doc.title,
            body=doc.body,
            summary=None,
            published=doc.published,
            language="ar",
            categories=[doc.category],
            source_id=doc.source_id,
            hidden=False,
        )
        writer.add(doc.id, document(row, doc.title_terms, doc.body_terms))
    writer.commit()
    index.reload()
    return time.perf_counter() - started


def build_fts5(path: Path, bases: list[Base], count: int, outlets: dict[str, int]) -> float:
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = NORMAL")
    conn.execute(
        "CREATE VIRTUAL TABLE fts USING fts5(title, text, tokenize = 'unicode61 remove_diacritics 0')"
    )
    started = time.perf_counter()
    conn.execute("BEGIN")
    for doc in documents(bases, count, outlets):
        conn.execute(
            "INSERT INTO fts(rowid, title, text) VALUES (?, ?, ?)",
            (doc.id, doc.title_terms, f"{doc.title_terms} {doc.body_terms}"),
        )
    conn.execute("COMMIT")
    conn.execute("INSERT INTO fts(fts) VALUES ('optimize')")
    elapsed = time.perf_counter() - started
    conn.close()
    return elapsed


def folder_size(path: Path) -> int:
    if path.is_file():
        return path.stat().st_size
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


# ------------------------------------------------------------------------------------------- queries


def make_queries(bases: list[Base], count: int, seed: int = 2018) -> tuple[list[str], list[str]]:
    """`count` one-word queries (title words, from rare to very common) and `count` three-word queries
    (three content words next to each other in a title), as a reader would type them."""
    rng = random.Random(seed)
    frequency: Counter[str] = Counter()
    title_words: list[list[str]] = []
    for base in bases:
        words = [w for w in base.title.split() if _content(w)]
        title_words.append(words)
        frequency.update(set(words))
    vocabulary = sorted(w for w, c in frequency.items() if c >= 3)
    one = rng.sample(vocabulary, count)
    three: list[str] = []
    while len(three) < count:
        words = title_words[rng.randrange(len(title_words))]
        if len(words) >= 3:
            start = rng.randrange(len(words) - 2)
            three.append(" ".join(words[start : start + 3]))
    return one, three


def _content(word: str) -> bool:
    found = tokens(normalise(word))
    return len(found) == 1 and found[0] == normalise(word) and found[0] not in STOPWORDS and len(found[0]) > 2


def fts5_match(parsed: ParsedQuery) -> str | None:
    """The FTS5 MATCH expression of a query parsed and analysed as Marsad does (None when it has no words)."""
    if parsed.is_empty:
        return None
    return " AND ".join(
        "(" + " OR ".join('"' + " ".join(m.terms).replace('"', "") + '"' for m in group) + ")"
        for group in parsed.groups
    )


def fts5_ids(fts: sqlite3.Connection, match: str | None, limit: int = 10) -> list[int]:
    """FTS5 alone: the bm25 top `limit` rowids for a MATCH expression."""
    if match is None:
        return []
    sql = "SELECT rowid FROM fts WHERE fts MATCH ? ORDER BY rank LIMIT ?"
    return [r[0] for r in fts.execute(sql, (match, limit))]


def fts5_search(
    fts: sqlite3.Connection, store: Store, query: str, limit: int = 10, *, total: bool = False
) -> list[tuple[str, str]]:
    """The FTS5 side: same parse and analysis, bm25 top `limit`, same rows, snippets and title highlights
    as Marsad's hits carry; with `total`, also the count of every match, the total a results page shows
    (Marsad's search counts every match too)."""
    parsed = parse(query)
    match = fts5_match(parsed)
    ids = fts5_ids(fts, match, limit)
    if total and match is not None:
        fts.execute("SELECT count(*) FROM fts WHERE fts MATCH ?", (match,)).fetchone()
    if not ids:
        return []
    rows = searchfeed.hit_rows(store, ids)
    terms = parsed.highlight_terms()
    return [(make_snippet(rows[i].body, terms), highlight(rows[i].title, terms)) for i in ids if i in rows]


def timed(function, queries: list[str]) -> tuple[list[float], int]:
    """[p50, p95 of a first pass, p50, p95 of a second pass] in ms of elapsed time over the queries, then
    the same four in CPU time of this process, and the hits of one pass. The callers drop the engine's files
    from the page cache first, so the first pass reads from disk; the second repeats the same queries on
    warm caches. CPU time leaves out waiting for the disk and for other processes on a loaded machine."""
    elapsed, cpu, hits = [], [], 0
    for _ in range(2):
        times, cpu_times, hits = [], [], 0
        for q in queries:
            started, cpu_started = time.perf_counter(), time.process_time()
            hits += function(q)
            times.append((time.perf_counter() - started) * 1000)
            cpu_times.append((time.process_time() - cpu_started) * 1000)
        elapsed += _p50_p95(times)
        cpu += _p50_p95(cpu_times)
    return elapsed + cpu, hits


def _p50_p95(times: list[float]) -> list[float]:
    times = sorted(times)
    return [statistics.median(times), times[int(0.95 * (len(times) - 1))]]


# ------------------------------------------------------------------------------------------- machine


def load() -> str:
    return "load average {:.2f} {:.2f} {:.2f}".format(*os.getloadavg())


# ---------------------------------------------------------------------------------------------- main


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, default=1_000_000, help="articles to index (default 1,000,000)")
    parser.add_argument("--queries", type=int, default=300, help="queries of each kind (default 300)")
    parser.add_argument("--ant", type=Path, default=ANT, help="the ANT corpus (jsonl.gz)")
    parser.add_argument("--workdir", type=Path, default=None, help="where to build (default: a temp folder)")
    parser.add_argument("--keep", action="store_true", help="keep the databases and index afterwards")
    parser.add_argument(
        "--reuse", action="store_true", help="reuse the articles of an earlier run in --workdir"
    )
    parser.add_argument(
        "--engines", default="tantivy,fts5", help="which to build and query: tantivy, fts5 or both (default)"
    )
    parser.add_argument(
        "--queries-only", action="store_true", help="query the index and table an earlier --keep run built"
    )
    parser.add_argument(
        "--reindex",
        action="store_true",
        help="at the end, time `marsad reindex` (analysis included) in one process and with worker processes",
    )
    args = parser.parse_args()
    if args.queries_only:
        args.reuse = True

    work = args.workdir or Path(tempfile.mkdtemp(prefix="marsad-search-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    print(f"machine: {machine()}")
    print(f"at start: {load()}")
    print("corpus: ANT Corpus v2.1 multi-source (Chouigui, Ben Khiroun and Elayeb, AJSE 46(8), 2021)")

    bases, analyse_rate = load_bases(args.ant, analysed=not args.queries_only)
    if not args.queries_only:
        print(
            f"base articles: {len(bases):,}; Arabic analysis: {analyse_rate:,.0f} articles/s (one process)",
            flush=True,
        )

    store = Store(work / "bench.db")
    existing = store.conn.execute("SELECT count(*) FROM article").fetchone()[0]
    if args.reuse and existing == args.docs:
        outlets = {r[1]: r[0] for r in store.conn.execute("SELECT id, key FROM source")}
        print(f"SQLite articles: {args.docs:,} reused from {store.path}")
    else:
        if existing:
            raise SystemExit(f"{store.path} already holds {existing:,} articles: use another --workdir")
        started = time.perf_counter()
        outlets = write_store(store, bases, args.docs)
        print(f"SQLite articles: {args.docs:,} written in {time.perf_counter() - started:.0f} s", flush=True)

    engines = set(args.engines.split(","))
    one, three = make_queries(bases, args.queries)
    results = {}
    build = not args.queries_only
    if "tantivy" in engines:
        tantivy_run(store, bases, args.docs, outlets, one, three, results, build=build)
    if "fts5" in engines:
        fts5_run(store, work, bases, args.docs, outlets, one, three, results, build=build)
    for label in ("one word", "three words"):
        for engine, ours in (("", ""), (" + total", ""), (" alone", " alone")):
            fts5, tantivy = results.get((label, "FTS5" + engine)), results.get((label, "Tantivy" + ours))
            if fts5 and tantivy:
                print(
                    f"p95 FTS5{engine} / Tantivy{ours}, {label}: first pass {fts5[1] / tantivy[1]:.1f}x,"
                    f" second pass {fts5[3] / tantivy[3]:.1f}x; in CPU time {fts5[5] / tantivy[5]:.1f}x,"
                    f" {fts5[7] / tantivy[7]:.1f}x"
                )
    if {"tantivy", "fts5"} <= engines:
        interleaved_run(store, work / "fts5.db", one, three)
    if args.reindex:
        reindex_run(store, args.docs)
    print(f"at end: {load()}")
    store.close()
    if not args.keep and args.workdir is None:
        shutil.rmtree(work, ignore_errors=True)
    else:
        print(f"kept in {work}")


HEADER = (
    f"{'latency, ms (10 hits with snippets)':<50}{'first pass':>16}{'second pass':>16}"
    f"{'CPU, first':>16}{'CPU, second':>16}{'hits':>9}\n"
    f"{'':<50}" + f"{'p50':>8}{'p95':>8}" * 4
)


def row(label: str, figures: list[float], hits: int) -> str:
    return f"{label:<50}" + "".join(f"{f:>8.1f}" for f in figures) + f"{hits:>9,}"


def tantivy_run(store, bases, docs, outlets, one, three, results, *, build: bool = True) -> None:
    if build:
        seconds = build_tantivy(store, bases, docs, outlets)
        size = folder_size(Path(f"{store.path}.index"))
        print(
            f"Tantivy build: {docs / seconds:,.0f} docs/s ({seconds:.0f} s), index {size / 2**20:,.0f} MiB",
            flush=True,
        )

    def marsad_facets(q: str) -> int:
        return len(search(store, q, limit=10, facets=True).hits)

    print(f"before Tantivy queries: {load()}")
    print(HEADER)
    cold = [Path(f"{store.path}{suffix}") for suffix in ("", "-wal", ".index")]
    for label, queries in (("one word", one), ("three words", three)):
        evict(cold)
        forget(store)  # the index is opened again, from disk
        store.conn.execute("PRAGMA shrink_memory")  # and the articles' pages SQLite itself holds are let go
        forget_analysis()
        figures, hits = timed(lambda q: marsad_hits(store, q), queries)
        results[(label, "Tantivy")] = figures
        print(row("Tantivy (marsad.search), " + label, figures, hits), flush=True)
    for label, queries in (("one word", one), ("three words", three)):
        figures, hits = timed(marsad_facets, queries)
        print(row("Tantivy + facets (all matches), " + label, figures, hits), flush=True)

    def engine_alone(q: str) -> int:
        return len(top_ids(store, q, 10)[1])

    for label, queries in (("one word", one), ("three words", three)):
        figures, hits = timed(engine_alone, queries)
        results[(label, "Tantivy alone")] = figures
        print(row("Tantivy alone (top 10 ids + count, both shards), " + label, figures, hits), flush=True)


def marsad_hits(store: Store, q: str) -> int:
    """Marsad's side of the latency rows: 10 hits with snippets, no facets."""
    return len(search(store, q, limit=10, facets=False).hits)


def interleaved_run(store: Store, fts_path: Path, one: list[str], three: list[str]) -> None:
    """Warm caches again, each query run by Marsad, then FTS5, then FTS5 with its total, one after the
    other: the three see the same moments of a shared machine, whose speed drifts by a fifth between
    passes run minutes apart. An untimed round first: this VM pages out file pages left untouched for a
    minute (DAMON), so Marsad's index, last read before FTS5's passes, would be read from disk again."""
    fts = sqlite3.connect(fts_path, isolation_level=None)
    runs = {
        "Tantivy (marsad.search)": lambda q: marsad_hits(store, q),
        "SQLite FTS5": lambda q: len(fts5_search(fts, store, q)),
        "SQLite FTS5 + total of matches": lambda q: len(fts5_search(fts, store, q, total=True)),
    }
    print(f"interleaved, warm: {load()}")
    for label, queries in (("one word", one), ("three words", three)):
        times: dict[str, list[float]] = {name: [] for name in runs}
        for timing in (False, True):
            for q in queries:
                for name, run in runs.items():
                    started = time.perf_counter()
                    run(q)
                    if timing:
                        times[name].append((time.perf_counter() - started) * 1000)
        p95 = {name: _p50_p95(found)[1] for name, found in times.items()}
        print(
            f"  {label}: p50/p95 "
            + ", ".join(
                f"{name} {_p50_p95(found)[0]:.1f}/{p95[name]:.1f} ms" for name, found in times.items()
            )
            + f"; p95 ratios {p95['SQLite FTS5'] / p95['Tantivy (marsad.search)']:.1f}x and"
            f" {p95['SQLite FTS5 + total of matches'] / p95['Tantivy (marsad.search)']:.1f}x",
            flush=True,
        )
    fts.close()


def forget_analysis() -> None:
    """Empty the process's memoised analysis (terms, stems, snippet words), as in a process just started."""
    clear_caches()
    snippets._analyse_word.cache_clear()


def evict(paths: list[Path]) -> None:
    """Drop these files (folders: their files) from the operating system's page cache, so that the next
    queries read them from disk."""
    for path in paths:
        for file in [path] if path.is_file() else (path.rglob("*") if path.is_dir() else []):
            if file.is_file():
                fd = os.open(file, os.O_RDONLY)
                try:
                    os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
                finally:
                    os.close(fd)


def reindex_run(store: Store, docs: int) -> None:
    """marsad.search.reindex from SQLite, Arabic analysis included: in this process, then with one worker
    process per CPU."""
    for workers in (1, None):
        print(f"before reindex: {load()}")
        started, cpu = time.perf_counter(), time.process_time()
        count = reindex(store, workers=workers)
        seconds = time.perf_counter() - started
        label = "in one process" if workers == 1 else f"with {os.cpu_count()} worker processes"
        print(
            f"reindex {label}: {count / seconds:,.0f} articles/s ({seconds:.0f} s,"
            f" {time.process_time() - cpu:.0f} CPU-s in the main process)",
            flush=True,
        )


def fts5_run(store, work, bases, docs, outlets, one, three, results, *, build: bool = True) -> None:
    fts_path = work / "fts5.db"
    if build:
        fts_path.unlink(missing_ok=True)
        seconds = build_fts5(fts_path, bases, docs, outlets)
        size = folder_size(fts_path)
        print(
            f"FTS5 build:    {docs / seconds:,.0f} docs/s ({seconds:.0f} s), table {size / 2**20:,.0f} MiB",
            flush=True,
        )
    fts = sqlite3.connect(fts_path, isolation_level=None)
    print(f"before FTS5 queries: {load()}")
    print(HEADER)
    cold = [fts_path, Path(f"{store.path}"), Path(f"{store.path}-wal")]
    for total, name in ((False, "FTS5"), (True, "FTS5 + total")):
        for label, queries in (("one word", one), ("three words", three)):
            evict(cold)
            store.conn.execute("PRAGMA shrink_memory")
            forget_analysis()
            fts.close()
            fts = sqlite3.connect(fts_path, isolation_level=None)
            figures, hits = timed(
                lambda q, fts=fts, t=total: len(fts5_search(fts, store, q, total=t)), queries
            )
            results[(label, name)] = figures
            shown = "SQLite FTS5 + total of matches" if total else "SQLite FTS5"
            print(row(f"{shown}, {label}", figures, hits), flush=True)

    def engine_alone(q: str) -> int:
        return len(fts5_ids(fts, fts5_match(parse(q))))

    for label, queries in (("one word", one), ("three words", three)):
        figures, hits = timed(engine_alone, queries)
        results[(label, "FTS5 alone")] = figures
        print(row("FTS5 alone (top 10 rowids), " + label, figures, hits), flush=True)
    fts.close()


if __name__ == "__main__":
    main()
