"""Signing in as a reader and as an editor in headless Chromium: the one sign-in page, the account's name
and sign-out in the header, one's own password page, the editor's moderation pages (and only those).

Debian's chromium driven by Playwright (tests/web/conftest.py `launched`); the screenshots go to
artifacts/screenshots/accounts-*.png."""

from __future__ import annotations

from pathlib import Path

import pytest

from marsad.store import accounts, reports
from marsad.store.db import Store
from marsad.web import create_app

from .conftest import DESKTOP, PHONE, launched, served, shot

pytestmark = pytest.mark.browser

PASSWORD = "correct horse battery"


@pytest.fixture()
def people_db(archive: Path) -> Path:
    with Store(archive) as store:
        reports.set_admin_password(store, PASSWORD)
        accounts.add(store, "salma", "editor", PASSWORD)
        accounts.add(store, "omar", "reader", PASSWORD)
        for client in ("a", "b", "c"):  # one hidden article in the editor's queue
            reports.add_report(store, 3, client, "خبر زائف", threshold=3)
    return archive


def _sign_in(page, server: str, name: str) -> None:
    page.goto(server + "/login")
    page.fill("#name", name)
    page.fill("#password", PASSWORD)
    page.click("#login button[type=submit]")


def _header_right_to_left(page) -> None:
    """The brand is at the right of the header, the account at its left (the page reads right to left)."""
    brand = page.locator(".brand").bounding_box()
    account = page.locator(".site-account").bounding_box()
    assert brand["x"] > account["x"]


def test_a_reader_signs_in_reads_changes_the_password_and_signs_out(people_db):
    with served(create_app(people_db)) as server, launched() as chromium:
        page = chromium.new_context(viewport=DESKTOP, locale="ar").new_page()
        page.goto(server + "/")
        assert page.locator("#sign-in").inner_text() == "دخول"
        page.click("#sign-in")
        page.wait_for_url(server + "/login")
        assert page.evaluate("document.documentElement.dir") == "rtl"
        assert page.evaluate("document.documentElement.lang") == "ar"
        page.fill("#name", "omar")
        page.fill("#password", "not the password")
        page.click("#login button[type=submit]")
        assert page.locator("[role=alert]").inner_text() == "اسم المستخدم أو كلمة المرور غير صحيحة."
        shot(page, "accounts-login-refused-desktop")
        _sign_in(page, server, "omar")
        page.wait_for_url(server + "/")
        assert page.locator("#account-link").inner_text() == "omar"
        assert page.locator("#sign-out button").inner_text() == "خروج"
        assert page.locator("a[href='/admin']").count() == 0  # a reader has no moderation link
        _header_right_to_left(page)
        shot(page, "accounts-reader-home-desktop", full_page=False)

        page.click("#account-link")
        page.wait_for_url(server + "/account")
        assert page.locator("#account-role").inner_text() == "قارئ"
        page.fill("#current", PASSWORD)
        page.fill("#new", "a new long password")
        page.fill("#again", "a new long password")
        page.click("#change-password button[type=submit]")
        page.wait_for_url(server + "/account?done=password")
        assert page.locator("#done").inner_text() == "غُيّرت كلمة المرور، وانتهت جلساتك على الأجهزة الأخرى."
        shot(page, "accounts-reader-password-desktop")

        response = page.goto(server + "/admin")
        assert response.status == 403
        page.goto(server + "/")
        page.click("#sign-out button")
        page.wait_for_url(server + "/")
        assert page.locator("#sign-in").inner_text() == "دخول"


def test_an_editor_signs_in_to_the_moderation_queue_only(people_db):
    with served(create_app(people_db)) as server, launched() as chromium:
        page = chromium.new_context(viewport=PHONE, locale="ar").new_page()
        _sign_in(page, server, "salma")
        page.wait_for_url(server + "/admin")
        assert page.locator("#account-link").inner_text() == "salma"
        nav = page.locator("nav[aria-label='صفحات الإشراف'] a")
        assert nav.all_inner_texts() == ["قائمة الإشراف", "سجل القرارات"]
        assert (
            "المغرب وهولندا يواصلان رئاسة المنتدى العالمي لمكافحة الإرهاب"
            in page.locator("main").inner_text()
        )
        # the page is no wider than the phone
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        shot(page, "accounts-editor-queue-phone")
        page.click("button.restore")
        page.wait_for_url(server + "/admin")
        page.goto(server + "/admin/log")
        decision = page.locator("main tbody tr").first.locator("td")
        assert (decision.nth(2).inner_text(), decision.nth(3).inner_text()) == ("استعادة", "salma")
        assert page.goto(server + "/admin/outlets").status == 403
        assert page.goto(server + "/admin/accounts").status == 403


def test_the_admin_makes_an_account_on_the_accounts_page(people_db):
    with served(create_app(people_db)) as server, launched() as chromium:
        page = chromium.new_context(viewport=DESKTOP, locale="ar").new_page()
        _sign_in(page, server, "admin")
        page.wait_for_url(server + "/admin")
        page.goto(server + "/admin/accounts")
        page.fill("#account-name", "nadia")
        page.select_option("#account-role", "editor")
        page.fill("#account-password", PASSWORD)
        page.click("#add-account button[type=submit]")
        page.wait_for_url(server + "/admin/accounts?done=added")
        assert page.locator("#done").inner_text() == "أُنشئ الحساب."
        rows = page.locator("#accounts tbody tr")
        assert rows.locator(".name").all_inner_texts() == ["admin", "nadia", "omar", "salma"]
        first, last = (
            rows.first.locator("td").first.bounding_box(),
            rows.first.locator("td").last.bounding_box(),
        )
        assert first["x"] > last["x"]  # the name's column is the rightmost
        shot(page, "accounts-admin-accounts-desktop")
