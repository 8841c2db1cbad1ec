"""The records the demo generator works with: outlets, articles as written, and pages as planned."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True)
class Outlet:
    """An invented news outlet: its names, home page, site style and the clock its pages use."""

    key: str
    name: str  # as the site writes it, in Arabic
    latin: str
    home: str
    style: str  # a module name in democorpus.sites
    utc_offset: str  # "+01:00"
    country: str


@dataclass(frozen=True)
class DemoArticle:
    """One article as its outlet published it.

    `published` is the outlet's local time "YYYY-MM-DD HH:MM", or None when the page states no date
    (then `sort_time` places it among the outlet's other pages). An aggregator repost names the article
    it reposts in `repost_of` and takes its title and body; a wire copy names the article whose exact
    title and body it carries in `copy_of`.
    """

    slug: str
    outlet: str
    story: str
    thread: str | None
    section: str
    published: str | None
    title: str = ""
    body: tuple[str, ...] = ()
    author: str | None = None
    repost_of: str | None = None
    copy_of: str | None = None
    sort_time: str | None = None
    summary: str | None = None
    dates: tuple[tuple[str, str], ...] = ()  # date mentions in the body: (exact text, ISO value)


@dataclass(frozen=True)
class Link:
    title: str
    url: str
    when: datetime | None = None
    outlet: str | None = None
    lead: str | None = None  # the first paragraph of the linked article, for teaser lists


@dataclass
class PlannedPage:
    """A page ready to render: the article with everything its chrome links to."""

    article: DemoArticle
    outlet: Outlet
    title: str
    body: list[str]
    url: str
    file: str  # "<style>/<slug>.html", relative to the corpus folder
    published: datetime | None  # as shown, outlet's local time; None when the page states none
    order_time: datetime  # published or sort_time: places the page in time
    fetched_at: datetime
    ticker: list[Link] = field(default_factory=list)
    related: list[Link] = field(default_factory=list)
    most_read: list[Link] = field(default_factory=list)
    previous: Link | None = None
    next: Link | None = None
    original: PlannedPage | None = None  # the reposted page, for aggregator pages
    duplicate_of: PlannedPage | None = None
    dates: list[tuple[str, str]] = field(default_factory=list)  # body date mentions: (text, ISO value)

    @property
    def text_file(self) -> str:
        return self.file[: -len(".html")] + ".txt"
