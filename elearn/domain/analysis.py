"""Quiz analysis for trainers: per question facility, commonest wrong answer and discrimination."""
from collections import Counter, defaultdict
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ..content import Course
from ..models import Attempt, AttemptAnswer, AttemptState, Enrolment

MIN_FOR_DISCRIMINATION = 10
GROUP_SHARE = 0.27  # Kelley's upper and lower 27% groups


@dataclass(frozen=True)
class OptionShare:
    option_id: str
    text: str
    feedback: str
    chosen: int
    share: float  # of the times the question was seen


@dataclass(frozen=True)
class QuestionStats:
    module_id: str
    question_id: str
    outcome_id: str
    prompt: str
    seen: int
    correct: int
    facility: float | None
    top_wrong: OptionShare | None
    discrimination: float | None
    see_page: str
    see_anchor: str | None


@dataclass(frozen=True)
class OutcomeStats:
    module_id: str
    outcome_id: str
    text: str
    seen: int
    correct: int
    facility: float | None


@dataclass(frozen=True)
class Analysis:
    questions: list[QuestionStats]
    outcomes: list[OutcomeStats]
    attempts: int


def analyse(session: Session, course: Course, cohort_ids: list[int] | None) -> Analysis:
    """All submitted answers of these cohorts (None: every cohort), in one query."""
    query = (
        sa.select(AttemptAnswer.question_id, AttemptAnswer.selected, AttemptAnswer.is_correct,
                  Attempt.id.label("attempt_id"), Attempt.score_percent)
        .join(Attempt, AttemptAnswer.attempt_id == Attempt.id)
        .where(Attempt.state == AttemptState.SUBMITTED)
    )
    if cohort_ids is not None:
        query = query.join(Enrolment, Attempt.enrolment_id == Enrolment.id).where(Enrolment.cohort_id.in_(cohort_ids))
    by_question: dict[str, list] = defaultdict(list)
    attempt_ids = set()
    for row in session.execute(query):
        by_question[row.question_id].append(row)
        attempt_ids.add(row.attempt_id)

    questions, outcomes = [], []
    for module in course.published_modules:
        module_stats = []
        for question in module.quiz.questions:
            rows = by_question.get(question.id, [])
            module_stats.append(_question_stats(module.id, question, rows))
        module_stats.sort(key=lambda s: (s.facility is None, s.facility or 0.0))
        questions.extend(module_stats)
        for outcome in module.outcomes:
            mine = [s for s in module_stats if s.outcome_id == outcome.id]
            seen, correct = sum(s.seen for s in mine), sum(s.correct for s in mine)
            outcomes.append(OutcomeStats(module.id, outcome.id, outcome.text, seen, correct, correct / seen if seen else None))
    return Analysis(questions, outcomes, len(attempt_ids))


def _question_stats(module_id: str, question, rows: list) -> QuestionStats:
    seen = len(rows)
    correct = sum(bool(r.is_correct) for r in rows)
    chosen = Counter(option for r in rows for option in (r.selected or []))
    wrong = [o for o in question.options if not o.is_correct and chosen[o.id]]
    top = max(wrong, key=lambda o: chosen[o.id], default=None)  # ties: the first in bank order
    return QuestionStats(
        module_id=module_id, question_id=question.id, outcome_id=question.outcome_id, prompt=question.prompt,
        seen=seen, correct=correct, facility=correct / seen if seen else None,
        top_wrong=top and OptionShare(top.id, top.text, top.feedback, chosen[top.id], chosen[top.id] / seen),
        discrimination=discrimination([(r.score_percent or 0, bool(r.is_correct)) for r in rows]),
        see_page=question.see_page, see_anchor=question.see_anchor,
    )


def discrimination(results: list[tuple[int, bool]]) -> float | None:
    """Upper minus lower group's share correct, ranking attempts by their score; None if too few."""
    if len(results) < MIN_FOR_DISCRIMINATION:
        return None
    ranked = sorted(results, key=lambda r: r[0])
    size = max(1, round(len(ranked) * GROUP_SHARE))
    lower, upper = ranked[:size], ranked[-size:]
    return round(sum(c for _, c in upper) / size - sum(c for _, c in lower) / size, 2)
