"""E-mail alerts received by a local SMTP server (aiosmtpd): a daily digest once a day, Arabic, a
right-to-left HTML part (escaped) and a plain-text part; an unreachable server is retried and logged."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path

import pytest
from selectolax.lexbor import LexborHTMLParser as HTMLParser

from marsad.store import watchlists
from marsad.store.db import Store
from marsad.watch.deliver import Channels, SmtpSettings, deliver_pending
from marsad.watch.follow import Follow, create
from tests.watch.conftest import FIRST, QUERY, SECOND, SECOND_MATCHING_QUERY, ingest_batch

HOSTILE = (
    "hespress",
    "https://www.hespress.com/economie/9.html",
    "economy",
    "Mon, 19 Mar 2018 09:00:00 +0100",
    "ميناء طنجة <script>alert(1)</script> & الحاويات",
    "ارتفع نشاط ميناء طنجة من جديد.",
)


class Inbox:
    def __init__(self) -> None:
        self.messages: list[tuple[str, list[str], EmailMessage]] = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's name
        message = message_from_bytes(envelope.original_content, policy=policy.default)
        self.messages.append((envelope.mail_from, list(envelope.rcpt_tos), message))  # type: ignore[arg-type]
        return "250 OK"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def smtp() -> Iterator[tuple[Inbox, SmtpSettings]]:
    from aiosmtpd.controller import Controller

    inbox = Inbox()
    port = _free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield inbox, SmtpSettings(host="127.0.0.1", port=port, sender="alerts@marsad.test", starttls=False)
    finally:
        controller.stop()


def test_a_daily_digest_arrives_once_a_day_with_both_parts(tmp_path: Path, smtp) -> None:
    inbox, settings = smtp
    channels = Channels(smtp=settings, base_url="https://news.example")
    with Store(tmp_path / "w.db") as store:
        ingest_batch(store, tmp_path, "first", FIRST)
        w = create(store, "ميناء", Follow(query=QUERY), email="reader@example.org", digest="daily")
        made = datetime.strptime(w.created_at, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
        ingest_batch(store, tmp_path, "second", SECOND)
        ingest_batch(store, tmp_path, "third", [HOSTILE])

        assert deliver_pending(store, channels, now=made + timedelta(hours=23)).made == 0  # not a day yet
        assert inbox.messages == []
        report = deliver_pending(store, channels, now=made + timedelta(hours=24, minutes=1))
        assert (report.made, report.sent, report.failed) == (1, 1, 0)
        assert deliver_pending(store, channels, now=made + timedelta(hours=30)).made == 0  # next one tomorrow
        titles = [
            r[0]
            for r in store.conn.execute(
                "SELECT title FROM article WHERE url IN (?, ?, ?, ?, ?) ORDER BY id",
                [*SECOND_MATCHING_QUERY, HOSTILE[1]],
            )
        ]

    assert len(inbox.messages) == 1
    sender, recipients, message = inbox.messages[0]
    assert (sender, recipients) == ("alerts@marsad.test", ["reader@example.org"])
    assert message["Subject"] == "مرصد - ملخص اليوم: 5 أخبار في «ميناء»"
    assert message.get_content_type() == "multipart/alternative"
    plain = message.get_body(("plain",))
    html = message.get_body(("html",))
    assert plain is not None and html is not None
    text = plain.get_content()
    assert [line for line in text.splitlines() if line in titles] == titles  # every match, in arrival order
    page = HTMLParser(html.get_content())
    root = page.css_first("html")
    assert (root.attributes["lang"], root.attributes["dir"]) == ("ar", "rtl")
    assert [a.text() for a in page.css("li a")] == titles  # the hostile title is text, not markup
    assert page.css("li script") == []
    assert "&lt;script&gt;" in html.get_content()
    assert [a.attributes["href"] for a in page.css("li a")][0].startswith("https://news.example/articles/")


def test_an_unreachable_smtp_server_is_retried_and_logged(tmp_path: Path) -> None:
    channels = Channels(smtp=SmtpSettings(host="127.0.0.1", port=_free_port(), starttls=False, timeout=5))
    start = datetime(2030, 1, 1, tzinfo=UTC)
    with Store(tmp_path / "w.db") as store:
        ingest_batch(store, tmp_path, "first", FIRST)
        w = create(store, "ميناء", Follow(query=QUERY), email="reader@example.org")
        ingest_batch(store, tmp_path, "second", SECOND)
        report = deliver_pending(store, channels, now=start)
        assert (report.made, report.failed) == (1, 1)
        (attempt,) = watchlists.attempts(store, w.id)
        assert (attempt.channel, attempt.status, attempt.next_try_at) == (
            "email",
            "failed",
            "2030-01-01T00:01:00Z",
        )
        assert "ConnectionRefusedError" in (attempt.error or "")
        assert watchlists.deliveries(store, w.id)[0].status == "pending"
