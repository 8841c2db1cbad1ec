"""Repost attribution lines: "نشر في دوزيم يوم 21 - 09 - 2017", "المصدر: هسبريس", "نقلا عن موقع …"."""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass
from urllib.parse import urlsplit

from marsad.arabic.dates import ParsedDate, find_dates
from marsad.arabic.normalise import fold_letters, fold_with_offsets, skip_dropped

_MAX_OUTLET_WORDS = 5
# An attribution is a line of its own ("* نقلا عن …", "نشر في دوزيم يوم …") or follows a separator in a
# short line ("العنوان | المصدر: هسبريس"); a cue anywhere else is part of a sentence.
_MAX_LINE_FOR_INLINE = 160
_SEPARATORS = "|•*"  # not "-": Arabic prose uses " - … - " for asides ("وقالت المنظمة - نقلا عن …")

# The cues, matched on the folded line (same length as the line, so offsets carry over); the outlet
# follows the cue.
# "موقع" (website) is not part of an outlet's name; جريدة, صحيفة, وكالة, قناة, مجلة usually are.
_SITE = r"(?:(?:ال)?موقع(?!\w)\s*[:：]?\s*)"
_CUE_RE = re.compile(
    r"(?:^|(?<=[\s(\[«\"'\-–—|*•]))"
    r"(?P<cue>"
    rf"نشر\s+(?:في|علي|ب)\s+{_SITE}?"
    rf"|(?:مصدر\s+(?:الخبر|المقال|الصوره|النص)|المصدر|source|المرجع)\s*[:：\-–]\s*{_SITE}?"
    rf"|(?:نقلا|نقل)\s+عن\s+{_SITE}?"
    rf"|(?:بتصرف\s+)?عن\s+(?:{_SITE}|(?=(?:جريده|صحيفه|وكاله|قناه|مجله)(?!\w)))"
    r"|via\s+"
    r")"
)
_URL_RE = re.compile(r"(?:https?://|www\.)[^\s<>\"'«»()]+", re.IGNORECASE)
# The outlet ends before any of these: punctuation, a date, or words that start a new clause.
_STOP_RE = re.compile(
    r"\.(?!\w)|[,،:;؛!?؟()\[\]|\n]|\s[-–—]\s"  # a dot ends the name unless a word follows (العربية.نت)
    r"|(?<!\w)(?:يوم|بتاريخ|في تاريخ|تاريخ|بتصرف|بقلم|الساعه|الذي|التي|حيث|حول|قال|قالت|ذكر|ذكرت|اكد|اكدت"
    r"|مع|علي|الي|في)(?!\w)"
    # "إن/أن" opens a clause, except inside letter-by-letter names: سي إن إن, إن بي سي
    r"|(?<!\w)(?<!\s\w\w\s)(?<!^\w\w\s)(?<!\s\w\s)(?<!^\w\s)(?:ان|انه)(?!\w)(?!\s[^\W\d]{1,2}(?!\w))"
)
_OPENERS = " \t*•-–—|([«\"'"
_QUOTES = "\"'«»“”„‘’"
_GENERIC = {
    fold_letters(word)
    for word in ("مصادر", "مصدر", "مسؤول", "مسؤولين", "مسؤولون", "شهود", "ناشطين", "وسائل", "تقارير", "بيان")
}


@dataclass(frozen=True, slots=True)
class Attribution:
    """Who first published a reposted item: the outlet's name as written, the date if the line gives
    one, and the URL if the line gives one."""

    outlet: str
    date: ParsedDate | None = None
    url: str | None = None


def _outlet_span(folded: str, start: int, end_limit: int) -> tuple[int, int] | None:
    """The outlet's span in the folded line: up to the first stop, at most _MAX_OUTLET_WORDS words."""
    stop = _STOP_RE.search(folded, start, end_limit)
    end = stop.start() if stop else end_limit
    words = list(re.finditer(r"\S+", folded[start:end]))[:_MAX_OUTLET_WORDS]
    if not words:
        return None
    first, last = start + words[0].start(), start + words[-1].end()
    if folded[first] in _QUOTES:  # «رويترز», "الخليج" الإماراتية: the name is what the quotes hold
        closing = next((i for i in range(first + 1, last) if folded[i] in _QUOTES), None)
        first, last = first + 1, closing if closing is not None else last
    while last > first and folded[last - 1] in _QUOTES:
        last -= 1
    return (first, last) if first < last else None


def _host(url: str) -> str:
    host = urlsplit(url if "://" in url else "http://" + url).hostname or ""
    return host.removeprefix("www.")


def attribution(line: str) -> Attribution | None:
    """The outlet (and date, URL) named by a repost attribution line, or None when the line is not one."""
    if not line or len(line) > 2000:
        return None
    folded, origin = fold_with_offsets(line)  # harakat and tatweel out; origin maps back to `line`
    cue = _CUE_RE.search(folded)
    if cue is None:
        return None
    before = folded[: cue.start()].lstrip(_OPENERS).rstrip()
    if before and (len(line) > _MAX_LINE_FOR_INLINE or before[-1] not in _SEPARATORS):
        return None  # "وقال نقلا عن الوزارة إن …", "تحدث عن وكالة الفضاء": a sentence, not a credit line

    def to_line(i: int) -> int:
        return i if origin is None else origin[i]

    def to_folded(i: int) -> int:
        return i if origin is None else bisect_left(origin, i)

    after_cue = to_line(cue.end())
    dates = [d for d in find_dates(line) if d.start >= after_cue]
    url_match = _URL_RE.search(line, after_cue)
    url = url_match.group().rstrip(".,،)") if url_match else None
    limit = min(dates[0].start if dates else len(line), url_match.start() if url_match else len(line))
    span = _outlet_span(folded, cue.end(), to_folded(limit))
    outlet = line[to_line(span[0]) : skip_dropped(line, to_line(span[1] - 1) + 1)] if span else None
    if outlet and span and folded[span[0] : span[1]].split()[0] in _GENERIC:
        return None
    if not outlet and url:
        outlet = _host(url)
    if not outlet:
        return None
    return Attribution(outlet=outlet, date=dates[0].date if dates else None, url=url)
