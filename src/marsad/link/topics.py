"""Topics: the named things that recur in the archive (organisations, initiatives, people, places, terms),
mined from the archive itself without a model.

A candidate is a run of 2 to MAX_WORDS words inside one clause (no punctuation, number or function word
between them) whose first and last words are not stock words (time words, verbs of saying, quantities) nor
words with an attached pronoun, or one word of the names list (marsad.arabic.names). Its key is its words
normalised (one alef, ya and ta marbuta) with the article and its clitics taken off each word, so المبادرة,
والمبادرة and للمبادرة are one key, and words whose consonant skeletons agree (الأمريكية / الأميركية) count
as one; a candidate behind a conjunction or preposition (لكرة القدم) joins the one without. A candidate becomes a topic
when it is in MIN_ARTICLES articles of MIN_STORIES stories on MIN_DAYS days from MIN_OUTLETS outlets, its
words hold together (normalised PMI of its weakest split, by article frequencies, at least MIN_COHESION),
and it is not mostly part of a longer candidate. Strength: cohesion x log2(1 + stories) x log2(1 +
outlets).

    mine(store)                       mine the whole archive, store the topics and their articles
    assign(store, article_ids)        give new or changed articles the topics already known

Counting works on 64-bit hashes of the words' skeletons, combined per n-gram in numpy, so the whole of ANT
(30,337 articles) is mined in one pass over the text plus one over the candidates' occurrences.
"""

from __future__ import annotations

import functools
import hashlib
import math
import re
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime

import numpy as np

from marsad.arabic.names import NAMES
from marsad.arabic.normalise import normalise
from marsad.arabic.stopwords import STOPWORDS
from marsad.store import topics as topic_store
from marsad.store.db import Store

MAX_WORDS = 6
MIN_ARTICLES = 5
MIN_STORIES = 3
MIN_DAYS = 3
MIN_OUTLETS = 2
MIN_COHESION = 0.35
# A candidate in at least this share of a longer one's articles is taken as part of it and dropped.
SUBSUMED = 0.7

_LETTERS = "\u0621-\u063a\u0641-\u064a\u066e-\u066f\u0671-\u06d3\u06d5\u06fa-\u06ff"
_MARKS = "\u064b-\u065f\u0670\u0640\u06d6-\u06ed"
_WORD_RE = re.compile(f"[{_LETTERS}][{_LETTERS}{_MARKS}]*")
_SPACE_RE = re.compile(r"[\s\u200c-\u200f\u202a-\u202e\u2066-\u2069]*")
# The article with the clitics Arabic puts before it, longest first (لل is ل + ال with its alef elided).
_ARTICLE = ("وبال", "وكال", "فبال", "وال", "فال", "بال", "كال", "ولل", "فلل", "لل", "ال")

# Words that begin or end no topic: time words, verbs of saying and reporting, quantities and other
# words of the news's stock phrases (العام الماضي, وقال في بيان, في وقت سابق, عدد كبير). Normalised, without
# the article. They may stand inside one (الأمين العام للأمم المتحدة).
_STOCK = """
    يوم ايام اليوم امس غدا اسبوع اسابيع شهر اشهر شهور عام اعوام سنه سنوات سنين ساعه ساعات دقيقه دقائق
    صباح مساء ليله ليل نهار فجر ظهر عصر فتره مده وقت اوقات مرحله لحظه حين حينه اثناء عقب اثر منتصف مطلع
    نهايه بدايه اواخر اوائل ماضي ماضيه مقبل مقبله جاري جاريه حالي حاليه سابق سابقه لاحق لاحقه قادم قادمه
    اخير اخيره اخر اخري اول اولي ثاني ثانيه ثالث ثالثه رابع خامس قليل قليله
    سبت احد اثنين ثلاثاء اربعاء خميس جمعه
    يناير فبراير مارس ابريل مايو يونيو يوليو اغسطس سبتمبر اكتوبر نوفمبر ديسمبر كانون شباط اذار نيسان
    ايار حزيران تموز اب ايلول تشرين
    قال قالت وقال وقالت يقول تقول اضاف اضافت واضاف واضافت اكد اكدت واكد واكدت يؤكد تؤكد يوكد توكد
    اعلن اعلنت واعلن واعلنت اشار اشارت واشار واشارت اوضح اوضحت واوضح واوضحت ذكر ذكرت وذكر وذكرت
    تابع تابعت وتابع وتابعت لفت لفتت ولفت يذكر ويذكر يشار ويشار نقل نقلت ونقل ونقلت افاد افادت وافاد
    افادت اعتبر اعتبرت واعتبر واعتبرت شدد شددت وشدد وشددت قالوا وقالوا اعلنوا بيان بيانا تصريح تصريحات
    تصريحه تصريحاتها تصريحات مؤتمر صحفي صحفيه صحافي صحافيه وكاله وكالات مصدر مصادر مسؤول مسؤولون
    مسؤولين مطلع مطلعه مطلعون نقلا وفقا طبقا بحسب حسب بشكل بصوره اطار ضوء شان صعيد جهه ناحيه حال خلفيه
    سياق عدد اعداد اكثر اقل نحو حوالي قرابه زهاء بعض جميع كافه معظم اغلب مختلف عده بضع كثير كبير كبيره
    صغير عشرات مئات الاف الف مئه مائه مليون ملايين مليار مليارات نصف ربع ثلث عشره عشر واحد واحده اثنان
    اثنين ثلاثه اربعه خمسه سته سبعه ثمانيه تسعه نفس نفسه نفسها ذاته ذاتها عبر لدي اي احد احدي اجل جانب
    ايضا فقط حاليا سابقا لاحقا مجددا جدا ذلك هذا مثل اطلاق خاص خاصه عامه عام امر امور شيء اشياء شخص
    اشخاص ناس طريق طريقه اخرين اخرون اخري اخر توقيت بتوقيت باسم فيما يلي احدث خاضعه حظا
"""
_STOCK_KEYS = frozenset(normalise(w) for w in _STOCK.split())
_STOP = frozenset(STOPWORDS)
# An attached pronoun (حتفهم, ضحيتها, كتابها): the word of a phrase about someone, not of a name.
_PRONOUN_RE = re.compile("..(?:هما|هم|ها)$")
_PRIME = np.uint64(0x9E3779B97F4A7C15)


def word_key(word: str) -> str:
    """A normalised word without the article and its clitics (المنتدى, والمنتدى, للمنتدى -> منتدى)."""
    for article in _ARTICLE:
        if word.startswith(article) and len(word) - len(article) >= 2:
            return word[len(article) :]
    return word


def skeleton(key: str) -> str:
    """A word key's consonant skeleton: without the long vowels after its first letter, so that spellings
    of one name agree (امريكيه / اميركيه, ترامب / ترمب). Words of three letters or fewer stay whole."""
    return key[0] + _VOWELS_RE.sub("", key[1:]) if len(key) > 3 else key


_VOWELS_RE = re.compile("[اوي]")


@dataclass
class Words:
    """A text's Arabic words: as published, their keys (empty for a function word), the clause each is in
    (a function word is a clause of its own) and their hashes."""

    published: list[str]
    keys: list[str]
    clause: list[int]
    hashes: list[int]
    edge: list[bool]  # may begin or end a topic
    name: list[bool]  # a listed name, a topic by itself


_Word = tuple[str, int, bool, bool]
CACHED_WORDS = 1 << 19  # about 100 MB of cached words at most  # key, hash, may be an edge, a listed name


class Hasher:
    """What each normalised word is to mining (its key, 64-bit BLAKE2b hash of the key, the same in every
    process, whether it may begin or end a topic, whether it is a listed name), cached."""

    def __init__(self) -> None:
        self.cache: dict[str, _Word] = {}

    def of(self, normalised: str) -> _Word:
        found = self.cache.get(normalised)
        if found is None:
            if len(self.cache) >= CACHED_WORDS:  # a long-running process: bounded
                self.cache.clear()
            key = "" if normalised in _STOP else word_key(normalised)
            edge = bool(key) and key not in _STOCK_KEYS and len(key) > 1 and not _PRONOUN_RE.search(key)
            found = (key, self.word(key), edge, key in NAMES)
            self.cache[normalised] = found
        return found

    @staticmethod
    @functools.lru_cache(maxsize=1 << 18)
    def word(key: str) -> int:
        """The hash of a word key's skeleton: spelling variants count as one word."""
        data = skeleton(key).encode() if key else b""
        return int.from_bytes(hashlib.blake2b(data, digest_size=8).digest(), "little")

    def phrase(self, key: str) -> int:
        """The hash of a key of one or more words, as `ngrams` computes it."""
        value = np.uint64(0)
        with np.errstate(over="ignore"):
            for word in key.split(" "):
                value = value * _PRIME + np.uint64(self.word(word))
        return int(value)


def words(text: str, hasher: Hasher) -> Words:
    found = list(_WORD_RE.finditer(text))
    published = [m.group() for m in found]
    normalised = normalise(" ".join(published)).split(" ")
    if len(normalised) != len(published):  # a compatibility form that NFKC splits: word by word
        normalised = [normalise(w).replace(" ", "") for w in published]
    cache = hasher.cache
    known = [cache.get(w) or hasher.of(w) for w in normalised]
    clause, current, end, stop_before = [], 0, 0, False
    for m, word in zip(found, known, strict=True):
        stop = not word[0]
        start = m.start()
        if (
            stop
            or stop_before
            or (start > end + 1 or (start == end + 1 and text[end] != " "))
            and not _SPACE_RE.fullmatch(text, end, start)
        ):
            current += 1
        clause.append(current)
        end, stop_before = m.end(), stop
    return Words(
        published,
        [w[0] for w in known],
        clause,
        [w[1] for w in known],
        [w[2] for w in known],
        [w[3] for w in known],
    )


@dataclass
class Grams:
    """A text's n-grams: hash, start and length of each, and whether it may be a topic (edges not stock
    words; a single word only when it is a listed name)."""

    hashes: np.ndarray
    starts: np.ndarray
    lengths: np.ndarray
    candidate: np.ndarray


def ngrams(found: Words) -> Grams:
    """Every run of 1..MAX_WORDS words inside one clause (function words in none)."""
    n = len(found.keys)
    hashes, starts, lengths, candidate = [], [], [], []
    if n:
        word_hashes = np.array(found.hashes, dtype=np.uint64)
        clause = np.array(found.clause, dtype=np.int64)
        single = np.array([bool(k) for k in found.keys], dtype=bool)
        real = single
        edge = np.array(found.edge, dtype=bool)
        name = np.array(found.name, dtype=bool)
        current = word_hashes
        with np.errstate(over="ignore"):
            for length in range(1, min(MAX_WORDS, n) + 1):
                count = n - length + 1
                if length > 1:
                    current = current[:count] * _PRIME + word_hashes[length - 1 :]
                    real = real[:count] & single[length - 1 :]
                index = np.flatnonzero(real & (clause[:count] == clause[length - 1 :]))
                if not index.size:
                    break
                hashes.append(current[index])
                starts.append(index)
                lengths.append(np.full(index.size, length))
                last = edge[index + length - 1]
                candidate.append(name[index] & last if length == 1 else edge[index] & last)
    if not hashes:
        return Grams(np.zeros(0, np.uint64), np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0, bool))
    return Grams(
        np.concatenate(hashes), np.concatenate(starts), np.concatenate(lengths), np.concatenate(candidate)
    )


def within(values: np.ndarray, sorted_hashes: np.ndarray) -> np.ndarray:
    """Which of `values` are in `sorted_hashes` (np.isin sorts both arrays at every call)."""
    if not len(sorted_hashes):
        return np.zeros(len(values), dtype=bool)
    at = np.searchsorted(sorted_hashes, values)
    at[at == len(sorted_hashes)] = 0
    return sorted_hashes[at] == values


@dataclass
class Mined:
    """The topics mined, and what mining measured."""

    topics: list[topic_store.TopicRow] = field(default_factory=list)
    links: list[tuple[int, int]] = field(default_factory=list)  # (article id, index into topics)
    articles: int = 0
    candidates: int = 0
    seconds: float = 0.0
    last_id: int = 0  # the newest article read


Rows = Callable[[], Iterable[topic_store.MiningRow]]


def mine(store: Store) -> Mined:
    """Mine the whole archive's visible articles and replace the stored topics (a topic mined again keeps
    its id: ids are kept by key)."""
    started = time.perf_counter()
    mined = mine_rows(lambda: topic_store.mining_rows(store))
    with store.transaction():
        topic_store.replace(store, mined.topics, mined.links, _now())
        assign(store, topic_store.article_ids_after(store, mined.last_id))  # stored while mining
    mined.seconds = time.perf_counter() - started
    return mined


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def mine_rows(rows: Rows) -> Mined:
    """The topics of the articles `rows()` yields (read twice: counting, then the candidates' forms)."""
    hasher = Hasher()
    docs = _read(rows(), hasher)
    mined = Mined(articles=len(docs.ids), last_id=max(docs.ids, default=0))
    if not docs.ids:
        return mined
    known, df = np.unique(np.concatenate(docs.grams), return_counts=True)
    docs.grams = []
    frequency = _Frequency(known, df, len(docs.ids))
    stats = _candidate_stats(docs, frequency)
    mined.candidates = len(stats.hashes)
    names = _names(rows(), stats, hasher)
    chosen = _choose(stats, names, frequency, hasher)
    _emit(mined, chosen, docs, stats, names)
    return mined


@dataclass
class _Docs:
    ids: list[int] = field(default_factory=list)
    outlet: list[int] = field(default_factory=list)
    day: list[int] = field(default_factory=list)
    story: list[int] = field(default_factory=list)
    published: list[str] = field(default_factory=list)
    grams: list[np.ndarray] = field(default_factory=list)  # each article's distinct n-gram hashes
    candidate: list[np.ndarray] = field(default_factory=list)  # ... of those that may be topics


def text_of(title: str, body: str) -> str:
    return f"{title}\n{body}"


def _read(rows: Iterable[topic_store.MiningRow], hasher: Hasher) -> _Docs:
    docs = _Docs()
    days: dict[str, int] = {}
    for row in rows:
        grams = ngrams(words(text_of(row.title, row.body), hasher))
        docs.ids.append(row.id)
        docs.outlet.append(row.source_id or 0)
        day = (row.published or "")[:10]
        docs.day.append(days.setdefault(day, len(days)) if day else -len(docs.ids))  # undated: its own day
        docs.story.append(row.story_id if row.story_id is not None else -row.id)
        docs.published.append(row.published or "")
        docs.grams.append(np.unique(grams.hashes))
        docs.candidate.append(np.unique(grams.hashes[grams.candidate]))
    return docs


class _Frequency:
    """The article frequency of every n-gram hash seen."""

    def __init__(self, known: np.ndarray, df: np.ndarray, total: int) -> None:
        self.known, self.df, self.total = known, df, total

    def of(self, value: int) -> int:
        at = int(np.searchsorted(self.known, np.uint64(value)))
        return int(self.df[at]) if at < len(self.known) and int(self.known[at]) == value else 0


@dataclass
class _Stats:
    hashes: np.ndarray  # sorted: the candidates frequent and spread enough
    articles: np.ndarray
    pair_hash: np.ndarray  # (hash, article index): each article a candidate is in
    pair_doc: np.ndarray


def _distinct(pair_hash: np.ndarray, values: np.ndarray, hashes: np.ndarray) -> np.ndarray:
    """For each of `hashes` (sorted, every one paired), how many distinct `values` it is paired with."""
    order = np.lexsort((values, pair_hash))
    h, v = pair_hash[order], values[order]
    new = np.ones(len(h), dtype=bool)
    new[1:] = (h[1:] != h[:-1]) | (v[1:] != v[:-1])
    counted, counts = np.unique(h[new], return_counts=True)
    out = np.zeros(len(hashes), dtype=np.int64)
    out[np.searchsorted(hashes, counted)] = counts
    return out


def _candidate_stats(docs: _Docs, frequency: _Frequency) -> _Stats:
    frequent = frequency.known[frequency.df >= MIN_ARTICLES]
    pair_hash = np.concatenate(docs.candidate)
    pair_doc = np.repeat(np.arange(len(docs.candidate)), [len(c) for c in docs.candidate])
    keep = np.isin(pair_hash, frequent)
    pair_hash, pair_doc = pair_hash[keep], pair_doc[keep]
    hashes = np.unique(pair_hash)
    outlet, day, story = (np.asarray(x, dtype=np.int64) for x in (docs.outlet, docs.day, docs.story))
    wanted = (
        (_distinct(pair_hash, story[pair_doc], hashes) >= MIN_STORIES)
        & (_distinct(pair_hash, day[pair_doc], hashes) >= MIN_DAYS)
        & (_distinct(pair_hash, outlet[pair_doc], hashes) >= MIN_OUTLETS)
    )
    keep = np.isin(pair_hash, hashes[wanted])
    return _Stats(
        hashes=hashes[wanted],
        articles=_distinct(pair_hash, pair_doc, hashes)[wanted],
        pair_hash=pair_hash[keep],
        pair_doc=pair_doc[keep],
    )


@dataclass
class _Names:
    keys: dict[int, Counter[str]] = field(default_factory=dict)  # hash -> normalised keys, how often
    forms: dict[int, Counter[str]] = field(default_factory=dict)  # hash -> published forms, how often
    aliases: dict[int, int] = field(default_factory=dict)  # hash -> the topic it is a clitic form of

    def key(self, value: int) -> str:
        return self.keys[value].most_common(1)[0][0]


def _names(rows: Iterable[topic_store.MiningRow], stats: _Stats, hasher: Hasher) -> _Names:
    """The candidates' keys and published forms, read from the texts again."""
    names = _Names()
    for row in rows:
        found = words(text_of(row.title, row.body), hasher)
        grams = ngrams(found)
        for at in np.flatnonzero(grams.candidate & within(grams.hashes, stats.hashes)):
            value, start, end = (
                int(grams.hashes[at]),
                int(grams.starts[at]),
                int(grams.starts[at] + grams.lengths[at]),
            )
            if value not in names.keys:
                names.keys[value], names.forms[value] = Counter(), Counter()
            names.keys[value][" ".join(found.keys[start:end])] += 1
            names.forms[value][" ".join(found.published[start:end])] += 1
    return names


def cohesion(key: str, articles: int, frequency: _Frequency, hasher: Hasher) -> float:
    """Normalised PMI of the weakest split of the key into two parts, by article frequencies (1 for one
    word: a listed name)."""
    parts = key.split(" ")
    if len(parts) == 1:
        return 1.0
    p = articles / frequency.total
    if p >= 1:
        return 0.0
    weakest = 1.0
    for split in range(1, len(parts)):
        left = frequency.of(hasher.phrase(" ".join(parts[:split])))
        right = frequency.of(hasher.phrase(" ".join(parts[split:])))
        pmi = math.log(articles * frequency.total / max(left * right, 1))
        weakest = min(weakest, pmi / -math.log(p))
    return weakest


def _choose(stats: _Stats, names: _Names, frequency: _Frequency, hasher: Hasher) -> dict[int, float]:
    """The candidates that are topics, with their cohesion: those holding together and not mostly part of
    a longer one that does."""
    articles = {int(h): int(a) for h, a in zip(stats.hashes, stats.articles, strict=True)}
    held = {}
    for value in names.keys:
        score = cohesion(names.key(value), articles[value], frequency, hasher)
        if score >= MIN_COHESION:
            held[value] = score
    longest: dict[int, int] = {}  # hash -> the most articles of a held candidate one word longer
    for value in held:
        parts = names.key(value).split(" ")
        if len(parts) > 1:
            for part in (" ".join(parts[1:]), " ".join(parts[:-1])):
                inner = hasher.phrase(part)
                longest[inner] = max(longest.get(inner, 0), articles[value])
    kept = {v: score for v, score in held.items() if longest.get(v, 0) < SUBSUMED * articles[v]}
    return _without_clitics(kept, names, frequency, hasher)


_CLITICS = "وفبلك"


def _without_clitics(
    kept: dict[int, float], names: _Names, frequency: _Frequency, hasher: Hasher
) -> dict[int, float]:
    """A topic whose first word carries a conjunction or preposition (لكرة القدم, والعبوات الناسفة: its
    rest is at least 1.5 times as common as the word) is the topic without it, when that is one (its
    articles join it, see _emit), else none."""
    aliases: dict[int, int] = {}
    for value in kept:
        parts = names.key(value).split(" ")
        first = parts[0]
        if len(parts) == 1 or first[0] not in _CLITICS or len(first) < 4:
            continue
        if 2 * frequency.of(hasher.phrase(first[1:])) < 3 * frequency.of(hasher.phrase(first)):
            continue
        aliases[value] = hasher.phrase(" ".join([first[1:], *parts[1:]]))
    for value, main in aliases.items():
        while main in aliases and main != value:  # وبكرة -> بكرة -> كرة
            main = aliases[main]
        if main in kept and main not in aliases:
            names.aliases[value] = main
    return {v: score for v, score in kept.items() if v not in aliases}


def _emit(mined: Mined, chosen: dict[int, float], docs: _Docs, stats: _Stats, names: _Names) -> None:
    lookup = np.array(sorted(chosen), dtype=np.uint64)
    found = sorted(chosen) + sorted(names.aliases)
    index_of = {v: i for i, v in enumerate(lookup.tolist())}
    found_sorted = np.array(sorted(found), dtype=np.uint64)
    target = np.array([index_of[names.aliases.get(v, v)] for v in found_sorted.tolist()], dtype=np.int64)
    keep = within(stats.pair_hash, found_sorted)
    topic = target[np.searchsorted(found_sorted, stats.pair_hash[keep])]
    by_topic: dict[int, set[int]] = {}
    for index, doc in zip(topic.tolist(), stats.pair_doc[keep].tolist(), strict=True):
        by_topic.setdefault(index, set()).add(doc)
    named = {v: _name(names.forms[v], names.key(v)) for v in chosen}  # by its own forms, not its aliases
    for alias, main in names.aliases.items():
        names.keys[main].update(names.keys[alias])
        names.forms[main].update(names.forms[alias])
    rows: list[tuple[float, topic_store.TopicRow, list[int]]] = []
    for index, value in enumerate(lookup.tolist()):
        members = sorted(by_topic.get(index, ()))
        stories = len({docs.story[d] for d in members})
        outlets = len({docs.outlet[d] for d in members})
        strength = chosen[value] * math.log2(1 + stories) * math.log2(1 + outlets)
        dated = sorted(p for p in (docs.published[d] for d in members) if p)
        row = topic_store.TopicRow(
            key=names.key(value),
            name=named[value],
            variants=[[form, count] for form, count in names.forms[value].most_common(VARIANTS)],
            keys=[key for key, _ in names.keys[value].most_common()],
            strength=round(strength, 4),
            article_count=len(members),
            story_count=stories,
            outlet_count=outlets,
            day_count=len({docs.day[d] for d in members}),
            first_seen=dated[0] if dated else None,
            last_seen=dated[-1] if dated else None,
        )
        rows.append((strength, row, members))
    rows.sort(key=lambda r: (-r[0], r[1].key))
    mined.topics = [row for _, row, _ in rows]
    mined.links = [(docs.ids[d], index) for index, (_, _, members) in enumerate(rows) for d in members]


VARIANTS = 12  # published forms kept per topic


def _name(forms: Counter[str], key: str) -> str:
    """The most common published form whose first word is the key's, bare or with the article (المبادرة
    rather than والمبادرة), else the most common."""
    first = key.split(" ")[0]
    for form, _ in forms.most_common():
        word = normalise(form.split(" ")[0])
        if word in (first, "ال" + first):
            return form
    return forms.most_common(1)[0][0]


_ASSIGNING = Hasher()  # kept between batches: most words of the next batch are known


def assign(store: Store, article_ids: list[int]) -> int:
    """Give the articles (new or changed) the topics already mined; returns how many links were made."""
    known = topic_store.topic_keys(store)
    if not known or not article_ids:
        return 0
    hasher = _ASSIGNING
    pairs = sorted((hasher.phrase(key), topic_id) for topic_id, keys in known for key in keys)
    lookup = np.array([p[0] for p in pairs], dtype=np.uint64)
    topic_ids = np.array([p[1] for p in pairs], dtype=np.int64)
    links: list[tuple[int, int]] = []
    for row in topic_store.article_texts(store, article_ids):
        grams = ngrams(words(text_of(row.title, row.body), hasher))
        found = np.unique(grams.hashes[grams.candidate])
        found = found[within(found, lookup)]
        for topic_id in sorted(set(topic_ids[np.searchsorted(lookup, found)].tolist())):
            links.append((row.id, topic_id))
    topic_store.set_article_topics(store, article_ids, links)
    return len(links)


def assign_all(store: Store, batch: int = 5000) -> Iterator[int]:
    """Assign every article the known topics, `batch` at a time; yields how many are done."""
    ids = topic_store.all_article_ids(store)
    for start in range(0, len(ids), batch):
        assign(store, ids[start : start + batch])
        yield min(start + batch, len(ids))
