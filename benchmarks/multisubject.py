"""Multi-subject pages on ANT (issue 18 item 2): how many of its articles features.subject_paragraphs takes
for pages on several subjects, by outlet, what it costs an article, and a sample of them to read.

    .venv/bin/python benchmarks/multisubject.py [--sample 40] [--seed 3]

The cost is subject_paragraphs alone, after article_features has analysed the article (as in the feature
workers, its words are then stemmed already). Data: the ANT Corpus v2.1 multi-source
(../shared/data/ant_multisource_v2.1.jsonl.gz; A. Chouigui, O. Ben Khiroun and B. Elayeb, Arabian Journal
for Science and Engineering 46(8), 2021).
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import time
from collections import Counter
from pathlib import Path

from marsad.arabic import normalise, tokens
from marsad.link.features import article_features, paragraph_words, subject_paragraphs, without_attribution

ANT = Path(__file__).resolve().parent.parent.parent / "shared" / "data" / "ant_multisource_v2.1.jsonl.gz"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sample", type=int, default=40, help="flagged articles to list")
    parser.add_argument("--seed", type=int, default=3)
    args = parser.parse_args()
    flagged: list[tuple[str, str, str, int, int]] = []
    by_outlet: Counter = Counter()
    spent, n = 0.0, 0
    with gzip.open(ANT, "rt", encoding="utf-8") as fh:
        for line in fh:
            row = json.loads(line)
            title = row["title"] or ""
            paragraphs = without_attribution([p for p in (row["text"] or "").split("\n") if p.strip()])
            article_features(title, paragraphs)
            words, title_words = paragraph_words(paragraphs), tokens(normalise(title))
            start = time.perf_counter()
            lead = subject_paragraphs(title_words, paragraphs, words)
            spent += time.perf_counter() - start
            n += 1
            if lead is not None:
                by_outlet[row["source"]] += 1
                flagged.append((row["docno"], row["source"], title, len(paragraphs), len(lead)))
    print(f"{n} ANT articles, {len(flagged)} taken for multi-subject pages ({len(flagged) / n:.2%})")
    print("  by outlet: " + ", ".join(f"{o} {c}" for o, c in by_outlet.most_common()))
    print(f"  subject_paragraphs: {spent / n * 1e6:.1f} µs an article")
    print(
        f"a sample of {min(args.sample, len(flagged))} (docno, outlet, paragraphs, of them the lead's, title):"
    )
    for docno, outlet, title, count, lead in random.Random(args.seed).sample(
        flagged, min(args.sample, len(flagged))
    ):
        print(f"  {docno}  {outlet}  {count}  {lead}  {title[:80]}")


if __name__ == "__main__":
    main()
