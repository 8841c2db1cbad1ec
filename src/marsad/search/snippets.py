"""Snippets: a passage of the text as published, with the words the query matched wrapped in <mark>.

The index only holds analysed terms, so the highlight is found the other way round: a word of the published
text is marked when its analysed form is one of the query's terms. "والحكومةُ" in the text is marked for a
query "حكومات", with its harakat and clitics as published. Everything else is HTML-escaped. Marsad's stems
are the word less its affixes, so only words where a term starts in the folded text are analysed
(`find_folded`: a few words an article, where analysing every word cost ~1 ms).
"""

from __future__ import annotations

import html
import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterator
from functools import lru_cache
from operator import itemgetter

from marsad.arabic.normalise import find_folded
from marsad.search.analysis import analyser

# A word: letters and digits with the marks (harakat, tatweel, Quranic marks) that sit inside Arabic words.
# (One character class: an alternation per character is several times slower. `_` joins hashtag words,
# which are then marked whole when one of their parts matches.)
_WORD = re.compile(r"[\w\u0610-\u061A\u064B-\u065F\u0670\u06D6-\u06ED\u0640]+")

_HTML_SPECIAL = re.compile("[&<>\"']")  # what html.escape replaces

SNIPPET_CHARS = 240
_LEAD_WORDS = 6  # words of context kept before the first mark


# A word of the text: (start, end, analysed terms).
_Word = tuple[int, int, tuple[str, ...]]
_START, _END = itemgetter(0), itemgetter(1)  # of a word's (start, end) span


@lru_cache(maxsize=262_144)
def _analyse_word(word: str) -> tuple[str, ...]:
    return tuple(analyser()(word))


def highlight(text: str, terms: set[str]) -> str:
    """The whole of `text`, escaped, with every matching word marked (for titles)."""
    offsets = _match_offsets(text, terms) if terms else []
    if not offsets:
        return html.escape(text)
    spans, hits = _piece_hits(text, terms, offsets)
    return _render(text, 0, len(text), [(*spans[i], ()) for i in sorted(hits)])


def _render(text: str, start: int, end: int, hits: list[_Word]) -> str:
    # Most passages hold nothing to escape: then every slice goes out as it is (str() of a str is itself).
    escape = html.escape if _HTML_SPECIAL.search(text, start, end) else str
    out, pos = [], start
    for word_start, word_end, _ in hits:
        if word_start < start or word_end > end:
            continue
        out.append(escape(text[pos:word_start]))
        out.append(f"<mark>{escape(text[word_start:word_end])}</mark>")
        pos = word_end
    out.append(escape(text[pos:end]))
    return "".join(out)


def _term_offsets(text: str, terms: set[str]) -> dict[str, list[int]]:
    """term -> sorted offsets in `text` where it starts in any spelling that folds to it (terms found only).
    Marsad's stems are affix-stripped, so a word that matches contains its stem: only words at these
    offsets need analysing (tests/search/test_snippets.py checks that on every distinct word of ANT)."""
    # A no-break space (in one ANT article in four) is not NFKC-stable, so find_folded would scan the whole
    # text for letters NFKC changes (~20 us a 2,700-character article); as a space it finds the same
    # offsets without.
    return find_folded(text.replace("\xa0", " "), sorted(terms))


def _match_offsets(text: str, terms: set[str]) -> list[int]:
    """Sorted offsets in `text` where some term starts."""
    return sorted({o for offsets in _term_offsets(text, terms).values() for o in offsets})


def _piece_hits(
    piece: str, terms: set[str], offsets: list[int]
) -> tuple[list[tuple[int, int]], dict[int, set[str]]]:
    """The word spans of `piece` and {word index: query terms it matches}, in word order, analysing only the
    words at `offsets` (positions in the piece where a term's spelling starts)."""
    spans = [m.span() for m in _WORD.finditer(piece)]
    hits: dict[int, set[str]] = {}
    for i in sorted({bisect_right(spans, offset, key=_START) - 1 for offset in offsets} - {-1}):
        start, end = spans[i]
        found = terms.intersection(_analyse_word(piece[start:end]))
        if found:
            hits[i] = found
    return spans, hits


def _best_window(
    spans: list[tuple[int, int]], hits: dict[int, set[str]], width: int
) -> tuple[int, int, set[str]]:
    """(first, last, terms seen) word indexes of the passage with the most distinct query terms (`hits` is
    not empty: its first window scores above the start)."""
    order = list(hits)  # in word order
    best: tuple[int, int, set[str]] = (0, 0, set())
    best_score = (-1, -1)
    for k, first_hit in enumerate(order):
        first = max(0, first_hit - _LEAD_WORDS)
        limit = spans[first][0] + width
        seen: set[str] = set()
        count = 0
        for j in order[k:]:
            if spans[j][1] > limit:
                break
            seen |= hits[j]
            count += 1
        score = (len(seen), count)
        if score > best_score:
            # The last word that ends within `limit` (word ends only grow), or `first` itself.
            last = max(first, bisect_right(spans, limit, key=_END) - 1)
            best, best_score = (first, max(last, first_hit), seen), score
    return best


def make_snippet(text: str, terms: set[str], width: int = SNIPPET_CHARS) -> str:
    """An HTML passage of about `width` characters of `text` around the query's words, words marked.

    Paragraphs are read in order and reading stops at the first one that holds every term, so a long
    article costs no more than it must. Without any match, the opening of the text.
    """
    if not terms:
        return _opening(text, width)
    best = _best_passage(text, terms, width)
    if best is None:
        return _opening(text, width)
    start, end, marks = best
    start, end = _widen(text, start, end, width)
    prefix = "… " if start > 0 else ""
    suffix = " …" if end < len(text) else ""
    return prefix + _render(text, start, end, marks) + suffix


def _best_passage(text: str, terms: set[str], width: int) -> tuple[int, int, list[_Word]] | None:
    """(start, end, marked words) of the best passage: in the first piece of `text` (in reading order) among
    those whose best window holds the most distinct terms.

    The distinct terms spelled in a piece bound what its window can hold, so pieces are tried from the
    highest bound (and, among equals, in reading order) and the search stops when no piece left can win:
    most pieces are never split into words.
    """
    by_term = _term_offsets(text, terms)
    if not by_term:
        return None
    located = sorted((o, term) for term, found in by_term.items() for o in found)  # (offset, term)
    offsets, spelled = [o for o, _ in located], [term for _, term in located]
    best: tuple[int, int, int, int, list[_Word]] | None = None  # (distinct terms, piece, start, end, marks)
    for bound, offset, piece, low, high in _promising_pieces(text, width, offsets, spelled):
        if best is not None and (bound, -offset) <= (best[0], -best[1]):
            break  # neither this piece nor any after it can hold more terms, or as many terms earlier
        spans, hits = _piece_hits(piece, terms, [o - offset for o in offsets[low:high]])
        if not hits:
            continue
        first, last, seen = _best_window(spans, hits, width)
        if best is None or (len(seen), -offset) > (best[0], -best[1]):
            marks: list[_Word] = [
                (spans[i][0] + offset, spans[i][1] + offset, ()) for i in hits if first <= i <= last
            ]
            best = (len(seen), offset, offset + spans[first][0], offset + spans[last][1], marks)
    return None if best is None else best[2:]


def _promising_pieces(
    text: str, width: int, offsets: list[int], spelled: list[str]
) -> Iterator[tuple[int, int, str, int, int]]:
    """(distinct terms spelled, offset, piece, first and past-last index into `offsets`) for the pieces
    where some term is spelled (term `spelled[i]` at `offsets[i]`, in order): the highest count first, then
    in reading order. Pieces spelling every term found in the text come as they are read, so a caller that
    stops at one leaves the rest of the text."""
    most = len(set(spelled))
    rest = []
    for offset, piece in _pieces(text, 2 * width, offsets):
        low, high = bisect_left(offsets, offset), bisect_left(offsets, offset + len(piece))
        if high == low:  # a stretch of a long paragraph without any
            continue
        count = len(set(spelled[low:high]))
        if count == most:
            yield count, offset, piece, low, high
        else:
            rest.append((count, offset, piece, low, high))
    rest.sort(key=lambda item: (-item[0], item[1]))
    yield from rest


def _pieces(text: str, size: int, offsets: list[int]) -> Iterator[tuple[int, str]]:
    """(offset, piece): the paragraphs of `text` holding one of the sorted `offsets`, long ones cut at
    spaces into pieces of about `size` (as if every paragraph were cut: each is cut on its own)."""
    i = 0
    while i < len(offsets):
        start = text.rfind("\n", 0, offsets[i]) + 1
        end = text.find("\n", offsets[i])
        end = len(text) if end < 0 else end
        yield from _cut(text[start:end], start, size)
        i = bisect_left(offsets, end, i)


def _cut(paragraph: str, offset: int, size: int) -> Iterator[tuple[int, str]]:
    start = 0
    while len(paragraph) - start > size:
        cut = paragraph.rfind(" ", start + size // 2, start + size)
        cut = cut if cut > start else start + size
        yield offset + start, paragraph[start:cut]
        start = cut
    if start < len(paragraph):
        yield offset + start, paragraph[start:]


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
