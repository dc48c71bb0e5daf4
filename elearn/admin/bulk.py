"""Admin bulk actions, each behind a confirmation page: invite everyone due a refresher to a refresher cohort,
and send every pending invitation of a cohort again."""

import sqlalchemy as sa
from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user

from ..db import db, utcnow
from ..domain.cohorts import invitations
from ..domain.cohorts.invitations import Invitee
from ..domain.cohorts.schedule import today_in_uk
from ..domain.errors import ImportRejected
from ..domain.evidence import audit
from ..domain.evidence.refreshers import refreshers
from ..formatting import plural
from ..models import Cohort, CohortState, CourseType, Invitation
from ..web.forms import ButtonForm
from ..web.loaders import get_or_404
from ..web.request_input import whole_number
from .blueprint import admin_only, bp
from .inviting import email_invitations, invite_and_email


@bp.route("/refreshers/invite", methods=["GET", "POST"])
@admin_only
def refreshers_invite():
    cohort = _refresher_cohort_or_404(request.values.get("cohort", ""))
    due = refreshers(db.session, today_in_uk(), current_app.config["REFRESHER_MONTHS"])
    people = [Invitee(n, r.name, r.email, None, r.organisation or None) for n, r in enumerate(due, start=1)]
    people = invitations.not_yet_on(db.session, cohort, people, utcnow())
    form, rejected = ButtonForm(), None
    if form.validate_on_submit() and people:
        try:
            return invite_and_email(cohort, people, "refreshers due")
        except ImportRejected as exc:  # e.g. not enough places: nothing was written
            rejected = exc
    return render_template(
        "admin/confirm.html",
        form=form,
        title=f"Invite people due a refresher to {cohort.title}",
        names=[f"{p.full_name} ({p.email})" for p in people],
        empty="Everyone due a refresher is already enrolled on or invited to this cohort.",
        button=f"Invite {plural(len(people), 'person', 'people')}",
        hidden={"cohort": cohort.id},
        errors=[{"text": message} for _row, message in rejected.errors] if rejected else [],
        back=url_for("admin.refresher_dashboard"),
    ), (400 if rejected else 200)


@bp.route("/cohorts/<int:cohort_id>/invitations/resend", methods=["GET", "POST"])
@admin_only
def invitations_resend_all(cohort_id):
    cohort = get_or_404(Cohort, cohort_id)
    form = ButtonForm()
    if form.validate_on_submit():
        renewed = invitations.renew_pending(db.session, cohort, utcnow(), current_app.config["INVITATION_DAYS"])
        audit.record(
            db.session, current_user, "invitations_resent", cohort.title, cohort_id=cohort.id, count=len(renewed)
        )
        email_invitations(renewed)
        flash(f"Sent {plural(len(renewed), 'invitation')} again. The old links no longer work.", "success")
        return redirect(url_for("admin.cohort", cohort_id=cohort.id), 303)
    pending = db.session.scalars(
        sa.select(Invitation).where(Invitation.cohort_id == cohort.id, Invitation.accepted_at.is_(None))
    ).all()
    return render_template(
        "admin/confirm.html",
        form=form,
        title=f"Send every pending invitation to {cohort.title} again",
        names=sorted(f"{i.full_name} ({i.email})" for i in pending),
        empty="There are no pending invitations.",
        button=f"Send {plural(len(pending), 'invitation')} again",
        hidden={},
        errors=[],
        back=url_for("admin.cohort", cohort_id=cohort.id),
        warning="Each person gets a new link; the link in their earlier email stops working.",
    )


def _refresher_cohort_or_404(value: str) -> Cohort:
    """A refresher cohort still taking people (draft or open)."""
    cohort_id = whole_number(value)
    if cohort_id is None:
        abort(404)
    cohort = db.session.scalar(
        sa.select(Cohort).where(
            Cohort.id == cohort_id,
            Cohort.course_type == CourseType.REFRESHER,
            Cohort.state.in_([CohortState.DRAFT, CohortState.OPEN]),
        )
    )
    if cohort is None:
        abort(404)
    return cohort


def refresher_cohorts_taking_people() -> list[Cohort]:
    """For the refreshers page: refresher cohorts that people due can be invited to, soonest first."""
    return db.session.scalars(
        sa.select(Cohort)
        .where(
            Cohort.course_type == CourseType.REFRESHER,
            Cohort.state.in_([CohortState.DRAFT, CohortState.OPEN]),
            Cohort.starts_on >= today_in_uk(),
        )
        .order_by(Cohort.starts_on)
    ).all()
