"""Signing in and out, for every account, one's own account page (a new password) and `/api/v1/session`
(the account and its CSRF token, for the session's API writes).

One sign-in page, at /login and at /admin/login (where older links and scripts go: there a blank name is
the account "admin", as the moderator signed in with the password alone). Tries are throttled per network
and per account name; a success sets the signed session cookie, which names the account and its session
generation. Signing out ends every session of the account."""

from __future__ import annotations

import math
import re
from typing import Annotated

from fastapi import APIRouter, Form, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response

from marsad.store import accounts, reports
from marsad.store.accounts import Account
from marsad.web.context import SESSION_AGE, SESSION_COOKIE, Reader, reader_of

router = APIRouter(include_in_schema=False)

Name = Annotated[str, Form(max_length=200)]
Password = Annotated[str, Form(max_length=accounts.MAX_PASSWORD)]
LOCAL_PATH = re.compile(r"/(?!/)[!-\[\]-~]*")  # printable ASCII but the backslash, not //
ROLE_NAMES = {"admin": "مدير", "editor": "محرر", "reader": "قارئ"}
PASSWORD_ERRORS = {
    "short": f"كلمة المرور قصيرة: {accounts.MIN_PASSWORD} أحرف على الأقل.",
    "mismatch": "كلمتا المرور الجديدتان غير متطابقتين.",
    "wrong": "كلمة المرور الحالية غير صحيحة.",
}


def require_csrf(request: Request, token: str) -> None:
    if not reader_of(request).csrf_ok(request, token):
        raise HTTPException(403, "CSRF token missing or invalid")


def local_path(target: str) -> str:
    """TARGET when it is a path on this site, else "": printable ASCII without a backslash, one leading
    slash (a browser reads //x, /\\x and a path with a tab or newline dropped as another host)."""
    return target if LOCAL_PATH.fullmatch(target) else ""


def set_session(r: Reader, request: Request, response: Response, account: Account) -> None:
    response.set_cookie(
        SESSION_COOKIE,
        r.session_cookie(request, account),
        max_age=SESSION_AGE,
        httponly=True,
        samesite="strict",
        secure=r.is_https(request),
        path="/",
    )


def _login_page(r: Reader, request: Request, error: str | None = None, status_code: int = 200, **form):
    context = {
        "configured": reports.admin_password_set(r.store),
        "error": error,
        "action": request.url.path,
        "name": form.get("name", ""),
        "next": form.get("next", ""),
    }
    return r.render(request, "login.html", context, status_code=status_code)


@router.get("/login", response_class=HTMLResponse)
@router.get("/admin/login", response_class=HTMLResponse)
def login_page(request: Request, next: Annotated[str, Query(max_length=2000)] = ""):
    return _login_page(reader_of(request), request, next=local_path(next))


@router.post("/login")
@router.post("/admin/login")
def login(
    request: Request,
    csrf: Annotated[str, Form()] = "",
    name: Name = "",
    password: Password = "",
    next: Annotated[str, Form(max_length=2000)] = "",
):
    require_csrf(request, csrf)
    r = reader_of(request)
    name = name.strip() or (accounts.ADMIN if request.url.path == "/admin/login" else "")
    form = {"name": name, "next": local_path(next)}
    wait = r.login_attempt(request, name)  # counted as a failure unless the password is right
    if wait > 0:  # throttled: the password is not even checked
        seconds = math.ceil(wait)
        response = _login_page(r, request, f"محاولات كثيرة، حاول بعد {seconds} ثانية.", 429, **form)
        response.headers["retry-after"] = str(seconds)
        return response
    account = accounts.authenticate(r.store, name, password)
    if account is None:
        return _login_page(r, request, "اسم المستخدم أو كلمة المرور غير صحيحة.", 401, **form)
    r.login_succeeded(request, name)
    target = form["next"] or ("/admin" if account.can_moderate else "/")
    response = RedirectResponse(target, status_code=303)
    set_session(r, request, response, account)
    return response


@router.post("/logout")
@router.post("/admin/logout")
def logout(request: Request, csrf: Annotated[str, Form()] = ""):
    require_csrf(request, csrf)
    r = reader_of(request)
    account = r.account(request)
    if account is not None:  # ends the session server-side (and the account's other ones): the old
        r.end_sessions(account)  # cookie no longer signs anyone in
    response = RedirectResponse("/", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/", secure=r.is_https(request), httponly=True)
    return response


@router.get("/api/v1/session")
def session(request: Request) -> JSONResponse:
    """The signed-in account (any role) and the CSRF token its session's API writes carry in X-CSRF-Token."""
    r = reader_of(request)
    account = r.account(request)
    if account is None:
        raise HTTPException(401, "sign in first: the token is a signed-in browser's")
    body = {"account": account.name, "role": account.role, "csrf": r.csrf_token(request)}
    return JSONResponse(body, headers={"cache-control": "private, no-store"})


# --- one's own account --------------------------------------------------------------------------------


def _account_page(r: Reader, request: Request, account: Account, status_code: int = 200, **context):
    base = {"me": account, "role_names": ROLE_NAMES, "error": None, "done": False}
    return r.render(request, "account.html", {**base, **context}, status_code=status_code)


@router.get("/account", response_class=HTMLResponse)
def account_page(request: Request, done: Annotated[str, Query(max_length=20)] = ""):
    r = reader_of(request)
    account = r.account(request)
    if account is None:
        return RedirectResponse("/login?next=/account", status_code=303)
    return _account_page(r, request, account, done=done == "password")


@router.post("/account/password")
def change_password(
    request: Request,
    csrf: Annotated[str, Form()] = "",
    current: Password = "",
    new: Password = "",
    again: Password = "",
):
    """A new password for the signed-in account: its other sessions end, this browser stays signed in."""
    require_csrf(request, csrf)
    r = reader_of(request)
    account = r.account(request)
    if account is None:
        raise HTTPException(403, "sign in first")
    if r.readonly:
        raise HTTPException(503, "this archive is served read-only: a new password cannot be stored")
    error = "mismatch" if new != again else "short" if len(new) < accounts.MIN_PASSWORD else None
    if error is None:
        wait = r.login_attempt(request, account.name)  # the current password is guessed no faster here
        if wait > 0:
            message = f"محاولات كثيرة، حاول بعد {math.ceil(wait)} ثانية."
            response = _account_page(r, request, account, 429, error=message)
            response.headers["retry-after"] = str(math.ceil(wait))
            return response
        if accounts.authenticate(r.store, account.name, current) is None:
            error = "wrong"
    if error:
        return _account_page(r, request, account, 422, error=PASSWORD_ERRORS[error])
    r.login_succeeded(request, account.name)
    accounts.set_password(r.store, account.id, new)
    response = RedirectResponse("/account?done=password", status_code=303)
    set_session(r, request, response, account)  # the new generation's cookie for this browser
    return response
