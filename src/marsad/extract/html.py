"""HTML pages: one DOM pass that cuts the page into text blocks and scores the elements holding them.

Whatever wraps the article (a WebForms <form> around the whole page, layout tables, deep wrappers, no
<article> or <main>), chrome goes by what it is: a form or a block of form controls with little text, a
teaser card, a container named like comments/related/gallery/share, a line of a non-body family (cues.py),
a line the outlet's profile lists. The body is the element that directly holds the most sentence-like
text, weighed by what its class and id names say and by how much of its text is links, or a run of like
units that each show their time (live coverage: every update, its time included; LiveBlogPosting JSON-LD
gives them first). Title, date, author and repost origin come from metadata first, then from the byline
between the title and the body; an author is kept only when it names someone (authors.py). When this pass
finds too little, trafilatura is asked instead (rare, and slower).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lxml import etree

from marsad.extract import cues
from marsad.extract.authors import split_byline
from marsad.extract.dates import (
    FoundDate,
    is_new_year_guess,
    parse_iso,
    parse_text_date,
    plausible,
    states_day_or_time,
)
from marsad.extract.metadata import HeadMeta, LiveUpdate, read_head, strip_site_name
from marsad.extract.profile import OutletProfile
from marsad.models import Article, ExtractionError, Image, Page

_PARSER = etree.HTMLParser(remove_comments=True, remove_pis=True, collect_ids=False, default_doctype=False)
_DROP = (
    "script",
    "style",
    "noscript",
    "template",
    "svg",
    "iframe",
    "object",
    "embed",
    "canvas",
    "math",
    "head",
    "amp-analytics",
    "amp-consent",
)
# Form controls: their blocks (a search box, a comment form, a poll) go by what they are (see drop_forms),
# then the controls themselves; a <form> that wraps the page (ASP.NET WebForms) stays.
_CONTROLS = ("button", "select", "textarea", "input", "option", "optgroup", "datalist")
_FILLED_CONTROLS = etree.XPath(
    ".//textarea | .//select | .//button | .//input[not(@type) or (@type!='hidden' and @type!='image')]"
)
_CONTROL_BLOCK_CHARS = 300  # a block of controls with more text than this around them holds more than a form
_PROSE_CHARS = 120  # a run of text this long is a paragraph, not a label or a poll question
_TEASER_CHARS = 1500  # a teaser card (headline and lead) is shorter than this
# A run of like units (live updates) is the body when it holds this much more than the best single holder
# and no unit holds more than this share of it.
_MIN_RUN_GAIN = 1.5
_MAX_UNIT_SHARE = 0.67
_LIVE_JSONLD_SHARE = 0.8  # JSON-LD updates holding less than this share of the page's text are excerpts
_UNIT_HEAD_CHARS = 120  # where a live update shows its time: its first line or so
_BLOCK = frozenset(
    [
        "address",
        "article",
        "aside",
        "blockquote",
        "dd",
        "details",
        "dialog",
        "div",
        "dl",
        "dt",
        "fieldset",
        "figcaption",
        "form",
        "figure",
        "footer",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hr",
        "li",
        "main",
        "nav",
        "ol",
        "p",
        "pre",
        "section",
        "table",
        "tbody",
        "thead",
        "tfoot",
        "tr",
        "td",
        "th",
        "ul",
        "center",
        "summary",
        "marquee",
        "amp-carousel",
        "amp-sidebar",
        "body",
        "html",
    ]
)
_HEADINGS = frozenset(["h1", "h2", "h3", "h4", "h5", "h6"])
_WS = re.compile(r"\s+")
_NEGATIVE = re.compile(
    r"comment|related|sidebar|side-?col|widget|teaser|most-?read|most-?view|popular|share|social|tags?\b|"
    r"tagcloud|keyword|footer|breadcrumb|crumbs|menu|nav|ticker|breaking|urgent|news_?bar|marquee|newsletter|"
    r"subscribe|cookie|consent|gdpr|promo|sponsor|banner|author-?box|pager|prev|next|meta\b|caption|"
    r"recommend|read-?also|readalso|more-?news|latest|trending|outbrain|taboola|rank|\bnl\b|cmt|\bcm\b|reply|"
    r"gallery|slideshow|carousel|lightbox|credit",
    re.I,
)
_AD = re.compile(
    r"(^|[\s_-])(ad|ads|adv|advert\w*|adsbygoogle|ad-?slot|ad-?box|ad-?label|inline-?ad|"
    r"stream-item\S*|div-gpt-ad\S*|dfp\S*|gpt\S*)($|[\s_-])",
    re.I,
)
_POSITIVE = re.compile(
    r"article|content|entry|story|post-?body|body|text|main|news_?body|details|"
    r"articlebody|itemprop",
    re.I,
)
_PREV_LABEL = re.compile(
    r"^\s*(المقال السابق|الخبر السابق|السابق|Read Previous|Previous( Article| Post)?)\s*[:：]?\s*", re.I
)
_NEXT_LABEL = re.compile(
    r"^\s*(المقال التالي|الخبر التالي|التالي|Read Next|Next( Article| Post)?)\s*[:：]?\s*", re.I
)
_AUTHOR_CLASS = re.compile(r"author|byline|writer|writeby|kateb|reporter", re.I)
_TICKER_CLASS = re.compile(r"ticker|breaking|urgent|news_?bar|marquee|newsticker|akhbar-?3ajel|3ajel", re.I)
_MIN_CONFIDENT_CHARS = 150
MAX_EVENTS = 100_000  # element starts and ends walked per page (a large news page has about 20,000)
MAX_ELEMENTS = 40_000  # above this, the optional whole-page searches (pager, source link, author) are skipped


@dataclass
class Block:
    """A run of inline text: a paragraph, a heading, a list item, text between <br>s."""

    text: str
    holder: etree._Element  # the nearest block element around it
    links: int  # characters inside <a>
    index: int
    recurring: bool = False  # a line the outlet repeats on its pages (its profile's chrome)


def _collapse(text: str) -> str:
    return " ".join(text.split())


def parse(text: str) -> etree._Element:
    text = re.sub(r"^\s*<\?xml[^>]*\?>", "", text[:200]) + text[200:]
    try:
        root = etree.fromstring(text, _PARSER)
    except (etree.ParserError, ValueError) as error:
        raise ExtractionError(f"unparseable HTML: {error}") from error
    if root is None:
        raise ExtractionError("the HTML page holds no document")
    return root


def _text_length(el: etree._Element) -> int:
    return len(_TEXT_OF(el))


_TEXT_OF = etree.XPath("normalize-space()", smart_strings=False)


def _remove(el: etree._Element) -> None:
    """Take an element out of the tree, keeping the text that follows it."""
    parent = el.getparent()
    if parent is None:
        return
    if el.tail and el.tail.strip():
        previous = el.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + el.tail
        else:
            parent.text = (parent.text or "") + el.tail
    parent.remove(el)


def _holds_prose(el: etree._Element) -> bool:
    return any(len(text.strip()) >= _PROSE_CHARS for text in el.itertext())


def drop_forms(body: etree._Element) -> None:
    """Forms and blocks of form controls, by what they are, whatever their tags.

    A <form> holding less than half of the page's text is a search box, a comment, newsletter or login
    form; one holding more wraps the page (ASP.NET WebForms) and stays. Inside it, the block around a
    control that has little text of its own (labels, a poll's question, a comment form's note) goes too;
    then the controls themselves, hidden inputs (view state) included."""
    forms = list(body.iter("form"))
    if forms:
        total = _text_length(body)
        for form in forms:
            if _text_length(form) < 0.5 * total:
                _remove(form)
    for control in _FILLED_CONTROLS(body):
        block, node = None, control.getparent()
        while node is not None and node is not body and node.tag not in ("form", "html", "body"):
            if _text_length(node) > _CONTROL_BLOCK_CHARS or _holds_prose(node):
                break  # more than a form: a short article beside a print button stays
            block, node = node, node.getparent()
        if block is not None:
            _remove(block)
    etree.strip_elements(body, *_CONTROLS, with_tail=False)


def walk_blocks(body: etree._Element, tickers: list[etree._Element] | None = None) -> list[Block]:
    """Cut the body into text blocks in document order (block elements and <br> end a block).

    Block elements named like a news ticker (or a <marquee>) are collected into `tickers` on the way."""
    blocks: list[Block] = []
    buf: list[str] = []
    link_chars = 0
    in_link = 0
    holders: list[etree._Element] = [body]

    def add(text: str | None) -> None:
        nonlocal link_chars
        if text:
            buf.append(text)
            if in_link:
                link_chars += len(text.strip())

    def flush() -> None:
        nonlocal link_chars
        if buf:
            text = _collapse("".join(buf))
            if text:
                blocks.append(Block(text, holders[-1], link_chars, len(blocks)))
            buf.clear()
        link_chars = 0

    for count, (event, el) in enumerate(etree.iterwalk(body, events=("start", "end"))):
        if count >= MAX_EVENTS:  # work cap: an article page is far smaller; the rest is left out
            break
        tag = el.tag if isinstance(el.tag, str) else ""
        if event == "start":
            if tag in _BLOCK:
                flush()
                holders.append(el)
                if tickers is not None and (
                    tag == "marquee" or _TICKER_CLASS.search(f"{el.get('class') or ''} {el.get('id') or ''}")
                ):
                    tickers.append(el)
            elif tag == "br":
                flush()
            elif tag == "a":
                in_link += 1
            add(el.text)
        else:
            if tag in _BLOCK:
                flush()
                holders.pop()
            elif tag == "a":
                in_link -= 1
            add(el.tail)
    flush()
    return blocks


class Weights:
    """What the class/id names of an element and its ancestors say about it (cached per element)."""

    def __init__(self, body: etree._Element) -> None:
        self.body = body
        self._negative: dict[etree._Element, bool] = {}
        self._ad: dict[etree._Element, bool] = {}

    @staticmethod
    def _names(el: etree._Element) -> str:
        return f"{el.get('class') or ''} {el.get('id') or ''} {el.get('itemprop') or ''}"

    def negative(self, el: etree._Element | None) -> bool:
        """Inside a comment/related/teaser/ad/... container (or <aside>, <nav>, <footer>)."""
        if el is None or el is self.body:
            return False
        cached = self._negative.get(el)
        if cached is None:
            names = self._names(el)
            own = el.tag in ("aside", "nav", "footer") or (
                bool(_NEGATIVE.search(names))
                and not re.search(r"articlebody|article-body|entry-content", names, re.I)
            )
            cached = own or self.ad(el) or self.negative(el.getparent())
            self._negative[el] = cached
        return cached

    def ad(self, el: etree._Element | None) -> bool:
        if el is None or el is self.body:
            return False
        cached = self._ad.get(el)
        if cached is None:
            cached = bool(_AD.search(self._names(el))) or self.ad(el.getparent())
            self._ad[el] = cached
        return cached

    def positive(self, el: etree._Element) -> bool:
        return bool(_POSITIVE.search(self._names(el)))


def _sentence_score(block: Block) -> float:
    length = len(block.text)
    if length < 25 or block.links > 0.4 * length or block.recurring or cues.is_chrome_line(block.text):
        return 0.0
    commas = block.text.count("،") + block.text.count(",") + block.text.count(".")
    return 1.0 + min(commas, 6) + min(length / 100.0, 4.0)


def _content_holder(block: Block, blocks_in: dict[etree._Element, int]) -> etree._Element:
    """Paragraph-like elements count for their parent; so does a div holding one block of text and no
    other block (a paragraph written as a <div>); a div of several <br>-separated blocks counts itself."""
    holder = block.holder
    paragraph_like = holder.tag in (
        "p",
        "span",
        "font",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "blockquote",
        "li",
        "pre",
        "center",
    )
    if (
        not paragraph_like
        and blocks_in.get(holder, 0) == 1
        and not any(isinstance(child.tag, str) and child.tag in _BLOCK for child in holder)
    ):
        paragraph_like = True
    if paragraph_like:
        parent = holder.getparent()
        return parent if parent is not None else holder
    return holder


def choose_holder(
    blocks: list[Block], weights: Weights
) -> tuple[etree._Element | None, float, list[etree._Element]]:
    """The element holding the body, its score, and the like units it is made of when the body is a run
    of them (the updates of live coverage), else an empty list."""
    scores: dict[etree._Element, float] = {}
    blocks_in: dict[etree._Element, int] = {}
    for block in blocks:
        blocks_in[block.holder] = blocks_in.get(block.holder, 0) + 1
    for block in blocks:
        score = _sentence_score(block)
        if score:
            holder = _content_holder(block, blocks_in)
            scores[holder] = scores.get(holder, 0.0) + score
    weighted: dict[etree._Element, float] = {}
    for holder, score in scores.items():
        if weights.negative(holder):
            score *= 0.15
        elif weights.positive(holder):
            score *= 1.3
        weighted[holder] = score
    best, best_score = None, 0.0
    for holder, score in sorted(weighted.items(), key=lambda item: -item[1]):
        if not _in_teaser_unit(holder, weights):
            best, best_score = holder, score
            break
    parent, total, units = _best_unit_run(weighted, weights)
    if units and total >= _MIN_RUN_GAIN * best_score:
        return parent, total, units
    return best, best_score, []


def _kind(el: etree._Element) -> tuple[str, str]:
    """An element's tag and class names, without the names that number it ("post post-1234")."""
    names = el.get("class") or ""
    if _DIGIT.search(names):
        names = " ".join(sorted(n for n in names.split() if not _DIGIT.search(n)))
    return str(el.tag), names


_DIGIT = re.compile(r"\d")


def _shape(el: etree._Element) -> list[tuple[str, str]]:
    return [_kind(c) for c in el if isinstance(c.tag, str)]


def _same_kind(a: etree._Element, b: etree._Element) -> bool:
    return _kind(a) == _kind(b)


def _opens_with_headline_link(el: etree._Element) -> bool:
    """A teaser: the unit's first text is a link of three words or more (another article's headline)."""
    for node in el.iter():
        if isinstance(node.tag, str) and node.text and node.text.strip():
            link = node if node.tag == "a" else next((a for a in node.iterancestors("a")), None)
            return link is not None and len(_collapse(link.xpath("string()")).split()) >= 3
    return False


def _timed(unit: etree._Element) -> bool:
    """A unit that shows when it was written: a <time>, or a time or a day near its start."""
    return unit.find(".//time") is not None or states_day_or_time(_TEXT_OF(unit)[:_UNIT_HEAD_CHARS])


def _in_teaser_unit(holder: etree._Element, weights: Weights) -> bool:
    """Inside (or being) one of several like, named, short elements that open with another article's
    headline: a teaser card. The page's own post among cards of its kind (a blog's post above its
    related posts) holds far more text than they do, and is none."""
    node: etree._Element | None = holder
    for _ in range(3):
        if node is None or node is weights.body:
            return False
        parent = node.getparent()
        if parent is not None and node.get("class"):  # a card is named; layout wrappers often are not
            others = [c for c in parent if c is not node and _same_kind(c, node)]
            length = _text_length(node)
            if len(others) >= 2 and length <= _TEASER_CHARS:
                lengths = sorted(_text_length(c) for c in others)
                if length >= 2 * lengths[len(lengths) // 2]:
                    return False
                return _opens_with_headline_link(node)
        node = parent
    return False


def _best_unit_run(
    weighted: dict[etree._Element, float], weights: Weights
) -> tuple[etree._Element | None, float, list[etree._Element]]:
    """The element whose like children (same tag and class, at least three holding scored text, or two
    built alike; most of them timed, none of them teasers; not in a comment/related container) hold the
    most text together, their total score, and those children."""
    held: dict[etree._Element, float] = {}
    for holder, score in weighted.items():
        if weights.negative(holder):
            continue
        node: etree._Element | None = holder
        for _ in range(4):  # a unit is the holder or one of its three nearest ancestors
            if node is None or node is weights.body:
                break
            held[node] = held.get(node, 0.0) + score
            node = node.getparent()
    best: tuple[etree._Element | None, float, list[etree._Element]] = (None, 0.0, [])
    seen: set[etree._Element] = set()
    for node in list(held):
        parent = node.getparent()
        if parent is None or parent in seen or weights.negative(parent):
            continue
        seen.add(parent)
        groups: dict[tuple[str, str], list[etree._Element]] = {}
        for child in parent:
            if isinstance(child.tag, str):
                groups.setdefault(_kind(child), []).append(child)
        for units in groups.values():
            scored = [u for u in units if held.get(u, 0.0) > 0]
            if len(scored) < 2 or (len(scored) == 2 and _shape(scored[0]) != _shape(scored[1])):
                continue  # two units must be built alike (live updates are)
            if sum(_opens_with_headline_link(u) for u in scored) * 2 >= len(scored):
                continue
            if sum(_timed(u) for u in scored) * 2 <= len(scored):
                continue  # updates each carry their time; a list of leads does not
            total = sum(held[u] for u in scored)
            if total > best[1] and max(held[u] for u in scored) <= _MAX_UNIT_SHARE * total:
                best = (parent, total, units)
    return best


def _inside(el: etree._Element, ancestor: etree._Element, limit: int = 40) -> bool:
    node: etree._Element | None = el
    while node is not None and limit:
        if node is ancestor:
            return True
        node = node.getparent()
        limit -= 1
    return False


def body_blocks(blocks: list[Block], holder: etree._Element, weights: Weights) -> list[Block]:
    """The holder's paragraphs without ads, link lists, "read also" lines and the title."""
    kept = []
    value_cell = None  # the cell beside a field's label ("المصدر:" | "وام") in a table or a <dl>
    for block in blocks:
        if block.holder is value_cell:
            continue
        if block.holder.tag in ("td", "th", "dt") and cues.is_field_label(block.text):
            value_cell = block.holder.getnext()
        if block.holder.tag == "h1" or not _inside(block.holder, holder):
            continue
        if block.holder is not holder and _inside_negative_below(block.holder, holder, weights):
            continue
        if block.links > 0.5 * len(block.text) or block.recurring or cues.is_chrome_line(block.text):
            continue
        kept.append(block)
    return kept


def _inside_negative_below(el: etree._Element, top: etree._Element, weights: Weights) -> bool:
    """A container between the block and the chosen holder is an ad, a share bar, a related box..."""
    node: etree._Element | None = el
    while node is not None and node is not top:
        names = Weights._names(node)
        if (
            node.tag in ("aside", "nav", "figure", "figcaption")
            or _AD.search(names)
            or _NEGATIVE.search(names)
        ):
            return True
        node = node.getparent()
    return False


def _byline_like(text: str) -> bool:
    if len(text) > 80:
        return False
    return states_day_or_time(text) or bool(cues.byline_name(text)) or cues.is_share_bar(text)


def _norm_title(text: str) -> str:
    return re.sub(r"[\W_]+", "", text or "")


def find_title(root: etree._Element, head: HeadMeta, weights: Weights) -> tuple[str, etree._Element | None]:
    """The title as the page shows it (its <h1> when metadata agrees) and the element showing it."""
    names = [n for n in (head.site_name,) if n]
    references = [
        _norm_title(strip_site_name(t, names)) for t in (head.og_title, head.headline, head.title) if t
    ]
    headings = [h for tag in ("h1", "h2") for h in root.iter(tag) if _collapse(h.xpath("string()"))]
    for heading in headings:  # the <h1> (else an <h2>) that metadata names as the title, not a logo
        text = _collapse(heading.xpath("string()"))
        key = _norm_title(text)
        if key and any(key in ref and len(key) >= 0.6 * len(ref) for ref in references):
            return text, heading
    h1s = [h for h in headings if h.tag == "h1"]
    for candidate in (head.og_title, head.headline):
        if candidate:
            return strip_site_name(candidate, names), None
    for h1 in h1s:
        if not weights.negative(h1):
            return _collapse(h1.xpath("string()")), h1
    if head.title:
        return strip_site_name(head.title, names), None
    return "", None


def _block_index_of(blocks: list[Block], el: etree._Element | None) -> int | None:
    if el is None:
        return None
    for block in blocks:
        if block.holder is el or _inside(block.holder, el, 6):
            return block.index
    return None


def _byline_range(blocks: list[Block], title_index: int | None, body_start: int) -> list[Block]:
    """Blocks between the title and the first body paragraph (or a few before the body)."""
    start = (
        title_index + 1 if title_index is not None and title_index < body_start else max(0, body_start - 8)
    )
    return blocks[start:body_start][:25]


def find_date(
    root: etree._Element,
    head: HeadMeta,
    byline: list[Block],
    date_fields: list[Block],
    weights: Weights,
    page: Page,
) -> FoundDate | None:
    """Metadata's date, else a <time> or a date in the byline, else a labelled date field elsewhere in the
    article's container ("التاريخ: 03 يونيو 2020" in a box after the text)."""
    if head.published and plausible(head.published.value, page.fetched_at):
        return head.published
    # <time datetime> in the byline zone (not in comments or teasers)
    zone = {id(b.holder) for b in byline}
    for el in root.iter("time"):
        if weights.negative(el):
            continue
        holder = el.getparent()
        while holder is not None and holder.tag not in _BLOCK:
            holder = holder.getparent()
        if holder is None or id(holder) not in zone:
            continue
        found = parse_iso(el.get("datetime"))
        text = _collapse(el.xpath("string()"))
        if found and plausible(found[0], page.fetched_at) and not is_new_year_guess(*found, stated_text=text):
            return FoundDate(found[0], found[1], "time")
    for block in [*byline, *date_fields]:
        if not states_day_or_time(block.text):
            continue
        found = parse_text_date(block.text, page.fetched_at)
        if found and plausible(found[0], page.fetched_at):
            return FoundDate(found[0], found[1], "byline")
    return None


_READER_AREA = re.compile(r"comment|related|teaser|most|popular|sidebar|widget|cmt|reply", re.I)


def _in_reader_area(el: etree._Element) -> bool:
    """Inside comments or lists of other articles, where names belong to readers or other writers."""
    depth = 0
    node: etree._Element | None = el
    while node is not None and depth < 30:
        if node.tag == "aside" or _READER_AREA.search(Weights._names(node)):
            return True
        node = node.getparent()
        depth += 1
    return False


def byline_author(byline: list[Block]) -> str | None:
    """ "كتب فلان", "بقلم فلان", "City - Outlet" or "Name date" between the title and the body."""
    for block in byline:
        name = cues.byline_name(block.text) or cues.name_before_date(block.text)
        if name:
            return name
    return None


def find_author(root: etree._Element, weights: Weights) -> str | None:
    """An element named like a byline (author, byline, writer), outside comments."""
    for el in _AUTHOR_XPATH(root):
        names = Weights._names(el)
        if re.search(r"comment", names, re.I):
            continue
        if _in_reader_area(el):
            continue
        text = _collapse(el.xpath("string()"))
        if 0 < len(text) <= 80 and len(text.split()) <= 10:
            name = cues.byline_name(text) or cues.name_before_date(text)
            if name:
                return name
            if not states_day_or_time(text) and ":" not in text:
                return text
    return None


_SOURCE_LINK_XPATH = etree.XPath(
    "//a[@href][contains(., 'مصدر') or contains(., 'المصدر') or contains(., 'ource') or contains(., 'riginal')]"
)
_PREV_NEXT_MARKED = etree.XPath(
    "//a[@rel='prev' or @rel='next'] | //*[self::li or self::div or self::span][@class='older' or @class='newer'"
    " or @class='prev' or @class='next' or @class='previous']"
)
# Text nodes, not elements: an element's string value would be rebuilt for every ancestor.
_PREV_NEXT_TEXT = etree.XPath(
    "//text()[contains(., 'السابق') or contains(., 'التالي') or contains(., 'Previous') or contains(., 'Next')]"
)
_AUTHOR_XPATH = etree.XPath(
    "//*[contains(@class, 'author') or contains(@class, 'byline') or contains(@class, 'writer')"
    " or contains(@class, 'writeBy') or contains(@class, 'Author') or contains(@class, 'reporter')"
    " or contains(@class, 'auteur') or contains(@id, 'author') or contains(@id, 'byline')]"
)


def find_source_link(root: etree._Element) -> str | None:
    """The "read at the source" link an aggregator adds."""
    for a in _SOURCE_LINK_XPATH(root):
        href = a.get("href") or ""
        if href.startswith("http") and cues.is_source_link(_collapse(a.xpath("string()"))):
            return href.strip()
    return None


def find_ticker(candidates: list[etree._Element]) -> list[str]:
    """Headlines of the first ticker-like element that holds links."""
    headlines: list[str] = []
    for el in candidates:
        for a in el.iter("a"):
            text = _collapse(a.xpath("string()"))
            if len(text.split()) >= 2 and text not in headlines:
                headlines.append(text)
        if headlines:
            break
    return headlines


def _label_link(el: etree._Element) -> etree._Element | None:
    """The link a "previous"/"next" label belongs to: the element itself, or the link following the label."""
    if el.tag == "a":
        return el
    parent = el.getparent()
    if parent is not None and parent.tag == "a":
        return parent
    inside = el.find(".//a")
    if inside is not None:
        return inside
    following = el.getnext()
    while following is not None and following.tag != "a":
        found = following.find(".//a")
        if found is not None:
            return found
        following = following.getnext()
    return following


def find_prev_next(root: etree._Element) -> tuple[tuple[str, str] | None, tuple[str, str] | None]:
    prev = nxt = None
    labelled = [t.getparent() for t in _PREV_NEXT_TEXT(root)[:50] if not getattr(t, "is_tail", False)]
    for el in _PREV_NEXT_MARKED(root) + [e for e in labelled if e is not None]:
        a = _label_link(el)
        if a is None:
            continue
        rel = (a.get("rel") or "").lower().split()
        label = _collapse(el.xpath("string()")) if el is not a else ""
        text = _collapse(a.xpath("string()"))
        own = (el.get("class") or "").lower() if el is not a else ""
        is_prev = (
            "prev" in rel
            or own in ("older", "prev", "previous")
            or bool(_PREV_LABEL.match(text) or _PREV_LABEL.match(label))
        )
        is_next = (
            "next" in rel
            or own in ("newer", "next")
            or bool(_NEXT_LABEL.match(text) or _NEXT_LABEL.match(label))
        )
        if is_prev and prev is None:
            title = _PREV_LABEL.sub("", text).strip()
            if len(title.split()) >= 2:
                prev = (title, a.get("href") or "")
        elif is_next and nxt is None:
            title = _NEXT_LABEL.sub("", text).strip()
            if len(title.split()) >= 2:
                nxt = (title, a.get("href") or "")
    return prev, nxt


def live_body(updates: list[LiveUpdate]) -> list[str]:
    """Live coverage from its JSON-LD: each update's time (as its own offset shows it), its headline when
    the text does not open with it, and its text; empty unless there are at least two updates."""
    if len(updates) < 2:
        return []
    paragraphs: list[str] = []
    for update in updates:
        if update.published is not None:
            paragraphs.append(f"{update.published.hour:02d}:{update.published.minute:02d}")
        if update.headline and not _norm_title(update.body).startswith(_norm_title(update.headline)):
            paragraphs.append(update.headline)
        paragraphs += [line.strip() for line in update.body.split("\n") if line.strip()]
    return paragraphs


def fallback_body(text: str, page: Page) -> list[str]:
    """trafilatura, for pages where the DOM pass found no convincing body."""
    from trafilatura import extract as trafilatura_extract

    extracted = trafilatura_extract(
        text, url=page.url or None, include_comments=False, include_tables=False, fast=True
    )
    return [line.strip() for line in (extracted or "").split("\n") if line.strip()]


def extract_html(text: str, page: Page, profile: OutletProfile | None = None) -> Article:
    """The article in an HTML page; lines of the outlet's `profile` count as chrome before the body's
    container is chosen (a standing block the outlet prints on every page cannot win it)."""
    root = parse(text)
    head = read_head(root)
    huge = root.xpath("count(//*)") > MAX_ELEMENTS  # work cap: no page of one article is that big
    source_link = None if huge else find_source_link(root)
    body_el = root.find("body")
    if body_el is None:
        body_el = root
    weights = Weights(body_el)
    title, title_el = find_title(root, head, weights)
    prev, nxt = (None, None) if huge else find_prev_next(root)
    etree.strip_elements(root, *_DROP, with_tail=False)
    drop_forms(body_el)
    ticker_elements: list[etree._Element] = []
    blocks = walk_blocks(body_el, ticker_elements)
    if profile is not None and profile.chrome:
        for block in blocks:
            block.recurring = profile.is_chrome(block.text)
    ticker = find_ticker(ticker_elements)
    holder, _confidence, units = choose_holder(blocks, weights)  # units: live coverage's updates
    kept = body_blocks(blocks, holder, weights) if holder is not None else []
    title_key = _norm_title(title)
    while kept and not any(_inside(kept[0].holder, u, 8) for u in units):
        if not (_byline_like(kept[0].text) or (title_key and _norm_title(kept[0].text) == title_key)):
            break
        kept = kept[1:]  # the title, a date or byline line inside the body's container
    paragraphs = [b.text for b in kept]
    live = live_body(head.live_updates)
    if live and sum(map(len, live)) >= _LIVE_JSONLD_SHARE * sum(map(len, paragraphs)):
        paragraphs = live  # the updates as JSON-LD lists them, unless it cut their text short
    if sum(len(p) for p in paragraphs) < _MIN_CONFIDENT_CHARS:
        paragraphs = fallback_body(text, page) or paragraphs
    if not paragraphs:
        raise ExtractionError("no article text found in the HTML page")
    body_start = kept[0].index if kept else len(blocks)
    title_index = _block_index_of(blocks, title_el)
    if title_index is None and title:
        key = _norm_title(title)
        title_index = next((b.index for b in blocks[:body_start] if _norm_title(b.text) == key), None)
    byline = _byline_range(blocks, title_index, body_start)
    date_fields = [
        b
        for b in blocks[body_start:]
        if holder is not None and cues.is_date_field(b.text) and _inside(b.holder, holder)
    ]
    article = _assemble(
        page, head, title, paragraphs, root, byline, date_fields, weights, source_link, ticker, prev, nxt
    )
    own_names = [
        article.outlet,
        head.site_name,
        page.outlet_hint,
        _title_tail(head.title, title),
        profile.outlet if profile is not None else None,
        *head.publishers,
    ]
    article.author, article.byline_place = split_byline(article.author, own_names)
    if article.author is None and not huge:
        article.author, article.byline_place = split_byline(find_author(root, weights), own_names)
    return article


def _title_tail(page_title: str | None, title: str) -> str | None:
    """The outlet named in <title> beside the article title ("<title> :: Outlet"), when short."""
    if not page_title or not title or title not in page_title or page_title == title:
        return None
    tail = page_title.replace(title, "", 1).strip(" -|:–—»«/")
    return tail if 1 <= len(tail.split()) <= 4 else None


def _field_lines(blocks: list[Block]) -> list[str]:
    """The blocks' texts, a field's label joined to its value cell ("المصدر:" | "وام" -> "المصدر: وام")."""
    lines: list[str] = []
    for k, block in enumerate(blocks):
        previous = blocks[k - 1] if k else None
        if (
            previous is not None
            and previous.holder.getnext() is block.holder
            and previous.holder.tag in ("td", "th", "dt")
            and cues.is_field_label(previous.text)
        ):
            lines[-1] = f"{previous.text} {block.text}"
        else:
            lines.append(block.text)
    return lines


def _assemble(
    page: Page,
    head: HeadMeta,
    title: str,
    paragraphs: list[str],
    root: etree._Element,
    byline: list[Block],
    date_fields: list[Block],
    weights: Weights,
    source_link: str | None,
    ticker: list[str],
    prev: tuple[str, str] | None,
    nxt: tuple[str, str] | None,
) -> Article:
    from marsad.extract.repost import find_attribution

    attribution = find_attribution(_field_lines(byline))
    original_outlet = head.source_organization
    if attribution is not None:
        original_outlet = original_outlet or attribution.outlet
        # the repost line's own date beats any other visible date ("الأطلس اليوم" is no "today")
        byline = [b for b in byline if attribution.outlet not in b.text]
    found = find_date(root, head, byline, date_fields, weights, page)
    if (
        attribution is not None
        and attribution.date is not None
        and (found is None or found.source == "byline")
    ):
        found = FoundDate(attribution.date.value, attribution.date.precision, "attribution")
    site = head.site_name or page.outlet_hint or _title_tail(head.title, title)
    if original_outlet and site and original_outlet == site:
        original_outlet = None
    article = Article(
        url=page.url,
        title=title,
        body=paragraphs,
        published=found.value if found else None,
        precision=found.precision if found else None,
        author=head.author or byline_author(byline),
        outlet=site,
        original_outlet=original_outlet,
        original_url=head.based_on_url or (source_link if original_outlet or source_link else None),
        canonical_url=head.canonical,
        categories=head.categories,
        summary=head.description,
        images=[Image(url) for url in head.images],
        ticker=ticker,
        previous_title=prev[0] if prev else None,
        previous_url=prev[1] if prev else None,
        next_title=nxt[0] if nxt else None,
        next_url=nxt[1] if nxt else None,
        fetched_at=page.fetched_at,
    )
    article.language = cues.language_of(article.text) or (head.lang or "").split("-")[0] or None
    return article
