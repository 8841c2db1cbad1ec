"""A page's content as text, for extraction: bytes are decoded by marsad.charsets (the one decoder every
path uses), within a work cap."""

from __future__ import annotations

import re

from marsad.charsets import charset_param, decode

MAX_BYTES = 5 * 1024 * 1024  # work cap per page: longer input is cut (a real article page is far smaller)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffd]")


def decode_bytes(raw: bytes, content_type: str = "", encoding: str | None = None) -> str:
    """The page's text: the page's `encoding` and its Content-Type's charset are the transport's labels."""
    return decode(raw[:MAX_BYTES], encoding, charset_param(content_type)).text


def looks_binary(text: str) -> bool:
    """Control characters or undecodable bytes in more than 5% of the first 64 KB: not a page of text."""
    sample = text[:65536]
    return bool(sample) and len(_CONTROL.findall(sample)) > 0.05 * len(sample)


def page_text(content: bytes | str, content_type: str = "", encoding: str | None = None) -> str:
    """Page content as str, whatever form the source handed over."""
    if isinstance(content, str):
        return content[:MAX_BYTES]
    return decode_bytes(bytes(content), content_type, encoding)
