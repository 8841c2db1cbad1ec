"""The reader's details in headless Chromium: relative times on a listing, the favicon, the API docs under
the reader's CSP, and the no-results page. Screenshots go to artifacts/screenshots/."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest

from marsad.web import create_app, present

from .conftest import DESKTOP, PHONE, build_archive, require_chromium, served, shot
from .test_reader_details import _recent

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def reader(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The test archive with articles published 2 hours, 26 hours, 3 and 40 days ago, served."""
    require_chromium()
    path = build_archive(tmp_path_factory.mktemp("times") / "reader.db")
    _recent(path, datetime.now(UTC))
    with served(create_app(path)) as base:
        yield base


def _watch(page, base: str) -> tuple[list[str], list[str]]:
    """(console errors, requests to any other site) of `page`, as they come."""
    errors: list[str] = []
    elsewhere: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("request", lambda r: None if r.url.startswith((base, "data:")) else elsewhere.append(r.url))
    return errors, elsewhere


def test_a_listing_shows_relative_times_and_the_favicon(browser, reader):
    context = browser.new_context(viewport=DESKTOP, locale="ar")
    page = context.new_page()
    errors, elsewhere = _watch(page, reader)
    page.goto(reader + "/outlets/4")
    times = page.locator(".list .item time")
    texts = times.all_inner_texts()
    assert texts[:3] == ["منذ ساعتين", "أمس", "منذ 3 أيام"]
    two_hours = times.nth(0)
    assert two_hours.get_attribute("title") == present.arabic_date(
        two_hours.get_attribute("datetime"), "minute"
    )
    assert texts[3] == present.arabic_date(times.nth(3).get_attribute("datetime"), "minute")  # 40 days ago
    assert times.nth(3).get_attribute("title") is None
    assert page.evaluate("getComputedStyle(document.querySelector('.list .item time')).direction") == "rtl"
    # the icon the page links, and /favicon.ico, decode as images in the browser
    icon = page.evaluate("document.querySelector('link[rel=icon]').href")
    assert icon == reader + "/static/favicon.svg"
    sizes = page.evaluate(
        """async (urls) => Promise.all(urls.map(url => new Promise((done, fail) => {
            const img = new Image(); img.onload = () => done([img.naturalWidth, img.naturalHeight]);
            img.onerror = () => fail(url); img.src = url; })))""",
        [icon, reader + "/favicon.ico"],
    )
    assert sizes == [[64, 64], [64, 64]]
    shot(page, "outlet-relative-times", full_page=False)
    assert errors == [] and elsewhere == []
    page.goto(reader + "/favicon.ico")
    shot(page, "favicon", full_page=False)

    phone = browser.new_context(viewport=PHONE, locale="ar", is_mobile=True, has_touch=True)
    small = phone.new_page()
    small.goto(reader + "/")
    assert small.locator(".latest time.ago").first.inner_text() == "منذ ساعتين"
    assert small.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    shot(small, "home-relative-times-phone", full_page=False)
    phone.close()
    context.close()


def test_api_docs_render_under_the_readers_csp_from_local_assets(browser, reader):
    context = browser.new_context(viewport=DESKTOP, locale="ar")
    page = context.new_page()
    errors, elsewhere = _watch(page, reader)
    page.goto(reader + "/docs")
    page.wait_for_selector("#swagger-ui .opblock")
    paths = page.locator("#swagger-ui .opblock-summary-path").all_inner_texts()
    assert "/api/v1/articles" in paths and "/api/v1/search" in paths
    assert page.locator("#swagger-ui .title").first.inner_text().startswith("Marsad API")
    # one operation tried from the page: it calls the reader itself
    page.locator("#operations-reader-list_outlets_api_v1_outlets_get .opblock-summary").click()
    page.get_by_role("button", name="Try it out").click()
    page.get_by_role("button", name="Execute").click()
    page.wait_for_selector(
        "#operations-reader-list_outlets_api_v1_outlets_get .live-responses-table tbody .response-col_status"
    )
    status = page.locator(
        "#operations-reader-list_outlets_api_v1_outlets_get .live-responses-table tbody .response-col_status"
    ).first.inner_text()
    assert status.strip() == "200"
    shot(page, "api-docs", full_page=False)
    assert errors == [], errors  # no CSP violation, no script error
    assert elsewhere == []  # no CDN, no validator badge
    context.close()


def test_no_results_page(browser, reader):
    context = browser.new_context(viewport=DESKTOP, locale="ar")
    page = context.new_page()
    page.goto(reader + "/search?q=" + "زلزال")
    assert page.locator("#res-title").inner_text() == "لم نجد أي خبر يطابق «زلزال»."
    assert page.locator(".no-results li").count() == 4
    assert page.locator(".facets").count() == 0
    shot(page, "search-no-results", full_page=False)
    context.close()
