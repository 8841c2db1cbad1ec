"""An HTML-to-text dumper that writes a page the way a crawler's text export does.

Rules (no CSS is applied, so hidden widget text stays):
- headings, divisions, lists, tables, nav, header, footer and the like are blocks: each starts on a new
  line with a blank line before and after it;
- paragraphs, list items, table cells and captions take one line each, with no blank line between them;
- `<br>` ends a line and two `<br>` in a row make a blank line;
- a `<marquee>` ticker is flattened to one line, its headlines separated by four spaces;
- `<head>`, scripts, styles and `<noscript>` are dropped; runs of spaces, tabs and newlines collapse to one
  space (a no-break space is kept as it is).
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

SKIP_TAGS = {"head", "script", "style", "noscript", "template", "svg", "iframe"}
LINE_TAGS = {"p", "li", "dt", "dd", "td", "th", "tr", "figcaption", "caption", "summary"}
BLOCK_TAGS = {
    "html",
    "body",
    "address",
    "article",
    "aside",
    "blockquote",
    "dl",
    "div",
    "fieldset",
    "figure",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hr",
    "main",
    "nav",
    "ol",
    "section",
    "table",
    "ul",
    "marquee",
}
VOID_TAGS = {"br", "hr", "img", "input", "meta", "link", "source", "wbr", "area", "base", "col", "embed"}
TICKER_SEPARATOR = "    "
_SPACES = re.compile(r"[ \t\n\r\f]+")


class _Dumper(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = []
        self.current = ""
        self.skipping = 0
        self.marquee_depth = 0
        self.ticker_items: list[str] = []
        self.ticker_current = ""
        self.last_was_br = False

    # --- line building
    def _end_line(self) -> None:
        text = self.current.strip(" ")
        if text:
            self.lines.append(text)
        self.current = ""

    def _blank(self) -> None:
        self._end_line()
        if self.lines and self.lines[-1] != "":
            self.lines.append("")

    def _ticker_break(self) -> None:
        item = self.ticker_current.strip()
        if item:
            self.ticker_items.append(item)
        self.ticker_current = ""

    # --- parser events
    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in SKIP_TAGS:
            if tag not in VOID_TAGS:
                self.skipping += 1
            return
        if self.skipping:
            return
        if tag == "marquee":
            self._blank()
            self.marquee_depth += 1
            return
        if self.marquee_depth:
            if tag in LINE_TAGS or tag in BLOCK_TAGS or tag in {"a", "br"}:
                self._ticker_break()
            return
        if tag == "br":
            self._line_break()
            return
        self.last_was_br = False
        if tag in BLOCK_TAGS:
            self._blank()
        elif tag in LINE_TAGS:
            self._end_line()

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in VOID_TAGS:
            self.handle_endtag(tag)

    def _line_break(self) -> None:
        if self.last_was_br and not self.current.strip(" "):
            if self.lines and self.lines[-1] != "":
                self.lines.append("")
        else:
            self._end_line()
        self.last_was_br = True

    def handle_endtag(self, tag: str) -> None:
        if tag in SKIP_TAGS:
            self.skipping = max(0, self.skipping - 1)
            return
        if self.skipping:
            return
        if tag == "marquee" and self.marquee_depth:
            self._ticker_break()
            self.marquee_depth -= 1
            if not self.marquee_depth:
                self.lines.append(TICKER_SEPARATOR.join(self.ticker_items))
                self.ticker_items = []
                self._blank()
            return
        if self.marquee_depth:
            if tag in LINE_TAGS or tag in BLOCK_TAGS or tag == "a":
                self._ticker_break()
            return
        if tag in BLOCK_TAGS:
            self.last_was_br = False
            self._blank()
        elif tag in LINE_TAGS:
            self.last_was_br = False
            self._end_line()

    def handle_data(self, data: str) -> None:
        if self.skipping:
            return
        text = _SPACES.sub(" ", data)
        if self.marquee_depth:
            self.ticker_current += text
            return
        if text.strip(" "):
            self.last_was_br = False
        if not self.current and text.startswith(" "):
            text = text.lstrip(" ")
        if self.current.endswith(" ") and text.startswith(" "):
            text = text[1:]
        self.current += text

    def result(self) -> str:
        self._end_line()
        lines = [line.rstrip(" ") for line in self.lines]
        while lines and lines[0] == "":
            lines.pop(0)
        while lines and lines[-1] == "":
            lines.pop()
        return "\n".join(lines) + "\n"


def html_to_text(html: str) -> str:
    """The page's text dump: one block per line group, blank lines between blocks."""
    dumper = _Dumper()
    dumper.feed(html)
    dumper.close()
    return dumper.result()
