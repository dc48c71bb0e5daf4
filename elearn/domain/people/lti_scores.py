"""Grade passback (LTI Assignment and Grade Services): which line item a launched enrolment's completion is
reported to. Sending it is the web layer's job (elearn/lti/passback.py, through the job queue)."""

from collections.abc import Mapping
from datetime import datetime
from urllib.parse import urlsplit

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ...models import Completion, Enrolment, LtiPlatform, LtiScoreTarget

AGS_CLAIM = "https://purl.imsglobal.org/spec/lti-ags/claim/endpoint"
SCORE_SCOPE = "https://purl.imsglobal.org/spec/lti-ags/scope/score"


def remember_score_target(
    session: Session, platform: LtiPlatform, enrolment: Enrolment, claims: Mapping, now: datetime
) -> LtiScoreTarget | None:
    """Keep the line item of this launch, if the platform offers one and lets elearn post scores to it.
    Only on the platform's own host (that of its token URL): a signed claim must not send elearn's
    requests anywhere else."""
    endpoint = claims.get(AGS_CLAIM)
    if not isinstance(endpoint, Mapping):
        return None
    lineitem, scopes = endpoint.get("lineitem"), endpoint.get("scope")
    if not (isinstance(lineitem, str) and isinstance(scopes, list) and SCORE_SCOPE in scopes and len(lineitem) <= 1000):
        return None
    where, platform_host = urlsplit(lineitem), urlsplit(platform.auth_token_url)
    if where.scheme != platform_host.scheme or where.netloc != platform_host.netloc:
        return None
    target = session.scalar(
        sa.select(LtiScoreTarget).where(
            LtiScoreTarget.enrolment_id == enrolment.id, LtiScoreTarget.platform_id == platform.id
        )
    )
    if target is None:
        target = LtiScoreTarget(enrolment_id=enrolment.id, platform_id=platform.id)
        session.add(target)
    target.lineitem_url, target.subject, target.updated_at = lineitem, str(claims["sub"]), now
    session.flush()
    return target


def has_score_target(session: Session, enrolment_id: int) -> bool:
    return (
        session.scalar(sa.select(LtiScoreTarget.id).where(LtiScoreTarget.enrolment_id == enrolment_id).limit(1))
        is not None
    )


def completion_to_report(session: Session, enrolment_id: int) -> tuple[Completion | None, list[LtiScoreTarget]]:
    """The enrolment's counted completion (none if withdrawn) and the line items it goes to."""
    completion = session.scalar(
        sa.select(Completion).where(Completion.enrolment_id == enrolment_id, Completion.withdrawn_at.is_(None))
    )
    targets = session.scalars(
        sa.select(LtiScoreTarget).where(LtiScoreTarget.enrolment_id == enrolment_id).order_by(LtiScoreTarget.id)
    ).all()
    return completion, list(targets)
