"""The in-person day: attendance and the practical competence outcome."""

from datetime import date, datetime

from sqlalchemy.orm import Session

from ...formatting import uk_date
from ...models import Attendance, Cohort, Competence, Enrolment, User
from ..errors import CohortError
from ..evidence import audit


def record_day_outcome(
    session: Session,
    enrolment: Enrolment,
    cohort: Cohort,
    attendance: Attendance,
    competence: Competence,
    note: str,
    recorded_by: User,
    now: datetime,
    today: date,
) -> None:
    """`today` is the UK calendar day: nothing can be recorded for a day that has not come."""
    if today < cohort.starts_on and (attendance, competence) != (Attendance.NOT_RECORDED, Competence.NOT_ASSESSED):
        raise CohortError(
            f"Attendance and competence can be recorded from the course day, {uk_date(cohort.starts_on)}", "attendance"
        )
    if cohort.days == 1 and attendance in (Attendance.DAY_1_ONLY, Attendance.DAY_2_ONLY):
        raise CohortError("This is a one-day course: choose attended or absent", "attendance")
    if competence is not Competence.NOT_ASSESSED and attendance in (Attendance.ABSENT, Attendance.NOT_RECORDED):
        raise CohortError(
            "Record attendance before a competence outcome: someone absent cannot be assessed", "competence"
        )
    if competence is Competence.NOT_YET_COMPETENT and not note.strip():
        raise CohortError("Add a note saying what the person needs to work on", "note")
    enrolment.attendance = attendance
    enrolment.competence = competence
    enrolment.competence_note = note.strip()
    enrolment.outcome_recorded_at = now
    enrolment.outcome_recorded_by_id = recorded_by.id
    audit.record(
        session,
        recorded_by,
        "day_outcome_recorded",
        f"enrolment {enrolment.id}",
        attendance=attendance.value,
        competence=competence.value,
    )
    session.flush()
