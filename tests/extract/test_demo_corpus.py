"""Every page of the bundled demo corpus (HTML and its text dump) against corpus/expected.json."""

from __future__ import annotations

from datetime import datetime

import pytest

from marsad.demo import corpus_dir, expected
from marsad.extract import extract
from marsad.models import Page

ENTRIES = expected()


def _article(entry: dict, key: str):
    path = corpus_dir() / entry[key]
    kind = "html" if key == "file" else "text"
    fetched = datetime.fromisoformat(entry["fetched_at"]) if entry.get("fetched_at") else None
    url = entry["url"] if kind == "html" else f"file://{path}"
    return extract(Page(url=url, kind=kind, content=path.read_bytes(), fetched_at=fetched, origin=str(path)))


def _fields(article, kind: str) -> dict:
    got = {
        "title": article.title,
        "published": article.published.date().isoformat() if article.published else None,
        "author": article.author,
        "original_outlet": article.original_outlet,
        "body_first": article.body[0],
        "body_last": article.body[-1],
        "paragraphs": len(article.body),
        "ticker_titles": article.ticker,
        "previous_title": article.previous_title,
        "next_title": article.next_title,
    }
    if kind == "file":
        got.update(
            outlet=article.outlet, original_url=article.original_url, canonical_url=article.canonical_url
        )
    return got


def test_corpus_is_there():
    assert len(ENTRIES) >= 30
    assert len({entry["style"] for entry in ENTRIES}) >= 5


@pytest.mark.parametrize("key", ["file", "text_file"])
@pytest.mark.parametrize("entry", ENTRIES, ids=[e["file"] for e in ENTRIES])
def test_demo_page(entry, key):
    if not entry.get(key):
        pytest.skip("no such version of this page")
    got = _fields(_article(entry, key), key)
    wanted = {name: entry[name] for name in got if name in entry}
    assert {name: got[name] for name in wanted} == wanted
