"""Four page styles of our own for the extraction benchmark (issue 19), beside pagebench's five.

Each is a pagebench template, render(article, rng, pool) -> dict (see ../shared/tools/pagebench/make_pages.py),
standing for a kind of page that unseen sites have, not for one site:

- aspnet_webforms: an ASP.NET WebForms portal. One <form> wraps the whole page (view state, event
  validation), layout tables, no <article>/<main>/<h1>, the body in a <span> split by <br>s, a search box and
  a comment form inside the same form, a poll in the side column, a byline that is sometimes the outlet's
  own name, and a "GMT" time.
- live_coverage: a live page. Every update (its time, sometimes a headline, its text) in order, a photo
  gallery with captions inside the stream, a pinned box of other coverage; half the pages carry
  LiveBlogPosting JSON-LD with its liveBlogUpdate list. The gold body is every update with its time.
- policy_metadata: a Gulf paper's page. A metadata box ("المصدر:", "التاريخ:") and a dateline-only line
  ("(دبي - الخليج اليوم)") open the body, photo credits ("© REUTERS / ...") and captions inside it, a
  paragraph that is only a byte-order mark, a comment policy after it, and a byline "Name - City".
- recurring_chrome: an outlet whose chrome is the same on every page and sits inside the article's own
  container (a tool row at the top, a standing paragraph about the outlet at the end) or beside it (a box
  about its newsroom, longer than a short news item). Only the outlet's profile (lines it repeats across
  pages, extract/profile.py) can tell them from news.

The article text is real (the ANT corpus, read at run time); sites, people and places in the chrome are
fictional. A template may return "body" (the gold paragraphs) when the page shows more than the article's
paragraphs, as live coverage shows each update's time.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import urllib.parse

MONTHS = (
    "يناير",
    "فبراير",
    "مارس",
    "أبريل",
    "مايو",
    "يونيو",
    "يوليو",
    "أغسطس",
    "سبتمبر",
    "أكتوبر",
    "نوفمبر",
    "ديسمبر",
)
WEEKDAYS = ("الاثنين", "الثلاثاء", "الأربعاء", "الخميس", "الجمعة", "السبت", "الأحد")
REPORTERS = (
    "حسام أبو العلا",
    "منى الشريف",
    "خالد بن سالم",
    "ريم الحسيني",
    "عمر الفاروق",
    "سلمى يوسف",
    "طارق النجار",
    "هالة عبد الرحمن",
)
DESKS = ("قسم الأخبار المحلية", "المحرر الاقتصادي", "فريق التحرير", "وحدة الرصد")
CITIES = ("القاهرة", "دبي", "الرياض", "عمّان", "بيروت", "الدوحة", "الرباط", "تونس", "بغداد", "الكويت")
PHOTO_AGENCIES = ("REUTERS", "AFP", "AP", "EPA", "Getty Images")
PHOTOGRAPHERS = ("Mohamed Abd El Ghany", "Amr Nabil", "Karim Sahib", "Ahmad Gharabli", "Giuseppe Cacace")


def esc(text: object) -> str:
    return html.escape(str(text), quote=True)


def day(d: dt.datetime) -> str:
    return f"{d.day:02d} {MONTHS[d.month - 1]} {d.year}"


def hhmm(t: dt.datetime) -> str:
    return f"{t.hour:02d}:{t.minute:02d}"


class Slots:
    """Other articles' teasers in turn, so headlines rarely repeat on a page."""

    def __init__(self, pool: list[dict]) -> None:
        self._pool, self._next = pool, 0

    def take(self, n: int) -> list[dict]:
        out = [self._pool[(self._next + i) % len(self._pool)] for i in range(n)]
        self._next += n
        return out


def byline(rng, site: str) -> tuple[str, str | None]:
    """What a byline shows and the author it names: a reporter, a desk, or the outlet's own name (none)."""
    r = rng.random()
    if r < 0.55:
        name = rng.choice(REPORTERS)
        return name, name
    if r < 0.8:
        name = rng.choice(DESKS)
        return name, name
    return site, None


# ====================================================== (1) ASP.NET WebForms portal


def aspnet_webforms(article, rng, pool):
    site, home = "بوابة الوطن الإخبارية", "https://www.watan-portal.example"
    pub, now = article["published"], article["fetched_at"]
    news_id = rng.randint(100000, 999999)
    url = f"{home}/NewsDetails.aspx?NewsID={news_id}"
    title = article["title"]
    slots = Slots(pool)
    shown, author = byline(rng, site)
    prefix = rng.choice(["كتب: ", "بقلم: ", ""]) if author else ""
    viewstate = "".join(
        rng.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/") for _ in range(600)
    )
    cph = "ctl00_ContentPlaceHolder1"

    def link(t):
        return f'<a href="{home}/NewsDetails.aspx?NewsID={rng.randint(100000, 999999)}">{esc(t["title"])}</a>'

    variant = rng.choice(["span", "paragraphs", "font"])
    if variant == "span":  # one label, paragraphs split by <br>s
        body = f'<span id="{cph}_lblBody" class="Details">' + "<br /><br />\r\n".join(
            esc(p) for p in article["body"]
        )
        body += "</span>"
        title_html = f'<span id="{cph}_lblTitle" class="NewsTitle">{esc(title)}</span>'
    elif variant == "paragraphs":  # a panel of <p>s, the title in an <h2>
        body = (
            f'<div id="{cph}_pnlDetails">' + "".join(f"<p>{esc(p)}</p>" for p in article["body"]) + "</div>"
        )
        title_html = f'<h2 id="{cph}_hTitle">{esc(title)}</h2>'
    else:  # old editor output: <font> runs and <br>s in a cell
        body = "".join(f'<font face="Tahoma" size="3">{esc(p)}</font><br /><br />' for p in article["body"])
        title_html = f'<font size="5" color="#990000"><b>{esc(title)}</b></font>'
    readers = "".join(
        f'<tr><td class="CommentName">{esc(t["outlet"])}</td></tr><tr><td class="CommentText">{esc(t["lead"])}</td></tr>'
        for t in slots.take(rng.randint(0, 3))
    )
    menu = "".join(
        f'<td class="MenuItem"><a id="ctl00_Menu1_lnk{i}" href="{home}/Section.aspx?ID={i}">{n}</a></td>'
        for i, n in enumerate(
            ["الرئيسية", "محليات", "عربي ودولي", "اقتصاد", "رياضة", "ثقافة", "مقالات", "اتصل بنا"]
        )
    )
    side = "".join(f'<tr><td class="SideLink">{link(t)}</td></tr>' for t in slots.take(8))
    related = "".join(f'<tr><td class="RelatedItem">&raquo; {link(t)}</td></tr>' for t in slots.take(5))
    most_read = "".join(f"<tr><td>{i + 1}</td><td>{link(t)}</td></tr>" for i, t in enumerate(slots.take(6)))
    poll_options = "".join(
        f'<tr><td><input id="ctl00_Poll1_rbl_{i}" type="radio" name="ctl00$Poll1$rbl" value="{i}" />'
        f'<label for="ctl00_Poll1_rbl_{i}">{o}</label></td></tr>'
        for i, o in enumerate(["ممتاز", "جيد", "مقبول", "ضعيف"])
    )
    gmt = pub.astimezone(dt.UTC)
    date_line = rng.choice(
        [
            f"{WEEKDAYS[pub.weekday()]} {day(pub)} - {hhmm(pub)}",
            f"{day(pub)} | {hhmm(gmt)} GMT",
            f"نشر بتاريخ: {pub.day}/{pub.month}/{pub.year} {hhmm(pub)}",
        ]
    )
    page = f"""<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html xmlns="http://www.w3.org/1999/xhtml" dir="rtl" lang="ar">
<head id="ctl00_Head1"><meta http-equiv="Content-Type" content="text/html; charset=utf-8" /><title>
	{esc(site)} - {esc(title)}
</title><link href="../App_Themes/Default/Style.css" type="text/css" rel="stylesheet" />
<meta name="description" content="{esc(article["abstract"])}" /></head>
<body id="ctl00_body">
    <form name="aspnetForm" method="post" action="./NewsDetails.aspx?NewsID={news_id}" id="aspnetForm">
<div class="aspNetHidden">
<input type="hidden" name="__EVENTTARGET" id="__EVENTTARGET" value="" />
<input type="hidden" name="__EVENTARGUMENT" id="__EVENTARGUMENT" value="" />
<input type="hidden" name="__VIEWSTATE" id="__VIEWSTATE" value="/wEPDwUK{viewstate}" />
</div>
<script type="text/javascript">
//<![CDATA[
var theForm = document.forms['aspnetForm'];
function __doPostBack(eventTarget, eventArgument) {{ if (!theForm.onsubmit || (theForm.onsubmit() != false)) {{ theForm.__EVENTTARGET.value = eventTarget; theForm.submit(); }} }}
//]]>
</script>
<table id="tblMain" width="980" border="0" cellpadding="0" cellspacing="0" align="center">
<tr><td colspan="3" class="Header">
  <table width="100%"><tr>
    <td><a id="ctl00_lnkLogo" href="{home}/Default.aspx"><img src="{home}/images/logo.gif" alt="{esc(site)}" border="0" /></a></td>
    <td class="SearchBox"><input name="ctl00$txtSearch" type="text" id="ctl00_txtSearch" class="SearchText" />
    <input type="submit" name="ctl00$btnSearch" value="بحث" id="ctl00_btnSearch" /> <a href="{home}/AdvancedSearch.aspx">بحث متقدم</a></td>
    <td class="Today">{WEEKDAYS[now.weekday()]} {day(now)}</td>
  </tr></table>
  <table class="Menu" width="100%"><tr>{menu}</tr></table>
</td></tr>
<tr>
<td width="200" valign="top" class="RightCol">
  <table width="100%" class="SideBox"><tr><td class="SideTitle">أخبار عاجلة</td></tr>{side}</table>
</td>
<td valign="top" class="CenterCol">
  <table width="100%" cellpadding="4"><tr><td class="PathBar"><a href="{home}/Default.aspx">الرئيسية</a> &gt; <a href="{home}/Section.aspx?ID=1">محليات</a></td></tr>
  <tr><td>{title_html}</td></tr>
  <tr><td class="NewsInfo"><span id="{cph}_lblWriter" class="Writer">{esc(prefix + shown)}</span>
  &nbsp;&nbsp;<span id="{cph}_lblDate" class="NewsDate">{esc(date_line)}</span></td></tr>
  <tr><td><img id="{cph}_imgNews" src="{home}/NewsImages/{news_id}.jpg" width="500" border="0" /></td></tr>
  <tr><td class="NewsBody">{body}</td></tr>
  <tr><td class="Tools"><a id="{cph}_lnkPrint" href="javascript:__doPostBack('ctl00$ContentPlaceHolder1$lnkPrint','')">طباعة</a> |
  <a href="{home}/SendToFriend.aspx?NewsID={news_id}">أرسل لصديق</a> | <a href="https://www.facebook.com/sharer.php?u={urllib.parse.quote(url)}">فيسبوك</a> |
  <a href="https://twitter.com/share?url={urllib.parse.quote(url)}">تويتر</a></td></tr>
  <tr><td class="RelatedTitle">أخبار ذات صلة</td></tr>
  <tr><td><table id="{cph}_dlRelated" width="100%">{related}</table></td></tr>
  <tr><td class="CommentsTitle">تعليقات القراء</td></tr>
  <tr><td><table id="{cph}_dlComments" width="100%">{readers}</table></td></tr>
  <tr><td class="CommentsTitle">أضف تعليقك</td></tr>
  <tr><td><div id="{cph}_pnlAddComment">
    <table><tr><td>الاسم:</td><td><input name="ctl00$ContentPlaceHolder1$txtName" type="text" id="{cph}_txtName" /></td></tr>
    <tr><td>البريد الإلكتروني:</td><td><input name="ctl00$ContentPlaceHolder1$txtEmail" type="text" id="{cph}_txtEmail" /></td></tr>
    <tr><td>التعليق:</td><td><textarea name="ctl00$ContentPlaceHolder1$txtComment" rows="5" cols="50" id="{cph}_txtComment"></textarea></td></tr>
    <tr><td colspan="2"><input type="submit" name="ctl00$ContentPlaceHolder1$btnSend" value="إرسال" id="{cph}_btnSend" />
    <span class="Note">التعليقات المنشورة لا تعبر عن رأي الموقع وإنما عن رأي أصحابها، ويحتفظ الموقع بحق حذف أي تعليق.</span></td></tr></table>
  </div></td></tr>
  </table>
</td>
<td width="220" valign="top" class="LeftCol">
  <table width="100%" class="SideBox"><tr><td colspan="2" class="SideTitle">الأكثر قراءة</td></tr>{most_read}</table>
  <table width="100%" class="SideBox"><tr><td class="SideTitle">استطلاع الرأي</td></tr>
  <tr><td>ما رأيك في التصميم الجديد للموقع؟</td></tr>{poll_options}
  <tr><td><input type="submit" name="ctl00$Poll1$btnVote" value="تصويت" id="ctl00_Poll1_btnVote" /> <a href="{home}/PollResults.aspx">النتائج</a></td></tr></table>
</td>
</tr>
<tr><td colspan="3" class="Footer">جميع الحقوق محفوظة &copy; {now.year} {esc(site)} | <a href="{home}/About.aspx">من نحن</a> | <a href="{home}/Contact.aspx">اتصل بنا</a><br />
تصميم وتطوير: شركة الحلول الرقمية</td></tr>
</table>
<div class="aspNetHidden">
<input type="hidden" name="__EVENTVALIDATION" id="__EVENTVALIDATION" value="/wEdAA{viewstate[:120]}" />
</div></form>
</body>
</html>
"""
    return {"html": page, "url": url, "published": pub.date(), "author": author}


# ====================================================== (2) live coverage


def live_coverage(article, rng, pool):
    site, home = "نبض الحدث", "https://www.nabd-alhadath.example"
    pub, now = article["published"], article["fetched_at"]
    live_id = rng.randint(10000, 99999)
    url = f"{home}/live/{live_id}"
    title = article["title"]
    slots = Slots(pool)
    paragraphs = list(article["body"])
    numbered = rng.random() < 0.5  # <article class="post post-123"> units, an update may have a lead line
    groups: list[list[str]] = []
    while paragraphs:
        take = 2 if numbered and len(paragraphs) >= 2 and rng.random() < 0.4 else 1
        groups.append(paragraphs[:take])
        paragraphs = paragraphs[take:]
    span = max(len(groups), int((now - pub).total_seconds() // 60))
    offsets = sorted(rng.sample(range(0, span), len(groups)))
    times = [pub + dt.timedelta(minutes=m) for m in offsets]
    updates = list(zip(times, groups, strict=True))[::-1]  # newest first, as live pages show
    shown, author = byline(rng, site)
    gallery_at = rng.randint(1, max(1, len(updates) - 1))
    gold: list[str] = []
    items = []
    for i, (when, texts) in enumerate(updates):
        if i == gallery_at:
            slides = "".join(
                f'<div class="slide"><img src="{home}/img/g{live_id}-{k}.jpg" alt="" />'
                f'<p class="slide-text">{esc(t["lead"])}</p><span>© {rng.choice(PHOTO_AGENCIES)}</span></div>'
                for k, t in enumerate(slots.take(3))
            )
            items.append(
                f'<div class="live-gallery"><div class="gallery-title">صور من الحدث</div>{slides}</div>'
            )
        picture = ""
        if rng.random() < 0.25:
            lead = slots.take(1)[0]["lead"]
            picture = (
                f'<figure><img src="{home}/img/{live_id}-{i}.jpg" alt="" /><figcaption>{esc(lead)} '
                f"© {rng.choice(PHOTO_AGENCIES)}</figcaption></figure>"
            )
        if numbered:
            lead_line = f"<h3>{esc(texts[0])}</h3>" if len(texts) == 2 else ""
            rest = "".join(f"<p>{esc(t)}</p>" for t in texts[len(texts) - 1 :])
            items.append(
                f'<article class="post post-{live_id + i}" id="p{i}"><header><span class="ts">{hhmm(when)}</span>'
                f'</header>{lead_line}{rest}{picture}<footer><a href="#p{i}">رابط التحديث</a></footer></article>'
            )
        else:
            items.append(
                f'<div class="live-post" id="post-{live_id}-{i}"><div class="post-time">'
                f'<time datetime="{when.isoformat()}">{hhmm(when)}</time></div>'
                f'<div class="post-content"><p>{esc(texts[0])}</p>{picture}</div>'
                f'<div class="post-share"><a href="#">شارك</a></div></div>'
            )
        gold += [hhmm(when), *texts]
    key_events = ""
    if numbered:
        key_events = (
            '<ul class="key-events">'
            + "".join(
                f'<li><a href="#p{i}">{hhmm(w)} {esc(" ".join(t[0].split()[:6]))}</a></li>'
                for i, (w, t) in enumerate(updates[:4])
            )
            + "</ul>"
        )
    ld = {
        "@context": "https://schema.org",
        "@type": "LiveBlogPosting",
        "headline": title,
        "url": url,
        "datePublished": pub.isoformat(),
        "coverageStartTime": pub.isoformat(),
        "dateModified": updates[0][0].isoformat(),
        "publisher": {"@type": "Organization", "name": site},
        "liveBlogUpdate": [
            {
                "@type": "BlogPosting",
                "headline": texts[0] if len(texts) == 2 else texts[0][:60],
                "datePublished": when.isoformat(),
                "articleBody": texts[-1],
            }
            for when, texts in updates
        ],
    }
    if author:
        ld["author"] = {"@type": "Person" if author in REPORTERS else "Organization", "name": author}
    jsonld = (
        f'<script type="application/ld+json">{json.dumps(ld, ensure_ascii=False)}</script>'
        if rng.random() < 0.5
        else ""
    )
    pinned = "".join(
        f'<li><a href="{home}/news/{rng.randint(10**5, 10**6)}">{esc(t["title"])}</a></li>'
        for t in slots.take(4)
    )
    latest = "".join(
        f'<div class="card"><a href="{home}/news/{rng.randint(10**5, 10**6)}"><h3>{esc(t["title"])}</h3></a><p>{esc(t["para"])}</p></div>'
        for t in slots.take(6)
    )
    page = f"""<!doctype html>
<html lang="ar" dir="rtl">
<head><meta charset="utf-8"><title>مباشر | {esc(title)} | {esc(site)}</title>
<meta property="og:title" content="{esc(title)}"><meta property="og:site_name" content="{esc(site)}">
<meta property="og:type" content="article">{jsonld}</head>
<body class="live-page">
<header class="site-header"><a class="logo" href="{home}/">{esc(site)}</a>
<nav><ul><li><a href="{home}/">الرئيسية</a></li><li><a href="{home}/live">تغطيات مباشرة</a></li><li><a href="{home}/world">العالم</a></li></ul></nav></header>
<div class="page">
<div class="live-head"><span class="live-badge">مباشر</span>
<h1>{esc(title)}</h1>
<div class="live-meta"><span class="by">إعداد: {esc(shown)}</span> <span class="started">بدأت التغطية: {day(pub)} - {hhmm(pub)}</span></div>
<div class="refresh">يتم تحديث الصفحة تلقائيا</div>{key_events}</div>
<div class="live-layout">
<div class="live-stream">{"".join(items)}</div>
<div class="live-side"><div class="pinned"><h4>تغطيات ذات صلة</h4><ul>{pinned}</ul></div>
<div class="more"><h4>آخر الأخبار</h4>{latest}</div></div>
</div></div>
<footer>© {now.year} {esc(site)} - جميع الحقوق محفوظة</footer>
</body></html>
"""
    return {"html": page, "url": url, "published": pub.date(), "author": author, "body": gold}


# ====================================================== (3) comment policy, metadata box, credits


def policy_metadata(article, rng, pool):
    site, home = "الخليج اليوم", "https://www.khaleej-today.example"
    pub, now = article["published"], article["fetched_at"]
    art_id = rng.randint(1000000, 9999999)
    url = f"{home}/news/{pub.year}/{art_id}"
    title = article["title"]
    slots = Slots(pool)
    reporter = rng.choice(REPORTERS)
    city = rng.choice(CITIES)
    shown_byline = rng.choice(
        [f"{reporter} - {city}", f"{reporter} – {city}", f"{reporter}، {city}", f"بقلم: {reporter} ({city})"]
    )
    dateline = f"({rng.choice(CITIES)} - {site})"
    credit_at = rng.randint(1, len(article["body"]))
    parts = [f"<p>{esc(dateline)}</p>"]
    for i, text in enumerate(article["body"]):
        if i == credit_at - 1 and rng.random() < 0.5:
            parts.append("<p>\ufeff</p>")
        parts.append(f"<p>{esc(text)}</p>")
        if i == credit_at - 1:
            agency, who = rng.choice(PHOTO_AGENCIES), rng.choice(PHOTOGRAPHERS)
            credit = rng.choice(
                [
                    f"© {agency} / {who}",
                    f"{agency}/{who}",
                    f"صورة: {agency}",
                    f"© {agency}",
                    f"Photo: {agency}",
                ]
            )
            wrap = rng.choice(["p", "small", "span"])
            parts.append(
                f'<div class="img-block"><img src="{home}/img/{art_id}-{i}.jpg" alt="" />'
                f"<{wrap}>{esc(credit)}</{wrap}></div>"
            )
    policy = rng.choice(
        [
            f"<p>ترحب {esc(site)} بالنقاش الحيوي والمفيد، وكي لا تضطر إدارة الموقع في المستقبل لإغلاق باب"
            " النقاش، نرجو الالتزام بآداب الحوار وعدم الإساءة إلى الأشخاص أو المعتقدات، وتجنب الخروج عن موضوع"
            " المقال.</p><p>الآراء الواردة أدناه تعبر عن آراء أصحابها ولا تعبر بالضرورة عن رأي الصحيفة، ويحق"
            " للموقع حذف أي تعليق يخالف شروط النشر.</p>",
            "<p>نرحب بتعليقاتكم ومشاركاتكم، على أن تلتزم بقواعد النشر وتبتعد عن التجريح والإساءة والتحريض،"
            " وتكتب باللغة العربية الفصحى أو باللهجة المفهومة.</p><p>التعليقات المنشورة تعبر عن آراء أصحابها"
            " ولا تمثل رأي الموقع أو سياسته التحريرية بأي حال من الأحوال.</p>",
        ]
    )
    source = rng.choice(["وام", "فرانس برس", site, "رويترز"])
    related = "".join(
        f'<li><a href="{home}/news/{rng.randint(10**6, 10**7)}">{esc(t["title"])}</a><span>{day(t["published"])}</span></li>'
        for t in slots.take(5)
    )
    meta = (
        f'<meta property="article:published_time" content="{pub.isoformat()}">' if rng.random() < 0.5 else ""
    )
    metadata = rng.choice(
        [
            f'<div class="metadata"><div class="field">المصدر: {esc(source)}</div>'
            f'<div class="field">التاريخ: {day(pub)}</div></div>',
            f'<ul class="info"><li>المصدر: {esc(source)}</li><li>تاريخ النشر: {day(pub)}</li></ul>',
            f"<table><tr><td>المصدر:</td><td>{esc(source)}</td></tr><tr><td>التاريخ:</td><td>{day(pub)}</td></tr></table>",
        ]
    )
    page = f"""<!DOCTYPE html>
<html lang="ar" dir="rtl"><head><meta charset="utf-8"><title>{esc(title)} - {esc(site)}</title>
<meta property="og:site_name" content="{esc(site)}"><meta property="og:title" content="{esc(title)}">{meta}</head>
<body><div id="wrapper">
<div class="top"><a href="{home}/">{esc(site)}</a> <a href="{home}/epaper">النسخة الورقية</a> <a href="{home}/subscribe">اشترك</a></div>
<div class="menu"><a href="{home}/uae">الإمارات</a> <a href="{home}/gulf">الخليج</a> <a href="{home}/world">عربي ودولي</a> <a href="{home}/economy">اقتصاد</a></div>
<div class="container"><div class="col-9">
<div class="section-name">عربي ودولي</div>
<h1 class="headline">{esc(title)}</h1>
<div class="byline">{esc(shown_byline)}</div>
<div class="article">
{metadata}
{"".join(parts)}
</div>
<div class="box-policy">{policy}</div>
<div class="comments-box"><h3>التعليقات</h3><p>لا توجد تعليقات بعد، كن أول من يعلق.</p></div>
</div>
<div class="col-3"><h3>أخبار ذات صلة</h3><ul>{related}</ul></div></div>
<div class="footer">جميع الحقوق محفوظة © {now.year} {esc(site)}</div>
</div></body></html>
"""
    original = None if source == site else source  # "المصدر: رويترز" credits the article's origin
    return {
        "html": page,
        "url": url,
        "published": pub.date(),
        "author": reporter,
        "original_source": original,
    }


# ====================================================== (4) an outlet's recurring chrome

RECURRING_TOOLS = "حجم الخط | طباعة | حفظ | أرسل إلى صديق | الرابط المختصر"
RECURRING_ABOUT = (
    "صحيفة المرصد الجديد يومية مستقلة تصدر عن دار المرصد للنشر منذ عام 1994، وتتابع الأحداث المحلية"
    " والعربية والدولية على مدار الساعة من مكاتبها ومراسليها."
)
RECURRING_DESK = (
    "يعمل في المرصد الجديد فريق من المحررين والمراسلين في العواصم العربية، ويلتزم ميثاقا مهنيا ينشره على"
    " صفحاته، ويصحح ما يقع فيه من أخطاء في أقرب وقت، ويفصل بين الخبر والرأي، ويذكر مصادره كلما أمكن ذلك،"
    " ويستقبل ملاحظات القراء وتصويباتهم على بريده، ويرد عليها خلال يومين من أيام العمل."
)
RECURRING_APP = "حمّلوا تطبيق المرصد الجديد على هواتفكم لقراءة الخبر لحظة وقوعه."


def recurring_chrome(article, rng, pool):
    site, home = "المرصد الجديد", "https://www.almarsad-aljadeed.example"
    pub, now = article["published"], article["fetched_at"]
    art_id = rng.randint(100000, 999999)
    url = f"{home}/article/{art_id}"
    title = article["title"]
    slots = Slots(pool)
    shown, author = byline(rng, site)
    body = "".join(f"<p>{esc(p)}</p>" for p in article["body"])
    bottom = f"<p>{RECURRING_ABOUT}</p>" + (f"<p>{RECURRING_APP}</p>" if rng.random() < 0.7 else "")
    teasers = "".join(
        f'<div class="item"><a href="{home}/article/{rng.randint(10**5, 10**6)}">{esc(t["title"])}</a></div>'
        for t in slots.take(6)
    )
    page = f"""<!DOCTYPE html>
<html lang="ar" dir="rtl"><head><meta charset="utf-8"><title>{esc(title)} | {esc(site)}</title>
<meta property="og:site_name" content="{esc(site)}"><meta name="description" content="{esc(article["abstract"])}">
</head><body>
<div class="header"><a href="{home}/">{esc(site)}</a><div class="nav"><a href="{home}/local">محليات</a> <a href="{home}/arab">عربي</a> <a href="{home}/intl">دولي</a></div></div>
<div class="main"><div class="story">
<h2 class="story-title">{esc(title)}</h2>
<div class="story-info"><span class="name">{esc(shown)}</span> <span class="when">{WEEKDAYS[pub.weekday()]} {day(pub)} {hhmm(pub)}</span></div>
<div class="story-text">
<div class="tools-row">{RECURRING_TOOLS}</div>
{body}
{bottom}
</div></div>
<div class="others"><div class="head">المزيد من {esc(site)}</div>{teasers}</div>
<div class="about-desk"><p>{RECURRING_ABOUT}</p><p>{RECURRING_DESK}</p></div></div>
<div class="foot">{esc(site)} {now.year}</div>
</body></html>
"""
    return {"html": page, "url": url, "published": pub.date(), "author": author}


TEMPLATES = {
    "aspnet_webforms": aspnet_webforms,
    "live_coverage": live_coverage,
    "policy_metadata": policy_metadata,
    "recurring_chrome": recurring_chrome,
}
