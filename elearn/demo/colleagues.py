"""Demo colleagues for the trainer's views: one for each journey state, taking real quizzes on a plausible clock."""

import random
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ..content import Course, Module
from ..db import utcnow
from ..domain.learning import mastery, quiz
from ..domain.learning.completion import set_withdrawn
from ..domain.learning.progress import load_progress, record_page_view
from ..models import Attempt, Cohort, Completion, Enrolment, Role, User

# (name, job title, chance each answer is right, modules attempted, tries allowed per module, journey)
COLLEAGUES = (
    ("Priya Shah", "Staff nurse", 1.0, 5, 3, "complete"),
    ("Tom Evans", "Support worker", 0.9, 5, 3, "complete"),
    ("Grace Mensah", "Senior carer", 0.9, 3, 3, "part-way"),
    ("Liam Byrne", "Support worker", 0.0, 2, 1, "failed once"),  # passes module 1 (see _skill), fails module 2
    ("Aisha Khan", "Teaching assistant", 0.0, 1, 3, "needs support"),
    ("Owen Price", "Night care worker", 0.0, 0, 0, "reading"),
    ("Chloe Ward", "Healthcare assistant", 1.0, 5, 3, "withdrawn"),
    ("Daniel Kerr", "Team leader", 0.0, 0, 0, "fresh"),
)
WITHDRAWN_REASON = "Completed on a colleague's account; to be redone on her own"


class Clock:
    """Demo time that only moves forward, so nothing happens before it started or after it finished."""

    def __init__(self, start: datetime):
        self.now = start

    def tick(self, rng: random.Random, most_minutes: int = 4) -> datetime:
        self.now = min(self.now + timedelta(minutes=rng.randint(1, most_minutes)), utcnow())
        return self.now


def add_colleagues(session: Session, course: Course, cohort: Cohort, organisation_id: int) -> int:
    """Create the colleagues once (no passwords: they cannot sign in); returns how many were added."""
    if session.scalar(sa.select(User.id).where(User.email == "priya.shah@example.org")) is not None:
        return 0
    # Demo answers, not security: a fixed seed makes the same demo every time.
    rng = random.Random(2026)  # nosec B311
    for index, (name, job, skill, modules, tries, journey) in enumerate(COLLEAGUES):
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
        morning = utcnow().replace(hour=8, minute=rng.randint(0, 59), second=0, microsecond=0)
        clock = Clock(morning - timedelta(days=6 - index % 3))  # a working morning a few days ago
        if journey == "reading":
            _read(session, enrolment, course.published_modules[0], clock, rng, pages=2)
        for number, module in enumerate(course.published_modules[:modules]):
            module_skill = 1.0 if journey == "failed once" and number == 0 else skill
            if not _work_through(session, course, enrolment, module, module_skill, tries, clock, rng):
                break  # not passed: the next module stays locked
        if journey == "withdrawn":
            completion = session.scalar(sa.select(Completion).where(Completion.enrolment_id == enrolment.id))
            set_withdrawn(session, completion, True, WITHDRAWN_REASON, None, clock.tick(rng, 60 * 24))
    return len(COLLEAGUES)


def _read(session, enrolment, module: Module, clock: Clock, rng, pages: int | None = None) -> None:
    for page in module.pages[:pages]:
        record_page_view(session, enrolment, module.id, page.id, clock.tick(rng, 9))


def _work_through(session, course, enrolment, module, skill, tries, clock: Clock, rng) -> bool:
    _read(session, enrolment, module, clock, rng)
    for _ in range(tries):
        progress = load_progress(session, course, enrolment)
        attempt = quiz.start_or_resume(session, course, progress, module.id, rng)
        attempt.started_at = clock.tick(rng)
        for position, drawn in enumerate(quiz.attempt_draw(attempt)):
            question = module.quiz.question(drawn.question_id)
            right = sorted(question.correct_option_ids)
            wrong = [o.id for o in question.options if not o.is_correct][:1]
            is_right = rng.random() < skill
            quiz.save_answer(session, module, attempt, position, right if is_right else wrong, rng.random() < 0.7)
            _answer_at(attempt, position, clock.tick(rng, 2))
        quiz.submit(session, course, module, attempt, clock.tick(rng, 2))
        if attempt.is_passed:
            return True
        _read_again(session, module, attempt, enrolment, clock, rng, tries)
    return False


def _read_again(session, module: Module, attempt: Attempt, enrolment, clock: Clock, rng, tries: int) -> None:
    """After a failure, read the linked sections again (so the next try opens), unless this was the last try."""
    if attempt.number >= tries:
        return
    clock.tick(rng, 60 * 20)  # a break between tries
    for section in mastery.still_to_revisit(session, module, attempt):
        record_page_view(session, enrolment, module.id, section.page_id, clock.tick(rng, 6))


def _answer_at(attempt: Attempt, position: int, when: datetime) -> None:
    answer = next(a for a in attempt.answers if a.position == position)
    answer.answered_at = when
