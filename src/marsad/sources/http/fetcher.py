"""The fetcher: polite, capped, conditional HTTP GETs for the crawler.

One `Fetcher` serves a whole crawl. For every URL it:
- refuses anything but http/https, and (through `safety.SafeTransport`) any address the policy refuses,
  on the first request and on every redirect hop;
- obeys robots.txt of the URL's origin (fetched once per origin per crawl, parsed by protego), including
  its Crawl-delay when that is longer than ours;
- waits its turn on the host: at most `per_host` requests at once and `delay` seconds between one request
  ending and the next starting;
- sends If-None-Match / If-Modified-Since when it knows the validators, and reports 304 as not modified;
- retries connection errors, timeouts, 429 and 5xx with exponential backoff (Retry-After is honoured up
  to a cap);
- caps the time of the whole exchange, the bytes on the wire, the bytes after gzip/deflate (decompressed
  here, chunk by chunk with a bound, so a gzip bomb costs at most the cap) and the redirect count;
- checks the content type before reading the body, and finds the charset with marsad.charsets, the
  decoder every path uses (so a crawled page reads as the same file would).

Bodies are returned as published bytes; the detected charset travels beside them.
"""

from __future__ import annotations

import asyncio
import ssl
import zlib
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any, Literal, Protocol
from urllib.parse import urljoin, urlsplit

import httpx
from protego import Protego

from marsad import __version__
from marsad.charsets import charset_param, decode
from marsad.sources.http.safety import (
    AddressPolicy,
    BlockedAddress,
    BlockedURL,
    Resolver,
    SafeNetworkBackend,
    SafeTransport,
    check_url,
    system_resolver,
)

PROJECT_URL = "https://github.com/marsad-news/marsad"
USER_AGENT = f"Marsad/{__version__} (+{PROJECT_URL}; Arabic news observatory)"
ROBOTS_AGENT = "Marsad"

FetchKind = Literal["page", "feed", "robots"]

PAGE_TYPES = frozenset({"text/html", "application/xhtml+xml"})
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})


@dataclass(frozen=True)
class FetchConfig:
    """How polite and how careful a crawl is. The defaults suit the open web."""

    user_agent: str = USER_AGENT
    delay: float = 2.0  # seconds between one request to a host ending and the next starting
    per_host: int = 1  # requests in flight per host at once
    connect_timeout: float = 10.0
    read_timeout: float = 20.0
    total_timeout: float = 60.0  # the whole exchange, body included (defeats a page that trickles)
    max_bytes: int = 10_000_000  # bytes on the wire
    max_decoded_bytes: int = 30_000_000  # bytes after gzip/deflate
    max_redirects: int = 5
    retries: int = 2
    backoff: float = 2.0  # first retry waits this long, then doubles
    max_retry_after: float = 120.0
    max_crawl_delay: float = 60.0  # a robots.txt Crawl-delay is honoured up to this
    robots_ttl: float = 86_400.0  # a kept robots.txt is used this long before it is revalidated
    policy: AddressPolicy = field(default_factory=AddressPolicy)
    verify: ssl.SSLContext | bool = True  # TLS certificate checks (a context to trust a private CA)


@dataclass
class FetchResult:
    """What one fetch gave. `error` is one clear sentence when nothing usable came back."""

    url: str
    final_url: str
    status: int | None = None
    content: bytes = b""
    content_type: str = ""  # media type only, lower case
    encoding: str | None = None  # Python codec name of the body's charset
    etag: str | None = None
    last_modified: str | None = None
    fetched_at: datetime = field(default_factory=lambda: datetime.now(UTC))
    error: str | None = None
    blocked: bool = False  # refused by the address policy, the scheme check or robots.txt
    redirects: list[str] = field(default_factory=list)
    location: str | None = None  # set on a redirect response while hops are being followed
    retry_after: float | None = None
    transient: bool = False  # a timeout or network error: worth another try

    @property
    def not_modified(self) -> bool:
        return self.error is None and self.status == 304

    @property
    def ok(self) -> bool:
        return self.error is None and self.status is not None and 200 <= self.status < 300


class RobotsAnswer(Protocol):
    """A kept robots.txt answer (marsad.store.crawl.StoredRobots)."""

    status: int
    body: str
    etag: str | None
    last_modified: str | None
    fetched_at: datetime


class RobotsCache(Protocol):
    """Where robots.txt answers are kept between crawls (marsad.store.crawl.RobotsTable)."""

    def load(self, origin: str) -> RobotsAnswer | None: ...

    def save(self, origin: str, **fields: Any) -> None: ...


class FetchRefused(Exception):
    """A response we stop reading: too big, wrong type, bad encoding."""


class HostSlot:
    """Turns for one host: at most `per_host` at once, `delay` seconds apart."""

    def __init__(self, per_host: int, delay: float) -> None:
        self.semaphore = asyncio.Semaphore(per_host)
        self.delay = delay
        self.next_start = 0.0

    @asynccontextmanager
    async def turn(self) -> AsyncIterator[None]:
        async with self.semaphore:
            loop = asyncio.get_running_loop()
            now = loop.time()
            start = max(now, self.next_start)
            self.next_start = start + self.delay
            if start > now:
                await asyncio.sleep(start - now)
            try:
                yield
            finally:
                self.next_start = max(self.next_start, loop.time() + self.delay)


class Fetcher:
    """One per crawl: `async with Fetcher(config) as fetcher: result = await fetcher.fetch(url)`."""

    def __init__(
        self,
        config: FetchConfig | None = None,
        *,
        resolver: Resolver = system_resolver,
        backend: SafeNetworkBackend | None = None,
        robots_cache: RobotsCache | None = None,
    ) -> None:
        self.config = config or FetchConfig()
        self.robots_cache = robots_cache
        self.backend = backend or SafeNetworkBackend(self.config.policy, resolver)
        self.client = httpx.AsyncClient(
            transport=SafeTransport(self.backend, verify=self.config.verify),
            follow_redirects=False,
            trust_env=False,
            timeout=httpx.Timeout(
                self.config.read_timeout, connect=self.config.connect_timeout, pool=self.config.total_timeout
            ),
            headers={
                "User-Agent": self.config.user_agent,
                "Accept-Encoding": "gzip, deflate",
                "Accept-Language": "ar, *;q=0.5",
            },
        )
        self._slots: dict[str, HostSlot] = {}
        self._robots: dict[str, Protego | Literal[True] | FetchResult] = {}
        self._robots_locks: dict[str, asyncio.Lock] = {}
        self.requests = 0

    async def __aenter__(self) -> Fetcher:
        return self

    async def __aexit__(self, *exc) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        await self.client.aclose()

    # -- the public call ---------------------------------------------------------------------------

    async def fetch(
        self,
        url: str,
        *,
        kind: FetchKind = "page",
        etag: str | None = None,
        last_modified: str | None = None,
    ) -> FetchResult:
        """GET `url`, following redirects by hand so each hop is checked like the first."""
        headers = _conditional_headers(etag, last_modified)
        headers["Accept"] = _accept(kind)
        current = url
        hops: list[str] = []
        for _ in range(self.config.max_redirects + 1):
            try:
                check_url(current)
            except BlockedURL as error:
                return FetchResult(url, current, error=str(error), blocked=True, redirects=hops)
            if kind != "robots":
                refusal = await self._robots_refusal(current)
                if refusal is not None:
                    refusal.url, refusal.redirects = url, hops
                    return refusal
            result = await self._with_retries(current, headers, kind)
            result.url, result.redirects = url, list(hops)
            if result.location is None:
                return result
            hops.append(current)
            current = result.location
        return FetchResult(
            url, current, error=f"more than {self.config.max_redirects} redirects", redirects=hops
        )

    # -- robots.txt --------------------------------------------------------------------------------

    async def _robots_refusal(self, url: str) -> FetchResult | None:
        """None when robots.txt lets us fetch `url`; else the refusal as a result."""
        origin = _origin(url)
        rules = await self._robots_for(origin)
        if isinstance(rules, FetchResult):  # robots.txt itself refused (address policy) or unreachable
            return FetchResult(url, url, error=rules.error, blocked=rules.blocked, transient=rules.transient)
        if rules is True:
            return None
        if not rules.can_fetch(url, ROBOTS_AGENT):
            return FetchResult(url, url, error=f"robots.txt of {origin} disallows {url}", blocked=True)
        return None

    async def _robots_for(self, origin: str) -> Protego | Literal[True] | FetchResult:
        lock = self._robots_locks.setdefault(origin, asyncio.Lock())
        async with lock:
            if origin not in self._robots:
                self._robots[origin] = await self._load_robots(origin)
            return self._robots[origin]

    async def _load_robots(self, origin: str) -> Protego | Literal[True] | FetchResult:
        """Protego rules; True (all allowed) for 4xx; a refusal when unreachable (RFC 9309).

        With a `robots_cache`, an answer younger than `robots_ttl` is used without asking, an older one
        is revalidated with a conditional GET; an unreachable robots.txt is not kept (asked again next time).
        """
        now = datetime.now(UTC)
        cached = self.robots_cache.load(origin) if self.robots_cache else None
        if cached is not None and (now - cached.fetched_at).total_seconds() < self.config.robots_ttl:
            return self._robots_rules(origin, cached.status, cached.body)
        # a usable answer kept: revalidated with a conditional GET
        valid = cached if cached is not None and 200 <= cached.status < 300 else None
        result = await self.fetch(
            origin + "/robots.txt",
            kind="robots",
            etag=valid.etag if valid is not None else None,
            last_modified=valid.last_modified if valid is not None else None,
        )
        if result.blocked:
            return result
        if result.not_modified and valid is not None:
            status, body, etag, modified = valid.status, valid.body, valid.etag, valid.last_modified
        elif result.status is not None and (  # (a result that is ok has a status)
            result.ok or (400 <= result.status < 500 and result.status != 429)
        ):
            body = result.content.decode(result.encoding or "utf-8", errors="replace") if result.ok else ""
            status, etag, modified = result.status, result.etag, result.last_modified
        else:  # RFC 9309: an unreachable robots.txt means nothing may be fetched, for now
            reason = f"HTTP {result.status}" if result.status else result.error
            error = f"robots.txt of {origin} cannot be read ({reason}); nothing there is fetched until it can"
            return FetchResult(origin + "/robots.txt", origin + "/robots.txt", error=error, transient=True)
        if self.robots_cache:
            self.robots_cache.save(
                origin, status=status, body=body, etag=etag, last_modified=modified, fetched_at=now
            )
        return self._robots_rules(origin, status, body)

    def _robots_rules(self, origin: str, status: int, body: str) -> Protego | Literal[True]:
        if not 200 <= status < 300:
            return True
        rules = Protego.parse(body)
        delay = rules.crawl_delay(ROBOTS_AGENT)
        if delay:
            slot = self._slot(origin)
            slot.delay = max(slot.delay, min(float(delay), self.config.max_crawl_delay))
        return rules

    # -- one request, with retries and the host's turn ------------------------------------------------

    def _slot(self, origin_or_url: str) -> HostSlot:
        key = urlsplit(origin_or_url).netloc.lower()
        if key not in self._slots:
            self._slots[key] = HostSlot(self.config.per_host, self.config.delay)
        return self._slots[key]

    async def _with_retries(self, url: str, headers: dict[str, str], kind: FetchKind) -> FetchResult:
        attempt = 0
        while True:
            async with self._slot(url).turn():
                result = await self._request(url, headers, kind)
            if attempt >= self.config.retries or not _retryable(result):
                return result
            wait = self.config.backoff * 2**attempt
            if result.retry_after is not None:
                wait = max(wait, min(result.retry_after, self.config.max_retry_after))
            await asyncio.sleep(wait)
            attempt += 1

    async def _request(self, url: str, headers: dict[str, str], kind: FetchKind) -> FetchResult:
        self.requests += 1
        result = FetchResult(url, url)
        try:
            async with asyncio.timeout(self.config.total_timeout):
                async with self.client.stream("GET", url, headers=headers) as response:
                    await self._read_response(response, result, kind)
        except BlockedAddress as error:
            result.error, result.blocked = str(error), True
        except FetchRefused as error:
            result.error = str(error)
        except (TimeoutError, httpx.TimeoutException):
            result.error, result.transient = f"timed out fetching {url}", True
        except httpx.HTTPError as error:
            result.error = f"{type(error).__name__} fetching {url}: {error}"
            result.transient = isinstance(error, httpx.TransportError)
        except (httpx.InvalidURL, ValueError, UnicodeError) as error:
            result.error = f"cannot fetch {url}: {error}"
        return result

    async def _read_response(self, response: httpx.Response, result: FetchResult, kind: FetchKind) -> None:
        status = result.status = response.status_code
        result.etag = response.headers.get("etag")
        result.last_modified = response.headers.get("last-modified")
        if status in REDIRECT_STATUSES and "location" in response.headers:
            result.location = urljoin(str(response.url), response.headers["location"])
            return
        if status == 304:
            return
        if not 200 <= status < 300:  # errors, and 1xx/3xx we cannot follow (no Location)
            result.error = f"HTTP {status} from {response.url}"
            result.retry_after = _retry_after(response.headers.get("retry-after"))
            return
        media_type, charset = _content_type(response.headers.get("content-type", ""))
        _check_media_type(media_type, kind, str(response.url))
        declared = response.headers.get("content-length")
        if declared and declared.isdigit() and int(declared) > self.config.max_bytes:
            raise FetchRefused(
                f"{response.url} declares {declared} bytes, over the {self.config.max_bytes} cap"
            )
        body = await self._read_capped(response)
        result.content, result.content_type = body, media_type
        result.encoding = detect_encoding(body, charset)
        result.fetched_at = datetime.now(UTC)

    async def _read_capped(self, response: httpx.Response) -> bytes:
        decoder = _Decoder(response.headers.get("content-encoding", ""), self.config.max_decoded_bytes)
        wire = 0
        async for chunk in response.aiter_raw():
            wire += len(chunk)
            if wire > self.config.max_bytes:
                raise FetchRefused(f"{response.url} is larger than the {self.config.max_bytes}-byte cap")
            decoder.feed(chunk, str(response.url))
        return decoder.finish(str(response.url))


class _Decoder:
    """gzip/deflate decoding with a hard bound on the output, fed one network chunk at a time."""

    def __init__(self, content_encoding: str, limit: int) -> None:
        codings = [c.strip().lower() for c in content_encoding.split(",") if c.strip()]
        codings = [c for c in codings if c != "identity"]
        if len(codings) > 1 or (codings and codings[0] not in ("gzip", "x-gzip", "deflate")):
            raise FetchRefused(f"unsupported Content-Encoding {content_encoding!r}")
        self.coding = codings[0] if codings else None
        self.limit = limit
        self.out = bytearray()
        self.zlib = (
            zlib.decompressobj(47 if self.coding in ("gzip", "x-gzip") else 15) if self.coding else None
        )
        # first deflate bytes, until we know whether they carry a zlib header (None once known)
        self.pending: bytes | None = b""

    def feed(self, chunk: bytes, url: str) -> None:
        if self.zlib is None:
            self.out += chunk
        else:
            if self.coding == "deflate" and not self.out and self.pending is not None:
                chunk = self._choose_deflate(self.pending, chunk)
            data = chunk
            while data:
                room = self.limit - len(self.out)
                self.out += self.zlib.decompress(data, room + 1)
                data = self.zlib.unconsumed_tail
                if len(self.out) > self.limit:
                    break
        if len(self.out) > self.limit:
            raise FetchRefused(f"{url} decompresses to more than the {self.limit}-byte cap")

    def _choose_deflate(self, pending: bytes, chunk: bytes) -> bytes:
        """Servers send "deflate" both with and without the zlib header; look at the first bytes."""
        head = pending + chunk
        self.pending = None
        if len(head) >= 2 and (head[0] & 0x0F) == 8 and ((head[0] << 8) | head[1]) % 31 == 0:
            self.zlib = zlib.decompressobj(15)
        else:
            self.zlib = zlib.decompressobj(-15)
        return head

    def finish(self, url: str) -> bytes:
        if self.zlib is not None:
            try:
                self.out += self.zlib.flush()
            except zlib.error as error:
                raise FetchRefused(f"{url}: broken {self.coding} body: {error}") from error
            if len(self.out) > self.limit:
                raise FetchRefused(f"{url} decompresses to more than the {self.limit}-byte cap")
        return bytes(self.out)


# -- helpers ----------------------------------------------------------------------------------------


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme.lower()}://{parts.netloc.lower()}"


def _conditional_headers(etag: str | None, last_modified: str | None) -> dict[str, str]:
    headers = {}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    return headers


def _accept(kind: FetchKind) -> str:
    if kind == "page":
        return "text/html,application/xhtml+xml;q=0.9,*/*;q=0.1"
    if kind == "feed":
        return "application/rss+xml,application/atom+xml,application/xml;q=0.9,text/xml;q=0.9,*/*;q=0.1"
    return "text/plain,*/*;q=0.5"


def _retryable(result: FetchResult) -> bool:
    return not result.blocked and (result.status in RETRY_STATUSES or result.transient)


def _retry_after(value: str | None) -> float | None:
    if not value:
        return None
    if value.strip().isdigit():
        return float(value.strip())
    try:
        return max(0.0, (parsedate_to_datetime(value) - datetime.now(UTC)).total_seconds())
    except (TypeError, ValueError):
        return None


def _content_type(header: str) -> tuple[str, str | None]:
    """("text/html", "windows-1256") from "text/html; charset=windows-1256"."""
    return header.partition(";")[0].strip().lower(), charset_param(header)


def _check_media_type(media_type: str, kind: FetchKind, url: str) -> None:
    """Pages must be HTML; feeds and sitemaps XML or text; robots.txt anything textual."""
    if not media_type:
        return  # no header: let the body speak (extraction or feed parsing will judge it)
    if kind == "page" and media_type not in PAGE_TYPES:
        raise FetchRefused(f"{url} is {media_type}, not an HTML page")
    if kind == "feed" and not (
        "xml" in media_type
        or media_type.startswith("text/")
        or media_type in ("application/octet-stream", "application/x-gzip", "application/gzip")
    ):
        raise FetchRefused(f"{url} is {media_type}, not a feed or sitemap")


def detect_encoding(body: bytes, declared: str | None = None) -> str | None:
    """The body's charset as a Python codec name, decided by marsad.charsets (the decoder every path uses):
    BOM, UTF-8, the header's label, the document's own, then detection. None for an empty body."""
    return decode(body, declared).codec if body else None
