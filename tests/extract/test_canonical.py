"""The head's canonical link and JSON-LD isBasedOn are read only when they are web links (http(s) or
relative): a javascript:, data: or mailto: link names no page. Which canonical URL an article is kept under
is the store's choice (tests/store/test_provenance.py)."""

from __future__ import annotations

import json

import pytest

from marsad.extract.html import parse
from marsad.extract.metadata import read_head


def _head(links: str, based_on: str = "https://source.example/1") -> str:
    ld = json.dumps({"@type": "NewsArticle", "headline": "عنوان", "isBasedOn": based_on})
    return (
        f'<html><head><title>عنوان</title>{links}<script type="application/ld+json">{ld}</script></head>'
        "<body><p>نص</p></body></html>"
    )


@pytest.mark.parametrize(
    ("href", "expected"),
    [
        ("https://www.alarabiya.net/a", "https://www.alarabiya.net/a"),
        ("  http://b.example/x  ", "http://b.example/x"),
        ("/relative/path", "/relative/path"),
        ("javascript:alert(1)", None),
        ("JavaScript:alert(1)", None),
        ("java\tscript:alert(1)", None),
        ("data:text/html,<script>x</script>", None),
        ("mailto:a@b.example", None),
    ],
)
def test_only_web_links_are_canonical(href: str, expected: str | None) -> None:
    meta = read_head(parse(_head(f'<link rel="canonical" href="{href}">')))
    assert meta.canonical == expected


def test_a_bad_canonical_link_does_not_hide_a_good_one() -> None:
    meta = read_head(
        parse(
            _head(
                '<link rel="canonical" href="javascript:x"><link rel="canonical" href="https://a.example/1">'
            )
        )
    )
    assert meta.canonical == "https://a.example/1"


@pytest.mark.parametrize(
    ("based_on", "expected"),
    [("https://source.example/1", "https://source.example/1"), ("httpx:evil", None), ("javascript:x", None)],
)
def test_is_based_on_is_a_web_link(based_on: str, expected: str | None) -> None:
    assert read_head(parse(_head("", based_on))).based_on_url == expected
