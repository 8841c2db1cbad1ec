"""Snippets: a passage of the text as published, with the words the query matched wrapped in <mark>.

The index only holds analysed terms, so the highlight is found the other way round: the published text is
split into words with their character offsets, each word is analysed on its own, and a word is marked when
its analysed form is one of the query's terms. "والحكومةُ" in the text is marked for a query "حكومات",
with its harakat and clitics as published. Everything else is HTML-escaped.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterator
from functools import lru_cache

from marsad.arabic import normalise
from marsad.search.analysis import analyser

# A word: letters and digits with the marks (harakat, tatweel, Quranic marks) that sit inside Arabic words.
_WORD = re.compile(r"(?:[^\W_]|[\u0610-\u061A\u064B-\u065F\u0670\u06D6-\u06ED\u0640])+")

SNIPPET_CHARS = 240
_LEAD_WORDS = 6  # words of context kept before the first mark


# A word of the text: (start, end, analysed terms).
_Word = tuple[int, int, tuple[str, ...]]


def _cached(analyse: Callable[[str], list[str]]) -> Callable[[str], tuple[str, ...]]:
    @lru_cache(maxsize=262_144)
    def analyse_word(word: str) -> tuple[str, ...]:
        return tuple(analyse(word))

    return analyse_word


_analysers: dict[int, Callable[[str], tuple[str, ...]]] = {}


def _word_analyser(analyse: Callable[[str], list[str]] | None) -> Callable[[str], tuple[str, ...]]:
    analyse = analyse or analyser()
    key = id(analyse)
    if key not in _analysers:
        _analysers[key] = _cached(analyse)
    return _analysers[key]


def _words(text: str, analyse_word: Callable[[str], tuple[str, ...]]) -> list[_Word]:
    return [(m.start(), m.end(), analyse_word(m.group())) for m in _WORD.finditer(text)]


def _is_hit(word: _Word, terms: set[str]) -> bool:
    return not terms.isdisjoint(word[2])


def highlight(text: str, terms: set[str], analyse: Callable[[str], list[str]] | None = None) -> str:
    """The whole of `text`, escaped, with every matching word marked (for titles)."""
    analyse_word = _word_analyser(analyse)
    return _render(text, 0, len(text), [w for w in _words(text, analyse_word) if _is_hit(w, terms)])


def _render(text: str, start: int, end: int, hits: list[_Word]) -> str:
    out, pos = [], start
    for word_start, word_end, _ in hits:
        if word_start < start or word_end > end:
            continue
        out.append(html.escape(text[pos:word_start]))
        out.append(f"<mark>{html.escape(text[word_start:word_end])}</mark>")
        pos = word_end
    out.append(html.escape(text[pos:end]))
    return "".join(out)


def _best_window(words: list[_Word], terms: set[str], width: int) -> tuple[int, int, set[str]] | None:
    """(first, last, terms seen) of the passage with the most distinct query terms, earliest on a tie."""
    hit_positions = [i for i, w in enumerate(words) if _is_hit(w, terms)]
    if not hit_positions:
        return None
    best, best_score = None, (-1, -1)
    for first_hit in hit_positions:
        first = max(0, first_hit - _LEAD_WORDS)
        limit = words[first][0] + width
        last, seen, count = first, set(), 0
        for i in range(first, len(words)):
            if words[i][1] > limit:
                break
            last = i
            if _is_hit(words[i], terms):
                seen.update(terms.intersection(words[i][2]))
                count += 1
        score = (len(seen), count)
        if score > best_score:
            best, best_score = (first, last, seen), score
            if len(seen) == len(terms):
                break
    return best


def _may_match(paragraph: str, terms: set[str]) -> bool:
    """A cheap test before analysing a paragraph word by word: Marsad's stems are affix-stripped, so a
    matching word's normalised form contains the term."""
    folded = normalise(paragraph)
    return any(term in folded for term in terms)


def make_snippet(
    text: str,
    terms: set[str],
    analyse: Callable[[str], list[str]] | None = None,
    width: int = SNIPPET_CHARS,
) -> str:
    """An HTML passage of about `width` characters of `text` around the query's words, words marked.

    Paragraphs are read in order and reading stops at the first one that holds every term, so a long
    article costs no more than it must. Without any match, the opening of the text.
    """
    if not terms:
        return _opening(text, width)
    analyse_word = _word_analyser(analyse)
    best = _best_passage(text, terms, analyse_word, width, prefilter=True)
    if best is None:  # the prefilter is a shortcut, never the judge
        best = _best_passage(text, terms, analyse_word, width, prefilter=False)
    if best is None:
        return _opening(text, width)
    start, end, hits = best
    start, end = _widen(text, start, end, width)
    prefix = "… " if start > 0 else ""
    suffix = " …" if end < len(text) else ""
    return prefix + _render(text, start, end, hits) + suffix


def _best_passage(
    text: str, terms: set[str], analyse_word: Callable[[str], tuple[str, ...]], width: int, *, prefilter: bool
) -> tuple[int, int, list[_Word]] | None:
    best: tuple[int, int, int, list[_Word]] | None = None  # (distinct terms, start, end, hits)
    for offset, paragraph in _pieces(text, 2 * width):
        if not prefilter or _may_match(paragraph, terms):
            words = _words(paragraph, analyse_word)
            window = _best_window(words, terms, width)
            if window is not None:
                first, last, seen = window
                if best is None or len(seen) > best[0]:
                    hits = [
                        (a + offset, b + offset, t)
                        for a, b, t in words[first : last + 1]
                        if _is_hit((a, b, t), terms)
                    ]
                    best = (len(seen), offset + words[first][0], offset + words[last][1], hits)
                    if len(seen) == len(terms):
                        break
    return None if best is None else best[1:]


def _pieces(text: str, size: int) -> Iterator[tuple[int, str]]:
    """(offset, piece): the paragraphs of `text`, long ones cut at spaces into pieces of about `size`."""
    offset = 0
    for paragraph in text.split("\n"):
        start = 0
        while len(paragraph) - start > size:
            cut = paragraph.rfind(" ", start + size // 2, start + size)
            cut = cut if cut > start else start + size
            yield offset + start, paragraph[start:cut]
            start = cut
        if start < len(paragraph):
            yield offset + start, paragraph[start:]
        offset += len(paragraph) + 1


def _widen(text: str, start: int, end: int, width: int) -> tuple[int, int]:
    """Grow a short passage to about `width` characters, on word boundaries, staying in its paragraph."""
    para_start = text.rfind("\n", 0, start) + 1
    para_end = text.find("\n", end)
    para_end = len(text) if para_end < 0 else para_end
    room = width - (end - start)
    if room > 0:
        new_end = min(para_end, end + room)
        if new_end < para_end:
            space = text.rfind(" ", end, new_end)
            new_end = space if space > end else new_end
        room -= new_end - end
        end = new_end
    if room > 0 and start > para_start:
        new_start = max(para_start, start - room)
        if new_start > para_start:
            space = text.find(" ", new_start, start)
            new_start = space + 1 if space >= 0 else new_start
        start = new_start
    return start, end


def _opening(text: str, width: int) -> str:
    if len(text) <= width:
        return html.escape(text)
    cut = text.rfind(" ", 0, width)
    cut = cut if cut > width // 2 else width
    return html.escape(text[:cut]) + " …"
