"""The fetcher against the loopback fixture site: robots.txt, caps, redirects, charsets, validators."""

from __future__ import annotations

import asyncio

from marsad.sources.http.fetcher import Fetcher, FetchResult
from marsad.sources.http.safety import SafeNetworkBackend, static_resolver

from .conftest import RecordingBackend, make_config
from .fixture_site import article_html, article_text


def fetch_all(
    urls: list[str], *, config=None, resolver=None, **kwargs
) -> tuple[list[FetchResult], RecordingBackend]:
    config = config or make_config()
    recorder = RecordingBackend()
    resolve = static_resolver(resolver or {})
    backend = SafeNetworkBackend(config.policy, resolve, inner=recorder)

    async def run() -> list[FetchResult]:
        async with Fetcher(config, backend=backend) as fetcher:
            return [await fetcher.fetch(url, **kwargs) for url in urls]

    return asyncio.run(run()), recorder


def test_plain_article_is_fetched_with_the_marsad_user_agent(site):
    [result], recorder = fetch_all([site.a.base + "/news/1.html"])
    assert result.ok and result.status == 200
    assert result.content.decode("utf-8").count(article_text(1)[0]) == 2  # <title> and <h1>
    assert result.encoding == "utf-8" and result.content_type == "text/html"
    assert result.etag == '"a1"'
    hit = site.hits(site.a)[-1]
    assert hit.path == "/news/1.html"
    assert hit.headers["User-Agent"].startswith("Marsad/") and "+https://" in hit.headers["User-Agent"]
    assert {address for address, _ in recorder.connects} == {"127.0.0.2"}


def test_robots_disallowed_path_is_never_requested(site):
    [result], _ = fetch_all([site.a.base + "/private/secret.html"])
    assert result.blocked and "robots.txt" in result.error
    assert site.paths(site.a) == ["/robots.txt"]


def test_unreachable_robots_refuses_the_whole_host(site):
    [result], _ = fetch_all([site.d.base + "/feed.xml"], kind="feed")
    assert result.transient and not result.blocked
    assert (
        result.error
        == f"robots.txt of {site.d.base} cannot be read (HTTP 500); nothing there is fetched until it can"
    )
    assert site.paths(site.d) == ["/robots.txt", "/robots.txt"]  # 500 is retried once, then given up


def test_redirect_to_private_address_is_refused_without_connecting(site):
    [result], recorder = fetch_all([site.a.base + "/go-private"])
    assert result.blocked and result.error == "refused 10.0.0.1: 10.0.0.1 is a private address"
    assert result.redirects == [site.a.base + "/go-private"]
    assert all(address.startswith("127.") for address, _ in recorder.connects)
    assert ("10.0.0.1", 80) not in recorder.connects


def test_host_name_resolving_to_private_address_is_refused_after_lookup(site):
    [result], recorder = fetch_all([site.a.base + "/go-intranet"], resolver={"intranet.test": ["10.1.2.3"]})
    assert result.blocked and result.error == "refused intranet.test: 10.1.2.3 is a private address"
    assert all(address.startswith("127.") for address, _ in recorder.connects)


def test_loopback_is_refused_when_the_policy_does_not_allow_it(site):
    config = make_config(policy=make_config().policy.__class__())
    [result], recorder = fetch_all([site.a.base + "/news/1.html"], config=config)
    assert result.blocked and result.error == "refused 127.0.0.2: 127.0.0.2 is a loopback address"
    assert recorder.connects == [] and site.log == []


def test_non_http_redirect_is_refused(site):
    [result], _ = fetch_all([site.a.base + "/go-file"])
    assert result.blocked and result.error.startswith("only http and https URLs are fetched, not file")


def test_relative_redirect_is_followed_and_redirect_loops_end(site):
    [home, loop], _ = fetch_all([site.a.base + "/go-home", site.a.base + "/loop"])
    assert home.ok and home.final_url == site.a.base + "/news/1.html"
    assert loop.error == "more than 5 redirects"
    assert site.paths(site.a).count("/loop") == 6


def test_slow_page_times_out(site):
    [result], _ = fetch_all([site.a.base + "/slow.html"], config=make_config(retries=0, total_timeout=0.5))
    assert result.error == f"timed out fetching {site.a.base}/slow.html" and result.content == b""


def test_streamed_50mb_page_is_cut_at_the_cap(site):
    [result], _ = fetch_all([site.a.base + "/big.html"])
    assert result.error == f"{site.a.base}/big.html is larger than the 2000000-byte cap"
    assert result.content == b""
    assert (
        site.big.sent < 25_000_000
    )  # the server was stopped long before 50 MB went out (socket buffers aside)


def test_declared_oversize_body_is_refused_before_reading(site):
    [result], _ = fetch_all([site.a.base + "/big-declared.html"])
    assert result.error == f"{site.a.base}/big-declared.html declares 3000000 bytes, over the 2000000 cap"


def test_gzip_bomb_stops_at_the_decompressed_cap(site):
    [result], _ = fetch_all([site.a.base + "/bomb.html"])
    assert result.error == f"{site.a.base}/bomb.html decompresses to more than the 2000000-byte cap"


def test_gzip_body_is_decoded(site):
    [result], _ = fetch_all([site.a.base + "/gzip.html"])
    assert result.ok and article_text(7)[0] in result.content.decode("utf-8")


def test_error_status_is_retried_then_reported(site):
    [result], _ = fetch_all([site.a.base + "/error500.html"])
    assert result.status == 500 and result.error == f"HTTP 500 from {site.a.base}/error500.html"
    assert site.paths(site.a).count("/error500.html") == 2


def test_wrong_content_type_is_refused(site):
    [result], _ = fetch_all([site.a.base + "/image.jpg"])
    assert result.error == f"{site.a.base}/image.jpg is image/jpeg, not an HTML page"


def test_windows_1256_pages_by_header_meta_and_detection(site):
    results, _ = fetch_all(
        [site.a.base + p for p in ("/cp1256.html", "/cp1256-meta.html", "/cp1256-bare.html")]
    )
    assert [r.encoding for r in results] == ["cp1256", "cp1256", "cp1256"]
    for result, n in zip(results, (11, 12, 13), strict=True):
        assert article_text(n)[1][0] in result.content.decode(result.encoding)


def test_conditional_get_gets_not_modified(site):
    [first], _ = fetch_all([site.a.base + "/rss.xml"], kind="feed")
    [second], _ = fetch_all(
        [site.a.base + "/rss.xml"], kind="feed", etag=first.etag, last_modified=first.last_modified
    )
    assert first.ok and second.not_modified and second.content == b""
    assert site.hits(site.a)[-1].headers["If-None-Match"] == '"rss-v1"'


def test_per_host_delay_spaces_requests(site):
    urls = [site.b.base + f"/b/{n}.html" for n in (21, 22, 23, 24)]
    results, _ = fetch_all(urls, config=make_config(delay=0.2))
    assert all(r.ok for r in results)
    times = [h.at for h in site.hits(site.b)]
    gaps = [later - earlier for earlier, later in zip(times, times[1:], strict=False)]
    assert len(times) == 5 and min(gaps) >= 0.19


def test_robots_crawl_delay_is_obeyed_when_longer_than_ours(site):
    from .fixture_site import Resource

    site.b.routes["/robots.txt"] = Resource(b"User-agent: *\nCrawl-delay: 0.3\n", "text/plain")
    results, _ = fetch_all(
        [site.b.base + f"/b/{n}.html" for n in (21, 22, 23)], config=make_config(delay=0.01)
    )
    assert all(r.ok for r in results)
    pages = [h.at for h in site.hits(site.b) if h.path.startswith("/b/")]
    assert len(pages) == 3 and min(b - a for a, b in zip(pages, pages[1:], strict=False)) >= 0.29


def test_deflate_bodies_with_and_without_zlib_header_are_decoded(site):
    import zlib

    from .fixture_site import Resource

    raw = zlib.compressobj(6, zlib.DEFLATED, -15)
    site.a.routes["/zlib.html"] = Resource(
        zlib.compress(article_html(8)), headers={"Content-Encoding": "deflate"}
    )
    site.a.routes["/raw.html"] = Resource(
        raw.compress(article_html(9)) + raw.flush(), headers={"Content-Encoding": "deflate"}
    )
    site.a.routes["/br.html"] = Resource(b"\x8b\x00", headers={"Content-Encoding": "br"})
    results, _ = fetch_all([site.a.base + p for p in ("/zlib.html", "/raw.html", "/br.html")])
    assert [r.content.decode("utf-8") for r in results[:2]] == [
        article_html(8).decode(),
        article_html(9).decode(),
    ]
    assert results[2].error == "unsupported Content-Encoding 'br'"


def test_redirect_status_without_location_is_an_error(site):
    from .fixture_site import Resource

    site.a.routes["/nowhere"] = Resource(b"", "text/html", 302)
    [result], _ = fetch_all([site.a.base + "/nowhere"])
    assert result.error == f"HTTP 302 from {site.a.base}/nowhere" and not result.ok
