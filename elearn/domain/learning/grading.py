"""Grading: a registry of question types, each with a pure mark(), and a pure grade()."""

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from ...content import Question, QuizBank
from ..errors import InvalidAnswer
from .drawing import DrawnQuestion


def _mark_exact(question: Question, selected: frozenset[str]) -> bool:
    return selected == question.correct_option_ids


# type -> (how many options may be chosen, how to mark). All current types need an exact match;
# partial credit would go here as a new marker.
QUESTION_TYPES: dict[str, tuple[str, Callable[[Question, frozenset[str]], bool]]] = {
    "single": ("one", _mark_exact),
    "true_false": ("one", _mark_exact),
    "multiple": ("many", _mark_exact),
}


def validate_selection(question: Question, drawn: DrawnQuestion, selected: list[str]) -> frozenset[str]:
    """Reject answers the page could not have sent: unknown options, repeats, none, or too many."""
    if not selected:
        choice = "one answer" if QUESTION_TYPES[question.type][0] == "one" else "at least one answer"
        raise InvalidAnswer(f"Select {choice}")
    if len(selected) != len(set(selected)):
        raise InvalidAnswer("Each answer can be selected only once")
    if not set(selected) <= set(drawn.option_ids):
        raise InvalidAnswer("Select from the answers shown")
    if QUESTION_TYPES[question.type][0] == "one" and len(selected) != 1:
        raise InvalidAnswer("Select one answer")
    return frozenset(selected)


def mark(question: Question, selected: frozenset[str]) -> bool:
    return QUESTION_TYPES[question.type][1](question, selected)


@dataclass(frozen=True)
class MarkedAnswer:
    position: int
    question_id: str
    selected: frozenset[str]
    correct_options: frozenset[str]
    is_correct: bool


@dataclass(frozen=True)
class Grade:
    marked: tuple[MarkedAnswer, ...]
    correct_count: int
    question_count: int
    score_percent: int  # rounded down, so a score never shows as a pass mark it did not reach
    is_passed: bool


def grade(bank: QuizBank, draw: list[DrawnQuestion], answers: Mapping[int, frozenset[str]], pass_mark: int) -> Grade:
    """Mark every drawn question (an unanswered one is wrong) against the bank's key."""
    marked = []
    for position, drawn in enumerate(draw):
        question = bank.question(drawn.question_id)
        if question is None:
            raise InvalidAnswer(f"Question '{drawn.question_id}' is no longer in the bank")
        selected = answers.get(position, frozenset())
        marked.append(
            MarkedAnswer(
                position,
                question.id,
                selected,
                question.correct_option_ids,
                bool(selected) and mark(question, selected),
            )
        )
    correct = sum(m.is_correct for m in marked)
    total = len(marked)
    return Grade(
        marked=tuple(marked),
        correct_count=correct,
        question_count=total,
        score_percent=(100 * correct) // total if total else 0,
        is_passed=total > 0 and 100 * correct >= pass_mark * total,
    )
