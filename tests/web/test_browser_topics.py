"""The topic page and index in headless Chromium on the written topic archive: right to left, the topic's
stories, outlets and latest articles shown and linked, nothing overflowing on a phone; an article lists its
topics. Screenshots go to artifacts/screenshots/ (topic*.png)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from topic_fixture import FORUM, build

from marsad.store import topics as topic_store
from marsad.store.db import Store

from .conftest import DESKTOP, PHONE, require_chromium, served, shot

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build(tmp_path_factory.mktemp("topics-browser") / "topics.db")


@pytest.fixture(scope="module")
def server(archive: Path) -> Iterator[str]:
    require_chromium()
    from marsad.web import create_app

    with served(create_app(archive)) as base:
        yield base


def _forum(archive: Path) -> int:
    with Store(archive, readonly=True) as store:
        found = topic_store.topic_by_key(store, "منتدي عالمي لمكافحه ارهاب")
        assert found is not None
        return found.id


def test_topic_page_in_chromium(browser, server: str, archive: Path) -> None:
    forum = _forum(archive)
    for name, viewport in (("topic", DESKTOP), ("topic-phone", PHONE)):
        page = browser.new_page(viewport=viewport)
        page.goto(f"{server}/topics/{forum}")
        assert page.evaluate("getComputedStyle(document.documentElement).direction") == "rtl"
        assert page.inner_text("h1") == "المنتدى العالمي لمكافحة الإرهاب"
        latest = page.eval_on_selector_all(
            "#latest-title + ul a.item-title", "els => els.map(e => e.getAttribute('href'))"
        )
        assert sorted(latest) == sorted(f"/articles/{a}" for a in FORUM)
        assert page.locator("#outlets-title + ul li").count() == 3
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        shot(page, name)
        page.close()
    page = browser.new_page(viewport=DESKTOP)
    page.goto(f"{server}/articles/1")
    page.click(f"nav.topics a[href='/topics/{forum}']")
    assert page.inner_text("h1") == "المنتدى العالمي لمكافحة الإرهاب"
    page.goto(f"{server}/topics")
    assert page.locator("ul.topics li").count() == 3
    shot(page, "topics-index")
