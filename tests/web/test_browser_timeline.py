"""The story page's timeline in headless Chromium, on the demo corpus: the background apart and above the
news, each fact once with its sources behind a count that opens, right to left, nothing overflowing on a
phone. Screenshots go to artifacts/screenshots/ (story-timeline*.png)."""

from __future__ import annotations

from pathlib import Path

import pytest

from marsad.store import stories, threads
from marsad.store.db import Store

from .conftest import DESKTOP, PHONE, SHOTS, shot

pytestmark = pytest.mark.browser


def _forum_story(demo_db: Path) -> int:
    """The Forum's 2016 story: its thread is the demo's largest."""
    with Store(demo_db, readonly=True) as store:
        largest = max(
            (
                threads.thread(store, r[0], with_stories=False)
                for r in store.conn.execute("SELECT id FROM thread")
            ),
            key=lambda t: len(t.events) if t else 0,
        )
        assert largest is not None
        return next(
            s.id
            for s in stories.thread_stories(store, largest.id)
            if (s.first_seen or "").startswith("2016-09-22")
        )


def test_the_story_pages_timeline(browser, server, demo_db):
    context = browser.new_context(viewport=DESKTOP, locale="ar")
    page = context.new_page()
    page.goto(f"{server}/stories/{_forum_story(demo_db)}")
    box = page.locator("section.thread-box")
    assert box.evaluate("el => getComputedStyle(el).direction") == "rtl"
    background = box.locator("ol.timeline.background > li")
    news = box.locator("ol.timeline:not(.background) > li")
    assert (background.count(), news.count()) == (1, 19)
    # the background above the news, the founding once with its six articles from four outlets
    assert background.first.bounding_box()["y"] < news.first.bounding_box()["y"]
    assert background.first.locator("time").inner_text() == "سبتمبر 2011"
    summary = background.first.locator("details.sources summary")
    assert summary.inner_text() == "6 أخبار · 4 مصادر"
    others = background.first.locator("details.sources li")
    assert not others.first.is_visible()
    summary.click()
    assert others.count() == 5 and others.first.is_visible()
    # the marker of each item sits on its right: the start of a right-to-left line
    item = news.first.bounding_box()
    marker = news.first.evaluate("el => parseFloat(getComputedStyle(el, '::before').right)")
    assert marker < 0 and item["width"] > 0
    quarter = [news.nth(i).locator("time").inner_text() for i in range(12, 16)]
    assert quarter == ["2018"] + ["الربع الأول 2018"] * 2 + ["25 يونيو 2018"]
    box.scroll_into_view_if_needed()
    box.screenshot(path=str(_shot_path("story-timeline")))
    context.close()


def test_the_timeline_fits_a_phone(browser, server, demo_db):
    context = browser.new_context(viewport=PHONE, locale="ar", is_mobile=True)
    page = context.new_page()
    page.goto(f"{server}/stories/{_forum_story(demo_db)}")
    page.locator("section.thread-box details.sources summary").first.click()
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0
    shot(page, "story-timeline-phone")
    context.close()


def _shot_path(name: str) -> Path:
    SHOTS.mkdir(parents=True, exist_ok=True)
    return SHOTS / f"{name}.png"
