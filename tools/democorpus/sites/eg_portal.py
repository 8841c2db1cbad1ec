"""Egyptian news portal: Arabic-Indic digits in the byline ("٢١ سبتمبر ٢٠١٧ - ١٠:٣٠ ص"), JSON-LD
NewsArticle, "اقرأ أيضا: <link>" lines between the body paragraphs that are not body, and a breaking-news
strip."""

from __future__ import annotations

import json

from democorpus.model import PlannedPage
from democorpus.sites.common import (
    MONTHS_EGYPT,
    anchor,
    day_month_year,
    esc,
    indic,
    list_items,
    meta_description,
    section_name,
    weekday,
)


def egyptian_time(when) -> str:
    hour = when.hour % 12 or 12
    half = "ص" if when.hour < 12 else "م"
    return indic(f"{hour}:{when.minute:02d} {half}")


def json_ld(page: PlannedPage) -> str:
    assert page.published is not None
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": page.title,
        "datePublished": page.published.isoformat(),
        "dateModified": page.published.isoformat(),
        "mainEntityOfPage": page.url,
        "articleSection": section_name(page),
        "publisher": {"@type": "Organization", "name": page.outlet.name, "url": page.outlet.home},
        "inLanguage": "ar",
    }
    if page.article.author:
        data["author"] = {"@type": "Person", "name": page.article.author}
    return json.dumps(data, ensure_ascii=False, indent=1)


def render(page: PlannedPage) -> str:
    outlet = page.outlet
    home = outlet.home
    assert page.published is not None
    when = page.published
    byline = f"{weekday(when)}، {indic(day_month_year(when, MONTHS_EGYPT))} - {egyptian_time(when)}"
    see_also = list(page.related[:2])
    parts: list[str] = []
    for index, paragraph in enumerate(page.body):
        parts.append(f"<p>{esc(paragraph)}</p>")
        if see_also and index in (1, 3) and index < len(page.body) - 1:
            parts.append(f'<p class="read-also"><strong>اقرأ أيضا:</strong> {anchor(see_also.pop(0))}</p>')
    author = f'<span class="writer">كتب: {esc(page.article.author)}</span>' if page.article.author else ""
    breaking = "\n".join(f'<li class="urgent-item">{anchor(link)}</li>' for link in page.ticker)
    prev_next = []
    if page.previous:
        prev_next.append(f'<div class="prev-article"><span>الخبر السابق</span> {anchor(page.previous)}</div>')
    if page.next:
        prev_next.append(f'<div class="next-article"><span>الخبر التالي</span> {anchor(page.next)}</div>')
    return f"""<!DOCTYPE html>
<html lang="ar" dir="rtl">
<head>
<meta charset="utf-8">
<title>{esc(page.title)} - {esc(outlet.name)}</title>
<meta name="description" content="{esc(meta_description(page))}">
<link rel="canonical" href="{esc(page.url)}">
<meta property="og:site_name" content="{esc(outlet.name)}">
<meta property="og:title" content="{esc(page.title)}">
<meta property="og:url" content="{esc(page.url)}">
<script type="application/ld+json">
{json_ld(page)}
</script>
</head>
<body>
<header class="site-header"><div class="logo"><a href="{home}/">{esc(outlet.name)}</a></div>
<div class="header-date">{indic(day_month_year(page.fetched_at, MONTHS_EGYPT))}</div>
<nav><a href="{home}/section/1">أخبار مصر</a> <a href="{home}/section/2">عرب وعالم</a> <a href="{home}/section/3">اقتصاد</a> <a href="{home}/section/4">رياضة</a> <a href="{home}/section/5">فن</a> <a href="{home}/section/6">حوادث</a></nav></header>
<div class="urgent-bar"><div class="urgent-title">عاجل</div><ul class="urgent-items">
{breaking}
</ul></div>
<main class="article-page">
<div class="breadcrumbs"><a href="{home}/">الرئيسية</a> &gt; <a href="{home}/section">{esc(section_name(page))}</a></div>
<h1 class="article-title">{esc(page.title)}</h1>
<div class="article-info">{author} <span class="date">{byline}</span></div>
<div class="article-img"><img src="{home}/upload/{esc(page.article.slug)}.jpg" alt="{esc(page.title)}"><div class="caption">صورة أرشيفية</div></div>
<div class="article-text">
{chr(10).join(parts)}
</div>
<div class="tags"><span>الكلمات المفتاحية:</span> <a href="{home}/tags/{esc(section_name(page))}">{esc(section_name(page))}</a></div>
{chr(10).join(prev_next)}
<section class="most-read"><h2>الأكثر قراءة</h2><ol>
{list_items(page.most_read)}
</ol></section>
</main>
<footer><div>{esc(outlet.name)} - جميع الحقوق محفوظة {indic(str(page.fetched_at.year))}</div>
<div><a href="{home}/about">من نحن</a> - <a href="{home}/ads">أعلن معنا</a></div></footer>
</body>
</html>
"""
