"""Topics in the reader, the API and the command line, on the written topic archive (tests/topic_fixture.py):
ten articles of three outlets, linked, their topics mined."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from topic_fixture import FORUM, INITIATIVE, OUTLETS, build
from typer.testing import CliRunner

from marsad.cli import app as cli
from marsad.store import topics as topic_store
from marsad.store.db import Store
from marsad.web import create_app

FORUM_KEY = "منتدي عالمي لمكافحه ارهاب"


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build(tmp_path_factory.mktemp("topics") / "topics.db")


@pytest.fixture(scope="module")
def client(archive: Path) -> TestClient:
    return TestClient(create_app(archive))


def _ids(archive: Path) -> dict[str, int]:
    with Store(archive, readonly=True) as store:
        return {t.key: t.id for t in topic_store.topics(store)}


def test_api_lists_topics_strongest_first(client: TestClient, archive: Path) -> None:
    found = client.get("/api/v1/topics").json()
    assert [t["name"] for t in found] == [
        "واشنطن",
        "المبادرة المغربية الأمريكية",
        "المنتدى العالمي لمكافحة الإرهاب",
    ]
    forum = found[2]
    assert forum["id"] == _ids(archive)[FORUM_KEY]
    assert (forum["articles"], forum["outlets"], forum["days"]) == (5, 3, 5)
    assert forum["variants"][0] == {"form": "المنتدى العالمي لمكافحة الإرهاب", "count": 6}
    assert [t["name"] for t in client.get("/api/v1/topics", params={"limit": 1, "offset": 1}).json()] == [
        "المبادرة المغربية الأمريكية"
    ]
    assert client.get("/api/v1/topics", params={"limit": 0}).status_code == 422


def test_api_topic_detail(client: TestClient, archive: Path) -> None:
    topic_id = _ids(archive)[FORUM_KEY]
    body = client.get(f"/api/v1/topics/{topic_id}").json()
    assert body["key"] == FORUM_KEY
    assert sorted(a["id"] for a in body["latest"]) == FORUM
    assert [a["id"] for a in body["latest"]][0] == 9  # newest first
    assert sorted(o["name"] for o in body["outlet_list"]) == sorted(OUTLETS.values())
    assert sum(o["articles"] for o in body["outlet_list"]) == 5
    assert sum(s["article_count"] for s in body["story_list"]) >= 5
    assert client.get("/api/v1/topics/999999").status_code == 404
    assert client.get("/api/v1/topics/999999").json() == {"detail": "no such topic"}


def test_pages(client: TestClient, archive: Path) -> None:
    ids = _ids(archive)
    index = client.get("/topics")
    assert index.status_code == 200
    assert '<html lang="ar" dir="rtl">' in index.text
    assert (
        f'<a class="item-title" href="/topics/{ids[FORUM_KEY]}" dir="auto">المنتدى العالمي لمكافحة الإرهاب</a>'
        in index.text
    )
    page = client.get(f"/topics/{ids[FORUM_KEY]}")
    assert page.status_code == 200
    assert '<h1 dir="auto">المنتدى العالمي لمكافحة الإرهاب</h1>' in page.text
    assert "المنتدي العالمي لمكافحه الإرهاب" in page.text  # a variant as published
    for article in FORUM:
        assert f'href="/articles/{article}"' in page.text
    assert client.get("/topics/999999").status_code == 404
    article = client.get("/articles/8").text
    assert (
        f'<a href="/topics/{ids["مبادره مغربيه امريكيه"]}" dir="auto">المبادرة المغربية الأمريكية</a>'
        in article
    )
    assert f'<a href="/topics/{ids["واشنطن"]}" dir="auto">واشنطن</a>' in article
    with Store(archive, readonly=True) as store:
        story = store.conn.execute("SELECT story_id FROM article WHERE id = 1").fetchone()[0]
    assert f'href="/topics/{ids[FORUM_KEY]}"' in client.get(f"/stories/{story}").text


def test_cli(archive: Path) -> None:
    result = CliRunner().invoke(cli, ["topics", "--db", str(archive), "--json", "--limit", "2"])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.output.splitlines()]
    assert [r["name"] for r in rows] == ["واشنطن", "المبادرة المغربية الأمريكية"]
    assert rows[1]["articles"] == len(INITIATIVE)
    table = CliRunner().invoke(cli, ["topics", "--db", str(archive)])
    assert table.exit_code == 0 and "3 of 3 topics" in table.output
    refreshed = CliRunner().invoke(cli, ["topics", "--db", str(archive), "--refresh", "--limit", "1"])
    assert refreshed.exit_code == 0
    assert "mined 3 topics from 10 articles" in refreshed.output
