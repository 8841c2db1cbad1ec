"""Bad input: a clear ExtractionError or a result, never a crash or a hang."""

from __future__ import annotations

import time

import pytest

from marsad.extract import extract
from marsad.models import ExtractionError, Page

PARAGRAPH = (
    "<p>"
    + "وقال المسؤول إن الحكومة ستواصل العمل على تنفيذ الإصلاحات، مضيفا أن النتائج ستظهر قريبا. " * 3
    + "</p>"
)


def html_page(content: bytes, **kwargs) -> Page:
    return Page(url="https://example.org/a", kind="html", content=content, **kwargs)


def test_html_without_body():
    with pytest.raises(ExtractionError, match="no article text"):
        extract(html_page(b"<html><head><title>x</title></head></html>"))


def test_page_of_only_scripts():
    with pytest.raises(ExtractionError, match="no article text"):
        extract(html_page(b"<html><body>" + b"<script>var a = 1;</script>" * 1000 + b"</body></html>"))


@pytest.mark.parametrize("content", [b"", b"  \n\t ", b"\n\n"])
def test_empty_pages(content):
    with pytest.raises(ExtractionError, match="empty page"):
        extract(html_page(content))
    with pytest.raises(ExtractionError, match="empty page"):
        extract(Page(url="x", kind="text", content=content))


def test_binary_content():
    with pytest.raises(ExtractionError, match="binary content"):
        extract(html_page(bytes(range(256)) * 400))


def test_twenty_megabyte_page_is_capped():
    tail = "<p>x</p>" * 2_500_000
    content = ("<html><body><div>" + PARAGRAPH * 20 + "</div>" + tail + "</body></html>").encode()
    assert len(content) > 20_000_000
    start = time.perf_counter()
    article = extract(html_page(content))
    assert time.perf_counter() - start < 60  # capped work; typically a few seconds
    assert len(article.body) == 20
    assert article.body[0] == PARAGRAPH[3:-4].strip()


def test_ten_thousand_nested_levels():
    nested = "<div>" * 10_000 + PARAGRAPH * 5 + "</div>" * 10_000
    with pytest.raises(ExtractionError, match="no article text"):
        extract(html_page(f"<html><body>{nested}</body></html>".encode()))
    # text before the deep nesting is still found
    article = extract(html_page(f"<html><body>{PARAGRAPH * 5}{nested}</body></html>".encode()))
    assert len(article.body) == 5


def test_charset_declared_wrong():
    """Declared UTF-8, written in windows-1256: the declaration fails to decode and detection wins."""
    html = (
        '<html><head><meta charset="utf-8"></head><body><h1>عنوان الخبر هنا</h1>'
        + PARAGRAPH * 4
        + "</body></html>"
    )
    article = extract(html_page(html.encode("cp1256")))
    assert article.title == "عنوان الخبر هنا"
    assert article.body[0].startswith("وقال المسؤول إن الحكومة")


def test_truncated_utf8_and_stray_bytes():
    html = ("<html><body><h1>عنوان</h1>" + PARAGRAPH * 4 + "</body></html>").encode()
    article = extract(html_page(html[:-20] + "ن".encode()[:1]))
    assert article.body[0].startswith("وقال المسؤول")
    broken = html.replace("الحكومة".encode(), b"\xff\xfe\xfa", 1)
    assert len(extract(html_page(broken, encoding="utf-8")).body) == 4


def test_text_dump_of_only_ticker_lines():
    line = "    ".join(
        ["وزارة الصحة تطلق حملة تلقيح جديدة", "ارتفاع أسعار الذهب في الأسواق", "افتتاح معرض الكتاب"]
    )
    with pytest.raises(ExtractionError, match="no body paragraph"):
        extract(Page(url="x", kind="text", content=(line + "\n\n") * 30))
    headlines = "\n\n".join(["وزارة الصحة تطلق حملة تلقيح جديدة", "ارتفاع أسعار الذهب في الأسواق"] * 20)
    with pytest.raises(ExtractionError, match="no body paragraph"):
        extract(Page(url="x", kind="text", content=headlines))


def test_record_without_body():
    with pytest.raises(ExtractionError, match="no body"):
        extract(Page(url="x", kind="record", record={"title": "عنوان"}))


def test_record_maps_fields():
    record = {
        "url": "https://e.org/1",
        "title": "عنوان",
        "body": ["فقرة أولى", "فقرة ثانية"],
        "published": "2018-05-20",
        "author": "كاتب",
        "outlet": "منبر",
        "categories": ["سياسة"],
    }
    article = extract(Page(url="", kind="record", record=record))
    assert (article.url, article.title, article.body, article.author, article.outlet, article.categories) == (
        "https://e.org/1",
        "عنوان",
        ["فقرة أولى", "فقرة ثانية"],
        "كاتب",
        "منبر",
        ["سياسة"],
    )
    assert article.published.isoformat() == "2018-05-20T00:00:00" and article.precision == "day"


def test_unknown_kind():
    with pytest.raises(ExtractionError, match="unknown page kind"):
        extract(Page(url="x", kind="pdf", content=b"%PDF-1.4 some text here"))  # type: ignore[arg-type]
