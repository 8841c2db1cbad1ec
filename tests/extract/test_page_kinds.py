"""Kinds of page that issue 19 names, each as a small page written for these tests: a WebForms page whose
<form> wraps everything (layout tables, view state, a search box, a comment form, a poll), a deep wrapper
without <article>/<main>, live coverage (in the DOM and in LiveBlogPosting JSON-LD), non-body blocks in
Arabic, French and English, and bylines that name no one."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from marsad.extract import extract
from marsad.extract.authors import split_byline
from marsad.extract.cues import byline_name, is_chrome_line
from marsad.models import Page

FETCHED = datetime(2020, 6, 3, 18, 0, tzinfo=UTC)


def _html(body: str, head: str = "", lang: str = "ar") -> str:
    return f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8">{head}</head><body>{body}</body></html>'


def _extract(html: str, url: str = "https://news.example/a/1"):
    return extract(Page(url=url, kind="html", content=html.encode("utf-8"), fetched_at=FETCHED))


P1 = "أعلنت وزارة الصحة صباح اليوم عن افتتاح مستشفى جديد في المنطقة الشرقية، بسعة مئتي سرير وقسم للطوارئ."
P2 = "وقال الوزير في مؤتمر صحفي إن المستشفى سيخدم أكثر من نصف مليون نسمة، وإن العمل فيه يبدأ الشهر المقبل."
P3 = (
    "وأضاف أن الوزارة تعتزم بناء ثلاثة مستشفيات أخرى خلال العامين المقبلين، بتمويل من الموازنة العامة للدولة."
)

WEBFORMS = _html(
    f"""<form name="aspnetForm" method="post" action="./NewsDetails.aspx?ID=77" id="aspnetForm">
<div class="aspNetHidden"><input type="hidden" name="__VIEWSTATE" id="__VIEWSTATE" value="/wEPDwUKMTY1NDU2MTA1Mg9kFgJmD2QWAgIDD2QWBAIBD2QWAmYPZBYC" /></div>
<table width="100%"><tr><td colspan="2"><a href="/">بوابة المدينة</a>
<input name="ctl00$txtSearch" type="text" /><input type="submit" name="ctl00$btnSearch" value="بحث" /></td></tr>
<tr><td valign="top"><span id="ctl00_cph_lblTitle" class="Title">افتتاح مستشفى جديد في المنطقة الشرقية</span><br />
<span id="ctl00_cph_lblWriter">كتب: سامي العطار</span> <span id="ctl00_cph_lblDate">الأربعاء 03 يونيو 2020 - 10:30</span><br />
<span id="ctl00_cph_lblBody">{P1}<br /><br />{P2}<br /><br />{P3}</span>
<div id="ctl00_cph_pnlComment">أضف تعليقك<br />الاسم: <input name="ctl00$cph$txtName" type="text" /><br />
<textarea name="ctl00$cph$txtComment"></textarea><input type="submit" value="إرسال" /></div></td>
<td valign="top"><table><tr><td>استطلاع: هل أنت راض عن الخدمات الصحية في مدينتك؟</td></tr>
<tr><td><input type="radio" name="ctl00$poll" value="1" />نعم</td></tr><tr><td><input type="radio" name="ctl00$poll" value="2" />لا</td></tr>
</table></td></tr></table>
<input type="hidden" name="__EVENTVALIDATION" value="/wEdAAOt1y4WmYkA" /></form>""",
    "<title>بوابة المدينة - افتتاح مستشفى جديد في المنطقة الشرقية</title>",
)


def test_webforms_page_keeps_the_form_that_wraps_it():
    article = _extract(WEBFORMS)
    assert article.body == [P1, P2, P3]
    assert article.title == "افتتاح مستشفى جديد في المنطقة الشرقية"
    assert article.author == "سامي العطار"
    assert article.published == datetime(2020, 6, 3, 10, 30)
    assert article.outlet == "بوابة المدينة"


def test_a_search_form_beside_the_article_goes():
    page = _html(
        f"""<div><form action="/search"><input name="q" /><button>ابحث في الموقع عن آخر الأخبار والتقارير</button>
        <p>ابحث في أرشيف الموقع منذ عام ألفين، بالكلمات أو بالتاريخ أو بالقسم.</p></form>
        <h1>افتتاح مستشفى جديد</h1><div><p>{P1}</p><p>{P2}</p></div></div>"""
    )
    assert _extract(page).body == [P1, P2]


def test_deep_wrappers_without_article_or_main():
    inner = f"<p>{P1}</p><p>{P2}</p><p>{P3}</p>"
    for _ in range(14):
        inner = f'<div class="w">{inner}</div>'
    page = _html(
        f"""<div class="top"><a href="/">الرئيسية</a> <a href="/sport">رياضة</a></div>
        <h1>افتتاح مستشفى جديد</h1>{inner}
        <div class="foot"><p>جميع الحقوق محفوظة لبوابة المدينة 2020</p></div>"""
    )
    assert _extract(page).body == [P1, P2, P3]


U1 = "بدأ الناخبون الإدلاء بأصواتهم في مراكز الاقتراع منذ الساعة الثامنة صباحا، وسط إجراءات أمنية مشددة."
U2 = "أعلنت اللجنة العليا للانتخابات أن نسبة المشاركة بلغت ثمانية عشر في المئة حتى منتصف النهار."
U3 = "أغلقت مراكز الاقتراع أبوابها في الموعد المحدد، وبدأت عمليات الفرز بحضور مراقبين محليين ودوليين."


def _live_post(time: str, text: str, extra: str = "") -> str:
    return (
        f'<div class="live-post"><div class="post-time"><time datetime="2020-06-03T{time}:00+03:00">{time}</time>'
        f'</div><div class="post-body"><p>{text}</p>{extra}</div><div class="post-tools"><a href="#">شارك</a></div></div>'
    )


def test_live_coverage_keeps_every_update_with_its_time():
    gallery = (
        '<div class="gallery"><div class="slide"><img src="a.jpg"><p>طوابير الناخبين أمام مركز اقتراع في العاصمة'
        " صباح اليوم، في انتظار فتح الأبواب أمام الجميع.</p></div></div>"
    )
    caption = "<figure><img src='b.jpg'><figcaption>موظف في لجنة الانتخابات يرتب صناديق الاقتراع © AFP</figcaption></figure>"
    page = _html(
        f"""<h1>مباشر: الانتخابات البرلمانية</h1><div class="meta">إعداد: فريق التحرير</div>
        <div class="stream">{_live_post("19:05", U3)}{gallery}{_live_post("12:10", U2, caption)}{_live_post("08:15", U1)}</div>
        <div class="side"><div class="card"><a href="/n/2"><h3>تعرف على المرشحين في دائرتك الانتخابية</h3></a>
        <p>يتنافس في الانتخابات أكثر من ألف مرشح على مئة وعشرين مقعدا في البرلمان الجديد، في أكبر انتخابات تشهدها البلاد منذ عقد.</p></div></div>""",
        "<title>مباشر: الانتخابات البرلمانية</title>",
    )
    article = _extract(page)
    assert article.body == ["19:05", U3, "12:10", U2, "08:15", U1]
    assert article.author == "فريق التحرير"


def test_live_blog_posting_json_ld_gives_the_updates():
    updates = [
        {
            "@type": "BlogPosting",
            "headline": "إغلاق الصناديق",
            "datePublished": "2020-06-03T19:05:00+03:00",
            "articleBody": U3,
        },
        {"@type": "BlogPosting", "datePublished": "2020-06-03T12:10:00+03:00", "articleBody": U2},
        {"@type": "BlogPosting", "datePublished": "2020-06-03T08:15:00+03:00", "articleBody": U1},
    ]
    ld = {
        "@context": "https://schema.org",
        "@type": "LiveBlogPosting",
        "headline": "مباشر: الانتخابات البرلمانية",
        "datePublished": "2020-06-03T08:00:00+03:00",
        "liveBlogUpdate": updates,
    }
    page = _html(
        f"<h1>مباشر: الانتخابات البرلمانية</h1><div id='app'><p>{U3}</p></div>",
        f'<script type="application/ld+json">{json.dumps(ld, ensure_ascii=False)}</script>',
    )
    article = _extract(page)
    assert article.body == ["19:05", "إغلاق الصناديق", U3, "12:10", U2, "08:15", U1]
    assert article.published.isoformat() == "2020-06-03T08:00:00+03:00"


def test_arabic_non_body_blocks_and_a_byline_with_a_city():
    page = _html(
        f"""<h1>افتتاح مستشفى جديد في المنطقة الشرقية</h1>
        <div class="byline">حسام أبو العلا - القاهرة</div>
        <div class="article"><div class="metadata"><div>المصدر: وام</div><div>التاريخ: 03 يونيو 2020</div></div>
        <p>(أبوظبي - البيان)</p><p>{P1}</p><p>\ufeff</p><p>{P2}</p>
        <div class="img"><img src="x.jpg"><p>© REUTERS / Mohamed Abd El Ghany</p></div>
        <p>{P3}</p><p>تابعونا على فيسبوك وتويتر</p></div>
        <div class="policy"><p>ترحب شبكة البيان بالنقاش الحيوي والمفيد، وكي لا تضطر إدارة الموقع لإغلاق باب النقاش نرجو الالتزام بآداب الحوار.</p>
        <p>الآراء الواردة أدناه تعبر عن آراء أصحابها ولا تعبر بالضرورة عن رأي الصحيفة.</p></div>""",
        '<meta property="og:site_name" content="البيان">',
    )
    article = _extract(page)
    assert article.body == [P1, P2, P3]
    assert article.author == "حسام أبو العلا"
    assert article.byline_place == "القاهرة"
    assert article.original_outlet == "وام"  # "المصدر: وام" credits the article's origin
    assert article.published == datetime(2020, 6, 3)
    assert article.precision == "day"


F1 = "Le gouvernement a annoncé mercredi l'ouverture d'un nouvel hôpital de deux cents lits dans la région de l'Est."
F2 = "Selon le ministre de la Santé, l'établissement desservira plus d'un demi-million d'habitants dès le mois prochain."


def test_french_non_body_blocks():
    page = _html(
        f"""<h1>Un nouvel hôpital dans l'Est</h1><div class="auteur">Par Claire Martin</div>
        <div class="texte"><p>{F1}</p><p>Lire aussi : Les urgences saturées cet hiver</p>
        <p>Crédit photo : AFP / Fethi Belaid</p><p>{F2}</p>
        <p>Suivez-nous sur Facebook et Twitter</p><p>Abonnez-vous à notre newsletter quotidienne</p>
        <p>Les commentaires sont modérés et n'engagent que leurs auteurs.</p><p>© 2020 Le Quotidien. Tous droits réservés.</p></div>""",
        lang="fr",
    )
    article = _extract(page)
    assert article.body == [F1, F2]
    assert article.author == "Claire Martin"


E1 = "The health ministry opened a new two-hundred-bed hospital in the eastern province on Wednesday morning."
E2 = "The minister told reporters that the hospital would serve more than half a million people from next month."


def test_english_non_body_blocks():
    page = _html(
        f"""<h1>New hospital opens in the east</h1><div class="byline">By Sarah Collins, Cairo</div>
        <div class="story"><p>{E1}</p><p>Read more: Hospitals under strain this winter</p>
        <p>Photo: REUTERS/Amr Abdallah Dalsh</p><p>{E2}</p><p>Sign up for our morning newsletter</p>
        <p>Comments are moderated and the views expressed are those of the readers.</p>
        <p>Copyright 2020 The Daily. All rights reserved.</p></div>""",
        lang="en",
    )
    article = _extract(page)
    assert article.body == [E1, E2]
    assert article.author == "Sarah Collins"
    assert article.byline_place == "Cairo"


@pytest.mark.parametrize(
    ("raw", "outlets", "expected"),
    [
        ("GMT", [], (None, None)),
        ("10:30 GMT", [], (None, None)),
        ("بتوقيت غرينتش", [], (None, None)),
        ("LBCI", ["LBCI Lebanon"], (None, None)),
        ("المدينة نيوز", ["المدينة نيوز"], (None, None)),
        ("(أبوظبي - البيان)", ["البيان"], (None, None)),
        ("أبوظبي - البيان", ["البيان"], (None, None)),
        ("القاهرة", [], (None, None)),
        ("حسام أبو العلا - القاهرة", [], ("حسام أبو العلا", "القاهرة")),
        ("سلمى يوسف، بيروت", [], ("سلمى يوسف", "بيروت")),
        ("البيان - دبي", ["البيان"], (None, "دبي")),
        ("قسم الأخبار المحلية", ["البيان"], ("قسم الأخبار المحلية", None)),
        ("القاهرة - أحمد الريدي", [], ("القاهرة - أحمد الريدي", None)),  # a credit as published
        ("أبوظبي - سكاي نيوز عربية", ["أطلس بريس"], ("أبوظبي - سكاي نيوز عربية", None)),
        ("خالد بن سالم نشر بتاريخ", [], ("خالد بن سالم", None)),
    ],
)
def test_split_byline(raw, outlets, expected):
    assert split_byline(raw, outlets) == expected


def test_a_byline_that_is_the_outlets_own_name_is_no_author():
    page = _html(
        f"""<h1>افتتاح مستشفى جديد</h1><div class="author">المدينة نيوز</div>
        <div class="content"><p>{P1}</p><p>{P2}</p></div>""",
        '<meta property="og:site_name" content="المدينة نيوز"><meta name="author" content="GMT">',
    )
    article = _extract(page)
    assert article.author is None
    assert article.body == [P1, P2]


@pytest.mark.parametrize(
    "line",
    [
        "\u200f\u200e",
        "المصدر: وكالات",
        "تاريخ النشر: 03 يونيو 2020",
        "(الرياض - واس)",
        "© AFP",
        "EPA/Ahmad Gharabli",
        "حقوق الصورة: رويترز",
        "نرحب بتعليقاتكم على أن تلتزم بشروط التعليق",
        "Tags: health, hospitals",
        "Voir aussi",
    ],
)
def test_non_body_lines(line):
    assert is_chrome_line(line)


@pytest.mark.parametrize(
    "line",
    [
        P1,
        "هذا المقال بقلم فلان، والآراء الواردة أدناه تعبر عن رأي الكاتبة، ولا تعكس بالضرورة وجهة نظر الشبكة.",
        "وقال الرئيس (في مؤتمر - صحفي) إن الحكومة ستواصل العمل.",
        "Sources close to the ministry said the plan was approved.",
    ],
)
def test_body_lines_stay(line):
    assert not is_chrome_line(line)


LIVE_DUMP = f"""نبض المدينة

الرئيسية
تغطيات مباشرة

مباشر: الانتخابات البرلمانية في يومها الأول

إعداد: فريق التحرير

19:05

{U3}

رابط التحديث

صور من اليوم

طوابير الناخبين أمام مركز اقتراع في العاصمة صباح اليوم، في انتظار فتح الأبواب أمام الجميع.
© AFP

12:10

{U2}

رابط التحديث

08:15

{U1}

رابط التحديث

آخر الأخبار

تعرف على المرشحين في دائرتك الانتخابية

يتنافس في الانتخابات أكثر من ألف مرشح على مئة وعشرين مقعدا في البرلمان الجديد، في أكبر انتخابات تشهدها البلاد منذ عقد، وسط اهتمام شعبي واسع ومتابعة من المنظمات الدولية والمحلية لسير العملية الانتخابية في كل المحافظات.

© 2020 نبض المدينة - جميع الحقوق محفوظة
"""


def test_live_coverage_in_a_text_dump():
    page = Page(
        url="https://nabd.example/live/3", kind="text", content=LIVE_DUMP.encode(), fetched_at=FETCHED
    )
    article = extract(page)
    assert article.body == ["19:05", U3, "12:10", U2, "08:15", U1]
    assert article.title == "مباشر: الانتخابات البرلمانية في يومها الأول"
    assert article.author == "فريق التحرير"
    assert article.outlet == "نبض المدينة"  # from its copyright line


def test_a_byline_with_its_city_in_a_text_dump():
    dump = f"الرئيسية\n\nافتتاح مستشفى جديد في المنطقة الشرقية\n\nمنى الشريف، عمّان\n\n{P1}\n\n{P2}\n\n{P3}\n"
    page = Page(url="https://news.example/a/2", kind="text", content=dump.encode(), fetched_at=FETCHED)
    article = extract(page)
    assert (article.title, article.author, article.byline_place) == (
        "افتتاح مستشفى جديد في المنطقة الشرقية",
        "منى الشريف",
        "عمّان",
    )
    assert article.body == [P1, P2, P3]


def test_teaser_cards_are_never_the_body_but_the_pages_own_post_among_them_is():
    cards = "".join(
        f'<div class="post"><a href="/p/{i}"><h3>عنوان خبر آخر رقم {i} في القسم</h3></a>'
        f"<p>{P3} وهذا ملخص قصير للخبر الآخر.</p></div>"
        for i in range(4)
    )
    lone = _html(
        f"<h1>افتتاح مستشفى جديد</h1><div class='text'><p>{P1}</p><p>{P2}</p></div><div>{cards}</div>"
    )
    assert _extract(lone).body == [P1, P2]
    own = _html(
        f'<div class="post"><a href="/p/9"><h2>افتتاح مستشفى جديد في المنطقة الشرقية</h2></a>'
        f"<p>{P1}</p><p>{P2}</p><p>{P3}</p><p>{P1}</p></div>{cards}"
    )
    assert _extract(own).body == [P1, P2, P3, P1]


def test_a_date_field_after_the_text():
    page = _html(
        f"""<h1>افتتاح مستشفى جديد</h1><div class="article"><p>{P1}</p><p>{P2}</p>
        <div class="info"><span>تاريخ النشر: 02 يونيو 2020</span></div></div>
        <div class="related"><a href="/x">خبر آخر</a> 01 يونيو 2020</div>"""
    )
    article = _extract(page)
    assert (article.published, article.precision) == (datetime(2020, 6, 2), "day")
    assert article.body == [P1, P2]


def test_a_list_of_untimed_leads_is_no_live_coverage():
    leads = "".join(
        f'<div class="item"><p>{P3} {U1} {U2}</p><a href="/n/{i}">المزيد</a></div>' for i in range(4)
    )
    page = _html(
        f"<h1>افتتاح مستشفى جديد</h1><div class='text'><p>{P1}</p><p>{P2}</p></div><div>{leads}</div>"
    )
    assert _extract(page).body == [P1, P2]


def test_a_source_field_in_table_cells():
    page = _html(
        f"""<h1>افتتاح مستشفى جديد</h1><div class="article"><table><tr><td>المصدر:</td><td>وام</td></tr>
        <tr><td>التاريخ:</td><td>02 يونيو 2020</td></tr></table><p>{P1}</p><p>{P2}</p></div>"""
    )
    article = _extract(page)
    assert (article.original_outlet, article.published, article.body) == (
        "وام",
        datetime(2020, 6, 2),
        [P1, P2],
    )


@pytest.mark.parametrize(
    ("line", "name"),
    [
        ("تقرير: منى الشريف", "منى الشريف"),
        ("تقرير: إيران سعت لتهريب مكونات صاروخية من ألمانيا", None),  # a headline
        ("تقرير: 95% من سكان العالم يتنفسون هواء ملوثا", None),
    ],
)
def test_byline_name_or_headline(line, name):
    assert byline_name(line) == name


def test_live_updates_cut_short_in_json_ld_give_way_to_the_page():
    updates = [
        {"@type": "BlogPosting", "datePublished": f"2020-06-03T{t}:00+03:00", "articleBody": text[:30]}
        for t, text in (("19:05", U3), ("12:10", U2), ("08:15", U1))
    ]
    ld = {"@context": "https://schema.org", "@type": "LiveBlogPosting", "liveBlogUpdate": updates}
    page = _html(
        f"""<h1>مباشر: الانتخابات البرلمانية</h1>
        <div class="stream">{_live_post("19:05", U3)}{_live_post("12:10", U2)}{_live_post("08:15", U1)}</div>""",
        f'<script type="application/ld+json">{json.dumps(ld, ensure_ascii=False)}</script>',
    )
    assert _extract(page).body == ["19:05", U3, "12:10", U2, "08:15", U1]
