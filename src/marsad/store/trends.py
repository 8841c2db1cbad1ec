"""Coverage over time: how many articles a reader can see were published each day, week or month, for a
thread, a story, an outlet, a list of article ids or any set of ids a store module selects (topics and
watchlists hand their own subquery to `for_subquery`); and the stories whose coverage on the latest day is
far above their baseline ("rising").

What is counted: visible articles (hidden ones are left out, as listings leave them out), reposts included
(a repost is an outlet covering the matter). An article falls on the UTC day of its publication instant
(a stated offset is honoured; none is read as UTC). An article dated only to a month, quarter or year, or
not at all, has no day: it is counted apart, in `Series.undated`, never spread over or piled on a day.

Weeks are ISO weeks, Monday to Sunday, named by their Monday. Arab countries do not share a first day
(Saturday in Egypt and Syria, Sunday in Saudi Arabia and Iraq, Monday in Morocco, whose outlets are the
archive's core, and for ISO week numbers); ISO weeks are the one convention an analyst can join with
other data, and the chart names each week by its first day, so no reader has to guess.

Dates are computed in Python from the `published` text each row states (grouped by that text, so a value
is read once): SQL only selects and counts, in what SQLite and PostgreSQL both accept.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Literal

from marsad.store.db import Store
from marsad.store.sql import chunks, marks

By = Literal["day", "week", "month"]
BY_VALUES: tuple[By, ...] = ("day", "week", "month")
Asked = By | Literal["auto"]
# "auto": days up to AUTO_DAYS days between the first and the last, then weeks up to AUTO_WEEKS weeks,
# then months: at most about a hundred and sixty bars before a chart turns to months.
AUTO_DAYS = 92
AUTO_WEEKS = 160
_DAY_PRECISE = re.compile(r"\d{4}-\d{2}-\d{2}(?:[T ].*)?")
_COARSE = ("month", "quarter", "year")


@dataclass(frozen=True)
class Series:
    """Counts per period, oldest first, from the first period with an article to the last, the empty
    periods between them included (a gap in coverage is part of the picture)."""

    by: By
    periods: list[tuple[date, int]]  # (first day of the period, articles)
    undated: int  # visible articles of the set without a publication day

    @property
    def total(self) -> int:
        return sum(n for _, n in self.periods) + self.undated

    @property
    def peak(self) -> int:
        return max((n for _, n in self.periods), default=0)


def published_day(published: str | None, precision: str | None) -> date | None:
    """The UTC day an article was published on, or None when the page states no day."""
    if not published or precision in _COARSE or not _DAY_PRECISE.fullmatch(published.strip()):
        return None
    try:
        moment = datetime.fromisoformat(published.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC)
    return moment.date()


def period_start(day: date, by: By) -> date:
    if by == "week":
        return day - timedelta(days=day.weekday())  # Monday
    if by == "month":
        return day.replace(day=1)
    return day


def next_period(start: date, by: By) -> date:
    if by == "week":
        return start + timedelta(days=7)
    if by == "month":
        return date(start.year + start.month // 12, start.month % 12 + 1, 1)
    return start + timedelta(days=1)


def auto_by(days: Iterable[date]) -> By:
    """The period that shows the span of these days in a readable number of bars."""
    first, last = min(days, default=None), max(days, default=None)
    if first is None or last is None or (last - first).days < AUTO_DAYS:
        return "day"
    return "week" if (last - first).days < 7 * AUTO_WEEKS else "month"


def series_of(rows: Iterable[tuple[str | None, str | None, int]], by: Asked) -> Series:
    """The series of (published, precision, articles) rows."""
    if by != "auto" and by not in BY_VALUES:
        raise ValueError(f"by must be one of auto, {', '.join(BY_VALUES)}, not {by!r}")
    days: Counter[date] = Counter()
    undated = 0
    for published, precision, n in rows:
        day = published_day(published, precision)
        if day is None:
            undated += n
        else:
            days[day] += n
    period: By = auto_by(days) if by == "auto" else by
    counts: Counter[date] = Counter()
    for day, n in days.items():
        counts[period_start(day, period)] += n
    periods: list[tuple[date, int]] = []
    if counts:
        start, last = min(counts), max(counts)
        while start <= last:
            periods.append((start, counts.get(start, 0)))
            start = next_period(start, period)
    return Series(by=period, periods=periods, undated=undated)


_COUNT = "SELECT a.published, a.precision, count(*) FROM article a {join} WHERE {where} AND a.hidden = 0"
_GROUP = " GROUP BY a.published, a.precision"


def _series(store: Store, where: str, params: list | tuple, by: Asked, join: str = "") -> Series:
    sql = _COUNT.format(join=join, where=where) + _GROUP
    return series_of(store.conn.execute(sql, params), by)


def for_thread(store: Store, thread_id: int, by: Asked = "auto") -> Series:
    join = "JOIN story st ON st.id = a.story_id"
    return _series(store, "st.thread_id = ?", (thread_id,), by, join)


def for_story(store: Store, story_id: int, by: Asked = "auto") -> Series:
    return _series(store, "a.story_id = ?", (story_id,), by)


def for_outlet(store: Store, source_id: int, by: Asked = "auto") -> Series:
    return _series(store, "a.source_id = ?", (source_id,), by)


def for_ids(store: Store, ids: Iterable[int], by: Asked = "auto") -> Series:
    """The series of these articles (a search's matches, a watchlist's): ids not in the store or hidden
    are not counted."""
    rows: list[tuple[str | None, str | None, int]] = []
    for part in chunks(sorted(set(ids))):
        rows.extend(
            store.conn.execute(_COUNT.format(join="", where=f"a.id IN ({marks(len(part))})") + _GROUP, part)
        )
    return series_of(rows, by)


def for_subquery(store: Store, ids_sql: str, params: list | tuple, by: Asked = "auto") -> Series:
    """The series of the articles whose ids `ids_sql` selects (one column), for store modules that keep
    their own sets: `for_subquery(store, "SELECT article_id FROM watch_match WHERE watch_id = ?", (7,))`."""
    return _series(store, f"a.id IN ({ids_sql})", params, by)


# --- rising ------------------------------------------------------------------------------------------

# A story is rising on a day when that day's articles are at least RISING_MIN and at least RISING_FACTOR
# times its baseline: the mean of its daily articles over the RISING_DAYS days before (empty days count as
# zero). The minimum keeps one or two articles of a new story from counting as a surge; the factor asks for
# coverage well above the story's usual pace, so a matter covered every day rises only when it spikes.
RISING_DAYS = 14
RISING_MIN = 3
RISING_FACTOR = 3.0


@dataclass(frozen=True)
class Rising:
    key: int  # the story's id (a topic's, for topics)
    today: int  # its articles on the day
    baseline: float  # mean articles a day over the RISING_DAYS days before


def rising_of(days_by_key: dict[int, Counter[date]], day: date) -> list[Rising]:
    """The rising ones of these daily counts on `day`, the largest rise first (then the lowest key)."""
    found = []
    for key, days in days_by_key.items():
        today = days.get(day, 0)
        before = sum(days.get(day - timedelta(days=i), 0) for i in range(1, RISING_DAYS + 1))
        baseline = before / RISING_DAYS
        if today >= RISING_MIN and today >= RISING_FACTOR * baseline:
            found.append(Rising(key=key, today=today, baseline=baseline))
    found.sort(key=lambda r: (-(r.today - r.baseline), r.key))
    return found


def latest_day(store: Store, now: datetime | None = None) -> date | None:
    """The latest UTC day, not after today, on which a visible article was published: today on an archive
    fed as news appears, the archive's last day on one ingested from the past."""
    today = (now or datetime.now(UTC)).astimezone(UTC).date()
    rows = store.conn.execute(
        "SELECT published, precision FROM article WHERE published < ? AND hidden = 0"
        " ORDER BY published DESC LIMIT 200",
        ((today + timedelta(days=2)).isoformat(),),
    )
    days = [d for published, precision in rows if (d := published_day(published, precision)) and d <= today]
    return max(days, default=None)


def story_days(store: Store, first: date, last: date) -> dict[int, Counter[date]]:
    """Each story's visible articles per UTC day from `first` to `last` (both included)."""
    sql = (
        "SELECT story_id, published, precision FROM article"
        " WHERE published >= ? AND published < ? AND story_id IS NOT NULL AND hidden = 0"
    )
    return _days_by_key(store, sql, first, last)


def topic_days(store: Store, first: date, last: date) -> dict[int, Counter[date]]:
    """Each topic's visible articles per UTC day from `first` to `last` (both included)."""
    sql = (
        "SELECT t.topic_id, a.published, a.precision FROM article a JOIN article_topic t ON t.article_id = a.id"
        " WHERE a.published >= ? AND a.published < ? AND a.hidden = 0"
    )
    return _days_by_key(store, sql, first, last)


def _days_by_key(store: Store, sql: str, first: date, last: date) -> dict[int, Counter[date]]:
    # the published text carries its outlet's offset: a day either side holds every instant of the span
    rows = store.conn.execute(
        sql, ((first - timedelta(days=1)).isoformat(), (last + timedelta(days=2)).isoformat())
    )
    out: dict[int, Counter[date]] = {}
    for key, published, precision in rows:
        day = published_day(published, precision)
        if day is not None and first <= day <= last:
            out.setdefault(key, Counter())[day] += 1
    return out


def rising_stories(
    store: Store, day: date | None = None, now: datetime | None = None
) -> tuple[date | None, list[Rising]]:
    """(the day, the stories rising on it); the day is `latest_day` unless given."""
    day = day or latest_day(store, now)
    if day is None:
        return None, []
    return day, rising_of(story_days(store, day - timedelta(days=RISING_DAYS), day), day)


def rising_topics(store: Store, day: date) -> list[Rising]:
    """The topics rising on `day` (the same rule as stories)."""
    return rising_of(topic_days(store, day - timedelta(days=RISING_DAYS), day), day)
