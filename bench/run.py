"""Benchmarks that report ratios measured side by side in one run (these machines are noisy).

Each page is timed in-process against a bare Flask endpoint served the same way, so the ratio
says what elearn's page costs over Flask's own floor. Exports are timed per row against Python's
csv module writing the same number of rows. Run: make bench  (about a minute).
"""

import csv
import io
import re
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from flask import Flask

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from elearn import create_app  # noqa: E402
from elearn.db import Database  # noqa: E402
from elearn.migrate import upgrade_to_head  # noqa: E402
from elearn.models import Attempt, AttemptAnswer, AttemptState, Enrolment, Role, User  # noqa: E402
from tests.factories import PASSWORD, make_cohort, make_user  # noqa: E402

ROUNDS, REQUESTS = 5, 40


def per_request(client, url: str) -> float:
    """Median seconds per request over ROUNDS rounds of REQUESTS requests."""
    times = []
    for _ in range(ROUNDS):
        start = time.perf_counter()
        for _ in range(REQUESTS):
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)
        times.append((time.perf_counter() - start) / REQUESTS)
    return statistics.median(times)


def seed(app, trainees: int):
    with Database.sessionmaker_for(app)() as session:
        cohort = make_cohort(session, title="Bench cohort")
        trainer = make_user(session, Role.TRAINER)
        cohort.trainers.append(trainer)
        learner = make_user(session)
        users = [User(email=f"b{i}@example.org", full_name=f"Bench {i}", role=Role.TRAINEE) for i in range(trainees)]
        session.add_all(users)
        session.flush()
        enrolments = [Enrolment(user_id=u.id, cohort_id=cohort.id) for u in [learner, *users]]
        session.add_all(enrolments)
        session.flush()
        when = datetime.now(UTC) - timedelta(days=1)
        attempts = [
            Attempt(
                enrolment_id=e.id,
                module_id="human-rights",
                number=1,
                state=AttemptState.SUBMITTED,
                content_version="bench",
                pass_mark=80,
                draw=[{"question": f"q{p}", "options": ["a", "b"]} for p in range(4)],
                started_at=when,
                submitted_at=when,
                correct_count=i % 5,
                score_percent=(i % 5) * 25,
                is_passed=i % 5 == 4,
            )
            for i, e in enumerate(enrolments[1:])
        ]
        session.add_all(attempts)
        session.flush()
        session.add_all(
            [
                AttemptAnswer(
                    attempt_id=a.id, position=p, question_id=f"q{p}", selected=["a"], is_correct=p < a.correct_count
                )
                for a in attempts
                for p in range(4)
            ]
        )
        session.commit()
        return cohort.id, enrolments[0].id, trainer.email, learner.email


def signed_in(app, email: str):
    client = app.test_client()
    html = client.get("/sign-in").get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)
    assert client.post("/sign-in", data={"email": email, "password": PASSWORD, "csrf_token": token}).status_code == 302
    return client


def main() -> None:
    workdir = Path(tempfile.mkdtemp())
    url = f"sqlite:///{workdir / 'bench.db'}"
    upgrade_to_head(url)
    app = create_app(
        {
            "ENV": "testing",
            "SECRET_KEY": "bench",
            "DATABASE_URL": url,
            "INSTANCE_PATH": str(workdir),
            "CONTENT_DIR": str(ROOT),
            "SIGN_IN_RATE_LIMIT": "1000 per minute",
        }
    )
    cohort_id, enrolment_id, trainer_email, learner_email = seed(app, trainees=300)

    bare = Flask("bare")
    bare.add_url_rule("/", "hello", lambda: "ok")
    floor = per_request(bare.test_client(), "/")

    learner = signed_in(app, learner_email)
    trainer = signed_in(app, trainer_email)
    pages = {
        "sign-in page (anonymous)": (app.test_client(), "/sign-in"),
        "trainee course page": (learner, f"/course/{enrolment_id}"),
        "module page (reads content)": (learner, f"/course/{enrolment_id}/human-rights/01-the-human-rights-act"),
        "trainer board, 300 trainees": (trainer, f"/trainer/cohorts/{cohort_id}"),
        "quiz analysis, 300 trainees": (trainer, f"/trainer/cohorts/{cohort_id}/analysis"),
    }
    print(f"Bare Flask endpoint: {floor * 1e6:.0f} µs per request (the floor)")
    for name, (client, path) in pages.items():
        seconds = per_request(client, path)
        print(f"{name:32} {seconds * 1e3:7.2f} ms  = {seconds / floor:6.1f} x bare Flask")

    rows = 301
    start = time.perf_counter()
    text = trainer.get(f"/trainer/cohorts/{cohort_id}/board.csv").get_data(as_text=True)
    export = time.perf_counter() - start
    assert text.count("\n") == rows + 1  # header and one line per trainee
    buffer = io.StringIO()
    start = time.perf_counter()
    writer = csv.writer(buffer)
    for i in range(rows):
        writer.writerow([f"Bench {i}", f"b{i}@example.org", "", "", "Ready", 100, 1, "01/01/2026"] * 2)
    floor_csv = time.perf_counter() - start
    print(f"Board CSV, {rows} rows: {export * 1e3:.1f} ms = {export / floor_csv:.0f} x writing the rows with csv alone")


if __name__ == "__main__":
    main()
