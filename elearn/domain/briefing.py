"""The trainer's briefing: the learning outcomes a group found hardest, with the questions behind them."""
from dataclasses import dataclass

from .analysis import Analysis, OutcomeStats, QuestionStats

STRUGGLE_BELOW = 0.8  # the default pass mark: below it, an outcome is worth time on the day


@dataclass(frozen=True)
class HardOutcome:
    outcome: OutcomeStats
    questions: list[QuestionStats]  # hardest first; only those someone got wrong


def hardest_outcomes(analysis: Analysis, limit: int = 5, minimum: int = 3) -> list[HardOutcome]:
    """Outcomes below STRUGGLE_BELOW, hardest first: at least `minimum` (where answered), at most `limit`."""
    answered = sorted((o for o in analysis.outcomes if o.seen), key=lambda o: o.facility)
    struggling = [o for o in answered if o.facility < STRUGGLE_BELOW]
    chosen = answered[:max(minimum, min(limit, len(struggling)))][:limit]
    return [
        HardOutcome(outcome, sorted((q for q in analysis.questions
                                     if q.outcome_id == outcome.outcome_id and q.seen and q.facility < 1),
                                    key=lambda q: q.facility))
        for outcome in chosen
    ]
