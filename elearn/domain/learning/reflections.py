"""Trainees' private answers to reflection prompts: saved like quiz answers, seen only by them and their trainers."""

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ...content import Course, Module, Page
from ...db import insert_if_absent, utcnow
from ...models import Reflection
from ..errors import InvalidReflection, NotFound

MAX_CHARACTERS = 1000


def save_reflection(
    session: Session, module: Module, page: Page, enrolment_id: int, reflection_id: str, text: str
) -> None:
    """Store, replace or (if emptied) remove the trainee's answer to one prompt on this page."""
    if not any(r.id == reflection_id for r in page.reflections):
        raise NotFound(reflection_id)
    text = text.strip()
    if len(text) > MAX_CHARACTERS:
        raise InvalidReflection(f"Your reflection must be {MAX_CHARACTERS} characters or fewer")
    existing = session.scalar(
        sa.select(Reflection).where(Reflection.enrolment_id == enrolment_id, Reflection.reflection_id == reflection_id)
    )
    if not text:
        if existing is not None:
            session.delete(existing)
            session.flush()
        return
    if existing is None:
        row = Reflection(
            enrolment_id=enrolment_id, module_id=module.id, page_id=page.id, reflection_id=reflection_id, text=text
        )
        if insert_if_absent(session, row):
            return
        existing = session.scalar(
            sa.select(Reflection).where(
                Reflection.enrolment_id == enrolment_id, Reflection.reflection_id == reflection_id
            )
        )
    existing.text = text
    existing.updated_at = utcnow()
    session.flush()


def saved_texts(session: Session, enrolment_id: int, page: Page) -> dict[str, str]:
    """This page's saved answers by reflection id."""
    ids = [r.id for r in page.reflections]
    if not ids:
        return {}
    rows = session.execute(
        sa.select(Reflection.reflection_id, Reflection.text).where(
            Reflection.enrolment_id == enrolment_id, Reflection.reflection_id.in_(ids)
        )
    )
    return dict(rows.all())


@dataclass(frozen=True)
class SavedReflection:
    enrolment_id: int
    module: Module | None
    page: Page | None
    prompt_html: str
    text: str
    updated_at: datetime


def reflections_of(session: Session, course: Course, enrolment_ids: list[int]) -> list[SavedReflection]:
    """Saved reflections of these enrolments in course order (one query whatever their number)."""
    if not enrolment_ids:
        return []
    rows = session.scalars(sa.select(Reflection).where(Reflection.enrolment_id.in_(enrolment_ids))).all()
    prompts = {
        r.id: (module, page, r.prompt_html, (module.position, i, j))
        for module in course.modules
        for i, page in enumerate(module.pages)
        for j, r in enumerate(page.reflections)
    }
    found = []
    for row in rows:
        module, page, prompt_html, order = prompts.get(row.reflection_id, (None, None, "", (999, 0, 0)))
        found.append((order, SavedReflection(row.enrolment_id, module, page, prompt_html, row.text, row.updated_at)))
    return [item for _, item in sorted(found, key=lambda pair: (pair[0], pair[1].enrolment_id))]
