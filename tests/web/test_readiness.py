"""Readiness per enrolment: every state, the rules between them, and a constant number of queries."""

from datetime import UTC, date, datetime, timedelta

from elearn.content import load_course
from elearn.domain.cohorts.readiness import Readiness, count_by_state, readiness_for_cohorts
from elearn.models import Attempt, AttemptState, Completion, PageView

from ..conftest import FIXTURE_CONTENT
from ..factories import enrol, make_cohort, make_user

COURSE = load_course(FIXTURE_CONTENT)
TODAY = date(2026, 12, 1)


def _attempt(session, enrolment, module_id, number, passed, score, state=AttemptState.SUBMITTED, when=None):
    when = when or datetime(2026, 11, 25, 10, tzinfo=UTC)
    session.add(
        Attempt(
            enrolment_id=enrolment.id,
            module_id=module_id,
            number=number,
            state=state,
            content_version="v",
            pass_mark=75,
            draw=[],
            started_at=when,
            submitted_at=when if state is AttemptState.SUBMITTED else None,
            score_percent=score,
            is_passed=passed if state is AttemptState.SUBMITTED else None,
        )
    )


def _cohort(session, deadline: date):
    return make_cohort(session, starts_on=deadline + timedelta(days=2), deadline_on=deadline)


def test_every_state(session):
    cohort = _cohort(session, deadline=date(2026, 12, 5))
    people = {
        name: enrol(session, make_user(session), cohort)
        for name in ("fresh", "reading", "struggling", "ready", "late_done")
    }
    session.add(PageView(enrolment_id=people["reading"].id, module_id="alpha", page_id="01-first"))
    for n in (1, 2, 3):
        _attempt(session, people["struggling"], "alpha", n, passed=False, score=25)
    _attempt(session, people["ready"], "alpha", 1, passed=True, score=100)
    session.add(
        Completion(
            enrolment_id=people["ready"].id,
            content_version="v",
            certificate_code="A",
            completed_at=datetime(2026, 12, 5, 23, 30, tzinfo=UTC),
        )
    )  # 23:30 UTC on the deadline day
    session.add(
        Completion(
            enrolment_id=people["late_done"].id,
            content_version="v",
            certificate_code="B",
            completed_at=datetime(2026, 12, 6, 0, 30, tzinfo=UTC),
        )
    )  # in winter, UK time = UTC
    session.commit()
    result = readiness_for_cohorts(session, COURSE, [cohort.id], TODAY)
    states = {name: result[e.id].state for name, e in people.items()}
    assert states == {
        "fresh": Readiness.NOT_STARTED,
        "reading": Readiness.IN_PROGRESS,
        "struggling": Readiness.NEEDS_SUPPORT,
        "ready": Readiness.READY,
        "late_done": Readiness.LATE,
    }
    counts = count_by_state(result.values())
    assert counts[Readiness.OVERDUE] == 0 and sum(counts.values()) == 5


def test_overdue_after_the_deadline_and_support_ends_with_a_pass(session):
    past = _cohort(session, deadline=date(2026, 11, 30))
    overdue = enrol(session, make_user(session), past)
    current = _cohort(session, deadline=date(2026, 12, 9))
    recovered = enrol(session, make_user(session), current)
    for n in (1, 2, 3):
        _attempt(session, recovered, "alpha", n, passed=False, score=50)
    _attempt(session, recovered, "alpha", 4, passed=True, score=75)
    _attempt(session, recovered, "beta", 1, passed=False, score=0, state=AttemptState.VOID)
    session.commit()
    result = readiness_for_cohorts(session, COURSE, [past.id, current.id], TODAY)
    assert result[overdue.id].state is Readiness.OVERDUE
    assert result[recovered.id].state is Readiness.IN_PROGRESS
    alpha = result[recovered.id].modules["alpha"]
    assert (alpha.best_score, alpha.attempts, alpha.failed_attempts) == (75, 4, 3) and alpha.passed_at is not None
    assert result[recovered.id].modules["beta"].attempts == 0  # void attempts do not count
    assert set(result[recovered.id].modules) == {"alpha", "beta"}  # the draft module is left out
    assert result[recovered.id].last_activity_at == datetime(2026, 11, 25, 10, tzinfo=UTC)


def test_query_count_does_not_grow_with_trainees(session, count_queries):
    def run(n: int) -> int:
        cohort = _cohort(session, deadline=date(2026, 12, 9))
        for i in range(n):
            enrolment = enrol(session, make_user(session), cohort)
            _attempt(session, enrolment, "alpha", 1, passed=i % 2 == 0, score=50 + i % 50)
            session.add(PageView(enrolment_id=enrolment.id, module_id="alpha", page_id="01-first"))
        session.commit()
        with count_queries() as counter:
            result = readiness_for_cohorts(session, COURSE, [cohort.id], TODAY)
        assert len(result) == n
        return counter.count

    assert run(5) == run(50)
