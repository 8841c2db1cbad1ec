"""Delivering alerts: webhooks (signed JSON) and e-mail (immediate or a daily digest), each attempt logged,
failures retried with exponential backoff, nothing lost while a receiver is down.

`deliver_pending` is one pass, what `marsad watch run` and `marsad run` do: the matches past each channel's
mark are handed to new deliveries (marsad.store.watchlists.make_deliveries), then every delivery that is
due is attempted. A failed attempt is logged with its error and tried again after BACKOFF_BASE * 2**(n-1)
(at most BACKOFF_CAP); after MAX_ATTEMPTS it is marked failed, its articles still in the private feed.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import logging
import smtplib
import ssl
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from email.utils import make_msgid

import httpx

from marsad import __version__
from marsad.settings import resolve
from marsad.sources.http.safety import AddressPolicy, SafeNetworkBackend, SafeTransport
from marsad.store import watchlists
from marsad.store.articles import ArticleItem, by_ids
from marsad.store.db import Store
from marsad.store.watchlists import Delivery, Watchlist
from marsad.watch.messages import email_message

log = logging.getLogger(__name__)

BACKOFF_BASE = timedelta(minutes=1)
BACKOFF_CAP = timedelta(hours=6)
MAX_ATTEMPTS = 12  # about two days of tries at the cap
DIGEST_EVERY = timedelta(days=1)
WEBHOOK_TIMEOUT = 15.0
SIGNATURE_HEADER = "X-Marsad-Signature"


@dataclass(frozen=True)
class SmtpSettings:
    host: str = ""
    port: int = 587
    user: str = ""
    password: str = ""
    sender: str = "marsad@localhost"
    starttls: bool = True
    timeout: float = 30.0

    @classmethod
    def from_settings(cls) -> SmtpSettings:
        return cls(
            host=resolve("smtp_host"),
            port=resolve("smtp_port"),
            user=resolve("smtp_user"),
            password=resolve("smtp_password"),
            sender=resolve("smtp_from"),
            starttls=resolve("smtp_starttls"),
        )


@dataclass
class Channels:
    """How alerts leave: the SMTP server, the addresses webhooks may reach, the reader's public address
    (for links in e-mails)."""

    smtp: SmtpSettings = field(default_factory=SmtpSettings)
    policy: AddressPolicy = field(default_factory=AddressPolicy)
    base_url: str = ""

    @classmethod
    def from_settings(cls, policy: AddressPolicy | None = None) -> Channels:
        """The settings' SMTP server and base_url; webhooks to public addresses (and `policy`'s networks)."""
        base = str(resolve("base_url")).strip().rstrip("/")
        return cls(SmtpSettings.from_settings(), policy or AddressPolicy(), base)


@dataclass
class DeliveryReport:
    made: int = 0  # deliveries made up from new matches
    sent: int = 0
    failed: int = 0  # attempts that failed (retried later unless given up)
    given_up: int = 0
    errors: list[str] = field(default_factory=list)


# --- webhooks -----------------------------------------------------------------------------------------------


def signature(secret: str, body: bytes) -> str:
    """`sha256=<hex HMAC-SHA256 of the body>` keyed with the watchlist's secret."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def article_json(item: ArticleItem) -> dict:
    return {
        "id": item.id,
        "url": item.url,
        "title": item.title,
        "outlet": item.outlet,
        "published": item.published,
        "story": item.story_id,
    }


def webhook_body(watchlist: Watchlist, items: list[ArticleItem]) -> bytes:
    payload = {
        "watchlist": {"id": watchlist.id, "name": watchlist.name, "kind": watchlist.kind},
        "articles": [article_json(item) for item in items],
    }
    return json.dumps(payload, ensure_ascii=False).encode()


async def _post(url: str, body: bytes, headers: dict[str, str], policy: AddressPolicy) -> None:
    transport = SafeTransport(SafeNetworkBackend(policy))
    async with httpx.AsyncClient(
        transport=transport, timeout=WEBHOOK_TIMEOUT, follow_redirects=False
    ) as client:
        response = await client.post(url, content=body, headers=headers)
    if not 200 <= response.status_code < 300:
        raise DeliveryFailed(f"the webhook answered HTTP {response.status_code}")


def send_webhook(watchlist: Watchlist, items: list[ArticleItem], policy: AddressPolicy) -> None:
    if not watchlist.webhook_url:
        raise DeliveryFailed("the watchlist has no webhook any more")
    body = webhook_body(watchlist, items)
    headers = {
        "content-type": "application/json; charset=utf-8",
        SIGNATURE_HEADER: signature(watchlist.secret, body),
        "user-agent": f"Marsad/{__version__} (watchlist alerts)",
    }
    try:
        asyncio.run(_post(watchlist.webhook_url, body, headers, policy))
    except httpx.HTTPError as error:
        raise DeliveryFailed(f"{type(error).__name__}: {error}") from None


# --- e-mail -------------------------------------------------------------------------------------------------


def send_email(watchlist: Watchlist, items: list[ArticleItem], channels: Channels) -> None:
    smtp = channels.smtp
    if not watchlist.email:
        raise DeliveryFailed("the watchlist has no e-mail address any more")
    if not smtp.host:
        raise DeliveryFailed("no SMTP server is set (MARSAD_SMTP_HOST)")
    message: EmailMessage = email_message(watchlist, items, channels.base_url)
    message["From"] = smtp.sender
    message["To"] = watchlist.email
    message["Message-ID"] = make_msgid(domain=smtp.sender.rpartition("@")[2] or "localhost")
    try:
        with smtplib.SMTP(smtp.host, smtp.port, timeout=smtp.timeout) as client:
            if smtp.starttls:
                client.starttls(context=ssl.create_default_context())
            if smtp.user:
                client.login(smtp.user, smtp.password)
            client.send_message(message)
    except (OSError, smtplib.SMTPException) as error:
        raise DeliveryFailed(f"{type(error).__name__}: {error}") from None


class DeliveryFailed(Exception):
    """One attempt did not get through; the message says why (it goes to the delivery log)."""


# --- the pass -----------------------------------------------------------------------------------------------


def backoff(attempt: int) -> timedelta:
    """The wait after failed attempt number `attempt` (1, 2, ...)."""
    return min(BACKOFF_CAP, BACKOFF_BASE * 2 ** min(attempt - 1, 30))


def make_deliveries(store: Store, now: datetime | None = None) -> int:
    """Hand new matches to deliveries: webhooks and immediate e-mail at once, a daily digest once a day."""
    made = 0
    moment = now or datetime.now(UTC)
    for w in watchlists.all_watchlists(store):
        if w.webhook_url and watchlists.make_deliveries(store, "webhook", w, moment) is not None:
            made += 1
        if (
            w.email
            and _email_due(w, moment)
            and watchlists.make_deliveries(store, "email", w, moment) is not None
        ):
            made += 1
    return made


def _email_due(w: Watchlist, now: datetime) -> bool:
    if w.delivery != "daily":
        return True
    since = watchlists.seconds_since(w.email_last_at or w.created_at, now)
    return since is None or since >= DIGEST_EVERY.total_seconds()


def attempt(store: Store, delivery: Delivery, channels: Channels, now: datetime | None = None) -> str | None:
    """Try one delivery and log the attempt; None when it was sent, else the error."""
    w = watchlists.get(store, delivery.watchlist_id)
    error: str | None = None
    try:
        if w is None:
            raise DeliveryFailed("the watchlist was removed")
        items = by_ids(store, delivery.articles)
        if not items:
            error = None  # every article was hidden since: nothing to send
        elif delivery.channel == "webhook":
            send_webhook(w, items, channels.policy)
        else:
            send_email(w, items, channels)
    except DeliveryFailed as failure:
        error = str(failure) or type(failure).__name__
    except Exception as crash:  # noqa: BLE001 - a bug in one delivery must not stop the others; logged
        log.exception("delivery %d crashed", delivery.id)
        error = f"{type(crash).__name__}: {crash}"
    moment = now or datetime.now(UTC)
    number = delivery.attempt + 1
    next_try = moment + backoff(number) if error is not None and number < MAX_ATTEMPTS else None
    watchlists.record_attempt(store, delivery, error=error, next_try=next_try, now=moment)
    return error


def deliver_pending(
    store: Store, channels: Channels | None = None, now: datetime | None = None
) -> DeliveryReport:
    """One pass: new matches into deliveries, then every due delivery attempted."""
    channels = channels or Channels()
    report = DeliveryReport(made=make_deliveries(store, now))
    for delivery in watchlists.due(store, now):
        error = attempt(store, delivery, channels, now)
        if error is None:
            report.sent += 1
            continue
        report.failed += 1
        report.errors.append(f"delivery {delivery.id} ({delivery.channel}): {error}")
        if delivery.attempt + 1 >= MAX_ATTEMPTS:
            report.given_up += 1
    return report
