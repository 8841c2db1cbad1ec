"""Page styles pagebench lacks, written for these tests (fixtures/): an AMP repost with JSON-LD
isBasedOn/sourceOrganization and reader comments, a <br>-split body inside one <p> with a plain-text
"اقرأ أيضا" line and long comments, a windows-1256 page with inline "read also"/"watch also" lines and a
related box inside the body, and a text dump with a byline, a numeric date and a comment section."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from marsad.extract import extract
from marsad.extract.textdump import classify
from marsad.models import Page

FIXTURES = Path(__file__).parent / "fixtures"


def _extract(name: str, kind: str, fetched_at: datetime):
    return extract(
        Page(
            url=f"https://fixture.example/{name}",
            kind=kind,
            content=(FIXTURES / name).read_bytes(),
            fetched_at=fetched_at,
        )
    )


def test_amp_repost_with_comments():
    article = _extract("amp_repost.html", "html", datetime(2019, 3, 14, 21, 30, tzinfo=UTC))
    assert article.title == "افتتاح سوق الكتاب المستعمل في ساحة المدينة القديمة"
    assert article.published.isoformat() == "2019-03-14T18:20:00+01:00"
    assert article.precision == "minute"
    assert article.author == "هدى المنصوري"
    assert article.outlet == "واحة الأخبار"
    assert article.original_outlet == "جريدة الوادي"
    assert article.original_url == "https://www.jaridat-alwadi.example/thaqafa/88123"
    assert article.canonical_url == "https://www.waha-akhbar.example/culture/2019/03/14/souk-kutub"
    assert len(article.body) == 3
    assert article.body[0].startswith("افتتحت جمعية أصدقاء المكتبة مساء الخميس")
    assert article.body[-1].endswith("إلى نهاية الشهر.")
    assert not any("مبادرة جميلة" in p or "مهرجان المسرح" in p for p in article.body)  # comments, teasers
    assert article.ticker == [
        "وزارة النقل تعلن عن خط حافلات جديد بين الميناء والمطار",
        "انطلاق موسم جني الزيتون في القرى الجبلية وسط توقعات بمحصول وافر",
        "فريق الحي الجامعي يتأهل إلى نصف نهائي كأس الجامعات",
    ]
    assert article.language == "ar"


def test_br_body_with_plain_read_also_and_comments():
    article = _extract("br_comments.html", "html", datetime(2019, 3, 17, 9, 0, tzinfo=UTC))
    assert article.title == "الأمطار تعيد الحياة إلى بحيرة السهل بعد ثلاث سنوات من الجفاف"
    assert article.published == datetime(2019, 3, 16, 11, 45)
    assert article.precision == "minute"
    assert article.author == "يوسف بن عيسى"
    assert article.outlet == "صوت الجنوب"
    assert article.body == [
        "عادت المياه إلى بحيرة السهل بعد الأمطار الغزيرة التي شهدتها المنطقة خلال الأسبوعين الماضيين، بعد ثلاث "
        "سنوات من الجفاف التام.",
        "وقال مسؤول في مديرية المياه إن منسوب البحيرة ارتفع إلى أكثر من مترين، وهو أعلى مستوى منذ سنة ألفين "
        "وخمسة عشر.",
        "وعادت الطيور المهاجرة إلى ضفاف البحيرة، فيما توافد السكان لالتقاط الصور والتنزه في عطلة نهاية الأسبوع.",
        "ويأمل الفلاحون أن تساعد هذه الأمطار على إنقاذ الموسم الزراعي الذي تأخر بسبب قلة التساقطات في الخريف.",
    ]


def test_windows_1256_page_with_inline_read_also():
    article = _extract("inline_read_also.html", "html", datetime(2019, 4, 2, 20, 0, tzinfo=UTC))
    assert article.title == "الميناء يستقبل أول سفينة سياحية في الموسم"
    assert article.published == datetime(2019, 4, 2)
    assert article.precision == "day"
    assert article.author == "سعاد الحسني"
    assert article.outlet == "بوابة الساحل"  # from the <title> tail: the page has no og:site_name
    assert [p[:30] for p in article.body] == [
        "استقبل ميناء المدينة صباح الثل",
        "وخصصت السلطات المحلية حافلات ل",
        "وقال مدير الميناء إن الموسم ال",
    ]


def test_text_dump_with_comments():
    fetched = datetime(2019, 5, 13, 12, 0, tzinfo=UTC)
    article = _extract("comments_dump.txt", "text", fetched)
    assert article.title == "مكتبة الحي تفتح أبوابها ليلا خلال شهر رمضان"
    assert article.published == datetime(2019, 5, 12, 22, 15)
    assert article.author == "عمر الفاسي"
    assert len(article.body) == 3
    assert article.body[-1].endswith("أغلبها في الرواية وكتب الأطفال والعلوم.")
    assert article.ticker == [
        "انطلاق امتحانات البكالوريا في ظروف عادية بمختلف الأكاديميات",
        "الحكومة تصادق على مشروع قانون يتعلق بحماية المستهلك",
        "ارتفاع أسعار الخضر في أسواق الجملة بسبب موجة البرد",
    ]
    assert article.previous_title == "افتتاح مسبح بلدي جديد في حي النخيل"
    assert article.next_title == "مهرجان الطفل يعود بعد غياب سنتين"


def test_text_dump_line_labels():
    lines, _ = classify((FIXTURES / "comments_dump.txt").read_text(encoding="utf-8"))
    labels = {line.number: line.label for line in lines}
    assert [labels[n] for n in (1, 2, 3, 4)] == ["navigation"] * 4
    assert [labels[n] for n in (6, 7, 8, 9)] == ["ticker"] * 4
    assert labels[11] == "title"
    assert labels[13] == labels[14] == "byline"
    assert [n for n, label in labels.items() if label == "body"] == [16, 18, 22]
    assert labels[20] == "other"  # the ad label inside the body
    assert labels[36] == "previous" and labels[37] == "next"
    assert all(labels[n] == "widget" for n in (24, 26, 28, 29, 32, 33))  # comments
