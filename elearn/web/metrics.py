"""Prometheus metrics at /metrics (prometheus-flask-exporter): requests and latencies by endpoint
(never by path: paths carry tokens), plus job queue depth and failed jobs, and the xAPI outbox, read
at scrape time.
Under Gunicorn set PROMETHEUS_MULTIPROC_DIR (an empty folder) so every worker's counts are added up;
deploy/gunicorn.conf.py clears dead workers' files. Block /metrics at the proxy (docs/deploy.md)."""

import os

from flask import Blueprint, Response, abort, current_app, request
from prometheus_client import CollectorRegistry, multiprocess
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.exposition import choose_encoder
from prometheus_flask_exporter import PrometheusMetrics

from .. import jobs
from ..db import db, utcnow
from ..interop import xapi
from ..interop.xapi import outbox
from .access import public
from .security import limiter

bp = Blueprint("metrics", __name__)


def init_app(app) -> None:
    # Its own registry per app: tests build many apps in one process.
    exporter = PrometheusMetrics(
        app, path=None, group_by="endpoint", registry=CollectorRegistry(), excluded_paths=["^/metrics$", "^/static/"]
    )
    app.extensions["elearn.metrics"] = exporter
    app.register_blueprint(bp)


@bp.route("/metrics")
@public
@limiter.exempt
def metrics():
    if not current_app.config["METRICS_ENABLED"]:
        abort(404)
    registry = CollectorRegistry()
    if _multiprocess():
        multiprocess.MultiProcessCollector(registry)
    else:
        registry = current_app.extensions["elearn.metrics"].registry
    encode, content_type = choose_encoder(request.headers.get("Accept"))
    return Response(encode(registry) + encode(_queue_registry()), content_type=content_type)


def _multiprocess() -> bool:
    return "PROMETHEUS_MULTIPROC_DIR" in os.environ


def _queue_registry() -> CollectorRegistry:
    registry = CollectorRegistry()
    if jobs.queued():
        registry.register(QueueCollector())
    if xapi.enabled(current_app):
        registry.register(OutboxCollector())
    return registry


class QueueCollector:
    """Counts read from Redis at scrape time: the same for every web process."""

    def collect(self):
        try:
            depths = jobs.queue_depths()
        except Exception:  # Redis down: readiness reports it; metrics still answer
            return
        yield GaugeMetricFamily("elearn_jobs_waiting", "Jobs waiting in the queue", value=depths["waiting"])
        yield GaugeMetricFamily(
            "elearn_jobs_failed", "Jobs that failed every retry (see /admin/jobs)", value=depths["failed"]
        )


class OutboxCollector:
    """xAPI statements not yet in the LRS (alert on the oldest one's age: the LRS or the sender is down)."""

    def collect(self):
        try:
            counts = outbox.counts(db.session)
        except Exception:  # the database down: readiness reports it; metrics still answer
            return
        oldest = (utcnow() - counts.oldest_waiting_at).total_seconds() if counts.oldest_waiting_at else 0
        yield GaugeMetricFamily("elearn_xapi_statements_waiting", "xAPI statements not yet sent", value=counts.waiting)
        yield GaugeMetricFamily(
            "elearn_xapi_statements_refused", "xAPI statements the LRS refused as invalid", value=counts.refused
        )
        yield GaugeMetricFamily(
            "elearn_xapi_oldest_waiting_seconds", "Age of the oldest xAPI statement not yet sent", value=oldest
        )
