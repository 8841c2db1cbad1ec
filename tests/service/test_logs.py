"""The JSON lines `marsad run` writes on stderr."""

from __future__ import annotations

import io
import json
import logging

from marsad.service import logs


def test_events_foreign_records_and_exceptions_are_one_json_object_a_line():
    stream = io.StringIO()
    root = logging.getLogger()
    before = (list(root.handlers), root.level)
    logs.setup(stream)
    try:
        service = logging.getLogger("marsad.service")
        logs.event(service, "crawl.finished", outcome="ok", pages_fetched=3, errors=["a: غير موجود"])
        logging.getLogger("uvicorn.error").info("Started server process [%d]", 42)
        try:
            raise OSError("disk full")
        except OSError:
            service.exception("round failed", extra={logs.EVENT: "crawl.failed", logs.FIELDS: {"round": 7}})
    finally:  # as pytest had it
        root.handlers[:] = before[0]
        root.setLevel(before[1])
    first, second, third = (json.loads(line) for line in stream.getvalue().splitlines())
    assert set(first) == {"time", "level", "event", "outcome", "pages_fetched", "errors"}
    assert (first["level"], first["event"], first["outcome"], first["pages_fetched"]) == (
        "info",
        "crawl.finished",
        "ok",
        3,
    )
    assert first["errors"] == ["a: غير موجود"]  # Arabic as written, not escaped away
    assert first["time"].endswith("+00:00")
    assert {k: second[k] for k in ("level", "event", "logger", "message")} == {
        "level": "info", "event": "log", "logger": "uvicorn.error", "message": "Started server process [42]",
    }  # fmt: skip
    assert (third["level"], third["event"], third["round"], third["error"]) == (
        "error",
        "crawl.failed",
        7,
        "OSError: disk full",
    )
    assert third["traceback"].startswith("Traceback (most recent call last):")
