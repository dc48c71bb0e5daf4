"""Registering a learning platform (LMS) that may launch elearn: where its launches land, and its addresses."""

from dataclasses import dataclass
from urllib.parse import urlsplit

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ...models import AuditEvent, Cohort, LtiPlatform, Organisation
from ..errors import DomainError

LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1"}


class PlatformRejected(DomainError):
    pass


@dataclass(frozen=True)
class PlatformDetails:
    name: str
    issuer: str
    client_id: str
    deployment_ids: tuple[str, ...]
    auth_login_url: str
    auth_token_url: str
    keyset_url: str
    organisation_id: int
    cohort_id: int | None


def save_platform(session: Session, details: PlatformDetails, actor_id: int | None = None) -> LtiPlatform:
    """Add a platform, or change the one with the same issuer and client id."""
    _check(session, details)
    platform = session.scalar(
        sa.select(LtiPlatform).where(LtiPlatform.issuer == details.issuer, LtiPlatform.client_id == details.client_id)
    )
    action = "lti_platform_changed"
    if platform is None:
        platform = LtiPlatform(issuer=details.issuer, client_id=details.client_id)
        session.add(platform)
        action = "lti_platform_added"
    platform.name = details.name
    platform.deployment_ids = list(dict.fromkeys(details.deployment_ids))
    platform.auth_login_url = details.auth_login_url
    platform.auth_token_url = details.auth_token_url
    platform.keyset_url = details.keyset_url
    platform.organisation_id = details.organisation_id
    platform.cohort_id = details.cohort_id
    session.add(AuditEvent(actor_id=actor_id, action=action, subject=f"{details.name} ({details.issuer})"[:200]))
    session.flush()
    return platform


def _check(session: Session, details: PlatformDetails) -> None:
    if not details.name.strip() or not details.issuer.strip() or not details.client_id.strip():
        raise PlatformRejected("Give the platform a name, its issuer and the client id it gave elearn")
    if not details.deployment_ids or not all(d.strip() for d in details.deployment_ids):
        raise PlatformRejected("Give at least one deployment id")
    for label, url in (
        ("issuer", details.issuer),
        ("auth login URL", details.auth_login_url),
        ("auth token URL", details.auth_token_url),
        ("key set URL", details.keyset_url),
    ):
        parts = urlsplit(url)
        # https only, except on this machine (a platform under test): a key set fetched over plain HTTP
        # could be swapped on the way, and then anyone could sign launches.
        if (
            not (parts.scheme == "https" or (parts.scheme == "http" and parts.hostname in LOCAL_HOSTS))
            or not parts.netloc
        ):
            raise PlatformRejected(f"The {label} must be an https:// address (got {url!r})")
    if session.get(Organisation, details.organisation_id) is None:
        raise PlatformRejected(f"There is no organisation {details.organisation_id}")
    if details.cohort_id is not None:
        cohort = session.get(Cohort, details.cohort_id)
        if cohort is None or cohort.organisation_id != details.organisation_id:
            raise PlatformRejected(f"Cohort {details.cohort_id} is not one of organisation {details.organisation_id}'s")
