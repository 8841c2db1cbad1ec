"""A thread's timeline as a reader follows it: the dated mentions of its articles (the `event` rows linking
stores, one per date a sentence states) made into one entry per dated fact. Pure functions: the rows come
from marsad.store.threads.

The rules, documented once, here:

- **The same fact** is the same date at the same precision, stated in sentences whose content words
  (marsad.arabic.analyse: normalised, stemmed, function words and numbers left out) overlap. A sentence
  joins the entry of its date holding the sentence it restates most closely (a Dice coefficient of RESTATES
  or more: a repost's, a rewrite's), or else the first whose sentences it overlaps by FACT_OVERLAP on
  average, or starts one. Different facts of one date stay apart, and so do two sentences of one article
  (its writer said two things).
- **Background** is what the thread's articles recall from before it began: a date whose whole period
  ends more than BACKGROUND_BEFORE before the thread's first article (a founding year, an earlier title, a
  reform the news refers back to). It is listed apart from the news, one entry per date whatever its
  sentences say (five articles recalling a founding in five wordings give one entry with five sources),
  and a coarser background date is folded into the one finer background date it holds: "2011" and
  "September 2011" are one founding, dated September 2011. A year holding two background months stays.
- **Order**, for the news and the background alike: by the start of the date's period (a quarter, a month
  or a year at its first day), then coarser before finer at the same start (year, quarter, month, day,
  time), then the fact first reported first (its earliest source's publication), then the stored order.
- **Sources** of an entry: every visible article stating it, originals before reposts, earliest published
  first; the entry shows its first source's sentence.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from marsad.arabic import analyse

# Dice of content words, on average against an entry's sentences. Articles recall a matter's key date in
# their own sentence about something else ("... missing since he entered the consulate on 2 October"):
# the same fact's sentences shared 0.1-0.5 of their words in ANT threads, and at 0.5 one in twenty of the
# pairs read as one fact were merged (docs/benchmarks.md, Timelines).
FACT_OVERLAP = 0.25
RESTATES = 0.5  # against one sentence: a copy or a close rewrite joins an entry whatever its others say
BACKGROUND_BEFORE = timedelta(days=30)  # a date this long before a thread's first article is background
PRECISION_RANK = {"year": 0, "quarter": 1, "month": 2, "day": 3, "minute": 4}

_PERIOD_RE = re.compile(r"(\d{4})(?:-(?:Q([1-4])|(\d{2}))(?:-(\d{2}))?)?")


@dataclass(kw_only=True)
class TimelineSource:
    """One article's dated mention: the date, its precision, the sentence as published."""

    id: int  # the event row
    date: str
    precision: str
    text: str
    story_id: int | None
    article_id: int
    article_url: str
    article_title: str
    outlet: str | None
    published: str | None  # as the article states it
    published_at: str | None  # its UTC instant, text that sorts by time (marsad.store.articles.instant_of)
    repost: bool
    span: tuple[int, int]  # where the date is in the article's body (its non-blank lines)


@dataclass(kw_only=True)
class TimelineEntry:
    """One dated fact with every source stating it; shown with its first source's sentence."""

    date: str
    precision: str
    background: bool
    sources: list[TimelineSource]

    @property
    def first(self) -> TimelineSource:
        return self.sources[0]

    @property
    def text(self) -> str:
        return self.first.text

    @property
    def article_id(self) -> int:
        return self.first.article_id

    @property
    def story_id(self) -> int | None:
        return self.first.story_id

    @property
    def outlet(self) -> str | None:
        return self.first.outlet

    @property
    def story_ids(self) -> list[int]:
        return sorted({s.story_id for s in self.sources if s.story_id is not None})

    @property
    def outlets(self) -> list[str]:
        """Its sources' outlets, each once, in the sources' order."""
        return list(dict.fromkeys(s.outlet for s in self.sources if s.outlet))


@dataclass(kw_only=True)
class Timeline:
    events: list[TimelineEntry] = field(default_factory=list)  # the news, in order
    background: list[TimelineEntry] = field(default_factory=list)  # before the thread began, in order


def period(value: str) -> tuple[date, date]:
    """First and last day of a stored date ("2018", "2018-Q1", "2018-09", "2018-09-28", a time)."""
    m = _PERIOD_RE.match(value)
    if m is None:
        raise ValueError(f"not a timeline date: {value!r}")
    year = int(m[1])
    if m[4]:  # a day (or a time on it)
        day = date(year, int(m[3]), int(m[4]))
        return day, day
    if m[2] or m[3]:
        first_month = (int(m[2]) - 1) * 3 + 1 if m[2] else int(m[3])
        last_month = first_month + (2 if m[2] else 0)
        end = date(year + 1, 1, 1) if last_month == 12 else date(year, last_month + 1, 1)
        return date(year, first_month, 1), end - timedelta(days=1)
    return date(year, 1, 1), date(year, 12, 31)


def _period_or_last(value: str) -> tuple[date, date]:
    """period(), or the end of time for a stored value that is no date (it is listed last, not lost)."""
    try:
        return period(value)
    except ValueError:
        return date.max, date.max


def order_key(entry: TimelineEntry) -> tuple:
    start = _period_or_last(entry.date)[0]
    return (start, PRECISION_RANK.get(entry.precision, 9), entry.date, _reported(entry), entry.first.id)


def _reported(entry: TimelineEntry) -> str:
    return min((s.published_at or "9999" for s in entry.sources), default="9999")


def _source_key(source: TimelineSource) -> tuple:
    return (source.repost, source.published_at or "9999", source.id)


def content_words(text: str) -> frozenset[str]:
    """What a sentence says, for comparing two: its stems without function words and numbers (the
    date's own digits are in every sentence of an entry)."""
    return frozenset(term for term in analyse(text) if not term.isdigit())


def overlap(a: frozenset[str], b: frozenset[str]) -> float:
    """Dice coefficient of two sets of content words."""
    if not a or not b:
        return 1.0 if a == b else 0.0
    return 2 * len(a & b) / (len(a) + len(b))


def is_background(value: str, thread_start: str | None) -> bool:
    """A date whose whole period ends more than BACKGROUND_BEFORE before the thread's first article."""
    if not thread_start:
        return False
    try:
        start = datetime.fromisoformat(thread_start.replace("Z", "+00:00")).date()
    except ValueError:
        return False
    return _period_or_last(value)[1] < start - BACKGROUND_BEFORE


def build(sources: Iterable[TimelineSource], thread_start: str | None) -> Timeline:
    """The timeline of a thread's mentions (see the module's rules); thread_start: its first article's
    publication."""
    news: list[TimelineSource] = []
    past: list[TimelineSource] = []
    for source in sorted(sources, key=_source_key):
        (past if is_background(source.date, thread_start) else news).append(source)
    return Timeline(
        events=sorted(merge_facts(news), key=order_key),
        background=sorted(merge_background(past), key=order_key),
    )


def merge_facts(sources: list[TimelineSource]) -> list[TimelineEntry]:
    """The same fact stated by several articles made one entry (sources in the order given; the rule is the
    module's)."""
    entries: list[TimelineEntry] = []
    words: list[list[frozenset[str]]] = []  # per entry, its sentences' content words
    by_date: dict[tuple[str, str], list[int]] = {}
    for source in sources:
        mine = content_words(source.text)
        home, restated = None, (0.0, 0.0)  # the entry it joins; how closely it restates a sentence of it
        for i in by_date.get((source.date, source.precision), []):
            if any(s.article_id == source.article_id for s in entries[i].sources):
                continue
            scores = [overlap(mine, theirs) for theirs in words[i]]
            closest, mean = max(scores), sum(scores) / len(scores)
            if closest >= RESTATES and (closest, mean) > restated:
                home, restated = i, (closest, mean)  # the entry it restates most closely (then: on average)
            elif home is None and mean >= FACT_OVERLAP:
                home = i  # else the first it overlaps on average
        if home is None:
            by_date.setdefault((source.date, source.precision), []).append(len(entries))
            entries.append(
                TimelineEntry(date=source.date, precision=source.precision, background=False, sources=[])
            )
            words.append([])
            home = len(entries) - 1
        entries[home].sources.append(source)
        words[home].append(mine)
    return entries


def merge_background(sources: list[TimelineSource]) -> list[TimelineEntry]:
    """One entry per background date (one source per article), a coarser date folded into the single
    finer date it holds."""
    by_date: dict[tuple[str, str], TimelineEntry] = {}
    for source in sources:
        entry = by_date.setdefault(
            (source.date, source.precision),
            TimelineEntry(date=source.date, precision=source.precision, background=True, sources=[]),
        )
        if all(s.article_id != source.article_id for s in entry.sources):
            entry.sources.append(source)
    entries = list(by_date.values())
    for coarse in sorted(entries, key=lambda e: -PRECISION_RANK.get(e.precision, 9)):
        first, last = _period_or_last(coarse.date)
        held = [
            e
            for e in entries
            if e is not coarse
            and PRECISION_RANK.get(e.precision, 9) > PRECISION_RANK.get(coarse.precision, 9)
            and first <= _period_or_last(e.date)[0]
            and _period_or_last(e.date)[1] <= last
        ]
        if len(held) == 1:
            finer = held[0]
            known = {s.article_id for s in finer.sources}
            finer.sources = sorted(
                finer.sources + [s for s in coarse.sources if s.article_id not in known], key=_source_key
            )
            entries.remove(coarse)
    return entries
