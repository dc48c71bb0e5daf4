"""Who an LTI 1.3 launch is, and where they land. The web layer has already checked the id_token
(signature against the platform's keys, issuer, audience, expiry, deployment, message type) before any
of this runs; these are the rules about accounts, nonces and courses, in plain Python.

Matching a launch to an account, in order:
1. the link recorded at an earlier launch: (issuer, sub) -> account;
2. else an existing account with the launch's email address, only when that is safe: a trainee of the
   platform's own organisation, active, with a confirmed address and no other link from this issuer
   (never staff: a platform's administrator could otherwise put an elearn admin's address on a learner);
3. else a new trainee account (no password: they sign in through the platform) in that organisation.
An address that belongs to an account the rule will not link is refused, not duplicated. A launch only ever
signs in a trainee: an account linked as a trainee and since made staff is refused.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ...models import AuditEvent, Cohort, Enrolment, LtiLink, LtiNonce, LtiPlatform, Role, User
from ..cohorts import cohort as cohorts
from ..errors import CohortError, LaunchRefused
from .accounts import create_user, find_user_by_email, normalise_email

CUSTOM_CLAIM = "https://purl.imsglobal.org/spec/lti/claim/custom"
COHORT_PARAMETER = "elearn_cohort_id"  # a custom parameter on the platform's link: which cohort it enrols on
NONCES_KEPT = timedelta(days=1)  # used and expired nonces are deleted after this


@dataclass(frozen=True)
class LaunchClaims:
    issuer: str
    subject: str
    email: str | None
    full_name: str
    cohort_id: str | None

    @classmethod
    def from_id_token(cls, body: Mapping) -> "LaunchClaims":
        def text(value) -> str:
            return value.strip() if isinstance(value, str) else ""

        subject = text(body.get("sub"))
        if not subject or len(subject) > 255:
            raise LaunchRefused("The launch did not say who you are on your learning platform (sub)", 400)
        email = normalise_email(text(body.get("email"))) or None
        if email is not None and ("@" not in email or len(email) > 254):
            raise LaunchRefused("The email address your learning platform sent is not a valid address", 400)
        given_and_family = " ".join(
            part for part in (text(body.get("given_name")), text(body.get("family_name"))) if part
        )
        full_name = (text(body.get("name")) or given_and_family or (email or "")).strip()[:200]
        custom = body.get(CUSTOM_CLAIM)
        cohort_id = text(custom.get(COHORT_PARAMETER)) if isinstance(custom, Mapping) else ""
        return cls(text(body.get("iss")), subject, email, full_name, cohort_id or None)


def issue_nonce(session: Session, nonce: str, now: datetime, minutes: int) -> None:
    """Record a nonce sent to a platform at login; forget old ones."""
    session.execute(sa.delete(LtiNonce).where(LtiNonce.expires_at < now - NONCES_KEPT))
    session.add(LtiNonce(nonce=nonce, issued_at=now, expires_at=now + timedelta(minutes=minutes)))
    session.flush()


def nonce_is_open(session: Session, nonce: str, now: datetime) -> bool:
    return (
        session.scalar(
            sa.select(LtiNonce.id).where(LtiNonce.nonce == nonce, LtiNonce.used_at.is_(None), LtiNonce.expires_at > now)
        )
        is not None
    )


def claim_nonce(session: Session, nonce: str, now: datetime) -> None:
    """Use a nonce once. One conditional UPDATE: of two launches racing with the same id_token, on any
    workers or hosts, the database lets exactly one through (the other waits for the row, then matches none)."""
    claimed = session.execute(
        sa.update(LtiNonce)
        .where(LtiNonce.nonce == nonce, LtiNonce.used_at.is_(None), LtiNonce.expires_at > now)
        .values(used_at=now)
        .execution_options(synchronize_session=False)
    ).rowcount
    if claimed != 1:
        raise LaunchRefused(REPLAYED, 401)


REPLAYED = (
    "This launch has already been used, or it took too long. Go back to your learning platform and open the link again"
)


def launch_enrolment(session: Session, platform: LtiPlatform, claims: LaunchClaims, now: datetime) -> Enrolment:
    """The enrolment a launch lands on: the person's account (linked, matched or created) on the course."""
    cohort = _cohort_for(session, platform, claims)
    user = _linked_user(session, claims, now) or _matched_or_new_user(session, platform, claims, now)
    if not user.is_active or user.anonymised_at is not None:
        raise LaunchRefused("Your elearn account is closed. Ask your training administrator to help", 403)
    if user.role is not Role.TRAINEE:  # e.g. linked as a trainee, since made staff: no way in without a password
        raise LaunchRefused("Staff accounts cannot be opened from a learning platform. Sign in to elearn instead", 403)
    enrolment = session.scalar(
        sa.select(Enrolment).where(Enrolment.user_id == user.id, Enrolment.cohort_id == cohort.id)
    )
    if enrolment is not None:
        return enrolment
    try:
        return cohorts.enrol(session, cohort, user, now)
    except CohortError as refused:
        raise LaunchRefused(f"You could not be enrolled on {cohort.title}: {refused}", 409) from refused


def _cohort_for(session: Session, platform: LtiPlatform, claims: LaunchClaims) -> Cohort:
    if claims.cohort_id is None:
        if platform.cohort is None:
            raise LaunchRefused("This learning platform has no elearn course to open yet. Ask your administrator", 403)
        return platform.cohort
    cohort = None
    if claims.cohort_id.isdigit() and len(claims.cohort_id) < 10:
        cohort = session.scalar(
            sa.select(Cohort).where(
                Cohort.id == int(claims.cohort_id), Cohort.organisation_id == platform.organisation_id
            )
        )
    if cohort is None:
        raise LaunchRefused("The course this link points to is not one your learning platform can open", 403)
    return cohort


def _linked_user(session: Session, claims: LaunchClaims, now: datetime) -> User | None:
    link = session.scalar(sa.select(LtiLink).where(LtiLink.issuer == claims.issuer, LtiLink.subject == claims.subject))
    if link is None:
        return None
    link.last_launch_at = now
    return session.get(User, link.user_id)


def _matched_or_new_user(session: Session, platform: LtiPlatform, claims: LaunchClaims, now: datetime) -> User:
    if claims.email is None:
        raise LaunchRefused(
            "Your learning platform did not send your email address, which elearn needs the first time you "
            "open it. Ask your administrator to share it with elearn",
            400,
        )
    user = find_user_by_email(session, claims.email)
    if user is None:
        user = create_user(
            session,
            email=claims.email,
            full_name=claims.full_name,
            role=Role.TRAINEE,
            organisation_id=platform.organisation_id,
            email_confirmed=True,  # the platform, registered by an admin for this organisation, vouches for it
        )
        session.add(AuditEvent(actor_id=user.id, action="lti_account_created", subject=user.email))
    elif not may_link_by_email(session, user, platform):
        raise LaunchRefused(
            f"There is already an elearn account for {claims.email} that cannot be joined to your learning "
            "platform automatically. Ask your elearn administrator to help",
            409,
        )
    session.add(LtiLink(issuer=claims.issuer, subject=claims.subject, user_id=user.id, platform_id=platform.id))
    session.add(
        AuditEvent(actor_id=user.id, action="lti_account_linked", subject=f"{platform.name}: {user.email}"[:200])
    )
    session.flush()
    return user


def may_link_by_email(session: Session, user: User, platform: LtiPlatform) -> bool:
    """The rule in the module's docstring (point 2)."""
    already_linked = session.scalar(
        sa.select(LtiLink.id).where(LtiLink.issuer == platform.issuer, LtiLink.user_id == user.id)
    )
    return (
        user.role is Role.TRAINEE
        and user.is_active
        and user.anonymised_at is None
        and user.email_confirmed_at is not None
        and user.organisation_id == platform.organisation_id
        and already_linked is None
    )
