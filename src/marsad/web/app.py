"""The reader's FastAPI app: pages, JSON API, feeds and moderation, behind strict security headers."""

from __future__ import annotations

import os
from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from marsad.settings import resolve
from marsad.web.context import HERE, Reader

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


def create_app(
    db_path: str | os.PathLike, *, report_threshold: int | None = None, report_rate_limit: int | None = None
) -> FastAPI:
    """The reader for one database. The report threshold and rate limit are the settings of those names
    (`marsad.settings`): the argument, else the environment, else the database's own, else the default."""
    from marsad.web.routes import admin, api, feeds, pages

    app = FastAPI(
        title="Marsad API",
        version="1.0.0",
        description="Arabic news collected, linked and searchable. Read-only except reader reports.",
        docs_url=None,
        redoc_url=None,
        openapi_url="/openapi.json",
    )
    app.state.reader = Reader(db_path, report_threshold, report_rate_limit)
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")
    app.include_router(api.router)
    app.include_router(feeds.router)
    app.include_router(admin.router)
    app.include_router(pages.router)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_middleware(SecurityHeaders)
    return app


async def _http_error(request: Request, exc: Exception) -> Response:
    """JSON for the API, an Arabic page for everything else (registered for HTTP exceptions only)."""
    assert isinstance(exc, StarletteHTTPException)
    if request.url.path.startswith("/api/"):
        return JSONResponse({"detail": exc.detail}, status_code=exc.status_code, headers=exc.headers)
    reader = request.app.state.reader
    messages = {404: "الصفحة غير موجودة", 405: "طريقة الطلب غير مسموح بها", 403: "غير مسموح"}
    message = messages.get(exc.status_code, str(exc.detail))
    return reader.templates.TemplateResponse(
        request,
        "error.html",
        {"message": message, "status": exc.status_code, "ticker": [], "csrf": "", "is_admin": False},
        status_code=exc.status_code,
        headers=exc.headers,
    )


def serve(
    db_path: str | os.PathLike,
    host: str | None = None,
    port: int | None = None,
    *,
    report_threshold: int | None = None,
    report_rate_limit: int | None = None,
) -> None:
    """Serve the reader with uvicorn until interrupted (host and port: the settings, when not given)."""
    import uvicorn

    path = Path(db_path)
    app = create_app(path, report_threshold=report_threshold, report_rate_limit=report_rate_limit)
    host, port = resolve("host", host), resolve("port", port)
    # no access log: it would write every reader's address, which Marsad never keeps
    uvicorn.run(
        app,
        host=host,
        port=port,
        log_level="info",
        access_log=False,
        proxy_headers=False,
        server_header=False,
    )
