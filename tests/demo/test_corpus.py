"""The bundled demo corpus is complete, consistent with expected.json, and reproduced by its generator."""

from __future__ import annotations

import html
import re
from collections import Counter, defaultdict
from datetime import date
from pathlib import Path

import pytest
from democorpus.build import build_files, corpus_files, differences
from democorpus.sites.common import INDIC_DIGITS, MONTHS_EGYPT, MONTHS_LEVANT, MONTHS_MAGHREB
from democorpus.textdump import TICKER_SEPARATOR

from marsad.demo import corpus_dir, expected

MIN_PAGES = 36
MARQUEE_STYLES = {"aggregator", "levant", "pan_arab"}


@pytest.fixture(scope="module")
def entries() -> list[dict]:
    return expected()


@pytest.fixture(scope="module")
def texts(entries) -> dict[str, str]:
    folder = corpus_dir()
    return {e["file"]: (folder / e["text_file"]).read_text(encoding="utf-8") for e in entries}


@pytest.fixture(scope="module")
def pages(entries) -> dict[str, str]:
    folder = corpus_dir()
    return {e["file"]: (folder / e["file"]).read_text(encoding="utf-8") for e in entries}


def test_corpus_size_styles_and_outlets(entries):
    assert len(entries) >= MIN_PAGES
    assert len({e["style"] for e in entries}) >= 5
    assert len({e["outlet"] for e in entries}) >= 6
    assert len({e["url"] for e in entries}) == len(entries)


def test_every_entry_points_at_its_html_and_text_dump(entries):
    folder = corpus_dir()
    on_disk = {p.relative_to(folder).as_posix() for p in folder.rglob("*.htm*")}
    dumps = {p.relative_to(folder).as_posix() for p in folder.rglob("*.txt")}
    assert on_disk == {e["file"] for e in entries}
    assert dumps == {e["text_file"] for e in entries}
    for e in entries:
        assert e["text_file"] == e["file"].removesuffix(".html") + ".txt"
        assert e["file"].startswith(e["style"] + "/")


def test_generator_reproduces_the_committed_bytes():
    fresh = build_files()
    assert differences(corpus_dir(), fresh) == []
    assert build_files() == fresh  # deterministic: a second build gives the same bytes


def test_check_reports_a_changed_file(tmp_path):
    files = build_files()
    first = sorted(name for name in files if name.endswith(".txt"))[0]
    altered = dict(files)
    altered[first] = files[first] + b"x"
    for name, data in altered.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_bytes(data)
    assert differences(tmp_path, files) == [f"changed {first}"]
    assert set(corpus_files(tmp_path)) == set(files)


def test_each_page_names_its_canonical_url(entries, pages):
    assert len({e["canonical_url"] for e in entries}) == len(entries)
    for e in entries:
        assert f'<link rel="canonical" href="{html.escape(e["canonical_url"])}">' in pages[e["file"]], e[
            "file"
        ]
        assert (e["canonical_url"] != e["url"]) == (e["style"] == "gulf_amp"), e["file"]


def test_ingest_targets_are_the_html_pages_only(entries):
    from marsad.demo import ingest_targets

    targets = ingest_targets()
    assert len(targets) == len(entries)
    assert all(t.endswith(".html") and Path(t).is_file() for t in targets)


def test_pages_are_arabic_right_to_left(pages):
    for name, markup in pages.items():
        assert re.search(r'<html[^>]* lang="ar" dir="rtl"', markup), name
        assert '<meta charset="utf-8">' in markup or "charset=utf-8" in markup, name


def test_titles_and_first_and_last_paragraphs_appear(entries, pages, texts):
    for e in entries:
        markup, text = pages[e["file"]], texts[e["file"]]
        lines = text.split("\n")
        assert html.escape(e["title"], quote=True) in markup, e["file"]
        assert e["title"] in lines, e["file"]
        assert e["body_first"] in lines, e["file"]
        assert e["body_last"] in lines, e["file"]


def body_lines(e: dict, text: str) -> list[str]:
    """The text dump's lines from the first to the last paragraph, without blanks, ads and read-also lines."""
    lines = text.split("\n")
    start, end = lines.index(e["body_first"]), lines.index(e["body_last"])
    return [
        line
        for line in lines[start : end + 1]
        if line not in ("", "إعلان") and not line.startswith("اقرأ أيضا:")
    ]


def test_paragraph_counts_match_the_text_dumps(entries, texts):
    for e in entries:
        assert len(body_lines(e, texts[e["file"]])) == e["paragraphs"], e["file"]
        assert 4 <= e["paragraphs"] <= 9, e["file"]


def test_ticker_headlines_are_other_articles_titles(entries, texts):
    titles = {e["title"] for e in entries}
    for e in entries:
        assert e["ticker"] == len(e["ticker_titles"]) >= 6, e["file"]
        assert len(set(e["ticker_titles"])) == e["ticker"], e["file"]
        assert e["title"] not in e["ticker_titles"], e["file"]
        assert set(e["ticker_titles"]) <= titles, e["file"]
        lines = texts[e["file"]].split("\n")
        if e["style"] in MARQUEE_STYLES:
            assert TICKER_SEPARATOR.join(e["ticker_titles"]) in lines, e["file"]
        else:
            for headline in e["ticker_titles"]:
                assert headline in lines, (e["file"], headline)


def test_previous_and_next_are_the_outlets_neighbouring_articles(entries, texts):
    by_outlet: dict[str, list[dict]] = defaultdict(list)
    for e in entries:
        by_outlet[e["outlet"]].append(e)
    for e in entries:
        own_titles = {o["title"] for o in by_outlet[e["outlet"]]}
        for key in ("previous_title", "next_title"):
            if e[key] is not None:
                assert e[key] in own_titles, e["file"]
                assert e[key] in texts[e["file"]], e["file"]
    for group in by_outlet.values():
        firsts = [e for e in group if e["previous_title"] is None]
        lasts = [e for e in group if e["next_title"] is None]
        assert len(firsts) == len(lasts) == 1


def shown_date(style: str, day: date) -> str:
    if style == "ma_wordpress":
        return f"{day.day} {MONTHS_MAGHREB[day.month - 1]} {day.year}"
    if style == "aggregator":
        return f"يوم {day.day:02d} - {day.month:02d} - {day.year}"
    if style == "levant":
        return f"{day.day} {MONTHS_LEVANT[day.month - 1]} {day.year}"
    if style == "eg_portal":
        return f"{day.day} {MONTHS_EGYPT[day.month - 1]} {day.year}".translate(INDIC_DIGITS)
    if style == "gulf_amp":
        return f"{day.day:02d} {MONTHS_EGYPT[day.month - 1]} {day.year}"
    return f"{day.day} {MONTHS_EGYPT[day.month - 1]} {day.year}"


def test_published_dates_are_shown_in_each_sites_own_way(entries, texts):
    undated = [e for e in entries if e["published"] is None]
    assert undated, "at least one page states no date"
    assert all(e["style"] == "levant" for e in undated)
    for e in entries:
        if e["published"] is not None:
            assert shown_date(e["style"], date.fromisoformat(e["published"])) in texts[e["file"]], e["file"]


def test_aggregator_reposts_carry_attribution_and_source_link(entries, texts, pages):
    by_file = {e["file"]: e for e in entries}
    by_url = {e["url"]: e for e in entries}
    reposts = [e for e in entries if e["style"] == "aggregator"]
    assert len(reposts) >= 2
    for e in reposts:
        original = by_url[e["original_url"]]
        assert e["duplicate_of"] == original["file"]
        assert by_file[e["duplicate_of"]]["outlet"] == e["original_outlet"] == original["outlet"]
        assert (e["title"], e["body_first"], e["body_last"]) == (
            original["title"],
            original["body_first"],
            original["body_last"],
        )
        assert e["published"] == original["published"]
        day = date.fromisoformat(e["published"])
        line = f"نشر في {original['outlet']} يوم {day.day:02d} - {day.month:02d} - {day.year}"
        assert line in texts[e["file"]].split("\n"), e["file"]
        assert "انقر هنا لقراءة الخبر من مصدره." in texts[e["file"]]
        assert f'href="{html.escape(e["original_url"])}"' in pages[e["file"]]
        assert e["story"] == original["story"] and e["thread"] == original["thread"]
    others = [e for e in entries if e["style"] != "aggregator"]
    assert all(e["original_outlet"] is None and e["original_url"] is None for e in others)


def test_exact_wire_duplicate_has_same_text_on_two_outlets(entries, texts):
    wires = [e for e in entries if e["duplicate_of"] and e["style"] != "aggregator"]
    assert len(wires) == 1
    copy = wires[0]
    original = next(e for e in entries if e["file"] == copy["duplicate_of"])
    assert copy["outlet"] != original["outlet"]
    assert copy["title"] == original["title"]
    assert body_lines(copy, texts[copy["file"]]) == body_lines(original, texts[original["file"]])
    assert texts[copy["file"]] != texts[original["file"]]  # same article, different chrome


def test_stories_span_outlets_and_the_gctf_thread_is_complete(entries):
    outlets_by_story: dict[str, set[str]] = defaultdict(set)
    for e in entries:
        if e["style"] != "aggregator":
            outlets_by_story[e["story"]].add(e["outlet"])
    multi = [story for story, outlets in outlets_by_story.items() if len(outlets) >= 2]
    assert len(multi) >= 8
    gctf = {e["story"] for e in entries if e["thread"] == "gctf"}
    assert gctf == {
        "gctf-cochairs-2016",
        "gctf-ministerial-2017",
        "gctf-hgt-inaugural-2017",
        "gctf-hgt-workshops-2018",
        "gctf-hgt-rabat-2018",
        "gctf-ministerial-2018",
    }
    ministerial = [e for e in entries if e["story"] == "gctf-ministerial-2017"]
    assert Counter(e["published"] for e in ministerial) == {"2017-09-21": len(ministerial)}
    threads = Counter(e["thread"] for e in entries)
    assert threads["gctf"] >= 12
    assert sum(1 for t in threads if t) >= 3


def test_corpus_dir_is_the_package_folder():
    folder = corpus_dir()
    assert folder.name == "corpus" and folder.parent.name == "demo"
    assert (folder / "expected.json").is_file()


WEEKDAY_NAMES = {
    "الاثنين": 0,
    "الثلاثاء": 1,
    "الاربعاء": 2,
    "الأربعاء": 2,
    "الخميس": 3,
    "الجمعة": 4,
    "السبت": 5,
    "الأحد": 6,
}
ISO_VALUE = re.compile(r"^\d{4}(-Q[1-4]|-\d{2}(-\d{2})?)?$")


def test_every_own_text_has_its_dates_annotated():
    from democorpus.articles import ARTICLES
    from democorpus.articles.dates import DATES

    own = {a.slug for a in ARTICLES if not (a.repost_of or a.copy_of)}
    assert set(DATES) == own


def test_date_annotations_are_in_the_body_and_well_formed(entries):
    phrases = Counter()
    for e in entries:
        text = (corpus_dir() / e["text_file"]).read_text(encoding="utf-8")
        body = "\n".join(body_lines(e, text))
        for mention in e["dates"]:
            assert mention["text"] in body, (e["file"], mention["text"])
            assert ISO_VALUE.match(mention["date"]), (e["file"], mention["date"])
            western = any(c.isdigit() and c.isascii() for c in mention["text"])
            assert not (western and e["style"] == "eg_portal"), (e["file"], mention["text"])
            phrases[mention["text"]] += 1
    for wanted in ("نونبر 2017", "الربع الأول من 2018", "امس الاربعاء", "امس الاثنين", "نهاية كانون الأول"):
        assert phrases[wanted] >= 1, wanted
    assert any(any(c in "٠١٢٣٤٥٦٧٨٩" for c in m["text"]) for e in entries for m in e["dates"])


def test_relative_day_annotations_agree_with_the_publication_date(entries):
    checked = 0
    for e in entries:
        if e["published"] is None:
            continue
        published = date.fromisoformat(e["published"])
        for mention in e["dates"]:
            words = mention["text"].split()
            if (
                len(words) != 2
                or words[1] not in WEEKDAY_NAMES
                or words[0] not in {"امس", "أمس", "اليوم", "غدا"}
            ):
                continue
            meant = date.fromisoformat(mention["date"])
            shift = {"امس": -1, "أمس": -1, "اليوم": 0, "غدا": 1}[words[0]]
            assert (meant - published).days == shift, (e["file"], mention)
            assert meant.weekday() == WEEKDAY_NAMES[words[1]], (e["file"], mention)
            checked += 1
    assert checked >= 12


def test_corpus_dir_works_from_a_copied_install(tmp_path):
    """An installed wheel puts the package, corpus included, in site-packages: corpus_dir must follow it."""
    import shutil
    import subprocess
    import sys

    import marsad

    shutil.copytree(Path(marsad.__file__).parent, tmp_path / "marsad")
    probe = "import marsad.demo as d; print(d.corpus_dir()); print(len(d.expected()))"
    result = subprocess.run(
        [sys.executable, "-c", probe],
        env={"PYTHONPATH": str(tmp_path), "PATH": ""},
        capture_output=True,
        text=True,
        check=True,
        cwd=tmp_path,
    )
    folder, count = result.stdout.split()
    assert folder == str(tmp_path / "marsad" / "demo" / "corpus")
    assert int(count) == len(expected())


def test_style_traps_are_on_the_pages(entries, texts, pages):
    """What makes each style hard to extract is really there."""
    for e in entries:
        text, markup = texts[e["file"]], pages[e["file"]]
        lines = text.split("\n")
        inside = lines[lines.index(e["body_first"]) : lines.index(e["body_last"])]
        if e["style"] == "eg_portal":
            assert any(line.startswith("اقرأ أيضا:") for line in inside), e["file"]
            assert '"@type": "NewsArticle"' in markup, e["file"]
        if e["style"] == "ma_wordpress":
            assert "إعلان" in inside, e["file"]
            assert ("Read Previous" in lines) == (e["previous_title"] is not None), e["file"]
        if e["style"] == "levant":
            assert (
                "<br><br>" in markup
                and "<p>" not in markup.split('class="article-body"')[1].split("</div>")[0]
            )
        if e["style"] == "gulf_amp":
            assert "<html ⚡" in markup, e["file"]
            assert re.search(
                r"^(منذ \d+ (دقيقة|ساعات|ساعة|أيام|يوما)|منذ ساعة|منذ ساعتين|أمس|منذ يومين)$", text, re.M
            )
        if e["style"] == "aggregator":
            assert "وصلنا بلاغك، شكرا لمساعدتنا." in lines, e["file"]


def test_corpus_counts_stated_in_the_readme(entries):
    assert len(entries) == 43
    assert Counter(e["style"] for e in entries) == {
        "ma_wordpress": 14,
        "pan_arab": 9,
        "eg_portal": 6,
        "gulf_amp": 6,
        "aggregator": 4,
        "levant": 4,
    }
    assert len({e["story"] for e in entries}) == 18
    assert Counter(e["thread"] for e in entries) == {"gctf": 17, "wydad-2017": 10, "ma-monetary": 5, None: 11}
    assert sum(1 for e in entries if e["duplicate_of"]) == 5
    assert sum(len(e["dates"]) for e in entries) == 99
