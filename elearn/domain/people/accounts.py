"""User accounts: create, authenticate, change password."""

import hashlib
import hmac

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ...db import utcnow
from ...models import AuditEvent, Role, User
from ..errors import DuplicateEmail
from .passwords import check_password_rules, hash_password, needs_rehash, verify_password

MIN_LENGTH = {Role.TRAINEE: 8, Role.TRAINER: 8, Role.MANAGER: 8, Role.ADMIN: 15}


def normalise_email(email: str) -> str:
    return email.strip().lower()


def find_user_by_email(session: Session, email: str) -> User | None:
    return session.scalar(sa.select(User).where(User.email == normalise_email(email)))


def create_user(
    session: Session,
    *,
    email: str,
    full_name: str,
    role: Role,
    password: str | None = None,
    job_title: str | None = None,
    organisation_id: int | None = None,
    email_confirmed: bool = True,
) -> User:
    """email_confirmed: False only for self-registration (an admin or an invitation vouches for the rest)."""
    if find_user_by_email(session, email) is not None:
        raise DuplicateEmail(f"There is already an account for {normalise_email(email)}")
    user = User(
        email=normalise_email(email),
        full_name=full_name.strip(),
        role=role,
        job_title=job_title,
        organisation_id=organisation_id,
        email_confirmed_at=utcnow() if email_confirmed else None,
    )
    if password is not None:
        set_password(user, password)
    session.add(user)
    session.flush()
    return user


def set_password(user: User, password: str) -> None:
    check_password_rules(password, MIN_LENGTH[user.role])
    user.password_hash = hash_password(password)
    user.rotate_session_token()  # signs out every other session


def authenticate(session: Session, email: str, password: str, audit_key: bytes) -> User | None:
    """The user if the email and password match an active account; None otherwise (same cost)."""
    user = find_user_by_email(session, email)
    ok = verify_password(user.password_hash if user else None, password)
    if not (ok and user.is_active):
        subject = user.email if user else unknown_email_subject(email, audit_key)
        session.add(AuditEvent(actor_id=user.id if user else None, action="sign_in_failed", subject=subject))
        return None
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    user.last_sign_in_at = utcnow()
    session.add(AuditEvent(actor_id=user.id, action="sign_in", subject=user.email))
    return user


def unknown_email_subject(typed: str, key: bytes) -> str:
    """What the audit log keeps when the typed email matches no account (people type passwords there):
    a keyed hash, so repeated tries with the same text can be grouped but the text cannot be read back."""
    digest = hmac.new(key, normalise_email(typed).encode(), hashlib.sha256).hexdigest()[:16]
    return f"unknown email #{digest}"


def sign_out(user: User) -> None:
    """Rotate the session token so that a copied or replayed cookie no longer signs anyone in."""
    user.rotate_session_token()
