"""Quiz analysis for trainers: per question facility, commonest wrong answer and discrimination."""

from collections import Counter, defaultdict
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ...content import Course, Question
from ...models import Attempt, AttemptAnswer, AttemptState, Enrolment

MIN_FOR_DISCRIMINATION = 10
GROUP_SHARE = 0.27  # Kelley's upper and lower 27% groups


@dataclass(frozen=True)
class OptionShare:
    option_id: str
    text: str
    feedback: str
    chosen: int
    share: float  # of the times the question was seen, 0..1


@dataclass(frozen=True)
class QuestionStats:
    module_id: str
    question_id: str
    outcome_id: str
    prompt: str
    seen: int
    correct: int
    facility: float | None  # correct / seen; None if never seen
    top_wrong: OptionShare | None  # the most chosen wrong option (ties: the first in the bank)
    discrimination: float | None  # None below MIN_FOR_DISCRIMINATION answers
    see_page: str
    see_anchor: str | None
    sure: int = 0  # answers given with "I'm sure"
    sure_wrong: int = 0  # ... that were wrong: a confident misconception, worth time on the day

    @property
    def sure_share(self) -> float | None:
        """Of the answers, how many were given with "I'm sure"."""
        return _ratio(self.sure, self.seen)


@dataclass(frozen=True)
class OutcomeStats:
    module_id: str
    outcome_id: str
    text: str
    seen: int
    correct: int
    facility: float | None
    pass_mark: int  # the module quiz's pass mark (percent): below it, the outcome is worth time on the day
    sure_wrong: int = 0


@dataclass(frozen=True)
class Analysis:
    questions: list[QuestionStats]  # by module position, then hardest first (never seen last)
    outcomes: list[OutcomeStats]  # in course order
    attempts: int  # submitted attempts analysed


@dataclass(frozen=True)
class _Answer:
    attempt_id: int
    score: int
    selected: tuple[str, ...]
    is_correct: bool
    confident: bool | None = None


def analyse(session: Session, course: Course, cohort_ids: list[int] | None) -> Analysis:
    """Every submitted answer of these cohorts (None: every cohort) to the current course, in one query."""
    published = course.published_modules
    by_question = _answers(session, [m.id for m in published], cohort_ids)
    questions, outcomes, attempt_ids = [], [], set()
    for module in published:
        module_stats = []
        for question in module.quiz.questions:
            answers = by_question.get(question.id, [])
            attempt_ids.update(a.attempt_id for a in answers)
            module_stats.append(_question_stats(module.id, question, answers))
        module_stats.sort(key=lambda s: (s.facility is None, s.facility or 0.0))
        questions.extend(module_stats)
        for outcome in module.outcomes:
            mine = [s for s in module_stats if s.outcome_id == outcome.id]
            seen, correct = sum(s.seen for s in mine), sum(s.correct for s in mine)
            outcomes.append(
                OutcomeStats(
                    module.id,
                    outcome.id,
                    outcome.text,
                    seen,
                    correct,
                    _ratio(correct, seen),
                    module.quiz.pass_mark,
                    sum(s.sure_wrong for s in mine),
                )
            )
    return Analysis(questions, outcomes, len(attempt_ids))


def _answers(session: Session, module_ids: list[str], cohort_ids: list[int] | None) -> dict[str, list[_Answer]]:
    """Answer rows of submitted attempts, grouped by question id. One statement."""
    if not module_ids or cohort_ids == []:
        return {}
    query = (
        sa.select(
            AttemptAnswer.question_id,
            AttemptAnswer.selected,
            AttemptAnswer.is_correct,
            AttemptAnswer.confident,
            Attempt.id,
            Attempt.score_percent,
        )
        .join(Attempt, AttemptAnswer.attempt_id == Attempt.id)
        .where(Attempt.state == AttemptState.SUBMITTED, Attempt.module_id.in_(module_ids))
        .order_by(Attempt.id, AttemptAnswer.position)  # a stable order, so ties rank the same every time
    )
    if cohort_ids is not None:
        query = query.join(Enrolment, Attempt.enrolment_id == Enrolment.id).where(Enrolment.cohort_id.in_(cohort_ids))
    grouped: dict[str, list[_Answer]] = defaultdict(list)
    for question_id, selected, is_correct, confident, attempt_id, score in session.execute(query):
        grouped[question_id].append(_Answer(attempt_id, score or 0, tuple(selected or ()), bool(is_correct), confident))
    return grouped


def _question_stats(module_id: str, question: Question, answers: list[_Answer]) -> QuestionStats:
    seen = len(answers)
    correct = sum(a.is_correct for a in answers)
    chosen = Counter(option for a in answers for option in a.selected)
    wrong = [o for o in question.options if not o.is_correct and chosen[o.id]]
    top = max(wrong, key=lambda o: chosen[o.id], default=None)  # max keeps the first of equals: bank order
    return QuestionStats(
        module_id=module_id,
        question_id=question.id,
        outcome_id=question.outcome_id,
        prompt=question.prompt,
        seen=seen,
        correct=correct,
        facility=_ratio(correct, seen),
        top_wrong=OptionShare(top.id, top.text, top.feedback, chosen[top.id], chosen[top.id] / seen) if top else None,
        discrimination=discrimination([(a.score, a.is_correct) for a in answers]),
        see_page=question.see_page,
        see_anchor=question.see_anchor,
        sure=sum(a.confident is True for a in answers),
        sure_wrong=sum(a.confident is True and not a.is_correct for a in answers),
    )


def discrimination(results: list[tuple[int, bool]]) -> float | None:
    """Upper minus lower group's share correct, ranking attempts by their score; None if too few.

    results: (the attempt's score_percent, whether this question was right), one per attempt.
    """
    if len(results) < MIN_FOR_DISCRIMINATION:
        return None
    ranked = sorted(results, key=lambda r: r[0])  # stable: equal scores keep the query's order
    size = max(1, round(len(ranked) * GROUP_SHARE))
    lower, upper = ranked[:size], ranked[-size:]
    return sum(c for _, c in upper) / size - sum(c for _, c in lower) / size


def _ratio(part: int, whole: int) -> float | None:
    return part / whole if whole else None


# Score bands for the distribution chart; the pass mark (80% by default) starts a band.
SCORE_BANDS = ((0, 49), (50, 69), (70, 79), (80, 89), (90, 100))


def score_bands(session: Session, cohort_ids: list[int] | None) -> dict[str, list[int]]:
    """How many submitted attempts of each module scored in each SCORE_BANDS band. One grouped statement."""
    if cohort_ids == []:
        return {}
    band = sa.case(*((Attempt.score_percent.between(low, high), i) for i, (low, high) in enumerate(SCORE_BANDS)))
    query = (
        sa.select(Attempt.module_id, band.label("band"), sa.func.count(Attempt.id))
        .where(Attempt.state == AttemptState.SUBMITTED)
        .group_by(Attempt.module_id, band)
    )
    if cohort_ids is not None:
        query = query.join(Enrolment, Attempt.enrolment_id == Enrolment.id).where(Enrolment.cohort_id.in_(cohort_ids))
    counts: dict[str, list[int]] = {}
    for module_id, index, n in session.execute(query):
        counts.setdefault(module_id, [0] * len(SCORE_BANDS))[index] += n
    return counts
