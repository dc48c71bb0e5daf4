"""Figures about the course for authors and the content lint: size, coverage and readability."""

from collections import Counter
from dataclasses import dataclass

import textstat

from .model import Course, Module


@dataclass(frozen=True)
class PageStats:
    page_id: str
    words: int
    reading_ease: float  # Flesch reading ease: higher is easier; 60-70 is plain English


@dataclass(frozen=True)
class ModuleStats:
    module_id: str
    words: int
    pages: tuple[PageStats, ...]
    minutes: int
    outcomes: int
    questions_per_outcome: dict[str, int]
    question_types: dict[str, int]

    @property
    def lowest_reading_ease(self) -> float:
        return min(page.reading_ease for page in self.pages)


def reading_ease(text: str) -> float:
    return round(textstat.flesch_reading_ease(text), 1)


def module_stats(module: Module) -> ModuleStats:
    pages = tuple(PageStats(p.id, p.words, reading_ease(p.plain_text)) for p in module.pages)
    per_outcome = Counter(q.outcome_id for q in module.quiz.questions)
    return ModuleStats(
        module_id=module.id,
        words=module.words,
        pages=pages,
        minutes=module.minutes,
        outcomes=len(module.outcomes),
        questions_per_outcome={o.id: per_outcome[o.id] for o in module.outcomes},
        question_types=dict(Counter(q.type for q in module.quiz.questions)),
    )


def course_stats(course: Course) -> list[ModuleStats]:
    return [module_stats(m) for m in course.modules]
