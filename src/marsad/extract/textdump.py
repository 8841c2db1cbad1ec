"""Text dumps (a crawl's HTML-to-text of a page): classify every line, then read the article off the labels.

Labels: ticker, navigation, widget, title, attribution, byline, body, previous, next, other, blank.
The body is the longest run of sentence-like lines (blank lines, ad labels and "read also" lines may sit
inside it) that does not look like comments or teasers, whose long lines each sit next to a short line
with a date or a time ("name, 3 hours ago"). The title is the headline-like line right before the body
(above its date/byline lines); headline lists before the title are the ticker; a line whose text recurs
on the page (share bars) is chrome, never a title.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache

from marsad.arabic import normalise
from marsad.extract import cues
from marsad.extract.authors import split_byline
from marsad.extract.dates import MONTHS_RE as _MONTHS_RE
from marsad.extract.dates import FoundDate, has_date_hint, parse_text_date, plausible, states_day_or_time
from marsad.extract.repost import find_attribution
from marsad.models import Article, ExtractionError, Page

_SPACE_RUN = re.compile(r"\s{3,}")
_TERMINAL = re.compile(r"(?<!\.)[.!؟?…:]['\"»”’)\]]*$")
_FORMAT_CHARS = re.compile("[\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")
_LATIN = re.compile(r"[A-Za-z]")
_ARABIC = re.compile(r"[\u0600-\u06FF]")
_PREV = re.compile(
    r"(المقال السابق|الخبر السابق|الموضوع السابق|Read Previous|Previous (Article|Post))\s*[:：]?|^السابق\s*[:：]|"
    r"^السابق$|^«\s+(?=[^»]+$)",
    re.I,
)
_NEXT = re.compile(
    r"(المقال التالي|الخبر التالي|الموضوع التالي|Read Next|Next (Article|Post))\s*[:：]?|^التالي\s*[:：]|"
    r"^التالي$|(?<=[^«])\s+»$",
    re.I,
)
_TICKER_LABEL = re.compile(
    r"^(شريط الأخبار|شريط الاخبار|عاجل|أخبار عاجلة|اخبار عاجلة|آخر الأخبار|الأخبار العاجلة|"
    r"Breaking( News)?)\s*[:：]?$",
    re.I,
)
MAX_LINES = 20_000  # work cap per page


@dataclass
class Line:
    number: int  # 1-based line number in the dump
    text: str  # stripped
    label: str = "other"
    headlines: list[str] = field(default_factory=list)  # a one-line ticker's items

    @property
    def words(self) -> int:
        return len(self.text.split())


@dataclass
class Run:
    lines: list[Line]
    score: float


@lru_cache(maxsize=8192)
def is_prose(text: str) -> bool:
    """Sentence-like: a long line, or one that ends like a sentence, or a long one with commas.

    A headline followed by its date (a list item) is not prose, whatever its commas.
    """
    text = _FORMAT_CHARS.sub("", text)
    if _PREV.match(text) or _NEXT.match(text):
        return False
    words = len(text.split())
    if len(text) >= 150:
        return True
    if cues.is_chrome_line(text):
        return False
    end = _TERMINAL.search(text)
    if words >= 6 and end:
        # a short question or exclamation without commas is more often a headline than a sentence
        return "." in end.group(0) or ":" in end.group(0) or words >= 12 or "،" in text or "," in text
    return words >= 14 and ("،" in text[:-30] or "," in text[:-30]) and not has_date_hint(text[-30:])


def is_headline(text: str) -> bool:
    words = len(text.split())
    return (
        3 <= words <= 30
        and len(text) <= 220
        and not _SPACE_RUN.search(text)
        and not (len(_LATIN.findall(text)) > len(_ARABIC.findall(text)))
    )


def one_line_ticker(text: str) -> list[str]:
    """Headlines of a ticker flattened onto one line with runs of spaces between them."""
    parts = [p.strip() for p in _SPACE_RUN.split(text) if p.strip()]
    if len(parts) < 3:
        return []
    if sum(1 for p in parts if len(p.split()) >= 2) < 0.7 * len(parts):
        return []
    return parts


def split_lines(text: str) -> list[Line]:
    raw = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")[:MAX_LINES]
    lines = []
    for number, value in enumerate(raw, 1):
        stripped = value.strip()
        line = Line(number, stripped, "blank" if not stripped else "other")
        if stripped:
            headlines = one_line_ticker(stripped)
            if headlines:
                line.label, line.headlines = "ticker", headlines
        lines.append(line)
    return lines


def blocks_of(lines: list[Line]) -> list[list[Line]]:
    """Groups of consecutive non-blank lines."""
    blocks: list[list[Line]] = []
    current: list[Line] = []
    for line in lines:
        if line.label == "blank":
            if current:
                blocks.append(current)
                current = []
        else:
            current.append(line)
    if current:
        blocks.append(current)
    return blocks


def _neighbour(lines: list[Line], index: int, step: int) -> Line | None:
    """The nearest non-blank line before (step -1) or after (step 1), across at most one blank line."""
    j, blanks = index + step, 0
    while 0 <= j < len(lines):
        if lines[j].label != "blank":
            return lines[j]
        blanks += 1
        if blanks > 1:
            return None
        j += step
    return None


_STAMP_WORDS = re.compile(
    r"[0-9٠-٩:/.\-–،,|]+|منذ|أمس|امس|في|الساعة|ص|م|am|pm|دقيقة|دقائق|دقيقتين|ساعة|ساعات|ساعتين|يوم|يومين|أيام|"
    r"ايام|أسبوع|شهر|الاثنين|الإثنين|الثلاثاء|الأربعاء|الاربعاء|الخميس|الجمعة|السبت|الأحد|الاحد|"
    + _MONTHS_RE,
    re.I,
)


def _is_stamp(line: Line | None) -> bool:
    """A short line that is mostly a day or a time (a comment's or teaser's stamp, with at most a name)."""
    if line is None or len(line.text) >= 70 or is_prose(line.text) or not states_day_or_time(line.text):
        return False
    rest = [w for w in line.text.split() if not _STAMP_WORDS.fullmatch(w.strip("،,.()"))]
    return len(rest) <= 3


def _headline_with_lead(headline: Line, lead: Line) -> bool:
    """A headline followed by a paragraph that retells it: a teaser (a body's subheading rarely is)."""
    if is_prose(headline.text) or not is_headline(headline.text) or not is_prose(lead.text):
        return False
    words = _content_words(headline.text)
    return len(words) >= 3 and len(words & _content_words(lead.text)) >= 0.4 * len(words)


def _retold(short: Line, long: Line) -> bool:
    """`long` repeats most content words of a much shorter `short` line (a headline and its lead)."""
    if short.words > 25 or len(long.text) < 1.3 * len(short.text):
        return False
    words = _content_words(short.text)
    return len(words) >= 3 and len(words & _content_words(long.text)) >= 0.5 * len(words)


def _teaser_block(block: list[Line]) -> bool:
    """A block made of a headline and its lead (a related or most-read item), not a body paragraph."""
    return 2 <= len(block) <= 3 and _headline_with_lead(block[0], block[1])


def find_runs(lines: list[Line]) -> list[Run]:
    index_of = {id(line): i for i, line in enumerate(lines)}
    runs: list[list[list[Line]]] = []
    current: list[list[Line]] = []
    held: list[list[Line]] = []  # short one-line blocks inside a run: body (subheads) if prose follows
    skipped = 0
    current_clean = True
    blocks = blocks_of(lines)
    # Headline blocks each followed by a one-paragraph block retelling it: the page lists other articles,
    # so a short line between two blocks is never taken for a subheading there.
    retold_next = [
        len(a) == 1 and (_headline_with_lead(a[0], b[0]) or _retold(a[0], b[0]))
        for a, b in zip(blocks, blocks[1:], strict=False)
    ] + [False]
    may_bridge = sum(retold_next) < 3
    for position, block in enumerate(blocks):
        if not may_bridge and retold_next[position]:
            if current:
                runs.append(current)  # a headline retold by the block after it: a teaser begins
            current, held, skipped = [], [], 0
            continue
        usable = [ln for ln in block if ln.label != "ticker"]
        prose_chars = sum(len(ln.text) for ln in usable if is_prose(ln.text))
        total = sum(len(ln.text) for ln in usable) or 1
        prose_lines = sum(1 for ln in usable if is_prose(ln.text))
        teaser = _teaser_block(usable) or (
            bool(held and usable) and _headline_with_lead(held[-1][0], usable[0])
        )
        if teaser and current:
            runs.append(current)  # a headline with its own lead: a list of other articles begins
            current, held, skipped = [], [], 0
            continue
        if usable and not teaser and (prose_chars >= 0.5 * total or prose_lines >= 3):
            clean = not any(_is_stamp(ln) for ln in usable)
            if held and not (clean and current_clean):
                runs.append(current)  # a short line may bridge two body blocks, never teasers or comments
                current = []
            else:
                current.extend(held)
            current.append(usable)
            current_clean = clean
            held, skipped = [], 0
            continue
        if current and len(block) == 1 and skipped + len(held) < 3:
            line = block[0]
            if not may_bridge and is_headline(line.text) and not _TERMINAL.search(line.text):
                runs.append(current)
                current, held, skipped = [], [], 0
                continue
            if cues.is_chrome_line(line.text):
                skipped += 1  # an ad label between two halves of the body
                continue
            if len(line.text) <= 220 and not (
                _is_stamp(line)
                or cues.is_share_bar(line.text)
                or _PREV.match(line.text)
                or _NEXT.match(line.text)
            ):
                held.append(block)  # a subheading or a short paragraph, if the body goes on after it
                continue
        if current:
            runs.append(current)
        current, held, skipped = [], [], 0
    if current:
        runs.append(current)
    all_prose = [ln for run_blocks in runs for block in run_blocks for ln in block if is_prose(ln.text)]
    stamped = {
        id(ln)
        for ln in all_prose
        if _is_stamp(_neighbour(lines, index_of[id(ln)], -1))
        or _is_stamp(_neighbour(lines, index_of[id(ln)], 1))
    }
    # Comments and teasers: when several texts on the page each carry their own date stamp, such texts
    # count for little (the body's first paragraph under its date line loses only its own share).
    weight_stamped = 0.1 if len(stamped) >= 2 else 1.0
    # A one-paragraph run right under a headline it retells, on a page with several such pairs, is a
    # teaser in a list of other articles (the body under its own title is longer, or has its byline between).
    retold = [
        run_blocks for run_blocks in runs if _under_retold_headline(lines, index_of[id(run_blocks[0][0])])
    ]
    scored = []
    for run_blocks in runs:
        run_lines = [ln for block in run_blocks for ln in block]
        score = 0.0
        for ln in run_lines:
            if is_prose(ln.text):
                score += len(ln.text) * (weight_stamped if id(ln) in stamped else 1.0)
        if len(retold) >= 3 and len(run_lines) == 1 and any(run_blocks is r for r in retold):
            score *= 0.2
        scored.append(Run(run_lines, score))
    return scored


def _under_retold_headline(lines: list[Line], index: int) -> bool:
    above = _neighbour(lines, index, -1)
    return above is not None and _headline_with_lead(above, lines[index])


def _lead_chrome(line: Line) -> bool:
    text = line.text
    return line.words <= 2 or _is_stamp(line) or cues.is_share_bar(text) or bool(cues.byline_name(text))


def _body_lines(run: Run) -> list[Line]:
    lines = [ln for ln in run.lines if not cues.is_chrome_line(ln.text) and not cues.is_share_bar(ln.text)]
    # title and date sharing the body's first block (table cells, one line each): they are not body
    for k, line in enumerate(lines[:4]):
        if is_prose(line.text):
            break
        if _is_stamp(line) or (states_day_or_time(line.text) and len(line.text) < 80):
            lines = lines[k + 1 :]
            break
    while lines and not is_prose(lines[0].text) and _lead_chrome(lines[0]):  # a byline sharing the block
        lines = lines[1:]
    while lines and not is_prose(lines[-1].text) and (_is_stamp(lines[-1]) or lines[-1].words <= 2):
        lines = lines[:-1]  # a teaser's time stamp, a lone word
    return lines


@lru_cache(maxsize=4096)
def _content_words(text: str) -> frozenset[str]:
    return frozenset(w for w in re.findall(r"\w+", normalise(text)) if len(w) >= 3 and not w.isdigit())


def _is_date_line(line: Line, ref: datetime | None) -> bool:
    return (
        len(line.text) < 160 and states_day_or_time(line.text) and parse_text_date(line.text, ref) is not None
    )


_BREADCRUMB = re.compile(r"^(الرئيسية|الصفحة الرئيسية|Home)\s*[>/»›|]|\s[>»›]\s")


def _title_candidate(line: Line, repeated: set[str], short_ok: bool = False) -> bool:
    text = line.text
    shape_ok = is_headline(text) or (short_ok and line.words == 2 and len(text) >= 8)
    return shape_ok and not (
        text in repeated
        or cues.is_chrome_line(text)
        or cues.is_share_bar(text)
        or _BREADCRUMB.search(text)
        or cues.byline_name(text)
        or _is_stamp(line)
        or _PREV.search(text)
        or _NEXT.search(text)
        or split_byline(text)[1] is not None  # "فلان - القاهرة": a byline with its place
    )


def _field_lines(lines: list[Line]) -> list[str]:
    """The lines' texts, a field's label joined to the value on the line under it (table cells)."""
    texts: list[str] = []
    for k, line in enumerate(lines):
        previous = lines[k - 1] if k else None
        if previous is not None and previous.number == line.number - 1 and cues.is_field_label(previous.text):
            texts[-1] = f"{previous.text} {line.text}"
        else:
            texts.append(line.text)
    return texts


def _field_value(lines: list[Line], index: int) -> bool:
    """The line under a field's label ("المصدر:" then "وام"), as a table's cells are dumped."""
    above = _neighbour(lines, index, -1)
    return above is not None and above.number == lines[index].number - 1 and cues.is_field_label(above.text)


def _title_before(
    lines: list[Line], start: int, body: list[Line], repeated: set[str], ref: datetime | None
) -> int | None:
    """Index of the title above the body: the headline-like line above the byline's date when there is
    one, else the nearby headline-like line sharing most words with the body's opening."""
    window: list[int] = []
    j = start - 1
    while j >= 0 and len(window) < 12:
        if lines[j].label == "ticker":
            break
        if lines[j].label != "blank" and not _CLOCK_FIRST.match(lines[j].text):  # a list of timed items
            window.append(j)
        j -= 1
    window = [j for j in window if not _field_value(lines, j)]
    date_at = next((k for k, j in enumerate(window[:6]) if _is_date_line(lines[j], ref)), None)
    if date_at is not None:
        above = [j for j in window[date_at + 1 :] if _title_candidate(lines[j], repeated, short_ok=True)]
        if above:
            return above[0]
    candidates = [j for j in window if _title_candidate(lines[j], repeated)]
    if not candidates:
        return None
    opening = _content_words(" ".join(ln.text for ln in body[:3]))
    best, best_score = candidates[0], -1.0
    for rank, j in enumerate(candidates):
        words = _content_words(lines[j].text)
        overlap = len(words & opening) / len(words) if words else 0.0
        score = overlap - 0.02 * rank
        if score > best_score:
            best, best_score = j, score
    return best


def _groups_before(lines: list[Line], title_index: int) -> list[list[Line]]:
    """Blocks above the title; runs of one-line blocks (a list written one item per block) become one
    group, split at a ticker label ("شريط الأخبار :")."""
    groups: list[list[Line]] = []
    merging = False
    for block in blocks_of(lines[:title_index]):
        block = [ln for ln in block if ln.label != "ticker"]
        if not block:
            merging = False
            continue
        single = len(block) == 1 and not _TICKER_LABEL.match(block[0].text)
        if single and merging:
            groups[-1].extend(block)
        else:
            groups.append(block)
        merging = single
    return groups


def _label_ticker_blocks(lines: list[Line], title_index: int) -> None:
    """Lists of headline-like lines above the title are the ticker; lists of short items are navigation."""
    for group in _groups_before(lines, title_index):
        headline_like = [
            ln for ln in group if is_headline(ln.text) and ln.words >= 4 and not is_prose(ln.text)
        ]
        short = [ln for ln in group if ln.words <= 3]
        if len(headline_like) >= 3 and len(headline_like) >= 0.6 * len(group):
            for ln in headline_like:
                ln.label = "ticker"
        elif len(short) >= 3 and len(short) >= 0.6 * len(group):
            for ln in group:
                ln.label = "navigation"
    for i, line in enumerate(lines[:title_index]):  # a label line right above a ticker list
        if line.label == "other" and _TICKER_LABEL.match(line.text):
            after = _neighbour(lines, i, 1)
            if after is not None and after.label == "ticker":
                line.label = "ticker"
    for line in lines[:title_index]:
        if line.label == "other":
            line.label = "widget"


def _lone_name(between: list[Line]) -> str | None:
    """A byline that is only a name ("ريتا خوري"): two to four words of letters between the title and the
    body that are no caption, share bar or label."""
    for line in between:
        if line.label != "other":
            continue
        author, place = split_byline(line.text)
        if author and place and author != line.text:  # "سلمى يوسف، بيروت": a name and its place
            line.label = "byline"
            return line.text
        words = line.text.split()
        letters_only = all(re.fullmatch(r"[^\W\d_]{2,}", w) for w in words)
        chrome = cues.is_chrome_line(line.text) or cues.is_share_bar(line.text)
        if 2 <= len(words) <= 4 and letters_only and not chrome:
            line.label = "byline"
            return line.text
    return None


def _prev_next(lines: list[Line], after: int) -> tuple[str | None, str | None]:
    prev = nxt = None
    for i in range(after, len(lines)):
        line = lines[i]
        for pattern, kind in ((_PREV, "previous"), (_NEXT, "next")):
            match = pattern.search(line.text)
            if not match or (prev if kind == "previous" else nxt):
                continue
            if match.end() == len(line.text) and match.start() > 0:  # "title »": the arrow comes last
                rest = line.text[: match.start()]
            else:
                rest = line.text[match.end() :]
            other = (_NEXT if kind == "previous" else _PREV).search(rest)
            title = (rest[: other.start()] if other else rest).strip()
            if not title:
                following = _neighbour(lines, i, 1)
                if following is not None and is_headline(following.text):
                    title = following.text
                    following.label = kind
            if title:
                line.label = kind
                if kind == "previous":
                    prev = title
                else:
                    nxt = title
    return prev, nxt


_CLOCK_ALONE = re.compile(
    r"^(?:[01]?[0-9]|2[0-3]|[٠-٩]{1,2})\s*:\s*(?:[0-5][0-9]|[٠-٥][٠-٩])"
    r"(?:\s*(?:GMT|UTC|ص|م|AM|PM|am|pm|بتوقيت\s+\S+))?$"
)
_CLOCK_FIRST = re.compile(
    r"^(?:[01]?[0-9]|2[0-3]|[٠-٩]{1,2})\s*:\s*(?:[0-5][0-9]|[٠-٥][٠-٩])\s"
)  # "10:32 خبر"
_ENDS_WITH_CREDIT = re.compile(r"©\s*[\w .&/-]{2,40}$")


def _update_lines(lines: list[Line], start: int, end: int) -> list[Line]:
    """One live update: the sentence-like lines after its time, up to the first line that is neither
    (a share or permalink line ends it); a caption (a line closing on a © credit, or followed by one) is
    left out."""
    content: list[Line] = []
    for j in range(start, end):
        line = lines[j]
        if not line.text:
            continue
        if not is_prose(line.text) or cues.is_chrome_line(line.text):
            if content:
                break
            continue
        after = _neighbour(lines, j, 1)
        caption = _ENDS_WITH_CREDIT.search(line.text) or (after is not None and cues.is_non_body(after.text))
        if not caption:
            content.append(line)
    return content


def find_live_updates(lines: list[Line]) -> list[Line]:
    """Live coverage: clock times alone on their lines, each followed by its update's text. The body is
    every update (its time, then its lines) in the page's order; empty unless two updates have text."""
    times = [i for i, line in enumerate(lines) if _CLOCK_ALONE.match(line.text)]
    body: list[Line] = []
    updates = 0
    for n, i in enumerate(times):
        end = times[n + 1] if n + 1 < len(times) else len(lines)
        content = _update_lines(lines, i + 1, end)
        if content:
            body += [lines[i], *content]
            updates += 1
    return body if updates >= 2 else []


def classify(text: str, page: Page | None = None) -> tuple[list[Line], dict]:
    """Label every line; return the lines and what was read off them."""
    lines = split_lines(text)
    runs = find_runs(lines)
    if not runs or max(r.score for r in runs) <= 0:
        raise ExtractionError("no body paragraph in the text dump")
    best = max(runs, key=lambda r: r.score)
    body = _body_lines(best)
    live = find_live_updates(lines)
    updates = sum(1 for ln in live if _CLOCK_ALONE.match(ln.text))
    if live and (updates >= 3 or sum(len(ln.text) for ln in live) >= 0.5 * best.score):
        body = live  # three timed updates are live coverage, however short each one is
    if not body:
        raise ExtractionError("no body paragraph in the text dump")
    index_of = {id(line): i for i, line in enumerate(lines)}
    start = index_of[id(body[0])]
    counts = Counter(ln.text for ln in lines if ln.text)
    repeated = {t for t, n in counts.items() if n > 1}
    ref = page.fetched_at if page else None
    title_index = _title_before(lines, start, body, repeated, ref)
    between = [
        k
        for k in range(title_index + 1 if title_index is not None else max(0, start - 8), start)
        if lines[k].label not in ("blank", "ticker")
    ]
    for line in body:
        line.label = "body"
    facts: dict = {"title": None, "date": None, "attribution": None, "author": None}
    if title_index is not None:
        lines[title_index].label = "title"
        facts["title"] = lines[title_index].text
        _label_ticker_blocks(lines, title_index)
    between_lines = [lines[k] for k in between]
    attribution = find_attribution(_field_lines(between_lines))
    for line in between_lines:
        if attribution is not None and facts["attribution"] is None and attribution.outlet in line.text:
            line.label = "attribution"
            facts["attribution"] = attribution
            if attribution.date is not None:
                facts["date"] = FoundDate(attribution.date.value, attribution.date.precision, "attribution")
            continue
        if facts["date"] is None and states_day_or_time(line.text):
            found = parse_text_date(line.text, ref)
            if found and plausible(found[0], ref):
                facts["date"] = FoundDate(found[0], found[1], "byline")
                line.label = "byline"
        name = cues.byline_name(line.text) or cues.name_before_date(line.text)
        if name and facts["author"] is None:
            line.label, facts["author"] = "byline", name
    if facts["author"] is None:
        facts["author"] = _lone_name(between_lines)
    end = index_of[id(body[-1])]
    facts["previous"], facts["next"] = _prev_next(lines, end + 1)
    for line in lines[end + 1 :]:
        if line.label == "other":
            line.label = "widget" if not cues.is_source_link(line.text) else "other"
    facts["ticker"] = [
        h
        for ln in lines
        if ln.label == "ticker"
        for h in (ln.headlines or [ln.text])
        if not _TICKER_LABEL.match(h)
    ]
    facts["body"] = [ln.text for ln in body]
    return lines, facts


_COPYRIGHT_WORDS = re.compile(
    r"©|\(c\)|copyright|(?:19|20)\d{2}|جميع|كافة|الحقوق|حقوق|النشر|الطبع|محفوظة|all rights reserved|"
    r"tous droits réservés|لـ|[-|.،,:]",
    re.I,
)


def own_name(lines: list[Line]) -> str | None:
    """The outlet's own name as its copyright line gives it ("© 2018 نبض الحدث - جميع الحقوق محفوظة")."""
    for line in reversed(lines):
        if len(line.text) < 160 and cues.is_copyright(line.text):
            for part in re.split(r"\s[|•·]\s", line.text):  # "© 2018 X | من نحن | اتصل بنا"
                if cues.is_copyright(part) or "©" in part:
                    name = " ".join(_COPYRIGHT_WORDS.sub(" ", part).split())
                    if 1 <= len(name.split()) <= 4:
                        return name
    return None


def extract_text(text: str, page: Page) -> Article:
    lines, facts = classify(text, page)
    found: FoundDate | None = facts["date"]
    attribution = facts["attribution"]
    outlet = page.outlet_hint or own_name(lines)
    if attribution is not None and attribution.outlet == outlet:
        attribution = None  # "المصدر: الخليج اليوم" on its own page: no repost
    article = Article(
        url=page.url,
        title=facts["title"] or "",
        body=facts["body"],
        published=found.value if found else None,
        precision=found.precision if found else None,
        author=facts["author"],
        outlet=outlet,
        original_outlet=attribution.outlet if attribution is not None else None,
        original_url=attribution.url if attribution is not None else None,
        ticker=facts["ticker"],
        previous_title=facts["previous"],
        next_title=facts["next"],
        fetched_at=page.fetched_at,
    )
    article.language = cues.language_of(article.text)
    return article
