"""Bad input gets an answer or None, never a crash, and in bounded time."""

from __future__ import annotations

import os
import random
from datetime import datetime

import pytest

from marsad.arabic import analyse, attribution, find_dates, language, normalise, parse_date, tokens

REF = datetime(2017, 9, 21)
_rng = random.Random(20170921)
GARBAGE = os.urandom(0) + bytes(_rng.randrange(256) for _ in range(20_000))

BAD_INPUTS = {
    "empty": "",
    "whitespace": " \n\t\u200f\u200c ",
    "binary": GARBAGE.decode("latin-1"),
    "binary as utf-8 with replacement": GARBAGE.decode("utf-8", errors="replace"),
    "lone surrogates": "\ud800\udfff نص",
    "one char 1 MB": "ب" * 1_000_000,
    "digits 1 MB": "2017 " * 200_000,
    "tatweel 100k": "\u0640" * 100_000,
    "harakat only": "\u064b\u064c\u064d\u064e\u064f\u0650\u0651\u0652" * 1000,
    "mixed scripts": "الحكومة 政府 правительство gouvernement ΚΥΒΕΡΝΗΣΗ सरकार 🇲🇦 ٢٠١٧ 2017-13-45",
    "control chars": "".join(chr(c) for c in range(32)) * 100,
}


@pytest.mark.parametrize("name", list(BAD_INPUTS))
def test_bad_input_never_crashes(name: str) -> None:
    text = BAD_INPUTS[name]
    assert isinstance(normalise(text), str)
    assert isinstance(tokens(normalise(text)), list)
    assert isinstance(analyse(text), list)
    assert parse_date(text, REF) is None or parse_date(text, REF).iso()
    assert isinstance(find_dates(text[:200_000], REF), list)
    result = attribution(text)
    assert result is None or result.outlet
    lang = language(text)
    assert lang is None or isinstance(lang, str)


def test_one_megabyte_of_one_letter() -> None:
    text = "ب" * 1_000_000
    assert normalise(text) == text
    assert tokens(text) == [text]
    assert analyse(text) == []  # a 1 MB "word" is noise, not a term
    assert parse_date(text) is None
    assert find_dates(text) == []


def test_mixed_scripts_tokens() -> None:
    assert tokens(normalise(BAD_INPUTS["mixed scripts"])) == [
        "الحكومه", "政府", "правительство", "gouvernement", "κυβερνηση", "सरकार", "2017", "2017", "13", "45",
    ]  # fmt: skip


def test_invalid_calendar_dates_are_not_dates() -> None:
    assert parse_date("2017-13-45") is None
    assert parse_date("31/02/2018") is None
    assert parse_date("30 محرم 1600 هـ") is None  # outside the Umm al-Qura table


_DATE_WORDS_TEXT = (
    "21 31 0 00 99 2017 1439 1600 9999 12:30 24:99 +99:99 -0530 ص م هـ - / . : ( ) سبتمبر أيلول شتنبر كانون "
    "الثاني الأول محرم رمضان ذو الحجة منذ قبل 3 يومين ساعات أسابيع الماضي المقبل العام الشهر الأسبوع امس "
    "اليوم الأربعاء يوم متم نهاية مطلع الربع من عام سنة q5 Q1 نشر في المصدر: نقلا عن موقع 2017-09-21T "
    "T10:30 Z gmt فاتح الخميس \u200f ـ ٢٠١٧ ً"
)
DATE_WORDS = _DATE_WORDS_TEXT.split(" ")


def test_date_word_salad_never_crashes() -> None:
    rng = random.Random(1)
    answered = 0
    for _ in range(3000):
        text = " ".join(rng.choice(DATE_WORDS) for _ in range(rng.randint(1, 8)))
        if rng.random() < 0.3:
            text = text.replace(" ", "")
        parsed = parse_date(text, REF)
        answered += parsed is not None
        for mention in find_dates(text, REF):
            assert text[mention.start : mention.end] == mention.text
            assert mention.date.iso()
        attribution(text)
    assert 300 < answered < 3000  # the salad holds dates often, not always


def test_impossible_offsets_and_spans_of_time() -> None:
    assert parse_date("منذ 2017 سنة", REF).iso() == "2017"  # read as "since 2017", not 2017 years ago
    assert parse_date("2017-09-21T10:30:00+99:99").iso() == "2017-09-21T10:30:00"  # impossible zone dropped
