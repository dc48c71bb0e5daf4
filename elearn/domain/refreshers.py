"""Refreshers: when each person's training needs renewing (12 months after competence or completion)."""
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ..db import as_utc
from ..models import Cohort, Competence, Completion, Enrolment, Organisation, User
from .day_outcomes import refresher_due

@dataclass(frozen=True)
class RefresherRow:
    name: str
    email: str
    organisation: str
    cohort: str
    due_on: date
    days_left: int


def refreshers(session: Session, today: date, months: int, within_days: int = 90) -> list[RefresherRow]:
    """Each active trainee's latest training, if its refresher is overdue or due within the window."""
    rows = session.execute(
        sa.select(User.id, User.full_name, User.email, Organisation.name, Cohort.title, Completion.completed_at,
                  Enrolment.competence, Enrolment.outcome_recorded_at)
        .select_from(Enrolment).join(User, Enrolment.user_id == User.id).join(Cohort, Enrolment.cohort_id == Cohort.id)
        .outerjoin(Organisation, User.organisation_id == Organisation.id)
        .outerjoin(Completion, Completion.enrolment_id == Enrolment.id)
        .where(User.is_active.is_(True), User.anonymised_at.is_(None))
    ).all()
    latest: dict[int, RefresherRow] = {}
    for user_id, name, email, org, cohort, completed_at, competence, recorded_at in rows:
        competent_at = as_utc(recorded_at) if competence is Competence.COMPETENT else None
        due = refresher_due(competent_at, as_utc(completed_at), months)
        if due is None:
            continue
        row = RefresherRow(name, email, org or "", cohort, due, (due - today).days)
        if user_id not in latest or due > latest[user_id].due_on:
            latest[user_id] = row  # a later course renews the earlier one
    return sorted((r for r in latest.values() if r.days_left <= within_days), key=lambda r: r.due_on)


def window(days_left: int) -> str:
    if days_left < 0:
        return "Overdue"
    if days_left <= 30:
        return "Due within 30 days"
    return "Due in 31 to 60 days" if days_left <= 60 else "Due in 61 to 90 days"


def group_by_window(rows: list[RefresherRow]) -> dict[str, list[RefresherRow]]:
    groups: dict[str, list[RefresherRow]] = {w: [] for w in ("Overdue", "Due within 30 days", "Due in 31 to 60 days", "Due in 61 to 90 days")}
    for row in rows:
        groups[window(row.days_left)].append(row)
    return groups
