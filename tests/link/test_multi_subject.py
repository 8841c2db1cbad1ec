"""Multi-subject pages (issue 18 item 2): a press review, a headed round-up and a live page are recognised
from their text and linked on their lead subject alone, so that they do not glue the stories of the other
subjects they tell; ordinary pages with a background section, an interview and an analysis are not taken
for such pages. The texts are written for these tests (multisubject_pages.py)."""

from __future__ import annotations

import pytest
from antload import insert_ant
from multisubject_pages import (
    ANALYSIS,
    BACKGROUND_REPORT,
    FIRES,
    FLOODS,
    INTERVIEW,
    LIVE,
    MATCH,
    PIPELINE,
    PRESS_REVIEW,
    ROUNDUP,
)

from marsad.arabic import normalise, tokens
from marsad.link import link_new
from marsad.link.features import paragraph_words, subject_paragraphs
from marsad.store.db import Store

EVENTS = {"floods": FLOODS, "pipeline": PIPELINE, "match": MATCH, "fires": FIRES}
# page -> (its text, its lead subject's paragraphs, the event they tell)
PAGES = {
    "press_review": (PRESS_REVIEW, [1, 2], "pipeline"),  # the subject its title names
    "roundup": (ROUNDUP, [0, 1], "floods"),  # a title that names none: the first
    "live": (LIVE, [0, 1], "match"),
}
DAY = "2019-07-14"


def _lead(page: tuple[str, str, list[str]]) -> list[int] | None:
    _, title, paragraphs = page
    return subject_paragraphs(tokens(normalise(title)), paragraphs, paragraph_words(paragraphs))


@pytest.mark.parametrize("name", sorted(PAGES))
def test_a_multi_subject_page_is_recognised_with_its_lead_subject(name):
    page, lead, _ = PAGES[name]
    assert _lead(page) == lead


@pytest.mark.parametrize(
    "page", [BACKGROUND_REPORT, INTERVIEW, ANALYSIS], ids=["background", "interview", "analysis"]
)
def test_an_ordinary_page_is_on_one_subject(page):
    assert _lead(page) is None


def _row(url: str, page: tuple[str, str, list[str]], published: str) -> dict:
    source, title, paragraphs = page
    return {"url": url, "title": title, "paragraphs": paragraphs, "published": published, "source": source}


def _reports(events: list[str]) -> list[dict]:
    """The events' single-subject reports, an hour apart from 08:00, the events' in turn (each event has
    reports before and after 12:30)."""
    turns = sorted((i, event) for event in events for i in range(len(EVENTS[event])))
    return [
        _row(f"https://example.test/{event}/{i}", EVENTS[event][i], f"{DAY}T{8 + n:02d}:00:00+00:00")
        for n, (i, event) in enumerate(turns)
    ]


def _stories(tmp_path, batches: list[list[dict]]) -> set[frozenset[str]]:
    """The stories (as sets of URL paths) after linking each batch in turn."""
    store = Store(tmp_path / "links.db")
    for rows in batches:
        link_new(store, insert_ant(store, rows))
    found: dict[int, set[str]] = {}
    for url, story in store.conn.execute("SELECT url, story_id FROM article").fetchall():
        found.setdefault(story, set()).add(url.removeprefix("https://example.test/"))
    store.close()
    return {frozenset(urls) for urls in found.values()}


def _expected(events: list[str], pages: dict[str, str | None]) -> set[frozenset[str]]:
    """Each event's reports in one story, with the pages whose lead subject it is; a page whose lead subject
    has no reports alone."""
    stories = {
        event: {f"{event}/{i}" for i in range(len(EVENTS[event]))}
        | {p for p, lead in pages.items() if lead == event}
        for event in events
    }
    alone = [{p} for p, lead in pages.items() if lead not in events]
    return {frozenset(s) for s in [*stories.values(), *alone]}


# (when the page is published, whether it is linked in a batch after the reports)
ORDERS = {"first": ("06:00", False), "middle": ("12:30", False), "late": ("06:00", True)}


@pytest.mark.parametrize("order", sorted(ORDERS))
@pytest.mark.parametrize("name", sorted(PAGES))
def test_a_multi_subject_page_joins_its_lead_subject_and_glues_no_other(tmp_path, name, order):
    page, _, lead = PAGES[name]
    at, late = ORDERS[order]
    events = sorted(EVENTS)
    reports = _reports(events)
    row = _row(f"https://example.test/{name}", page, f"{DAY}T{at}:00+00:00")
    batches = [reports, [row]] if late else [[*reports, row]]
    assert _stories(tmp_path, batches) == _expected(events, {name: lead})


@pytest.mark.parametrize("late", [False, True], ids=["together", "pages_late"])
def test_three_multi_subject_pages_among_the_reports(tmp_path, late):
    events = sorted(EVENTS)
    pages = [
        _row(f"https://example.test/{name}", page, f"{DAY}T0{6 + i}:30:00+00:00")
        for i, (name, (page, _, _)) in enumerate(sorted(PAGES.items()))
    ]
    batches = [_reports(events), pages] if late else [[*pages, *_reports(events)]]
    assert _stories(tmp_path, batches) == _expected(
        events, {name: lead for name, (_, _, lead) in PAGES.items()}
    )


def test_a_page_whose_lead_subject_has_no_story_stays_alone(tmp_path):
    events = ["fires", "floods", "pipeline"]  # no report of the match the live page opens with
    row = _row("https://example.test/live", LIVE, f"{DAY}T06:00:00+00:00")
    assert _stories(tmp_path, [[*_reports(events), row]]) == _expected(events, {"live": "match"})


def test_a_copy_of_a_whole_round_up_is_its_repost(tmp_path):
    """Repost search reads the whole text: another outlet's copy of the round-up is a copy of it, in its
    story."""
    events = sorted(EVENTS)
    page = _row("https://example.test/roundup", ROUNDUP, f"{DAY}T06:00:00+00:00")
    copy = _row("https://example.test/roundup-copy", ("CNN", *ROUNDUP[1:]), f"{DAY}T06:40:00+00:00")
    store = Store(tmp_path / "links.db")
    link_new(store, insert_ant(store, [page, copy, *_reports(events)]))
    rows = {
        url.removeprefix("https://example.test/"): (aid, dup, story)
        for aid, url, dup, story in store.conn.execute("SELECT id, url, duplicate_of, story_id FROM article")
    }
    store.close()
    assert rows["roundup-copy"][1:] == (rows["roundup"][0], rows["roundup"][2])
    assert rows["roundup"][2] == rows["floods/0"][2]


def test_a_long_live_page_is_read_whole():
    """A live page of 150 entries (the live page's five, again and again, at other times): its first
    MAX_PARTS entries decide its subjects, each later entry goes with the lead subject if it is like it."""
    source, title, entries = LIVE
    stamps = [f"{23 - i // 60:02d}:{59 - i % 60:02d} " for i in range(150)]
    paragraphs = [stamp + entries[i % 5][6:] for i, stamp in enumerate(stamps)]
    assert _lead((source, title, paragraphs)) == [i for i in range(150) if i % 5 in (0, 1)]
