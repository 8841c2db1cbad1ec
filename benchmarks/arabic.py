"""Throughput of the Arabic layer: analyse() in tokens/s on ANT article text, parse_date() in calls/s.

Usage: .venv/bin/python benchmarks/arabic.py [path/to/ant_multisource_v2.1.jsonl.gz] [--articles N]

Goals (issue 2): analyse >= 500,000 tokens/s and parse_date >= 5,000 calls/s on one core.
The machine is stated (CPU model, cores, load average) because other work may share it.

Corpus: ANT Corpus v2.1 multi-source (Chouigui, Ben Khiroun and Elayeb, "An Arabic Multi-source News
Corpus: Experimenting on Single-document Extractive Summarization", Arabian Journal for Science and
Engineering 46(8), 2021).
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import sys
import time
from datetime import datetime
from pathlib import Path

from machine import describe as machine  # noqa: E402  (benchmarks/ is on sys.path)

from marsad.arabic import analyse, find_dates, normalise, parse_date, tokens

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_ANT = ROOT.parent / "shared" / "data" / "ant_multisource_v2.1.jsonl.gz"

# Realistic date strings as bylines, datelines and article text give them.
DATE_INPUTS = [
    "نشر في دوزيم يوم 21 - 09 - 2017",
    "الخميس 21 سبتمبر 2017 - 10:30 ص",
    "امس الاربعاء",
    "9 أيلول (سبتمبر) 2017",
    "٢١/٠٩/٢٠١٧",
    "2017-09-21T10:30:00+01:00",
    "Sun, 18 Feb 2018 21:35:43 +0400",
    "متم شتنبر 2017",
    "1 محرم 1439 هـ الموافق 21 سبتمبر 2017 م",
    "منذ 3 ساعات",
    "الأسبوع الماضي",
    "الربع الأول من 2018",
    "نونبر 2017",
    "15 تشرين الأول 2017",
    "آخر تحديث: الجمعة 6 جويلية 2018 على الساعة 14:05",
    "الرباط .. انعقاد اجتماع المبادرة المغربية- الأمريكية حول الإرهاب الداخلي",
    "2018",
    "القاهرة - أحمد الريدي",
]


def read_texts(path: Path, limit: int) -> list[str]:
    texts = []
    with gzip.open(path, "rt", encoding="utf-8") as lines:
        for line in lines:
            record = json.loads(line)
            texts.append(record["title"] + "\n" + record["text"])
            if len(texts) >= limit:
                break
    return texts


class Clock:
    """Wall time and this process's CPU time. On a busy machine the CPU-time rate is what one core does."""

    def __enter__(self) -> Clock:
        self.wall, self.cpu = time.perf_counter(), time.process_time()
        return self

    def __exit__(self, *exc: object) -> None:
        self.wall, self.cpu = time.perf_counter() - self.wall, time.process_time() - self.cpu

    def rates(self, count: int, unit: str) -> str:
        return (f"{count / self.cpu:,.0f} {unit}/s of CPU time ({self.cpu:.2f} s); "
                f"{count / self.wall:,.0f} {unit}/s of wall time ({self.wall:.2f} s)")  # fmt: skip


def bench_analyse(texts: list[str]) -> None:
    sys.modules["marsad.arabic.analyse"].clear_caches()  # start cold
    count = sum(len(tokens(normalise(t))) for t in texts)
    for label in ("first pass, stem cache filling", "second pass, stem cache warm"):
        with Clock() as clock:
            terms = sum(len(analyse(t)) for t in texts)
        print(f"analyse() {label}: {count:,} tokens in, {terms:,} terms out: {clock.rates(count, 'tokens')}")


def bench_dates(rounds: int) -> None:
    ref = datetime(2017, 9, 21, 12, 0)
    calls = rounds * len(DATE_INPUTS)
    with Clock() as clock:
        for _ in range(rounds):
            for text in DATE_INPUTS:
                parse_date(text, ref)
    print(
        f"parse_date(): {calls:,} calls over {len(DATE_INPUTS)} realistic inputs: {clock.rates(calls, 'calls')}"
    )


def bench_find_dates(texts: list[str]) -> None:
    with Clock() as clock:
        found = sum(len(find_dates(t, datetime(2018, 6, 1))) for t in texts)
    chars = sum(len(t) for t in texts)
    print(f"find_dates(): {len(texts):,} articles ({chars:,} characters, {found:,} mentions): "
          f"{clock.rates(len(texts), 'articles')}")  # fmt: skip


def bench_bad_input() -> None:
    """Bad input must be answered quickly, not only without a crash."""
    cases = {
        "1 MB of one letter": "ب" * 1_000_000,
        "1 MB of '2017 '": "2017 " * 200_000,
        "1 MB of harakat": "\u064e" * 1_000_000,
        "200 KB of random bytes as Latin-1": os.urandom(200_000).decode("latin-1"),
    }
    for label, text in cases.items():
        with Clock() as clock:
            analyse(text)
            parse_date(text)
            find_dates(text, datetime(2018, 6, 1))
        print(f"bad input, {label}: analyse + parse_date + find_dates in {clock.cpu:.2f} s CPU")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("ant", nargs="?", type=Path, default=DEFAULT_ANT)
    parser.add_argument("--articles", type=int, default=3000, help="ANT articles to analyse (default 3000)")
    args = parser.parse_args()
    print("machine:", machine())
    texts = read_texts(args.ant, args.articles)
    print(f"input: the first {len(texts):,} articles of {args.ant.name} (title + text)")
    bench_analyse(texts)
    bench_dates(rounds=1000)
    bench_find_dates(texts[:1000])
    bench_bad_input()
    print("load average after:", ", ".join(f"{x:.2f}" for x in os.getloadavg()))


if __name__ == "__main__":
    main()
