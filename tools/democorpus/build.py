"""Build the demo corpus: every article as an HTML page in its outlet's site style, its text dump, and
expected.json (what a correct extraction and linking of each page gives).

    python tools/democorpus            # rewrite src/marsad/demo/corpus
    python tools/democorpus --check    # exit 1 if the committed corpus differs from a fresh build

The build is deterministic: the same articles give the same bytes.
"""

from __future__ import annotations

import argparse
import json
import sys
import zlib
from datetime import datetime, timedelta
from pathlib import Path

from democorpus.articles import ARTICLES
from democorpus.model import DemoArticle, Link, PlannedPage
from democorpus.outlets import OUTLETS
from democorpus.sites import STYLES
from democorpus.sites.common import INDIC_DIGITS, SECTIONS
from democorpus.sites.gulf_amp import canonical_url
from democorpus.textdump import html_to_text

SOURCE_CORPUS = Path(__file__).resolve().parents[2] / "src" / "marsad" / "demo" / "corpus"
TICKER_SIZES = {
    "ma_wordpress": 8,
    "aggregator": 12,
    "levant": 7,
    "eg_portal": 6,
    "gulf_amp": 6,
    "pan_arab": 9,
}


def stable_number(text: str, low: int = 100000, span: int = 800000) -> int:
    """A number that depends only on `text` (page ids, small offsets)."""
    return low + zlib.crc32(text.encode("utf-8")) % span


def local_time(stamp: str, utc_offset: str) -> datetime:
    return datetime.fromisoformat(f"{stamp.replace(' ', 'T')}:00{utc_offset}")


def page_url(art: DemoArticle, style: str, home: str, when: datetime, original: DemoArticle | None) -> str:
    number = stable_number(art.slug)
    section = SECTIONS[art.section][1]
    if style == "ma_wordpress":
        return f"{home}/{section}/{number}.html"
    if style == "aggregator":
        assert original is not None
        return f"{home}/{OUTLETS[original.outlet].latin.lower().replace(' ', '')}/{number}"
    if style == "levant":
        return f"{home}/article/{number}"
    if style == "eg_portal":
        return f"{home}/News/{number}"
    if style == "gulf_amp":
        return f"{home}/amp/{section}/{when:%Y/%m/%d}/{number}"
    return f"{home}/{section}/{when:%Y/%m/%d}/{art.slug}"


def resolve_text(
    art: DemoArticle, by_slug: dict[str, DemoArticle]
) -> tuple[str, list[str], list[tuple[str, str]]]:
    """The title, paragraphs and body date mentions the page shows (reposts and wire copies take their
    source's text; Egyptian pages write digits in Arabic-Indic form)."""
    source = art
    while source.repost_of or source.copy_of:
        source = by_slug[source.repost_of or source.copy_of]  # type: ignore[index]
    title, body, dates = source.title, list(source.body), list(source.dates)
    if OUTLETS[source.outlet].style == "eg_portal":
        title, body = title.translate(INDIC_DIGITS), [p.translate(INDIC_DIGITS) for p in body]
        dates = [(text.translate(INDIC_DIGITS), value) for text, value in dates]
    return title, body, dates


def plan_pages(articles: list[DemoArticle]) -> list[PlannedPage]:
    """Place every article on its site, then fill each page's chrome with the other pages."""
    by_slug = {a.slug: a for a in articles}
    if len(by_slug) != len(articles):
        raise ValueError("two demo articles share a slug")
    pages: dict[str, PlannedPage] = {}
    for art in sorted(articles, key=lambda a: bool(a.repost_of or a.copy_of)):
        pages[art.slug] = _place(art, by_slug, pages)
    planned = sorted(pages.values(), key=lambda p: (p.order_time, p.file))
    for page in planned:
        _fill_chrome(page, planned)
    return planned


def _place(art: DemoArticle, by_slug: dict[str, DemoArticle], placed: dict[str, PlannedPage]) -> PlannedPage:
    outlet = OUTLETS[art.outlet]
    original = placed[art.repost_of] if art.repost_of else None
    duplicate = placed[art.copy_of] if art.copy_of else original
    published = local_time(art.published, outlet.utc_offset) if art.published else None
    if art.sort_time:
        order_time = local_time(art.sort_time, outlet.utc_offset)
    elif published is not None:
        order_time = published
    else:
        raise ValueError(f"{art.slug}: an undated page needs sort_time")
    title, body, dates = resolve_text(art, by_slug)
    fetched_at = order_time + timedelta(minutes=stable_number(art.slug, 90, 1300))
    url = page_url(art, outlet.style, outlet.home, order_time, by_slug.get(art.repost_of or ""))
    return PlannedPage(
        article=art,
        outlet=outlet,
        title=title,
        body=body,
        url=url,
        file=f"{outlet.style}/{art.slug}.html",
        published=published,
        order_time=order_time,
        fetched_at=fetched_at,
        original=original,
        duplicate_of=duplicate,
        dates=dates,
    )


def _link(page: PlannedPage) -> Link:
    return Link(page.title, page.url, page.order_time, page.outlet.name, page.body[0])


def _nearest(
    page: PlannedPage, candidates: list[PlannedPage], count: int, earlier_first: bool = False
) -> list[PlannedPage]:
    """Up to `count` other pages nearest in time with titles unlike this page's and each other's.

    With `earlier_first`, pages published before this page was fetched come first (a ticker shows what
    the site had published by then) and later ones only fill what is left.
    """

    def rank(other: PlannedPage) -> tuple:
        later = earlier_first and other.order_time > page.fetched_at
        return (later, abs((other.order_time - page.order_time).total_seconds()), other.file)

    ranked = sorted(candidates, key=rank)
    chosen: list[PlannedPage] = []
    titles = {page.title}
    for other in ranked:
        if other.title not in titles:
            chosen.append(other)
            titles.add(other.title)
        if len(chosen) == count:
            break
    return chosen


def _fill_chrome(page: PlannedPage, planned: list[PlannedPage]) -> None:
    others = [p for p in planned if p is not page]
    ticker = _nearest(page, others, TICKER_SIZES[page.outlet.style], earlier_first=True)
    page.ticker = [_link(p) for p in ticker]
    same_outlet = [p for p in planned if p.outlet.key == page.outlet.key]
    index = same_outlet.index(page)
    page.previous = _link(same_outlet[index - 1]) if index > 0 else None
    page.next = _link(same_outlet[index + 1]) if index + 1 < len(same_outlet) else None
    taken = {p.title for p in ticker}
    related_pool = [p for p in others if p.title not in taken and p.article.section == page.article.section]
    related = _nearest(page, related_pool, 4, earlier_first=True)
    if len(related) < 4:  # a thin section borrows from the rest of the site
        rest = [p for p in others if p.title not in taken and p not in related]
        related += _nearest(page, rest, 4 - len(related), earlier_first=True)
    page.related = [_link(p) for p in related]
    taken |= {p.title for p in related}
    popular_pool = sorted(
        (p for p in others if p.title not in taken and p.title != page.title),
        key=lambda p: stable_number(page.article.slug + p.article.slug),
    )
    page.most_read = [_link(p) for p in _distinct_titles(popular_pool, 5)]


def _distinct_titles(pages: list[PlannedPage], count: int) -> list[PlannedPage]:
    seen: set[str] = set()
    out: list[PlannedPage] = []
    for page in pages:
        if page.title not in seen:
            seen.add(page.title)
            out.append(page)
    return out[:count]


def expected_entry(page: PlannedPage) -> dict:
    """What a correct extraction and linking of this page gives."""
    original = page.original
    shown = page.published or (original.published if original else None)
    return {
        "file": page.file,
        "text_file": page.text_file,
        "style": page.outlet.style,
        "url": page.url,
        "canonical_url": canonical_url(page.url) if page.outlet.style == "gulf_amp" else page.url,
        "outlet": page.outlet.name,
        "outlet_key": page.outlet.key,
        "title": page.title,
        "published": shown.date().isoformat() if shown else None,
        "published_time": page.published.isoformat() if page.published else None,
        "author": page.article.author,
        "original_outlet": original.outlet.name if original else None,
        "original_url": original.url if original else None,
        "body_first": page.body[0],
        "body_last": page.body[-1],
        "paragraphs": len(page.body),
        "ticker": len(page.ticker),
        "ticker_titles": [link.title for link in page.ticker],
        "previous_title": page.previous.title if page.previous else None,
        "next_title": page.next.title if page.next else None,
        "story": page.article.story,
        "thread": page.article.thread,
        "duplicate_of": page.duplicate_of.file if page.duplicate_of else None,
        "section": page.article.section,
        "dates": [{"text": text, "date": value} for text, value in page.dates],
        "fetched_at": page.fetched_at.isoformat(),
    }


def build_files(articles: list[DemoArticle] | None = None) -> dict[str, bytes]:
    """Every corpus file, by path relative to the corpus folder."""
    pages = plan_pages(list(articles if articles is not None else ARTICLES))
    files: dict[str, bytes] = {}
    for page in pages:
        markup = STYLES[page.outlet.style](page)
        files[page.file] = markup.encode("utf-8")
        files[page.text_file] = html_to_text(markup).encode("utf-8")
    entries = sorted((expected_entry(p) for p in pages), key=lambda e: e["file"])
    files["expected.json"] = (json.dumps(entries, ensure_ascii=False, indent=1) + "\n").encode("utf-8")
    return files


def corpus_files(folder: Path) -> dict[str, bytes]:
    """The corpus files now in `folder`."""
    found = {}
    for path in sorted(folder.rglob("*")):
        if path.is_file() and path.suffix in {".html", ".txt", ".json"}:
            found[path.relative_to(folder).as_posix()] = path.read_bytes()
    return found


def write_corpus(folder: Path, files: dict[str, bytes]) -> None:
    for stale in set(corpus_files(folder) if folder.exists() else {}) - set(files):
        (folder / stale).unlink()
    for name, data in files.items():
        target = folder / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if not target.exists() or target.read_bytes() != data:
            target.write_bytes(data)


def differences(folder: Path, files: dict[str, bytes]) -> list[str]:
    present = corpus_files(folder) if folder.exists() else {}
    missing = sorted(set(files) - set(present))
    extra = sorted(set(present) - set(files))
    changed = sorted(name for name in set(files) & set(present) if files[name] != present[name])
    return (
        [f"missing {n}" for n in missing] + [f"extra {n}" for n in extra] + [f"changed {n}" for n in changed]
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=SOURCE_CORPUS, help="corpus folder to write")
    parser.add_argument("--check", action="store_true", help="compare with the folder instead of writing")
    args = parser.parse_args(argv)
    files = build_files()
    if args.check:
        problems = differences(args.out, files)
        for line in problems:
            print(line)
        return 1 if problems else 0
    write_corpus(args.out, files)
    pages = sum(1 for name in files if name.endswith(".html"))
    print(f"{pages} pages written to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
