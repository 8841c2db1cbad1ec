"""Links do not depend on the order articles arrive in: ANT ingested in publication order, outlet by
outlet and shuffled, and relinked, gives the same reposts, stories, threads and timelines; a late article
joins the story of its own day and, published first, is the original of its reposts group."""

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
from marsad.store import pending
from marsad.store.db import Store


def write_ant(path: Path, rows: list[dict]) -> Path:
    """ANT lines as the corpus file has them (without what antload.read_ant adds), in this order."""
    with gzip.open(path, "wt", encoding="utf-8") as fh:
        for row in rows:
            line = {k: v for k, v in row.items() if k not in ("published", "paragraphs")}
            fh.write(json.dumps(line, ensure_ascii=False) + "\n")
    return path


@pytest.mark.realdata
def test_ant_in_three_orders_and_relinked_links_the_same(tmp_path, ant_rows):
    """Two thousand lines of April and May 2018 (1,916 articles: one line for each URL, the first in
    publication order), ingested in batches of 250 from a file giving them in three orders: in the two
    not in time order the run links once, at its end, every article in publication order."""
    by_time = sorted(ant_rows, key=lambda r: (r["published"], r["url"]))[12000:14000]
    first: dict[str, dict] = {}
    for row in by_time:
        first.setdefault(row["url"], row)
    rows = list(first.values())
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
            relink(store)
            found["relink"] = (digest(store), snapshot(store))
        store.close()
    assert found["outlet"][1] == found["time"][1]
    assert found["shuffled"][1] == found["time"][1]
    assert found["relink"][1] == found["time"][1]
    assert {name: d for name, (d, _) in found.items()} == dict.fromkeys(found, found["time"][0])
    linked = found["time"][1]
    assert len(rows) == 1916
    assert (len(linked["stories"]), len(linked["duplicates"]), len(linked["threads"])) == (907, 178, 675)
    assert len(linked["events"]) == 3476


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


def statement_store(path: Path, arrival: list[str], at_once: bool = False) -> tuple[Store, dict[str, int]]:
    """Articles written for the test: the statement by outlets a, b (naming c as its source) and c, and
    a match report two days later; each ingested by a run of its own (as crawl rounds bring them) in the
    order `arrival` names them. `at_once`: the three statements published at one time, b naming no source."""
    articles = {
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
    store = Store(path)
    for name in arrival:
        url, outlet, title, body, published = articles[name]
        record = {"url": url, "outlet": outlet, "title": title, "body": body, "published": published}
        if name == "b" and not at_once:
            record["original_outlet"] = "جيم"
        if at_once and name != "match":
            record["published"] = "2018-05-02T10:00:00+00:00"
        report = ingest_pages(store, [Page(url=url, kind="record", record=record)], index=False)
        assert (report.new, pending.counts(store)["link"]) == (1, 0)
    ids = {
        name: store.conn.execute("SELECT id FROM article WHERE url = ?", (articles[name][0],)).fetchone()[0]
        for name in arrival
    }
    return store, ids


def test_a_late_article_joins_its_days_story_and_is_the_original_published_first(tmp_path):
    store, ids = statement_store(tmp_path / "late.db", ["a", "b", "match", "c"])
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


def test_the_original_of_copies_published_at_once_is_not_the_first_crawled(tmp_path):
    """Three copies of one time, none naming a source: the original is the first by URL whichever was
    stored and linked first; with b naming c, c."""
    for at_once, original in ((True, "https://a.example/1"), (False, "https://c.example/1")):
        for arrival in (["a", "b", "c"], ["c", "b", "a"], ["b", "c", "a"]):
            store, _ = statement_store(tmp_path / f"{at_once}{''.join(arrival)}.db", arrival, at_once)
            copies = {"https://a.example/1", "https://b.example/1", "https://c.example/1"} - {original}
            assert snapshot(store)["duplicates"] == dict.fromkeys(copies, original)
            store.close()
