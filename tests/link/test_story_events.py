"""Stories that stay events (issue 18, item 2): a matter's next step, days after the happening a story was
founded on, starts a story of its own (the thread follows the matter). The texts are written for these
tests."""

from __future__ import annotations

from antload import insert_ant

from marsad.link import link_new, stories
from marsad.link.stories import MAX_SPAN_DAYS, Story, StoryIndex
from marsad.store.db import Store

# One matter over three days: the strike's first day, reported by two outlets, and its end two days later.
STRIKE = [
    (
        "skynews",
        "عمال ميناء طنجة المتوسط يبدأون إضرابا مفتوحا",
        [
            "بدأ مئات من عمال ميناء طنجة المتوسط، صباح الاثنين، إضرابا مفتوحا عن العمل احتجاجا على تأخر صرف"
            " أجورهم منذ شهرين، ما أدى إلى توقف شحن الحاويات في أرصفة الميناء.",
            "وقالت نقابة عمال الموانئ إن الإضراب سيستمر حتى تستجيب إدارة الميناء لمطالب العمال بصرف الأجور"
            " المتأخرة وتحسين شروط السلامة في أرصفة الشحن.",
            "واصطفت عشرات الشاحنات أمام بوابات الميناء في انتظار تفريغ حمولاتها، فيما حولت شركتان للملاحة"
            " سفنهما إلى موانئ أخرى.",
        ],
        "2018-05-07T09:00:00+00:00",
    ),
    (
        "BBC",
        "إضراب في ميناء طنجة المتوسط يوقف شحن الحاويات",
        [
            "توقف شحن الحاويات في ميناء طنجة المتوسط، الاثنين، بعد أن أضرب مئات العمال عن العمل مطالبين بصرف"
            " أجور متأخرة منذ شهرين.",
            "وأكد مسؤول في نقابة عمال الموانئ أن العمال لن يعودوا إلى أرصفة الميناء قبل صرف أجورهم المتأخرة،"
            " متهما إدارة الميناء بتجاهل مطالبهم.",
            "ولم يصدر تعليق فوري عن إدارة الميناء، بينما اصطفت الشاحنات أمام بواباته.",
        ],
        "2018-05-07T13:30:00+00:00",
    ),
    (
        "france24",
        "انتهاء إضراب عمال ميناء طنجة المتوسط بعد اتفاق مع الإدارة",
        [
            "أنهى عمال ميناء طنجة المتوسط، مساء الأربعاء، إضرابهم عن العمل بعد توقيع اتفاق بين نقابة عمال"
            " الموانئ وإدارة الميناء يقضي بصرف الأجور المتأخرة خلال أسبوع.",
            "وقالت النقابة إن الاتفاق يتضمن أيضا تحسين شروط السلامة في أرصفة الشحن، وإن العمال سيعودون إلى"
            " العمل صباح الخميس.",
            "واستأنفت سفن الحاويات الرسو في أرصفة الميناء، فيما بدأت الشاحنات المتوقفة أمام بواباته في الدخول.",
        ],
        "2018-05-09T05:00:00+00:00",
    ),
]


def _stories_and_threads(tmp_path, rows: list[tuple[str, str, list[str], str]]) -> list[tuple[int, int]]:
    tmp_path.mkdir(exist_ok=True)
    store = Store(tmp_path / "links.db")
    ids = insert_ant(
        store,
        [
            {
                "url": f"https://example.test/{source}/{n}",
                "title": title,
                "paragraphs": body,
                "published": at,
                "source": source,
            }
            for n, (source, title, body, at) in enumerate(rows)
        ],
    )
    link_new(store, ids)
    found = store.conn.execute(
        "SELECT a.story_id, s.thread_id FROM article a JOIN story s ON s.id = a.story_id ORDER BY a.id"
    ).fetchall()
    store.close()
    return [tuple(r) for r in found]


def test_a_matters_next_step_days_later_is_another_story_of_its_thread(tmp_path):
    """Two outlets' reports of a strike's first day are one story; its end, 44 hours after the first
    report, shares most of their words (the port, the union, the wages) but is the next step: a story of
    its own, in the strike's thread."""
    (first, thread), second, end = _stories_and_threads(tmp_path, STRIKE)
    assert MAX_SPAN_DAYS == 1.5
    assert second == (first, thread)
    assert end[0] != first and end[1] == thread


# The same day's next step of the matter, told over the strike's own words: its first paragraph is new, the
# rest is the morning's report carried as background.
SUMMONS = (
    "skynews",
    "البرلمان المغربي يستدعي وزير النقل بشأن ميناء طنجة المتوسط",
    [
        "وجهت لجنة البنيات الأساسية في مجلس النواب المغربي، مساء الاثنين، استدعاء عاجلا إلى وزير التجهيز"
        " والنقل لمساءلته عن تدبير المؤسسات المينائية، وطالبت بجلسة علنية يحضرها مديرو الموانئ الكبرى.",
        "وكان مئات من عمال ميناء طنجة المتوسط قد بدأوا، صباح الاثنين، إضرابا مفتوحا عن العمل احتجاجا على تأخر"
        " صرف أجورهم منذ شهرين، ما أدى إلى توقف شحن الحاويات في أرصفة الميناء.",
        "وقالت نقابة عمال الموانئ إن الإضراب سيستمر حتى تستجيب إدارة الميناء لمطالب العمال بصرف الأجور"
        " المتأخرة وتحسين شروط السلامة في أرصفة الشحن.",
        "واصطفت عشرات الشاحنات أمام بوابات الميناء في انتظار تفريغ حمولاتها.",
    ],
    "2018-05-07T19:00:00+00:00",
)


def test_a_next_step_over_the_first_reports_background_is_another_story(tmp_path, monkeypatch):
    """The evening's summons of the minister carries the morning's report of the strike under an opening
    of its own: its whole text is close enough to the strike's story to join it, its opening is not (the
    opening test, stories.OPENING_MIN). It starts a story of its own, in the strike's thread."""
    rows = [*STRIKE[:2], SUMMONS]
    (first, thread), second, summons = _stories_and_threads(tmp_path / "a", rows)
    assert second == (first, thread)
    assert summons[0] != first and summons[1] == thread
    monkeypatch.setattr(stories, "OPENING_MIN", 0.0)  # judged by the whole text alone it would join
    assert [s for s, _ in _stories_and_threads(tmp_path / "b", rows)] == [first, first, first]


def test_a_story_linked_before_openings_were_kept_still_takes_its_reports(tmp_path):
    """An archive linked before schema 020 has no openings in its link docs: its open stories are judged by
    their whole text, as they were, and the second report of the strike still joins the first's story."""
    store = Store(tmp_path / "links.db")
    rows = [
        {
            "url": f"https://example.test/{source}/{n}",
            "title": title,
            "paragraphs": body,
            "published": at,
            "source": source,
        }
        for n, (source, title, body, at) in enumerate(STRIKE[:2])
    ]
    first, second = insert_ant(store, rows)
    link_new(store, [first])
    store.conn.execute("UPDATE link_doc SET opening = '{}'")  # as schema 020 leaves the rows linked before
    link_new(store, [second])
    stories = [r[0] for r in store.conn.execute("SELECT story_id FROM article ORDER BY id")]
    store.close()
    assert stories[0] == stories[1]


def test_the_story_only_an_articles_opening_keeps_it_from_is_its_matter():
    """StoryIndex.best gives the story an article joins, or, when its opening alone keeps it out of one, that
    story as its matter: the linker puts the article's new story in that story's thread."""
    index = StoryIndex()
    at = "2018-05-07T09:00:00+00:00"
    story = Story(id=7, title="", representative_id=1, first_seen=at, last_seen=at)
    index.join(story, 1, "", {"ميناء": 0.6, "اضراب": 0.8}, {"اضراب": 1.0}, frozenset(), frozenset())
    same_text = {"ميناء": 0.6, "اضراب": 0.8}
    assert index.best(same_text, {"اضراب": 1.0}, frozenset(), frozenset(), at) == (story, None)
    assert index.best(same_text, {"برلمان": 1.0}, frozenset(), frozenset(), at) == (None, story)
    assert index.best({"ذهب": 1.0}, {"ذهب": 1.0}, frozenset(), frozenset(), at) == (None, None)
