"""A fixture web site for the crawler tests, served on loopback addresses only.

Each outlet is its own server on 127.0.0.1 (its own port, so its own host for robots.txt and politeness).
Every request is logged with its arrival time and headers, so tests can assert on what was asked for.
Article pages are built from a few original Arabic sentences written for these tests.
"""

from __future__ import annotations

import contextlib
import functools
import gzip
import random
import threading
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

CITIES = ["الرباط", "فاس", "مراكش", "طنجة", "أكادير", "وجدة", "مكناس", "تطوان", "القنيطرة", "آسفي", "الجديدة"]
TOPICS = [
    "افتتاح مكتبة عمومية جديدة",
    "انطلاق موسم جني الزيتون",
    "تأهيل شبكة الطرق الحضرية",
    "تنظيم معرض للصناعة التقليدية",
    "إطلاق حملة للتبرع بالدم",
    "افتتاح ملعب للقرب في حي شعبي",
    "ندوة حول تدبير الموارد المائية",
]
DETAILS = [
    "فتحت المكتبة أبوابها للقراء صباحا بحضور عدد من التلاميذ والأساتذة.",
    "توقع الفلاحون محصولا وافرا هذا العام بعد تساقطات مطرية منتظمة.",
    "شملت الأشغال إصلاح الأرصفة وتوسيع المدارات وتجديد علامات المرور.",
    "عرض الحرفيون منتجات من الخزف والنحاس والجلد المطرز يدويا.",
    "دعا المركز الجهوي المواطنين إلى المساهمة لتعزيز المخزون قبل فصل الصيف.",
    "سيستفيد شباب الحي من ملعب معشوشب ومرافق صحية ومدرجات صغيرة.",
    "ناقش الخبراء سبل ترشيد استهلاك الماء في الزراعة والصناعة والمنازل.",
    "حضر اللقاء ممثلون عن جمعيات المجتمع المدني وعدد من المنتخبين المحليين.",
    "وزعت اللجنة المنظمة استمارات على الزوار لجمع آرائهم واقتراحاتهم.",
    "تمتد الأشغال على مساحة تقارب هكتارين وسط المدينة القديمة.",
    "خصصت الجماعة حافلات لنقل المشاركين من الأحياء البعيدة مجانا.",
    "أثنى الزوار على حسن التنظيم رغم الازدحام الذي عرفته الساعات الأولى.",
    "ستنطلق المرحلة الثانية من البرنامج مع بداية السنة المقبلة.",
]
CLOSING = [
    "وأكد المسؤولون أن المشروع سيستكمل في الآجال المحددة.",
    "وعبر عدد من السكان عن ارتياحهم لهذه المبادرة.",
    "ومن المنتظر أن تتواصل الأنشطة طيلة الأسبوع المقبل.",
    "وأشار المنظمون إلى أن الدعوة مفتوحة للجميع دون استثناء.",
    "وطالبت فعاليات محلية بتعميم التجربة على باقي الأقاليم.",
]
NAMES = ["سعاد", "يوسف", "مريم", "عبد الرحيم", "نادية", "حمزة", "خديجة", "إدريس", "فاطمة"]
DAYS = ["الاثنين", "الثلاثاء", "الأربعاء", "الخميس", "الجمعة", "السبت", "الأحد"]
# Parts of sentences, combined per article so that no two articles read alike.
WHO = [
    "رئيس المجلس الجماعي",
    "مندوب وزارة الصحة",
    "عامل الإقليم",
    "مدير الأكاديمية الجهوية",
    "ممثل غرفة التجارة",
    "رئيسة جمعية الأحياء",
    "المدير الجهوي للفلاحة",
    "والي الجهة",
    "نائب رئيس الجامعة",
    "مسؤول المكتب الوطني للماء",
    "منسق قافلة طبية",
    "رئيس نادي المدينة",
]
DID = [
    "أعلن عن تخصيص غلاف مالي إضافي",
    "دعا إلى تسريع وتيرة الأشغال",
    "قدم حصيلة الأشهر الستة الماضية",
    "وقع اتفاقية شراكة جديدة",
    "زار الورش رفقة وفد من المهندسين",
    "استقبل ممثلين عن الساكنة",
    "أكد التزام السلطات بالجدول الزمني",
    "افتتح دورة تكوينية لفائدة الشباب",
    "ترأس اجتماعا للجنة التتبع",
    "أطلق منصة رقمية لتلقي الشكايات",
    "عرض تصميما جديدا للتهيئة",
    "نوه بانخراط المتطوعين",
]
FOR = [
    "لتحسين ظروف التمدرس",
    "لفك العزلة عن الدواوير",
    "لدعم التعاونيات النسائية",
    "لتقليص مدة الانتظار",
    "لحماية الفرشة المائية",
    "لتشجيع القراءة",
    "لإنعاش السياحة الداخلية",
    "لتوفير فرص الشغل",
    "لتأهيل الأسواق الأسبوعية",
    "لمواجهة موجة الحر",
    "لتجويد خدمات النقل",
    "لصيانة المآثر التاريخية",
]
WHERE = [
    "بالمدينة العتيقة",
    "بالجماعات القروية المجاورة",
    "بحي النهضة",
    "بالمنطقة الصناعية",
    "بضواحي المدينة",
    "بالمركز الاستشفائي",
    "بساحة البلدية",
    "بدار الشباب",
    "بالحي الجامعي",
    "بالكورنيش",
    "بالسوق المركزي",
]


def sentence(rng: random.Random, city: str) -> str:
    return f"{rng.choice(WHO)} {rng.choice(DID)} {rng.choice(FOR)} {rng.choice(WHERE)} في {city}."


def article_text(n: int) -> tuple[str, list[str]]:
    """Title and paragraphs of article number `n`: distinct for every n, and not near-duplicates."""
    rng = random.Random(n)
    city, topic = CITIES[n % len(CITIES)], TOPICS[n % len(TOPICS)]
    name, day = NAMES[n % len(NAMES)], DAYS[(n // 3) % len(DAYS)]
    title = f"{topic} في {city} (رقم {n})"
    body = [
        f"شهدت مدينة {city} يوم {day} {topic} ضمن برنامج يضم {n + 3} مشروعا محليا كلفته {1000 + 37 * n} ألف درهم.",
        " ".join(sentence(rng, city) for _ in range(3)),
        f"وقالت {name}، وهي من سكان {city}، إن الحي انتظر هذا اليوم {n % 17 + 2} سنوات كاملة.",
        " ".join([DETAILS[rng.randrange(len(DETAILS))], sentence(rng, city), sentence(rng, city)]),
        f"وبلغ عدد المشاركين {120 + 11 * n} شخصا حسب أرقام اللجنة، فيما سجلت {n % 9 + 1} شكايات.",
        CLOSING[n % len(CLOSING)],
    ]
    return title, body


def article_html(n: int, charset: str = "utf-8", declare: bool = True) -> bytes:
    title, body = article_text(n)
    meta = f'<meta charset="{charset}">' if declare else ""
    paragraphs = "".join(f"<p>{p}</p>" for p in body)
    html = (
        f'<!DOCTYPE html><html lang="ar" dir="rtl"><head>{meta}<title>{title}</title>'
        f'<meta property="article:published_time" content="2026-03-{1 + n % 28:02d}T09:00:00+00:00">'
        f"</head><body><header><nav><a href='/'>الرئيسية</a></nav></header>"
        f"<article><h1>{title}</h1>{paragraphs}</article><footer>جميع الحقوق محفوظة</footer></body></html>"
    )
    return html.encode(charset)


def rss(base: str, items: list[tuple[str, str]]) -> bytes:
    entries = "".join(
        f"<item><title>{t}</title><link>{base}{p}</link><guid>{base}{p}</guid>"
        f"<pubDate>Mon, 02 Mar 2026 09:00:00 +0000</pubDate></item>"
        for p, t in items
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>أخبار</title>'
        f"<link>{base}/</link><description>آخر الأخبار</description>{entries}</channel></rss>"
    ).encode()


def atom(base: str, items: list[tuple[str, str]]) -> bytes:
    entries = "".join(
        f'<entry><title>{t}</title><link rel="alternate" href="{base}{p}"/><id>{base}{p}</id>'
        f"<updated>2026-03-02T09:00:00Z</updated></entry>"
        for p, t in items
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
        f"<title>أخبار</title><id>{base}/</id><updated>2026-03-02T09:00:00Z</updated>{entries}</feed>"
    ).encode()


def news_sitemap(base: str, paths: list[str]) -> bytes:
    urls = "".join(
        f"<url><loc>{base}{p}</loc><news:news><news:publication><news:name>موقع</news:name>"
        f"<news:language>ar</news:language></news:publication>"
        f"<news:publication_date>2026-03-02</news:publication_date><news:title>خبر</news:title>"
        f"</news:news></url>"
        for p in paths
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
        f'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">{urls}</urlset>'
    ).encode()


@functools.cache
def gzip_bomb(decompressed: int) -> bytes:
    """A gzip body of `decompressed` zero bytes, built in pieces (it is about a thousandth of that)."""
    out = zlib.compressobj(9, zlib.DEFLATED, 31)
    piece, parts = b"\0" * 1_000_000, []
    for _ in range(decompressed // len(piece)):
        parts.append(out.compress(piece))
    parts.append(out.flush())
    return b"".join(parts)


@dataclass
class Hit:
    """One request as the server saw it."""

    at: float  # time.monotonic() on arrival
    port: int
    path: str
    headers: dict[str, str]


@dataclass
class Resource:
    body: bytes
    content_type: str = "text/html; charset=utf-8"
    status: int = 200
    etag: str | None = None
    last_modified: float | None = None  # epoch seconds
    headers: dict[str, str] = field(default_factory=dict)


Handler = Callable[[BaseHTTPRequestHandler], None]


class QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address) -> None:
        pass  # a client that hangs up early (the caps at work) is expected here


class Outlet:
    """One fixture host: a table of paths to resources or handler functions."""

    def __init__(self, log: list[Hit], host: str = "127.0.0.1") -> None:
        self.routes: dict[str, Resource | Handler] = {}
        self.log = log
        self.lock = threading.Lock()
        self.server = QuietServer((host, 0), self._handler_class())
        self.port = self.server.server_address[1]
        self.base = f"http://{host}:{self.port}"
        self.thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    def start(self) -> Outlet:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        outlet = self

        class RequestHandler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:  # noqa: N802
                with outlet.lock:
                    outlet.log.append(
                        Hit(time.monotonic(), outlet.port, self.path, dict(self.headers.items()))
                    )
                route = outlet.routes.get(self.path.split("?")[0])
                if route is None:
                    send(self, Resource(b"not found", "text/plain", 404))
                elif callable(route):
                    route(self)
                else:
                    send(self, route)

            def log_message(self, *args) -> None:
                pass

        return RequestHandler


def send(handler: BaseHTTPRequestHandler, res: Resource) -> None:
    """Answer with `res`, or 304 when the request's validators match."""
    modified = formatdate(res.last_modified, usegmt=True) if res.last_modified else None
    if (res.etag and handler.headers.get("If-None-Match") == res.etag) or (
        modified and not res.etag and handler.headers.get("If-Modified-Since") == modified
    ):
        handler.send_response(304)
        handler.send_header("Content-Length", "0")
        handler.end_headers()
        return
    handler.send_response(res.status)
    handler.send_header("Content-Type", res.content_type)
    handler.send_header("Content-Length", str(len(res.body)))
    if res.etag:
        handler.send_header("ETag", res.etag)
    if modified:
        handler.send_header("Last-Modified", modified)
    for name, value in res.headers.items():
        handler.send_header(name, value)
    handler.end_headers()
    with contextlib.suppress(BrokenPipeError, ConnectionResetError):
        handler.wfile.write(res.body)


def slow(seconds: float) -> Handler:
    def handle(handler: BaseHTTPRequestHandler) -> None:
        time.sleep(seconds)
        send(handler, Resource(article_html(999)))

    return handle


class Streamed:
    """A page of `size` bytes written in 64 KiB pieces without Content-Length; counts what got out."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.sent = 0

    def __call__(self, handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(200)
        handler.send_header("Content-Type", "text/html; charset=utf-8")
        handler.send_header("Connection", "close")
        handler.end_headers()
        handler.close_connection = True
        piece = b"<p>" + "كلام ".encode() * 13000 + b"</p>\n"
        piece = piece[: 64 * 1024]
        try:
            while self.sent < self.size:
                handler.wfile.write(piece)
                self.sent += len(piece)
        except (BrokenPipeError, ConnectionResetError):
            pass


def redirect(location: str, status: int = 302) -> Resource:
    return Resource(b"", "text/plain", status, headers={"Location": location})


def gzipped(body: bytes, content_type: str = "text/html; charset=utf-8") -> Resource:
    return Resource(gzip.compress(body), content_type, headers={"Content-Encoding": "gzip"})
