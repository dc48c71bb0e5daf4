"""Drawing a quiz: questions per learning outcome, avoiding the last attempt's where possible."""

import random
import secrets
from dataclasses import dataclass

from ...content import Module


@dataclass(frozen=True)
class DrawnQuestion:
    question_id: str
    option_ids: tuple[str, ...]  # in the order shown

    def as_json(self) -> dict:
        return {"question": self.question_id, "options": list(self.option_ids)}

    @classmethod
    def from_json(cls, data: dict) -> "DrawnQuestion":
        return cls(data["question"], tuple(data["options"]))


def draw_quiz(
    module: Module, avoid: frozenset[str] = frozenset(), rng: random.Random | None = None
) -> list[DrawnQuestion]:
    """draw_per_outcome questions for each outcome, fresh ones first; shuffled; options shuffled.

    True/false options keep their natural order (True, then False).
    """
    rng = rng or secrets.SystemRandom()
    per_outcome = module.quiz.draw_per_outcome
    chosen = []
    for outcome in module.outcomes:
        pool = [q for q in module.quiz.questions if q.outcome_id == outcome.id]
        fresh = [q for q in pool if q.id not in avoid]
        seen = [q for q in pool if q.id in avoid]
        rng.shuffle(fresh)
        rng.shuffle(seen)
        chosen.extend((fresh + seen)[:per_outcome])
    rng.shuffle(chosen)
    drawn = []
    for question in chosen:
        option_ids = [o.id for o in question.options]
        if question.type == "true_false":
            option_ids.sort(key=lambda i: i != "true")
        else:
            rng.shuffle(option_ids)
        drawn.append(DrawnQuestion(question.id, tuple(option_ids)))
    return drawn
