"""parse_date and find_dates on real date strings of every family, each with its exact value and precision."""

from __future__ import annotations

from datetime import datetime

import pytest

from marsad.arabic import find_dates, parse_date

REF = datetime(2017, 9, 21, 10, 0)  # Thursday; the seed aggregator page's publication date

CASES: list[tuple[str, str, str]] = [
    ("نشر في دوزيم يوم 21 - 09 - 2017", "2017-09-21", "day"),
    ("امس الاربعاء", "2017-09-20", "day"),
    ("أمس الأربعاء", "2017-09-20", "day"),
    ("9 أيلول (سبتمبر) 2017", "2017-09-09", "day"),
    ("٢١/٠٩/٢٠١٧", "2017-09-21", "day"),
    ("2017-09-21T10:30:00+01:00", "2017-09-21T10:30:00+01:00", "minute"),
    ("الخميس 21 سبتمبر 2017 - 10:30 ص", "2017-09-21T10:30:00", "minute"),
    ("متم شتنبر 2017", "2017-09", "month"),
    ("1 محرم 1439 هـ", "2017-09-21", "day"),
    ("منذ 3 ساعات", "2017-09-21T07:00:00", "minute"),
    ("منذ يومين", "2017-09-19", "day"),
    ("2017", "2017", "year"),
    ("الربع الأول من 2018", "2018-Q1", "quarter"),
    ("نونبر 2017", "2017-11", "month"),
]


@pytest.mark.parametrize(("text", "iso", "precision"), CASES)
def test_parse_date(text: str, iso: str, precision: str) -> None:
    parsed = parse_date(text, REF)
    assert parsed is not None
    assert (parsed.iso(), parsed.precision) == (iso, precision)


def test_find_dates_in_a_paragraph() -> None:
    text = "انطلق سنة 2017، وتميز باجتماع في نونبر 2017، وورشتين خلال الربع الأول من 2018 قبل شتنبر 2018."
    found = [(m.text, m.date.iso()) for m in find_dates(text)]
    assert found == [
        ("سنة 2017", "2017"),
        ("نونبر 2017", "2017-11"),
        ("الربع الأول من 2018", "2018-Q1"),
        ("شتنبر 2018", "2018-09"),
    ]
