"""The Arabic layer on the seed pages and the ANT corpus.

ANT Corpus v2.1 multi-source: Chouigui, Ben Khiroun and Elayeb, Arabian Journal for Science and
Engineering 46(8), 2021.
"""

from __future__ import annotations

import email.utils
import json
from datetime import datetime
from pathlib import Path

import pytest

from marsad.arabic import attribution, find_dates, language, parse_date

pytestmark = pytest.mark.realdata


def _seed(seeds_dir: Path, name: str) -> tuple[list[str], dict]:
    gold = json.loads((seeds_dir / "gold.json").read_text(encoding="utf-8"))["documents"][name]
    return (seeds_dir / name).read_text(encoding="utf-8").split("\n"), gold


def test_seed_aggregator_attribution_line(seeds_dir: Path) -> None:
    lines, gold = _seed(seeds_dir, "000_e78fdd54258d2a0b.txt")
    found = {number: attribution(line) for number, line in enumerate(lines, 1)}
    hits = {number: a for number, a in found.items() if a is not None}
    assert list(hits) == [gold["attribution_line"]]
    (hit,) = hits.values()
    assert hit.outlet == gold["original_source_name"] == "دوزيم"
    assert hit.date.iso() == gold["published"] == "2017-09-21"


def test_seed_aggregator_event_date(seeds_dir: Path) -> None:
    lines, gold = _seed(seeds_dir, "000_e78fdd54258d2a0b.txt")
    first, last = gold["body_lines"]
    body = "\n".join(lines[first - 1 : last])
    published = parse_date(lines[gold["attribution_line"] - 1]).value
    found = [(m.text, m.date.iso(), m.date.precision) for m in find_dates(body, published)]
    assert found[0] == ("امس الاربعاء", gold["events"][0]["date"], "day")
    assert found == [("امس الاربعاء", "2017-09-20", "day"), ("قبل ست سنوات", "2011", "year")]
    assert language(body) == "ar"


def test_seed_article_thread_dates(seeds_dir: Path) -> None:
    lines, gold = _seed(seeds_dir, "003_4678baeb46da52f8.txt")
    first, last = gold["body_lines"]
    body = "\n".join(lines[first - 1 : last])
    found = [m.date.iso() for m in find_dates(body)]
    assert sorted(found) == sorted(event["date"] for event in gold["events"])
    assert all(attribution(line) is None for line in lines)


def test_ticker_of_the_aggregator_names_one_date(seeds_dir: Path) -> None:
    lines, _ = _seed(seeds_dir, "000_e78fdd54258d2a0b.txt")
    assert [(m.text, m.date.iso()) for m in find_dates(lines[0])] == [("متم غشت 2024", "2024-08")]


def test_every_ant_publication_time_parses_exactly(ant_records: list[dict]) -> None:
    wrong = []
    for record in ant_records:
        parsed = parse_date(record["time"])
        expected = email.utils.parsedate_to_datetime(record["time"])
        if parsed is None or parsed.precision != "minute" or parsed.value != expected:
            wrong.append(record["time"])
    assert len(ant_records) == 31_525
    assert wrong == []


def test_ant_bylines_are_not_dates_or_attributions(ant_records: list[dict]) -> None:
    bylines = {record["author"] for record in ant_records if record["author"]}
    assert [b for b in bylines if parse_date(b, datetime(2018, 6, 1)) is not None] == []
    assert len(bylines) > 1000


def test_ant_credit_lines_and_nothing_else(ant_records: list[dict]) -> None:
    """Every third ANT article, paragraph by paragraph: attribution() finds the credit lines ("* نقلا عن
    "الحياة" اللندنية") and no sentence that merely quotes a source."""
    found = []
    for record in ant_records[::3]:
        for paragraph in record["text"].split("\n"):
            credit = attribution(paragraph)
            if credit is not None:
                found.append((paragraph.strip(" *("), credit.outlet))
    assert len(found) == 147
    assert all(p.startswith(("نقلا عن", "نقلاً عن", "المصدر:")) for p, _ in found)
    assert all(0 < len(outlet.split()) <= 5 and '"' not in outlet for _, outlet in found)


def test_ant_articles_are_arabic(ant_records: list[dict]) -> None:
    """Every tenth ANT article (Egyptian-spelled ones included: "فى", "الذى") is identified as Arabic."""
    sample = ant_records[::10]
    assert len(sample) == 3153
    assert [r["docno"] for r in sample if language(r["text"]) != "ar"] == []


def test_find_folded_finds_what_a_whole_fold_finds(ant_path: Path) -> None:
    """find_folded folds only what can matter to its needles (and drops marks by their positions); the
    reference folds every letter of the text (fold_with_offsets) and maps each hit back. Every 20th ANT
    article, title and body, with needles from its own terms, Latin and digit needles, and slices of it."""
    import gzip
    import random

    from marsad.arabic import analyse
    from marsad.arabic.normalise import find_folded, fold_with_offsets, has_dropped_marks, normalise

    def reference(text: str, needles: list[str]) -> dict[str, list[int]]:
        folded, origin = fold_with_offsets(text)
        found: dict[str, list[int]] = {}
        for needle in needles:
            at = folded.find(needle)
            while at >= 0:
                found.setdefault(needle, []).append(origin[at] if origin else at)
                at = folded.find(needle, at + 1)
        return found

    rng = random.Random(20)
    texts, marked = 0, 0
    with gzip.open(ant_path, "rt", encoding="utf-8") as lines:
        for number, line in enumerate(lines):
            if number % 20:
                continue
            row = json.loads(line)
            for text in (row.get("title") or "", row.get("text") or ""):
                if not text:
                    continue
                terms = sorted(set(analyse(text)))
                needles = rng.sample(terms, min(4, len(terms)))
                start = rng.randrange(len(text))
                needles += [normalise(text[start : start + rng.randint(1, 6)]), "2018", "covid", "ا", "ه"]
                needles = [n for n in needles if n.isalnum()]  # terms: no spaces or punctuation
                assert find_folded(text, needles) == reference(text, needles), text[:60]
                texts += 1
                marked += has_dropped_marks(text)  # harakat, tatweel, bidi marks: the other path
    assert (texts, marked) == (3154, 914)
