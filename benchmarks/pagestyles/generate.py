"""Write our own page styles (styles.py) as pagebench pages: DIR/<style>/<id>.html, .txt and .json gold.

Pagebench's own driver (../shared/tools/pagebench/make_pages.py) is loaded at run time and reused for
everything but the gold body: its corpus filter, teasers, fetch times, text dumps and page ids, so the
pages are scored by pagebench's scorer exactly as its own. The one difference: a style may return the
gold "body" itself (live coverage shows each update's time beside its text).

    python benchmarks/pagestyles/generate.py --out DIR [--per-style 40] [--seed 7] [--shared ../shared]
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import random
from pathlib import Path
from types import ModuleType

HERE = Path(__file__).resolve().parent


def _load(path: Path, name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        raise FileNotFoundError(path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def styles() -> dict:
    return _load(HERE / "styles.py", "marsad_pagestyles").TEMPLATES


def generate(shared: Path, out: Path, per_style: int, seed: int, only: list[str] | None = None) -> list[str]:
    """Write per_style pages of each style under out; the style names written."""
    driver = _load(shared / "tools/pagebench/make_pages.py", "pagebench_make_pages")
    articles = driver.load_articles(shared / "data/ant_multisource_v2.1.jsonl.gz")
    teasers = [driver.teaser(a) for a in articles]
    names = []
    for name, render in styles().items():
        if only and name not in only:
            continue
        chosen = random.Random(f"{seed}/{name}").sample(articles, per_style)
        folder = out / name
        folder.mkdir(parents=True, exist_ok=True)
        for i, article in enumerate(chosen):
            rng = random.Random(f"{seed}/{name}/{article['docno']}")
            article = dict(article, fetched_at=driver.fetch_time(article["published"], rng))
            pool = [
                t for t in rng.sample(teasers, driver.POOL_PER_PAGE + 1) if t["docno"] != article["docno"]
            ]
            page = render(article, rng, pool[: driver.POOL_PER_PAGE])
            published = page.get("published")
            gold = {
                "url": page["url"],
                "title": article["title"],
                "published": published.isoformat() if published else None,
                "author": page.get("author"),
                "original_source": page.get("original_source"),
                "body": page.get("body", article["body"]),
                "page_lang": "ar",
                "fetched_at": article["fetched_at"].isoformat(),
                "template": name,
                "source_docno": article["docno"],
            }
            stem = folder / driver.page_id(i, name, article["docno"])
            stem.with_suffix(".html").write_bytes(page["html"].encode("utf-8", "xmlcharrefreplace"))
            stem.with_suffix(".txt").write_text(driver.html_to_text(page["html"]), encoding="utf-8")
            stem.with_suffix(".json").write_text(
                json.dumps(gold, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
            )
        names.append(name)
    return names


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--per-style", type=int, default=40)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--shared", type=Path, default=HERE.parents[2] / "shared")
    args = ap.parse_args()
    print(", ".join(generate(args.shared, args.out, args.per_style, args.seed)))


if __name__ == "__main__":
    main()
