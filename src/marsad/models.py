"""The domain every stage shares: the records that flow between stages, the outlets Marsad knows, and
what makes two URLs one article.

- `Page` (sources -> extract), `Article` (extract -> store), and `SourceFailure` (input that could not be
  read or extracted, kept in the `failure` table with its reason).
- `KNOWN_OUTLETS` and `known_outlet`: outlets Marsad knows by name or host.
- `canonical_url` and `host_of`: one spelling per article URL.
- `http_url`, `registrable_domain`, `same_site` and `choose_article_url`: which URL an article is kept
  under: a page's canonical URL only when it is on the page's own site (or an alias of the same known outlet).

Text as published is kept exactly in these records; normalised forms are derived later and never stored
in their place.
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

from marsad.arabic.dates import Precision  # how much of a date the text states: the date parser's word

PageKind = Literal["html", "text", "record"]


@dataclass
class Page:
    """One page as a source yields it, before extraction.

    kind "html": `content` is the raw bytes (or str) of an HTML document.
    kind "text": `content` is a text dump of a page (a crawl's HTML-to-text), like the seeds.
    kind "record": an already-extracted record (a JSON-lines corpus row) in `record`; no extraction needed.
    """

    url: str
    kind: PageKind
    content: bytes | str = b""
    content_type: str = ""
    encoding: str | None = None  # declared charset (HTTP header, WARC, feed), if any
    fetched_at: datetime | None = None
    origin: str = ""  # where it came from: a file path, a feed URL, a WARC file and offset
    record: dict | None = None
    outlet_hint: str | None = None  # the outlet the source says this page belongs to, if it knows


@dataclass
class Image:
    url: str
    caption: str = ""


@dataclass
class Article:
    """What extraction gives: one article, text exactly as published."""

    url: str
    title: str
    body: list[str]  # paragraphs, as published
    published: datetime | None = None
    precision: Precision | None = None  # how much of `published` the page actually states
    author: str | None = None
    byline_place: str | None = None  # the place a byline names after the author ("فلان - القاهرة")
    outlet: str | None = None
    original_outlet: str | None = None  # the outlet an aggregator names as its source
    original_url: str | None = None  # "read at the source" link or JSON-LD isBasedOn
    language: str | None = None
    canonical_url: str | None = None
    categories: list[str] = field(default_factory=list)
    summary: str | None = None
    images: list[Image] = field(default_factory=list)
    ticker: list[str] = field(default_factory=list)  # headlines from the page's ticker
    previous_title: str | None = None
    previous_url: str | None = None
    next_title: str | None = None
    next_url: str | None = None
    fetched_at: datetime | None = None

    @property
    def text(self) -> str:
        return "\n".join(self.body)


class ExtractionError(Exception):
    """A page that cannot be turned into an article; the message is the reason kept in `failure`."""


@dataclass
class SourceFailure:
    """Input a source could not turn into a page: where it was, at which stage it failed and why."""

    origin: str  # file path, URL, "file.jsonl.gz:line 17", "archive.warc.gz@offset"
    url: str | None
    stage: str  # read | decode | fetch | extract | store
    reason: str  # one clear sentence
    content: bytes | str | None = None


MAX_FAILURE_CONTENT = 64 * 1024  # bytes of the input kept with a failure row


def capped(content: bytes | str | None, limit: int = MAX_FAILURE_CONTENT) -> bytes | str | None:
    """The input kept with a failure: at most `limit` bytes (str is capped by its UTF-8 size)."""
    if content is None:
        return None
    if isinstance(content, str):
        raw = content.encode("utf-8")
        return content if len(raw) <= limit else raw[:limit].decode("utf-8", "ignore")
    return bytes(content[:limit])


# --- Outlets -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Outlet:
    key: str  # the source row's stable key: the outlet's host without "www."
    name: str  # display name, Arabic
    name_latin: str
    home_url: str
    country: str | None = None
    aliases: tuple[str, ...] = ()  # other spellings: corpus labels, English names
    hosts: tuple[str, ...] = ()


# Outlets Marsad knows by name. The ANT corpus labels its five outlets alarabia, BBC, CNN, france24 and
# skynews; they map to each outlet's own Arabic display name, with the Latin name kept beside it.
KNOWN_OUTLETS: tuple[Outlet, ...] = (
    Outlet(
        "alarabiya.net",
        "العربية",
        "Al Arabiya",
        "https://www.alarabiya.net/",
        "AE",
        ("alarabia", "alarabiya", "al arabiya", "العربية.نت"),
        ("alarabiya.net",),
    ),
    Outlet(
        "bbc.co.uk/arabic",
        "بي بي سي عربي",
        "BBC Arabic",
        "https://www.bbc.com/arabic",
        "GB",
        ("bbc", "bbc arabic", "bbc عربي"),
        ("bbc.co.uk", "bbc.com"),
    ),
    Outlet(
        "arabic.cnn.com",
        "سي إن إن بالعربية",
        "CNN Arabic",
        "https://arabic.cnn.com/",
        "AE",
        ("cnn", "cnn arabic", "cnn بالعربية"),
        ("arabic.cnn.com",),
    ),
    Outlet(
        "france24.com/ar",
        "فرانس 24",
        "France 24",
        "https://www.france24.com/ar/",
        "FR",
        ("france24", "france 24", "فرانس24"),
        ("france24.com",),
    ),
    Outlet(
        "skynewsarabia.com",
        "سكاي نيوز عربية",
        "Sky News Arabia",
        "https://www.skynewsarabia.com/",
        "AE",
        ("skynews", "sky news arabia", "skynewsarabia", "سكاي نيوز"),
        ("skynewsarabia.com",),
    ),
)

_BY_NAME = {
    _name.casefold(): outlet
    for outlet in KNOWN_OUTLETS
    for _name in (outlet.name, outlet.name_latin, outlet.key, *outlet.aliases)
}
_BY_HOST = {host: outlet for outlet in KNOWN_OUTLETS for host in outlet.hosts}


def normalise_outlet_name(name: str) -> str:
    return re.sub(r"\s+", " ", name).strip().casefold()


def known_outlet(name: str | None = None, url: str | None = None) -> Outlet | None:
    """The known outlet a name (corpus label, display or Latin name) or a URL's host points to."""
    if name:
        outlet = _BY_NAME.get(normalise_outlet_name(name))
        if outlet:
            return outlet
    if url:
        host = host_of(url)
        while host:
            if host in _BY_HOST:
                return _BY_HOST[host]
            host = host.partition(".")[2] if host.count(".") > 1 else ""
    return None


# --- URLs ----------------------------------------------------------------------------------------------


def host_of(url: str) -> str:
    """The host of a URL without "www.", lowercase; "" for a file path or a malformed URL."""
    try:
        host = urlsplit(url).hostname or ""
    except ValueError:
        return ""
    return host.removeprefix("www.")


_TRACKING = re.compile(r"^(utm_|fbclid$|gclid$|ocid$|at_medium$|at_campaign$)")


def canonical_url(url: str) -> str:
    """One spelling per article: lowercase scheme and host, no fragment, no tracking parameters.

    The path is kept as published (Arabic slugs stay as they are, percent-encoded or not).
    """
    url = url.strip()
    try:
        parts = urlsplit(url)
    except ValueError:
        return url
    if parts.scheme not in ("http", "https"):
        return url
    netloc = parts.netloc.lower()
    if netloc.endswith(":80") and parts.scheme == "http":
        netloc = netloc[:-3]
    if netloc.endswith(":443") and parts.scheme == "https":
        netloc = netloc[:-4]
    query = parts.query
    if query:
        pairs = [(k, v) for k, v in parse_qsl(query, keep_blank_values=True) if not _TRACKING.match(k)]
        query = urlencode(pairs, safe="/:@!$'()*+,;=")
    return urlunsplit((parts.scheme.lower(), netloc, parts.path or "/", query, ""))


def http_url(url: str | None, base: str | None = None) -> str | None:
    """`url` as an absolute http(s) URL with a host, or None (javascript:, data:, mailto:, a malformed URL).

    A relative URL is resolved against `base` when `base` is itself an http(s) URL, else it is None.
    """
    if not url or not url.strip():
        return None
    url = url.strip()
    try:
        if base is not None and http_url(base) is not None:
            url = urljoin(base.strip(), url)
        parts = urlsplit(url)
        host = parts.hostname
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not host:
        return None
    return url


# Two-part public suffixes under country-code domains: com.eg, gov.ma, org.lb, net.sa, co.uk, ac.jp, ...
_GENERIC_SECOND_LEVEL = frozenset((
    "com", "net", "org", "gov", "edu", "ac", "co", "mil", "sch", "gob", "nic", "info", "biz", "ltd", "plc",
    "med", "name", "or", "ne", "go", "nom", "int", "web", "tm",
))  # fmt: skip
# Suffixes under which each name is its own site (a few shared hosting domains of the public suffix list).
_SHARED_HOSTING = frozenset((
    "blogspot.com", "wordpress.com", "tumblr.com", "substack.com", "github.io", "gitlab.io", "appspot.com",
    "herokuapp.com", "netlify.app", "pages.dev", "vercel.app", "web.app", "firebaseapp.com",
    "azurewebsites.net", "cloudfront.net", "s3.amazonaws.com",
))  # fmt: skip


def registrable_domain(host: str) -> str:
    """The part of a host name a registrant owns (eTLD+1): www.bbc.co.uk -> bbc.co.uk, m.youm7.com -> youm7.com.

    A two-letter country domain with a generic second level (com.eg, gov.ma, org.lb, net.sa, co.uk) is
    one public suffix, and a few shared hosting domains (blogspot.com, github.io, ...) are too; an IP
    address, a one-label name and a public suffix itself are their own site.
    """
    host = host.strip().rstrip(".").lower()
    if host.startswith("[") and host.endswith("]"):
        host = host[1:-1]
    try:
        ipaddress.ip_address(host)
    except ValueError:
        pass
    else:
        return host
    labels = host.split(".")
    if len(labels) < 2:
        return host
    suffix = 1
    if len(labels[-1]) == 2 and labels[-1].isascii() and labels[-2] in _GENERIC_SECOND_LEVEL:
        suffix = 2
    elif ".".join(labels[-2:]) in _SHARED_HOSTING or ".".join(labels[-3:]) in _SHARED_HOSTING:
        suffix = 2 if ".".join(labels[-2:]) in _SHARED_HOSTING else 3
    if len(labels) <= suffix:
        return host
    return ".".join(labels[-suffix - 1 :])


def same_site(url: str, other: str) -> bool:
    """Whether two http(s) URLs are on one site: the same registrable domain, or hosts of one known outlet
    (bbc.co.uk and bbc.com)."""
    a, b = host_of(url), host_of(other)
    if not a or not b:
        return False
    if registrable_domain(a) == registrable_domain(b):
        return True
    outlet = known_outlet(url=url)
    return outlet is not None and outlet is known_outlet(url=other)


def choose_article_url(url: str, canonical: str | None) -> tuple[str, str | None]:
    """The URL an article is kept under, canonicalised, and why the page's canonical URL was refused (None
    when it was taken or there was none).

    A page fetched from the web (an http(s) `url`) names its canonical URL for itself only: one on another
    site is refused, so that no page can take another outlet's article by naming its URL. A saved page (a
    file) has no address of its own to check against, so its canonical URL is taken when it is http(s).
    A canonical URL that is not http(s) (javascript:, data:) is never taken.
    """
    fetched = http_url(url)
    if canonical is None or not canonical.strip():
        return canonical_url(url), None
    named = http_url(canonical, base=fetched)
    if named is None:
        scheme = canonical.strip().partition(":")[0].lower() if ":" in canonical else ""
        shown = f" ({scheme}:)" if scheme.isalnum() and len(scheme) <= 20 else ""
        return canonical_url(url), f"not an http(s) URL{shown}"
    if fetched is not None and not same_site(fetched, named):
        return canonical_url(url), f"on another site ({host_of(named)}) than the page ({host_of(fetched)})"
    return canonical_url(named), None
