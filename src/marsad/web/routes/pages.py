"""The reader's HTML pages: home, article, story, thread, outlets, categories, search, and reports."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Form, HTTPException, Query, Request
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse
from starlette.concurrency import run_in_threadpool

from marsad.store import articles, outlets, stories, threads, topics
from marsad.web import coverage, moderation, searching
from marsad.web.context import HERE, MAX_ID, ItemId, Reader, reader_of

router = APIRouter(include_in_schema=False)
# The GET pages are coroutines: their SQLite reads and renders are short, and running them on the event loop
# saves a hop to the thread pool (and GIL hand-offs) per request. Report POSTs, which may wait on a write
# lock, stay in the thread pool.
PAGE_SIZE = 30
TOPICS_SHOWN = 12  # topics listed on an article's or a story's page
MAX_PAGE = 1000

Page = Annotated[int, Query(ge=1, le=MAX_PAGE)]


@router.get("/", response_class=HTMLResponse)
async def home(request: Request):
    r = reader_of(request)

    def make() -> dict:
        store = r.store  # the building thread's own connection, not the event loop's
        return {
            "top": stories.top_stories(store, 8),
            "latest": articles.latest(store, 12),
            "sections": articles.sections(store, 5),
            "per_outlet": outlets.latest_per_outlet(store, 5),
            "rising": r.cached("rising", lambda: coverage.rising(store), 60),  # moves with the day's articles
        }

    return await r.shared_page(request, "home", "home.html", make)


@router.get("/docs", response_class=HTMLResponse)
async def api_docs(request: Request):
    """The JSON API's documentation: Swagger UI on /openapi.json, its assets from the installed package."""
    r = reader_of(request)
    return await r.shared_page(request, "docs", "docs.html", dict, 3600)


@router.get("/favicon.ico")
def favicon():
    """The reader's icon where browsers and feed readers look for it without a <link> (an SVG)."""
    headers = {"cache-control": "public, max-age=86400"}
    return FileResponse(HERE / "static" / "favicon.svg", media_type="image/svg+xml", headers=headers)


@router.get("/articles/{article_id}", response_class=HTMLResponse)
async def article_page(
    request: Request, article_id: ItemId, report: str | None = None, on: str | None = None
):
    r = reader_of(request)
    # read in the thread pool: on PostgreSQL each of the page's statements waits on the server, which on
    # the event loop would hold up every other request meanwhile
    found = await run_in_threadpool(_article_context, r, article_id)
    if found is None:
        raise HTTPException(404)
    if found["item"].hidden:
        return r.render(request, "hidden.html", {"item": found["item"]}, status_code=410)
    context = {
        **found,
        "report_status": report if report in moderation.REPORT_MESSAGES else None,
        "report_message": _report_message(report, on == "image"),
        "report_on_image": on == "image",
    }
    return r.render(request, "article.html", context)


def _article_context(r: Reader, article_id: int) -> dict[str, Any] | None:
    """What an article's page shows (its body cut to article_view_chars), or None when there is no such
    article; only the item itself when it is hidden."""
    view = articles.article_view(r.store, article_id, r.article_view_chars)
    if view is None:
        return None
    item = view.page
    if item.hidden:
        return {"item": item}
    previous, following = articles.neighbours(r.store, item)
    return {
        "item": item,
        "previous": previous,
        "next": following,
        "story": stories.story_summary(r.store, item.story_id),
        "reposts": articles.reposts_of(r.store, article_id),
        "topics": topics.article_topics(r.store, article_id)[:TOPICS_SHOWN],
        "original": articles.original_of(r.store, item),
        "view": view,
        "hidden_images": moderation.hidden_images(r, article_id),
    }


# What a report on an image led to, where the article's message would speak of "this content".
IMAGE_REPORT_MESSAGES = {
    "counted": "شكرا على الإبلاغ! ستُحجب هذه الصورة تلقائيا إذا أبلغ عنها عدة قراء.",
    "hidden": "شكرا على الإبلاغ! حُجبت هذه الصورة بعد إبلاغات القراء.",
}


def _report_message(status: str | None, on_image: bool) -> str | None:
    if on_image and status in IMAGE_REPORT_MESSAGES:
        return IMAGE_REPORT_MESSAGES[status]
    return moderation.REPORT_MESSAGES.get(status or "")


@router.post("/articles/{article_id}/report")
def report_form(
    request: Request,
    article_id: ItemId,
    csrf: Annotated[str, Form()] = "",
    reason: Annotated[str, Form(max_length=500)] = "",
    image: Annotated[str, Form(max_length=2000)] = "",
):
    r = reader_of(request)
    if not r.csrf_ok(request, csrf):
        raise HTTPException(403, "CSRF token missing or invalid")
    outcome = moderation.report(r, request, article_id, reason, image)
    if outcome.status == "missing":
        raise HTTPException(404)
    # the report that hid the item says so (for an image too: its page still shows, without the image)
    status = "hidden" if outcome.hidden and outcome.status not in ("limited", "readonly") else outcome.status
    query = {"report": status, **({"on": "image"} if image else {})}
    anchor = "#images" if image else "#report"
    return RedirectResponse(f"/articles/{article_id}?{urlencode(query)}{anchor}", status_code=303)


@router.get("/stories", response_class=HTMLResponse)
async def stories_page(request: Request, page: Page = 1):
    r = reader_of(request)
    return await r.shared_page(
        request,
        ("stories", page),
        "stories.html",
        lambda: {
            "stories": stories.stories(r.store, PAGE_SIZE, (page - 1) * PAGE_SIZE),
            "page": page,
            "size": PAGE_SIZE,
        },
    )


@router.get("/stories/{story_id}", response_class=HTMLResponse)
async def story_page(request: Request, story_id: ItemId):
    r = reader_of(request)

    def make():
        item = stories.story(r.store, story_id)
        if item is None or not item.articles:
            return None
        thread = threads.thread(r.store, item.thread_id, with_stories=False) if item.thread_id else None
        return {
            "story": item,
            "thread": thread,
            "trend": coverage.of(r.store, "story", story_id),
            "topics": topics.story_topics(r.store, story_id, TOPICS_SHOWN),
        }

    return await r.shared_page(request, ("story", story_id), "story.html", make)


@router.get("/threads/{thread_id}", response_class=HTMLResponse)
async def thread_page(request: Request, thread_id: ItemId):
    r = reader_of(request)

    def make():
        item = threads.thread(r.store, thread_id)
        return {"thread": item, "trend": coverage.of(r.store, "thread", thread_id)} if item else None

    return await r.shared_page(request, ("thread", thread_id), "thread.html", make)


@router.get("/outlets", response_class=HTMLResponse)
async def outlets_page(request: Request):
    r = reader_of(request)
    return await r.shared_page(
        request, "outlets-page", "outlets.html", lambda: {"outlets": outlets.outlets(r.store)}
    )


@router.get("/outlets/{outlet_id}", response_class=HTMLResponse)
async def outlet_page(request: Request, outlet_id: ItemId, page: Page = 1):
    r = reader_of(request)
    source = outlets.outlet(r.store, outlet_id)
    if source is None:
        raise HTTPException(404)
    items = r.cached(
        ("outlet", outlet_id, page),
        lambda: articles.latest(
            r.store, PAGE_SIZE, (page - 1) * PAGE_SIZE, outlet_id=outlet_id, reposts=True
        ),
    )
    trend = r.cached(
        ("trend", "outlet", outlet_id, "auto"), lambda: coverage.of(r.store, "outlet", outlet_id), 60
    )
    context = {"outlet": source, "articles": items, "page": page, "size": PAGE_SIZE, "trend": trend}
    return r.render(request, "outlet.html", context)


@router.get("/categories/{name}", response_class=HTMLResponse)
def category_page(request: Request, name: str, page: Page = 1):
    r = reader_of(request)
    items = r.cached(
        ("category", name, page),
        lambda: articles.by_category(r.store, name, PAGE_SIZE, (page - 1) * PAGE_SIZE),
    )
    if not items and page == 1:
        raise HTTPException(404)
    return r.render(
        request, "category.html", {"name": name, "articles": items, "page": page, "size": PAGE_SIZE}
    )


@router.get("/search", response_class=HTMLResponse)
async def search_page(
    request: Request,
    q: Annotated[str, Query(max_length=searching.MAX_QUERY)] = "",
    outlet: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
    category: Annotated[str | None, Query(max_length=100)] = None,
    since: Annotated[str | None, Query(max_length=32)] = None,
    until: Annotated[str | None, Query(max_length=32)] = None,
    sort: Annotated[str, Query(pattern="^(relevance|newest)$")] = "relevance",
    page: Page = 1,
):
    r = reader_of(request)
    filters = searching.Filters(outlet=outlet, category=category or None, since=since, until=until, sort=sort)
    params = {k: v for k, v in {"q": q, "category": category, "since": since, "until": until}.items() if v}

    def make() -> dict:
        # popular queries repeat: the page is kept for a minute (dropped at once when an item is hidden)
        known = r.cached("outlets", lambda: outlets.outlets(r.store))
        return {
            "q": q,
            "filters": filters,
            "found": searching.run(r.store, q, filters, 20, (page - 1) * 20),
            "outlets": known,
            "outlet_ids": {o.name: o.id for o in known},
            "categories": r.cached("categories", lambda: articles.categories(r.store), 3600),
            "page": page,
            "base_params": params,
            "urlencode": urlencode,
        }

    return await r.shared_page(request, ("search", q, str(filters), page), "search.html", make, 60)
