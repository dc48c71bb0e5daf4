"""Quiz analysis for trainers: per question facility, commonest wrong answer and discrimination."""

import json
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from itertools import groupby
from operator import itemgetter

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ...content import Course, Question
from ...models import Attempt, AttemptAnswer, AttemptState, Enrolment

MIN_FOR_DISCRIMINATION = 10
GROUP_SHARE = 27  # percent: Kelley's upper and lower 27% groups (group_size)


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


@dataclass
class _Tally:
    """One question's answers, counted in SQL: the page reads a row per distinct choice, not per answer."""

    seen: int = 0
    correct: int = 0
    sure: int = 0
    sure_wrong: int = 0
    chosen: Counter = field(default_factory=Counter)
    discrimination: float | None = None


def analyse(session: Session, course: Course, cohort_ids: list[int] | None) -> Analysis:
    """Every submitted answer of these cohorts (None: every cohort) to the current course, counted by
    the database: two statements whatever the number of answers, and no JSON decoded per answer."""
    published = course.published_modules
    by_question, attempts = _tallies(session, [m.id for m in published], cohort_ids)
    questions, outcomes = [], []
    for module in published:
        module_stats = [_question_stats(module.id, q, by_question.get(q.id, _Tally())) for q in module.quiz.questions]
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
    return Analysis(questions, outcomes, attempts)


def _answered(columns, module_ids: list[str], cohort_ids: list[int] | None) -> sa.Select:
    """Answers of submitted attempts on these modules (and cohorts)."""
    query = (
        sa.select(*columns)
        .select_from(AttemptAnswer)
        .join(Attempt, AttemptAnswer.attempt_id == Attempt.id)
        .where(Attempt.state == AttemptState.SUBMITTED, Attempt.module_id.in_(module_ids))
    )
    if cohort_ids is not None:
        query = query.join(Enrolment, Attempt.enrolment_id == Enrolment.id).where(Enrolment.cohort_id.in_(cohort_ids))
    return query


def _tallies(session: Session, module_ids: list[str], cohort_ids: list[int] | None) -> tuple[dict[str, _Tally], int]:
    if not module_ids or cohort_ids == []:
        return {}, 0
    right = sa.func.count(sa.case((AttemptAnswer.is_correct.is_(True), 1)))
    sure = AttemptAnswer.confident.is_(True)
    sure_wrong = sa.and_(sure, sa.or_(AttemptAnswer.is_correct.is_(None), AttemptAnswer.is_correct.is_(False)))
    # JSON has no equality on PostgreSQL: group by its text, and read each distinct choice once.
    choice = sa.cast(AttemptAnswer.selected, sa.Text)
    tallies: dict[str, _Tally] = defaultdict(_Tally)
    rows = session.execute(
        _answered(
            [
                AttemptAnswer.question_id,
                choice,
                sa.func.count(),
                right,
                sa.func.count(sa.case((sure, 1))),
                sa.func.count(sa.case((sure_wrong, 1))),
            ],
            module_ids,
            cohort_ids,
        ).group_by(AttemptAnswer.question_id, choice)
    )
    for question_id, selected, seen, correct, sure_count, sure_wrong_count in rows:
        tally = tallies[question_id]
        tally.seen += seen
        tally.correct += correct
        tally.sure += sure_count
        tally.sure_wrong += sure_wrong_count
        for option in json.loads(selected) if selected else ():
            tally.chosen[option] += seen
    # Discrimination ranks each question's answers by their attempt's score: the database sorts them (ties
    # in attempt order, as discrimination() keeps them) and sends three small columns per answer.
    score = sa.func.coalesce(Attempt.score_percent, 0)
    ranked = _answered(
        [AttemptAnswer.question_id, Attempt.id, AttemptAnswer.is_correct.is_(True)], module_ids, cohort_ids
    ).order_by(AttemptAnswer.question_id, score, Attempt.id, AttemptAnswer.position)
    attempt_ids: set[int] = set()
    for question_id, rows in groupby(session.execute(ranked), key=itemgetter(0)):
        rights = []
        for _question_id, attempt_id, right in rows:
            attempt_ids.add(attempt_id)
            rights.append(bool(right))
        if len(rights) >= MIN_FOR_DISCRIMINATION:
            size = group_size(len(rights))
            tallies[question_id].discrimination = sum(rights[-size:]) / size - sum(rights[:size]) / size
    return tallies, len(attempt_ids)


def _question_stats(module_id: str, question: Question, tally: _Tally) -> QuestionStats:
    seen, chosen = tally.seen, tally.chosen
    wrong = [o for o in question.options if not o.is_correct and chosen[o.id]]
    top = max(wrong, key=lambda o: chosen[o.id], default=None)  # max keeps the first of equals: bank order
    return QuestionStats(
        module_id=module_id,
        question_id=question.id,
        outcome_id=question.outcome_id,
        prompt=question.prompt,
        seen=seen,
        correct=tally.correct,
        facility=_ratio(tally.correct, seen),
        top_wrong=OptionShare(top.id, top.text, top.feedback, chosen[top.id], chosen[top.id] / seen) if top else None,
        discrimination=tally.discrimination,
        see_page=question.see_page,
        see_anchor=question.see_anchor,
        sure=tally.sure,
        sure_wrong=tally.sure_wrong,
    )


def group_size(n: int) -> int:
    """Kelley's 27% of n answers, rounded half up in whole numbers."""
    return max(1, (n * GROUP_SHARE + 50) // 100)


def discrimination(results: list[tuple[int, bool]]) -> float | None:
    """Upper minus lower group's share correct, ranking attempts by their score; None if too few.

    results: (the attempt's score_percent, whether this question was right), one per attempt.
    """
    if len(results) < MIN_FOR_DISCRIMINATION:
        return None
    ranked = sorted(results, key=lambda r: r[0])  # stable: equal scores keep the given order
    size = group_size(len(ranked))
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
