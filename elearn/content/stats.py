"""Figures about the course for authors and the content lint: size, coverage, readability and
the quiz-quality measures that the lint (lint.py) holds to thresholds."""

from collections import Counter
from dataclasses import dataclass

import textstat

from .lint import MAX_MODULE_WORDS, key_is_strictly_longest, near_duplicate_pairs
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
    longest_key: tuple[int, int] = (0, 0)  # (single-answer keys strictly the longest option, single-answer questions)
    true_false: tuple[int, int] = (0, 0)  # (keyed True, keyed False)
    scenario: tuple[int, int] = (0, 0)  # (marked scenario: true, all questions)
    near_duplicates: tuple[str, ...] = ()  # "this-id ~ other-id (0.91)", for pairs that involve this bank

    @property
    def lowest_reading_ease(self) -> float:
        return min(page.reading_ease for page in self.pages)

    @property
    def too_long(self) -> bool:
        return self.words > MAX_MODULE_WORDS


def reading_ease(text: str) -> float:
    return round(textstat.flesch_reading_ease(text), 1)


def module_stats(module: Module, near_duplicates: tuple[str, ...] = ()) -> ModuleStats:
    questions = module.quiz.questions
    pages = tuple(PageStats(p.id, p.words, reading_ease(p.plain_text)) for p in module.pages)
    per_outcome = Counter(q.outcome_id for q in questions)
    singles = [q for q in questions if q.type == "single"]
    true_keys = [q.correct_option_ids == {"true"} for q in questions if q.type == "true_false"]
    return ModuleStats(
        module_id=module.id,
        words=module.words,
        pages=pages,
        minutes=module.minutes,
        outcomes=len(module.outcomes),
        questions_per_outcome={o.id: per_outcome[o.id] for o in module.outcomes},
        question_types=dict(Counter(q.type for q in questions)),
        longest_key=(sum(key_is_strictly_longest(q) for q in singles), len(singles)),
        true_false=(sum(true_keys), len(true_keys) - sum(true_keys)),
        scenario=(sum(q.scenario for q in questions), len(questions)),
        near_duplicates=near_duplicates,
    )


def course_stats(course: Course) -> list[ModuleStats]:
    pairs = near_duplicate_pairs(course)
    result = []
    for module in course.modules:
        ids = {q.id for q in module.quiz.questions}
        mine = tuple(f"{a.id} ~ {b.id} ({score:.2f})" for a, b, score in pairs if a.id in ids or b.id in ids)
        result.append(module_stats(module, mine))
    return result


def share(part: int, whole: int) -> str:
    """'3 of 10 (30%)', or 'none' when there is nothing to count."""
    return f"{part} of {whole} ({round(100 * part / whole)}%)" if whole else "none"
