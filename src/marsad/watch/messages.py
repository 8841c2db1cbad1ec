"""The alert e-mail: Arabic, a right-to-left HTML part (everything escaped) and a plain-text part."""

from __future__ import annotations

from email.message import EmailMessage
from html import escape

from marsad.arabic.counts import counted
from marsad.store.articles import ArticleItem
from marsad.store.watchlists import Watchlist

_STYLE = "font-family: Tahoma, Arial, sans-serif; line-height: 1.6; direction: rtl; text-align: right"


def subject(watchlist: Watchlist, items: list[ArticleItem]) -> str:
    head = "ملخص اليوم" if watchlist.delivery == "daily" else "جديد"
    return f"مرصد - {head}: {counted(len(items), 'article')} في «{watchlist.name}»"


def _link(item: ArticleItem, base_url: str) -> str:
    return f"{base_url}/articles/{item.id}" if base_url else item.url


def plain_text(watchlist: Watchlist, items: list[ArticleItem], base_url: str) -> str:
    lines = [f"قائمة المتابعة «{watchlist.name}»: {counted(len(items), 'article')}", ""]
    for item in items:
        meta = " - ".join(x for x in (item.outlet, item.published) if x)
        lines += [item.title, *([meta] if meta else []), _link(item, base_url), ""]
    if base_url:
        lines.append(f"قوائم المتابعة: {base_url}/watchlists")
    return "\n".join(lines).rstrip() + "\n"


def html_text(watchlist: Watchlist, items: list[ArticleItem], base_url: str) -> str:
    rows = []
    for item in items:
        meta = " · ".join(escape(x) for x in (item.outlet, item.published) if x)
        rows.append(
            f'<li><a href="{escape(_link(item, base_url))}">{escape(item.title)}</a>'
            + (f'<br><small style="color:#555">{meta}</small>' if meta else "")
            + "</li>"
        )
    footer = f'<p><a href="{escape(base_url)}/watchlists">قوائم المتابعة</a></p>' if base_url else ""
    return (
        '<!DOCTYPE html>\n<html lang="ar" dir="rtl"><head><meta charset="utf-8">'
        f"<title>{escape(subject(watchlist, items))}</title></head>"
        f'<body dir="rtl" style="{_STYLE}">'
        f'<h1 style="font-size:1.2em">قائمة المتابعة «{escape(watchlist.name)}»: {counted(len(items), "article")}</h1>'
        f"<ul>{''.join(rows)}</ul>{footer}</body></html>\n"
    )


def email_message(watchlist: Watchlist, items: list[ArticleItem], base_url: str = "") -> EmailMessage:
    """The message without its From and To: a plain-text part and its HTML alternative."""
    message = EmailMessage()
    message["Subject"] = subject(watchlist, items)
    message["Content-Language"] = "ar"
    message.set_content(plain_text(watchlist, items, base_url))
    message.add_alternative(html_text(watchlist, items, base_url), subtype="html")
    return message
