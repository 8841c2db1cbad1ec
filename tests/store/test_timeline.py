"""A timeline's rules on small written fixtures (marsad.store.timeline): the same fact from several
articles merged with all its sources, different facts of one date kept apart, background apart and
folded, and the order (a period at its start, coarser before finer)."""

from __future__ import annotations

from datetime import date
from itertools import count

import pytest

from marsad.store.timeline import (
    FACT_OVERLAP,
    TimelineSource,
    build,
    content_words,
    is_background,
    overlap,
    period,
)

_ids = count(1)


def mention(
    article: int,
    when: str,
    text: str,
    *,
    precision: str = "day",
    published: str = "2020-03-10T08:00:00",
    outlet: str | None = None,
    repost: bool = False,
) -> TimelineSource:
    return TimelineSource(
        id=next(_ids),
        date=when,
        precision=precision,
        text=text,
        story_id=article * 10,
        article_id=article,
        article_url=f"https://example.com/{article}",
        article_title=f"خبر {article}",
        outlet=outlet or f"مصدر {article}",
        published=published,
        published_at=published,
        repost=repost,
        span=(0, 4),
    )


START = "2020-03-01T09:00:00"  # the thread's first article

# One fact (a dam opened on 2020-03-09) in three outlets' words, and the same day's other news.
DAM_A = (
    "افتتح وزير التجهيز يوم الاثنين 9 مارس 2020 سد وادي الزيتون الجديد بطاقة تخزين تبلغ مئة مليون متر مكعب."
)
DAM_B = "افتتح وزير التجهيز، الاثنين، سد وادي الزيتون الجديد الذي تبلغ طاقته التخزينية مئة مليون متر مكعب."
DAM_C = "وزير التجهيز يفتتح سد وادي الزيتون الجديد بطاقة تخزين مئة مليون متر مكعب يوم 9 مارس."
PROTEST = (
    "وفي اليوم نفسه، احتج مزارعو المنطقة أمام مقر العمالة للمطالبة بتعويضات عن أراضيهم التي غمرتها المياه."
)
FLOOD = "وتسببت أمطار غزيرة يوم 9 مارس في انقطاع الطريق الجهوية بين القريتين لساعات."


# A matter's key date that later articles recall in their own sentences about something else (a ferry sank
# on 2020-03-09), and another fact of that day.
SINKING = "غرقت العبارة نور قبالة سواحل صفاقس يوم 9 مارس وعلى متنها 120 راكبا."
INQUIRY = "وطالبت عائلات المفقودين بتحقيق مستقل في غرق العبارة قبالة صفاقس في 9 مارس."
RESCUE = "وكان خفر السواحل قد انتشل 40 ناجيا منذ غرق العبارة نور في 9 مارس."
FARES = "وفي 9 مارس أيضا أعلنت وزارة النقل رفع أسعار تذاكر القطارات بنسبة عشرة في المئة."


def _sources(entries) -> list[list[int]]:
    return [[s.article_id for s in e.sources] for e in entries]


def test_the_same_fact_in_three_wordings_is_one_entry_with_all_its_sources():
    found = build(
        [
            mention(3, "2020-03-09", DAM_C, published="2020-03-10T07:00:00"),
            mention(1, "2020-03-09", DAM_A, published="2020-03-09T18:00:00"),
            mention(2, "2020-03-09", DAM_B, published="2020-03-09T20:00:00"),
        ],
        START,
    )
    assert _sources(found.events) == [[1, 2, 3]]  # earliest published first
    assert found.events[0].text == DAM_A  # the first source's sentence, as published
    assert found.events[0].story_ids == [10, 20, 30]
    assert found.background == []


def test_different_facts_of_one_date_stay_apart():
    found = build(
        [
            mention(1, "2020-03-09", DAM_A, published="2020-03-09T18:00:00"),
            mention(2, "2020-03-09", PROTEST, published="2020-03-09T19:00:00"),
            mention(3, "2020-03-09", DAM_B, published="2020-03-09T20:00:00"),
            mention(4, "2020-03-09", FLOOD, published="2020-03-09T21:00:00"),
        ],
        START,
    )
    assert [(e.date, [s.article_id for s in e.sources]) for e in found.events] == [
        ("2020-03-09", [1, 3]),
        ("2020-03-09", [2]),
        ("2020-03-09", [4]),
    ]
    words = content_words(DAM_A)
    assert overlap(words, content_words(DAM_B)) >= FACT_OVERLAP > overlap(words, content_words(PROTEST))


def test_a_key_date_recalled_in_other_sentences_is_one_fact():
    found = build(
        [
            mention(1, "2020-03-09", SINKING, published="2020-03-09T20:00:00"),
            mention(2, "2020-03-09", FARES, published="2020-03-10T08:00:00"),
            mention(3, "2020-03-09", INQUIRY, published="2020-03-11T08:00:00"),
            mention(4, "2020-03-09", RESCUE, published="2020-03-12T08:00:00"),
        ],
        START,
    )
    assert _sources(found.events) == [[1, 3, 4], [2]]
    # no two of the three share half their words: each pair is close, and far from the fares
    recalled = [content_words(t) for t in (SINKING, INQUIRY, RESCUE)]
    pairs = [overlap(a, b) for i, a in enumerate(recalled) for b in recalled[i + 1 :]]
    assert all(FACT_OVERLAP <= x < 0.5 for x in pairs)
    assert max(overlap(w, content_words(FARES)) for w in recalled) < FACT_OVERLAP


def test_a_repost_joins_the_entry_of_the_sentence_it_copies():
    opening = "افتتح وزير التجهيز سد وادي الزيتون يوم 9 مارس بحضور سكان القرى المجاورة."
    irrigation = "وقال وزير التجهيز يوم 9 مارس إن سد وادي الزيتون سيسقي ألف هكتار من الأراضي."
    found = build(
        [
            mention(1, "2020-03-09", opening),
            mention(1, "2020-03-09", irrigation),  # the same article's second fact of the day
            mention(7, "2020-03-09", irrigation, outlet="ناقل", repost=True),
        ],
        START,
    )
    # the copy restates both (Dice 0.58 with the first) and goes with the sentence it copies
    assert [(e.text, _sources([e])[0]) for e in found.events] == [(opening, [1]), (irrigation, [1, 7])]


def test_a_repost_joins_its_original_and_comes_after_it():
    found = build(
        [
            mention(5, "2020-03-09", DAM_A, published="2020-03-09T17:00:00", outlet="ناقل", repost=True),
            mention(1, "2020-03-09", DAM_A, published="2020-03-09T18:00:00", outlet="الأصل"),
        ],
        START,
    )
    assert _sources(found.events) == [[1, 5]]  # originals first, even when the copy is dated earlier
    assert found.events[0].outlets == ["الأصل", "ناقل"]


def test_two_sentences_of_one_article_are_two_facts_and_another_precision_is_another_entry():
    found = build(
        [
            mention(1, "2020-03-09", DAM_A),
            mention(1, "2020-03-09", DAM_C),
            mention(2, "2020-03", DAM_B, precision="month"),
        ],
        START,
    )
    assert [(e.date, _sources([e])[0]) for e in found.events] == [
        ("2020-03", [2]),  # a month before its days
        ("2020-03-09", [1]),
        ("2020-03-09", [1]),
    ]


def test_order_is_by_the_periods_start_then_coarser_first():
    sentences = {
        "2018-09-28": "صادق الوزراء على الوثيقة في نيويورك.",
        "2018-Q1": "عقدت ورشتان للخبراء خلال الربع الأول.",
        "2018": "تواصلت الأشغال طوال السنة.",
        "2018-01": "بدأت الورشة الأولى في يناير.",
        "2018-01-15": "انطلقت الورشة الأولى يوم 15 يناير.",
        "2018-09": "الاجتماع الوزاري في سبتمبر.",
        "2017-12-31": "اختتم العام بتقرير مرحلي.",
        "2018-01-01T10:00:00": "أعلن عن البرنامج صباح أول يوم من السنة.",
    }
    precisions = {"2018": "year", "2018-Q1": "quarter", "2018-01": "month", "2018-09": "month"}
    found = build(
        [
            mention(i, when, text, precision=precisions.get(when, "minute" if "T" in when else "day"))
            for i, (when, text) in enumerate(sentences.items(), 1)
        ],
        "2017-12-20T00:00:00",
    )
    assert [e.date for e in found.events] == [
        "2017-12-31",
        "2018",
        "2018-Q1",
        "2018-01",
        "2018-01-01T10:00:00",
        "2018-01-15",
        "2018-09",
        "2018-09-28",
    ]


def test_background_is_what_the_articles_recall_from_before_the_thread_began():
    founded = [
        mention(
            1, "2011", "تأسست الجمعية سنة 2011 في الرباط.", precision="year", published="2020-03-01T09:00:00"
        ),
        mention(
            2, "2011-09", "أنشئت الجمعية في سبتمبر 2011.", precision="month", published="2020-03-02T09:00:00"
        ),
        mention(
            3,
            "2011",
            "منذ إطلاقها عام 2011 تعمل الجمعية على حماية الساحل.",
            precision="year",
            published="2020-03-03T09:00:00",
        ),
        mention(
            3,
            "2011",
            "وانضم إليها في العام نفسه عشرون متطوعا.",
            precision="year",
            published="2020-03-03T09:00:00",
        ),
        mention(
            4,
            "2011-09",
            "الجمعية التي رأت النور في شتنبر 2011.",
            precision="month",
            published="2020-03-04T09:00:00",
            repost=True,
        ),
    ]
    recent = [
        mention(
            5, "2020-02-10", "اجتمع مكتب الجمعية يوم 10 فبراير.", published="2020-03-05T09:00:00"
        ),  # 20 days before: news
        mention(6, "2019-06", "نظمت الجمعية حملة تنظيف في يونيو 2019.", precision="month"),
        mention(7, "2019-11", "وفي نوفمبر 2019 أطلقت برنامجا للتوعية.", precision="month"),
        mention(8, "2019", "وكان عام 2019 عام توسع للجمعية.", precision="year"),
    ]
    found = build(founded + recent, START)
    # the founding once, at its finest date, one source per article (the repost last); a year that holds
    # two background months is folded into neither
    assert [(e.date, e.precision, _sources([e])[0]) for e in found.background] == [
        ("2011-09", "month", [1, 2, 3, 4]),
        ("2019", "year", [8]),
        ("2019-06", "month", [6]),
        ("2019-11", "month", [7]),
    ]
    assert found.background[0].text == "تأسست الجمعية سنة 2011 في الرباط."  # the earliest source's
    assert [(e.date, _sources([e])[0]) for e in found.events] == [("2020-02-10", [5])]
    assert all(e.background for e in found.background)


def test_background_needs_a_date_well_before_the_threads_first_article():
    assert is_background("2020-01-30", START)  # ends 31 days before
    assert not is_background("2020-01-31", START)  # 29 days
    assert not is_background("2020-01", START)  # January ends 2020-01-31
    assert is_background("2019-Q4", START)
    assert not is_background("2011", None)  # a thread of unknown start has no background


@pytest.mark.parametrize(
    ("value", "first", "last"),
    [
        ("2018", date(2018, 1, 1), date(2018, 12, 31)),
        ("2018-Q1", date(2018, 1, 1), date(2018, 3, 31)),
        ("2018-Q4", date(2018, 10, 1), date(2018, 12, 31)),
        ("2016-02", date(2016, 2, 1), date(2016, 2, 29)),
        ("2018-12", date(2018, 12, 1), date(2018, 12, 31)),
        ("2018-09-28", date(2018, 9, 28), date(2018, 9, 28)),
        ("2018-09-28T09:30:00", date(2018, 9, 28), date(2018, 9, 28)),
    ],
)
def test_period(value, first, last):
    assert period(value) == (first, last)


def test_a_stored_date_that_is_no_date_is_refused_with_its_value():
    with pytest.raises(ValueError, match="not a timeline date: 'soon'"):
        period("soon")


def test_a_stored_value_that_is_no_date_is_listed_last_not_lost():
    found = build([mention(1, "soon", "قريبا."), mention(2, "2020-03-09", DAM_A)], "not a time")
    assert [e.date for e in found.events] == ["2020-03-09", "soon"]
    assert found.background == []
