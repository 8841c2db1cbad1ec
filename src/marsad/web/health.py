"""`/healthz`: whether this archive can serve and is being kept up to date, and if not, why.

Three parts, each read afresh: the store (it opens, its schema version, its article count), the search index
(it opens, its documents, the articles still to be indexed) and the crawl (the last finished round: time,
outcome, age; the queue). Unhealthy, with the reasons, when the store cannot be read, when the index
cannot be opened although there are articles to search, when the last round failed, or when outlets are
crawled and no round has finished within the `health_crawl_age` setting.
"""

from __future__ import annotations

import sqlite3
from datetime import timedelta
from typing import Any

from marsad.search.errors import SearchError
from marsad.search.index import document_count
from marsad.store import counts, pending, rounds
from marsad.store.db import Store


def check(store: Store, max_crawl_age: timedelta) -> tuple[bool, dict[str, Any]]:
    """(healthy, the report /healthz answers with)."""
    reasons: list[str] = []
    report: dict[str, Any] = {}
    try:
        report["store"] = {
            "ok": True,
            "schema_version": store.schema_version(),
            "articles": counts.articles(store),
        }
    except sqlite3.Error as error:
        report["store"] = {"ok": False, "error": str(error)}
        reasons.append(f"the database cannot be read: {error}")
        return False, {"status": "unhealthy", "reasons": reasons, **report}
    report["index"] = _index(store, report["store"]["articles"], reasons)
    report["crawl"] = _crawl(store, max_crawl_age, reasons)
    return not reasons, {"status": "unhealthy" if reasons else "ok", "reasons": reasons, **report}


def _index(store: Store, articles: int, reasons: list[str]) -> dict[str, Any]:
    waiting = pending.counts(store)
    try:
        documents = document_count(store)
    except SearchError as error:
        if articles:  # with nothing stored yet there is nothing to search, and the first ingest builds it
            reasons.append(f"the search index cannot be used: {error}")
        return {"ok": False, "error": str(error), "documents": 0, **_waiting(waiting)}
    return {"ok": True, "documents": documents, **_waiting(waiting)}


def _waiting(waiting: dict[str, int]) -> dict[str, int]:
    return {"pending": waiting["index"], "pending_link": waiting["link"]}


def _crawl(store: Store, max_age: timedelta, reasons: list[str]) -> dict[str, Any]:
    outlets = counts.crawled_outlets(store)
    last = rounds.last_finished(store)
    under_way = rounds.running(store)
    out: dict[str, Any] = {
        "outlets": outlets,
        "queued": counts.queue_by_state(store)["queued"],
        "running_since": under_way.started_at if under_way else None,
        "last_round": None,
    }
    if last is not None:
        age = round(last.age() or 0.0, 1)
        out["last_round"] = {
            "started_at": last.started_at,
            "finished_at": last.finished_at,
            "outcome": last.outcome,
            "error": last.error,
            "age_seconds": age,
            **last.counts,
        }
        if last.outcome == "failed":
            reasons.append(f"the last crawl round failed: {last.error}")
    if outlets and not _fresh(last, under_way, max_age.total_seconds()):
        reasons.append(_stale(last, under_way, max_age.total_seconds()))
    return out


def _fresh(last: rounds.Round | None, under_way: rounds.Round | None, limit: float) -> bool:
    """A round finished within `limit` seconds, or one started within it is under way."""
    finished = last is not None and (last.age() or 0.0) <= limit
    return finished or (under_way is not None and under_way.running_for() <= limit)


def _stale(last: rounds.Round | None, under_way: rounds.Round | None, limit: float) -> str:
    if last is None and under_way is None:
        return "outlets are crawled but no crawl round has run yet"
    if last is None:
        assert under_way is not None
        return f"the first crawl round has run for {under_way.running_for():.0f} s without finishing"
    return f"the last crawl round finished {last.age() or 0.0:.0f} s ago, more than {limit:g} s (health_crawl_age)"
