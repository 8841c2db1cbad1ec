"""One writer, several readers of the search index: two `marsad serve` processes over one data folder find
what an ingest in a third process adds, and what follows a rebuild (`marsad reindex`), without a restart,
at their first search after the writer's commit (a stat of each shard's meta.json before each search; no
waiting for Tantivy's own watcher, which polls every 500 ms)."""

from __future__ import annotations

from pathlib import Path

import httpx

from tests.ingest.conftest import ARTICLES, article_html
from tests.test_first_run import free_port, fresh_home, marsad_cli, serving


def _found(base: str, query: str) -> list[str]:
    answer = httpx.get(f"{base}/api/v1/search", params={"q": query}, timeout=10)
    assert answer.status_code == 200, answer.text
    return [hit["url"] for hit in answer.json()["hits"]]


def _ingest(env: dict[str, str], tmp_path: Path, n: int) -> None:
    page = tmp_path / f"article-{n}.html"
    page.write_text(article_html(ARTICLES[n]), encoding="utf-8")
    done = marsad_cli(env, "ingest", str(page))
    assert done.returncode == 0, done.stderr


def test_two_servers_see_a_third_process_ingest_without_restart(tmp_path: Path) -> None:
    env = fresh_home(tmp_path)
    _ingest(env, tmp_path, 0)
    with (
        serving(env, free_port(), tmp_path / "one.log") as one,
        serving(env, free_port(), tmp_path / "two.log") as two,
    ):
        servers = [one, two]
        assert [_found(base, "ميناء طنجة") for base in servers] == [[ARTICLES[0]["url"]]] * 2
        assert [_found(base, "الرجاء") for base in servers] == [[], []]

        _ingest(env, tmp_path, 1)
        assert [_found(base, "الرجاء") for base in servers] == [[ARTICLES[1]["url"]]] * 2

        rebuilt = marsad_cli(env, "reindex")
        assert rebuilt.returncode == 0, rebuilt.stderr
        _ingest(env, tmp_path, 2)
        assert [_found(base, "معرض الكتاب") for base in servers] == [[ARTICLES[2]["url"]]] * 2
        assert [_found(base, "ميناء طنجة") for base in servers] == [[ARTICLES[0]["url"]]] * 2
