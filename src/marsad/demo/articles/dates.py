"""Hand annotation of the date mentions in each article's body: (exact text, ISO value of its precision).

What is annotated: every phrase that names a day, a month, a quarter or a year, either outright
("20 سبتمبر 2017", "نونبر 2017", "الربع الأول من 2018", "سنة 2016") or relative to the publication date
through a weekday or a month ("امس الاربعاء", "اليوم السبت", "السبت المقبل", "20 شتنبر الماضي",
"دجنبر المقبل"), and end-of-month phrases ("نهاية كانون الأول" -> the last day). Relative mentions are
resolved against the page's own publication date. Not annotated: seasons and vague spans ("الصيف الماضي",
"مطلع العام", "هذا الأسبوع", "خلال الأشهر المقبلة") and years named only relatively ("العام الجاري",
"العام الماضي", "الموسم الماضي"). The text is the core phrase; a date finder may take a word
more around it (a weekday, "يوم", "مساء"). Digits are written in Western form here; the build turns them
into Arabic-Indic digits for pages of outlets that use them.
"""

from __future__ import annotations

DATES: dict[str, tuple[tuple[str, str], ...]] = {
    # thread gctf
    "atlas-gctf-cochairs-2016": (("شتنبر 2011", "2011-09"),),
    "mashhad-gctf-cochairs-2016": (("سبتمبر 2016", "2016-09"),),
    "atlas-gctf-ministerial-2017": (
        ("امس الاربعاء", "2017-09-20"),
        ("سنة 2016", "2016"),
        ("سنة 2011", "2011"),
    ),
    "mashhad-gctf-ministerial-2017": (("20 سبتمبر 2017", "2017-09-20"), ("عام 2016", "2016")),
    "nile-gctf-ministerial-2017": (("أمس الأربعاء", "2017-09-20"), ("سبتمبر 2011", "2011-09")),
    "arz-gctf-ministerial-2017": (("العشرين من أيلول", "2017-09-20"), ("عام 2011", "2011")),
    "sawt-hgt-inaugural-2017": (
        ("نونبر 2017", "2017-11"),
        ("20 شتنبر الماضي", "2017-09-20"),
        ("الربع الأول من 2018", "2018-Q1"),
    ),
    "mashhad-hgt-inaugural-2017": (("نوفمبر 2017", "2017-11"), ("20 سبتمبر الماضي", "2017-09-20")),
    "khaleej-hgt-workshops-2018": (
        ("الربع الأول من 2018", "2018-Q1"),
        ("نوفمبر 2017", "2017-11"),
        ("سبتمبر 2018", "2018-09"),
    ),
    "sawt-hgt-workshops-2018": (("الربع الأول من السنة الجارية", "2018-Q1"),),
    "atlas-hgt-rabat-2018": (
        ("امس الاثنين", "2018-06-25"),
        ("نونبر 2017", "2017-11"),
        ("الربع الأول من 2018", "2018-Q1"),
        ("شتنبر 2018", "2018-09"),
        ("سنة 2016", "2016"),
        ("شتنبر 2017", "2017-09"),
    ),
    "arz-hgt-rabat-2018": (("أيلول 2018", "2018-09"),),
    "atlas-gctf-ministerial-2018": (
        ("شتنبر 2017", "2017-09"),
        ("نونبر من السنة ذاتها", "2017-11"),
        ("الربع الأول من 2018", "2018-Q1"),
        ("سنة 2016", "2016"),
    ),
    "nile-gctf-ministerial-2018": (("سبتمبر 2018", "2018-09"), ("عام 2011", "2011")),
    "mashhad-gctf-ministerial-2018": (
        ("نوفمبر 2017", "2017-11"),
        ("الربع الأول من 2018", "2018-Q1"),
        ("عام 2016", "2016"),
    ),
    # thread wydad-2017
    "nile-caf-final-first-leg-2017": (
        ("اليوم السبت", "2017-10-28"),
        ("السبت المقبل", "2017-11-04"),
        ("عام 1992", "1992"),
    ),
    "khaleej-caf-final-first-leg-2017": (
        ("مساء السبت", "2017-10-28"),
        ("الرابع من نوفمبر", "2017-11-04"),
        ("ديسمبر المقبل", "2017-12"),
    ),
    "atlas-caf-final-2017": (
        ("اليوم السبت", "2017-11-04"),
        ("سنة 1992", "1992"),
        ("دجنبر المقبل", "2017-12"),
    ),
    "nile-caf-final-2017": (("اليوم السبت", "2017-11-04"), ("غدا الأحد", "2017-11-05")),
    "khaleej-caf-final-2017": (
        ("أمس السبت", "2017-11-04"),
        ("الشهر المقبل", "2017-12"),
        ("عام 1992", "1992"),
    ),
    "sawt-wydad-celebrations-2017": (("مساء السبت", "2017-11-04"),),
    "mashhad-wydad-celebrations-2017": (("أمس السبت", "2017-11-04"),),
    "sawt-club-world-cup-2017": (
        ("مساء السبت", "2017-12-09"),
        ("الثلاثاء المقبل", "2017-12-12"),
        ("نونبر الماضي", "2017-11"),
    ),
    "mashhad-club-world-cup-2017": (
        ("مساء السبت", "2017-12-09"),
        ("نسخة 2013", "2013"),
        ("نسخة 2014", "2014"),
    ),
    # thread ma-monetary
    "atlas-bam-rate-2017-12": (("اليوم الثلاثاء", "2017-12-19"), ("سنة 2017", "2017")),
    "mashhad-bam-rate-2017-12": (
        ("19 ديسمبر 2017", "2017-12-19"),
        ("مارس 2016", "2016-03"),
        ("منتصف 2017", "2017"),
    ),
    "sawt-dirham-band-2018-01": (("اليوم الجمعة", "2018-01-12"), ("15 يناير 2018", "2018-01-15")),
    "arz-dirham-band-2018-01": (("الخامس عشر من كانون الثاني", "2018-01-15"),),
    # story cbe-rate-cut-2018-02
    "nile-cbe-rate-cut-2018-02": (("اليوم الخميس", "2018-02-15"), ("نوفمبر 2016", "2016-11")),
    "khaleej-cbe-rate-cut-2018-02": (("أمس الخميس", "2018-02-15"), ("نوفمبر 2016", "2016-11")),
    "mashhad-cbe-rate-cut-2018-02": (
        ("15 فبراير 2018", "2018-02-15"),
        ("منتصف 2017", "2017"),
        ("نوفمبر 2016", "2016-11"),
        ("يوليو 2017", "2017-07"),
    ),
    # single items
    "arz-gallery-exhibition-2017": (("مساء الثلاثاء", "2017-12-05"), ("نهاية كانون الأول", "2017-12-31")),
    "nile-cairo-book-fair-2018": (("العاشر من فبراير المقبل", "2018-02-10"),),
    "sawt-ifrane-snow-2018": (("أمس الأربعاء", "2018-01-24"),),
    "khaleej-weather-rain-2018": (),
}
