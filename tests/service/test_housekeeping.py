"""What `marsad run` does between crawl rounds, and how its crawl round stops: in process, on a loopback
outlet."""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import UTC, datetime, timedelta

from marsad.crawl.rounds import crawl_once
from marsad.search.index import document_count
from marsad.service.logs import FIELDS
from marsad.service.runner import housekeeping
from marsad.store import crawl as crawl_store
from marsad.store import pending
from marsad.store.db import Store

from .conftest import NewsSite
from .test_ops import SETTINGS
from .test_run import slow_page


def stamp(moment: datetime, micro: bool = True) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ" if micro else "%Y-%m-%dT%H:%M:%SZ")


def test_housekeeping_finishes_pending_work_and_forgets_what_counts_no_more(
    news_site: NewsSite, tmp_path, caplog
):
    now = datetime.now(UTC)
    with Store(tmp_path / "m.db") as store:
        crawl_store.add_outlet(
            store, "127.0.0.7", "Outlet S", news_site.base + "/", [(news_site.base + "/rss", "feed")]
        )
        crawl_once(store, replace(SETTINGS, link=False, index=False))
        assert pending.counts(store) == {
            "link": 3,
            "index": 3,
        }  # stored, as a run killed before linking leaves them
        store.conn.executemany(
            "INSERT INTO report_attempt(client, created_at) VALUES (?, ?)",
            [("a", stamp(now - timedelta(hours=2))), ("b", stamp(now - timedelta(minutes=61))),
             ("a", stamp(now - timedelta(minutes=5)))],
        )  # fmt: skip
        store.conn.execute(
            "INSERT INTO crawl_round(started_at, finished_at, outcome) VALUES (?, ?, 'ok')",
            (stamp(now - timedelta(days=40), False), stamp(now - timedelta(days=40), False)),
        )
        with caplog.at_level(logging.INFO, logger="marsad.service"):
            housekeeping(store)

        assert pending.counts(store) == {"link": 0, "index": 0}
        assert document_count(store) == 3
        linked = store.conn.execute("SELECT count(*) FROM article WHERE story_id IS NOT NULL").fetchone()[0]
        assert linked == 3
        attempts = store.conn.execute("SELECT client FROM report_attempt").fetchall()
        assert [r[0] for r in attempts] == ["a"]  # only the one within the hour's window stays
        kept = store.conn.execute("SELECT outcome FROM crawl_round ORDER BY id").fetchall()
        assert [r[0] for r in kept] == ["ok"]  # the round just crawled; the one of 40 days ago went
    events = {r.msg: getattr(r, FIELDS) for r in caplog.records if hasattr(r, FIELDS)}
    assert events == {
        "housekeeping.pending": {
            "linked": 3, "indexed": 3, "failures": [], "still_pending": {"link": 0, "index": 0},
        },
        "housekeeping.report_attempts": {"pruned": 2},
        "housekeeping.crawl_rounds": {"pruned": 1},
    }  # fmt: skip


def test_a_round_asked_to_stop_takes_no_new_url_and_keeps_what_it_fetched(news_site: NewsSite, tmp_path):
    news_site.publish(range(4, 12), page=slow_page)
    with Store(tmp_path / "m.db") as store:
        crawl_store.add_outlet(
            store, "127.0.0.7", "Outlet S", news_site.base + "/", [(news_site.base + "/rss", "feed")]
        )
        report = crawl_once(store, SETTINGS, stop=lambda: len(news_site.pages_served()) >= 5)
        stored = {r[0] for r in store.conn.execute("SELECT url FROM article")}
        states = dict(store.conn.execute("SELECT state, count(*) FROM crawl_queue GROUP BY state").fetchall())
        outcome = store.conn.execute("SELECT outcome FROM crawl_round").fetchall()
    served = news_site.pages_served()
    assert len(served) == 5  # the stop came with the fifth page: no sixth was asked for
    assert stored == served and report.articles_new == 5
    assert states == {"done": 5, "queued": 6}
    assert [r[0] for r in outcome] == ["stopped"]
