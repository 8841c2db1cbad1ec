"""The operator's pages and API: outlets added by their site's address (discovery against a loopback site),
paused, resumed and removed; OPML out and back in; the failures; the crawl queue; sign-in, CSRF and the API
token; the moderation log in Arabic."""

from __future__ import annotations

import re
from urllib.parse import urlencode

from marsad.models import SourceFailure
from marsad.store import crawl as crawl_store
from marsad.store import reports
from marsad.store.articles import add_failure
from marsad.store.db import Store
from marsad.web import create_app
from marsad.web.operator import arabic_time, moderation_note

from ..conftest import browser_client
from .conftest import PASSWORD, csrf_of, feeds_of, post, sign_in

# --- sign-in and CSRF -----------------------------------------------------------------------------------------

PAGES = ["/admin/outlets", "/admin/outlets.opml", "/admin/failures", "/admin/crawl-queue", "/admin/api-token"]
ACTIONS = [
    "/admin/outlets",
    "/admin/outlets/1/pause",
    "/admin/outlets/1/resume",
    "/admin/outlets/1/remove",
    "/admin/outlets/import",
    "/admin/crawl-queue/1/retry",
    "/admin/api-token",
    "/admin/api-token/revoke",
]


def test_pages_send_a_stranger_to_sign_in_and_actions_refuse_one(operator_app, archive_db):
    stranger = browser_client(operator_app, "stranger")
    for path in PAGES:
        answer = stranger.get(path)
        assert (answer.status_code, answer.headers["location"]) == (303, "/admin/login"), path
    token = csrf_of(stranger)  # a valid CSRF token, but no session
    for path in ACTIONS:
        assert stranger.post(path, data={"csrf": token, "url": "http://127.0.0.1/"}).status_code == 403, path
    with Store(archive_db) as store:
        assert reports.get_setting(store, "admin_api_token") is None


def test_every_action_needs_the_csrf_token(admin, archive_db, news_site):
    for path in ACTIONS:
        assert admin.post(path, data={"url": news_site.base + "/"}).status_code == 403, path
        assert admin.post(path, data={"csrf": "forged", "url": news_site.base + "/"}).status_code == 403, path
    assert feeds_of(archive_db) == []
    # a token from another browser (another User-Agent) is no good either
    other = browser_client(admin.app, "another-browser")
    answer = admin.post("/admin/outlets", data={"csrf": csrf_of(other), "url": news_site.base + "/"})
    assert answer.status_code == 403
    assert feeds_of(archive_db) == []


# --- outlets from the pages ------------------------------------------------------------------------------------


def test_add_an_outlet_by_its_site_discovers_feed_and_news_sitemap(admin, archive_db, news_site):
    base = news_site.base
    answer = post(admin, "/admin/outlets", url=base + "/")
    assert answer.status_code == 303
    assert answer.headers["location"].startswith(
        "/admin/outlets?done=added&outlet=%D8%B5%D8%AD%D9%8A%D9%81%D8%A9+%D8%A7%D9%84%D8%A7%D8%AE%D8%AA%D8%A8%D8%A7%D8%B1&sig="
    )
    assert feeds_of(archive_db) == [
        (
            "127.0.0.1",
            "صحيفة الاختبار",
            base + "/",
            1,
            [(base + "/rss.xml", "feed"), (base + "/news.xml", "sitemap")],
        )
    ]
    page = admin.get(answer.headers["location"])
    assert page.status_code == 200
    assert "أضيف الموقع صحيفة الاختبار وخلاصاته." in page.text
    row = page.text[page.text.index('<tr id="outlet-') :]
    assert (
        f'<span dir="ltr">{base}/rss.xml</span>' in row and f'<span dir="ltr">{base}/news.xml</span>' in row
    )
    assert '<td class="state">يُجلب</td>' in row
    assert "لم يُجلب بعد" in row  # health: nothing fetched yet
    assert [h.path for h in news_site.log] == ["/robots.txt", "/", "/robots.txt", "/news.xml"]


def test_named_feeds_skip_discovery(admin, archive_db, news_site):
    base = news_site.base
    answer = post(admin, "/admin/outlets", url=base + "/", name="اسم آخر", feeds=f"{base}/rss.xml\n")
    assert answer.status_code == 303
    assert feeds_of(archive_db) == [("127.0.0.1", "اسم آخر", base + "/", 1, [(base + "/rss.xml", "feed")])]
    assert news_site.log == []


def test_a_site_without_feeds_is_refused_with_its_reason(admin, archive_db, news_site):
    del news_site.routes["/robots.txt"]  # no news sitemap either
    answer = post(admin, "/admin/outlets", url=news_site.base + "/bare")
    assert answer.status_code == 422
    assert (
        f"تعذرت إضافة الموقع: no RSS/Atom feed or news sitemap found at {news_site.base}/bare" in answer.text
    )
    assert f'value="{news_site.base}/bare"' in answer.text  # the form keeps what was typed
    assert feeds_of(archive_db) == []
    not_http = post(admin, "/admin/outlets", url="javascript:alert(1)")
    assert not_http.status_code == 422 and "is not an http(s) address" in not_http.text


def test_discovery_obeys_the_address_policy(archive_db, news_site, monkeypatch):
    monkeypatch.delenv("MARSAD_ALLOW", raising=False)
    monkeypatch.delenv("MARSAD_ALLOW_PRIVATE", raising=False)
    client = browser_client(create_app(archive_db), "operator-browser")
    sign_in(client)
    answer = post(client, "/admin/outlets", url=news_site.base + "/")
    assert answer.status_code == 422
    assert "127.0.0.1 is a loopback address" in answer.text
    assert news_site.log == [] and feeds_of(archive_db) == []


def test_pause_resume_and_remove(admin, archive_db, news_site):
    base = news_site.base
    post(admin, "/admin/outlets", url=base + "/")
    (outlet_id,) = [o["id"] for o in Store(archive_db).conn.execute("SELECT id FROM source WHERE crawl = 1")]
    paused = post(admin, f"/admin/outlets/{outlet_id}/pause")
    assert paused.headers["location"].startswith("/admin/outlets?done=paused&outlet=")
    assert feeds_of(archive_db)[0][3] == crawl_store.PAUSED
    with Store(archive_db) as store:
        assert crawl_store.due_feeds(store) == []  # a paused outlet's feeds are not checked
        crawl_store.enqueue(store, outlet_id, [base + "/n/1.html"], base + "/rss.xml")
        assert crawl_store.queued(store, 10) == []  # nor its queued pages fetched
    page = admin.get("/admin/outlets").text
    assert '<td class="state">موقوف مؤقتا</td>' in page and ">استئناف</button>" in page
    assert "أوقف جلب صحيفة الاختبار مؤقتا." in admin.get(paused.headers["location"]).text
    crafted = "/admin/outlets?" + urlencode({"done": "paused", "outlet": "اتصل بالرقم 0000 لتأكيد حسابك"})
    assert 'id="done"' not in admin.get(crafted).text  # a link from elsewhere puts no words in a notice
    forged = crafted + "&sig=" + paused.headers["location"].split("&sig=")[1]  # another name's signature
    assert 'id="done"' not in admin.get(forged).text

    assert post(admin, f"/admin/outlets/{outlet_id}/resume").status_code == 303
    with Store(archive_db) as store:
        assert [f["url"] for f in crawl_store.due_feeds(store)] == [base + "/rss.xml", base + "/news.xml"]
        assert [q["url"] for q in crawl_store.queued(store, 10)] == [base + "/n/1.html"]

    removed = post(admin, f"/admin/outlets/{outlet_id}/remove")
    assert removed.headers["location"].startswith("/admin/outlets?done=deleted&outlet=")
    assert feeds_of(archive_db) == []
    assert post(admin, f"/admin/outlets/{outlet_id}/pause").status_code == 404
    assert post(admin, "/admin/outlets/1/pause").status_code == 404  # an outlet that is not crawled
    assert post(admin, f"/admin/outlets/{outlet_id}/explode").status_code == 404


def test_removing_an_outlet_with_articles_keeps_them(admin, archive_db):
    with Store(archive_db) as store:  # outlet 1 (hespress.com) has articles
        crawl_store.add_outlet(
            store,
            "hespress.com",
            "هسبريس",
            "https://www.hespress.com/",
            [("https://www.hespress.com/rss", "feed")],
        )
    answer = post(admin, "/admin/outlets/1/remove")
    assert answer.headers["location"].startswith("/admin/outlets?done=stopped&outlet=")
    assert "توقف جلب هسبريس؛ أخباره محفوظة." in admin.get(answer.headers["location"]).text
    with Store(archive_db) as store:
        row = store.conn.execute("SELECT crawl FROM source WHERE id = 1").fetchone()
        assert row["crawl"] == 0
        assert store.conn.execute("SELECT count(*) FROM article WHERE source_id = 1").fetchone()[0] == 4


def test_outlet_health_last_error_and_articles_a_day(admin, archive_db):
    with Store(archive_db) as store:
        outlet_id = crawl_store.add_outlet(
            store,
            "hespress.com",
            "هسبريس",
            "https://www.hespress.com/",
            [("https://www.hespress.com/rss", "feed")],
        )
        with store.transaction() as conn:
            crawl_store.record_health(conn, outlet_id, ok=True, pages=2)
            crawl_store.record_health(conn, outlet_id, ok=False, error="HTTP 503 from www.hespress.com")
            conn.execute(
                "UPDATE crawl_health SET last_success = '2026-03-01T08:00:00Z', last_error_at = '2026-03-02T09:05:00Z'"
            )
            conn.execute(
                "UPDATE article SET created_at = strftime('%Y-%m-%dT%H:%M:%SZ','now') WHERE source_id = 1"
            )
    row = admin.get("/admin/outlets").text
    row = row[row.index(f'<tr id="outlet-{outlet_id}">') :]
    assert '<td class="health"><div>متعثر</div>' in row
    assert "آخر نجاح: 1 مارس 2026، 08:00 (ت.ع.م)" in row
    assert (
        'آخر خطأ (2 مارس 2026، 09:05 (ت.ع.م)): <span dir="ltr">HTTP 503 from www.hespress.com</span>' in row
    )
    assert "<td>0.57</td>" in row  # 4 articles in the last 7 days


# --- OPML ------------------------------------------------------------------------------------------------------


def test_opml_export_then_import_into_a_new_archive_gives_the_same_outlets(
    admin, archive_db, news_site, tmp_path
):
    base = news_site.base
    post(admin, "/admin/outlets", url=base + "/")
    with Store(archive_db) as store:
        crawl_store.add_outlet(
            store,
            "assabah.example",
            "جريدة الصباح & <الرياضة>",
            "https://assabah.example/",
            [("https://assabah.example/rss", "feed"), ("https://assabah.example/news-index.xml", "sitemap")],
        )
        crawl_store.set_paused(store, crawl_store.find_outlet(store, "assabah.example")["id"], True)
    exported = admin.get("/admin/outlets.opml")
    assert exported.status_code == 200
    assert exported.headers["content-type"] == "text/x-opml; charset=utf-8"
    assert 'filename="marsad-outlets.opml"' in exported.headers["content-disposition"]
    assert "جريدة الصباح &amp; &lt;الرياضة&gt;" in exported.text

    fresh_db = tmp_path / "fresh.db"
    with Store(fresh_db) as store:
        reports.set_admin_password(store, PASSWORD)
    fresh = browser_client(create_app(fresh_db), "operator-browser")
    sign_in(fresh)
    answer = fresh.post(
        "/admin/outlets/import",
        data={"csrf": csrf_of(fresh, "/admin/outlets")},
        files={"opml": ("outlets.opml", exported.content, "text/x-opml")},
    )
    assert answer.status_code == 303
    assert answer.headers["location"] == "/admin/outlets?done=imported&outlets=2&feeds=4"
    assert "اكتمل الاستيراد. المواقع: 2، الخلاصات: 4." in fresh.get(answer.headers["location"]).text
    assert news_site.log[-1].path == "/news.xml"  # the import itself contacted nothing
    before = [(k, n, h, [tuple(f) for f in feeds]) for k, n, h, _, feeds in feeds_of(archive_db)]
    after = [(k, n, h, [tuple(f) for f in feeds]) for k, n, h, _, feeds in feeds_of(fresh_db)]
    assert (
        after
        == before
        == [
            (
                "127.0.0.1",
                "صحيفة الاختبار",
                base + "/",
                [(base + "/rss.xml", "feed"), (base + "/news.xml", "sitemap")],
            ),
            (
                "assabah.example",
                "جريدة الصباح & <الرياضة>",
                "https://assabah.example/",
                [
                    ("https://assabah.example/rss", "feed"),
                    ("https://assabah.example/news-index.xml", "sitemap"),
                ],
            ),
        ]
    )
    assert fresh.get("/admin/outlets.opml").text == exported.text


def test_a_broken_opml_file_is_refused_with_its_reason(admin, archive_db):
    token = csrf_of(admin, "/admin/outlets")
    answer = admin.post(
        "/admin/outlets/import",
        data={"csrf": token},
        files={"opml": ("x.opml", b"<opml><body><outline", "text/xml")},
    )
    assert answer.status_code == 422
    assert "تعذر استيراد الملف: not an OPML file:" in answer.text
    html = admin.post(
        "/admin/outlets/import",
        data={"csrf": token},
        files={"opml": ("x.opml", b"<html><body/></html>", "text/xml")},
    )
    assert html.status_code == 422 and "its root element is not &lt;opml&gt;" in html.text
    assert feeds_of(archive_db) == []


# --- failures and the crawl queue ----------------------------------------------------------------------------


def test_failures_with_their_reasons_by_stage(admin, archive_db):
    with Store(archive_db) as store, store.transaction() as conn:
        add_failure(
            conn, SourceFailure("https://a.example/1", "https://a.example/1", "fetch", "HTTP 404 Not Found")
        )
        add_failure(conn, SourceFailure("dump.txt", None, "extract", "no article text on the page <script>"))
        conn.execute("UPDATE failure SET last_seen = '2026-03-02T09:00:00Z' WHERE stage = 'fetch'")
        conn.execute("UPDATE failure SET last_seen = '2026-03-03T10:30:00Z' WHERE stage = 'extract'")
    page = admin.get("/admin/failures").text
    table = page[page.index('<table class="queue" id="failures">') :]
    assert table.index("no article text on the page &lt;script&gt;") < table.index("HTTP 404 Not Found")
    assert "3 مارس 2026، 10:30 (ت.ع.م)" in table and "<td>الاستخراج</td>" in table
    assert "الكل (2)" in page and "الجلب (1)" in page
    only = admin.get("/admin/failures?stage=fetch").text
    assert "HTTP 404 Not Found" in only and "no article text" not in only
    assert admin.get("/admin/failures?page=0").status_code == 422


def test_crawl_queue_by_state_and_retry(admin, archive_db):
    with Store(archive_db) as store:
        outlet_id = crawl_store.add_outlet(store, "hespress.com", "هسبريس", "https://www.hespress.com/", [])
        crawl_store.enqueue(store, outlet_id, [f"https://www.hespress.com/n/{n}" for n in range(3)], "rss")
        first = crawl_store.queued(store, 1)[0]["id"]
        crawl_store.mark_failed(
            store, first, status=500, error="HTTP 500 from www.hespress.com", retry_at=None
        )
    queued = admin.get("/admin/crawl-queue").text
    assert "في الانتظار (2)" in queued and "فشل (1)" in queued
    assert queued.count("https://www.hespress.com/n/") == 2 and "https://www.hespress.com/n/0" not in queued
    failed = admin.get("/admin/crawl-queue?state=failed").text
    assert '<td dir="ltr">https://www.hespress.com/n/0</td>' in failed
    assert 'HTTP 500 <span dir="ltr" class="meta">HTTP 500 from www.hespress.com</span>' in failed
    assert admin.get("/admin/crawl-queue?state=bogus").status_code == 422
    token = csrf_of(admin, "/admin/crawl-queue?state=failed")
    answer = admin.post(f"/admin/crawl-queue/{first}/retry", data={"csrf": token})
    assert (answer.status_code, answer.headers["location"]) == (303, "/admin/crawl-queue?state=failed")
    with Store(archive_db) as store:
        assert crawl_store.queue_counts(store) == {"queued": 3}
    assert admin.post(f"/admin/crawl-queue/{first}/retry", data={"csrf": token}).status_code == 404


# --- the moderation log in Arabic --------------------------------------------------------------------------------


def test_the_log_shows_arabic_times_and_notes(admin, archive_db):
    with Store(archive_db) as store:
        for client in ("a", "b", "c"):
            reports.add_report(store, 3, client, "خبر زائف", threshold=3)
        reports.decide(store, 3, "", "restore", "راجعت المصدر")
        store.conn.execute(
            "UPDATE moderation SET created_at = '2026-12-06T17:31:00Z' WHERE action = 'auto-hide'"
        )
    log = admin.get("/admin/log").text
    assert "distinct clients" not in log
    assert '<time datetime="2026-12-06T17:31:00Z">6 ديسمبر 2026، 17:31 (ت.ع.م)</time>' in log
    assert "إبلاغات من 3 قراء مختلفين" in log and "راجعت المصدر" in log
    assert not re.search(r">\s*\d{4}-\d\d-\d\dT", log)  # no raw ISO time shown as text


def test_arabic_times_and_notes():
    assert arabic_time("2026-03-02T09:05:00Z") == "2 مارس 2026، 09:05 (ت.ع.م)"
    assert arabic_time("2026-03-02T23:30:00+01:00") == "2 مارس 2026، 22:30 (ت.ع.م)"
    assert arabic_time(None) == "—" and arabic_time("not a time") == "not a time"
    assert moderation_note("auto-hide", "1 distinct clients") == "إبلاغ من قارئ واحد"
    assert moderation_note("auto-hide", "2 distinct clients") == "إبلاغات من قارئين مختلفين"
    assert moderation_note("auto-hide", "10 distinct clients") == "إبلاغات من 10 قراء مختلفين"
    assert moderation_note("auto-hide", "11 distinct clients") == "إبلاغات من 11 قارئا مختلفا"
    assert moderation_note("restore", "3 distinct clients") == "3 distinct clients"  # a moderator's words


# --- pages are right to left and escape what they show --------------------------------------------------------


def test_admin_pages_are_arabic_right_to_left_and_escaped(admin, archive_db):
    evil = "<script>alert(1)</script>"
    with Store(archive_db) as store:
        outlet_id = crawl_store.add_outlet(
            store, "evil.example", evil, "javascript:alert(2)", [("https://evil.example/rss?<b>", "feed")]
        )
        crawl_store.enqueue(store, outlet_id, [f"https://evil.example/{evil}"], "rss")
        with store.transaction() as conn:
            add_failure(conn, SourceFailure(evil, None, "fetch", evil))
    for path in PAGES[:1] + PAGES[2:]:
        page = admin.get(path).text
        assert page.startswith('<!doctype html>\n<html lang="ar" dir="rtl">'), path
        assert evil not in page and 'javascript:alert(2)"' not in page, path
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in admin.get("/admin/outlets").text
    assert 'href="javascript:' not in admin.get("/admin/outlets").text


def test_opml_outlines_that_are_not_web_addresses_are_left_out(admin, archive_db):
    opml = (
        b'<?xml version="1.0"?><opml version="2.0"><body>'
        b'<outline text="a" xmlUrl="https://a.example/rss" htmlUrl="javascript:alert(1)"/>'
        b'<outline text="b" xmlUrl="http://[broken/rss"/>'
        b'<outline text="c" xmlUrl="file:///etc/passwd"/>'
        b"</body></opml>"
    )
    token = csrf_of(admin, "/admin/outlets")
    answer = admin.post(
        "/admin/outlets/import", data={"csrf": token}, files={"opml": ("o.opml", opml, "text/xml")}
    )
    assert answer.headers["location"] == "/admin/outlets?done=imported&outlets=1&feeds=1"
    assert feeds_of(archive_db) == [
        ("a.example", "a", "https://a.example/", 1, [("https://a.example/rss", "feed")])
    ]
