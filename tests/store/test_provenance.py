"""Provenance: a page's canonical URL is taken only on the page's own site (or a host of the same known
outlet); one naming another outlet's article cannot replace it, and only http(s) URLs are stored."""

from __future__ import annotations

import json
import logging
import uuid
from pathlib import Path

import pytest

from marsad.extract import extract
from marsad.models import Article, Page, choose_article_url, registrable_domain
from marsad.sources import iter_targets
from marsad.store.articles import SourceCache, upsert_article
from marsad.store.db import Store

A_URL = "https://www.alarabiya.net/ar/arab-and-world/2018/05/20/souk"
BODY_A = ["افتتحت البلدية سوق الكتاب المستعمل في ساحة المدينة القديمة.", "ويستمر السوق حتى نهاية الشهر."]
BODY_B = ["هذا نص مزور يدعي أنه خبر العربية عن سوق الكتاب.", "ولا علاقة له بالخبر الأصلي."]


@pytest.fixture
def store(tmp_path: Path):
    with Store(tmp_path / "t.db") as s:
        yield s


def _upsert(store: Store, article: Article, kind: str = "html"):
    with store.transaction() as conn:
        return upsert_article(conn, SourceCache(), article, origin="test", kind=kind)


def _rows(store: Store) -> list[tuple]:
    sql = (
        "SELECT a.url, a.title, s.key, a.original_url, a.page_extra FROM article a"
        " LEFT JOIN source s ON s.id = a.source_id ORDER BY a.id"
    )
    return [(r[0], r[1], r[2], r[3], json.loads(r[4])) for r in store.conn.execute(sql)]


def test_a_page_from_another_host_cannot_replace_an_outlets_article(
    store: Store, caplog: pytest.LogCaptureFixture
) -> None:
    first = _upsert(store, Article(url=A_URL, title="سوق الكتاب", body=BODY_A, outlet="العربية"))
    hijack = Article(
        url="http://127.0.0.2:8080/copy?id=7", title="سوق الكتاب (نسخة)", body=BODY_B, canonical_url=A_URL
    )
    with caplog.at_level(logging.WARNING, logger="marsad.store.articles"):
        second = _upsert(store, hijack)
    assert (first.outcome, second.outcome) == ("new", "new")
    assert second.id != first.id and second.url == "http://127.0.0.2:8080/copy?id=7"
    refused = {"url": A_URL, "reason": "on another site (alarabiya.net) than the page (127.0.0.2)"}
    assert _rows(store) == [
        (A_URL, "سوق الكتاب", "alarabiya.net", None, {}),
        ("http://127.0.0.2:8080/copy?id=7", "سوق الكتاب (نسخة)", "127.0.0.2", None, {"canonical_refused": refused}),
    ]  # fmt: skip
    assert [r.getMessage() for r in caplog.records] == [
        "test: canonical URL refused, on another site (alarabiya.net) than the page (127.0.0.2);"
        " kept under http://127.0.0.2:8080/copy?id=7"
    ]
    # the same page again is unchanged, and A's article is still A's
    assert _upsert(store, hijack).outcome == "unchanged"
    assert _rows(store)[0] == (A_URL, "سوق الكتاب", "alarabiya.net", None, {})


def test_javascript_and_data_urls_are_never_stored(store: Store) -> None:
    for n, canonical in enumerate(
        ["javascript:alert(document.cookie)", " JaVaScRiPt:alert(1)", "data:text/html,x"]
    ):
        _upsert(
            store,
            Article(
                url=f"https://b.example/news/{n}",
                title=f"خبر {n}",
                body=BODY_B,
                canonical_url=canonical,
                original_url="javascript:alert(2)" if n else "data:text/html;base64,PHNjcmlwdD4=",
            ),
        )
    reasons = [
        "not an http(s) URL (javascript:)",
        "not an http(s) URL (javascript:)",
        "not an http(s) URL (data:)",
    ]
    assert _rows(store) == [
        (f"https://b.example/news/{n}", f"خبر {n}", "b.example", None,
         {"canonical_refused": {"url": None, "reason": reason}})
        for n, reason in enumerate(reasons)
    ]  # fmt: skip
    with pytest.raises(ValueError, match="not an http"):
        _upsert(store, Article(url="javascript:alert(1)", title="x", body=BODY_B), kind="record")
    assert len(_rows(store)) == 3


def test_a_canonical_on_the_same_site_is_taken(store: Store) -> None:
    cases = [
        (
            "https://m.hespress.example/economie/1.html",
            "https://www.hespress.example/economie/1.html?utm_source=x",
        ),
        ("https://hespress.example/economie/2.html", "https://www.hespress.example/economie/2.html"),
        ("https://www.youm7.com/story/3?amp=1", "/story/3"),  # relative: resolved against the page
        ("https://amp.bawabatalnil.com.eg/News/4", "https://www.bawabatalnil.com.eg/News/4"),
        ("https://www.bbc.com/arabic/5", "https://www.bbc.co.uk/arabic/5"),  # two hosts of one known outlet
    ]
    for n, (url, canonical) in enumerate(cases):
        _upsert(store, Article(url=url, title=f"خبر {n}", body=BODY_A, canonical_url=canonical))
    assert [(r[0], r[4]) for r in _rows(store)] == [
        ("https://www.hespress.example/economie/1.html", {}),
        ("https://www.hespress.example/economie/2.html", {}),
        ("https://www.youm7.com/story/3", {}),
        ("https://www.bawabatalnil.com.eg/News/4", {}),
        ("https://www.bbc.co.uk/arabic/5", {}),
    ]


def test_a_neighbour_under_the_same_public_suffix_is_another_site(store: Store) -> None:
    cases = [
        ("https://www.masrawy.com.eg/n/1", "https://www.bawabatalnil.com.eg/News/1"),
        ("https://spa.gov.sa/1", "https://www.moi.gov.sa/1"),
        ("https://mine.blogspot.com/1", "https://www.theirs.blogspot.com/1"),
        ("https://www.bbc.com/arabic/2", "https://edition.cnn.com/2"),
    ]
    for url, canonical in cases:
        assert choose_article_url(url, canonical)[0] == url
        assert choose_article_url(url, canonical)[1].startswith("on another site (")


def test_registrable_domains() -> None:
    assert [
        registrable_domain(h)
        for h in ("www.bbc.co.uk", "m.youm7.com", "news.ahram.org.eg", "spa.gov.sa", "www.map.gov.ma",
                  "x.annahar.org.lb", "sabq.net.sa", "a.b.blogspot.com", "127.0.0.1", "localhost", "co.uk")
    ] == [
        "bbc.co.uk", "youm7.com", "ahram.org.eg", "spa.gov.sa", "map.gov.ma",
        "annahar.org.lb", "sabq.net.sa", "b.blogspot.com", "127.0.0.1", "localhost", "co.uk",
    ]  # fmt: skip


def test_a_saved_page_keeps_its_canonical_url(store: Store) -> None:
    # a file has no web address of its own to check against: its http(s) canonical URL is its address
    page = Article(url="file:///data/pages/souk.html", title="سوق", body=BODY_A, canonical_url=A_URL)
    assert _upsert(store, page).url == A_URL
    no_web = Article(url="file:///data/pages/x.html", title="x", body=BODY_B, canonical_url="javascript:x")
    assert _upsert(store, no_web).url == "file:///data/pages/x.html"


def _warc_record(url: str, html: str) -> bytes:
    payload = html.encode()
    http = b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\r\n" + payload
    return (
        (
            f"WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: {url}\r\nWARC-Date: 2018-06-01T10:00:00Z\r\n"
            f"WARC-Record-ID: <urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, url)}>\r\n"
            f"Content-Type: application/http; msgtype=response\r\nContent-Length: {len(http)}\r\n\r\n"
        ).encode()
        + http
        + b"\r\n\r\n"
    )


def _html(title: str, body: list[str], canonical: str, site: str) -> str:
    paragraphs = "".join(f"<p>{p * 3}</p>" for p in body)
    return (
        f'<!DOCTYPE html><html lang="ar"><head><meta charset="utf-8"><title>{title}</title>'
        f'<link rel="canonical" href="{canonical}"><meta property="og:site_name" content="{site}">'
        f"</head><body><article><h1>{title}</h1>{paragraphs}</article></body></html>"
    )


def test_fetched_pages_end_to_end(tmp_path: Path, store: Store) -> None:
    """A crawl's WARC: A's article, then a page fetched from host B naming A's URL as its canonical, and a
    page with a javascript: canonical. Each is kept under its own URL; A's article is untouched."""
    b_url, js_url = "http://127.0.0.2:8001/news/copy", "http://127.0.0.2:8001/news/js"
    warc = tmp_path / "crawl.warc"
    warc.write_bytes(
        _warc_record("https://alarabiya.net/ar/arab-and-world/2018/05/20/souk", _html("سوق الكتاب", BODY_A, A_URL, "العربية"))
        + _warc_record(b_url, _html("سوق الكتاب المزور", BODY_B, A_URL, "موقع ب"))
        + _warc_record(js_url, _html("خبر آخر", BODY_B, "javascript:alert(1)", "موقع ب"))
    )  # fmt: skip
    pages = [i for i in iter_targets([str(warc)]) if isinstance(i, Page)]
    articles = [extract(p) for p in pages]
    assert [a.canonical_url for a in articles] == [A_URL, A_URL, None]  # extraction drops javascript:
    for article, page in zip(articles, pages, strict=True):
        _upsert(store, article, kind=page.kind)
    rows = [(r[0], r[1], r[2], r[4]) for r in _rows(store)]
    assert rows == [
        (A_URL, "سوق الكتاب", "alarabiya.net", {}),
        (b_url, "سوق الكتاب المزور", "127.0.0.2",
         {"canonical_refused": {"url": A_URL, "reason": "on another site (alarabiya.net) than the page (127.0.0.2)"}}),
        (js_url, "خبر آخر", "127.0.0.2", {}),
    ]  # fmt: skip
