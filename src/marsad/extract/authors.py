"""Who wrote an article, from what a byline or the metadata names: a person or a desk, and where.

Never a time zone ("GMT"), the outlet's own name ("المدينة نيوز" on المدينة نيوز's page), a dateline of the
outlet itself ("(أبوظبي - البيان)") or a place alone. A byline's trailing place ("حسام أبو العلا - القاهرة")
is kept apart, as the byline's place. A place that opens a credit ("القاهرة - أحمد الريدي", "لندن -
رويترز") is the credit as published and stays whole.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from marsad.arabic.normalise import normalise

# Capitals and cities that datelines name, and the Arab countries (Arabic, and the Latin spellings that
# bylines in French and English use). Compared in normalised form, with or without the article "ال".
_PLACES = """
القاهرة الإسكندرية الاسكندرية الجيزة أسوان الأقصر بورسعيد السويس المنصورة طنطا دبي أبوظبي أبو ظبي الشارقة عجمان
الفجيرة رأس الخيمة الرياض جدة مكة المكرمة المدينة المنورة الدمام تبوك أبها الطائف الكويت الدوحة
المنامة مسقط صلالة عمان عمّان الزرقاء إربد العقبة بيروت طرابلس صيدا زحلة دمشق حلب حمص اللاذقية إدلب درعا
دير الزور الرقة بغداد البصرة الموصل أربيل كركوك النجف كربلاء الفلوجة السليمانية القدس غزة رام الله نابلس الخليل
جنين بيت لحم الناصرة حيفا يافا تل أبيب صنعاء عدن تعز الحديدة مأرب المكلا الخرطوم أم درمان بورتسودان طرابلس بنغازي
مصراتة سبها تونس صفاقس سوسة القيروان الجزائر وهران قسنطينة عنابة الرباط الدار البيضاء الدارالبيضاء فاس مراكش
طنجة أكادير مكناس وجدة نواكشوط مقديشو جيبوتي موروني أنقرة إسطنبول اسطنبول أزمير طهران مشهد أصفهان تبريز كابول
إسلام آباد اسلام آباد كراتشي لاهور نيودلهي مومباي بكين شنغهاي هونغ كونغ طوكيو سيول موسكو سان بطرسبورغ كييف
مينسك وارسو برلين ميونيخ فرانكفورت باريس مارسيليا ليون لندن مانشستر دبلن مدريد برشلونة لشبونة روما ميلانو
الفاتيكان أثينا فيينا جنيف زيورخ برن بروكسل لاهاي أمستردام ستوكهولم أوسلو كوبنهاغن هلسنكي واشنطن نيويورك
لوس أنجلوس شيكاغو ميامي أوتاوا تورونتو مونتريال مكسيكو برازيليا ريو دي جانيرو بوينس آيرس سيدني ملبورن نيروبي
أديس أبابا لاغوس أبوجا كيب تاون جوهانسبرغ داكار باماكو نيامي نجامينا
مصر الإمارات السعودية قطر البحرين سلطنة عمان الأردن لبنان سوريا العراق فلسطين اليمن ليبيا السودان المغرب موريتانيا
الصومال
Cairo Alexandria Dubai Abu Dhabi Riyadh Jeddah Kuwait Doha Manama Muscat Amman Beirut Damascus Aleppo Baghdad Basra
Mosul Erbil Jerusalem Gaza Ramallah Sanaa Aden Khartoum Tripoli Benghazi Tunis Algiers Alger Oran Rabat Casablanca
Fes Fès Marrakech Tangier Tanger Nouakchott Ankara Istanbul Tehran Kabul Moscow Moscou Kiev Kyiv Berlin Paris London
Londres Madrid Barcelona Barcelone Rome Geneva Genève Brussels Bruxelles Washington New York Beijing Pékin Tokyo
"""
_MULTIWORD = re.compile(
    r"أبو ظبي|رأس الخيمة|مكة المكرمة|المدينة المنورة|دير الزور|رام الله|بيت لحم|تل أبيب|أم درمان|الدار البيضاء|"
    r"إسلام آباد|اسلام آباد|هونغ كونغ|سان بطرسبورغ|لوس أنجلوس|ريو دي جانيرو|بوينس آيرس|أديس أبابا|كيب تاون|"
    r"سلطنة عمان|Abu Dhabi|New York"
)


@lru_cache(maxsize=4096)
def _key(text: str) -> str:
    return re.sub(r"[\W_]+", "", normalise(text)).lower()


def _place_keys() -> frozenset[str]:
    text = _PLACES
    names = _MULTIWORD.findall(text)
    names += _MULTIWORD.sub(" ", text).split()
    return frozenset(_key(n) for n in names)


_PLACE_KEYS = _place_keys()
_TIME_ZONE = re.compile(
    r"\b(GMT|UTC|CET|CEST|EET|EEST|AST|EST|EDT|PST|PDT)\b\s*([+-]\s*\d{1,2}(:?\d{2})?)?|"
    r"(بتوقيت|توقيت)\s+(غرينتش|جرينتش|غرينيتش|مكة|القاهرة|بيروت|أبوظبي|الإمارات|السعودية|\S+)"
)
# Where a byline's name ends and its date label begins ("كتب: فلان نشر بتاريخ: ...").
_LABEL = re.compile(
    r"\s*[-–|،,]?\s*(?:نشر\s+(?:في|بتاريخ|يوم)|بتاريخ|تاريخ النشر|آخر تحديث|تم التحديث|تحديث|منذ|"
    r"(?:بدأت|بدء|انطلقت|انطلاق)\s+(?:التغطية|البث|التحديثات)|"
    r"Publié|Mis à jour|Published|Updated|Posted|Started|Live since|En direct depuis)(?:\s|:|$).*$",
    re.I,
)
# " - ", " – ", " ـ ", "، ", " | ", and "القاهرة- فلان" (a dash against one word).
_SEPARATOR = re.compile(r"\s+[-–—ـ|/]\s*|\s*[-–—ـ]\s+|\s*[،,]\s*")
_ENDS = " -–—ـ|:،,.؛;"
_TRAILING_BRACKETS = re.compile(r"^(.*?)\s*[(\[]\s*([^()\[\]]+?)\s*[)\]]$")


def is_place(text: str) -> bool:
    key = _key(text)
    return bool(key) and key in _PLACE_KEYS


def _is_outlet(text: str, outlets: list[set[str]]) -> bool:
    """The outlet's own name, or a part of it ("LBCI" of "LBCI Lebanon")."""
    words = {_key(w) for w in text.split()} - {""}
    return bool(words) and any(words <= outlet for outlet in outlets)


def split_byline(raw: str | None, outlet_names: Iterable[str | None] = ()) -> tuple[str | None, str | None]:
    """(author, place) from what a page names as its author; (None, None) when it names no one."""
    if not raw:
        return None, None
    text = " ".join(raw.split())
    text = _LABEL.sub("", _TIME_ZONE.sub(" ", text))
    text = " ".join(text.split()).strip(_ENDS)
    if not re.search(r"[^\W\d_]", text):
        return None, None
    outlets = [{_key(w) for w in name.split()} - {""} for name in outlet_names if name]
    outlets = [o for o in outlets if o]
    if text.startswith(("(", "[")) and text.endswith((")", "]")):
        return None, None  # "(أبوظبي - البيان)": a dateline
    if is_place(text) or _is_outlet(text, outlets):
        return None, None
    bracketed = _TRAILING_BRACKETS.match(text)  # "فلان (القاهرة)"
    if bracketed and is_place(bracketed.group(2)):
        name = bracketed.group(1).strip(_ENDS)
        return (None if not name or _is_outlet(name, outlets) else name), bracketed.group(2).strip()
    parts = [p.strip(_ENDS) for p in _SEPARATOR.split(text)]
    parts = [p for p in parts if p]
    if len(parts) >= 2:
        if all(is_place(p) or _is_outlet(p, outlets) for p in parts):
            # "أبوظبي - البيان" on البيان's page: a dateline of the outlet itself; "البيان - دبي": its place
            return None, (parts[-1] if is_place(parts[-1]) else None)
        if is_place(parts[-1]) and not is_place(parts[0]):
            cut = text.rfind(parts[-1])
            name = text[:cut].strip(_ENDS)
            people = [p for p in _SEPARATOR.split(name) if p.strip(_ENDS) and not _is_outlet(p, outlets)]
            return (name if people else None), parts[-1]
    return text, None
