"""Bytes -> text, one way for every path: an HTML or text file, a WARC record, a crawled page, a feed.

Labels are read as browsers read them (the WHATWG Encoding Standard): "iso-8859-1", "latin1" and "ascii"
mean windows-1252, "utf-16" means UTF-16LE, "gb2312" means GBK, and a label the standard does not know is
no label at all. The order: a byte-order mark; bytes that are valid UTF-8 beyond ASCII (no legacy page is
that by chance, and Arabic sites often keep a windows-1256 label after moving to UTF-8); the transport's
label, then the document's own (`<meta charset>`, `<?xml encoding?>`), each only if it decodes cleanly;
UTF-8 cut short at the end; detection among the single-byte code pages Arabic and Latin text is written in.

Pure (no I/O): sources and extraction, which may not import each other, both decode through here.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass
from typing import Literal

from charset_normalizer import from_bytes

# WHATWG encoding name's Python codec -> its labels. GBK decodes as gb18030 (a superset, as browsers do),
# Big5 as big5hkscs, Shift_JIS as cp932 and EUC-KR as cp949 (the Windows supersets the standard specifies).
_WHATWG = {
    "utf-8": "unicode-1-1-utf-8 unicode11utf8 unicode20utf8 utf-8 utf8 x-unicode20utf8",
    "cp866": "866 cp866 csibm866 ibm866",
    "iso8859-2": "csisolatin2 iso-8859-2 iso-ir-101 iso8859-2 iso88592 iso_8859-2 iso_8859-2:1987 l2 latin2",
    "iso8859-3": "csisolatin3 iso-8859-3 iso-ir-109 iso8859-3 iso88593 iso_8859-3 iso_8859-3:1988 l3 latin3",
    "iso8859-4": "csisolatin4 iso-8859-4 iso-ir-110 iso8859-4 iso88594 iso_8859-4 iso_8859-4:1988 l4 latin4",
    "iso8859-5": "csisolatincyrillic cyrillic iso-8859-5 iso-ir-144 iso8859-5 iso88595 iso_8859-5 "
    "iso_8859-5:1988",
    "iso8859-6": "arabic asmo-708 csiso88596e csiso88596i csisolatinarabic ecma-114 iso-8859-6 iso-8859-6-e "
    "iso-8859-6-i iso-ir-127 iso8859-6 iso88596 iso_8859-6 iso_8859-6:1987",
    "iso8859-7": "csisolatingreek ecma-118 elot_928 greek greek8 iso-8859-7 iso-ir-126 iso8859-7 iso88597 "
    "iso_8859-7 iso_8859-7:1987 sun_eu_greek",
    "iso8859-8": "csiso88598e csisolatinhebrew hebrew iso-8859-8 iso-8859-8-e iso-ir-138 iso8859-8 iso88598 "
    "iso_8859-8 iso_8859-8:1988 visual csiso88598i iso-8859-8-i logical",
    "iso8859-10": "csisolatin6 iso-8859-10 iso-ir-157 iso8859-10 iso885910 l6 latin6",
    "iso8859-13": "iso-8859-13 iso8859-13 iso885913",
    "iso8859-14": "iso-8859-14 iso8859-14 iso885914",
    "iso8859-15": "csisolatin9 iso-8859-15 iso8859-15 iso885915 iso_8859-15 l9",
    "iso8859-16": "iso-8859-16",
    "koi8-r": "cskoi8r koi koi8 koi8-r koi8_r",
    "koi8-u": "koi8-ru koi8-u",
    "mac-roman": "csmacintosh mac macintosh x-mac-roman",
    "cp874": "dos-874 iso-8859-11 iso8859-11 iso885911 tis-620 windows-874",
    "cp1250": "cp1250 windows-1250 x-cp1250",
    "cp1251": "cp1251 windows-1251 x-cp1251",
    "cp1252": "ansi_x3.4-1968 ascii cp1252 cp819 csisolatin1 ibm819 iso-8859-1 iso-ir-100 iso8859-1 "
    "iso88591 iso_8859-1 iso_8859-1:1987 l1 latin1 us-ascii windows-1252 x-cp1252",
    "cp1253": "cp1253 windows-1253 x-cp1253",
    "cp1254": "cp1254 csisolatin5 iso-8859-9 iso-ir-148 iso8859-9 iso88599 iso_8859-9 iso_8859-9:1989 l5 "
    "latin5 windows-1254 x-cp1254",
    "cp1255": "cp1255 windows-1255 x-cp1255",
    "cp1256": "cp1256 windows-1256 x-cp1256",
    "cp1257": "cp1257 windows-1257 x-cp1257",
    "cp1258": "cp1258 windows-1258 x-cp1258",
    "mac-cyrillic": "x-mac-cyrillic x-mac-ukrainian",
    "gb18030": "chinese csgb2312 csiso58gb231280 gb2312 gb_2312 gb_2312-80 gbk iso-ir-58 x-gbk gb18030",
    "big5hkscs": "big5 big5-hkscs cn-big5 csbig5 x-x-big5",
    "euc_jp": "cseucpkdfmtjapanese euc-jp x-euc-jp",
    "iso2022_jp": "csiso2022jp iso-2022-jp",
    "cp932": "csshiftjis ms932 ms_kanji shift-jis shift_jis sjis windows-31j x-sjis",
    "cp949": "cseuckr csksc56011987 euc-kr iso-ir-149 korean ks_c_5601-1987 ks_c_5601-1989 ksc5601 "
    "ksc_5601 windows-949",
    "utf-16-be": "unicodefffe utf-16be",
    "utf-16-le": "csunicode iso-10646-ucs-2 ucs-2 unicode unicodefeff utf-16 utf-16le",
}
# label -> Python codec; a codec's own name is accepted too, so a charset decided here (and carried on a
# Page or a FetchResult) reads back as itself.
LABELS = {label: codec for codec, labels in _WHATWG.items() for label in labels.split()} | {
    codec: codec for codec in _WHATWG
}
_UTF16 = frozenset({"utf-16-le", "utf-16-be"})
_NOT_ASCII_COMPATIBLE = _UTF16 | {"iso2022_jp"}  # a label for these is tried before UTF-8
# Windows code pages: WHATWG maps the bytes Python leaves undefined (0x81 in windows-1252 ...) to U+0080-
# U+009F, so these never fail to decode.
_C1_GAPS = frozenset({"cp874"} | {f"cp125{n}" for n in range(9)})
_BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))
# What detection chooses among, when nothing is declared and the bytes are not UTF-8.
_DETECTABLE = ["cp1256", "iso8859_6", "utf_8", "mac_arabic", "cp1252"]
DETECT_BYTES = 200_000
DECLARATION_BYTES = 4096  # where the document's own label is looked for

_META = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_XML_DECLARATION = re.compile(rb"""^\s*<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9_.:-]+)["']""", re.I)


def _c1_gap(error: UnicodeError) -> tuple[str, int]:
    if not isinstance(error, UnicodeDecodeError):
        raise error
    return "".join(map(chr, error.object[error.start : error.end])), error.end


codecs.register_error("marsad-c1", _c1_gap)


@dataclass(frozen=True)
class Decoded:
    text: str
    codec: str  # Python codec name; also a label `codec_for` reads back as itself
    by: Literal["bom", "utf-8", "declared", "detected"]


def codec_for(label: str | bytes | None) -> str | None:
    """The Python codec a charset label means (WHATWG), or None for no label or an unknown one."""
    if isinstance(label, bytes):
        label = label.decode("ascii", "ignore")
    if not label:
        return None
    return LABELS.get(label.strip().strip("\"'").strip().lower())


def charset_param(content_type: str | None) -> str | None:
    """The charset label of a Content-Type ("text/html; charset=windows-1256" -> "windows-1256")."""
    for part in (content_type or "").split(";")[1:]:
        name, _, value = part.partition("=")
        if name.strip().lower() == "charset" and value.strip().strip("\"'"):
            return value.strip().strip("\"'").strip()
    return None


def document_label(raw: bytes) -> str | None:
    """The label a document declares itself: its XML declaration or a `<meta charset>` (also the
    http-equiv form), within its first bytes."""
    head = raw[:DECLARATION_BYTES]
    match = _XML_DECLARATION.match(head) or _META.search(head)
    return match.group(1).decode("ascii", "ignore") if match else None


def decode(raw: bytes, *labels: str | None, in_document: bool = True) -> Decoded:
    """The text of `raw`. `labels` are the transport's (a Page's encoding, the HTTP or WARC Content-Type's
    charset), most trusted first; the document's own label follows unless `in_document` is False."""
    for bom, codec in _BOMS:
        if raw.startswith(bom):
            return Decoded(raw[len(bom) :].decode(codec, "replace"), codec, "bom")
    declared = [codec_for(label) for label in labels]
    if in_document:
        own = codec_for(document_label(raw))
        declared.append(
            "utf-8" if own in _UTF16 else own
        )  # a page that reads its label as ASCII is not UTF-16
    candidates = list(dict.fromkeys(codec for codec in declared if codec))
    for codec in candidates:
        if codec in _NOT_ASCII_COMPATIBLE and (text := _clean(raw, codec)) is not None:
            return Decoded(text, codec, "declared")
    utf8 = _clean(raw, "utf-8")
    if utf8 is not None and (not raw.isascii() or not candidates):
        return Decoded(utf8, "utf-8", "utf-8")
    for codec in candidates:
        if (text := _clean(raw, codec)) is not None:
            return Decoded(text, codec, "declared")
    if utf8 is not None:
        return Decoded(utf8, "utf-8", "utf-8")
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError as error:
        if len(raw) - error.start <= 3:  # valid UTF-8 but for a character cut by truncation at the end
            return Decoded(raw.decode("utf-8", "replace"), "utf-8", "utf-8")
    codec = detect(raw)
    return Decoded(_decode(raw, codec, "replace"), codec, "detected")


def detect(raw: bytes) -> str:
    """The likeliest single-byte code page of undeclared, non-UTF-8 bytes (windows-1256 when unsure)."""
    best = from_bytes(raw[:DETECT_BYTES], cp_isolation=_DETECTABLE).best()
    if best is None:
        return "cp1256"
    codec = codecs.lookup(best.encoding).name
    return "cp1256" if codec == "mac-arabic" else codec  # the Mac's Arabic is not found on the web


def _clean(raw: bytes, codec: str) -> str | None:
    try:
        return _decode(raw, codec, "strict")
    except UnicodeDecodeError:
        return None


def _decode(raw: bytes, codec: str, errors: str) -> str:
    return raw.decode(codec, "marsad-c1" if codec in _C1_GAPS else errors)
