"""The JSON API under /api/v1 and its OpenAPI description."""

from __future__ import annotations


def test_articles_newest_first_with_limit(client):
    response = client.get("/api/v1/articles", params={"limit": 3})
    assert response.status_code == 200
    assert [a["id"] for a in response.json()] == [100, 7, 6]
    second = client.get("/api/v1/articles", params={"limit": 2, "offset": 3}).json()
    assert [a["id"] for a in second] == [5, 4]
    assert client.get("/api/v1/articles", params={"limit": 0}).status_code == 422
    assert client.get("/api/v1/articles", params={"limit": 201}).status_code == 422


def test_article_detail(client):
    body = client.get("/api/v1/articles/2").json()
    assert body["title"] == "بوريطة يدعو في نيويورك إلى تعاون دولي أوثق لمكافحة الإرهاب"
    assert body["outlet"] == "مغرس"
    assert body["duplicate_of"] == 1
    assert body["original_outlet"] == "دوزيم"
    assert body["read_at_source"] == "https://2m.ma/ar/news/forum-newyork"
    assert body["body"][1].startswith("وجاءت كلمته خلال الاجتماع الوزاري الثامن")
    assert body["published"] == "2017-09-21T12:00:00+01:00"
    first = client.get("/api/v1/articles/1").json()
    assert first["images"] == [{"url": "https://2m.ma/img/forum.jpg", "caption": "جانب من الاجتماع الوزاري"}]
    assert first["author"] == "و.م.ع"
    assert client.get("/api/v1/articles/999").status_code == 404
    assert client.get("/api/v1/articles/999").json() == {"detail": "no such article"}


def test_a_javascript_url_is_never_offered_as_the_source(client):
    body = client.get(f"/api/v1/articles/{100}").json()
    assert body["read_at_source"] is None


def test_stories_threads_outlets(client):
    stories = client.get("/api/v1/stories").json()
    assert [s["id"] for s in stories] == [2, 1]
    story = client.get("/api/v1/stories/1").json()
    assert story["outlet_count"] == 3
    assert [a["id"] for a in story["articles"]] == [1, 2, 3]
    assert client.get("/api/v1/stories/9").status_code == 404
    thread = client.get("/api/v1/threads/1").json()
    assert [e["date"] for e in thread["events"]] == ["2017-09-20", "2018-04-11", "2018-09"]
    assert [s["id"] for s in thread["stories"]] == [1, 2]
    assert client.get("/api/v1/threads/9").status_code == 404
    outlets = client.get("/api/v1/outlets").json()
    assert [(o["key"], o["article_count"]) for o in outlets] == [
        ("hespress.com", 4),
        ("alarabiya.net", 2),
        ("2m.ma", 1),
        ("maghress.com", 1),
    ]


def test_search_api(indexed_client):
    body = indexed_client.get("/api/v1/search", params={"q": "محروقات"}).json()
    assert body["total"] == 1
    assert body["hits"][0]["id"] == 6
    assert "<mark>المحروقات</mark>" in body["hits"][0]["snippet_html"]
    assert body["facets"]["outlet"] == {"العربية": 1}
    assert indexed_client.get("/api/v1/search").status_code == 422


def test_search_without_index_falls_back_to_substring(client):
    body = client.get("/api/v1/search", params={"q": "ودائع"}).json()
    assert body["total"] == 1
    assert body["hits"][0]["snippet_html"].startswith("ارتفعت <mark>ودائع</mark> الأسر")


def test_a_search_holding_a_nul_finds_nothing_on_either_backend(client):
    """PostgreSQL refuses a NUL in a text parameter: the substring fallback answers "nothing" instead of a
    server error (a query Schemathesis sent: `q=ودائع\x00`, or a NUL in a filter)."""
    for params in (
        {"q": "ودائع\x00"},
        {"q": "ودائع", "category": "eco\x00nomy"},
        {"q": "ودائع", "since": "2018\x00"},
    ):
        answer = client.get("/api/v1/search", params=params)
        assert answer.status_code == 200
        assert (answer.json()["total"], answer.json()["hits"]) == (0, [])


def test_openapi_lists_the_api_only(client):
    schema = client.get("/openapi.json").json()
    paths = set(schema["paths"])
    assert paths == {
        "/api/v1/articles",
        "/api/v1/articles/{article_id}",
        "/api/v1/articles/{article_id}/reports",
        "/api/v1/stories",
        "/api/v1/stories/{story_id}",
        "/api/v1/trends",
        "/api/v1/threads/{thread_id}",
        "/api/v1/outlets",
        "/api/v1/search",
        "/api/v1/topics",
        "/api/v1/topics/{topic_id}",
    }
    assert "410" in schema["paths"]["/api/v1/articles/{article_id}"]["get"]["responses"]


def test_the_substring_fallback_keeps_the_filters(client):
    def ids(**params):
        body = client.get("/api/v1/search", params={"q": "الإرهاب", **params}).json()
        assert body["total"] == len(body["hits"])
        return [hit["id"] for hit in body["hits"]]

    assert ids() == [4, 3, 2, 1]  # every article naming الإرهاب, newest first
    assert ids(outlet=1) == [4, 3]
    assert ids(since="2017-09-21", until="2017-09-21") == [3, 2, 1]
    assert ids(until="2017-09") == [3, 2, 1]
    assert ids(since="2018") == [4]
    assert ids(category="POLITICS") == [4, 3, 2, 1]
    assert ids(category="sport") == []
