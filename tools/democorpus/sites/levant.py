"""Lebanese site: Levantine month names ("21 أيلول 2017"), the body one <div> split by <br><br> with an ad
block in the middle, a later "آخر تحديث" line, a marquee ticker, and the fetch day's date in the top bar.
A page may state no date at all."""

from __future__ import annotations

from datetime import timedelta

from democorpus.model import PlannedPage
from democorpus.sites.common import (
    MONTHS_LEVANT,
    anchor,
    day_month_year,
    esc,
    hhmm,
    list_items,
    section_name,
    weekday,
)


def levant_date(when) -> str:
    return f"{weekday(when)} {day_month_year(when, MONTHS_LEVANT)}"


def render(page: PlannedPage) -> str:
    outlet = page.outlet
    home = outlet.home
    chunks = [esc(p) for p in page.body]
    middle = max(1, len(chunks) // 2)
    ad = '<div class="ad-slot"><small>إعلان</small></div>'
    body = "<br><br>".join(chunks[:middle]) + ad + "<br><br>".join(chunks[middle:])
    if page.published is not None:
        updated = page.published + timedelta(minutes=47 + len(page.body) * 13)
        dates = (
            f'<div class="date">{levant_date(page.published)} - {hhmm(page.published)}</div>\n'
            f'<div class="updated">آخر تحديث: {levant_date(updated)} - {hhmm(updated)}</div>'
        )
    else:
        dates = ""
    author = f'<div class="writer">{esc(page.article.author)}</div>' if page.article.author else ""
    ticker = "&nbsp;&nbsp;&nbsp;".join(
        f'<a href="{esc(link.url)}">{esc(link.title)}</a>' for link in page.ticker
    )
    prev_link = f'<div class="prev">المقال السابق: {anchor(page.previous)}</div>' if page.previous else ""
    next_link = f'<div class="next">المقال التالي: {anchor(page.next)}</div>' if page.next else ""
    return f"""<!DOCTYPE html>
<html lang="ar" dir="rtl">
<head>
<meta charset="utf-8">
<title>{esc(page.title)} | {esc(outlet.name)}</title>
<link rel="canonical" href="{esc(page.url)}">
<meta property="og:site_name" content="{esc(outlet.name)}">
<meta property="og:title" content="{esc(page.title)}">
<style>.ticker{{background:#0e3d2c;color:#fff;display:flex}}.ticker marquee a{{color:#fff}}
.article-body{{font-size:17px;line-height:1.9}}.ad-slot{{background:#eee;height:250px;margin:12px 0}}</style>
</head>
<body>
<div class="topbar"><span class="today">{levant_date(page.fetched_at)}</span> | <a href="{home}/login">دخول</a></div>
<div class="logo"><a href="{home}/">{esc(outlet.name)}</a></div>
<div class="menu"><a href="{home}/lebanon">لبنان</a> <a href="{home}/arab">عربي ودولي</a> <a href="{home}/economy">اقتصاد</a> <a href="{home}/sport">رياضة</a> <a href="{home}/culture">ثقافة</a></div>
<div class="ticker"><span class="label">عاجل</span><marquee behavior="scroll" direction="right" scrollamount="4">{ticker}</marquee></div>
<div class="container">
<div class="main">
<div class="section-name">{esc(section_name(page))}</div>
<h1>{esc(page.title)}</h1>
{dates}
{author}
<div class="article-body">{body}</div>
<div class="share">شارك هذا الخبر</div>
{prev_link}
{next_link}
</div>
<div class="side">
<h4>الأكثر قراءة</h4>
<ol>
{list_items(page.most_read)}
</ol>
<h4>أخبار ذات صلة</h4>
<ul>
{list_items(page.related)}
</ul>
</div>
</div>
<div class="footer">جميع الحقوق محفوظة © {esc(outlet.name)} {page.fetched_at.year} | بيروت - لبنان</div>
</body>
</html>
"""
