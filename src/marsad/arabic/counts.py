"""Arabic counts: a number with its noun in the form Arabic grammar gives it ("خبر واحد", "خبران",
"5 أخبار", "11 خبرا", "100 خبر"), for the reader's pages and the alerts' messages alike."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Noun:
    """A counted noun's forms: alone (after a preposition), with "one", the dual (nominative and after a
    preposition), the plural of 3 to 10, and the accusative singular of 11 to 99."""

    single: str
    one: str
    two: str
    two_genitive: str
    plural: str
    accusative: str


NOUNS = {
    "outlet": Noun("مصدر", "مصدر واحد", "مصدران", "مصدرين", "مصادر", "مصدرا"),
    "article": Noun("خبر", "خبر واحد", "خبران", "خبرين", "أخبار", "خبرا"),
    "story": Noun("قصة", "قصة واحدة", "قصتان", "قصتين", "قصص", "قصة"),
    "minute": Noun("دقيقة", "دقيقة واحدة", "دقيقتان", "دقيقتين", "دقائق", "دقيقة"),
    "hour": Noun("ساعة", "ساعة واحدة", "ساعتان", "ساعتين", "ساعات", "ساعة"),
    "day": Noun("يوم", "يوم واحد", "يومان", "يومين", "أيام", "يوما"),
    "report": Noun("إبلاغ", "إبلاغ واحد", "إبلاغان", "إبلاغين", "إبلاغات", "إبلاغا"),
    "reader": Noun("قارئ", "قارئ واحد", "قارئان", "قارئين", "قراء", "قارئا"),
}


def counted(n: int, noun: str, *, genitive: bool = False) -> str:
    """N with its noun as Arabic counts: none ("لا أخبار"), 1 and 2 by the noun alone ("خبر واحد", "خبران";
    after a preposition, `genitive`: "دقيقة", "دقيقتين"), then by the last two digits: 3-10 the plural
    ("5 مصادر", "103 أخبار"), 11-99 the accusative singular ("11 خبرا"), 00-02 the singular ("100 خبر")."""
    forms = NOUNS[noun]
    if n <= 0:
        return f"لا {forms.plural}"
    if n == 1:
        return forms.single if genitive else forms.one
    if n == 2:
        return forms.two_genitive if genitive else forms.two
    rest = n % 100
    if 3 <= rest <= 10:
        return f"{n} {forms.plural}"
    if rest >= 11:
        return f"{n} {forms.accusative}"
    return f"{n} {forms.single}"
