"""Mastery: what a failed quiz asks the trainee to read again before a retake, and when to offer support."""

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ...content import Module
from ...db import as_utc
from ...models import Attempt, AttemptState, PageView


def needs_support(failed_attempts: int, is_passed: bool, support_after: int) -> bool:
    """The one rule for "Needs support": the board, the trainee's panel and the trainers' email all use it."""
    return not is_passed and failed_attempts >= support_after


def support_just_reached(failed_attempts: int, support_after: int) -> bool:
    """True for the one failure that first crosses the line, so trainers are told once, not per attempt."""
    return failed_attempts == support_after


@dataclass(frozen=True)
class Section:
    """A page the trainee should read again, with the outcomes of the questions it answers."""

    page_id: str
    title: str
    anchor: str | None
    outcome_ids: tuple[str, ...]


@dataclass(frozen=True)
class MissedOutcome:
    outcome_id: str
    text: str
    sections: tuple[Section, ...]


def missed_outcomes(module: Module, attempt: Attempt) -> list[MissedOutcome]:
    """Outcomes with a wrong answer in a submitted attempt, each with the sections to read again, in course order."""
    if attempt.state is not AttemptState.SUBMITTED or attempt.is_passed:
        return []
    pages_by_outcome: dict[str, dict[str, str | None]] = {}
    for answer in attempt.answers:
        question = module.quiz.question(answer.question_id)
        if answer.is_correct or question is None or module.page(question.see_page) is None:
            continue
        pages = pages_by_outcome.setdefault(question.outcome_id, {})
        pages.setdefault(question.see_page, question.see_anchor)
    missed = []
    for outcome in module.outcomes:
        pages = pages_by_outcome.get(outcome.id)
        if pages:
            sections = tuple(
                Section(page.id, page.title, pages[page.id], (outcome.id,)) for page in module.pages if page.id in pages
            )
            missed.append(MissedOutcome(outcome.id, outcome.text, sections))
    return missed


def sections_to_revisit(module: Module, attempt: Attempt) -> list[Section]:
    """Distinct pages linked from the wrong answers of a failed attempt, in page order."""
    linked: dict[str, Section] = {}
    for outcome in missed_outcomes(module, attempt):
        for section in outcome.sections:
            known = linked.get(section.page_id)
            outcome_ids = (known.outcome_ids if known else ()) + section.outcome_ids
            linked[section.page_id] = Section(section.page_id, section.title, section.anchor, outcome_ids)
    order = [p.id for p in module.pages]
    return sorted(linked.values(), key=lambda s: order.index(s.page_id))


def pages_viewed_since(session: Session, enrolment_id: int, module_id: str, since: datetime) -> set[str]:
    """Pages of a module opened at or after a moment (a failed submission)."""
    rows = session.execute(
        sa.select(PageView.page_id, PageView.last_viewed_at, PageView.first_viewed_at).where(
            PageView.enrolment_id == enrolment_id, PageView.module_id == module_id
        )
    )
    since = as_utc(since)
    return {page_id for page_id, last, first in rows if as_utc(last or first) >= since}


def still_to_revisit(session: Session, module: Module, attempt: Attempt | None) -> list[Section]:
    """Sections the trainee must still read again before the next try; empty when the retake is open."""
    if attempt is None or attempt.state is not AttemptState.SUBMITTED or attempt.is_passed:
        return []
    sections = sections_to_revisit(module, attempt)
    if not sections:
        return []
    read = pages_viewed_since(session, attempt.enrolment_id, module.id, attempt.submitted_at)
    return [s for s in sections if s.page_id not in read]


def unlock_message(pending: list[Section]) -> str:
    return f"Read {'this section' if len(pending) == 1 else f'these {len(pending)} sections'} again to unlock your next try"


def failed_attempt_count(session: Session, enrolment_id: int, module_id: str) -> int:
    return session.scalar(
        sa.select(sa.func.count()).where(
            Attempt.enrolment_id == enrolment_id,
            Attempt.module_id == module_id,
            Attempt.state == AttemptState.SUBMITTED,
            Attempt.is_passed.is_(False),
        )
    )


def last_submitted_attempt(session: Session, enrolment_id: int, module_id: str) -> Attempt | None:
    return session.scalars(
        sa.select(Attempt)
        .where(
            Attempt.enrolment_id == enrolment_id,
            Attempt.module_id == module_id,
            Attempt.state == AttemptState.SUBMITTED,
        )
        .order_by(Attempt.number.desc())
        .limit(1)
    ).first()
