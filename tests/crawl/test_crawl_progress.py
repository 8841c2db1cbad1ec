"""A crawl round's progress never sits silent: while its count of pages does not move (checking feeds,
waiting for a batch, storing one) the report's `stage` says what the round is doing."""

from __future__ import annotations

import re
from dataclasses import replace

from marsad.crawl.rounds import CrawlReport, crawl_once
from marsad.store.db import Store

from .conftest import add_site_outlets
from .test_crawl_rounds import SETTINGS


def test_each_phase_of_a_round_is_told_with_the_pages_fetched_so_far(site, tmp_path):
    store = Store(tmp_path / "m.db")
    add_site_outlets(store, site, broken=False)
    seen: list[tuple[str, int]] = []

    def note(report: CrawlReport) -> None:
        seen.append((report.stage, report.pages_received))

    report = crawl_once(store, replace(SETTINGS, batch_size=5), on_progress=note)
    store.close()
    stages = [stage for stage, _ in seen]
    assert stages[:3] == [
        "checking 3 feeds and sitemaps (and their sites' robots.txt)",
        "",  # the feeds are checked, the URLs they list queued
        "fetching the queued pages",
    ]
    assert stages[-1] == ""
    # 8 pages queued (one refused by robots.txt): stored in batches of at most 5, each batch announced
    stored = [int(m.group(1)) for s in stages if (m := re.fullmatch(r"storing (\d+) pages \(.*\)", s))]
    assert sum(stored) == 8 and max(stored) <= 5
    assert report.pages_received == 8 and (report.pages_fetched, report.pages_failed) == (7, 1)
    # what the count says while waiting for a batch: pages fetched, not yet stored
    for stage, received in seen:
        if m := re.fullmatch(r"fetching the queued pages, (\d+) waiting to be stored", stage):
            assert 1 <= int(m.group(1)) <= received
    assert [received for _, received in seen] == sorted(received for _, received in seen)
