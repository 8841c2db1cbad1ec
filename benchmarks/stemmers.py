"""Measure Arabic stemmers on inflected forms found in the ANT corpus, and choose by the figures.

Usage: .venv/bin/python benchmarks/stemmers.py [path/to/ant_multisource_v2.1.jsonl.gz]

The measuring list:
- groups: for each of ~90 hand-picked nouns and adjectives (feminine nouns, masculine nouns, nisba
  adjectives), every form the corpus holds among those a broad affix grammar generates (proclitics و ف ب
  ل ك ال and their combinations; endings ات تين تان ان ين ون ا; possessive pronouns ه ها هم هما هن ك كم
  نا ي, also after ات and the feminine ت). The grammar is wider than either stemmer's rules, so it does
  not favour one. A form counts when it occurs at least MIN_COUNT times. Broken plurals (وزير/وزراء) are a
  separate set: light stemmers are not expected to join them, and the figure shows by how much.
- pairs: different words that look alike and must keep different stems (جامعة/جامع, مكتبة/مكتب,
  سنة/سن, والي/إلى, لبنان/لبن ...), kept when both occur at least MIN_COUNT times.

Figures: share of groups whose forms all get one stem; share of forms that get their group's main stem;
the same weighted by corpus frequency; share of pairs kept apart; groups whose main stems collide.

Corpus: ANT Corpus v2.1 multi-source (Chouigui, Ben Khiroun and Elayeb, "An Arabic Multi-source News
Corpus: Experimenting on Single-document Extractive Summarization", Arabian Journal for Science and
Engineering 46(8), 2021).
"""

from __future__ import annotations

import gzip
import json
import sys
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import Stemmer  # PyStemmer, a [bench] dependency: only this comparison uses it

from marsad.arabic.normalise import _DROP_RE, normalise
from marsad.arabic.stem import light10, marsad_light, stem
from marsad.arabic.tokens import tokens

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_ANT = ROOT.parent / "shared" / "data" / "ant_multisource_v2.1.jsonl.gz"
MIN_COUNT = 3

_SNOWBALL = Stemmer.Stemmer("arabic")
_CONJUNCTION_BEFORE = ("وال", "فال", "وبال", "فبال", "ولل", "فلل", "وب", "فب", "ول", "فل", "وك", "فك")


def snowball(word: str) -> str:
    """Snowball Arabic after dropping a leading و/ف that stands before ال, بال, لل, ب, ل or ك."""
    if len(word) > 4 and word.startswith(_CONJUNCTION_BEFORE):
        word = word[1:]
    return _SNOWBALL.stemWord(word)


def _words(text: str) -> list[str]:
    return text.split()


# Base words in normalised spelling (ة is ه).
FEMININE = _words("""حكومه دوله مدينه شركه منطقه سياسه وزاره قضيه بطوله عمليه منظمه محكمه لجنه مجموعه ازمه قمه حمله
صفقه مرحله مشكله فكره رساله صوره قصه تجربه شبكه خطه هييه موسسه جامعه مدرسه مكتبه قاعده حركه طايره سياره
ساعه جايزه مباراه مبادره اتفاقيه جمهوريه حكومه ميزانيه شخصيه قوه دراسه زياره سلطه عقوبه معركه""")
MASCULINE = _words("""رئيس وزير لاعب فريق مجلس اتفاق قرار مشروع سوق نظام جيش شعب بلد اقتصاد برنامج فيلم كتاب موقع
مسوول مواطن هدف مدرب منتخب مهرجان فنان تقرير مستثمر موظف مشارك ناخب مقاتل مسلح متظاهر معارض نايب مرشح
حزب مسلسل مستشار مدير مطار مصنع مسجد""")
NISBA = _words("""عربي مغربي امريكي سعودي اقتصادي سياسي عسكري دولي رسمي اجتماعي تركي روسي ايراني مصري اوروبي
اسرائيلي فلسطيني سوري عراقي لبناني اماراتي قطري يمني ليبي تونسي جزايري اردني فرنسي بريطاني""")
# Held out: added after the "marsad" rules were chosen on the lists above, to check they were not fitted
# to them. Reported on their own.
HELDOUT_FEMININE = _words("""جريمه محاوله مسابقه نتيجه كلمه رحله مساعده تهمه خدمه ثوره مناسبه ضريبه شاحنه
مقابله جلسه وثيقه رياضه صحيفه قناه مجله""")
HELDOUT_MASCULINE = _words("""محلل مهاجم حارس مشجع طالب باحث خبير سفير شاعر ممثل مخرج مهندس طبيب مطرب
مدافع معلق منافس مستهلك مصرف متحف""")
HELDOUT_NISBA = _words("""صيني هندي ياباني الماني اسباني ايطالي كويتي بحريني عماني سوداني نفطي مالي امني
قضائي انساني""")
# singular -> broken plural(s)
BROKEN = {
    "وزير": "وزراء", "دوله": "دول", "مدينه": "مدن", "رئيس": "روساء", "سوق": "اسواق", "بلد": "بلدان بلاد",
    "شعب": "شعوب", "جيش": "جيوش", "كتاب": "كتب", "موقع": "مواقع", "مشروع": "مشاريع", "فيلم": "افلام",
    "هدف": "اهداف", "قضيه": "قضايا", "منطقه": "مناطق", "شركه": "شركات", "طفل": "اطفال", "شاب": "شباب",
    "حزب": "احزاب", "سلاح": "اسلحه", "مسجد": "مساجد", "مصنع": "مصانع", "بحر": "بحار", "جبل": "جبال",
}  # fmt: skip
PAIRS = [
    ("جامعه", "جامع"), ("مكتبه", "مكتب"), ("مدرسه", "مدرس"), ("عربيه", "عربه"), ("محكمه", "محكم"),
    ("منظمه", "منظم"), ("موسسه", "موسس"), ("سنه", "سن"), ("سلطان", "سلطه"), ("لبنان", "لبن"),
    ("جمهوريه", "جمهور"), ("حريه", "حر"), ("هويه", "هو"), ("نظريه", "نظر"), ("دوليه", "دول"),
    ("خطه", "خط"), ("قصه", "قص"), ("مهمه", "مهم"), ("عمله", "عمل"), ("طلبه", "طلب"), ("مهرجان", "مهرج"),
    ("مكان", "مكه"), ("طهران", "طهر"), ("سودان", "سود"), ("فنان", "فن"), ("زيتون", "زيت"), ("امين", "امن"),
    ("والي", "الي"), ("وطن", "طن"), ("بحر", "حر"), ("بنت", "نت"), ("كمال", "مال"), ("لجنه", "جنه"),
    ("بشر", "شر"), ("كاتب", "كتاب"), ("ملك", "مالك"), ("قاعده", "قاعد"), ("نسبه", "نسب"), ("شعبه", "شعب"),
    ("قوميه", "قوم"), ("كليه", "كل"), ("بركان", "برك"), ("انسان", "انس"), ("عمان", "عم"), ("بدر", "در"),
    ("ميدان", "ميد"), ("حياه", "حي"), ("قانون", "قان"), ("ساحه", "ساح"), ("مطار", "مطر"),
    # pitfalls of the additions in "marsad" (a first letter taken for a preposition)
    ("بطاقه", "طاقه"), ("بحيره", "حيره"), ("كارثه", "ارث"), ("بارزه", "ارز"), ("بعثه", "عثه"),
]  # fmt: skip

PROCLITICS = ["", "ال", "وال", "فال", "بال", "كال", "لل", "ولل", "فلل", "وبال", "فبال", "و", "ف", "ب", "ل", "ك",
              "وب", "ول", "فب", "فل", "وك", "فك"]  # fmt: skip
PRONOUNS = ["ه", "ها", "هم", "هما", "هن", "ك", "كم", "نا", "ي"]


def feminine_forms(base: str) -> set[str]:
    s = base[:-1]
    stems = {s + "ه", s + "ات", s + "تين", s + "تان"}
    stems |= {s + "ت" + p for p in PRONOUNS} | {s + "ات" + p for p in PRONOUNS}
    return stems


def masculine_forms(base: str) -> set[str]:
    endings = ["", "ا", "ان", "ين", "ون", "ات", *[p for p in PRONOUNS if p != "ي"]]
    return {base + e for e in endings}


def nisba_forms(base: str) -> set[str]:
    return {base + e for e in ["", "ه", "ا", "ين", "ون", "ات", "تين", "ان", "تان"]}


def with_proclitics(stems: set[str]) -> set[str]:
    return {p + s for s in stems for p in PROCLITICS}


@dataclass
class Group:
    name: str
    forms: dict[str, int]  # form -> corpus count


def read_ant(path: Path) -> list[dict]:
    with gzip.open(path, "rt", encoding="utf-8") as lines:
        return [json.loads(line) for line in lines]


def count_tokens(records: list[dict]) -> Counter[str]:
    """Normalised token counts over titles and bodies of the ANT records."""
    raw: Counter[str] = Counter()
    for record in records:
        raw.update(tokens(_DROP_RE.sub("", record["title"] + "\n" + record["text"])))
    counts: Counter[str] = Counter()
    for token, n in raw.items():
        counts[normalise(token)] += n
    return counts


def inflection_groups(counts: Counter[str], feminine, masculine, nisba) -> list[Group]:
    groups: list[Group] = []
    for bases, make in ((feminine, feminine_forms), (masculine, masculine_forms), (nisba, nisba_forms)):
        for base in dict.fromkeys(bases):
            forms = {f: counts[f] for f in with_proclitics(make(base)) if counts[f] >= MIN_COUNT}
            if len(forms) >= 3:
                groups.append(Group(base, forms))
    return groups


def heldout_groups(counts: Counter[str]) -> list[Group]:
    return inflection_groups(counts, HELDOUT_FEMININE, HELDOUT_MASCULINE, HELDOUT_NISBA)


def build_groups(counts: Counter[str]) -> tuple[list[Group], list[Group], list[tuple[str, str]]]:
    groups = inflection_groups(counts, FEMININE, MASCULINE, NISBA)
    broken: list[Group] = []
    for singular, plurals in BROKEN.items():
        words = {singular, *plurals.split()}
        forms = {f: counts[f] for f in with_proclitics(words) if counts[f] >= MIN_COUNT}
        present = {w for w in words if any(counts[p + w] >= MIN_COUNT for p in PROCLITICS)}
        if present == words:
            broken.append(Group(singular + "/" + plurals.replace(" ", "/"), forms))
    pairs = [(a, b) for a, b in PAIRS if counts[a] >= MIN_COUNT and counts[b] >= MIN_COUNT]
    return groups, broken, pairs


@dataclass
class Figures:
    groups_joined: float  # share of groups with one stem for all their forms
    forms_joined: float  # share of forms (unweighted) with their group's main stem
    tokens_joined: float  # the same, weighted by corpus frequency
    pairs_apart: float
    broken_joined: float  # share of broken-plural groups fully joined
    collisions: int  # pairs of groups whose main stems are the same


def measure(stemmer: Callable[[str], str], groups: list[Group], broken: list[Group], pairs) -> Figures:
    joined = forms_ok = forms_all = tokens_ok = tokens_all = 0
    main_stems: list[str] = []
    for group in groups:
        by_stem: Counter[str] = Counter()
        for form, n in group.forms.items():
            by_stem[stemmer(form)] += n
        main = by_stem.most_common(1)[0][0]
        main_stems.append(main)
        joined += len(by_stem) == 1
        forms_ok += sum(stemmer(f) == main for f in group.forms)
        forms_all += len(group.forms)
        tokens_ok += by_stem[main]
        tokens_all += sum(group.forms.values())
    apart = sum(stemmer(a) != stemmer(b) for a, b in pairs)
    broken_joined = sum(len({stemmer(f) for f in g.forms}) == 1 for g in broken)
    stem_counts = Counter(main_stems)
    collisions = sum(n * (n - 1) // 2 for n in stem_counts.values())
    return Figures(
        groups_joined=joined / len(groups),
        forms_joined=forms_ok / forms_all,
        tokens_joined=tokens_ok / tokens_all,
        pairs_apart=apart / len(pairs),
        broken_joined=broken_joined / len(broken) if broken else 0.0,
        collisions=collisions,
    )


# "stem" is what Marsad indexes with: marsad_light behind the list of proper names kept whole
# (marsad.arabic.names).
STEMMERS: dict[str, Callable[[str], str]] = {
    "light10": light10,
    "snowball": snowball,
    "marsad": marsad_light,
    "stem": stem,
}


def run(path: Path) -> dict[str, Figures]:
    started = time.perf_counter()
    counts = count_tokens(read_ant(path))
    groups, broken, pairs = build_groups(counts)
    forms = sum(len(g.forms) for g in groups)
    print(
        f"ANT corpus: {sum(counts.values()):,} tokens, {len(counts):,} distinct ({time.perf_counter() - started:.1f} s)"
    )
    print(
        f"measuring list: {len(groups)} groups ({forms} forms), {len(broken)} broken-plural groups, {len(pairs)} pairs"
    )
    results = {name: measure(fn, groups, broken, pairs) for name, fn in STEMMERS.items()}
    print(f"{'stemmer':<10} {'groups joined':>14} {'forms joined':>13} {'tokens joined':>14} {'pairs apart':>12} "
          f"{'broken joined':>14} {'collisions':>11}")  # fmt: skip
    for name, f in results.items():
        print(f"{name:<10} {f.groups_joined:>14.1%} {f.forms_joined:>13.1%} {f.tokens_joined:>14.1%} "
              f"{f.pairs_apart:>12.1%} {f.broken_joined:>14.1%} {f.collisions:>11}")  # fmt: skip
    heldout = heldout_groups(counts)
    print(f"held-out groups (chosen after the marsad rules): {len(heldout)} groups "
          f"({sum(len(g.forms) for g in heldout)} forms)")  # fmt: skip
    for name, fn in STEMMERS.items():
        f = measure(fn, heldout, [], pairs)
        print(f"{name:<10} {f.groups_joined:>14.1%} {f.forms_joined:>13.1%} {f.tokens_joined:>14.1%}")
    article_pairs(counts)
    return results


def article_pairs(counts: Counter[str]) -> None:
    """Words found in ANT both bare and with the article (وزير / الوزير, MIN_COUNT times each): how many
    pairs get two different stems, so that a search for one misses the other."""
    pairs = [
        (w, "ال" + w)
        for w, n in counts.items()
        if n >= MIN_COUNT and len(w) >= 3 and not w.startswith("ال") and counts["ال" + w] >= MIN_COUNT
    ]
    print(f"bare / article pairs in ANT ({len(pairs):,}, e.g. وزير / الوزير): pairs given two stems")
    for name, fn in STEMMERS.items():
        split = [(a, b) for a, b in pairs if fn(a) != fn(b)]
        tokens_split = sum(counts[a] + counts[b] for a, b in split)
        examples = ", ".join(f"{a}/{b}" for a, b in sorted(split, key=lambda p: -counts[p[1]])[:3])
        print(f"{name:<10} {len(split):>7,} pairs ({tokens_split:,} tokens)  {examples}")


if __name__ == "__main__":
    run(Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_ANT)
