"""Pure rules: drawing, grading, gating, certificate codes, passwords, dates. No app, no database."""

import random
from datetime import date

import pytest

from elearn.content import load_course
from elearn.domain.cohorts.schedule import days_left_text, default_deadline
from elearn.domain.errors import InvalidAnswer, QuizLocked, WeakPassword
from elearn.domain.evidence.certificates import new_certificate_code
from elearn.domain.learning.drawing import DrawnQuestion, draw_quiz
from elearn.domain.learning.gating import ModuleState, is_course_complete, module_states, require_quiz_open
from elearn.domain.learning.grading import grade, mark, validate_selection
from elearn.domain.people.passwords import check_password_rules, hash_password, verify_password

from ..conftest import FIXTURE_CONTENT

COURSE = load_course(FIXTURE_CONTENT)
ALPHA = COURSE.module("alpha")


def test_draw_takes_per_outcome_and_shuffles_options():
    drawn = draw_quiz(ALPHA, rng=random.Random(1))
    outcomes = [ALPHA.quiz.question(d.question_id).outcome_id for d in drawn]
    assert sorted(outcomes) == ["al-1", "al-1", "al-2", "al-2"]
    for d in drawn:
        question = ALPHA.quiz.question(d.question_id)
        assert sorted(d.option_ids) == sorted(o.id for o in question.options)
        if question.type == "true_false":
            assert d.option_ids == ("true", "false")
    orders = {draw_quiz(ALPHA, rng=random.Random(seed))[0].option_ids for seed in range(30)}
    assert len(orders) > 1


def test_draw_avoids_previous_questions_where_the_bank_allows():
    for seed in range(20):
        first = draw_quiz(ALPHA, rng=random.Random(seed))
        seen = frozenset(d.question_id for d in first)
        second = draw_quiz(ALPHA, avoid=seen, rng=random.Random(seed + 100))
        assert not seen & {d.question_id for d in second}


def test_draw_reuses_questions_when_the_bank_is_too_small():
    everything = frozenset(q.id for q in ALPHA.quiz.questions)
    assert len(draw_quiz(ALPHA, avoid=everything, rng=random.Random(3))) == 4


def _draw(*ids):
    return [DrawnQuestion(i, tuple(o.id for o in ALPHA.quiz.question(i).options)) for i in ids]


def test_marking_needs_the_exact_set_of_correct_options():
    single, multiple, true_false = (ALPHA.quiz.question(i) for i in ("al-q1", "al-q2", "al-q3"))
    assert mark(single, frozenset({"a"})) and not mark(single, frozenset({"b"}))
    assert mark(multiple, frozenset({"a", "b"}))
    assert not mark(multiple, frozenset({"a"})) and not mark(multiple, frozenset({"a", "b", "c"}))
    assert mark(true_false, frozenset({"true"})) and not mark(true_false, frozenset({"false"}))


def test_grade_scores_rounds_down_and_compares_exactly_with_the_pass_mark():
    draw = _draw("al-q1", "al-q4", "al-q5", "al-q8")
    three_right = {0: frozenset({"a"}), 1: frozenset({"a"}), 2: frozenset({"a"}), 3: frozenset({"b"})}
    result = grade(ALPHA.quiz, draw, three_right, pass_mark=75)
    assert (result.correct_count, result.score_percent, result.is_passed) == (3, 75, True)
    assert grade(ALPHA.quiz, draw, three_right, pass_mark=76).is_passed is False
    two_of_three = grade(ALPHA.quiz, draw[:3], {0: frozenset({"a"}), 1: frozenset({"a"})}, pass_mark=67)
    assert two_of_three.score_percent == 66 and two_of_three.is_passed is False  # 66.67% < 67%
    unanswered = grade(ALPHA.quiz, draw, {}, pass_mark=80)
    assert unanswered.correct_count == 0 and not any(m.is_correct for m in unanswered.marked)


def test_selection_validation():
    single = ALPHA.quiz.question("al-q1")
    drawn = _draw("al-q1")[0]
    assert validate_selection(single, drawn, ["b"]) == frozenset({"b"})
    for bad, message in (
        ([], "Select one answer"),
        (["x"], "Select from the answers shown"),
        (["a", "b"], "Select one answer"),
        (["a", "a"], "only once"),
    ):
        with pytest.raises(InvalidAnswer, match=message):
            validate_selection(single, drawn, bad)
    multiple = ALPHA.quiz.question("al-q2")
    with pytest.raises(InvalidAnswer, match="at least one"):
        validate_selection(multiple, _draw("al-q2")[0], [])


def test_gating_unlocks_in_order_and_passed_stays_passed():
    modules = COURSE.published_modules
    states = [s.state for s in module_states(modules, passed=set(), started=set())]
    assert states == [ModuleState.AVAILABLE, ModuleState.LOCKED]
    states = [s.state for s in module_states(modules, passed=set(), started={"alpha", "beta"})]
    assert states == [ModuleState.IN_PROGRESS, ModuleState.LOCKED]
    statuses = module_states(modules, passed={"alpha"}, started={"alpha"})
    assert [s.state for s in statuses] == [ModuleState.PASSED, ModuleState.AVAILABLE]
    with pytest.raises(QuizLocked, match="already passed"):
        require_quiz_open(statuses[0])
    assert not is_course_complete(statuses)
    assert is_course_complete(module_states(modules, passed={"alpha", "beta"}, started=set()))


def test_locked_module_refuses_a_quiz():
    status = module_states(COURSE.published_modules, set(), set())[1]
    with pytest.raises(QuizLocked, match="Pass the previous module"):
        require_quiz_open(status)


def test_certificate_codes_are_long_random_and_readable():
    codes = {new_certificate_code() for _ in range(2000)}
    assert len(codes) == 2000
    assert all(len(c) == 19 and c.count("-") == 3 and not set(c) & set("01OIL") for c in codes)


def test_password_rules_and_hashing():
    with pytest.raises(WeakPassword, match="8 characters"):
        check_password_rules("short", 8)
    with pytest.raises(WeakPassword, match="too common"):
        check_password_rules("password1", 8)
    check_password_rules("a walk by the river", 15)
    hashed = hash_password("a walk by the river")
    assert hashed.startswith("$argon2id$") and "m=19456,t=2,p=1" in hashed
    assert verify_password(hashed, "a walk by the river") and not verify_password(hashed, "wrong")
    assert not verify_password(None, "anything")


def test_deadline_words():
    assert default_deadline(date(2026, 12, 10), 2) == date(2026, 12, 8)
    today = date(2026, 12, 1)
    assert days_left_text(date(2026, 12, 8), today) == "7 days left"
    assert days_left_text(date(2026, 12, 2), today) == "1 day left"
    assert days_left_text(today, today) == "Due today"
    assert days_left_text(date(2026, 11, 30), today) == "Deadline passed 1 day ago"
    assert days_left_text(date(2026, 11, 28), today) == "Deadline passed 3 days ago"
