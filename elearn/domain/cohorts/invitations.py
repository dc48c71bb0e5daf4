"""Inviting people to a cohort by email: from a typed list or a CSV file, all or nothing."""

import csv
import io
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta

import sqlalchemy as sa
from email_validator import EmailNotValidError, validate_email
from sqlalchemy.orm import Session

from ...formatting import plural
from ...models import Cohort, Enrolment, Invitation, Organisation, Role, User
from ..errors import CohortError, ImportRejected, InvalidToken
from ..people import accounts
from ..people.tokens import hash_token, new_token
from .schedule import UK, last_course_day

CSV_COLUMNS = ("full name", "email", "job title", "organisation")
MAX_ROWS = 5000


@dataclass(frozen=True)
class Invitee:
    row: int  # as the person sees it: the header is row 1 of a CSV file
    full_name: str
    email: str
    job_title: str | None = None
    organisation: str | None = None


def parse_csv(data: bytes) -> list[Invitee]:
    """Read 'full name, email, job title, organisation' (header required; extra columns ignored)."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportRejected([(0, "The file is not UTF-8 text. Save it as 'CSV UTF-8' and try again")]) from None
    reader = csv.DictReader(io.StringIO(text))
    header = [h.strip().lower() for h in reader.fieldnames or []]
    missing = [c for c in CSV_COLUMNS[:2] if c not in header]
    if missing:
        raise ImportRejected(
            [(1, f"The header row needs the columns: {', '.join(CSV_COLUMNS)} (missing: {', '.join(missing)})")]
        )
    reader.fieldnames = header
    rows = []
    for row_number, record in enumerate(reader, start=2):
        if row_number - 1 > MAX_ROWS:
            raise ImportRejected([(row_number, f"A file can hold at most {MAX_ROWS} people")])
        values = {k: (v or "").strip() for k, v in record.items() if k}
        if not any(values.values()):
            continue  # blank line
        rows.append(
            Invitee(
                row_number,
                values.get("full name", ""),
                values.get("email", ""),
                values.get("job title") or None,
                values.get("organisation") or None,
            )
        )
    if not rows:
        raise ImportRejected([(0, "The file has no people in it")])
    return rows


def parse_typed(text: str) -> list[Invitee]:
    """One person a line, 'Full name, email' (as typed into the form); line numbers are rows."""
    rows = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        name, _, email = line.rpartition(",")
        rows.append(Invitee(number, name.strip(), email.strip()))
    if not rows:
        raise ImportRejected([(0, "Enter at least one person, one a line: full name, email")])
    return rows


def invite(
    session: Session, cohort: Cohort, invitees: list[Invitee], invited_by: User | None, now: datetime, valid_days: int
) -> list[tuple[Invitation, str]]:
    """Check every row first; write nothing if any row is wrong. Returns (invitation, token) pairs."""
    try:
        expires_at = invitation_expiry(cohort, now, valid_days)
    except CohortError as exc:
        raise ImportRejected([(0, str(exc))]) from None
    errors, organisations = _check(session, cohort, invitees, now)
    if errors:
        raise ImportRejected(errors)
    created = []
    for person in invitees:
        token, token_hash = new_token()
        organisation_id = organisations[person.organisation.lower()] if person.organisation else cohort.organisation_id
        invitation = Invitation(
            cohort_id=cohort.id,
            email=accounts.normalise_email(person.email),
            full_name=person.full_name,
            job_title=person.job_title,
            organisation_id=organisation_id,
            token_hash=token_hash,
            created_by_id=invited_by.id if invited_by else None,
            created_at=now,
            expires_at=expires_at,
        )
        session.add(invitation)
        created.append((invitation, token))
    session.flush()
    return created


def invitation_expiry(cohort: Cohort, now: datetime, valid_days: int) -> datetime:
    """`valid_days` from now, but never past the end of the course's last day (UK time): a link to a course
    that has happened is no use. Refused once that day has ended."""
    course_over = datetime.combine(last_course_day(cohort.starts_on, cohort.days), time(23, 59), UK)
    if course_over <= now:
        raise CohortError("This course has already taken place: invitations can no longer be sent")
    return min(now + timedelta(days=valid_days), course_over.astimezone(UTC))


def _check(session: Session, cohort: Cohort, invitees: list[Invitee], now: datetime):
    errors: list[tuple[int, str]] = []
    organisations = {name.lower(): id_ for id_, name in session.execute(sa.select(Organisation.id, Organisation.name))}
    emails = [accounts.normalise_email(p.email) for p in invitees]
    enrolled, invited = _already_on(session, cohort, emails, now)
    seen: dict[str, int] = {}
    for person, email in zip(invitees, emails, strict=True):
        if not person.full_name:
            errors.append((person.row, "Enter the person's full name"))
        elif len(person.full_name) > 200:
            errors.append((person.row, "Full name must be 200 characters or fewer"))
        if not email:
            errors.append((person.row, "Enter the person's email address"))
            continue
        try:
            validate_email(email, check_deliverability=False)
        except EmailNotValidError:
            errors.append(
                (person.row, f"Enter an email address in the correct format, like name@example.org, not {person.email}")
            )
            continue
        if email in seen:
            errors.append((person.row, f"{email} is also on row {seen[email]}"))
        seen.setdefault(email, person.row)
        if email in enrolled:
            errors.append((person.row, f"{email} is already enrolled on this cohort"))
        elif email in invited:
            errors.append((person.row, f"{email} has already been invited to this cohort"))
        if person.organisation and person.organisation.lower() not in organisations:
            errors.append(
                (person.row, f"Unknown organisation '{person.organisation}': add it first, or check the spelling")
            )
        if person.job_title and len(person.job_title) > 200:
            errors.append((person.row, "Job title must be 200 characters or fewer"))
    places = cohort.capacity - places_taken(session, cohort, now)
    if len(invitees) > places:
        errors.append(
            (
                0,
                f"The cohort has {plural(max(places, 0), 'place')} left; this list has {plural(len(invitees), 'person', 'people')}",
            )
        )
    return sorted(errors), organisations


def _already_on(session: Session, cohort: Cohort, emails: list[str], now: datetime) -> tuple[set[str], set[str]]:
    """Of these emails, those enrolled on the cohort, and those with an invitation to it still open."""
    enrolled = set(
        session.scalars(
            sa.select(User.email)
            .join(Enrolment, Enrolment.user_id == User.id)
            .where(Enrolment.cohort_id == cohort.id, User.email.in_(emails))
        )
    )
    invited = set(
        session.scalars(
            sa.select(Invitation.email).where(
                Invitation.cohort_id == cohort.id,
                Invitation.email.in_(emails),
                Invitation.accepted_at.is_(None),
                Invitation.expires_at > now,
            )
        )
    )
    return enrolled, invited


def not_yet_on(session: Session, cohort: Cohort, invitees: list[Invitee], now: datetime) -> list[Invitee]:
    """The invitees neither enrolled on the cohort nor already invited to it (for bulk invitations)."""
    enrolled, invited = _already_on(session, cohort, [accounts.normalise_email(p.email) for p in invitees], now)
    return [p for p in invitees if accounts.normalise_email(p.email) not in enrolled | invited]


def renew_pending(session: Session, cohort: Cohort, now: datetime, valid_days: int) -> list[tuple[Invitation, str]]:
    """A new link (the old one stops working) and a new expiry for every unaccepted invitation to the cohort."""
    pending = session.scalars(
        sa.select(Invitation)
        .where(Invitation.cohort_id == cohort.id, Invitation.accepted_at.is_(None))
        .order_by(Invitation.full_name)
    ).all()
    renewed = []
    for invitation in pending:
        token, invitation.token_hash = new_token()
        invitation.expires_at = now + timedelta(days=valid_days)
        renewed.append((invitation, token))
    session.flush()
    return renewed


def places_taken(session: Session, cohort: Cohort, now: datetime) -> int:
    """Enrolled people plus invitations still open: each holds a place."""
    enrolled = session.scalar(sa.select(sa.func.count(Enrolment.id)).where(Enrolment.cohort_id == cohort.id))
    pending = session.scalar(
        sa.select(sa.func.count(Invitation.id)).where(
            Invitation.cohort_id == cohort.id, Invitation.accepted_at.is_(None), Invitation.expires_at > now
        )
    )
    return enrolled + pending


def open_invitation(session: Session, token: str, now: datetime) -> Invitation:
    invitation = session.scalar(sa.select(Invitation).where(Invitation.token_hash == hash_token(token)))
    if invitation is None:
        raise InvalidToken("This invitation link is not valid. Check you copied the whole link from the email")
    if invitation.accepted_at is not None:
        raise InvalidToken("This invitation has already been used. Sign in with your email address and password")
    if invitation.expires_at <= now:
        raise InvalidToken("This invitation has expired. Ask your training contact to send a new one")
    return invitation


def accept(session: Session, invitation: Invitation, password: str | None, now: datetime) -> tuple[User, bool]:
    """Enrol the invitee, creating their account (with password) if they have none.

    Returns (user, is_new_account). The conditional UPDATE makes a double submit harmless.
    """
    claimed = session.execute(
        sa.update(Invitation)
        .where(Invitation.id == invitation.id, Invitation.accepted_at.is_(None))
        .values(accepted_at=now)
        .execution_options(synchronize_session=False)
    ).rowcount
    if claimed != 1:
        raise InvalidToken("This invitation has already been used. Sign in with your email address and password")
    user = accounts.find_user_by_email(session, invitation.email)
    is_new = user is None
    if is_new:
        user = accounts.create_user(
            session,
            email=invitation.email,
            full_name=invitation.full_name,
            role=Role.TRAINEE,
            password=password,
            job_title=invitation.job_title,
            organisation_id=invitation.organisation_id,
        )
    user.email_confirmed_at = user.email_confirmed_at or now  # the invitation email proves the address
    session.execute(sa.update(Invitation).where(Invitation.id == invitation.id).values(user_id=user.id))
    if (
        session.scalar(
            sa.select(Enrolment.id).where(Enrolment.user_id == user.id, Enrolment.cohort_id == invitation.cohort_id)
        )
        is None
    ):
        session.add(Enrolment(user_id=user.id, cohort_id=invitation.cohort_id, enrolled_at=now))
    session.flush()
    session.refresh(invitation)
    return user, is_new
