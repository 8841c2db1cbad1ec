"""A changed feed interval applies to feeds already scheduled: `--feed-interval 1s` after a crawl under the
default 10 minutes checks the feeds again, and a longer interval puts the next check later."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from typer.testing import CliRunner

from marsad.cli import app
from marsad.crawl.rounds import CrawlSettings, crawl_once
from marsad.store.crawl import ISO_FORMAT, iso
from marsad.store.db import Store

from .conftest import add_site_outlets, make_config

TEN_MINUTES = CrawlSettings(
    fetch=make_config(), feed_interval=timedelta(minutes=10), batch_size=10, flush_seconds=0.2
)


@pytest.fixture()
def scheduled(site, tmp_path):
    """Outlets a (RSS), b (Atom + news sitemap) and c (a broken feed), crawled once every 10 minutes."""
    store = Store(tmp_path / "m.db")
    add_site_outlets(store, site)
    assert crawl_once(store, TEN_MINUTES).feeds_checked == 4
    yield store
    store.close()


def waits(store: Store) -> dict[str, timedelta]:
    """Each feed's path -> its next check minus its last check."""
    rows = store.conn.execute("SELECT url, last_checked, next_due FROM crawl_feed").fetchall()

    def parse(text: str) -> datetime:
        return datetime.strptime(text, ISO_FORMAT).replace(tzinfo=UTC)

    return {
        re.sub(r"^http://[^/]+", "", r["url"]): parse(r["next_due"]) - parse(r["last_checked"]) for r in rows
    }


def test_a_feed_is_next_checked_one_interval_after_its_check_doubled_after_a_failure(scheduled):
    assert waits(scheduled) == {
        "/rss.xml": timedelta(minutes=10),
        "/atom.xml": timedelta(minutes=10),
        "/news-sitemap.xml": timedelta(minutes=10),
        "/broken.xml": timedelta(minutes=20),  # one failed check in a row
    }
    assert crawl_once(scheduled, TEN_MINUTES).feeds_checked == 0  # none is due yet


def test_a_shorter_interval_applies_to_feeds_scheduled_under_the_longer_one(scheduled):
    assert crawl_once(scheduled, replace(TEN_MINUTES, feed_interval=timedelta(0))).feeds_checked == 4


def test_a_longer_interval_puts_off_feeds_scheduled_under_the_shorter_one(scheduled):
    crawl_once(scheduled, replace(TEN_MINUTES, feed_interval=timedelta(seconds=1)))
    assert set(waits(scheduled).values()) == {timedelta(seconds=1), timedelta(seconds=2)}
    assert crawl_once(scheduled, TEN_MINUTES).feeds_checked == 0
    assert set(waits(scheduled).values()) == {timedelta(minutes=10), timedelta(minutes=20)}


def test_feed_interval_option_of_marsad_crawl_rechecks_feeds_checked_under_ten_minutes(scheduled):
    # the round above was five seconds ago: under 10 minutes nothing is due, under 1s every feed is
    five_seconds_ago = iso(datetime.now(UTC) - timedelta(seconds=5))
    with scheduled.transaction() as conn:
        conn.execute("UPDATE crawl_feed SET last_checked = ?", (five_seconds_ago,))
    options = ["--db", str(scheduled.path), "--allow", "127.0.0.0/8", "--only-allowed", "--delay", "0"]
    for interval, checked in (("10m", 0), ("1s", 4)):
        result = CliRunner().invoke(app, ["crawl", *options, "--feed-interval", interval])
        assert result.exit_code == 0, result.output
        assert re.search(r"feeds checked\s*│\s*(\d+)", result.stdout).group(1) == str(checked), interval
