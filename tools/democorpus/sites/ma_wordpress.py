"""Moroccan WordPress news site: Moroccan month names in the byline, a fetch-day date in the top bar,
a <ul> news ticker, an ad inside the body, and the theme's untranslated "Read Previous/Read Next"."""

from __future__ import annotations

from democorpus.model import PlannedPage
from democorpus.sites.common import (
    MONTHS_MAGHREB,
    anchor,
    day_month_year,
    esc,
    hhmm,
    list_items,
    meta_description,
    section_name,
    section_slug,
    weekday,
)

THEME_COLOURS = {"atlas": "#b5121b", "sawt": "#0b5d8a"}
TAGLINES = {"atlas": "جريدة إلكترونية مغربية مستقلة", "sawt": "أخبار الرباط والمغرب على مدار الساعة"}
MENU = [
    ("الرئيسية", ""),
    ("سياسة", "politique"),
    ("مجتمع", "societe"),
    ("اقتصاد", "economie"),
    ("جهات", "regions"),
    ("رياضة", "sport"),
    ("ثقافة وفنون", "culture"),
    ("دولي", "monde"),
    ("رأي", "opinions"),
]


def render(page: PlannedPage) -> str:
    outlet, art = page.outlet, page.article
    home, colour = outlet.home, THEME_COLOURS.get(outlet.key, "#333")
    menu = "\n".join(f'<li class="menu-item"><a href="{home}/{slug}">{name}</a></li>' for name, slug in MENU)
    published = page.published
    assert published is not None, "the Moroccan WordPress style always shows a date"
    iso = published.isoformat()
    byline_date = f"{weekday(published)} {day_month_year(published, MONTHS_MAGHREB)} - {hhmm(published)}"
    fetched = page.fetched_at
    middle = max(1, len(page.body) // 2)
    paragraphs = [f"<p>{esc(p)}</p>" for p in page.body]
    paragraphs.insert(middle, '<div class="ad-inline"><span class="ad-label">إعلان</span></div>')
    author = f'<span class="meta-author">بقلم: {esc(art.author)}</span>' if art.author else ""
    previous = page.previous
    nxt = page.next
    prev_block = (
        f'<div class="prev-post"><div class="nav-label">Read Previous</div>{anchor(previous, rel="prev")}</div>'
        if previous
        else ""
    )
    next_block = (
        f'<div class="next-post"><div class="nav-label">Read Next</div>{anchor(nxt, rel="next")}</div>'
        if nxt
        else ""
    )
    return f"""<!DOCTYPE html>
<html lang="ar" dir="rtl">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{esc(page.title)} - {esc(outlet.name)}</title>
<link rel="canonical" href="{esc(page.url)}">
<meta name="description" content="{esc(meta_description(page))}">
<meta property="og:type" content="article">
<meta property="og:site_name" content="{esc(outlet.name)}">
<meta property="og:title" content="{esc(page.title)}">
<meta property="og:url" content="{esc(page.url)}">
<meta property="article:section" content="{esc(section_name(page))}">
<meta property="article:published_time" content="{iso}">
<style>
body{{margin:0;font-family:Tahoma,Arial,sans-serif;background:#f4f4f4;color:#222}}
a{{color:inherit;text-decoration:none}}#top-bar{{background:#151515;color:#ccc;font-size:13px;padding:6px 14px}}
#main-nav{{background:{colour}}}#main-nav ul{{display:flex;list-style:none;margin:0;padding:0}}
#main-nav a{{display:block;color:#fff;padding:12px 14px}}.breaking{{display:flex;background:#fff}}
.breaking-title{{background:{colour};color:#fff;padding:6px 12px}}
.breaking-news{{display:flex;gap:24px;list-style:none;margin:0;overflow:hidden;white-space:nowrap}}
.wrap{{display:flex;gap:24px;max-width:1140px;margin:20px auto}}.post{{flex:2;background:#fff;padding:22px}}
.sidebar{{flex:1}}.post-title{{font-size:30px;line-height:1.5}}.post-meta{{color:#777;font-size:12px}}
.entry-content{{font-size:18px;line-height:1.9}}.ad-inline{{background:#eee;height:90px}}
.post-nav{{display:flex;justify-content:space-between}}.nav-label{{color:{colour};font-size:12px}}
footer{{background:#111;color:#aaa;padding:28px}}
</style>
</head>
<body class="post-template-default single single-post">
<div id="top-bar"><span class="today-date">{weekday(fetched)} {day_month_year(fetched, MONTHS_MAGHREB)}</span>
<ul class="social-icons"><li><a href="https://facebook.com/{outlet.key}">فيسبوك</a></li>
<li><a href="https://twitter.com/{outlet.key}">تويتر</a></li><li><a href="https://youtube.com/{outlet.key}">يوتيوب</a></li></ul></div>
<header id="masthead"><div class="logo"><a href="{home}/">{esc(outlet.name)}</a>
<span class="tagline">{esc(TAGLINES.get(outlet.key, ""))}</span></div>
<div class="header-ad"><span class="ad-label">مساحة إعلانية</span></div></header>
<nav id="main-nav"><ul>
{menu}
</ul></nav>
<div class="breaking"><div class="breaking-title">شريط الأخبار :</div><ul class="breaking-news">
{list_items(page.ticker)}
</ul></div>
<div class="wrap">
<article class="post">
<div id="breadcrumb"><a href="{home}/">الرئيسية</a> » <a href="{home}/{section_slug(page)}">{esc(section_name(page))}</a></div>
<h1 class="post-title">{esc(page.title)}</h1>
<div class="post-meta">{author} <span class="meta-date"><time datetime="{iso}">{byline_date}</time></span></div>
<div class="entry-content">
{chr(10).join(paragraphs)}
</div>
<div class="share-links">شارك المقال: <a href="https://www.facebook.com/sharer.php?u={esc(page.url)}">فيسبوك</a> <a href="https://twitter.com/intent/tweet?url={esc(page.url)}">تويتر</a> <a href="whatsapp://send?text={esc(page.url)}">واتساب</a></div>
<div class="post-nav">
{prev_block}
{next_block}
</div>
<section class="related-posts"><h3>مقالات ذات صلة</h3><ul>
{list_items(page.related)}
</ul></section>
<div id="comments"><h3>اترك تعليقا</h3><p class="comment-notes">لن يتم نشر عنوان بريدك الإلكتروني. الحقول الإلزامية مشار إليها بـ *</p></div>
</article>
<aside class="sidebar">
<section class="widget"><h3 class="widget-title">الأكثر قراءة</h3><ul>
{list_items(page.most_read)}
</ul></section>
<section class="widget newsletter"><h3 class="widget-title">النشرة البريدية</h3><p>اشترك ليصلك جديد الأخبار كل صباح.</p></section>
</aside>
</div>
<footer id="footer"><ul class="footer-menu"><li><a href="{home}/about">من نحن</a></li><li><a href="{home}/contact">اتصل بنا</a></li><li><a href="{home}/privacy">سياسة الخصوصية</a></li></ul>
<div class="copyright">© {fetched.year} {esc(outlet.name)}. جميع الحقوق محفوظة.</div></footer>
<script>window.dataLayer=window.dataLayer||[];</script>
</body>
</html>
"""
