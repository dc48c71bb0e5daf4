"""Reminder emails before the pre-learning deadline: to trainees not yet complete, each one once."""

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ...db import insert_if_absent
from ...models import Cohort, CohortState, Completion, Enrolment, Organisation, ReminderSent, User


@dataclass(frozen=True)
class DueReminder:
    enrolment_id: int
    days_before: int
    user: User
    cohort: Cohort
    training_contact: str | None


def due_reminders(session: Session, today: date, offsets: list[int]) -> list[DueReminder]:
    """For each incomplete enrolment in an open cohort, the most urgent reminder now due and not sent.

    A reminder 'd days before' is due from d days before the deadline until the deadline. If a run
    was missed, only the most urgent one goes, so nobody gets two on the same day.
    """
    if not offsets:
        return []
    rows = session.execute(
        sa.select(Enrolment.id, Cohort, User, Organisation.training_contact_email)
        .join(Cohort, Enrolment.cohort_id == Cohort.id)
        .join(User, Enrolment.user_id == User.id)
        .outerjoin(Organisation, Cohort.organisation_id == Organisation.id)
        .outerjoin(Completion, Completion.enrolment_id == Enrolment.id)
        .where(
            Cohort.state == CohortState.OPEN,
            Completion.id.is_(None),
            User.is_active.is_(True),
            Cohort.deadline_on >= today,
        )
    ).all()
    sent = set(
        session.execute(
            sa.select(ReminderSent.enrolment_id, ReminderSent.days_before)
            .join(Enrolment, ReminderSent.enrolment_id == Enrolment.id)
            .join(Cohort, Enrolment.cohort_id == Cohort.id)
            .where(Cohort.state == CohortState.OPEN, Cohort.deadline_on >= today)
        ).all()
    )
    due = []
    for enrolment_id, cohort, user, contact in rows:
        days_left = (cohort.deadline_on - today).days
        reached = [d for d in offsets if days_left <= d]
        if not reached:
            continue
        most_urgent = min(reached)
        if (enrolment_id, most_urgent) in sent:
            continue
        due.append(DueReminder(enrolment_id, most_urgent, user, cohort, contact))
    return due


def claim(session: Session, reminder: DueReminder) -> bool:
    """Record the reminder before sending; False if another run already has (it is never sent twice)."""
    return insert_if_absent(session, ReminderSent(enrolment_id=reminder.enrolment_id, days_before=reminder.days_before))
