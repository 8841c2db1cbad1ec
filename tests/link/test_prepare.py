"""Features prepared ahead in the worker process: the same as in process, one bad article is one error, and
a broken worker costs no article."""

from __future__ import annotations

import pickle
from concurrent.futures import Future
from concurrent.futures.process import BrokenProcessPool

import numpy as np
import pytest

from marsad.link import prepare
from marsad.link.prepare import Failed, FeatureWorker, Prepared, prepare_many


@pytest.fixture
def worker():
    made = FeatureWorker()
    yield made
    made.close()


def texts(rows: list[dict]) -> list[tuple[str, str, str]]:
    return [(row["title"], "\n".join(row["paragraphs"]), row["published"]) for row in rows]


def same(a: Prepared, b: Prepared) -> bool:
    return (
        a.shingle_set() == b.shingle_set()
        and a.stored_set() == b.stored_set()
        and a.lead_set() == b.lead_set()
        and a.stored_lead_set() == b.stored_lead_set()
        and a.shingle_count == b.shingle_count
        and a.terms == b.terms
        and np.array_equal(a.weights, b.weights)
        and np.array_equal(a.hashes, b.hashes)
        and a.numbers == b.numbers
        and a.places == b.places
        and np.array_equal(a.signature, b.signature)
        and a.keys == b.keys
        and a.events == b.events
    )


@pytest.mark.realdata
def test_worker_prepares_what_the_process_would(ant_sample, worker):
    batch = texts(ant_sample[:260])
    chunks = list(worker.chunks(batch))
    assert [len(c) for c in chunks] == [8, 8, 16, 32, 50, 50, 50, 46]
    assert worker._executor is not None  # 260 articles are worth the worker
    here = prepare_many(batch)
    assert all(same(a, b) for a, b in zip([p for c in chunks for p in c], here, strict=True))


def test_what_crosses_from_the_worker_comes_back_the_same(ant_sample):
    body = "\n".join(ant_sample[0]["paragraphs"])
    for text in (body, body.replace("\n", "\n\n", 1), ""):  # a blank line: verification reads other shingles
        here = prepare.prepare("عنوان", text)
        assert same(pickle.loads(pickle.dumps(here)), here)
    assert prepare.prepare("", "").shingle_set() == frozenset()


def test_events_are_prepared_against_the_publication_time():
    body = "عقد الاجتماع أمس في الرباط.\nوسيعقد الاجتماع المقبل في 3 أكتوبر 2017 بنيويورك."
    got = prepare.prepare("عنوان", body, "2017-09-21T10:00:00+00:00").events
    assert got == [
        ("2017-09-20", "day", "عقد الاجتماع أمس في الرباط.", 13, 16),
        ("2017-10-03", "day", "وسيعقد الاجتماع المقبل في 3 أكتوبر 2017 بنيويورك.", 54, 67),
    ]
    assert prepare.prepare("عنوان", body).events == got[1:]  # "أمس" needs a reference time


def test_a_bad_article_is_one_error():
    out = prepare_many([("عنوان", "فقرة أولى عن المغرب", None), (None, 42, None), ("", None, None)])
    assert isinstance(out[0], Prepared) and isinstance(out[2], Prepared)
    assert out[1] == Failed("AttributeError: 'int' object has no attribute 'split'")


class BrokenPool:
    def submit(self, fn, *args):
        future = Future()
        future.set_exception(BrokenProcessPool("the worker died"))
        return future

    def shutdown(self, wait=True, cancel_futures=False):
        pass


@pytest.mark.realdata
def test_a_broken_worker_loses_no_article(ant_sample, worker):
    batch = texts(ant_sample[:230])
    worker._executor = BrokenPool()
    chunks = list(worker.chunks(batch))
    assert worker.disabled and worker._executor is None  # not tried again by this worker's owner
    got = [p for c in chunks for p in c]
    assert len(got) == 230
    assert all(same(a, b) for a, b in zip(got, prepare_many(batch), strict=True))
