"""The operator's JSON API (/api/v1/admin): the same actions as the admin pages, behind the API token or the
moderator's session (whose writes carry X-CSRF-Token)."""

from __future__ import annotations

import gzip
import re

import pytest
from fastapi.testclient import TestClient

from marsad.models import SourceFailure
from marsad.store import crawl as crawl_store
from marsad.store import reports
from marsad.store.articles import add_failure
from marsad.store.db import Store
from marsad.web import create_app

from ..conftest import browser_client
from .conftest import csrf_of, feeds_of


@pytest.fixture()
def token(admin) -> str:
    """An API token, made on the admin page (where it is shown once)."""
    page = admin.post("/admin/api-token", data={"csrf": csrf_of(admin, "/admin/api-token")})
    assert page.status_code == 200 and page.headers["cache-control"] == "no-store"
    return re.search(r'<code dir="ltr" id="api-token">([^<]+)</code>', page.text).group(1)


@pytest.fixture()
def api(operator_app, token):
    """A script with the API token: another client, no cookie."""
    return TestClient(operator_app, headers={"authorization": f"Bearer {token}"}, follow_redirects=False)


ENDPOINTS = [
    ("GET", "/api/v1/admin/session"),
    ("GET", "/api/v1/admin/outlets"),
    ("POST", "/api/v1/admin/outlets"),
    ("GET", "/api/v1/admin/outlets/1"),
    ("POST", "/api/v1/admin/outlets/1/pause"),
    ("POST", "/api/v1/admin/outlets/1/resume"),
    ("DELETE", "/api/v1/admin/outlets/1"),
    ("GET", "/api/v1/admin/opml"),
    ("POST", "/api/v1/admin/opml"),
    ("GET", "/api/v1/admin/failures"),
    ("GET", "/api/v1/admin/queue"),
    ("POST", "/api/v1/admin/queue/1/retry"),
]


def test_without_credentials_every_endpoint_answers_401(operator_app, archive_db):
    stranger = browser_client(operator_app, "stranger")
    for method, path in ENDPOINTS:
        answer = stranger.request(method, path, json={"url": "http://127.0.0.1/"})
        assert answer.status_code == 401, path
        assert answer.headers["www-authenticate"] == "Bearer"
        assert answer.json() == {"detail": "sign in as moderator or send the API token"}
    wrong = stranger.get("/api/v1/admin/outlets", headers={"authorization": "Bearer guessed"})
    assert wrong.status_code == 401 and wrong.json() == {"detail": "invalid API token"}
    assert feeds_of(archive_db) == []


def test_the_token_adds_pauses_resumes_and_removes(api, archive_db, news_site):
    base = news_site.base
    added = api.post("/api/v1/admin/outlets", json={"url": base + "/"})
    assert added.status_code == 201
    outlet_id = added.json()["id"]
    assert added.json() == {
        "id": outlet_id,
        "key": "127.0.0.1",
        "name": "صحيفة الاختبار",
        "home_url": base + "/",
        "feeds": [{"url": base + "/rss.xml", "kind": "feed"}, {"url": base + "/news.xml", "kind": "sitemap"}],
    }
    listed = api.get("/api/v1/admin/outlets").json()
    assert [(o["id"], o["state"], o["health"], [f["url"] for f in o["feeds"]]) for o in listed] == [
        (outlet_id, "crawled", "new", [base + "/rss.xml", base + "/news.xml"])
    ]
    one = api.get(f"/api/v1/admin/outlets/{outlet_id}").json()
    assert (one["articles_per_day"], one["queued"], one["errors"], one["last_error"]) == (0.0, 0, 0, None)
    assert one["feeds"][0] == {
        "id": one["feeds"][0]["id"],
        "url": base + "/rss.xml",
        "kind": "feed",
        "last_checked": None,
        "last_status": None,
        "last_error": None,
        "consecutive_errors": 0,
        "next_due": None,
    }
    assert api.post(f"/api/v1/admin/outlets/{outlet_id}/pause").json()["state"] == "paused"
    assert feeds_of(archive_db)[0][3] == crawl_store.PAUSED
    assert api.post(f"/api/v1/admin/outlets/{outlet_id}/resume").json()["state"] == "crawled"
    assert feeds_of(archive_db)[0][3] == crawl_store.CRAWLED
    assert api.delete(f"/api/v1/admin/outlets/{outlet_id}").json() == {"id": outlet_id, "outcome": "deleted"}
    assert api.get(f"/api/v1/admin/outlets/{outlet_id}").status_code == 404
    assert api.post(f"/api/v1/admin/outlets/{outlet_id}/pause").status_code == 404
    assert feeds_of(archive_db) == []


def test_bad_outlets_are_422_with_the_reason(api, archive_db, news_site):
    del news_site.routes["/robots.txt"]
    bare = api.post("/api/v1/admin/outlets", json={"url": news_site.base + "/bare"})
    assert bare.status_code == 422
    assert bare.json()["detail"].startswith(
        f"no RSS/Atom feed or news sitemap found at {news_site.base}/bare"
    )
    feeds = api.post("/api/v1/admin/outlets", json={"url": news_site.base + "/", "feeds": ["ftp://x/feed"]})
    assert (feeds.status_code, feeds.json()) == (422, {"detail": "'ftp://x/feed' is not an http(s) address"})
    assert api.post("/api/v1/admin/outlets", json={"name": "x"}).status_code == 422
    assert feeds_of(archive_db) == []


def test_opml_round_trip_through_the_api(api, archive_db, news_site, tmp_path):
    api.post("/api/v1/admin/outlets", json={"url": news_site.base + "/"})
    exported = api.get("/api/v1/admin/opml")
    assert exported.headers["content-type"] == "text/x-opml; charset=utf-8"
    fresh_db = tmp_path / "fresh.db"
    with Store(fresh_db) as store:
        reports.set_admin_password(store, "correct horse battery")
    fresh = create_app(fresh_db)
    # the token belongs to its archive: the fresh one has none yet
    other = TestClient(fresh, headers={"authorization": api.headers["authorization"]})
    assert other.post("/api/v1/admin/opml", content=exported.content).status_code == 401
    with Store(fresh_db) as store, Store(archive_db) as old:
        reports.set_setting(store, "admin_api_token", reports.get_setting(old, "admin_api_token") or "")
    imported = other.post("/api/v1/admin/opml", content=gzip.compress(exported.content))
    assert imported.status_code == 200
    assert (imported.json()["outlets"], imported.json()["feeds"]) == (1, 2)
    strip = [(k, n, h, f) for k, n, h, _, f in feeds_of(archive_db)]
    assert [(k, n, h, f) for k, n, h, _, f in feeds_of(fresh_db)] == strip
    broken = other.post("/api/v1/admin/opml", content=b"\x1f\x8bnot gzip")
    assert broken.status_code == 422 and broken.json()["detail"].startswith("not an OPML file: a broken gzip")
    assert other.post("/api/v1/admin/opml", content=b"").json() == {"detail": "the OPML file is empty"}


def test_failures_and_queue_through_the_api(api, archive_db):
    with Store(archive_db) as store:
        with store.transaction() as conn:
            add_failure(
                conn,
                SourceFailure("https://a.example/1", "https://a.example/1", "fetch", "HTTP 404 Not Found"),
            )
        outlet_id = crawl_store.add_outlet(store, "hespress.com", "هسبريس", "https://www.hespress.com/", [])
        crawl_store.enqueue(
            store, outlet_id, ["https://www.hespress.com/n/0", "https://www.hespress.com/n/1"], "rss"
        )
        first = crawl_store.queued(store, 1)[0]["id"]
        crawl_store.mark_failed(store, first, status=None, error="timed out after 20 s", retry_at=None)
    failures = api.get("/api/v1/admin/failures").json()
    assert failures["counts"] == {"fetch": 1} and failures["page"] == 1 and failures["page_size"] == 50
    assert [(f["stage"], f["url"], f["reason"], f["seen_count"]) for f in failures["failures"]] == [
        ("fetch", "https://a.example/1", "HTTP 404 Not Found", 1)
    ]
    assert api.get("/api/v1/admin/failures?stage=extract").json()["failures"] == []
    failed = api.get("/api/v1/admin/queue?state=failed").json()
    assert failed["counts"] == {"queued": 1, "failed": 1, "done": 0}
    assert [(u["url"], u["outlet"], u["attempts"], u["error"]) for u in failed["urls"]] == [
        ("https://www.hespress.com/n/0", "هسبريس", 1, "timed out after 20 s")
    ]
    assert api.post(f"/api/v1/admin/queue/{first}/retry").json() == {"id": first, "state": "queued"}
    assert api.get("/api/v1/admin/queue").json()["counts"] == {"queued": 2, "failed": 0, "done": 0}
    assert api.post(f"/api/v1/admin/queue/{first}/retry").status_code == 404


def test_the_session_works_and_its_writes_need_the_csrf_header(admin, archive_db, news_site):
    assert admin.get("/api/v1/admin/outlets").json() == []
    no_header = admin.post("/api/v1/admin/outlets", json={"url": news_site.base + "/"})
    assert no_header.status_code == 403
    assert no_header.json() == {
        "detail": "CSRF token missing or invalid: send X-CSRF-Token with a session's writes"
    }
    csrf = admin.get("/api/v1/admin/session").json()["csrf"]
    added = admin.post(
        "/api/v1/admin/outlets", json={"url": news_site.base + "/"}, headers={"x-csrf-token": csrf}
    )
    assert added.status_code == 201
    assert [k for k, *_ in feeds_of(archive_db)] == ["127.0.0.1"]


def test_a_revoked_or_replaced_token_stops_working(admin, api, token):
    assert api.get("/api/v1/admin/outlets").status_code == 200
    page = admin.post("/admin/api-token", data={"csrf": csrf_of(admin, "/admin/api-token")})
    newer = re.search(r'id="api-token">([^<]+)<', page.text).group(1)
    assert newer != token
    assert api.get("/api/v1/admin/outlets").status_code == 401
    api.headers["authorization"] = f"Bearer {newer}"
    assert api.get("/api/v1/admin/outlets").status_code == 200
    revoked = admin.post("/admin/api-token/revoke", data={"csrf": csrf_of(admin, "/admin/api-token")})
    assert revoked.headers["location"] == "/admin/api-token?done=revoked"
    assert "أُلغي المفتاح." in admin.get(revoked.headers["location"]).text
    assert api.get("/api/v1/admin/outlets").status_code == 401


def test_a_read_only_archive_refuses_writes_with_503(archive_db, token, news_site, loopback_allowed):
    archive_db.chmod(0o444)
    try:
        app = create_app(archive_db)
        api = TestClient(app, headers={"authorization": f"Bearer {token}"})
        assert api.get("/api/v1/admin/outlets").json() == []
        answer = api.post("/api/v1/admin/outlets", json={"url": news_site.base + "/"})
        assert answer.status_code == 503
        assert news_site.log == []
    finally:
        archive_db.chmod(0o644)
