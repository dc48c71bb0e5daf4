"""Small things that matter under faults: health checks, an expiring session mid-quiz, the server banner."""

import os
import socket
import subprocess
import sys
import time
import urllib.request

import sqlalchemy as sa

from elearn.db import Database
from elearn.models import Attempt, AttemptAnswer

from ..conftest import FIXTURE_CONTENT, PROJECT_ROOT, fresh, make_test_app
from ..factories import PASSWORD, trainee_with_enrolment
from .quiz_helpers import right_answer, start_quiz


def test_healthz_answers_json_503_when_the_database_is_down(tmp_path):
    app = make_test_app(f"sqlite:///{tmp_path / 'no-such-folder' / 'x.db'}", tmp_path)
    response = app.test_client().get("/healthz")
    Database.sessionmaker_for(app).kw["bind"].dispose()
    assert response.status_code == 503 and response.json == {"status": "unavailable", "database": "not answering"}


def test_healthz_is_ok_when_the_database_answers(client):
    assert client.get("/healthz").json == {"status": "ok", "database": "ok"}


def test_an_answer_posted_as_the_session_expires_is_saved_after_sign_in(client, session):
    user, enrolment = trainee_with_enrolment(session)
    client.sign_in(user.email, PASSWORD)
    attempt_id = start_quiz(client, enrolment.id, "alpha")
    fresh(session)
    choice = right_answer(session.get(Attempt, attempt_id).draw[0]["question"])
    session.rollback()
    url = f"/course/attempt/{attempt_id}/question/1"
    token = client.csrf_token(url)
    with client.client.session_transaction() as cookie:
        cookie["seen_at"] -= 3 * 3600  # away longer than SESSION_IDLE_MINUTES

    expired = client.post(url, [("csrf_token", token), *[("answer", c) for c in choice]])
    assert expired.status_code == 302 and expired.headers["Location"].startswith("/sign-in?next=")
    signed_in = client.post(expired.headers["Location"], {"email": user.email, "password": PASSWORD})
    assert signed_in.headers["Location"] == url
    assert "Your answer to question 1 is saved" in client.get(url).get_data(as_text=True)
    fresh(session)
    saved = session.scalar(sa.select(AttemptAnswer).where(AttemptAnswer.attempt_id == attempt_id))
    assert saved.position == 0 and sorted(saved.selected) == choice


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _gunicorn(tmp_path, workers: int, port: int) -> subprocess.Popen:
    env = {
        **os.environ,
        "ELEARN_SECRET_KEY": "x" * 40,
        "ELEARN_PUBLIC_URL": "https://learn.example.org",
        "ELEARN_DATABASE_URL": f"sqlite:///{tmp_path / 'g.db'}",
        "ELEARN_CONTENT_DIR": str(FIXTURE_CONTENT),
    }
    env.pop("WEB_CONCURRENCY", None)
    command = [sys.executable, "-m", "gunicorn", "-w", str(workers), "-b", f"127.0.0.1:{port}", "elearn:create_app()"]
    return subprocess.Popen(
        command, cwd=PROJECT_ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


def test_gunicorn_does_not_name_itself_or_its_version(tmp_path):
    port = _free_port()
    server = _gunicorn(tmp_path, 1, port)
    try:
        for _ in range(100):
            try:
                response = urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5)
                break
            except OSError:
                time.sleep(0.2)
        else:
            raise AssertionError("gunicorn did not start")
        assert "gunicorn" not in response.headers.get("Server", "").lower()
    finally:
        server.terminate()
        server.communicate(timeout=20)


def test_gunicorn_with_two_workers_and_memory_limits_refuses_to_start(tmp_path):
    server = _gunicorn(tmp_path, 2, _free_port())
    try:
        _out, err = server.communicate(timeout=60)
    finally:
        server.kill()
    assert server.returncode != 0
    assert "ELEARN_RATELIMIT_STORAGE_URI is memory:// but 2 workers" in err
