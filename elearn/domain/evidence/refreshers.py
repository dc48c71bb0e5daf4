"""Refreshers: when each person's training needs renewing, and who is due (the one home of that rule)."""

from collections.abc import Callable, Collection
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ...db import as_utc, insert_if_absent
from ...models import (
    Cohort,
    Competence,
    Completion,
    Enrolment,
    Organisation,
    RefresherNotice,
    User,
    organisation_managers,
)
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
    user_id: int | None = None
    organisation_id: int | None = None


def refreshers(
    session: Session,
    today: date,
    months: int,
    within_days: int = 90,
    narrow: Callable[[sa.Select], sa.Select] | None = None,
    organisation_ids: Collection[int] | None = None,
) -> list[RefresherRow]:
    """Each active trainee's latest training, if its refresher is overdue or due within the window.
    `narrow` adds conditions on Enrolment, User and Cohort (the evidence pack passes its export filters);
    organisation_ids is a manager's scope: only those organisations' staff."""
    query = (
        sa.select(
            User.id,
            User.organisation_id,
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
    if organisation_ids is not None:
        query = query.where(User.organisation_id.in_(organisation_ids))
    rows = session.execute(narrow(query) if narrow else query).all()
    latest: dict[int, RefresherRow] = {}
    for user_id, org_id, name, email, org, cohort, completed_at, competence, starts_on, days in rows:
        due = refresher_due(competent_on(competence, starts_on, days), as_utc(completed_at), months)
        if due is None:
            continue
        row = RefresherRow(name, email, org or "", cohort, due, (due - today).days, user_id, org_id)
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


def certificate_expiry(session: Session, code: str, months: int) -> date | None:
    """When the training a certificate records needs renewing (shown on the public verify page)."""
    row = session.execute(
        sa.select(Completion.completed_at, Enrolment.competence, Cohort.starts_on, Cohort.days)
        .join(Enrolment, Completion.enrolment_id == Enrolment.id)
        .join(Cohort, Enrolment.cohort_id == Cohort.id)
        .where(Completion.certificate_code == code.strip().upper())
    ).first()
    if row is None:
        return None
    return refresher_due(competent_on(row.competence, row.starts_on, row.days), as_utc(row.completed_at), months)


# Notices go 90, 30 and 0 days before training expires. Someone whose training expired more than this many
# days before notices began is not suddenly emailed about it.
NOTICE_DAYS = (90, 30, 0)
NOTICE_LATEST_AFTER_EXPIRY = 30


@dataclass(frozen=True)
class DueNotice:
    row: RefresherRow
    days_before: int
    manager_emails: tuple[str, ...]  # the managers of the person's organisation, copied in


def due_refresher_notices(
    session: Session, today: date, months: int, offsets: tuple[int, ...] = NOTICE_DAYS
) -> list[DueNotice]:
    """For each person whose training expires within the largest offset, the most urgent notice not yet sent.

    As with deadline reminders, a missed run sends only the most urgent one, so nobody gets two at once.
    """
    rows = [
        r
        for r in refreshers(session, today, months, within_days=max(offsets))
        if r.days_left >= -NOTICE_LATEST_AFTER_EXPIRY
    ]
    sent = set(
        session.execute(
            sa.select(RefresherNotice.user_id, RefresherNotice.due_on, RefresherNotice.days_before).where(
                RefresherNotice.due_on >= today - timedelta(days=NOTICE_LATEST_AFTER_EXPIRY)
            )
        ).all()
    )
    managers = _manager_emails(session, {r.organisation_id for r in rows if r.organisation_id})
    due = []
    for row in rows:
        reached = [d for d in offsets if row.days_left <= d]
        if not reached or (row.user_id, row.due_on, min(reached)) in sent:
            continue
        due.append(DueNotice(row, min(reached), managers.get(row.organisation_id, ())))
    return due


def claim_notice(session: Session, notice: DueNotice) -> bool:
    """Record the notice before sending; False if another run already has (it is never sent twice)."""
    return insert_if_absent(
        session, RefresherNotice(user_id=notice.row.user_id, due_on=notice.row.due_on, days_before=notice.days_before)
    )


def _manager_emails(session: Session, organisation_ids: set[int]) -> dict[int, tuple[str, ...]]:
    if not organisation_ids:
        return {}
    rows = session.execute(
        sa.select(organisation_managers.c.organisation_id, User.email)
        .join(User, organisation_managers.c.user_id == User.id)
        .where(
            organisation_managers.c.organisation_id.in_(organisation_ids),
            User.is_active.is_(True),
            User.anonymised_at.is_(None),
        )
        .order_by(User.email)
    ).all()
    emails: dict[int, tuple[str, ...]] = {}
    for organisation_id, email in rows:
        emails[organisation_id] = (*emails.get(organisation_id, ()), email)
    return emails
