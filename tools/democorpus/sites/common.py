"""What every site style shares: escaping, section names and the ways Arabic sites write dates."""

from __future__ import annotations

import html
from datetime import datetime

from democorpus.model import Link, PlannedPage

WEEKDAYS = ("الاثنين", "الثلاثاء", "الأربعاء", "الخميس", "الجمعة", "السبت", "الأحد")
MONTHS_MAGHREB = (
    "يناير",
    "فبراير",
    "مارس",
    "أبريل",
    "ماي",
    "يونيو",
    "يوليوز",
    "غشت",
    "شتنبر",
    "أكتوبر",
    "نونبر",
    "دجنبر",
)
MONTHS_EGYPT = (
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
MONTHS_LEVANT = (
    "كانون الثاني",
    "شباط",
    "آذار",
    "نيسان",
    "أيار",
    "حزيران",
    "تموز",
    "آب",
    "أيلول",
    "تشرين الأول",
    "تشرين الثاني",
    "كانون الأول",
)
INDIC_DIGITS = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")

SECTIONS = {
    "politics": ("سياسة", "politique"),
    "sport": ("رياضة", "sport"),
    "economy": ("اقتصاد", "economie"),
    "culture": ("ثقافة وفنون", "culture"),
    "society": ("مجتمع", "societe"),
}


def esc(text: str) -> str:
    return html.escape(text, quote=True)


def section_name(page: PlannedPage) -> str:
    return SECTIONS[page.article.section][0]


def section_slug(page: PlannedPage) -> str:
    return SECTIONS[page.article.section][1]


def weekday(when: datetime) -> str:
    return WEEKDAYS[when.weekday()]


def day_month_year(when: datetime, months: tuple[str, ...]) -> str:
    return f"{when.day} {months[when.month - 1]} {when.year}"


def hhmm(when: datetime) -> str:
    return f"{when.hour:02d}:{when.minute:02d}"


def indic(text: str) -> str:
    return text.translate(INDIC_DIGITS)


def anchor(link: Link, css: str = "", rel: str = "") -> str:
    klass = f' class="{css}"' if css else ""
    relation = f' rel="{rel}"' if rel else ""
    return f'<a href="{esc(link.url)}"{klass}{relation}>{esc(link.title)}</a>'


def list_items(links: list[Link], css: str = "") -> str:
    return "\n".join(f"<li>{anchor(link, css)}</li>" for link in links)


def meta_description(page: PlannedPage) -> str:
    return page.article.summary or page.body[0][:160]
