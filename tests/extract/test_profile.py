"""An outlet's profile (extract/profile.py): lines it repeats on many of its pages are chrome, and extract()
leaves them out, from the body and from the choice of the body's container. Small pages written here."""

from __future__ import annotations

from datetime import UTC, datetime

from marsad.extract import extract
from marsad.extract.profile import MIN_PROFILE_PAGES, OutletProfile, chrome_key, drop_chrome, learn_profile
from marsad.models import Page

SHARE = "حجم الخط | طباعة | حفظ | أرسل إلى صديق"
ABOUT = (
    "صحيفة الأفق يومية مستقلة تصدر عن دار الأفق للنشر منذ عام ألف وتسعمئة وتسعين، وتتابع الأحداث المحلية "
    "والعربية والدولية على مدار الساعة، من مكاتبها في العواصم العربية ومن مراسليها في المدن، وتلتزم ميثاقا "
    "مهنيا منشورا، وتصحح أخطاءها في أقرب وقت، وتفصل بين الخبر والرأي، وتذكر مصادرها كلما أمكن ذلك."
)
NEWS = "افتتحت البلدية حديقة عامة جديدة في حي الزيتون، تضم ملاعب للأطفال ومسارا للمشي، وتفتح يوميا حتى العاشرة ليلا."


def _pages(n: int) -> list[list[str]]:
    return [[SHARE, f"خبر رقم {i} عن موضوع مختلف في المدينة.", ABOUT] for i in range(n)]


def test_chrome_key_ignores_spelling_variants_and_spacing():
    assert chrome_key("  أرسل   إلى صديق ") == chrome_key("ارسل الى صديق")


def test_learn_profile_needs_enough_pages_and_a_share_of_them():
    assert learn_profile("الأفق", _pages(MIN_PROFILE_PAGES - 1)).chrome == frozenset()
    profile = learn_profile("الأفق", _pages(MIN_PROFILE_PAGES))
    assert profile.pages == MIN_PROFILE_PAGES
    assert profile.chrome == {chrome_key(SHARE), chrome_key(ABOUT)}
    assert profile.is_chrome("حجم الخط | طباعة | حفظ | ارسل الى صديق")
    assert not profile.is_chrome("خبر رقم 3 عن موضوع مختلف في المدينة.")


def test_drop_chrome_never_empties_a_body():
    profile = learn_profile("الأفق", _pages(MIN_PROFILE_PAGES))
    assert drop_chrome([SHARE, NEWS, ABOUT], profile) == [NEWS]
    assert drop_chrome([SHARE], profile) == [SHARE]
    assert drop_chrome([SHARE, NEWS], None) == [SHARE, NEWS]


def _page(html: str) -> Page:
    return Page(
        url="https://ofuq.example/a/9",
        kind="html",
        content=html.encode("utf-8"),
        fetched_at=datetime(2021, 2, 1, tzinfo=UTC),
    )


def test_extract_leaves_the_outlets_recurring_lines_out():
    page = _page(
        f"""<html lang="ar"><body><h1>حديقة جديدة في حي الزيتون</h1>
        <div class="text"><div>{SHARE}</div><p>{NEWS}</p><p>ويشمل المشروع زراعة خمسمئة شجرة، وتركيب إنارة تعمل بالطاقة الشمسية.</p>
        <p>{ABOUT}</p></div></body></html>"""
    )
    profile = OutletProfile("الأفق", 40, frozenset({chrome_key(SHARE), chrome_key(ABOUT)}))
    assert extract(page).body[-1] == ABOUT
    assert extract(page, profile).body == [
        NEWS,
        "ويشمل المشروع زراعة خمسمئة شجرة، وتركيب إنارة تعمل بالطاقة الشمسية.",
    ]


def test_a_standing_block_longer_than_a_short_item_cannot_take_the_body():
    page = _page(
        f"""<html lang="ar"><body><h1>حديقة جديدة في حي الزيتون</h1><div class="item"><p>{NEWS}</p></div>
        <div class="box"><p>{ABOUT}</p><p>{ABOUT}</p></div></body></html>"""
    )
    profile = OutletProfile("الأفق", 40, frozenset({chrome_key(ABOUT)}))
    assert extract(page).body == [ABOUT, ABOUT]  # without the profile nothing says the box is chrome
    assert extract(page, profile).body == [NEWS]
