"""`marsad run` as a subprocess: it crawls a loopback outlet on schedule, serves the reader, /healthz and
/metrics, logs JSON lines, and on SIGTERM stops its crawl round at a safe point and exits 0 with nothing lost."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path

import httpx
from crawl.fixture_site import Resource, article_html, article_text, send

from .conftest import NewsSite, add_outlet, query


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Service:
    """`marsad run` in a subprocess, its stderr (JSON lines) in a file."""

    def __init__(
        self, db: Path, log: Path, port: int, *options: str, start_new_session: bool = False
    ) -> None:
        self.db, self.log, self.port = db, log, port
        self.url = f"http://127.0.0.1:{port}"
        args = ["run", "--db", str(db), "--port", str(port), "--crawl-interval", "1s", "--feed-interval", "0s",
                "--delay", "0", "--allow", "127.0.0.0/8", "--only-allowed", "--batch-size", "5", *options]  # fmt: skip
        with open(log, "wb") as stderr:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "marsad.cli", *args],
                stdout=subprocess.DEVNULL,
                stderr=stderr,
                env={**os.environ, "MARSAD_CRAWL_DELAY": "0"},
                start_new_session=start_new_session,  # its own process group, as a terminal makes one
            )

    def events(self, name: str | None = None) -> list[dict]:
        lines = [
            json.loads(line) for line in self.log.read_text(encoding="utf-8").splitlines() if line.strip()
        ]
        return [e for e in lines if name is None or e["event"] == name]

    def wait(self, done, what: str, timeout: float = 90.0) -> None:
        deadline = time.monotonic() + timeout
        while not done():
            assert self.process.poll() is None, f"marsad run exited: {self.log.read_text()[-3000:]}"
            assert time.monotonic() < deadline, (
                f"timed out waiting for {what}: {self.log.read_text()[-3000:]}"
            )
            time.sleep(0.1)

    def articles(self) -> int:
        try:
            return query(self.db, "SELECT count(*) FROM article")[0][0]
        except Exception:  # not created yet
            return 0

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)


def slow_page(n: int):
    def handle(handler) -> None:
        time.sleep(0.4)
        send(handler, Resource(article_html(n)))

    return handle


def test_run_crawls_on_schedule_serves_and_stops_cleanly_on_sigterm(news_site: NewsSite, tmp_path):
    db = tmp_path / "m.db"
    add_outlet(db, news_site)
    service = Service(db, tmp_path / "run.log", free_port())
    try:
        # the first round crawls the three articles the feed lists
        service.wait(lambda: any(e["articles_new"] == 3 for e in service.events("crawl.finished")), "round 1")
        stored = dict(query(db, "SELECT url, id FROM article"))
        assert set(stored) == {news_site.url(n) for n in (1, 2, 3)}

        health = httpx.get(f"{service.url}/healthz", timeout=30)
        assert health.status_code == 200, health.text
        report = health.json()
        assert report["status"] == "ok" and report["reasons"] == []
        assert report["store"]["articles"] == 3 and report["index"]["documents"] == 3
        assert report["crawl"]["outlets"] == 1
        assert report["crawl"]["last_round"]["outcome"] == "ok"

        page = httpx.get(f"{service.url}/articles/{stored[news_site.url(2)]}", timeout=30)
        assert page.status_code == 200 and 'lang="ar"' in page.text and 'dir="rtl"' in page.text
        assert article_text(2)[0] in page.text
        assert httpx.get(f"{service.url}/", timeout=30).status_code == 200
        metrics = httpx.get(f"{service.url}/metrics", timeout=30).text
        assert 'marsad_outlet_articles{outlet="127.0.0.7"} 3' in metrics.splitlines()

        # on schedule: the next rounds read the feed again and take what it lists since
        news_site.publish(range(4, 6))
        service.wait(lambda: service.articles() == 5, "articles 4 and 5")
        starts = [datetime.fromisoformat(e["time"]) for e in service.events("crawl.started")]
        assert len(starts) >= 2
        gaps = [(b - a).total_seconds() for a, b in zip(starts, starts[1:], strict=False)]
        assert all(gap >= 0.8 for gap in gaps), (
            gaps
        )  # every 1s, start to start (less the housekeeping's jitter)

        # SIGTERM while a round fetches slow pages: it stops at a safe point
        news_site.publish(range(6, 26), page=slow_page)
        service.wait(lambda: len(news_site.pages_served()) >= 7, "two slow pages fetched")
        service.process.send_signal(signal.SIGTERM)
        assert service.process.wait(timeout=90) == 0
    finally:
        service.stop()

    served = news_site.pages_served()
    urls = {row[0] for row in query(db, "SELECT url FROM article")}
    assert served <= urls  # every page fetched was stored, none half-way
    states = dict(query(db, "SELECT state, count(*) FROM crawl_queue GROUP BY state"))
    assert states["done"] == len(served) < 25  # stopped before the queue was drained ...
    assert states["queued"] == 25 - len(served)  # ... the rest waits for the next start
    assert query(db, "SELECT count(*) FROM pending_work") == [(0,)]  # linked and indexed
    assert query(db, "SELECT outcome FROM crawl_round ORDER BY id DESC LIMIT 1") == [("stopped",)]

    events = service.events()
    assert all({"time", "level", "event"} <= set(e) for e in events)
    assert [e["signal"] for e in service.events("service.stopping")] == ["SIGTERM"]
    stopped = service.events("service.stopped")
    assert stopped == [stopped[0]] and stopped[0]["clean"] is True
    assert stopped[0]["queued"] == 25 - len(served) and stopped[0]["pending"] == {"link": 0, "index": 0}
    assert not [e for e in events if e["level"] in ("error", "critical")]


def test_run_on_a_busy_port_says_which_option_to_change(tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run(
            [sys.executable, "-m", "marsad.cli", "run", "--db", str(tmp_path / "m.db"), "--port", str(port)],
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert result.returncode == 1
    assert result.stderr.strip().splitlines()[-1] == (
        f"error: port {port} is already in use on 127.0.0.1 (is Marsad already serving there?); choose another"
        f" with --port, e.g. --port {port + 1}"
    )


def test_run_without_outlets_serves_and_stops_on_ctrl_c(tmp_path):
    service = Service(tmp_path / "m.db", tmp_path / "run.log", free_port(), "--crawl-interval", "1h")
    try:
        service.wait(lambda: service.events("crawl.skipped"), "the first (skipped) round")
        health = httpx.get(f"{service.url}/healthz", timeout=30)
        assert health.status_code == 200  # nothing crawled, nothing expected: healthy
        assert health.json()["crawl"] == {
            "outlets": 0,
            "queued": 0,
            "running_since": None,
            "last_round": None,
        }
        started = time.monotonic()
        service.process.send_signal(signal.SIGINT)  # waiting an hour for its next round: it stops at once
        assert service.process.wait(timeout=60) == 0
        assert time.monotonic() - started < 30
    finally:
        service.stop()
    (skipped,) = service.events("crawl.skipped")
    assert skipped["reason"] == "no outlets to crawl: add one with `marsad sources add`"
    assert [e["signal"] for e in service.events("service.stopping")] == ["SIGINT"]
    assert service.events("service.stopped")[0]["clean"] is True


def test_ctrl_c_at_a_terminal_stops_the_whole_group_cleanly(news_site: NewsSite, tmp_path):
    """A terminal's Ctrl-C sends SIGINT to every process of the group, the link workers included: the
    crawl round still ends at its safe point with every fetched page linked and indexed."""
    db = tmp_path / "m.db"
    news_site.publish(range(4, 30), page=slow_page)
    add_outlet(db, news_site)
    service = Service(db, tmp_path / "run.log", free_port(), start_new_session=True)
    try:
        service.wait(lambda: service.articles() >= 3 and len(news_site.pages_served()) >= 6, "a batch stored")
        os.killpg(service.process.pid, signal.SIGINT)
        assert service.process.wait(timeout=90) == 0
    finally:
        service.stop()
    served = news_site.pages_served()
    assert {row[0] for row in query(db, "SELECT url FROM article")} == served
    assert query(db, "SELECT count(*) FROM pending_work") == [(0,)]
    assert query(db, "SELECT stage, reason FROM failure") == []
    assert not [e for e in service.events() if e["level"] in ("error", "critical")]
