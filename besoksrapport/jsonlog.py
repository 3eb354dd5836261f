"""JSON-lines logging: one object per line, only whitelisted fields.

Only the fields in ``FIELDS`` ever leave a log call, so a careless ``extra=`` cannot leak
answer texts, names or secrets. Exceptions are logged by type and stack frames, without
their message (a message could quote the report).
"""

from __future__ import annotations

import json
import logging
import sys
import traceback
from datetime import UTC, datetime

FIELDS = ("delivery_id", "report_id", "status", "duration_ms", "method", "path", "job_id",
          "kind", "attempts", "result", "error_type", "problem", "meeting_date", "pid",
          # Open ePlatform's polls (besoksrapport/oep/): ids and counts only
          "flow_instance_id", "retryable", "listed", "reports", "refused", "skipped", "gone",
          "failed", "complete")


class JsonLinesFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        line = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "msg": record.getMessage(),
        }
        for name in FIELDS:
            value = record.__dict__.get(name)
            if value is not None:
                line[name] = value
        if record.exc_info and record.exc_info[0] is not None:
            line["error_type"] = record.exc_info[0].__name__
            line["stack"] = "".join(traceback.format_tb(record.exc_info[2]))
        return json.dumps(line, ensure_ascii=False)


class StderrHandler(logging.StreamHandler):
    """Writes to whatever ``sys.stderr`` is at the time (gunicorn and pytest replace it)."""

    @property
    def stream(self):
        return sys.stderr

    @stream.setter
    def stream(self, value) -> None:
        pass


def configure(level: int = logging.INFO) -> None:
    """Send the project's loggers to stderr as JSON lines (once per process)."""
    for name in ("besoksrapport", "webhook"):
        logger = logging.getLogger(name)
        if any(isinstance(h.formatter, JsonLinesFormatter) for h in logger.handlers):
            continue
        handler = StderrHandler()
        handler.setFormatter(JsonLinesFormatter())
        logger.addHandler(handler)
        logger.setLevel(level)
        logger.propagate = False
