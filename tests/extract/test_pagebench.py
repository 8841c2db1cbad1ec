"""pagebench (../shared/tools/pagebench): generated Arabic news pages with gold, scored by its own scorer.

A smaller run than benchmarks/extract.py (10 pages per template, fixed seed) that must meet the goals on
every template, for the HTML pages and for their text dumps: body F1 >= 0.97, title and date accuracy
>= 0.98. Page text: the ANT corpus v2.1 (see ../shared/data/README.md).
"""

from __future__ import annotations

import subprocess
import sys

import pytest

from marsad.extract.evaluate import load_scorer, predict, score

pytestmark = pytest.mark.realdata


@pytest.fixture(scope="module")
def pagebench(shared, tmp_path_factory):
    tool = shared / "tools" / "pagebench"
    out = tmp_path_factory.mktemp("pagebench")
    subprocess.run(
        [
            sys.executable,
            str(tool / "make_pages.py"),
            "--articles",
            str(shared / "data/ant_multisource_v2.1.jsonl.gz"),
            "--out",
            str(out),
            "--per-template",
            "10",
            "--seed",
            "3",
        ],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return tool, out


@pytest.mark.parametrize("suffix", [".html", ".txt"])
def test_pagebench_goals(pagebench, suffix):
    tool, root = pagebench
    summary = score(load_scorer(tool), root, predict(root, suffix))
    templates = [name for name in summary if name != "ALL"]
    assert len(templates) >= 5
    for name in templates:
        s = summary[name]
        assert s["pages"] == 10 and s["missing"] == 0, name
        assert s["body_f1"] >= 0.97, (name, s["body_f1"])
        assert s["title_acc"] >= 0.98, (name, s["title_acc"])
        assert s["date_acc"] >= 0.98, (name, s["date_acc"])
    assert summary["aggregator_repost"]["original_source_acc"] == 1.0
