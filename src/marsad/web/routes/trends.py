"""Coverage over time: the /trends page (a chart, its table and its CSV) and /api/v1/trends (the series)."""

from __future__ import annotations

from typing import Annotated, Any, cast

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel, Field

from marsad.store import watchlists
from marsad.store.trends import Asked
from marsad.web import charts, coverage, searching
from marsad.web.context import MAX_ID, Reader, reader_of
from marsad.web.routes.api import MISSING, Notice
from marsad.web.watching import may_see, viewer

router = APIRouter(include_in_schema=False)
api_router = APIRouter(prefix="/api/v1", tags=["reader"])
TREND_SECONDS = 60.0  # a trend changes as articles arrive, slowly next to a listing

KindParam = Annotated[
    str | None, Query(max_length=20, description="thread | story | outlet | watchlist (its owner's only)")
]
IdParam = Annotated[int | None, Query(ge=1, le=MAX_ID, description="the thread's, story's or outlet's id")]
QueryParam = Annotated[
    str | None, Query(max_length=searching.MAX_QUERY, description="a search: its matches' coverage")
]
ByParam = Annotated[
    str,
    Query(
        pattern="^(auto|day|week|month)$",
        description="day, week (ISO: Monday to Sunday, named by its Monday), month, or auto (days up to"
        " three months between the first and last article, weeks up to about three years, else months)",
    ),
]


def _trend(
    r: Reader,
    request: Request,
    kind: str | None,
    item_id: int | None,
    q: str | None,
    filters: searching.Filters,
    by: Asked,
    missing: str = "give kind and id (thread, story or outlet), or q (a search)",
) -> coverage.Trend:
    """The trend asked for, cached a minute; a 404 when there is no such item, a 400 when neither a kind
    with an id nor a query was given."""
    if q and q.strip():
        query = q.strip()
        return r.cached(
            ("trend", "search", query, str(filters), by),
            lambda: coverage.of_search(r.store, query, filters, by),
            TREND_SECONDS,
        )
    if kind is None or item_id is None:
        raise HTTPException(400, missing)
    if kind == "watchlist":  # private: its owner's only, never cached for others
        return _watchlist_trend(r, request, item_id, by)
    found = r.cached(
        ("trend", kind, item_id, by), lambda: coverage.of(r.store, kind, item_id, by), TREND_SECONDS
    )
    if found is None:
        raise HTTPException(404, f"no {kind} {item_id}" if kind in coverage.KINDS else f"no kind {kind!r}")
    return found


def _watchlist_trend(r: Reader, request: Request, watchlist_id: int, by: Asked) -> coverage.Trend:
    account = viewer(r, request)
    found = watchlists.get(r.store, watchlist_id)
    if account is None or found is None or not may_see(account, found):
        raise HTTPException(404, f"no watchlist {watchlist_id}")
    return coverage.of_watchlist(r.store, found.id, found.name, by)


def _filters(
    outlet: int | None, category: str | None, since: str | None, until: str | None
) -> searching.Filters:
    return searching.Filters(
        outlet=outlet, category=category or None, since=since or None, until=until or None
    )


@router.get("/trends")
def trends_page(
    request: Request,
    kind: KindParam = None,
    id: IdParam = None,
    q: QueryParam = None,
    outlet: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
    category: Annotated[str | None, Query(max_length=100)] = None,
    since: Annotated[str | None, Query(max_length=32)] = None,
    until: Annotated[str | None, Query(max_length=32)] = None,
    by: ByParam = "auto",
    format: Annotated[str, Query(pattern="^(html|csv)$")] = "html",
):
    """A trend's page: the chart, its numbers as a table, links to the CSV and the JSON; `format=csv` is
    the CSV itself (start,end,articles per period, ISO dates)."""
    r = reader_of(request)
    asked = _filters(outlet, category, since, until)
    trend = _trend(
        r, request, kind, id, q, asked, cast(Asked, by), "اختر مسارا أو قصة أو مصدرا (kind و id) أو بحثا (q)"
    )
    if format == "csv":
        name = f"marsad-trend-{trend.kind}-{id or 'search'}-{trend.series.by}.csv"
        return Response(
            charts.series_csv(trend.series),
            media_type="text/csv; charset=utf-8",
            headers={"content-disposition": f'attachment; filename="{name}"'},
        )
    spec = coverage.KINDS.get(trend.kind)
    if trend.kind == "watchlist":
        context = {"trend": trend, "noun": "قائمة متابعة", "item_path": f"/watchlists#watchlist-{id}"}
    else:
        noun = spec.noun if spec else "بحث"
        context = {"trend": trend, "noun": noun, "item_path": f"{spec.path}/{id}" if spec else None}
    return r.render(request, "trends.html", context)


class TrendPeriod(BaseModel):
    start: str = Field(description="the period's first day (ISO date)")
    end: str = Field(description="the period's last day (ISO date)")
    articles: int


class TrendOut(BaseModel):
    kind: str = Field(description="thread | story | outlet | watchlist | search")
    id: int | None = None
    q: str | None = None
    title: str
    by: str = Field(description="day | week | month: the period of each count")
    periods: list[TrendPeriod] = Field(
        description="oldest first, from the first period with an article to the last, empty ones included"
    )
    undated: int = Field(
        description="visible articles without a publication day (undated, or only a month or year)"
    )
    total: int
    error: str | None = Field(default=None, description="why a search could not run (then periods is empty)")


@api_router.get(
    "/trends",
    response_model=TrendOut,
    summary="Coverage over time",
    responses={**MISSING, 400: {"model": Notice, "description": "neither kind and id nor q"}},
)
def api_trends(
    request: Request, kind: KindParam = None, id: IdParam = None, q: QueryParam = None, by: ByParam = "auto"
):
    """Visible articles (reposts included) per UTC day, ISO week or month of publication, of a thread, a
    story, an outlet (`kind` and `id`) or of a search's matches (`q`)."""
    r = reader_of(request)
    trend = _trend(r, request, kind, id, q, searching.Filters(), cast(Asked, by))
    series = trend.series
    out: dict[str, Any] = {
        "kind": trend.kind,
        "id": id if trend.kind != "search" else None,
        "q": trend.title if trend.kind == "search" else None,
        "title": trend.title,
        "by": series.by,
        "periods": [
            {"start": s.isoformat(), "end": charts.period_end(s, series.by).isoformat(), "articles": n}
            for s, n in series.periods
        ],
        "undated": series.undated,
        "total": series.total,
        "error": trend.error,
    }
    return out
