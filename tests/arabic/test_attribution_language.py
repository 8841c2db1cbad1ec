"""Repost attribution lines and language identification."""

from __future__ import annotations

from datetime import datetime

import pytest

from marsad.arabic import Attribution, ParsedDate, attribution, language


def test_seed_attribution_line() -> None:
    assert attribution("نشر في دوزيم يوم 21 - 09 - 2017") == Attribution(
        outlet="دوزيم", date=ParsedDate(datetime(2017, 9, 21), "day")
    )


@pytest.mark.parametrize(
    ("line", "outlet", "date"),
    [
        ("نشر في هسبريس يوم 05 - 03 - 2018", "هسبريس", "2018-03-05"),
        ("نشر في اليوم 24 يوم 12 - 11 - 2017", "اليوم 24", "2017-11-12"),
        ("نشر في المساء بتاريخ 3 يناير 2018", "المساء", "2018-01-03"),
        ("المصدر: هسبريس", "هسبريس", None),
        ("المصدر : وكالة المغرب العربي للأنباء", "وكالة المغرب العربي للأنباء", None),
        ("عن موقع الأول", "الأول", None),
        ("نقلا عن وكالة الأنباء الفرنسية.", "وكالة الأنباء الفرنسية", None),
        ("نقلاً عن موقع العربية.نت", "العربية.نت", None),
        ("نشر في سي إن إن بالعربية يوم 21 - 09 - 2017", "سي إن إن بالعربية", "2017-09-21"),
        ("عن موقع إن بي سي نيوز", "إن بي سي نيوز", None),
        ("نقلا عن الصحيفة إن الوزير استقال", "الصحيفة", None),
        ("(المصدر: رويترز)", "رويترز", None),
        ("عن موقع: هسبريس", "هسبريس", None),
        ("المصدر : موقع زنقة 20", "زنقة 20", None),
        ("بتصرف عن موقع العمق المغربي", "العمق المغربي", None),
        ('نقلا عن "رويترز"', "رويترز", None),
        ("نقلا عن «هسبريس»، أن الحكومة", "هسبريس", None),
        ("عن وكالة الأنباء الفرنسية", "وكالة الأنباء الفرنسية", None),
        ('* نقلا عن "الخليج" الإماراتية', "الخليج", None),
        ("(المصدر: حكومة موزمبيق، جوزيف هانلون)", "حكومة موزمبيق", None),
        ("نشـر فـي دوزيـم يوم 21 - 09 - 2017", "دوزيـم", "2017-09-21"),
        ("المَصدر: هِسبريس", "هِسبريس", None),
        ("بوريطة يشدد على التعاون | نشر في دوزيم يوم 21 - 09 - 2017", "دوزيم", "2017-09-21"),
        ("نشر في جريدة الصباح يوم 21 - 09 - 2017", "جريدة الصباح", "2017-09-21"),
    ],
)
def test_attribution_lines(line: str, outlet: str, date: str | None) -> None:
    found = attribution(line)
    assert found is not None
    assert found.outlet == outlet
    assert (found.date.iso() if found.date else None) == date


def test_attribution_with_url() -> None:
    found = attribution("المصدر: https://www.hespress.com/politique/123.html")
    assert found == Attribution(outlet="hespress.com", url="https://www.hespress.com/politique/123.html")


def test_outlet_is_capped_at_a_few_words() -> None:
    found = attribution("المصدر: جريدة الصباح المغربية الصادرة في الدار البيضاء كل يوم من أيام الأسبوع")
    assert found is not None
    assert found.outlet == "جريدة الصباح المغربية الصادرة"


@pytest.mark.parametrize(
    "line",
    [
        "",
        "أكد وزير الشؤون الخارجية والتعاون الدولي ناصر بوريطة على الحاجة الملحة لتكثيف التعاون الدولي",
        "وقال نقلا عن مصادر مطلعة إن الاجتماع سيعقد في نيويورك",
        "نقلا عن مسؤول أمريكي",
        "تحدث عن موقعها الجغرافي",
        "تحدث الوزير عن وكالة الفضاء",
        "وأضافت نقلا عن الوزارة أن 43 مسلحا قتلوا في نفس المعركة.",
        "وذكر بيان، نشر على موقع تابع للتنظيم، أن اثنين من عناصره كانا وراء الهجوم.",
        "وأضاف المصدر نفسه أن الاجتماع انتهى",
        "وأوضح المصدر ذاته أن هذه المبادرة تهدف إلى تحديد الأدوات والإجراءات اللازمة لمواجهة الظاهرة، "
        "نقلا عن وكالة الأنباء في سياق تقرير مطول عن الإرهاب الداخلي وسبل مكافحته في غرب وشرق إفريقيا",
        "اضغط هنا لقراءة الخبر من مصدره",
    ],
)
def test_not_an_attribution(line: str) -> None:
    assert attribution(line) is None


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("أكد وزير الشؤون الخارجية والتعاون الدولي على الحاجة الملحة لتكثيف التعاون الدولي", "ar"),
        ("Le ministre des affaires étrangères a souligné la nécessité de renforcer la coopération", "fr"),
        ("The foreign minister stressed the urgent need to step up international cooperation", "en"),
        ("وزیر امور خارجه بر ضرورت تقویت همکاری های بین المللی تاکید کرد", "fa"),
    ],
)
def test_language(text: str, code: str) -> None:
    assert language(text) == code


@pytest.mark.parametrize("text", ["", "   ", "12345 678", "!!! ... ???", "\x00\x01\x02"])
def test_language_unknown(text: str) -> None:
    assert language(text) is None
