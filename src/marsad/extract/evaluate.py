"""Run extraction over a pagebench folder and score it with pagebench's own scorer.

Used by benchmarks/extract.py and the pagebench test; pagebench itself lives in ../shared/tools/pagebench
(standard library only), so its scorer is loaded from there, not copied.
"""

from __future__ import annotations

import importlib.util
import json
from collections import Counter, defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from types import ModuleType
from typing import Any

from marsad.extract import extract, html
from marsad.extract.profile import OutletProfile, learn_profile
from marsad.models import Article, ExtractionError, Page, PageKind

# Styles that stand for one outlet whose chrome repeats across its pages: scored with the profile learnt
# from the style's own pages (learn_profile over their extracted paragraphs), as the store would learn it.
PROFILE_STYLES = ("recurring_chrome",)


def load_scorer(pagebench_dir: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location("pagebench_score", pagebench_dir / "score.py")
    if spec is None or spec.loader is None:
        raise FileNotFoundError(pagebench_dir / "score.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def page_for(path: Path) -> Page:
    """A Page for one pagebench file, with the URL and fetch time a crawler would know."""
    gold = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
    fetched = datetime.fromisoformat(gold["fetched_at"]) if gold.get("fetched_at") else None
    kind: PageKind = "text" if path.suffix == ".txt" else "html"
    return Page(
        url=gold.get("url", ""), kind=kind, content=path.read_bytes(), fetched_at=fetched, origin=str(path)
    )


def prediction(path: str, article: Article | None) -> dict[str, Any]:
    """One line in score.py's format."""
    if article is None:
        return {
            "path": path,
            "title": None,
            "published": None,
            "author": None,
            "original_source": None,
            "body": "",
        }
    return {
        "path": path,
        "title": article.title,
        "published": article.published.isoformat() if article.published else None,
        "author": article.author,
        "original_source": article.original_outlet,
        "body": "\n".join(article.body),
    }


def extract_or_none(page: Page, profile: OutletProfile | None = None) -> Article | None:
    try:
        return extract(page, profile)
    except ExtractionError:
        return None


def style_profiles(root: Path, suffix: str = ".html") -> dict[str, OutletProfile]:
    """The outlet profile of each PROFILE_STYLES folder under root, learnt from its pages' paragraphs."""
    profiles = {}
    for style in PROFILE_STYLES:
        paths = sorted((root / style).glob(f"*{suffix}"))
        if paths:
            articles = [a for a in (extract_or_none(page_for(path)) for path in paths) if a is not None]
            outlet = Counter(a.outlet or style for a in articles).most_common(1)[0][0] if articles else style
            profiles[style] = learn_profile(outlet, [a.body for a in articles])
    return profiles


def predict(
    root: Path, suffix: str, profiles: dict[str, OutletProfile] | None = None
) -> list[dict[str, Any]]:
    """Marsad's predictions for every page with this suffix (".html" or ".txt") under root, each style's
    pages with that style's profile when `profiles` has one."""
    out = []
    for path in sorted(root.glob(f"*/*{suffix}")):
        profile = (profiles or {}).get(path.parent.name)
        out.append(prediction(str(path.relative_to(root)), extract_or_none(page_for(path), profile)))
    return out


@contextmanager
def counting_fallbacks() -> Iterator[Counter[str]]:
    """Counts, by page origin, the pages whose body the HTML pass had to ask trafilatura for."""
    counts: Counter[str] = Counter()
    original = html.fallback_body

    def counted(text: str, page: Page) -> list[str]:
        counts[page.origin or page.url] += 1
        return original(text, page)

    html.fallback_body = counted
    try:
        yield counts
    finally:
        html.fallback_body = original


def score(scorer: ModuleType, root: Path, predictions: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Per-template and overall summaries (score.py's summarize)."""
    gold = scorer.load_gold(root)
    preds = {str(Path(p["path"]).with_suffix("")): p for p in predictions}
    rows: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for key, g in gold.items():
        row = scorer.score_page(g, preds.get(key))
        row.update(key=key, missing=key not in preds)
        rows[g["template"]].append(row)
    summary = {name: scorer.summarize(r) for name, r in sorted(rows.items())}
    summary["ALL"] = scorer.summarize([r for rs in rows.values() for r in rs])
    return summary
