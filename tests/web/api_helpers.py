"""A small world for the completions API: two organisations' staff, completions, a refresher due, tokens."""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from elearn.db import utcnow
from elearn.domain.people import api_tokens
from elearn.models import Competence, Completion, Enrolment, Organisation, Role

from ..factories import enrol, make_cohort, make_user


@dataclass
class ApiWorld:
    oak_id: int
    elm_id: int
    oak_cohort_id: int
    elm_cohort_id: int
    oak_names: set[str]
    elm_names: set[str]
    admin_id: int


def complete(session, enrolment_id: int, code: str, when: datetime | None = None) -> None:
    session.add(
        Completion(
            enrolment_id=enrolment_id,
            content_version="v1",
            certificate_code=code,
            completed_at=when or datetime(2026, 11, 20, 12, tzinfo=UTC),
        )
    )
    session.commit()


def api_world(session) -> ApiWorld:
    """Oak's and Elm's staff on their own cohorts, plus an Elm person on Oak's cohort (Oak's cohort, Elm's
    data). Everyone completed 300 days ago (some were assessed competent 360 days ago): every refresher is due
    within 90 days, none yet overdue."""
    oak, elm = Organisation(name="Oak Trust"), Organisation(name="Elm Care")
    session.add_all([oak, elm])
    session.commit()
    admin = make_user(session, Role.ADMIN)
    oak_cohort = make_cohort(session, title="Oak course", organisation_id=oak.id, starts_in_days=-360)
    elm_cohort = make_cohort(session, title="Elm course", organisation_id=elm.id, starts_in_days=-360)
    people = [
        ("Olive Oak", oak.id, oak_cohort),
        ("Oscar Oak", oak.id, oak_cohort),
        ("Ella Elm", elm.id, elm_cohort),
        ("Eddie Elm", elm.id, oak_cohort),  # Elm's staff on Oak's course: Elm's data, not Oak's
    ]
    for n, (name, organisation_id, cohort) in enumerate(people):
        enrolment = enrol(session, make_user(session, full_name=name, organisation_id=organisation_id), cohort)
        complete(session, enrolment.id, f"CODE-{n:04}-{oak.id:04}-AAAA", utcnow() - timedelta(days=300))
        if n in (0, 2):
            session.get(Enrolment, enrolment.id).competence = Competence.COMPETENT
            session.commit()
    return ApiWorld(
        oak.id, elm.id, oak_cohort.id, elm_cohort.id, {"Olive Oak", "Oscar Oak"}, {"Ella Elm", "Eddie Elm"}, admin.id
    )


def new_token(session, admin_id: int, organisation_id: int | None = None, name: str = "HR system") -> str:
    from elearn.models import User

    _row, token = api_tokens.create_token(session, name, organisation_id, session.get(User, admin_id), utcnow())
    session.commit()
    return token


def bearer(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


def names_in(body: dict) -> set[str]:
    return {item["learner"]["name"] for item in body["data"]}
