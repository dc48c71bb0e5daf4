"""Readiness rules, from rows written straight to the database (and the pure state rule on its own)."""

from datetime import UTC, date, datetime, timedelta
from itertools import count

import pytest

from elearn.content import load_course
from elearn.domain.cohorts.readiness import (
    ModuleResult,
    Readiness,
    count_by_state,
    readiness_for_cohorts,
    readiness_state,
)
from elearn.models import Attempt, AttemptAnswer, AttemptState, Completion, PageView

from ..conftest import FIXTURE_CONTENT
from ..factories import enrol, make_cohort, make_user

COURSE = load_course(FIXTURE_CONTENT)
SUPPORT_AFTER = COURSE.module("alpha").quiz.support_after
DEADLINE = date(2026, 12, 5)
BEFORE = date(2026, 12, 1)  # a "today" before the deadline
AT = datetime(2026, 11, 25, 10, tzinfo=UTC)
_codes = count(1)


# --- factories for this file: rows written directly, as the app would have written them ---


def _enrolment(session, deadline: date = DEADLINE):
    cohort = make_cohort(session, starts_on=deadline + timedelta(days=2), deadline_on=deadline)
    return enrol(session, make_user(session), cohort)


def _attempt(
    session,
    enrolment,
    module_id: str,
    number: int,
    score: int | None = None,
    state: AttemptState = AttemptState.SUBMITTED,
    at: datetime = AT,
) -> Attempt:
    done = state is not AttemptState.OPEN
    attempt = Attempt(
        enrolment_id=enrolment.id,
        module_id=module_id,
        number=number,
        state=state,
        content_version="v",
        pass_mark=75,
        draw=[],
        started_at=at,
        submitted_at=at if done else None,
        score_percent=score if done else None,
        is_passed=(score >= 75) if done else None,
    )
    session.add(attempt)
    session.flush()
    return attempt


def _fail(session, enrolment, module_id: str, times: int, score: int = 25) -> None:
    for number in range(1, times + 1):
        _attempt(session, enrolment, module_id, number, score, at=AT + timedelta(minutes=number))


def _complete(session, enrolment, completed_at: datetime, **fields) -> None:
    session.add(
        Completion(
            enrolment_id=enrolment.id,
            content_version="v",
            certificate_code=f"UNIT-{next(_codes)}",
            completed_at=completed_at,
            **fields,
        )
    )


def _readiness(session, enrolment, today: date = BEFORE):
    session.commit()
    return readiness_for_cohorts(session, COURSE, [enrolment.cohort_id], today)[enrolment.id]


# --- the pure rule: no app, no database ---

NO_MODULES: dict[str, ModuleResult] = {}


@pytest.mark.parametrize(
    ("completed_at", "expected"),
    [
        (datetime(2026, 6, 10, 22, 59, tzinfo=UTC), Readiness.READY),  # 23:59 BST on the deadline day
        (datetime(2026, 6, 10, 23, 1, tzinfo=UTC), Readiness.LATE),  # 00:01 BST the next day
        (datetime(2026, 12, 10, 23, 59, tzinfo=UTC), Readiness.READY),  # winter: UK time is UTC
        (datetime(2026, 12, 11, 0, 1, tzinfo=UTC), Readiness.LATE),
    ],
)
def test_ready_or_late_is_judged_on_the_uk_calendar_day(completed_at, expected):
    deadline = date(completed_at.year, completed_at.month, 10)
    assert (
        readiness_state(completed_at, deadline, deadline + timedelta(days=30), NO_MODULES, {}, has_activity=True)
        is expected
    )


def test_completion_outranks_the_deadline_and_the_deadline_outranks_support():
    failing = {"alpha": ModuleResult("alpha", 0, SUPPORT_AFTER, None, SUPPORT_AFTER)}
    limits = {"alpha": SUPPORT_AFTER}
    completed = datetime(2026, 12, 1, 9, tzinfo=UTC)
    assert readiness_state(completed, DEADLINE, date(2027, 1, 1), failing, limits, True) is Readiness.READY
    assert readiness_state(None, DEADLINE, DEADLINE + timedelta(days=1), failing, limits, True) is Readiness.OVERDUE
    # The deadline day itself is still in time.
    assert readiness_state(None, DEADLINE, DEADLINE, failing, limits, True) is Readiness.NEEDS_SUPPORT
    assert readiness_state(None, DEADLINE, DEADLINE, {}, {}, has_activity=False) is Readiness.NOT_STARTED


def test_count_by_state_lists_every_state_with_zeros():
    assert count_by_state([]) == dict.fromkeys(Readiness, 0)
    assert list(count_by_state([])) == list(Readiness)


# --- rows in the database ---


def test_nothing_done_is_not_started_with_an_empty_result_per_published_module(session):
    enrolment = _enrolment(session)
    result = _readiness(session, enrolment)
    assert (result.enrolment_id, result.cohort_id, result.user_id) == (
        enrolment.id,
        enrolment.cohort_id,
        enrolment.user_id,
    )
    assert result.state is Readiness.NOT_STARTED
    assert result.modules == {m: ModuleResult(m, None, 0, None, 0) for m in ("alpha", "beta")}
    assert result.last_activity_at is None and result.completed_at is None


def test_a_page_view_or_an_open_attempt_is_in_progress(session):
    reader, quizzer = _enrolment(session), _enrolment(session)
    session.add(PageView(enrolment_id=reader.id, module_id="alpha", page_id="01-first", first_viewed_at=AT))
    _attempt(session, quizzer, "alpha", 1, state=AttemptState.OPEN)
    assert _readiness(session, reader).state is Readiness.IN_PROGRESS
    assert _readiness(session, reader).last_activity_at == AT
    started = _readiness(session, quizzer)
    assert started.state is Readiness.IN_PROGRESS
    assert started.modules["alpha"].attempts == 0  # an open attempt is not a submitted one
    assert started.last_activity_at is None  # starting is not yet an answer or a submission


@pytest.mark.parametrize("module_id", ["alpha", "beta"])
def test_support_is_needed_after_the_quiz_limit_of_failures_until_a_pass(session, module_id):
    limit = COURSE.module(module_id).quiz.support_after
    below, at_limit, recovered = _enrolment(session), _enrolment(session), _enrolment(session)
    _fail(session, below, module_id, limit - 1)
    _fail(session, at_limit, module_id, limit)
    _fail(session, recovered, module_id, limit)
    _attempt(session, recovered, module_id, limit + 1, score=100, at=AT + timedelta(hours=1))
    assert _readiness(session, below).state is Readiness.IN_PROGRESS
    assert _readiness(session, at_limit).state is Readiness.NEEDS_SUPPORT
    assert _readiness(session, at_limit).modules[module_id].failed_attempts == limit
    assert _readiness(session, recovered).state is Readiness.IN_PROGRESS


def test_best_score_attempts_and_first_pass_per_module(session):
    enrolment = _enrolment(session)
    first_pass = AT + timedelta(hours=2)
    _attempt(session, enrolment, "alpha", 1, score=60, at=AT)
    _attempt(session, enrolment, "alpha", 2, score=40, at=AT + timedelta(hours=1))
    _attempt(session, enrolment, "alpha", 3, score=80, at=first_pass)
    _attempt(session, enrolment, "beta", 1, score=50)
    _attempt(session, enrolment, "beta", 2, score=20, at=AT + timedelta(hours=1))
    _attempt(session, enrolment, "beta", 3, state=AttemptState.OPEN)  # not submitted: not an attempt yet
    result = _readiness(session, enrolment)
    assert result.modules["alpha"] == ModuleResult("alpha", 80, 3, first_pass, 2)
    assert result.modules["beta"] == ModuleResult("beta", 50, 2, None, 2)  # the best, not the latest


def test_void_attempts_count_for_nothing(session):
    enrolment = _enrolment(session)
    for number in range(1, SUPPORT_AFTER + 1):
        void = _attempt(session, enrolment, "alpha", number, score=10, state=AttemptState.VOID)
        session.add(AttemptAnswer(attempt_id=void.id, position=0, question_id="al-q1", selected=["b"], answered_at=AT))
    result = _readiness(session, enrolment)
    assert result.state is Readiness.NOT_STARTED
    assert result.modules["alpha"] == ModuleResult("alpha", None, 0, None, 0)
    assert result.last_activity_at is None


def test_draft_modules_are_left_out_of_results_and_support(session):
    enrolment = _enrolment(session)
    _fail(session, enrolment, "gamma", COURSE.module("gamma").quiz.support_after)
    result = _readiness(session, enrolment)
    assert set(result.modules) == {"alpha", "beta"}
    assert result.state is Readiness.IN_PROGRESS  # the trainee did do something, so not "not started"


def test_last_activity_is_the_latest_page_view_answer_or_submission(session):
    enrolment = _enrolment(session)
    answered = AT + timedelta(hours=3)
    session.add(PageView(enrolment_id=enrolment.id, module_id="alpha", page_id="01-first", first_viewed_at=AT))
    _attempt(session, enrolment, "alpha", 1, score=25, at=AT + timedelta(hours=1))
    open_attempt = _attempt(session, enrolment, "alpha", 2, state=AttemptState.OPEN, at=AT + timedelta(hours=2))
    session.add(
        AttemptAnswer(attempt_id=open_attempt.id, position=0, question_id="al-q1", selected=["a"], answered_at=answered)
    )
    assert _readiness(session, enrolment).last_activity_at == answered


def test_ready_and_late_from_completion_rows_even_after_the_deadline(session):
    ready, late = _enrolment(session, date(2026, 6, 10)), _enrolment(session, date(2026, 6, 10))
    _fail(session, ready, "alpha", SUPPORT_AFTER)  # failures before completing do not matter any more
    _complete(session, ready, datetime(2026, 6, 10, 22, 30, tzinfo=UTC))  # 23:30 BST
    _complete(session, late, datetime(2026, 6, 10, 23, 30, tzinfo=UTC))  # 00:30 BST on the 11th
    after = date(2026, 7, 1)
    assert _readiness(session, ready, after).state is Readiness.READY
    assert _readiness(session, ready, after).completed_at == datetime(2026, 6, 10, 22, 30, tzinfo=UTC)
    assert _readiness(session, late, after).state is Readiness.LATE


def test_overdue_only_after_the_deadline_day(session):
    enrolment = _enrolment(session)
    _fail(session, enrolment, "alpha", SUPPORT_AFTER)
    assert _readiness(session, enrolment, DEADLINE).state is Readiness.NEEDS_SUPPORT
    assert _readiness(session, enrolment, DEADLINE + timedelta(days=1)).state is Readiness.OVERDUE


def test_a_withdrawn_completion_no_longer_counts(session):
    enrolment = _enrolment(session)
    session.add(PageView(enrolment_id=enrolment.id, module_id="alpha", page_id="01-first", first_viewed_at=AT))
    _complete(session, enrolment, AT, withdrawn_at=AT + timedelta(days=1), withdrawn_reason="Completed by someone else")
    result = _readiness(session, enrolment)
    assert result.state is Readiness.IN_PROGRESS and result.completed_at is None


def test_only_the_cohorts_asked_for_and_nothing_asked_costs_nothing(session, count_queries):
    mine, other = _enrolment(session), _enrolment(session)
    session.commit()
    assert set(readiness_for_cohorts(session, COURSE, [mine.cohort_id], BEFORE)) == {mine.id}
    assert set(readiness_for_cohorts(session, COURSE, [mine.cohort_id, other.cohort_id], BEFORE)) == {mine.id, other.id}
    with count_queries() as counter:
        assert readiness_for_cohorts(session, COURSE, [], BEFORE) == {}
    assert counter.count == 0
