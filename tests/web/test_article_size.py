"""Issue 20: a very long article is stored whole, but the page and the API send at most article_view_chars
characters of its text (whole paragraphs) and say so; listings and search snippets never read it whole."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from marsad.ingest import ingest
from marsad.settings import SETTING
from marsad.store import articles, searchfeed
from marsad.store.articles import article_view, cut_text
from marsad.store.db import Store
from marsad.web import create_app

from .conftest import browser_client

PARAGRAPH = "أعلنت الحكومة اليوم عن خطة جديدة لإصلاح قطاع التعليم في البلاد خلال السنوات الخمس المقبلة. " * 11
LIMIT = SETTING["article_view_chars"].default
MARGIN = 20_000  # the page around the text: header, navigation, report form, the notice


def long_body(chars: int) -> list[str]:
    """Numbered paragraphs of about 1,000 characters, together at least `chars` long."""
    paragraphs: list[str] = []
    while sum(len(p) + 1 for p in paragraphs) < chars:
        paragraphs.append(f"{len(paragraphs) + 1}. {PARAGRAPH.strip()}")
    return paragraphs


@pytest.fixture(scope="module")
def long_archive(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, int, str]:
    """(database, id, body as published) of a 5 MB article ingested from a JSON-lines record, beside a short
    one of the same outlet."""
    folder = tmp_path_factory.mktemp("long")
    body = long_body(5_000_000)
    records = [
        {"url": "https://www.hespress.com/long-1.html", "title": "خبر طويل جدا", "body": body,
         "outlet": "هسبريس", "published": "2020-01-02T10:00:00+00:00"},
        {"url": "https://www.hespress.com/short-2.html", "title": "خبر قصير", "body": ["فقرة أولى.", "فقرة ثانية."],
         "outlet": "هسبريس", "published": "2020-01-01T10:00:00+00:00"},
    ]  # fmt: skip
    source = folder / "records.jsonl"
    source.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in records) + "\n", encoding="utf-8")
    db = folder / "long.db"
    with Store(db) as store:
        ingest([str(source)], store, progress=False, link=False, index=False)
        article_id = store.conn.execute(
            "SELECT id FROM article WHERE url = 'https://www.hespress.com/long-1.html'"
        ).fetchone()[0]
    return db, article_id, "\n".join(body)


def test_the_store_keeps_the_whole_text(long_archive):
    db, article_id, text = long_archive
    assert len(text) >= 5_000_000
    with Store(db) as store:
        stored, chars = store.conn.execute(
            "SELECT body, length(body) FROM article WHERE id = ?", (article_id,)
        ).fetchone()
    assert chars == len(text) and stored == text


def test_the_api_sends_at_most_the_limit_in_whole_paragraphs(long_archive, monkeypatch):
    monkeypatch.delenv("MARSAD_ARTICLE_VIEW_CHARS", raising=False)
    db, article_id, text = long_archive
    response = browser_client(create_app(db)).get(f"/api/v1/articles/{article_id}")
    assert response.status_code == 200
    assert len(response.content) < 2 * LIMIT + MARGIN  # Arabic letters are two bytes in UTF-8
    data = response.json()
    assert data["truncated"] is True and data["body_chars"] == len(text)
    shown = "\n".join(data["body"])
    assert LIMIT - len(PARAGRAPH) - 20 < len(shown) <= LIMIT
    assert text.startswith(shown + "\n")  # whole paragraphs, from the start
    assert data["body"] == text.split("\n")[: len(data["body"])]

    short_id = next(
        a["id"]
        for a in browser_client(create_app(db)).get("/api/v1/articles").json()
        if a["id"] != article_id
    )
    short = browser_client(create_app(db)).get(f"/api/v1/articles/{short_id}").json()
    assert (short["body"], short["truncated"], short["body_chars"]) == (
        ["فقرة أولى.", "فقرة ثانية."],
        False,
        len("فقرة أولى.\nفقرة ثانية."),
    )


def test_the_schema_documents_the_fields(long_archive):
    schema = browser_client(create_app(long_archive[0])).get("/openapi.json").json()
    props = schema["components"]["schemas"]["ArticleOut"]["properties"]
    assert (
        props["truncated"]["type"] == "boolean" and "article_view_chars" in props["truncated"]["description"]
    )
    assert props["body_chars"]["type"] == "integer" and props["body_chars"]["description"]


def test_the_page_sends_at_most_the_limit_and_says_so(long_archive, monkeypatch):
    monkeypatch.delenv("MARSAD_ARTICLE_VIEW_CHARS", raising=False)
    db, article_id, text = long_archive
    client = browser_client(create_app(db))
    response = client.get(f"/articles/{article_id}")
    assert response.status_code == 200
    assert len(response.text) < LIMIT + MARGIN
    assert 'dir="rtl"' in response.text and 'lang="ar"' in response.text
    assert "نص هذا الخبر أطول مما يُعرض هنا، فاختُصر للعرض" in response.text
    assert f"من أصل {len(text):,} حرف" in response.text
    assert f'data-body-chars="{len(text)}"' in response.text
    assert text.split("\n")[0] in response.text
    # the last paragraph shown is whole; the one after it is not sent
    view_count = len(cut_text(text[: LIMIT + 1], LIMIT).split("\n"))
    assert text.split("\n")[view_count - 1] in response.text
    assert f"{view_count + 1}. " not in response.text.replace(text.split("\n")[view_count - 1], "")

    short_id = next(a["id"] for a in client.get("/api/v1/articles").json() if a["id"] != article_id)
    short = client.get(f"/articles/{short_id}")
    assert "فقرة ثانية." in short.text and "اختُصر للعرض" not in short.text


def test_the_limit_is_the_setting(long_archive, monkeypatch):
    db, article_id, text = long_archive
    monkeypatch.setenv("MARSAD_ARTICLE_VIEW_CHARS", "50000")
    client = browser_client(create_app(db))
    data = client.get(f"/api/v1/articles/{article_id}").json()
    assert 48_000 < len("\n".join(data["body"])) <= 50_000 and data["truncated"] is True
    assert len(client.get(f"/articles/{article_id}").text) < 50_000 + MARGIN


def test_listings_and_search_hits_do_not_read_the_body(long_archive, monkeypatch):
    monkeypatch.delenv("MARSAD_ARTICLE_VIEW_CHARS", raising=False)
    db, article_id, text = long_archive
    assert "body" not in articles.LIST_COLUMNS
    client = browser_client(create_app(db))
    for path in ("/", "/api/v1/articles", "/outlets/1"):
        response = client.get(path)
        assert response.status_code == 200 and len(response.content) < 100_000, path
    with Store(db) as store:
        hit = searchfeed.hit_rows(store, [article_id])[article_id]
        assert hit.body == text[: searchfeed.HIT_BODY_CHARS]
        assert searchfeed.hit_rows(store, [article_id], with_body=False)[article_id].body == ""
        view = article_view(store, article_id, 2000)
    assert view is not None and view.truncated and view.body_chars == len(text)
    assert view.page.paragraphs == [text.split("\n")[0]] and view.shown_chars == len(text.split("\n")[0])


def test_search_snippets_of_a_long_article(long_archive, monkeypatch):
    from marsad.search import reindex

    db, article_id, _ = long_archive
    with Store(db) as store:
        reindex(store)
    client = browser_client(create_app(db))
    found = client.get("/api/v1/search", params={"q": "إصلاح التعليم"}).json()
    hit = next(h for h in found["hits"] if h["id"] == article_id)
    assert "<mark>" in hit["snippet_html"] and len(hit["snippet_html"]) < 1000


def test_cut_text_keeps_whole_paragraphs():
    assert cut_text("أ ب ج\nد ه و\nز ح ط", 100) == "أ ب ج\nد ه و\nز ح ط"
    assert cut_text("أ ب ج\nد ه و\nز ح ط", 11) == "أ ب ج\nد ه و"
    assert cut_text("أ ب ج\nد ه و\nز ح ط", 12) == "أ ب ج\nد ه و"
    assert cut_text("أ ب ج\nد ه و\nز ح ط", 6) == "أ ب ج"
    # not even the first paragraph fits: it is cut at a space within the limit, else at the limit
    assert cut_text("كلمة " * 100, 23) == "كلمة كلمة كلمة كلمة"
    assert cut_text("ا" * 100, 10) == "ا" * 10


def test_the_view_reads_characters_of_every_width(tmp_path: Path) -> None:
    """Characters of one to four bytes (ASCII, Arabic, a no-break space, an emoji) cut exactly, the whole
    length counted, and counted again when the text changes."""
    paragraph = "abc عربي\xa0😀 " * 30  # 330 characters
    text = "\n".join([paragraph.strip()] * 40)
    with Store(tmp_path / "w.db") as store:
        with store.transaction() as conn:
            conn.execute(
                "INSERT INTO article(id, url, title, body, categories, images, content_hash)"
                " VALUES (1, 'https://x.example/1', 'عنوان', ?, '[]', '[]', 'h1')",
                (text,),
            )
        view = article_view(store, 1, 1000)
        assert view is not None and (view.body_chars, view.truncated) == (len(text), True)
        assert view.page.body == cut_text(text, 1000) == "\n".join([paragraph.strip()] * 3)
        with store.transaction() as conn:
            conn.execute("UPDATE article SET body = ?, content_hash = 'h2' WHERE id = 1", (text + "\n😀",))
        view = article_view(store, 1, 1000)
        assert view is not None and view.body_chars == len(text) + 2
        whole = article_view(store, 1, 100_000)
        assert whole is not None and not whole.truncated and whole.page.body == text + "\n😀"
