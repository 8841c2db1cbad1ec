"""The follow flow in headless Chromium: an anonymous reader's follow button leads to sign-in; signed in,
the story page's button leads to the follow form, which POSTs with its CSRF token; "my watchlists" then
lists the watchlist with its private feed and latest matches. Screenshots in artifacts/screenshots/."""

from __future__ import annotations

from pathlib import Path

import pytest

from marsad.store import reports, watchlists
from marsad.store.db import Store
from marsad.web import create_app

from .conftest import DESKTOP, PHONE, build_archive, launched, no_overlap, served, shot

pytestmark = pytest.mark.browser
PASSWORD = "correct horse battery"


def test_follow_a_story_from_its_page(tmp_path: Path) -> None:
    db = build_archive(tmp_path / "w.db")
    with Store(db) as store:
        reports.set_admin_password(store, PASSWORD)
        title = store.conn.execute("SELECT title FROM story WHERE id = 1").fetchone()[0]
    with served(create_app(db)) as server, launched() as chromium:
        context = chromium.new_context(viewport=DESKTOP, locale="ar")
        page = context.new_page()
        page.goto(server + "/stories/1")
        page.get_by_role("button", name="تابِع").click()
        page.wait_for_url("**/login?next=*")  # anonymous: sign in first, then back to the follow page
        page.get_by_label("اسم المستخدم").fill("admin")
        page.get_by_label("كلمة المرور").fill(PASSWORD)
        page.get_by_role("button", name="دخول").click()
        page.wait_for_url("**/watchlists/follow?kind=story&value=1")
        page.goto(server + "/stories/1")
        shot(page, "watch-story-button", full_page=False)
        page.get_by_role("button", name="تابِع").click()
        page.wait_for_url("**/watchlists/follow?kind=story&value=1")
        assert page.locator("html").get_attribute("dir") == "rtl"
        assert page.locator("h1 span").inner_text() == title
        page.get_by_label("اسم القائمة").fill("منتدى مكافحة الإرهاب <b>")
        page.get_by_label("إرسال البريد").select_option("daily")
        page.get_by_label("بريد إلكتروني (اختياري)").fill("reader@example.org")
        shot(page, "watch-follow-form")
        page.get_by_role("button", name="تابِع").last.click()
        page.wait_for_url("**/watchlists?done=added*")

        with Store(db) as store:
            (w,) = watchlists.all_watchlists(store)
            ids = [
                r[0] for r in store.conn.execute("SELECT id FROM article WHERE story_id = 1 AND hidden = 0")
            ]
            watchlists.add_matches(store, [(w.id, i) for i in ids])
        assert (w.kind, w.target, w.owner, w.delivery) == ("story", "1", "admin", "daily")
        page.reload()
        card = page.locator(f"#watchlist-{w.id}")
        assert card.locator("h2").inner_text() == "منتدى مكافحة الإرهاب <b>"  # escaped, shown as written
        assert card.locator("a[href$='.atom']").get_attribute("href") == f"/feeds/watch/{w.feed_token}.atom"
        assert card.locator(".list .item").count() == len(ids)
        assert (
            page.locator("[role=status]").inner_text() == "أضيفت قائمة المتابعة «منتدى مكافحة الإرهاب <b>»."
        )
        no_overlap(page, f"#watchlist-{w.id} > *")
        shot(page, "watch-list-desktop")
        page.set_viewport_size(PHONE)
        shot(page, "watch-list-phone")

        feed = page.request.get(server + f"/feeds/watch/{w.feed_token}.json").json()
        assert len(feed["items"]) == len(ids)
        page.get_by_role("button", name="حذف").click()
        page.wait_for_url("**/watchlists?done=removed")
        assert page.locator(".watchlist").count() == 0
        context.close()
