"""Dates: trust order (JSON-LD/meta, <time>, byline text), precision, and no day made up from a year."""

from __future__ import annotations

from datetime import UTC, datetime

from marsad.extract import extract
from marsad.models import Page

BODY = "".join(
    f"<p>{text}</p>"
    for text in (
        "أعلنت البلدية عن افتتاح حديقة عمومية جديدة في الحي الغربي، بعد أشغال دامت أكثر من سنة كاملة.",
        "وتضم الحديقة ملاعب للأطفال ومسارات للمشي وأكثر من مئتي شجرة، وستفتح أبوابها كل يوم حتى العاشرة ليلا.",
        "وقال رئيس المجلس إن مشاريع مماثلة ستنطلق في ثلاثة أحياء أخرى قبل نهاية السنة المقبلة.",
    )
)
FETCHED = datetime(2018, 6, 3, 9, 0, tzinfo=UTC)


def _article(head: str = "", byline: str = "", footer: str = "© 2018 جريدة المدينة"):
    html = (
        f"<html lang='ar'><head><title>افتتاح حديقة جديدة في الحي الغربي</title>{head}</head><body>"
        f"<div class='top'>الأحد 3 يونيو 2018</div><h1>افتتاح حديقة جديدة في الحي الغربي</h1>"
        f"<div class='meta'>{byline}</div><div class='text'>{BODY}</div>"
        f"<div class='comments'><p>تعليق: 2 يونيو 2018</p></div><footer>{footer}</footer></body></html>"
    )
    return extract(
        Page(url="https://example.org/park", kind="html", content=html.encode(), fetched_at=FETCHED)
    )


def test_no_date_stays_unknown():
    """The top bar's fetch-day date, a comment's date and the footer's year are not the article's."""
    article = _article()
    assert article.published is None and article.precision is None


def test_a_year_alone_is_never_a_day():
    article = _article(byline="2018")
    assert article.published is None


def test_visible_byline_day():
    article = _article(byline="السبت 2 يونيو 2018")
    assert article.published == datetime(2018, 6, 2) and article.precision == "day"


def test_relative_byline_against_fetch_time():
    article = _article(byline="منذ 3 ساعات")
    assert article.published == datetime(2018, 6, 3, 6, 0, tzinfo=UTC)
    assert article.precision == "minute"


def test_metadata_beats_byline():
    head = '<meta property="article:published_time" content="2018-06-01T22:15:00+01:00">'
    article = _article(head=head, byline="السبت 2 يونيو 2018")
    assert article.published.isoformat() == "2018-06-01T22:15:00+01:00" and article.precision == "minute"


def test_update_line_is_not_publication():
    article = _article(byline="آخر تحديث: السبت 2 يونيو 2018")
    assert article.published is None
