"""Links do not depend on the order articles arrive in: ANT ingested in publication order, outlet by
outlet and shuffled, and relinked, gives the same reposts, stories, threads and timelines; a late article
joins the story of its own day and, published first, is the original of its reposts group. Late articles
go through the bounded rewind (marsad.link.rewind), never a full relink."""

from __future__ import annotations

import gzip
import json
import random
from pathlib import Path

import pytest
from snapshot import digest, snapshot

from marsad.ingest import ingest, ingest_pages
from marsad.link import relink
from marsad.models import Page
from marsad.store import linkstate, pending
from marsad.store.db import Store


def frequencies(store: Store) -> tuple[str | None, dict[int, int]]:
    """n_docs and every document frequency (terms, outlets' terms and lines, outlets' counts)."""
    return linkstate.get_meta(store, "n_docs"), dict(store.conn.execute("SELECT term_hash, df FROM doc_freq"))


def write_ant(path: Path, rows: list[dict]) -> Path:
    """ANT lines as the corpus file has them (without what antload.read_ant adds), in this order."""
    with gzip.open(path, "wt", encoding="utf-8") as fh:
        for row in rows:
            line = {k: v for k, v in row.items() if k not in ("published", "paragraphs")}
            fh.write(json.dumps(line, ensure_ascii=False) + "\n")
    return path


@pytest.mark.realdata
def two_thousand(ant_rows: list[dict]) -> list[dict]:
    """Two thousand lines of April and May 2018 (1,916 articles: one line for each URL, the first in
    publication order), in publication order."""
    by_time = sorted(ant_rows, key=lambda r: (r["published"], r["url"]))[12000:14000]
    first: dict[str, dict] = {}
    for row in by_time:
        first.setdefault(row["url"], row)
    return list(first.values())


@pytest.mark.realdata
def test_ant_in_three_orders_and_relinked_links_the_same(tmp_path, ant_rows, rewinds):
    """The two thousand lines ingested in batches of 250 from a file giving them in three orders: in each
    the first batch is linked as it comes and the run links the rest at its end, rewinding that batch
    (in publication order by their time as written, one article still comes before the first batch's
    last instant: the file's times are in several time zones)."""
    rows = two_thousand(ant_rows)
    orders = {
        "time": rows,
        "outlet": sorted(rows, key=lambda r: r["source"]),  # stable: each outlet in time order
        "shuffled": random.Random(18).sample(rows, len(rows)),
    }
    found = {}
    for name, ordered in orders.items():
        store = Store(tmp_path / f"{name}.db")
        ingest(
            [str(write_ant(tmp_path / f"{name}.jsonl.gz", ordered))],
            store,
            False,
            index=False,
            batch_size=250,
        )
        assert pending.counts(store)["link"] == 0
        found[name] = (digest(store), snapshot(store))
        if name == "time":
            before = frequencies(store)
            relink(store)
            found["relink"] = (digest(store), snapshot(store))
            assert frequencies(store) == before
        store.close()
    assert rewinds == [250, 250, 250]
    assert found["outlet"][1] == found["time"][1]
    assert found["shuffled"][1] == found["time"][1]
    assert found["relink"][1] == found["time"][1]
    assert {name: d for name, (d, _) in found.items()} == dict.fromkeys(found, found["time"][0])
    linked = found["time"][1]
    assert len(rows) == 1916
    # 1,018 stories, 671 threads (908 and 674 before the opening test, stories.OPENING_MIN: a next step of a
    # matter told over the first reports' background starts a story of its own, in their story's thread)
    assert (len(linked["stories"]), len(linked["duplicates"]), len(linked["threads"])) == (1018, 178, 671)
    assert len(linked["events"]) == 3476


@pytest.mark.realdata
def test_late_articles_in_later_runs_rewind_only_what_came_after_them(tmp_path, ant_rows, rewinds):
    """The two thousand lines in runs of 200 (as crawl rounds bring them), every eighth article of a run
    held back to come two runs later, and the first article of all in a run of its own after everything:
    each late run undoes the runs linked since its earliest article, and the links, timelines and
    document frequencies are what relink gives, and what the articles ingested in time order give."""
    rows = two_thousand(ant_rows)
    runs: list[list[dict]] = [[] for _ in range(len(rows) // 200 + 3)]
    for i, row in enumerate(rows[1:], start=1):
        runs[i // 200 + (2 if i % 8 == 3 else 0)].append(row)
    runs.append([rows[0]])
    store = Store(tmp_path / "late.db")
    for n, run in enumerate(r for r in runs if r):
        ingest([str(write_ant(tmp_path / f"run{n}.jsonl.gz", run))], store, False, index=False)
        assert pending.counts(store)["link"] == 0
    # Each late run undoes the batches (epochs) linked since its earliest article: its own time two runs
    # back, or a few hours back (times in several zones); the last one undoes all 1,915 others.
    assert rewinds == [174, 349, 549, 499, 449, 399, 349, 549, 499, 375, 150, 1915]
    linked, found, counted = digest(store), snapshot(store), frequencies(store)
    relink(store)
    assert (digest(store), snapshot(store), frequencies(store)) == (linked, found, counted)
    in_time = Store(tmp_path / "time.db")
    ingest([str(write_ant(tmp_path / "time.jsonl.gz", rows))], in_time, False, index=False, batch_size=200)
    assert (digest(in_time), frequencies(in_time)) == (linked, counted)


# A written event: a statement by a ministry, published first by outlet C, copied by A and B.
STATEMENT = [
    "أعلنت وزارة الصحة في الرباط صباح اليوم عن افتتاح مستشفى جامعي جديد في مدينة وجدة بطاقة خمسمئة سرير",
    "وقال وزير الصحة في مؤتمر صحفي إن المستشفى سيخدم سكان الجهة الشرقية ويضم أقساما للجراحة والطب النفسي",
    "وأضاف أن كلفة المشروع بلغت ملياري درهم وأن الأشغال استغرقت أربع سنوات بمشاركة شركات مغربية وأجنبية",
]
OTHER = [
    "فاز المنتخب المغربي لكرة القدم على نظيره التونسي بهدفين مقابل هدف واحد في مباراة ودية أقيمت في تونس",
    "وسجل الهدفين مهاجم الفريق في الشوط الثاني بعد أن تقدم المنتخب التونسي في الدقائق الأولى من اللقاء",
    "ويستعد المنتخب لخوض تصفيات كأس إفريقيا للأمم في الشهر المقبل بمواجهة منتخبي مالي وغينيا",
]


STATEMENT_ARTICLES = {
    "a": (
        "https://a.example/1",
        "ألف",
        "افتتاح مستشفى جامعي في وجدة",
        STATEMENT,
        "2018-05-02T10:00:00+00:00",
    ),
    "b": ("https://b.example/1", "باء", "مستشفى جديد في وجدة", STATEMENT, "2018-05-02T11:00:00+00:00"),
    "c": (
        "https://c.example/1",
        "جيم",
        "وزارة الصحة تفتتح مستشفى وجدة",
        STATEMENT,
        "2018-05-02T08:00:00+00:00",
    ),
    "match": ("https://a.example/2", "ألف", "المغرب يفوز على تونس", OTHER, "2018-05-04T20:00:00+00:00"),
}


def add_statement(store: Store, name: str, at_once: bool = False) -> int:
    """Ingest one article of STATEMENT_ARTICLES by a run of its own; returns its id."""
    url, outlet, title, body, published = STATEMENT_ARTICLES[name]
    record = {"url": url, "outlet": outlet, "title": title, "body": body, "published": published}
    if name == "b" and not at_once:
        record["original_outlet"] = "جيم"
    if at_once and name != "match":
        record["published"] = "2018-05-02T10:00:00+00:00"
    report = ingest_pages(store, [Page(url=url, kind="record", record=record)], index=False)
    assert report.new == 1
    return store.conn.execute("SELECT id FROM article WHERE url = ?", (url,)).fetchone()[0]


def statement_store(path: Path, arrival: list[str], at_once: bool = False) -> tuple[Store, dict[str, int]]:
    """Articles written for the test: the statement by outlets a, b (naming c as its source) and c, and
    a match report two days later; each ingested by a run of its own (as crawl rounds bring them) in the
    order `arrival` names them. `at_once`: the three statements published at one time, b naming no source."""
    store = Store(path)
    ids = {}
    for name in arrival:
        ids[name] = add_statement(store, name, at_once)
        assert pending.counts(store)["link"] == 0
    return store, ids


def test_a_late_article_joins_its_days_story_and_is_the_original_published_first(tmp_path, rewinds):
    store, ids = statement_store(tmp_path / "late.db", ["a", "b", "match", "c"])
    assert rewinds == [3]  # c comes first: a, b and the match linked again after it
    story, duplicate_of = zip(
        *store.conn.execute("SELECT story_id, duplicate_of FROM article ORDER BY id").fetchall(), strict=True
    )
    a, b, match, c = (ids[k] for k in ("a", "b", "match", "c"))
    assert dict(zip((a, b, match, c), duplicate_of, strict=True)) == {a: c, b: c, match: None, c: None}
    assert story[0] == story[1] == story[3] != story[2]
    linked = snapshot(store)
    relink(store)
    assert snapshot(store) == linked
    in_order, _ = statement_store(tmp_path / "in_order.db", ["c", "a", "b", "match"])
    assert snapshot(in_order) == linked


def test_the_original_of_copies_published_at_once_is_not_the_first_crawled(tmp_path, rewinds):
    """Three copies of one time, none naming a source: the original is the first by URL whichever was
    stored and linked first; with b naming c, c."""
    for at_once, original in ((True, "https://a.example/1"), (False, "https://c.example/1")):
        for arrival in (["a", "b", "c"], ["c", "b", "a"], ["b", "c", "a"]):
            store, _ = statement_store(tmp_path / f"{at_once}{''.join(arrival)}.db", arrival, at_once)
            copies = {"https://a.example/1", "https://b.example/1", "https://c.example/1"} - {original}
            assert snapshot(store)["duplicates"] == dict.fromkeys(copies, original)
            store.close()
    # Each late article undoes the batches linked since its time (link order: at once a < b < c, by URL;
    # else c at 08:00 < a at 10:00 < b at 11:00): cba (b undoes c, a undoes b and c: the rewind linked them
    # in one batch), bca; then abc, cba, bca (c undoes b, a the batch of c and b).
    assert rewinds == [1, 2, 2, 2, 1, 1, 2]
