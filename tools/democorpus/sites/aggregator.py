"""Maghress-like aggregator: it reposts other outlets' articles with an attribution line
"نشر في <outlet> يوم dd - mm - yyyy", no date metadata of its own, a marquee ticker, an image-report
widget and a "read at the source" link to the original URL."""

from __future__ import annotations

from democorpus.model import PlannedPage
from democorpus.outlets import OUTLETS
from democorpus.sites.common import anchor, esc


def attribution_line(page: PlannedPage) -> str:
    original = page.original
    assert original is not None and original.published is not None, "an aggregator page reposts a dated page"
    when = original.published
    return f"نشر في {original.outlet.name} يوم {when.day:02d} - {when.month:02d} - {when.year}"


def render(page: PlannedPage) -> str:
    outlet = page.outlet
    original = page.original
    assert original is not None
    home = outlet.home
    sources = "\n".join(
        f'<li><a href="{home}/{o.latin.lower().replace(" ", "")}">{esc(o.name)}</a></li>'
        for o in OUTLETS.values()
        if o.key != outlet.key
    )
    ticker = "&nbsp;&nbsp;".join(f'<a href="{esc(link.url)}">{esc(link.title)}</a>' for link in page.ticker)
    related = "\n".join(
        f'<li><a href="{esc(link.url)}">{esc(link.title)}</a> <span class="src">{esc(link.outlet or "")}</span></li>'
        for link in page.related
    )
    paragraphs = "\n".join(f"<p>{esc(p)}</p>" for p in page.body)
    neighbours = []
    if page.previous:
        neighbours.append(f'<li class="older">« {anchor(page.previous)}</li>')
    if page.next:
        neighbours.append(f'<li class="newer">{anchor(page.next)} »</li>')
    return f"""<!DOCTYPE html>
<html lang="ar" dir="rtl">
<head>
<meta http-equiv="Content-Type" content="text/html; charset=utf-8">
<title>{esc(outlet.name)} : {esc(page.title)}</title>
<link rel="canonical" href="{esc(page.url)}">
<meta property="og:site_name" content="{esc(outlet.name)}">
<meta name="keywords" content="{esc(original.outlet.name)}, أخبار المغرب, جرائد">
<link rel="stylesheet" href="{home}/static/style.css">
<style>#news_bar{{background:#7a0c0c;color:#fff;display:flex}}#news_bar marquee a{{color:#fff}}
.report-box{{display:none}}.source-link{{font-weight:bold}}</style>
</head>
<body>
<div id="news_bar"><span class="bar-title">آخر الأخبار</span><marquee direction="right" scrollamount="3" onmouseover="this.stop()" onmouseout="this.start()">{ticker}</marquee></div>
<div id="header"><div id="logo"><a href="{home}/">{esc(outlet.name)}</a></div>
<div class="search"><form action="{home}/search"><input type="text" name="q" placeholder="ابحث في الجرائد"><button type="submit">بحث</button></form></div></div>
<div id="sources-menu"><ul>
{sources}
</ul></div>
<div id="content">
<div class="post-image"><img src="{home}/images/{esc(page.article.slug)}.jpg" alt="">
<div class="img-report"><a href="#" class="report-link">أبلغ عن صورة غير لائقة</a>
<div class="report-box"><div class="report-done">وصلنا بلاغك، شكرا لمساعدتنا.</div>
<div class="report-note">تختفي الصورة من تلقاء نفسها حين يبلغ عنها عدد كاف من القراء.</div></div></div></div>
<div class="post">
<h1 class="post-title"><a href="{esc(page.url)}">{esc(page.title)}</a></h1>
<div class="source-date">{attribution_line(page)}</div>
<div class="entry">
{paragraphs}
</div>
<div class="source-link"><a href="{esc(original.url)}" rel="nofollow" target="_blank">انقر هنا لقراءة الخبر من مصدره.</a></div>
</div>
<ul class="post-neighbours">
{chr(10).join(neighbours)}
</ul>
<div class="related"><h3>أخبار ذات صلة</h3><ul>
{related}
</ul></div>
</div>
<div id="footer"><p>{esc(outlet.name)} : محرك بحث إخباري يجمع ما تنشره الصحف والمواقع المغربية والعربية، والمحتوى مسؤولية مصادره.</p>
<p><a href="{home}/contact">اتصل بنا</a> | <a href="{home}/terms">شروط الاستخدام</a></p></div>
</body>
</html>
"""
