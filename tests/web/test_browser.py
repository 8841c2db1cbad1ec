"""The reader in headless Chromium, on the demo corpus ingested by marsad.ingest (the browser, the demo
archive and its server are tests/web/conftest.py's)."""

from __future__ import annotations

import pytest

from marsad.store import articles, stories
from marsad.store.db import Store

from .conftest import DESKTOP, PHONE, no_overlap, shot

pytestmark = pytest.mark.browser


def test_home_story_and_read_at_source(browser, server, demo_db):
    context = browser.new_context(viewport=DESKTOP, locale="ar")
    page = context.new_page()
    page.goto(server + "/")
    assert page.evaluate("document.documentElement.dir") == "rtl"
    assert page.evaluate("getComputedStyle(document.body).direction") == "rtl"
    # right to left: the top stories column sits to the right of the latest column
    top = page.locator(".top-stories").bounding_box()
    latest = page.locator(".latest").bounding_box()
    assert top["x"] > latest["x"] + latest["width"] - 1
    no_overlap(page, ".home > section, .grid > .box")
    # the ticker pauses from the keyboard
    page.focus("#ticker-pause")
    page.keyboard.press("Space")
    assert (
        page.evaluate("getComputedStyle(document.querySelector('.ticker-track')).animationPlayState")
        == "paused"
    )
    shot(page, "home-desktop")

    page.locator(".top-stories .story-card a").first.click()
    page.wait_for_url("**/stories/*")
    story_id = int(page.url.rsplit("/", 1)[1])
    with Store(demo_db) as store:
        story = stories.story(store, story_id)
    assert page.locator("h1").inner_text() == story.title
    assert page.locator(".outlet-group").count() == len(story.groups)
    shot(page, "story-desktop")

    page.locator(".outlet-group .item-title").first.click()
    page.wait_for_url("**/articles/*")
    article_id = int(page.url.rsplit("/", 1)[1])
    with Store(demo_db) as store:
        item = articles.article(store, article_id)
    link = page.get_by_role("link", name="اقرأ الخبر من مصدره")
    assert link.get_attribute("href") == (item.original_url or item.url)
    no_overlap(page, ".prev-next a")
    shot(page, "article-desktop")

    phone = browser.new_context(viewport=PHONE, locale="ar", is_mobile=True, has_touch=True)
    small = phone.new_page()
    small.goto(server + "/")
    width = small.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the home page is {width}px wide on a {PHONE['width']}px phone"
    shot(small, "home-phone", full_page=False)
    small.goto(server + f"/articles/{article_id}")
    assert small.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    shot(small, "article-phone", full_page=False)
    phone.close()
    context.close()


def test_three_browsers_report_an_article_and_it_is_hidden(browser, server, demo_db):
    with Store(demo_db) as store:
        target = articles.latest(store, 5)[-1]
    url = f"{server}/articles/{target.id}"
    for n in range(3):  # three readers: three networks (behind the trusted proxy)
        context = browser.new_context(
            viewport=DESKTOP,
            locale="ar",
            user_agent=f"MarsadBrowserTest/{n}",
            extra_http_headers={"X-Forwarded-For": f"198.51.{100 + n}.7"},
        )
        page = context.new_page()
        page.on("dialog", lambda dialog: dialog.accept())
        page.goto(url)
        page.locator("#report summary").click()
        page.get_by_label("سبب الإبلاغ (اختياري)").select_option("خبر زائف")
        page.get_by_role("button", name="أرسل الإبلاغ").click()
        page.wait_for_load_state()
        if n < 2:
            assert "شكرا على الإبلاغ!" in page.locator("#report .notice").inner_text()
            if n == 0:
                shot(page, "article-reported")
        else:
            assert page.locator("h1").inner_text() == "حُجب هذا الخبر"
            shot(page, "article-hidden")
        context.close()
    context = browser.new_context(viewport=DESKTOP, locale="ar")
    page = context.new_page()
    page.goto(server + "/")
    assert page.locator(f'a[href="/articles/{target.id}"]').count() == 0

    # a moderator signs in, finds it in the queue and restores it
    from marsad.store import reports

    with Store(demo_db) as store:
        reports.set_admin_password(store, "correct horse battery")
    page.goto(server + "/admin")
    page.get_by_label("كلمة المرور").fill("correct horse battery")
    page.get_by_role("button", name="دخول").click()
    page.wait_for_url("**/admin")
    row = page.locator("table.queue tbody tr").filter(has_text=target.title)
    assert row.count() == 1
    no_overlap(page, "table.queue tbody tr:first-child td")
    shot(page, "admin-queue")
    row.get_by_role("button", name="استعادة").click()
    page.wait_for_url("**/admin")
    page.goto(url)
    assert page.locator("h1").inner_text() == target.title
    context.close()


def test_search_an_inflected_form_and_see_it_highlighted(browser, server):
    context = browser.new_context(viewport=DESKTOP, locale="ar")
    page = context.new_page()
    page.goto(server + "/")
    page.fill("#site-q", "بالتتويج")  # the corpus says التتويج, تتويجه, للتتويج: never this form
    page.keyboard.press("Enter")
    page.wait_for_url("**/search?*")
    marks = page.locator(".hit .snippet mark, .hit .item-title mark")
    assert marks.count() > 0
    words = {m.strip() for m in marks.all_inner_texts()}
    assert all("تتويج" in w for w in words), words
    assert "بالتتويج" not in words
    assert page.locator(".facets li").count() > 0
    no_overlap(page, ".search-results > *")
    shot(page, "search-desktop")
    context.close()
