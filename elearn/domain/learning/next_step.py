"""Where the trainee left off: the one place the course page's "Continue" button goes."""

import enum
from dataclasses import dataclass

from ...content import Module
from .mastery import Section
from .progress import CourseProgress


class StepKind(enum.StrEnum):
    READ = "read"  # a page to read (the next unread one, or one to read again after a failed quiz)
    ANSWER = "answer"  # an open quiz attempt to carry on with
    QUIZ = "quiz"  # every page read (or re-read): take the quiz, or the retake
    DONE = "done"  # every module passed


@dataclass(frozen=True)
class NextStep:
    kind: StepKind
    module: Module | None = None
    page_id: str | None = None
    attempt_id: int | None = None


def current_module(progress: CourseProgress) -> Module | None:
    """The first module not yet passed that the trainee can open."""
    return next((s.module for s in progress.statuses if s.state.can_start_quiz), None)


def next_unread_page(module: Module, read: set[str], last_read: str | None) -> str | None:
    """The first unread page after the one opened last, else the first unread page at all."""
    order = [p.id for p in module.pages]
    start = order.index(last_read) + 1 if last_read in order else 0
    return next((p for p in order[start:] + order[:start] if p not in read), None)


def next_step(progress: CourseProgress, has_failed: bool, to_revisit: list[Section]) -> NextStep:
    """has_failed: the current module's last attempt failed; to_revisit: its sections still to read again."""
    module = current_module(progress)
    if module is None:
        return NextStep(StepKind.DONE)
    if module.id in progress.open_attempt_ids:
        return NextStep(StepKind.ANSWER, module, attempt_id=progress.open_attempt_ids[module.id])
    if to_revisit:
        return NextStep(StepKind.READ, module, page_id=to_revisit[0].page_id)
    if has_failed:
        return NextStep(StepKind.QUIZ, module)  # the retake is open
    page_id = next_unread_page(
        module, progress.pages_read.get(module.id, set()), progress.last_page_read.get(module.id)
    )
    return NextStep(StepKind.READ, module, page_id=page_id) if page_id else NextStep(StepKind.QUIZ, module)
