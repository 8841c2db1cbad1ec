"""What linking looks at in an article: word shingles (reposts), weighted terms (stories, threads), numbers
and places, and the dates its body mentions (timeline).

The language work (normalisation, tokens, stems, dates) is marsad.arabic's; this module only decides which
of its outputs linking uses, in one pass over each paragraph (normalise -> tokens -> shingles, stems).
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from itertools import chain
from typing import cast

import numpy as np

from marsad.arabic import STOPWORDS, attribution, normalise, stem, tokens
from marsad.link.docfreq import stable_hash, term_hash

SHINGLE_WORDS = 2  # word bigrams: see duplicates.py for why
LEAD_SHINGLES = 30  # an article's lead: its first shingles, in reading order
TOP_TERMS = 40
TITLE_WEIGHT = 3.0
LEAD_WEIGHT = 1.5
# A term is common in an outlet when at least this share of its articles hold it, and this many times its
# share of the whole archive (an outlet of OUTLET_MIN_DOCS articles or more: fewer say nothing yet).
OUTLET_COMMON = 0.05
OUTLET_OVER = 3.0
OUTLET_MIN_DOCS = 200
# Another article's opening carried as a paragraph (a "read also" teaser, a related-news block): a paragraph
# whose first OPENING_WORDS words are those its outlet's other article opens with (after a dateline of up
# to OPENING_SHIFT words), or whose words are that article's title.
OPENING_WORDS = 10
OPENING_SHIFT = 8
OPENING_MIN_WORDS = 4  # shorter paragraphs and titles are no one's opening
# A label of at most LABEL_WORDS words before a colon ("اقرأ أيضا:", "فيديو:") opens a teaser line of at most
# TEASER_WORDS words after it, and some titles: the opening is what follows it.
LABEL_WORDS = 3
TEASER_WORDS = 20


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Places a story is about weigh more when two articles share them (normalised forms).
PLACES = _words(
    """المغرب الرباط الدار البيضاء الجزاير تونس ليبيا طرابلس مصر القاهره السودان الخرطوم موريتانيا نواكشوط
    السعوديه الرياض جده الامارات ابوظبي دبي قطر الدوحه الكويت البحرين المنامه عمان مسقط اليمن صنعاء عدن الحديده
    العراق بغداد الموصل البصره كركوك سوريا دمشق حلب ادلب حمص درعا الغوطه الرقه دير الزور لبنان بيروت الاردن عمان
    فلسطين القدس غزه رام الله الضفه اسراييل تل ابيب ايران طهران تركيا انقره اسطنبول روسيا موسكو اوكرانيا الصين
    بكين اليابان طوكيو كوريا بيونغ يانغ سيول الهند باكستان افغانستان كابول امريكا واشنطن نيويورك كندا المكسيك
    البرازيل فرنسا باريس بريطانيا لندن المانيا برلين ايطاليا روما اسبانيا مدريد هولندا بلجيكا بروكسل سويسرا جنيف
    السويد النرويج الدنمارك بولندا اليونان قبرص افريقيا اوروبا اسيا نيجيريا اثيوبيا الصومال كينيا مالي النيجر تشاد
    فنزويلا كوبا"""
)

# word -> (term, its docfreq.term_hash), ("", 0) for none; a dict lookup beats a call per word, and one
# lookup gives both (a second, of the term's hash, cost the feature worker a tenth of its time)
_TERMS: dict[str, tuple[str, int]] = {}


def line_key(words: list[str]) -> int:
    """A paragraph's key, from its normalised words (the same line with other spacing, harakat or
    punctuation is the same line): a stable signed 64-bit hash."""
    return stable_hash("\x00line\x00" + " ".join(words))


@dataclass
class Lines:
    """An article's distinct paragraphs (`keys`, line_key) and what each adds to its term counts: rows of
    (line, term, count), the line and the term as positions in `keys` and in the article's terms. `heads`
    holds, for each of `keys`, the key under which the paragraph would be another article's opening (0 for
    the article's own lead and short paragraphs); `openings` the keys of its own opening and title."""

    keys: np.ndarray  # int64
    line: np.ndarray  # int64
    term: np.ndarray  # int64
    count: np.ndarray  # float64
    heads: np.ndarray  # int64, one for each of keys
    openings: np.ndarray  # int64


def head_key(words: list[str]) -> int:
    """The key a paragraph is known by as an opening: its first OPENING_WORDS words, or all of a shorter
    one's (a title); 0 when too short to say."""
    if len(words) < OPENING_MIN_WORDS:
        return 0
    return stable_hash("\x00open\x00" + " ".join(words[:OPENING_WORDS]))


def label_words(text: str) -> int:
    """How many words a label opening `text` takes ("اقرأ أيضا: ...", "فيديو: ..."): 1 to LABEL_WORDS words
    before a colon, else 0."""
    label, colon, _ = text.partition(":")
    if not colon:
        return 0
    n = len(tokens(normalise(label)))
    return n if n <= LABEL_WORDS else 0


def paragraph_heads(paragraphs: list[str], words_by_paragraph: list[list[str]]) -> list[int]:
    """Each paragraph's head_key, after a label when the line after it is short enough to be a title."""
    heads = []
    for text, words in zip(paragraphs, words_by_paragraph, strict=True):
        skip = label_words(text) if len(words) <= TEASER_WORDS + LABEL_WORDS else 0
        heads.append(head_key(words[skip:]))
    return heads


def opening_keys(
    title_words: list[str], words_by_paragraph: list[list[str]], title_label: int = 0
) -> np.ndarray:
    """The keys of an article's opening: its title's (with and without a label it opens with) and its
    lead's first words, from each of the first OPENING_SHIFT + 1 words on (a teaser drops the dateline)."""
    lead = next((w for w in words_by_paragraph if w), [])
    found = {head_key(title_words), head_key(title_words[title_label:])}
    found.update(head_key(lead[i:]) for i in range(min(OPENING_SHIFT + 1, len(lead))))
    found.discard(0)
    return np.array(sorted(found), dtype=np.int64)


def line_terms(
    title_words: list[str],
    words_by_paragraph: list[list[str]],
    terms: Mapping[str, float],
    heads_by_paragraph: list[int] | None = None,
    title_label: int = 0,
) -> Lines:
    """Each paragraph's key and its part of the weighted term counts (weighted_terms: a word of the lead
    weighs LEAD_WEIGHT; the title's part belongs to no line), its head key (paragraph_heads) and the
    article's openings."""
    index = {term: i for i, term in enumerate(terms)}
    keys: dict[int, int] = {}
    heads: list[int] = []
    rows: dict[tuple[int, int], float] = {}
    for p, words in enumerate(words_by_paragraph):
        if not words:
            continue
        key = line_key(words)
        if key not in keys:  # the first line is the article's own lead
            heads.append((heads_by_paragraph[p] if heads_by_paragraph else head_key(words)) if keys else 0)
        line = keys.setdefault(key, len(keys))
        weight = LEAD_WEIGHT if p == 0 else 1.0
        for word in words:
            term = (_TERMS.get(word) or _term(word))[0]
            if term:
                at = (line, index[term])
                rows[at] = rows.get(at, 0.0) + weight
    flat = list(rows.items())
    return Lines(
        np.fromiter(keys, dtype=np.int64, count=len(keys)),
        np.array([lt[0] for lt, _ in flat], dtype=np.int64),
        np.array([lt[1] for lt, _ in flat], dtype=np.int64),
        np.array([c for _, c in flat], dtype=np.float64),
        np.array(heads, dtype=np.int64),
        opening_keys(title_words, words_by_paragraph, title_label),
    )


@dataclass
class Features:
    shingles: list[str]
    lead: list[str]  # its first shingles (lead_shingles)
    vector: dict[str, float]  # L2-normalised tf-idf of analysed terms, top TOP_TERMS
    numbers: frozenset[str]
    places: frozenset[str]
    terms: Counter = field(default_factory=Counter)  # analysed term counts (for document frequencies)
    hashes: list[int] = field(default_factory=list)  # the term hash of each of `terms`, in its order
    lines: Lines | None = None
    # a multi-subject page's paragraphs off its lead subject (keys, line_key); empty for one subject
    off_subject: frozenset[int] = frozenset()


def paragraph_words(paragraphs: list[str]) -> list[list[str]]:
    """Normalised tokens of each paragraph (normalising keeps line breaks, so the body goes in one call)."""
    return [tokens(p) for p in normalise("\n".join(paragraphs)).split("\n")] if paragraphs else []


def shingles(words_by_paragraph: list[list[str]]) -> list[str]:
    """Word bigrams inside each paragraph: reordering paragraphs leaves them intact."""
    out: set[str] = set()
    for w in words_by_paragraph:
        if len(w) >= SHINGLE_WORDS:
            out.update(map(" ".join, zip(w, w[1:], strict=False)))
        elif w:
            out.add(" ".join(w))
    return list(out)


def lead_shingles(words_by_paragraph: list[list[str]]) -> list[str]:
    """The first LEAD_SHINGLES shingles in reading order: the opening of the text. A copy of an article
    carries its opening (wire copies, reposts, truncated or reordered ones), while two pages that only share
    a block of site chrome (teasers of other articles, a standing background paragraph) do not."""
    lead: list[str] = []
    for words in words_by_paragraph:
        lead.extend(shingles([words[: LEAD_SHINGLES - len(lead) + 1]]) if words else [])
        if len(lead) >= LEAD_SHINGLES:
            break
    return lead


def _term(word: str) -> tuple[str, int]:
    """The stem of a word and its hash, or ("", 0) for a function word or a single letter (cached)."""
    found = _TERMS.get(word)
    if found is None:
        if len(_TERMS) > 500_000:
            _TERMS.clear()
        term = "" if word in STOPWORDS or len(word) < 2 else stem(word)
        found = _TERMS[word] = (term, term_hash(term) if term else 0)
    return found


def weighted_terms(
    title_words: list[str], words_by_paragraph: list[list[str]]
) -> tuple[Counter, list[int], set[str]]:
    """Stemmed term counts (the title and the lead weigh more than the rest of the body), each term's hash
    in their order, and the set of distinct words."""
    # a Counter of the words, whose counts become weights (floats): its stub types counts as int
    words = cast("dict[str, float]", Counter(chain.from_iterable(words_by_paragraph)))
    get = words.get
    for w in title_words:
        words[w] = get(w, 0) + TITLE_WEIGHT
    if words_by_paragraph:
        for w in words_by_paragraph[0]:
            words[w] = get(w, 0) + (LEAD_WEIGHT - 1.0)
    counts: dict[str, float] = {}  # a plain dict: Counter's item methods run in Python
    hashes: list[int] = []
    seen = counts.get
    terms = _TERMS
    for word, count in words.items():
        term, h = terms.get(word) or _term(word)
        if term:
            before = seen(term)
            if before is None:
                counts[term] = count
                hashes.append(h)
            else:
                counts[term] = before + count
    return Counter(counts), hashes, set(words)


_LOG_DF = np.zeros(0)  # _LOG_DF[d] = math.log(d + 1), grown as documents are counted


_TF_HALVES = np.zeros(0)  # _TF_HALVES[k] = 1 + math.log(k / 2)


def tf_weights(counts: Mapping[str, float] | np.ndarray) -> np.ndarray:
    """1 + log tf of each term of `counts` (or of each count), in its order: math.log's values (see
    _log_df), read from a table by twice the count, whole for the weights of title (3) and lead (1.5).
    Hashing 130 floats into a cache of logs cost more than the rest of the worker's numbers."""
    global _TF_HALVES
    if isinstance(counts, np.ndarray):
        tfs = counts
    else:
        tfs = np.fromiter(counts.values(), dtype=np.float64, count=len(counts))
    halves = (tfs * 2.0).astype(np.int64)
    if not (halves == tfs * 2.0).all():  # another weighting: computed one by one
        return np.array([1.0 + math.log(tf) for tf in tfs.tolist()], dtype=np.float64)
    if len(halves) and halves.max() >= len(_TF_HALVES):
        size = 2 * int(halves.max()) + 64
        _TF_HALVES = np.array([1.0 + math.log(k / 2) if k else 0.0 for k in range(size)], dtype=np.float64)
    return _TF_HALVES[halves]


def _log_df(dfs: np.ndarray, n_docs: int) -> np.ndarray:
    """math.log(df + 1) of each df (at most n_docs), read from a table: the same values as math.log gives,
    which numpy's own log may not (the last bit), so the ranking of tied terms stays what it is."""
    global _LOG_DF
    if n_docs >= len(_LOG_DF):
        _LOG_DF = np.array([math.log(d + 1) for d in range(max(1024, 2 * n_docs))], dtype=np.float64)
    return _LOG_DF[dfs]


def idf_of(dfs: np.ndarray, n_docs: int, outlet: tuple[np.ndarray, int] | None = None) -> np.ndarray:
    """The idf of terms of these document frequencies (each counting the article itself): an article's
    vector is top_terms of (1 + log tf) * idf (tf_weights). With `outlet` (the terms' frequencies among the
    articles of the article's outlet, and how many it has), a term common in that outlet is weighed by its
    idf there: a standing dateline, a share bar or a series' template says nothing about the event."""
    log_n = math.log(n_docs + 1) + 1.0
    idf = log_n - _log_df(dfs, n_docs)
    if outlet is not None and outlet[1] >= OUTLET_MIN_DOCS:
        outlet_dfs, outlet_n = outlet
        common = (outlet_dfs >= OUTLET_COMMON * outlet_n) & (
            outlet_dfs * n_docs >= OUTLET_OVER * dfs * outlet_n
        )
        if common.any():
            outlet_idf = math.log(outlet_n + 1) + 1.0 - _log_df(np.minimum(outlet_dfs, n_docs), n_docs)
            idf = np.where(common, np.minimum(idf, outlet_idf), idf)
    return idf


def top_terms(terms: list[str], scores: np.ndarray) -> tuple[dict[str, float], list[int]]:
    """The TOP_TERMS terms of the highest scores, L2-normalised, heaviest first, ties in term order; and
    their positions in `terms`, in that order."""
    chosen: Iterable[int]
    if len(scores) > TOP_TERMS:  # the few at or above the TOP_TERMS-th score, then ranked exactly
        kth = np.partition(scores, len(scores) - TOP_TERMS)[len(scores) - TOP_TERMS]
        chosen = np.flatnonzero(scores >= kth).tolist()
    else:
        chosen = range(len(scores))
    values = scores.tolist()
    # (-weight, term, i) tuples order as the ranking wants (heaviest first, ties by term) without a key
    top = sorted([(-values[i], terms[i], i) for i in chosen])[:TOP_TERMS]
    norm = math.sqrt(sum([w * w for w, _, _ in top])) or 1.0
    weights_kept = rounded(np.array([w for w, _, _ in top]) / -norm)  # -w / norm
    return dict(zip([t for _, t, _ in top], weights_kept, strict=True)), [i for _, _, i in top]


def rounded(values: list[float] | np.ndarray) -> list[float]:
    """Each value rounded to 9 places, as link state keeps weights and scores (so that ties compare the
    same after a round trip through the store). np.round gave round(x, 9) on 2 million random weights, at
    a third of its cost for 40."""
    return np.round(np.asarray(values, dtype=np.float64), 9).tolist()


def numbers(words: set[str]) -> frozenset[str]:
    """Numbers worth sharing: two digits or more."""
    return frozenset(w for w in words if w[0].isdigit() and len(w) >= 2 and w[-1].isdigit())


def places(words: set[str]) -> frozenset[str]:
    found = words & PLACES
    found.update(w[1:] for w in words if w[:1] in "وبلف" and w[1:] in PLACES)
    return frozenset(found)


def without_attribution(paragraphs: list[str]) -> list[str]:
    """The paragraphs less a short attribution line ("نشر في دوزيم يوم ...") among the first and last two:
    every repost from one aggregator carries the same line, which says nothing about the text."""
    if not paragraphs:
        return paragraphs
    edge = {0, 1, len(paragraphs) - 1, len(paragraphs) - 2}
    return [
        p
        for i, p in enumerate(paragraphs)
        if not (i in edge and p.count(" ") < 20 and attribution(p) is not None)
    ]


def article_features(title: str, paragraphs: list[str]) -> Features:
    """Everything linking needs from one article; `vector` is filled in by the linker once the document
    frequencies count this article (see idf_of)."""
    title_words = tokens(normalise(title))
    kept = without_attribution(paragraphs)
    by_paragraph = paragraph_words(kept)
    terms, hashes, distinct = weighted_terms(title_words, by_paragraph)
    off: frozenset[int] = frozenset()
    lead = subject_paragraphs(title_words, kept, by_paragraph)
    if lead is not None:  # its numbers and places are its lead subject's too
        on = {line_key(by_paragraph[p]) for p in lead}
        off = frozenset({line_key(w) for w in by_paragraph if w} - on)
        distinct = set(title_words).union(*(by_paragraph[p] for p in lead))
    return Features(
        shingles=shingles(by_paragraph),
        lead=lead_shingles(by_paragraph),
        vector={},
        numbers=numbers(distinct),
        places=places(distinct),
        terms=terms,
        hashes=hashes,
        lines=line_terms(
            title_words, by_paragraph, terms, paragraph_heads(kept, by_paragraph), label_words(title)
        ),
        off_subject=off,
    )


# --- multi-subject pages (press reviews, round-ups, live pages) ---
# A subject counts from this many words (smaller ones are told in passing); two parts are on one subject
# from this cosine of their term counts (_unit).
SUBJECT_WORDS = 40
RELATED = 0.12
HEADING_WORDS = 8  # a line this short, not ending a sentence, that a paragraph follows, heads a section
# Parts grouped at most (grouping is cubic in parts): a longer page's first MAX_PARTS parts (a live page
# of hundreds of entries) decide its subjects, and each later part goes with the lead subject if it is like
# it (RELATED), else with none.
MAX_PARTS = 48
_STAMP = re.compile(r"^\W{0,3}(?:الساعة\s*)?[0-9٠-٩]{1,2}\s*[:.]\s*[0-9٠-٩]{2}(?![0-9٠-٩])")
_SENTENCE_END = tuple('.!؟?،,;؛…"»')
# A turn to another subject ("في موضوع آخر"), or to another paper in a press review ("صحيفة الغد ...", "أما
# صحيفة ...": the paper named anew, not "الصحيفة" that goes on with the same one).
_ANOTHER = re.compile(
    r"^\W{0,3}(?:و?(?:في|فى|على|الى|إلى)\s+(?:موضوع|شأن|شان|ملف|خبر|صعيد)\s+[آا]خر"
    r"|(?:و|أما\s+|اما\s+|وفي\s+|في\s+)?(?:صحيفة|صحيفه|جريدة|جريده|مجلة|مجله)\s)"
)
# The words a press review or a round-up tells its subjects in (a paper, its writer, what it wrote):
# every part has them, they tell nothing of what the part is about (normalised words).
FORM_WORDS = _words(
    """صحيفه الصحيفه صحيفة صحف الصحف جريده الجريده جرايد مجله المجله كاتب الكاتب كتب كتبت تكتب يكتب مقال
    المقال مقاله افتتاحيه افتتاحيتها عنوان بعنوان عنونت تقول يقول قالت قال تضيف يضيف اضافت اضاف تتابع
    تنقل نقلت تري يري رات راي اعتبرت تعتبر تتساءل تساءلت اشارت تشير نشرت تنشر تناولت تتناول صفحتها الصفحه
    الاولي اليوم امس اهتمامات موضوع اخر تقرير خبر الخبر"""
)


_FORM_TERMS = frozenset(stem(w) for w in FORM_WORDS)


def _opens_part(raw: str, words: list[str], nxt: list[str] | None) -> str:
    """How a paragraph opens a part: "heading" (a short line, not ending a sentence, that a paragraph
    follows), "entry" (a live page's time-stamped entry, or a turn to another subject), or ""."""
    if _STAMP.match(raw) or _ANOTHER.match(raw):
        return "entry"
    if nxt and len(words) <= HEADING_WORDS and not raw.rstrip().endswith(_SENTENCE_END):
        return "heading"
    return ""


def _stems(words: list[str]) -> list[str]:
    """The terms of a paragraph's words, less the form words' (the words are in _TERMS: weighted_terms
    looked them up)."""
    try:
        found = [t for t, _ in map(_TERMS.__getitem__, words)]
    except KeyError:  # the cache was cleared between
        found = [_term(w)[0] for w in words]
    return [t for t in found if t and t not in _FORM_TERMS]


def _unit(counts: Counter) -> dict[str, float]:
    """A part's term counts as a unit vector, each count dampened (1 + log): the terms a part repeats (its
    subject's names) weigh more than those every text has once."""
    damped = {t: 1.0 + math.log(c) if c > 1 else 1.0 for t, c in counts.items()}
    norm = math.sqrt(sum([w * w for w in damped.values()])) or 1.0
    return {t: w / norm for t, w in damped.items()}


def _cosine(a: dict[str, float], b: dict[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    get = b.get
    return sum([w * get(t, 0.0) for t, w in a.items()])


def _parts(paragraphs: list[str], words: list[list[str]]) -> list[list[int]]:
    """The body cut into parts where a paragraph opens one (_opens_part): a heading with the paragraphs
    under it, a time-stamped entry, a paper's turn in a press review. Runs of paragraphs that no such
    line opens stay one part: one event's report moves from its news to quotes and background with as
    little overlap of words as two subjects have (docs/benchmarks.md, "Multi-subject pages")."""
    parts: list[list[int]] = []
    for p, ws in enumerate(words):
        if not ws:
            continue
        if not parts or _opens_part(paragraphs[p], ws, words[p + 1] if p + 1 < len(words) else None):
            if (
                parts
                and len(parts[-1]) == 1
                and _opens_part(paragraphs[parts[-1][0]], words[parts[-1][0]], ws) == "heading"
            ):
                parts[-1].append(p)  # the paragraph under a heading
                continue
            parts.append([p])
        else:
            parts[-1].append(p)
    return parts


def subject_paragraphs(
    title_words: list[str], paragraphs: list[str], words: list[list[str]]
) -> list[int] | None:
    """The paragraphs (positions in `words`, the normalised words of `paragraphs`) of a multi-subject page's
    lead subject, or None for a page on one subject. The body is cut into parts (_parts: a live page's
    time-stamped entries, headed sections, a press review's papers); parts related to each other
    (_subjects) are one subject; a page with two subjects of SUBJECT_WORDS or more, unrelated, is on
    several. Its lead subject is the one its title names, or else the first. Title words are not needed
    to find such a page, only to choose its lead."""
    if sum(map(len, words)) < 2 * SUBJECT_WORDS or len(words) != len(paragraphs):
        return None
    parts = _parts(paragraphs, words)
    if len(parts) < 2:
        return None
    parts, later = parts[:MAX_PARTS], parts[MAX_PARTS:]
    terms = [_stems(ws) for ws in words]
    counts = [_unit(Counter(chain.from_iterable(terms[p] for p in part))) for part in parts]
    # An opening paragraph of its own is grouped apart: one that names each subject would bind them. It
    # goes with the subject it is like (the first if none); naming two or more, it belongs to none.
    alone = len(parts[0]) == 1
    subjects = [[i + alone for i in group] for group in _subjects(counts[alone:])]
    if alone:
        like = [s for s in subjects if max(_cosine(counts[0], counts[i]) for i in s) >= RELATED]
        if len(like) < 2:
            (like or subjects)[0].insert(0, 0)
    sizes = [sum(len(words[p]) for i in subject for p in parts[i]) for subject in subjects]
    subjects = [subject for subject, size in zip(subjects, sizes, strict=True) if size >= SUBJECT_WORDS]
    if len(subjects) < 2:
        return None
    title = _unit(Counter(_stems(title_words)))
    named = [max(_cosine(title, counts[i]) for i in subject) for subject in subjects]
    if sum(n >= RELATED for n in named) >= 2:
        return None  # a title that names two of them makes them one (a report and its background)
    lead = max(range(len(subjects)), key=lambda s: (named[s], -s))
    chosen = [p for i in (subjects[lead] if named[lead] >= RELATED else subjects[0]) for p in parts[i]]
    if later:
        lead_terms = _unit(Counter(chain.from_iterable(terms[p] for p in chosen)))
        for part in later:
            if _cosine(_unit(Counter(chain.from_iterable(terms[p] for p in part))), lead_terms) >= RELATED:
                chosen.extend(part)
    return sorted(chosen)


def _subjects(counts: list[dict[str, float]]) -> list[list[int]]:
    """Parts (their _unit vectors) grouped into subjects: the two groups whose parts are most alike on
    average are one, while that average is RELATED or more (average, not single, linkage: a part that
    touches two subjects in passing does not make them one). Groups in the order of their first part."""
    n = len(counts)
    alike = [[_cosine(counts[i], counts[j]) if i != j else 1.0 for j in range(n)] for i in range(n)]
    groups = [[i] for i in range(n)]
    while len(groups) > 1:
        best, pair = -1.0, (0, 0)
        for a in range(len(groups)):
            for b in range(a):
                pairs = [alike[i][j] for i in groups[a] for j in groups[b]]
                mean = sum(pairs) / len(pairs)
                if mean > best:
                    best, pair = mean, (b, a)
        if best < RELATED:
            break
        b, a = pair
        groups[b] = sorted(groups[b] + groups.pop(a))
    return sorted(groups)
