"""Certificates: the unguessable code a completion carries, and public verification of a code."""

import secrets
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ...models import Cohort, Completion, Enrolment, User

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


def find_certificate(session: Session, code: str) -> Certificate | None:
    row = session.execute(
        sa.select(Completion, User.full_name, User.anonymised_at, Cohort.title)
        .join(Enrolment, Completion.enrolment_id == Enrolment.id)
        .join(User, Enrolment.user_id == User.id)
        .join(Cohort, Enrolment.cohort_id == Cohort.id)
        .where(Completion.certificate_code == code.strip().upper())
    ).first()
    if row is None:
        return None
    completion = row.Completion
    return Certificate(
        completion.certificate_code,
        row.full_name,
        row.title,
        completion.completed_at,
        completion.content_version,
        row.anonymised_at is not None or completion.withdrawn_at is not None,
    )
