"""Realistic data for the HTTP benchmark, written in bulk with SQLAlchemy Core (SQLite or PostgreSQL).

A cohort of 30 and one of 1,000 trainees with a spread of progress, the benchmark trainee's open
attempts (one to answer, a pool of fully answered ones to submit), trainees for the capacity run,
and 100k completed enrolments for the exports.
"""

import random
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

import sqlalchemy as sa

from elearn.content import Course
from elearn.db import UTCDateTime
from elearn.domain.learning.drawing import draw_quiz
from elearn.models import (
    Attempt,
    AttemptAnswer,
    AttemptState,
    Cohort,
    CohortState,
    Completion,
    Enrolment,
    PageView,
    Role,
    User,
    cohort_trainers,
)
from tests.factories import make_user

CHUNK = 5000


@dataclass
class Seeded:
    small_cohort: int = 0
    big_cohort: int = 0
    trainee_email: str = ""
    trainer_email: str = ""
    admin_email: str = ""
    enrolment: int = 0  # the benchmark trainee's, in the small cohort
    attempt: int = 0  # open, on the first module: for the question page and answer save
    first_choice: str = ""  # a valid option for question 1 of that attempt
    submit_pool: list[int] = field(default_factory=list)  # open, fully answered, passing
    capacity: list[tuple[str, int, int, str]] = field(default_factory=list)  # email, enrolment, attempt, option


def seed(session, course: Course, big: int, completions: int, pool: int, capacity: int) -> Seeded:
    rng = random.Random(12)
    draws = {m.id: [[d.as_json() for d in draw_quiz(m, rng=rng)] for _ in range(10)] for m in course.published_modules}
    out = Seeded()
    admin = make_user(session, Role.ADMIN, email="bench-admin@example.org")
    trainer = make_user(session, Role.TRAINER, email="bench-trainer@example.org")
    trainee = make_user(session, Role.TRAINEE, email="bench-trainee@example.org", full_name="Bench Trainee")
    out.admin_email, out.trainer_email, out.trainee_email = admin.email, trainer.email, trainee.email
    out.small_cohort, out.big_cohort, capacity_cohort = _cohorts(session, "Bench", 3, trainer.id)
    _trainees(session, course, draws, out.small_cohort, "small", 29)
    _trainees(session, course, draws, out.big_cohort, "big", big)
    out.enrolment = _enrol(session, [trainee.id], [out.small_cohort])[0]
    (out.attempt,) = _open_attempts(session, course, draws, [out.enrolment], answered=False)
    out.first_choice = draws[course.published_modules[0].id][0][0]["options"][0]
    # Each submit needs an open attempt of its own (one per enrolment and module): a cohort each.
    pool_enrolments = _enrol(session, [trainee.id] * pool, _cohorts(session, "Pool", pool, None))
    out.submit_pool = _open_attempts(session, course, draws, pool_enrolments, answered=True)
    people = [make_user(session, Role.TRAINEE, email=f"capacity{n}@example.org") for n in range(capacity)]
    enrolments = _enrol(session, [p.id for p in people], [capacity_cohort] * capacity)
    attempts = _open_attempts(session, course, draws, enrolments, answered=False)
    out.capacity = [(p.email, e, a, out.first_choice) for p, e, a in zip(people, enrolments, attempts, strict=True)]
    _completed(session, course, completions)
    session.commit()
    if session.bind.dialect.name == "postgresql":
        # What autovacuum would do after a bulk load: without statistics the planner scans every attempt.
        session.execute(sa.text("ANALYZE"))
        session.commit()
    return out


def _insert(session, model, rows: list[dict]) -> list[int]:
    """Rows through Core executemany, in chunks; their new ids, in order (nothing else writes meanwhile)."""
    table = model.__table__
    before = session.scalar(sa.select(sa.func.coalesce(sa.func.max(table.c.id), 0)))
    for start in range(0, len(rows), CHUNK):
        session.connection().execute(table.insert(), rows[start : start + CHUNK])
    return list(session.scalars(sa.select(table.c.id).where(table.c.id > before).order_by(table.c.id)))


def _cohorts(session, title: str, n: int, trainer_id: int | None) -> list[int]:
    starts = date.today() + timedelta(days=10)
    ids = _insert(
        session,
        Cohort,
        [
            {
                "title": f"{title} {i}",
                "venue": "Training room",
                "starts_on": starts,
                "deadline_on": starts - timedelta(days=2),
                "state": CohortState.OPEN,
            }
            for i in range(n)
        ],
    )
    if trainer_id is not None:
        session.execute(sa.insert(cohort_trainers), [{"cohort_id": c, "user_id": trainer_id} for c in ids])
    return ids


def _enrol(session, user_ids: list[int], cohort_ids: list[int]) -> list[int]:
    rows = [{"user_id": u, "cohort_id": c} for u, c in zip(user_ids, cohort_ids, strict=True)]
    return _insert(session, Enrolment, rows)


def _open_attempts(session, course: Course, draws, enrolment_ids: list[int], answered: bool) -> list[int]:
    module = course.published_modules[0]
    draw = draws[module.id][0]
    common = {
        "module_id": module.id,
        "number": 1,
        "state": AttemptState.OPEN,
        "content_version": course.version,
        "pass_mark": module.quiz.pass_mark,
        "draw": draw,
    }
    ids = _insert(session, Attempt, [{"enrolment_id": e, **common} for e in enrolment_ids])
    if answered:
        correct = [sorted(module.quiz.question(d["question"]).correct_option_ids) for d in draw]
        _insert(
            session,
            AttemptAnswer,
            [
                {"attempt_id": a, "position": p, "question_id": d["question"], "selected": correct[p]}
                for a in ids
                for p, d in enumerate(draw)
            ],
        )
    return ids


def _people(session, prefix: str, n: int) -> list[int]:
    rows = [
        {"email": f"{prefix}{i}@example.org", "full_name": f"{prefix.title()} Person {i}", "role": Role.TRAINEE}
        for i in range(n)
    ]
    return _insert(session, User, rows)


def _trainees(session, course: Course, draws, cohort_id: int, prefix: str, n: int) -> None:
    """n trainees with a spread of progress: some not started, some reading, some passing modules."""
    at = datetime.now(UTC) - timedelta(days=3)
    enrolments = _enrol(session, _people(session, prefix, n), [cohort_id] * n)
    views, attempts, modules = [], [], course.published_modules
    for i, enrolment_id in enumerate(enrolments):
        passed_modules = i % (len(modules) + 2) - 1
        for m, module in enumerate(modules[: max(passed_modules + 1, 0)]):
            views += [{"enrolment_id": enrolment_id, "module_id": module.id, "page_id": p.id} for p in module.pages]
            for number in (1, 2) if m % 2 else (1,):
                passed = m < passed_modules and number == (2 if m % 2 else 1)
                attempts.append(
                    {
                        "enrolment_id": enrolment_id,
                        "module_id": module.id,
                        "number": number,
                        "state": AttemptState.SUBMITTED,
                        "content_version": course.version,
                        "pass_mark": module.quiz.pass_mark,
                        "draw": draws[module.id][i % 10],
                        "started_at": at,
                        "submitted_at": at + timedelta(minutes=number),
                        "is_passed": passed,
                        "correct_count": 4 if passed else 1,
                        "score_percent": 100 if passed else 25,
                    }
                )
    _insert(session, PageView, views)
    ids = _insert(session, Attempt, attempts)
    answers = [
        {
            "attempt_id": attempt_id,
            "position": p,
            "question_id": d["question"],
            "selected": d["options"][:1],
            "is_correct": attempt["is_passed"] or p == 0,
            "correct_options": d["options"][:1],
        }
        for attempt_id, attempt in zip(ids, attempts, strict=True)
        for p, d in enumerate(attempt["draw"])
    ]
    _insert(session, AttemptAnswer, answers)


def _completed(session, course: Course, n: int) -> None:
    """n enrolments that finished the course (every module passed), in cohorts of 1,000, for the exports.
    Written by INSERT ... SELECT over a counter, so 100k people take seconds, not minutes."""
    at = datetime.now(UTC) - timedelta(days=30)
    cohorts = _cohorts(session, "Export cohort", (n + 999) // 1000, None)
    counter = sa.select(sa.literal(1).label("i")).cte("counter", recursive=True)
    counter = counter.union_all(sa.select(counter.c.i + 1).where(counter.c.i < n))
    text = lambda *parts: sa.func.concat(*parts) if session.bind.dialect.name != "sqlite" else _joined(parts)  # noqa: E731
    users, enrolments = User.__table__, Enrolment.__table__
    first_user = session.scalar(sa.select(sa.func.coalesce(sa.func.max(users.c.id), 0))) + 1
    session.execute(
        users.insert().from_select(
            ["email", "full_name", "role", "session_token", "is_active", "created_at"],
            sa.select(
                text("done", sa.cast(counter.c.i, sa.String), "@example.org"),
                text("Done Person ", sa.cast(counter.c.i, sa.String)),
                sa.literal(Role.TRAINEE.value),
                text("bench-token-", sa.cast(counter.c.i, sa.String)),
                sa.true(),
                sa.literal(at, UTCDateTime),
            ),
        )
    )
    session.execute(
        enrolments.insert().from_select(
            ["user_id", "cohort_id", "enrolled_at"],
            sa.select(users.c.id, cohorts[0] + (users.c.id - first_user) // 1000, sa.literal(at, UTCDateTime)).where(
                users.c.id >= first_user
            ),
        )
    )
    done = sa.select(enrolments.c.id).where(enrolments.c.cohort_id >= cohorts[0]).subquery()
    # PostgreSQL will not put text in a json column; SQLite keeps JSON as text (a CAST would make it a number).
    empty_draw = sa.literal("[]") if session.bind.dialect.name == "sqlite" else sa.cast(sa.literal("[]"), sa.JSON)
    for m in course.published_modules:
        session.execute(
            Attempt.__table__.insert().from_select(
                [
                    "enrolment_id",
                    "module_id",
                    "number",
                    "state",
                    "content_version",
                    "pass_mark",
                    "draw",
                    "started_at",
                    "submitted_at",
                    "is_passed",
                    "correct_count",
                    "score_percent",
                ],
                sa.select(
                    done.c.id,
                    sa.literal(m.id),
                    sa.literal(1),
                    sa.literal(AttemptState.SUBMITTED.value),
                    sa.literal(course.version),
                    sa.literal(m.quiz.pass_mark),
                    empty_draw,
                    sa.literal(at, UTCDateTime),
                    sa.literal(at, UTCDateTime),
                    sa.true(),
                    sa.literal(4),
                    sa.literal(100),
                ),
            )
        )
    session.execute(
        Completion.__table__.insert().from_select(
            ["enrolment_id", "content_version", "certificate_code", "completed_at"],
            sa.select(
                done.c.id,
                sa.literal(course.version),
                text("B", sa.cast(done.c.id, sa.String)),
                sa.literal(at, UTCDateTime),
            ),
        )
    )


def _joined(parts):
    result = sa.literal(parts[0]) if isinstance(parts[0], str) else parts[0]
    for part in parts[1:]:
        result = result.op("||")(part)
    return result
