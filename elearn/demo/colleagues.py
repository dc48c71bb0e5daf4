"""Demo colleagues for the trainer's views: learners part-way through, taking real quizzes."""

import random
from datetime import timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ..content import Course
from ..db import utcnow
from ..domain.learning import quiz
from ..domain.learning.progress import load_progress, record_page_view
from ..models import Cohort, Enrolment, Role, User

# (name, job title, how likely each answer is right, how many modules they get through)
COLLEAGUES = (
    ("Priya Shah", "Staff nurse", 0.95, 5),
    ("Tom Evans", "Support worker", 0.9, 5),
    ("Grace Mensah", "Senior carer", 0.85, 3),
    ("Liam Byrne", "Support worker", 0.75, 2),
    ("Aisha Khan", "Teaching assistant", 0.6, 2),
    ("Owen Price", "Night care worker", 0.5, 1),
    ("Chloe Ward", "Healthcare assistant", 0.9, 1),
    ("Daniel Kerr", "Team leader", 0.0, 0),
)


def add_colleagues(session: Session, course: Course, cohort: Cohort, organisation_id: int) -> int:
    """Create the colleagues once (no passwords: they cannot sign in); returns how many were added."""
    if session.scalar(sa.select(User.id).where(User.email == "priya.shah@example.org")) is not None:
        return 0
    # Demo answers, not security: a fixed seed makes the same demo every time.
    rng = random.Random(2026)  # nosec B311
    for name, job, skill, modules in COLLEAGUES:
        user = User(
            email=f"{name.lower().replace(' ', '.')}@example.org",
            full_name=name,
            role=Role.TRAINEE,
            job_title=job,
            organisation_id=organisation_id,
        )
        session.add(user)
        session.flush()
        enrolment = Enrolment(user_id=user.id, cohort_id=cohort.id)
        session.add(enrolment)
        session.flush()
        for module in course.published_modules[:modules]:
            if not _work_through(session, course, enrolment, module, skill, rng):
                break  # three tries without a pass: the next module stays locked
    return len(COLLEAGUES)


def _work_through(session, course, enrolment, module, skill, rng) -> bool:
    for page in module.pages:
        record_page_view(session, enrolment, module.id, page.id)
    for attempt_number in range(3):
        progress = load_progress(session, course, enrolment)
        attempt = quiz.start_or_resume(session, course, progress, module.id, rng)
        for position, drawn in enumerate(quiz.attempt_draw(attempt)):
            question = module.quiz.question(drawn.question_id)
            right = sorted(question.correct_option_ids)
            wrong = [o.id for o in question.options if not o.is_correct][:1]
            quiz.save_answer(session, module, attempt, position, right if rng.random() < skill else wrong)
        when = utcnow() - timedelta(days=3 - attempt_number, hours=rng.randint(0, 12))
        quiz.submit(session, course, module, attempt, when)
        if attempt.is_passed:
            return True
    return False
