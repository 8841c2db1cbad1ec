"""`marsad run`: one process that serves the reader, crawls on schedule and keeps the archive tidy.

Four threads:
- the main thread binds the port (a busy one is a one-line error), starts the other two, and waits for
  SIGTERM or SIGINT (or for a thread to die);
- the web thread runs uvicorn on the bound socket (uvicorn leaves signals alone off the main thread);
- the crawl thread runs, every `crawl_interval` (start to start): the housekeeping (links and index
  entries still pending from an earlier run, report attempts past the rate-limit window, crawl rounds
  older than 30 days), then one crawl round (`marsad.crawl.rounds.crawl_once`);
- the alerts thread delivers the watchlists' alerts every `watch_interval` (marsad.watch.deliver): new
  matches to their webhooks and e-mail addresses, failed ones again once their backoff has passed.

On SIGTERM or SIGINT the server stops accepting, answers the requests under way and closes; the crawl
round takes no new URL from the queue, finishes the fetches under way, ingests what it fetched and marks
it done (the rest stays queued for the next start), and records itself 'stopped'. Then the process exits 0.
Everything is logged as JSON lines on stderr (`marsad.service.logs`).
"""

from __future__ import annotations

import logging
import signal
import threading
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import timedelta
from pathlib import Path
from types import FrameType
from typing import Any

from marsad.crawl.rounds import CrawlReport, CrawlSettings, crawl_once
from marsad.ingest.pipeline import finish_pending
from marsad.service.logs import EVENT, FIELDS, event
from marsad.store import counts, pending, reports, rounds
from marsad.store.db import Store
from marsad.watch.deliver import Channels, deliver_pending
from marsad.web.listen import listen_socket
from marsad.workers import start_fork_server

log = logging.getLogger("marsad.service")

STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT)
WATCH_SECONDS = 0.5  # how often the main thread checks that the web and crawl threads are alive


@dataclass(frozen=True)
class ServiceSettings:
    db: Path
    host: str
    port: int
    crawl: CrawlSettings
    crawl_interval: timedelta
    health_crawl_age: timedelta
    web: dict[str, Any] = field(default_factory=dict)  # create_app's keywords (report limits, proxies ...)
    watch_interval: timedelta = timedelta(minutes=1)
    alerts: Channels | None = None  # how alerts leave (SMTP, webhook addresses); None: from the settings


def run(settings: ServiceSettings) -> int:
    """Serve and crawl until SIGTERM or SIGINT; 0 after a clean stop, 1 when a thread died."""
    import uvicorn

    from marsad.web import create_app

    Store(settings.db).close()  # creates the database or brings its schema up to date, once, here
    start_fork_server()  # before the threads: link and index workers come from it
    sock = listen_socket(settings.host, settings.port)  # ListenError (PortInUse) before anything starts
    app = create_app(settings.db, **settings.web)
    app.state.health_crawl_age = settings.health_crawl_age
    server = uvicorn.Server(
        uvicorn.Config(
            app,
            log_config=None,  # uvicorn's records go to the JSON lines handler
            access_log=False,  # it would write every reader's address, which Marsad never keeps
            proxy_headers=False,  # the app reads X-Forwarded-* itself, from trusted_proxies only
            server_header=False,
            timeout_graceful_shutdown=30,
        )
    )
    stop = threading.Event()
    web = _thread("marsad-web", lambda: server.run(sockets=[sock]))
    crawler = _thread("marsad-crawl", lambda: schedule(settings, stop))
    alerter = _thread("marsad-alerts", lambda: deliver_alerts(settings, stop))
    previous = _on_signals(stop, server)
    try:
        web.start()
        crawler.start()
        alerter.start()
        host, port = sock.getsockname()[:2]
        event(
            log,
            "service.started",
            db=str(settings.db),
            url=f"http://{_url_host(host)}:{port}/",
            crawl_interval=settings.crawl_interval.total_seconds(),
        )
        failed = _wait(stop, web, crawler, alerter)
        server.should_exit = True
        web.join()
        crawler.join()
        alerter.join()
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
        sock.close()
    with Store(settings.db) as store:
        left = {"queued": counts.queue_by_state(store)["queued"], "pending": pending.counts(store)}
    event(log, "service.stopped", level=logging.ERROR if failed else logging.INFO, clean=not failed, **left)
    return 1 if failed else 0


def _thread(name: str, target: Callable[[], None]) -> threading.Thread:
    """A thread whose crash is logged as an event (the main thread then sees it gone and stops)."""

    def logged() -> None:
        try:
            target()
        except BaseException:  # SystemExit too: uvicorn exits that way when it cannot start
            log.exception("%s died", name, extra=_event("service.thread_failed", thread=name))

    return threading.Thread(target=logged, name=name, daemon=True)


def _url_host(host: str) -> str:
    return f"[{host}]" if ":" in host else host


def _on_signals(stop: threading.Event, server: Any) -> dict[int, Any]:
    """SIGTERM and SIGINT set `stop`; a second one while stopping stops the server without waiting for
    open connections (the crawl still ends at its safe point). Returns the handlers replaced."""

    def handle(number: int, frame: FrameType | None) -> None:
        name = signal.Signals(number).name
        if stop.is_set():
            server.force_exit = True
            event(log, "service.stopping", signal=name, again=True)
            return
        event(log, "service.stopping", signal=name)
        stop.set()

    return {number: signal.signal(number, handle) for number in STOP_SIGNALS}


def _wait(stop: threading.Event, *threads: threading.Thread) -> bool:
    """Block until `stop` is set (a signal) or a thread has died (then set it); True in the second case."""
    while not stop.wait(WATCH_SECONDS):
        dead = [t.name for t in threads if not t.is_alive()]
        if dead:
            event(log, "service.thread_died", level=logging.ERROR, threads=dead)
            stop.set()
            return True
    return False


# --- the crawl thread --------------------------------------------------------------------------------------


def schedule(settings: ServiceSettings, stop: threading.Event) -> None:
    """Housekeeping then a crawl round, every `crawl_interval` (start to start), until `stop`."""
    with Store(settings.db) as store:
        while not stop.is_set():
            started = time.monotonic()
            housekeeping(store)
            if stop.is_set():
                break
            crawl_round(store, settings.crawl, stop.is_set)
            stop.wait(max(0.0, settings.crawl_interval.total_seconds() - (time.monotonic() - started)))


def housekeeping(store: Store) -> None:
    """Finish links and index entries an earlier run left pending, forget report attempts past the
    rate-limit window and crawl rounds past 30 days. A step that fails is logged; the others still run."""
    steps: list[tuple[str, Callable[[], dict[str, Any]]]] = [
        ("pending", lambda: _finish_pending(store)),
        ("report_attempts", lambda: {"pruned": reports.prune_attempts(store)}),
        ("crawl_rounds", lambda: {"pruned": rounds.prune(store)}),
    ]
    for name, step in steps:
        try:
            done = step()
        except Exception:
            log.exception("housekeeping step %s failed", name, extra=_event("housekeeping.failed", step=name))
            continue
        if any(done.values()):
            event(log, f"housekeeping.{name}", **done)


def _finish_pending(store: Store) -> dict[str, Any]:
    if not any(pending.counts(store).values()):
        return {}
    done = finish_pending(store)
    return {
        "linked": done.linked,
        "indexed": done.indexed,
        "failures": [f"{f.stage}: {f.reason}" for f in done.failures],
        "still_pending": pending.counts(store),
    }


def crawl_round(store: Store, settings: CrawlSettings, stop: Callable[[], bool]) -> CrawlReport | None:
    """One crawl round, logged (skipped while no outlet is crawled); a round that fails (a database locked
    too long, a bug) is logged and the next one resumes from the queue."""
    try:
        if not counts.crawled_outlets(store):
            event(log, "crawl.skipped", reason="no outlets to crawl: add one with `marsad sources add`")
            return None
        event(log, "crawl.started")
        report = crawl_once(store, settings, stop=stop)
    except Exception:
        log.exception("crawl round failed", extra=_event("crawl.failed"))
        return None
    fields = asdict(report)
    errors = fields.pop("errors")
    event(log, "crawl.finished", outcome="stopped" if stop() else "ok", **fields, errors=errors[:20])
    return report


# --- the alerts thread -------------------------------------------------------------------------------------


def deliver_alerts(settings: ServiceSettings, stop: threading.Event) -> None:
    """A delivery pass every `watch_interval` until `stop`; a pass that fails is logged, the next one
    retries what it left (nothing is lost: undelivered alerts stay in the store)."""
    channels = settings.alerts or Channels.from_settings(settings.crawl.fetch.policy)
    with Store(settings.db) as store:
        while not stop.is_set():
            try:
                report = deliver_pending(store, channels)
            except Exception:
                log.exception("alert delivery failed", extra=_event("alerts.failed"))
            else:
                if report.made or report.sent or report.failed:
                    fields = {k: v for k, v in asdict(report).items() if k != "errors"}
                    event(log, "alerts.delivered", **fields, errors=report.errors[:20])
            stop.wait(settings.watch_interval.total_seconds())


def _event(name: str, **fields: Any) -> dict[str, Any]:
    """`extra=` for a logging call that should carry an event name (an exception with its traceback)."""
    return {EVENT: name, FIELDS: fields}
