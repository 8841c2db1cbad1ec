"""Topics in the reader and the API: the /topics index, a page per topic, /api/v1/topics and
/api/v1/topics/{id}. Topics are mined by marsad.link.topics and read from marsad.store.topics."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import HTMLResponse
from pydantic import BaseModel, Field

from marsad.store import topics
from marsad.store.topics import TopicItem
from marsad.web import coverage
from marsad.web.context import ItemId, reader_of
from marsad.web.routes.api import MISSING, ArticleSummary, StorySummary, _summary

pages = APIRouter(include_in_schema=False)
api = APIRouter(prefix="/api/v1", tags=["reader"])
PAGE_SIZE = 50
MAX_PAGE = 1000


@pages.get("/topics", response_class=HTMLResponse)
async def topics_page(request: Request, page: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 1):
    r = reader_of(request)
    return await r.shared_page(
        request,
        ("topics", page),
        "topics.html",
        lambda: {
            "topics": topics.topics(r.store, PAGE_SIZE, (page - 1) * PAGE_SIZE),
            "total": topics.count(r.store),
            "page": page,
            "size": PAGE_SIZE,
        },
    )


@pages.get("/topics/{topic_id}", response_class=HTMLResponse)
async def topic_page(request: Request, topic_id: ItemId):
    r = reader_of(request)

    def make() -> dict | None:
        item = topics.topic(r.store, topic_id)
        if item is None:
            return None
        return {
            "topic": item,
            "threads": topics.topic_threads(r.store, topic_id, 12),
            "stories": topics.topic_stories(r.store, topic_id, 20),
            "outlets": topics.topic_outlets(r.store, topic_id),
            "latest": topics.topic_latest(r.store, topic_id, 20),
            "trend": coverage.of(r.store, "topic", topic_id),
        }

    return await r.shared_page(request, ("topic", topic_id), "topic.html", make)


class VariantOut(BaseModel):
    form: str = Field(description="a form of the name as published")
    count: int = Field(description="how often it was found when the topic was mined")


class TopicSummary(BaseModel):
    id: int
    name: str = Field(description="the most common published form of the name")
    key: str = Field(description="the normalised name: one alef, ya and ta marbuta, no article")
    variants: list[VariantOut]
    strength: float = Field(description="cohesion x log2(1 + stories) x log2(1 + outlets) when mined")
    articles: int
    stories: int
    outlets: int
    days: int
    first_seen: str | None = None
    last_seen: str | None = None


class TopicOutletOut(BaseModel):
    id: int
    name: str
    articles: int


class TopicThreadOut(BaseModel):
    id: int
    title: str
    first_seen: str | None = None
    last_seen: str | None = None
    articles: int = Field(description="how many of the topic's articles are in it")


class TopicOut(TopicSummary):
    threads: list[TopicThreadOut]
    story_list: list[StorySummary] = Field(description="its stories, the most recently active first")
    outlet_list: list[TopicOutletOut] = Field(description="the outlets naming it, the most articles first")
    latest: list[ArticleSummary]


def _topic_summary(item: TopicItem) -> TopicSummary:
    return TopicSummary(
        id=item.id,
        name=item.name,
        key=item.key,
        variants=[VariantOut(form=form, count=count) for form, count in item.variants],
        strength=item.strength,
        articles=item.article_count,
        stories=item.story_count,
        outlets=item.outlet_count,
        days=item.day_count,
        first_seen=item.first_seen,
        last_seen=item.last_seen,
    )


@api.get("/topics", response_model=list[TopicSummary], summary="Topics, strongest first")
def list_topics(
    request: Request,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0, le=100_000)] = 0,
):
    r = reader_of(request)
    return [_topic_summary(t) for t in topics.topics(r.store, limit, offset)]


@api.get("/topics/{topic_id}", response_model=TopicOut, responses=MISSING)
def get_topic(request: Request, topic_id: ItemId):
    r = reader_of(request)
    item = topics.topic(r.store, topic_id)
    if item is None:
        raise HTTPException(404, "no such topic")
    return TopicOut(
        **_topic_summary(item).model_dump(),
        threads=[
            TopicThreadOut(
                id=t.id, title=t.title, first_seen=t.first_seen, last_seen=t.last_seen, articles=t.articles
            )
            for t in topics.topic_threads(r.store, topic_id, 20)
        ],
        story_list=[
            StorySummary(**{k: getattr(s, k) for k in StorySummary.model_fields})
            for s, _ in topics.topic_stories(r.store, topic_id, 30)
        ],
        outlet_list=[
            TopicOutletOut(id=i, name=n, articles=c) for i, n, c in topics.topic_outlets(r.store, topic_id)
        ],
        latest=[_summary(a) for a in topics.topic_latest(r.store, topic_id, 20)],
    )
