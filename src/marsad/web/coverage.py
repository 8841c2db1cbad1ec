"""Coverage over time for the reader: what a trend is of (a thread, a story, an outlet, a search), its series,
chart and links; and what is rising on the home page.

A new kind (a topic, a watchlist) is one entry in KINDS: how to name the thing and how to count it
(a store module's `trends.for_subquery` over its own article set)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any
from urllib.parse import urlencode

from markupsafe import Markup

from marsad.store import outlets, stories, threads, topics, trends, watchlists
from marsad.store.db import Store
from marsad.store.stories import StoryItem
from marsad.store.topics import TopicItem
from marsad.store.trends import Asked, Rising, Series
from marsad.web import charts, searching


@dataclass(frozen=True)
class Kind:
    noun: str  # as the page's kicker says it
    path: str  # its page: path + "/" + id
    title: Callable[[Store, int], str | None]  # None: there is no such thing
    count: Callable[[Store, int, Asked], Series]


def _thread_title(store: Store, thread_id: int) -> str | None:
    found = threads.thread(store, thread_id, with_stories=False)
    return found.title if found else None


def _story_title(store: Store, story_id: int) -> str | None:
    found = stories.story_summary(store, story_id)
    return found.title if found and found.article_count else None


def _outlet_title(store: Store, outlet_id: int) -> str | None:
    found = outlets.outlet(store, outlet_id)
    return found.name if found else None


def _topic_title(store: Store, topic_id: int) -> str | None:
    found = topics.topic(store, topic_id)
    return found.name if found else None


def _topic_count(store: Store, topic_id: int, by: Asked) -> Series:
    return trends.for_subquery(
        store, "SELECT article_id FROM article_topic WHERE topic_id = ?", (topic_id,), by
    )


KINDS: dict[str, Kind] = {
    "thread": Kind("مسار", "/threads", _thread_title, trends.for_thread),
    "story": Kind("قصة", "/stories", _story_title, trends.for_story),
    "outlet": Kind("مصدر", "/outlets", _outlet_title, trends.for_outlet),
    "topic": Kind("موضوع", "/topics", _topic_title, _topic_count),
}


@dataclass(kw_only=True)
class Trend:
    """A series with what it is of and where its page, CSV and JSON are."""

    kind: str  # a KINDS key, or "search"
    title: str
    series: Series
    params: dict[str, Any]  # the /trends query that shows it
    error: str | None = None  # a search that could not run: why
    chart: Markup | None = field(default=None)

    def __post_init__(self) -> None:
        if self.chart is None:
            self.chart = charts.bar_chart(
                self.series, f"التغطية عبر الزمن: {self.title}", f"trend-{self.kind}"
            )

    def url(self, **changes: Any) -> str:
        return "/trends?" + urlencode({**self.params, **changes})

    @property
    def csv_url(self) -> str:
        return self.url(format="csv")

    @property
    def api_url(self) -> str:
        return "/api/v1/trends?" + urlencode(self.params)

    def rows(self) -> list[tuple[date, date, str, int]]:
        """(start, end, period name, articles) per period, as the table shows them."""
        by = self.series.by
        return [(s, charts.period_end(s, by), charts.period_name(s, by), n) for s, n in self.series.periods]


def of(store: Store, kind: str, item_id: int, by: Asked = "auto") -> Trend | None:
    """The trend of a thread, story or outlet (None when there is no such item)."""
    spec = KINDS.get(kind)
    title = spec.title(store, item_id) if spec else None
    if spec is None or title is None:
        return None
    params: dict[str, Any] = {"kind": kind, "id": item_id}
    if by != "auto":
        params["by"] = by
    return Trend(kind=kind, title=title, series=spec.count(store, item_id, by), params=params)


def of_watchlist(store: Store, watchlist_id: int, title: str, by: Asked = "auto") -> Trend:
    """The trend of a watchlist's matches; its page and CSV are its owner's only (routes.trends checks)."""
    params: dict[str, Any] = {"kind": "watchlist", "id": watchlist_id}
    if by != "auto":
        params["by"] = by
    series = watchlists.match_trend(store, watchlist_id, by)
    return Trend(kind="watchlist", title=title, series=series, params=params)


def of_search(store: Store, query: str, filters: searching.Filters, by: Asked = "auto") -> Trend:
    """The trend of every article a search matches (strictly: every word), its filters applied."""
    from marsad.search import IndexUnavailable, SearchError, search_ids

    params: dict[str, Any] = {"q": query}
    for name in ("outlet", "category", "since", "until"):
        if value := getattr(filters, name):
            params[name] = value
    if by != "auto":
        params["by"] = by
    try:
        ids = search_ids(
            store,
            query,
            outlet=filters.outlet,
            category=filters.category,
            since=filters.since or None,
            until=filters.until or None,
        )
    except SearchError as exc:
        # a query that cannot run says why (as the search page does); a missing index is the operator's
        why = "فهرس البحث غير متاح الآن." if isinstance(exc, IndexUnavailable) else str(exc)
        empty = Series(by="day" if by == "auto" else by, periods=[], undated=0)
        return Trend(kind="search", title=query, series=empty, params=params, error=why)
    return Trend(kind="search", title=query, series=trends.for_ids(store, ids, by), params=params)


@dataclass(frozen=True)
class RisingStory:
    story: StoryItem
    rising: Rising


@dataclass(frozen=True)
class RisingTopic:
    topic: TopicItem
    rising: Rising


@dataclass(frozen=True)
class RisingNow:
    day: date | None
    stories: list[RisingStory]
    topics: list[RisingTopic] = field(default_factory=list)


def rising(store: Store, limit: int = 6, now: datetime | None = None) -> RisingNow:
    """What the home page shows as rising on the archive's latest day: stories and topics."""
    day, found = trends.rising_stories(store, now=now)
    shown = []
    for r in found:
        item = stories.story_summary(store, r.key)
        if item is not None and item.article_count:
            shown.append(RisingStory(item, r))
        if len(shown) == limit:
            break
    rising_topics = []
    for r in trends.rising_topics(store, day) if day else []:
        topic = topics.topic(store, r.key)
        if topic is not None:
            rising_topics.append(RisingTopic(topic, r))
        if len(rising_topics) == limit:
            break
    return RisingNow(day, shown, rising_topics)
