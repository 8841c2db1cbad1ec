"""The moderators' and operator's pages: the queue of reported and hidden items, decisions and their log
(admins and editors); the outlets to crawl and their feeds (add with discovery, pause, resume, remove, OPML
in and out), the failures, the crawl queue and the API token (admins only). A GET never writes; every POST
carries the CSRF token. Signing in is in routes/signin.py, the accounts in routes/admin_accounts.py."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, File, Form, HTTPException, Query, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from itsdangerous import BadSignature

from marsad.crawl.outlets import OutletError
from marsad.store import reports
from marsad.web import moderation, operator
from marsad.web.context import HERE, MAX_ID, ItemId, Reader, reader_of
from marsad.web.routes.signin import ROLE_NAMES, require_csrf

router = APIRouter(prefix="/admin", include_in_schema=False)

DONE_MESSAGES = {
    "added": "أضيف الموقع {name} وخلاصاته.",
    "paused": "أوقف جلب {name} مؤقتا.",
    "resumed": "استؤنف جلب {name}.",
    "deleted": "حُذف الموقع {name} (لم تكن له أخبار).",
    "stopped": "توقف جلب {name}؛ أخباره محفوظة.",
    "imported": "اكتمل الاستيراد. المواقع: {outlets}، الخلاصات: {feeds}.",
    "revoked": "أُلغي مفتاح الواجهة البرمجية.",
}
ADMIN_CSS = (HERE / "templates" / "admin" / "admin.css").read_text(encoding="utf-8")
PAGE = Annotated[int, Query(ge=1, le=1_000_000)]
HELPERS: dict[str, Any] = {
    "arabic_time": operator.arabic_time,
    "moderation_note": operator.moderation_note,
    "state_names": operator.STATE_NAMES,
    "health_names": operator.HEALTH_NAMES,
    "queue_state_names": operator.QUEUE_STATE_NAMES,
    "stage_names": operator.STAGE_NAMES,
    "kind_names": operator.KIND_NAMES,
    "page_size": operator.PAGE_SIZE,
    "role_names": ROLE_NAMES,
}


def _to_login() -> RedirectResponse:
    return RedirectResponse("/admin/login", status_code=303)


def refused(r: Reader, request: Request, moderation: bool = False) -> RedirectResponse | None:
    """Why a page is not shown: None when the signed-in account may see it (an admin any, an editor the
    moderation pages when MODERATION); a redirect to sign in for nobody signed in; 403 for another role."""
    account = r.account(request)
    if account is None:
        return _to_login()
    if account.is_admin or (moderation and account.can_moderate):
        return None
    raise HTTPException(403, "this account's role may not do that")


def _operator(request: Request, csrf: str) -> Reader:
    """The reader of a signed-in admin's POST with a valid CSRF token, else 403."""
    require_csrf(request, csrf)
    r = reader_of(request)
    if not r.is_admin(request):
        raise HTTPException(403, "sign in as moderator first")
    return r


def _render(r: Reader, request: Request, name: str, context: dict[str, Any], status_code: int = 200):
    return r.render(request, name, {**HELPERS, **context}, status_code=status_code)


@router.get("/admin.css")
def stylesheet() -> Response:
    """The admin pages' own few rules, beside the reader's stylesheet."""
    return Response(
        ADMIN_CSS, media_type="text/css; charset=utf-8", headers={"cache-control": "max-age=3600"}
    )


@router.get("", response_class=HTMLResponse)
def queue_page(request: Request):
    r = reader_of(request)
    if stop := refused(r, request, moderation=True):
        return stop
    items = reports.queue(r.store)
    return _render(r, request, "admin/queue.html", {"items": items, "threshold": r.threshold})


@router.get("/log", response_class=HTMLResponse)
def log_page(request: Request):
    r = reader_of(request)
    if stop := refused(r, request, moderation=True):
        return stop
    return _render(r, request, "admin/log.html", {"entries": reports.moderation_log(r.store)})


@router.post("/decide")
def decide(
    request: Request,
    csrf: Annotated[str, Form()] = "",
    article_id: Annotated[int, Form(ge=0, le=2**63 - 1)] = 0,
    image: Annotated[str, Form(max_length=2000)] = "",
    action: Annotated[str, Form(pattern="^(restore|confirm)$")] = "restore",
    note: Annotated[str, Form(max_length=500)] = "",
):
    require_csrf(request, csrf)
    r = reader_of(request)
    if not r.can_moderate(request):
        raise HTTPException(403, "sign in as an admin or editor first")
    if not moderation.decide(r, request, article_id, image, action, note):
        raise HTTPException(404, "no report on that item")
    return RedirectResponse("/admin", status_code=303)


# --- outlets ------------------------------------------------------------------------------------------------


def _outlets_page(r: Reader, request: Request, status_code: int = 200, **context: Any):
    base: dict[str, Any] = {"outlets": operator.outlet_views(r), "error": None, "done": None, "form": {}}
    return _render(r, request, "admin/outlets.html", {**base, **context}, status_code=status_code)


@router.get("/outlets", response_class=HTMLResponse)
def outlets_page(
    request: Request,
    done: Annotated[str, Query(max_length=20)] = "",
    outlet: Annotated[str, Query(max_length=300)] = "",
    outlets: Annotated[int, Query(ge=0, le=MAX_ID)] = 0,
    feeds: Annotated[int, Query(ge=0, le=MAX_ID)] = 0,
    sig: Annotated[str, Query(max_length=1000)] = "",
):
    r = reader_of(request)
    if stop := refused(r, request):
        return stop
    if outlet and not _signed_name(r, outlet, sig):  # a crafted link shows no notice
        return _outlets_page(r, request)
    message = DONE_MESSAGES.get(done, "").format(name=outlet, outlets=outlets, feeds=feeds) or None
    return _outlets_page(r, request, done=message)


NOTICE_AGE = 600  # seconds a signed notice's outlet name stays good: it is shown right after the redirect


def _done(r: Reader, what: str, **params: Any) -> RedirectResponse:
    """The redirect after an action, naming what was done; an outlet's name travels signed (the notice is
    written from the address, and a link from elsewhere must not put words in it)."""
    if "outlet" in params:
        params["sig"] = r.signer.dumps(params["outlet"], salt="notice")
    return RedirectResponse(f"/admin/outlets?{urlencode({'done': what, **params})}", status_code=303)


def _signed_name(r: Reader, name: str, sig: str) -> bool:
    try:
        return bool(r.signer.loads(sig, salt="notice", max_age=NOTICE_AGE) == name)
    except BadSignature:
        return False


@router.post("/outlets")
async def add_outlet(
    request: Request,
    csrf: Annotated[str, Form()] = "",
    url: Annotated[str, Form(max_length=2000)] = "",
    name: Annotated[str, Form(max_length=300)] = "",
    feeds: Annotated[str, Form(max_length=50_000)] = "",
):
    r = _operator(request, csrf)
    try:
        added = await operator.add_outlet(r, url, name, operator.given_feeds(feeds))
    except OutletError as error:
        form = {"url": url, "name": name, "feeds": feeds}
        return _outlets_page(r, request, 422, error=f"تعذرت إضافة الموقع: {error}", form=form)
    return _done(r, "added", outlet=added.name)


@router.post("/outlets/{outlet_id}/{action}")
def outlet_action(
    request: Request,
    outlet_id: ItemId,
    action: str,
    csrf: Annotated[str, Form()] = "",
):
    r = _operator(request, csrf)
    if action not in ("pause", "resume", "remove"):
        raise HTTPException(404)
    name = operator.outlet_view(r, outlet_id).name
    if action == "remove":
        return _done(r, operator.remove(r, outlet_id), outlet=name)
    operator.pause(r, outlet_id, action == "pause")
    return _done(r, "paused" if action == "pause" else "resumed", outlet=name)


@router.get("/outlets.opml")
def opml_export(request: Request):
    r = reader_of(request)
    if stop := refused(r, request):
        return stop
    return Response(
        operator.export_opml(r),
        media_type="text/x-opml; charset=utf-8",
        headers={"content-disposition": 'attachment; filename="marsad-outlets.opml"'},
    )


@router.post("/outlets/import")
async def opml_import(
    request: Request, csrf: Annotated[str, Form()] = "", opml: Annotated[UploadFile | None, File()] = None
):
    r = _operator(request, csrf)
    data = await opml.read() if opml is not None else b""
    try:
        added = operator.import_opml(r, data)
    except OutletError as error:
        return _outlets_page(r, request, 422, error=f"تعذر استيراد الملف: {error}")
    return _done(r, "imported", outlets=len(added), feeds=sum(len(a.feeds) for a in added))


# --- failures and the crawl queue -------------------------------------------------------------------------------


@router.get("/failures", response_class=HTMLResponse)
def failures_page(request: Request, stage: Annotated[str, Query(max_length=20)] = "", page: PAGE = 1):
    r = reader_of(request)
    if stop := refused(r, request):
        return stop
    rows, counts = operator.failures(r, stage, page)
    context = {"rows": rows, "counts": counts, "stage": stage, "page": page}
    return _render(r, request, "admin/failures.html", context)


@router.get("/crawl-queue", response_class=HTMLResponse)
def crawl_queue_page(
    request: Request,
    state: Annotated[str, Query(pattern="^(queued|failed|done)$")] = "queued",
    page: PAGE = 1,
):
    r = reader_of(request)
    if stop := refused(r, request):
        return stop
    rows, counts = operator.queue(r, state, page)
    context = {"rows": rows, "counts": counts, "state": state, "page": page}
    return _render(r, request, "admin/crawl_queue.html", context)


@router.post("/crawl-queue/{queue_id}/retry")
def retry(request: Request, queue_id: ItemId, csrf: Annotated[str, Form()] = ""):
    r = _operator(request, csrf)
    operator.retry(r, queue_id)
    return RedirectResponse("/admin/crawl-queue?state=failed", status_code=303)


# --- the API token ----------------------------------------------------------------------------------------------


@router.get("/api-token", response_class=HTMLResponse)
def api_token_page(request: Request, done: Annotated[str, Query(max_length=20)] = ""):
    r = reader_of(request)
    if stop := refused(r, request):
        return stop
    context = {"token": None, "has_token": operator.api_token_set(r), "revoked": done == "revoked"}
    return _render(r, request, "admin/api_token.html", context)


@router.post("/api-token")
def api_token_new(request: Request, csrf: Annotated[str, Form()] = ""):
    r = _operator(request, csrf)
    token = operator.new_api_token(r)  # shown on this answer only: never in a URL or a log
    response = _render(
        r, request, "admin/api_token.html", {"token": token, "has_token": True, "revoked": False}
    )
    response.headers["cache-control"] = "no-store"
    return response


@router.post("/api-token/revoke")
def api_token_revoke(request: Request, csrf: Annotated[str, Form()] = ""):
    r = _operator(request, csrf)
    operator.revoke_api_token(r)
    return RedirectResponse("/admin/api-token?done=revoked", status_code=303)
