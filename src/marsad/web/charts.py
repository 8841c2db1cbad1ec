"""Coverage charts drawn on the server: an SVG bar chart (no script, no web font, nothing fetched), its
numbers as CSV, and the Arabic names of its periods.

Time runs from right to left, as the reader's pages and the Arabic script do: the oldest period is the
rightmost bar and the newest the leftmost, and the count axis stands on the right, where a reader's eye
starts. Digits are Western (0-9), as every date and count of the reader is written (web/present.py).
Colours are the reader's CSS variables (marsad.css `.chart`), with plain fallbacks, so the chart follows
whatever palette the page has; every text is escaped.
"""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta
from html import escape

from markupsafe import Markup

from marsad.store.trends import By, Series, next_period
from marsad.web import present

WIDTH, HEIGHT = 720, 240
TOP, BOTTOM = 14, 196  # the plot's top and its baseline
LEFT, RIGHT = 8, 656  # the plot's sides: the count axis's labels stand right of RIGHT
MAX_BARS = 400  # a longer series is shown as a table only (ask for weeks or months)
X_LABELS = 6

BY_NAMES = {"day": "يوميا", "week": "أسبوعيا", "month": "شهريا"}


def period_name(start: date, by: By) -> str:
    """The period as a reader says it: "21 سبتمبر 2017", "أسبوع 18 سبتمبر 2017", "سبتمبر 2017"."""
    if by == "month":
        return present.arabic_date(start.isoformat()[:7])
    day = present.arabic_date(start.isoformat(), "day")
    return f"أسبوع {day}" if by == "week" else day


def period_end(start: date, by: By) -> date:
    """The period's last day."""
    return next_period(start, by) - timedelta(days=1)


def nice_top(peak: int) -> int:
    """The count axis's top: the peak rounded up to 1, 2 or 5 times a power of ten (at least 1)."""
    top = 1
    while True:
        for step in (1, 2, 5):
            if top * step >= peak:
                return top * step
        top *= 10


def bar_chart(series: Series, title: str, chart_id: str = "trend") -> Markup | None:
    """The series as an SVG bar chart with its title and description for screen readers and a <title>
    (period and count) on every bar; None when it has no dated period or more than MAX_BARS periods."""
    periods = series.periods
    if not periods or len(periods) > MAX_BARS:
        return None
    top = nice_top(series.peak)
    step = (RIGHT - LEFT) / len(periods)
    width = max(step * 0.8, min(step, 1.0))
    desc = describe(series)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {WIDTH} {HEIGHT}"'
        f' role="img" aria-labelledby="{chart_id}-title {chart_id}-desc" direction="rtl">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(desc)}</desc>',
    ]
    parts += _count_axis(top)
    for i, (start, n) in enumerate(periods):
        x = RIGHT - (i + 1) * step + (step - width) / 2
        h = (BOTTOM - TOP) * n / top
        label = f"{period_name(start, series.by)}: {present.counted(n, 'article')}"
        parts.append(
            f'<rect class="bar" x="{x:.2f}" y="{BOTTOM - h:.2f}" width="{width:.2f}" height="{h:.2f}"'
            f' fill="#0b5d7a" data-start="{start.isoformat()}" data-count="{n}">'
            f"<title>{escape(label)}</title></rect>"
        )
    parts += _time_axis(series, step)
    parts.append("</svg>")
    return Markup("".join(parts))


def _count_axis(top: int) -> list[str]:
    out = []
    for value in (0, top // 2 if top % 2 == 0 else None, top):
        if value is None:
            continue
        y = BOTTOM - (BOTTOM - TOP) * value / top
        out.append(
            f'<line class="grid" x1="{LEFT}" x2="{RIGHT}" y1="{y:.2f}" y2="{y:.2f}" stroke="#dde3e8"/>'
        )
        out.append(
            f'<text class="axis" x="{RIGHT + 6}" y="{y + 4:.2f}" text-anchor="start" font-size="12"'
            f' fill="#5b6670" direction="ltr">{value}</text>'
        )
    return out


def _time_axis(series: Series, step: float) -> list[str]:
    """Up to X_LABELS period names under the bars, the first and the last always."""
    count = len(series.periods)
    wanted = min(X_LABELS, count)
    picks = sorted({round(k * (count - 1) / max(wanted - 1, 1)) for k in range(wanted)})
    out = []
    for i in picks:
        start = series.periods[i][0]
        x = RIGHT - (i + 0.5) * step
        # in right-to-left text "start" is a label's right end: the oldest (rightmost) label ends at the
        # plot's right edge, the newest (leftmost) begins at its left edge, so both stay inside
        anchor = "middle"
        if count > 1 and i == 0:
            anchor, x = "start", RIGHT
        elif count > 1 and i == count - 1:
            anchor, x = "end", LEFT
        kind = "axis" if anchor != "middle" else "axis mid"  # a phone shows the two ends only
        out.append(
            f'<text class="{kind}" x="{x:.2f}" y="{BOTTOM + 26}" text-anchor="{anchor}" font-size="12"'
            f' fill="#5b6670" direction="rtl">{escape(_short_name(start, series.by))}</text>'
        )
    return out


def _short_name(start: date, by: By) -> str:
    if by == "month":
        return present.arabic_date(start.isoformat()[:7])
    return present.arabic_date(start.isoformat(), "day")


def describe(series: Series) -> str:
    """One sentence for a screen reader: how many articles, over which span, and the busiest period."""
    if not series.periods:
        return f"{present.counted(series.total, 'article')}، لا تاريخ نشر معروف لأي منها."
    first, last = series.periods[0][0], series.periods[-1][0]
    best = max(series.periods, key=lambda p: p[1])
    text = (
        f"{present.counted(series.total, 'article')} {BY_NAMES[series.by]}"
        f" من {period_name(first, series.by)} إلى {period_name(last, series.by)}"
        f"؛ أعلاها {period_name(best[0], series.by)}: {present.counted(best[1], 'article')}"
    )
    if series.undated:
        text += f"؛ وبلا يوم نشر معروف: {present.counted(series.undated, 'article')}"
    return text + "."


def series_csv(series: Series) -> str:
    """start,end,articles: one line per period, ISO dates (what the page's table shows)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["start", "end", "articles"])
    for start, n in series.periods:
        writer.writerow([start.isoformat(), period_end(start, series.by).isoformat(), n])
    return out.getvalue()
