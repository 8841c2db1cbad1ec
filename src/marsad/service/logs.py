"""Structured logs: one JSON object a line on stderr, {"time", "level", "event", ...fields}.

`event(logger, "crawl.round", pages=3)` logs an event with its fields. A record from elsewhere (uvicorn,
the crawler's own messages) becomes {"event": "log", "logger": ..., "message": ...}; an exception adds
"error" (its type and message) and "traceback".
"""

from __future__ import annotations

import logging
import sys
import traceback
from datetime import UTC, datetime
from typing import IO, Any

import orjson

EVENT = "marsad_event"
FIELDS = "marsad_fields"


def event(logger: logging.Logger, name: str, level: int = logging.INFO, **fields: Any) -> None:
    """Log the event NAME with FIELDS (values JSON can hold; anything else is written as its str)."""
    logger.log(level, name, extra={EVENT: name, FIELDS: fields})


class JsonLines(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
        }
        name = getattr(record, EVENT, None)
        if name is None:
            line.update(event="log", logger=record.name, message=record.getMessage())
        else:
            line.update(event=name, **getattr(record, FIELDS, {}))
        if record.exc_info and record.exc_info[1] is not None:
            error = record.exc_info[1]
            line["error"] = f"{type(error).__name__}: {error}"
            line["traceback"] = "".join(traceback.format_exception(*record.exc_info))
        return orjson.dumps(line, default=str).decode()


def setup(stream: IO[str] | None = None, level: int = logging.INFO) -> logging.Handler:
    """Send every log record (Marsad's, uvicorn's) to STREAM (stderr) as JSON lines; returns the handler."""
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(JsonLines())
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level)
    marsad = logging.getLogger("marsad")  # the CLI's one-line warnings (commands.ingest.quiet_logging) go
    marsad.handlers.clear()
    marsad.propagate = True
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access"):
        logger = logging.getLogger(name)
        logger.handlers.clear()
        logger.setLevel(logging.NOTSET)  # the root's level, whatever an earlier uvicorn.Config set
        logger.propagate = True
    return handler
