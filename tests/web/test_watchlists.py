"""Watchlists on the reader: /api/v1/watchlists for the signed-in account or the API token, the follow page
(a POST with the CSRF token), "my watchlists", and anonymous readers sent to sign in."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
from selectolax.lexbor import LexborHTMLParser

from marsad.store import accounts, watchlists
from marsad.store.db import Store
from marsad.web import create_app

from .conftest import ADMIN_PASSWORD as PASSWORD
from .conftest import browser_client


def _csrf(client, path: str) -> str:
    return re.search(r'name="csrf" value="([^"]+)"', client.get(path).text).group(1)


@pytest.fixture()
def db(archive_db: Path) -> Path:
    return archive_db


@pytest.fixture()
def app(db: Path):
    return create_app(db)


@pytest.fixture()
def admin(app):
    client = browser_client(app, "watch-browser")
    answer = client.post("/admin/login", data={"csrf": _csrf(client, "/admin/login"), "password": PASSWORD})
    assert answer.status_code == 303
    return client


def test_the_api_creates_lists_gets_and_deletes_for_the_signed_in_account(admin, db: Path) -> None:
    assert admin.get("/api/v1/watchlists").json() == []
    csrf = admin.get("/api/v1/admin/session").json()["csrf"]
    body = {"name": "بوريطة", "query": "بوريطة نيويورك", "webhook": "https://hooks.example/x"}
    assert admin.post("/api/v1/watchlists", json=body).status_code == 403  # a session write needs its CSRF
    made = admin.post("/api/v1/watchlists", json=body, headers={"x-csrf-token": csrf})
    assert made.status_code == 201
    w = made.json()
    assert (w["name"], w["kind"], w["owner"], w["webhook_url"]) == (
        "بوريطة",
        "search",
        "admin",
        "https://hooks.example/x",
    )
    assert re.fullmatch(r"http://testserver/feeds/watch/[\w-]{32}\.atom", w["feed_url"])
    assert re.fullmatch(r"[0-9a-f]{64}", w["secret"])
    assert [x["id"] for x in admin.get("/api/v1/watchlists").json()] == [w["id"]]
    one = admin.get(f"/api/v1/watchlists/{w['id']}").json()
    assert (one["matches"], one["deliveries"]) == ([], [])

    bad = admin.post(
        "/api/v1/watchlists", json={"name": "x", "query": '"مفتوح'}, headers={"x-csrf-token": csrf}
    )
    assert (bad.status_code, bad.json()["detail"]) == (
        422,
        'the query opens a quote (") that it never closes',
    )

    assert (
        admin.delete(f"/api/v1/watchlists/{w['id']}", headers={"x-csrf-token": csrf}).json()["deleted"]
        is True
    )
    assert admin.get(f"/api/v1/watchlists/{w['id']}").status_code == 404
    with Store(db) as store:
        assert watchlists.all_watchlists(store) == []


def _signed_in(app, db: Path, name: str, role: str = "reader"):
    with Store(db) as store:
        accounts.add(store, name, role, PASSWORD)
    client = browser_client(app, f"{name}-browser")
    form = {"csrf": _csrf(client, "/login"), "name": name, "password": PASSWORD}
    assert client.post("/login", data=form).status_code == 303
    return client


def test_a_reader_uses_the_api_with_its_session_and_its_csrf_token(app, db: Path) -> None:
    salma, omar = _signed_in(app, db, "salma"), _signed_in(app, db, "omar")
    session = salma.get("/api/v1/session")
    assert session.headers["cache-control"] == "private, no-store"
    assert (session.json()["account"], session.json()["role"]) == ("salma", "reader")
    token = {"x-csrf-token": session.json()["csrf"]}
    assert salma.get("/api/v1/admin/session").status_code == 403  # the admin API stays the admin's
    body = {"name": "طنجة", "query": "ميناء طنجة"}

    assert salma.post("/api/v1/watchlists", json=body).status_code == 403  # no token
    assert salma.post("/api/v1/watchlists", json=body, headers={"x-csrf-token": "forged"}).status_code == 403
    made = salma.post("/api/v1/watchlists", json=body, headers=token)
    assert made.status_code == 201
    w = made.json()
    assert (w["name"], w["kind"], w["query"], w["owner"], w["webhook_url"], w["delivery"]) == (
        "طنجة",
        "search",
        "ميناء طنجة",
        "salma",
        None,
        "immediate",
    )
    assert [x["id"] for x in salma.get("/api/v1/watchlists").json()] == [w["id"]]

    change = {"name": "ميناء طنجة المتوسط", "email": "salma@example.org", "digest": "daily"}
    assert salma.patch(f"/api/v1/watchlists/{w['id']}", json=change).status_code == 403
    edited = salma.patch(f"/api/v1/watchlists/{w['id']}", json=change, headers=token)
    assert edited.status_code == 200
    assert {k: edited.json()[k] for k in ("id", "name", "query", "email", "delivery", "secret")} == {
        "id": w["id"],
        "name": "ميناء طنجة المتوسط",
        "query": "ميناء طنجة",  # what it follows stays
        "email": "salma@example.org",
        "delivery": "daily",
        "secret": w["secret"],
    }
    bad = salma.patch(f"/api/v1/watchlists/{w['id']}", json={"email": "no address"}, headers=token)
    assert (bad.status_code, bad.json()["detail"]) == (422, "not an e-mail address: 'no address'")
    cleared = salma.patch(f"/api/v1/watchlists/{w['id']}", json={"email": None}, headers=token).json()
    assert (cleared["name"], cleared["email"], cleared["delivery"]) == ("ميناء طنجة المتوسط", None, "daily")

    # another reader neither sees nor touches it, with its own session and token
    other = {"x-csrf-token": omar.get("/api/v1/session").json()["csrf"]}
    assert omar.get("/api/v1/watchlists").json() == []
    assert omar.get(f"/api/v1/watchlists/{w['id']}").status_code == 404
    assert omar.patch(f"/api/v1/watchlists/{w['id']}", json={"name": "x"}, headers=other).status_code == 404
    assert omar.delete(f"/api/v1/watchlists/{w['id']}", headers=other).status_code == 404
    assert salma.delete(f"/api/v1/watchlists/{w['id']}", headers=other).status_code == 403  # omar's token

    assert salma.delete(f"/api/v1/watchlists/{w['id']}").status_code == 403
    gone = salma.delete(f"/api/v1/watchlists/{w['id']}", headers=token)
    assert (gone.status_code, gone.json()) == (200, {"id": w["id"], "deleted": True})
    assert salma.get("/api/v1/watchlists").json() == []
    with Store(db) as store:
        assert watchlists.all_watchlists(store) == []


def test_the_session_endpoint_needs_a_session_and_gives_every_role_the_same_kind_of_token(
    admin, app, db: Path
) -> None:
    anonymous = browser_client(app, "nobody")
    answer = anonymous.get("/api/v1/session")
    assert (answer.status_code, answer.json()["detail"]) == (
        401,
        "sign in first: the token is a signed-in browser's",
    )
    assert admin.get("/api/v1/session").json()["csrf"]
    assert (admin.get("/api/v1/session").json()["account"], admin.get("/api/v1/session").json()["role"]) == (
        "admin",
        "admin",
    )
    editor = _signed_in(app, db, "huda", "editor")
    token = {"x-csrf-token": editor.get("/api/v1/session").json()["csrf"]}
    made = editor.post("/api/v1/watchlists", json={"name": "القصة", "story": 1}, headers=token)
    assert (made.status_code, made.json()["owner"]) == (201, "huda")
    # the admin API's session writes take the token of /api/v1/session as well
    admin_token = {"x-csrf-token": admin.get("/api/v1/session").json()["csrf"]}
    assert admin.post("/api/v1/admin/queue/999/retry").status_code == 403
    assert admin.post("/api/v1/admin/queue/999/retry", headers=admin_token).status_code == 404


def test_turning_a_channel_on_tells_of_new_matches_not_the_backlog(db: Path) -> None:
    from marsad.watch.follow import Follow, create, edit

    with Store(db) as store:
        w = create(store, "القصة", Follow(story=1))
        watchlists.add_matches(store, [(w.id, 1), (w.id, 2)])
        assert (w.webhook_url, w.webhook_through) == (None, 0)
        on = edit(store, w, name=w.name, webhook="https://hooks.example/x", email=None, digest=None)
        latest = store.conn.execute("SELECT max(id) FROM watch_match").fetchone()[0]
        assert (on.webhook_url, on.webhook_through, on.email_through) == (
            "https://hooks.example/x",
            latest,
            0,
        )
        assert watchlists.make_deliveries(store, "webhook", on) is None  # nothing new since
        again = edit(store, on, name="قصة", webhook="https://hooks.example/y", email=None, digest=None)
        assert (again.name, again.webhook_url, again.webhook_through) == (
            "قصة",
            "https://hooks.example/y",
            latest,
        )


def test_the_api_token_acts_as_the_operator_and_sees_the_command_lines_watchlists(
    admin, app, db: Path
) -> None:
    from marsad.watch.follow import Follow, create

    with Store(db) as store:
        made_by_cli = create(store, "من سطر الأوامر", Follow(story=1))
        create(store, "لقارئ آخر", Follow(story=1), owner="someone-else")
    page = admin.post("/admin/api-token", data={"csrf": _csrf(admin, "/admin/api-token")})
    token = re.search(r'id="api-token">([^<]+)<', page.text).group(1)
    client = browser_client(app, "script")
    bearer = {"authorization": f"Bearer {token}"}
    assert [w["id"] for w in client.get("/api/v1/watchlists", headers=bearer).json()] == [made_by_cli.id]
    made = client.post("/api/v1/watchlists", json={"name": "المسار", "thread": 1}, headers=bearer)
    assert (made.status_code, made.json()["kind"], made.json()["target"]) == (201, "thread", "1")
    assert client.get("/api/v1/watchlists").status_code == 401
    assert client.get("/api/v1/watchlists", headers={"authorization": "Bearer wrong"}).status_code == 401


def test_following_a_story_from_its_page(admin, db: Path) -> None:
    story = admin.get("/stories/1")
    form = LexborHTMLParser(story.text).css_first("form.follow")
    assert form.attributes["action"] == "/watchlists/follow" and form.attributes["method"] == "get"
    fields = {i.attributes["name"]: i.attributes["value"] for i in form.css("input")}
    assert fields == {"kind": "story", "value": "1"}

    page = admin.get("/watchlists/follow", params=fields)
    assert page.status_code == 200
    html = LexborHTMLParser(page.text)
    assert (html.css_first("html").attributes["lang"], html.css_first("html").attributes["dir"]) == (
        "ar",
        "rtl",
    )
    post = {
        i.attributes["name"]: i.attributes.get("value") or "" for i in html.css("form[method=post] input")
    }
    assert post["kind"] == "story" and post["name"]

    assert admin.post("/watchlists/follow", data={**post, "csrf": "forged"}).status_code == 403
    done = admin.post("/watchlists/follow", data={**post, "email": "reader@example.org", "digest": "daily"})
    assert done.status_code == 303 and done.headers["location"].startswith("/watchlists?done=added")
    with Store(db) as store:
        (w,) = watchlists.all_watchlists(store)
    assert (w.kind, w.target, w.owner, w.email, w.delivery) == (
        "story",
        "1",
        "admin",
        "reader@example.org",
        "daily",
    )
    listing = LexborHTMLParser(admin.get(done.headers["location"]).text)
    assert [h.text() for h in listing.css(".watchlist h2")] == [w.name]
    assert (
        listing.css_first(".watchlist a[href$='.atom']").attributes["href"]
        == f"/feeds/watch/{w.feed_token}.atom"
    )


def test_a_bad_follow_is_shown_again_with_the_reason(admin) -> None:
    page = admin.get("/watchlists/follow", params={"kind": "search", "value": "بوريطة"})
    post = {
        i.attributes["name"]: i.attributes.get("value") or ""
        for i in LexborHTMLParser(page.text).css("form[method=post] input")
    }
    answer = admin.post("/watchlists/follow", data={**post, "webhook": "ftp://x.example/"})
    assert answer.status_code == 422
    error = LexborHTMLParser(answer.text).css_first("[role=alert]").text()
    assert error == "webhook: only http and https URLs are fetched, not ftp: ftp://x.example/"


def test_anonymous_readers_are_sent_to_sign_in(app) -> None:
    client = browser_client(app, "anonymous")
    back = {
        "/watchlists": "%2Fwatchlists",
        "/watchlists/follow?kind=story&value=1": "%2Fwatchlists%2Ffollow%3Fkind%3Dstory%26value%3D1",
    }
    for path, next_path in back.items():
        answer = client.get(path)
        assert (answer.status_code, answer.headers["location"]) == (303, "/login?next=" + next_path), path
    assert client.get("/api/v1/watchlists").status_code == 401
    follow = LexborHTMLParser(client.get("/outlets/1").text).css_first("form.follow")
    assert {i.attributes["name"]: i.attributes["value"] for i in follow.css("input")} == {
        "kind": "outlet",
        "value": "1",
    }
    assert client.get("/watchlists/follow?kind=story&value=999").status_code == 303  # sign-in first, always


def test_follow_names_nothing_is_404(admin) -> None:
    for params in (
        {"kind": "story", "value": "999"},
        {"kind": "planet", "value": "1"},
        {"kind": "thread", "value": "x"},
    ):
        assert admin.get("/watchlists/follow", params=params).status_code == 404, params


def test_search_and_thread_pages_have_a_follow_button(app, db: Path) -> None:
    from marsad.search import reindex

    with Store(db) as store:
        reindex(store, workers=1)
    client = browser_client(app, "reader")
    for path, expected in (
        ("/search?q=" + "بوريطة", {"kind": "search", "value": "بوريطة"}),
        ("/threads/1", {"kind": "thread", "value": "1"}),
    ):
        form = LexborHTMLParser(client.get(path).text).css_first("form.follow")
        assert {i.attributes["name"]: i.attributes["value"] for i in form.css("input")} == expected, path


def test_a_watchlists_trend_is_its_owners_only_and_counts_its_matches(admin, app, db: Path) -> None:
    """Coverage over time of a watchlist: its matches per publication day, counted here from the article
    rows; another account and an anonymous reader are told there is no such watchlist."""
    with Store(db) as store:
        w = watchlists.add(
            store, watchlists.NewWatchlist(name="قائمتي", kind="search", query="x", owner="admin")
        )
        rows = store.conn.execute(
            "SELECT id, published FROM article WHERE hidden = 0 AND precision = 'minute' ORDER BY id LIMIT 6"
        ).fetchall()
        watchlists.add_matches(store, [(w.id, row["id"]) for row in rows])
        accounts.add(store, "salma", "reader", PASSWORD)
    days: dict[str, int] = {}
    for row in rows:
        day = datetime.fromisoformat(row["published"]).astimezone(UTC).date().isoformat()
        days[day] = days.get(day, 0) + 1
    answer = admin.get("/api/v1/trends", params={"kind": "watchlist", "id": w.id, "by": "day"})
    assert answer.status_code == 200
    got = {p["start"]: p["articles"] for p in answer.json()["periods"] if p["articles"]}
    assert (answer.json()["title"], answer.json()["total"], got) == ("قائمتي", 6, days)
    page = admin.get("/trends", params={"kind": "watchlist", "id": w.id})
    assert page.status_code == 200 and f'href="/watchlists#watchlist-{w.id}"' in page.text
    assert f'href="/trends?kind=watchlist&amp;id={w.id}"' in admin.get("/watchlists").text

    other = browser_client(app, "another-browser")
    assert other.get("/api/v1/trends", params={"kind": "watchlist", "id": w.id}).status_code == 404
    signed = other.post(
        "/login", data={"csrf": _csrf(other, "/login"), "name": "salma", "password": PASSWORD}
    )
    assert signed.status_code == 303
    for path in ("/api/v1/trends", "/trends"):
        assert other.get(path, params={"kind": "watchlist", "id": w.id}).status_code == 404, path
