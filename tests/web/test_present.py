"""Dates, counts, links and snippets as the pages show them."""

from __future__ import annotations

from types import SimpleNamespace

from marsad.web import present


def test_arabic_dates_at_their_precision():
    assert present.arabic_date("2017-09-21T10:30:00+01:00", "minute") == "21 سبتمبر 2017، الساعة 10:30"
    assert present.arabic_date("2017-09-21", "day") == "21 سبتمبر 2017"
    assert present.arabic_date("2017-09") == "سبتمبر 2017"
    assert present.arabic_date("2018-Q1") == "الربع الأول 2018"
    assert present.arabic_date("2018") == "2018"
    assert present.arabic_date(None) == "تاريخ غير معروف"
    assert present.arabic_date("not a date") == "not a date"


def test_counts_agree_with_the_number():
    assert [present.counted(n, "outlet") for n in (1, 2, 3, 10, 11, 103)] == [
        "مصدر واحد",
        "مصدران",
        "3 مصادر",
        "10 مصادر",
        "11 مصدرا",
        "103 مصادر",
    ]


def test_only_http_links_are_followed():
    assert present.safe_url("https://2m.ma/a?b=1") == "https://2m.ma/a?b=1"
    assert present.safe_url("javascript:alert(1)") is None
    assert present.safe_url(" JaVaScRiPt:alert(1)") is None
    assert present.safe_url("file:///etc/passwd") is None
    assert present.safe_url("//evil.example/x") is None
    assert present.safe_url('https://x.example/"onmouseover=') is None
    assert (
        present.read_at_source(SimpleNamespace(url="https://a.ma/1", original_url="https://b.ma/2"))
        == "https://b.ma/2"
    )
    assert (
        present.read_at_source(SimpleNamespace(url="https://a.ma/1", original_url=None)) == "https://a.ma/1"
    )


def test_paragraphs_keep_inline_markup_and_lose_scripts():
    assert str(present.paragraph_html("نص <b>مهم</b> هنا")) == "نص <b>مهم</b> هنا"
    assert str(present.paragraph_html("a < b")) == "a &lt; b"
    assert str(present.paragraph_html("<script>alert(1)</script>نص")) == "نص"
    assert (
        str(present.paragraph_html('<a href="javascript:alert(1)">x</a>'))
        == '<a rel="noopener noreferrer nofollow ugc">x</a>'
    )


def test_fallback_highlight_escapes_and_marks():
    html = str(present.highlight("أسعار <المحروقات> تتراجع", ["المحروقات"]))
    assert html == "أسعار &lt;<mark>المحروقات</mark>&gt; تتراجع"
    assert str(present.clean_snippet("<mark>ok</mark><img src=x onerror=alert(1)>")) == "<mark>ok</mark>"
