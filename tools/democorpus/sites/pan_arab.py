"""Pan-Arab news site: og: and article: meta, a <time datetime> byline, a marquee ticker, numbered
most-read list, tags and "more on this" links."""

from __future__ import annotations

from democorpus.model import PlannedPage
from democorpus.sites.common import (
    MONTHS_EGYPT,
    anchor,
    day_month_year,
    esc,
    hhmm,
    list_items,
    meta_description,
    section_name,
    section_slug,
)


def render(page: PlannedPage) -> str:
    outlet = page.outlet
    home = outlet.home
    assert page.published is not None
    when = page.published
    iso = when.isoformat()
    ticker = "".join(f'<a href="{esc(link.url)}">{esc(link.title)}</a>' for link in page.ticker)
    author = f'<span class="byline-author">{esc(page.article.author)}</span>' if page.article.author else ""
    author_meta = f'<meta name="author" content="{esc(page.article.author)}">' if page.article.author else ""
    paragraphs = "\n".join(f"<p>{esc(p)}</p>" for p in page.body)
    more = []
    if page.previous:
        more.append(f'<li class="prev">السابق: {anchor(page.previous, rel="prev")}</li>')
    if page.next:
        more.append(f'<li class="next">التالي: {anchor(page.next, rel="next")}</li>')
    return f"""<!DOCTYPE html>
<html lang="ar" dir="rtl" prefix="og: http://ogp.me/ns#">
<head>
<meta charset="utf-8">
<title>{esc(page.title)} | {esc(outlet.name)}</title>
<link rel="canonical" href="{esc(page.url)}">
<meta name="description" content="{esc(meta_description(page))}">
<meta property="og:site_name" content="{esc(outlet.name)}">
<meta property="og:type" content="article">
<meta property="og:title" content="{esc(page.title)}">
<meta property="og:description" content="{esc(meta_description(page))}">
<meta property="og:url" content="{esc(page.url)}">
<meta property="og:image" content="{home}/media/{esc(page.article.slug)}.jpg">
<meta property="article:published_time" content="{iso}">
<meta property="article:section" content="{esc(section_name(page))}">
<meta name="twitter:card" content="summary_large_image">
{author_meta}
</head>
<body>
<header><div class="brand"><a href="{home}/">{esc(outlet.name)}</a></div>
<nav class="sections"><ul><li><a href="{home}/politics">سياسة</a></li><li><a href="{home}/economy">اقتصاد</a></li><li><a href="{home}/sport">رياضة</a></li><li><a href="{home}/culture">ثقافة</a></li><li><a href="{home}/opinion">آراء</a></li></ul></nav></header>
<div class="newsbar"><span class="newsbar-title">آخر الأخبار</span><marquee direction="right" scrollamount="5">{ticker}</marquee></div>
<main>
<article class="story">
<div class="kicker"><a href="{home}/{section_slug(page)}">{esc(section_name(page))}</a></div>
<h1 class="story-title">{esc(page.title)}</h1>
<div class="story-meta">{author} <time datetime="{iso}">{day_month_year(when, MONTHS_EGYPT)} - {hhmm(when)}</time></div>
<figure><img src="{home}/media/{esc(page.article.slug)}.jpg" alt=""><figcaption>صورة من الأرشيف</figcaption></figure>
<div class="story-body">
{paragraphs}
</div>
<div class="story-tools">شارك: فيسبوك | تويتر | تيليغرام | نسخ الرابط</div>
<ul class="story-nav">
{chr(10).join(more)}
</ul>
</article>
<aside>
<section class="related"><h2>اقرأ أيضا</h2><ul>
{list_items(page.related)}
</ul></section>
<section class="popular"><h2>الأكثر قراءة</h2><ol>
{list_items(page.most_read)}
</ol></section>
<section class="newsletter"><h2>النشرة الإخبارية</h2><p>أهم أخبار اليوم في بريدك كل مساء.</p></section>
</aside>
</main>
<footer><p>© {page.fetched_at.year} {esc(outlet.name)} - جميع الحقوق محفوظة</p><p><a href="{home}/terms">شروط الاستخدام</a> | <a href="{home}/privacy">الخصوصية</a></p></footer>
</body>
</html>
"""
