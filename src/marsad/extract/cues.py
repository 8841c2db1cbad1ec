"""Small, generic signals about single lines: chrome lines, bylines, "read at the source" links.

These phrase lists are one signal among others (position, length, links, repetition), never the only one.
"""

from __future__ import annotations

import logging
import re
from functools import lru_cache

from marsad.arabic import language

log = logging.getLogger(__name__)

# Lines that point elsewhere or sell something: never body text.
_CHROME_START = re.compile(
    r"^\s*(اقرأ|إقرأ|اقرا|إقرا)\s*(أيضا|أيضًا|أيضاً|ايضا|المزيد)|^\s*(شاهد|طالع|تابع)\s*(أيضا|أيضًا|أيضاً|ايضا)|"
    r"^\s*(للمزيد|لمزيد من|تابعوا|تابعونا|تابعوه|حمّل|حمل تطبيق|اشترك|اشتركوا|اضغط هنا|انقر هنا|إضغط هنا)|"
    r"^\s*(الكلمات المفتاحية|كلمات مفتاحية|كلمات دلالية|الوسوم|وسوم|Tags|Keywords)\s*[:：]|"
    r"^\s*(صورة|الصورة|تصوير|صور)\s*[:：]|"
    r"^\s*(Read (also|more)|See also|Related( articles| stories)?\s*:|Advertisement|Sponsored|Share (this|on)\b|"
    r"Follow us|Subscribe\b|Sign up (for|to)\b|Newsletter\b|Tags\s*:|"
    r"(À|A) lire (aussi|également)|Lire (aussi|également|la suite)|Voir aussi|Partager\b|Partagez\b|Suivez[- ]nous|"
    r"Abonnez[- ]vous|Inscrivez[- ]vous|Mots[- ]clés\s*:|Publicité\b)",
    re.I,
)
# Non-body families that a page prints around (or inside) the article, by what the line says it is, in
# Arabic, French and English: a comment policy, a source/date/metadata field, a dateline alone, a photo
# credit or caption, a copyright line.
_COMMENT_POLICY = re.compile(
    r"(ترحب|يرحب|نرحب)\s.{0,60}(بالنقاش|بتعليقات|بالتعليقات|بآرائكم|بمشاركاتكم)|"
    r"(الآراء|التعليقات)\s+(الواردة|المنشورة)\s+.{0,40}(أصحابها|أصحابه|المعلقين|القراء)|"
    r"(التعليقات|الآراء)\s+(المنشورة|الواردة).{0,40}لا\s+(تعبر|تعبّر|تمثل)|"
    r"(شروط|سياسة|قواعد|ضوابط)\s+(التعليق|التعليقات|المشاركة)\b|"
    r"n'engagent que leurs auteurs|charte de (modération|commentaires|participation)|"
    r"commentaires (sont|seront) (modérés|soumis)|"
    r"(views|opinions|comments) expressed .{0,60}(are|is) (those|that) of (the )?(commenters|readers|authors)|"
    r"comments are (moderated|reviewed)|community (guidelines|standards)|we welcome .{0,40}(discussion|comments)",
    re.I,
)
# A cheap test before the comment-policy patterns: one of the words they all hold (lower case).
_POLICY_WORDS = (
    "بالنقاش",
    "بتعليقات",
    "بالتعليقات",
    "بآرائكم",
    "بمشاركاتكم",
    "أصحاب",
    "المعلقين",
    "القراء",
    "تعبر",
    "تعبّر",
    "تمثل",
    "التعليق",
    "المشاركة",
    "engagent",
    "charte",
    "modérés",
    "soumis",
    "expressed",
    "moderated",
    "reviewed",
    "guidelines",
    "standards",
    "welcome",
)
_METADATA_FIELD = re.compile(
    r"^\s*(المصدر|مصدر الخبر|المصادر|التاريخ|تاريخ النشر|تاريخ الخبر|نشر في|نشر بتاريخ|آخر تحديث|تاريخ التحديث|"
    r"القسم|التصنيف|عدد المشاهدات|عدد القراءات|المشاهدات|Source|Sources|Date|Published|Updated|Posted|Section|"
    r"Publié le|Mis à jour( le)?|Rubrique)\s*[:：]",
    re.I,
)
_DATELINE_ALONE = re.compile(
    r"^\s*[(\[]\s*[^()\[\]]{2,40}?\s*[-–—ـ/،,]\s*[^()\[\]]{2,40}\s*[)\]]\s*[.:]?\s*$"
)
_PHOTO_CREDIT = re.compile(
    r"^\s*(©|\(c\)\s|copyright\b|photo\s*(credit)?\s*[:：]|photos?\s*[:：]|crédits?\s*photo|"
    r"(image|credit|crédit)\s*[:：]|(حقوق|مصدر)\s+الصورة|"
    r"(REUTERS|AFP|AP|EPA|Getty Images|Anadolu|XINHUA|Shutterstock|SIPA|DPA|IMAGO)\s*(/|-|$))",
    re.I,
)
_COPYRIGHT = re.compile(
    r"جميع الحقوق محفوظة|كافة الحقوق محفوظة|حقوق (النشر|الطبع) محفوظة|all rights reserved|tous droits réservés",
    re.I,
)
_VISIBLE = re.compile(r"[^\s\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\u061c\ufeff\u00ad]")
_CHROME_EXACT = {
    "إعلان",
    "اعلان",
    "إعلانات",
    "advertisement",
    "ad",
    "محتوى إعلاني",
    "شارك",
    "شاركها",
    "رد",
    "أرشيف",
    "صورة أرشيفية",
    "صورة تعبيرية",
    "مشاركة",
}
_SOURCE_LINK = re.compile(
    r"(قراءة|لقراءة|اقرأ|إقرأ).{0,25}(من|في|على)\s*(مصدره|المصدر)|(رابط|موقع)\s*المصدر|"
    r"المصدر الأصلي|read (more|the (full )?(story|article)) at|original (source|article)",
    re.I,
)
_BYLINE_PREFIX = re.compile(
    r"^\s*(?:(?:كتب|كتبت|كتبه|بقلم|بواسطة|By|Par)\s*[:：\-–]?|(?:إعداد|اعداد|تحرير|حرر|تقرير)\s*[:：])\s+",
    re.I,
)


_URL_ONLY = re.compile(
    r"^\s*(https?://|www\.|pic\.twitter\.com/)\S*\s*$|^\s*\S+\.(com|net|org|ma|dz|tn)/\S*\s*$", re.I
)


@lru_cache(maxsize=8192)
def is_chrome_line(text: str) -> bool:
    """An ad label, a "read also"/"follow us" line, a lone share word, a bare link, or a line of the other
    non-body families (see is_non_body)."""
    stripped = text.strip().strip(":：.!")
    if stripped.lower() in _CHROME_EXACT or _URL_ONLY.match(text):
        return True
    return (bool(_CHROME_START.match(text)) and len(text) < 250) or is_non_body(text)


def is_copyright(text: str) -> bool:
    return bool(_COPYRIGHT.search(text))


_DATE_FIELD = re.compile(
    r"^\s*(التاريخ|تاريخ النشر|تاريخ الخبر|نشر في|نشر بتاريخ|Date|Published( on)?|Publié le)\s*[:：]", re.I
)


def is_date_field(text: str) -> bool:
    """A labelled publication date ("التاريخ: 03 يونيو 2020", "Publié le : 3 juin 2020")."""
    return len(text) < 120 and bool(_DATE_FIELD.match(text))


def is_field_label(text: str) -> bool:
    """A source/date field's label alone ("المصدر:", "Date :"), its value in the next cell."""
    match = _METADATA_FIELD.match(text)
    return match is not None and not text[match.end() :].strip()


def is_non_body(text: str) -> bool:
    """A comment policy, a source/date field ("المصدر: وام", "التاريخ: 03 يونيو 2020"), a dateline alone
    ("(أبوظبي - البيان)"), a photo credit ("© REUTERS / ..."), a copyright line, or a paragraph of
    nothing visible (a byte-order mark, zero-width characters)."""
    if not _VISIBLE.search(text):
        return True
    length = len(text)
    if length < 120 and (
        _METADATA_FIELD.match(text) or _DATELINE_ALONE.match(text) or _PHOTO_CREDIT.match(text)
    ):
        return True
    if length < 200 and _COPYRIGHT.search(text):
        return True
    if length >= 600:
        return False
    lower = text.lower()
    return any(word in lower for word in _POLICY_WORDS) and bool(_COMMENT_POLICY.search(text))


def is_source_link(text: str) -> bool:
    return bool(_SOURCE_LINK.search(text)) and len(text) < 120


_DATELINE = re.compile(r"^[\w\u0600-\u06FF]+(?: [\w\u0600-\u06FF]+)? [-–] [\w\u0600-\u06FF .]{2,40}$")


def _without_date(text: str) -> str:
    """A byline without the date or time that follows the name ("دبي - العربية.نت منذ يومين")."""
    from marsad.extract.dates import first_day_or_time

    start = first_day_or_time(text)
    return text[:start] if start is not None else text


def byline_name(text: str) -> str | None:
    """The name in "كتب فلان" / "بقلم فلان" / "By X" or a dateline credit "أبوظبي - سكاي نيوز عربية";
    None when the line is not such a byline."""
    match = _BYLINE_PREFIX.match(text)
    if not match:
        credit = _without_date(text).strip(" -–:|")
        if _DATELINE.match(credit) and len(credit.split()) <= 6 and not credit.endswith(("-", "–")):
            return credit
        return None
    name = _without_date(text[match.end() :]).strip(" -–:|")
    limit = 8 if re.search("[:：]", match.group(0)) else 5  # "كتب" without a colon may open a headline
    if match.group(0).strip().startswith("تقرير"):
        limit = 4  # "تقرير: فلان" credits a reporter, "تقرير: إيران سعت إلى ..." is a headline
    if not name or len(name) > 80 or len(re.findall(r"\w+", name)) > limit or re.match(r"[\d٠-٩]|.*%", name):
        return None
    return name


def language_of(text: str) -> str | None:
    if not text.strip():
        return None
    try:
        return language(text[:5000])
    except Exception:  # the language guess must not lose the page: logged, and the language is unknown
        log.exception("language identification failed on %r", text[:80])
        return None


_SHARE_WORDS = {
    "شارك",
    "شاركها",
    "مشاركة",
    "فيسبوك",
    "فايسبوك",
    "فيس",
    "بوك",
    "تويتر",
    "واتساب",
    "واتس",
    "آب",
    "تيلقرام",
    "تلغرام",
    "تيليجرام",
    "لينكدإن",
    "لينكدين",
    "انستقرام",
    "انستغرام",
    "يوتيوب",
    "طباعة",
    "البريد",
    "الرابط",
    "نسخ",
    "إرسال",
    "أرسل",
    "لصديق",
    "تكبير",
    "تصغير",
    "الخط",
    "عبر",
    "facebook",
    "twitter",
    "whatsapp",
    "telegram",
    "linkedin",
    "email",
    "print",
    "share",
}


def is_share_bar(text: str) -> bool:
    """A row of share buttons ("فيسبوك تويتر واتساب ..."): most of its words are sharing words."""
    words = [w.strip(":،,|·-").lower() for w in text.split()]
    words = [w for w in words if w]
    if len(words) < 2:
        return False
    return sum(1 for w in words if w in _SHARE_WORDS) >= 0.6 * len(words)


_LABEL_END = re.compile(r"[:：]\s*$")
_DATE_LABEL = re.compile(
    r"(?:\s*[-–|،,]?\s*(?:نشر\s+بتاريخ|تاريخ\s+النشر|نشر\s+في|نشر\s+يوم|بتاريخ|Publié\s+le|Published(?:\s+on)?)"
    r"\s*[:：]?)?\s*$",
    re.I,
)


def name_before_date(text: str) -> str | None:
    """The name in a byline "كريم حداد 19 ديسمبر 2017 - 21:00": one to four words of letters before the
    date; None for labels ("تاريخ النشر:") and lines without a date."""
    from marsad.extract.dates import first_day_or_time

    start = first_day_or_time(text)
    if not start:
        return None
    label = _DATE_LABEL.search(text[:start])  # "فلان نشر بتاريخ: 5/6/2018": the label is no name
    start = label.start() if label else start
    name = text[:start].strip(" -–|،,")
    words = name.split()
    # words of letters; the last may be a short number ("فرانس 24")
    shaped = bool(words) and all(re.fullmatch(r"[^\W\d_]{2,}", w) for w in words[:-1])
    shaped = shaped and bool(re.fullmatch(r"[^\W\d_]{2,}|\d{1,3}", words[-1])) and len(words) >= 1
    if not 1 <= len(words) <= 4 or _LABEL_END.search(text[:start]) or not shaped or words[0].isdigit():
        return None
    if is_chrome_line(name) or is_share_bar(name) or re.search(r"نشر|تاريخ|تحديث|منذ", name):
        return None
    return name
