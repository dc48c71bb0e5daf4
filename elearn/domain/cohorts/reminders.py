"""Reminder emails before the pre-learning deadline: to trainees not yet complete, each one once; and the ones
a trainer sends from the board, at most one per person per day."""

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ...db import insert_if_absent
from ...models import Cohort, CohortState, Completion, Enrolment, Organisation, ReminderSent, StaffReminder, User


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


def reminded_on(session: Session, user_ids: list[int], day: date) -> set[int]:
    """Which of these people a trainer has already reminded from the board on this UK day."""
    if not user_ids:
        return set()
    query = sa.select(StaffReminder.user_id).where(StaffReminder.user_id.in_(user_ids), StaffReminder.sent_on == day)
    return set(session.scalars(query))


def claim_board_reminders(
    session: Session, cohort: Cohort, enrolment_ids: list[int], sender: User, day: date
) -> tuple[list[int], list[int]]:
    """Record a reminder for each chosen enrolment on the cohort before sending: (to send, already reminded today).

    The unique (person, day) key means nobody gets two in a day, whoever presses the button.
    """
    people = session.execute(
        sa.select(Enrolment.id, Enrolment.user_id)
        .where(Enrolment.id.in_(enrolment_ids), Enrolment.cohort_id == cohort.id)
        .order_by(Enrolment.id)
    ).all()
    claimed, skipped = [], []
    for enrolment_id, user_id in people:
        reminder = StaffReminder(user_id=user_id, enrolment_id=enrolment_id, sent_on=day, sent_by_id=sender.id)
        (claimed if insert_if_absent(session, reminder) else skipped).append(enrolment_id)
    return claimed, skipped
