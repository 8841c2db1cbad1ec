"""`marsad extract PATH ... [--json]`."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from marsad.cli import app

FIXTURES = Path(__file__).parent / "fixtures"


def test_extract_json_lines_for_a_folder(tmp_path):
    (tmp_path / "page.html").write_bytes((FIXTURES / "amp_repost.html").read_bytes())
    (tmp_path / "dump.txt").write_bytes((FIXTURES / "comments_dump.txt").read_bytes())
    (tmp_path / "empty.html").write_bytes(b"<html><body><script>x()</script></body></html>")
    result = CliRunner().invoke(app, ["extract", str(tmp_path), "--json"])
    assert result.exit_code == 0, result.output
    records = {Path(r["path"]).name: r for r in map(json.loads, result.stdout.strip().split("\n"))}
    assert set(records) == {"page.html", "dump.txt", "empty.html"}
    assert records["empty.html"]["error"] == "no article text found in the HTML page"
    page = records["page.html"]
    assert page["title"] == "افتتاح سوق الكتاب المستعمل في ساحة المدينة القديمة"
    assert page["published"] == "2019-03-14T18:20:00+01:00" and page["precision"] == "minute"
    assert page["original_outlet"] == "جريدة الوادي"
    assert page["original_url"] == "https://www.jaridat-alwadi.example/thaqafa/88123"
    assert len(page["body"]) == 3 and len(page["ticker"]) == 3
    dump = records["dump.txt"]
    assert dump["published"] == "2019-05-12T22:15:00" and dump["author"] == "عمر الفاسي"
    assert dump["previous_title"] == "افتتاح مسبح بلدي جديد في حي النخيل"
    assert dump["next_title"] == "مهرجان الطفل يعود بعد غياب سنتين"
    for key in (
        "path",
        "title",
        "published",
        "precision",
        "author",
        "outlet",
        "original_outlet",
        "original_url",
        "body",
        "ticker",
        "previous_title",
        "next_title",
    ):
        assert key in page and key in dump


def test_extract_prints_the_article():
    result = CliRunner().invoke(app, ["extract", str(FIXTURES / "br_comments.html")])
    assert result.exit_code == 0, result.output
    assert "الأمطار تعيد الحياة إلى بحيرة السهل بعد ثلاث سنوات من الجفاف" in result.stdout
    assert "published: 2019-03-16T11:45:00 (minute)" in result.stdout


def test_missing_file_fails(tmp_path):
    result = CliRunner().invoke(app, ["extract", str(tmp_path / "nope.html"), "--json"])
    assert result.exit_code == 1
    assert json.loads(result.stdout)["error"] == "no such file or folder"


BYLINE_PAGE = """<!doctype html><html lang="ar" dir="rtl"><head><meta charset="utf-8">
<title>افتتاح معرض الكتاب في مدينة الساحل</title></head><body><article>
<h1>افتتاح معرض الكتاب في مدينة الساحل</h1>
<div class="byline">حسام أبو العلا - القاهرة</div>
<time datetime="2020-06-03T10:00:00+02:00">3 يونيو 2020</time>
<p>افتتح محافظ الساحل صباح اليوم الدورة الخامسة من معرض الكتاب بمشاركة أكثر من مئة دار نشر عربية.</p>
<p>ويستمر المعرض عشرة أيام تتخللها ندوات وأمسيات شعرية ولقاءات مع كتاب من بلدان عدة.</p>
<p>وقال منظمو المعرض إن عدد الزوار في الدورة الماضية تجاوز مئتي ألف زائر خلال أيامه العشرة.</p>
</article></body></html>"""


def test_extract_gives_the_bylines_place_its_own_field(tmp_path):
    (tmp_path / "byline.html").write_text(BYLINE_PAGE, encoding="utf-8")
    result = CliRunner().invoke(app, ["extract", str(tmp_path / "byline.html"), "--json"])
    assert result.exit_code == 0, result.output
    record = json.loads(result.stdout)
    assert (record["author"], record["byline_place"]) == ("حسام أبو العلا", "القاهرة")
    shown = CliRunner().invoke(app, ["extract", str(tmp_path / "byline.html")], env={"COLUMNS": "250"})
    assert "author: حسام أبو العلا | byline place: القاهرة" in shown.stdout
