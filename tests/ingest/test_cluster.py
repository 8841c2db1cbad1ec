"""Ingest on a Dask cluster (marsad.ingest.cluster) ends as a single-process ingest ends: the same articles,
ids, links, stories, failures and search results, from WARC archives cut into parts and HTML folders."""

from __future__ import annotations

import gzip
import hashlib
import json
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from marsad.cli import app
from marsad.ingest import ingest
from marsad.ingest.cluster import ClusterConfig, ClusterUnavailable, WarcPart, warc_parts
from marsad.search import search
from marsad.sources.warc import read_warc
from marsad.store.articles import iter_articles, list_failures
from marsad.store.db import Store

from .conftest import ARTICLES, article_html, warc_record

# A line the outlet prints inside every article: its profile learns it after 8 pages and drops it, so the
# pages of later batches come out without it (the profile as of the last commit, as in a plain ingest).
CHROME = "وتتابع أخبار المثال تطورات هذا الموضوع أولا بأول من خلال مراسليها في مختلف المدن"
QUERIES = ("ميناء طنجة", "الرجاء النهائي", "معرض الكتاب", "الحاويات", "مراسليها في مختلف المدن")


def _page(n: int, host: str = "akhbar.example.ma") -> tuple[str, bytes]:
    source = ARTICLES[n % 3]
    article = dict(
        source,
        url=f"https://{host}/news/{n}",
        title=f"{source['title']} ({n % 7})",
        date=f"2018-0{1 + n % 9}-1{n % 10}",
        body=[*source["body"][n % 2 :], f"وهذا الخبر رقم {n} في سلسلة الأخبار.", CHROME],
    )
    return article["url"], article_html(article).encode()


@pytest.fixture
def targets(tmp_path: Path) -> list[str]:
    """A gzip WARC (one member a record) with reposts from a second outlet, a plain WARC whose last record
    is cut short, and a folder of HTML files with one page that has no article."""
    records = [warc_record(*_page(n)) for n in range(24)]
    records += [warc_record(*_page(n, "repost.example.com")) for n in (3, 4, 5)]
    (tmp_path / "crawl.warc.gz").write_bytes(b"".join(gzip.compress(r) for r in records))
    plain = b"".join(warc_record(*_page(n)) for n in range(24, 34))
    (tmp_path / "tail.warc").write_bytes(plain[:-400])
    folder = tmp_path / "pages"
    folder.mkdir()
    for n in range(34, 45):
        (folder / f"p{n}.html").write_bytes(_page(n)[1])
    (folder / "empty.html").write_text("<html><body></body></html>", encoding="utf-8")
    return [str(tmp_path / "crawl.warc.gz"), str(tmp_path / "tail.warc"), str(folder)]


def _digest(store: Store) -> tuple[str, dict]:
    articles = [{k: v for k, v in a.items() if k != "fetched_at"} for a in iter_articles(store)]
    failures = [(f["stage"], f["reason"], f["origin"], f["url"]) for f in list_failures(store)]
    found = {q: [(h.id, h.story_id, h.folded) for h in search(store, q, limit=50).hits] for q in QUERIES}
    state = {"articles": articles, "failures": failures, "search": found}
    text = json.dumps(state, ensure_ascii=False, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest(), state


def _ingest(tmp_path: Path, targets: list[str], name: str, cluster: ClusterConfig | None):
    with Store(tmp_path / f"{name}.db") as store:
        report = ingest(targets, store, progress=False, batch_size=5, cluster=cluster)
        return report, _digest(store)


def test_two_local_workers_end_as_one_process(tmp_path: Path, targets: list[str]) -> None:
    single, (single_digest, state) = _ingest(tmp_path, targets, "single", None)
    parted, (parted_digest, _) = _ingest(tmp_path, targets, "dask", ClusterConfig(workers=2, part_pages=4))
    assert (single.new, single.failed) == (47, 2)
    assert (parted.new, parted.failed, dict(parted.kinds)) == (47, 2, {"html": 48})
    assert parted_digest == single_digest
    failures = {(stage, reason.split(":")[0]) for stage, reason, _, _ in state["failures"]}
    assert failures == {
        ("read", "the archive is truncated"),
        ("extract", "no article text found in the HTML page"),
    }
    bodies = {a["url"]: a["body"] for a in state["articles"]}
    assert CHROME in bodies["https://akhbar.example.ma/news/0"]  # before the outlet had 8 pages
    assert CHROME not in bodies["https://akhbar.example.ma/news/20"]  # its profile drops it after
    assert len(state["search"]["ميناء طنجة"]) > 0


def test_the_second_outlets_copies_are_reposts(tmp_path: Path, targets: list[str]) -> None:
    """The first outlet repeats each of its three texts in eight pages, so by the end its profile holds all
    their paragraphs but the numbered line: the copies are still copies of their own page, not of a sibling."""
    _, (_, state) = _ingest(tmp_path, targets, "single", None)
    reposts = {a["url"]: a["duplicate_of"] for a in state["articles"] if "repost" in a["url"]}
    assert reposts == {f"https://repost.example.com/news/{n}": n + 1 for n in (3, 4, 5)}


def test_warc_parts_read_in_turn_are_the_archive(targets: list[str]) -> None:
    paths = targets
    for path in map(Path, paths[:2]):
        cut = list(warc_parts(path, 4))
        assert [p.before for p in cut] == list(range(0, 4 * len(cut), 4))
        assert cut[-1].count is None and all(p.count == 4 for p in cut[:-1])
        whole = list(read_warc(path))
        parted = [item for p in cut for item in read_warc(path, p.offset, p.count, p.before)]
        assert parted == whole
    assert [p.count for p in warc_parts(Path(paths[0]), 4)] == [4, 4, 4, 4, 4, 4, None]


def test_a_gzip_archive_in_one_member_is_one_part(tmp_path: Path) -> None:
    path = tmp_path / "one.warc.gz"
    path.write_bytes(gzip.compress(b"".join(warc_record(*_page(n)) for n in range(6))))
    assert list(warc_parts(path, 2)) == [WarcPart(str(path), 0, None, 0)]
    assert len(list(read_warc(path))) == 6


def test_a_scheduler_address_from_the_command_line(tmp_path: Path, targets: list[str]) -> None:
    from distributed import LocalCluster

    with LocalCluster(n_workers=1, processes=False, dashboard_address=None) as cluster:
        result = CliRunner().invoke(
            app,
            [
                "ingest",
                *targets,
                "--db",
                str(tmp_path / "s.db"),
                "--scheduler",
                cluster.scheduler_address,
                "--json",
            ],
        )
    assert result.exit_code == 0, result.output
    assert (json.loads(result.stdout)["new"], json.loads(result.stdout)["failed"]) == (47, 2)
    with Store(tmp_path / "s.db") as store, Store(tmp_path / "single.db") as single:
        ingest(targets, single, progress=False)
        assert _digest(store)[0] == _digest(single)[0]


def test_without_dask_the_error_says_which_extra(
    tmp_path: Path, targets: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "distributed", None)
    with Store(tmp_path / "m.db") as store, pytest.raises(ClusterUnavailable) as raised:
        ingest(targets, store, progress=False, cluster=ClusterConfig(workers=2))
    assert str(raised.value) == (
        "Dask is not installed: install Marsad with its cluster extra (pip install 'marsad[cluster]')"
    )
    result = CliRunner().invoke(
        app, ["ingest", str(tmp_path / "pages"), "--db", str(tmp_path / "m.db"), "--workers", "2"]
    )
    assert result.exit_code == 1
    assert "pip install 'marsad[cluster]'" in result.stderr


def test_workers_or_scheduler_not_both(tmp_path: Path) -> None:
    args = [
        "ingest",
        str(tmp_path),
        "--db",
        str(tmp_path / "b.db"),
        "--workers",
        "2",
        "--scheduler",
        "tcp://h:8786",
    ]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 2
    assert "not both" in result.output
