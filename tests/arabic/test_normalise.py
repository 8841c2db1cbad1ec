"""Normalisation, tokens and the analyser on real Arabic spellings."""

from __future__ import annotations

from marsad.arabic import analyse, normalise, tokens
from marsad.arabic.normalise import find_folded, fold_with_offsets, nfkc_changes_letters

# harakat, tatweel, lam-alef and "السلام" in presentation forms, Persian yeh/keheh, Arabic-Indic and
# Persian digits, RLM, ZWNJ, superscript alef, hamza seats.
TORTURE = (
    "\u0627\u0644\u0633\u0651\u064e\u0644\u0627\u0645\u064f \u0639\u0644\u064a\u0640\u0640\u0640\u0643\u0645 "
    "\ufefb \ufe8d\ufedf\ufeb4\ufefc\ufee1 \u06cc\u06a9 \u0663\u0662\u0661 \u06f4\u06f5 "
    "\u200f\u0645\u0631\u062d\u0628\u0627\u200c\u0628\u0643 \u0647\u0670\u0630\u0627 "
    "\u0623\u062d\u0645\u062f \u0625\u0633\u0644\u0627\u0645 \u0622\u062e\u0631 \u0645\u0624\u062a\u0645\u0631 "
    "\u0645\u0633\u0627\u0626\u0644 \u0645\u0633\u062a\u0634\u0641\u0649 \u0627\u0644\u062d\u0643\u0648\u0645\u0629"
)


def test_torture_string() -> None:
    assert normalise(TORTURE) == (
        "السلام عليكم لا السلام يك 321 45 مرحبا بك هذا احمد اسلام اخر موتمر مسايل مستشفي الحكومه"
    )


def test_normalise_keeps_latin_words_lower_cased_and_punctuation() -> None:
    assert normalise("Morocco’s MBC «مصر»") == "morocco’s mbc «مصر»"


def test_tokens_keep_urls_numbers_and_hashtag_words() -> None:
    text = normalise("شاهد https://www.hespress.com/a/b.html. و#عاصي_الحلاني مع MBC في ٢٠١٧ بـ 1,000.5 درهم")
    assert tokens(text) == [
        "شاهد", "https://www.hespress.com/a/b.html", "و", "عاصي", "الحلاني", "مع", "mbc", "في", "2017", "ب",
        "1,000.5", "درهم",
    ]  # fmt: skip


def test_tokens_keep_digit_letter_names_whole() -> None:
    assert tokens(normalise("قناة 2M وشبكة 4G و G20 في 2017م")) == [
        "قناه", "2m", "وشبكه", "4g", "و", "g20", "في", "2017", "م",
    ]  # fmt: skip


def test_analyse_joins_inflected_forms() -> None:
    terms = analyse("الحكومة حكومات للحكومة والحكومة بالحكومة")
    assert terms == ["حكوم"] * 5


def test_analyse_drops_function_words_and_keeps_numbers() -> None:
    assert analyse("قال الوزير في 2017 إن المغرب من الدول") == ["قال", "زير", "2017", "مغرب", "دول"]


def test_a_word_gets_one_term_whatever_comes_before_it() -> None:
    # light10 strips a bare و or a proclitic but keeps it after the article: وزير -> زير, الوزير -> وزير.
    for forms in (
        "وزير الوزير والوزير للوزير بالوزير ووزير",
        "بريطانيا لبريطانيا وبريطانيا ببريطانيا",
        "واشنطن لواشنطن وواشنطن",
        "فلسطين لفلسطين وفلسطين بفلسطين",
        "برنامج البرنامج للبرنامج وبرنامج",
    ):
        assert len(set(analyse(forms))) == 1, forms


def test_listed_names_keep_their_letters_and_join_their_adjectives() -> None:
    # A light stemmer read the names' first letters as clitics and their ends as endings.
    assert analyse("فلسطين بفلسطين الفلسطينية الفلسطينيين") == ["فلسطين"] * 4
    assert analyse("لبنان للبنان ولبنان اللبنانية اللبنانيون") == ["لبنان"] * 5
    assert analyse("بريطانيا لبريطانيا البريطاني البريطانيين") == ["بريطان"] * 4
    assert analyse("إيران الإيراني الإيرانية") == ["ايران"] * 3
    assert analyse("البحرين والبحرين البحريني") == ["بحرين"] * 3
    assert analyse("كوريا الكورية") == ["كور"] * 2
    # ... and no longer share a term with an unrelated word
    pairs = [("فلسطين", "بسط"), ("لبنان", "بن"), ("بوتين", "تين"), ("طالبان", "طالب"), ("كينيا", "كين")]
    for name, word in pairs:
        assert analyse(name) != analyse(word), name


def test_fold_with_offsets_maps_back_to_the_text_as_published() -> None:
    text = "فِي ٢١ سَبْتَمْبَر \ufefb\u200f ﺍﻟﺴﻼﻡ Éte\u0301"
    folded, origin = fold_with_offsets(text)
    assert folded == "في 21 سبتمبر لا السلام éte\u0301"
    assert origin is not None and len(origin) == len(folded) + 1
    assert [text[origin[i]] for i in range(3, 5)] == ["٢", "١"]
    assert text[origin[folded.index("لا")]] == "\ufefb"  # both letters of the ligature point at it


def test_fold_with_offsets_fast_path() -> None:
    assert fold_with_offsets("Hello 2017") == ("hello 2017", None)
    assert fold_with_offsets("في ٢١ سبتمبر") == ("في 21 سبتمبر", None)


def test_find_folded_points_at_words_as_published() -> None:
    text = "قالت الحكـــومةَ\xa0إن أحمد و٢٠١٨ OPEC…"
    found = find_folded(text, ["حكومه", "احمد", "2018", "opec", "غايب"])
    assert found == {"حكومه": [7], "احمد": [20], "2018": [26], "opec": [31]}
    assert (text[7:15], text[20:24], text[26:30], text[31:35]) == ("حكـــومة", "أحمد", "٢٠١٨", "OPEC")


def test_find_folded_in_presentation_forms_and_after_marks() -> None:
    text = "ﺍﻟﺤﻜﻮﻣﺔ \u200fوَالحُكومة"
    assert find_folded(text, ["حكومه"]) == {"حكومه": [2, 13]}
    assert (text[2], text[13]) == ("\ufea4", "ح")


def test_only_letters_nfkc_changes_send_a_text_down_the_slow_path() -> None:
    # A no-break space and an ellipsis make the text not NFKC-stable; a flag emoji's regional indicators
    # are stable, a parenthesized letter (U+1F110) and a mathematical bold A are not.
    flag = "قال الوزير\xa0إن المغرب 🇲🇦 شريك…"
    assert not nfkc_changes_letters(flag)
    assert nfkc_changes_letters(flag + " 🄐")
    assert nfkc_changes_letters(flag + " 𝐀")
    assert normalise("🄐 🇲🇦 𝐀") == "(a) 🇲🇦 a"
