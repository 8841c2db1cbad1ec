"""The JSON API under /api/v1, described at /openapi.json."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from marsad.store import articles, outlets, stories, threads
from marsad.store.articles import ArticleItem
from marsad.web import moderation, present, searching
from marsad.web.context import MAX_ID, ItemId, reader_of

router = APIRouter(prefix="/api/v1", tags=["reader"])


class Notice(BaseModel):
    detail: str


class Invalid(BaseModel):
    detail: list[dict[str, Any]] = Field(description="each problem: its type, loc (where), msg and input")


class ArticleSummary(BaseModel):
    id: int
    url: str | None = Field(description="the article's address: an http(s) URL, or null when it has none")
    title: str
    outlet: str | None = None
    outlet_id: int | None = None
    published: str | None = None
    precision: str | None = None
    author: str | None = None
    story_id: ItemId | None = None
    duplicate_of: int | None = None
    original_outlet: str | None = None
    read_at_source: str | None = None
    categories: list[str] = []


class ImageOut(BaseModel):
    url: str
    caption: str = ""


class ArticleOut(ArticleSummary):
    body: list[str] = Field(
        description="the text's paragraphs: at most the article_view_chars setting's characters of it, in"
        " whole paragraphs (see truncated)"
    )
    truncated: bool = Field(
        default=False,
        description="true when the text is longer than article_view_chars and body holds only its start (the"
        " archive keeps it whole)",
    )
    body_chars: int = Field(
        default=0, description="the whole text's length in characters, paragraphs joined by newlines"
    )
    summary: str | None = None
    language: str | None = None
    images: list[ImageOut] = []
    previous_id: int | None = None
    next_id: int | None = None
    report_token: str = Field(
        description="Signed token for reporting this article or one of its images through"
        " POST /api/v1/articles/{id}/reports: valid two hours, for this article and the reader's network"
        " (or signed-in account) only"
    )


class ReportIn(BaseModel):
    reason: str = Field(default="", max_length=500)
    image_url: str | None = Field(default=None, max_length=2000)
    report_token: str = Field(
        default="",
        max_length=1000,
        description="the report_token of GET /api/v1/articles/{id}, fetched within two hours by the same reader",
    )


class ReportOut(BaseModel):
    status: str = Field(
        description="counted | held (kept for a moderator, counts toward nothing: this reader reported many"
        " items within the hour) | duplicate"
    )
    hidden: bool


class StorySummary(BaseModel):
    id: int
    title: str
    thread_id: ItemId | None = None
    first_seen: str | None = None
    last_seen: str | None = None
    article_count: int
    outlet_count: int
    outlets: list[str] = []


class StoryOut(StorySummary):
    articles: list[ArticleSummary]


class EventSourceOut(BaseModel):
    article_id: ItemId
    story_id: ItemId | None = None
    outlet: str | None = None
    article_title: str
    published: str | None = None
    repost: bool
    text: str = Field(description="the sentence of this article stating the date, as published")


class EventOut(BaseModel):
    """One dated fact: the sentence shown is its first source's (article_id, story_id, outlet)."""

    date: str = Field(description='"2018", "2018-Q1", "2018-09", "2018-09-28" or a time')
    precision: str = Field(description="year | quarter | month | day | minute")
    background: bool = Field(description="recalled from before the thread began (listed apart)")
    text: str
    article_id: ItemId
    story_id: ItemId | None = None
    outlet: str | None = None
    sources: list[EventSourceOut] = Field(description="every article stating it, originals first")


class ThreadOut(BaseModel):
    id: int
    title: str
    first_seen: str | None = None
    last_seen: str | None = None
    stories: list[StorySummary]
    events: list[EventOut] = Field(description="its timeline: one entry per dated fact, in time order")
    background: list[EventOut] = Field(description="what its articles recall from before it began, in order")


class OutletOut(BaseModel):
    id: int
    key: str
    name: str
    name_latin: str | None = None
    home_url: str | None = None
    country: str | None = None
    article_count: int


class HitOut(BaseModel):
    id: int
    url: str | None = Field(description="an http(s) URL, or null")
    title: str
    outlet: str | None = None
    published: str | None = None
    story_id: ItemId | None = None
    snippet_html: str


class SearchOut(BaseModel):
    total: int
    facets: dict[str, dict[str, int]]
    hits: list[HitOut]


Responses = dict[int | str, dict[str, Any]]
GONE: Responses = {410: {"model": Notice, "description": "hidden after reader reports"}}
MISSING: Responses = {404: {"model": Notice, "description": "no such item"}}


def _summary(item: ArticleItem, listing: bool = True) -> ArticleSummary:
    """An article as listed: only http(s) URLs, and in a listing its title shortened if very long."""
    summary = ArticleSummary.model_validate(item, from_attributes=True)
    summary.url = present.safe_url(item.url)
    summary.outlet_id = item.source_id
    summary.read_at_source = present.read_at_source(item)
    if listing:
        summary.title = present.short_title(item.title)
    return summary


@router.get("/articles", response_model=list[ArticleSummary], summary="Latest articles, newest first")
def list_articles(
    request: Request,
    limit: Annotated[int, Query(ge=1, le=200)] = 30,
    offset: Annotated[int, Query(ge=0, le=100_000)] = 0,
    outlet: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
):
    r = reader_of(request)
    return [_summary(a) for a in articles.latest(r.store, limit, offset, outlet_id=outlet, reposts=True)]


@router.get("/articles/{article_id}", response_model=ArticleOut, responses={**GONE, **MISSING})
def get_article(request: Request, article_id: ItemId):
    r = reader_of(request)
    view = articles.article_view(
        r.store, article_id, r.article_view_chars
    )  # the body cut to article_view_chars
    if view is None:
        raise HTTPException(404, "no such article")
    item = view.page
    if item.hidden:
        return JSONResponse({"detail": "this article was hidden after reports from readers"}, status_code=410)
    previous, following = articles.neighbours(r.store, item)
    hidden = moderation.hidden_images(r, article_id)
    images = [
        ImageOut(url=url, caption=str(img.get("caption") or ""))
        for img in item.images
        if (url := present.safe_url(img.get("url"))) and img["url"] not in hidden
    ]
    return ArticleOut(
        **_summary(item, listing=False).model_dump(),
        report_token=r.report_token(request, article_id),
        body=item.paragraphs,
        truncated=view.truncated,
        body_chars=view.body_chars,
        summary=item.summary,
        language=item.language,
        images=images,
        previous_id=previous.id if previous else None,
        next_id=following.id if following else None,
    )


@router.post(
    "/articles/{article_id}/reports",
    response_model=ReportOut,
    status_code=201,
    responses={
        **MISSING,
        400: {"model": Notice, "description": "a body that cannot be read: not UTF-8, or a lone surrogate"},
        403: {
            "model": Notice,
            "description": "report_token missing, expired, or another reader's or article's",
        },
        413: {"model": Notice, "description": "a body larger than the request_max_bytes setting"},
        422: {
            "model": Invalid,
            "description": "malformed JSON, or a field of the wrong type or length",
        },
        429: {
            "model": Notice,
            "description": "too many reports from this reader, or from everyone, this hour",
        },
        503: {"model": Notice, "description": "the archive is served read-only"},
    },
    summary="Report an article (or one of its images) to the moderators",
    description="One reader (the client's /24 or /64 network, or a signed-in account) counts once per item;"
    " the report_token comes from GET /api/v1/articles/{id}.",
)
def post_report(request: Request, article_id: ItemId, body: ReportIn):
    r = reader_of(request)
    if r.readonly:
        raise HTTPException(503, moderation.READ_ONLY)
    if present.has_surrogate(body.reason) or present.has_surrogate(body.image_url or ""):
        raise HTTPException(400, "the request holds text that is not valid Unicode (a lone surrogate)")
    if not r.report_token_ok(request, article_id, body.report_token):
        raise HTTPException(403, "report_token missing or invalid: take one from GET /api/v1/articles/{id}")
    outcome = moderation.report(r, request, article_id, body.reason, body.image_url or "")
    if outcome.status == "missing":
        raise HTTPException(404, "no such article or image")
    if outcome.status == "limited":
        raise HTTPException(429, "too many reports from this client; try again later")
    if outcome.status == "readonly":
        raise HTTPException(503, moderation.READ_ONLY)
    return ReportOut(status=outcome.status, hidden=outcome.hidden)


@router.get("/stories", response_model=list[StorySummary])
def list_stories(
    request: Request,
    limit: Annotated[int, Query(ge=1, le=200)] = 30,
    offset: Annotated[int, Query(ge=0, le=100_000)] = 0,
):
    r = reader_of(request)
    return [
        StorySummary.model_validate(s, from_attributes=True) for s in stories.stories(r.store, limit, offset)
    ]


@router.get("/stories/{story_id}", response_model=StoryOut, responses=MISSING)
def get_story(request: Request, story_id: ItemId):
    r = reader_of(request)
    item = stories.story(r.store, story_id)
    if item is None or not item.articles:
        raise HTTPException(404, "no such story")
    out = StoryOut.model_validate(item, from_attributes=True)
    out.articles = [_summary(a) for a in item.articles]
    return out


@router.get("/threads/{thread_id}", response_model=ThreadOut, responses=MISSING)
def get_thread(request: Request, thread_id: ItemId):
    r = reader_of(request)
    item = threads.thread(r.store, thread_id)
    if item is None:
        raise HTTPException(404, "no such thread")
    return ThreadOut.model_validate(item, from_attributes=True)


@router.get("/outlets", response_model=list[OutletOut])
def list_outlets(request: Request):
    r = reader_of(request)
    return [
        OutletOut.model_validate(o, from_attributes=True)
        for o in r.cached("outlets", lambda: outlets.outlets(r.store))
    ]


@router.get("/search", response_model=SearchOut)
def api_search(
    request: Request,
    q: Annotated[str, Query(min_length=1, max_length=searching.MAX_QUERY)],
    outlet: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
    category: Annotated[str | None, Query(max_length=100)] = None,
    since: Annotated[str | None, Query(max_length=32, description="ISO date")] = None,
    until: Annotated[str | None, Query(max_length=32, description="ISO date")] = None,
    sort: Annotated[str, Query(pattern="^(relevance|newest)$")] = "relevance",
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    offset: Annotated[int, Query(ge=0, le=10_000)] = 0,
):
    r = reader_of(request)
    filters = searching.Filters(outlet=outlet, category=category, since=since, until=until, sort=sort)
    found = searching.run(r.store, q, filters, limit, offset)
    return SearchOut(
        total=found.total,
        facets=found.facets,
        hits=[
            HitOut.model_validate(h, from_attributes=True).model_copy(
                update={"url": present.safe_url(h.url), "title": present.short_title(h.title)}
            )
            for h in found.hits
        ],
    )
