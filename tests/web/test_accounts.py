"""Accounts on the web: one sign-in page for every role, what each role may and may not do (exact status
codes), sessions that end on a new password, a disable or a sign-out, the throttle per account name, CSRF
refusals, the admin's accounts page and its API, and the account's name and sign-out in the header."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from marsad.store import accounts, reports
from marsad.store.db import Store
from marsad.web import context as web_context

from .conftest import browser_client

PASSWORD = "correct horse battery"
EDITOR, READER = "salma", "omar"


def csrf_of(client, path: str = "/login") -> str:
    return re.search(r'name="csrf" value="([^"]+)"', client.get(path).text).group(1)


def sign_in(client, name: str, password: str = PASSWORD, path: str = "/login", **extra):
    return client.post(
        path, data={"csrf": csrf_of(client, path), "name": name, "password": password, **extra}
    )


def signed_in(app, name: str, agent: str = "", address: str = "testclient"):
    client = browser_client(app, agent or f"browser of {name}", address)
    assert sign_in(client, name).status_code == 303
    return client


@pytest.fixture()
def people(archive: Path) -> dict[str, int]:
    """The admin (the moderator's password), an editor and a reader; their ids."""
    with Store(archive) as store:
        reports.set_admin_password(store, PASSWORD)
        accounts.add(store, EDITOR, "editor", PASSWORD)
        accounts.add(store, READER, "reader", PASSWORD)
        return {a.name: a.id for a in accounts.all_accounts(store)}


def _anonymous(app):
    return browser_client(app, "anonymous")


# --- signing in -------------------------------------------------------------------------------------------


def test_each_role_signs_in_at_login_and_lands_where_it_works(app, people):
    landing = {}
    for name in ("admin", EDITOR, READER):
        answer = sign_in(browser_client(app, name), name)
        landing[name] = (answer.status_code, answer.headers["location"])
    assert landing == {"admin": (303, "/admin"), EDITOR: (303, "/admin"), READER: (303, "/")}
    # a page on this site named in `next` is where it goes; another site's is ignored
    reader = browser_client(app, "next")
    assert sign_in(reader, READER, next="/account").headers["location"] == "/account"
    assert sign_in(browser_client(app, "n2"), READER, next="//evil.example/").headers["location"] == "/"
    elsewhere = ("https://evil.example/", "/\t/evil.example/", "/\\evil.example", "/\n/evil.example")
    for n, target in enumerate(elsewhere):
        assert sign_in(browser_client(app, f"next {n}"), READER, next=target).headers["location"] == "/"
    assert sign_in(browser_client(app, "n4"), READER, next="/search?q=x").headers["location"] == "/search?q=x"
    # the name is case-blind and the old admin sign-in (password alone at /admin/login) is the admin
    assert sign_in(browser_client(app, "caps"), " OMAR ").status_code == 303
    old = browser_client(app, "old")
    answer = old.post("/admin/login", data={"csrf": csrf_of(old, "/admin/login"), "password": PASSWORD})
    assert (answer.status_code, answer.headers["location"]) == (303, "/admin")


def test_wrong_unknown_and_disabled_sign_ins_are_one_refusal(app, people, archive):
    with Store(archive) as store:
        accounts.set_disabled(store, people[EDITOR], True)
    for name, password in (
        (READER, "wrong password"),
        ("nobody", PASSWORD),
        (EDITOR, PASSWORD),
        ("a b", "x"),
    ):
        answer = sign_in(browser_client(app, f"try {name}"), name, password)
        assert answer.status_code == 401, name
        assert "اسم المستخدم أو كلمة المرور غير صحيحة." in answer.text
        assert web_context.SESSION_COOKIE not in answer.cookies
    # at /login a blank name is nobody (only the old /admin/login means admin by it)
    assert sign_in(browser_client(app, "blank"), "").status_code == 401


def test_the_sign_in_page_is_arabic_right_to_left_with_both_fields(client, people):
    page = client.get("/login").text
    assert '<html lang="ar" dir="rtl">' in page
    assert '<form method="post" action="/login" id="login">' in page
    assert 'name="name"' in page and 'name="password"' in page
    assert 'action="/admin/login"' in client.get("/admin/login").text


# --- what each role may do --------------------------------------------------------------------------------

PAGES = {  # path: (anonymous, reader, editor, admin)
    "/admin": (303, 403, 200, 200),
    "/admin/log": (303, 403, 200, 200),
    "/admin/outlets": (303, 403, 403, 200),
    "/admin/failures": (303, 403, 403, 200),
    "/admin/crawl-queue": (303, 403, 403, 200),
    "/admin/api-token": (303, 403, 403, 200),
    "/admin/accounts": (303, 403, 403, 200),
    "/account": (303, 200, 200, 200),
    "/api/v1/session": (401, 200, 200, 200),
    "/api/v1/watchlists": (401, 200, 200, 200),
    "/": (200, 200, 200, 200),
    "/articles/3": (200, 200, 200, 200),
}


def test_each_role_sees_the_pages_it_should(app, people):
    clients = [_anonymous(app)] + [signed_in(app, name) for name in (READER, EDITOR, "admin")]
    for path, expected in PAGES.items():
        assert tuple(c.get(path).status_code for c in clients) == expected, path
    assert clients[0].get("/admin").headers["location"] == "/admin/login"
    assert clients[0].get("/account").headers["location"] == "/login?next=/account"
    refused = clients[1].get("/admin/outlets").text  # the refusal still names who is signed in
    assert "غير مسموح" in refused and '<a href="/account" id="account-link" dir="auto">omar</a>' in refused


def test_each_role_may_post_what_it_should(app, people, archive):
    with Store(archive) as store:  # one hidden article for the moderators to restore
        for client in ("a", "b", "c"):
            reports.add_report(store, 3, client, "خبر زائف", threshold=3)
    anonymous, reader, editor, admin = [_anonymous(app)] + [
        signed_in(app, name) for name in (READER, EDITOR, "admin")
    ]

    def post(client, path, page="/login", **data):
        return client.post(path, data={"csrf": csrf_of(client, page), **data}).status_code

    decide = {"article_id": "3", "action": "restore"}
    assert [post(c, "/admin/decide", **decide) for c in (anonymous, reader)] == [403, 403]
    assert post(editor, "/admin/decide", **decide) == 303
    assert post(admin, "/admin/decide", **{**decide, "action": "confirm"}) == 303
    with Store(archive) as store:
        log = [(m["action"], m["actor"]) for m in reports.moderation_log(store)]
    assert log == [("confirm", "account:admin"), ("restore", "account:salma"), ("auto-hide", "reports")]
    new = {"name": "nadia", "role": "reader", "password": PASSWORD}
    for path, data in (
        ("/admin/accounts", new),
        (f"/admin/accounts/{people[READER]}/disable", {}),
        ("/admin/outlets/1/pause", {}),
        ("/admin/api-token", {}),
    ):
        assert [post(c, path, **data) for c in (anonymous, reader, editor)] == [403, 403, 403], path
    assert post(admin, "/admin/accounts", **new) == 303


def test_the_admin_api_is_the_admins_alone(app, people):
    anonymous, reader, editor, admin = [_anonymous(app)] + [
        signed_in(app, name) for name in (READER, EDITOR, "admin")
    ]
    for path in ("/api/v1/admin/accounts", "/api/v1/admin/outlets", "/api/v1/admin/session"):
        assert [c.get(path).status_code for c in (anonymous, reader, editor, admin)] == [401, 403, 403, 200]
    assert reader.get("/api/v1/admin/accounts").json() == {
        "detail": "this account's role may not use the admin API"
    }


# --- sessions ---------------------------------------------------------------------------------------------


def test_changing_ones_password_ends_the_other_sessions_not_this_one(app, people, archive):
    here = signed_in(app, READER, "laptop")
    there = signed_in(app, READER, "phone")
    form = {"csrf": csrf_of(here, "/account"), "current": PASSWORD, "new": "a new long password"}
    mismatch = here.post("/account/password", data={**form, "again": "something else"})
    assert mismatch.status_code == 422 and "غير متطابقتين" in mismatch.text
    wrong = here.post("/account/password", data={**form, "current": "not it at all", "again": form["new"]})
    assert wrong.status_code == 422 and "كلمة المرور الحالية غير صحيحة." in wrong.text
    short = here.post("/account/password", data={**form, "new": "short", "again": "short"})
    assert short.status_code == 422
    done = here.post("/account/password", data={**form, "again": form["new"]})
    assert (done.status_code, done.headers["location"]) == (303, "/account?done=password")
    assert here.get("/account").status_code == 200  # this browser got the new generation's cookie
    assert there.get("/account").status_code == 303  # the phone's session ended
    assert sign_in(browser_client(app, "again"), READER, PASSWORD).status_code == 401
    assert sign_in(browser_client(app, "again2"), READER, "a new long password").status_code == 303
    refused = browser_client(app, "no csrf")
    assert refused.post("/account/password", data={"current": PASSWORD}).status_code == 403
    assert refused.post("/account/password", data={"csrf": csrf_of(refused)}).status_code == 403  # anonymous


def test_a_reset_password_or_a_disable_ends_the_accounts_sessions(app, people):
    admin = signed_in(app, "admin")
    reader = signed_in(app, READER)
    editor = signed_in(app, EDITOR)
    token = csrf_of(admin, "/admin/accounts")
    reset = admin.post(
        f"/admin/accounts/{people[READER]}/password", data={"csrf": token, "password": "reset by admin"}
    )
    assert (reset.status_code, reset.headers["location"]) == (303, "/admin/accounts?done=password")
    assert reader.get("/account").status_code == 303
    assert editor.get("/admin").status_code == 200  # another account's sessions go on
    disable = admin.post(f"/admin/accounts/{people[EDITOR]}/disable", data={"csrf": token})
    assert disable.status_code == 303
    assert editor.get("/admin").status_code == 303
    assert sign_in(browser_client(app, "e2"), EDITOR).status_code == 401
    assert admin.post(f"/admin/accounts/{people[EDITOR]}/enable", data={"csrf": token}).status_code == 303
    assert sign_in(browser_client(app, "e3"), EDITOR).status_code == 303


def test_signing_out_ends_that_accounts_sessions_only(app, people):
    laptop, phone = signed_in(app, READER, "laptop"), signed_in(app, READER, "phone")
    editor = signed_in(app, EDITOR)
    out = laptop.post("/logout", data={"csrf": csrf_of(laptop, "/account")})
    assert (out.status_code, out.headers["location"]) == (303, "/")
    assert [c.get("/account").status_code for c in (laptop, phone, editor)] == [303, 303, 200]
    assert laptop.post("/logout", data={"csrf": "forged"}).status_code == 403


def test_a_role_change_applies_at_once_without_ending_the_session(app, people, archive):
    reader = signed_in(app, READER)
    assert reader.get("/admin").status_code == 403
    with Store(archive) as store:
        accounts.set_role(store, people[READER], "editor")
    assert reader.get("/admin").status_code == 200
    assert reader.get("/admin/outlets").status_code == 403


def test_a_stolen_cookie_does_not_work_in_another_browser(app, people):
    reader = signed_in(app, READER, "mine")
    thief = browser_client(app, "theirs")
    thief.cookies.set(web_context.SESSION_COOKIE, reader.cookies[web_context.SESSION_COOKIE])
    assert thief.get("/account").status_code == 303


# --- throttle and CSRF ------------------------------------------------------------------------------------


@pytest.fixture()
def clock(app):
    class Clock:
        now = 1000.0

        def __call__(self) -> float:
            return self.now

    fake = Clock()
    app.state.reader.network_throttle.clock = fake
    app.state.reader.account_throttle.clock = fake
    return fake


def test_guesses_are_throttled_per_account_name(app, people, clock):
    """Guesses at the editor from many networks make the editor's sign-in wait, not the reader's."""
    answers = [
        sign_in(browser_client(app, "bot", f"10.{n}.0.1"), EDITOR, "wrong guess 123").status_code
        for n in range(25)
    ]
    assert answers == [401] * web_context.LOGIN_FREE_PER_ACCOUNT + [429] * 5
    throttled = sign_in(browser_client(app, "editor herself", "203.0.113.9"), EDITOR)
    assert (throttled.status_code, throttled.headers["retry-after"]) == (429, "1")
    assert sign_in(browser_client(app, "reader", "203.0.113.10"), READER).status_code == 303
    clock.now += 1
    assert sign_in(browser_client(app, "editor later", "203.0.113.11"), EDITOR).status_code == 303
    # one network guessing many names is throttled as one network
    net = [
        sign_in(browser_client(app, "spray", "198.51.100.7"), f"user{n}", "guess").status_code
        for n in range(7)
    ]
    assert net == [401] * web_context.LOGIN_FREE_PER_NETWORK + [429] * 2


def test_every_account_form_refuses_a_missing_csrf_token(app, people):
    admin = signed_in(app, "admin")
    target = people[READER]
    for path in (
        "/login",
        "/admin/login",
        "/logout",
        "/account/password",
        "/admin/accounts",
        f"/admin/accounts/{target}/role",
        f"/admin/accounts/{target}/password",
        f"/admin/accounts/{target}/disable",
        f"/admin/accounts/{target}/enable",
        f"/admin/accounts/{target}/remove",
    ):
        for data in ({}, {"csrf": "forged"}):
            answer = admin.post(path, data={**data, "name": "x", "role": "reader", "password": PASSWORD})
            assert answer.status_code == 403, (path, data)
    assert [a.name for a in _accounts(app)] == ["admin", READER, EDITOR]


def _accounts(app) -> list[accounts.AccountRow]:
    with Store(app.state.reader.db_path) as store:
        return accounts.all_accounts(store)


# --- the admin's accounts page ------------------------------------------------------------------------------


def test_the_admin_manages_accounts_on_the_page(app, people):
    admin = signed_in(app, "admin")
    token = csrf_of(admin, "/admin/accounts")

    def post(path, **data):
        return admin.post(path, data={"csrf": token, **data})

    made = post("/admin/accounts", name="Nadia", role="editor", password=PASSWORD)
    assert (made.status_code, made.headers["location"]) == (303, "/admin/accounts?done=added")
    page = admin.get("/admin/accounts?done=added").text
    assert "أُنشئ الحساب." in page
    nadia = next(a for a in _accounts(app) if a.name == "nadia")
    assert (nadia.role, nadia.disabled) == ("editor", False)
    assert f'id="account-{nadia.id}"' in page
    taken = post("/admin/accounts", name="nadia", role="reader", password=PASSWORD)
    assert taken.status_code == 422 and "يوجد حساب بهذا الاسم." in taken.text
    bad = post("/admin/accounts", name="<b>x</b>", role="reader", password=PASSWORD)
    assert bad.status_code == 422 and "<b>x</b>" not in bad.text and "&lt;b&gt;x&lt;/b&gt;" in bad.text
    assert post("/admin/accounts", name="zaid", role="owner", password=PASSWORD).status_code == 422
    assert post("/admin/accounts", name="zaid", role="reader", password="short").status_code == 422
    assert post(f"/admin/accounts/{nadia.id}/role", role="reader").status_code == 303
    assert post(f"/admin/accounts/{nadia.id}/disable").status_code == 303
    assert [(a.role, a.disabled) for a in _accounts(app) if a.name == "nadia"] == [("reader", True)]
    assert post(f"/admin/accounts/{nadia.id}/remove").status_code == 303
    assert post(f"/admin/accounts/{nadia.id}/remove").status_code == 404
    assert post(f"/admin/accounts/{nadia.id}/explode").status_code == 404
    # the last enabled admin stays one
    last = post(f"/admin/accounts/{people['admin']}/role", role="reader")
    assert last.status_code == 422 and "هذا آخر مدير مفعّل" in last.text
    assert post(f"/admin/accounts/{people['admin']}/disable").status_code == 422
    assert post(f"/admin/accounts/{people['admin']}/remove").status_code == 422
    assert sorted(a.name for a in _accounts(app)) == ["admin", READER, EDITOR]


def test_the_accounts_page_is_arabic_and_editors_see_only_moderation_links(app, people):
    admin, editor = signed_in(app, "admin"), signed_in(app, EDITOR)
    page = admin.get("/admin/accounts").text
    assert '<html lang="ar" dir="rtl">' in page
    assert '<td class="name"><bdi>salma</bdi></td>' in page
    assert '<option value="editor" selected>محرر</option>' in page
    queue = editor.get("/admin").text
    assert 'href="/admin/log"' in queue and 'href="/admin/outlets"' not in queue
    assert 'href="/admin/accounts"' not in queue
    assert 'href="/admin/accounts"' in admin.get("/admin").text


# --- the accounts API -----------------------------------------------------------------------------------------


def test_the_accounts_api_with_a_session_and_with_the_token(app, people, archive):
    admin = signed_in(app, "admin")
    csrf = admin.get("/api/v1/admin/session").json()["csrf"]
    new = {"name": "Nadia", "role": "reader", "password": PASSWORD}
    assert (
        admin.post("/api/v1/admin/accounts", json=new).status_code == 403
    )  # a session write needs X-CSRF-Token
    made = admin.post("/api/v1/admin/accounts", json=new, headers={"x-csrf-token": csrf})
    assert made.status_code == 201
    body = made.json()
    assert {k: body[k] for k in ("name", "role", "disabled")} == {
        "name": "nadia",
        "role": "reader",
        "disabled": False,
    }
    assert set(body) == {"id", "name", "role", "created_at", "disabled"}
    again = admin.post("/api/v1/admin/accounts", json=new, headers={"x-csrf-token": csrf})
    assert again.status_code == 422
    made_token = admin.post("/admin/api-token", data={"csrf": csrf_of(admin, "/admin/api-token")})
    token = re.search(r'<code dir="ltr" id="api-token">([^<]+)</code>', made_token.text).group(1)
    bot = browser_client(app, "script")
    bearer = {"authorization": f"Bearer {token}"}
    listed = bot.get("/api/v1/admin/accounts", headers=bearer).json()
    assert [(a["name"], a["role"]) for a in listed] == [
        ("admin", "admin"),
        ("nadia", "reader"),
        ("omar", "reader"),
        ("salma", "editor"),
    ]
    nadia = body["id"]
    changed = bot.patch(
        f"/api/v1/admin/accounts/{nadia}", json={"role": "editor", "disabled": True}, headers=bearer
    )
    assert (changed.status_code, changed.json()["role"], changed.json()["disabled"]) == (200, "editor", True)
    short = bot.patch(
        f"/api/v1/admin/accounts/{nadia}", json={"role": "admin", "password": "short"}, headers=bearer
    )
    assert short.status_code == 422
    assert (
        bot.get(f"/api/v1/admin/accounts/{nadia}", headers=bearer).json()["role"] == "editor"
    )  # nothing changed
    assert (
        bot.patch(f"/api/v1/admin/accounts/{nadia}", json={"role": "owner"}, headers=bearer).status_code
        == 422
    )
    last = bot.patch(f"/api/v1/admin/accounts/{people['admin']}", json={"role": "reader"}, headers=bearer)
    assert last.status_code == 422 and "last enabled admin" in last.json()["detail"]
    assert bot.delete(f"/api/v1/admin/accounts/{nadia}", headers=bearer).json()["name"] == "nadia"
    assert bot.delete(f"/api/v1/admin/accounts/{nadia}", headers=bearer).status_code == 404
    assert bot.get(f"/api/v1/admin/accounts/{nadia}", headers=bearer).status_code == 404
    assert bot.get("/api/v1/admin/accounts", headers={"authorization": "Bearer wrong"}).status_code == 401


# --- the header and anonymous readers -------------------------------------------------------------------------


def test_the_header_names_the_account_on_shared_pages(app, people):
    anonymous, reader, editor = _anonymous(app), signed_in(app, READER), signed_in(app, EDITOR)
    for path in ("/", "/stories", "/articles/3"):
        page = anonymous.get(path).text
        assert '<a href="/login" id="sign-in">دخول</a>' in page and 'id="sign-out"' not in page, path
        mine = reader.get(path).text
        assert '<a href="/account" id="account-link" dir="auto">omar</a>' in mine, path
        token = re.search(r'id="sign-out"><input type="hidden" name="csrf" value="([^"]+)"', mine).group(1)
        assert app.state.reader.signer.loads(token, salt="csrf")  # a real token, for this browser
        assert 'href="/admin">الإشراف' not in mine
        theirs = editor.get(path).text
        assert (
            '<a href="/account" id="account-link" dir="auto">salma</a>' in theirs and "omar</a>" not in theirs
        )
        assert 'href="/admin">الإشراف' in theirs
    # the header's sign-out form works from a shared page
    home = reader.get("/").text
    token = re.search(r'id="sign-out"><input type="hidden" name="csrf" value="([^"]+)"', home).group(1)
    assert reader.post("/logout", data={"csrf": token}).status_code == 303
    assert "omar</a>" not in reader.get("/").text


def test_a_signed_in_reader_reports_as_the_account(app, people):
    from .test_abuse import distinct
    from .test_reports import api_report

    reader = signed_in(app, READER, "reader", "192.0.2.5")
    assert api_report(reader, 3).json()["status"] == "counted"
    assert api_report(browser_client(app, "neighbour", "192.0.2.6"), 3).json()["status"] == "counted"
    assert distinct(app.state.reader.db_path, 3) == 2


# --- a read-only archive ------------------------------------------------------------------------------------


def _read_only(path: Path) -> None:
    import sqlite3

    conn = sqlite3.connect(path)  # everything into the main file, then the file made read-only
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    path.chmod(0o444)


def test_a_read_only_archive_signs_in_and_out_and_stores_nothing(archive, people):
    from marsad.web import create_app

    _read_only(archive)
    try:
        app = create_app(archive)
        reader, phone = signed_in(app, READER, "laptop"), signed_in(app, READER, "phone")
        assert reader.get("/account").status_code == 200
        form = {"csrf": csrf_of(reader, "/account"), "current": PASSWORD, "new": "x" * 12, "again": "x" * 12}
        assert reader.post("/account/password", data=form).status_code == 503
        assert reader.post("/logout", data={"csrf": csrf_of(reader, "/account")}).status_code == 303
        assert [c.get("/account").status_code for c in (reader, phone)] == [303, 303]  # ended in memory
        admin = signed_in(app, "admin")
        new = {
            "csrf": csrf_of(admin, "/admin/accounts"),
            "name": "nadia",
            "role": "reader",
            "password": PASSWORD,
        }
        assert admin.post("/admin/accounts", data=new).status_code == 503
    finally:
        archive.chmod(0o644)


def test_a_read_only_archive_made_before_accounts_signs_its_moderator_in(archive):
    """Migrations cannot run on it: the moderator's password in the setting still signs in as admin."""
    from marsad.web import create_app

    with Store(archive) as store:
        store.conn.execute("DROP TABLE account")
        store.conn.execute("DELETE FROM schema_version WHERE version = 17")
        reports.set_setting(store, "admin_password", accounts.hash_password(PASSWORD))
    _read_only(archive)
    try:
        app = create_app(archive)
        moderator = browser_client(app, "moderator")
        answer = moderator.post(
            "/admin/login", data={"csrf": csrf_of(moderator, "/admin/login"), "password": PASSWORD}
        )
        assert (answer.status_code, answer.headers["location"]) == (303, "/admin")
        assert moderator.get("/admin").status_code == 200
        assert sign_in(browser_client(app, "other"), READER).status_code == 401
        assert moderator.post("/logout", data={"csrf": csrf_of(moderator, "/admin")}).status_code == 303
        assert moderator.get("/admin").status_code == 303
    finally:
        archive.chmod(0o644)
