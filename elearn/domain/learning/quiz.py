"""Taking a quiz: start or resume an attempt, save answers one at a time, submit once."""

import random
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from ...content import Course, Module
from ...db import insert_if_absent, upsert, utcnow
from ...models import Attempt, AttemptAnswer, AttemptState, Completion, Enrolment
from ..errors import AttemptAlreadySubmitted, InvalidAnswer, NotFound, QuizLocked
from . import events, mastery
from .completion import record_completion_if_complete
from .drawing import DrawnQuestion, draw_quiz
from .gating import require_quiz_open
from .grading import grade, validate_selection
from .progress import CourseProgress, load_progress


def attempt_draw(attempt: Attempt) -> list[DrawnQuestion]:
    return [DrawnQuestion.from_json(item) for item in attempt.draw]


def saved_answers(attempt: Attempt) -> dict[int, frozenset[str]]:
    return {answer.position: frozenset(answer.selected) for answer in attempt.answers}


def start_or_resume(
    session: Session, course: Course, progress: CourseProgress, module_id: str, rng: random.Random | None = None
) -> Attempt:
    """The open attempt for this module, or a new one; two racing starts get the same attempt."""
    status = progress.status(module_id)
    if status is None:
        raise NotFound(module_id)
    open_attempt = _open_attempt(session, progress.enrolment.id, module_id)
    if open_attempt is not None:
        if _draw_still_valid(status.module, open_attempt):
            return open_attempt
        # Content changed under an unfinished attempt: its questions may be gone, so start afresh.
        open_attempt.state = AttemptState.VOID
        session.flush()
    require_quiz_open(status)
    pending = mastery.still_to_revisit(
        session, status.module, mastery.last_submitted_attempt(session, progress.enrolment.id, module_id)
    )
    if pending:
        raise QuizLocked(mastery.unlock_message(pending))
    previous = session.scalars(
        sa.select(Attempt)
        .where(Attempt.enrolment_id == progress.enrolment.id, Attempt.module_id == module_id)
        .order_by(Attempt.number.desc())
        .limit(1)
    ).first()
    avoid = frozenset(item["question"] for item in previous.draw) if previous else frozenset()
    attempt = Attempt(
        enrolment_id=progress.enrolment.id,
        module_id=module_id,
        number=(previous.number + 1) if previous else 1,
        content_version=course.version,
        pass_mark=status.module.quiz.pass_mark,
        draw=[d.as_json() for d in draw_quiz(status.module, avoid, rng)],
    )
    if insert_if_absent(session, attempt):
        events.tell(session, events.QuizStarted(attempt))
        return attempt
    return _open_attempt(session, progress.enrolment.id, module_id)


def _open_attempt(session: Session, enrolment_id: int, module_id: str) -> Attempt | None:
    return session.scalars(
        sa.select(Attempt).where(
            Attempt.enrolment_id == enrolment_id, Attempt.module_id == module_id, Attempt.state == AttemptState.OPEN
        )
    ).first()


def _draw_still_valid(module: Module, attempt: Attempt) -> bool:
    for drawn in attempt_draw(attempt):
        question = module.quiz.question(drawn.question_id)
        if question is None or {o.id for o in question.options} != set(drawn.option_ids):
            return False
    return True


def save_answer(
    session: Session,
    module: Module,
    attempt: Attempt,
    position: int,
    selected: list[str],
    confident: bool | None = None,
) -> None:
    """Validate and store one answer (and how sure the trainee was), replacing an earlier answer."""
    if not _claim_open(session, attempt):
        raise AttemptAlreadySubmitted("This quiz has already been submitted")
    draw = attempt_draw(attempt)
    if not 0 <= position < len(draw):
        raise NotFound(f"question {position + 1}")
    drawn = draw[position]
    choice = sorted(validate_selection(module.quiz.question(drawn.question_id), drawn, selected))
    # One statement whether it is the first answer or a change: the claim above already serialises writers.
    upsert(
        session,
        AttemptAnswer.__table__,
        {
            "attempt_id": attempt.id,
            "position": position,
            "question_id": drawn.question_id,
            "selected": choice,
            "confident": confident,
            "answered_at": utcnow(),
        },
        key=["attempt_id", "position"],
        update=["selected", "confident", "answered_at"],
    )
    if "answers" in attempt.__dict__:  # loaded earlier in this request: read again when next used
        session.expire(attempt, ["answers"])


# Built once: every answer save and submit runs it.
_CLAIM_OWN_ATTEMPT = (
    sa.select(Attempt, Enrolment)
    .join(Enrolment, Attempt.enrolment_id == Enrolment.id)
    .where(Attempt.id == sa.bindparam("attempt_id"), Enrolment.user_id == sa.bindparam("user_id"))
    .with_for_update(of=Attempt)
    .execution_options(populate_existing=True)
)


def claim_own_attempt(session: Session, attempt_id: int, user_id: int) -> tuple[Attempt, Enrolment] | None:
    """A trainee's own attempt, loaded and locked for the rest of the transaction: the claim that saving
    and submitting need, taken in the same statement that loads it (None: not theirs, or no such attempt)."""
    row = session.execute(_CLAIM_OWN_ATTEMPT, {"attempt_id": attempt_id, "user_id": user_id}).first()
    if row is None:
        return None
    _claimed_now(session).add(row.Attempt.id)
    return row.Attempt, row.Enrolment


def _claim_open(session: Session, attempt: Attempt) -> bool:
    """Lock the attempt's row until the transaction ends, re-read it and its answers; True if still open.

    Saving and submitting both claim the row first (FOR UPDATE on PostgreSQL; on SQLite BEGIN IMMEDIATE
    already serialises writers), so under READ COMMITTED no answer can land after grading, and grading
    sees every answer committed before it. An attempt claimed earlier in this transaction (by
    claim_own_attempt) is already locked and fresh: no second read.
    """
    session.flush()
    if attempt.id not in _claimed_now(session):
        session.scalars(
            sa.select(Attempt)
            .where(Attempt.id == attempt.id)
            .with_for_update()
            .execution_options(populate_existing=True)
        ).one()
        _claimed_now(session).add(attempt.id)
    return attempt.state is AttemptState.OPEN


def _claimed_now(session: Session) -> set[int]:
    """Attempt ids locked in the session's current transaction (a lock ends with its transaction)."""
    transaction = session.get_transaction()
    held = session.info.get("claimed_attempts")
    if held is None or held[0] is not transaction:
        held = session.info["claimed_attempts"] = (transaction, set())
    return held[1]


def unanswered_positions(attempt: Attempt) -> list[int]:
    answered = saved_answers(attempt)
    return [i for i in range(len(attempt.draw)) if i not in answered]


_MARK_ANSWER = (
    sa.update(AttemptAnswer.__table__)
    .where(AttemptAnswer.__table__.c.id == sa.bindparam("answer_id"))
    .values(is_correct=sa.bindparam("is_correct"), correct_options=sa.bindparam("correct_options"))
)


@dataclass(frozen=True)
class Submission:
    is_new: bool  # False: it had already been submitted (a double click or a replay); nothing changed
    completion: Completion | None = None  # written by this submission: pre-learning just finished
    support_reached: bool = False  # this failure is the one that first calls for the trainer's help


def submit(
    session: Session, course: Course, module: Module, attempt: Attempt, now: datetime | None = None
) -> Submission:
    """Grade the attempt exactly once, from the answers stored when it is claimed."""
    if not _claim_open(session, attempt):
        return Submission(is_new=False)  # a double click or replay: nothing to grade
    missing = unanswered_positions(attempt)
    if missing:
        numbers = ", ".join(str(i + 1) for i in missing)
        raise InvalidAnswer(f"Answer every question before you submit. Not answered: {numbers}")
    result = grade(module.quiz, attempt_draw(attempt), saved_answers(attempt), attempt.pass_mark)
    now = now or utcnow()
    graded = {
        "state": AttemptState.SUBMITTED,
        "submitted_at": now,
        "correct_count": result.correct_count,
        "score_percent": result.score_percent,
        "is_passed": result.is_passed,
    }
    claimed = session.execute(
        sa.update(Attempt)
        .where(Attempt.id == attempt.id, Attempt.state == AttemptState.OPEN)
        .values(**graded)
        .execution_options(synchronize_session=False)
    ).rowcount
    if claimed != 1:
        session.refresh(attempt)
        return Submission(is_new=False)
    marks = [
        {
            "answer_id": answer.id,
            "is_correct": result.marked[answer.position].is_correct,
            "correct_options": sorted(result.marked[answer.position].correct_options),
        }
        for answer in attempt.answers
    ]
    session.execute(_MARK_ANSWER, marks)  # one executemany, not the unit of work's per-row bookkeeping
    for answer, mark in zip(attempt.answers, marks, strict=True):
        set_committed_value(answer, "is_correct", mark["is_correct"])
        set_committed_value(answer, "correct_options", mark["correct_options"])
    for name, value in graded.items():  # what the UPDATE wrote, without reading the attempt back
        set_committed_value(attempt, name, value)
    events.tell(session, events.QuizGraded(attempt))
    if not result.is_passed:
        failed = mastery.failed_attempt_count(session, attempt.enrolment_id, module.id)
        return Submission(is_new=True, support_reached=mastery.support_just_reached(failed, module.quiz.support_after))
    enrolment = session.get(Enrolment, attempt.enrolment_id)
    completion = record_completion_if_complete(session, course, load_progress(session, course, enrolment), now)
    return Submission(is_new=True, completion=completion)
