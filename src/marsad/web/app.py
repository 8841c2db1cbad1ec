"""The reader's FastAPI app: pages, JSON API, feeds and moderation, behind strict security headers."""

from __future__ import annotations

import os
import socket
from pathlib import Path
from typing import Any

from fastapi import FastAPI, HTTPException
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from marsad.settings import as_environment, resolve
from marsad.web.context import DOCS_ASSETS, HERE, Reader

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' https: http: data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
    "frame-ancestors 'none'"
)
SECURITY_HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=(), interest-cohort=()"),
    (b"cross-origin-opener-policy", b"same-origin"),
]


class SecurityHeaders:
    """Plain ASGI middleware (cheaper than BaseHTTPMiddleware) adding the security headers to every answer."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message):
            if message["type"] == "http.response.start":
                names = {k.lower() for k, _ in message.get("headers", [])}
                extra = [(k, v) for k, v in SECURITY_HEADERS if k not in names]
                message["headers"] = list(message.get("headers", [])) + extra
            await send(message)

        await self.app(scope, receive, with_headers)


class BodyLimit:
    """Refuse a request body larger than `max_bytes` with 413: at once when its Content-Length says so
    (nothing of it is read), else as soon as the chunks read pass the limit."""

    def __init__(self, app, max_bytes: int):
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.max_bytes
        declared = next((v for k, v in scope.get("headers", []) if k.lower() == b"content-length"), None)
        too_large = declared is not None and declared.strip().isdigit() and int(declared) > limit
        seen = 0

        async def limited_receive():
            nonlocal seen
            if too_large:
                raise _too_large(limit)
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    raise _too_large(limit)
            return message

        await self.app(scope, limited_receive, send)


def _too_large(limit: int) -> HTTPException:
    # the connection closes after the answer: the rest of the body is never read
    return HTTPException(413, f"request body larger than {limit} bytes", headers={"connection": "close"})


class HeadAsGet:
    """HEAD answered as the GET of the same path, without its body (the headers are the GET's)."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or scope["method"] != "HEAD":
            await self.app(scope, receive, send)
            return

        async def without_body(message):
            if message["type"] == "http.response.body":
                if message.get("more_body"):
                    return
                message = {"type": "http.response.body", "body": b"", "more_body": False}
            await send(message)

        await self.app({**scope, "method": "GET"}, receive, without_body)


def create_app(
    db_path: str | os.PathLike,
    *,
    report_threshold: int | None = None,
    report_rate_limit: int | None = None,
    report_global_rate_limit: int | None = None,
    report_burst_items: int | None = None,
    trusted_proxies: tuple[str, ...] | list[str] | None = None,
    base_url: str | None = None,
    request_max_bytes: int | None = None,
) -> FastAPI:
    """The reader for one database. Each keyword is the setting of that name (`marsad.settings`): the
    argument, else the environment, else (for the report ones) the database's own, else the default."""
    from marsad.web.metrics import RequestLatency, RequestTimer
    from marsad.web.routes import (
        admin,
        admin_accounts,
        admin_api,
        api,
        feeds,
        ops,
        pages,
        signin,
        topics,
        trends,
        watch,
    )

    app = FastAPI(
        title="Marsad API",
        version="1.0.0",
        description="Arabic news collected, linked and searchable. Read-only except reader reports.",
        docs_url=None,
        redoc_url=None,
        openapi_url="/openapi.json",
    )
    reader = Reader(
        db_path,
        report_threshold,
        report_rate_limit,
        report_global_limit=report_global_rate_limit,
        report_burst=report_burst_items,
        trusted_proxies=trusted_proxies,
        base_url=base_url,
        request_max_bytes=request_max_bytes,
    )
    app.state.reader = reader
    app.state.latency = RequestLatency()  # the /metrics histogram, filled by RequestTimer
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")
    app.mount("/docs/assets", StaticFiles(directory=str(DOCS_ASSETS)), name="docs-assets")  # for /docs
    app.include_router(api.router)
    app.include_router(trends.api_router)
    app.include_router(topics.api)
    app.include_router(feeds.router)
    app.include_router(signin.router)
    app.include_router(watch.router)  # before pages: /watchlists
    app.include_router(admin.router)
    app.include_router(admin_accounts.router)
    app.include_router(admin_api.router)
    app.include_router(ops.router)
    app.include_router(pages.router)
    app.include_router(trends.router)
    app.include_router(topics.pages)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(UnicodeEncodeError, _unencodable)
    app.add_middleware(RequestTimer, latency=app.state.latency)  # innermost: it sees the route matched
    app.add_middleware(BodyLimit, max_bytes=reader.request_max_bytes)
    app.add_middleware(HeadAsGet)
    app.add_middleware(SecurityHeaders)
    return app


async def _unencodable(request: Request, exc: Exception) -> Response:
    """Text that cannot be written as UTF-8 (a lone UTF-16 surrogate from a JSON escape) is the client's
    error, never a server one."""
    return await _http_error(
        request, HTTPException(400, "the request holds text that is not valid Unicode (a lone surrogate)")
    )


async def _http_error(request: Request, exc: Exception) -> Response:
    """JSON for the API, an Arabic page for everything else (registered for HTTP exceptions only)."""
    assert isinstance(exc, StarletteHTTPException)
    if request.url.path.startswith("/api/"):
        return JSONResponse({"detail": exc.detail}, status_code=exc.status_code, headers=exc.headers)
    reader = request.app.state.reader
    messages = {404: "الصفحة غير موجودة", 405: "طريقة الطلب غير مسموح بها", 403: "غير مسموح"}
    message = messages.get(exc.status_code, str(exc.detail))
    account = reader.account(request)  # the header still names who is signed in (a 403 says why)
    context = {"message": message, "status": exc.status_code, "ticker": [], "is_admin": False}
    context |= {"account": account, "csrf": reader.csrf_token(request) if account else ""}
    return reader.templates.TemplateResponse(
        request,
        "error.html",
        context,
        status_code=exc.status_code,
        headers=exc.headers,
    )


def serve(
    db_path: str | os.PathLike,
    host: str | None = None,
    port: int | None = None,
    *,
    sock: socket.socket | None = None,
    workers: int = 1,
    **settings: Any,
) -> None:
    """Serve the reader with uvicorn until interrupted (host and port: the settings, when not given; the
    keywords: `create_app`'s). The port is bound first, so a busy one raises `PortInUse` before anything
    else is done; a caller that must know earlier (the demo, before it ingests) binds it with
    `listen_socket` and hands over `sock`. `workers` > 1: that many processes (uvicorn's supervisor)
    accept on the one socket, each with its own reader (and, on PostgreSQL, its own pool)."""
    import uvicorn

    from marsad.web.listen import listen_socket

    host, port = resolve("host", host), resolve("port", port)
    sock = sock or listen_socket(host, port)
    if workers > 1:
        try:
            _serve_workers(db_path, sock, workers, settings)
        finally:
            sock.close()
        return
    try:
        app = create_app(Path(db_path), **settings)
        # no access log: it would write every reader's address, which Marsad never keeps
        config = uvicorn.Config(
            app,
            host=host,
            port=port,
            log_level="info",
            access_log=False,
            proxy_headers=False,  # the app reads X-Forwarded-* itself, from the trusted_proxies setting only
            server_header=False,
        )
        server = uvicorn.Server(config)
        try:
            server.run(sockets=[sock])
        except KeyboardInterrupt:  # Ctrl-C a second time, while uvicorn was shutting down: a normal stop
            return
        if not server.started:
            raise SystemExit(3)  # uvicorn's own exit status when the app failed to start (it said why)
    finally:
        sock.close()


def _serve_workers(
    db_path: str | os.PathLike, sock: socket.socket, workers: int, settings: dict[str, Any]
) -> None:
    """uvicorn's worker processes, each building the app with `app_from_environment`: the database and the
    settings given here reach them as the environment variables they would be read from."""
    import uvicorn
    from uvicorn.supervisors import Multiprocess

    os.environ.update(as_environment({"db": db_path, **settings}))
    config = uvicorn.Config(
        "marsad.web.app:app_from_environment",
        factory=True,
        workers=workers,
        log_level="info",
        access_log=False,  # as in `serve`: no reader's address is written
        proxy_headers=False,
        server_header=False,
    )
    Multiprocess(config, sockets=[sock]).run()


def app_from_environment() -> FastAPI:
    """The reader of the `db` setting, every setting read from the environment (a worker of `serve`)."""
    return create_app(resolve("db"))
