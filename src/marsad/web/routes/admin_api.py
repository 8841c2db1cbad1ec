"""The operator's JSON API under /api/v1/admin: what the admin pages do, for scripts.

Authenticated by the API token (`Authorization: Bearer TOKEN`, made on /admin/api-token), or by an admin
account's signed-in session, whose writes must then carry its CSRF token in `X-CSRF-Token` (from
`GET /api/v1/session`, as every role's session writes do; `/api/v1/admin/session` gives the same token).
Without either: 401; another role's session: 403. Kept out of the public OpenAPI description."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field

from marsad.crawl.outlets import AddedOutlet, OutletError
from marsad.store import accounts
from marsad.web import operator
from marsad.web.context import ItemId, Reader, reader_of

router = APIRouter(prefix="/api/v1/admin", include_in_schema=False)
SAFE_METHODS = ("GET", "HEAD")
PAGE = Annotated[int, Query(ge=1, le=1_000_000)]


def signed_in_operator(request: Request) -> Reader:
    """The reader, for a request with the API token or an admin's session (and, for a write, the session's
    CSRF token); else 401 (403 for another role's session, or a session write without its CSRF token)."""
    r = reader_of(request)
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() == "bearer":
        if operator.api_token_ok(r, token.strip()):
            return r
        raise HTTPException(
            401, "invalid API token", headers={"www-authenticate": 'Bearer error="invalid_token"'}
        )
    if r.is_admin(request):
        if request.method not in SAFE_METHODS and not r.csrf_ok(request, request.headers.get("x-csrf-token")):
            raise HTTPException(
                403, "CSRF token missing or invalid: send X-CSRF-Token with a session's writes"
            )
        return r
    if r.account(request) is not None:
        raise HTTPException(403, "this account's role may not use the admin API")
    raise HTTPException(
        401, "sign in as moderator or send the API token", headers={"www-authenticate": "Bearer"}
    )


Operator = Annotated[Reader, Depends(signed_in_operator)]


class NewOutlet(BaseModel):
    url: str = Field(max_length=2000, description="The outlet's site (or one feed or news sitemap).")
    name: str | None = Field(None, max_length=300)
    feeds: list[str] = Field(default_factory=list, max_length=operator.MAX_FEEDS_GIVEN)


def _added(added: AddedOutlet) -> dict:
    return {
        "id": added.id,
        "key": added.key,
        "name": added.name,
        "home_url": added.home_url,
        "feeds": [{"url": url, "kind": kind} for url, kind in added.feeds],
    }


def _unprocessable(error: OutletError) -> HTTPException:
    return HTTPException(422, str(error))


@router.get("/session")
def session(request: Request, r: Operator) -> dict:
    """The CSRF token a signed-in session's writes carry in X-CSRF-Token."""
    return {"csrf": r.csrf_token(request)}


@router.get("/outlets")
def list_outlets(r: Operator) -> list[dict]:
    return [o.as_json() for o in operator.outlet_views(r)]


@router.post("/outlets", status_code=201)
async def add_outlet(body: NewOutlet, r: Operator) -> dict:
    try:
        feeds = operator.given_feeds("\n".join(body.feeds))
        return _added(await operator.add_outlet(r, body.url, body.name, feeds))
    except OutletError as error:
        raise _unprocessable(error) from None


@router.get("/outlets/{outlet_id}")
def get_outlet(outlet_id: ItemId, r: Operator) -> dict:
    return operator.outlet_view(r, outlet_id).as_json()


@router.post("/outlets/{outlet_id}/pause")
def pause_outlet(outlet_id: ItemId, r: Operator) -> dict:
    operator.pause(r, outlet_id, True)
    return operator.outlet_view(r, outlet_id).as_json()


@router.post("/outlets/{outlet_id}/resume")
def resume_outlet(outlet_id: ItemId, r: Operator) -> dict:
    operator.pause(r, outlet_id, False)
    return operator.outlet_view(r, outlet_id).as_json()


@router.delete("/outlets/{outlet_id}")
def remove_outlet(outlet_id: ItemId, r: Operator) -> dict:
    """ "deleted" (the outlet had no articles) or "stopped" (crawling stops, its articles stay)."""
    return {"id": outlet_id, "outcome": operator.remove(r, outlet_id)}


@router.get("/opml")
def export_opml(r: Operator) -> Response:
    return Response(operator.export_opml(r), media_type="text/x-opml; charset=utf-8")


@router.post("/opml")
async def import_opml(request: Request, r: Operator) -> JSONResponse:
    """The request body is an OPML file (gzipped or not)."""
    try:
        added = operator.import_opml(r, await request.body())
    except OutletError as error:
        raise _unprocessable(error) from None
    feeds = sum(len(a.feeds) for a in added)
    return JSONResponse({"outlets": len(added), "feeds": feeds, "added": [_added(a) for a in added]})


@router.get("/failures")
def failures(r: Operator, stage: Annotated[str, Query(max_length=20)] = "", page: PAGE = 1) -> dict:
    rows, counts = operator.failures(r, stage, page)
    return {"counts": counts, "page": page, "page_size": operator.PAGE_SIZE, "failures": rows}


@router.get("/queue")
def crawl_queue(
    r: Operator,
    state: Annotated[str, Query(pattern="^(queued|failed|done)$")] = "queued",
    page: PAGE = 1,
) -> dict:
    rows, counts = operator.queue(r, state, page)
    return {"counts": counts, "state": state, "page": page, "page_size": operator.PAGE_SIZE, "urls": rows}


@router.post("/queue/{queue_id}/retry")
def retry(queue_id: ItemId, r: Operator) -> dict:
    operator.retry(r, queue_id)
    return {"id": queue_id, "state": "queued"}


# --- accounts -----------------------------------------------------------------------------------------------


class NewAccount(BaseModel):
    name: str = Field(max_length=200, description="1 to 64 letters, digits or . _ @ - (kept lower-cased).")
    role: str = Field(pattern="^(admin|editor|reader)$")
    password: str = Field(max_length=accounts.MAX_PASSWORD, description="At least 8 characters.")


class AccountChange(BaseModel):
    role: str | None = Field(None, pattern="^(admin|editor|reader)$")
    disabled: bool | None = None
    password: str | None = Field(None, max_length=accounts.MAX_PASSWORD, description="A new password.")


def _account_change(r: Reader, change) -> dict:
    """CHANGE's account as JSON: 404 for a missing account, 422 with the reason for a refused change (the
    last enabled admin, a short password, a taken name), 503 on a read-only archive."""
    if r.readonly:
        raise HTTPException(503, "this archive is served read-only: accounts cannot be changed")
    try:
        return change().as_json()
    except accounts.NoSuchAccount:
        raise HTTPException(404, "no such account") from None
    except accounts.AccountError as error:
        raise HTTPException(422, str(error)) from None


@router.get("/accounts")
def list_accounts(r: Operator) -> list[dict]:
    return [a.as_json() for a in accounts.all_accounts(r.store)]


@router.post("/accounts", status_code=201)
def add_account(body: NewAccount, r: Operator) -> dict:
    return _account_change(r, lambda: accounts.add(r.store, body.name, body.role, body.password))


@router.get("/accounts/{account_id}")
def get_account(account_id: ItemId, r: Operator) -> dict:
    found = accounts.get(r.store, account_id)
    if found is None:
        raise HTTPException(404, "no such account")
    return found.as_json()


@router.patch("/accounts/{account_id}")
def change_account(account_id: ItemId, body: AccountChange, r: Operator) -> dict:
    """Any of role, disabled and password; each applied in that order (a new password or disabling ends
    the account's sessions)."""

    def change() -> accounts.AccountRow:
        found = accounts.get(r.store, account_id)
        if found is None:
            raise accounts.NoSuchAccount(f"no account {account_id}")
        if body.password is not None:  # refused before anything else is changed
            accounts.check_password_rules(body.password)
        if body.role is not None:
            found = accounts.set_role(r.store, account_id, body.role)
        if body.disabled is not None:
            found = accounts.set_disabled(r.store, account_id, body.disabled)
        if body.password is not None:
            found = accounts.set_password(r.store, account_id, body.password)
        return found

    return _account_change(r, change)


@router.delete("/accounts/{account_id}")
def remove_account(account_id: ItemId, r: Operator) -> dict:
    return _account_change(r, lambda: accounts.remove(r.store, account_id))
