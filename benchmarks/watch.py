"""What watchlists cost ingest: an ANT slice ingested (linked and indexed) with 0 and with 1,000 watchlists.

    .venv/bin/python benchmarks/watch.py                      # seed 1,000 articles, then time 2,000 more
    .venv/bin/python benchmarks/watch.py --seed 2000 --new 4000 --watchlists 1000 --rounds 2

`--seed` articles drawn at random from ANT are ingested once (linked and indexed) into a base archive; each round
copies it twice and ingests `--new` other drawn articles into both copies, one with no watchlist and one with
`--watchlists` of them, in fresh child processes, in alternating order. The watchlists are drawn from the
slice's titles (seeded): 70 % searches (one to three title words; a quarter as a quoted phrase, a fifth with
an exclusion, a tenth limited to an outlet), 10 % topics (two or three consecutive title words), 10 %
outlets, 5 % stories and 5 % threads of the base archive. Printed: ingest seconds, matching seconds
(`seconds_watching`) and matches recorded, and the difference. Goal: at most +10 %.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from machine import describe as machine  # benchmarks/ is on sys.path
from machine import load_average as load

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("MARSAD_SHARED", ROOT.parent / "shared"))
ANT = SHARED / "data" / "ant_multisource_v2.1.jsonl.gz"

CHILD = r"""
import json, sys, time
from marsad.ingest import ingest
from marsad.store.db import Store
target, db = sys.argv[1], sys.argv[2]
with Store(db) as store:
    started = time.perf_counter()
    report = ingest([target], store, progress=False)
    seconds = time.perf_counter() - started
    matches = store.conn.execute("SELECT count(*) FROM watch_match").fetchone()[0]
    watchlists = store.conn.execute("SELECT count(*) FROM watchlist").fetchone()[0]
print(json.dumps({"seconds": seconds, "new": report.new, "failed": report.failed, "linking": report.seconds_linking,
                  "indexing": report.seconds_indexing, "watching": report.seconds_watching, "matches": matches,
                  "watchlists": watchlists}))
"""


def slice_ant(work: Path, seed: int, new: int, rng: random.Random) -> tuple[Path, Path, list[str]]:
    """`seed` + `new` ANT lines drawn at random across the corpus (it is ordered by outlet), the first
    `seed` of them in file order as one file and the rest as another, in `work`; and their titles."""
    with gzip.open(ANT, "rt", encoding="utf-8") as corpus:
        every = corpus.readlines()
    picked = rng.sample(range(len(every)), seed + new)
    lines = [every[i] for i in sorted(picked[:seed])] + [every[i] for i in sorted(picked[seed:])]
    titles = [json.loads(line).get("title") or "" for line in lines]
    (work / "seed.jsonl").write_text("".join(lines[:seed]), encoding="utf-8")
    (work / "new.jsonl").write_text("".join(lines[seed:]), encoding="utf-8")
    return work / "seed.jsonl", work / "new.jsonl", titles


def _words(title: str) -> list[str]:
    from marsad.arabic import STOPWORDS, normalise, tokens

    return [w for w in tokens(title) if len(w) >= 3 and normalise(w) not in STOPWORDS and not w.isdigit()]


def make_watchlists(db: Path, titles: list[str], count: int, rng: random.Random) -> dict[str, int]:
    """`count` watchlists of mixed kinds in the archive at `db`; returns how many of each kind."""
    from marsad.store.db import Store
    from marsad.store.watchlists import WatchlistError
    from marsad.watch.follow import Follow, create

    worded = [w for w in (_words(t) for t in titles) if len(w) >= 3]
    with Store(db) as store:
        outlets = [r[0] for r in store.conn.execute("SELECT key FROM source ORDER BY id")]
        stories = [r[0] for r in store.conn.execute("SELECT id FROM story ORDER BY id")]
        threads = [r[0] for r in store.conn.execute("SELECT id FROM thread ORDER BY id")]
        made: dict[str, int] = {}
        while sum(made.values()) < count:
            n = sum(made.values())
            share = n / count
            words = rng.choice(worded)
            if share < 0.70:
                kind, follow = "search", Follow(query=_query(words, outlets, rng))
                if rng.random() < 0.1:
                    follow = Follow(query=follow.query, filters={"outlet": rng.choice(outlets)})
            elif share < 0.80:
                start = rng.randrange(len(words) - 1)
                kind, follow = "topic", Follow(topic=" ".join(words[start : start + rng.choice((2, 3))]))
            elif share < 0.90:
                kind, follow = "outlet", Follow(outlet=rng.choice(outlets))
            elif share < 0.95:
                kind, follow = "story", Follow(story=rng.choice(stories))
            else:
                kind, follow = "thread", Follow(thread=rng.choice(threads))
            try:
                create(store, f"w{n}", follow, webhook="https://hooks.example/marsad")
            except WatchlistError:
                continue  # a query of stop words only: drawn again
            made[kind] = made.get(kind, 0) + 1
    return made


def _query(words: list[str], outlets: list[str], rng: random.Random) -> str:
    picked = rng.sample(words, rng.choice((1, 2, 2, 3)))
    if len(picked) >= 2 and rng.random() < 0.25:
        start = words.index(picked[0])
        picked = [f'"{" ".join(words[start : start + 2])}"']
    query = " ".join(picked)
    if rng.random() < 0.2:
        query += f" -{rng.choice(words)}"
    return query


def child(target: Path, db: Path) -> dict:
    done = subprocess.run(
        [sys.executable, "-c", CHILD, str(target), str(db)], capture_output=True, text=True, check=True
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def copy_archive(base: Path, to: Path) -> Path:
    shutil.copy(base, to)
    shutil.copytree(f"{base}.index", f"{to}.index")
    return to


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--seed", type=int, default=1000, help="ANT articles in the base archive")
    parser.add_argument("--new", type=int, default=2000, help="ANT articles ingested and timed")
    parser.add_argument("--watchlists", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--random-seed", type=int, default=23)
    args = parser.parse_args()
    print(machine(), "load before:", load())
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        rng = random.Random(args.random_seed)
        seed_file, new_file, titles = slice_ant(work, args.seed, args.new, rng)
        base = work / "base.db"
        print("base archive:", child(seed_file, base))
        results: dict[str, list[dict]] = {"without": [], "with": []}
        for round_number in range(args.rounds):
            without = copy_archive(base, work / f"without-{round_number}.db")
            with_lists = copy_archive(base, work / f"with-{round_number}.db")
            kinds = make_watchlists(with_lists, titles, args.watchlists, rng)
            order = [("without", without), ("with", with_lists)]
            for name, db in order if round_number % 2 == 0 else order[::-1]:
                results[name].append(child(new_file, db))
                print(f"round {round_number + 1}, {name} watchlists:", json.dumps(results[name][-1]))
            print("watchlists by kind:", kinds)
        mean = {name: sum(r["seconds"] for r in rs) / len(rs) for name, rs in results.items()}
        watching = sum(r["watching"] for r in results["with"]) / len(results["with"])
        print(
            f"ingest of {args.new} articles: {mean['without']:.1f} s without, {mean['with']:.1f} s with"
            f" {args.watchlists} watchlists ({(mean['with'] / mean['without'] - 1) * 100:+.1f} %);"
            f" matching itself {watching:.2f} s ({watching / mean['without'] * 100:.1f} % of ingest)"
        )
    print("load after:", load())


if __name__ == "__main__":
    sys.exit(main())
