"""Proper names the stemmer keeps whole (a stem exclusion list, as Lucene's keyword marker is for Latin
analysers).

A light stemmer cannot tell a clitic or an ending from a name's own letters: it strips ب from بريطانيا,
ف and ل and ين from فلسطين (leaving سط, the stem of وسط), ان from ايران but not from الإيراني. Names are
what news is searched and linked by, so the ones whose first letter is one of the clitics و ب ل ك ف, or
whose end looks like an ending, are listed here: each is found behind any clitics and the article, and
its nisba adjective (الفلسطينية, اللبنانيين, البريطاني) gives the same term as the name. Names that are
also common words (مالي financial, الرمادي grey, وجدة "found him", كوبي Kobe) are left out.
"""

from __future__ import annotations

from marsad.arabic.normalise import normalise

_NAMES = """
    فلسطين لبنان ليبيا بغداد بيروت بنغازي طرابلس السودان عمان إيران طهران اليابان اليونان البحرين الكويت
    الإمارات باكستان أفغانستان كابول بنغلاديش كوريا بكين الصين فيتنام كمبوديا الفلبين ماليزيا إندونيسيا
    كازاخستان أوزبكستان طاجيكستان تركمانستان قرغيزستان أذربيجان باكو بيلاروسيا بلغاريا بولندا بلجيكا
    بروكسل فرنسا باريس بريطانيا لندن ألمانيا برلين فرانكفورت فيينا فنلندا فنزويلا كولومبيا بوليفيا البرازيل
    كندا كاليفورنيا فلوريدا واشنطن بوسطن كينيا بوروندي بوركينا كاتالونيا برشلونة لشبونة بلغراد
    كييف كشمير كراتشي لاهور بيشاور كركوك كربلاء الفلوجة وهران بوتين بايدن
    ماكرون أردوغان روحاني بوريطة بوتفليقة بنكيران لافروف بومبيو بولتون كوشنر بلير فيسبوك بوينغ بلومبرغ
    ليفربول بايرن فالنسيا فياريال برايتون طالبان
"""

_OWN_TERM = {"كينيا"}
# Endings of a nisba adjective or its plural, longest first.
_NISBA = ("يتين", "يين", "يون", "يان", "يات", "يه", "يا", "ي")


def _key(name: str) -> str:
    """A name as normalised, without the article (ألمانيا's ال is its own: written with a hamza)."""
    own = name.startswith("أل")
    name = normalise(name)
    return name[2:] if name.startswith("ال") and not own and len(name) > 4 else name


def _tables() -> tuple[dict[str, str], dict[str, str]]:
    """(name -> term, nisba base -> term). A name's nisba adjective is its base + ي: لبنان -> لبناني,
    فرنسا -> فرنسي, بريطانيا -> بريطاني. The term is that base when the name ends in ا (فرنس, بريطان), so
    that it is spelled inside every form (search finds the words to highlight by it). Kenya keeps its name:
    its base كين is Kane's."""
    names: dict[str, str] = {}
    bases: dict[str, str] = {}
    for name in _NAMES.split():
        key = _key(name)
        base = key[:-2] if key.endswith("يا") else key[:-1] if key.endswith("ا") else key
        if key in _OWN_TERM:
            names[key] = key
            continue
        names[key] = bases[base] = base
    return names, bases


NAMES, _BASES = _tables()
# What may come before a name: clitics and the article, in the orders Arabic puts them.
_BEFORE: tuple[str, ...] = ("", "و", "ف", "ب", "ل", "ك", "ال", "وب", "ول", "وك", "فب", "فل", "فك", "لل")
_BEFORE += ("وال", "فال", "بال", "كال", "ولل", "فلل", "وبال", "فبال", "وكال")


def name_term(word: str) -> str | None:
    """The term of a listed name a normalised word spells behind its clitics (or as a nisba), else None."""
    for before in _BEFORE:
        if not word.startswith(before):
            continue
        rest = word[len(before) :]
        found = NAMES.get(rest)
        if found is not None:
            return found
        for ending in _NISBA:
            if rest.endswith(ending):
                found = _BASES.get(rest[: -len(ending)])
                if found is not None:
                    return found
    return None
