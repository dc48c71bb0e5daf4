"""Self-registration with a join code: the account proves its email address by an emailed link.

The answer to "create an account" never says whether the address already has one: the owner of an
existing account is emailed instead, and both paths do the same expensive work (a password hash)."""

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ...models import Role, User
from ..errors import InvalidToken
from . import accounts
from .passwords import check_password_rules, hash_password
from .tokens import hash_token, new_token


@dataclass(frozen=True)
class Registration:
    user: User
    confirmation_token: str | None  # None: the address already had an account (email its owner instead)


def register_trainee(
    session: Session, *, email: str, full_name: str, password: str, job_title: str | None
) -> Registration:
    check_password_rules(password, accounts.MIN_LENGTH[Role.TRAINEE])  # says nothing about who exists
    existing = accounts.find_user_by_email(session, email)
    if existing is not None:
        hash_password(password)  # the cost a new account pays, so the answer takes as long either way
        return Registration(existing, None)
    user = accounts.create_user(
        session,
        email=email,
        full_name=full_name,
        role=Role.TRAINEE,
        password=password,
        job_title=job_title,
        email_confirmed=False,
    )
    return Registration(user, new_confirmation_token(session, user))


def new_confirmation_token(session: Session, user: User) -> str:
    """A fresh link for an unconfirmed account; any earlier link stops working."""
    token, token_hash = new_token()
    user.email_confirmation_hash = token_hash
    session.flush()
    return token


def open_confirmation(session: Session, token: str) -> User:
    user = session.scalar(sa.select(User).where(User.email_confirmation_hash == hash_token(token)))
    if user is None or not user.is_active:
        raise InvalidToken("This link has expired or has already been used. Sign in to ask for a new one")
    return user


def confirm_email(user: User, now: datetime) -> None:
    user.email_confirmed_at = user.email_confirmed_at or now
    user.email_confirmation_hash = None


def is_confirmed(user: User) -> bool:
    return user.email_confirmed_at is not None
