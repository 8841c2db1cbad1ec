"""What every route shares: one Store per worker thread (on PostgreSQL over the process's connection pool),
settings, a short-lived cache of the listings, who a client is (its address's network, behind trusted
proxies only), CSRF and report tokens, the sign-in throttle and the signed-in account's session."""

from __future__ import annotations

import importlib.resources
import ipaddress
import os
import re
import secrets
import threading
import time
from collections.abc import Callable
from pathlib import Path as FilePath
from typing import Annotated, Any, TypeVar

from fastapi import Path, Request
from fastapi.templating import Jinja2Templates
from itsdangerous import BadSignature, URLSafeTimedSerializer

from marsad.settings import SettingError, resolve
from marsad.store import accounts, articles, reports
from marsad.store.accounts import Account
from marsad.store.db import Store, is_read_only
from marsad.web import present

HERE = FilePath(__file__).parent
# Swagger UI's script and stylesheet for /docs, as the installed fastapi-offline package ships them
DOCS_ASSETS = FilePath(str(importlib.resources.files("fastapi_offline") / "static"))
SESSION_COOKIE = "marsad_admin"  # the name older archives' moderators signed in with
SESSION_AGE = 12 * 3600
CSRF_AGE = 24 * 3600
REPORT_TOKEN_AGE = 2 * 3600  # a report needs a page (or API) view of the article within two hours
# Sign-in throttle: failures allowed free per network and per account name; after them each try must wait
# LOGIN_BASE_DELAY * 2**(extra failures) seconds after the last failure, up to LOGIN_MAX_DELAY; a key's
# failures are forgotten LOGIN_FORGET seconds after its last one.
LOGIN_FREE_PER_NETWORK = 5
LOGIN_FREE_PER_ACCOUNT = 20
LOGIN_BASE_DELAY = 1.0
LOGIN_MAX_DELAY = 900.0
LOGIN_FORGET = 6 * 3600.0
# A Host header as a browser sends it: a DNS name or an address, with an optional port.
_HOST = re.compile(
    r"(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*"
    r"|\[[0-9A-Fa-f:.]+\])(?::[0-9]{1,5})?"
)
CSRF_PAGES = ("article.html", "login.html", "account.html")  # pages with forms that post
CACHE_SECONDS = 10.0
CACHE_ENTRIES = 500
# An expired listing is served while its successor is built only this long after it expired: an older one
# (after a quiet spell) is rebuilt first, so that a card's "منذ ساعتين" is never a day old.
STALE_SECONDS = 60.0

T = TypeVar("T")

CATEGORY_NAMES = {
    "culture": "ثقافة",
    "economy": "اقتصاد",
    "internationalNews": "دولي",
    "middleEast": "الشرق الأوسط",
    "sport": "رياضة",
    "technology": "تكنولوجيا",
    "politics": "سياسة",
    "society": "مجتمع",
}


def category_name(name: str) -> str:
    return CATEGORY_NAMES.get(name, name)


IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network


def parse_networks(texts: tuple[str, ...]) -> tuple[IPNetwork, ...]:
    """The trusted proxies' networks; ValueError naming a bad one."""
    found = []
    for text in texts:
        try:
            found.append(ipaddress.ip_network(text, strict=False))
        except ValueError:
            raise ValueError(f"trusted_proxies: {text!r} is not an address or network") from None
    return tuple(found)


def _ip(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    text = text.strip()
    if text.startswith("[") and "]" in text:  # [v6]:port
        text = text[1 : text.index("]")]
    elif text.count(":") == 1:  # v4:port
        text = text.split(":")[0]
    try:
        ip = ipaddress.ip_address(text)
    except ValueError:
        return None
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        return ip.ipv4_mapped
    return ip


def network_of(address: str) -> str:
    """The network that stands for one reader: the /24 of an IPv4 address, the /64 of an IPv6 one (what one
    home, office or phone line is usually given); anything else as it is."""
    ip = _ip(address)
    if ip is None:
        return address or "unknown"
    prefix = 24 if ip.version == 4 else 64
    return str(ipaddress.ip_network(f"{ip}/{prefix}", strict=False))


class Throttle:
    """Failures per key, with growing waits: after `free` failures, each try must wait
    base * 2**(failures - free) seconds after the last failure (at most `cap`)."""

    def __init__(self, free: int, clock: Callable[[], float] = time.monotonic):
        self.free = free
        self.clock = clock
        self._failures: dict[str, tuple[int, float]] = {}  # key -> (count, time of the last)
        self._lock = threading.Lock()

    def wait(self, key: str) -> float:
        """Seconds before KEY may try again (0: now)."""
        with self._lock:
            count, last = self._failures.get(key, (0, 0.0))
            now = self.clock()
            if count and now - last > LOGIN_FORGET:
                self._failures.pop(key, None)
                return 0.0
            if count < self.free:
                return 0.0
            delay = min(LOGIN_MAX_DELAY, LOGIN_BASE_DELAY * 2 ** min(count - self.free, 30))
            return max(0.0, last + delay - now)

    def failed(self, key: str) -> None:
        with self._lock:
            now = self.clock()
            if len(self._failures) > 100_000:  # bounded: drop what is forgotten anyway
                self._failures = {k: v for k, v in self._failures.items() if now - v[1] <= LOGIN_FORGET}
            count, _ = self._failures.get(key, (0, 0.0))
            self._failures[key] = (count + 1, now)

    def clear(self, key: str) -> None:
        with self._lock:
            self._failures.pop(key, None)


class Reader:
    """The app's state: the database path, settings, secrets, templates and the listing cache."""

    def __init__(
        self,
        db_path: str | os.PathLike,
        report_threshold: int | None,
        report_limit: int | None,
        *,
        report_global_limit: int | None = None,
        report_burst: int | None = None,
        trusted_proxies: tuple[str, ...] | list[str] | None = None,
        base_url: str | None = None,
        request_max_bytes: int | None = None,
    ):
        self.db_path = FilePath(db_path)
        self._local = threading.local()
        self._cache: dict[Any, tuple[float, Any]] = {}
        self._cache_lock = threading.Lock()
        self._building: dict[Any, threading.Lock] = {}
        self._refreshing: set[Any] = set()
        # A database file that may not be written is served read-only: every page and API route reads, and
        # reports and moderation answer that they cannot be stored.
        self.readonly = is_read_only(self.db_path)
        setup = Store(self.db_path, readonly=self.readonly)  # applies any pending migrations when writable
        try:
            stored = reports.stored_settings(setup)
            self.threshold = resolve("report_threshold", report_threshold, stored=stored)
            self.report_limit = resolve("report_rate_limit", report_limit, stored=stored)
            self.article_view_chars = resolve("article_view_chars")
            self.report_global_limit = resolve("report_global_rate_limit", report_global_limit, stored=stored)
            self.report_burst = resolve("report_burst_items", report_burst, stored=stored)
            secret = self._secret(setup, "session_secret")
            self.salt = self._secret(setup, "client_salt")
        finally:
            setup.close()
        self.signer = URLSafeTimedSerializer(secret, salt="marsad")
        try:
            self.trusted_proxies = parse_networks(tuple(resolve("trusted_proxies", trusted_proxies)))
        except ValueError as error:
            raise SettingError(str(error)) from None
        self.base_url = str(resolve("base_url", base_url)).strip().rstrip("/")
        if self.base_url and not present.safe_url(self.base_url):
            raise SettingError(f"base_url: {self.base_url!r} is not an http(s) address")
        self.request_max_bytes = resolve("request_max_bytes", request_max_bytes)
        self.static_version = secrets.token_hex(4)
        self.templates = Jinja2Templates(directory=str(HERE / "templates"))
        env = self.templates.env
        env.globals.update(
            arabic_date=present.arabic_date,
            read_at_source=present.read_at_source,
            safe_url=present.safe_url,
            short_title=present.short_title,
            paragraph_html=present.paragraph_html,
            counted=present.counted,
            relative_time=present.relative_time,
            category_name=category_name,
            static_version=self.static_version,
        )
        env.trim_blocks = True
        env.lstrip_blocks = True
        self._login_lock = threading.Lock()
        # a read-only archive keeps the generations its sign-outs set in memory: account id -> generation
        self._ended: dict[int, str] = {}
        self.network_throttle = Throttle(LOGIN_FREE_PER_NETWORK)
        self.account_throttle = Throttle(LOGIN_FREE_PER_ACCOUNT)

    def _secret(self, store: Store, key: str) -> str:
        """A secret kept in the archive (made on first use); for a read-only one that has none, one for
        as long as this process serves it."""
        if self.readonly:
            return reports.get_setting(store, key) or secrets.token_hex(32)
        return reports.secret_setting(store, key)

    # one Store per worker thread: sqlite3 connections must not be shared between threads at once; on
    # PostgreSQL the threads' Stores borrow from the process's pool of connections (marsad.store.pgpool)
    @property
    def store(self) -> Store:
        store = getattr(self._local, "store", None)
        if store is None:
            store = Store(self.db_path, readonly=self.readonly, pooled=True)
            self._local.store = store
        return store

    def cached(self, key: Any, make: Callable[[], T], seconds: float = CACHE_SECONDS) -> T:
        """`make()` kept for `seconds`. Once expired, one thread rebuilds it while the others go on
        serving the stale value, so a slow listing never stalls every request at once."""
        now = time.monotonic()
        hit = self._cache.get(key)
        if hit is not None and hit[0] > now:
            return hit[1]
        if hit is not None and hit[0] + STALE_SECONDS <= now:
            hit = None  # too old to serve while another thread rebuilds it: wait for the new one
        with self._cache_lock:
            building = self._building.setdefault(key, threading.Lock())
        if hit is not None and not building.acquire(blocking=False):
            return hit[1]  # another thread is rebuilding it
        if hit is None:
            building.acquire()
            hit = self._cache.get(key)
            if hit is not None and hit[0] > time.monotonic():  # built while we waited
                building.release()
                return hit[1]
        try:
            value = make()
            with self._cache_lock:
                if len(self._cache) >= CACHE_ENTRIES:  # bounded: drop what expired, or everything
                    self._cache = {k: v for k, v in self._cache.items() if v[0] > now}
                    if len(self._cache) >= CACHE_ENTRIES:
                        self._cache = {}
                        self._building = {}
                self._cache[key] = (time.monotonic() + seconds, value)
        finally:
            building.release()
        return value

    def forget(self) -> None:
        """Drop every cached listing (after an item is hidden or restored)."""
        with self._cache_lock:
            self._cache.clear()

    # --- clients, CSRF and sessions ---------------------------------------------------------------------

    def _from_proxy(self, request: Request) -> bool:
        peer = _ip(request.client.host) if request.client else None
        return peer is not None and any(peer in net for net in self.trusted_proxies)

    def address(self, request: Request) -> str:
        """The client's address: the peer's, or behind a trusted proxy the last address in X-Forwarded-For
        that is not itself a trusted proxy (the one a trusted proxy saw). Never stored."""
        peer = request.client.host if request.client else ""
        if not self._from_proxy(request):
            return peer
        hops = [h for h in ",".join(request.headers.getlist("x-forwarded-for")).split(",") if h.strip()]
        found = peer
        for hop in reversed(hops):
            ip = _ip(hop)
            if ip is None:
                break  # garbled: keep the last address a trusted proxy vouched for
            found = str(ip)
            if not any(ip in net for net in self.trusted_proxies):
                break
        return found

    def is_https(self, request: Request) -> bool:
        """Whether the request came over TLS: directly, or as a trusted proxy's X-Forwarded-Proto says."""
        if self._from_proxy(request):
            proto = request.headers.get("x-forwarded-proto", "").split(",")[-1].strip().lower()
            if proto:
                return proto == "https"
        return request.url.scheme == "https"

    def public_base(self, request: Request) -> str:
        """The reader's address for feed ids and links: the base_url setting, else the request's scheme and
        Host when the Host is a plain host name or address (else the address the server listens on)."""
        if self.base_url:
            return self.base_url
        scheme = "https" if self.is_https(request) else "http"
        host = request.headers.get("host", "")
        if not (len(host) <= 260 and _HOST.fullmatch(host)):
            name, port = request.scope.get("server") or ("localhost", None)
            name = f"[{name}]" if ":" in name else name
            default = 443 if scheme == "https" else 80
            host = f"{name}:{port}" if port and port != default else name
        return f"{scheme}://{host}"

    def network(self, request: Request) -> str:
        return network_of(self.address(request))

    def reporter(self, request: Request) -> str:
        """Who counts as one reader for reports: the signed-in account, else the client's network, as a
        salted hash (a User-Agent, which costs nothing to change, plays no part)."""
        account = self.account(request)
        identity = f"account:{account.name}" if account else f"network:{self.network(request)}"
        return reports.client_hash(self.salt, identity)

    def client(self, request: Request) -> str:
        """One browser, for binding CSRF tokens and sessions: its network and User-Agent, hashed."""
        return reports.client_hash(
            self.salt, f"network:{self.network(request)}", request.headers.get("user-agent", "")
        )

    def report_token(self, request: Request, article_id: int) -> str:
        """A signed token for reporting ARTICLE_ID, valid REPORT_TOKEN_AGE seconds for this reader."""
        return self.signer.dumps({"a": article_id, "r": self.reporter(request)}, salt="report")

    def report_token_ok(self, request: Request, article_id: int, token: str | None) -> bool:
        if not token:
            return False
        try:
            value = self.signer.loads(token, salt="report", max_age=REPORT_TOKEN_AGE)
        except BadSignature:
            return False
        return (
            isinstance(value, dict)
            and value.get("a") == article_id
            and secrets.compare_digest(str(value.get("r")), self.reporter(request))
        )

    def csrf_token(self, request: Request) -> str:
        return self.signer.dumps(self.client(request), salt="csrf")

    def csrf_ok(self, request: Request, token: str | None) -> bool:
        if not token:
            return False
        try:
            value = self.signer.loads(token, salt="csrf", max_age=CSRF_AGE)
        except BadSignature:
            return False
        return secrets.compare_digest(str(value), self.client(request))

    def _generation(self, account_id: int) -> str:
        if account_id in self._ended:
            return self._ended[account_id]
        return "0" if account_id == 0 else accounts.generation(self.store, account_id)

    def end_sessions(self, account: Account) -> None:
        """Every session of ACCOUNT ends (a sign-out): cookies of an older generation stop working."""
        if self.readonly:
            self._ended[account.id] = secrets.token_hex(8)
        else:
            accounts.end_sessions(self.store, account.id)

    def session_cookie(self, request: Request, account: Account) -> str:
        value = {"account": account.id, "client": self.client(request), "gen": self._generation(account.id)}
        return self.signer.dumps(value, salt="session")

    def account(self, request: Request) -> Account | None:
        """The account signed in on this request's session cookie: made for this browser, of the account's
        current generation, the account enabled. Looked up once per request."""
        if "marsad_account" not in request.scope:
            request.scope["marsad_account"] = self._session_account(request)
        return request.scope["marsad_account"]

    def _session_account(self, request: Request) -> Account | None:
        token = request.cookies.get(SESSION_COOKIE)
        if not token:
            return None
        try:
            value = self.signer.loads(token, salt="session", max_age=SESSION_AGE)
        except BadSignature:
            return None
        if not (
            isinstance(value, dict)
            and type(value.get("account")) is int
            and isinstance(value.get("gen"), str)
            and value.get("client") == self.client(request)
        ):
            return None
        account_id, generation = value["account"], value["gen"]
        if account_id in self._ended and self._ended[account_id] != generation:
            return None
        return accounts.session_account(self.store, account_id, generation)

    def is_admin(self, request: Request) -> bool:
        account = self.account(request)
        return account is not None and account.is_admin

    def can_moderate(self, request: Request) -> bool:
        account = self.account(request)
        return account is not None and account.can_moderate

    def login_attempt(self, request: Request, name: str) -> float:
        """Seconds this network must still wait before trying a password for account NAME (the longer of
        its own wait and the name's), or 0: then the try is counted as a failure at once, before the
        password is checked, so that simultaneous tries cannot all slip through one opening (a success
        clears it). Unknown names are throttled alike, so a wait says nothing of which names exist."""
        network, key = self.network(request), _throttle_key(name)
        with self._login_lock:
            wait = max(self.network_throttle.wait(network), self.account_throttle.wait(key))
            if wait <= 0:
                self.network_throttle.failed(network)
                self.account_throttle.failed(key)
        return wait

    def login_succeeded(self, request: Request, name: str) -> None:
        self.network_throttle.clear(self.network(request))
        self.account_throttle.clear(_throttle_key(name))

    def render(self, request: Request, name: str, context: dict[str, Any], status_code: int = 200):
        account = self.account(request)
        # a signed-in account's header has the sign-out form
        needs_csrf = name in CSRF_PAGES or name.startswith("admin/") or account is not None
        csrf = self.csrf_token(request) if needs_csrf else ""
        base = {"csrf": csrf, "ticker": self.ticker(), "is_admin": self.is_admin(request), "account": account}
        return self.templates.TemplateResponse(request, name, {**base, **context}, status_code=status_code)

    async def shared_page(
        self,
        request: Request,
        key: Any,
        name: str,
        make: Callable[[], dict[str, Any] | None],
        seconds: float = CACHE_SECONDS,
    ):
        """A page that is the same for every reader (no form, no per-client token), rendered once and kept
        for `seconds`; `make` returns its context, or None for a 404. Building happens in the thread pool,
        and an expired page is served while a worker renders its successor, so the event loop never waits
        on a slow listing; one expired more than STALE_SECONDS ago is rebuilt before it is answered."""
        from fastapi import HTTPException
        from fastapi.responses import HTMLResponse
        from starlette.concurrency import run_in_threadpool

        account = self.account(request)
        # a signed-in account's copy carries its name and its browser's CSRF token (the sign-out form)
        client = self.client(request) if account else None
        csrf = self.csrf_token(request) if account else ""
        full_key = ("page", key, False) if account is None else ("page", key, account, client)

        def build() -> str | None:
            context = make()
            if context is None:
                return None
            admin = account is not None and account.is_admin
            base = {"csrf": csrf, "ticker": self.ticker(), "is_admin": admin, "account": account}
            base["request"] = request
            return self.templates.env.get_template(name).render({**base, **context})

        hit = self._cache.get(full_key)
        if hit is None or hit[0] + STALE_SECONDS <= time.monotonic():
            html = await run_in_threadpool(self.cached, full_key, build, seconds)
        else:
            if hit[0] <= time.monotonic():
                self._refresh_later(full_key, build, seconds)
            html = hit[1]
        if html is None:
            raise HTTPException(404)
        return HTMLResponse(html)

    def _refresh_later(self, key: Any, build: Callable[[], Any], seconds: float) -> None:
        import asyncio

        with self._cache_lock:
            if key in self._refreshing:
                return
            self._refreshing.add(key)

        def rebuild() -> None:
            try:
                value = build()
                with self._cache_lock:
                    if key in self._cache:  # not forgotten meanwhile (an item hidden or restored)
                        self._cache[key] = (time.monotonic() + seconds, value)
            finally:
                with self._cache_lock:
                    self._refreshing.discard(key)

        asyncio.get_running_loop().run_in_executor(None, rebuild)

    def ticker(self) -> list[articles.ArticleItem]:
        return self.cached("ticker", lambda: articles.latest(self.store, 20))


def _throttle_key(name: str) -> str:
    return name.strip().lower()[:64]


def reader_of(request: Request) -> Reader:
    return request.app.state.reader


# Ids as SQLite can hold them: a larger number is a 422, never a server error.
MAX_ID = 2**63 - 1
ItemId = Annotated[int, Path(ge=1, le=MAX_ID)]
