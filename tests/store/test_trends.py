"""Coverage over time (marsad.store.trends): the counts equal counts made independently from the rows (by
SQLite's own date functions, not Marsad's parser), on the ANT corpus and on the linked demo archive;
hidden articles are left out; an article without a day is counted apart; rising picks exactly the stories
whose day is far above their baseline."""

from __future__ import annotations

import shutil
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from marsad.store import trends
from marsad.store.db import Store
from marsad.store.trends import Series, period_start

# --- independent counts: SQLite's strftime reads the offset and gives the UTC day --------------------------

_UTC_DAY = "strftime('%Y-%m-%d', a.published)"
_DAY_PRECISE = "a.published IS NOT NULL AND coalesce(a.precision, '') NOT IN ('month', 'quarter', 'year')"


def independent(
    store: Store, where: str, params: tuple, by: str, join: str = ""
) -> tuple[dict[date, int], int]:
    """({period start: articles}, undated) counted row by row from SQLite's UTC day of each article."""
    counts: Counter[date] = Counter()
    undated = 0
    rows = store.conn.execute(
        f"SELECT CASE WHEN {_DAY_PRECISE} THEN {_UTC_DAY} END FROM article a {join} WHERE {where} AND a.hidden = 0",
        params,
    )
    for (day,) in rows:
        if day is None:
            undated += 1
        else:
            counts[period_start(date.fromisoformat(day), by)] += 1  # type: ignore[arg-type]
    return dict(counts), undated


def nonzero(series: Series) -> dict[date, int]:
    return {start: n for start, n in series.periods if n}


# --- ANT: every outlet, by day, week and month -------------------------------------------------------------


@pytest.fixture(scope="module")
def ant(ant_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the ANT archive this module may write (it hides articles)."""
    path = tmp_path_factory.mktemp("trends-ant") / "ant.db"
    shutil.copy(ant_db, path)
    return path


@pytest.mark.realdata
def test_outlet_trends_on_ant_equal_counts_made_from_the_rows(ant):
    with Store(ant) as store:
        outlets = {name: i for i, name in store.conn.execute("SELECT id, name FROM source")}
        totals = {name: trends.for_outlet(store, i, "week").total for name, i in outlets.items()}
        assert totals == {
            "العربية": 6511,
            "بي بي سي عربي": 3799,
            "سي إن إن بالعربية": 3461,
            "فرانس 24": 2869,
            "سكاي نيوز عربية": 13697,
        }
        for source_id in outlets.values():
            for by in ("day", "week", "month"):
                series = trends.for_outlet(store, source_id, by)  # type: ignore[arg-type]
                expected, undated = independent(store, "a.source_id = ?", (source_id,), by)
                assert (nonzero(series), series.undated) == (expected, undated)
                # every period from the first to the last, none skipped, none twice
                starts = [s for s, _ in series.periods]
                assert starts == sorted(set(starts))
                assert all(trends.next_period(a, by) == b for a, b in zip(starts, starts[1:], strict=False))  # type: ignore[arg-type]
        sky = trends.for_outlet(store, outlets["سكاي نيوز عربية"], "month")
        assert (len(sky.periods), sky.periods[0], sky.periods[-1], max(sky.periods, key=lambda p: p[1])) == (
            9,
            (date(2018, 2, 1), 718),
            (date(2018, 10, 1), 1222),
            (date(2018, 5, 1), 2275),
        )
        # a set of ids given as a subquery (what topics and watchlists hand over) counts the same
        for source_id in outlets.values():
            assert trends.for_subquery(
                store, "SELECT id FROM article WHERE source_id = ?", (source_id,), "week"
            ) == trends.for_outlet(store, source_id, "week")
        # "auto": weeks for the outlets ANT holds from 2018 only, months for Al Arabiya's six years
        auto = {name: trends.for_outlet(store, i) for name, i in outlets.items()}
        assert {name: (s.by, len(s.periods), s.periods[0]) for name, s in auto.items()} == {
            "العربية": ("month", 71, (date(2012, 10, 1), 5)),
            "بي بي سي عربي": ("week", 41, (date(2018, 1, 8), 3)),
            "سي إن إن بالعربية": ("week", 38, (date(2018, 1, 29), 2)),
            "فرانس 24": ("week", 32, (date(2018, 1, 8), 2)),
            "سكاي نيوز عربية": ("week", 36, (date(2018, 2, 12), 102)),
        }


@pytest.mark.realdata
def test_hidden_articles_leave_the_trend(ant):
    with Store(ant) as store:
        source_id = store.conn.execute("SELECT id FROM source WHERE name = 'فرانس 24'").fetchone()[0]
        before = trends.for_outlet(store, source_id, "day")
        busiest, n = max(before.periods, key=lambda p: (p[1], p[0]))
        ids = [
            i
            for i, published in store.conn.execute(
                "SELECT id, published FROM article WHERE source_id = ? AND hidden = 0", (source_id,)
            )
            if trends.published_day(published, "minute") == busiest
        ]
        assert len(ids) == n
        with store.transaction() as conn:
            conn.executemany("UPDATE article SET hidden = 1 WHERE id = ?", [(i,) for i in ids[:3]])
        after = trends.for_outlet(store, source_id, "day")
        assert dict(after.periods)[busiest] == n - 3
        assert after.total == before.total - 3
        assert trends.for_ids(store, ids, "day").periods == [(busiest, n - 3)]
        with store.transaction() as conn:
            conn.executemany("UPDATE article SET hidden = 0 WHERE id = ?", [(i,) for i in ids[:3]])


# --- the linked demo archive: threads and stories ----------------------------------------------------------


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from marsad.demo import ingest_targets
    from marsad.ingest import ingest

    path = tmp_path_factory.mktemp("trends-demo") / "demo.db"
    with Store(path) as store:
        assert ingest(ingest_targets(), store, progress=False).failed == 0
    return path


def test_thread_and_story_trends_equal_counts_made_from_the_rows(demo):
    with Store(demo, readonly=True) as store:
        join = "JOIN story st ON st.id = a.story_id"
        for (thread_id,) in store.conn.execute("SELECT id FROM thread").fetchall():
            for by in ("day", "week", "month"):
                series = trends.for_thread(store, thread_id, by)  # type: ignore[arg-type]
                expected = independent(store, "st.thread_id = ?", (thread_id,), by, join)
                assert (nonzero(series), series.undated) == expected
        for (story_id,) in store.conn.execute("SELECT id FROM story").fetchall():
            series = trends.for_story(store, story_id, "day")
            assert (nonzero(series), series.undated) == independent(
                store, "a.story_id = ?", (story_id,), "day"
            )


def test_the_forum_thread_week_by_week(demo):
    """The demo's largest thread (the Global Counterterrorism Forum), ISO weeks named by their Monday."""
    with Store(demo, readonly=True) as store:
        thread_id = store.conn.execute(
            "SELECT thread_id FROM story GROUP BY thread_id ORDER BY count(*) DESC, thread_id LIMIT 1"
        ).fetchone()[0]
        series = trends.for_thread(store, thread_id)
    assert series.by == "week"  # two years between its first and last article
    assert nonzero(series) == {
        date(2016, 9, 19): 2,
        date(2017, 9, 18): 5,
        date(2017, 11, 27): 2,
        date(2018, 4, 2): 2,
        date(2018, 6, 25): 2,
        date(2018, 9, 24): 3,
    }
    assert (len(series.periods), series.undated, series.total, series.peak) == (106, 1, 17, 5)
    assert all(start.weekday() == 0 for start, _ in series.periods)


# --- days: offsets and precision ------------------------------------------------------------------------


def test_an_article_falls_on_its_utc_day_and_one_without_a_day_apart():
    assert trends.published_day("2018-11-15T01:30:00+03:00", "minute") == date(2018, 11, 14)
    assert trends.published_day("2018-11-15T22:30:00-02:00", "minute") == date(2018, 11, 16)
    assert trends.published_day("2018-11-15T22:30:00", "minute") == date(2018, 11, 15)
    assert trends.published_day("2018-11-15", "day") == date(2018, 11, 15)
    assert [
        trends.published_day(v, p)
        for v, p in [("2018-11", "month"), ("2018-Q4", "quarter"), ("2018", "year")]
    ] == [
        None,
        None,
        None,
    ]
    assert trends.published_day("2018-11-15T00:00:00+00:00", "month") is None  # stated to the month only
    assert trends.published_day("yesterday", None) is None
    rows = [("2018-12-31T23:00:00-02:00", "minute", 2), ("2019-01-06", "day", 1), ("2018-12", "month", 4)]
    assert trends.series_of(rows, "week") == Series(by="week", periods=[(date(2018, 12, 31), 3)], undated=4)
    assert trends.series_of(rows, "month").periods == [(date(2019, 1, 1), 3)]


# --- rising --------------------------------------------------------------------------------------------

DAY = date(2018, 11, 16)


def _stories(path: Path) -> None:
    """Six stories around DAY (see test_rising_picks_the_stories_far_above_their_baseline)."""
    rows: list[tuple[int, str, str | None, int]] = []  # story, published, precision, hidden
    for i in range(5):
        rows.append((1, f"{DAY}T{8 + i:02d}:00:00+01:00", "minute", 0))  # new today: 5, baseline 0
    for back in range(1, 15):
        rows += [(2, f"{DAY - timedelta(days=back)}T10:00:00+00:00", "minute", 0)] * 2  # 2 a day
        rows.append((3, f"{DAY - timedelta(days=back)}", "day", 0))  # 1 a day
    rows += [(2, f"{DAY}T10:00:00+00:00", "minute", 0)] * 5  # 5 today, under 3 x 2
    rows += [(3, f"{DAY}T1{i}:00:00+00:00", "minute", 0) for i in range(6)]  # 6 today...
    rows.append((3, f"{DAY - timedelta(days=1)}T23:30:00-02:00", "minute", 0))  # ...and 01:30 UTC: 7
    rows += [(4, f"{DAY}T09:00:00+00:00", "minute", hidden) for hidden in (0, 0, 1, 1)]  # 2 visible
    rows += [(5, "2018-11", "month", 0)] * 6  # no day
    rows += [(6, f"{DAY + timedelta(days=3)}T09:00:00+00:00", "minute", 0)] * 4  # after "now"
    with Store(path) as store, store.transaction() as conn:
        conn.execute("INSERT INTO source(id, key, name) VALUES (1, 'outlet.example', 'مصدر')")
        conn.executemany("INSERT INTO story(id, title) VALUES (?, ?)", [(i, f"قصة {i}") for i in range(1, 7)])
        conn.executemany(
            "INSERT INTO article(url, source_id, title, body, published, precision, story_id, hidden,"
            " content_hash) VALUES (?, 1, ?, '', ?, ?, ?, ?, '')",
            [
                (f"https://outlet.example/{n}", f"خبر {n}", published, precision, story, hidden)
                for n, (story, published, precision, hidden) in enumerate(rows)
            ],
        )


def test_rising_picks_the_stories_far_above_their_baseline(tmp_path):
    path = tmp_path / "rising.db"
    _stories(path)
    now = datetime(2018, 11, 16, 20, 0, tzinfo=UTC)
    with Store(path, readonly=True) as store:
        assert trends.latest_day(store, now) == DAY  # story 6's later days are after now
        day, found = trends.rising_stories(store, now=now)
        assert day == DAY
        assert [(r.key, r.today, r.baseline) for r in found] == [(3, 7, 1.0), (1, 5, 0.0)]
        # the day after, nothing is published: nothing rises
        assert trends.rising_stories(store, DAY + timedelta(days=1))[1] == []
