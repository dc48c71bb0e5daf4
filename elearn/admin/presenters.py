"""View models for admin pages: cohort lists and the cohort page, worked out here, not in templates."""

from datetime import datetime

import sqlalchemy as sa
from flask import url_for
from sqlalchemy.orm import Session

from .. import mail
from ..domain.cohorts.cohort import TRANSITIONS
from ..domain.cohorts.invitations import places_taken
from ..domain.cohorts.readiness import Readiness, count_by_state, readiness_for_cohorts
from ..domain.cohorts.schedule import today_in_uk
from ..domain.evidence.prepared_files import KIND_NAMES, is_stalled
from ..domain.notifications import Email
from ..formatting import file_size, uk_date, uk_datetime
from ..models import Cohort, Completion, Enrolment, FileStatus, Invitation, Organisation, PreparedFile, User
from ..web.content_store import get_course
from ..web.templating import summary_row

STATE_TAGS = {
    "draft": "govuk-tag--grey",
    "open": "govuk-tag--green",
    "closed": "govuk-tag--yellow",
    "delivered": "govuk-tag--blue",
}
STATE_ACTIONS = {"open": "Open for enrolment", "closed": "Close enrolment", "delivered": "Mark as delivered"}


def course_modules():
    return get_course().published_modules


def cohort_rows(session: Session) -> list[dict]:
    enrolled = (
        sa.select(Enrolment.cohort_id, sa.func.count(Enrolment.id).label("n")).group_by(Enrolment.cohort_id).subquery()
    )
    rows = session.execute(
        sa.select(Cohort, Organisation.name, sa.func.coalesce(enrolled.c.n, 0))
        .outerjoin(Organisation, Cohort.organisation_id == Organisation.id)
        .outerjoin(enrolled, enrolled.c.cohort_id == Cohort.id)
        .order_by(Cohort.starts_on.desc())
    ).all()
    return [
        {
            "title": cohort.title,
            "href": url_for("admin.cohort", cohort_id=cohort.id),
            "date": uk_date(cohort.starts_on),
            "organisation": org or "Open to all",
            "state": {"text": cohort.state.value.capitalize(), "classes": STATE_TAGS[cohort.state.value]},
            "places": f"{count} of {cohort.capacity}",
        }
        for cohort, org, count in rows
    ]


def cohort_page(session: Session, cohort: Cohort, now: datetime) -> dict:
    readiness = readiness_for_cohorts(session, get_course(), [cohort.id], today_in_uk())
    people = session.execute(
        sa.select(Enrolment.id, User.full_name, User.email, User.job_title, Enrolment.enrolled_at)
        .join(User, Enrolment.user_id == User.id)
        .where(Enrolment.cohort_id == cohort.id)
        .order_by(User.full_name)
    ).all()
    pending = session.scalars(
        sa.select(Invitation)
        .where(Invitation.cohort_id == cohort.id, Invitation.accepted_at.is_(None))
        .order_by(Invitation.full_name)
    ).all()
    organisation = cohort.organisation.name if cohort.organisation else "Open to all"
    return {
        "state": {"text": cohort.state.value.capitalize(), "classes": STATE_TAGS[cohort.state.value]},
        "actions": [{"state": s.value, "text": STATE_ACTIONS[s.value]} for s in sorted(TRANSITIONS[cohort.state])],
        "summary_rows": [
            summary_row(k, v)
            for k, v in (
                ("Course type", cohort.course_type.value.capitalize()),
                ("Organisation", organisation),
                (
                    "Course date",
                    f"{uk_date(cohort.starts_on)}, {cohort.start_time:%H:%M} to {cohort.end_time:%H:%M}"
                    + (" (2 days)" if cohort.days == 2 else ""),
                ),
                ("Venue", ", ".join(p for p in (cohort.venue, cohort.address) if p)),
                ("Pre-learning deadline", uk_date(cohort.deadline_on)),
                (
                    "Places",
                    f"{places_taken(session, cohort, now)} of {cohort.capacity} taken (invitations still open hold a place)",
                ),
                ("Join code", cohort.join_code or "None"),
                ("Trainers", ", ".join(t.full_name for t in cohort.trainers) or "None assigned"),
            )
        ],
        "readiness_counts": [(state.label, n) for state, n in count_by_state(readiness.values()).items()],
        "people": [
            {
                "name": p.full_name,
                "email": p.email,
                "job_title": p.job_title or "",
                "enrolled": uk_date(p.enrolled_at),
                "readiness": readiness[p.id].state.label,
            }
            for p in people
        ],
        "invitations": [
            {
                "name": i.full_name,
                "email": i.email,
                "status": "Expired" if i.expires_at <= now else f"Waiting, expires {uk_date(i.expires_at)}",
            }
            for i in pending
        ],
        "edit_href": url_for("admin.cohort_edit", cohort_id=cohort.id),
    }


def invitation_email(invitation: Invitation, token: str, minutes: int) -> Email:
    return Email(
        to=invitation.email,
        subject=f"Your pre-course learning for {invitation.cohort.title}",
        template="invitation",
        context={
            "name": invitation.full_name,
            "cohort": invitation.cohort,
            "minutes": minutes,
            "expires_at": invitation.expires_at,
            "link": mail.absolute_url("account.invitation_link", token=token),
        },
    )


def filter_options(session: Session, organisation_ids: tuple[int, ...] | None = None) -> dict:
    """The export filters' choices; a manager (organisation_ids) is offered only their own organisations' cohorts."""
    organisations = sa.select(Organisation.id, Organisation.name).order_by(Organisation.name)
    cohorts = sa.select(Cohort.id, Cohort.title, Cohort.starts_on).order_by(Cohort.starts_on.desc())
    if organisation_ids is not None:
        organisations = organisations.where(Organisation.id.in_(organisation_ids))
        staff_cohorts = sa.select(Enrolment.cohort_id).join(User, Enrolment.user_id == User.id)
        cohorts = cohorts.where(
            sa.or_(
                Cohort.organisation_id.in_(organisation_ids),
                Cohort.id.in_(staff_cohorts.where(User.organisation_id.in_(organisation_ids))),
            )
        )
    return {
        "organisations": session.execute(organisations).all(),
        "cohorts": session.execute(cohorts).all(),
        "states": [(s.value, s.label) for s in Readiness],
    }


def audit_rows(events) -> list[dict]:
    return [
        {
            "at": uk_datetime(e.AuditEvent.at),
            "who": e.email or "Unknown or signed out",
            "action": e.AuditEvent.action.replace("_", " "),
            "subject": e.AuditEvent.subject,
            "details": details_in_words(e.AuditEvent.details or {}),
        }
        for e in events
    ]


def details_in_words(details: dict) -> str:
    """{'filters': {}, 'rows': 3} -> 'Filters: none. Rows: 3.' (no raw JSON on the page)."""

    def words(value) -> str:
        if isinstance(value, dict):
            return ", ".join(f"{k.replace('_', ' ')} {words(v)}" for k, v in value.items()) or "none"
        if isinstance(value, list | tuple):
            return ", ".join(words(v) for v in value) or "none"
        if value is None or value == "":
            return "none"
        return str(value).replace("_", " ") if isinstance(value, str) and value.isidentifier() else str(value)

    return " ".join(f"{k.replace('_', ' ').capitalize()}: {words(v)}." for k, v in details.items())


def user_history(session: Session, person: User) -> list[dict]:
    rows = session.execute(
        sa.select(
            Enrolment,
            Cohort.title,
            Cohort.starts_on,
            Completion.completed_at,
            Completion.certificate_code,
            Completion.withdrawn_at,
        )
        .join(Cohort, Enrolment.cohort_id == Cohort.id)
        .outerjoin(Completion, Completion.enrolment_id == Enrolment.id)
        .where(Enrolment.user_id == person.id)
        .order_by(Cohort.starts_on.desc())
    ).all()
    return [
        {
            "cohort": r.title,
            "href": url_for("admin.cohort", cohort_id=r.Enrolment.cohort_id),
            "date": uk_date(r.starts_on),
            "completed": (uk_datetime(r.completed_at) + (" (withdrawn)" if r.withdrawn_at else ""))
            if r.completed_at
            else "Not yet",
            "code": r.certificate_code,
            "is_withdrawn": r.withdrawn_at is not None,
            "certificate_href": url_for("admin.certificate", code=r.certificate_code) if r.certificate_code else None,
            "attendance": r.Enrolment.attendance.value.replace("_", " "),
            "competence": r.Enrolment.competence.value.replace("_", " "),
        }
        for r in rows
    ]


FILE_STATUS_TAGS = {
    FileStatus.QUEUED: ("Waiting", "govuk-tag--grey"),
    FileStatus.BUILDING: ("Being prepared", "govuk-tag--blue"),
    FileStatus.READY: ("Ready", "govuk-tag--green"),
    FileStatus.FAILED: ("Failed", "govuk-tag--red"),
}


def prepared_file_rows(files: list[PreparedFile]) -> list[dict]:
    """'Your recent files' on the exports page."""
    return [
        {
            "name": KIND_NAMES[f.kind],
            "href": url_for("admin.prepared_file", file_id=f.id),
            "asked": uk_datetime(f.created_at),
            "covers": f.covers,
            "status": {"text": FILE_STATUS_TAGS[f.status][0], "classes": FILE_STATUS_TAGS[f.status][1]},
            "size": file_size(f.size) if f.status is FileStatus.READY and f.size is not None else "",
        }
        for f in files
    ]


def prepared_file_page(prepared: PreparedFile, now: datetime, build_minutes: int) -> dict:
    """The prepared file's page: where it stands, in words, and what the reader can do next."""
    stalled = is_stalled(prepared, now, build_minutes)
    status = FileStatus.FAILED if stalled else prepared.status
    return {
        "id": prepared.id,
        "name": KIND_NAMES[prepared.kind],
        "status": status.value,
        "is_waiting": status in (FileStatus.QUEUED, FileStatus.BUILDING),
        "is_ready": status is FileStatus.READY,
        "is_failed": status is FileStatus.FAILED,
        "is_retrying": prepared.status is FileStatus.QUEUED and prepared.tries > 0,
        "reason": "It took too long and was stopped." if stalled else _plain_reason(prepared.error),
        "size": file_size(prepared.size) if prepared.size is not None else "",
        "filename": prepared.filename or "",
        "download": url_for("admin.prepared_file_download", file_id=prepared.id),
        "again": url_for("admin.prepared_file_again", file_id=prepared.id),
        "summary_rows": [
            summary_row(k, v)
            for k, v in (
                ("File", KIND_NAMES[prepared.kind]),
                ("Covers", prepared.covers),
                ("Asked for", uk_datetime(prepared.created_at)),
                ("Kept until", uk_datetime(prepared.expires_at)),
            )
        ],
    }


def _plain_reason(error: str) -> str:
    kind = error.split(":", 1)[0] if error else ""
    return f"Something went wrong while building it ({kind})." if kind else "Something went wrong while building it."
