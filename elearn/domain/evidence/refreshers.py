"""Refreshers: when each person's training needs renewing, and who is due (the one home of that rule)."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ...db import as_utc
from ...models import Cohort, Competence, Completion, Enrolment, Organisation, User
from ..cohorts.schedule import UK, last_course_day
from ..learning.completion import counted_completion


@dataclass(frozen=True)
class RefresherRow:
    name: str
    email: str
    organisation: str
    cohort: str
    due_on: date
    days_left: int


def refreshers(
    session: Session,
    today: date,
    months: int,
    within_days: int = 90,
    narrow: Callable[[sa.Select], sa.Select] | None = None,
) -> list[RefresherRow]:
    """Each active trainee's latest training, if its refresher is overdue or due within the window.
    `narrow` adds conditions on Enrolment, User and Cohort (the evidence pack passes its export filters)."""
    query = (
        sa.select(
            User.id,
            User.full_name,
            User.email,
            Organisation.name,
            Cohort.title,
            Completion.completed_at,
            Enrolment.competence,
            Cohort.starts_on,
            Cohort.days,
        )
        .select_from(Enrolment)
        .join(User, Enrolment.user_id == User.id)
        .join(Cohort, Enrolment.cohort_id == Cohort.id)
        .outerjoin(Organisation, User.organisation_id == Organisation.id)
        .outerjoin(Completion, counted_completion())
        .where(User.is_active.is_(True), User.anonymised_at.is_(None))
    )
    rows = session.execute(narrow(query) if narrow else query).all()
    latest: dict[int, RefresherRow] = {}
    for user_id, name, email, org, cohort, completed_at, competence, starts_on, days in rows:
        due = refresher_due(competent_on(competence, starts_on, days), as_utc(completed_at), months)
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
    groups: dict[str, list[RefresherRow]] = {
        w: [] for w in ("Overdue", "Due within 30 days", "Due in 31 to 60 days", "Due in 61 to 90 days")
    }
    for row in rows:
        groups[window(row.days_left)].append(row)
    return groups


def refresher_due(competent_on: date | None, completed_at: datetime | None, months: int) -> date | None:
    """When training needs renewing: `months` (the REFRESHER_MONTHS setting) after the course day on which
    the person was assessed competent; where no competent outcome is recorded, after the (counted)
    pre-learning completion's UK calendar day."""
    start = competent_on or (completed_at.astimezone(UK).date() if completed_at else None)
    return None if start is None else add_months(start, months)


def competent_on(competence: Competence, starts_on: date, days: int) -> date | None:
    """The course day a competent outcome belongs to: the course's last day (not when the form was saved)."""
    return last_course_day(starts_on, days) if competence is Competence.COMPETENT else None


def add_months(day: date, months: int) -> date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    for candidate in (day.day, 30, 29, 28):  # 31 January + 1 month -> 28/29 February
        try:
            return date(year, month, min(day.day, candidate))
        except ValueError:
            continue
    raise ValueError(day)
