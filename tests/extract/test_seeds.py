"""The two seed text dumps against their hand annotation (../shared/data/seeds/gold.json)."""

from __future__ import annotations

import json
import re
from datetime import datetime

import pytest

from marsad.extract import extract
from marsad.extract.textdump import classify
from marsad.models import Page

pytestmark = pytest.mark.realdata


@pytest.fixture(scope="module")
def gold(seeds_dir):
    return json.loads((seeds_dir / "gold.json").read_text(encoding="utf-8"))["documents"]


def _page(seeds_dir, name: str) -> Page:
    path = seeds_dir / name
    return Page(url=f"file://{path}", kind="text", content=path.read_bytes(), origin=str(path))


def _lines(seeds_dir, name: str) -> list[str]:
    return (seeds_dir / name).read_text(encoding="utf-8").split("\n")


@pytest.mark.parametrize("name", ["000_e78fdd54258d2a0b.txt", "003_4678baeb46da52f8.txt"])
def test_seed_matches_gold(seeds_dir, gold, name):
    expected = gold[name]
    article = extract(_page(seeds_dir, name))
    lines = _lines(seeds_dir, name)
    first, last = expected["body_lines"]
    assert article.title == expected["title"] == lines[expected["title_line"] - 1].strip()
    assert article.body == [line.strip() for line in lines[first - 1 : last] if line.strip()]
    assert article.body[0].startswith(expected["body_first_words"])
    assert article.body[-1].endswith(expected["body_last_words"])
    published = article.published.date().isoformat() if article.published else None
    assert published == expected["published"]
    assert article.precision == ("day" if expected["published"] else None)
    assert article.original_outlet == expected.get("original_source_name")
    assert len(article.ticker) == expected["ticker_headline_count"]
    assert article.previous_title == expected.get("previous_article_title")
    assert article.next_title == expected.get("next_article_title")
    assert article.language == "ar"


@pytest.mark.parametrize("name", ["000_e78fdd54258d2a0b.txt", "003_4678baeb46da52f8.txt"])
def test_seed_line_labels(seeds_dir, gold, name):
    expected = gold[name]
    labelled, _ = classify((seeds_dir / name).read_text(encoding="utf-8"))
    labels = {line.number: line.label for line in labelled}
    first, last = expected["body_lines"]
    assert [n for n, label in labels.items() if label == "body"] == list(range(first, last + 1))
    assert labels[expected["title_line"]] == "title"
    if "attribution_line" in expected:
        assert labels[expected["attribution_line"]] == "attribution"
    for number in expected["ticker_lines"]:
        assert labels[number] == "ticker"
    for number in expected["boilerplate_lines"]:
        assert labels[number] not in ("body", "title", "attribution")


def test_seed_000_ticker_headlines(seeds_dir):
    """Line 1 holds the ticker: headlines separated by runs of three or more (no-break) spaces."""
    article = extract(_page(seeds_dir, "000_e78fdd54258d2a0b.txt"))
    line = _lines(seeds_dir, "000_e78fdd54258d2a0b.txt")[0]
    assert article.ticker == [part.strip() for part in re.split(r"\s{3,}", line.strip())]
    assert all(headline and headline in line for headline in article.ticker)
    assert article.published == datetime(2017, 9, 21)


def test_seed_003_block_ticker(seeds_dir):
    article = extract(_page(seeds_dir, "003_4678baeb46da52f8.txt"))
    lines = _lines(seeds_dir, "003_4678baeb46da52f8.txt")
    assert article.ticker == [lines[n - 1].strip() for n in range(3, 22, 2)]
    assert article.published is None and article.precision is None
    assert article.original_outlet is None
