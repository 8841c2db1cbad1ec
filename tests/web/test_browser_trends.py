"""Coverage charts in headless Chromium, on the demo corpus: the thread page's chart drawn right to left in
the reader's colours, a bar's value on hover, the numbers table opening, nothing overflowing on a phone.
Screenshots go to artifacts/screenshots/ (trend-*.png)."""

from __future__ import annotations

from pathlib import Path

import pytest

from marsad.store import trends
from marsad.store.db import Store

from .conftest import DESKTOP, PHONE, SHOTS, shot

pytestmark = pytest.mark.browser


def _forum_thread(demo_db: Path) -> tuple[int, int]:
    """(the demo's largest thread, how many weeks its chart has)."""
    with Store(demo_db, readonly=True) as store:
        thread_id = store.conn.execute(
            "SELECT thread_id FROM story GROUP BY thread_id ORDER BY count(*) DESC, thread_id LIMIT 1"
        ).fetchone()[0]
        return thread_id, len(trends.for_thread(store, thread_id).periods)


def test_the_thread_chart_in_chromium(browser, server, demo_db):
    thread_id, weeks = _forum_thread(demo_db)
    # bypass_csp: the test swaps the palette with a style tag, which the reader's CSP refuses
    page = browser.new_context(viewport=DESKTOP, locale="ar", bypass_csp=True).new_page()
    page.goto(f"{server}/threads/{thread_id}")
    chart = page.locator("section.trend svg.chart")
    assert chart.is_visible()
    bars = chart.locator("rect.bar")
    assert bars.count() == weeks == 106
    first, last = bars.first.bounding_box(), bars.last.bounding_box()
    assert first["x"] > last["x"]  # the oldest week on the right
    box = chart.bounding_box()
    assert box["width"] > 600 and first["x"] + first["width"] <= box["x"] + box["width"]
    # the reader's accent colour, from its stylesheet, not the SVG's fallback
    busiest = chart.locator("rect.bar[data-start='2017-09-18']")
    assert busiest.evaluate("el => getComputedStyle(el).fill") == "rgb(11, 93, 122)"
    assert busiest.locator("title").text_content() == "أسبوع 18 سبتمبر 2017: 5 أخبار"
    assert page.locator("section.trend").evaluate("el => getComputedStyle(el).direction") == "rtl"
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.locator("section.trend").screenshot(path=str(SHOTS / "trend-thread.png"))
    # a dark palette (the reader's variables changed) is the chart's too
    page.add_style_tag(
        content=":root { --ink: #e6e9ec; --muted: #a9b4be; --line: #3a434c; --paper: #161b20; --tint: #0f1316;"
        " --accent: #6cc0e0; }"
    )
    assert busiest.evaluate("el => getComputedStyle(el).fill") == "rgb(108, 192, 224)"
    label = chart.locator("text.axis").first
    assert label.evaluate("el => getComputedStyle(el).fill") == "rgb(169, 180, 190)"
    page.locator("section.trend").screenshot(path=str(SHOTS / "trend-thread-dark.png"))
    table = page.locator("section.trend table.trend-table")
    assert not table.is_visible()
    page.locator("section.trend details.trend-numbers summary").click()
    assert table.is_visible() and table.locator("tbody tr").count() == weeks


def test_the_trends_page_on_a_phone(browser, server, demo_db):
    thread_id, _ = _forum_thread(demo_db)
    page = browser.new_context(viewport=PHONE, locale="ar").new_page()
    page.goto(f"{server}/trends?kind=thread&id={thread_id}&by=month")
    chart = page.locator("svg.chart")
    assert chart.locator("rect.bar").count() == 25
    assert chart.bounding_box()["width"] <= PHONE["width"]
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert page.locator("table.trend-table").is_visible()  # open on its own page
    shot(page, "trend-page-phone")
    page.locator("section.trend").screenshot(path=str(SHOTS / "trend-chart-phone.png"))
    # on a phone the time axis names its two ends only, large enough to read
    ends = chart.locator("text.axis:not(.mid)")
    assert [ends.nth(i).text_content() for i in range(ends.count())] == [
        "0",
        "5",
        "سبتمبر 2016",
        "سبتمبر 2018",
    ]
    assert not chart.locator("text.axis.mid").first.is_visible()
