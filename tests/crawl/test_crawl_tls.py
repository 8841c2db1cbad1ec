"""HTTPS through the safe transport: the connection goes to the checked IP, while TLS still verifies the
certificate against the host name (SNI), so pinning the address does not weaken certificate checks."""

from __future__ import annotations

import asyncio
import shutil
import ssl
import subprocess

import pytest

from marsad.sources.http.fetcher import Fetcher
from marsad.sources.http.safety import static_resolver

from .conftest import make_config
from .fixture_site import Hit, Outlet, Resource, article_html, article_text

pytestmark = pytest.mark.skipif(shutil.which("openssl") is None, reason="needs the openssl command")


@pytest.fixture(scope="module")
def certificate(tmp_path_factory):
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
         "-keyout", str(key), "-out", str(cert), "-days", "1", "-subj", "/CN=news.test",
         "-addext", "subjectAltName=DNS:news.test"],
        check=True, capture_output=True,
    )  # fmt: skip
    return cert, key


@pytest.fixture()
def tls_outlet(certificate):
    cert, key = certificate
    server_context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    server_context.load_cert_chain(cert, key)
    log: list[Hit] = []
    outlet = Outlet(log, "127.0.0.7")
    outlet.server.socket = server_context.wrap_socket(outlet.server.socket, server_side=True)
    outlet.routes["/robots.txt"] = Resource(b"User-agent: *\nAllow: /\n", "text/plain")
    outlet.routes["/a.html"] = Resource(article_html(5))
    outlet.start()
    yield outlet
    outlet.stop()


def fetch(url: str, cert, names: dict[str, list[str]]):
    config = make_config(verify=ssl.create_default_context(cafile=str(cert)), total_timeout=5.0, retries=0)

    async def run():
        async with Fetcher(config, resolver=static_resolver(names)) as fetcher:
            return await fetcher.fetch(url)

    return asyncio.run(run())


def test_https_page_is_fetched_from_the_checked_address(tls_outlet, certificate):
    cert, _ = certificate
    result = fetch(f"https://news.test:{tls_outlet.port}/a.html", cert, {"news.test": ["127.0.0.7"]})
    assert result.ok and article_text(5)[0] in result.content.decode("utf-8")
    assert [h.path for h in tls_outlet.log] == ["/robots.txt", "/a.html"]


def test_certificate_is_checked_against_the_host_name_not_the_address(tls_outlet, certificate):
    cert, _ = certificate
    result = fetch(f"https://other.test:{tls_outlet.port}/a.html", cert, {"other.test": ["127.0.0.7"]})
    assert not result.ok and "CERTIFICATE_VERIFY_FAILED" in result.error
    assert tls_outlet.log == []
