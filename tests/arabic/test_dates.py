"""parse_date and find_dates on real date strings of every family, each with its exact value and precision.

The strings are written here as examples of the forms Arabic news pages use (bylines, datelines, article
text); REF is the seed aggregator page's publication day, a Thursday.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from marsad.arabic import ParsedDate, find_dates, parse_date

REF = datetime(2017, 9, 21, 10, 0)

# (text, iso(), precision)
SEED = [
    ("نشر في دوزيم يوم 21 - 09 - 2017", "2017-09-21", "day"),
    ("امس الاربعاء", "2017-09-20", "day"),
    ("أمس الأربعاء", "2017-09-20", "day"),
]
EGYPTIAN_GULF = [
    ("21 سبتمبر 2017", "2017-09-21", "day"),
    ("الخميس 21 سبتمبر 2017", "2017-09-21", "day"),
    ("1 يناير 2018", "2018-01-01", "day"),
    ("14 فبراير 2018", "2018-02-14", "day"),
    ("3 مارس 2018", "2018-03-03", "day"),
    ("25 أبريل 2018", "2018-04-25", "day"),
    ("٢٥ إبريل ٢٠١٨", "2018-04-25", "day"),
    ("5 مايو 2018", "2018-05-05", "day"),
    ("30 يونيو 2013", "2013-06-30", "day"),
    ("23 يوليو 1952", "1952-07-23", "day"),
    ("15 أغسطس 2018", "2018-08-15", "day"),
    ("6 أكتوبر 1973", "1973-10-06", "day"),
    ("11 نوفمبر 2018", "2018-11-11", "day"),
    ("31 ديسمبر 2017", "2017-12-31", "day"),
    ("يونية 2018", "2018-06", "month"),
    ("سبتمبر من عام 2017", "2017-09", "month"),
    ("في 21 من سبتمبر 2017", "2017-09-21", "day"),
]
MOROCCAN = [
    ("20 غشت 2018", "2018-08-20", "day"),
    ("فاتح ماي 2018", "2018-05-01", "day"),
    ("6 نونبر 2017", "2017-11-06", "day"),
    ("18 دجنبر 2017", "2017-12-18", "day"),
    ("29 يوليوز 2018", "2018-07-29", "day"),
    ("30 شتنبر 2017", "2017-09-30", "day"),
    ("8 ماي 2018", "2018-05-08", "day"),
    ("نونبر 2017", "2017-11", "month"),
    ("شتنبر 2018", "2018-09", "month"),
]
ALGERIAN_TUNISIAN = [
    ("5 جويلية 1962", "1962-07-05", "day"),
    ("1 نوفمبر 1954", "1954-11-01", "day"),
    ("14 جانفي 2011", "2011-01-14", "day"),
    ("20 فيفري 2018", "2018-02-20", "day"),
    ("9 أفريل 2018", "2018-04-09", "day"),
    ("جوان 2018", "2018-06", "month"),
    ("13 أوت 2018", "2018-08-13", "day"),
    ("الأحد 22 جويلية 2018", "2018-07-22", "day"),
]
LEVANTINE = [
    ("15 كانون الثاني 2018", "2018-01-15", "day"),
    ("شباط 2018", "2018-02", "month"),
    ("8 آذار 2018", "2018-03-08", "day"),
    ("17 نيسان 2018", "2018-04-17", "day"),
    ("6 أيار 2018", "2018-05-06", "day"),
    ("حزيران 2018", "2018-06", "month"),
    ("14 تموز 2018", "2018-07-14", "day"),
    ("4 آب 2020", "2020-08-04", "day"),
    ("9 أيلول (سبتمبر) 2017", "2017-09-09", "day"),
    ("تشرين الأول 2017", "2017-10", "month"),
    ("22 تشرين الثاني 2017", "2017-11-22", "day"),
    ("25 كانون الأول 2017", "2017-12-25", "day"),
    ("أيلول/سبتمبر 2013", "2013-09", "month"),
    ("14 أكتوبر/تشرين الأول 2017", "2017-10-14", "day"),
]
NUMERIC = [
    ("21/09/2017", "2017-09-21", "day"),
    ("21-9-2017", "2017-09-21", "day"),
    ("21.09.2017", "2017-09-21", "day"),
    ("2017/09/21", "2017-09-21", "day"),
    ("2017-09-21", "2017-09-21", "day"),
    ("09/21/2017", "2017-09-21", "day"),
    ("٢١ - ٠٩ - ٢٠١٧", "2017-09-21", "day"),
    ("۲۱/۰۹/۲۰۱۷", "2017-09-21", "day"),
    ("٢١/٠٩/٢٠١٧", "2017-09-21", "day"),
]
TIMES = [
    ("2017-09-21T10:30:00+01:00", "2017-09-21T10:30:00+01:00", "minute"),
    ("2017-09-21 10:30", "2017-09-21T10:30:00", "minute"),
    ("الخميس 21 سبتمبر 2017 - 10:30 ص", "2017-09-21T10:30:00", "minute"),
    ("21 سبتمبر 2017 - 03:15 م", "2017-09-21T15:15:00", "minute"),
    ("السبت 6 أكتوبر 2018 الساعة 12:05 ص", "2018-10-06T00:05:00", "minute"),
    ("آخر تحديث: الجمعة 6 جويلية 2018 على الساعة 14:05", "2018-07-06T14:05:00", "minute"),
    ("Sun, 18 Feb 2018 21:35:43 +0400", "2018-02-18T21:35:43+04:00", "minute"),
    ("21 سبتمبر 2017 10:30 GMT", "2017-09-21T10:30:00+00:00", "minute"),
    ("September 21, 2017", "2017-09-21", "day"),
    ("يوليوز 12، 2018", "2018-07-12", "day"),
    ("10:30 ص - الخميس 21 سبتمبر 2017", "2017-09-21T10:30:00", "minute"),
    ("08:45 م | 21/09/2017", "2017-09-21T20:45:00", "minute"),
    ("21 septembre 2017", "2017-09-21", "day"),
]
PART_OF_MONTH = [
    ("متم شتنبر 2017", "2017-09", "month"),
    ("نهاية ديسمبر 2017", "2017-12", "month"),
    ("أواخر أغسطس 2018", "2018-08", "month"),
    ("مطلع يناير 2018", "2018-01", "month"),
    ("بداية مارس 2018", "2018-03", "month"),
    ("أوائل نيسان 2018", "2018-04", "month"),
    ("منتصف يونيو 2018", "2018-06", "month"),
    ("نهاية 2017", "2017", "year"),
    ("مطلع عام 2018", "2018", "year"),
]
HIJRI = [
    ("1 محرم 1439 هـ", "2017-09-21", "day"),
    ("1 رمضان 1439 هـ", "2018-05-16", "day"),
    ("10 ذو الحجة 1438 هـ", "2017-09-01", "day"),
    ("15 شعبان 1439هـ", "2018-05-01", "day"),
    ("رمضان 1439", "2018-05", "month"),
    ("1439 هـ", "2018", "year"),
    ("الخميس 1 محرم 1439 هـ الموافق 21 سبتمبر 2017 م", "2017-09-21", "day"),
]
RELATIVE = [
    ("منذ 3 ساعات", "2017-09-21T07:00:00", "minute"),
    ("منذ ساعتين", "2017-09-21T08:00:00", "minute"),
    ("منذ 45 دقيقة", "2017-09-21T09:15:00", "minute"),
    ("منذ يومين", "2017-09-19", "day"),
    ("قبل 5 أيام", "2017-09-16", "day"),
    ("منذ أسبوع", "2017-09-14", "day"),
    ("الأسبوع الماضي", "2017-09-14", "day"),
    ("الشهر الماضي", "2017-08", "month"),
    ("منذ شهرين", "2017-07", "month"),
    ("العام الماضي", "2016", "year"),
    ("السنة المقبلة", "2018", "year"),
    ("قبل ثلاث سنوات", "2014", "year"),
    ("اليوم", "2017-09-21", "day"),
    ("صباح اليوم", "2017-09-21", "day"),
    ("غدا الجمعة", "2017-09-22", "day"),
    ("أمس الأول", "2017-09-19", "day"),
    ("البارحة", "2017-09-20", "day"),
    ("يوم الاثنين الماضي", "2017-09-18", "day"),
    ("الأحد المقبل", "2017-09-24", "day"),
    ("يوم الثلاثاء", "2017-09-19", "day"),
    ("الأربعاء", "2017-09-20", "day"),
    ("21 سبتمبر", "2017-09-21", "day"),
    ("28 ديسمبر", "2017-12-28", "day"),
    ("سبتمبر الماضي", "2016-09", "month"),
    ("أغسطس الماضي", "2017-08", "month"),
    ("أكتوبر المقبل", "2017-10", "month"),
    ("فبراير من العام المقبل", "2018-02", "month"),
    ("13 فبراير/شباط العام الماضي", "2016-02-13", "day"),
    ("7 نيسان/أبريل الجاري", "2017-04-07", "day"),
    ("18 سبتمبر الماضي", "2017-09-18", "day"),
    ("الربع الأول من السنة الجارية", "2017-Q1", "quarter"),
    ("الربع الثالث من العام الماضي", "2016-Q3", "quarter"),
    ("الربع الأخير من هذا العام", "2017-Q4", "quarter"),
]
YEARS_QUARTERS = [
    ("2017", "2017", "year"),
    ("2017م", "2017", "year"),
    ("عام 2016", "2016", "year"),
    ("منذ سنة 2016", "2016", "year"),
    ("الربع الأول من 2018", "2018-Q1", "quarter"),
    ("الربع الأخير من عام 2017", "2017-Q4", "quarter"),
    ("Q3 2018", "2018-Q3", "quarter"),
]
CASES = (
    SEED + EGYPTIAN_GULF + MOROCCAN + ALGERIAN_TUNISIAN + LEVANTINE + NUMERIC + TIMES + PART_OF_MONTH + HIJRI
    + RELATIVE + YEARS_QUARTERS
)  # fmt: skip


def test_at_least_80_real_date_strings() -> None:
    assert len(CASES) >= 80


@pytest.mark.parametrize(("text", "iso", "precision"), CASES)
def test_parse_date(text: str, iso: str, precision: str) -> None:
    parsed = parse_date(text, REF)
    assert parsed is not None
    assert (parsed.iso(), parsed.precision) == (iso, precision)


def test_end_and_start_of_month_values() -> None:
    assert parse_date("متم شتنبر 2017") == ParsedDate(datetime(2017, 9, 30), "month", "end")
    assert parse_date("متم فبراير 2016") == ParsedDate(datetime(2016, 2, 29), "month", "end")
    assert parse_date("مطلع يناير 2018") == ParsedDate(datetime(2018, 1, 1), "month", "start")
    assert parse_date("نهاية 2017") == ParsedDate(datetime(2017, 12, 31), "year", "end")


def test_bare_year_is_year_precision_not_january_first() -> None:
    parsed = parse_date("2017")
    assert parsed == ParsedDate(datetime(2017, 1, 1), "year")
    assert parsed.iso() == "2017"


def test_hijri_is_converted_and_marked() -> None:
    assert parse_date("1 محرم 1439 هـ") == ParsedDate(datetime(2017, 9, 21), "day", "hijri")
    assert parse_date("رمضان 1439") == ParsedDate(datetime(2018, 5, 1), "month", "hijri")


def test_timezone_offset_is_kept() -> None:
    parsed = parse_date("2017-09-21T10:30:00+01:00")
    assert parsed is not None
    assert parsed.value == datetime(2017, 9, 21, 10, 30, tzinfo=timezone(timedelta(hours=1)))


def test_stated_weekday_wins_when_ref_is_a_day_off() -> None:
    # published just after midnight on Friday: "yesterday Wednesday" is still Wednesday the 20th
    assert parse_date("امس الاربعاء", datetime(2017, 9, 22, 0, 30)).iso() == "2017-09-20"


@pytest.mark.parametrize(
    "text",
    [
        "امس الاربعاء",
        "منذ 3 ساعات",
        "الأسبوع الماضي",
        "اليوم",
        "21 سبتمبر",
        "الأربعاء",
        "الربع الأول من العام الجاري",
    ],
)
def test_relative_dates_need_ref(text: str) -> None:
    assert parse_date(text) is None


@pytest.mark.parametrize(
    "text",
    [
        "",
        "القاهرة - أحمد الريدي",
        "بلغت الودائع 894 مليار درهم",
        "قتل 2000 شخص",
        "رقم الهاتف 0612345678",
        "31/02/2018",
        "الرباط .. انعقاد اجتماع المبادرة المغربية- الأمريكية حول الإرهاب الداخلي",
    ],
)
def test_no_date(text: str) -> None:
    assert parse_date(text, REF) is None


def test_find_dates_in_a_paragraph() -> None:
    text = (
        "وأضاف أن اجتماع الرباط يأتي ليتوج مسلسلا انطلق سنة 2017، وتميز بانعقاد اجتماع افتتاحي في نونبر 2017، "
        "وورشتين للخبراء خلال الربع الأول من 2018 ، قبل الاجتماع المزمع عقده بنيويورك في شتنبر 2018. "
        "ويترأس المغرب وهولندا المنتدى منذ سنة 2016."
    )
    found = [(m.text, m.date.iso(), m.date.precision) for m in find_dates(text)]
    assert found == [
        ("سنة 2017", "2017", "year"),
        ("نونبر 2017", "2017-11", "month"),
        ("الربع الأول من 2018", "2018-Q1", "quarter"),
        ("شتنبر 2018", "2018-09", "month"),
        ("منذ سنة 2016", "2016", "year"),
    ]
    for mention in find_dates(text):
        assert text[mention.start : mention.end] == mention.text


def test_find_dates_resolves_yesterday_against_publication() -> None:
    text = "ترأس وزير الشؤون الخارجية امس الاربعاء بنيويورك الاجتماع الوزاري الثامن للمنتدى"
    (mention,) = find_dates(text, REF)
    assert (mention.text, mention.date.iso(), mention.date.precision) == ("امس الاربعاء", "2017-09-20", "day")
    assert find_dates(text) == []  # without a reference time a relative date is not placed


def test_find_dates_spans_refer_to_the_text_as_published() -> None:
    text = "جرى ذلك فِي ٢١ سَبْتَمْبَر ٢٠١٧ بالرباط، و\u200fمتم ﻏﺸﺖ 2024"
    found = find_dates(text)
    assert [(m.text, m.date.iso()) for m in found] == [
        ("٢١ سَبْتَمْبَر ٢٠١٧", "2017-09-21"),
        ("متم ﻏﺸﺖ 2024", "2024-08"),
    ]
    assert all(text[m.start : m.end] == m.text for m in found)


@pytest.mark.parametrize(
    "text",
    [
        "قتل 2000 شخص في 300 غارة",
        "كأس العالم 2028 في المغرب",
        "بلغت الميزانية في 2000 مليون درهم",
        "يحتفل العالم اليوم العالمي للمرأة",
        "لم تكن هناك ساعات كافية في اليوم",
        "الفصل 47 من الدستور والمادة 1999",
    ],
)
def test_find_dates_no_false_positives(text: str) -> None:
    assert find_dates(text, REF) == []


def test_find_dates_leaves_the_full_stop_and_the_conjunction_out() -> None:
    text = "ما لم يتم صرفها بحلول 30 سبتمبر. وسبتمبر الماضي كان أسوأ"
    found = [(m.text, m.date.iso()) for m in find_dates(text, REF)]
    assert found == [("30 سبتمبر", "2017-09-30"), ("سبتمبر الماضي", "2016-09")]


def test_find_dates_span_takes_the_marks_on_its_last_letter() -> None:
    (mention,) = find_dates("جرى ذلك في 21 سبتمبر 2017 الساعة 10:30 مساءً بالرباط")
    assert (mention.text, mention.date.iso()) == ("21 سبتمبر 2017 الساعة 10:30 مساءً", "2017-09-21T22:30:00")
    (mention,) = find_dates("الأحد 13 ربيع الأول 1439 هـ")
    assert (mention.text, mention.date.iso()) == ("الأحد 13 ربيع الأول 1439 هـ", "2017-12-01")


def test_find_dates_weekday_joins_the_date() -> None:
    (mention,) = find_dates("نشر يوم الخميس 21 سبتمبر 2017 على الموقع")
    assert mention.text == "يوم الخميس 21 سبتمبر 2017"
