"""The operator adds an outlet from the admin pages in headless Chromium, against a loopback news site.

Debian's chromium at /usr/bin/chromium driven by Playwright (tests/web/conftest.py `launched`); the
screenshots go to artifacts/screenshots/admin-*.png."""

from __future__ import annotations

import pytest

from marsad.models import SourceFailure
from marsad.store import crawl as crawl_store
from marsad.store import reports
from marsad.store.articles import add_failure
from marsad.store.db import Store
from marsad.web import create_app

from ..conftest import DESKTOP, PHONE, launched, served, shot
from .conftest import PASSWORD, feeds_of

pytestmark = pytest.mark.browser


def test_add_an_outlet_from_the_admin_pages(archive_db, news_site, loopback_allowed):
    base = news_site.base
    with Store(archive_db) as store:  # one entry in the moderation log, to see it in Arabic
        for client in ("a", "b", "c"):
            reports.add_report(store, 3, client, "خبر زائف", threshold=3)
        with store.transaction() as conn:
            add_failure(
                conn,
                SourceFailure(
                    base + "/n/9.html", base + "/n/9.html", "extract", "no article text on the page"
                ),
            )
    with served(create_app(archive_db)) as server, launched() as chromium:
        page = chromium.new_context(viewport=DESKTOP, locale="ar").new_page()
        page.goto(server + "/admin/outlets")
        assert page.url == server + "/admin/login"  # not signed in: sent to sign in
        page.fill("#password", PASSWORD)
        page.click("form[action='/admin/login'] button[type=submit]")
        page.wait_for_url(server + "/admin")

        page.goto(server + "/admin/outlets")
        assert page.evaluate("document.documentElement.dir") == "rtl"
        assert page.evaluate("document.documentElement.lang") == "ar"
        assert page.locator(".empty").inner_text() == "لا مواقع بعد: أضف موقعا بعنوانه أو استورد ملف OPML."
        page.fill("#outlet-url", base + "/")
        page.click("#add-outlet button[type=submit]")
        page.wait_for_url("**/admin/outlets?done=added*")
        assert page.locator("#done").inner_text() == "أضيف الموقع صحيفة الاختبار وخلاصاته."
        row = page.locator("#outlets tbody tr")
        assert row.count() == 1
        assert row.locator(".state").inner_text() == "يُجلب"
        assert row.locator(".feeds li").count() == 2
        assert base + "/rss.xml" in row.locator(".feeds").inner_text()
        # the table reads right to left: the outlet's column is the rightmost
        first, last = row.locator("td").first.bounding_box(), row.locator("td").last.bounding_box()
        assert first["x"] > last["x"]
        shot(page, "admin-outlets-desktop")

        row.locator("button", has_text="إيقاف مؤقت").click()
        page.wait_for_url("**/admin/outlets?done=paused*")
        assert page.locator("#outlets .state").inner_text() == "موقوف مؤقتا"

        with Store(archive_db) as store:
            outlet_id = crawl_store.find_outlet(store, "127.0.0.1")["id"]
            crawl_store.enqueue(store, outlet_id, [base + "/n/1.html", base + "/n/2.html"], base + "/rss.xml")
        page.goto(server + "/admin/crawl-queue")
        assert page.locator("#crawl-queue tbody tr").count() == 2
        assert "في الانتظار (2)" in page.locator("main").inner_text()
        shot(page, "admin-crawl-queue-desktop")
        page.goto(server + "/admin/failures")
        assert page.locator("#failures tbody tr td").nth(3).inner_text() == "no article text on the page"
        shot(page, "admin-failures-desktop")

        page.goto(server + "/admin/log")
        assert "إبلاغات من 3 قراء مختلفين" in page.locator("table.queue").inner_text()
        assert "distinct" not in page.content()
        shot(page, "admin-log-desktop")
        phone = chromium.new_context(viewport=PHONE, locale="ar")
        phone.add_cookies(page.context.cookies())
        # the session is bound to the browser's User-Agent, which the phone context shares
        mobile = phone.new_page()
        mobile.goto(server + "/admin/outlets")
        # long addresses wrap inside the table: the page is no wider than the phone
        assert mobile.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        shot(mobile, "admin-outlets-phone")
        chromium.close()
    assert [(key, state, feeds) for key, _, _, state, feeds in feeds_of(archive_db)] == [
        ("127.0.0.1", 2, [(base + "/rss.xml", "feed"), (base + "/news.xml", "sitemap")])
    ]
