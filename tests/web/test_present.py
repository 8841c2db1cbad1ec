"""Dates, counts, links and snippets as the pages show them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
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
    numbers = (0, 1, 2, 3, 10, 11, 99, 100, 101, 102, 103, 110, 111, 1000, 2005, 2012)
    assert [present.counted(n, "outlet") for n in numbers] == [
        "لا مصادر",
        "مصدر واحد",
        "مصدران",
        "3 مصادر",
        "10 مصادر",
        "11 مصدرا",
        "99 مصدرا",
        "100 مصدر",
        "101 مصدر",
        "102 مصدر",
        "103 مصادر",
        "110 مصادر",
        "111 مصدرا",
        "1000 مصدر",
        "2005 مصادر",
        "2012 مصدرا",
    ]
    assert [present.counted(n, "article") for n in (0, 1, 2, 7, 25, 300)] == [
        "لا أخبار",
        "خبر واحد",
        "خبران",
        "7 أخبار",
        "25 خبرا",
        "300 خبر",
    ]
    assert [present.counted(n, "story") for n in (1, 2, 4, 12)] == ["قصة واحدة", "قصتان", "4 قصص", "12 قصة"]
    assert [present.counted(n, "reader") for n in (1, 2, 3, 11)] == [
        "قارئ واحد",
        "قارئان",
        "3 قراء",
        "11 قارئا",
    ]
    assert [present.counted(n, "report") for n in (2, 5, 20)] == ["إبلاغان", "5 إبلاغات", "20 إبلاغا"]
    # after a preposition (منذ): one is the noun alone, two the genitive dual
    assert [present.counted(n, "hour", genitive=True) for n in (1, 2, 3, 11)] == [
        "ساعة",
        "ساعتين",
        "3 ساعات",
        "11 ساعة",
    ]


NOW = datetime(2026, 12, 6, 12, 0, tzinfo=UTC)


def ago(**delta: float) -> str:
    """A published value that far before NOW, stated at Cairo's offset (+02:00)."""
    return (NOW - timedelta(**delta)).astimezone(timezone(timedelta(hours=2))).isoformat()


def test_relative_times_count_in_arabic():
    cases = [
        ({"seconds": 30}, "الآن"),
        ({"minutes": 1}, "منذ دقيقة"),
        ({"minutes": 2}, "منذ دقيقتين"),
        ({"minutes": 3}, "منذ 3 دقائق"),
        ({"minutes": 10}, "منذ 10 دقائق"),
        ({"minutes": 11}, "منذ 11 دقيقة"),
        ({"minutes": 59, "seconds": 59}, "منذ 59 دقيقة"),
        ({"hours": 1}, "منذ ساعة"),
        ({"hours": 2}, "منذ ساعتين"),
        ({"hours": 3}, "منذ 3 ساعات"),
        ({"hours": 10}, "منذ 10 ساعات"),
        ({"hours": 11}, "منذ 11 ساعة"),
        ({"hours": 23, "minutes": 59}, "منذ 23 ساعة"),
        ({"hours": 24}, "أمس"),
        ({"hours": 47}, "أمس"),
        ({"days": 2}, "منذ يومين"),
        ({"days": 3}, "منذ 3 أيام"),
        ({"days": 10}, "منذ 10 أيام"),
        ({"days": 11}, "منذ 11 يوما"),
        ({"days": 29, "hours": 23}, "منذ 29 يوما"),
        ({"days": 30}, ""),  # older: the date itself is shown
        ({"minutes": -4}, "الآن"),  # a clock a little ahead
        ({"hours": -1}, ""),  # in the future: the date itself
    ]
    assert [present.relative_time(ago(**delta), "minute", NOW) for delta, _ in cases] == [
        text for _, text in cases
    ]
    # the instant counts, not the clock time as stated: 13:00 at +02:00 is 11:00 UTC, an hour before NOW
    assert present.relative_time("2026-12-06T13:00:00+02:00", "minute", NOW) == "منذ ساعة"
    assert present.relative_time("2026-12-06T11:00:00", None, NOW) == "منذ ساعة"  # no offset: UTC


def test_relative_times_of_days_months_and_unknown_dates():
    assert present.relative_time("2026-12-06", "day", NOW) == "اليوم"
    assert present.relative_time("2026-12-05", "day", NOW) == "أمس"
    assert present.relative_time("2026-12-04", "day", NOW) == "منذ يومين"
    assert present.relative_time("2026-11-23", "day", NOW) == "منذ 13 يوما"
    assert present.relative_time("2026-12-06T09:00:00+02:00", "day", NOW) == "اليوم"
    assert present.relative_time("2026-12", "month", NOW) == ""
    assert present.relative_time("2026-Q4", "quarter", NOW) == ""
    assert present.relative_time("2026", "year", NOW) == ""
    assert present.relative_time(None, None, NOW) == ""
    assert present.relative_time("not a date", None, NOW) == ""


def test_instant_is_utc_at_the_start_of_a_period():
    assert present.instant("2018-11-15T21:00:00+03:00") == datetime(2018, 11, 15, 18, 0, tzinfo=UTC)
    assert present.instant("2018-11-15T19:10:00") == datetime(2018, 11, 15, 19, 10, tzinfo=UTC)
    assert present.instant("2018-11-15") == datetime(2018, 11, 15, tzinfo=UTC)
    assert present.instant("2018-Q2") == datetime(2018, 4, 1, tzinfo=UTC)
    assert present.instant("2018-05") == datetime(2018, 5, 1, tzinfo=UTC)
    assert present.instant("2018") == datetime(2018, 1, 1, tzinfo=UTC)
    assert present.instant("2018-13") is None
    assert present.instant("") is None


def test_summary_is_the_articles_own_else_its_first_paragraphs_cut_at_a_word():
    assert present.summary_of("  ملخص المصدر  ", "نص الخبر") == "ملخص المصدر"
    assert present.summary_of(None, "الفقرة الأولى.\nالفقرة الثانية.") == "الفقرة الأولى. الفقرة الثانية."
    assert present.summary_of("", "") == ""
    words = " ".join(["كلمة"] * 100)  # 499 characters
    cut = present.summary_of(None, words, 30)
    assert cut == "كلمة كلمة كلمة كلمة كلمة كلمة…"
    assert present.summary_of(None, "أ" * 40, 30) == "أ" * 30 + "…"  # no space to cut at


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
