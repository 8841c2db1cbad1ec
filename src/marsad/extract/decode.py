"""Bytes -> text: declared charset (HTTP header, page meta), byte-order mark, then detection.

Arabic pages still come in windows-1256 and ISO-8859-6; a wrong guess turns every letter into
mojibake, so a declared charset is checked (it must decode cleanly) before it is trusted.
"""

from __future__ import annotations

import codecs
import re

from charset_normalizer import from_bytes

MAX_BYTES = 5 * 1024 * 1024  # work cap per page: longer input is cut (a real article page is far smaller)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffd]")

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([a-zA-Z0-9_\-:.]+)""", re.I)
_HEADER_CHARSET = re.compile(r"charset\s*=\s*[\"']?([a-zA-Z0-9_\-:.]+)", re.I)
_BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))
_UTF16 = ("utf-16", "utf-16-le", "utf-16-be")
# Labels that browsers map to another codec (WHATWG encoding standard).
_ALIASES = {
    "iso-8859-6": "iso-8859-6",
    "arabic": "iso-8859-6",
    "x-mac-arabic": "mac-arabic",
    "iso-8859-1": "windows-1252",
    "latin1": "windows-1252",
    "us-ascii": "windows-1252",
    "ascii": "windows-1252",
    "windows-1256": "cp1256",
    "cp-1256": "cp1256",
}


def codec_name(label: str | None) -> str | None:
    """A Python codec for a declared charset label, or None when the label is unknown."""
    if not label:
        return None
    label = label.strip().strip("\"'").lower()
    label = _ALIASES.get(label, label)
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


def declared_charsets(raw: bytes, content_type: str = "", encoding: str | None = None) -> list[str]:
    """Charsets the transport and the page declare, most trusted first."""
    labels: list[str | None] = [encoding]
    match = _HEADER_CHARSET.search(content_type or "")
    labels.append(match.group(1) if match else None)
    meta = _META_CHARSET.search(raw[:4096])
    labels.append(meta.group(1).decode("ascii", "replace") if meta else None)
    names = [codec_name(label) for label in labels]
    if names[-1] in _UTF16:  # a page that could read its own meta as ASCII is not UTF-16 (WHATWG: UTF-8)
        names[-1] = "utf-8"
    return list(dict.fromkeys(name for name in names if name))


def decode_bytes(raw: bytes, content_type: str = "", encoding: str | None = None) -> str:
    """The page's text: BOM (UTF-8, UTF-16 LE or BE), then a declared charset that decodes cleanly, then
    UTF-8, then detection."""
    if len(raw) > MAX_BYTES:
        raw = raw[:MAX_BYTES]
    for bom, name in _BOMS:
        if raw.startswith(bom):
            return raw[len(bom) :].decode(name, errors="replace")
    for name in declared_charsets(raw, content_type, encoding):
        try:
            return raw.decode(name)
        except UnicodeDecodeError:
            continue
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as error:
        if len(raw) - error.start <= 3:  # only a character cut by truncation at the end
            return raw.decode("utf-8", errors="replace")
    best = from_bytes(
        raw[:200_000], cp_isolation=["cp1256", "iso8859_6", "utf_8", "mac_arabic", "cp1252"]
    ).best()
    name = best.encoding if best is not None else "cp1256"
    return raw.decode(name, errors="replace")


def looks_binary(text: str) -> bool:
    """Control characters or undecodable bytes in more than 5% of the first 64 KB: not a page of text."""
    sample = text[:65536]
    return bool(sample) and len(_CONTROL.findall(sample)) > 0.05 * len(sample)


def page_text(content: bytes | str, content_type: str = "", encoding: str | None = None) -> str:
    """Page content as str, whatever form the source handed over."""
    if isinstance(content, str):
        return content[:MAX_BYTES]
    return decode_bytes(bytes(content), content_type, encoding)
