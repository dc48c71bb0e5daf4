"""Logs: with LOG_FORMAT=json (the default outside development) one JSON object a line on stderr, each
with the request id (X-Request-ID if the proxy sent a sane one, else a new one; echoed on the
response) or, in the worker, the id of the request that queued the job. One line per request names
the route's rule, never its path or query (paths carry emailed tokens); job arguments are dropped."""

import logging
import re
import sys
import time
import uuid

from flask import current_app, g, has_request_context, request
from flask.logging import default_handler

REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")
# Fields RQ attaches to an error record: a job's arguments hold emails and their links.
SECRET_FIELDS = ("arguments", "kwargs")


def init_app(app) -> None:
    """Register first, so every other hook (and the access check) sees the request id."""
    if app.config["LOG_FORMAT"] is None:
        app.config["LOG_FORMAT"] = "text" if app.config["ENV"] in ("development", "testing") else "json"
    if app.config["LOG_FORMAT"] == "json":
        use_json_logs()
        app.logger.removeHandler(default_handler)
    app.before_request(_start)
    app.after_request(_finish)


def _start():
    supplied = request.headers.get("X-Request-ID", "")
    g.request_id = supplied if REQUEST_ID.fullmatch(supplied) else uuid.uuid4().hex
    g.request_started = time.perf_counter()


def _finish(response):
    response.headers["X-Request-ID"] = g.get("request_id", "")
    if request.endpoint != "static":
        current_app.logger.info(
            "request",
            extra={
                "method": request.method,
                "route": request.url_rule.rule if request.url_rule else None,
                "endpoint": request.endpoint,
                "status": response.status_code,
                "duration_ms": round((time.perf_counter() - g.get("request_started", time.perf_counter())) * 1000, 1),
            },
        )
    return response


class _Stderr(logging.StreamHandler):
    """Writes to whatever sys.stderr is now (pytest swaps it per test)."""

    @property
    def stream(self):
        return sys.stderr

    @stream.setter
    def stream(self, _value):
        pass


class ContextFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        for name in SECRET_FIELDS:
            record.__dict__.pop(name, None)
        if not hasattr(record, "request_id"):
            record.request_id = current_request_id()
        return True


def current_request_id() -> str | None:
    if has_request_context():
        return g.get("request_id")
    rq = sys.modules.get("rq")
    job = rq.get_current_job() if rq else None
    return job.meta.get("request_id") if job else None


def json_formatter() -> logging.Formatter:
    from pythonjsonlogger.json import JsonFormatter

    return JsonFormatter(
        "%(levelname)s %(name)s %(message)s",
        rename_fields={"levelname": "level", "name": "logger"},
        timestamp="time",
    )


def use_json_logs() -> None:
    """One JSON handler on the root logger per process (the app may be built several times)."""
    root = logging.getLogger()
    if not any(isinstance(handler, _Stderr) for handler in root.handlers):
        handler = _Stderr()
        handler.setFormatter(json_formatter())
        handler.addFilter(ContextFilter())
        root.addHandler(handler)
    root.setLevel(logging.INFO)
