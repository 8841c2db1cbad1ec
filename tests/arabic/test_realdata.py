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
