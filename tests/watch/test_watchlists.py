"""Watchlists end to end: made, articles ingested, exactly the matching ones recorded, in the private feed and
in one signed webhook POST; a receiver that fails is retried with backoff and the log says so."""

from __future__ import annotations

import hashlib
import hmac
import json
import xml.etree.ElementTree as ET
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from marsad.search import search_ids
from marsad.sources.http.safety import AddressPolicy
from marsad.store import watchlists
from marsad.store.db import Store
from marsad.store.watchlists import WatchlistError
from marsad.watch.deliver import BACKOFF_BASE, Channels, deliver_pending
from marsad.watch.follow import Follow, create
from tests.watch.conftest import (
    FIRST,
    QUERY,
    SECOND,
    SECOND_MATCHING_EXCLUDING,
    SECOND_MATCHING_QUERY,
    SECOND_MATCHING_TOPIC,
    SECOND_OF_HESPRESS,
    ids_of,
    ingest_batch,
    receiver,
)

LOOPBACK = AddressPolicy.from_strings(["127.0.0.0/8"], public=False)
ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def store(tmp_path: Path):
    with Store(tmp_path / "w.db") as store:
        ingest_batch(store, tmp_path, "first", FIRST)
        yield store


def _outlet_key(store: Store, url: str) -> str:
    return store.conn.execute(
        "SELECT s.key FROM article a JOIN source s ON s.id = a.source_id WHERE a.url = ?", (url,)
    ).fetchone()[0]


def test_new_articles_match_exactly_the_watchlists_they_fit(store: Store, tmp_path: Path) -> None:
    query = create(store, "طنجة", Follow(query=QUERY))
    excluding = create(store, "بلا حاويات", Follow(query=QUERY + " -الحاويات"))
    dated = create(store, "بعد 16 مارس", Follow(query=QUERY, filters={"since": "2018-03-16"}))
    outlet = create(store, "هسبريس", Follow(outlet=_outlet_key(store, FIRST[0][1])))
    topic = create(store, "المنتدى", Follow(topic="المنتدى العالمي لمكافحة الإرهاب"))
    assert all(watchlists.matched_article_ids(store, w.id) == [] for w in (query, outlet, topic))

    ingest_batch(store, tmp_path, "second", SECOND)

    assert watchlists.matched_article_ids(store, query.id) == ids_of(store, SECOND_MATCHING_QUERY)
    assert watchlists.matched_article_ids(store, excluding.id) == ids_of(store, SECOND_MATCHING_EXCLUDING)
    assert watchlists.matched_article_ids(store, dated.id) == ids_of(store, [SECOND[3][1]])
    assert watchlists.matched_article_ids(store, outlet.id) == ids_of(store, SECOND_OF_HESPRESS)
    assert watchlists.matched_article_ids(store, topic.id) == ids_of(store, SECOND_MATCHING_TOPIC)
    # what search finds among the new articles, no more, no less (the earlier article is search's only extra)
    new = set(ids_of(store, [row[1] for row in SECOND]))
    assert set(watchlists.matched_article_ids(store, query.id)) == search_ids(store, QUERY) & new
    assert search_ids(store, QUERY) - new == set(ids_of(store, [FIRST[0][1]]))


def test_a_followed_story_or_thread_matches_the_articles_linked_into_it(store: Store, tmp_path: Path) -> None:
    story_id, thread_id = store.conn.execute(
        "SELECT a.story_id, s.thread_id FROM article a JOIN story s ON s.id = a.story_id WHERE a.url = ?",
        (FIRST[0][1],),
    ).fetchone()
    story = create(store, "القصة", Follow(story=story_id))
    thread = create(store, "المسار", Follow(thread=thread_id))
    ingest_batch(store, tmp_path, "second", SECOND)
    # the port's expansion (a day later) and the repost join the port's story; the containers' record three
    # days later is a story of its own (a story spans at most 1.5 days) in the port's thread
    expected = ids_of(store, [SECOND[0][1], SECOND[5][1]])
    assert watchlists.matched_article_ids(store, story.id) == expected
    assert watchlists.matched_article_ids(store, thread.id) == sorted(
        expected + ids_of(store, [SECOND[3][1]])
    )
    linked = store.conn.execute(
        "SELECT id FROM article WHERE story_id = ? AND url != ?", (story_id, FIRST[0][1])
    )
    assert sorted(r[0] for r in linked) == expected


def test_a_followed_story_keeps_its_id_and_watchlist_when_a_late_article_comes(
    store: Store, tmp_path: Path
) -> None:
    """A page published before everything linked rewinds linking to its time (marsad.link.rewind): the
    stories linked again keep their ids, and the watchlist that followed the sport story still follows it
    (before the rewind, a full relink gave it id 3 and the watchlist was pointed there)."""
    (sport_story,) = store.conn.execute(
        "SELECT story_id FROM article WHERE url = ?", (FIRST[1][1],)
    ).fetchone()
    followed = create(store, "الرجاء", Follow(story=sport_story))
    late = ("hespress", "https://www.hespress.com/old/9.html", "culture", "Mon, 01 Jan 2018 09:00:00 +0100")
    ingest_batch(
        store, tmp_path, "late", [(*late, "معرض الكتاب يفتح أبوابه", "افتتح معرض الكتاب أبوابه للزوار.")]
    )
    (now_story,) = store.conn.execute("SELECT story_id FROM article WHERE url = ?", (FIRST[1][1],)).fetchone()
    assert (sport_story, now_story) == (2, 2)
    assert watchlists.get(store, followed.id).target == "2"
    later = (
        "alarabia",
        "https://www.alarabiya.net/sport/10.html",
        "sport",
        "Tue, 03 Apr 2018 09:00:00 +0400",
    )
    ingest_batch(store, tmp_path, "later", [(*later, FIRST[1][4], FIRST[1][5])])  # a repost joins the story
    assert watchlists.matched_article_ids(store, followed.id) == ids_of(store, [later[1]])


def test_feed_and_one_signed_webhook_carry_exactly_the_matches(store: Store, tmp_path: Path) -> None:
    from marsad.web import create_app

    with receiver() as (url, got):
        w = create(store, "طنجة", Follow(query=QUERY), webhook=url)
        ingest_batch(store, tmp_path, "second", SECOND)
        expected = ids_of(store, SECOND_MATCHING_QUERY)

        report = deliver_pending(store, Channels(policy=LOOPBACK))
        assert (report.made, report.sent, report.failed) == (1, 1, 0)
        assert deliver_pending(store, Channels(policy=LOOPBACK)).made == 0  # nothing new: nothing sent again

    assert len(got.posts) == 1
    headers, body = got.posts[0]
    mac = hmac.new(w.secret.encode(), body, hashlib.sha256).hexdigest()
    assert headers["x-marsad-signature"] == f"sha256={mac}"
    payload = json.loads(body)
    assert payload["watchlist"] == {"id": w.id, "name": "طنجة", "kind": "search"}
    assert sorted(a["id"] for a in payload["articles"]) == expected
    by_url = {a["url"]: a for a in payload["articles"]}
    assert by_url[SECOND[0][1]]["title"] == SECOND[0][4]
    assert set(by_url[SECOND[0][1]]) == {"id", "url", "title", "outlet", "published", "story"}

    client = TestClient(create_app(store.path))
    atom = client.get(f"/feeds/watch/{w.feed_token}.atom")
    assert atom.status_code == 200
    entries = ET.fromstring(atom.content).findall(f"{ATOM}entry")
    assert sorted(int(e.find(f"{ATOM}id").text.rsplit("/", 1)[1]) for e in entries) == expected
    items = client.get(f"/feeds/watch/{w.feed_token}.json").json()["items"]
    assert sorted(int(i["id"].rsplit("/", 1)[1]) for i in items) == expected
    assert client.get("/feeds/watch/not-the-token.atom").status_code == 404


def test_a_failing_receiver_is_retried_with_backoff_and_logged(store: Store, tmp_path: Path) -> None:
    start = datetime(2030, 1, 1, 12, 0, tzinfo=UTC)
    with receiver(statuses=[500, 503]) as (url, got):
        w = create(store, "طنجة", Follow(query=QUERY), webhook=url)
        ingest_batch(store, tmp_path, "second", SECOND)
        channels = Channels(policy=LOOPBACK)

        first = deliver_pending(store, channels, now=start)
        assert (first.sent, first.failed) == (0, 1)
        assert deliver_pending(store, channels, now=start + BACKOFF_BASE / 2).failed == 0  # not due yet
        second = deliver_pending(store, channels, now=start + BACKOFF_BASE)
        assert (second.sent, second.failed) == (0, 1)
        third = deliver_pending(store, channels, now=start + BACKOFF_BASE * 3)  # waited 1, then 2 minutes
        assert (third.sent, third.failed) == (1, 0)

    log = watchlists.attempts(store, w.id)
    assert [(a.attempt, a.status, a.error, a.next_try_at) for a in log] == [
        (1, "failed", "the webhook answered HTTP 500", "2030-01-01T12:01:00Z"),
        (2, "failed", "the webhook answered HTTP 503", "2030-01-01T12:03:00Z"),
        (3, "sent", None, None),
    ]
    assert len(got.posts) == 3 and got.posts[0][1] == got.posts[2][1]  # the same alert, nothing lost
    (delivery,) = watchlists.deliveries(store, w.id)
    assert (delivery.status, delivery.attempt, delivery.sent_at) == ("sent", 3, "2030-01-01T12:03:00Z")


def test_a_webhook_to_a_refused_address_fails_and_is_kept(store: Store, tmp_path: Path) -> None:
    w = create(store, "طنجة", Follow(query=QUERY), webhook="http://127.0.0.1:9/hook")
    ingest_batch(store, tmp_path, "second", SECOND)
    report = deliver_pending(store, Channels())  # public addresses only: loopback is refused
    assert report.failed == 1
    (attempt,) = watchlists.attempts(store, w.id)
    assert attempt.status == "failed" and "refused 127.0.0.1" in (attempt.error or "")
    assert watchlists.deliveries(store, w.id)[0].status == "pending"


@pytest.mark.parametrize(
    ("name", "follow", "extra", "message"),
    [
        ("", Follow(query=QUERY), {}, "needs a name"),
        ("x", Follow(query='"طنجة'), {}, "never closes"),
        ("x", Follow(query="من في"), {}, "no words to search for"),
        ("x", Follow(story=999), {}, "there is no story 999"),
        ("x", Follow(outlet="nowhere"), {}, "no outlet called nowhere"),
        ("x", Follow(query=QUERY, filters={"since": "yesterday"}), {}, "cannot read 'yesterday'"),
        ("x", Follow(query=QUERY), {"webhook": "ftp://example.com/"}, "only http and https"),
        ("x", Follow(query=QUERY), {"email": "not an address"}, "not an e-mail address"),
        ("x", Follow(query=QUERY), {"digest": "weekly"}, "--digest takes daily"),
        ("x", Follow(story=1, outlet="hespress"), {}, "follow one thing"),
    ],
)
def test_bad_watchlists_are_refused_with_the_reason(store: Store, name, follow, extra, message) -> None:
    with pytest.raises(WatchlistError, match=message):
        create(store, name, follow, **extra)
    assert watchlists.all_watchlists(store) == []


def test_removing_a_watchlist_removes_its_matches_and_log(store: Store, tmp_path: Path) -> None:
    w = create(store, "طنجة", Follow(query=QUERY), webhook="http://127.0.0.1:9/hook")
    ingest_batch(store, tmp_path, "second", SECOND)
    deliver_pending(store, Channels(), now=datetime.now(UTC) + timedelta(seconds=1))
    assert watchlists.remove(store, w.id) is True
    counts = [
        store.conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
        for t in ("watch_match", "watch_delivery", "watch_attempt")
    ]
    assert counts == [0, 0, 0]
    assert watchlists.remove(store, w.id) is False


def test_articles_left_unindexed_by_a_killed_run_are_matched_by_the_next(
    store: Store, tmp_path: Path, monkeypatch
) -> None:
    import marsad.ingest.pipeline as pipeline

    w = create(store, "طنجة", Follow(query=QUERY))
    real = pipeline.index_articles

    def killed(*args, **kwargs):
        raise KeyboardInterrupt  # the process stops after the batch committed, before indexing and matching

    monkeypatch.setattr(pipeline, "index_articles", killed)
    with pytest.raises(KeyboardInterrupt):
        ingest_batch(store, tmp_path, "second", SECOND)
    assert watchlists.matched_article_ids(store, w.id) == []
    monkeypatch.setattr(pipeline, "index_articles", real)
    report = pipeline.ingest_pages(store, [], on_progress=None)  # a run with nothing new finishes the rest
    assert report.pending_indexed == len(SECOND)
    assert watchlists.matched_article_ids(store, w.id) == ids_of(store, SECOND_MATCHING_QUERY)


def test_a_deferred_batch_whose_matching_failed_is_matched_in_full_once_linked(
    store: Store, tmp_path: Path, monkeypatch
) -> None:
    """SECOND holds a repost published before the linked articles: the run's linking waits for its end, and
    then only story and thread watchlists are matched again, unless the batch was never matched."""
    import marsad.ingest.pipeline as pipeline
    from marsad.ingest import ingest
    from tests.watch.conftest import write_batch

    query = create(store, "طنجة", Follow(query=QUERY))
    story_id = store.conn.execute("SELECT story_id FROM article WHERE url = ?", (FIRST[0][1],)).fetchone()[0]
    story = create(store, "القصة", Follow(story=story_id))
    real, calls = pipeline.match_new, []

    def failing_once(
        store: Store, ids: list[int], analysed_texts=None, now=None, *, linked_only=False
    ) -> int:
        calls.append((len(ids), analysed_texts is not None, linked_only))
        if len(calls) == 1:
            raise RuntimeError("matching broke")
        return real(store, ids, analysed_texts, now, linked_only=linked_only)

    monkeypatch.setattr(pipeline, "match_new", failing_once)
    report = ingest([str(write_batch(tmp_path / "second.jsonl", SECOND))], store, progress=False)
    assert [f.stage for f in report.failures] == ["watch"]
    assert "matching broke" in report.failures[0].reason
    # the batch's own pass (failed), then the end's: none matched as linked only, all six in full
    assert calls == [(6, True, False), (0, False, True), (6, False, False)]
    assert watchlists.matched_article_ids(store, query.id) == ids_of(store, SECOND_MATCHING_QUERY)
    assert watchlists.matched_article_ids(store, story.id) == ids_of(store, [SECOND[0][1], SECOND[5][1]])


def test_a_deferred_batch_is_matched_again_only_against_stories_and_threads(
    store: Store, tmp_path: Path, monkeypatch
) -> None:
    import marsad.ingest.pipeline as pipeline

    query = create(store, "طنجة", Follow(query=QUERY))
    story_id = store.conn.execute("SELECT story_id FROM article WHERE url = ?", (FIRST[0][1],)).fetchone()[0]
    story = create(store, "القصة", Follow(story=story_id))
    real, calls = pipeline.match_new, []

    def counted(store: Store, ids: list[int], analysed_texts=None, now=None, *, linked_only=False) -> int:
        found = real(store, ids, analysed_texts, now, linked_only=linked_only)
        calls.append((len(ids), linked_only, found))
        return found

    monkeypatch.setattr(pipeline, "match_new", counted)
    ingest_batch(store, tmp_path, "second", SECOND)
    # when stored: the query's four (no story yet); once linked: the story's two, the query not tried again
    assert calls == [(6, False, 4), (6, True, 2), (0, False, 0)]
    assert watchlists.matched_article_ids(store, query.id) == ids_of(store, SECOND_MATCHING_QUERY)
    assert watchlists.matched_article_ids(store, story.id) == ids_of(store, [SECOND[0][1], SECOND[5][1]])
