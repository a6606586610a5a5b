"""JSON logs: one object per line with time, level, logger, message, the request and any traceback."""

import io
import json
import logging
import logging.config

from django.test import RequestFactory

from commons.logs import JsonLogFormatter, logging_config


def record(message="Bonjour %s", args=("Léaz",), **extra) -> logging.LogRecord:
    made = logging.LogRecord("commons.test", logging.WARNING, __file__, 1, message, args, None)
    made.__dict__.update(extra)
    return made


def test_a_record_is_one_line_of_json_with_its_fields():
    line = JsonLogFormatter().format(record(duration_ms=12.5))
    assert "\n" not in line
    entry = json.loads(line)
    assert entry["level"] == "WARNING" and entry["logger"] == "commons.test"
    assert entry["message"] == "Bonjour Léaz"  # not escaped: journald and humans read UTF-8
    assert entry["time"].endswith("+00:00") and entry["duration_ms"] == 12.5
    assert "Léaz" in line


def test_the_request_and_the_traceback_are_fields_and_anything_else_becomes_text():
    request = RequestFactory().post("/admin/pages/3/edit/")
    try:
        raise ValueError("Révision introuvable")
    except ValueError:
        import sys

        exc_info = sys.exc_info()
    made = record(request=request, status_code=500, when=object())
    made.exc_info = exc_info
    entry = json.loads(JsonLogFormatter().format(made))
    assert entry["method"] == "POST" and entry["path"] == "/admin/pages/3/edit/"
    assert entry["status_code"] == 500 and entry["when"].startswith("<object object")
    assert "ValueError: Révision introuvable" in entry["exception"]
    assert "request" not in entry


def test_the_logging_setting_sends_django_logs_through_the_formatter():
    stream = io.StringIO()
    config = logging_config("INFO", "json")
    config["handlers"]["console"]["stream"] = stream
    loggers = [logging.getLogger(), logging.getLogger("django")]
    saved = [(logger.handlers[:], logger.level, logger.propagate) for logger in loggers]
    try:
        logging.config.dictConfig(config)
        logging.getLogger("django.request").error("Internal Server Error: %s", "/methodes/")
    finally:  # the rest of the suite keeps its own logging
        for logger, (handlers, level, propagate) in zip(loggers, saved, strict=True):
            logger.handlers[:], logger.level, logger.propagate = handlers, level, propagate
    [line] = stream.getvalue().splitlines()
    assert json.loads(line)["message"] == "Internal Server Error: /methodes/"


def test_plain_text_on_request():
    assert logging_config("WARNING", "text")["formatters"]["default"] == {
        "format": "%(levelname)s %(name)s %(message)s"
    }
