"""Watchlists on the reader: the private feeds (`/feeds/watch/TOKEN.atom|json|rss`), the JSON API
(`/api/v1/watchlists`) and the pages: "my watchlists" (`/watchlists`) and the follow page that the follow
buttons of the search, thread, story and outlet pages lead to (its form POSTs with the CSRF token).

The API is for the signed-in account of any role (its writes carry `X-CSRF-Token`, from `/api/v1/session`)
or the operator's API token (`Authorization: Bearer`), which acts as the operator's account."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Form, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import BaseModel, Field

from marsad.store import watchlists
from marsad.store.watchlists import Watchlist, WatchlistError
from marsad.watch import follow as following
from marsad.web import operator
from marsad.web.context import ItemId, Reader, reader_of
from marsad.web.routes.feeds import FEED_SIZE, _send
from marsad.web.watching import OPERATOR, followed, may_see, viewer, visible

router = APIRouter(include_in_schema=False)
SAFE_METHODS = ("GET", "HEAD")
MATCHES_SHOWN = 50
DONE = {"added": "أضيفت قائمة المتابعة «{name}».", "removed": "حُذفت قائمة المتابعة."}
KIND_NAMES = {"search": "بحث", "thread": "مسار", "story": "قصة", "outlet": "مصدر", "topic": "موضوع"}


# --- private feeds ------------------------------------------------------------------------------------------


@router.get("/feeds/watch/{token}.{fmt}")
def watchlist_feed(request: Request, token: str, fmt: str) -> Response:
    r = reader_of(request)
    w = watchlists.by_feed_token(r.store, token)
    if w is None:
        raise HTTPException(404)
    items = [m.article for m in watchlists.matches(r.store, w.id, FEED_SIZE)]
    response = _send(request, fmt, f"مرصد: {w.name}", "/watchlists", items)
    response.headers["cache-control"] = "private, no-store"
    response.headers["x-robots-tag"] = "noindex"
    return response


# --- API ----------------------------------------------------------------------------------------------------


def _account(request: Request) -> tuple[Reader, str]:
    """The reader and the account of an API request: the operator's token, or a signed-in session (whose
    writes carry its CSRF token); else 401."""
    r = reader_of(request)
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() == "bearer":
        if operator.api_token_ok(r, token.strip()):
            return r, OPERATOR
        raise HTTPException(
            401, "invalid API token", headers={"www-authenticate": 'Bearer error="invalid_token"'}
        )
    account = viewer(r, request)
    if account is None:
        raise HTTPException(401, "sign in or send the API token", headers={"www-authenticate": "Bearer"})
    if request.method not in SAFE_METHODS and not r.csrf_ok(request, request.headers.get("x-csrf-token")):
        raise HTTPException(403, "CSRF token missing or invalid: send X-CSRF-Token with a session's writes")
    return r, account


def _writable(r: Reader) -> None:
    if r.readonly:
        raise HTTPException(503, "this archive is served read-only: watchlists cannot be changed")


def feed_url(r: Reader, request: Request, w: Watchlist, fmt: str = "atom") -> str:
    return r.public_base(request) + following.feed_path(w, fmt)


def _json(r: Reader, request: Request, w: Watchlist) -> dict[str, Any]:
    return {
        **w.as_json(private=True),
        "feed_url": feed_url(r, request, w),
        "json_feed_url": feed_url(r, request, w, "json"),
    }


class NewWatchlistBody(BaseModel):
    name: str = Field(max_length=following.MAX_NAME)
    query: str = Field("", max_length=1000, description="a search in the search syntax (or a topic's name)")
    thread: int | None = Field(None, ge=1, le=2**63 - 1)
    story: int | None = Field(None, ge=1, le=2**63 - 1)
    outlet: str | None = Field(None, max_length=300)
    topic: str | None = Field(None, max_length=following.MAX_NAME)
    filters: dict[str, str] = Field(default_factory=dict, description="outlet, category, since, until")
    webhook: str | None = Field(None, max_length=2000)
    email: str | None = Field(None, max_length=following.MAX_EMAIL)
    digest: str | None = Field(None, description="daily for one e-mail a day, else immediate")


class WatchlistChanges(BaseModel):
    """An edit: the fields given are changed (a null or empty webhook or e-mail removes it)."""

    name: str | None = Field(None, max_length=following.MAX_NAME)
    webhook: str | None = Field(None, max_length=2000)
    email: str | None = Field(None, max_length=following.MAX_EMAIL)
    digest: str | None = Field(None, description="daily for one e-mail a day, else immediate")


@router.get("/api/v1/watchlists")
def list_watchlists(request: Request) -> list[dict[str, Any]]:
    r, account = _account(request)
    return [_json(r, request, w) for w in visible(r, account)]


@router.post("/api/v1/watchlists", status_code=201)
def create_watchlist(request: Request, body: NewWatchlistBody) -> dict[str, Any]:
    r, account = _account(request)
    _writable(r)
    what = following.Follow(body.query, body.thread, body.story, body.outlet, body.topic, dict(body.filters))
    try:
        w = following.create(
            r.store,
            body.name,
            what,
            webhook=body.webhook,
            email=body.email,
            digest=body.digest,
            owner=account,
        )
    except WatchlistError as error:
        raise HTTPException(422, str(error)) from None
    return _json(r, request, w)


def _own(r: Reader, account: str, watchlist_id: int) -> Watchlist:
    w = watchlists.get(r.store, watchlist_id)
    if w is None or not may_see(account, w):
        raise HTTPException(404, "no such watchlist")
    return w


@router.get("/api/v1/watchlists/{watchlist_id}")
def get_watchlist(
    request: Request, watchlist_id: ItemId, limit: Annotated[int, Query(ge=1, le=200)] = 50
) -> dict:
    r, account = _account(request)
    w = _own(r, account, watchlist_id)
    found = watchlists.matches(r.store, w.id, limit)
    return {
        **_json(r, request, w),
        "matches": [
            {
                "id": m.article.id,
                "url": m.article.url,
                "title": m.article.title,
                "outlet": m.article.outlet,
                "published": m.article.published,
                "story": m.article.story_id,
                "arrived_at": m.arrived_at,
            }
            for m in found
        ],
        "deliveries": [
            {"channel": a.channel, "attempt": a.attempt, "status": a.status, "error": a.error, "at": a.at}
            for a in watchlists.attempts(r.store, w.id)[-20:]
        ],
    }


@router.patch("/api/v1/watchlists/{watchlist_id}")
def edit_watchlist(request: Request, watchlist_id: ItemId, body: WatchlistChanges) -> dict[str, Any]:
    r, account = _account(request)
    _writable(r)
    w = _own(r, account, watchlist_id)
    given = body.model_dump(exclude_unset=True)
    try:
        w = following.edit(
            r.store,
            w,
            name=given.get("name", w.name) or "",
            webhook=given.get("webhook", w.webhook_url),
            email=given.get("email", w.email),
            digest=given.get("digest", w.delivery),
        )
    except WatchlistError as error:
        raise HTTPException(422, str(error)) from None
    return _json(r, request, w)


@router.delete("/api/v1/watchlists/{watchlist_id}")
def delete_watchlist(request: Request, watchlist_id: ItemId) -> dict:
    r, account = _account(request)
    _writable(r)
    w = _own(r, account, watchlist_id)
    watchlists.remove(r.store, w.id)
    return {"id": w.id, "deleted": True}


# --- pages --------------------------------------------------------------------------------------------------


def _to_sign_in(request: Request) -> RedirectResponse:
    """To the sign-in page, which brings the reader back here (a follow page keeps what it follows)."""
    here = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return RedirectResponse("/login?" + urlencode({"next": here}), status_code=303)


def _render(r: Reader, request: Request, name: str, context: dict[str, Any], status_code: int = 200):
    base = {"csrf": r.csrf_token(request), "kind_names": KIND_NAMES}
    return r.render(request, name, {**base, **context}, status_code=status_code)


@router.get("/watchlists", response_class=HTMLResponse)
def watchlists_page(request: Request, done: str | None = None, name: str = ""):
    r = reader_of(request)
    account = viewer(r, request)
    if account is None:
        return _to_sign_in(request)
    shown = visible(r, account)
    counts = watchlists.match_counts(r.store)
    recent = {w.id: watchlists.matches(r.store, w.id, 5) for w in shown}
    feeds = {w.id: following.feed_path(w) for w in shown}
    json_feeds = {w.id: following.feed_path(w, "json") for w in shown}
    message = DONE[done].format(name=name[:200]) if done in DONE else None
    context = {
        "watchlists": shown,
        "counts": counts,
        "recent": recent,
        "feeds": feeds,
        "json_feeds": json_feeds,
    }
    return _render(r, request, "watchlists.html", {**context, "message": message})


@router.get("/watchlists/follow", response_class=HTMLResponse)
def follow_page(
    request: Request,
    kind: Annotated[str, Query(max_length=20)] = "search",
    value: Annotated[str, Query(max_length=1000)] = "",
):
    r = reader_of(request)
    if viewer(r, request) is None:
        return _to_sign_in(request)
    what = followed(r, kind, value)
    if what is None:
        raise HTTPException(404)
    return _render(r, request, "follow.html", {"what": what, "error": None, "name": what.title[:200]})


@router.post("/watchlists/follow")
def follow_form(
    request: Request,
    csrf: Annotated[str, Form()] = "",
    kind: Annotated[str, Form(max_length=20)] = "search",
    value: Annotated[str, Form(max_length=1000)] = "",
    name: Annotated[str, Form(max_length=1000)] = "",
    webhook: Annotated[str, Form(max_length=2000)] = "",
    email: Annotated[str, Form(max_length=1000)] = "",
    digest: Annotated[str, Form(max_length=20)] = "immediate",
):
    r = reader_of(request)
    if not r.csrf_ok(request, csrf):
        raise HTTPException(403, "CSRF token missing or invalid")
    account = viewer(r, request)
    if account is None:
        return _to_sign_in(request)
    _writable(r)
    what = followed(r, kind, value)
    if what is None:
        raise HTTPException(404)
    try:
        w = following.create(
            r.store, name, what.follow, webhook=webhook, email=email, digest=digest, owner=account
        )
    except WatchlistError as error:
        context = {"what": what, "error": str(error), "name": name}
        return _render(r, request, "follow.html", context, status_code=422)
    return RedirectResponse("/watchlists?" + urlencode({"done": "added", "name": w.name}), status_code=303)


@router.post("/watchlists/{watchlist_id}/remove")
def remove_form(request: Request, watchlist_id: ItemId, csrf: Annotated[str, Form()] = ""):
    r = reader_of(request)
    if not r.csrf_ok(request, csrf):
        raise HTTPException(403, "CSRF token missing or invalid")
    account = viewer(r, request)
    if account is None:
        return _to_sign_in(request)
    _writable(r)
    w = watchlists.get(r.store, watchlist_id)
    if w is None or not may_see(account, w):
        raise HTTPException(404)
    watchlists.remove(r.store, w.id)
    return RedirectResponse("/watchlists?done=removed", status_code=303)
