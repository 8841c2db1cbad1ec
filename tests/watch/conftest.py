"""An archive that grows: a first JSON-lines batch, watchlists made, then a second batch ingested, as a reader
who follows matters would see it. The articles are written here, in the ANT corpus's layout."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from marsad.ingest import ingest
from marsad.store.db import Store

FIRST = [
    (
        "hespress",
        "https://www.hespress.com/economie/1.html",
        "economy",
        "Wed, 14 Mar 2018 09:30:00 +0100",
        "ميناء طنجة المتوسط يسجل رقما قياسيا في عدد الحاويات",
        "سجل ميناء طنجة المتوسط خلال الشهرين الأولين من السنة ارتفاعا في عدد الحاويات المعالجة.",
    ),
    (
        "alarabia",
        "https://www.alarabiya.net/sport/2.html",
        "sport",
        "Mon, 02 Apr 2018 20:00:00 +0400",
        "فريق الرجاء يبلغ نهائي الكأس بعد مباراة مثيرة",
        "تأهل فريق الرجاء الرياضي إلى المباراة النهائية لكأس العرش بعد فوزه بركلات الترجيح.",
    ),
]
SECOND = [
    (  # the query's words, inflected: matches "ميناء طنجة"
        "hespress",
        "https://www.hespress.com/economie/3.html",
        "economy",
        "Thu, 15 Mar 2018 10:00:00 +0100",
        "توسعة جديدة لميناء طنجة المتوسط",
        "أعلنت الوكالة المسيرة لميناء طنجة المتوسط عن توسعة جديدة للأرصفة خلال السنة المقبلة.",
    ),
    (  # both words, another outlet: matches
        "alarabia",
        "https://www.alarabiya.net/economy/4.html",
        "economy",
        "Thu, 15 Mar 2018 14:00:00 +0400",
        "المغرب يراهن على الموانئ لجذب الاستثمار",
        "قال مسؤولون إن ميناء طنجة أصبح من أكبر موانئ البحر المتوسط وإن المنتدى العالمي لمكافحة الإرهاب"
        " لا علاقة له بالموضوع.",
    ),
    (  # "طنجة" without "ميناء": no match
        "hespress",
        "https://www.hespress.com/culture/5.html",
        "culture",
        "Fri, 16 Mar 2018 18:00:00 +0100",
        "مهرجان طنجة للفيلم يفتتح دورته الجديدة",
        "افتتح مهرجان طنجة للفيلم دورته الجديدة بمشاركة أفلام من عشرين بلدا.",
    ),
    (  # both words and the excluded one: no match for the query with -الحاويات
        "hespress",
        "https://www.hespress.com/economie/6.html",
        "economy",
        "Sat, 17 Mar 2018 08:00:00 +0100",
        "ارتفاع الحاويات في ميناء طنجة",
        "ارتفع عدد الحاويات في ميناء طنجة مرة أخرى هذا الشهر.",
    ),
    (  # the topic, written with a clitic and without the article: "والمنتدى العالمي لمكافحة الإرهاب"
        "alarabia",
        "https://www.alarabiya.net/politics/7.html",
        "politics",
        "Sun, 18 Mar 2018 12:00:00 +0400",
        "بوريطة يترأس اجتماعا في نيويورك",
        "ترأس وزير الخارجية اجتماع لجنة التنسيق والمنتدى العالمي لمكافحة الإرهاب في نيويورك.",
    ),
    (  # the first article, reposted by another outlet the same day: joins its story
        "alarabia",
        "https://www.alarabiya.net/economy/8.html",
        "economy",
        "Wed, 14 Mar 2018 11:00:00 +0100",
        FIRST[0][4],
        FIRST[0][5],
    ),
]
QUERY = "ميناء طنجة"
SECOND_MATCHING_QUERY = [SECOND[0][1], SECOND[1][1], SECOND[3][1], SECOND[5][1]]
SECOND_MATCHING_EXCLUDING = [SECOND[0][1], SECOND[1][1]]  # "ميناء طنجة -الحاويات"
SECOND_MATCHING_TOPIC = [SECOND[1][1], SECOND[4][1]]  # "المنتدى العالمي لمكافحة الإرهاب"
SECOND_OF_HESPRESS = [SECOND[0][1], SECOND[2][1], SECOND[3][1]]


def write_batch(path: Path, rows: list[tuple[str, ...]]) -> Path:
    lines = []
    for i, (source, url, category, time, title, text) in enumerate(rows):
        record = {
            "docno": f"T-{path.stem}-{i}",
            "url": url,
            "source": source,
            "category": category,
            "title": title,
            "time": time,
            "author": "",
            "abstract": "",
            "text": text,
        }
        lines.append(json.dumps(record, ensure_ascii=False))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def ingest_batch(store: Store, tmp_path: Path, name: str, rows: list[tuple[str, ...]]) -> None:
    report = ingest([str(write_batch(tmp_path / f"{name}.jsonl", rows))], store, progress=False)
    assert report.failed == 0, report.failures


def ids_of(store: Store, urls: list[str]) -> list[int]:
    marks = ",".join("?" * len(urls))
    return sorted(r[0] for r in store.conn.execute(f"SELECT id FROM article WHERE url IN ({marks})", urls))


@dataclass
class Received:
    posts: list[tuple[dict[str, str], bytes]] = field(default_factory=list)
    statuses: list[int] = field(default_factory=list)  # answers to give, in order; then 200


@contextmanager
def receiver(statuses: list[int] | None = None) -> Iterator[tuple[str, Received]]:
    """A webhook receiver on a free loopback port: keeps every POST (headers, body), answers as told."""
    got = Received(statuses=list(statuses or []))

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 - http.server's name
            body = self.rfile.read(int(self.headers.get("content-length", "0")))
            got.posts.append(({k.lower(): v for k, v in self.headers.items()}, body))
            self.send_response(got.statuses.pop(0) if got.statuses else 200)
            self.send_header("content-length", "0")
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/hook", got
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
