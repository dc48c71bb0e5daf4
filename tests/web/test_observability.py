"""JSON logs with a request id and no secrets; liveness and readiness; Prometheus metrics."""

import json
import logging
import socket

import pytest

from elearn.db import Database
from elearn.web.logs import _Stderr

from ..conftest import make_test_app


def _disposed(app):
    """Close the app's pooled connections (an open PostgreSQL connection left to the GC warns)."""
    Database.sessionmaker_for(app).kw["bind"].dispose()


@pytest.fixture
def json_app(database_url, tmp_path):
    app = make_test_app(database_url, tmp_path, LOG_FORMAT="json")
    yield app
    _disposed(app)
    root = logging.getLogger()
    for handler in [h for h in root.handlers if isinstance(h, _Stderr)]:
        root.removeHandler(handler)
    root.setLevel(logging.WARNING)


def _lines(text: str) -> list[dict]:
    return [json.loads(line) for line in text.splitlines() if line.startswith("{")]


def test_json_log_lines_carry_the_request_id_and_the_route_not_the_path(json_app, capsys):
    client = json_app.test_client()
    response = client.get("/invitation/secret-token-value", headers={"X-Request-ID": "proxy-id.42"})
    assert response.headers["X-Request-ID"] == "proxy-id.42"
    err = capsys.readouterr().err
    [line] = [entry for entry in _lines(err) if entry["message"] == "request"]
    assert line["request_id"] == "proxy-id.42" and line["status"] == 404 and line["level"] == "INFO"
    assert line["route"] == "/invitation/<token>" and "time" in line and line["duration_ms"] >= 0
    assert "secret-token-value" not in err

    junk = client.get("/sign-in", headers={"X-Request-ID": "not ok <script>forged" + "x" * 80})
    generated = junk.headers["X-Request-ID"]
    assert len(generated) == 32 and "forged" not in capsys.readouterr().err


def test_job_arguments_never_reach_the_log(json_app, capsys):
    logging.getLogger("rq.worker").error("job failed", extra={"arguments": ("https://x/reset/tok",), "job_id": "j1"})
    [line] = _lines(capsys.readouterr().err)
    assert line["job_id"] == "j1" and "arguments" not in line and "tok" not in json.dumps(line)


def test_liveness_and_readiness(app):
    client = app.test_client()
    assert client.get("/health/live").json == {"status": "ok"}
    ready = client.get("/health/ready")
    assert ready.status_code == 200 and ready.json == {"status": "ready", "checks": {"database": "ok"}}


def test_readiness_is_503_when_redis_or_the_database_is_down(database_url, tmp_path):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        dead = f"redis://127.0.0.1:{probe.getsockname()[1]}/0"
    app = make_test_app(database_url, tmp_path, JOBS="rq", REDIS_URL=dead)
    ready = app.test_client().get("/health/ready")
    assert ready.status_code == 503 and ready.json["status"] == "unavailable"
    assert ready.json["checks"] == {"database": "ok", "redis": "error: ConnectionError"}
    _disposed(app)

    gone = make_test_app(f"sqlite:///{tmp_path / 'no-such-dir' / 'x.db'}", tmp_path / "other")
    ready = gone.test_client().get("/health/ready")
    assert ready.status_code == 503 and ready.json["checks"]["database"] == "error: OperationalError"
    assert gone.test_client().get("/health/live").status_code == 200


def test_metrics_count_requests_by_endpoint_and_show_the_queue(queue_app):
    client = queue_app.test_client()
    client.get("/sign-in")
    client.get("/sign-in")
    text = client.get("/metrics").get_data(as_text=True)
    assert 'flask_http_request_duration_seconds_count{endpoint="auth.sign_in",method="GET",status="200"} 2.0' in text
    assert "elearn_jobs_waiting 0.0" in text and "elearn_jobs_failed 0.0" in text


def test_metrics_can_be_switched_off(database_url, tmp_path):
    app = make_test_app(database_url, tmp_path, METRICS_ENABLED=False)
    assert app.test_client().get("/metrics").status_code == 404
    _disposed(app)
