"""Dated events from article bodies (marsad.arabic.find_dates, relative dates resolved against the
publication date), and the time linking uses for an article.

Each mention is stored as it is found (one `event` row per date a sentence states); a reader's timeline
makes them one entry per fact, background apart, when it is read (marsad.store.timeline), so that a story
moving to another thread or an article hidden needs no rewrite."""

from __future__ import annotations

import bisect
import dataclasses
import re
import unicodedata
from datetime import UTC, datetime

from marsad.arabic import find_dates as _find_dates
from marsad.arabic.normalise import _DROP_RE

_SENTENCE_END = re.compile(r"[.!?؟\n]")

# A dated mention: (date iso, precision, the sentence as published, span start, span end in the body)
Event = tuple[str, str, str, int, int]


def find_dates(text: str, ref: datetime | None) -> list:
    """marsad.arabic.find_dates, faster on text with harakat or tatweel: those marks are removed first
    (find_dates would otherwise fold the text character by character) and the spans mapped back."""
    if not unicodedata.is_normalized("NFKC", text) or _DROP_RE.search(text) is None:
        return _find_dates(text, ref)
    kept_at: list[int] = []  # positions in the stripped text where marks were removed
    removed: list[int] = []  # how many characters were removed up to there
    pieces, last, total = [], 0, 0
    for m in _DROP_RE.finditer(text):
        pieces.append(text[last : m.start()])
        total += m.end() - m.start()
        kept_at.append(m.start() - (total - (m.end() - m.start())))
        removed.append(total)
        last = m.end()
    pieces.append(text[last:])
    mentions = _find_dates("".join(pieces), ref)

    def origin(pos: int, is_end: bool) -> int:
        i = bisect.bisect_right(kept_at, pos - 1 if is_end else pos) - 1
        return pos + (removed[i] if i >= 0 else 0)

    out = []
    for mention in mentions:
        start, end = origin(mention.start, False), origin(mention.end, True)
        out.append(dataclasses.replace(mention, start=start, end=end, text=text[start:end]))
    return out


def parse_time(value: str | None) -> datetime | None:
    """An ISO string as naive UTC (naive input is taken as UTC); None when absent or unreadable."""
    if not value:
        return None
    try:
        when = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    if when.tzinfo is not None:
        when = when.astimezone(UTC).replace(tzinfo=None)
    return when


def iso(when: datetime) -> str:
    """A naive time to the second, as the link state keeps times ("2018-02-17T09:30:00")."""
    text = when.isoformat()  # five times faster than strftime, and the same text for such a time
    if len(text) == 19 and when.year >= 1000:
        return text
    return when.strftime("%Y-%m-%dT%H:%M:%S")


def sentence_around(text: str, start: int, end: int) -> tuple[int, int]:
    """Bounds of the sentence holding text[start:end]."""
    left = start
    while left > 0 and not _SENTENCE_END.match(text[left - 1]):
        left -= 1
    match = _SENTENCE_END.search(text, end)
    right = match.end() if match else len(text)
    while left < right and text[left].isspace():
        left += 1
    while right > left and text[right - 1].isspace():
        right -= 1
    return left, right


def events(body: str, published: datetime | None) -> list[Event]:
    """(date iso, precision, sentence as published, span start, span end) for each dated mention."""
    out = []
    seen = set()
    for mention in find_dates(body, published):
        left, right = sentence_around(body, mention.start, mention.end)
        date = mention.date.iso()
        key = (date, left)
        if key in seen:
            continue
        seen.add(key)
        out.append((date, mention.date.precision, body[left:right], mention.start, mention.end))
    return out


def body_text(body: str | None) -> str:
    """A stored body's non-blank lines: the text an article's dates are read from (event spans index it)."""
    return "\n".join(p for p in (body or "").split("\n") if p.strip())


def article_events(body: str | None, published: str | None) -> list[Event]:
    """The dated events of a stored article: its body's, against its publication time."""
    return events(body_text(body), parse_time(published))


def estimated_time(body: str, fetched: datetime | None) -> datetime | None:
    """For an article that states no date: the latest date its text mentions, no later than when it was
    fetched (a page about a meeting 'next September' is from before then)."""
    latest = None
    for mention in find_dates(body, None):
        when = mention.date.value
        if when.tzinfo is not None:
            when = when.astimezone(UTC).replace(tzinfo=None)
        if fetched is not None and when > fetched:
            continue
        if latest is None or when > latest:
            latest = when
    return latest
