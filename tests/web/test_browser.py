"""The reader in headless Chromium, on the demo corpus ingested by marsad.ingest.

Debian's chromium at /usr/bin/chromium, driven by Playwright's Python package (never `playwright install`).
Screenshots go to artifacts/screenshots/. Skipped when chromium is missing, a failure under CI=true.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from marsad.store import articles, stories
from marsad.store.db import Store

from .conftest import served

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SHOTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


def _require_chromium() -> None:
    if CHROMIUM.exists():
        return
    message = f"{CHROMIUM} is missing: apt-get install chromium to run the browser tests"
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)


@contextmanager
def launched() -> Iterator[Any]:
    """Debian's chromium, headless, driven by Playwright (skipped when it is missing, failed under CI)."""
    _require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled demo corpus, ingested, linked and indexed by marsad.ingest."""
    from marsad.demo import ingest_targets
    from marsad.ingest import ingest

    path = tmp_path_factory.mktemp("demo") / "demo.db"
    with Store(path) as store:
        report = ingest(ingest_targets(), store, progress=False)
        assert report.failed == 0
    return path


@pytest.fixture(scope="module")
def server(demo_db: Path) -> Iterator[str]:
    """The reader served by uvicorn on a free loopback port, in a thread."""
    _require_chromium()
    from marsad.web import create_app

    # the test's loopback plays a trusted reverse proxy, so each browser context can be another network
    with served(create_app(demo_db, report_threshold=3, trusted_proxies=["127.0.0.1/32"])) as base:
        yield base


@pytest.fixture(scope="module")
def browser(server: str):
    with launched() as chromium:
        yield chromium


def _shot(page, name: str, full_page: bool = True) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=full_page)


def _no_overlap(page, selector: str) -> None:
    """The boxes matched by `selector` do not overlap one another."""
    boxes = [b for b in (el.bounding_box() for el in page.query_selector_all(selector)) if b]
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            apart = (
                a["x"] + a["width"] <= b["x"] + 1
                or b["x"] + b["width"] <= a["x"] + 1
                or a["y"] + a["height"] <= b["y"] + 1
                or b["y"] + b["height"] <= a["y"] + 1
            )
            assert apart, f"{selector}: {a} overlaps {b}"


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
    _no_overlap(page, ".home > section, .grid > .box")
    # the ticker pauses from the keyboard
    page.focus("#ticker-pause")
    page.keyboard.press("Space")
    assert (
        page.evaluate("getComputedStyle(document.querySelector('.ticker-track')).animationPlayState")
        == "paused"
    )
    _shot(page, "home-desktop")

    page.locator(".top-stories .story-card a").first.click()
    page.wait_for_url("**/stories/*")
    story_id = int(page.url.rsplit("/", 1)[1])
    with Store(demo_db) as store:
        story = stories.story(store, story_id)
    assert page.locator("h1").inner_text() == story.title
    assert page.locator(".outlet-group").count() == len(story.groups)
    _shot(page, "story-desktop")

    page.locator(".outlet-group .item-title").first.click()
    page.wait_for_url("**/articles/*")
    article_id = int(page.url.rsplit("/", 1)[1])
    with Store(demo_db) as store:
        item = articles.article(store, article_id)
    link = page.get_by_role("link", name="اقرأ الخبر من مصدره")
    assert link.get_attribute("href") == (item.original_url or item.url)
    _no_overlap(page, ".prev-next a")
    _shot(page, "article-desktop")

    phone = browser.new_context(viewport=PHONE, locale="ar", is_mobile=True, has_touch=True)
    small = phone.new_page()
    small.goto(server + "/")
    width = small.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the home page is {width}px wide on a {PHONE['width']}px phone"
    _shot(small, "home-phone", full_page=False)
    small.goto(server + f"/articles/{article_id}")
    assert small.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    _shot(small, "article-phone", full_page=False)
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
                _shot(page, "article-reported")
        else:
            assert page.locator("h1").inner_text() == "حُجب هذا الخبر"
            _shot(page, "article-hidden")
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
    _no_overlap(page, "table.queue tbody tr:first-child td")
    _shot(page, "admin-queue")
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
    _no_overlap(page, ".search-results > *")
    _shot(page, "search-desktop")
    context.close()
