"""API tokens: made by an admin and shown once, checked on every API request, revoked for good.

A token is 256 random bits, so a plain SHA-256 of it is enough to store (no slow hash needed: nobody can
guess one to try). Use is recorded to the minute, so a read API does not write on every request.
"""

from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ...models import ApiToken, Organisation, User
from ..errors import DomainError, NotFound
from ..evidence import audit
from .tokens import hash_token, new_token

TOKEN_PREFIX = "elearn_"  # nosec B105: not a secret; names what a token is, for people and secret scanners
SHOWN_PREFIX = len(TOKEN_PREFIX) + 6  # "elearn_AbC123": enough to tell tokens apart, useless to a guesser
USE_RECORDED_EVERY = timedelta(minutes=1)


class TokenRefused(DomainError):
    field = "name"


def create_token(
    session: Session, name: str, organisation_id: int | None, created_by: User, now: datetime
) -> tuple[ApiToken, str]:
    """The new token's row and the token itself, which is never stored: show it once."""
    name = name.strip()
    if not name:
        raise TokenRefused("Enter a name for the token")
    if organisation_id is not None and session.get(Organisation, organisation_id) is None:
        raise NotFound("No such organisation")
    secret, _ = new_token()
    token = TOKEN_PREFIX + secret
    row = ApiToken(
        name=name[:100],
        token_hash=hash_token(token),
        prefix=token[:SHOWN_PREFIX],
        organisation_id=organisation_id,
        created_by_id=created_by.id,
        created_at=now,
    )
    session.add(row)
    session.flush()
    audit.record(session, created_by, "api_token_created", row.name, token_id=row.id, organisation_id=organisation_id)
    return row, token


def authenticate(session: Session, presented: str) -> ApiToken | None:
    """The live token presented (one statement), or None if it is unknown or revoked."""
    if not presented.startswith(TOKEN_PREFIX) or len(presented) > 200:
        return None
    return session.scalar(
        sa.select(ApiToken).where(ApiToken.token_hash == hash_token(presented), ApiToken.revoked_at.is_(None))
    )


def use_is_due(token: ApiToken, now: datetime) -> bool:
    """Whether this request should record the token's use (at most once a minute)."""
    return token.last_used_at is None or now - token.last_used_at >= USE_RECORDED_EVERY


def record_use(session: Session, token_id: int, now: datetime) -> None:
    """One conditional UPDATE: concurrent requests in the same minute write it once between them."""
    session.execute(
        sa.update(ApiToken)
        .where(
            ApiToken.id == token_id,
            sa.or_(ApiToken.last_used_at.is_(None), ApiToken.last_used_at <= now - USE_RECORDED_EVERY),
        )
        .values(last_used_at=now)
    )


def revoke(session: Session, token: ApiToken, revoked_by: User, now: datetime) -> None:
    """Stops the token at once, for good (revoking twice changes nothing)."""
    if token.revoked_at is not None:
        return
    token.revoked_at = now
    audit.record(session, revoked_by, "api_token_revoked", token.name, token_id=token.id)


def all_tokens(session: Session) -> list[tuple[ApiToken, str | None]]:
    """Every token with its organisation's name (None: all organisations), live ones first, newest first."""
    query = (
        sa.select(ApiToken, Organisation.name)
        .outerjoin(Organisation, ApiToken.organisation_id == Organisation.id)
        .order_by(ApiToken.revoked_at.is_not(None), ApiToken.created_at.desc(), ApiToken.id.desc())
    )
    return [(token, organisation) for token, organisation in session.execute(query)]
