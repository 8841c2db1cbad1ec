"""A small written archive for the topic tests: ten articles of three outlets over nine months about two
matters, each named in several spellings (with and without the article and its clitics, أ/ا, ة/ه, ى/ي,
أمريكية/أميركية), a listed name (واشنطن) and the news's stock phrases (العام الماضي, في وقت سابق, وقال في
بيان, الأسبوع الماضي) in many of them."""

from __future__ import annotations

import hashlib
from pathlib import Path

from marsad.link import link_new, topics
from marsad.store.db import Store
from marsad.store.topics import MiningRow

# (outlet, published, title, body)
ARTICLES = [
    (
        1,
        "2017-09-20T10:00:00+00:00",
        "المنتدى العالمي لمكافحة الإرهاب يجتمع في نيويورك",
        "وقال في بيان إن اجتماع المنتدى العالمي لمكافحة الإرهاب ناقش تمويل الجماعات المسلحة، كما حدث العام الماضي.",
    ),
    (
        2,
        "2017-09-22T09:00:00+00:00",
        "للمنتدى العالمي لمكافحة الارهاب رئاسة جديدة",
        "انتقلت رئاسة المنتدى العالمي لمكافحة الإرهاب إلى المغرب وهولندا في وقت سابق من الأسبوع الماضي.",
    ),
    (
        3,
        "2017-10-03T12:00:00+00:00",
        "المنتدي العالمي لمكافحه الإرهاب يصدر توصيات",
        "أصدر المنتدى العالمي لمكافحة الإرهاب توصيات حول عودة المقاتلين، وقال في بيان إن واشنطن تدعمها.",
    ),
    (
        1,
        "2017-11-15T08:30:00+00:00",
        "والمنتدى العالمي لمكافحة الإرهاب يستضيف خبراء",
        "استضاف المنتدى العالمي لمكافحة الإرهاب خبراء من أفريقيا لمناقشة أمن الحدود العام الماضي.",
    ),
    (
        2,
        "2018-01-10T11:00:00+00:00",
        "إطلاق المبادرة المغربية الأمريكية في الرباط",
        "أعلنت واشنطن والرباط إطلاق المبادرة المغربية الأمريكية لمواجهة التطرف العنيف في وقت سابق.",
    ),
    (
        3,
        "2018-02-14T15:00:00+00:00",
        "المبادرة المغربية الأميركية تدرب القضاة",
        "دربت المبادرة المغربية الأميركية قضاة من الساحل، وقالت واشنطن في بيان إن البرنامج ناجح.",
    ),
    (
        1,
        "2018-03-20T10:00:00+00:00",
        "مبادرة مغربية أمريكية جديدة للشباب",
        "كشف مسؤولون عن المبادرة المغربية الامريكية الموجهة للشباب الأسبوع الماضي في واشنطن.",
    ),
    (
        2,
        "2018-04-12T10:00:00+00:00",
        "اجتماع للمبادرة المغربية الأمريكية في الرباط",
        "احتضنت الرباط اجتماع المبادرة المغربية الأمريكية حول الإرهاب الداخلي، بحضور ممثلين عن واشنطن العام الماضي.",
    ),
    (
        3,
        "2018-05-02T10:00:00+00:00",
        "اجتماع وزاري للمنتدى العالمي لمكافحة الإرهاب",
        "يعقد المنتدى العالمي لمكافحة الإرهاب اجتماعه الوزاري المقبل في نيويورك في وقت سابق من الشهر المقبل.",
    ),
    (
        1,
        "2018-06-01T10:00:00+00:00",
        "المبادرة المغربية الأمريكية تختتم برنامجها",
        "اختتمت المبادرة المغربية الأمريكية برنامجها السنوي بحضور سفير واشنطن في الرباط الأسبوع الماضي.",
    ),
]

FORUM = [1, 2, 3, 4, 9]
INITIATIVE = [5, 6, 7, 8, 10]
WASHINGTON = [3, 5, 6, 7, 8, 10]


def rows() -> list[MiningRow]:
    return [
        MiningRow(id=i, title=title, body=body, source_id=outlet, published=published, story_id=None)
        for i, (outlet, published, title, body) in enumerate(ARTICLES, start=1)
    ]


OUTLETS = {1: "مرصد الرباط", 2: "أخبار الساحل", 3: "صوت نيويورك"}


def add_articles(store: Store, numbers: list[int]) -> list[int]:
    """ARTICLES[n - 1] for each n stored as article n (not linked), in one transaction."""
    with store.transaction():
        for outlet, name in OUTLETS.items():
            store.conn.execute(
                "INSERT INTO source(id, key, name) VALUES (?, ?, ?) ON CONFLICT (id) DO NOTHING",
                (outlet, f"outlet{outlet}.example", name),
            )
        for n in numbers:
            outlet, published, title, body = ARTICLES[n - 1]
            store.conn.execute(
                "INSERT INTO article(id, url, source_id, title, body, published, precision, content_hash)"
                " VALUES (?, ?, ?, ?, ?, ?, 'minute', ?)",
                (
                    n,
                    f"https://outlet{outlet}.example/{n}",
                    outlet,
                    title,
                    body,
                    published,
                    hashlib.sha256(f"{title}\n{body}".encode()).hexdigest(),
                ),
            )
    return numbers


def build(path: Path, numbers: list[int] | None = None) -> Path:
    """A store of the articles (all by default), linked, with their topics mined."""
    with Store(path) as store:
        link_new(store, add_articles(store, numbers or list(range(1, len(ARTICLES) + 1))))
        topics.mine(store)
    return path
