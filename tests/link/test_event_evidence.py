"""Evidence specific to an event (issue 18): lines an outlet repeats on its pages (a share bar, a stock
opening, a template's standing sentences) link nothing, and two reports of one event link. The texts are
written for these tests."""

from __future__ import annotations

import pytest
from antload import insert_ant

from marsad.link import link_new, linker
from marsad.link.docfreq import DocFreqs
from marsad.link.features import line_key, paragraph_words
from marsad.link.linker import LINE_COMMON, opening_count_keys, teaser_lines
from marsad.link.prepare import prepare
from marsad.store.db import Store

SHARE_BAR = "شارك هذا الخبر: فيسبوك | تويتر | واتساب | تلغرام | البريد الإلكتروني | نسخ الرابط"
FOLLOW_US = "تابعوا آخر الأخبار العاجلة على تطبيقنا المجاني للهواتف الذكية واشتركوا في نشرتنا اليومية"
STOCK_OPENING = (
    "برعاية كريمة من صاحب السمو الملكي ولي العهد نائب رئيس مجلس الوزراء وزير الدفاع حفظه الله ورعاه،"
    " وبحضور أصحاب المعالي والسعادة وكبار المسؤولين"
)

# Four unrelated reports of one outlet, each between its share bar and its standing last line.
UNRELATED = [
    (
        "بوريطة يستقبل نظيره البرتغالي في الرباط",
        [
            "استقبل وزير الخارجية المغربي ناصر بوريطة، الثلاثاء في الرباط، نظيره البرتغالي جواو كرافينيو،"
            " وبحث الجانبان سبل تعزيز التعاون الثنائي في مجالات الطاقة المتجددة والنقل البحري.",
            "وقال بوريطة في مؤتمر صحفي مشترك إن البلدين سيوقعان قبل نهاية العام اتفاقية للربط الكهربائي عبر"
            " مضيق جبل طارق، تمولها جزئيا مؤسسات أوروبية.",
            "من جهته أشاد الوزير البرتغالي بما وصفه بالاستقرار السياسي في المملكة، ودعا الشركات البرتغالية إلى"
            " الاستثمار في الموانئ المغربية الجديدة على الساحل الأطلسي.",
        ],
    ),
    (
        "الوداد يهزم الترجي في ذهاب نصف نهائي دوري الأبطال",
        [
            "فاز نادي الوداد البيضاوي على ضيفه الترجي التونسي بهدفين مقابل هدف واحد، مساء السبت، في ذهاب الدور"
            " نصف النهائي من دوري أبطال إفريقيا لكرة القدم.",
            "وسجل هدفي الوداد المهاجم أيمن الحسوني في الدقيقة 23 والمدافع يحيى جبران من ضربة رأسية في الدقيقة 71،"
            " فيما أحرز أنيس البدري هدف الترجي الوحيد قبل نهاية الشوط الأول.",
            "ويلتقي الفريقان في مباراة الإياب على ملعب رادس بالعاصمة التونسية بعد أسبوع، ويكفي الترجي الفوز بهدف"
            " دون رد للتأهل إلى المباراة النهائية.",
        ],
    ),
    (
        "الذهب يرتفع مع تراجع الدولار",
        [
            "ارتفعت أسعار الذهب في المعاملات الفورية بنسبة 1.2 في المئة إلى 1340 دولارا للأوقية، الأربعاء، مع"
            " تراجع الدولار الأمريكي أمام سلة من العملات الرئيسية.",
            "وعزا متعاملون الارتفاع إلى توقعات بأن يبقي مجلس الاحتياطي الاتحادي أسعار الفائدة دون تغيير في"
            " اجتماعه المقبل، بعد بيانات أظهرت تباطؤ نمو الوظائف.",
            "وصعدت الفضة بنسبة 0.8 في المئة إلى 16.9 دولارا للأوقية، بينما استقر البلاتين عند 905 دولارات.",
        ],
    ),
    (
        "سبعة قتلى في انهيار مبنى سكني بالإسكندرية",
        [
            "لقي سبعة أشخاص حتفهم وأصيب 23 آخرون في انهيار مبنى سكني من خمسة طوابق في حي شعبي بمدينة"
            " الإسكندرية، فجر الخميس، وفق ما أعلنت السلطات المحلية.",
            "وقال محافظ الإسكندرية إن فرق الدفاع المدني ما زالت تبحث عن ناجين تحت الأنقاض، وإن النيابة العامة"
            " فتحت تحقيقا في أسباب الانهيار وفي تراخيص الطوابق الأخيرة.",
            "وكان سكان الحي قد اشتكوا مرارا من تشققات في جدران المبنى الذي شيد قبل أربعين عاما.",
        ],
    ),
]

# One event, reported by two outlets: a wire text with a new headline and a first paragraph of its own.
EVENT = [
    "لقي سبعة أشخاص حتفهم وأصيب 23 آخرون في انهيار مبنى سكني من خمسة طوابق في حي شعبي بمدينة الإسكندرية،"
    " فجر الخميس، وفق ما أعلنت السلطات المحلية المصرية.",
    "وقال محافظ الإسكندرية إن فرق الدفاع المدني ما زالت تبحث عن ناجين تحت الأنقاض، وإن النيابة العامة فتحت"
    " تحقيقا في أسباب الانهيار وفي تراخيص الطوابق الأخيرة.",
    "وكان سكان الحي قد اشتكوا مرارا من تشققات في جدران المبنى الذي شيد قبل أربعين عاما.",
]


# Briefs of one sentence, whose pages are mostly the outlet's chrome.
BRIEFS = [
    (
        "انقطاع الكهرباء عن أحياء في طرابلس",
        "انقطعت الكهرباء عن أحياء واسعة من طرابلس الليبية مساء الاثنين لساعات.",
    ),
    (
        "تأجيل مباراة الزمالك والأهلي",
        "أعلن اتحاد الكرة المصري تأجيل مباراة الزمالك والأهلي إلى الأسبوع المقبل.",
    ),
    (
        "زلزال بقوة 5 درجات قبالة كريت",
        "ضرب زلزال بقوة خمس درجات سواحل جزيرة كريت اليونانية فجر الأحد دون أضرار.",
    ),
]
ABOUT = (
    "يمكنكم متابعة تغطيتنا المستمرة للأحداث على مدار الساعة عبر موقعنا الإلكتروني وحساباتنا على شبكات"
    " التواصل الاجتماعي وقناتنا على يوتيوب"
)


def _row(n: int, source: str, title: str, paragraphs: list[str], published: str) -> dict:
    return {
        "url": f"https://example.test/{source}/{n}",
        "title": title,
        "paragraphs": paragraphs,
        "published": published,
        "source": source,
    }


def _links(store: Store) -> list[tuple[int, int | None, int]]:
    return store.conn.execute("SELECT id, duplicate_of, story_id FROM article ORDER BY id").fetchall()


def _linked(tmp_path, rows: list[dict]) -> list[tuple[int, int | None, int]]:
    store = Store(tmp_path / "links.db")
    ids = insert_ant(store, rows)
    link_new(store, ids)
    links = [tuple(r) for r in _links(store)]
    store.close()
    return links


def _apart(links: list[tuple[int, int | None, int]]) -> bool:
    """No repost links and every article a story of its own."""
    return all(dup is None for _, dup, _ in links) and len({story for _, _, story in links}) == len(links)


def _chrome_pages(source: str, top: str) -> list[dict]:
    """An outlet's pages: four reports, then three briefs that are mostly its chrome (`top` above each,
    its standing lines below)."""
    return [
        *(
            _row(i, source, t, [top, *b, FOLLOW_US, ABOUT], f"2018-05-0{i + 1}T09:00:00+00:00")
            for i, (t, b) in enumerate(UNRELATED)
        ),
        *(
            _row(5 + i, source, t, [top, brief, FOLLOW_US, ABOUT], f"2018-05-05T1{i}:00:00+00:00")
            for i, (t, brief) in enumerate(BRIEFS)
        ),
    ]


def test_a_share_bar_and_standing_lines_link_nothing(tmp_path):
    """Once a few of an outlet's pages carry its lines, they are its chrome: briefs that share nothing but
    them are neither copies of each other nor one story."""
    assert _apart(_linked(tmp_path, _chrome_pages("skynews", SHARE_BAR)))


def test_a_stock_opening_links_nothing_once_the_outlet_repeats_it(tmp_path):
    """A line is the outlet's once LINE_COMMON of its pages carry it: the second page with a stock opening
    still reads as a copy of the first (an outlet's own text published twice is one), the pages after
    it link to nothing."""
    links = _linked(tmp_path, _chrome_pages("alarabia", STOCK_OPENING))
    assert LINE_COMMON == 3
    assert links[1][1] == links[0][0]
    assert _apart(links[2:])
    assert not {story for _, _, story in links[2:]} & {story for _, _, story in links[:2]}


def test_two_reports_of_one_event_link(tmp_path):
    """The outlet's own report (between its chrome) and another outlet's copy of the same text: a repost of
    it, in its story."""
    title, body = UNRELATED[3]
    rows = [
        *(
            _row(i, "skynews", t, [SHARE_BAR, *b, FOLLOW_US, ABOUT], f"2018-05-0{i + 1}T09:00:00+00:00")
            for i, (t, b) in enumerate(UNRELATED)
        ),
        _row(9, "BBC", "مصرع سبعة أشخاص بانهيار عمارة في الإسكندرية", EVENT, "2018-05-04T11:30:00+00:00"),
    ]
    links = _linked(tmp_path, rows)
    collapse = {aid: (dup, story) for aid, dup, story in links}
    first = links[3][0]
    assert collapse[links[4][0]] == (first, collapse[first][1])
    assert _apart(links[:4])


# Statements of one template, a day or two apart: the same standing sentences, other specifics (the day,
# the city, the count, the time).
STATEMENT = (
    "أعلنت قيادة القوات المشتركة للتحالف، {day}، أن الدفاعات الجوية اعترضت {count} أطلقتها الميليشيات"
    " الحوثية باتجاه مدينة {city}، عند الساعة {hour} بتوقيت المملكة، دون وقوع إصابات."
)
STANDING = [
    "وقال المتحدث الرسمي باسم التحالف إن إطلاق الصواريخ الباليستية باتجاه المدن والقرى الآهلة بالسكان"
    " يعد انتهاكا صريحا للقانون الدولي الإنساني ويثبت استمرار تورط النظام الإيراني في دعم الميليشيات.",
    "وأكد المتحدث أن قيادة القوات المشتركة ستتخذ الإجراءات اللازمة لحماية المدنيين والأعيان المدنية، وفقا"
    " لقواعد الاشتباك المعمول بها، وأن الدفاعات الجوية في أعلى درجات الجاهزية.",
]
SPECIFICS = [
    ("مساء الخميس", "صاروخا باليستيا", "جازان", "الثامنة وعشر دقائق", "2018-06-07T17:30:00+00:00"),
    ("فجر الجمعة", "صاروخين باليستيين", "نجران", "الرابعة وخمس وعشرين دقيقة", "2018-06-08T01:40:00+00:00"),
    ("ظهر السبت", "ثلاثة صواريخ باليستية", "أبها", "الواحدة والنصف", "2018-06-09T10:50:00+00:00"),
]


def test_templated_statements_are_not_copies_of_each_other(tmp_path):
    """Three statements of one template (the same standing paragraphs; another day, city, count and hour
    in the first) are three happenings, none a copy of another: their openings date them on other
    weekdays. The first two, eight hours apart, still share a story (story joining does not weigh such
    specifics; see docs/benchmarks.md); the third, 41 hours after the first, is past the story's span."""
    rows = [
        _row(
            i,
            "alarabia",
            f"اعتراض {count} باتجاه {city}",
            [STATEMENT.format(day=day, count=count, city=city, hour=hour), *STANDING],
            at,
        )
        for i, (day, count, city, hour, at) in enumerate(SPECIFICS)
    ]
    links = _linked(tmp_path, rows)
    assert [dup for _, dup, _ in links] == [None, None, None]
    assert links[0][2] == links[1][2] != links[2][2]


# A daily bulletin: one short line of its day's specifics above the outlet's two standing paragraphs.
BULLETIN_STANDING = [
    "وتنصح الهيئة العامة للأرصاد وحماية البيئة المواطنين والمقيمين بعدم التعرض المباشر لأشعة الشمس في"
    " ساعات الذروة، والإكثار من شرب السوائل، ومتابعة النشرات الجوية التي تصدرها الهيئة عبر موقعها وحساباتها.",
    "كما تهيب الهيئة بقائدي المركبات توخي الحذر على الطرق السريعة بين المدن بسبب الغبار المثار الذي قد يحد"
    " من مدى الرؤية الأفقية في بعض المناطق، والالتزام بتعليمات الدفاع المدني وإرشاداته.",
]
BULLETIN_DAYS = [
    ("الرياض", "44", "29", "2018-07-01T06:00:00+00:00"),
    ("جدة", "38", "31", "2018-07-02T06:00:00+00:00"),
    ("الدمام", "46", "33", "2018-07-03T06:00:00+00:00"),
    ("تبوك", "41", "24", "2018-07-04T06:00:00+00:00"),
]


@pytest.mark.parametrize("cache", [linker.VERIFY_CACHE, 1])
def test_a_whole_copy_of_a_templated_page_is_its_repost(tmp_path, monkeypatch, cache):
    """Once the outlet repeats its bulletin's standing paragraphs, only the day's line is its own: another
    outlet's whole copy of the fourth bulletin is a repost of that bulletin (its specific line and all), not
    of the others, which share only the standing paragraphs with it and with each other. So is a late copy
    of the first bulletin, linked before its outlet repeated anything, whether the verification cache still
    holds it as it was linked or it is read again from the store (a cache of one article)."""
    monkeypatch.setattr(linker, "VERIFY_CACHE", cache)
    rows = [
        _row(
            i,
            "alarabia",
            f"طقس شديد الحرارة في {city}",
            [
                f"تسجل {city} اليوم درجة حرارة عظمى تبلغ {high} وصغرى تبلغ {low} درجة مئوية.",
                *BULLETIN_STANDING,
            ],
            at,
        )
        for i, (city, high, low, at) in enumerate(BULLETIN_DAYS)
    ]
    copies = [
        dict(rows[3], url="https://example.test/skynews/4", published="2018-07-04T07:15:00+00:00"),
        dict(rows[0], url="https://example.test/skynews/1", published="2018-07-03T23:00:00+00:00"),
    ]
    links = _linked(tmp_path, [*rows, *(dict(c, source="skynews") for c in copies)])
    assert [dup for _, dup, _ in links] == [None, None, None, None, links[3][0], links[0][0]]
    assert links[4][2] == links[3][2]


# A page with a "read also" block under its own text: its outlet's earlier reports, each by its opening
# (the dateline left out, the sentence cut) or by its title.
COLLAPSE_LEAD = "الإسكندرية، مصر (CNN) – " + EVENT[0]
READ_ALSO_BRIEF = (
    "تراجع الجنيه الاسترليني",
    [
        "تراجع الجنيه الاسترليني أمام الدولار في تعاملات الخميس بعد بيانات ضعيفة عن قطاع الخدمات.",
        EVENT[0][:120] + "...",
        UNRELATED[1][0],
    ],
)


def test_a_read_also_block_does_not_join_its_page_to_the_reports_it_names(tmp_path):
    """A brief whose page carries its outlet's earlier reports by their openings and titles is no report
    of their events: it stays out of their stories, while another outlet's report of one of them joins
    it."""
    collapse = ("انهيار مبنى سكني بالإسكندرية", [COLLAPSE_LEAD, *EVENT[1:]])
    match = ("الوداد يتغلب على الترجي", UNRELATED[1][1])
    rows = [
        _row(1, "CNN", *collapse, "2018-05-03T06:00:00+00:00"),
        _row(2, "CNN", *match, "2018-05-03T07:00:00+00:00"),
        _row(3, "CNN", *READ_ALSO_BRIEF, "2018-05-03T09:00:00+00:00"),
        _row(4, "BBC", "مصرع سبعة أشخاص بانهيار عمارة في الإسكندرية", EVENT, "2018-05-03T11:30:00+00:00"),
    ]
    links = _linked(tmp_path, rows)
    stories = [story for _, _, story in links]
    assert [dup for _, dup, _ in links] == [None, None, None, links[0][0]]
    assert stories[3] == stories[0]
    assert len({stories[0], stories[1], stories[2]}) == 3


def test_teasers_are_found_by_opening_title_or_label():
    """The lines of a page that open its outlet's other articles: another report's lead without its
    dateline and cut short, a title after a "read also" label, a title without the label the article's own
    title has; not the page's own lead, nor its own news."""
    report = prepare("انهيار مبنى سكني بالإسكندرية", COLLAPSE_LEAD + "\n" + "\n".join(EVENT[1:]))
    video = prepare("فيديو: " + UNRELATED[1][0], "\n".join(UNRELATED[1][1]))
    gold = prepare(*UNRELATED[2][:1], "\n".join(UNRELATED[2][1]))
    brief_lines = [
        READ_ALSO_BRIEF[1][0],
        "وقال متعاملون إن الأسواق تترقب قرار بنك إنجلترا بشأن أسعار الفائدة الأسبوع المقبل.",
        EVENT[0][:120] + "...",
        "اقرأ أيضا: " + UNRELATED[2][0],
        UNRELATED[1][0],
    ]
    brief = prepare(READ_ALSO_BRIEF[0], "\n".join(brief_lines))
    df = DocFreqs()
    for page in (report, video, gold):
        df.lookup(opening_count_keys("CNN", page.lines.openings), count=True)
    found = teaser_lines(df, "CNN", brief.lines.keys, brief.lines.heads)
    assert found == {line_key(words) for words in paragraph_words(brief_lines[2:])}
    assert not teaser_lines(df, "BBC", brief.lines.keys, brief.lines.heads)  # another outlet's openings
