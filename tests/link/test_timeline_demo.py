"""The demo corpus's timelines as a reader follows them: one entry per dated fact with all its sources,
the background its articles recall listed once and apart, a quarter sorted at its start, and the same
lists on the story page, the thread page, the API and `marsad thread --timeline --json`."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from selectolax.lexbor import LexborHTMLParser as HTMLParser
from typer.testing import CliRunner

from marsad import Archive
from marsad.cli import app as cli
from marsad.demo import expected, html_files
from marsad.store import stories, threads
from marsad.store.db import Store
from marsad.web.app import create_app

FILE_OF = {e["url"]: e["file"] for e in expected()} | {e["canonical_url"]: e["file"] for e in expected()}

# (date, precision, each source's demo page): originals first, earliest published first
GCTF_BACKGROUND = [
    (
        "2011-09",  # the founding: "سنة 2011" three times, "شتنبر 2011" and "سبتمبر ٢٠١١", and a repost
        "month",
        [
            "atlas-gctf-cochairs-2016",
            "atlas-gctf-ministerial-2017",
            "nile-gctf-ministerial-2017",
            "arz-gctf-ministerial-2017",
            "nile-gctf-ministerial-2018",
            "nafida-gctf-ministerial-2017",
        ],
    ),
]
GCTF_EVENTS = [
    # Morocco and the Netherlands co-chairing since 2016, in four wordings that share too few words to merge
    ("2016", "year", ["atlas-gctf-ministerial-2017", "nafida-gctf-ministerial-2017"]),
    ("2016", "year", ["mashhad-gctf-ministerial-2017"]),
    ("2016", "year", ["atlas-hgt-rabat-2018", "atlas-gctf-ministerial-2018", "nafida-hgt-rabat-2018"]),
    ("2016", "year", ["mashhad-gctf-ministerial-2018"]),
    ("2016-09", "month", ["mashhad-gctf-cochairs-2016"]),
    ("2017", "year", ["nile-gctf-ministerial-2018"]),
    ("2017-09", "month", ["atlas-hgt-rabat-2018", "nafida-hgt-rabat-2018"]),
    ("2017-09", "month", ["atlas-gctf-ministerial-2018"]),
    # the eighth ministerial meeting, reported and recalled by five articles: one fact
    (
        "2017-09-20",
        "day",
        [
            "mashhad-gctf-ministerial-2017",
            "atlas-gctf-ministerial-2017",
            "nile-gctf-ministerial-2017",
            "mashhad-hgt-inaugural-2017",
            "nafida-gctf-ministerial-2017",
        ],
    ),
    ("2017-09-20", "day", ["sawt-hgt-inaugural-2017"]),
    # the initiative's inaugural meeting in November 2017: five sentences, two entries
    (
        "2017-11",
        "month",
        ["sawt-hgt-inaugural-2017", "mashhad-hgt-inaugural-2017", "khaleej-hgt-workshops-2018"],
    ),
    ("2017-11", "month", ["atlas-hgt-rabat-2018", "mashhad-gctf-ministerial-2018", "nafida-hgt-rabat-2018"]),
    ("2018", "year", ["mashhad-hgt-inaugural-2017"]),
    # the two workshops of the first quarter ("من السنة الجارية" in one of them): a repost stays with its
    # original's entry
    (
        "2018-Q1",  # at its start: after the year, before June
        "quarter",
        [
            "sawt-hgt-inaugural-2017",
            "sawt-hgt-workshops-2018",
            "khaleej-hgt-workshops-2018",
            "mashhad-gctf-ministerial-2018",
            "atlas-gctf-ministerial-2018",
        ],
    ),
    ("2018-Q1", "quarter", ["atlas-hgt-rabat-2018", "nafida-hgt-rabat-2018"]),
    ("2018-06-25", "day", ["atlas-hgt-rabat-2018", "nafida-hgt-rabat-2018"]),
    ("2018-09", "month", ["khaleej-hgt-workshops-2018", "nile-gctf-ministerial-2018", "arz-hgt-rabat-2018"]),
    ("2018-09", "month", ["atlas-hgt-rabat-2018", "nafida-hgt-rabat-2018"]),
    ("2018-09-28", "day", ["mashhad-gctf-ministerial-2018"]),
]
CAF_BACKGROUND = [
    (
        "1992",
        "year",
        [
            "nile-caf-final-first-leg-2017",
            "atlas-caf-final-2017",
            "khaleej-caf-final-2017",
            "nafida-caf-final-2017",
        ],
    ),
]
CAF_EVENTS = [
    ("2017-10-28", "day", ["nile-caf-final-first-leg-2017"]),
    # the return leg on 4 November: announced a week before, its result in three wordings and a repost, and
    # the fans' celebration that night, one happening
    (
        "2017-11-04",
        "day",
        [
            "nile-caf-final-first-leg-2017",
            "nile-caf-final-2017",
            "atlas-caf-final-2017",
            "khaleej-caf-final-2017",
            "mashhad-wydad-celebrations-2017",
            "nafida-caf-final-2017",
        ],
    ),
    ("2017-11-05", "day", ["nile-caf-final-2017"]),
    # the Club World Cup in the Emirates in December, in three wordings and a repost
    (
        "2017-12",
        "month",
        [
            "khaleej-caf-final-first-leg-2017",
            "atlas-caf-final-2017",
            "khaleej-caf-final-2017",
            "nafida-caf-final-2017",
        ],
    ),
]
RATES_BACKGROUND = [  # a year and more before the thread's first article (2017-12-19)
    ("2016-03", "month", ["mashhad-bam-rate-2017-12"]),
    (
        "2016-11",
        "month",
        ["nile-cbe-rate-cut-2018-02", "mashhad-cbe-rate-cut-2018-02", "khaleej-cbe-rate-cut-2018-02"],
    ),
    ("2017-07", "month", ["mashhad-cbe-rate-cut-2018-02"]),
]


@pytest.fixture(scope="module")
def demo_archive(tmp_path_factory) -> Iterator[Path]:
    path = tmp_path_factory.mktemp("timeline") / "demo.db"
    with Archive(path) as archive:
        report = archive.ingest([str(p) for p in html_files()])
        assert (report.new, report.failed) == (43, 0)
    yield path


def _page(url: str) -> str:
    return Path(FILE_OF[url]).stem


def _listed(entries) -> list[tuple[str, str, list[str]]]:
    return [(e.date, e.precision, [_page(s.article_url) for s in e.sources]) for e in entries]


def _thread_of(store: Store, page: str) -> threads.ThreadPage:
    urls = [u for u, f in FILE_OF.items() if Path(f).stem == page]
    row = store.conn.execute(
        f"SELECT s.thread_id FROM article a JOIN story s ON s.id = a.story_id WHERE a.url IN ({', '.join('?' * len(urls))})",
        urls,
    ).fetchone()
    found = threads.thread(store, row[0])
    assert found is not None
    return found


@pytest.mark.parametrize(
    ("page", "background", "events"),
    [
        ("atlas-gctf-cochairs-2016", GCTF_BACKGROUND, GCTF_EVENTS),
        ("atlas-caf-final-2017", CAF_BACKGROUND, CAF_EVENTS),
        ("atlas-bam-rate-2017-12", RATES_BACKGROUND, None),
    ],
)
def test_the_demo_threads_timelines(demo_archive, page, background, events):
    with Store(demo_archive, readonly=True) as store:
        found = _thread_of(store, page)
    assert _listed(found.background) == background
    if events is not None:
        assert _listed(found.events) == events
    assert all(e.background for e in found.background) and not any(e.background for e in found.events)


def test_the_forum_thread_lists_its_founding_once(demo_archive):
    with Store(demo_archive, readonly=True) as store:
        found = _thread_of(store, "atlas-gctf-cochairs-2016")
    mentions = [s for e in found.background + found.events for s in e.sources if s.date.startswith("2011")]
    assert sorted({s.date for s in mentions}) == ["2011", "2011-09"]  # as the articles state it
    assert len(mentions) == 6 and all(s in found.background[0].sources for s in mentions)
    assert found.background[0].outlets == ["الأطلس اليوم", "بوابة النيل", "صدى الأرز", "نافذة الصحف"]
    # the shown sentence is the first source's, as published
    assert found.background[0].text.startswith("ويضم المنتدى، الذي أنشئ في شتنبر 2011")


def test_the_story_page_shows_the_same_timeline(demo_archive):
    with Store(demo_archive, readonly=True) as store:
        found = _thread_of(store, "atlas-gctf-cochairs-2016")
        story_id = next(
            s.id for s in stories.thread_stories(store, found.id) if s.first_seen.startswith("2016-09-22")
        )
    with TestClient(create_app(demo_archive)) as client:
        root = HTMLParser(client.get(f"/stories/{story_id}").text)
    box = root.css_first("section.thread-box")
    assert [h.text() for h in box.css("h3")] == ["خلفية", "الأحداث"]
    background, news = box.css("ol.timeline")
    assert background.attributes["class"] == "timeline background"
    assert [li.css_first("time").text() for li in background.css("ol > li")] == ["سبتمبر 2011"]
    assert background.css_first("details.sources summary").text() == "6 أخبار · 4 مصادر"
    times = [li.css_first("time").text() for li in news.css("ol > li")]
    assert len(times) == len(GCTF_EVENTS)
    assert times[12:16] == ["2018", "الربع الأول 2018", "الربع الأول 2018", "25 يونيو 2018"]
    assert times[-1] == "28 سبتمبر 2018"
    # the items this story's own articles state are marked
    here = [
        li.css_first("time").attributes["datetime"]
        for li in news.css("ol > li")
        if li.attributes.get("class") == "here"
    ]
    assert here == ["2016-09"]
    assert background.css("ol > li")[0].attributes.get("class") == "here"


def test_the_command_line_prints_the_timeline_with_its_background(demo_archive):
    with Store(demo_archive, readonly=True) as store:
        found = _thread_of(store, "atlas-caf-final-2017")
    out = CliRunner().invoke(
        cli, ["thread", str(found.id), "--timeline", "--db", str(demo_archive)], env={"COLUMNS": "400"}
    )
    assert out.exit_code == 0, out.output
    lines = out.output.splitlines()
    assert lines[2:4] == [
        "background",
        "  1992       بوابة النيل: "
        + found.background[0].text
        + "  (+3: الأطلس اليوم, الخليج الآن, نافذة الصحف)",
    ]
    assert lines[4] == "timeline"
    assert [line.split()[0] for line in lines[5:]] == [e.date for e in found.events]
    listed = json.loads(
        CliRunner()
        .invoke(cli, ["thread", str(found.id), "--timeline", "--json", "--db", str(demo_archive)])
        .output
    )
    assert [
        (e["date"], e["precision"], [_page(s["article"]["url"]) for s in e["sources"]])
        for e in listed["events"]
    ] == CAF_EVENTS
    assert listed["background"][0]["sources"][3]["repost"] is True
