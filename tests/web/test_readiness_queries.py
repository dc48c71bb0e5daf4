"""Readiness over data the web journeys wrote: every state, per-module results, void attempts, drafts,
and a query count that does not grow with the number of trainees."""

from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from elearn.domain.cohorts.readiness import ModuleResult, Readiness, count_by_state, readiness_for_cohorts
from elearn.domain.cohorts.schedule import today_in_uk
from elearn.models import Attempt, AttemptAnswer, AttemptState, Completion, Enrolment, PageView, Role, User

from ..conftest import FormClient, fresh
from ..factories import PASSWORD, enrol, make_cohort, make_user
from .quiz_helpers import COURSE, answer_all, pass_module, read_module_again, start_quiz, submit

TODAY = today_in_uk()
LIMIT = COURSE.module("alpha").quiz.support_after


# --- factories for this file ---


def _cohort(session, deadline_in_days: int):
    deadline = TODAY + timedelta(days=deadline_in_days)
    return make_cohort(session, starts_on=deadline + timedelta(days=2), deadline_on=deadline)


def _signed_in(app, session, cohort) -> tuple[FormClient, Enrolment]:
    """A trainee on the cohort, in a browser of their own."""
    user = make_user(session)
    enrolment = enrol(session, user, cohort)
    client = FormClient(app.test_client())
    client.sign_in(user.email, PASSWORD)
    return client, enrolment


def _sit(client, session, enrolment_id: int, module_id: str, correct: list[bool] | bool) -> int:
    _read_again_after_a_failure(client, session, enrolment_id, module_id)
    attempt_id = start_quiz(client, enrolment_id, module_id)
    answer_all(client, session, attempt_id, correct)
    assert submit(client, attempt_id).status_code == 303
    return attempt_id


def _read_again_after_a_failure(client, session, enrolment_id: int, module_id: str) -> None:
    """A retake opens once the missed sections are read again; do that just before it, not after the failure."""
    fresh(session)
    failed = session.scalar(
        sa.select(Attempt.id).where(
            Attempt.enrolment_id == enrolment_id, Attempt.module_id == module_id, Attempt.is_passed.is_(False)
        )
    )
    session.rollback()
    if failed is not None:
        read_module_again(client, enrolment_id, module_id)


def _read(client, enrolment_id: int) -> None:
    assert client.get(f"/course/{enrolment_id}/alpha/01-first").status_code == 200


def _complete(client, session, enrolment_id: int) -> None:
    for module in COURSE.published_modules:
        pass_module(client, session, enrolment_id, module.id)


def _readiness(session, *cohorts, today=TODAY):
    fresh(session)
    return readiness_for_cohorts(session, COURSE, [c.id for c in cohorts], today)


def _bulk_enrolments(session, cohort, n: int) -> None:
    """n trainees with a spread of progress, written in one go (no password hashing: speed matters here)."""
    at = datetime(2026, 11, 20, 9, tzinfo=UTC)
    for i in range(n):
        user = User(email=f"bulk-{cohort.id}-{i}@example.org", full_name=f"Bulk {i}", role=Role.TRAINEE)
        session.add(user)
        session.flush()
        enrolment = Enrolment(user_id=user.id, cohort_id=cohort.id)
        session.add(enrolment)
        session.flush()
        session.add(PageView(enrolment_id=enrolment.id, module_id="alpha", page_id="01-first", first_viewed_at=at))
        for number in range(1, i % 4 + 1):
            passed = number == 3
            attempt = Attempt(
                enrolment_id=enrolment.id,
                module_id="alpha",
                number=number,
                state=AttemptState.SUBMITTED,
                content_version="v",
                pass_mark=75,
                draw=[],
                started_at=at,
                submitted_at=at,
                score_percent=100 if passed else 25,
                is_passed=passed,
            )
            session.add(attempt)
            session.flush()
            session.add(
                AttemptAnswer(attempt_id=attempt.id, position=0, question_id="al-q1", selected=["a"], answered_at=at)
            )
        if i % 5 == 0:
            session.add(
                Completion(
                    enrolment_id=enrolment.id,
                    content_version="v",
                    certificate_code=f"Q-{cohort.id}-{i}",
                    completed_at=at,
                )
            )
    session.commit()


# --- tests ---


def test_every_state_from_real_journeys(app, session):
    in_time, past = _cohort(session, deadline_in_days=5), _cohort(session, deadline_in_days=-1)
    _, fresh_one = _signed_in(app, session, in_time)
    reader, reading = _signed_in(app, session, in_time)
    _read(reader, reading.id)
    struggler, struggling = _signed_in(app, session, in_time)
    for _ in range(LIMIT):
        _sit(struggler, session, struggling.id, "alpha", correct=False)
    keen, ready = _signed_in(app, session, in_time)
    _complete(keen, session, ready.id)
    tardy, late = _signed_in(app, session, past)
    _complete(tardy, session, late.id)  # completed today, after yesterday's deadline
    idle, overdue = _signed_in(app, session, past)
    _read(idle, overdue.id)
    elsewhere = _cohort(session, deadline_in_days=5)
    _, not_asked = _signed_in(app, session, elsewhere)

    result = _readiness(session, in_time, past)
    assert {e.id: result[e.id].state for e in (fresh_one, reading, struggling, ready, late, overdue)} == {
        fresh_one.id: Readiness.NOT_STARTED,
        reading.id: Readiness.IN_PROGRESS,
        struggling.id: Readiness.NEEDS_SUPPORT,
        ready.id: Readiness.READY,
        late.id: Readiness.LATE,
        overdue.id: Readiness.OVERDUE,
    }
    assert not_asked.id not in result
    assert count_by_state(result.values()) == dict.fromkeys(Readiness, 1)
    completion_at = session.scalar(sa.select(Completion.completed_at).where(Completion.enrolment_id == ready.id))
    assert result[ready.id].completed_at == completion_at
    assert result[ready.id].cohort_id == in_time.id and result[late.id].cohort_id == past.id
    assert result[reading.id].last_activity_at is not None and result[fresh_one.id].last_activity_at is None


def test_the_same_facts_become_overdue_when_today_passes_the_deadline(app, session):
    cohort = _cohort(session, deadline_in_days=3)
    client, enrolment = _signed_in(app, session, cohort)
    for _ in range(LIMIT):
        _sit(client, session, enrolment.id, "alpha", correct=False)
    deadline = cohort.deadline_on
    assert _readiness(session, cohort, today=deadline)[enrolment.id].state is Readiness.NEEDS_SUPPORT
    assert _readiness(session, cohort, today=deadline + timedelta(days=1))[enrolment.id].state is Readiness.OVERDUE


def test_best_score_and_attempts_per_published_module(app, session):
    cohort = _cohort(session, deadline_in_days=5)
    client, enrolment = _signed_in(app, session, cohort)
    _sit(client, session, enrolment.id, "alpha", correct=[True, True, False, False])  # 50%
    _sit(client, session, enrolment.id, "alpha", correct=[True, False, False, False])  # 25%
    passing = _sit(client, session, enrolment.id, "alpha", correct=[True, True, True, False])  # 75%: a pass
    _sit(client, session, enrolment.id, "beta", correct=False)
    _read_again_after_a_failure(client, session, enrolment.id, "beta")
    start_quiz(client, enrolment.id, "beta")  # open, not submitted: not an attempt yet

    result = _readiness(session, cohort)[enrolment.id]
    passed_at = session.get(Attempt, passing).submitted_at
    assert set(result.modules) == {"alpha", "beta"}  # the draft module gamma is left out
    assert result.modules["alpha"] == ModuleResult("alpha", 75, 3, passed_at, 2)
    assert result.modules["beta"] == ModuleResult("beta", 0, 1, None, 1)
    assert result.state is Readiness.IN_PROGRESS
    beta_submitted = session.scalar(
        sa.select(sa.func.max(Attempt.submitted_at)).where(
            Attempt.enrolment_id == enrolment.id, Attempt.module_id == "beta"
        )
    )
    read_again = session.scalar(sa.select(sa.func.max(PageView.first_viewed_at)).where(PageView.module_id == "beta"))
    assert result.last_activity_at == max(beta_submitted, read_again)  # the pages read again before the retake


def test_void_attempts_are_ignored(app, session):
    cohort = _cohort(session, deadline_in_days=5)
    client, enrolment = _signed_in(app, session, cohort)
    for _ in range(LIMIT - 1):
        _sit(client, session, enrolment.id, "alpha", correct=False)
    _read_again_after_a_failure(client, session, enrolment.id, "alpha")
    cut_short = start_quiz(client, enrolment.id, "alpha")
    answer_all(client, session, cut_short, correct=False)
    # The content changes under the open attempt (a drawn question is gone), so the next start voids it.
    attempt = session.get(Attempt, cut_short)
    attempt.draw = [{**attempt.draw[0], "question": "al-q-removed"}, *attempt.draw[1:]]
    session.commit()
    replacement = start_quiz(client, enrolment.id, "alpha")
    fresh(session)
    assert replacement != cut_short and session.get(Attempt, cut_short).state is AttemptState.VOID

    result = _readiness(session, cohort)[enrolment.id]
    alpha = result.modules["alpha"]
    assert (alpha.attempts, alpha.failed_attempts, alpha.best_score) == (LIMIT - 1, LIMIT - 1, 0)
    assert result.state is Readiness.IN_PROGRESS
    last_submission = session.scalar(
        sa.select(sa.func.max(Attempt.submitted_at)).where(Attempt.enrolment_id == enrolment.id)
    )
    assert result.last_activity_at == last_submission  # the void attempt's later answers do not count


def test_query_count_does_not_grow_with_enrolments(app, session, count_queries):
    def statements_for(n: int) -> int:
        cohort, neighbour = _cohort(session, deadline_in_days=5), _cohort(session, deadline_in_days=-1)
        _bulk_enrolments(session, cohort, n)
        _bulk_enrolments(session, neighbour, n)
        cohort_ids = [cohort.id, neighbour.id]
        fresh(session)  # after this, reading cohort.id would itself be a query
        with count_queries() as counter:
            result = readiness_for_cohorts(session, COURSE, cohort_ids, TODAY)
        assert len(result) == 2 * n
        assert sum(count_by_state(result.values()).values()) == 2 * n
        return counter.count

    assert statements_for(5) == statements_for(50) == 2
