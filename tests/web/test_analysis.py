"""Quiz analysis and the briefing's hardest outcomes: the numbers, the filters and a constant number of queries."""

from datetime import UTC, datetime
from itertools import count

import pytest

from elearn.content import load_course
from elearn.domain.evidence.analysis import Analysis, OutcomeStats, QuestionStats, analyse, discrimination
from elearn.domain.evidence.briefing import hardest_outcomes
from elearn.models import Attempt, AttemptAnswer, AttemptState, Enrolment, Role, User

from ..conftest import FIXTURE_CONTENT
from ..factories import enrol, make_cohort, make_user

COURSE = load_course(FIXTURE_CONTENT)
WHEN = datetime(2026, 11, 25, 10, tzinfo=UTC)
_number = count(1)


def _sit(session, enrolment, answers, score=None, module_id="alpha", state=AttemptState.SUBMITTED):
    """One attempt with its answers: answers is {question_id: (selected option ids, is_correct)}."""
    submitted = state is AttemptState.SUBMITTED
    attempt = Attempt(
        enrolment_id=enrolment.id,
        module_id=module_id,
        number=next(_number),
        state=state,
        content_version="v",
        pass_mark=75,
        draw=[{"question": q, "options": []} for q in answers],
        started_at=WHEN,
        submitted_at=WHEN if submitted else None,
        score_percent=score if submitted else None,
        is_passed=(score or 0) >= 75 if submitted else None,
    )
    session.add(attempt)
    session.flush()
    session.add_all(
        AttemptAnswer(
            attempt_id=attempt.id,
            position=i,
            question_id=q,
            selected=selected,
            answered_at=WHEN,
            is_correct=right if submitted else None,
            correct_options=["a"] if submitted else None,
        )
        for i, (q, (selected, right)) in enumerate(answers.items())
    )
    return attempt


def _question(result, question_id) -> QuestionStats:
    return next(q for q in result.questions if q.question_id == question_id)


def _outcome(result, outcome_id) -> OutcomeStats:
    return next(o for o in result.outcomes if o.outcome_id == outcome_id)


def test_facility_top_wrong_and_outcomes(session):
    cohort = make_cohort(session)
    people = [enrol(session, make_user(session), cohort) for _ in range(4)]
    picks = [("a", True), ("b", False), ("c", False), ("c", False)]  # al-q1: 1 of 4 right, c chosen twice
    for enrolment, (option, right) in zip(people, picks, strict=True):
        _sit(session, enrolment, {"al-q1": ([option], right), "al-q5": (["a"], True)}, score=50)
        _sit(session, enrolment, {"be-q1": (["a"], True)}, score=100, module_id="beta")
    session.commit()
    result = analyse(session, COURSE, [cohort.id])

    q1 = _question(result, "al-q1")
    assert (q1.seen, q1.correct, q1.facility) == (4, 1, 0.25)
    assert (q1.top_wrong.option_id, q1.top_wrong.chosen, q1.top_wrong.share) == ("c", 2, 0.5)
    assert q1.top_wrong.text == "Wrong answer C al-q1" and q1.top_wrong.feedback == "No C for al-q1."
    assert (q1.see_page, q1.see_anchor, q1.outcome_id) == ("01-first", "absolute-rights", "al-1")
    assert q1.discrimination is None  # fewer than 10 answers
    assert _question(result, "al-q5").top_wrong is None
    assert _outcome(result, "al-1").facility == 0.25 and _outcome(result, "al-2").facility == 1.0
    assert (_outcome(result, "be-1").seen, _outcome(result, "be-1").correct) == (4, 4)
    assert result.attempts == 8
    # Course order by module, hardest first within it, never-seen questions last; the draft module is left out.
    alpha = [q.question_id for q in result.questions if q.module_id == "alpha"]
    assert alpha[:2] == ["al-q1", "al-q5"] and all(_question(result, q).facility is None for q in alpha[2:])
    assert [q.module_id for q in result.questions] == sorted(q.module_id for q in result.questions)
    assert {q.module_id for q in result.questions} == {"alpha", "beta"}
    assert [o.outcome_id for o in result.outcomes] == ["al-1", "al-2", "be-1"]


def test_top_wrong_ties_go_to_the_first_option_in_the_bank(session):
    cohort = make_cohort(session)
    for option in ("c", "b"):
        _sit(session, enrol(session, make_user(session), cohort), {"al-q1": ([option], False)}, score=0)
    session.commit()
    assert _question(analyse(session, COURSE, [cohort.id]), "al-q1").top_wrong.option_id == "b"


def test_discrimination(session):
    cohort = make_cohort(session)
    people = [enrol(session, make_user(session), cohort) for _ in range(10)]
    for rank, enrolment in enumerate(people):  # scores 0..90: the top half right, the bottom half wrong
        right = rank >= 5
        _sit(session, enrolment, {"al-q1": (["a" if right else "b"], right), "al-q5": (["a"], True)}, score=rank * 10)
    session.commit()
    result = analyse(session, COURSE, [cohort.id])
    assert _question(result, "al-q1").discrimination == 1.0  # top 3 all right, bottom 3 all wrong
    assert _question(result, "al-q5").discrimination == 0.0  # everyone right: it tells nobody apart
    # Nine answers are too few.
    _sit(session, people[0], {"al-q2": (["a", "b"], True)}, score=10)
    session.commit()
    assert _question(analyse(session, COURSE, [cohort.id]), "al-q2").discrimination is None


def test_discrimination_is_negative_when_the_strong_get_it_wrong(session):
    cohort = make_cohort(session)
    for rank in range(11):  # 11 * 0.27 rounds to 3 per group
        right = rank in (0, 1, 2, 5)
        _sit(
            session,
            enrol(session, make_user(session), cohort),
            {"al-q1": (["a" if right else "b"], right)},
            score=rank * 9,
        )
    session.commit()
    assert _question(analyse(session, COURSE, [cohort.id]), "al-q1").discrimination == pytest.approx(-1.0)


def test_only_submitted_attempts_count(session):
    cohort = make_cohort(session)
    enrolment = enrol(session, make_user(session), cohort)
    _sit(session, enrolment, {"al-q1": (["a"], True)}, score=100)
    _sit(session, enrolment, {"al-q1": (["b"], False)}, state=AttemptState.VOID)
    _sit(session, enrolment, {"al-q1": (["c"], False)}, state=AttemptState.OPEN)
    session.commit()
    result = analyse(session, COURSE, [cohort.id])
    q1 = _question(result, "al-q1")
    assert (q1.seen, q1.correct, q1.top_wrong, result.attempts) == (1, 1, None, 1)


def test_cohort_filter_and_all_cohorts(session):
    first, second = make_cohort(session), make_cohort(session)
    _sit(session, enrol(session, make_user(session), first), {"al-q1": (["a"], True)}, score=100)
    _sit(session, enrol(session, make_user(session), second), {"al-q1": (["b"], False)}, score=0)
    session.commit()
    assert _question(analyse(session, COURSE, [first.id]), "al-q1").facility == 1.0
    assert _question(analyse(session, COURSE, [second.id]), "al-q1").facility == 0.0
    everyone = analyse(session, COURSE, None)
    assert _question(everyone, "al-q1").facility == 0.5 and everyone.attempts == 2
    nobody = analyse(session, COURSE, [])
    assert nobody.attempts == 0 and all(q.seen == 0 and q.facility is None for q in nobody.questions)


def test_query_count_does_not_grow_with_trainees(session, count_queries):
    def run(n: int) -> int:
        cohort = make_cohort(session)
        users = [
            User(email=f"bulk-{cohort.id}-{i}@example.org", full_name=f"Bulk {i}", role=Role.TRAINEE) for i in range(n)
        ]
        session.add_all(users)
        session.flush()
        enrolments = [Enrolment(user_id=u.id, cohort_id=cohort.id) for u in users]
        session.add_all(enrolments)
        session.flush()
        attempts = [
            Attempt(
                enrolment_id=e.id,
                module_id="alpha",
                number=1,
                state=AttemptState.SUBMITTED,
                content_version="v",
                pass_mark=75,
                draw=[],
                started_at=WHEN,
                submitted_at=WHEN,
                score_percent=i % 101,
                is_passed=i % 101 >= 75,
            )
            for i, e in enumerate(enrolments)
        ]
        session.add_all(attempts)
        session.flush()
        session.add_all(
            AttemptAnswer(
                attempt_id=a.id,
                position=p,
                question_id=q,
                selected=["a" if i % 3 else "b"],
                answered_at=WHEN,
                is_correct=bool(i % 3),
                correct_options=["a"],
            )
            for i, a in enumerate(attempts)
            for p, q in enumerate(("al-q1", "al-q5"))
        )
        session.commit()
        with count_queries() as counter:
            result = analyse(session, COURSE, [cohort.id])
        assert result.attempts == n and _question(result, "al-q1").seen == n
        # The database ranks and groups as the rule does, ties (equal scores) in attempt order included.
        ranked = [(a.score_percent, bool(i % 3)) for i, a in enumerate(attempts)]
        assert _question(result, "al-q1").discrimination == pytest.approx(discrimination(ranked))
        return counter.count

    small, large = run(5), run(500)
    # Choices counted by the database; answers ranked for discrimination in one sorted statement.
    assert small == large == 2


def _outcomes(*facilities) -> Analysis:
    outcomes = [
        OutcomeStats("m", f"o{i}", f"Outcome {i}", 0 if f is None else 10, 0, f, 80) for i, f in enumerate(facilities)
    ]
    questions = [
        QuestionStats("m", f"q{i}", f"o{i}", "?", 10, 0, f, None, None, "p", None)
        for i, f in enumerate(facilities)
        if f is not None
    ]
    return Analysis(questions, outcomes, 10)


def _ids(hard) -> list[str]:
    return [h.outcome.outcome_id for h in hard]


def test_hardest_outcomes_min_and_limit():
    # Two below 0.8, but at least three are shown, hardest first; unanswered outcomes never are.
    assert _ids(hardest_outcomes(_outcomes(0.9, 0.5, None, 0.95, 0.7))) == ["o1", "o4", "o0"]
    # Seven below 0.8: at most five.
    assert _ids(hardest_outcomes(_outcomes(*[0.1 * i for i in range(7)]))) == ["o0", "o1", "o2", "o3", "o4"]
    # Four below 0.8: all four, between the minimum and the limit.
    assert _ids(hardest_outcomes(_outcomes(0.7, 0.9, 0.2, 0.3, 0.79, 1.0))) == ["o2", "o3", "o0", "o4"]
    # Fewer answered than the minimum: just those.
    assert _ids(hardest_outcomes(_outcomes(0.95, None, None))) == ["o0"]
    assert _ids(hardest_outcomes(_outcomes(0.5, 0.6, 0.7), limit=2, minimum=1)) == ["o0", "o1"]
    assert hardest_outcomes(_outcomes(None, None)) == []


def test_hardest_outcomes_carry_their_questions_hardest_first(session):
    cohort = make_cohort(session)
    for right in (True, False):
        _sit(
            session,
            enrol(session, make_user(session), cohort),
            {"al-q1": (["b"], False), "al-q2": (["a", "b"] if right else ["c"], right), "al-q5": (["a"], True)},
            score=50,
        )
    session.commit()
    hard = hardest_outcomes(analyse(session, COURSE, [cohort.id]))
    assert _ids(hard) == ["al-1", "al-2"]  # be-1 has no answers
    assert [q.question_id for q in hard[0].questions][:2] == ["al-q1", "al-q2"]
    assert all(q.outcome_id == "al-1" for q in hard[0].questions)
