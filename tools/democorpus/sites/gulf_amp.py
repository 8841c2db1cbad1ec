"""Gulf AMP page: <html ⚡>, AMP boilerplate, JSON-LD, a breaking strip, and a long list of teasers with
relative times ("منذ 3 ساعات", "أمس") whose <p> summaries are as long as body paragraphs."""

from __future__ import annotations

import json
from datetime import datetime

from democorpus.model import PlannedPage
from democorpus.sites.common import MONTHS_EGYPT, anchor, esc, hhmm, section_name


def relative_label(when: datetime, now: datetime) -> str:
    """How long before `now` a teaser was published, as the site writes it."""
    minutes = int((now - when).total_seconds() // 60)
    if minutes < 60:
        return f"منذ {max(minutes, 1)} دقيقة"
    hours = minutes // 60
    if hours < 24:
        return {1: "منذ ساعة", 2: "منذ ساعتين"}.get(hours) or (
            f"منذ {hours} ساعات" if hours <= 10 else f"منذ {hours} ساعة"
        )
    days = (now.date() - when.date()).days
    return {1: "أمس", 2: "منذ يومين"}.get(days) or (f"منذ {days} أيام" if days <= 10 else f"منذ {days} يوما")


def canonical_url(amp_url: str) -> str:
    """The article's non-AMP address, which the AMP page names as canonical."""
    return amp_url.replace("/amp/", "/", 1)


def render(page: PlannedPage) -> str:
    outlet = page.outlet
    home = outlet.home
    assert page.published is not None
    when = page.published
    data = {
        "@context": "http://schema.org",
        "@type": "NewsArticle",
        "headline": page.title,
        "datePublished": when.isoformat(),
        "publisher": {"@type": "Organization", "name": outlet.name},
        "mainEntityOfPage": {"@type": "WebPage", "@id": page.url},
    }
    if page.article.author:
        data["author"] = {"@type": "Person", "name": page.article.author}
    byline = f"{when.day:02d} {MONTHS_EGYPT[when.month - 1]} {when.year} {hhmm(when)}"
    author = f'<span class="author">{esc(page.article.author)}</span>' if page.article.author else ""
    breaking = "\n".join(f'<div class="slide">{anchor(link)}</div>' for link in page.ticker)
    teasers = []
    for link in page.most_read + page.related:
        if link.when is not None and link.when > page.fetched_at:
            continue  # the site could not list what it had not published yet
        label = relative_label(link.when, page.fetched_at) if link.when else ""
        lead = f"<p>{esc(link.lead)}</p>" if link.lead else ""
        teasers.append(
            f'<div class="teaser"><h3>{anchor(link)}</h3>{lead}<span class="ago">{label}</span></div>'
        )
    paragraphs = "\n".join(f"<p>{esc(p)}</p>" for p in page.body)
    nav = []
    if page.previous:
        nav.append(f'<div class="prev">السابق: {anchor(page.previous)}</div>')
    if page.next:
        nav.append(f'<div class="next">التالي: {anchor(page.next)}</div>')
    return f"""<!doctype html>
<html ⚡ lang="ar" dir="rtl">
<head>
<meta charset="utf-8">
<script async src="https://cdn.ampproject.org/v0.js"></script>
<script async custom-element="amp-carousel" src="https://cdn.ampproject.org/v0/amp-carousel-0.1.js"></script>
<title>{esc(page.title)} | {esc(outlet.name)}</title>
<link rel="canonical" href="{esc(canonical_url(page.url))}">
<meta property="og:site_name" content="{esc(outlet.name)}">
<meta name="viewport" content="width=device-width,minimum-scale=1,initial-scale=1">
<script type="application/ld+json">{json.dumps(data, ensure_ascii=False)}</script>
<style amp-boilerplate>body{{-webkit-animation:-amp-start 8s steps(1,end) 0s 1 normal both;animation:-amp-start 8s steps(1,end) 0s 1 normal both}}</style>
<style amp-custom>.breaking{{background:#8b0000;color:#fff}}.teaser p{{color:#555}}</style>
</head>
<body>
<header class="amp-header"><a href="{home}/">{esc(outlet.name)}</a> <a href="{home}/menu">القائمة</a></header>
<div class="breaking"><div class="breaking-label">عاجل</div><amp-carousel type="carousel" height="40" layout="fixed-height">
{breaking}
</amp-carousel></div>
<article>
<div class="category">{esc(section_name(page))}</div>
<h1>{esc(page.title)}</h1>
<div class="byline">{author} <span class="published">تاريخ النشر: {byline}</span></div>
<amp-img src="{home}/images/{esc(page.article.slug)}.jpg" width="640" height="360" layout="responsive" alt="{esc(page.title)}"></amp-img>
<div class="article-body">
{paragraphs}
</div>
</article>
{chr(10).join(nav)}
<section class="more-news"><h2>المزيد من الأخبار</h2>
{chr(10).join(teasers)}
</section>
<footer><div>حمل تطبيق {esc(outlet.name)} على هاتفك</div><div>© {page.fetched_at.year} {esc(outlet.name)}</div></footer>
</body>
</html>
"""
