"""Password reset by email: a short-lived, single-use link; the same answer whether or not the email exists."""

from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ...models import PasswordReset, User
from ..errors import InvalidToken
from . import accounts
from .tokens import hash_token, new_token


def request_reset(
    session: Session, email: str, now: datetime, valid_minutes: int, per_hour: int = 3
) -> tuple[User, str] | None:
    """A token for an active account with this email, or None (the caller says the same either way).

    At most per_hour links an hour: asking again cannot flood someone's inbox (their last link still works)."""
    user = accounts.find_user_by_email(session, email)
    if user is None or not user.is_active:
        return None
    recent = session.scalar(
        sa.select(sa.func.count(PasswordReset.id)).where(
            PasswordReset.user_id == user.id, PasswordReset.created_at > now - timedelta(hours=1)
        )
    )
    if recent >= per_hour:
        return None
    token, token_hash = new_token()
    session.add(
        PasswordReset(
            user_id=user.id, token_hash=token_hash, created_at=now, expires_at=now + timedelta(minutes=valid_minutes)
        )
    )
    session.flush()
    return user, token


def open_reset(session: Session, token: str, now: datetime) -> PasswordReset:
    reset = session.scalar(sa.select(PasswordReset).where(PasswordReset.token_hash == hash_token(token)))
    if reset is None or reset.used_at is not None or reset.expires_at <= now:
        raise InvalidToken("This link has expired or has already been used. Ask for a new one")
    return reset


def complete_reset(session: Session, reset: PasswordReset, password: str, now: datetime) -> User:
    """Set the new password once; every other reset link for the user stops working too."""
    user = session.get(User, reset.user_id)
    accounts.set_password(user, password)  # rotates the session token: other sessions end
    claimed = session.execute(
        sa.update(PasswordReset)
        .where(PasswordReset.user_id == user.id, PasswordReset.used_at.is_(None))
        .values(used_at=now)
        .execution_options(synchronize_session=False)
    ).rowcount
    if claimed == 0:
        raise InvalidToken("This link has expired or has already been used. Ask for a new one")
    user.email_confirmed_at = user.email_confirmed_at or now  # the emailed link proves the address
    session.flush()
    return user
