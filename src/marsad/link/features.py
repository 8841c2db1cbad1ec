"""What linking looks at in an article: word shingles (reposts), weighted terms (stories, threads), numbers
and places, and the dates its body mentions (timeline).

The language work (normalisation, tokens, stems, dates) is marsad.arabic's; this module only decides which
of its outputs linking uses. Until marsad.arabic provides a function, a small local equivalent stands in so
linking keeps working (see `_arabic`).
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

SHINGLE_WORDS = 3
TOP_TERMS = 40
TITLE_WEIGHT = 3.0
LEAD_WEIGHT = 1.5


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

_HARAKAT = re.compile(
    "[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640\u200c-\u200f\u202a-\u202e\u2066-\u2069]"
)
_WORD = re.compile(r"\w+")
_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")
_LETTERS = str.maketrans(
    {"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ة": "ه", "ؤ": "و", "ئ": "ي", "ء": ""}
)
_STOP = _words(
    """في من الى علي عن ان او ثم ما لا لم لن قد كان كانت يكون هذا هذه ذلك تلك التي الذي الذين هو هي هم كما
    بعد قبل بين حتي اذا منذ عند خلال حيث لكن غير كل بعض اي مع ايضا وقال قال وقالت قالت واضاف اضاف انه انها
    الي عليه عليها فيه فيها منه منها به بها له لها وفي ومن وان واشار اشار واكد اكد وهو وهي ولا اليوم امس
    يوم عام العام سنه تم يتم وقد وكان فقط اكثر اقل نحو الف مليون"""
)


def _fallback_normalise(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)
    return _HARAKAT.sub("", text).translate(_DIGITS).translate(_LETTERS).lower()


def _fallback_tokens(text: str) -> list[str]:
    return _WORD.findall(_fallback_normalise(text))


def _fallback_analyse(text: str) -> list[str]:
    out = []
    for word in _fallback_tokens(text):
        if word in _STOP or len(word) < 3:
            continue
        if word.startswith(("وال", "بال", "فال", "كال")):
            word = word[1:]
        elif word.startswith("لل"):
            word = "ال" + word[2:]
        out.append(word)
    return out


def _arabic(name: str, fallback):
    try:
        import marsad.arabic as arabic

        return getattr(arabic, name)
    except (ImportError, AttributeError):
        return fallback


normalise = _arabic("normalise", _fallback_normalise)
tokens = _arabic("tokens", _fallback_tokens)
analyse = _arabic("analyse", _fallback_analyse)


def find_dates(text: str, ref: datetime | None) -> list:
    """marsad.arabic.find_dates, or no dates when the language layer is not there yet."""
    func = _arabic("find_dates", None)
    return func(text, ref) if func is not None else []


@dataclass
class Features:
    shingles: list[str]
    vector: dict[str, float]  # L2-normalised tf-idf of analysed terms, top TOP_TERMS
    numbers: frozenset[str]
    places: frozenset[str]
    terms: Counter = field(default_factory=Counter)  # analysed term counts (for document frequencies)


def shingles(paragraphs: list[str]) -> list[str]:
    """Word 3-grams inside each paragraph: reordering paragraphs leaves them intact."""
    out: set[str] = set()
    for para in paragraphs:
        words = tokens(para)
        if len(words) < SHINGLE_WORDS:
            if words:
                out.add(" ".join(words))
            continue
        for i in range(len(words) - SHINGLE_WORDS + 1):
            out.add(" ".join(words[i : i + SHINGLE_WORDS]))
    return sorted(out)


def weighted_terms(title: str, paragraphs: list[str]) -> Counter:
    """Term counts with the title and the lead weighing more than the rest of the body."""
    counts: Counter = Counter()
    for term in analyse(title):
        counts[term] += TITLE_WEIGHT
    for i, para in enumerate(paragraphs):
        weight = LEAD_WEIGHT if i == 0 else 1.0
        for term in analyse(para):
            counts[term] += weight
    return counts


def tfidf(counts: Counter, df: dict[str, int], n_docs: int) -> dict[str, float]:
    """Top TOP_TERMS terms by (1 + log tf) * idf, L2-normalised; df counts the article itself."""
    scored = []
    for term, tf in counts.items():
        idf = math.log((n_docs + 1) / (df.get(term, 0) + 1)) + 1.0
        scored.append((round((1.0 + math.log(tf)) * idf, 6), term))
    scored.sort(reverse=True)
    top = scored[:TOP_TERMS]
    norm = math.sqrt(sum(w * w for w, _ in top)) or 1.0
    return {term: w / norm for w, term in top}


_NUMBER = re.compile(r"\d+(?:[.,]\d+)?")


def numbers(text: str) -> frozenset[str]:
    """Numbers worth sharing: two digits or more, or with a decimal part."""
    return frozenset(n for n in _NUMBER.findall(text) if len(n) >= 2)


def places(words: list[str]) -> frozenset[str]:
    found = set()
    for word in words:
        bare = word[2:] if word.startswith(("وال", "بال", "فال")) and word[1:] in PLACES else word
        if word in PLACES:
            found.add(word)
        elif bare[1:] in PLACES:
            found.add(bare[1:])
    return frozenset(found)


def article_features(title: str, paragraphs: list[str]) -> Features:
    """Everything linking needs from one article; `vector` is filled in by the linker once the document
    frequencies count this article (see tfidf)."""
    counts = weighted_terms(title, paragraphs)
    text = title + "\n" + "\n".join(paragraphs)
    norm_text = normalise(text)
    return Features(
        shingles=shingles(paragraphs),
        vector={},
        numbers=numbers(norm_text),
        places=places(_WORD.findall(norm_text)),
        terms=counts,
    )
