"""Structured logs: one JSON object per line, what a log collector (journald, Loki, CloudWatch) reads.

`LOG_FORMAT=json` (the default in production) uses `JsonLogFormatter`; `LOG_FORMAT=text` keeps
Python's plain lines. Every record carries its time (UTC, ISO 8601), level, logger and message;
Django's request records add the method, path and status; an exception adds its traceback.
"""

import json
import logging
from datetime import UTC, datetime

# Attributes every LogRecord has: anything else was passed with `extra=` and is logged as a field.
STANDARD_ATTRIBUTES = frozenset(logging.makeLogRecord({}).__dict__) | {"message", "asctime"}


class JsonLogFormatter(logging.Formatter):
    """Formats a record as one line of JSON; values that JSON cannot hold are written as text."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, tz=UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        request = getattr(record, "request", None)
        if request is not None and hasattr(request, "path"):
            entry["method"] = getattr(request, "method", None)
            entry["path"] = request.path
        for key, value in record.__dict__.items():
            if key not in STANDARD_ATTRIBUTES and key not in entry and key != "request":
                entry[key] = value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


def logging_config(level: str, log_format: str) -> dict:
    """The LOGGING setting: every log to the console (stderr), as JSON or as plain text."""
    formatter = (
        {"()": JsonLogFormatter} if log_format == "json" else {"format": "%(levelname)s %(name)s %(message)s"}
    )
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"default": formatter},
        "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "default"}},
        "root": {"handlers": ["console"], "level": level},
        # Django's request and security loggers propagate to the root: one format for everything.
        "loggers": {"django": {"handlers": [], "level": level, "propagate": True}},
    }
