"""Ingesting ../shared/data/seeds/: two articles whose title and date match gold.json, with no ticker or
widget line in the body (gold.json's boilerplate and ticker lines)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from marsad.ingest import ingest
from marsad.store.db import Store

pytestmark = pytest.mark.realdata


@pytest.fixture(scope="module")
def seeded(seeds_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict]:
    with Store(tmp_path_factory.mktemp("seeds") / "seeds.db") as store:
        report = ingest([str(seeds_dir)], store, progress=False, link=False, index=False)
        assert (report.new, report.failed, report.kinds["text"]) == (2, 0, 2)
        assert [Path(p).name for p in report.skipped] == ["gold.json"]
        rows = store.conn.execute("SELECT url, title, published, precision, body FROM article").fetchall()
    return {Path(row["url"]).name: dict(row) for row in rows}


@pytest.fixture(scope="module")
def gold(seeds_dir: Path) -> dict[str, dict]:
    return json.loads((seeds_dir / "gold.json").read_text(encoding="utf-8"))["documents"]


def test_two_articles(seeded: dict, gold: dict) -> None:
    assert sorted(seeded) == sorted(gold) == ["000_e78fdd54258d2a0b.txt", "003_4678baeb46da52f8.txt"]


def test_titles_and_dates_match_gold(seeded: dict, gold: dict) -> None:
    for name, expected in gold.items():
        assert seeded[name]["title"] == expected["title"]
        assert seeded[name]["published"] == expected["published"]
    assert seeded["000_e78fdd54258d2a0b.txt"]["precision"] == "day"
    assert seeded["003_4678baeb46da52f8.txt"]["precision"] is None


def test_body_has_no_ticker_or_widget_line(seeded: dict, gold: dict, seeds_dir: Path) -> None:
    for name, expected in gold.items():
        lines = (seeds_dir / name).read_text(encoding="utf-8").split("\n")
        chrome = {lines[n - 1].strip() for n in expected["boilerplate_lines"] + expected["ticker_lines"]}
        body = seeded[name]["body"].split("\n")
        assert not chrome & {p.strip() for p in body}
        assert body[0].startswith(expected["body_first_words"])
        assert body[-1].endswith(expected["body_last_words"])
