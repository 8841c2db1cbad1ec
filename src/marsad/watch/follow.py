"""Making a watchlist: what it follows, checked before it is stored (a query that parses, a thread, story or
outlet that exists, an http(s) webhook, an e-mail address); editing its name and alerts; the address of its
private feed."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from marsad.arabic import normalise
from marsad.search.engine import _bound as date_bound
from marsad.search.errors import QueryError
from marsad.search.query import parse
from marsad.sources.http.safety import BlockedURL, check_url
from marsad.store import watchlists
from marsad.store.db import Store
from marsad.store.watchlists import NewWatchlist, Told, Watchlist, WatchlistError

MAX_NAME = 200
MAX_EMAIL = 254
_EMAIL = re.compile(r"[^@\s<>\",;]+@[^@\s<>\",;]+\.[^@\s<>\",;.]+")
FEED_FORMATS = ("atom", "json")
FILTERS = ("outlet", "category", "since", "until")


@dataclass(frozen=True)
class Follow:
    """What to follow: a query (with search filters), or exactly one of thread, story, outlet, topic."""

    query: str = ""
    thread: int | None = None
    story: int | None = None
    outlet: str | None = None
    topic: str | None = None
    filters: dict[str, str] = field(default_factory=dict)


def create(
    store: Store,
    name: str,
    follow: Follow,
    *,
    webhook: str | None = None,
    email: str | None = None,
    digest: str | None = None,
    owner: str | None = None,
) -> Watchlist:
    """Store a new watchlist, checked first; WatchlistError saying what is wrong with the request."""
    told = _told(name, webhook, email, digest)
    kind, query, target = _what(store, follow)
    filters = _filters(follow.filters) if kind == "search" else {}
    if kind == "search":
        _check_query(query, filters)
    new = NewWatchlist(
        name=told.name,
        kind=kind,
        query=query,
        target=target,
        filters=filters,
        owner=owner,
        webhook_url=told.webhook_url,
        email=told.email,
        delivery=told.delivery,
    )
    return watchlists.add(store, new)


def edit(
    store: Store,
    watchlist: Watchlist,
    *,
    name: str,
    webhook: str | None,
    email: str | None,
    digest: str | None,
) -> Watchlist:
    """A watchlist's new name and alerts (what it follows stays), checked as `create` checks them; a channel
    turned on tells of the matches from then on, not of the earlier ones."""
    return watchlists.update(store, watchlist.id, _told(name, webhook, email, digest))


def _told(name: str, webhook: str | None, email: str | None, digest: str | None) -> Told:
    """A watchlist's name and how it tells of new matches, checked: what making and editing one share."""
    name = " ".join((name or "").split())  # one line: it heads e-mails and feeds
    if not name or len(name) > MAX_NAME:
        raise WatchlistError(f"a watchlist needs a name of 1 to {MAX_NAME} characters")
    return Told(name, _webhook(webhook), _email(email), _delivery(digest))


def _what(store: Store, follow: Follow) -> tuple[str, str, str | None]:
    """(kind, query, target) of what is followed."""
    given = [
        (kind, value)
        for kind, value in (
            ("thread", follow.thread),
            ("story", follow.story),
            ("outlet", follow.outlet),
            ("topic", follow.topic),
        )
        if value not in (None, "")
    ]
    if len(given) > 1:
        raise WatchlistError("follow one thing: a query, or one thread, story, outlet or topic")
    if not given:
        return "search", (follow.query or "").strip(), None
    kind, value = given[0]
    query = (follow.query or "").strip()
    if kind in ("thread", "story"):
        if not watchlists.exists(store, kind, int(value)):
            raise WatchlistError(f"there is no {kind} {value}")
        return kind, query, str(int(value))
    if kind == "outlet":
        ids = watchlists.outlet_ids(store).get(str(value).strip(), [])
        if not ids:
            raise WatchlistError(f"there is no outlet called {value}")
        return kind, query, str(value).strip()
    topic = normalise(str(value)).strip()
    if not topic or len(topic) > MAX_NAME:
        raise WatchlistError(f"a topic needs a name of 1 to {MAX_NAME} characters")
    return kind, str(value).strip(), topic


def _filters(given: dict[str, str]) -> dict[str, str]:
    unknown = set(given) - set(FILTERS)
    if unknown:
        raise WatchlistError(f"no such filter: {', '.join(sorted(unknown))} (use {', '.join(FILTERS)})")
    return {k: str(v).strip() for k, v in given.items() if v is not None and str(v).strip()}


def _check_query(query: str, filters: dict[str, str]) -> None:
    try:
        parsed = parse(query)
        date_bound(filters.get("since"), end=False)
        date_bound(filters.get("until"), end=True)
    except QueryError as error:
        raise WatchlistError(str(error)) from None
    if parsed.is_empty and not filters:
        raise WatchlistError("the query has no words to search for")


def _webhook(url: str | None) -> str | None:
    if not url or not url.strip():
        return None
    try:
        check_url(url.strip())
    except BlockedURL as error:
        raise WatchlistError(f"webhook: {error}") from None
    return url.strip()


def _email(address: str | None) -> str | None:
    if not address or not address.strip():
        return None
    address = address.strip()
    if len(address) > MAX_EMAIL or not _EMAIL.fullmatch(address):
        raise WatchlistError(f"not an e-mail address: {address!r}")
    return address


def _delivery(digest: str | None) -> str:
    if digest in (None, "", "immediate"):
        return "immediate"
    if digest == "daily":
        return "daily"
    raise WatchlistError(f"--digest takes daily (or immediate), not {digest!r}")


def feed_path(watchlist: Watchlist, fmt: str = "atom") -> str:
    """The private feed's path on the reader: its secret token is the only key to it."""
    return f"/feeds/watch/{watchlist.feed_token}.{fmt}"
