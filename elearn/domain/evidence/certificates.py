"""Certificates: the unguessable code a completion carries, and public verification of a code."""

import secrets
from dataclasses import dataclass
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ...db import as_utc
from ...models import Cohort, Completion, Enrolment, User
from .refreshers import competent_on, refresher_due

# Crockford-style alphabet: no 0/O or 1/I/L to misread when typing a code from paper.
_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


def new_certificate_code() -> str:
    """16 characters from 31 symbols (~79 bits), grouped in fours: e.g. 7KQM-2XHD-RW9P-C4TF."""
    raw = "".join(secrets.choice(_ALPHABET) for _ in range(16))
    return "-".join(raw[i : i + 4] for i in range(0, 16, 4))


@dataclass(frozen=True)
class Certificate:
    code: str
    learner: str
    course: str
    completed_at: datetime
    content_version: str
    is_revoked: bool  # withdrawn by an admin, or the learner's record was anonymised
    valid_until: date | None  # when refresher training is due (REFRESHER_MONTHS after the competent course day)


def certificate_query() -> sa.Select:
    """Completions with what a certificate shows; callers add the conditions."""
    return (
        sa.select(
            Completion,
            User.full_name,
            User.anonymised_at,
            Cohort.title,
            Cohort.starts_on,
            Cohort.days,
            Enrolment.competence,
        )
        .join(Enrolment, Completion.enrolment_id == Enrolment.id)
        .join(User, Enrolment.user_id == User.id)
        .join(Cohort, Enrolment.cohort_id == Cohort.id)
    )


def as_certificate(row, refresher_months: int) -> Certificate:
    """A certificate_query() row as a Certificate, valid until the same refresher date the export shows."""
    completion = row.Completion
    completed_at = as_utc(completion.completed_at)
    return Certificate(
        completion.certificate_code,
        row.full_name,
        row.title,
        completed_at,
        completion.content_version,
        row.anonymised_at is not None or completion.withdrawn_at is not None,
        refresher_due(competent_on(row.competence, row.starts_on, row.days), completed_at, refresher_months),
    )


def find_certificate(session: Session, code: str, refresher_months: int) -> Certificate | None:
    row = session.execute(certificate_query().where(Completion.certificate_code == code.strip().upper())).first()
    return None if row is None else as_certificate(row, refresher_months)
