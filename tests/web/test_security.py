"""Security headers, and OWASP XSS cheat-sheet payloads in a title and body rendering inert."""

from __future__ import annotations

from selectolax.lexbor import LexborHTMLParser

from .conftest import XSS_ID, XSS_PAYLOADS

PAGES = ["/", f"/articles/{XSS_ID}", "/outlets/1", "/categories/politics", "/search?q=alert", "/stories"]


def active_content(page: str) -> list[str]:
    """Everything in a page that could run script: script elements other than ours, on* attributes,
    javascript: URLs, frames, objects, meta refreshes, inline styles."""
    found = []
    tree = LexborHTMLParser(page)
    for node in tree.root.traverse():
        tag = node.tag
        attrs = node.attributes
        if tag == "script" and attrs.get("src", "").split("?")[0] != "/static/marsad.js":
            found.append(f"script {attrs}")
        if tag in ("iframe", "object", "embed", "frame", "base", "style"):
            found.append(tag)
        if tag == "meta" and "refresh" in (attrs.get("http-equiv") or "").lower():
            found.append("meta refresh")
        for name, value in attrs.items():
            if name.lower().startswith("on"):
                found.append(f"{tag} {name}")
            if name.lower() == "style":
                found.append(f"{tag} style")
            if value and "javascript:" in value.replace(" ", "").lower():
                found.append(f"{tag} {name}={value}")
    return found


def test_owasp_payloads_render_inert(client):
    for path in PAGES:
        response = client.get(path)
        assert response.status_code == 200, path
        assert active_content(response.text) == [], path


def test_payload_title_is_shown_as_text(client):
    tree = LexborHTMLParser(client.get(f"/articles/{XSS_ID}").text)
    assert tree.css_first("h1").text() == " ".join(XSS_PAYLOADS[:6])
    assert tree.css_first("title").text().startswith("<script>alert('XSS')</script>")
    # no read-at-source link and no image for javascript: URLs
    assert "اقرأ الخبر من مصدره" not in tree.body.text()
    assert tree.css("#images img") == []


def test_api_and_feeds_escape_payloads(client):
    body = client.get(f"/api/v1/articles/{XSS_ID}").json()
    assert body["body"] == XSS_PAYLOADS  # the API gives the text as published, as JSON strings
    atom = client.get("/feeds/latest.atom").text
    assert "<script>" not in atom and "&lt;script&gt;" in atom


def test_security_headers(client):
    for path in ["/", "/api/v1/articles", "/feeds/latest.atom", "/static/marsad.css", "/nope"]:
        headers = client.get(path).headers
        csp = headers["content-security-policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp, path
        assert "frame-ancestors 'none'" in csp
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["referrer-policy"] == "no-referrer"
        assert headers["x-frame-options"] == "DENY"


def test_no_inline_scripts_anywhere(client):
    for path in PAGES + ["/admin/login", "/threads/1", "/stories/1", "/articles/1"]:
        tree = LexborHTMLParser(client.get(path).text)
        for script in tree.css("script"):
            assert script.attributes.get("src", "").startswith("/static/marsad.js"), path
            assert script.text().strip() == "", path


def test_session_cookie_is_httponly_and_strict(client, archive):
    import re

    from marsad.store import reports
    from marsad.store.db import Store

    with Store(archive) as store:
        reports.set_admin_password(store, "correct horse battery")
    token = re.search(r'name="csrf" value="([^"]+)"', client.get("/admin/login").text).group(1)
    response = client.post("/admin/login", data={"csrf": token, "password": "correct horse battery"})
    cookie = response.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie
    forged = client.get("/admin", cookies={"marsad_admin": "forged"})
    assert forged.status_code == 303
