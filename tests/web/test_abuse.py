"""Issue 20: reports count people (networks, accounts), not headers; the sign-in throttle holds against a
rotating User-Agent; sessions end server-side; the Secure flag and forwarded addresses come only through a
trusted proxy."""

from __future__ import annotations

import re

import pytest

from marsad.store import reports
from marsad.store.db import Store
from marsad.web import context as web_context
from marsad.web import create_app

from .conftest import browser_client
from .test_reports import api_report, csrf_of, report

PROXY = "10.0.0.2"  # the trusted reverse proxy in these tests
PASSWORD = "correct horse battery"


def behind_proxy(app, forwarded_for: str, agent: str = "reader", **headers: str):
    client = browser_client(app, agent, PROXY)
    client.headers.update({"x-forwarded-for": forwarded_for, **headers})
    return client


def distinct(archive, article_id: int) -> int:
    with Store(archive) as store:
        return reports.distinct_clients(store, article_id)


# --- reports --------------------------------------------------------------------------------------------


def test_three_user_agents_from_one_address_do_not_hide_an_item(app, archive):
    agents = ["Mozilla/5.0 (X11)", "Mozilla/5.0 (iPhone)", "curl/8.5.0"]
    clients = [browser_client(app, agent, "198.51.100.7") for agent in agents]
    assert [api_report(c, 3).json() for c in clients] == [
        {"status": "counted", "hidden": False},
        {"status": "duplicate", "hidden": False},
        {"status": "duplicate", "hidden": False},
    ]
    # and through the HTML form, from other hosts of the same /24
    forms = [browser_client(app, agent, f"198.51.100.{n}") for n, agent in enumerate(agents, 20)]
    assert [report(c, 4).headers["location"] for c in forms] == [
        "/articles/4?report=counted#report",
        "/articles/4?report=duplicate#report",
        "/articles/4?report=duplicate#report",
    ]
    assert (distinct(archive, 3), distinct(archive, 4)) == (1, 1)
    assert clients[0].get("/articles/3").status_code == 200
    assert clients[0].get("/articles/4").status_code == 200


def test_three_networks_behind_a_trusted_proxy_hide_an_item(archive):
    app = create_app(archive, report_threshold=3, trusted_proxies=[f"{PROXY}/32"])
    # the forwarded address is the last one not itself a trusted proxy: what a client prepends is ignored
    readers = [behind_proxy(app, f"6.6.6.6, {net}") for net in ("192.0.2.5", "198.51.100.5", "203.0.113.5")]
    outcomes = [api_report(reader, 5).json() for reader in readers]
    assert outcomes == [
        {"status": "counted", "hidden": False},
        {"status": "counted", "hidden": False},
        {"status": "counted", "hidden": True},
    ]
    assert readers[0].get("/articles/5").status_code == 410


def test_forwarded_for_is_ignored_from_a_peer_that_is_not_a_trusted_proxy(archive):
    app = create_app(archive, report_threshold=3)  # no trusted proxy: the default
    readers = [behind_proxy(app, net) for net in ("192.0.2.5", "198.51.100.5", "203.0.113.5")]
    assert [api_report(reader, 5).json()["status"] for reader in readers] == [
        "counted",
        "duplicate",
        "duplicate",
    ]
    assert distinct(archive, 5) == 1


def test_ipv6_readers_count_by_their_64(archive):
    app = create_app(archive, report_threshold=2)
    one = browser_client(app, "a", "2001:db8:aa:1::1")
    same_64 = browser_client(app, "b", "2001:db8:aa:1:ffff::9")
    other_64 = browser_client(app, "c", "2001:db8:aa:2::1")
    assert api_report(one, 6).json()["status"] == "counted"
    assert api_report(same_64, 6).json()["status"] == "duplicate"
    assert api_report(other_64, 6).json() == {"status": "counted", "hidden": True}


def test_a_report_without_a_valid_token_is_refused(app, archive, monkeypatch):
    reader = browser_client(app, "reader", "192.0.2.5")
    url = "/api/v1/articles/3/reports"
    token_3 = reader.get("/api/v1/articles/3").json()["report_token"]
    token_4 = reader.get("/api/v1/articles/4").json()["report_token"]
    assert reader.post(url, json={"reason": "x"}).status_code == 403
    assert reader.post(url, json={"report_token": "forged"}).status_code == 403
    assert reader.post(url, json={"report_token": token_4}).status_code == 403  # another article's
    elsewhere = browser_client(app, "reader", "203.0.113.5")
    assert elsewhere.post(url, json={"report_token": token_3}).status_code == 403  # another network's
    monkeypatch.setattr(web_context, "REPORT_TOKEN_AGE", -1)
    assert reader.post(url, json={"report_token": token_3}).status_code == 403  # expired
    monkeypatch.setattr(web_context, "REPORT_TOKEN_AGE", 7200)
    assert reader.post(url, json={"report_token": token_3}).status_code == 201
    assert reader.post(url, json={"report_token": token_3}).json()["status"] == "duplicate"  # reusable, once
    refused = reader.post(url, json={})
    assert refused.json() == {
        "detail": "report_token missing or invalid: take one from GET /api/v1/articles/{id}"
    }
    with Store(archive) as store:
        assert store.conn.execute("SELECT count(*) FROM report").fetchone()[0] == 1


def test_a_burst_across_many_items_is_held_for_a_moderator(archive):
    app = create_app(archive, report_threshold=2, report_burst_items=3)
    burst = browser_client(app, "script", "192.0.2.5")
    statuses = [api_report(burst, article_id).json()["status"] for article_id in (1, 3, 4, 5, 6)]
    assert statuses == ["counted", "counted", "counted", "held", "held"]
    other = browser_client(app, "reader", "203.0.113.5")
    # a second network on a held item: the held report counts toward nothing, so nothing is hidden
    assert api_report(other, 5).json() == {"status": "counted", "hidden": False}
    # on an item the burst reported before it was a burst, two networks hide it
    assert api_report(other, 4).json() == {"status": "counted", "hidden": True}
    with Store(archive) as store:
        queue = {(q.article_id, q.state, q.clients, q.held) for q in reports.queue(store)}
        assert queue == {(4, "hidden", 2, 0), (1, "reported", 1, 0), (3, "reported", 1, 0),
                         (5, "reported", 1, 1), (6, "reported", 0, 1)}  # fmt: skip
        reports.set_admin_password(store, PASSWORD)
    moderator = browser_client(app, "moderator", "192.0.2.200")
    token = csrf_of(moderator, "/admin/login")
    assert moderator.post("/admin/login", data={"csrf": token, "password": PASSWORD}).status_code == 303
    page = moderator.get("/admin").text
    assert page.count("محتجز") == 2  # the two items with held reports say so


def test_per_network_and_global_rate_limits(archive):
    app = create_app(archive, report_rate_limit=2, report_global_rate_limit=4, report_burst_items=50)
    one = browser_client(app, "a", "192.0.2.5")
    assert [api_report(one, i).status_code for i in (1, 3, 4)] == [201, 201, 429]
    assert api_report(browser_client(app, "b", "192.0.2.77"), 4).status_code == 429  # same /24
    assert api_report(browser_client(app, "c", "198.51.100.5"), 4).status_code == 201
    assert api_report(browser_client(app, "d", "203.0.113.5"), 4).status_code == 201
    refused = api_report(browser_client(app, "e", "100.64.0.5"), 5)  # a fifth network: the hour's 4 are spent
    assert refused.status_code == 429


def _signed_in_moderator(app, archive):
    """A browser at 192.0.2.5 signed in with the moderator's password (set here)."""
    with Store(archive) as store:
        reports.set_admin_password(store, PASSWORD)
    moderator = browser_client(app, "moderator", "192.0.2.5")
    token = csrf_of(moderator, "/admin/login")
    assert moderator.post("/admin/login", data={"csrf": token, "password": PASSWORD}).status_code == 303
    return moderator


def test_a_signed_in_moderator_reports_as_the_account(app, archive):
    moderator = _signed_in_moderator(app, archive)
    assert api_report(moderator, 3).json()["status"] == "counted"
    # a reader of the same network is another reader than the account
    assert api_report(browser_client(app, "reader", "192.0.2.6"), 3).json()["status"] == "counted"
    assert distinct(archive, 3) == 2


# --- sign-in --------------------------------------------------------------------------------------------


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture()
def clock(app) -> Clock:
    fake = Clock()
    reader = app.state.reader
    reader.network_throttle.clock = fake
    reader.account_throttle.clock = fake
    return fake


def guess(app, agent: str, address: str = "198.51.100.7", password: str = "wrong guess 123"):
    client = browser_client(app, agent, address)
    token = csrf_of(client, "/admin/login")
    return client.post("/admin/login", data={"csrf": token, "password": password})


def test_a_rotating_user_agent_login_flood_is_throttled(app, archive, clock):
    with Store(archive) as store:
        reports.set_admin_password(store, PASSWORD)
    answers = [guess(app, f"Mozilla/5.0 rotating/{n}").status_code for n in range(50)]
    assert answers.count(401) == web_context.LOGIN_FREE_PER_NETWORK == 5  # guesses whose password was checked
    assert answers == [401] * 5 + [429] * 45
    throttled = guess(app, "yet another agent", password=PASSWORD)  # even the right password waits
    assert throttled.status_code == 429 and throttled.headers["retry-after"] == "1"
    # the waits grow: 1, 2, 4, 8 seconds after each further failure
    waits = []
    for n in range(4):
        wait = int(guess(app, f"agent/{n}").headers["retry-after"])
        waits.append(wait)
        clock.now += wait
        assert guess(app, f"agent/{n}b").status_code == 401
    assert waits == [1, 2, 4, 8]
    assert guess(app, "agent/after").headers["retry-after"] == "16"
    # another network is not throttled by this one's failures
    assert guess(app, "elsewhere", "203.0.113.7", PASSWORD).status_code == 303


def test_simultaneous_guesses_do_not_slip_through_one_opening(app, archive, clock):
    from concurrent.futures import ThreadPoolExecutor

    with Store(archive) as store:
        reports.set_admin_password(store, PASSWORD)
    clients = [browser_client(app, f"parallel/{n}", "198.51.100.7") for n in range(20)]
    tokens = [csrf_of(c, "/admin/login") for c in clients]

    def one(n: int) -> int:
        return (
            clients[n].post("/admin/login", data={"csrf": tokens[n], "password": "wrong guess"}).status_code
        )

    with ThreadPoolExecutor(20) as pool:
        answers = list(pool.map(one, range(20)))
    assert (answers.count(401), answers.count(429)) == (5, 15)


def test_login_guesses_from_many_networks_are_throttled_per_account(app, archive, clock):
    with Store(archive) as store:
        reports.set_admin_password(store, PASSWORD)
    answers = [guess(app, "bot", f"10.{n}.0.1").status_code for n in range(30)]
    assert answers.count(401) == web_context.LOGIN_FREE_PER_ACCOUNT == 20
    assert answers[20:] == [429] * 10


def test_login_guesses_accepted_in_a_day(clock):
    """The most guesses one network gets in 24 hours, trying as soon as allowed (figures for the issue)."""
    throttle = web_context.Throttle(web_context.LOGIN_FREE_PER_NETWORK, clock)
    accepted = {60: 0, 3600: 0, 86400: 0}
    start = clock.now
    while clock.now - start < 86400:
        for span in accepted:
            if clock.now - start < span:
                accepted[span] += 1
        throttle.failed("net")
        clock.now += max(throttle.wait("net"), 0.01)
    assert accepted == {60: 10, 3600: 17, 86400: 109}


def test_logout_revokes_the_session(app, archive):
    with Store(archive) as store:
        reports.set_admin_password(store, PASSWORD)
    moderator = browser_client(app, "moderator", "192.0.2.5")
    token = csrf_of(moderator, "/admin/login")
    signed_in = moderator.post("/admin/login", data={"csrf": token, "password": PASSWORD})
    cookie = signed_in.cookies["marsad_admin"]
    assert moderator.get("/admin").status_code == 200
    out = moderator.post("/admin/logout", data={"csrf": csrf_of(moderator, "/admin")})
    assert out.status_code == 303
    replay = browser_client(app, "moderator", "192.0.2.5")
    replay.cookies.set("marsad_admin", cookie)
    assert replay.get("/admin").status_code == 303  # the old cookie signs no one in


def test_a_new_password_ends_every_session(app, archive):
    moderator = _signed_in_moderator(app, archive)
    assert moderator.get("/admin").status_code == 200
    with Store(archive) as store:
        reports.set_admin_password(store, "another good password")
    assert moderator.get("/admin").status_code == 303


def test_anyone_cannot_log_the_moderator_out(app, archive):
    moderator = _signed_in_moderator(app, archive)
    stranger = browser_client(app, "stranger", "203.0.113.5")
    assert stranger.post("/admin/logout", data={"csrf": "forged"}).status_code == 403
    stranger_csrf = csrf_of(stranger, "/admin/login")
    assert stranger.post("/admin/logout", data={"csrf": stranger_csrf}).status_code == 303
    assert moderator.get("/admin").status_code == 200  # a logout without a session ends nothing


def _sign_in(client):
    token = csrf_of(client, "/admin/login")
    return client.post("/admin/login", data={"csrf": token, "password": PASSWORD})


def test_secure_cookie_over_tls_only_as_a_trusted_proxy_says(archive):
    with Store(archive) as store:
        reports.set_admin_password(store, PASSWORD)
    trusting = create_app(archive, trusted_proxies=[f"{PROXY}/32"])
    via_tls = behind_proxy(trusting, "192.0.2.5", **{"x-forwarded-proto": "https"})
    assert "; secure" in _sign_in(via_tls).headers["set-cookie"].lower()
    plain = behind_proxy(trusting, "192.0.2.5", **{"x-forwarded-proto": "http"})
    assert "secure" not in _sign_in(plain).headers["set-cookie"].lower()
    untrusting = create_app(archive)  # the same headers from a peer that is no trusted proxy
    spoofed = behind_proxy(untrusting, "192.0.2.5", **{"x-forwarded-proto": "https"})
    assert "secure" not in _sign_in(spoofed).headers["set-cookie"].lower()


def test_a_bad_trusted_proxy_setting_is_refused(archive):
    from marsad.settings import SettingError

    with pytest.raises(SettingError, match="trusted_proxies: 'proxy.example' is not an address or network"):
        create_app(archive, trusted_proxies=["proxy.example"])


def test_network_of():
    assert web_context.network_of("198.51.100.23") == "198.51.100.0/24"
    assert web_context.network_of("::ffff:198.51.100.23") == "198.51.100.0/24"
    assert web_context.network_of("2001:db8:1:2:3:4:5:6") == "2001:db8:1:2::/64"
    assert web_context.network_of("testclient") == "testclient"
    assert re.fullmatch(r"[0-9a-f]{64}", reports.client_hash("salt", "network:198.51.100.0/24"))
