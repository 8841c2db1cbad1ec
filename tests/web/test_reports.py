"""Reader reports, automatic hiding, moderation and CSRF."""

from __future__ import annotations

import re

import pytest

from marsad.store import reports
from marsad.store.db import Store

from .conftest import browser_client


def csrf_of(client, path: str = "/articles/3") -> str:
    return re.search(r'name="csrf" value="([^"]+)"', client.get(path).text).group(1)


def report(client, article_id: int = 3, image: str = "", reason: str = "خبر زائف"):
    token = csrf_of(client, f"/articles/{article_id}")
    return client.post(
        f"/articles/{article_id}/report", data={"csrf": token, "reason": reason, "image": image}
    )


def api_report(client, article_id: int = 3, **body):
    """A report through the JSON API, with the report token of the article's API read."""
    token = client.get(f"/api/v1/articles/{article_id}").json().get("report_token", "")
    return client.post(f"/api/v1/articles/{article_id}/reports", json={"report_token": token, **body})


# three readers: three networks (TEST-NET-1, -2 and -3)
NETWORKS = ["192.0.2.10", "198.51.100.10", "203.0.113.10"]


def readers_of(app, addresses=NETWORKS):
    return [browser_client(app, f"reader/{n}", address) for n, address in enumerate(addresses)]


def test_one_client_reporting_ten_times_does_not_hide(client, archive):
    for _ in range(10):
        response = report(client)
        assert response.status_code == 303
    assert client.get("/articles/3").status_code == 200
    assert response.headers["location"] == "/articles/3?report=duplicate#report"
    with Store(archive) as store:
        assert reports.distinct_clients(store, 3) == 1
        assert store.conn.execute("SELECT count(*) FROM report").fetchone()[0] == 1


def test_three_clients_hide_and_a_moderator_restores(app, archive, indexed_client):
    readers = readers_of(app)
    assert report(readers[0]).headers["location"] == "/articles/3?report=counted#report"
    assert report(readers[1]).headers["location"] == "/articles/3?report=counted#report"
    assert report(readers[2]).headers["location"] == "/articles/3?report=hidden#report"
    page = readers[0].get("/articles/3")
    assert page.status_code == 410
    assert "حُجب هذا الخبر" in page.text
    assert readers[0].get("/api/v1/articles/3").status_code == 410
    assert 3 not in [a["id"] for a in readers[0].get("/api/v1/articles").json()]
    assert "/articles/3" not in readers[0].get("/outlets/1").text
    assert "/articles/3" not in readers[0].get("/feeds/latest.atom").text
    assert "/articles/3" not in readers[0].get("/stories/1").text
    story = readers[0].get("/api/v1/stories/1").json()  # its counts and outlets are the visible ones
    assert (story["article_count"], story["outlet_count"], story["outlets"]) == (2, 2, ["دوزيم", "مغرس"])

    with Store(archive) as store:
        reports.set_admin_password(store, "correct horse battery")
    moderator = browser_client(app, "moderator-browser")
    assert moderator.get("/admin").status_code == 303
    token = csrf_of(moderator, "/admin/login")
    wrong = moderator.post("/admin/login", data={"csrf": token, "password": "nope nope"})
    assert wrong.status_code == 401
    signed_in = moderator.post("/admin/login", data={"csrf": token, "password": "correct horse battery"})
    assert signed_in.status_code == 303
    queue = moderator.get("/admin")
    assert queue.status_code == 200
    assert "المغرب وهولندا يواصلان رئاسة المنتدى العالمي لمكافحة الإرهاب" in queue.text
    assert "محجوب" in queue.text
    token = csrf_of(moderator, "/admin")
    done = moderator.post("/admin/decide", data={"csrf": token, "article_id": 3, "action": "restore"})
    assert done.status_code == 303
    assert readers[0].get("/articles/3").status_code == 200
    assert 3 in [a["id"] for a in readers[0].get("/api/v1/articles").json()]
    story = readers[0].get("/api/v1/stories/1").json()
    assert (story["article_count"], story["outlet_count"], story["outlets"]) == (
        3,
        3,
        ["دوزيم", "مغرس", "هسبريس"],
    )
    log = moderator.get("/admin/log").text
    assert "حجب تلقائي" in log and "استعادة" in log
    out = moderator.post("/admin/logout", data={"csrf": csrf_of(moderator, "/admin")})
    assert out.status_code == 303
    assert moderator.get("/admin").status_code == 303
    with Store(archive) as store:
        actions = [r[0] for r in store.conn.execute("SELECT action FROM moderation ORDER BY id")]
        assert actions == ["auto-hide", "restore"]
        assert store.conn.execute("SELECT count(*) FROM report WHERE article_id = 3").fetchone()[0] == 3
        # a restore starts a new round: the old reports stay but no longer count
        assert reports.distinct_clients(store, 3) == 0


def test_hidden_article_leaves_search(app, archive):
    from marsad.search import reindex

    with Store(archive) as store:
        reindex(store)
    readers = readers_of(app)
    assert readers[0].get("/api/v1/search", params={"q": "محروقات"}).json()["total"] == 1
    for reader in readers:
        assert api_report(reader, 6, reason="spam").status_code == 201
    assert readers[0].get("/api/v1/search", params={"q": "محروقات"}).json()["total"] == 0


def test_moderator_confirms(app, archive):
    readers = readers_of(app)
    for reader in readers:
        assert api_report(reader, 5, reason="").status_code == 201
    with Store(archive) as store:
        assert reports.decide(store, 5, "", "confirm") is True
        assert reports.is_hidden(store, 5)
        assert [r["action"] for r in reports.moderation_log(store)] == ["confirm", "auto-hide"]


def test_image_reports_hide_only_the_image(app):
    image = "https://2m.ma/img/forum.jpg"
    readers = readers_of(app)
    locations = [report(reader, 1, image).headers["location"] for reader in readers]
    assert locations == [
        "/articles/1?report=counted&on=image#images",
        "/articles/1?report=counted&on=image#images",
        "/articles/1?report=hidden&on=image#images",
    ]
    # each reader is told, beside the images, what their report did: the third that it hid the image
    notices = [
        re.findall(r'<p class="notice" role="status">([^<]+)</p>', reader.get(location).text)
        for reader, location in zip(readers, locations, strict=True)
    ]
    assert notices == [
        ["شكرا على الإبلاغ! ستُحجب هذه الصورة تلقائيا إذا أبلغ عنها عدة قراء."],
        ["شكرا على الإبلاغ! ستُحجب هذه الصورة تلقائيا إذا أبلغ عنها عدة قراء."],
        ["شكرا على الإبلاغ! حُجبت هذه الصورة بعد إبلاغات القراء."],
    ]
    third = readers[2].get(locations[2]).text
    assert (
        third.index('id="images"') < third.index("حُجبت هذه الصورة بعد إبلاغات") < third.index('id="report"')
    )
    page = readers[0].get("/articles/1")
    assert page.status_code == 200
    assert f'src="{image}"' not in page.text
    assert "حُجبت هذه الصورة بعد إبلاغات القراء." in page.text
    assert 'role="status"' not in page.text  # no report message without a report
    assert readers[0].get("/api/v1/articles/1").json()["images"] == []
    unknown = api_report(readers[0], 1, image_url="https://evil.example/x.png")
    assert unknown.status_code == 404


def test_post_without_csrf_is_refused(client, app, archive):
    assert client.post("/articles/3/report", data={"reason": "x"}).status_code == 403
    assert client.post("/articles/3/report", data={"csrf": "forged", "reason": "x"}).status_code == 403
    # a token is bound to its client: another browser's token does not work
    other = browser_client(app, "another-browser")
    assert client.post("/articles/3/report", data={"csrf": csrf_of(other)}).status_code == 403
    with Store(archive) as store:
        reports.set_admin_password(store, "correct horse battery")
    assert client.post("/admin/login", data={"password": "correct horse battery"}).status_code == 403
    assert client.post("/admin/decide", data={"article_id": 3, "action": "restore"}).status_code == 403
    # the JSON API takes only application/json, which a cross-site form cannot send
    plain = client.post(
        "/api/v1/articles/3/reports", content='{"reason": "x"}', headers={"content-type": "text/plain"}
    )
    assert plain.status_code == 422
    with Store(archive) as store:
        assert store.conn.execute("SELECT count(*) FROM report").fetchone()[0] == 0


def test_decide_needs_a_session(client, archive):
    token = csrf_of(client)
    response = client.post("/admin/decide", data={"csrf": token, "article_id": 3, "action": "restore"})
    assert response.status_code == 403


def test_api_report_counts_and_rate_limits(archive):
    from marsad.web import create_app

    app = create_app(archive, report_threshold=3, report_rate_limit=5)
    client = browser_client(app)
    first = api_report(client, 4, reason="مضمون مسيء")
    assert first.status_code == 201
    assert first.json() == {"status": "counted", "hidden": False}
    assert api_report(client, 4).json() == {"status": "duplicate", "hidden": False}
    for article_id in (5, 6, 7):
        assert api_report(client, article_id).status_code == 201
    limited = api_report(client, 1)
    assert limited.status_code == 429
    # another User-Agent from the same address is the same reader: still limited
    assert api_report(browser_client(app, "another-agent/2"), 2).status_code == 429
    assert api_report(client, 999).status_code == 403  # no article: no page view, no token
    assert api_report(client, 4, reason="x" * 501).status_code == 422


def test_client_is_a_salted_hash_of_the_network_never_the_address(app, archive):
    report(browser_client(app, "test-agent/1", "198.51.100.23"))
    report(browser_client(app, "test-agent/1", "2001:db8:1:2:3:4:5:6"), 4)
    with Store(archive) as store:
        stored = [r[0] for r in store.conn.execute("SELECT client FROM report ORDER BY id")]
        salt = reports.get_setting(store, "client_salt")
        assert stored == [
            reports.client_hash(salt, "network:198.51.100.0/24"),
            reports.client_hash(salt, "network:2001:db8:1:2::/64"),
        ]
        assert not any("198.51" in s or "2001" in s for s in stored)
        assert len(salt) == 64


def test_threshold_from_the_environment(archive, monkeypatch):
    from marsad.web import create_app

    monkeypatch.setenv("MARSAD_REPORT_THRESHOLD", "1")
    app = create_app(archive)
    assert api_report(browser_client(app), 7).json()["hidden"] is True
    monkeypatch.setenv("MARSAD_REPORT_THRESHOLD", "0")
    with pytest.raises(ValueError):
        create_app(archive)


def test_password_is_scrypt_hashed(archive):
    with Store(archive) as store:
        reports.set_admin_password(store, "correct horse battery")
        # the hash is the account "admin"'s (it was the setting admin_password before accounts)
        stored = store.conn.execute("SELECT password FROM account WHERE name = 'admin'").fetchone()[0]
        assert stored.startswith("scrypt$") and "correct" not in stored
        assert reports.check_admin_password(store, "correct horse battery")
        assert not reports.check_admin_password(store, "correct horse batterz")
        with pytest.raises(ValueError):
            reports.set_admin_password(store, "short")
