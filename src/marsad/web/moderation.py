"""Reports and moderation seen from the web: count a report, keep the search index and the cached listings
in step when an item is hidden or restored."""

from __future__ import annotations

import logging

from fastapi import HTTPException, Request

from marsad.search import index_articles
from marsad.store import articles, reports
from marsad.web.context import Reader

log = logging.getLogger(__name__)

REPORT_MESSAGES = {
    "counted": "شكرا على الإبلاغ! سيتم حجب هذا المحتوى تلقائيا عندما يتم الإبلاغ عنه من طرف عدة أشخاص.",
    "held": "شكرا على الإبلاغ! وصلتنا منك إبلاغات كثيرة، لذلك سيراجع مشرف هذا الإبلاغ قبل أن يُحتسب.",
    "duplicate": "سبق أن وصلنا إبلاغك عن هذا المحتوى، شكرا لك.",
    "limited": "أرسلت إبلاغات كثيرة في وقت قصير، حاول لاحقا.",
    "hidden": "شكرا على الإبلاغ! تم حجب هذا المحتوى.",
    "readonly": "هذا الأرشيف مفتوح للقراءة فقط: لا يمكن تسجيل الإبلاغات حاليا.",
}
READ_ONLY = "this archive is served read-only: reports and moderation cannot be stored"


def report(
    r: Reader, request: Request, article_id: int, reason: str, image_url: str = ""
) -> reports.ReportOutcome:
    if image_url and image_url not in _image_urls(r, article_id):
        return reports.ReportOutcome("missing", 0, False)
    if r.readonly:
        return reports.ReportOutcome("readonly", 0, reports.is_hidden(r.store, article_id, image_url))
    was_hidden = reports.is_hidden(r.store, article_id, image_url)
    outcome = reports.add_report(
        r.store,
        article_id,
        r.reporter(request),
        reason.strip(),
        image_url,
        threshold=r.threshold,
        limit=r.report_limit,
        global_limit=r.report_global_limit,
        burst=r.report_burst,
    )
    if outcome.hidden and not was_hidden:
        changed(r, article_id, image_url)
    return outcome


def decide(r: Reader, request: Request, article_id: int, image_url: str, action: str, note: str = "") -> bool:
    """The signed-in account's decision, logged under its name."""
    if r.readonly:
        raise HTTPException(503, READ_ONLY)
    account = r.account(request)
    actor = f"account:{account.name}" if account else "moderator"
    done = reports.decide(r.store, article_id, image_url, action, note, actor)
    if done:
        changed(r, article_id, image_url)
    return done


def changed(r: Reader, article_id: int, image_url: str) -> None:
    """An item was hidden or restored: drop cached listings and update the search index."""
    r.forget()
    if image_url:
        return
    try:
        index_articles(r.store, [article_id])
    except Exception as exc:  # the index may be absent or locked; the database flag is what counts
        log.warning("could not update the search index for article %s: %s", article_id, exc)


def hidden_images(r: Reader, article_id: int) -> set[str]:
    return reports.hidden_images(r.store, article_id)


def _image_urls(r: Reader, article_id: int) -> set[str]:
    item = articles.article(r.store, article_id)
    if item is None:
        return set()
    return {img.get("url", "") for img in item.images}
