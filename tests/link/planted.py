"""Planted reposts: aggregator copies of ANT articles, made the way aggregators make them.

Every repost gets all of these at once: an attribution line naming the original outlet and a wrapper line
("read at the source"), 5-15 % of its words edited (replaced, dropped or inserted), the body truncated to
its first half, its paragraphs reordered and a new headline. One in ten is stamped earlier than its original
(a clock or time-zone slip): the attribution must still win over publication order.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from antload import ANT_OUTLETS, insert_ant, insert_article, source_id

from marsad.store.db import Store

AGGREGATORS = [("nafida", "نافذة الأخبار"), ("akhbarna", "أخبارنا اليوم"), ("mawjaz", "موجز الأنباء")]
WRAPPERS = [
    "اضغط هنا لقراءة الخبر من مصدره",
    "لمتابعة آخر الأخبار تابعونا على فيسبوك",
    "شارك الخبر مع أصدقائك",
]
HEADLINE_PREFIX = ["عاجل:", "بالفيديو..", "شاهد:", "تفاصيل جديدة:", ""]


@dataclass
class Plant:
    original_id: int
    repost_id: int


def edit_words(words: list[str], rate: float, vocabulary: list[str], rng: random.Random) -> list[str]:
    out = []
    for word in words:
        if rng.random() >= rate:
            out.append(word)
            continue
        action = rng.random()
        if action < 0.6:
            out.append(rng.choice(vocabulary))  # replaced
        elif action < 0.8:
            continue  # dropped
        else:
            out.extend([word, rng.choice(vocabulary)])  # a word inserted
    return out


def make_repost(row: dict, vocabulary: list[str], rng: random.Random) -> dict:
    """The repost of an ANT row: a dict like the row, with paragraphs, title, published, original_outlet."""
    paragraphs = list(row["paragraphs"])
    words_total = sum(len(p.split()) for p in paragraphs)
    kept, count = [], 0
    for para in paragraphs:  # truncated to its first half, by words
        if count >= words_total / 2:
            break
        words = para.split()
        room = int(words_total / 2 - count) + 1
        kept.append(" ".join(words[:room]))
        count += min(len(words), room)
    rate = rng.uniform(0.05, 0.15)
    edited = [" ".join(edit_words(p.split(), rate, vocabulary, rng)) for p in kept]
    rng.shuffle(edited)
    published = datetime.fromisoformat(row["published"])
    if rng.random() < 0.1:
        published -= timedelta(minutes=rng.randint(5, 600))
    else:
        published += timedelta(minutes=rng.randint(10, 2 * 24 * 60))
    outlet_name = ANT_OUTLETS[row["source"]][0]
    attribution = f"نشر في {outlet_name} يوم {published:%d - %m - %Y}"
    lead_words = rng.choice(kept).split()[:8]
    title = (rng.choice(HEADLINE_PREFIX) + " " + " ".join(lead_words)).strip()
    return {
        "title": title,
        "paragraphs": [attribution, *edited, rng.choice(WRAPPERS)],
        "published": published.isoformat(),
        "original_outlet": outlet_name,
        "original_url": row["url"],
        "url": "https://aggregator.example/" + str(abs(hash((row["url"], rng.random())))),
    }


def plant(store: Store, rows: list[dict], seed: int = 7) -> list[Plant]:
    """Insert the rows and one repost of each (from one of three aggregators); returns the pairs."""
    rng = random.Random(seed)
    rows = list({row["url"]: row for row in reversed(rows)}.values())[::-1]  # the corpus repeats a few URLs
    vocabulary = [w for row in rows[:200] for w in row["text"].split()[:60]]
    original_ids = insert_ant(store, rows)
    plants = []
    with store.transaction():
        aggregators = [source_id(store, key, name, aggregator=True) for key, name in AGGREGATORS]
        for row, original_id in zip(rows, original_ids, strict=True):
            repost = make_repost(row, vocabulary, rng)
            repost_id = insert_article(
                store,
                url=repost["url"],
                title=repost["title"],
                paragraphs=repost["paragraphs"],
                published=repost["published"],
                source=rng.choice(aggregators),
                original_outlet=repost["original_outlet"],
                original_url=repost["original_url"],
            )
            plants.append(Plant(original_id, repost_id))
    return plants


def score(store: Store, plants: list[Plant]) -> dict:
    """recall: the repost lands in its original's reposts group; precision: of the reposts linked to
    anything, those linked into their original's group (and no original pointed at a repost of another
    article); credit: the repost points at its original, and the original points at no one (or, when the
    corpus itself holds an earlier copy of the original, at that earlier copy, as the first publication).
    Links between two corpus articles (ANT's own wire copies and re-posted updates) are counted apart."""
    dup_of = dict(store.conn.execute("SELECT id, duplicate_of FROM article").fetchall())
    original_of = {p.repost_id: p.original_id for p in plants}
    originals = set(original_of.values())

    def root(i: int) -> int:
        return dup_of.get(i) or i

    found = sum(1 for p in plants if root(p.repost_id) == root(p.original_id))
    credited = sum(1 for p in plants if dup_of.get(p.repost_id) == root(p.original_id))
    linked_reposts = [p for p in plants if dup_of.get(p.repost_id)]
    wrong = [
        (p.repost_id, dup_of[p.repost_id]) for p in linked_reposts if root(p.repost_id) != root(p.original_id)
    ]
    wrong += [(a, b) for a, b in dup_of.items() if b is not None and a in originals and b in original_of]
    corpus_links = [(a, b) for a, b in dup_of.items() if b is not None and a in originals and b in originals]
    linked = len(linked_reposts) + len(corpus_links)
    return {
        "reposts": len(plants),
        "recall": found / len(plants),
        "precision": 1 - len(wrong) / linked if linked else 1.0,
        "credit": credited / len(plants),
        "links": linked,
        "wrong": wrong,
        "corpus_links": corpus_links,
        "missed": [p for p in plants if root(p.repost_id) != root(p.original_id)],
    }
