"""Relevance on the ANT corpus: for each query, the article that answers it must be among the top 10.

Each target was chosen by reading the corpus: the article is about exactly what the query asks (the reason is
beside it), and the query is written as a reader would type it, not copied from the headline: other
inflections, hamza-less spellings, Latin words and digits. The articles are named by their ANT `docno`.
Hits are not collapsed (collapse=False) so that a target is never folded under another article of its story.

ANT Corpus v2.1: Chouigui, Ben Khiroun and Elayeb, Arabian Journal for Science and Engineering 46(8), 2021.
"""

from __future__ import annotations

import gzip
import json

import pytest

from marsad.search import search

pytestmark = pytest.mark.realdata

# (query, docno of the article that must be in the top 10, why that article answers the query)
RELEVANCE = [
    (
        "قرد يقود حافلة",
        "BB-internationalNews-1159-20181006",
        "the BBC story of a monkey driving a bus in India: the query is its headline",
    ),
    (
        "متجر في الكويت يبيع أسماك بعدسات لاصقة",
        "BB-middleEast-950-20180903",
        'a Kuwaiti shop selling fish fitted with contact lenses; query words inflect differently (أسماك/أسماكا, بعدسات/بـ"عدسات")',
    ),
    (
        "حكم بيل كوسبي",
        "BB-culture-305-20180926",
        "Bill Cosby's prison sentence: the only article whose title pairs the sentence with his name",
    ),
    ("فضيحة فيسبوك أسهم", "SK-economy-901-20180703", "Facebook's shares falling after its data scandal"),
    (
        "آيفون XS ماكس",
        "CN-technology-171-20180913",
        "Apple unveiling the iPhone XS and XS Max; Latin tokens in an Arabic query",
    ),
    ("رياض محرز مانشستر سيتي", "FR-sport-122-20180530", "Manchester City about to sign Riyad Mahrez"),
    (
        "غاز نوفيتشوك سالزبري وفاة",
        "FR-internationalNews-2203-20180709",
        "death of the British woman poisoned by Novichok in Salisbury",
    ),
    (
        "بركان فويغو عمليات الإنقاذ",
        "FR-internationalNews-1663-20180606",
        "Guatemala's Fuego volcano eruption delaying rescue",
    ),
    (
        "مكتبة بيلي ايكيا",
        "BB-economy-26-20180128",
        "how IKEA's Billy bookcase conquered the furniture world; query without hamza (ايكيا)",
    ),
    ("لقاح حمى الضنك الفلبين", "BB-technology-31-20180204", "dengue vaccine fears in the Philippines"),
    (
        "حكم قضائي ألمانيا سيارات الديزل",
        "SK-economy-82-20180227",
        "German court ruling allowing bans on diesel cars",
    ),
    (
        "تحطم طائرة ركاب بنغالية نيبال",
        "AL-internationalNews-438-20180312",
        "Bangladeshi airliner crash in Nepal",
    ),
    (
        "مؤسس علي بابا يزور إسرائيل",
        "CN-middleEast-789-20180502",
        "Alibaba's founder visiting Israel and meeting Netanyahu",
    ),
    (
        "مدينة سينمائية الصين هوليوود",
        "FR-culture-53-20180429",
        "China opening a film city to rival Hollywood",
    ),
    (
        "رفات سيمون فاي البانتيون",
        "FR-internationalNews-38-20180220",
        "Simone Veil's remains to be moved to the Panthéon",
    ),
    ("إنسيلادوس الحياة", "SK-technology-998-20180628", "signs favouring life on Enceladus"),
    (
        "مصارع إيراني خسر عمدا",
        "BB-sport-1-20180218",
        "Iranian wrestler banned for losing on purpose to avoid an Israeli",
    ),
    ("يغرم غوارديولا كتالونيا", "BB-sport-67-20180310", "the FA fining Guardiola over his Catalonia ribbon"),
    ("نجار آلي", "BB-technology-62-20180304", "a robot carpenter making furniture to order"),
    ("لعبة فورتنايت", "CN-technology-141-20180816", "questions about the game Fortnite"),
    ("المشروبات الحامضية تآكل الأسنان", "BB-technology-50-20180224", "acidic drinks eroding teeth"),
    (
        "مطار إقليمي مأرب",
        "AL-internationalNews-1405-20180531",
        "the Saudi ambassador announcing a regional airport in Marib",
    ),
    (
        "انفجار بطارية هاتف طائرة",
        "SK-internationalNews-2831-20180801",
        "a phone battery exploding on a plane",
    ),
    ("وفاة ديوب لاعب لوهافر", "AL-sport-1143-20180407", "death of Le Havre player Diop at 18"),
    (
        "تكلفة حروب 11 سبتمبر",
        "SK-internationalNews-3220-20180912",
        "the cost of the wars after 11 September; digits in the query",
    ),
    ("جسر انهار فجأة", "CN-internationalNews-412-20180529", "people on a bridge that suddenly collapsed"),
    (
        "طائرة صغيرة تهبط اضطراريا طريق سريع",
        "CN-internationalNews-511-20180813",
        "a small plane making an emergency landing on a motorway",
    ),
    (
        "عباس يعلن الحداد حماية دولية",
        "AL-internationalNews-700-20180330",
        "Abbas declaring mourning and asking for international protection",
    ),
    (
        "نسبة التصويت انتخابات كردستان",
        "SK-middleEast-3690-20180930",
        "turnout announced in the Kurdistan election",
    ),
    (
        "فاتنات المونديال فيفا",
        "SK-sport-2160-20180714",
        "FIFA telling broadcasters to stop showing attractive fans; لفاتنات is not matched by فاتنات, so only the relaxed retry finds it",
    ),
    (
        "مراسلة CNN العبودية ليبيا",
        "CN-internationalNews-47-20180301",
        "CNN reporter meeting a man who escaped slavery in Libya",
    ),
    ("الإفراج عن التميمي", "FR-middleEast-847-20180729", "the release of Ahed Tamimi"),
    (
        "قواعد القصر الملكي البريطاني حفلات الزفاف",
        "FR-internationalNews-578-20180406",
        "the royal palace's rules for weddings; لحفلات is not matched by حفلات, so only the relaxed retry finds it",
    ),
    (
        "هجوم بالسكين مسجد جنوب أفريقيا",
        "FR-internationalNews-1803-20180614",
        "knife attack in a South African mosque",
    ),
    ("مسبار آلي المريخ", "SK-technology-577-20180505", "the first robotic probe looking for life on Mars"),
    ("الاقتصاد الأخضر فرص عمل", "AL-economy-595-20180516", "the green economy creating 24 million jobs"),
    (
        "أونروا حق العودة",
        "CN-middleEast-1284-20180904",
        "the fate of the right of return after the US stopped funding UNRWA",
    ),
    (
        "مدرب إنجلترا المقال مطعم برغر",
        "AL-sport-2110-20180625",
        "England's sacked coach watching his successor's success from a burger restaurant",
    ),
]


@pytest.fixture(scope="module")
def docno_url(ant_path) -> dict[str, str]:
    with gzip.open(ant_path, "rt", encoding="utf-8") as handle:
        return {r["docno"]: r["url"] for r in map(json.loads, handle)}


def test_the_set_is_large_enough_and_distinct():
    assert len(RELEVANCE) >= 30
    assert len({docno for _, docno, _ in RELEVANCE}) == len(RELEVANCE)


@pytest.mark.parametrize(("query", "docno", "reason"), RELEVANCE, ids=[d for _, d, _ in RELEVANCE])
def test_the_answer_is_in_the_top_ten(search_store, docno_url, query, docno, reason):
    result = search(search_store, query, collapse=False, limit=10, facets=False, snippets=False)
    urls = [hit.url for hit in result.hits]
    assert docno_url[docno] in urls, f"{query}: {reason}; got {[h.title for h in result.hits]}"
