"""The admin's accounts page, /admin/accounts: create an account with a role, change its role, set a new
password, disable or enable it, delete it. Admins only; every POST carries the CSRF token. The last enabled
admin cannot be demoted, disabled or deleted (422): somebody must be able to manage the accounts."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from marsad.store import accounts
from marsad.web.context import ItemId, Reader, reader_of
from marsad.web.routes.admin import _operator, _render, refused
from marsad.web.routes.signin import Password

router = APIRouter(prefix="/admin/accounts", include_in_schema=False)

Role = Annotated[str, Form(pattern="^(admin|editor|reader)$")]
DONE = {
    "added": "أُنشئ الحساب.",
    "role": "غُيّر دور الحساب.",
    "password": "عُيّنت كلمة مرور جديدة، وانتهت جلسات الحساب.",
    "disable": "عُطّل الحساب، وانتهت جلساته.",
    "enable": "فُعّل الحساب.",
    "remove": "حُذف الحساب.",
}
ERRORS = {
    "name": "الاسم من 1 إلى 64 حرفا أو رقما أو . _ @ - بلا مسافات.",
    "role": "الدور مدير أو محرر أو قارئ.",
    "short": f"كلمة المرور قصيرة: {accounts.MIN_PASSWORD} أحرف على الأقل.",
    "long": "كلمة المرور طويلة جدا.",
    "taken": "يوجد حساب بهذا الاسم.",
    "last-admin": "هذا آخر مدير مفعّل: لا يُحذف ولا يُعطّل ولا يُغيّر دوره.",
}
READ_ONLY = "this archive is served read-only: accounts cannot be changed"


def _page(r: Reader, request: Request, status_code: int = 200, **context):
    base: dict[str, Any] = {
        "accounts": accounts.all_accounts(r.store),
        "error": None,
        "done": None,
        "form": {},
    }
    return _render(r, request, "admin/accounts.html", {**base, **context}, status_code=status_code)


def _writer(request: Request, csrf: str) -> Reader:
    r = _operator(request, csrf)
    if r.readonly:
        raise HTTPException(503, READ_ONLY)
    return r


def _done(what: str) -> RedirectResponse:
    return RedirectResponse(f"/admin/accounts?done={what}", status_code=303)


@router.get("", response_class=HTMLResponse)
def accounts_page(request: Request, done: Annotated[str, Query(max_length=20)] = ""):
    r = reader_of(request)
    if stop := refused(r, request):
        return stop
    return _page(r, request, done=DONE.get(done))


@router.post("")
def add_account(
    request: Request,
    csrf: Annotated[str, Form()] = "",
    name: Annotated[str, Form(max_length=200)] = "",
    role: Role = "reader",
    password: Password = "",
):
    r = _writer(request, csrf)
    try:
        accounts.add(r.store, name, role, password)
    except accounts.AccountError as error:
        form = {"name": name, "role": role}
        return _page(r, request, 422, error=f"تعذر إنشاء الحساب: {ERRORS[error.code]}", form=form)
    return _done("added")


@router.post("/{account_id}/role")
def change_role(
    request: Request, account_id: ItemId, csrf: Annotated[str, Form()] = "", role: Role = "reader"
):
    r = _writer(request, csrf)
    return _change(r, request, lambda: accounts.set_role(r.store, account_id, role), "role")


@router.post("/{account_id}/password")
def reset_password(
    request: Request, account_id: ItemId, csrf: Annotated[str, Form()] = "", password: Password = ""
):
    r = _writer(request, csrf)
    return _change(r, request, lambda: accounts.set_password(r.store, account_id, password), "password")


@router.post("/{account_id}/{action}")
def account_action(request: Request, account_id: ItemId, action: str, csrf: Annotated[str, Form()] = ""):
    r = _writer(request, csrf)
    if action == "remove":
        return _change(r, request, lambda: accounts.remove(r.store, account_id), action)
    if action in ("disable", "enable"):
        return _change(
            r, request, lambda: accounts.set_disabled(r.store, account_id, action == "disable"), action
        )
    raise HTTPException(404)


def _change(r: Reader, request: Request, change, what: str):
    """Run CHANGE: 404 for a missing account, the page with the reason (422) for a refused change."""
    try:
        change()
    except accounts.NoSuchAccount:
        raise HTTPException(404, "no such account") from None
    except accounts.AccountError as error:
        return _page(r, request, 422, error=f"تعذر التغيير: {ERRORS[error.code]}")
    return _done(what)
