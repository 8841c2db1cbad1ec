"""Issue 20: the web reader's limits and small items: body size (413), lone surrogates (400), HEAD, the Host
header kept out of feeds, only http(s) URLs from the JSON API, very long titles shortened in listings."""

from __future__ import annotations

import json
import socket
import time

from marsad.store.db import Store
from marsad.web import create_app
from marsad.web.present import LISTING_TITLE_CHARS, short_title

from .conftest import XSS_ID, browser_client, served
from .test_reports import api_report


def token_of(client, article_id: int = 3) -> str:
    return client.get(f"/api/v1/articles/{article_id}").json()["report_token"]


def test_an_oversized_body_is_refused_with_413_without_reading_it(archive):
    """A declared 300 MB body: the answer comes after the first 64 KiB are sent, and the connection
    closes; the server never reads the rest."""
    app = create_app(archive, request_max_bytes=100_000)
    with served(app) as base:
        port = int(base.rsplit(":", 1)[1])
        with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
            head = (
                "POST /api/v1/articles/3/reports HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                "Content-Type: application/json\r\nContent-Length: 300000000\r\n\r\n"
            )
            sock.sendall(head.encode() + b"x" * 65536)
            started = time.monotonic()
            answer = b""
            while b"\r\n\r\n" not in answer or not answer.rstrip().endswith(b"}"):
                chunk = sock.recv(65536)
                if not chunk:
                    break
                answer += chunk
            assert time.monotonic() - started < 5
        status, _, rest = answer.partition(b"\r\n")
        assert status == b"HTTP/1.1 413 Request Entity Too Large"
        assert b"connection: close" in rest.lower()
        assert json.loads(answer.split(b"\r\n\r\n", 1)[1]) == {
            "detail": "request body larger than 100000 bytes"
        }


def test_a_body_without_a_length_is_cut_at_the_limit(archive):
    app = create_app(archive, request_max_bytes=2048)
    client = browser_client(app, "reader", "192.0.2.5")
    sent = []

    def chunks():
        for n in range(1000):
            sent.append(n)
            yield b" " * 1024

    response = client.post(
        "/api/v1/articles/3/reports", content=chunks(), headers={"content-type": "application/json"}
    )
    assert response.status_code == 413
    assert response.json() == {"detail": "request body larger than 2048 bytes"}
    form = client.post("/admin/login", content=b"csrf=" + b"x" * 5000,
                       headers={"content-type": "application/x-www-form-urlencoded"})  # fmt: skip
    assert form.status_code == 413
    assert "request body larger than 2048 bytes" in form.text  # the Arabic error page, with the reason


def test_a_lone_surrogate_in_a_json_body_is_a_400(app, archive):
    client = browser_client(app, "reader", "192.0.2.5")
    body = '{"reason": "\\ud800", "report_token": "TOKEN"}'.replace("TOKEN", token_of(client))
    response = client.post(
        "/api/v1/articles/3/reports", content=body, headers={"content-type": "application/json"}
    )
    assert response.status_code == 400
    assert response.json() == {
        "detail": "the request holds text that is not valid Unicode (a lone surrogate)"
    }
    image = '{"image_url": "https://2m.ma/\\udfff.jpg", "report_token": "TOKEN"}'.replace(
        "TOKEN", token_of(client)
    )
    response = client.post(
        "/api/v1/articles/3/reports", content=image, headers={"content-type": "application/json"}
    )
    assert response.status_code == 400
    with Store(archive) as store:
        assert store.conn.execute("SELECT count(*) FROM report").fetchone()[0] == 0


def test_malformed_json_and_the_other_refusals_are_in_the_openapi(client):
    spec = client.get("/openapi.json").json()
    post = spec["paths"]["/api/v1/articles/{article_id}/reports"]["post"]
    assert sorted(post["responses"]) == ["201", "400", "403", "404", "413", "422", "429", "503"]
    assert "malformed JSON" in post["responses"]["422"]["description"]
    malformed = client.post(
        "/api/v1/articles/3/reports", content=b'{"reason": ', headers={"content-type": "application/json"}
    )
    assert malformed.status_code == 422 and malformed.json()["detail"][0]["type"] == "json_invalid"
    article = spec["components"]["schemas"]["ArticleOut"]
    assert "report_token" in article["required"]
    assert "report_token" in spec["components"]["schemas"]["ReportIn"]["properties"]


def test_head_answers_like_get_without_a_body(client):
    for path in ["/", "/articles/1", "/stories", "/api/v1/articles", "/feeds/latest.atom"]:
        got = client.get(path)
        head = client.head(path)
        assert head.status_code == 200, path
        assert head.content == b"", path
        assert head.headers["content-type"] == got.headers["content-type"], path
    assert client.head("/articles/999").status_code == 404


def test_the_host_header_is_not_reflected_in_feeds(archive):
    client = browser_client(create_app(archive), "reader")
    hostile = client.get("/feeds/latest.atom", headers={"host": 'evil.example"/><x'})
    assert hostile.status_code == 200
    assert "evil" not in hostile.text
    assert "<id>http://testserver/articles/7</id>" in hostile.text  # the address the server answers on
    configured = browser_client(create_app(archive, base_url="https://news.example/"), "reader")
    feed = configured.get("/feeds/latest.json", headers={"host": "evil.example"}).json()
    assert feed["feed_url"] == "https://news.example/feeds/latest.json"
    assert feed["home_page_url"] == "https://news.example/"
    assert {item["id"].rsplit("/", 1)[0] for item in feed["items"]} == {"https://news.example/articles"}


def test_the_api_returns_only_http_urls(client):
    item = client.get(f"/api/v1/articles/{XSS_ID}").json()
    assert (item["url"], item["read_at_source"], item["images"]) == (None, None, [])
    listed = {a["id"]: a for a in client.get("/api/v1/articles").json()}
    assert listed[XSS_ID]["url"] is None and listed[XSS_ID]["read_at_source"] is None
    assert listed[1]["url"] == "https://2m.ma/ar/news/forum-newyork"
    assert client.get("/api/v1/articles/1").json()["images"][0]["url"] == "https://2m.ma/img/forum.jpg"


def test_a_huge_title_is_shortened_in_listings_and_kept_whole(archive):
    huge = "عنوان " * 50_000  # 300,000 characters
    with Store(archive) as store:
        store.conn.execute("UPDATE article SET title = ? WHERE id = 7", (huge,))
    client = browser_client(create_app(archive), "reader")
    home = client.get("/")
    assert home.status_code == 200 and len(home.content) < 60_000
    assert short_title(huge) in home.text and huge not in home.text
    assert len(short_title(huge)) <= LISTING_TITLE_CHARS + 1
    listed = {a["id"]: a for a in client.get("/api/v1/articles").json()}
    assert listed[7]["title"] == short_title(huge)
    assert len(client.get("/feeds/latest.atom").content) < 60_000
    assert client.get("/api/v1/articles/7").json()["title"] == huge  # the article itself, whole
    with Store(archive) as store:
        assert store.conn.execute("SELECT title FROM article WHERE id = 7").fetchone()[0] == huge


def test_reports_still_work_with_a_token(app):
    assert api_report(browser_client(app, "reader", "192.0.2.5"), 3).status_code == 201
