"""/healthz and /metrics on an archive a real crawl filled (a loopback outlet with a missing page and a
failing one, another with a broken feed): every figure equals the count read from the store."""

from __future__ import annotations

import re
import shutil
from datetime import timedelta

import pytest
from crawl.fixture_site import Outlet, Resource, rss
from fastapi.testclient import TestClient
from prometheus_client.parser import text_string_to_metric_families

from marsad.crawl.rounds import CrawlSettings, crawl_once
from marsad.search.index import index_path
from marsad.sources.http.fetcher import FetchConfig
from marsad.sources.http.safety import AddressPolicy
from marsad.store import crawl as crawl_store
from marsad.store.db import Store
from marsad.web import create_app
from marsad.web import health as health_check

from .conftest import NewsSite

LOOPBACK = AddressPolicy.from_strings(["127.0.0.0/8"], public=False)
SETTINGS = CrawlSettings(
    fetch=FetchConfig(delay=0.0, total_timeout=10.0, read_timeout=10.0, retries=0, policy=LOOPBACK),
    feed_interval=timedelta(0),
)


@pytest.fixture()
def crawled(news_site: NewsSite, tmp_path):
    """An archive after one crawl round of two outlets: S (three articles, a page that answers 404 and one
    that answers 500) and B (a broken feed)."""
    news_site.outlet.routes["/s/missing.html"] = Resource(b"gone", "text/plain", 404)
    news_site.outlet.routes["/s/busy.html"] = Resource(b"busy", "text/plain", 500)
    items = [(f"/s/{n}.html", f"خبر {n}") for n in (1, 2, 3)] + [
        ("/s/missing.html", "x"),
        ("/s/busy.html", "y"),
    ]
    news_site.outlet.routes["/rss"] = Resource(rss(news_site.base, items), "application/rss+xml")
    broken = Outlet([], "127.0.0.9")
    broken.routes["/feed.xml"] = Resource(b"<rss><channel><item><title>x</ti", "application/rss+xml")
    broken.start()
    db = tmp_path / "m.db"
    with Store(db) as store:
        crawl_store.add_outlet(
            store, "127.0.0.7", "Outlet S", news_site.base + "/", [(news_site.base + "/rss", "feed")]
        )
        crawl_store.add_outlet(
            store, "127.0.0.9", "Outlet B", broken.base + "/", [(broken.base + "/feed.xml", "feed")]
        )
        report = crawl_once(store, SETTINGS)
    broken.stop()
    assert (report.articles_new, report.pages_failed, report.pages_retry, report.feeds_failed) == (3, 1, 1, 1)
    return db


def scalar(db, sql: str, params: tuple = ()) -> int:
    with Store(db) as store:
        return store.conn.execute(sql, params).fetchone()[0]


def parsed(text: str) -> dict[tuple[str, tuple], float]:
    """(sample name, sorted labels) -> value, through prometheus_client's parser (which refuses bad text)."""
    return {
        (s.name, tuple(sorted(s.labels.items()))): s.value
        for family in text_string_to_metric_families(text)
        for s in family.samples
    }


def test_healthz_reports_the_store_the_index_and_the_last_round(crawled):
    client = TestClient(create_app(crawled))
    answer = client.get("/healthz")
    assert answer.status_code == 200, answer.text
    report = answer.json()
    articles = scalar(crawled, "SELECT count(*) FROM article")
    assert articles == 3
    assert report["status"] == "ok" and report["reasons"] == []
    assert report["store"] == {
        "ok": True,
        "schema_version": scalar(crawled, "SELECT max(version) FROM schema_version"),
        "articles": articles,
    }
    assert report["index"] == {"ok": True, "documents": articles, "pending": 0, "pending_link": 0}
    crawl = report["crawl"]
    assert crawl["outlets"] == 2 and crawl["running_since"] is None
    assert crawl["queued"] == scalar(crawled, "SELECT count(*) FROM crawl_queue WHERE state = 'queued'") == 1
    last = crawl["last_round"]
    assert (last["outcome"], last["error"], last["articles_new"], last["pages_fetched"]) == ("ok", None, 3, 3)
    assert (last["feeds_checked"], last["feeds_failed"], last["pages_failed"]) == (2, 1, 1)
    assert 0 <= last["age_seconds"] < 60
    assert answer.headers["cache-control"] == "no-store"


def test_healthz_answers_503_with_the_reason(crawled):
    app = create_app(crawled)
    client = TestClient(app)
    with Store(crawled) as store:  # the last round finished two hours ago: the crawler is not running
        store.conn.execute("UPDATE crawl_round SET finished_at = '2000-01-01T00:00:00Z'")
    answer = client.get("/healthz")
    assert answer.status_code == 503
    (reason,) = answer.json()["reasons"]
    assert reason.startswith("the last crawl round finished ") and reason.endswith(
        " s ago, more than 3600 s (health_crawl_age)"
    )

    app.state.health_crawl_age = timedelta(days=365 * 100)  # as `marsad run --health-crawl-age` sets it
    assert client.get("/healthz").status_code == 200
    with Store(crawled) as store:
        store.conn.execute(
            "UPDATE crawl_round SET outcome = 'failed', error = 'OperationalError: disk I/O error'"
        )
    assert client.get("/healthz").json()["reasons"] == [
        "the last crawl round failed: OperationalError: disk I/O error"
    ]

    with Store(crawled) as store:
        store.conn.execute("DELETE FROM crawl_round")
        shutil.rmtree(index_path(store))
    answer = client.get("/healthz")
    assert answer.status_code == 503
    missing = f"no search index at {crawled}.index: run `marsad reindex`"
    assert answer.json()["index"] == {
        "ok": False,
        "error": missing,
        "documents": 0,
        "pending": 0,
        "pending_link": 0,
    }
    assert answer.json()["reasons"] == [
        f"the search index cannot be used: no search index at {crawled}.index: run `marsad reindex`",
        "outlets are crawled but no crawl round has run yet",
    ]


def test_health_of_a_store_that_cannot_be_read(tmp_path):
    store = Store(tmp_path / "m.db")
    store.close()
    healthy, report = health_check.check(store, timedelta(hours=1))
    assert not healthy
    assert report["reasons"] == ["the database cannot be read: Cannot operate on a closed database."]


def test_metrics_equal_the_counts_in_the_store(crawled):
    client = TestClient(create_app(crawled))
    answer = client.get("/metrics")
    assert answer.status_code == 200
    assert answer.headers["content-type"] == "text/plain; version=0.0.4; charset=utf-8"
    values = parsed(answer.text)

    def value(name: str, **labels: str) -> float:
        return values[(name, tuple(sorted(labels.items())))]

    count = lambda sql, *params: scalar(crawled, sql, params)  # noqa: E731
    assert value("marsad_articles") == count("SELECT count(*) FROM article") == 3
    outlets = {"127.0.0.7": 3, "127.0.0.9": 0}
    for key, articles in outlets.items():
        in_store = count(
            "SELECT count(*) FROM article a JOIN source s ON s.id = a.source_id WHERE s.key = ?", key
        )
        assert in_store == articles
        assert value("marsad_outlet_articles", outlet=key) == in_store
    health_row = "SELECT {} FROM crawl_health h JOIN source s ON s.id = h.source_id WHERE s.key = ?"
    # S: three pages fetched; the 404 and the 500 are its errors. B: its broken feed.
    for key, pages, errors in (("127.0.0.7", 3, 2), ("127.0.0.9", 0, 1)):
        assert (
            value("marsad_crawl_fetches_total", outlet=key) == count(health_row.format("pages"), key) == pages
        )
        assert (
            value("marsad_crawl_errors_total", outlet=key)
            == count(health_row.format("errors"), key)
            == errors
        )
    for state, n in (("queued", 1), ("done", 3), ("failed", 1)):
        assert (
            value("marsad_crawl_queue_urls", state=state)
            == count("SELECT count(*) FROM crawl_queue WHERE state = ?", state)
            == n
        )
    assert value("marsad_crawl_queue_length") == 1
    for work in ("link", "index"):
        assert (
            value("marsad_pending_articles", work=work)
            == count("SELECT count(*) FROM pending_work WHERE kind = ?", work)
            == 0
        )
    for stage, n in (("fetch", 1), ("read", 1)):
        assert (
            value("marsad_failures", stage=stage)
            == count("SELECT count(*) FROM failure WHERE stage = ?", stage)
            == n
        )
    assert value("marsad_crawl_rounds", outcome="ok") == count("SELECT count(*) FROM crawl_round") == 1
    assert 0 <= value("marsad_crawl_last_round_age_seconds") < 60


def test_request_latency_is_labelled_by_route_template(crawled):
    client = TestClient(create_app(crawled))
    first, second = (r[0] for r in Store(crawled).conn.execute("SELECT id FROM article ORDER BY id LIMIT 2"))
    for path in (f"/articles/{first}", f"/articles/{second}", "/no/such/page", "/static/marsad.css"):
        client.get(path)
    client.head(f"/articles/{first}")
    text = client.get("/metrics").text
    values = parsed(text)
    histogram = "marsad_http_request_duration_seconds"
    counted = {
        dict(labels)["route"]: (dict(labels)["method"], dict(labels)["status"], value)
        for (name, labels), value in values.items()
        if name == f"{histogram}_count"
    }
    assert counted == {
        "/articles/{article_id}": ("GET", "200", 3),  # HEAD is answered as GET
        "(unmatched)": ("GET", "404", 1),
        "/static/{path}": ("GET", "200", 1),
    }
    labels = (("method", "GET"), ("route", "/articles/{article_id}"), ("status", "200"))
    buckets = sorted(
        (float(dict(k)["le"]), v) for (name, k), v in values.items() if name == f"{histogram}_bucket" and
        tuple(p for p in k if p[0] != "le") == labels
    )  # fmt: skip
    assert [v for _, v in buckets] == sorted(v for _, v in buckets) and buckets[-1] == (float("inf"), 3)
    assert values[(f"{histogram}_sum", labels)] > 0
    assert f"/articles/{first}" not in text and "/no/such/page" not in text  # never a raw path


SAMPLE = re.compile(
    r'([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\[\\"n])*"'
    r'(?:,[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\[\\"n])*")*\})? (-?[0-9]+(?:\.[0-9]+)?(?:e[+-]?[0-9]+)?)'
)


def test_metrics_text_is_well_formed(crawled):
    """Beyond the parser: each family has one HELP and one TYPE before its samples, every sample line is
    exact (name, quoted and escaped labels, a number) and no series appears twice."""
    client = TestClient(create_app(crawled))
    client.get("/")
    text = client.get("/metrics").text
    assert text.endswith("\n")
    declared: dict[str, str] = {}
    helped: set[str] = set()
    series: set[str] = set()
    for line in text.splitlines():
        if line.startswith("# HELP "):
            name = line.split(" ", 3)[2]
            assert name not in helped and name not in declared, line
            helped.add(name)
        elif line.startswith("# TYPE "):
            _, _, name, kind = line.split(" ")
            assert name in helped and name not in declared and kind in ("counter", "gauge", "histogram"), line
            declared[name] = kind
        else:
            match = SAMPLE.fullmatch(line)
            assert match, line
            name = match[1]
            family = re.sub(r"_(bucket|sum|count)$", "", name) if name not in declared else name
            assert family in declared, line
            assert declared[family] != "counter" or name.endswith("_total"), line
            key = f"{name}{match[2] or ''}"
            assert key not in series, line
            series.add(key)
    assert set(declared) == helped and len(declared) == 11
