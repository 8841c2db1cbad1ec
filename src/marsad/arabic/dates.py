"""Dates in Arabic news text: every month-name family, Hijri dates, numeric forms and relative words.

A hand-written parser over the folded text (letters unified, digits ASCII, Latin lower-case): a few
compiled regular expressions, each with a small function that turns its match into a `ParsedDate`, run
only in windows around digits and relative words. dateparser (pinned in pyproject) is not used: measured
here it read 2 of 8 typical forms (no نونبر, جويلية, أيلول (سبتمبر), "21 - 09 - 2017" after words,
"امس الاربعاء") at about 1,000 calls/s, against 11,000 calls/s of CPU for this parser.

Semantics (documented once, here):
- precision says how much the text states: "minute", "day", "month", "quarter" or "year". A bare year is
  year precision (its value is January 1st, but `iso()` gives "2017", never a day).
- "متم / نهاية / أواخر / آخر <month> <year>" is month precision with qualifier "end" and the value on the
  month's last day; "مطلع / بداية / أوائل" is month precision, qualifier "start", value on the 1st;
  "منتصف / أواسط" is qualifier "mid", value on the 15th. The same words before a bare year give year
  precision with the same qualifier (value Dec 31, Jan 1, Jul 1). The text names a part of the month,
  not a day, so the precision stays at the month; the value sorts it at the right end of the month.
- Hijri dates (marked هـ, or with a Hijri month name and a 13xx-15xx year) are converted to Gregorian with
  hijridate. A full date keeps day precision. A Hijri month is given as the Gregorian month holding its
  15th day, a Hijri year as the Gregorian year holding its middle (1 Rajab), both with qualifier "hijri".
- Relative words need `ref` (without it they are not dates): اليوم, امس, امس الاول, غدا, "يوم الأربعاء
  (الماضي/المقبل)", "منذ/قبل 3 ساعات|يومين|أسبوع|شهرين|عام" (minute for minutes and hours, day for days
  and weeks, month, year), "الأسبوع الماضي/المقبل" (day precision, ref -/+ 7 days, qualifier "approx"),
  "الشهر الماضي/الجاري/المقبل" (month), "العام الماضي/الجاري/المقبل" (year).
  A day and month without a year take the year that puts them nearest to `ref`; "سبتمبر الماضي / المقبل
  / الجاري" and "… من العام الماضي" say which year (the last September before ref's month, the next one
  after it, ref's year, ref's year - 1).
- "الربع الأول من 2018" is quarter precision (value on the quarter's first day; iso "2018-Q1"); with `ref`,
  so is "الربع الأول من السنة الجارية / العام الماضي / هذا العام" (ref's year, or the one before or after).
- "امس الأربعاء": when the stated weekday disagrees with ref - 1 day (ref a day off, e.g. a time zone),
  the weekday wins (the nearest such day). A time just before a date ("10:30 ص - الخميس 21 سبتمبر 2017")
  joins it, as does a weekday.
- find_dates keeps false positives out: a number is a year only in 1900-2099 and next to a month word or
  after عام/سنة/في/منذ/خلال/حتى/قبل/بعد (and not before a unit such as مليون or درهم). parse_date, which is
  given a text that is meant to be a date, also reads a text that is only a year ("2017") and a bare
  weekday (with `ref`: the latest such day on or before it).
- "فاتح <month> <year>" (Maghrebi "the first of") is that month's first day, day precision.
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Literal

from hijridate import Hijri

from marsad.arabic.normalise import fold_letters, fold_with_offsets, skip_dropped

Precision = Literal["minute", "day", "month", "quarter", "year"]


@dataclass(frozen=True, slots=True)
class ParsedDate:
    """A date as the text states it. `qualifier` is None, "start", "mid", "end", "approx" or "hijri".

    `value` is naive (a calendar date or a local time) unless the text states a zone (+01:00, GMT) or a
    relative time is taken from a zone-aware `ref` ("منذ 3 ساعات")."""

    value: datetime
    precision: Precision
    qualifier: str | None = None

    def iso(self) -> str:
        v = self.value
        if self.precision == "minute":
            return v.isoformat(timespec="seconds")
        if self.precision == "day":
            return v.date().isoformat()
        if self.precision == "month":
            return f"{v.year:04d}-{v.month:02d}"
        if self.precision == "quarter":
            return f"{v.year:04d}-Q{(v.month - 1) // 3 + 1}"
        return f"{v.year:04d}"


@dataclass(frozen=True, slots=True)
class DateMention:
    """A date expression found in a text: its span in the text as given, the words, and the date."""

    start: int
    end: int
    text: str
    date: ParsedDate


# ---------------------------------------------------------------------------------------------- words
# Every name is written as published; _names() folds it the way the text is folded before matching.
_GREGORIAN_MONTHS: dict[int, str] = {
    1: "يناير|جانفي|كانون الثاني|january|jan|janvier|janv",
    2: "فبراير|فبرير|فيفري|فيبراير|شباط|february|feb|février|fevrier|févr|fevr|fév|fev",
    3: "مارس|آذار|march|mar|mars",
    4: "أبريل|إبريل|أفريل|نيسان|april|apr|avril|avr",
    5: "مايو|ماي|أيار|may|mai",
    6: "يونيو|يونيه|يونية|جوان|حزيران|june|jun|juin",
    7: "يوليو|يوليه|يولية|يوليوز|جويلية|جويليه|تموز|july|jul|juillet|juil",
    8: "أغسطس|أغشت|غشت|أوت|آب|august|aug|août|aout",
    9: "سبتمبر|شتنبر|سيبتمبر|أيلول|september|sept|sep|septembre",
    10: "أكتوبر|تشرين الأول|october|oct|octobre",
    11: "نوفمبر|نونبر|تشرين الثاني|november|nov|novembre",
    12: "ديسمبر|دجنبر|دسمبر|كانون الأول|december|dec|décembre|decembre|déc",
}
_HIJRI_MONTHS: dict[int, str] = {
    1: "محرم|المحرم",
    2: "صفر",
    3: "ربيع الأول|ربيع أول",
    4: "ربيع الثاني|ربيع الآخر|ربيع ثاني",
    5: "جمادى الأولى|جمادى الأول",
    6: "جمادى الثانية|جمادى الآخرة|جمادى الآخر|جمادى الثاني",
    7: "رجب",
    8: "شعبان",
    9: "رمضان",
    10: "شوال",
    11: "ذو القعدة|ذي القعدة",
    12: "ذو الحجة|ذي الحجة",
}
_WEEKDAYS: dict[int, str] = {
    0: "الاثنين|الإثنين|الأثنين|monday|mon|lundi",
    1: "الثلاثاء|tuesday|tue|mardi",
    2: "الأربعاء|الأربعا|wednesday|wed|mercredi",
    3: "الخميس|thursday|thu|jeudi",
    4: "الجمعة|friday|fri|vendredi",
    5: "السبت|saturday|sat|samedi",
    6: "الأحد|sunday|sun|dimanche",
}
_ORDINALS = {"الاول": 1, "الثاني": 2, "الثالث": 3, "الرابع": 4, "الاخير": 4}
_NUMBER_WORDS = {
    "واحد": 1, "ثلاث": 3, "ثلاثه": 3, "اربع": 4, "اربعه": 4, "خمس": 5, "خمسه": 5, "ست": 6, "سته": 6,
    "سبع": 7, "سبعه": 7, "ثماني": 8, "ثمان": 8, "ثمانيه": 8, "تسع": 9, "تسعه": 9, "عشر": 10, "عشره": 10,
}  # fmt: skip
# unit -> (singular forms, dual forms, plural forms)
_UNITS: dict[str, tuple[str, str, str]] = {
    "minute": ("دقيقة", "دقيقتين دقيقتان", "دقائق"),
    "hour": ("ساعة", "ساعتين ساعتان", "ساعات"),
    "day": ("يوم", "يومين يومان", "أيام"),
    "week": ("أسبوع", "أسبوعين أسبوعان", "أسابيع"),
    "month": ("شهر", "شهرين شهران", "أشهر شهور"),
    "year": ("عام سنة", "عامين عامان سنتين سنتان", "أعوام سنوات سنين"),
}


def _fold(word: str) -> str:
    return fold_letters(unicodedata.normalize("NFKC", word))


def _names(table: dict[int, str]) -> dict[str, int]:
    """Folded name (single spaces) -> number. Names are separated by "|"; several spellings that fold
    to the same form are harmless."""
    return {_fold(name): number for number, names in table.items() for name in names.split("|")}


MONTHS = _names(_GREGORIAN_MONTHS)
HIJRI_MONTHS = _names(_HIJRI_MONTHS)
WEEKDAYS = _names(_WEEKDAYS)


def _alternation(names: dict[str, int]) -> str:
    ordered = sorted(names, key=len, reverse=True)
    return "|".join(re.escape(n).replace(r"\ ", r"\s+") for n in ordered)


def _key(text: str) -> str:
    return " ".join(text.split())


# ------------------------------------------------------------------------------------------ patterns
_M = f"(?:{_alternation(MONTHS)})(?!\\w)"
_HM = f"(?:{_alternation(HIJRI_MONTHS)})(?!\\w)"
_WD = f"(?:{_alternation(WEEKDAYS)})(?!\\w)"
# A weekday before a date joins the date's span (found by looking back from the date, which is cheaper
# than an optional group at the start of every pattern).
_WD_BEFORE_RE = re.compile(rf"(?<!\w)(?:يوم\s+)?{_WD}\s*[,،\-–]?\s*$")
_WD_BEFORE_REACH = 24
_TAKES_WEEKDAY = {"dmy", "first_dmy", "mdy", "num_dmy", "num_ymd", "hijri_dmy", "dm"}
_MONTH = rf"(?:شهر\s+)?(?P<month>{_M})(?:\s*[(/\-–]\s*{_M}(?:\s*\))?)?\.?"  # "أيلول (سبتمبر)", "sept."
_YEAR_LEAD = r"\s*[,،.\-/]?\s*(?:(?:من\s+|في\s+)?(?:عام|سنه|العام|السنه)\s+)?"
_YEAR = r"(?P<year>(?:19|20)\d\d)(?!\d)(?:\s*م(?!\w)|\s*ميلادي(?:ه)?(?!\w))?"
_TIME_CORE = (
    r"(?P<hh>[01]?\d|2[0-3]):(?P<mi>[0-5]\d)(?::(?P<ss>[0-5]\d)(?:\.\d+)?)?"
    r"(?:\s*(?P<ampm>صباحا|ص|مساءا|مساء|م|ظهرا|ليلا|a\.m\.|p\.m\.|am|pm)(?!\w))?"
    r"(?:\s*(?P<tz>z|gmt|utc|[+-]\d\d:?\d\d)(?!\w)|\s*(?:بتوقيت\s+)?(?P<gmt>غرينتش|جرينتش|غرينيتش))?"
    r"(?:\s*(?P<tz2>[+-]\d\d:?\d\d))?"
)
_TIME = r"(?:\s*(?:[-–—|,،]\s*)?(?:(?:علي|في)\s+)?(?:الساعه\s+)?|t)" + _TIME_CORE
# "10:30 ص - 21 سبتمبر 2017": a time just before a date (and its weekday) joins it
_TIME_BEFORE_RE = re.compile(rf"(?<![\d:])(?:الساعه\s+)?{_TIME_CORE}\s*[-–—|,،]?\s*$")
_TIME_BEFORE_REACH = 40
_QUAL_WORDS = {
    "متم": "end", "نهايه": "end", "اواخر": "end", "اخر": "end",
    "مطلع": "start", "بدايه": "start", "اوائل": "start", "اوايل": "start",
    "منتصف": "mid", "اواسط": "mid",
}  # fmt: skip
_QUAL = "(?P<qual>" + "|".join(sorted(_QUAL_WORDS, key=len, reverse=True)) + ")"
_HIJRI_MARK = r"(?:\s*(?P<mark>ه|هجري|هجريه|للهجره)(?!\w))"
_B = r"(?<!\w)"  # start of a word

_ABSOLUTE = [
    # 21 سبتمبر 2017, الخميس 9 أيلول (سبتمبر) 2017 - 10:30 ص, Sun, 18 Feb 2018 21:35:43 +0400
    (
        "dmy",
        rf"{_B}(?P<day>[0-3]?\d)(?:er|st|nd|rd|th)?\s*[-/.]?\s*(?:من\s+)?{_MONTH}{_YEAR_LEAD}{_YEAR}(?:{_TIME})?",
    ),
    # September 21, 2017
    ("mdy", rf"{_B}{_MONTH}\s+(?P<day>[0-3]?\d)(?:st|nd|rd|th)?\s*[,،]?\s*{_YEAR}(?:{_TIME})?"),
    # فاتح ماي 2018 (Maghrebi: the first of the month)
    ("first_dmy", rf"{_B}(?P<pre>[وبل])?فاتح\s+{_MONTH}{_YEAR_LEAD}{_YEAR}"),
    # 21 - 09 - 2017, 21/09/2017, 21.09.2017
    (
        "num_dmy",
        rf"(?<![\w.:/-])(?P<day>[0-3]?\d)\s*(?P<sep>[-/.])\s*(?P<month>[0-3]?\d)\s*(?P=sep)\s*{_YEAR}(?:{_TIME})?",
    ),
    # 2017-09-21T10:30:00+01:00, 2017/09/21 10:30
    (
        "num_ymd",
        rf"(?<![\w.:/-])(?P<year>(?:19|20)\d\d)\s*(?P<sep>[-/.])\s*(?P<month>[01]?\d)\s*(?P=sep)\s*(?P<day>[0-3]?\d)(?!\d)(?:{_TIME})?",
    ),
    # 1 محرم 1439 هـ
    (
        "hijri_dmy",
        rf"{_B}(?P<day>[0-3]?\d)\s*(?:من\s+)?(?:شهر\s+)?(?P<hmonth>{_HM}){_YEAR_LEAD}(?P<year>1[345]\d\d)(?!\d){_HIJRI_MARK}?",
    ),
    # رمضان 1439 هـ
    (
        "hijri_my",
        rf"{_B}(?P<pre>[وبل])?(?:شهر\s+)?(?P<hmonth>{_HM}){_YEAR_LEAD}(?P<year>1[345]\d\d)(?!\d){_HIJRI_MARK}?",
    ),
    # 1439 هـ
    ("hijri_y", rf"{_B}(?:(?:عام|سنه|العام)\s+)?(?P<year>1[345]\d\d){_HIJRI_MARK}"),
    # متم شتنبر 2017, مطلع 2018
    ("qual_my", rf"{_B}(?P<pre>[وبلف])?{_QUAL}\s+{_MONTH}{_YEAR_LEAD}{_YEAR}"),
    ("qual_y", rf"{_B}(?P<pre>[وبلف])?{_QUAL}\s+(?:(?:عام|سنه|العام|السنه)\s+)?{_YEAR}"),
    # الربع الأول من 2018, Q1 2018
    (
        "quarter",
        rf"{_B}(?P<pre>[وبلف])?الربع\s+(?P<ord>الاول|الثاني|الثالث|الرابع|الاخير)\s+(?:من\s+)?(?:(?:عام|سنه|العام)\s+)?{_YEAR}",
    ),
    ("quarter_q", rf"{_B}q(?P<q>[1-4])\s*(?:من\s+)?{_YEAR}"),
    # نونبر 2017, سبتمبر من عام 2017
    ("my", rf"{_B}(?P<pre>[وبل])?{_MONTH}{_YEAR_LEAD}{_YEAR}"),
    # عام 2017, في 2016, منذ سنة 2016
    (
        "year",
        rf"{_B}(?:[وبلف]?(?:عام|العام|سنه|السنه|في|منذ|خلال|حتي|قبل|بعد|موسم)\s+)+{_YEAR}"
        r"(?!\s*(?:%|[.,]\d|مليون|مليار|الف|الاف|دولار|درهم|يورو|جنيه|ريال|دينار|ليره|شخص|متر|كيلو|كلم|طن))",
    ),
]
_REL_DIR = r"(?P<dir>الماضي|المنصرم|الفايت|المقبل|القادم|الجاري|الحالي)"
_REL_YEAR = (
    r"(?:من\s+)?(?:العام|السنه)\s+(?P<ydir>الماضي|الماضيه|المنصرم|المنصرمه|الفايت|الفايته|السابق|السابقه"
    r"|المقبل|المقبله|القادم|القادمه|الجاري|الجاريه|الحالي|الحاليه)"
)
_REL_TAIL = rf"(?:\s+(?:{_REL_DIR}|{_REL_YEAR})(?!\w))?"
_NEEDS_REF = [
    # 21 سبتمبر (no year)
    ("dm", rf"{_B}(?P<day>[0-3]?\d)\s+(?:من\s+)?{_MONTH}{_REL_TAIL}"),
    # سبتمبر الماضي, أكتوبر المقبل, فبراير من العام الماضي
    ("month_rel", rf"{_B}(?P<pre>[وبل])?{_MONTH}\s+(?:{_REL_DIR}|{_REL_YEAR})(?!\w)"),
    # الربع الأول من السنة الجارية, الربع الثالث من العام الماضي, الربع الأخير من هذا العام
    (
        "quarter_rel",
        rf"{_B}(?P<pre>[وبلف])?الربع\s+(?P<ord>الاول|الثاني|الثالث|الرابع|الاخير)\s+"
        rf"(?:{_REL_YEAR}|من\s+هذا\s+العام|من\s+هذه\s+السنه)(?!\w)",
    ),
    # امس, أمس الأربعاء, صباح اليوم, غدا
    (
        "dayword",
        rf"{_B}(?<!في )(?<!ذات )(?<!نفس )(?<!ذلك )(?<!طوال )(?<!منتصف )(?<!مدار )"
        r"(?P<pre>[وف])?(?:(?:صباح|مساء|ظهر|ليل|ليله|فجر|عصر|ظهيره)\s+)?"
        r"(?P<word>امس\s+الاول|اول\s+امس|اول\s+من\s+امس|(?:بال|ال)?امس|البارحه|اليوم|غدا|بعد\s+غد)(?!\w)"
        rf"(?:\s+(?P<wd>{_WD}))?"
        r"(?!\s+(?:العالمي|الوطني|الدولي|العربي|الاول|الثاني|الثالث|الرابع|الخامس|السادس|السابع|الثامن"
        r"|التاسع|العاشر|الاخير|التالي|الموعود|المفتوح|نفسه|ذاته|الذي)(?!\w))",
    ),
    # يوم الأربعاء (الماضي), الأربعاء المقبل
    (
        "weekday",
        rf"{_B}(?P<pre>[وف])?(?:يوم|في|نهار)\s+(?P<wd>{_WD})(?:\s+(?P<dir>الماضي|المنصرم|الفايت|المقبل|القادم))?",
    ),
    ("weekday_dir", rf"{_B}(?P<wd>{_WD})\s+(?P<dir>الماضي|المنصرم|الفايت|المقبل|القادم)(?!\w)"),
    # منذ 3 ساعات, قبل يومين
    ("ago", r"{_B}(?P<pre>[وف])?(?:منذ|قبل)\s+(?:(?P<n>\d+|NUMBER)\s+)?(?P<unit>UNIT)(?!\w)(?!\s*\d)"),
    # الأسبوع الماضي, الشهر الجاري, هذا العام
    (
        "period",
        rf"{_B}(?P<pre>[وفبل])?(?P<unit>الاسبوع|الشهر|العام|السنه)\s+(?P<dir>الماضي|الماضيه|المنصرم|المنصرمه|الفايت"
        r"|الفايته|السابق|السابقه|المقبل|المقبله|القادم|القادمه|الجاري|الجاريه|الحالي|الحاليه)(?!\w)",
    ),
    ("period_this", r"{_B}(?:هذا\s+(?P<unit>العام|الشهر|الاسبوع)|هذه\s+(?P<unit2>السنه))(?!\w)"),
]
_LENIENT = [
    # a text that is only a year: "2017", "(2018)", "2017م"
    ("bare_year", r"^[^\w]*(?P<year>(?:19|20)\d\d)(?:\s*م|\s*ميلادي(?:ه)?)?[^\w]*$"),
]
_LENIENT_REF = [
    ("bare_weekday", rf"{_B}(?P<wd>{_WD})"),
]


def _unit_table() -> tuple[dict[str, tuple[str, int | None]], str]:
    forms: dict[str, tuple[str, int | None]] = {}
    for unit, (singular, dual, plural) in _UNITS.items():
        for word in singular.split():
            forms[_fold(word)] = (unit, 1)
        for word in dual.split():
            forms[_fold(word)] = (unit, 2)
        for word in plural.split():
            forms[_fold(word)] = (unit, None)
    return forms, "|".join(sorted(forms, key=len, reverse=True))


_UNIT_FORMS, _UNIT_ALT = _unit_table()
_NUMBER_ALT = "|".join(sorted(_NUMBER_WORDS, key=len, reverse=True))


def _compile(rules: list[tuple[str, str]]) -> list[tuple[str, re.Pattern[str]]]:
    out = []
    for name, pattern in rules:
        pattern = pattern.replace("{_B}", _B).replace("UNIT", _UNIT_ALT).replace("NUMBER", _NUMBER_ALT)
        out.append((name, re.compile(pattern)))
    return out


_ABSOLUTE_RE = _compile(_ABSOLUTE)
_NEEDS_REF_DIGIT_RE = _compile([rule for rule in _NEEDS_REF if rule[0] == "dm"])
_NEEDS_REF_WORD_RE = _compile([rule for rule in _NEEDS_REF if rule[0] != "dm"])
_LENIENT_RE = _compile(_LENIENT)
_LENIENT_REF_RE = _compile(_LENIENT_REF)
_RANK = {name: rank for rank, (name, _) in enumerate(_ABSOLUTE + _NEEDS_REF + _LENIENT + _LENIENT_REF)}
# Every pattern holds a digit or, for a relative date, one of its rule's words (ANCHORS). The patterns run
# only in windows around them, so a long article costs little more than finding its digits; each relative
# rule around its own words only ("قبل" and "العام" are everywhere in news, a weekday name is not).
_DIGITS_RE = re.compile(r"\d+")
_PERIODS = "الاسبوع|الشهر|العام|السنه"
_ANCHORS = {
    "dayword": "امس|البارحه|اليوم|غدا|غد",
    "weekday": _WD,
    "weekday_dir": _WD,
    "bare_weekday": _WD,
    "ago": "منذ|قبل",
    "period": _PERIODS,
    "period_this": _PERIODS,
    "month_rel": f"الماضي|المنصرم|الفايت|المقبل|القادم|الجاري|الحالي|{_PERIODS}",
    "quarter_rel": "الربع",
}
_ANCHOR_RE = {words: re.compile(words) for words in set(_ANCHORS.values())}
_BEFORE, _AFTER = 48, 72  # window around a digit run: a pattern starts at most this far before and ends after
_REL_BEFORE, _REL_AFTER = 40, 48


# ---------------------------------------------------------------------------------------- builders
def _day(year: int, month: int, day: int) -> datetime | None:
    try:
        return datetime(year, month, day)
    except ValueError:
        return None


def _time_of(m: re.Match[str], base: datetime) -> datetime:
    hour = int(m["hh"])
    ampm = m["ampm"]
    if ampm in ("ص", "صباحا", "am", "a.m.") and hour == 12:
        hour = 0
    elif ampm in ("م", "مساء", "مساءا", "ظهرا", "ليلا", "pm", "p.m.") and hour < 12:
        hour += 12
    tz = None
    offset = m["tz"] or m["tz2"]
    if m["gmt"] or offset in ("z", "gmt", "utc"):
        tz = UTC
    elif offset:
        sign = -1 if offset[0] == "-" else 1
        digits = offset[1:].replace(":", "")
        offset_delta = sign * timedelta(hours=int(digits[:2]), minutes=int(digits[2:]))
        tz = timezone(offset_delta) if abs(offset_delta) < timedelta(hours=24) else None  # "+99:99": no zone
    return base.replace(hour=hour, minute=int(m["mi"]), second=int(m["ss"] or 0), tzinfo=tz)


def _with_time(m: re.Match[str], value: datetime | None) -> ParsedDate | None:
    if value is None:
        return None
    if m.groupdict().get("hh") is not None:
        return ParsedDate(_time_of(m, value), "minute")
    return ParsedDate(value, "day")


def _month_number(text: str) -> int:
    return MONTHS[_key(text)]


def _b_dmy(m: re.Match[str], ref: datetime | None) -> ParsedDate | None:
    return _with_time(m, _day(int(m["year"]), _month_number(m["month"]), int(m["day"])))


def _b_first_dmy(m: re.Match[str], ref: datetime | None) -> ParsedDate | None:
    return ParsedDate(datetime(int(m["year"]), _month_number(m["month"]), 1), "day")


def _b_num_dmy(m: re.Match[str], ref: datetime | None) -> ParsedDate | None:
    day, month = int(m["day"]), int(m["month"])
    if month > 12 >= day:  # 09/21/2017: month first
        day, month = month, day
    return _with_time(m, _day(int(m["year"]), month, day))


def _b_num_ymd(m: re.Match[str], ref: datetime | None) -> ParsedDate | None:
    return _with_time(m, _day(int(m["year"]), int(m["month"]), int(m["day"])))


def _hijri(year: int, month: int, day: int) -> datetime | None:
    try:
        g = Hijri(year, month, day).to_gregorian()
    except (ValueError, OverflowError):
        return None
    return datetime(g.year, g.month, g.day)


def _b_hijri_dmy(m: re.Match[str], ref: datetime | None) -> ParsedDate | None:
    value = _hijri(int(m["year"]), HIJRI_MONTHS[_key(m["hmonth"])], int(m["day"]))
    return ParsedDate(value, "day", "hijri") if value else None


def _b_hijri_my(m: re.Match[str], ref: datetime | None) -> ParsedDate | None:
    middle = _hijri(int(m["year"]), HIJRI_MONTHS[_key(m["hmonth"])], 15)
    return ParsedDate(middle.replace(day=1), "month", "hijri") if middle else None


def _b_hijri_y(m: re.Match[str], ref: datetime | None) -> ParsedDate | None:
    middle = _hijri(int(m["year"]), 7, 1)
    return ParsedDate(datetime(middle.year, 1, 1), "year", "hijri") if middle else None


def _qualified_month(year: int, month: int, qual: str) -> ParsedDate:
    if qual == "end":
        return ParsedDate(datetime(year, month, calendar.monthrange(year, month)[1]), "month", "end")
    if qual == "mid":
        return ParsedDate(datetime(year, month, 15), "month", "mid")
    return ParsedDate(datetime(year, month, 1), "month", "start")


def _b_qual_my(m: re.Match[str], ref: datetime | None) -> ParsedDate | None:
    return _qualified_month(int(m["year"]), _month_number(m["month"]), _QUAL_WORDS[m["qual"]])


def _qualified_year(year: int, qual: str) -> ParsedDate:
    day = {"end": (12, 31), "mid": (7, 1), "start": (1, 1)}[qual]
    return ParsedDate(datetime(year, *day), "year", qual)


def _b_qual_y(m: re.Match[str], ref: datetime | None) -> ParsedDate | None:
    return _qualified_year(int(m["year"]), _QUAL_WORDS[m["qual"]])


def _b_quarter(m: re.Match[str], ref: datetime | None) -> ParsedDate | None:
    quarter = int(m["q"]) if m.groupdict().get("q") else _ORDINALS[m["ord"]]
    return ParsedDate(datetime(int(m["year"]), 3 * quarter - 2, 1), "quarter")


def _b_my(m: re.Match[str], ref: datetime | None) -> ParsedDate | None:
    return ParsedDate(datetime(int(m["year"]), _month_number(m["month"]), 1), "month")


def _b_year(m: re.Match[str], ref: datetime | None) -> ParsedDate | None:
    return ParsedDate(datetime(int(m["year"]), 1, 1), "year")


def _midnight(ref: datetime) -> datetime:
    return datetime(ref.year, ref.month, ref.day)


def _stated_year(m: re.Match[str], ref: datetime, month: int, day: int) -> int | None:
    """The year a "الماضي / المقبل / الجاري" or "من العام الماضي" after a month gives, or None."""
    if m["ydir"]:
        return ref.year + _direction(m["ydir"])
    if not m["dir"]:
        return None
    step = _direction(m["dir"])
    if step == 0:
        return ref.year
    this_year = (month, day) < (ref.month, ref.day) if step < 0 else (month, day) > (ref.month, ref.day)
    return ref.year if this_year else ref.year + step


def _b_month_rel(m: re.Match[str], ref: datetime | None) -> ParsedDate | None:
    assert ref is not None
    month = _month_number(m["month"])
    # "سبتمبر الماضي" said in September is last year's; "سبتمبر المقبل" said in September is next year's
    year = _stated_year(m, ref, month, 32 if _direction(m["dir"] or "") < 0 else 0)
    return ParsedDate(datetime(year, month, 1), "month") if year else None


def _b_quarter_rel(m: re.Match[str], ref: datetime | None) -> ParsedDate | None:
    assert ref is not None
    year = ref.year + _direction(m["ydir"] or "")  # "هذا العام": ref's year
    return ParsedDate(datetime(year, 3 * _ORDINALS[m["ord"]] - 2, 1), "quarter")


def _b_dm(m: re.Match[str], ref: datetime | None) -> ParsedDate | None:
    assert ref is not None
    month, day = _month_number(m["month"]), int(m["day"])
    year = _stated_year(m, ref, month, day)
    if year is not None:
        value = _day(year, month, day)
        return ParsedDate(value, "day") if value else None
    candidates = [d for y in (ref.year - 1, ref.year, ref.year + 1) if (d := _day(y, month, day))]
    if not candidates:
        return None
    today = _midnight(ref)
    return ParsedDate(min(candidates, key=lambda d: abs(d - today)), "day")


_DAYWORD_SHIFT = {"امس": -1, "الامس": -1, "بالامس": -1, "البارحه": -1, "اليوم": 0, "غدا": 1}


def _b_dayword(m: re.Match[str], ref: datetime | None) -> ParsedDate | None:
    assert ref is not None
    word = _key(m["word"])
    shift = _DAYWORD_SHIFT.get(word)
    if shift is None:
        shift = 2 if word.startswith("بعد") else -2  # بعد غد; امس الاول, اول امس
    day = _midnight(ref) + timedelta(days=shift)
    if m["wd"]:  # "امس الأربعاء": the weekday is stated; when ref is a day off, the weekday wins
        gap = (WEEKDAYS[m["wd"]] - day.weekday()) % 7
        day += timedelta(days=gap if gap <= 3 else gap - 7)
    return ParsedDate(day, "day")


def _weekday_near(ref: datetime, weekday: int, direction: str | None) -> datetime:
    today = _midnight(ref)
    back = (today.weekday() - weekday) % 7
    if direction in ("المقبل", "القادم"):
        return today + timedelta(days=(weekday - today.weekday()) % 7 or 7)
    if direction is not None and back == 0:  # "الأربعاء الماضي" said on a Wednesday: a week ago
        back = 7
    return today - timedelta(days=back)


def _b_weekday(m: re.Match[str], ref: datetime | None) -> ParsedDate | None:
    assert ref is not None
    direction = m.groupdict().get("dir")
    return ParsedDate(_weekday_near(ref, WEEKDAYS[m["wd"]], direction), "day")


def _shift_months(value: datetime, months: int) -> datetime:
    index = value.year * 12 + value.month - 1 + months
    return datetime(index // 12, index % 12 + 1, 1)


def _b_ago(m: re.Match[str], ref: datetime | None) -> ParsedDate | None:
    assert ref is not None
    unit, implied = _UNIT_FORMS[m["unit"]]
    given = m["n"]
    if given is not None and implied == 2:
        return None  # "منذ 3 يومين" is not a phrase
    count = (int(given) if given.isdigit() else _NUMBER_WORDS[given]) if given is not None else implied
    if count is None or count > 10_000:
        return None
    if unit in ("minute", "hour"):
        delta = timedelta(minutes=count) if unit == "minute" else timedelta(hours=count)
        return ParsedDate((ref - delta).replace(second=0, microsecond=0), "minute")
    if unit in ("day", "week"):
        days = count if unit == "day" else 7 * count
        return ParsedDate(_midnight(ref) - timedelta(days=days), "day")
    if unit == "month":
        return ParsedDate(_shift_months(ref, -count), "month")
    return ParsedDate(datetime(ref.year - count, 1, 1), "year")


def _direction(word: str) -> int:
    if word.startswith(("الماضي", "المنصرم", "الفايت", "السابق")):
        return -1
    if word.startswith(("المقبل", "القادم")):
        return 1
    return 0


def _period(unit: str, step: int, ref: datetime) -> ParsedDate:
    if unit == "الاسبوع":
        return ParsedDate(_midnight(ref) + timedelta(days=7 * step), "day", "approx")
    if unit == "الشهر":
        return ParsedDate(_shift_months(ref, step), "month")
    return ParsedDate(datetime(ref.year + step, 1, 1), "year")


def _b_period(m: re.Match[str], ref: datetime | None) -> ParsedDate | None:
    assert ref is not None
    return _period(m["unit"], _direction(m["dir"]), ref)


def _b_period_this(m: re.Match[str], ref: datetime | None) -> ParsedDate | None:
    assert ref is not None
    return _period(m["unit"] or m["unit2"], 0, ref)


_BUILDERS: dict[str, Callable[[re.Match[str], datetime | None], ParsedDate | None]] = {
    "dmy": _b_dmy,
    "mdy": _b_dmy,
    "first_dmy": _b_first_dmy,
    "num_dmy": _b_num_dmy,
    "num_ymd": _b_num_ymd,
    "hijri_dmy": _b_hijri_dmy,
    "hijri_my": _b_hijri_my,
    "hijri_y": _b_hijri_y,
    "qual_my": _b_qual_my,
    "qual_y": _b_qual_y,
    "quarter": _b_quarter,
    "quarter_q": _b_quarter,
    "my": _b_my,
    "year": _b_year,
    "dm": _b_dm,
    "month_rel": _b_month_rel,
    "quarter_rel": _b_quarter_rel,
    "dayword": _b_dayword,
    "weekday": _b_weekday,
    "weekday_dir": _b_weekday,
    "ago": _b_ago,
    "period": _b_period,
    "period_this": _b_period_this,
    "bare_year": _b_year,
    "bare_weekday": _b_weekday,
}


# ----------------------------------------------------------------------------------------- folding
def _as_datetime(ref: datetime | date | None) -> datetime | None:
    if ref is None or isinstance(ref, datetime):
        return ref
    return datetime(ref.year, ref.month, ref.day)


def _windows(anchor_re: re.Pattern[str], text: str, before: int, after: int) -> list[tuple[int, int]]:
    """Merged (start, end) windows around every match of `anchor_re`."""
    windows: list[tuple[int, int]] = []
    for m in anchor_re.finditer(text):
        lo, hi = max(0, m.start() - before), min(len(text), m.end() + after)
        if windows and lo <= windows[-1][1]:
            windows[-1] = (windows[-1][0], max(windows[-1][1], hi))
        else:
            windows.append((lo, hi))
    return windows


def _ends_with_full_stop(folded: str, end: int) -> bool:
    """A "." after an Arabic word ends the sentence; after a Latin one ("sept.") it is part of the date."""
    return folded[end - 1] == "." and end >= 2 and not folded[end - 2].isascii()


def _join_before(folded: str, start: int, parsed: ParsedDate) -> tuple[int, ParsedDate]:
    """Extend a date's span back over a weekday and, for a date without a time, a time before it."""
    weekday = _WD_BEFORE_RE.search(folded, max(0, start - _WD_BEFORE_REACH), start)
    if weekday:
        start = weekday.start()
    if parsed.precision == "day":
        time = _TIME_BEFORE_RE.search(folded, max(0, start - _TIME_BEFORE_REACH), start)
        if time:
            start, parsed = time.start(), ParsedDate(_time_of(time, parsed.value), "minute")
    return start, parsed


def _candidates(folded: str, ref: datetime | None, lenient: bool) -> list[tuple[int, int, int, ParsedDate]]:
    """Every (start, end, rule rank, date) the rules find, overlapping ones included."""
    plan: list[tuple[list[tuple[str, re.Pattern[str]]], list[tuple[int, int]]]] = []
    digit_windows = _windows(_DIGITS_RE, folded, _BEFORE, _AFTER)
    if digit_windows:
        plan.append((_ABSOLUTE_RE + (_LENIENT_RE if lenient else []), digit_windows))
    if ref is not None:
        if digit_windows:
            plan.append((_NEEDS_REF_DIGIT_RE, digit_windows))
        around: dict[str, list[tuple[int, int]]] = {}  # anchor words -> their windows
        for name, pattern in _NEEDS_REF_WORD_RE + (_LENIENT_REF_RE if lenient else []):
            words = _ANCHORS[name]
            if words not in around:
                around[words] = _windows(_ANCHOR_RE[words], folded, _REL_BEFORE, _REL_AFTER)
            if around[words]:
                plan.append(([(name, pattern)], around[words]))
    found: list[tuple[int, int, int, ParsedDate]] = []
    for rules, windows in plan:
        for name, pattern in rules:
            rank = _RANK[name]
            for lo, hi in windows:
                for m in pattern.finditer(folded, lo, hi):
                    try:
                        parsed = _BUILDERS[name](m, ref)
                    except (ValueError, OverflowError):  # out of range: "منذ 2017 سنة", "+99:99"
                        continue
                    if parsed is None:
                        continue
                    start, end = m.start(), m.end()
                    if "pre" in pattern.groupindex and m.start("pre") >= 0:
                        start = m.end("pre")  # a proclitic و/ب/ل/ف is not part of the date
                    while end > start and (folded[end - 1].isspace() or _ends_with_full_stop(folded, end)):
                        end -= 1
                    if name in _TAKES_WEEKDAY:
                        start, parsed = _join_before(folded, start, parsed)
                    found.append((start, end, rank, parsed))
    return found


def _mentions(text: str, ref: datetime | None, lenient: bool) -> list[DateMention]:
    if not text:
        return []
    folded, origin = fold_with_offsets(text)
    found = _candidates(folded, ref, lenient)
    # earliest first; at the same start the longest; then the rule listed first
    found.sort(key=lambda f: (f[0], -(f[1] - f[0]), f[2]))
    mentions: list[DateMention] = []
    last_end = -1
    for start, end, _rank, parsed in found:
        if start < last_end:
            continue
        last_end = end
        if origin is not None:
            start, end = origin[start], skip_dropped(text, origin[end - 1] + 1)
        mentions.append(DateMention(start, end, text[start:end], parsed))
    return mentions


def find_dates(text: str, ref: datetime | date | None = None) -> list[DateMention]:
    """Every date expression in `text`, in order, with its span in `text` and its resolved date.

    Relative expressions (امس, منذ 3 ساعات, الشهر الماضي, a day and month without a year) are resolved
    against `ref` (usually the publication time) and skipped without it."""
    return _mentions(text, _as_datetime(ref), lenient=False)


def parse_date(text: str, ref: datetime | date | None = None) -> ParsedDate | None:
    """The date `text` states (the first one, if it states several), or None.

    Reads everything find_dates reads, and also a bare year ("2017" -> year precision) and, with `ref`,
    a bare weekday."""
    if not text:
        return None
    mentions = _mentions(text[:10_000], _as_datetime(ref), lenient=True)
    return mentions[0].date if mentions else None
