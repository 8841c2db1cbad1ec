"""The operator's work from the web, shared by the admin pages and the admin API: outlets to crawl (added by
their site's address with feed discovery, paused, resumed, removed), OPML in and out, the failures and the
crawl queue; and how the admin pages write times and the moderation log's notes in Arabic."""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from typing import Any

from fastapi import HTTPException

from marsad.crawl import outlets as crawl_outlets
from marsad.crawl.outlets import AddedOutlet, OutletError
from marsad.settings import SettingError, Settings
from marsad.sources.http.fetcher import Fetcher
from marsad.store import crawl as crawl_store
from marsad.store import reports
from marsad.web.context import Reader
from marsad.web.moderation import READ_ONLY
from marsad.web.present import MONTHS_AR, safe_url

PAGE_SIZE = 50
MAX_FEEDS_GIVEN = 50
API_TOKEN_SETTING = "admin_api_token"  # the sha256 of the operator's API token (the token is never kept)


def writable(r: Reader) -> None:
    if r.readonly:
        raise HTTPException(503, READ_ONLY)


# --- outlets -----------------------------------------------------------------------------------------------


@dataclass
class FeedView:
    id: int
    url: str
    kind: str  # feed | sitemap
    last_checked: str | None
    last_status: int | None
    last_error: str | None
    consecutive_errors: int
    next_due: str | None


@dataclass
class OutletView:
    """One outlet on the operator's page: its state, health and feeds."""

    id: int
    key: str
    name: str
    home_url: str | None
    state: str  # crawled | paused
    health: str  # ok | failing | new
    last_success: str | None
    last_error: str | None
    last_error_at: str | None
    errors: int
    articles_per_day: float
    queued: int
    done: int
    failed: int
    feeds: list[FeedView]

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


def _health(status: crawl_store.OutletStatus) -> str:
    if status.last_error_at and (not status.last_success or status.last_error_at >= status.last_success):
        return "failing"
    return "ok" if status.last_success else "new"


def outlet_views(r: Reader, only: int | None = None) -> list[OutletView]:
    """Every outlet the operator added (or just `only`), paused ones included."""
    views = []
    for s in crawl_store.outlet_status(r.store, only=only, paused=True):
        feeds = [
            FeedView(
                id=f["id"],
                url=f["url"],
                kind=f["kind"],
                last_checked=f["last_checked"],
                last_status=f["last_status"],
                last_error=f["last_error"],
                consecutive_errors=f["consecutive_errors"],
                next_due=f["next_due"] or None,
            )
            for f in crawl_store.outlet_feeds(r.store, s.id)
        ]
        views.append(
            OutletView(
                id=s.id,
                key=s.key,
                name=s.name,
                home_url=s.home_url,
                state="paused" if s.paused else "crawled",
                health=_health(s),
                last_success=s.last_success,
                last_error=s.last_error,
                last_error_at=s.last_error_at,
                errors=s.errors,
                articles_per_day=s.articles_per_day,
                queued=s.queued,
                done=s.done,
                failed=s.failed,
                feeds=feeds,
            )
        )
    return views


def outlet_view(r: Reader, outlet_id: int) -> OutletView:
    found = outlet_views(r, only=outlet_id)
    if not found:
        raise HTTPException(404, f"no crawled outlet {outlet_id}")
    return found[0]


def given_feeds(text: str) -> list[str]:
    """Feed URLs written one a line (or separated by spaces); OutletError naming one that is not http(s)."""
    feeds = [f for f in re.split(r"\s+", text.strip()) if f]
    if len(feeds) > MAX_FEEDS_GIVEN:
        raise OutletError(f"at most {MAX_FEEDS_GIVEN} feeds at once")
    for feed in feeds:
        if safe_url(feed) is None:
            raise OutletError(f"{feed!r} is not an http(s) address")
    return list(dict.fromkeys(feeds))


async def add_outlet(
    r: Reader, url: str, name: str | None = None, feeds: list[str] | None = None
) -> AddedOutlet:
    """Add (or update) an outlet from its site's address: its feeds and news sitemaps are discovered
    (through the crawl's fetcher, under the address policy of the settings) unless given."""
    writable(r)
    url = url.strip()
    if safe_url(url) is None:
        raise OutletError(f"{url!r} is not an http(s) address")
    try:
        config = crawl_outlets.discovery_config(Settings.load())
    except SettingError as error:
        raise OutletError(str(error)) from None
    async with Fetcher(config) as fetcher:
        added = await crawl_outlets.add_outlet(
            r.store, fetcher, url, name=(name or "").strip() or None, feeds=feeds or None
        )
    r.forget()  # the reader's outlet list
    return added


def pause(r: Reader, outlet_id: int, paused: bool) -> None:
    writable(r)
    if not crawl_store.set_paused(r.store, outlet_id, paused):
        raise HTTPException(404, f"no crawled outlet {outlet_id}")


def remove(r: Reader, outlet_id: int) -> str:
    """Stop crawling an outlet: "deleted" (it had no articles) or "stopped" (its articles stay)."""
    writable(r)
    outlet_view(r, outlet_id)  # 404 for an outlet that is not crawled
    outcome = crawl_store.remove_outlet(r.store, outlet_id)
    r.forget()
    return outcome


def import_opml(r: Reader, data: bytes) -> list[AddedOutlet]:
    writable(r)
    if not data.strip():
        raise OutletError("the OPML file is empty")
    added = crawl_outlets.import_opml_data(r.store, data)
    r.forget()
    return added


def export_opml(r: Reader) -> str:
    return crawl_outlets.export_opml(r.store)


# --- the failures and the queue -------------------------------------------------------------------------------


def failures(r: Reader, stage: str | None, page: int) -> tuple[list[dict], dict[str, int]]:
    """One page of the failures (newest seen first) and the count per stage."""
    rows = crawl_store.failure_listing(r.store, stage or None, PAGE_SIZE, (page - 1) * PAGE_SIZE)
    return rows, crawl_store.failure_counts(r.store)


def queue(r: Reader, state: str, page: int) -> tuple[list[dict], dict[str, int]]:
    """One page of the crawl queue in one state and the count per state."""
    rows = crawl_store.queue_listing(r.store, state, PAGE_SIZE, (page - 1) * PAGE_SIZE)
    counts = crawl_store.queue_counts(r.store)
    return rows, {s: counts.get(s, 0) for s in crawl_store.QUEUE_STATES}


def retry(r: Reader, queue_id: int) -> None:
    writable(r)
    if not crawl_store.retry_queued(r.store, queue_id):
        raise HTTPException(404, f"no failed URL {queue_id} in the queue")


# --- the API token ---------------------------------------------------------------------------------------------


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_api_token(r: Reader) -> str:
    """A new API token (replacing any former one); only its hash is kept, the token is shown once."""
    writable(r)
    token = secrets.token_urlsafe(32)
    reports.set_setting(r.store, API_TOKEN_SETTING, _digest(token))
    return token


def revoke_api_token(r: Reader) -> None:
    writable(r)
    reports.set_setting(r.store, API_TOKEN_SETTING, "")


def api_token_set(r: Reader) -> bool:
    return bool(reports.get_setting(r.store, API_TOKEN_SETTING))


def api_token_ok(r: Reader, token: str) -> bool:
    kept = reports.get_setting(r.store, API_TOKEN_SETTING)
    return bool(kept and token) and secrets.compare_digest(kept or "", _digest(token))


# --- Arabic for the admin pages -----------------------------------------------------------------------------------


def arabic_time(value: str | None) -> str:
    """A stored UTC time as the admin pages write it: "6 ديسمبر 2026، 17:31 (ت.ع.م)"; "—" for none."""
    if not value:
        return "—"
    try:
        moment = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return value
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC)
    return f"{moment.day} {MONTHS_AR[moment.month - 1]} {moment.year}، {moment.hour:02d}:{moment.minute:02d} (ت.ع.م)"


def moderation_note(action: str, note: str | None) -> str:
    """A moderation log note in Arabic: the automatic hide's "3 distinct clients" becomes "إبلاغات من 3 قراء
    مختلفين"; a moderator's own note is shown as written."""
    found = re.fullmatch(r"(\d+) distinct clients?", note or "")
    if action != "auto-hide" or not found:
        return note or ""
    n = int(found[1])
    if n == 1:
        return "إبلاغ من قارئ واحد"
    if n == 2:
        return "إبلاغات من قارئين مختلفين"
    if 3 <= n % 100 <= 10:
        return f"إبلاغات من {n} قراء مختلفين"
    return f"إبلاغات من {n} قارئا مختلفا"


STATE_NAMES = {"crawled": "يُجلب", "paused": "موقوف مؤقتا"}
HEALTH_NAMES = {"ok": "سليم", "failing": "متعثر", "new": "لم يُجلب بعد"}
QUEUE_STATE_NAMES = {"queued": "في الانتظار", "failed": "فشل", "done": "تم"}
STAGE_NAMES = {
    "read": "القراءة",
    "decode": "فك الترميز",
    "fetch": "الجلب",
    "extract": "الاستخراج",
    "store": "الحفظ",
    "link": "الربط",
    "index": "الفهرسة",
}
KIND_NAMES = {"feed": "خلاصة", "sitemap": "خريطة أخبار"}
