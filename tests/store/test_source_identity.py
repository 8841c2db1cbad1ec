"""Issue 20: a page fetched from one host that claims a known outlet's name (og:site_name "العربية") is not
credited to that outlet: a known outlet's name is trusted only on one of its hosts, or for a page without a
web address (a saved file, a record without a web URL); otherwise the page's host is its outlet."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from marsad.extract import extract
from marsad.ingest import ingest
from marsad.models import Article, Page
from marsad.store.articles import SourceCache, source_identity, upsert_article
from marsad.store.db import Store

A_URL = "https://www.alarabiya.net/ar/arab-and-world/2018/05/20/souk"
B_URL = "http://127.0.0.2:8080/copy?id=7"
BODY = ["افتتحت البلدية سوق الكتاب المستعمل في ساحة المدينة القديمة.", "ويستمر السوق حتى نهاية الشهر."]
AL_ARABIYA = ("alarabiya.net", "العربية", "Al Arabiya", "https://www.alarabiya.net/", "AE")
BBC = ("bbc.co.uk/arabic", "بي بي سي عربي", "BBC Arabic", "https://www.bbc.com/arabic", "GB")


@pytest.fixture
def store(tmp_path: Path):
    with Store(tmp_path / "t.db") as s:
        yield s


def _sources(store: Store) -> list[tuple]:
    """(article URL, its source row: key, name, name_latin, home_url, country), by article id."""
    sql = (
        "SELECT a.url, s.key, s.name, s.name_latin, s.home_url, s.country FROM article a"
        " LEFT JOIN source s ON s.id = a.source_id ORDER BY a.id"
    )
    return [(r[0], tuple(r[1:])) for r in store.conn.execute(sql)]


def _upsert(store: Store, *articles: Article) -> None:
    with store.transaction() as conn:
        cache = SourceCache()
        for article in articles:
            upsert_article(conn, cache, article, origin="test", kind="html")


def test_a_known_name_on_a_foreign_host_is_credited_to_the_host(store: Store) -> None:
    _upsert(
        store,
        Article(url=A_URL, title="سوق الكتاب", body=BODY, outlet="العربية"),
        Article(url=B_URL, title="سوق الكتاب (نسخة)", body=BODY, outlet="العربية", canonical_url=A_URL),
        Article(url="https://copycat.example/news/1", title="خبر", body=BODY, outlet="Al Arabiya"),
        Article(url="https://www.bbc.com/arabic/world-1", title="خبر", body=BODY, outlet="alarabia"),
        Article(url="https://english.alarabiya.net/news/2", title="خبر", body=BODY, outlet=None),
        Article(url="https://www.hespress.com/politique/3", title="خبر", body=BODY, outlet="هسبريس"),
        Article(url="https://www.hespress.com/politique/4", title="خبر", body=BODY, outlet=None),
    )
    assert _sources(store) == [
        (A_URL, AL_ARABIYA),
        (B_URL, ("127.0.0.2", "127.0.0.2", None, "https://127.0.0.2/", None)),
        ("https://copycat.example/news/1", ("copycat.example", "copycat.example", None, "https://copycat.example/", None)),
        ("https://www.bbc.com/arabic/world-1", BBC),  # its host's outlet, whatever name it gives
        ("https://english.alarabiya.net/news/2", AL_ARABIYA),
        ("https://www.hespress.com/politique/3", ("hespress.com", "هسبريس", None, "https://hespress.com/", None)),
        ("https://www.hespress.com/politique/4", ("hespress.com", "هسبريس", None, "https://hespress.com/", None)),
    ]  # fmt: skip
    assert [tuple(r) for r in store.conn.execute("SELECT key, name FROM source ORDER BY id")] == [
        ("alarabiya.net", "العربية"),
        ("127.0.0.2", "127.0.0.2"),
        ("copycat.example", "copycat.example"),
        ("bbc.co.uk/arabic", "بي بي سي عربي"),
        ("hespress.com", "هسبريس"),
    ]


def test_pages_without_a_web_address_are_credited_by_name(store: Store, tmp_path: Path) -> None:
    saved = (tmp_path / "page.html").as_uri()
    _upsert(
        store,
        Article(url=saved, title="خبر", body=BODY, outlet="alarabia"),
        Article(url=(tmp_path / "other.html").as_uri(), title="خبر", body=BODY, outlet="جريدة المساء"),
    )
    assert _sources(store) == [
        (saved, AL_ARABIYA),
        ((tmp_path / "other.html").as_uri(), ("جريدة المساء", "جريدة المساء", None, None, None)),
    ]
    assert source_identity("العربية", "") == (
        "alarabiya.net",
        {
            "name": "العربية",
            "name_latin": "Al Arabiya",
            "home_url": "https://www.alarabiya.net/",
            "country": "AE",
        },
    )
    assert source_identity(None, "") is None


def test_a_fetched_page_claiming_al_arabiya_is_its_hosts(store: Store) -> None:
    """The whole path: a page served from host B with og:site_name "العربية" and a canonical URL on
    alarabiya.net is kept under B's URL and credited to B."""
    html = f"""<!DOCTYPE html><html lang="ar" dir="rtl"><head><meta charset="utf-8">
<title>سوق الكتاب المستعمل - العربية</title>
<meta property="og:site_name" content="العربية">
<meta property="og:title" content="سوق الكتاب المستعمل">
<link rel="canonical" href="{A_URL}">
</head><body><article><h1>سوق الكتاب المستعمل</h1>
{"".join(f"<p>{p}</p>" for p in BODY)}
</article></body></html>"""
    article = extract(Page(url=B_URL, kind="html", content=html.encode(), content_type="text/html"))
    assert article.outlet == "العربية"  # what the page claims
    _upsert(store, article)
    assert _sources(store) == [(B_URL, ("127.0.0.2", "127.0.0.2", None, "https://127.0.0.2/", None))]


def test_corpus_records_on_their_outlets_host_keep_their_outlet(store: Store, tmp_path: Path) -> None:
    records = [
        {"url": "https://www.alarabiya.net/a/1", "title": "خبر أول", "body": BODY, "source": "alarabia"},
        {"url": "https://mirror.example/a/2", "title": "خبر ثان", "body": BODY, "source": "alarabia"},
        {"url": "http://www.bbc.co.uk/arabic/a/3", "title": "خبر ثالث", "body": BODY, "source": "BBC"},
    ]
    path = tmp_path / "corpus.jsonl"
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in records) + "\n", encoding="utf-8")
    ingest([str(path)], store, progress=False, link=False, index=False)
    assert _sources(store) == [
        ("https://www.alarabiya.net/a/1", AL_ARABIYA),
        ("https://mirror.example/a/2", ("mirror.example", "mirror.example", None, "https://mirror.example/", None)),
        ("http://www.bbc.co.uk/arabic/a/3", BBC),
    ]  # fmt: skip
