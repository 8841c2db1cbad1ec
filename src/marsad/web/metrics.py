"""`/metrics` in the Prometheus text exposition format (version 0.0.4).

Two kinds of figures:
- counts read from the store at each scrape (articles by outlet, crawl fetches and errors by outlet, the
  crawl queue, pending link and index work, failures, crawl rounds), so they equal what the database holds
  whichever process wrote it;
- the request latency histogram, kept in this process's memory by `RequestTimer` (an ASGI middleware)
  and labelled by route template ("/articles/{article_id}"), never by raw path: the label set stays small.
"""

from __future__ import annotations

import bisect
import threading
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from marsad.store import counts, pending, rounds
from marsad.store.db import Store

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
# Seconds: a cached page answers in a few milliseconds, a search over a large archive in a few hundred.
BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
UNMATCHED = "(unmatched)"  # a request no route answered (a 404): one label for every such path


@dataclass
class _Series:
    buckets: list[int] = field(default_factory=lambda: [0] * len(BUCKETS))  # not cumulative
    count: int = 0
    total: float = 0.0


class RequestLatency:
    """The request latency histogram: (route, method, status) -> observations, safe across threads."""

    def __init__(self) -> None:
        self._series: dict[tuple[str, str, str], _Series] = {}
        self._lock = threading.Lock()

    def observe(self, route: str, method: str, status: int, seconds: float) -> None:
        key = (route, method, str(status))
        with self._lock:
            series = self._series.get(key)
            if series is None:
                series = self._series[key] = _Series()
            slot = bisect.bisect_left(BUCKETS, seconds)
            if slot < len(BUCKETS):
                series.buckets[slot] += 1
            series.count += 1
            series.total += seconds

    def lines(self, name: str) -> Iterator[str]:
        with self._lock:
            snapshot = sorted(
                (k, _Series(list(s.buckets), s.count, s.total)) for k, s in self._series.items()
            )
        for (route, method, status), series in snapshot:
            labels = {"route": route, "method": method, "status": status}
            running = 0
            for bound, n in zip(BUCKETS, series.buckets, strict=True):
                running += n
                yield sample(f"{name}_bucket", running, {**labels, "le": _number(bound)})
            yield sample(f"{name}_bucket", series.count, {**labels, "le": "+Inf"})
            yield sample(f"{name}_sum", series.total, labels)
            yield sample(f"{name}_count", series.count, labels)


def route_of(scope: dict) -> str:
    """The template of the route that answered ("/stories/{story_id}"), "/static/{path}" for a file of a
    mounted app, or UNMATCHED."""
    route = scope.get("route")
    path = getattr(route, "path", None)
    if isinstance(path, str) and type(route).__name__ != "Mount":
        return path or "/"
    mounted = scope.get("root_path", "")[len(scope.get("app_root_path", "")) :]  # a Mount adds its path
    if mounted and "endpoint" in scope:
        return mounted.rstrip("/") + "/{path}"
    return UNMATCHED


class RequestTimer:
    """ASGI middleware timing each HTTP request from its arrival to the end of its answer's body. Added
    inside the others, so that it sees the scope the router fills in (the route) and HEAD as GET."""

    def __init__(self, app, latency: RequestLatency):
        self.app = app
        self.latency = latency

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500  # what the client gets when the app raises before answering
        recorded = False

        def record() -> None:
            nonlocal recorded
            if not recorded:
                recorded = True
                self.latency.observe(route_of(scope), scope["method"], status, time.perf_counter() - started)

        async def timed_send(message):
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)
            if message["type"] == "http.response.body" and not message.get("more_body"):
                record()

        try:
            await self.app(scope, receive, timed_send)
        finally:
            record()


# --- the exposition ----------------------------------------------------------------------------------------


def _escape_label(value: str) -> str:
    return value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")


def _number(value: float) -> str:
    if isinstance(value, int) or float(value).is_integer():
        return str(int(value))
    return repr(float(value))


def sample(name: str, value: float, labels: dict[str, str] | None = None) -> str:
    if not labels:
        return f"{name} {_number(value)}"
    text = ",".join(f'{key}="{_escape_label(str(v))}"' for key, v in labels.items())
    return f"{name}{{{text}}} {_number(value)}"


def family(name: str, kind: str, help: str, samples: Iterable[str]) -> list[str]:
    help_text = help.replace("\\", "\\\\").replace("\n", "\\n")
    return [f"# HELP {name} {help_text}", f"# TYPE {name} {kind}", *samples]


def exposition(store: Store, latency: RequestLatency) -> str:
    """Every metric, as the text a Prometheus server scrapes."""
    articles = counts.articles_by_outlet(store)
    fetches = counts.crawl_fetches_by_outlet(store)
    queue = counts.queue_by_state(store)
    work = pending.counts(store)
    last = rounds.last_finished(store)
    lines = [
        *family(
            "marsad_articles",
            "gauge",
            "Articles in the store.",
            [sample("marsad_articles", counts.articles(store))],
        ),
        *family(
            "marsad_outlet_articles",
            "gauge",
            "Articles in the store by outlet (its key; 0 for an outlet with none).",
            (sample("marsad_outlet_articles", o.count, {"outlet": o.key}) for o in articles),
        ),
        *family(
            "marsad_crawl_fetches_total",
            "counter",
            "Pages the crawler fetched and handed to ingest, by outlet, all time.",
            (sample("marsad_crawl_fetches_total", o.count, {"outlet": o.key}) for o, _ in fetches),
        ),
        *family(
            "marsad_crawl_errors_total",
            "counter",
            "Feed and page fetches that failed, by outlet, all time.",
            (sample("marsad_crawl_errors_total", errors, {"outlet": o.key}) for o, errors in fetches),
        ),
        *family(
            "marsad_crawl_queue_length",
            "gauge",
            "URLs waiting in the crawl queue.",
            [sample("marsad_crawl_queue_length", queue["queued"])],
        ),
        *family(
            "marsad_crawl_queue_urls",
            "gauge",
            "URLs in the crawl queue by state (queued, done, failed for good).",
            (sample("marsad_crawl_queue_urls", n, {"state": state}) for state, n in queue.items()),
        ),
        *family(
            "marsad_pending_articles",
            "gauge",
            "Stored articles still to be linked or indexed, by work.",
            (sample("marsad_pending_articles", n, {"work": kind}) for kind, n in work.items()),
        ),
        *family(
            "marsad_failures",
            "gauge",
            "Inputs kept as failures, by stage.",
            (sample("marsad_failures", n, {"stage": s}) for s, n in counts.failures_by_stage(store).items()),
        ),
        *family(
            "marsad_crawl_rounds",
            "gauge",
            f"Crawl rounds kept (the last {rounds.KEEP.days} days), by outcome.",
            (
                sample("marsad_crawl_rounds", n, {"outcome": o})
                for o, n in rounds.outcome_counts(store).items()
            ),
        ),
        *family(
            "marsad_crawl_last_round_age_seconds",
            "gauge",
            "Seconds since the last crawl round finished (absent before the first).",
            [] if last is None else [sample("marsad_crawl_last_round_age_seconds", last.age() or 0.0)],
        ),
        *family(
            "marsad_http_request_duration_seconds",
            "histogram",
            "Time from a request's arrival to the end of its answer, by route template, method and status.",
            latency.lines("marsad_http_request_duration_seconds"),
        ),
    ]
    return "\n".join(lines) + "\n"
