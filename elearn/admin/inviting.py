"""One way to invite people to a cohort from any admin page: write the invitations, record them in the
audit log, and email each person once the request's writes are committed (through the job queue)."""

from flask import current_app, flash, redirect, url_for
from flask_login import current_user

from .. import mail
from ..db import db, utcnow
from ..domain.cohorts import invitations
from ..domain.evidence import audit
from ..formatting import plural
from ..models import Cohort
from . import presenters


def invite_and_email(cohort: Cohort, people, source: str):
    """Invite everyone or (ImportRejected, e.g. not enough places) no one; then back to the cohort."""
    created = invitations.invite(
        db.session, cohort, people, current_user, utcnow(), current_app.config["INVITATION_DAYS"]
    )
    audit.record(
        db.session,
        current_user,
        "invitations_sent",
        cohort.title,
        cohort_id=cohort.id,
        count=len(created),
        source=source,
    )
    email_invitations(created)
    flash(f"{plural(len(created), 'person', 'people')} invited. We are emailing their invitations.", "success")
    return redirect(url_for("admin.cohort", cohort_id=cohort.id), 303)


def email_invitations(created) -> None:
    """created: (invitation, token) pairs, new or renewed; each person gets their link after the commit."""
    minutes = sum(m.minutes for m in presenters.course_modules())
    mail.send_after_commit(*(presenters.invitation_email(invitation, token, minutes) for invitation, token in created))
