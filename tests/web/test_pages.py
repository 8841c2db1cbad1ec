"""Every HTML page of the reader, on the small test archive."""

from __future__ import annotations

import re

from selectolax.lexbor import LexborHTMLParser as HTMLParser


def doc(response):
    return HTMLParser(response.text)


def test_every_page_is_arabic_and_right_to_left(client):
    for path in [
        "/",
        "/articles/1",
        "/stories",
        "/stories/1",
        "/threads/1",
        "/outlets",
        "/outlets/1",
        "/categories/economy",
        "/search?q=محروقات",
        "/admin/login",
        "/no/such/page",
    ]:
        response = client.get(path)
        root = doc(response)
        assert root.css_first("html").attributes.get("lang") == "ar", path
        assert root.css_first("html").attributes.get("dir") == "rtl", path
        assert response.headers["content-type"].startswith("text/html"), path


def test_home_has_ticker_top_stories_sections_and_outlets(client):
    response = client.get("/")
    assert response.status_code == 200
    root = doc(response)
    ticker = root.css(".ticker-list")[0]
    titles = [a.text() for a in ticker.css("a")]
    # newest first, reposts left out, the hidden-free archive has 7 originals
    assert titles[0] == "<script>alert('XSS')</script> " + " ".join(
        [
            "<IMG SRC=\"javascript:alert('XSS');\">",
            "<IMG SRC=javascript:alert(&quot;XSS&quot;)>",
            '<IMG """><SCRIPT>alert("XSS")</SCRIPT>">',
            "<IMG SRC=# onmouseover=\"alert('xxs')\">",
            "<img src=x onerror=alert(1)>",
        ]
    )
    assert titles[1:4] == [
        "ودائع الأسر المغربية لدى البنوك ترتفع",
        "تراجع أسعار المحروقات في المغرب",
        "الرجاء يفوز بالكأس بعد مباراة مثيرة",
    ]
    assert len(titles) == 7
    # the ticker can be paused from the keyboard: a real checkbox with a label
    toggle = root.css_first("#ticker-pause")
    assert toggle.attributes.get("type") == "checkbox"
    assert root.css("label[for=ticker-pause]")
    top = root.css(".top-stories .story-card")
    assert [c.css(".item-title")[0].text() for c in top] == [
        "بوريطة يدعو في نيويورك إلى تعاون دولي أوثق لمكافحة الإرهاب",
        "الرباط تحتضن اجتماع المبادرة المغربية الأمريكية حول الإرهاب الداخلي",
    ]  # the story told by most outlets first
    assert " ".join(top[0].css(".count")[0].text().split()) == "3 مصادر"
    assert " ".join(top[1].css(".count")[0].text().split()) == "مصدر واحد"
    sections = {h.text(): h for h in root.css("#sections-title ~ .grid h3")}
    assert {"اقتصاد", "رياضة", "سياسة"} <= set(sections)
    outlets = [h.text() for h in root.css("#outlets-title ~ .grid h3")]
    assert outlets == ["هسبريس", "العربية", "دوزيم", "مغرس"]


def test_article_page_shows_text_outlet_date_author_source_link_and_neighbours(client):
    root = doc(client.get("/articles/3"))
    assert root.css("h1")[0].text() == "المغرب وهولندا يواصلان رئاسة المنتدى العالمي لمكافحة الإرهاب"
    assert root.css(".article .outlet")[0].text() == "هسبريس"
    assert root.css(".article header time")[0].text() == "21 سبتمبر 2017، الساعة 15:00"
    source = [a for a in root.css("a") if a.text() == "اقرأ الخبر من مصدره"]
    assert source[0].attributes.get("href") == "https://www.hespress.com/politique/forum-2017"
    assert "noopener" in source[0].attributes.get("rel")
    nxt = root.css("a[rel=next]")[0]
    assert nxt.attributes.get("href") == "/articles/4"  # the next Hespress article in time
    assert not root.css("a[rel=prev]")  # the first Hespress article
    assert root.css(".kicker a")[0].attributes.get("href") == "/stories/1"
    assert root.css("form.report-form input[name=csrf]")[0].attributes.get("value")


def test_article_by_the_original_outlet_lists_its_reposts_and_images(client):
    root = doc(client.get("/articles/1"))
    assert root.css(".author")[0].text() == "و.م.ع"
    assert [a.text() for a in root.css(".reposts a")] == ["مغرس"]
    figure = root.css("#images figure")[0]
    assert figure.css("img")[0].attributes.get("src") == "https://2m.ma/img/forum.jpg"
    assert figure.css("input[name=image]")[0].attributes.get("value") == "https://2m.ma/img/forum.jpg"
    assert root.css(".body p")[0].text().startswith("دعا وزير الخارجية ناصر بوريطة")


def test_repost_reads_at_the_original_source(client):
    root = doc(client.get("/articles/2"))
    source = [a for a in root.css("a") if a.text() == "اقرأ الخبر من مصدره"]
    assert source[0].attributes.get("href") == "https://2m.ma/ar/news/forum-newyork"
    assert root.css(".repost a")[0].attributes.get("href") == "/articles/1"


def test_unknown_article_is_404(client):
    assert client.get("/articles/9999").status_code == 404
    assert client.get("/articles/abc").status_code == 422


def test_story_groups_by_outlet_with_reposts_folded(client):
    root = doc(client.get("/stories/1"))
    groups = root.css(".outlet-group")
    assert [g.css("h2")[0].text() for g in groups] == ["دوزيم", "هسبريس"]
    folded = groups[0].css("details.reposts a")
    assert [a.attributes.get("href") for a in folded] == ["/articles/2"]
    events = root.css(".timeline li")
    assert [e.css("time")[0].text() for e in events] == ["20 سبتمبر 2017", "11 أبريل 2018", "سبتمبر 2018"]
    assert events[0].attributes.get("class") == "here"


def test_thread_page_has_timeline_and_stories(client):
    root = doc(client.get("/threads/1"))
    assert root.css("h1")[0].text() == "المنتدى العالمي لمكافحة الإرهاب"
    assert len(root.css(".timeline li")) == 3
    assert [a.attributes.get("href") for a in root.css(".story-card a")] == ["/stories/1", "/stories/2"]
    assert client.get("/threads/42").status_code == 404


def test_stories_outlets_outlet_and_category_pages(client):
    root = doc(client.get("/stories"))
    assert [a.attributes.get("href") for a in root.css(".story-card a")] == ["/stories/2", "/stories/1"]
    root = doc(client.get("/outlets"))
    assert [a.text() for a in root.css(".outlets .item-title")] == ["هسبريس", "العربية", "دوزيم", "مغرس"]
    root = doc(client.get("/outlets/4"))
    assert [a.attributes.get("href") for a in root.css(".list .item-title")] == ["/articles/6", "/articles/5"]
    root = doc(client.get("/categories/economy"))
    assert root.css("h1")[0].text() == "اقتصاد"
    assert [a.attributes.get("href") for a in root.css(".list .item-title")] == ["/articles/7", "/articles/6"]
    assert client.get("/outlets/77").status_code == 404
    assert client.get("/categories/none-such").status_code == 404


def test_search_page_highlights_an_inflected_form_and_shows_facets(indexed_client):
    root = doc(indexed_client.get("/search", params={"q": "بالمحروقات"}))
    assert root.css("#res-title")[0].text() == "خبر واحد"
    marks = [m.text() for m in root.css(".hit .snippet mark")]
    assert marks == ["المحروقات"]
    facet = root.css(".facets li")[0]
    assert re.sub(r"\s+", " ", facet.text()).strip() == "العربية 1"


def test_search_page_filters_by_outlet(indexed_client):
    root = doc(indexed_client.get("/search", params={"q": "الإرهاب", "outlet": 1}))
    assert {a.attributes.get("href") for a in root.css(".hit .item-title")} == {"/articles/3", "/articles/4"}
    assert root.css("#outlet option[selected]")[0].text() == "هسبريس"


def test_empty_archive_degrades_gracefully(tmp_path):
    from fastapi.testclient import TestClient

    from marsad.web import create_app

    client = TestClient(create_app(tmp_path / "empty.db"))
    root = doc(client.get("/"))
    assert "لم تُجمع القصص بعد." in root.body.text()
    assert client.get("/stories").status_code == 200
    assert client.get("/outlets").status_code == 200
    assert client.get("/search", params={"q": "مغرب"}).status_code == 200
    assert client.get("/api/v1/articles").json() == []


def test_a_reposts_copy_of_an_event_is_shown_once(archive):
    from marsad.store import threads
    from marsad.store.db import Store

    with Store(archive) as store:
        store.conn.execute(
            "INSERT INTO event(thread_id, story_id, article_id, date, precision, text) VALUES"
            " (1, 1, 2, '2017-09-20', 'day', 'انعقد الاجتماع الوزاري الثامن للمنتدى العالمي  لمكافحة الإرهاب.')"
        )
        events = threads.timeline(store, 1).events
    assert [(e.date, e.article_id, [s.article_id for s in e.sources]) for e in events] == [
        ("2017-09-20", 1, [1, 2]),  # one fact, the original's sentence shown, the repost a source
        ("2018-04-11", 4, [4]),
        ("2018-09", 4, [4]),
    ]


def test_neighbours_put_undated_articles_first(archive):
    from marsad.store import articles
    from marsad.store.db import Store

    from .conftest import insert_article

    with Store(archive) as store:
        for aid in (200, 201):
            insert_article(
                store,
                (
                    aid,
                    4,
                    f"https://www.alarabiya.net/x/{aid}",
                    f"خبر بلا تاريخ {aid}",
                    ["نص"],
                    None,
                    [],
                    None,
                    None,
                    None,
                    None,
                    [],
                ),
            )
        names = {}
        for aid in (200, 201, 5, 6):
            before, after = articles.neighbours(store, articles.article(store, aid))
            names[aid] = (before and before.id, after and after.id)
    assert names == {200: (None, 201), 201: (200, 5), 5: (201, 6), 6: (5, None)}


def test_category_counts_come_from_the_partial_index_or_the_table_alike(archive):
    # article 2 is a repost; hiding article 3 takes one "politics" away
    from marsad.store import articles
    from marsad.store.db import Store

    expected = [("economy", 2), ("politics", 2), ("<script>alert(1)</script>", 1), ("sport", 1)]
    with Store(archive) as store:
        store.conn.execute("UPDATE article SET hidden = 1 WHERE id = 3")
        assert articles.categories(store) == expected
        store.conn.execute("DROP INDEX article_categories")  # as in a read-only store from before 008
        assert articles.categories(store) == expected
