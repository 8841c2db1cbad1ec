"""The operator's endpoints: `/healthz` (is the archive served and kept up to date?) and `/metrics`
(Prometheus text). Neither is in the API description; a reverse proxy may keep them internal."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response

from marsad.settings import resolve
from marsad.web import health, metrics
from marsad.web.context import reader_of

router = APIRouter(include_in_schema=False)

NO_STORE = {"cache-control": "no-store"}


@router.get("/healthz")
def healthz(request: Request) -> Response:
    """200 with the report when healthy, else 503 with the reasons."""
    max_age = resolve("health_crawl_age", getattr(request.app.state, "health_crawl_age", None))
    healthy, report = health.check(reader_of(request).store, max_age)
    return JSONResponse(report, status_code=200 if healthy else 503, headers=NO_STORE)


@router.get("/metrics")
def metrics_text(request: Request) -> Response:
    text = metrics.exposition(reader_of(request).store, request.app.state.latency)
    return Response(text, media_type=metrics.CONTENT_TYPE, headers=NO_STORE)
