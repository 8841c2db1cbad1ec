"""Snippets mark the words as published (clitics, harakat, hamza forms), escape everything else."""

from __future__ import annotations

import gzip
import itertools
import json

import pytest

from marsad.arabic import analyse
from marsad.arabic.normalise import fold_with_offsets
from marsad.search.snippets import _WORD, highlight, make_snippet


def q(*words: str) -> set[str]:
    return {t for w in words for t in analyse(w)}


def test_the_inflected_word_is_marked_whole_as_published():
    text = "أعلنت وَالحكومةُ الجديدة خطتها، وقال رئيس للحكومة إن الحكومات السابقة فشلت."
    snippet = make_snippet(text, q("حكومة"))
    assert snippet == (
        "أعلنت <mark>وَالحكومةُ</mark> الجديدة خطتها، وقال رئيس <mark>للحكومة</mark> إن "
        "<mark>الحكومات</mark> السابقة فشلت."
    )


def test_hamza_and_alef_maqsura_forms_are_marked():
    text = "زار أحمد المستشفى في إسرائيل"
    assert make_snippet(text, q("احمد", "مستشفي", "اسرائيل")) == (
        "زار <mark>أحمد</mark> <mark>المستشفى</mark> في <mark>إسرائيل</mark>"
    )


def test_html_in_the_text_is_escaped_and_marks_stay_real():
    text = 'قال <b>الوزير</b> "إن الحكومة & البرلمان"'
    assert make_snippet(text, q("الحكومة")) == (
        "قال &lt;b&gt;الوزير&lt;/b&gt; &quot;إن <mark>الحكومة</mark> &amp; البرلمان&quot;"
    )


def test_a_long_text_gives_a_passage_around_the_match():
    filler = " ".join(["كلام"] * 200)
    text = f"{filler} ثم أعلنت الحكومة قرارها {filler}"
    snippet = make_snippet(text, q("الحكومة"), width=120)
    assert snippet.startswith("… ") and snippet.endswith(" …")
    assert "أعلنت <mark>الحكومة</mark> قرارها" in snippet
    assert len(snippet.replace("<mark>", "").replace("</mark>", "")) <= 120 + 4


def test_the_paragraph_with_every_term_wins():
    text = "الحكومة وحدها هنا.\nفقرة أخرى.\nالحكومة والبرلمان معا هنا."
    assert make_snippet(text, q("الحكومة", "البرلمان")) == (
        "… <mark>الحكومة</mark> <mark>والبرلمان</mark> معا هنا."
    )


def test_no_match_gives_the_opening_of_the_text():
    text = "نص لا يذكر الكلمة المطلوبة"
    assert make_snippet(text, q("حكومة")) == "نص لا يذكر الكلمة المطلوبة"


def test_title_highlight_keeps_the_whole_title():
    assert highlight("الحكومة المغربية تقرر", q("حكومات")) == "<mark>الحكومة</mark> المغربية تقرر"


def test_letters_in_presentation_forms_are_found_and_marked_as_published():
    text = "قررت ﺍﻟﺤﻜﻮﻣﺔ أمس"  # the middle word typed in Arabic presentation forms
    assert make_snippet(text, q("حكومة")) == "قررت <mark>ﺍﻟﺤﻜﻮﻣﺔ</mark> أمس"


def test_tatweel_and_harakat_inside_a_word_and_no_break_spaces():
    text = "أعلنت\xa0الحكـــومةَ\xa0خطتها"
    assert make_snippet(text, q("الحكومة")) == "أعلنت\xa0<mark>الحكـــومةَ</mark>\xa0خطتها"
    assert highlight("وزير الدِّفاع", q("الدفاع")) == "وزير <mark>الدِّفاع</mark>"


def test_arabic_indic_digits_and_latin_case_are_marked():
    assert make_snippet("نمو ٢٠١٨ في OPEC", q("2018", "opec")) == "نمو <mark>٢٠١٨</mark> في <mark>OPEC</mark>"


@pytest.mark.realdata
def test_every_term_of_an_ant_word_is_found_where_the_word_is_published(ant_path):
    """Snippets analyse only the words where a term's spelling starts (snippets._match_offsets): that is
    exact only if each term analyse() gives for a word is part of the word once folded (the tests above
    check that the spellings of a folded string are found). Checked on every distinct word of the first
    5,000 ANT lines (titles and texts)."""
    words: set[str] = set()
    with gzip.open(ant_path, "rt", encoding="utf-8") as handle:
        for line in itertools.islice(handle, 5000):
            record = json.loads(line)
            words.update(_WORD.findall(record["title"] + "\n" + record["text"]))
    assert len(words) == 100_242
    missed = [(w, t) for w in words for t in analyse(w) if t not in fold_with_offsets(w)[0]]
    assert missed == []
