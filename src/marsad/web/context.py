"""What every route shares: one SQLite connection per worker thread, settings, a short-lived cache of the
listings, the client hash, CSRF tokens and the moderator's session."""

from __future__ import annotations

import os
import secrets
import threading
import time
from collections.abc import Callable
from pathlib import Path as FilePath
from typing import Annotated, Any, TypeVar

from fastapi import Path, Request
from fastapi.templating import Jinja2Templates
from itsdangerous import BadSignature, URLSafeTimedSerializer

from marsad.settings import resolve
from marsad.store import articles, reports
from marsad.store.db import Store, is_read_only
from marsad.web import present

HERE = FilePath(__file__).parent
SESSION_COOKIE = "marsad_admin"
SESSION_AGE = 12 * 3600
CSRF_AGE = 24 * 3600
CACHE_SECONDS = 10.0
CACHE_ENTRIES = 500

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


class Reader:
    """The app's state: the database path, settings, secrets, templates and the listing cache."""

    def __init__(self, db_path: str | os.PathLike, report_threshold: int | None, report_limit: int | None):
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
            secret = self._secret(setup, "session_secret")
            self.salt = self._secret(setup, "client_salt")
        finally:
            setup.close()
        self.signer = URLSafeTimedSerializer(secret, salt="marsad")
        self.static_version = secrets.token_hex(4)
        self.templates = Jinja2Templates(directory=str(HERE / "templates"))
        env = self.templates.env
        env.globals.update(
            arabic_date=present.arabic_date,
            read_at_source=present.read_at_source,
            safe_url=present.safe_url,
            paragraph_html=present.paragraph_html,
            counted=present.counted,
            category_name=category_name,
            static_version=self.static_version,
        )
        env.trim_blocks = True
        env.lstrip_blocks = True
        self.login_failures: dict[str, list[float]] = {}

    def _secret(self, store: Store, key: str) -> str:
        """A secret kept in the archive (made on first use); for a read-only one that has none, one for
        as long as this process serves it."""
        if self.readonly:
            return reports.get_setting(store, key) or secrets.token_hex(32)
        return reports.secret_setting(store, key)

    # one connection per worker thread: sqlite3 connections must not be shared between threads at once
    @property
    def store(self) -> Store:
        store = getattr(self._local, "store", None)
        if store is None:
            store = Store(self.db_path, readonly=self.readonly)
            self._local.store = store
        return store

    def cached(self, key: Any, make: Callable[[], T], seconds: float = CACHE_SECONDS) -> T:
        """`make()` kept for `seconds`. Once expired, one thread rebuilds it while the others go on
        serving the stale value, so a slow listing never stalls every request at once."""
        now = time.monotonic()
        hit = self._cache.get(key)
        if hit is not None and hit[0] > now:
            return hit[1]
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

    def client(self, request: Request) -> str:
        address = request.client.host if request.client else "unknown"
        return reports.client_hash(self.salt, address, request.headers.get("user-agent", ""))

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

    def session_cookie(self, request: Request) -> str:
        return self.signer.dumps({"admin": True, "client": self.client(request)}, salt="session")

    def is_admin(self, request: Request) -> bool:
        token = request.cookies.get(SESSION_COOKIE)
        if not token:
            return False
        try:
            value = self.signer.loads(token, salt="session", max_age=SESSION_AGE)
        except BadSignature:
            return False
        return (
            isinstance(value, dict)
            and value.get("admin") is True
            and value.get("client") == self.client(request)
        )

    def login_allowed(self, request: Request, limit: int = 10, window: float = 900.0) -> bool:
        key = self.client(request)
        now = time.monotonic()
        recent = [t for t in self.login_failures.get(key, []) if now - t < window]
        self.login_failures[key] = recent
        return len(recent) < limit

    def login_failed(self, request: Request) -> None:
        self.login_failures.setdefault(self.client(request), []).append(time.monotonic())

    def render(self, request: Request, name: str, context: dict[str, Any], status_code: int = 200):
        needs_csrf = name == "article.html" or name.startswith("admin/")  # the pages with forms that post
        csrf = self.csrf_token(request) if needs_csrf else ""
        base = {"csrf": csrf, "ticker": self.ticker(), "is_admin": self.is_admin(request)}
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
        on a slow listing."""
        from fastapi import HTTPException
        from fastapi.responses import HTMLResponse
        from starlette.concurrency import run_in_threadpool

        admin = self.is_admin(request)
        full_key = ("page", key, admin)

        def build() -> str | None:
            context = make()
            if context is None:
                return None
            base = {"csrf": "", "ticker": self.ticker(), "is_admin": admin, "request": request}
            return self.templates.env.get_template(name).render({**base, **context})

        hit = self._cache.get(full_key)
        if hit is None:
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


def reader_of(request: Request) -> Reader:
    return request.app.state.reader


# Ids as SQLite can hold them: a larger number is a 422, never a server error.
MAX_ID = 2**63 - 1
ItemId = Annotated[int, Path(ge=1, le=MAX_ID)]
