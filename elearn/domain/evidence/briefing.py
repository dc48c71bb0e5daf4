"""The trainer's briefing: the learning outcomes a group found hardest, with the questions behind them."""

from dataclasses import dataclass

from .analysis import Analysis, OutcomeStats, QuestionStats


@dataclass(frozen=True)
class HardOutcome:
    outcome: OutcomeStats
    questions: list[QuestionStats]  # the outcome's questions someone got wrong, hardest first


def hardest_outcomes(analysis: Analysis, limit: int = 5, minimum: int = 3) -> list[HardOutcome]:
    """Answered outcomes, hardest first: every one below its quiz's pass mark, but at least `minimum` and at most `limit`."""
    answered = sorted(
        (o for o in analysis.outcomes if o.seen), key=lambda o: o.facility
    )  # stable: course order on ties
    struggling = sum(o.facility < o.pass_mark / 100 for o in answered)
    chosen = answered[: min(limit, max(minimum, struggling))]
    # analysis.questions is already hardest first within each module, so filtering keeps that order.
    # Questions everyone got right (or nobody saw) are left out: the briefing is for what to revisit.
    return [
        HardOutcome(
            outcome,
            [
                q
                for q in analysis.questions
                if (q.module_id, q.outcome_id) == (outcome.module_id, outcome.outcome_id) and q.seen and q.facility < 1
            ],
        )
        for outcome in chosen
    ]


@dataclass(frozen=True)
class ConfidentlyWrong:
    outcome: OutcomeStats
    questions: list[QuestionStats]  # the outcome's questions answered wrongly with "I'm sure", most such first


def confident_but_wrong(analysis: Analysis, limit: int = 5) -> list[ConfidentlyWrong]:
    """Outcomes where trainees were sure and wrong, most such answers first: misconceptions to tackle on the day."""
    outcomes = sorted((o for o in analysis.outcomes if o.sure_wrong), key=lambda o: -o.sure_wrong)[:limit]
    return [
        ConfidentlyWrong(
            outcome,
            sorted(
                (
                    q
                    for q in analysis.questions
                    if (q.module_id, q.outcome_id) == (outcome.module_id, outcome.outcome_id) and q.sure_wrong
                ),
                key=lambda q: -q.sure_wrong,
            ),
        )
        for outcome in outcomes
    ]
