"""Publication dates: machine-readable values (JSON-LD, meta, <time>) and visible text (bylines).

Visible text goes through marsad.arabic (all month-name families, Arabic-Indic digits, relative dates
resolved against the fetch time). A year found alone is never a day, and a value that is only a year's
first of January without the page saying so is treated as unknown.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import UTC, datetime

from marsad.arabic import find_dates
from marsad.models import Precision

log = logging.getLogger(__name__)

# Words after which a byline's dates are about an update, not publication.
_UPDATE_CUE = re.compile(r"(آخر\s+تحديث|تم\s+التحديث|تحديث|محدث|عدّل|updated|modified|last\s+update)", re.I)
# A cheap test before calling the date parser: a year, a month name, a relative-time word or a clock.
_MONTHS = (
    "يناير|فبراير|مارس|أبريل|ابريل|إبريل|مايو|ماي|يونيو|يونيه|يوليو|يوليوز|أغسطس|اغسطس|غشت|سبتمبر|شتنبر|"
    "أكتوبر|اكتوبر|نوفمبر|نونبر|ديسمبر|دجنبر|جانفي|فيفري|أفريل|افريل|جوان|جويلية|أوت|كانون|شباط|آذار|اذار|"
    "نيسان|أيار|ايار|حزيران|تموز|آب|أيلول|ايلول|تشرين|محرم|صفر|ربيع|جمادى|رجب|شعبان|رمضان|شوال|القعدة|الحجة"
)
MONTHS_RE = _MONTHS
_DATE_HINT = re.compile(
    r"((?:19|20|١٩|٢٠)[0-9٠-٩]{2}|\b(?:" + _MONTHS + r")\b|منذ|أمس|امس|البارحة|اليوم|"
    r"[0-9٠-٩]{1,2}\s*[:/.\-]\s*[0-9٠-٩]{1,2})"
)


_DIGIT = "[0-9٠-٩]"
_DAY_OR_TIME = re.compile(
    rf"{_DIGIT}{{1,2}}\s+(?:{_MONTHS})|(?:{_MONTHS})\s+{_DIGIT}{{1,2}}(?!{_DIGIT})|"
    rf"{_DIGIT}{{1,4}}\s*[-/.]\s*{_DIGIT}{{1,2}}\s*[-/.]\s*{_DIGIT}{{2,4}}|"
    r"منذ\s+(?:\S+\s+)?(?:دقيقة|دقائق|دقيقتين|ساعة|ساعات|ساعتين|يوم|يومين|أيام|ايام|أسبوع|اسبوع|أسبوعين|أسابيع|"
    r"شهر|شهرين|أشهر|شهور)|(?:^|\s)(?:أمس|امس|البارحة)(?:\s|$)|"
    rf"(?<!{_DIGIT}){_DIGIT}{{1,2}}\s*:\s*{_DIGIT}{{2}}(?!{_DIGIT})"
)


def states_day_or_time(text: str) -> bool:
    """Cheap test: the text names a day (a day and month, a numeric date, a relative day) or a clock time;
    a year alone does not count."""
    return bool(_DAY_OR_TIME.search(text))


def first_day_or_time(text: str) -> int | None:
    """Where the first day/time expression starts (weekday names before it included), or None."""
    match = _DAY_OR_TIME.search(text)
    if not match:
        return None
    start = match.start()
    month_first = _MONTH_FIRST.search(text)
    if month_first and match.start() < month_first.start() < match.end():
        start = month_first.start()  # "فرانس 24 ماي 19، 2018": the 24 belongs to the name
    before = re.search(
        r"(?:الاثنين|الإثنين|الثلاثاء|الأربعاء|الاربعاء|الخميس|الجمعة|السبت|الأحد|الاحد)[،,]?\s*$",
        text[:start],
    )
    return before.start() if before else start


@dataclass
class FoundDate:
    value: datetime
    precision: Precision
    source: str  # where it came from: "jsonld", "meta", "time", "byline", "attribution"


def has_date_hint(text: str) -> bool:
    return bool(_DATE_HINT.search(text))


def publication_part(text: str) -> str:
    """The part of a byline before any "last updated" cue."""
    match = _UPDATE_CUE.search(text)
    return text[: match.start()] if match else text


def parse_iso(value: str | None) -> tuple[datetime, Precision] | None:
    """A machine-readable date (ISO 8601 and its usual variants) with its precision."""
    if not value or not isinstance(value, str):
        return None
    text = value.strip()
    if not re.match(r"^\d{4}-\d{2}(-\d{2})?", text):
        return None
    text = text.replace("Z", "+00:00").replace("z", "+00:00")
    text = re.sub(r"([+-]\d{2})(\d{2})$", r"\1:\2", text)  # +0100 -> +01:00
    text = re.sub(r"\.\d+", "", text)  # fractions of a second
    try:
        parsed = datetime.fromisoformat(text if len(text) > 7 else text + "-01")
    except ValueError:
        try:
            parsed = datetime.fromisoformat(text[:10])
        except ValueError:
            return None
        return parsed, "day"
    if len(text) <= 7:
        return parsed, "month"
    if len(text) <= 10:
        return parsed, "day"
    return parsed, "minute"


_MONTH_FIRST = re.compile(r"\b(" + _MONTHS + r")\s+([0-9٠-٩]{1,2})\s*[،,]\s*([0-9٠-٩]{4})")


def parse_text_date(text: str, ref: datetime | None) -> tuple[datetime, Precision] | None:
    """The first publication date stated in visible text (a byline), or None."""
    # "يوليوز 12، 2018" (month first, WordPress style): the date parser reads only the year of it
    text = _MONTH_FIRST.sub(r"\2 \1 \3", publication_part(text))
    if not text.strip() or not has_date_hint(text):
        return None
    try:
        mentions = find_dates(text, ref)
    except Exception:  # a parser bug must not lose the page: logged, and the date is unknown
        log.exception("date parser failed on %r", text[:80])
        return None
    for mention in mentions:
        parsed = mention.date
        if parsed.precision in ("minute", "day"):
            return parsed.value, parsed.precision
    return None


def plausible(value: datetime, fetched_at: datetime | None) -> bool:
    """Not after the fetch (a day's slack for time zones) and not before the web."""
    if value.year < 1995:
        return False
    if fetched_at is None:
        return True
    a = value if value.tzinfo else value.replace(tzinfo=UTC)
    b = fetched_at if fetched_at.tzinfo else fetched_at.replace(tzinfo=UTC)
    return (a - b).total_seconds() <= 86400


def is_new_year_guess(value: datetime, precision: Precision, stated_text: str = "") -> bool:
    """YYYY-01-01 with no time: an extractor's guess from a lone year, unless the page states that day."""
    if value.month != 1 or value.day != 1 or precision == "minute":
        return False
    return not re.search(r"(?:^|\D)0?1\s*[-/.]\s*0?1\s*[-/.]|01-01|يناير|جانفي|كانون الثاني", stated_text)
