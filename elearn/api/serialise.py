"""Records as the API's JSON: the shapes elearn/api/openapi.py documents (dates ISO 8601, times in UTC)."""

from datetime import date, datetime

from ..domain.evidence.records import EnrolmentRecord
from ..domain.evidence.refreshers import RefresherRow


def _day(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _time(value: datetime | None) -> str | None:
    return value.isoformat().replace("+00:00", "Z") if value else None


def _person(r: EnrolmentRecord) -> dict:
    return {"id": r.user_id, "name": r.full_name, "email": r.email, "job_title": r.job_title}


def _organisation(organisation_id: int | None, name: str | None) -> dict | None:
    return {"id": organisation_id, "name": name} if organisation_id is not None else None


def _cohort(r: EnrolmentRecord) -> dict:
    return {
        "id": r.cohort_id,
        "title": r.cohort_title,
        "course_type": r.course_type.value,
        "starts_on": _day(r.course_starts_on),
        "pre_learning_deadline": _day(r.deadline_on),
    }


def completion(r: EnrolmentRecord) -> dict:
    return {
        "enrolment_id": r.enrolment_id,
        "learner": _person(r),
        "organisation": _organisation(r.organisation_id, r.organisation),
        "cohort": _cohort(r),
        "completed_at": _time(r.completed_at),
        "completed_late": bool(r.completed_late),
        "content_version": r.content_version,
        "certificate_code": r.certificate_code,
        "verification_url": r.verification_url,
        "attendance": r.attendance.value,
        "competence": r.competence.value,
        "refresher_due_on": _day(r.refresher_due_on),
    }


def enrolment(r: EnrolmentRecord) -> dict:
    return {
        "id": r.enrolment_id,
        "learner": _person(r),
        "organisation": _organisation(r.organisation_id, r.organisation),
        "cohort": _cohort(r),
        "enrolled_at": _time(r.enrolled_at),
        "readiness": r.readiness.value,
        "modules": [
            {
                "module_id": m.module_id,
                "passed_on": _day(m.passed_on),
                "best_score": m.best_score,
                "attempts": m.attempts,
            }
            for m in r.modules
        ],
        "completion": {
            "completed_at": _time(r.completed_at),
            "completed_late": bool(r.completed_late),
            "certificate_code": r.certificate_code,
            "verification_url": r.verification_url,
        }
        if r.completed_at
        else None,
        "attendance": r.attendance.value,
        "competence": r.competence.value,
        "refresher_due_on": _day(r.refresher_due_on),
    }


def refresher(r: RefresherRow) -> dict:
    return {
        "learner": {"id": r.user_id, "name": r.name, "email": r.email},
        "organisation": _organisation(r.organisation_id, r.organisation or None),
        "last_course": r.cohort,
        "due_on": _day(r.due_on),
        "days_left": r.days_left,
    }
