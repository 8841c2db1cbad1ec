"""The moderator's pages: sign in, the queue of reported and hidden items, decisions and their log."""

from __future__ import annotations

import math
from typing import Annotated

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from marsad.store import reports
from marsad.web import moderation
from marsad.web.context import SESSION_AGE, SESSION_COOKIE, reader_of

router = APIRouter(prefix="/admin", include_in_schema=False)


def _require_csrf(request: Request, token: str) -> None:
    if not reader_of(request).csrf_ok(request, token):
        raise HTTPException(403, "CSRF token missing or invalid")


@router.get("", response_class=HTMLResponse)
def queue_page(request: Request):
    r = reader_of(request)
    if not r.is_admin(request):
        return RedirectResponse("/admin/login", status_code=303)
    items = reports.queue(r.store)
    return r.render(request, "admin/queue.html", {"items": items, "threshold": r.threshold})


@router.get("/log", response_class=HTMLResponse)
def log_page(request: Request):
    r = reader_of(request)
    if not r.is_admin(request):
        return RedirectResponse("/admin/login", status_code=303)
    return r.render(request, "admin/log.html", {"entries": reports.moderation_log(r.store)})


@router.get("/login", response_class=HTMLResponse)
def login_page(request: Request):
    r = reader_of(request)
    return r.render(
        request, "admin/login.html", {"configured": reports.admin_password_set(r.store), "error": None}
    )


@router.post("/login")
def login(
    request: Request, csrf: Annotated[str, Form()] = "", password: Annotated[str, Form(max_length=1000)] = ""
):
    _require_csrf(request, csrf)
    r = reader_of(request)
    configured = reports.admin_password_set(r.store)
    wait = r.login_attempt(request)  # counted as a failure unless the password is right
    if wait > 0:  # throttled: the password is not even checked
        seconds = math.ceil(wait)
        context = {"configured": configured, "error": f"محاولات كثيرة، حاول بعد {seconds} ثانية."}
        response = r.render(request, "admin/login.html", context, status_code=429)
        response.headers["retry-after"] = str(seconds)
        return response
    if configured and reports.check_admin_password(r.store, password):
        r.login_succeeded(request)
        response = RedirectResponse("/admin", status_code=303)
        response.set_cookie(
            SESSION_COOKIE,
            r.session_cookie(request),
            max_age=SESSION_AGE,
            httponly=True,
            samesite="strict",
            secure=r.is_https(request),
            path="/",
        )
        return response
    context = {"configured": configured, "error": "كلمة المرور غير صحيحة."}
    return r.render(request, "admin/login.html", context, status_code=401)


@router.post("/logout")
def logout(request: Request, csrf: Annotated[str, Form()] = ""):
    _require_csrf(request, csrf)
    r = reader_of(request)
    if r.is_admin(request):  # ends the session server-side (and the moderator's other ones): the old
        r.end_sessions()  # cookie no longer signs anyone in
    response = RedirectResponse("/", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/", secure=r.is_https(request), httponly=True)
    return response


@router.post("/decide")
def decide(
    request: Request,
    csrf: Annotated[str, Form()] = "",
    article_id: Annotated[int, Form(ge=0, le=2**63 - 1)] = 0,
    image: Annotated[str, Form(max_length=2000)] = "",
    action: Annotated[str, Form(pattern="^(restore|confirm)$")] = "restore",
    note: Annotated[str, Form(max_length=500)] = "",
):
    _require_csrf(request, csrf)
    r = reader_of(request)
    if not r.is_admin(request):
        raise HTTPException(403, "sign in as moderator first")
    if not moderation.decide(r, article_id, image, action, note):
        raise HTTPException(404, "no report on that item")
    return RedirectResponse("/admin", status_code=303)
