"""Our own page styles (benchmarks/pagestyles: ASP.NET WebForms, live coverage, comment policy + metadata box
+ photo credits + a byline with a city, an outlet's recurring chrome), generated from ANT article text at run
time and scored by pagebench's scorer: a smaller run than benchmarks/extract.py that must keep the goals of
issue 19 on every style: body F1 >= 0.97, author accuracy >= 0.95, title and date >= 0.98, and no page
whose body had to come from trafilatura. The recurring-chrome style is scored with the profile learnt from
its own pages, so it needs at least profile.MIN_PROFILE_PAGES of them."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from marsad.extract.evaluate import counting_fallbacks, load_scorer, predict, score, style_profiles
from marsad.extract.profile import MIN_PROFILE_PAGES

pytestmark = pytest.mark.realdata

STYLES = Path(__file__).resolve().parents[2] / "benchmarks" / "pagestyles"


@pytest.fixture(scope="module")
def pages(shared, tmp_path_factory):
    spec = importlib.util.spec_from_file_location("pagestyles_generate", STYLES / "generate.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    out = tmp_path_factory.mktemp("pagestyles")
    names = module.generate(shared, out, MIN_PROFILE_PAGES, seed=5)
    return shared / "tools" / "pagebench", out, names


def test_own_styles_keep_their_scores(pages):
    tool, root, names = pages
    assert names == ["aspnet_webforms", "live_coverage", "policy_metadata", "recurring_chrome"]
    profiles = style_profiles(root)
    assert profiles["recurring_chrome"].pages == MIN_PROFILE_PAGES
    assert len(profiles["recurring_chrome"].chrome) >= 1
    with counting_fallbacks() as fallbacks:
        summary = score(load_scorer(tool), root, predict(root, ".html", profiles))
    assert sum(fallbacks.values()) == 0
    for name in names:
        s = summary[name]
        assert s["pages"] == MIN_PROFILE_PAGES and s["missing"] == 0, name
        assert s["body_f1"] >= 0.97, (name, s["body_f1"])
        assert s["author_acc"] >= 0.95, (name, s["author_acc"])
        assert s["title_acc"] >= 0.98, (name, s["title_acc"])
        assert s["date_acc"] >= 0.98, (name, s["date_acc"])
    assert summary["policy_metadata"]["original_source_acc"] >= 0.95  # "المصدر: وام" in three layouts


def test_the_profile_is_what_clears_the_recurring_chrome(pages):
    tool, root, _ = pages
    scorer = load_scorer(tool)
    without = score(scorer, root, predict(root, ".html"))["recurring_chrome"]["body_precision"]
    with_profile = score(scorer, root, predict(root, ".html", style_profiles(root)))
    assert without < 0.95 < with_profile["recurring_chrome"]["body_precision"]
