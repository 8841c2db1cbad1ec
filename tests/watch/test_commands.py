"""`marsad watch add|list|remove|run`, and `marsad run`'s alerts thread delivering on its own."""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
import time
from datetime import timedelta
from pathlib import Path

from typer.testing import CliRunner

from marsad.cli import app
from marsad.crawl.rounds import CrawlSettings
from marsad.service.runner import ServiceSettings, deliver_alerts
from marsad.sources.http.safety import AddressPolicy
from marsad.store import watchlists
from marsad.store.db import Store
from marsad.watch.deliver import Channels
from marsad.watch.follow import Follow, create
from tests.watch.conftest import FIRST, QUERY, SECOND, SECOND_MATCHING_QUERY, ids_of, ingest_batch, receiver


def _cli(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.output


def test_add_list_run_and_remove_on_the_command_line(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("MARSAD_BASE_URL", "https://news.example")
    db = tmp_path / "w.db"
    with Store(db) as store:
        ingest_batch(store, tmp_path, "first", FIRST)
    with receiver() as (url, got):
        code, out = _cli("watch", "add", "طنجة", QUERY, "--webhook", url, "--json", "--db", str(db))
        assert code == 0, out
        made = json.loads(out)
        assert set(made) == {"id", "name", "feed_url", "secret"} and made["name"] == "طنجة"
        with Store(db) as store:
            w = watchlists.get(store, made["id"])
            assert w is not None
            assert made["feed_url"] == f"https://news.example/feeds/watch/{w.feed_token}.atom"
            ingest_batch(store, tmp_path, "second", SECOND)
            expected = ids_of(store, SECOND_MATCHING_QUERY)

        code, out = _cli("watch", "list", "--json", "--db", str(db))
        (listed,) = json.loads(out)
        assert (listed["id"], listed["kind"], listed["query"], listed["matches"]) == (
            w.id,
            "search",
            QUERY,
            4,
        )

        code, out = _cli("watch", "run", "--db", str(db))  # loopback is refused without --allow
        assert code == 1 and "1 failed" in out
        code, out = _cli("watch", "run", "--allow", "127.0.0.0/8", "--db", str(db))
        assert code == 0 and out.strip() == "0 alerts made up, 0 sent, 0 failed"  # the retry is not due yet
    assert got.posts == []
    with Store(db) as store:
        (attempt,) = watchlists.attempts(store, w.id)
        (delivery,) = watchlists.deliveries(store, w.id)
    assert (attempt.status, delivery.status, sorted(delivery.articles)) == ("failed", "pending", expected)

    code, out = _cli("watch", "add", "x", '"طنجة', "--db", str(db))
    assert code == 2 and "never closes" in out
    code, out = _cli("watch", "remove", "طنجة", "--db", str(db))
    assert code == 0 and out.strip() == f"removed watchlist {w.id} (طنجة)"


def test_marsad_runs_alerts_thread_delivers_on_its_own(tmp_path: Path) -> None:
    db = tmp_path / "w.db"
    with receiver() as (url, got):
        with Store(db) as store:
            ingest_batch(store, tmp_path, "first", FIRST)
            w = create(store, "طنجة", Follow(query=QUERY), webhook=url)
            ingest_batch(store, tmp_path, "second", SECOND)
            expected = ids_of(store, SECOND_MATCHING_QUERY)
        settings = ServiceSettings(
            db=db,
            host="127.0.0.1",
            port=0,
            crawl=CrawlSettings(),
            crawl_interval=timedelta(minutes=10),
            health_crawl_age=timedelta(hours=1),
            watch_interval=timedelta(seconds=0.2),
            alerts=Channels(policy=AddressPolicy.from_strings(["127.0.0.0/8"], public=False)),
        )
        stop = threading.Event()
        thread = threading.Thread(target=deliver_alerts, args=(settings, stop))
        thread.start()
        deadline = time.monotonic() + 30
        while not got.posts and time.monotonic() < deadline:
            time.sleep(0.05)
        stop.set()
        thread.join(10)
    assert not thread.is_alive()
    (headers, body), *rest = got.posts
    assert rest == []
    assert (
        headers["x-marsad-signature"]
        == "sha256=" + hmac.new(w.secret.encode(), body, hashlib.sha256).hexdigest()
    )
    assert sorted(a["id"] for a in json.loads(body)["articles"]) == expected
