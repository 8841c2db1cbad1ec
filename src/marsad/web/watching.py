"""Who follows what on the reader: the signed-in account (`viewer`), the watchlists it may see, and what a
follow button names ("follow this story") as a watchlist."""

from __future__ import annotations

from dataclasses import dataclass

from starlette.requests import Request

from marsad.store import outlets, stories, threads, watchlists
from marsad.store.watchlists import Watchlist
from marsad.watch.follow import Follow
from marsad.web.context import Reader

OPERATOR = "admin"  # the operator's account (the moderator's of old) and the API token's
KINDS = ("search", "thread", "story", "outlet", "topic")


def viewer(r: Reader, request: Request) -> str | None:
    """The signed-in account's name (any role may follow), or None for an anonymous reader."""
    account = r.account(request)
    return account.name if account is not None else None


def visible(r: Reader, account: str) -> list[Watchlist]:
    """The watchlists an account sees: its own; the operator also those made on the command line."""
    own = watchlists.owned_by(r.store, account)
    return own + watchlists.owned_by(r.store, None) if account == OPERATOR else own


def may_see(account: str, w: Watchlist) -> bool:
    return w.owner == account or (account == OPERATOR and w.owner is None)


@dataclass(frozen=True)
class Followed:
    """What a follow button names, as the follow page shows it and a watchlist is made from."""

    kind: str
    value: str
    title: str  # what is followed, in words (the story's headline, the outlet's name, the query)
    follow: Follow


def followed(r: Reader, kind: str, value: str) -> Followed | None:
    """What `kind` and `value` (a query, a thread, story or outlet id, a topic's name) name; None when it
    names nothing."""
    value = (value or "").strip()
    if kind not in KINDS or not value or len(value) > 1000:
        return None
    if kind == "search":
        return Followed(kind, value, value, Follow(query=value))
    if kind == "topic":
        return Followed(kind, value, value, Follow(topic=value))
    if not value.isdigit() or int(value) > 2**63 - 1:
        return None
    item_id = int(value)
    if kind == "story":
        story = stories.story_summary(r.store, item_id)
        return Followed(kind, value, story.title, Follow(story=item_id)) if story else None
    if kind == "thread":
        thread = threads.thread(r.store, item_id, with_stories=False)
        return Followed(kind, value, thread.title, Follow(thread=item_id)) if thread else None
    outlet = outlets.outlet(r.store, item_id)
    return Followed(kind, value, outlet.name, Follow(outlet=outlet.key)) if outlet else None
