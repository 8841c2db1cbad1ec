"""The JSON-lines reader keeps every good line: bad bytes, deep nesting, an over-long line, a truncated or
corrupt gzip stream and trailing garbage each become one failure, and the readable rest is kept."""

from __future__ import annotations

import gzip
import json
import zlib
from pathlib import Path

import pytest

from marsad.models import Page, SourceFailure
from marsad.sources import Expected, iter_targets, jsonl


def _line(n: int) -> bytes:
    # a text different on every line, so that gzip cannot squeeze the lines into a few bytes
    words = " ".join(f"كلمة{(n * 7919 + k * 104729) % 100003}" for k in range(40))
    row = {"url": f"https://www.skynewsarabia.com/world/{n}", "title": f"خبر {n}", "text": words}
    return json.dumps(row, ensure_ascii=False).encode()


def _read(path: Path) -> tuple[list[Page], list[SourceFailure], list[Expected]]:
    items = list(iter_targets([str(path)]))
    pages = [i for i in items if isinstance(i, Page)]
    failures = [i for i in items if isinstance(i, SourceFailure)]
    expected = [i for i in items if isinstance(i, Expected)]
    assert len(pages) + len(failures) + len(expected) == len(items)
    return pages, failures, expected


def _numbers(pages: list[Page]) -> list[int]:
    return [int(p.url.rsplit("/", 1)[1]) for p in pages]


def test_an_invalid_utf8_line_is_one_failure_and_the_ten_good_lines_are_kept(tmp_path: Path) -> None:
    lines = [_line(n) for n in range(1, 11)]
    bad = _line(99).replace("خبر".encode(), b"\xff\xfe\xd8")  # not UTF-8
    path = tmp_path / "c.jsonl"
    path.write_bytes(b"\n".join([*lines[:5], bad, *lines[5:]]) + b"\n")
    pages, failures, expected = _read(path)
    assert _numbers(pages) == list(range(1, 11))
    assert [(f.origin, f.stage) for f in failures] == [(f"{path}:6", "decode")]
    assert failures[0].reason.startswith("line 6 is not UTF-8 (byte 0xff at position ")
    assert failures[0].content == bad
    assert [e.count for e in expected] == [11]


def test_a_deeply_nested_line_is_one_failure_and_the_four_good_lines_are_kept(tmp_path: Path) -> None:
    nested = b'{"url": "https://a.example/x", "text": "x", "deep": ' + b"[" * 200_000 + b"]" * 200_000 + b"}"
    path = tmp_path / "c.jsonl"
    path.write_bytes(b"\n".join([_line(1), _line(2), nested, _line(3), _line(4)]))
    pages, failures, _ = _read(path)
    assert _numbers(pages) == [1, 2, 3, 4]
    assert [(f.origin, f.stage, f.reason) for f in failures] == [
        (f"{path}:3", "read", "not a JSON object: nested too deeply")
    ]


def test_a_truncated_gzip_keeps_its_29_readable_lines(tmp_path: Path) -> None:
    data = b"\n".join(_line(n) for n in range(1, 61)) + b"\n"
    packed = gzip.compress(data, mtime=0)
    # the first cut of the compressed bytes from which exactly 29 whole lines (and part of the 30th) come out
    for cut in range(len(packed) // 4, len(packed)):
        out = zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(packed[:cut])
        if out.count(b"\n") == 29 and len(out) > data.index(_line(30)):
            break
    else:
        pytest.fail("no cut gives 29 whole lines")
    path = tmp_path / "cut.jsonl.gz"
    path.write_bytes(packed[:cut])
    pages, failures, expected = _read(path)
    assert _numbers(pages) == list(range(1, 30))
    assert [(f.origin, f.stage, f.reason) for f in failures] == [
        (
            f"{path}:30",
            "read",
            "the gzip stream ends early (a truncated file): line 30 and any after it cannot be read;"
            " the lines before are kept",
        )
    ]
    assert failures[0].content and _line(30).startswith(failures[0].content)
    assert [e.count for e in expected] == [30]


def test_trailing_garbage_after_the_gzip_stream_keeps_all_ten_lines(tmp_path: Path) -> None:
    # the last line has no newline: the stream still ends whole, so that line is whole too
    packed = gzip.compress(b"\n".join(_line(n) for n in range(1, 11)), mtime=0)
    path = tmp_path / "tail.jsonl.gz"
    path.write_bytes(packed + b"this is not gzip at all\n" * 3)
    pages, failures, _ = _read(path)
    assert _numbers(pages) == list(range(1, 11))
    assert [(f.origin, f.stage, f.reason) for f in failures] == [
        (
            f"{path}:11",
            "read",
            "the data after the gzip stream is not gzip (trailing garbage), after line 10: ignored;"
            " every line before it is kept",
        )
    ]


def test_corrupt_deflate_data_keeps_the_lines_before_it(tmp_path: Path) -> None:
    data = b"\n".join(_line(n) for n in range(1, 41)) + b"\n"
    packed = bytearray(gzip.compress(data, mtime=0))
    middle = len(packed) // 2
    packed[middle : middle + 64] = b"\xff" * 64
    path = tmp_path / "bad.jsonl.gz"
    path.write_bytes(bytes(packed))
    pages, failures, _ = _read(path)
    assert len(failures) == 1 and failures[0].reason.startswith("the gzip data is corrupt (")
    kept = _numbers(pages)
    assert kept == list(range(1, len(kept) + 1)) and 5 < len(kept) < 40
    assert failures[0].origin == f"{path}:{len(kept) + 1}"


def test_several_gzip_members_and_zero_padding_are_one_stream(tmp_path: Path) -> None:
    first = gzip.compress(b"\n".join(_line(n) for n in range(1, 6)) + b"\n", mtime=0)
    second = gzip.compress(b"\n".join(_line(n) for n in range(6, 11)), mtime=0)
    path = tmp_path / "multi.jsonl.gz"
    path.write_bytes(first + second + b"\x00" * 512)
    pages, failures, _ = _read(path)
    assert _numbers(pages) == list(range(1, 11))
    assert failures == []


def test_a_line_over_the_size_limit_is_skipped_without_holding_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(jsonl, "MAX_LINE_BYTES", 2000)
    monkeypatch.setattr(jsonl, "_READ", 512)  # the long line arrives in several pieces
    long = b'{"url": "https://a.example/long", "text": "' + b"x" * 10_000 + b'"}'
    path = tmp_path / "c.jsonl"
    path.write_bytes(b"\n".join([_line(1), long, _line(2)]))
    pages, failures, _ = _read(path)
    assert _numbers(pages) == [1, 2]
    assert [(f.origin, f.reason) for f in failures] == [(f"{path}:2", "line 2 is longer than 2,000 bytes")]


def test_a_bom_on_the_first_line_is_not_a_failure(tmp_path: Path) -> None:
    path = tmp_path / "c.jsonl"
    path.write_bytes(b"\xef\xbb\xbf" + _line(1) + b"\n" + _line(2) + b"\n")
    pages, failures, _ = _read(path)
    assert (_numbers(pages), failures) == ([1, 2], [])


def test_a_record_whose_url_is_not_http_is_a_failure(tmp_path: Path) -> None:
    bad = json.dumps({"url": "javascript:alert(1)", "title": "x", "text": "نص"}).encode()
    path = tmp_path / "c.jsonl"
    path.write_bytes(b"\n".join([_line(1), bad, _line(2)]))
    pages, failures, _ = _read(path)
    assert _numbers(pages) == [1, 2]
    assert [(f.origin, f.reason) for f in failures] == [
        (f"{path}:2", "the record's url is not an http(s) URL")
    ]
